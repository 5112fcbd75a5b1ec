"""Alert text shows the rules' evidence the way staff read it: cell names and values, the quoted
sentence, the source; never raw Python structures or the English detail."""
from __future__ import annotations

from monitor.alerts.render import evidence_lines
from monitor.rules import check
from rules_helpers import load


def test_rule_evidence_renders_as_named_cells_and_values():
    finding = next(f for f in check(load("hongze_district_2023")) if f.rule == "table_arithmetic")
    text = "\n".join(evidence_lines(finding.to_dict()))
    assert "表四 行政复议 结果维持（table4.review.upheld）= 10" in text
    assert "表四 行政复议 总计（table4.review.total）= 0" in text
    assert "{'cell'" not in text and finding.to_dict()["detail"] not in text


def test_narrative_quote_is_the_sentence_not_a_structure():
    finding = next(f for f in check(load("002_bcfa5578fb71ac8f")) if f.rule == "narrative_vs_table")
    text = "\n".join(evidence_lines(finding.to_dict()))
    assert "原文：“" in text and "16件" in text and "'start'" not in text
