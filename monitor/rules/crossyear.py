"""Rules across two years of the same agency (STATUTORY_FORMAT.md §4): X-CARRY, X-INFORCE,
X-SIMILAR. Not evaluated when last year's report is unknown or is not the year before."""
from __future__ import annotations

import difflib
import re

from monitor.settings import get_settings
from parsers import template as T

from .context import Context, safe_cell
from .finding import PREVIOUS, Finding
from .text import flatten, section_flat


def _previous(ctx: Context):
    prev = ctx.previous
    if prev is None or prev.status != "ok":
        return None
    if ctx.report.year is not None and prev.year is not None and prev.year != ctx.report.year - 1:
        return None
    a, b = (re.sub(r"\s+", "", x or "") for x in (ctx.report.agency, prev.agency))
    if a and b and a not in b and b not in a:
        return None  # not the same agency (洪泽区人民政府 and 淮安市洪泽区人民政府 are)
    return prev


def _count(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and v >= 0


def carryover_rule(ctx: Context) -> list[Finding]:
    """X-CARRY: this year's 上年结转 equals last year's 结转下年度继续办理, in every column."""
    prev = _previous(ctx)
    if prev is None:
        return []
    out = []
    for c in range(7):
        this_path, prev_path = T.table3_cell("carried_over", c), T.table3_cell("carried_forward", c)
        a, b = ctx.value(this_path), safe_cell(prev, prev_path)
        if this_path in ctx.blank or prev_path in prev.blank_cells or not (_count(a) and _count(b)) or a == b:
            continue
        out.append(ctx.finding(
            "cross_year_carryover", "X-CARRY",
            f"本年{T.cell_label(this_path)}填报 {a}，但{prev.year or '上'}年度报告{T.cell_label(prev_path)}为 {b}，两者应相等",
            f"X-CARRY column {c}: carried over {a} this year, carried forward {b} last year",
            cells=[this_path, PREVIOUS + prev_path], expected=b, actual=a,
            evidence={"previous_source": {k: (prev.source or {}).get(k) for k in ("url", "sha256", "name")},
                      "previous_year": prev.year},
        ))
    return out


def in_force_rule(ctx: Context) -> list[Finding]:
    """X-INFORCE (soft): in force = last year's in force + issued − repealed (规章, 规范性文件)."""
    prev = _previous(ctx)
    if prev is None or ctx.report.table2_2019 or prev.table2_2019:
        return []
    out = []
    for key in ("regulations", "normative_documents"):
        paths = [f"table2.{key}.{c}" for c in ("issued", "repealed", "in_force")]
        issued, repealed, in_force = (ctx.value(p) for p in paths)
        prev_path = f"table2.{key}.in_force"
        before = safe_cell(prev, prev_path)
        if not all(_count(v) for v in (issued, repealed, in_force, before)):
            continue
        if any(p in ctx.blank for p in paths) or prev_path in prev.blank_cells:
            continue
        expected = before + issued - repealed
        if expected == in_force:
            continue
        name = next(r.labels[0] for r in T.TABLE2_ROWS if r.key == key)
        out.append(ctx.finding(
            "cross_year_in_force", "X-INFORCE",
            f"表二 {name}：上年现行有效 {before} + 本年制发 {issued} − 本年废止 {repealed} = {expected}，"
            f"但本年现行有效填报为 {in_force}（如有清理、失效请在报告中说明）",
            f"X-INFORCE {key}: {before} + {issued} - {repealed} = {expected}, reported {in_force}",
            cells=paths + [PREVIOUS + prev_path], expected=expected, actual=in_force,
        ))
    return out


_YEARS_AND_NUMBERS = re.compile(r"\d+")


def similarity(a: str, b: str) -> float:
    """How alike two texts are, ignoring years and numbers (they change every year)."""
    a, b = _YEARS_AND_NUMBERS.sub("#", a), _YEARS_AND_NUMBERS.sub("#", b)
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if sm.real_quick_ratio() < 0.5 or sm.quick_ratio() < 0.5:
        return sm.quick_ratio()
    return sm.ratio()


def similar_rule(ctx: Context) -> list[Finding]:
    """X-SIMILAR (soft): section 五 nearly the same as last year's: the "年年雷同" 30号 forbids."""
    prev = _previous(ctx)
    if prev is None:
        return []
    this, last = section_flat(ctx.report, 5), section_flat(prev, 5)
    if not this or not last or min(len(this), len(last)) < 60:
        return []
    ratio = similarity(this, last)
    threshold = get_settings().rules_similar_ratio
    if ratio < threshold:
        return []
    s = ctx.report.sections[5]
    return [ctx.finding(
        "boilerplate_repeat", "X-SIMILAR",
        f"“{T.SECTIONS[4].numeral}、{T.SECTIONS[4].title}”与{prev.year or '上'}年度报告相似度 {ratio:.0%}，疑似年年雷同（国办公开办函〔2021〕30号）",
        f"section 5 is {ratio:.2f} similar to last year's",
        expected=f"< {threshold}", actual=round(ratio, 3),
        quote={"text": flatten(s.text).text[:200], "section": 5, "start": s.start, "end": s.end},
        evidence={"previous_quote": last[:200], "previous_year": prev.year},
    )]
