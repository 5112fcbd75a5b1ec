"""Cross-year rules on the real 洪泽区 2023 → 2024 pair: X-CARRY, X-INFORCE, X-SIMILAR."""
from __future__ import annotations

import pytest

from monitor.rules import check
from parsers.model import SectionText
from rules_helpers import by_check, load


def _pair():
    return load("hongze_district_2023"), load("hongze_district_2024")


def test_real_pair_passes_carry_and_in_force():
    prev, this = _pair()
    findings = check(this, previous=prev)
    assert not by_check(findings, "X-CARRY")
    assert not by_check(findings, "X-INFORCE")  # 5 + 3 − 0 = 8


@pytest.mark.parametrize("col", [0, 6])
def test_altered_carry_forward_fails_naming_both_cells(col):
    prev, this = _pair()
    prev.set_cell(f"table3.carried_forward[{col}]", 4)
    f = by_check(check(this, previous=prev), "X-CARRY")
    assert len(f) == 1
    f = f[0]
    assert f.rule == "cross_year_carryover" and f.severity == "error"
    assert f.cell_paths == [f"table3.carried_over[{col}]", f"previous.table3.carried_forward[{col}]"]
    assert [c["value"] for c in f.cells] == [0, 4]
    assert f.cells[1]["label"].startswith("上年报告 表三 四、结转下年度继续办理")
    assert "2023年度报告" in f.message and f.expected == 4 and f.actual == 0


def test_carry_not_evaluated_for_a_non_adjacent_year_or_blank():
    prev, this = _pair()
    prev.set_cell("table3.carried_forward[6]", 4)
    prev.year = 2022
    assert not by_check(check(this, previous=prev), "X-CARRY")
    prev.year = 2023
    prev.agency = "淮安市清江浦区人民政府"
    assert not by_check(check(this, previous=prev), "X-CARRY")
    prev.agency = "洪泽区人民政府"
    assert by_check(check(this, previous=prev), "X-CARRY")
    prev.blank_cells.append("table3.carried_forward[6]")
    assert not by_check(check(this, previous=prev), "X-CARRY")


def test_carry_on_uncertain_previous_cell_is_held_back():
    prev, this = _pair()
    prev.set_cell("table3.carried_forward[6]", 4)
    prev.note("parse_uncertain", "misaligned row", ["table3.carried_forward[6]"])
    findings = check(this, previous=prev)
    assert not [f for f in findings if f.rule == "cross_year_carryover"]
    assert any(f.rule == "parse_uncertain" and f.evidence["held_back_rule"] == "cross_year_carryover" for f in findings)


def test_in_force_soft_rule():
    prev, this = _pair()
    this.table2["normative_documents"]["in_force"] = 9
    f = by_check(check(this, previous=prev), "X-INFORCE")
    assert f and f[0].rule == "cross_year_in_force" and f[0].severity == "warning"
    assert "previous.table2.normative_documents.in_force" in f[0].cell_paths and f[0].expected == 8


def test_similar_section_five():
    prev, this = _pair()
    assert not by_check(check(this, previous=prev), "X-SIMILAR")  # the real pair differs enough
    s5 = prev.sections[5]
    text = s5.text.replace("2023", "2024")
    this.sections[5] = SectionText(5, s5.heading, 0, len(text), text)
    f = by_check(check(this, previous=prev), "X-SIMILAR")
    assert f and f[0].rule == "boilerplate_repeat" and f[0].severity == "info" and f[0].actual >= 0.9
