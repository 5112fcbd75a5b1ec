"""What a rule sees: this year's report, last year's when known, and the publication evidence."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from parsers import template as T
from parsers.model import Report

from .finding import Finding, cell_ref


@dataclass
class Context:
    report: Report
    previous: Report | None = None
    evidence: dict[str, Any] = field(default_factory=dict)  # publication dates, level, deadline override
    today: dt.date = field(default_factory=dt.date.today)
    policy: str = "statute"

    # -- cells --------------------------------------------------------------------------------
    @cached_property
    def blank(self) -> frozenset[str]:
        return frozenset(self.report.blank_cells)

    @cached_property
    def uses_other_single(self) -> bool:
        """(六) printed as one row (2019 format, or a 2021+ report still printing it so)."""
        single = self.report.table3.get(T.OTHER_SINGLE)
        if not single or all(v is None for v in single):
            return False
        # rows 20–22 absent, blank or (filled in by a converter) all zero: the single row carries (六)
        return all(all(v in (None, 0) for v in (self.report.table3.get(k) or [None])) for k in T.OTHER_ROWS)

    def value(self, path: str) -> Any:
        return safe_cell(self.report, path)

    def source(self) -> dict[str, Any]:
        s = self.report.source or {}
        return {"url": s.get("url"), "sha256": s.get("sha256"), "name": s.get("name") or s.get("path")}

    def finding(self, rule: str, check_id: str, message: str, detail: str, cells: list[str] | None = None,
                report: Report | None = None, **kw: Any) -> Finding:
        """A finding with its source filled and each cell named with its value."""
        refs = []
        for path in cells or []:
            if path.startswith("previous."):
                val = safe_cell(self.previous, path[len("previous."):]) if self.previous else None
            else:
                val = safe_cell(report or self.report, path)
            refs.append(cell_ref(path, val))
        return Finding(rule=rule, check_id=check_id, message=message, detail=detail, cells=refs, source=self.source(), **kw)


def safe_cell(report: Report, path: str) -> Any:
    """A cell's value, None when the report's shape lacks it (a short row, a missing group)."""
    try:
        return report.cell(path)
    except (IndexError, ValueError, TypeError, AttributeError):
        return None


def table3_outcome_rows(ctx: Context) -> list[str]:
    """Rows 2..22 as this report prints them: the single (六) row replaces rows 20–22 when used."""
    rows = list(T.OUTCOME_ROWS)
    if ctx.uses_other_single:
        rows = [r for r in rows if r not in T.OTHER_ROWS] + [T.OTHER_SINGLE]
    return rows
