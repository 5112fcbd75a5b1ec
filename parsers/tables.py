"""Place the values of tables 2, 3 and 4 into the template's cells.

Reads the normalised text (tables as delimited rows or as PDF text), finds each row by its
label in template order, and hands rows with the wrong number of values to parsers.align,
which uses the template's sums to decide where printed values belong. Values are never
changed: a table that does not add up comes out exactly as printed, for the rules to flag.
"""
from __future__ import annotations

import re

from . import align
from . import template as T
from .model import Report, empty_tables
from .normalize import label_key
from .tokens import Pair, Tok, pairs, tokenize

# ---------------------------------------------------------------------------------------------
# Regions
# ---------------------------------------------------------------------------------------------

_T3_START = [label_key(x) for x in ("勾稽关系", "申请人情况", "本年新收政府信息公开申请数量")]
_T4_START = ("行政复议",)


def _region(report: Report, number: int, start_words: tuple[str, ...], end_words: tuple[str, ...]) -> str:
    """The text of section ``number``; when the heading is missing, search by the table's words."""
    if number in report.sections:
        return report.sections[number].text
    text = report.text
    start = min((i for i in (text.find(w) for w in start_words) if i >= 0), default=-1)
    if start < 0:
        return ""
    ends = [i for i in (text.find(w, start + 1) for w in end_words) if i > start]
    return text[start : min(ends) if ends else len(text)]


# ---------------------------------------------------------------------------------------------
# Row matching
# ---------------------------------------------------------------------------------------------


def _variants(labels: tuple[str, ...]) -> list[str]:
    """A row's label keys, longest first, then the opening of its longest label: PDF text can
    cut a wrapped label and print the rest after the values (要求行政机关确认或重新出 … 具已获取信息)."""
    keys = sorted({label_key(x) for x in labels}, key=len, reverse=True)
    full = re.sub(r"^(?:[一二三四五六七八九十]+\.|（[一二三四五六七八九十]+）|\d+\.)", "", keys[0])
    if len(full) >= 10:
        keys.append(full[: min(10, max(6, (len(full) + 1) // 2))])
    return keys


_T3_VARIANTS = [(_r.key, _variants(_r.labels)) for _r in T.TABLE3_ROWS]
_T3_OTHER_GROUP = _variants(T.TABLE3_GROUPS["other"])
_T2_VARIANTS = [(_r, _variants(_r.labels)) for _r in T.TABLE2_ROWS]


def _find_rows(blob: str, variants: list[tuple[object, list[str]]], start: int) -> list[int]:
    """Indices (≥ start) of template rows whose label occurs in ``blob``, in order of occurrence."""
    found: list[int] = []
    cursor = 0
    for i in range(start, len(variants)):
        _, keys = variants[i]
        hit = -1
        for k in keys:
            pos = blob.find(k, cursor)
            if pos >= 0:
                hit = pos + len(k)
                break
        if hit >= 0:
            found.append(i)
            cursor = hit
    return found


def _values_of(p: Pair) -> list[tuple[str, str]]:
    return [(t.kind, t.text) for t in p.values]


# ---------------------------------------------------------------------------------------------
# Table 2
# ---------------------------------------------------------------------------------------------

_T2_STRIP = tuple(T.TABLE2_HEADER_WORDS) + tuple(T.TABLE2_ITEM_HEADINGS)


def _place_table2(report: Report, region: str) -> bool:
    if any(m in region for m in T.TABLE2_2019_MARKERS):
        report.format = report.format or T.FORMAT_2019
        return _place_table2_2019(report, region)
    ps = pairs(tokenize(region, _T2_STRIP))
    rows: dict[str, list[tuple[str, str]]] = {}
    pos = 0
    pending: list[int] = []
    orphan: list[tuple[str, str]] | None = None  # values printed before any label claimed them
    for p in ps:
        idx = _find_rows(p.label, _T2_VARIANTS, pos)  # type: ignore[arg-type]
        # a blob ending in a label takes the values after it; earlier labels in it had none
        if idx:
            pending = idx
            pos = idx[-1] + 1
            if not p.values and orphan is not None and len(idx) == 1:
                rows[T.TABLE2_ROWS[idx[0]].key] = orphan  # PDF text put the value before its label
                orphan, pending = None, []
                continue
        elif p.values and not pending:
            orphan = _values_of(p)
            continue
        if p.values and pending:
            vals = _values_of(p)
            nums = [v for v in vals if v[0] not in ("W", "E")]
            widths = [max(1, len(T.TABLE2_ROWS[i].columns)) for i in pending]
            if len(pending) > 1 and len(nums) == sum(widths):
                at = 0
                for i, w in zip(pending, widths):
                    rows[T.TABLE2_ROWS[i].key] = nums[at : at + w]
                    at += w
            else:
                for i in pending[:-1]:
                    rows.setdefault(T.TABLE2_ROWS[i].key, [])
                rows[T.TABLE2_ROWS[pending[-1]].key] = vals
            pending = []
    if not rows:
        return False
    for row in T.TABLE2_ROWS:
        printed = rows.get(row.key)
        width = max(1, len(row.columns))
        paths = [f"table2.{row.key}.{c}" for c in row.columns] or [f"table2.{row.key}"]
        if printed is None:
            report.note("parse_uncertain", f"table 2 row {row.labels[0]} not found", paths)
            continue
        if row.decimal:
            nums = [v for v in printed if v[0] not in ("W", "E")]
            if len(nums) >= 1 and nums[0][0] == "N":
                report.set_cell(paths[0], nums[0][1].replace(",", ""))
                if len(nums) > 1:
                    report.note("cells_dropped", f"table 2 {row.labels[0]}: extra values {nums[1:]} ignored", paths)
            elif nums and nums[0][0] == "B":
                _blank(report, paths[0])
            else:
                report.note("parse_uncertain", f"table 2 {row.labels[0]}: no value printed", paths)
            continue
        cands = align.row_candidates(printed, width)
        best = min(cands, key=lambda c: c.cost)
        agree = [len({c.slots[i] for c in cands if c.cost == best.cost}) == 1 for i in range(width)]
        for i, path in enumerate(paths):
            s = best.slots[i]
            if not agree[i] or s == align.MISSING:
                report.note("parse_uncertain", f"table 2 {row.labels[0]}: {len(printed)} values for {width} cells", [path])
            elif s == align.BLANK:
                _blank(report, path)
            else:
                report.set_cell(path, s)
    return True


def _place_table2_2019(report: Report, region: str) -> bool:
    strip = _T2_STRIP + T.TABLE2_2019_MARKERS + ("本年增/减", "本年增减", "处理决定数量", "采购总金额", "项目数量")
    ps = pairs(tokenize(region, strip))
    variants = [(r, _variants(r.labels)) for r in T.TABLE2_2019_ROWS]
    out: dict = {}
    pos = 0
    for p in ps:
        idx = _find_rows(p.label, variants, pos)  # type: ignore[arg-type]
        if idx and p.values:
            row = T.TABLE2_2019_ROWS[idx[-1]]
            nums = [int(t.text) if re.fullmatch(r"[-−]?\d+", t.text) else t.text for t in p.values if t.kind == "N"]
            out[row.key] = {c: (nums[i] if i < len(nums) else None) for i, c in enumerate(row.columns)}
            pos = idx[-1] + 1
    report.table2_2019 = out or None
    return bool(out)


# ---------------------------------------------------------------------------------------------
# Table 3
# ---------------------------------------------------------------------------------------------

_T3_STRIP = tuple(T.TABLE3_HEADER_WORDS)


def _t3_violations(single_other: bool):
    keys = T.TABLE3_ROW_KEYS
    outcome_rows = [k for k in T.OUTCOME_ROWS if not (single_other and k in T.OTHER_ROWS)]
    if single_other:
        outcome_rows.append(T.OTHER_SINGLE)

    def v(table: dict[str, tuple]) -> int:
        bad = 0
        num = {k: [align.numeric(s) for s in slots] for k, slots in table.items()}
        for k, vals in num.items():
            if None not in vals and sum(vals[:6]) != vals[6]:
                bad += 1
        for c in range(7):
            col = {k: num[k][c] for k in num}
            outs = [col.get(k) for k in outcome_rows]
            tot = col.get("outcome_total")
            if tot is not None and None not in outs and len(outs) == len(outcome_rows):
                bad += sum(outs) != tot  # type: ignore[arg-type]
            a, b, f = col.get("new"), col.get("carried_over"), col.get("carried_forward")
            if None not in (a, b, tot, f):
                bad += a + b != tot + f  # type: ignore[operator]
        return bad

    return v


_TOTAL_LABEL = re.compile(r"(?:（七）|七\.)?(?:总计|合计)")


def _assign_rows(ps: list[Pair]) -> tuple[dict[str, Pair], bool]:
    """Map table-3 rows to their printed values; also says whether (六) is printed as one row."""
    assigned: dict[str, Pair] = {}
    pos = 0
    pending: list[str] = []
    single_other = False
    other_first = T.ROW_INDEX["other.no_correction"]
    other_last = T.ROW_INDEX["other.other"]
    total_row = T.ROW_INDEX["outcome_total"]
    for p in ps:
        idx = _find_rows(p.label, _T3_VARIANTS, pos)  # type: ignore[arg-type]
        if idx:
            pending = [T.TABLE3_ROW_KEYS[i] for i in idx]
            pos = idx[-1] + 1
        elif other_first < pos <= other_last and p.label in ("其他", "其他情形") and p.values:
            pending = ["other.other"]  # "3.其他" printed without its list number
            pos = other_last + 1
        elif other_first < pos <= total_row and _TOTAL_LABEL.fullmatch(p.label) and p.values:
            pending = ["outcome_total"]  # "（七）合计", "七、总计", or 总计 alone after the outcome rows
            pos = total_row + 1
        elif pos <= other_first and any(k in p.label for k in _T3_OTHER_GROUP) and any(t.kind == "N" for t in p.values):
            # (a group heading printed with "—" in every cell is a heading, not the single (六) row)
            pending = [T.OTHER_SINGLE]
            single_other = True
            pos = T.ROW_INDEX["other.other"] + 1
        if not p.values or not pending:
            if not p.values and idx and p.trailing_empty >= 6 and len(pending) == 1:
                assigned[pending[0]] = p  # a row printed with every cell empty
            continue
        nums = [t for t in p.values if t.kind not in ("W", "E")]
        if len(pending) > 1 and len(nums) == 7 * len(pending):
            for j, key in enumerate(pending):
                assigned[key] = Pair(p.label, nums[7 * j : 7 * j + 7], 0, p.line)
        else:
            assigned[pending[-1]] = p
        pending = []
    return assigned, single_other


def _header_order(region: str) -> list[int] | None:
    """Column order from a delimited header whose cells name the columns in another order.

    Only grid-like headers (one column label per cell) are trusted: PDF text interleaves
    header words across lines (seed 002 prints 总计 before 商业企业 with values in template order).
    """
    cells_at: dict[int, int] = {}
    for line in region.splitlines()[:12]:
        if "\t" not in line and line.count("|") < 2:
            continue
        cells = [label_key(c) for c in re.split(r"\t|\|", line)]
        for pos, cell in enumerate(cells):
            for ci, col in enumerate(T.TABLE3_COLUMNS):
                if any(cell == label_key(v) for v in T.TABLE3_COLUMN_LABELS[col]):
                    cells_at.setdefault(ci, pos)
        if any(label_key(v) in label_key(line) for r in T.TABLE3_ROWS[:1] for v in r.labels):
            break
    if len(cells_at) != 7:
        return None
    order = sorted(range(7), key=lambda ci: cells_at[ci])  # printed position -> template column
    return None if order == list(range(7)) else order


def _reorder_columns(report: Report, table3: dict[str, list], region: str) -> dict[str, list]:
    """Put columns printed out of order back, when the header or the row sums say so."""
    def row_breaks(t: dict[str, list]) -> int:
        return sum(1 for v in t.values() if None not in v and sum(v[:6]) != v[6])

    options: list[tuple[str, list[int]]] = []
    header = _header_order(region)
    if header:
        options.append(("header", header))
    for j in range(6):  # the 总计 column printed at position j
        order = list(range(7))
        order.insert(j, order.pop(6))
        options.append((f"总计 printed as column {j + 1}", order))
    base = row_breaks(table3)
    best = None
    for why, order in options:
        # order[p] = template column of printed position p
        t = {k: [None] * 7 for k in table3}
        for k, v in table3.items():
            for p, ci in enumerate(order):
                t[k][ci] = v[p]
        breaks = row_breaks(t)
        nonzero_rows = sum(1 for v in t.values() if any(x for x in v if x))
        if (why == "header" and breaks <= base) or (breaks < base and breaks == 0 and nonzero_rows >= 2):
            if best is None or breaks < best[0]:
                best = (breaks, why, t)
    if best is None:
        return table3
    report.note("columns_reordered", f"table 3 columns printed out of template order ({best[1]}); placed by {('the header' if best[1] == 'header' else 'the row sums')}", [])
    return best[2]


def _values_before_labels(ps: list[Pair]) -> list[Pair]:
    """The same runs read the other way round: each label takes the values printed before it
    (PDF text layers that draw a row's cells before its vertically centred label)."""
    out = []
    for i, p in enumerate(ps):
        prev = ps[i - 1].values if i else []
        out.append(Pair(p.label, list(prev), 0, p.line))
    if ps and ps[-1].values:
        out.append(Pair("", list(ps[-1].values), 0, ps[-1].line))
    return out


def _quality(r: Report) -> tuple[int, int]:
    """How well a reading placed table 3: cells left unknown, then sums broken."""
    unknown = sum(1 for v in r.table3.values() for x in v if x is None) - len(r.blank_cells)
    single = T.OTHER_SINGLE in r.table3
    table = {k: tuple(align.UNKNOWN if x is None else x for x in v) for k, v in r.table3.items() if not (single and k in T.OTHER_ROWS)}
    return unknown, _t3_violations(single)(table)


def _place_table3(report: Report, region: str) -> bool:
    """Read table 3 as values-after-labels (the usual order) and, when that leaves cells
    unknown, as values-before-labels; keep the reading that places more cells."""
    ps = pairs(tokenize(region, _T3_STRIP))
    first = Report()
    if not _place_table3_pairs(first, ps, region):
        return False
    best = first
    if _quality(first)[0] > 0:
        second = Report()
        if _place_table3_pairs(second, _values_before_labels(ps), region) and _quality(second) < _quality(first):
            second.note("values_before_labels", "table 3 read with each row's values printed before its label")
            best = second
    report.table3 = best.table3
    report.blank_cells += best.blank_cells
    report.uncertain_cells += [c for c in best.uncertain_cells if c not in report.uncertain_cells]
    report.parse_notes += best.parse_notes
    return True


def _place_table3_pairs(report: Report, ps: list[Pair], region: str) -> bool:
    assigned, single_other = _assign_rows(ps)
    if len(assigned) < 3:
        return False
    keys = list(T.TABLE3_ROW_KEYS)
    if single_other:
        keys = [k for k in keys if k not in T.OTHER_ROWS]
        keys.insert(keys.index("outcome_total"), T.OTHER_SINGLE)
        report.note("other_single_row", "table 3 prints （六）其他处理 as one row (2019 trial format layout)", [])
    fixed: dict[str, tuple] = {}
    cands: dict[str, list[align.Candidate]] = {}
    for k in keys:
        p = assigned.get(k)
        if p is None:
            cands[k] = [align.Candidate(tuple([align.UNKNOWN] * 7), 7, "row not found")]
            continue
        if not p.values and p.trailing_empty >= 6:
            fixed[k] = tuple([align.BLANK] * 7)
            continue
        cs = align.row_candidates(_values_of(p), 7)
        if len(cs) == 1 and cs[0].cost == 0:
            fixed[k] = cs[0].slots
        else:
            cands[k] = cs
    solved, disagree, chosen = align.solve(fixed, cands, _t3_violations(single_other))
    violations = _t3_violations(single_other)
    table3: dict[str, list] = {}
    for k in keys:
        slots = solved[k]
        row_vals: list = []
        for c, s in enumerate(slots):
            path = T.table3_cell(k, c)
            if k in disagree and c in disagree[k]:
                row_vals.append(None)
                report.note("parse_uncertain", f"table 3 {k}: the printed values fit more than one column arrangement", [path])
            elif s == align.BLANK:
                row_vals.append(None)
                _blank(report, path)
            elif s == align.MISSING:
                row_vals.append(None)
            elif s == align.UNKNOWN:
                row_vals.append(None)
                if not (k in chosen and chosen[k].note == "row not found"):
                    report.note("parse_uncertain", f"table 3 {k}: {chosen[k].note if k in chosen else 'cannot place'}", [path])
            else:
                row_vals.append(s)
        table3[k] = row_vals
        if k in chosen and chosen[k].cost and chosen[k].note != "row not found":
            # a realigned row is trusted only if it adds up once placed: the sum is the evidence
            nums = [align.numeric(s) for s in slots]
            if None not in nums and sum(nums[:6]) != nums[6]:  # type: ignore[arg-type]
                paths = [T.table3_cell(k, c) for c in range(7)]
                table3[k] = [None] * 7
                report.note("parse_uncertain", f"table 3 {k}: printed with {chosen[k].note}; no placement makes the row add up", paths)
                continue
        if k in chosen and chosen[k].cost:
            cand = chosen[k]
            missing = [c for c, s in enumerate(slots) if s == align.MISSING and not (k in disagree and c in disagree[k])]
            if cand.note.startswith("row not found"):
                report.note("parse_uncertain", f"table 3 row {k} not found", [T.table3_cell(k, c) for c in range(7)])
                continue
            # a missing cell is a dropped zero only if its row adds up with 0 there
            nums = [align.numeric(s) for s in slots]
            row_ok = None not in nums and sum(nums[:6]) == nums[6]  # type: ignore[arg-type]
            table_bad = violations(solved)
            for c in missing:
                path = T.table3_cell(k, c)
                if row_ok:
                    table3[k][c] = 0
                    report.note("cell_inferred", f"table 3 {k}: a cell is missing in the source; 0 placed where the row and column sums require it", [path])
                else:
                    report.note("parse_uncertain", f"table 3 {k}: a cell is missing in the source and the sums do not say which", [path])
            if "dropped" in cand.note or "split" in cand.note:
                report.note("cells_realigned", f"table 3 {k}: {cand.note} (sums broken after placement: {table_bad})", [T.table3_cell(k, c) for c in range(7)])
    table3 = _reorder_columns(report, table3, region)
    if single_other:
        report.table3 = {k: v for k, v in table3.items() if k != T.OTHER_SINGLE}
        report.table3[T.OTHER_SINGLE] = table3[T.OTHER_SINGLE]
        for k in T.OTHER_ROWS:
            report.table3[k] = [None] * 7
        # keep template order in the JSON
        report.table3 = {k: report.table3[k] for k in list(T.TABLE3_ROW_KEYS) + [T.OTHER_SINGLE]}
    else:
        report.table3 = {k: table3[k] for k in T.TABLE3_ROW_KEYS}
    return True


# ---------------------------------------------------------------------------------------------
# Table 4
# ---------------------------------------------------------------------------------------------


def _t4_violations(table: dict[str, tuple]) -> int:
    slots = table["t4"]
    bad = 0
    for g in range(3):
        vals = [align.numeric(s) for s in slots[5 * g : 5 * g + 5]]
        if None not in vals and sum(vals[:4]) != vals[4]:  # type: ignore[arg-type]
            bad += 1
    return bad


_T4_STRIP = tuple(sorted(T.TABLE4_HEADER_WORDS, key=len, reverse=True))


_T4_COL_KEYS = [label_key(T.TABLE4_COLUMN_LABELS[c]) for c in T.TABLE4_COLUMNS]


def _transposed_table4(region: str) -> list[tuple[str, str]] | None:
    """Table 4 printed five rows by three columns (结果维持 … 总计 down the side, 行政复议 /
    未经复议直接起诉 / 复议后起诉 across): its values in template order, or None."""
    by_col: dict[int, list[tuple[str, str]]] = {}
    for line in region.splitlines():
        toks = tokenize(line, ())
        label = label_key("".join(t.text for t in toks if t.kind == "L"))
        vals = [(t.kind, t.text) for t in toks if t.kind in ("N", "B")]
        col = next((i for i, k in enumerate(_T4_COL_KEYS) if label.endswith(k) or label == k), None)
        if col is None or len(vals) != 3:
            continue
        if col in by_col:
            return None
        by_col[col] = vals
    if len(by_col) != 5:
        return None
    return [by_col[c][g] for g in range(3) for c in range(5)]


def _place_table4(report: Report, region: str) -> bool:
    # cut prose before the table: start at the first header word
    start = region.find("行政复议")
    lines = region[start:] if start >= 0 else region
    transposed = _transposed_table4(lines)
    if transposed is not None:
        report.note("table4_transposed", "table 4 printed with the results down the side and 复议/诉讼 across; read by column")
        return _place_table4_values(report, transposed)
    toks = tokenize(lines, ())
    # keep only value tokens that come after the header (labels are headers here)
    values = [t for t in toks if t.kind in ("N", "B", "W", "E")]
    # empties only count on a line holding values
    by_line: dict[int, list[Tok]] = {}
    for t in values:
        by_line.setdefault(t.line, []).append(t)
    printed: list[tuple[str, str]] = []
    for line in sorted(by_line):
        ts = by_line[line]
        if all(t.kind in ("W", "E") for t in ts):
            continue
        printed.extend((t.kind, t.text) for t in ts)
    if not printed:
        return False
    return _place_table4_values(report, printed)


def _place_table4_values(report: Report, printed: list[tuple[str, str]]) -> bool:
    cands = align.row_candidates(printed, 15)
    solved, disagree, chosen = align.solve({}, {"t4": cands}, _t4_violations)
    slots = solved["t4"]
    dis = disagree.get("t4", set())
    cells = T.table4_cells()
    report.table4 = {g: {} for g in T.TABLE4_GROUPS}
    for i, path in enumerate(cells):
        s = slots[i]
        _, g, c = path.split(".")
        if i in dis or s in (align.MISSING, align.UNKNOWN):
            report.table4[g][c] = None
            report.note("parse_uncertain", f"table 4: {len(printed)} values for 15 cells; this cell cannot be placed", [path])
        elif s == align.BLANK:
            report.table4[g][c] = None
            _blank(report, path)
        else:
            report.table4[g][c] = s
    cand = chosen.get("t4")
    if cand and cand.cost:
        for g, group in enumerate(T.TABLE4_GROUPS):
            nums = [align.numeric(s) for s in slots[5 * g : 5 * g + 5]]
            if None not in nums and sum(nums[:4]) != nums[4]:  # type: ignore[arg-type]
                paths = cells[5 * g : 5 * g + 5]
                for path in paths:
                    report.table4[group][path.split(".")[2]] = None
                report.note("parse_uncertain", f"table 4 {group}: printed with {cand.note}; no placement makes the group add up", paths)
    if cand and cand.cost and "dropped" in cand.note:
        report.note("cells_realigned", f"table 4: {cand.note}", cells)
    return True


# ---------------------------------------------------------------------------------------------


def _blank(report: Report, path: str) -> None:
    report.set_cell(path, None)
    if path not in report.blank_cells:
        report.blank_cells.append(path)


def place_tables(report: Report) -> None:
    report.table2, report.table3, report.table4 = empty_tables()
    r2 = _region(report, 2, ("第二十条",), ("申请人情况", "勾稽关系", "本年新收"))
    r3 = _region(report, 3, ("勾稽关系", "申请人情况", "本年新收"), ("行政复议", "结果维持"))
    r4 = _region(report, 4, ("行政复议",), ("存在的主要问题", "五、"))
    # a report whose section 三 heading is missing but whose table 3 sits in section 二
    if 3 not in report.sections and r2 and "本年新收" in r2:
        cut = min(i for i in (r2.find(w) for w in ("勾稽关系", "申请人情况", "本年新收")) if i >= 0)
        r3 = r3 or r2[cut:]
        r2 = r2[:cut]
    for number, placer, region in ((2, _place_table2, r2), (3, _place_table3, r3), (4, _place_table4, r4)):
        if placer(report, region):
            report.tables_found.append(number)
        else:
            report.note("table_not_found", f"table {number} not found in the text (absent, or printed as an image)")
    if report.format is None and report.tables_found:
        report.format = T.FORMAT_2021
