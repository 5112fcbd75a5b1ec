"""The labelled reports (tables as hand-labelled, text as found): every expected finding is
raised with its evidence, and no error-level finding is raised that the labels do not expect."""
from __future__ import annotations

import json

import pytest

from monitor.rules import RULES, check
from monitor.rules.finding import RULE_META
from rules_helpers import REAL, SEEDS, by_check, expected_rules, load

STATUTORY_CHECKS = {
    "T3-BAL", "T3-TOT", "T3-ROW", "T4-SUM", "CELLS", "T2-REG-POWER", "X-CARRY", "X-INFORCE", "X-SIMILAR", "X-FORMAT",
    "N-APPS", "N-BREAKDOWN", "N-LIT", "N-NORM", "N-FEE", "N-INTERNAL", "N-YEAR", "S-SECTIONS", "S-GOV-EXTRA",
    "S-FEE-SECTION", "S-NOTICE", "S-LENGTH", "D-DEPT", "D-GOV",
}


def _check(stem):
    previous = load("hongze_district_2023") if stem == "hongze_district_2024" else None
    return check(load(stem), previous=previous)


def test_registry_covers_every_check_of_the_format():
    assert STATUTORY_CHECKS <= {r.check_id for r in RULES}
    assert all(code in RULE_META for r in RULES for code in r.rules)


@pytest.mark.parametrize("stem", SEEDS + REAL)
def test_expected_findings_and_no_false_errors(stem):
    findings = _check(stem)
    rules = [f.rule for f in findings]
    for want in expected_rules(stem):
        assert want in rules, f"{stem}: expected {want}, got {rules}"
    want = set(expected_rules(stem))
    errors = [f for f in findings if f.severity == "error" and f.rule not in want]
    assert not errors, [f.message for f in errors]


def test_seed_002_narrative_16_vs_17():
    f = by_check(_check("002_bcfa5578fb71ac8f"), "N-APPS")
    assert len(f) == 1 and f[0].actual == 16 and f[0].expected == 17
    assert "共受理依申请公开事项16件" in f[0].quote["text"] and f[0].quote["section"] == 1
    assert f[0].cells[0]["cell"] == "table3.new[6]"


def test_hongze_2024_narrative_17_vs_95():
    f = by_check(_check("hongze_district_2024"), "N-APPS")
    assert len(f) == 1 and (f[0].actual, f[0].expected) == (17, 95)


def test_hongze_2023_table4_totals():
    f = [f for f in _check("hongze_district_2023") if f.rule == "table_arithmetic"]
    assert sorted((x.cell_paths[-1], x.expected, x.actual) for x in f) == [
        ("table4.litigation_after_review.total", 5, 0), ("table4.review.total", 11, 0)]


def test_seed_003_blank_review_cells():
    f = [f for f in _check("003_52ff68fbeae871ae") if f.rule == "blank_cells"]
    assert len(f) == 1 and len(f[0].cells) == 5


@pytest.mark.parametrize("stem", SEEDS + REAL)
def test_findings_serialise_with_evidence(stem):
    for f in _check(stem):
        d = f.to_dict()
        json.dumps(d, ensure_ascii=False)
        assert list(d)[:3] == ["rule", "severity", "detail"]
        assert d["severity"] in ("error", "warning", "info") and d["audience"] in ("compliance", "health")
        assert d["message"] and d["check_id"] and len(d["fingerprint"]) == 20
        assert d["source"]["sha256"] and d["source"]["url"]
        assert d["cells"] or d["quote"] or d["expected"] is not None


def test_fingerprint_stable_and_sensitive():
    a = [f.fingerprint for f in _check("hongze_district_2023")]
    assert a == [f.fingerprint for f in _check("hongze_district_2023")]
    r = load("hongze_district_2023")
    r.table4["review"]["upheld"] = 9
    b = {f.fingerprint for f in check(r) if f.rule == "table_arithmetic"}
    assert len(b & set(a)) == 1  # the 复议后起诉 finding is unchanged, the 复议 one changed


def test_arithmetic_on_a_scan_is_held_back_for_operators():
    """OCR can misread a digit: a sum that fails on a scanned report goes to operators, not staff."""
    report = load("hongze_district_2023")
    assert any(f.rule == "table_arithmetic" for f in check(report))
    report.source["ocr"] = True
    findings = check(report)
    assert not any(f.rule == "table_arithmetic" for f in findings)
    held = [f for f in findings if f.rule == "parse_uncertain" and f.evidence.get("held_back_rule") == "table_arithmetic"]
    assert held and all(f.audience == "health" for f in held)
