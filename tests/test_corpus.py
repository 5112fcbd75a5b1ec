"""The labelled corpus: five seed texts as portals' text came out, and three real PDFs made with WPS.

Each must parse, cell by cell, to its hand reading (``*.expected.json``), with the right year and
signature date. Copies live in tests/fixtures/seeds and tests/fixtures/real (tests never read
../shared). The (六) rows a report does not print are not in its expectation, so they are not scored.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from format_helpers import FIXTURES, describe, load_expected, wrong_cells


def _cases():
    out = []
    for folder, suffix in (("seeds", ".txt"), ("real", ".pdf")):
        for exp in sorted((FIXTURES / folder).glob("*.expected.json")):
            doc = exp.with_name(exp.name[: -len(".expected.json")] + suffix)
            marks = [pytest.mark.slow] if suffix == ".pdf" else []
            out.append(pytest.param(doc, exp, id=f"{folder}/{doc.name}", marks=marks))
    return out


CASES = _cases()


def test_corpus_is_present():
    names = {p.values[0].name for p in CASES}
    assert len([n for n in names if n.endswith(".txt")]) == 5
    assert {"hongze_district_2023.pdf", "hongze_district_2024.pdf", "huaian_city_2024.pdf"} <= names
    assert all(p.values[0].exists() for p in CASES)


@pytest.mark.parametrize("doc,expected_path", CASES)
def test_labelled_report(doc: Path, expected_path: Path):
    from parsers.api import parse_path

    exp = load_expected(expected_path)
    report = parse_path(doc)
    extra = []
    for field in ("year", "signature_date"):
        if getattr(report, field) != exp[field]:
            extra.append(f"{field}: expected {exp[field]!r}, got {getattr(report, field)!r}")
    if report.sections_present != exp["sections_present"]:
        extra.append(f"sections_present: expected {exp['sections_present']}, got {report.sections_present}")
    wrong = wrong_cells(report, exp)
    assert report.status == "ok" and not wrong and not extra, describe(report, doc.name, wrong, extra)
