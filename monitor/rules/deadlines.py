"""Deadlines (条例第四十九条, 国办公开办函〔2021〕30号) and the publication date the evidence
supports (STATUTORY_FORMAT.md §4: D-DEPT, D-GOV; FINDINGS.md: backdated, missing_report).

Evidence is a dict as the crawler records it: source name → date (ISO string or date), using
the evidence names the pipeline passes (meta, page, url, listing, signature, pdf) or their aliases,
plus ``first_seen`` (the crawl's first sight), ``unlisted_crawls`` (dates of crawls of the
listing that did not yet show the report), and optionally ``kind``, ``level`` and
``deadline_override`` from the registry.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

from .context import Context
from .finding import Finding

# strongest first (STATUTORY_FORMAT.md §4, "Date evidence"); "given" is a date an operator typed
SOURCES: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("given", ("given", "published"), "人工填写的发布日期"),
    ("meta", ("meta", "meta_pubdate", "pubdate", "PubDate"), "页面元数据 PubDate"),
    ("page", ("page", "labelled", "label", "page_date", "published_label"), "页面所载发布日期"),
    ("url", ("url_date", "url"), "网址中的日期"),
    ("listing", ("listing", "list", "list_date", "listing_date"), "栏目列表日期"),
    ("signature", ("signature", "signature_date"), "报告落款日期"),
    ("pdf", ("pdf", "pdf_created", "creation_date", "CreationDate", "pdf_creation_date"), "PDF 创建日期"),
    ("first_seen", ("first_seen", "crawl_first_seen"), "首次抓取发现日期"),  # an upper bound only
)
SOURCE_NAMES = {name: zh for name, _, zh in SOURCES} | {"unlisted_crawls": "此前抓取时栏目中尚无该报告"}
_CLAIMED = ("given", "meta", "page", "url")  # dates the page itself asserts

_ISO = re.compile(r"((?:19|20)\d{2})[-/.年](\d{1,2})[-/.月](\d{1,2})")
_URL_DATES = (
    re.compile(r"/t((?:19|20)\d{2})(\d{2})(\d{2})_"),
    re.compile(r"/art/((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})/"),
    re.compile(r"/((?:19|20)\d{2})-?(\d{2})-?(\d{2})/"),
)


def as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value or "")
    pats = _URL_DATES if "/" in text and ("http" in text or text.count("/") > 2) else (_ISO,)
    for pat in pats:
        m = pat.search(text)
        if m:
            try:
                return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                continue
    return None


def evidence_dates(evidence: dict[str, Any] | None) -> dict[str, dt.date]:
    """Every usable date of the evidence under its canonical source name."""
    ev = dict(evidence or {})
    out = {}
    for name, aliases, _ in SOURCES:
        for a in aliases:
            d = as_date(ev.get(a))
            if d:
                out[name] = d
                break
    return out


def best_publication_date(evidence: dict[str, Any] | None, year: int | None = None) -> tuple[dt.date | None, str | None, dict[str, str]]:
    """The strongest plausible date: (date, source name, all dates used as ISO strings).

    A date before December of the report year cannot be this report's publication (a 成文日期 or
    a wrong field) and is passed over."""
    dates = evidence_dates(evidence)
    used = {k: v.isoformat() for k, v in dates.items()}
    for name, _, _ in SOURCES:
        d = dates.get(name)
        if d is None:
            continue
        if year is not None and d < dt.date(year, 12, 1):
            continue
        return d, name, used
    return None, None, used


def _date(value: Any) -> dt.date | None:
    return as_date(value)


def deadline_for(kind: str | None, year: int, policy: str = "statute", level: str | None = None,
                 override: Any = None) -> dt.date:
    """The last day to publish the report for ``year``.

    department/township: y+1-01-31. government: y+1-03-31 by statute; under the "milestones"
    policy the 2021 notice's county y+1-02-20 and prefecture city y+1-03-10. An unknown kind gets
    the latest deadline (a missing kind must not make anyone late)."""
    o = _date(override)
    if o is not None:
        return o
    if kind in ("department", "township"):
        return dt.date(year + 1, 1, 31)
    if kind == "government" and policy == "milestones" and level:
        lv = level.lower()
        if lv in ("county", "district", "县", "区", "县级"):
            return dt.date(year + 1, 2, 20)
        if lv in ("city", "prefecture", "市", "地市", "地级"):
            return dt.date(year + 1, 3, 10)
    return dt.date(year + 1, 3, 31)


def _deadline_basis(kind: str | None, policy: str) -> str:
    if kind in ("department", "township"):
        return "条例第四十九条：政府部门（乡镇参照）应于每年1月31日前公布上一年度报告"
    if policy == "milestones":
        return "国办公开办函〔2021〕30号：县级2月20日前、地市级3月10日前、省级3月31日前公布"
    return "条例第四十九条：本级政府年度报告应于每年3月31日前公布"


def backdating(evidence: dict[str, Any] | None) -> tuple[dt.date, str, dt.date] | None:
    """(claimed date, its source, a later crawl that did not list the report), if any."""
    ev = dict(evidence or {})
    dates = evidence_dates(ev)
    claimed = next(((dates[n], n) for n in _CLAIMED if n in dates), None)
    unlisted = sorted(d for d in (as_date(x) for x in ev.get("unlisted_crawls") or []) if d)
    if not claimed or not unlisted:
        return None
    later = [d for d in unlisted if d > claimed[0]]
    return (claimed[0], claimed[1], later[-1]) if later else None


def backdated_rule(ctx: Context) -> list[Finding]:
    """The page claims a date before a crawl that ran and did not list it."""
    b = backdating(ctx.evidence)
    if not b:
        return []
    claimed, src, crawl = b
    return [ctx.finding(
        "backdated", "D-BACKDATED",
        f"页面标注发布日期 {claimed}（{SOURCE_NAMES[src]}），但 {crawl} 抓取该栏目时报告尚未列出，实际发布应晚于 {crawl}",
        f"claimed {claimed} ({src}) but a crawl on {crawl} did not list the report",
        expected=f"> {crawl}", actual=claimed.isoformat(),
        evidence={"claimed": claimed.isoformat(), "claimed_source": src, "unlisted_crawl": crawl.isoformat()},
    )]


def _late(ctx: Context, government: bool) -> list[Finding]:
    ev = ctx.evidence or {}
    year = ctx.report.year
    kind = ev.get("kind") or ctx.report.agency_kind
    if year is None or not ev or (kind == "government") != government:
        return []
    date, src, used = best_publication_date(ev, year)
    at_least = False  # True when the date is a lower bound ("不早于"), not the publication date itself
    b = backdating(ev)
    unlisted = sorted(d for d in (as_date(x) for x in ev.get("unlisted_crawls") or []) if d)
    if b:  # the claimed date is not to be trusted: the report appeared after that crawl
        date, src, at_least = b[2] + dt.timedelta(days=1), "unlisted_crawls", True
    elif src == "first_seen":
        # first sight is only an upper bound: late only if a crawl after the deadline did not list it
        date, src, at_least = (unlisted[-1] + dt.timedelta(days=1), "unlisted_crawls", True) if unlisted else (None, None, False)
    if date is None:
        return []
    deadline = deadline_for(kind, year, ctx.policy, ev.get("level"), ev.get("deadline_override"))
    if date <= deadline:
        return []
    check_id = "D-GOV" if government else "D-DEPT"
    src_zh = SOURCE_NAMES.get(src, "此前抓取时栏目中尚无该报告")
    when = f"不早于 {date}" if at_least else f"为 {date}"
    return [ctx.finding(
        "late_publication", check_id,
        f"{ctx.report.agency or '该机关'} {year} 年度报告发布日期{when}（依据：{src_zh}），晚于期限 {deadline}，"
        f"逾期{'至少 ' if at_least else ' '}{(date - deadline).days} 天（{_deadline_basis(kind, ctx.policy)}）",
        f"published {'no earlier than ' if at_least else ''}{date} ({src}) after the deadline {deadline} "
        f"(kind {kind}, policy {ctx.policy})",
        expected=deadline.isoformat(), actual=date.isoformat(),
        evidence={"date_source": src, "dates": used, "kind": kind, "policy": ctx.policy, "deadline": deadline.isoformat(),
                  "lower_bound": at_least, "unlisted_crawls": [d.isoformat() for d in unlisted]},
    )]


def dept_deadline_rule(ctx: Context) -> list[Finding]:
    """D-DEPT: departments, townships and offices publish by y+1-01-31."""
    return _late(ctx, government=False)


def gov_deadline_rule(ctx: Context) -> list[Finding]:
    """D-GOV: a level of government publishes by y+1-03-31 (or the milestone policy's date)."""
    return _late(ctx, government=True)


def check_missing(agency_name: str, kind: str | None, year: int, today: dt.date | None = None, policy: str = "statute",
                  deadline_override: Any = None, level: str | None = None) -> Finding | None:
    """missing_report when the deadline has passed and no report for ``year`` was found."""
    today = today or dt.date.today()
    deadline = deadline_for(kind, year, policy, level, deadline_override)
    if today <= deadline:
        return None
    return Finding(
        rule="missing_report", check_id="D-GOV" if kind == "government" else "D-DEPT",
        message=f"截至 {today}，未在{agency_name}门户网站找到 {year} 年度政府信息公开工作年度报告，"
                f"期限 {deadline} 已过 {(today - deadline).days} 天（{_deadline_basis(kind, policy)}）",
        detail=f"no {year} report found for {agency_name}; deadline {deadline} passed (kind {kind}, policy {policy})",
        expected=deadline.isoformat(), actual=None,
        source={"url": None, "sha256": None, "name": None},
        evidence={"agency": agency_name, "year": year, "today": today.isoformat(), "deadline": deadline.isoformat(), "kind": kind},
    )
