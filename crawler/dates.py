"""Publication-date evidence: page meta, the 发布日期 printed on the page, the URL, the listing.

Every function returns an ISO date ("YYYY-MM-DD", or "YYYY-MM-DD HH:MM" when the source has a
time) or None. Each source is kept separately: which one to trust is the monitor's decision.
"""
from __future__ import annotations

import re
from datetime import date

_SEP = r"\s*[-/.年月]\s*"
_DATE = re.compile(r"((?:19|20)\d{2})" + _SEP + r"(\d{1,2})" + _SEP + r"(\d{1,2})\s*日?(?:\s*(\d{1,2}):(\d{2}))?")
_LABELS = ("发布日期", "发布时间", "公开日期", "发布于", "公布日期")
_URL_PATTERNS = (
    re.compile(r"/t((?:19|20)\d{2})(\d{2})(\d{2})_"),  # TRS t20250120_123.html
    re.compile(r"/art/((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})/"),  # Hanweb /art/2025/1/20/
    re.compile(r"/((?:19|20)\d{2})[-_]?(\d{2})[-_]?(\d{2})/"),  # /20250120/ or /2025-01-20/
    re.compile(r"[/_]((?:19|20)\d{2})(\d{2})(\d{2})\d{0,8}[_.]"),  # ..._20250120.html
)
_URL_MONTH = re.compile(r"/((?:19|20)\d{2})(\d{2})/")  # TRS /202501/


def _iso(y: str, m: str, d: str, hh: str | None = None, mm: str | None = None) -> str | None:
    try:
        date(int(y), int(m), int(d))
    except ValueError:
        return None
    s = f"{int(y):04d}-{int(m):02d}-{int(d):02d}"
    if hh is not None and mm is not None and int(hh) < 24 and int(mm) < 60:
        s += f" {int(hh):02d}:{int(mm):02d}"
    return s


def parse_date(text: str | None) -> str | None:
    """The first plausible date in a string."""
    if not text:
        return None
    for m in _DATE.finditer(text):
        iso = _iso(*m.groups())
        if iso:
            return iso
    return None


def labelled_date(text: str) -> str | None:
    """The date printed after 发布日期/发布时间 on a page's text (not the 成文日期)."""
    flat = re.sub(r"\s+", " ", text)
    for label in _LABELS:
        for m in re.finditer(re.escape(label) + r"\s*[:：]?\s*", flat):
            iso = parse_date(flat[m.end() : m.end() + 30])
            if iso and flat[m.end() : m.end() + 30].lstrip()[:1].isdigit():
                return iso
    # a bare "时间：2025-01-18" / "日期：" (many article templates), never 成文/印发/生效/更新 dates
    for m in _BARE_LABEL.finditer(flat):
        if flat[max(0, m.start() - 2) : m.start()] in _NOT_PUBLISHED:
            continue
        iso = parse_date(flat[m.end() : m.end() + 30])
        if iso and flat[m.end() : m.end() + 30].lstrip()[:1].isdigit():
            return iso
    return None


_BARE_LABEL = re.compile(r"(?:时间|日期)\s*[:：]\s*")
_NOT_PUBLISHED = {"成文", "印发", "生效", "更新", "修改", "修订", "废止", "失效", "施行", "实施", "审核", "签发", "发文",
                  "有效", "截止", "开始", "结束", "办理", "答复", "申请", "受理", "登记", "会议", "活动", "报名", "咨询", "办公"}


def url_date(url: str) -> str | None:
    for pat in _URL_PATTERNS:
        m = pat.search(url)
        if m:
            iso = _iso(*m.groups())
            if iso:
                return iso
    m = _URL_MONTH.search(url)
    if m and 1 <= int(m.group(2)) <= 12:
        return f"{m.group(1)}-{m.group(2)}"
    return None
