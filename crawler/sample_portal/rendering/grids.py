"""The three statutory tables as grids with the template's merged cells, and the report as blocks in
reading order: one model that every output format prints."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterator

from parsers import template as T

from .content import ReportContent


@dataclass
class Cell:
    text: str
    rowspan: int = 1
    colspan: int = 1
    header: bool = False
    value: bool = False  # a data cell (the parser must read it)


Grid = list[list[Cell]]  # rows of the cells that start there (covered positions are omitted, as in HTML)


def _fmt(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return str(int(v)) if v == int(v) else repr(v)
    return str(v)


class _Values:
    """Prints a cell's value, or the blank mark for a planted blank cell."""

    def __init__(self, c: ReportContent):
        self.c = c
        self.blank = set(c.blank_cells)

    def cell(self, path: str, raw: Any, colspan: int = 1) -> Cell:
        text = self.c.blank_mark if path in self.blank else _fmt(raw)
        return Cell(text, colspan=colspan, value=True)

    def extra(self, key: str) -> list[Cell]:
        x = self.c.extra_cells.get(key)
        return [] if x is None else [Cell(str(x), value=True)]


def table2_grid(c: ReportContent) -> Grid:
    v = _Values(c)
    h = T.TABLE2_ITEM_HEADINGS
    info, decisions = T.TABLE2_HEADER_WORDS[0], T.TABLE2_HEADER_WORDS[4]
    fee_header = f"{T.TABLE2_HEADER_WORDS[5]}（单位：万元）"
    rows: Grid = [[Cell(h[0], colspan=4, header=True)]]
    rows.append([Cell(info, header=True)] + [Cell(T.TABLE2_COLUMN_LABELS[k], header=True) for k in ("issued", "repealed", "in_force")])
    by_key = {r.key: r for r in T.TABLE2_ROWS}
    for key in ("regulations", "normative_documents"):
        vals = c.table2.get(key) or {}
        rows.append([Cell(by_key[key].labels[0])] + [v.cell(f"table2.{key}.{col}", vals.get(col)) for col in by_key[key].columns])
    for heading, header, keys in ((h[1], decisions, ("licensing",)), (h[2], decisions, ("penalty", "enforcement")), (h[3], fee_header, ("fees_wan_yuan",))):
        rows.append([Cell(heading, colspan=4, header=True)])
        rows.append([Cell(info, header=True), Cell(header, colspan=3, header=True)])
        for key in keys:
            rows.append([Cell(by_key[key].labels[0]), v.cell(f"table2.{key}", c.table2.get(key), colspan=3)])
    return rows


# The 2019 trial format's column headings (国办公开办函〔2019〕60号); row labels come from the template module.
_COLUMNS_2019 = {
    "made": "本年新制作数量",
    "published": "本年新公开数量",
    "total_public": "对外公开总数量",
    "previous_items": "上一年项目数量",
    "change": "本年增/减",
    "decisions": "处理决定数量",
    "items": "采购项目数量",
    "amount_wan_yuan": "采购总金额",
}
_ITEMS_2019 = (
    ("第二十条第（一）项", ("regulations", "normative_documents")),
    ("第二十条第（五）项", ("licensing", "other_services")),
    ("第二十条第（六）项", ("penalty", "enforcement")),
    ("第二十条第（八）项", ("fees",)),
    ("第二十条第（九）项", ("procurement",)),
)


def table2_2019_grid(c: ReportContent) -> Grid:
    v = _Values(c)
    info = T.TABLE2_HEADER_WORDS[0]
    by_key = {r.key: r for r in T.TABLE2_2019_ROWS}
    data = c.table2_2019 or {}
    rows: Grid = []
    for heading, keys in _ITEMS_2019:
        cols = by_key[keys[0]].columns
        spans = [1] * len(cols)
        spans[-1] += 3 - len(cols)  # the last column fills the 4-column grid
        rows.append([Cell(heading, colspan=4, header=True)])
        rows.append([Cell(info, header=True)] + [Cell(_COLUMNS_2019[k], colspan=s, header=True) for k, s in zip(cols, spans)])
        for key in keys:
            vals = data.get(key) or {}
            rows.append([Cell(by_key[key].labels[0])] + [v.cell(f"table2_2019.{key}.{k}", vals.get(k), colspan=s) for k, s in zip(cols, spans)])
    return rows


def _printed_label(row: T.Table3Row, index_in_group: int) -> str:
    label = row.labels[0]
    if row.group and not re.match(r"^\d", label):
        return f"{index_in_group}.{label}"
    return label


def table3_grid(c: ReportContent) -> Grid:
    """Table 3 exactly as template_2021.docx merges it: a 3-column label area, a 3-row header."""
    v = _Values(c)
    cols = [T.TABLE3_COLUMN_LABELS[k][0] for k in T.TABLE3_COLUMNS]
    rows: Grid = [
        [Cell(T.TABLE3_HEADER_WORDS[0], rowspan=3, colspan=3, header=True), Cell(T.TABLE3_HEADER_WORDS[1], colspan=7, header=True)],
        [Cell(cols[0], rowspan=2, header=True), Cell(T.TABLE3_HEADER_WORDS[2], colspan=5, header=True), Cell(cols[6], rowspan=2, header=True)],
        [Cell(x, header=True) for x in cols[1:6]],
    ]

    def values(key: str) -> list[Cell]:
        vals = c.table3.get(key) or [None] * 7
        return [v.cell(T.table3_cell(key, i), vals[i]) for i in range(7)] + v.extra(f"table3.{key}")

    single = c.other_single
    outcome_rows = [r for r in T.TABLE3_ROWS[T.ROW_FIRST_OUTCOME : T.ROW_TOTAL + 1] if not (single and r.group == "other")]
    outcome_span = len(outcome_rows) + (1 if single else 0)
    group_sizes = {g: sum(1 for r in T.TABLE3_ROWS if r.group == g) for g in T.TABLE3_GROUPS}
    seen: dict[str, int] = {}
    first_outcome = True
    for row in T.TABLE3_ROWS:
        if row.key in ("new", "carried_over", "carried_forward"):
            rows.append([Cell(row.labels[0], colspan=3)] + values(row.key))
            continue
        if single and row.group == "other":
            if row.key == T.OTHER_ROWS[0]:
                rows.append([Cell(T.TABLE3_GROUPS["other"][0], colspan=2)] + values(T.OTHER_SINGLE))
            continue
        lead = [Cell(T.TABLE3_OUTCOME_HEADING[0], rowspan=outcome_span)] if first_outcome else []
        first_outcome = False
        if row.group is None:  # (一) (二) (七)
            rows.append(lead + [Cell(row.labels[0], colspan=2)] + values(row.key))
            continue
        seen[row.group] = seen.get(row.group, 0) + 1
        group = [Cell(T.TABLE3_GROUPS[row.group][0], rowspan=group_sizes[row.group])] if seen[row.group] == 1 else []
        rows.append(lead + group + [Cell(_printed_label(row, seen[row.group]))] + values(row.key))
    return rows


def table4_grid(c: ReportContent) -> Grid:
    v = _Values(c)
    words = T.TABLE4_HEADER_WORDS  # 行政复议 行政诉讼 未经复议直接起诉 复议后起诉 结果维持 ...
    col_labels = [T.TABLE4_COLUMN_LABELS[k] for k in T.TABLE4_COLUMNS]
    rows: Grid = [
        [Cell(words[0], colspan=5, header=True), Cell(words[1], colspan=10, header=True)],
        [Cell(x, rowspan=2, header=True) for x in col_labels] + [Cell(words[2], colspan=5, header=True), Cell(words[3], colspan=5, header=True)],
        [Cell(x, header=True) for x in col_labels * 2],
    ]
    vals = []
    for g in T.TABLE4_GROUPS:
        for col in T.TABLE4_COLUMNS:
            vals.append(v.cell(f"table4.{g}.{col}", (c.table4.get(g) or {}).get(col)))
    rows.append(vals + v.extra("table4"))
    return rows


def dense(grid: Grid) -> list[list[str]]:
    """The grid with merged cells expanded: text at the top-left position, "" where it is covered."""
    out: list[list[str]] = []
    taken: dict[tuple[int, int], bool] = {}
    for r, row in enumerate(grid):
        line: list[str] = []
        col = 0
        for cell in row:
            while taken.get((r, col)):
                line.append("")
                col += 1
            line.append(cell.text)
            line.extend([""] * (cell.colspan - 1))
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken[(r + dr, col + dc)] = True
            col += cell.colspan
        while taken.get((r, col)):
            line.append("")
            col += 1
        out.append(line)
    return out


# ---------------------------------------------------------------------------------------------
# The document as blocks
# ---------------------------------------------------------------------------------------------


def _date_cn(iso: str) -> str:
    y, m, d = (int(x) for x in iso.split("-"))
    return f"{y}年{m}月{d}日"


def blocks(c: ReportContent) -> Iterator[tuple[str, Any]]:
    """The report in reading order: ("title"|"heading"|"para"|"table"|"signature", payload)."""
    yield "title", c.title
    for p in _paras(c.preface):
        yield "para", p
    tables = {2: table2_2019_grid(c) if c.table2_2019 is not None else table2_grid(c), 3: table3_grid(c), 4: table4_grid(c)}
    for sec in T.SECTIONS:
        yield "heading", f"{sec.numeral}、{sec.title}"
        for p in _paras(c.sections.get(sec.number, "")):
            yield "para", p
        if sec.number in tables:
            yield "table", tables[sec.number]
    if c.signature:
        yield "signature", c.signature
    if c.signature_date:
        yield "signature", _date_cn(c.signature_date)


def _paras(text: str) -> list[str]:
    return [p.strip() for p in (text or "").split("\n") if p.strip()]
