"""The template's hard rules on tables 2–4 (STATUTORY_FORMAT.md §4: T3-BAL, T3-TOT, T3-ROW,
T4-SUM, CELLS). A sum with an unknown or blank cell in it is not evaluated: blanks are
reported as blanks, never as arithmetic errors."""
from __future__ import annotations

from typing import Any

from parsers import template as T

from .context import Context, table3_outcome_rows
from .finding import Finding
from .text import flatten, full_text


def _count(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and v >= 0


def _col_name(col: int) -> str:
    return T.TABLE3_COLUMN_LABELS[T.TABLE3_COLUMNS[col]][0]


def _row_short(row: str) -> str:
    if row == T.OTHER_SINGLE:
        return T.TABLE3_GROUPS["other"][0]
    return next(r.short for r in T.TABLE3_ROWS if r.key == row)


def _values(ctx: Context, paths: list[str]) -> list[int] | None:
    """The values of ``paths`` when every one is a usable count, else None (not evaluated)."""
    out = []
    for p in paths:
        if p in ctx.blank:
            return None
        v = ctx.value(p)
        if not _count(v):
            return None
        out.append(v)
    return out


def _sum_rule(ctx: Context, check_id: str, parts: list[str], total: str, where: str, what: str,
              total_name: str = "") -> Finding | None:
    vals = _values(ctx, parts + [total])
    if vals is None:
        return None
    s, t = sum(vals[:-1]), vals[-1]
    if s == t:
        return None
    return ctx.finding(
        "table_arithmetic", check_id,
        f"{where}：{what}之和为 {s}，{total_name}填报为 {t}",
        f"{check_id}: sum of {len(parts)} cells is {s} but {total} is {t}",
        cells=parts + [total], expected=s, actual=t,
    )


def t3_balance(ctx: Context) -> list[Finding]:
    """T3-BAL: 一 + 二 == （七）总计 + 四, in every column (the template's printed 勾稽关系)."""
    out = []
    for c in range(7):
        left = [T.table3_cell("new", c), T.table3_cell("carried_over", c)]
        right = [T.table3_cell("outcome_total", c), T.table3_cell("carried_forward", c)]
        vals = _values(ctx, left + right)
        if vals is None or vals[0] + vals[1] == vals[2] + vals[3]:
            continue
        a, b = vals[0] + vals[1], vals[2] + vals[3]
        out.append(ctx.finding(
            "table_arithmetic", "T3-BAL",
            f"表三 {_col_name(c)}列 勾稽关系不成立：{_row_short('new')} {vals[0]} + {_row_short('carried_over')} {vals[1]} = {a}，"
            f"{_row_short('outcome_total')} {vals[2]} + {_row_short('carried_forward')} {vals[3]} = {b}",
            f"T3-BAL column {c}: new + carried over = {a}, outcome total + carried forward = {b}",
            cells=left + right, expected=a, actual=b,
        ))
    return out


def t3_total(ctx: Context) -> list[Finding]:
    """T3-TOT: （七）总计 is the sum of the outcome rows, in every column."""
    rows = table3_outcome_rows(ctx)
    out = []
    for c in range(7):
        f = _sum_rule(ctx, "T3-TOT", [T.table3_cell(r, c) for r in rows], T.table3_cell("outcome_total", c),
                      f"表三 第（七）项总计 {_col_name(c)}列", "各分项")
        if f:
            out.append(f)
    return out


def t3_row(ctx: Context) -> list[Finding]:
    """T3-ROW: the 总计 column is the sum of the six applicant columns, in every row."""
    rows = [r for r in T.TABLE3_ROW_KEYS if r in ctx.report.table3]
    if ctx.uses_other_single:
        rows = [r for r in rows if r not in T.OTHER_ROWS] + [T.OTHER_SINGLE]
    out = []
    for r in rows:
        f = _sum_rule(ctx, "T3-ROW", [T.table3_cell(r, c) for c in range(6)], T.table3_cell(r, 6),
                      f"表三 {_row_short(r)} 行", "各类申请人", f"{T.TABLE3_COLUMN_LABELS['total'][0]}列")
        if f:
            out.append(f)
    return out


def t4_sum(ctx: Context) -> list[Finding]:
    """T4-SUM: 维持 + 纠正 + 其他 + 尚未审结 == 总计, in each of the three groups."""
    out = []
    for g in T.TABLE4_GROUPS:
        parts = [f"table4.{g}.{c}" for c in T.TABLE4_COLUMNS[:4]]
        f = _sum_rule(ctx, "T4-SUM", parts, f"table4.{g}.total", f"表四 {T.TABLE4_GROUP_LABELS[g]}", "、".join(T.TABLE4_COLUMN_LABELS[c] for c in T.TABLE4_COLUMNS[:4]),
                     T.TABLE4_COLUMN_LABELS["total"])
        if f:
            out.append(f)
    return out


# -- CELLS ---------------------------------------------------------------------------------------

TABLE_NAMES = {2: "表二（主动公开）", 3: "表三（依申请公开）", 4: "表四（行政复议、行政诉讼）"}


def table_cells(ctx: Context, n: int) -> list[str]:
    if n == 2:
        return T.table2_cells()
    if n == 3:
        rows = [r for r in T.TABLE3_ROW_KEYS if not (ctx.uses_other_single and r in T.OTHER_ROWS)]
        if ctx.uses_other_single:
            rows.append(T.OTHER_SINGLE)
        return [T.table3_cell(r, c) for r in rows for c in range(7)]
    return T.table4_cells()


def _table_missing(ctx: Context, n: int) -> bool:
    if n == 2 and ctx.report.table2_2019:
        return not any(v is not None for row in ctx.report.table2_2019.values() for v in (row.values() if isinstance(row, dict) else [row]))
    cells = table_cells(ctx, n)
    if any(ctx.value(p) is not None for p in cells):
        return False
    return not all(p in ctx.blank for p in cells)  # a table printed with every cell blank is present


def _table_markers(n: int) -> tuple[str, ...]:
    if n == 2:
        return T.TABLE2_HEADER_WORDS[1:]
    if n == 3:
        keys = ("new", "carried_over", "carried_forward")
        return tuple(r.labels[1] for r in T.TABLE3_ROWS if r.key in keys) + T.TABLE3_HEADER_WORDS[:1]
    return tuple(T.TABLE4_COLUMN_LABELS[c] for c in T.TABLE4_COLUMNS[:4])


def _labels_in_text(ctx: Context, n: int) -> list[str]:
    text = flatten(full_text(ctx.report)).text
    return [m for m in _table_markers(n) if flatten(m).text in text]


def cells_rule(ctx: Context) -> list[Finding]:
    """CELLS: every statutory table is there, no cell is blank, every count is a count."""
    out: list[Finding] = []
    blank: list[str] = []
    invalid: list[str] = []
    for n in (2, 3, 4):
        if _table_missing(ctx, n):
            uncertain = [p for p in table_cells(ctx, n) if p in ctx.report.uncertain_cells]
            seen = _labels_in_text(ctx, n)
            if len(seen) >= 2:  # the table is there in words: our reading failed, not the agency
                out.append(ctx.finding(
                    "parse_uncertain", "CELLS",
                    f"（运维）{TABLE_NAMES[n]}的表头在正文中（{'、'.join(seen[:3])}），但未能读出数值",
                    f"table {n} labels found in the text ({', '.join(seen[:3])}) but no value was placed",
                    cells=uncertain, evidence={"labels_found": seen},
                ))
                continue
            out.append(ctx.finding(
                "missing_table", "CELLS",
                f"{TABLE_NAMES[n]}缺失：报告中未找到该统计表（或仅以图片形式提供）",
                f"table {n} is absent or has no readable value",
                cells=uncertain, expected=f"table {n}", actual=None,
            ))
            continue
        for p in table_cells(ctx, n):
            v = ctx.value(p)
            if p in ctx.blank:
                blank.append(p)
            elif v is None:
                continue  # unknown, not blank: the parser says so in its notes (health)
            elif n == 2 and p == "table2.fees_wan_yuan":
                continue  # an amount, kept as a decimal
            elif not _count(v) and not (n == 2 and isinstance(v, (int, float, str))):
                invalid.append(p)
    if blank:
        labels = "、".join(T.cell_label(p) for p in blank[:8]) + (f" 等 {len(blank)} 个单元格" if len(blank) > 8 else "")
        out.append(ctx.finding(
            "blank_cells", "CELLS",
            f"统计表有空白单元格（空白、“/”或“—”不等于 0）：{labels}",
            f"{len(blank)} cells are blank: " + ", ".join(blank[:20]),
            cells=blank, expected="a count in every cell", actual="blank",
        ))
    if invalid:
        out.append(ctx.finding(
            "blank_cells", "CELLS",
            "统计表单元格填报的不是非负整数：" + "、".join(f"{T.cell_label(p)}（{ctx.value(p)}）" for p in invalid[:8]),
            f"{len(invalid)} cells hold something other than a non-negative integer",
            cells=invalid, expected="non-negative integer", actual=[ctx.value(p) for p in invalid],
        ))
    return out
