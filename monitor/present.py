"""How a stored finding reads for people (Chinese): the message and the evidence that proves it."""
from __future__ import annotations

from typing import Any

SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}
STATUS_LABELS = {"open": "待通知", "notified": "已通知", "confirmed": "已确认", "dismissed": "已驳回", "resolved": "已解决"}
MAX_CELLS = 12


def evidence_lines(ev: dict[str, Any], indent: str = "    ") -> list[str]:
    lines = []
    cells = ev.get("cells") or []
    for c in cells[:MAX_CELLS]:
        lines.append(f"{indent}· {c.get('label') or c.get('cell')}（{c.get('cell')}）= {c.get('value')}")
    if len(cells) > MAX_CELLS:
        lines.append(f"{indent}· ……另有 {len(cells) - MAX_CELLS} 个单元格")
    if ev.get("expected") is not None or ev.get("actual") is not None:
        lines.append(f"{indent}应为 {ev.get('expected')}，实为 {ev.get('actual')}")
    quote = ev.get("quote") or {}
    if quote.get("text"):
        lines.append(f"{indent}原文：“{quote['text']}”")
    from monitor.rules.deadlines import SOURCE_NAMES

    if ev.get("deadline"):
        lines.append(f"{indent}截止日期：{ev['deadline']}")
    if isinstance(ev.get("dates"), dict) and ev["dates"]:
        shown = "；".join(f"{SOURCE_NAMES.get(k, k)} {v}" for k, v in ev["dates"].items())
        lines.append(f"{indent}日期证据：{shown}（采用：{SOURCE_NAMES.get(ev.get('date_source'), ev.get('date_source'))}）")
    for key, label in (("previous_version", "原版本"), ("current_version", "新版本")):
        v = ev.get(key) or {}
        if v:
            lines.append(f"{indent}{label}：{v.get('url')}（sha256 {v.get('sha256')}，首次抓取 {v.get('first_seen')}）")
    src = ev.get("source") or {}
    url = src.get("url") or ev.get("source_url") or ev.get("url")
    sha = src.get("sha256") or ev.get("sha256")
    if url:
        lines.append(f"{indent}来源：{url}")
    if sha:
        lines.append(f"{indent}文件 sha256：{sha}")
    return lines


def finding_block(f: Any, agency: Any, indent: str = "    ") -> str:
    head = (f"#{f.id} [{SEVERITY_LABELS.get(f.severity, f.severity)}] {agency.region or ''} {agency.name} "
            f"{f.year}年 {f.rule}（{STATUS_LABELS.get(f.status, f.status)}）")
    lines = [head, f"{indent}{f.message}"] + evidence_lines(f.evidence or {}, indent)
    if f.review_note:
        lines.append(f"{indent}审核意见（{f.reviewed_by or ''}）：{f.review_note}")
    return "\n".join(lines)
