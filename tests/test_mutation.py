"""Mutation test: from every clean labelled report, change one table-3/table-4 cell at a time;
every variant must raise table_arithmetic naming that cell, and the clean report no error."""
from __future__ import annotations

import pytest

from monitor.rules import check
from parsers import template as T
from rules_helpers import CLEAN, load

CELLS = [T.table3_cell(r, c) for r in T.TABLE3_ROW_KEYS for c in range(7)] + T.table4_cells()


def _variants(value: int) -> list[int]:
    out = {value + 1, value + 2, value + 7, value + 50, value + 100, value * 10 + 3}
    if value > 0:
        out |= {value - 1, 0}
    out.discard(value)
    return sorted(out)


@pytest.mark.parametrize("stem", CLEAN)
def test_clean_report_has_no_error(stem):
    errors = [f for f in check(load(stem)) if f.severity == "error"]
    assert not errors, [f.message for f in errors]


@pytest.mark.parametrize("stem", CLEAN)
def test_every_single_cell_change_is_caught(stem):
    report = load(stem)
    n = 0
    missed = []
    for path in CELLS:
        original = report.cell(path)
        for v in _variants(original):
            report.set_cell(path, v)
            named = {c for f in check(report) if f.rule == "table_arithmetic" for c in f.cell_paths}
            if path not in named:
                missed.append((path, original, v))
            n += 1
        report.set_cell(path, original)
    assert n >= 1000, n
    assert not missed, missed[:10]
