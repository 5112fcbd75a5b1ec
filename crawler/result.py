"""The crawler's boundary with the monitor: ``CrawlSpec`` in, ``CrawlResult`` out (JSON both ways).

The crawler keeps no database: the caller passes what it knew (``known``: url -> validators and
hash from earlier runs) and stores what comes back. Keep these shapes stable.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

# health outcomes (FINDINGS.md, Health)
FETCH_FAILED = "fetch_failed"
BLOCKED = "blocked"
LISTING_CHANGED = "listing_changed"
NO_REPORT = "no_report"  # the column lists reports, none for the year (the monitor decides if that is late)

ROLES = ("listing", "report_page", "attachment")


def _from(cls, d: dict[str, Any]):
    names = {f.name for f in fields(cls)}
    return cls(**{k: v for k, v in d.items() if k in names})


@dataclass
class CrawlSpec:
    agencies: list[dict[str, Any]]
    year: int
    data_dir: str
    known: dict[str, dict[str, Any]] = field(default_factory=dict)  # url -> {etag, last_modified, sha256}
    allow_private: bool = False
    use_playwright: bool = True
    settings: dict[str, Any] = field(default_factory=dict)  # Scrapy setting overrides
    timeout: float = 900.0  # seconds for the whole crawl subprocess

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "CrawlSpec":
        return _from(cls, d)


@dataclass
class Attachment:
    url: str
    sha256: str | None = None
    filename: str | None = None
    content_type: str | None = None
    size: int | None = None
    unchanged: bool = False
    label: str = ""  # the link text (全真版 / 文字版 ...)


@dataclass
class Evidence:
    meta_pubdate: str | None = None  # <meta name="PubDate">
    page_date: str | None = None  # 发布日期 printed on the page
    url_date: str | None = None  # date in the report URL (t20250120_, /art/2025/1/20/)
    listing_date: str | None = None  # date beside the link on the column page
    first_seen: str | None = None  # when this crawl saw it (ISO UTC)


@dataclass
class FoundReport:
    page_url: str
    title: str
    year: int | None
    listing_url: str
    page_sha256: str | None = None  # None when the listing links straight to a file
    attachments: list[Attachment] = field(default_factory=list)
    evidence: Evidence = field(default_factory=Evidence)
    meta: dict[str, str] = field(default_factory=dict)  # ArticleTitle, ColumnName, SiteName ...
    changed: bool = False  # the page or an attachment differs from the known hash: a new version

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "FoundReport":
        r = _from(cls, d)
        r.attachments = [_from(Attachment, a) for a in d.get("attachments", [])]
        r.evidence = _from(Evidence, d.get("evidence") or {})
        return r


@dataclass
class Document:
    url: str
    final_url: str
    status: int | None
    sha256: str | None
    size: int
    content_type: str | None
    headers: dict[str, str]
    fetched_at: str
    role: str
    unchanged: bool = False
    agency: str = ""
    previous_sha256: str | None = None  # the known hash when this one differs
    rendered: bool = False  # went through the browser (Playwright)
    method: str = "GET"  # POST for list proxies (Hanweb dataproxy.jsp): never conditional


@dataclass
class Outcome:
    outcome: str
    url: str
    detail: str
    http_status: int | None = None
    agency: str = ""


@dataclass
class AgencyResult:
    agency: str
    reports: list[FoundReport] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    stats: dict[str, int] = field(default_factory=dict)
    # report links for the year that name another body (a department's report in a government's
    # column): {url, title, reason}
    skipped_reports: list[dict[str, str]] = field(default_factory=list)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "AgencyResult":
        return cls(
            agency=d["agency"],
            reports=[FoundReport.from_dict(r) for r in d.get("reports", [])],
            documents=[_from(Document, x) for x in d.get("documents", [])],
            outcomes=[_from(Outcome, x) for x in d.get("outcomes", [])],
            stats=dict(d.get("stats", {})),
            skipped_reports=list(d.get("skipped_reports", [])),
        )


@dataclass
class CrawlResult:
    year: int
    agencies: dict[str, AgencyResult] = field(default_factory=dict)
    started_at: str | None = None
    finished_at: str | None = None
    ok: bool = True  # False when the crawl itself failed (crash, timeout): see error
    error: str | None = None
    stats: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "CrawlResult":
        return cls(
            year=d["year"],
            agencies={k: AgencyResult.from_dict(v) for k, v in (d.get("agencies") or {}).items()},
            started_at=d.get("started_at"),
            finished_at=d.get("finished_at"),
            ok=d.get("ok", True),
            error=d.get("error"),
            stats=dict(d.get("stats") or {}),
        )

    # conveniences for callers and tests
    def all_documents(self) -> list[Document]:
        return [doc for a in self.agencies.values() for doc in a.documents]

    def all_outcomes(self) -> list[Outcome]:
        return [o for a in self.agencies.values() for o in a.outcomes]

    def validators(self) -> dict[str, dict[str, Any]]:
        """``known`` for the next run: every fetched URL with its ETag, Last-Modified and hash."""
        out: dict[str, dict[str, Any]] = {}
        for d in self.all_documents():
            if d.sha256 and d.status and 200 <= d.status < 400 and not d.rendered:
                get = d.method == "GET"  # a POST is never conditional; its hash still tells "unchanged"
                out[d.url] = {
                    "etag": d.headers.get("ETag") if get else None,
                    "last_modified": d.headers.get("Last-Modified") if get else None,
                    "sha256": d.sha256,
                    "content_type": d.headers.get("Content-Type"),
                }
        return out
