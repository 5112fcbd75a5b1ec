"""The canonical report: what every reader and the table placer produce, and what rules read.

A plain value. Its JSON form (``Report.to_json``) is the schema of ../shared/corpus/README.md
plus ``parse_notes``, ``status`` and a few metadata fields. Unknown values are ``None``,
never a guess.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from . import template as T

# Parse outcomes (FINDINGS.md, Health). "ok" means the report was read; its cells may still
# carry parse notes.
STATUS_OK = "ok"
STATUS_NOT_MACHINE_READABLE = "not_machine_readable"
STATUS_PARSE_FAILED = "parse_failed"
STATUS_TOO_LARGE = "too_large"


@dataclass
class ParseNote:
    """Something the parser was unsure of or had to work around, with the cells it concerns."""

    code: str  # parse_uncertain | cell_inferred | cells_dropped | blank_cells | format_2019 | ...
    detail: str  # in English, for operators
    cells: list[str] = field(default_factory=list)


@dataclass
class SectionText:
    number: int
    heading: str
    start: int  # character offset of the heading in Report.text
    end: int
    text: str


@dataclass
class Report:
    agency: str | None = None
    year: int | None = None
    agency_kind: str | None = None
    signature_date: str | None = None  # YYYY-MM-DD
    title: str | None = None
    period: tuple[str, str] | None = None  # statistics period, YYYY-MM-DD each
    format: str | None = None  # template.FORMAT_2021 | FORMAT_2019
    notices_cited: list[str] = field(default_factory=list)
    sections_present: list[int] = field(default_factory=list)
    sections: dict[int, SectionText] = field(default_factory=dict)
    table2: dict[str, Any] = field(default_factory=dict)
    table2_2019: dict[str, Any] | None = None
    table3: dict[str, list[int | None]] = field(default_factory=dict)
    table4: dict[str, dict[str, int | None]] = field(default_factory=dict)
    tables_found: list[int] = field(default_factory=list)  # which of tables 2, 3, 4 were found
    blank_cells: list[str] = field(default_factory=list)  # cells printed empty, "/" or "—"
    uncertain_cells: list[str] = field(default_factory=list)  # cells the parser could not place
    parse_notes: list[ParseNote] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)
    text: str = ""  # the normalised full text the sections point into
    status: str = STATUS_OK
    error: str | None = None  # why, when status is not ok
    source: dict[str, Any] = field(default_factory=dict)  # path, sha256, format, pages, url

    # -- cell access -------------------------------------------------------------------------
    def cell(self, path: str) -> Any:
        """The value at a cell path (``table3.new[6]``, ``table4.review.total``, ``table2.licensing``)."""
        if path.startswith("table3."):
            row, _, col = path[len("table3.") :].partition("[")
            values = self.table3.get(row)
            return None if values is None else values[int(col.rstrip("]"))]
        parts = path.split(".")
        node: Any = getattr(self, parts[0])
        for p in parts[1:]:
            if not isinstance(node, dict):
                return None
            node = node.get(p)
        return node

    def set_cell(self, path: str, value: Any) -> None:
        if path.startswith("table3."):
            row, _, col = path[len("table3.") :].partition("[")
            self.table3.setdefault(row, [None] * 7)[int(col.rstrip("]"))] = value
            return
        parts = path.split(".")
        node = getattr(self, parts[0])
        for p in parts[1:-1]:
            node = node.setdefault(p, {})
        node[parts[-1]] = value

    def note(self, code: str, detail: str, cells: list[str] | None = None) -> None:
        self.parse_notes.append(ParseNote(code, detail, list(cells or [])))
        if code == "parse_uncertain":
            for c in cells or []:
                if c not in self.uncertain_cells:
                    self.uncertain_cells.append(c)

    def section_text(self, number: int) -> str:
        s = self.sections.get(number)
        return s.text if s else ""

    # -- serialisation -----------------------------------------------------------------------
    def to_dict(self, with_text: bool = False) -> dict[str, Any]:
        d = {
            "agency": self.agency,
            "year": self.year,
            "agency_kind": self.agency_kind,
            "signature_date": self.signature_date,
            "title": self.title,
            "period": list(self.period) if self.period else None,
            "format": self.format,
            "sections_present": list(self.sections_present),
            "table2": self.table2,
            "table3": self.table3,
            "table4": self.table4,
            "findings": self.findings,
            "status": self.status,
            "error": self.error,
            "tables_found": self.tables_found,
            "blank_cells": self.blank_cells,
            "uncertain_cells": self.uncertain_cells,
            "parse_notes": [asdict(n) for n in self.parse_notes],
            "notices_cited": self.notices_cited,
            "source": self.source,
        }
        if self.table2_2019 is not None:
            d["table2_2019"] = self.table2_2019
        if with_text:
            d["text"] = self.text
            d["sections"] = {str(k): asdict(v) for k, v in self.sections.items()}
        return d

    def to_json(self, **kw: Any) -> str:
        return json.dumps(self.to_dict(**kw), ensure_ascii=False)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Report":
        """Rebuild a report from its JSON form (stored reports, labelled files)."""
        r = cls()
        for k in ("agency", "year", "agency_kind", "signature_date", "title", "format", "status", "error"):
            if k in d:
                setattr(r, k, d[k])
        r.period = tuple(d["period"]) if d.get("period") else None  # type: ignore[assignment]
        r.sections_present = list(d.get("sections_present") or [])
        r.table2 = d.get("table2") or {}
        r.table2_2019 = d.get("table2_2019")
        r.table3 = {k: list(v) for k, v in (d.get("table3") or {}).items()}
        r.table4 = d.get("table4") or {}
        r.tables_found = list(d.get("tables_found") or [])
        r.blank_cells = list(d.get("blank_cells") or [])
        r.uncertain_cells = list(d.get("uncertain_cells") or [])
        r.parse_notes = [ParseNote(**n) for n in d.get("parse_notes") or []]
        r.findings = list(d.get("findings") or [])
        r.notices_cited = list(d.get("notices_cited") or [])
        r.source = dict(d.get("source") or {})
        r.text = d.get("text") or ""
        for k, v in (d.get("sections") or {}).items():
            r.sections[int(k)] = SectionText(**v)
        return r


def empty_tables() -> tuple[dict, dict, dict]:
    """Tables with every statutory cell present and unknown."""
    t2: dict[str, Any] = {}
    for row in T.TABLE2_ROWS:
        t2[row.key] = {c: None for c in row.columns} if row.columns else None
    t3 = {k: [None] * 7 for k in T.TABLE3_ROW_KEYS}
    t4 = {g: {c: None for c in T.TABLE4_COLUMNS} for g in T.TABLE4_GROUPS}
    return t2, t3, t4
