"""Table rules (T3-BAL, T3-TOT, T3-ROW, T4-SUM, CELLS) and the doubt policy: each case is a
report edit that must fire (with the cells named) or a near miss that must not."""
from __future__ import annotations

import pytest

from monitor.rules import check
from monitor.rules.context import Context
from monitor.rules import tables
from parsers import template as T
from rules_helpers import by_check, load, rules_of, with_text


def _set(report, edits):
    for path, value in edits.items():
        report.set_cell(path, value)
    return report


# (case id, edits on the clean 淮安 2024 report, check id that must fire, cells it must name)
FIRES = [
    ("row total off", {"table3.granted[6]": 1363}, "T3-ROW", ["table3.granted[6]"]),
    ("row part off", {"table3.granted[4]": 51}, "T3-ROW", ["table3.granted[4]", "table3.granted[6]"]),
    ("outcome total off", {"table3.outcome_total[6]": 3051}, "T3-TOT", ["table3.outcome_total[6]"]),
    ("balance off", {"table3.carried_forward[0]": 104, "table3.carried_forward[6]": 104}, "T3-BAL",
     ["table3.new[0]", "table3.carried_over[0]", "table3.outcome_total[0]", "table3.carried_forward[0]"]),
    ("t4 total zero", {"table4.review.total": 0}, "T4-SUM", ["table4.review.upheld", "table4.review.total"]),
    ("t4 part", {"table4.litigation_direct.pending": 2}, "T4-SUM", ["table4.litigation_direct.pending"]),
]

# near misses: consistent edits (the sums still hold) must raise no table_arithmetic
NEAR_MISSES = [
    ("moved between columns", {"table3.granted[0]": 1287, "table3.granted[1]": 22, "table3.outcome_total[0]": 2931,
                               "table3.outcome_total[1]": 54, "table3.new[0]": 3000, "table3.new[1]": 54}),
    ("moved between outcome rows", {"table3.granted[0]": 1287, "table3.granted[6]": 1361,
                                    "table3.partially_granted[0]": 448, "table3.partially_granted[6]": 455}),
    ("t4 consistent", {"table4.review.upheld": 73, "table4.review.total": 352}),
]


@pytest.mark.parametrize("case,edits,check_id,cells", FIRES, ids=[c[0] for c in FIRES])
def test_arithmetic_fires_and_names_cells(case, edits, check_id, cells):
    r = _set(load("huaian_city_2024"), edits)
    found = [f for f in by_check(check(r), check_id) if f.rule == "table_arithmetic"]
    assert found, f"{check_id} did not fire for {case}"
    named = {c for f in found for c in f.cell_paths}
    assert set(cells) <= named
    f = found[0]
    assert f.severity == "error" and f.audience == "compliance"
    assert f.expected != f.actual and isinstance(f.expected, int)
    assert "填报为" in f.message or "勾稽" in f.message
    assert all(c["label"] and "value" in c for c in f.cells)
    assert f.source["url"] and f.source["sha256"]


@pytest.mark.parametrize("case,edits", NEAR_MISSES, ids=[c[0] for c in NEAR_MISSES])
def test_consistent_edits_do_not_fire(case, edits):
    r = _set(load("huaian_city_2024"), edits)
    assert "table_arithmetic" not in rules_of(check(r))


def test_message_names_row_column_and_values():
    r = _set(load("huaian_city_2024"), {"table3.outcome_total[0]": 2922})
    f = [f for f in by_check(check(r), "T3-TOT")][0]
    assert f.message == "表三 第（七）项总计 自然人列：各分项之和为 2932，填报为 2922"
    assert f.to_dict()["cells"][-1] == {"cell": "table3.outcome_total[0]", "label": T.cell_label("table3.outcome_total[0]"), "value": 2922}


def test_blank_cells_reported_and_not_summed():
    r = load("003_52ff68fbeae871ae")
    findings = check(r)
    blank = [f for f in findings if f.rule == "blank_cells"]
    assert len(blank) == 1 and blank[0].severity == "warning"
    assert set(blank[0].cell_paths) == {f"table4.review.{c}" for c in T.TABLE4_COLUMNS}
    assert not [f for f in findings if f.rule == "table_arithmetic"]


def test_blank_cell_in_a_sum_suppresses_only_that_sum():
    r = load("huaian_city_2024")
    r.set_cell("table3.granted[6]", None)
    r.blank_cells.append("table3.granted[6]")
    r.set_cell("table4.review.total", 0)
    findings = check(r)
    arith = [f for f in findings if f.rule == "table_arithmetic"]
    assert [f.check_id for f in arith] == ["T4-SUM"]  # T3-ROW/T3-TOT on the blank cell are not evaluated
    assert "blank_cells" in rules_of(findings)


def test_uncertain_cell_turns_error_into_parse_uncertain():
    r = load("huaian_city_2024")
    r.set_cell("table4.review.total", 0)
    r.note("parse_uncertain", "column positions ambiguous", ["table4.review.total"])
    findings = check(r)
    assert "table_arithmetic" not in rules_of(findings)
    held = [f for f in findings if f.rule == "parse_uncertain"]
    assert held and held[0].audience == "health" and held[0].severity == "warning"
    assert held[0].evidence["held_back_rule"] == "table_arithmetic"
    assert "table4.review.total" in held[0].evidence["doubtful_cells"]


def test_inferred_cell_is_a_doubt_too():
    r = load("huaian_city_2024")
    r.set_cell("table3.granted[6]", 1300)
    r.note("cell_inferred", "value inferred from the row sum", ["table3.granted[6]"])
    assert "table_arithmetic" not in rules_of(check(r))


def test_missing_table_and_all_blank_table():
    r = with_text(load("huaian_city_2024"), "四、政府信息公开行政复议、行政诉讼情况\n（表格为图片）")
    for g in T.TABLE4_GROUPS:
        r.table4[g] = {c: None for c in T.TABLE4_COLUMNS}
    f = [f for f in check(r) if f.rule == "missing_table"]
    assert len(f) == 1 and "表四" in f[0].message and f[0].severity == "error"
    r.blank_cells = T.table4_cells()
    assert "missing_table" not in rules_of(check(r))
    assert "blank_cells" in rules_of(check(r))


def test_missing_table_from_parser_doubt_is_held_back():
    r = load("huaian_city_2024")
    r.table3 = {}
    with_text(r, "三、收到和处理政府信息公开申请情况（此处为图片）")
    r.note("parse_uncertain", "table 3 could not be placed", [T.table3_cell("new", 6)])
    findings = check(r)
    assert "missing_table" not in rules_of(findings)
    assert any(f.rule == "parse_uncertain" and f.evidence.get("held_back_rule") == "missing_table" for f in findings)
    with_text(r, "三、收到和处理政府信息公开申请情况（此处为图片）")  # no label in the text: only the note holds it back
    assert "missing_table" not in rules_of(check(r))


def test_invalid_values_flagged():
    r = load("huaian_city_2024")
    r.set_cell("table3.granted[1]", -21)
    found = tables.cells_rule(Context(r))
    assert any(f.rule == "blank_cells" and "table3.granted[1]" in f.cell_paths for f in found)


def test_unread_cells_are_a_health_finding_not_compliance():
    r = load("huaian_city_2024")
    r.set_cell("table3.granted[3]", None)  # not blank, not noted: the parser lost it
    findings = check(r)
    assert not [f for f in findings if f.rule in ("blank_cells", "table_arithmetic")]
    gap = [f for f in findings if f.rule == "parse_uncertain"]
    assert gap and "table3.granted[3]" in gap[0].cell_paths and gap[0].audience == "health"


def test_other_single_row_replaces_rows_20_to_22():
    r = load("hongze_district_2023")
    assert T.OTHER_SINGLE in r.table3
    ids = [f.check_id for f in check(r) if f.rule == "table_arithmetic"]
    assert ids == ["T4-SUM", "T4-SUM"]  # only the real defects, nothing about rows 20–22
    r.set_cell("table3.other_single[0]", 2)
    r.set_cell("table3.other_single[6]", 2)
    ids = [f.check_id for f in check(r) if f.rule == "table_arithmetic"]
    assert "T3-TOT" in ids  # the single row is summed


def test_not_ok_report_gets_only_a_health_finding():
    from parsers.model import Report

    r = Report(status="not_machine_readable", error="scan without text layer", source={"name": "x.pdf", "sha256": "ab"})
    findings = check(r)
    assert [(f.rule, f.audience) for f in findings] == [("not_machine_readable", "health")]


def test_odd_shapes_never_crash_a_rule():
    import random

    from parsers.model import Report

    rng = random.Random(7)
    junk = [None, 0, 3, -1, "5", 2.5, "—", True, [], {}]
    for i in range(200):
        r = load("huaian_city_2024") if i % 2 else Report(text="共受理申请十件，其中予以公开二十件。行政复议未", year=rng.choice([None, 2023]))
        for row in list(r.table3)[: rng.randint(0, 5)]:
            r.table3[row] = [rng.choice(junk) for _ in range(rng.randint(0, 8))]
        if rng.random() < 0.3:
            r.table4.pop("review", None)
        if rng.random() < 0.3:
            r.table2["regulations"] = rng.choice(junk)
        r.agency = rng.choice([None, "某某县人民政府", ""])
        findings = check(r, previous=load("hongze_district_2023") if i % 3 == 0 else None,
                         evidence=rng.choice([None, {"meta": "garbage"}, {"url": "http://x/art/2024/13/40/a.html"}]))
        assert not [f for f in findings if f.rule == "check_failed"], [f.detail for f in findings if f.rule == "check_failed"]


def test_doubt_about_one_cell_covers_its_row():
    r = load("huaian_city_2024")
    r.set_cell("table3.outcome_total[6]", 0)  # a value the parser shifted from elsewhere in the row
    r.set_cell("table3.outcome_total[2]", None)
    r.note("parse_uncertain", "a cell is missing in the source and the sums do not say which", ["table3.outcome_total[2]"])
    findings = check(r)
    assert not [f for f in findings if f.audience == "compliance" and f.severity == "error"], [f.message for f in findings]
    assert any(f.rule == "parse_uncertain" for f in findings)


def test_other_single_with_zero_filled_rows_20_to_22():
    r = load("huaian_city_2024")
    single = [sum(r.table3[k][c] for k in T.OTHER_ROWS) for c in range(7)]
    for k in T.OTHER_ROWS:
        r.table3[k] = [0] * 7
    r.table3[T.OTHER_SINGLE] = single
    assert "table_arithmetic" not in rules_of(check(r))
    assert by_check(check(r), "X-FORMAT")


def test_unread_table_with_its_labels_in_the_text_is_our_problem():
    r = load("huaian_city_2024")  # its text carries table 4's header words
    for g in T.TABLE4_GROUPS:
        r.table4[g] = {c: None for c in T.TABLE4_COLUMNS}
    findings = check(r)
    assert "missing_table" not in rules_of(findings)
    f = [f for f in findings if f.rule == "parse_uncertain" and "表四" in f.message]
    assert f and f[0].audience == "health" and len(f[0].evidence["labels_found"]) >= 2


def test_parser_doubts_are_summarised_for_operators():
    r = load("huaian_city_2024")
    r.note("parse_uncertain", "the printed values fit more than one column arrangement", ["table3.granted[1]", "table3.granted[2]"])
    f = by_check(check(r), "PARSE")
    assert len(f) == 1 and f[0].rule == "parse_uncertain" and f[0].audience == "health"
    assert f[0].cell_paths == ["table3.granted[1]", "table3.granted[2]"]
    assert "more than one column arrangement" in f[0].detail
    assert not by_check(check(load("huaian_city_2024")), "PARSE")
