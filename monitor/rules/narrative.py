"""What the text says against what the tables say (STATUTORY_FORMAT.md §4): N-APPS,
N-BREAKDOWN, N-LIT, N-NORM, N-FEE, N-INTERNAL.

Claims are read by claims.py; here each is compared with the cells it speaks about. A claim
whose cells are unknown or blank is not compared. Where wording allows more than one reading
(受理 may or may not include 上年结转), any reading that agrees clears it.
"""
from __future__ import annotations

import re

from parsers import template as T

from .claims import T4_WORD, Claim, read_claims
from .context import Context
from .finding import Finding
from .text import Flat, flatten, full_text, quote, section_flat

_OUTCOME_ROWS = {
    "granted": ["granted"],
    "partial": ["partially_granted"],
    "granted+partial": ["granted", "partially_granted"],
    "withheld": [r for r in T.TABLE3_ROW_KEYS if r.startswith("withheld.")],
    "unable": [r for r in T.TABLE3_ROW_KEYS if r.startswith("unable.")],
    "not_processed": [r for r in T.TABLE3_ROW_KEYS if r.startswith("not_processed.")],
    "other": list(T.OTHER_ROWS),
}
_SHORT = {r.key: r.short for r in T.TABLE3_ROWS}
_OUTCOME_NAMES = {
    "granted": _SHORT["granted"], "partial": _SHORT["partially_granted"],
    "granted+partial": f"{_SHORT['granted']}及{_SHORT['partially_granted']}",
    **{g: T.TABLE3_GROUPS[g][0] for g in ("withheld", "unable", "not_processed", "other")},
}


def _flat(ctx: Context) -> Flat:
    return flatten(full_text(ctx.report))


def _usable(ctx: Context, paths: list[str]) -> list[int] | None:
    out = []
    for p in paths:
        v = ctx.value(p)
        if p in ctx.blank or not isinstance(v, int) or isinstance(v, bool) or v < 0:
            return None
        out.append(v)
    return out


def _where(q: dict) -> str:
    n = q.get("section")
    if n:
        s = T.SECTIONS[n - 1]
        return f"“{s.numeral}、{s.title}”"
    return "报告正文"


def _finding(ctx: Context, flat: Flat, claim: Claim, check_id: str, what: str, said, table_desc: str,
             expected, cells: list[str]) -> Finding:
    s0, s1 = claim.sentence
    if s1 - s0 > 200:  # a run-on "sentence" (PDF text, no full stop): quote around the claim
        s0, s1 = max(s0, claim.start - 80), min(s1, claim.end + 80)
    q = quote(ctx.report, flat, s0, s1)
    said_text = flat.text[claim.start : claim.end]
    return ctx.finding(
        "narrative_vs_table", check_id,
        f"{_where(q)}文字称{what}“{said_text}”，但{table_desc}为 {expected}",
        f"{check_id}: text states {said} ({said_text}) for {claim.kind}, tables give {expected}",
        cells=cells, expected=expected, actual=said, quote=q,
        evidence={"claim": claim.kind, "stated": said_text},
    )


def _options(ctx: Context, claim: Claim) -> list[tuple[int, list[str], str]]:
    """The table values an application claim may mean: (value, cells, description)."""
    new, carried = T.table3_cell("new", 6), T.table3_cell("carried_over", 6)
    total, forward = T.table3_cell("outcome_total", 6), T.table3_cell("carried_forward", 6)
    cands: list[list[str]] = []
    if claim.kind in ("received", "handled", "received_or_answered"):
        cands.append([new])
        if claim.mentions_carry or claim.kind != "received":
            cands.append([new, carried])
    if claim.kind in ("answered", "handled", "received_or_answered"):
        cands.append([total])
    if claim.kind == "carried_over":
        cands.append([carried])
    if claim.kind == "carried_forward":
        cands.append([forward])
    out = []
    for cells in cands:
        vals = _usable(ctx, cells)
        if vals is not None:
            out.append((sum(vals), cells, _describe(cells)))
    return out


def _describe(cells: list[str]) -> str:
    """表三 一、本年新收 总计列, or several such joined: 表三 一、本年新收 总计列与表三 二、上年结转 总计列之和."""
    labels = [T.cell_label(c) for c in cells]
    return labels[0] if len(labels) == 1 else "与".join(labels) + "之和"


_APP_WHAT = {
    "received": "收到/受理申请", "answered": "办结/答复申请", "handled": "办理申请", "received_or_answered": "受理并办结申请",
    "carried_over": "上年结转申请", "carried_forward": "结转下年度申请",
}


def apps_rule(ctx: Context) -> list[Finding]:
    """N-APPS: 收到/受理 N = 本年新收 (or + 上年结转 when the text says so); 办结 = （七）总计; 结转 = 四."""
    flat = _flat(ctx)
    out = []
    claims = [c for c in read_claims(flat).claims if c.kind in _APP_WHAT]
    agreeing = {c.kind for c in claims if any(c.agrees(v) for v, _, _ in _options(ctx, c))}
    for c in claims:
        opts = _options(ctx, c)
        if not opts or c.kind in agreeing:
            continue  # a kind the text also states in agreement: the others speak of a part (市本级 …)
        v, cells, desc = opts[0]
        out.append(_finding(ctx, flat, c, "N-APPS", _APP_WHAT[c.kind], c.value, desc, v, cells))
    return out


def _outcome_cells(ctx: Context, cat: str) -> list[str]:
    rows = _OUTCOME_ROWS[cat]
    if cat == "other" and ctx.uses_other_single:
        rows = [T.OTHER_SINGLE]
    return [T.table3_cell(r, 6) for r in rows]


def breakdown_rule(ctx: Context) -> list[Finding]:
    """N-BREAKDOWN: stated outcome counts and their percentages match table 3."""
    flat = _flat(ctx)
    out = []
    dens = {}
    for name, cells in (("total", ["outcome_total"]), ("new", ["new"]), ("new+carried", ["new", "carried_over"])):
        vals = _usable(ctx, [T.table3_cell(r, 6) for r in cells])
        if vals and sum(vals) > 0:
            dens[name] = sum(vals)
    for c in read_claims(flat).claims:
        if not c.kind.startswith("outcome."):
            continue
        cat = c.kind.split(".", 1)[1]
        cells = _outcome_cells(ctx, cat)
        vals = _usable(ctx, cells)
        if vals is None:
            continue
        expected = sum(vals)
        name = _OUTCOME_NAMES[cat]
        if not c.agrees(expected):
            out.append(_finding(ctx, flat, c, "N-BREAKDOWN", f"{name}", c.value, f"表三 {name} 各项总计列之和", expected, cells))
            continue
        if c.percent and dens:
            p, dec = c.percent
            tol = 0.5 * 10 ** (-dec) + 0.05
            computed = {k: round(100.0 * c.value / d, 2) for k, d in dens.items()}
            if all(abs(p - x) > tol for x in computed.values()):
                q = quote(ctx.report, flat, *c.sentence)
                out.append(ctx.finding(
                    "narrative_vs_table", "N-BREAKDOWN",
                    f"{_where(q)}文字称{name} {c.value} 件占 {p:g}%，但按表三计算应为 {computed.get('total', next(iter(computed.values())))}%",
                    f"N-BREAKDOWN: {name} {c.value} stated as {p}% but the tables give {computed}",
                    cells=cells + [T.table3_cell("outcome_total", 6)], expected=computed, actual=p, quote=q,
                ))
    return out


_GROUP_OF = {"review": ["review"], "litigation": ["litigation_direct", "litigation_after_review"],
             "litigation_direct": ["litigation_direct"], "litigation_after_review": ["litigation_after_review"]}


def _t4(groups: list[str], col: str) -> list[str]:
    return [f"table4.{g}.{col}" for g in groups]


def lit_rule(ctx: Context) -> list[Finding]:
    """N-LIT: stated 复议/诉讼 counts, 均获维持, 未被纠错 agree with table 4."""
    flat = _flat(ctx)
    out = []
    for c in read_claims(flat).claims:
        checks: list[tuple[list[str], int]] = []  # cells, value stated
        k = c.kind
        if k == "review":
            checks.append((_t4(["review"], "total"), c.value))
        elif k == "litigation":
            checks.append((_t4(_GROUP_OF["litigation"], "total"), c.value))
        elif k in ("litigation_direct", "litigation_after_review"):
            checks.append((_t4([k], "total"), c.value))
        elif k == "review_and_litigation":
            checks.append((_t4(list(T.TABLE4_GROUPS), "total"), c.value))
        elif k == "review_and_litigation_each":
            checks.append((_t4(["review"], "total"), c.value))
            checks.append((_t4(_GROUP_OF["litigation"], "total"), c.value))
        elif "." in k and k.split(".")[0] in _GROUP_OF:
            scope, col = k.split(".")
            checks.append((_t4(_GROUP_OF[scope], col), c.value))
        elif k == "lit.zero":
            for scope in sorted(c.scope):
                checks.append((_t4(_GROUP_OF[scope], "total"), 0))
        elif k in ("lit.all_upheld", "lit.none_corrected"):
            groups = [g for s in sorted(c.scope) for g in _GROUP_OF[s]]
            cols = ("corrected", "pending") if k == "lit.all_upheld" else ("corrected",)
            checks.append(([p for col in cols for p in _t4(groups, col)], 0))
        else:
            continue
        for cells, said in checks:
            vals = _usable(ctx, cells)
            if vals is None or abs(sum(vals) - said) <= c.tolerance:
                continue
            what = {"lit.zero": "未发生", "lit.all_upheld": "均获维持", "lit.none_corrected": "未被纠错"}.get(k, "")
            out.append(_finding(ctx, flat, c, "N-LIT", what, said, _describe(cells), sum(vals), cells))
            break
    return out


def norm_rule(ctx: Context) -> list[Finding]:
    """N-NORM: stated numbers of 规范性文件 in force / issued this year match table 2."""
    flat = _flat(ctx)
    out = []
    for c in read_claims(flat).claims:
        if c.kind not in ("norm.in_force", "norm.issued"):
            continue
        col = c.kind.split(".")[1]
        path = f"table2.normative_documents.{col}"
        vals = _usable(ctx, [path])
        if vals is None or c.agrees(vals[0]):
            continue
        what = "现行有效规范性文件" if col == "in_force" else "本年制发规范性文件"
        out.append(_finding(ctx, flat, c, "N-NORM", what, c.value, T.cell_label(path), vals[0], [path]))
    return out


_CHARGED = re.compile(r"(?<![未不无没])(?:收取|收缴|收费)[^，。；]{0,20}?(?:信息处理费|处理费|费用)|(?:信息处理费|处理费)[^，。；]{0,10}?(?<![未不无没])收取")
# "未发生收取…", "不涉及收取…", "收取…情况：无", "收取金额为0": no fee was charged
_NEGATED = re.compile(
    r"(未|不|无|没有|免|无需|不存在)[^，。；、]{0,6}?(收取|收费|收缴|产生|缴纳|缴费)"
    r"|(收取|收费|产生)[^，。；]{0,12}?[：:为是]?(无|0|零|没有)(?![\d.])|处理费(为)?0|0元|零元|免收"
)
_WHEN = re.compile(r"本年|全年|年度|\d{4}年|今年|共|累计|合计|了|已|\d+(?:名|人|件|次|笔)")
_AMOUNT = re.compile(r"\d+(?:\.\d+)?(?:万)?元|[零〇一二两三四五六七八九十百千万]+元")
_FEE_NOTICE = re.compile(r"收费通知|缴费|缴纳|收费|收取")


def fee_rule(ctx: Context) -> list[Finding]:
    """N-FEE: charged fees come with the amount; 逾期未缴费 cases come with a word on fees in 六."""
    six = section_flat(ctx.report, 6)
    text = six if six is not None else _flat(ctx).text
    out = []
    flat = _flat(ctx)
    for m in _CHARGED.finditer(text):
        lo = max(text.rfind(p, 0, m.start()) for p in "。；") + 1
        hi_c = [i for i in (text.find(p, m.end()) for p in "。；") if i >= 0]
        hi = min(hi_c) + 1 if hi_c else len(text)
        sent = text[lo:hi]
        if _NEGATED.search(sent) or _AMOUNT.search(sent) or not _WHEN.search(sent):
            continue  # not charged, the amount given, or a rule stated ("对超出合理范围的申请依法收取")
        pos = flat.text.find(sent)
        q = quote(ctx.report, flat, pos, pos + len(sent)) if pos >= 0 else {"text": sent, "section": 6, "start": None, "end": None}
        out.append(ctx.finding(
            "missing_required_content", "N-FEE",
            f"{_where(q)}称收取了信息处理费，但未说明金额",
            "fees were charged but no amount is given", quote=q, expected="amount in 元", actual=None,
        ))
        break
    path = T.table3_cell("other.fee_unpaid", 6)
    vals = _usable(ctx, [path])
    if vals and vals[0] > 0 and text and not _FEE_NOTICE.search(text):
        out.append(ctx.finding(
            "missing_required_content", "N-FEE",
            f"{T.cell_label(path)}为 {vals[0]}，说明本年发出过收费通知，但“{T.SECTIONS[5].numeral}、{T.SECTIONS[5].title}”未报告收费情况",
            f"{path} = {vals[0]} but section 6 says nothing about fees or fee notices",
            cells=[path], expected="fee notices reported in section 6", actual=None,
        ))
    return out


_REVIEW_PARTITION = {"upheld", "corrected", "other", "pending"}


def internal_rule(ctx: Context) -> list[Finding]:
    """N-INTERNAL: parts the text lists ("其中…") add up to no more than the whole they belong
    to, and exactly to it when they are the four results of 复议/诉讼."""
    flat = _flat(ctx)
    out = []
    for pl in read_claims(flat).parts:
        s = sum(v for v, _ in pl.parts)
        cols = set()
        for _, words in pl.parts:
            for name, word in T4_WORD.items():
                if word in words or (name == "corrected" and "纠错" in words):
                    cols.add(name)
        partition = cols == _REVIEW_PARTITION and len(pl.parts) == 4
        if s <= pl.whole and not (partition and s != pl.whole):
            continue
        q = quote(ctx.report, flat, *pl.sentence)
        parts_txt = "+".join(f"{v:g}" for v, _ in pl.parts)
        out.append(ctx.finding(
            "narrative_vs_table", "N-INTERNAL",
            f"{_where(q)}文字所列分项 {parts_txt} = {s:g}，与所述总数 {pl.whole:g} 不符",
            f"N-INTERNAL: parts {parts_txt} = {s} vs stated whole {pl.whole}",
            expected=pl.whole, actual=s, quote=q,
        ))
    return out
