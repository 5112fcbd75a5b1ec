"""Helpers for the compliance-rule tests: labelled reports (tables from the hand-labelled
expected files, text and sections as the parser found them) and small report edits."""
from __future__ import annotations

import copy
import json
from pathlib import Path

from parsers.model import Report, SectionText

FIXTURES = Path(__file__).parent / "fixtures" / "rules"

SEEDS = ("000_8c6d284e19164a25", "001_451407376180ac87", "002_bcfa5578fb71ac8f", "003_52ff68fbeae871ae", "004_df7582ad909b4c7e")
REAL = ("hongze_district_2023", "hongze_district_2024", "huaian_city_2024")
CLEAN = ("000_8c6d284e19164a25", "001_451407376180ac87", "004_df7582ad909b4c7e", "huaian_city_2024")

_cache: dict[str, dict] = {}


def raw(stem: str) -> dict:
    if stem not in _cache:
        _cache[stem] = json.loads((FIXTURES / f"{stem}.report.json").read_text(encoding="utf-8"))
    return _cache[stem]


def load(stem: str) -> Report:
    """A fresh Report (callers may mutate it)."""
    return Report.from_dict(copy.deepcopy(raw(stem)))


def expected_rules(stem: str) -> list[str]:
    return [f["rule"] for f in raw(stem).get("expected_findings", [])]


def with_text(report: Report, text: str, section: int | None = None) -> Report:
    """The report with its narrative replaced by ``text`` (one section when given, else none)."""
    report.text = text
    report.sections = {section: SectionText(section, "", 0, len(text), text)} if section else {}
    return report


def rules_of(findings) -> list[str]:
    return [f.rule for f in findings]


def by_check(findings, check_id: str):
    return [f for f in findings if f.check_id == check_id]
