"""What a report says (ReportContent), the bundled labelled reports, and variants of them."""
from __future__ import annotations

import copy
import dataclasses
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from parsers import template as T

CONTENT_DIR = Path(__file__).resolve().parents[1] / "content"


@dataclass
class ReportContent:
    """What a report says, independent of the format it is printed in."""

    agency: str
    year: int
    title: str
    sections: dict[int, str]  # narrative per section number (2-4: the text before the table, if any)
    table2: dict
    table3: dict  # canonical rows; may hold "other_single" (the (六) group printed as one row)
    table4: dict
    signature: str | None = None
    signature_date: str | None = None  # YYYY-MM-DD
    blank_cells: list[str] = field(default_factory=list)  # cell paths printed empty (planted defects)
    blank_mark: str = ""  # what a blank cell shows: "" or "/" or "—"
    extra_cells: dict[str, str] = field(default_factory=dict)  # "table4" | "table3.<row>" -> an extra printed value
    preface: str = ""  # the paragraph(s) between the title and section 一
    table2_2019: dict | None = None  # the 2019 trial format's table 2 (printed instead of table2)

    def replace(self, **changes: Any) -> "ReportContent":
        """A variant (another agency, year, values); the original is left untouched."""
        return dataclasses.replace(copy.deepcopy(self), **changes)

    def with_cell(self, path: str, value: Any) -> "ReportContent":
        """A variant with one cell changed: ``table3.new[6]``, ``table4.review.total``, ``table2.licensing``."""
        c = copy.deepcopy(self)
        if path.startswith("table3."):
            row, _, col = path[len("table3.") :].partition("[")
            c.table3.setdefault(row, [0] * 7)[int(col.rstrip("]"))] = value
            return c
        parts = path.split(".")
        node = getattr(c, parts[0])
        for p in parts[1:-1]:
            node = node.setdefault(p, {})
        node[parts[-1]] = value
        return c

    @property
    def format(self) -> str:
        return T.FORMAT_2019 if self.table2_2019 is not None else T.FORMAT_2021

    @property
    def other_single(self) -> bool:
        return T.OTHER_SINGLE in self.table3

    def to_dict(self) -> dict:
        d = dataclasses.asdict(self)
        d["sections"] = {str(k): v for k, v in self.sections.items()}
        return d


def list_content() -> list[str]:
    """The names of the bundled report contents (file stems in content/)."""
    return sorted(p.stem for p in CONTENT_DIR.glob("*.json"))


def load_content(name: str) -> ReportContent:
    d = json.loads((CONTENT_DIR / f"{name}.json").read_text(encoding="utf-8"))
    return ReportContent(
        agency=d["agency"],
        year=int(d["year"]),
        title=d["title"],
        sections={int(k): v for k, v in d["sections"].items()},
        table2=d["table2"],
        table3=d["table3"],
        table4=d["table4"],
        signature=d.get("signature"),
        signature_date=d.get("signature_date"),
        preface=d.get("preface", ""),
        table2_2019=d.get("table2_2019"),
    )


def shift_year(c: ReportContent, year: int) -> ReportContent:
    """The same report told for another year: the years in its text and its signature date move too
    (for cross-year series and the 2019-format variant)."""
    delta = year - c.year
    near = {str(y): str(y + delta) for y in (c.year - 1, c.year, c.year + 1)}

    def move(text: str | None) -> str | None:
        if not text:
            return text
        return re.sub(r"(?<!\d)(20\d\d)(?!\d)", lambda m: near.get(m.group(1), m.group(1)), text)

    sig = None
    if c.signature_date:
        y, rest = c.signature_date.split("-", 1)
        sig = f"{int(y) + delta}-{rest}".replace(f"{int(y) + delta}-02-29", f"{int(y) + delta}-02-28")
    return c.replace(
        year=year,
        title=move(c.title),
        preface=move(c.preface),
        sections={k: move(v) for k, v in c.sections.items()},
        signature_date=sig,
    )


def collapse_other(c: ReportContent) -> ReportContent:
    """The (六) group printed as one row (the 2019 format, and some 2021+ reports): its three rows summed."""
    t3 = {k: list(v) for k, v in c.table3.items() if k not in T.OTHER_ROWS}
    rows = [c.table3[k] for k in T.OTHER_ROWS if k in c.table3]
    t3[T.OTHER_SINGLE] = [sum(r[i] or 0 for r in rows) for i in range(7)] if rows else c.table3.get(T.OTHER_SINGLE, [0] * 7)
    return c.replace(table3=t3)
