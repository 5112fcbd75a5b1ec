"""The words staff read: one finding, or a day's digest, as a Chinese title and plain-text body.

Every finding alert carries its evidence (FINDINGS.md): agency, year, rule, message, the cells and
their values, the quoted sentence, the source URL and the file's SHA-256, so a reader can check the
claim without opening the system.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any, Iterable
from zoneinfo import ZoneInfo

PREFIX = "【年报监测】"

RULE_TITLES = {
    # compliance (FINDINGS.md)
    "missing_report": "未发布年度报告",
    "late_publication": "逾期发布年度报告",
    "missing_section": "缺少法定章节",
    "missing_table": "缺少法定表格",
    "blank_cells": "表格单元格空白",
    "table_arithmetic": "表格数据勾稽关系不符",
    "regulation_power": "无规章制定权却填报规章",
    "cross_year_carryover": "上年结转与上年度结转下年度不一致",
    "cross_year_in_force": "现行有效件数与上年度不衔接",
    "narrative_vs_table": "正文数字与表格不一致",
    "missing_required_content": "缺少规定内容",
    "outdated_format": "使用已废止的格式或通知",
    "wrong_year": "年度不一致",
    "boilerplate_repeat": "存在的主要问题及改进情况与上年雷同",
    "modified_after_publication": "年报发布后被修改",
    "backdated": "发布日期疑似提前标注",
    # health
    "fetch_failed": "抓取失败",
    "blocked": "访问被拦截",
    "listing_changed": "年报栏目不再产出链接",
    "not_machine_readable": "文件无法机读",
    "parse_uncertain": "解析结果存疑",
    "parse_failed": "解析失败",
}
SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}
AUDIENCE_ZH = {"compliance": "合规问题", "health": "系统运行问题"}
STATUS_ZH = {"open": "待处理", "notified": "已通知", "confirmed": "已确认", "dismissed": "已驳回", "resolved": "已解决"}
EVIDENCE_KEYS_ZH = {
    "expected": "应为", "actual": "实为", "difference": "差额", "deadline": "截止日期", "published_on": "发布日期",
    "status": "HTTP 状态", "error": "错误", "last_year": "上年", "this_year": "本年", "similarity": "相似度",
    "sections_missing": "缺少章节", "tables_missing": "缺少表格", "reason": "原因", "detail": "详情",
}
# evidence keys rendered in their own lines; the rest are listed under 其他证据
_EVIDENCE_SHOWN = {"cells", "values", "quote", "source", "detail", "source_url", "sha256", "check_id"}


@dataclass
class FindingView:
    """What a message needs of a finding and its agency (plain values, no ORM)."""

    fingerprint: str
    rule: str
    check_id: str | None
    severity: str
    audience: str
    agency_id: str
    agency_name: str | None
    region: str | None
    year: int
    status: str
    message: str
    evidence: dict[str, Any]
    first_seen: dt.datetime | None


def rule_title(rule: str) -> str:
    return RULE_TITLES.get(rule, rule)


def local_time(t: dt.datetime | None, tz: str) -> str:
    if t is None:
        return "未知"
    if t.tzinfo is None:
        t = t.replace(tzinfo=dt.timezone.utc)
    return t.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M")


def _cell_name(path: str) -> str:
    try:
        from parsers.template import cell_label

        label = cell_label(path)
    except Exception:  # an unusual path is shown as it is, never a failed alert
        return path
    return label if label == path else f"{label}（{path}）"


def _fmt(v: Any) -> str:
    if v is None:
        return "空"
    if isinstance(v, (dict, list)):
        return json.dumps(v, ensure_ascii=False, default=str)
    return str(v)


def evidence_lines(evidence: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    raw_cells = evidence.get("cells") or []
    values = evidence.get("values")
    if raw_cells and all(isinstance(c, dict) for c in raw_cells):
        # the rules' form: [{cell, label, value}]
        lines += ["涉及单元格："] + [
            f"  {c.get('label') or _cell_name(str(c.get('cell')))}（{c.get('cell')}）= {_fmt(c.get('value'))}" for c in raw_cells
        ]
        raw_cells, values = [], None
    cells = [str(c) for c in raw_cells]
    if not cells and values is None:
        pass
    elif isinstance(values, dict):
        pairs = [(c, values.get(c)) for c in cells] + [(str(c), v) for c, v in values.items() if c not in cells]
        lines += ["涉及单元格："] + [f"  {_cell_name(c)} = {_fmt(v)}" for c, v in pairs]
    elif isinstance(values, list) and len(values) == len(cells) and cells:
        lines += ["涉及单元格："] + [f"  {_cell_name(c)} = {_fmt(v)}" for c, v in zip(cells, values)]
    else:
        if cells:
            lines += ["涉及单元格："] + [f"  {_cell_name(c)}" for c in cells]
        if values is not None:
            lines.append(f"数值：{_fmt(values)}")
    quote = evidence.get("quote")
    if isinstance(quote, dict):
        quote = quote.get("text")
    if quote:
        lines.append(f"原文：“{quote}”")
    source = evidence.get("source") or {}
    url = source.get("url") or evidence.get("url")  # health findings name the page they could not fetch
    shown = _EVIDENCE_SHOWN | ({"url"} if url == evidence.get("url") else set())
    others = {k: v for k, v in evidence.items() if k not in shown and v not in (None, "", [], {})}
    if others:
        lines.append("其他证据：" + "；".join(f"{EVIDENCE_KEYS_ZH.get(k, k)}={_fmt(v)}" for k, v in others.items()))
    lines.append(f"来源：{url or '无（未找到文件）'}")
    if source.get("sha256"):
        lines.append(f"文件 SHA-256：{source['sha256']}")
    return lines


def finding_message(f: FindingView, tz: str, updated: bool = False) -> tuple[str, str]:
    agency = f.agency_name or f.agency_id
    title = f"{PREFIX}{'（更新）' if updated else ''}{agency} {f.year}年度报告：{rule_title(f.rule)}"
    rule = f.rule + (f"/{f.check_id}" if f.check_id else "")
    body = [
        f"类别：{AUDIENCE_ZH.get(f.audience, f.audience)}",
        f"机关：{agency}" + (f"（{f.region}）" if f.region else ""),
        f"年度：{f.year}年度",
        f"规则：{rule_title(f.rule)}（{rule}）",
        f"级别：{SEVERITY_ZH.get(f.severity, f.severity)}",
        f"问题：{f.message}",
        *evidence_lines(f.evidence or {}),
        f"首次发现：{local_time(f.first_seen, tz)}",
        f"编号：{f.fingerprint}",
    ]
    if updated:
        body.insert(0, "此问题的证据已变化，以下为最新内容。")
    return title, "\n".join(body)


def digest_message(recipient: str, audience: str, day: dt.date, new: Iterable[FindingView],
                   still_open: Iterable[FindingView], tz: str, limit: int = 100) -> tuple[str, str]:
    new, still_open = list(new), list(still_open)
    title = f"{PREFIX}{day:%Y-%m-%d} 每日汇总（{AUDIENCE_ZH.get(audience, audience)}）：新增 {len(new)} 条，未处理 {len(still_open)} 条"
    body = [f"致：{recipient}", f"新增 {len(new)} 条；此前发现、仍未处理 {len(still_open)} 条。", ""]
    shown = 0
    for heading, items in (("一、新增问题", new), ("二、仍未处理的问题", still_open)):
        if not items:
            continue
        body.append(heading)
        for i, f in enumerate(items, 1):
            if shown >= limit:
                body.append(f"  ……另有 {len(items) - i + 1} 条未列出，请在系统中查看。")
                break
            shown += 1
            src = dict((f.evidence or {}).get("source") or {})
            src["url"] = src.get("url") or (f.evidence or {}).get("url")
            body.append(
                f"  {i}. {f.agency_name or f.agency_id} {f.year}年度 · {rule_title(f.rule)}"
                f"（{SEVERITY_ZH.get(f.severity, f.severity)}，{STATUS_ZH.get(f.status, f.status)}）：{f.message}"
            )
            if src.get("url"):
                body.append(f"     来源：{src['url']}" + (f"  SHA-256：{src['sha256']}" if src.get("sha256") else ""))
        body.append("")
    return title, "\n".join(body).rstrip()
