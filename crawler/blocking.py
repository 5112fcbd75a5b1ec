"""Recognise a block: 403/429, or a captcha / WAF page served with 200. Never bypassed: recorded."""
from __future__ import annotations

import re

BLOCK_STATUSES = {403: "HTTP 403 Forbidden", 429: "HTTP 429 Too Many Requests"}
_MARKERS = re.compile(
    r"验证码|安全验证|人机验证|滑动验证|访问验证|请完成验证|访问过于频繁|请求过于频繁|访问受限|"
    r"您的访问被拦截|WAF|captcha|are you a robot|access denied",
    re.I,
)
MAX_BLOCK_PAGE = 30_000  # a captcha page is small; a report that mentions 验证码 is not


def block_reason(status: int | None, text: str | None) -> str | None:
    if status in BLOCK_STATUSES:
        return BLOCK_STATUSES[status]
    if text and len(text) < MAX_BLOCK_PAGE:
        m = _MARKERS.search(text)
        if m:
            return f"captcha/WAF page ({m.group(0)})"
    return None
