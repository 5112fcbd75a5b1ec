"""Compare a parsed report with a labelled expectation, cell by cell, and say which cells are wrong.

Shared by test_formats.py (rendered fixtures) and test_corpus.py (the seeds and real PDFs). One
assertion per document whose message names every wrong cell, so a failing format shows at once
what the parser misread.
"""
from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from parsers import template as T

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def same_value(expected: Any, got: Any) -> bool:
    """Numbers compare by value (7545.0 == "7545" == 7545; fees are kept as decimal strings)."""
    if expected is None or got is None:
        return expected is None and got is None
    try:
        return Decimal(str(expected)) == Decimal(str(got))
    except InvalidOperation:
        return str(expected) == str(got)


def expected_cells(exp: dict) -> dict[str, Any]:
    """The cell paths an expectation pins, with their values."""
    cells: dict[str, Any] = {}
    t2 = exp.get("table2")
    if t2 is not None:
        for row in T.TABLE2_ROWS:
            if row.columns:
                for c in row.columns:
                    cells[f"table2.{row.key}.{c}"] = (t2.get(row.key) or {}).get(c)
            else:
                cells[f"table2.{row.key}"] = t2.get(row.key)
    for key, cols in (exp.get("table2_2019") or {}).items():
        for c, v in cols.items():
            cells[f"table2_2019.{key}.{c}"] = v
    for row, values in (exp.get("table3") or {}).items():
        for i, v in enumerate(values):
            cells[T.table3_cell(row, i)] = v
    t4 = exp.get("table4")
    if t4 is not None:
        for g in T.TABLE4_GROUPS:
            for c in T.TABLE4_COLUMNS:
                cells[f"table4.{g}.{c}"] = (t4.get(g) or {}).get(c)
    return cells


def _label(path: str) -> str:
    try:
        return T.cell_label(path)
    except Exception:  # table2_2019 paths have no Chinese label in the template module
        return path


def wrong_cells(report, exp: dict) -> list[str]:
    """Every way the report differs from the expectation, one line each."""
    wrong = []
    for path, want in expected_cells(exp).items():
        got = report.cell(path)
        if not same_value(want, got):
            wrong.append(f"{path} ({_label(path)}): expected {want!r}, got {got!r}")
    return wrong


def describe(report, name: str, wrong: list[str], extra: list[str] = ()) -> str:
    problems = list(wrong) + list(extra)
    head = f"{name}: {len(problems)} problem(s); status={report.status}"
    if report.error:
        head += f" error={report.error!r}"
    notes = "; ".join(f"[{n.code}] {n.detail}" for n in report.parse_notes[:8])
    shown = problems[:40] + ([f"... and {len(problems) - 40} more"] if len(problems) > 40 else [])
    return head + ("\n  notes: " + notes if notes else "") + "\n  " + "\n  ".join(shown)


def load_expected(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))
