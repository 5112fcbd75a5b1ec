"""Human-readable rendering of a canonical report (what `nianbao parse` prints without --json)."""
from __future__ import annotations

from . import template as T
from .model import Report

import unicodedata


def _pad(s: str, width: int) -> str:
    """Left-justify by display width (CJK characters take two columns)."""
    w = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)
    return s + " " * max(0, width - w)


def _v(x) -> str:
    return "—" if x is None else str(x)


def render_report(r: Report, name: str = "") -> str:
    out = [f"== {name}"]
    if r.status != "ok":
        out.append(f"  状态: {r.status}: {r.error}")
        return "\n".join(out)
    out.append(f"  机关: {_v(r.agency)}  年度: {_v(r.year)}  类别: {_v(r.agency_kind)}  落款日期: {_v(r.signature_date)}")
    out.append(f"  章节: {r.sections_present}  格式: {_v(r.format)}")
    out.append("  表二 主动公开")
    for row in T.TABLE2_ROWS:
        val = r.table2.get(row.key)
        if row.columns:
            cols = " / ".join(f"{T.TABLE2_COLUMN_LABELS[c]} {_v((val or {}).get(c))}" for c in row.columns)
            out.append(f"    {row.labels[0]}: {cols}")
        else:
            out.append(f"    {row.labels[0]}: {_v(val)}")
    out.append("  表三 依申请公开 (自然人 商业企业 科研机构 社会公益组织 法律服务机构 其他 总计)")
    for row in T.TABLE3_ROWS:
        vals = r.table3.get(row.key)
        if vals is None:
            continue
        out.append(f"    {_pad(row.short, 52)} " + " ".join(f"{_v(v):>6}" for v in vals))
    if T.OTHER_SINGLE in r.table3:
        out.append(f"    {_pad('（六）其他处理（单行）', 52)} " + " ".join(f"{_v(v):>6}" for v in r.table3[T.OTHER_SINGLE]))
    out.append("  表四 复议诉讼 (维持 纠正 其他 未审结 总计)")
    for g in T.TABLE4_GROUPS:
        vals = r.table4.get(g) or {}
        out.append(f"    {_pad(T.TABLE4_GROUP_LABELS[g], 30)} " + " ".join(f"{_v(vals.get(c)):>6}" for c in T.TABLE4_COLUMNS))
    for n in r.parse_notes:
        out.append(f"  注: [{n.code}] {n.detail}")
    for f in r.findings:
        out.append(f"  发现: [{f.get('severity')}] {f.get('rule')}: {f.get('message') or f.get('detail')}")
    return "\n".join(out)
