"""Helpers for the pipeline tests: report pages rendered from the sample portal's contents, and a
scripted crawl that serves them through the crawler's own result types (the Scrapy subprocess is
exercised by the end-to-end tests; here the subject is what the monitor does with a result)."""
from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select

from crawler.blobstore import BlobStore
from crawler.result import AgencyResult, CrawlResult, CrawlSpec, Document, Evidence, FoundReport, Outcome
from crawler.sample_portal.render import load_content, to_html


def page(name: str, *, year: int | None = None, pub: str | None = None, edit=None) -> bytes:
    """A report article page for a bundled content, optionally shifted to ``year`` and edited."""
    from crawler.sample_portal.render import shift_year

    c = load_content(name)
    if year is not None and year != c.year:
        c = shift_year(c, year)
    if edit is not None:
        c = copy.deepcopy(c)
        edit(c)
    return to_html(c, pub_date=pub)


@dataclass
class Served:
    url: str
    data: bytes
    year: int
    title: str = "政府信息公开工作年度报告"
    pub: str | None = None  # meta PubDate evidence


@dataclass
class ScriptedPortal:
    """What each agency's portal serves; ``crawl`` is a drop-in for crawler.run.crawl."""

    sites: dict[str, list[Served]] = field(default_factory=dict)
    down: set[str] = field(default_factory=set)  # agencies whose portal cannot be reached
    calls: int = 0

    def crawl(self, spec: CrawlSpec) -> CrawlResult:
        self.calls += 1
        store = BlobStore(Path(spec.data_dir) / "blobs")
        now = dt.datetime.now(dt.timezone.utc).isoformat()
        result = CrawlResult(year=spec.year, started_at=now)
        for a in spec.agencies:
            ar = AgencyResult(agency=a["id"])
            listing = (a.get("columns") or [f"http://{a['id']}.example/nb/"])[0]
            if a["id"] in self.down:
                ar.outcomes.append(Outcome("fetch_failed", listing, "Connection refused", None, a["id"]))
                result.agencies[a["id"]] = ar
                continue
            for s in self.sites.get(a["id"], []):
                sha = store.put(s.data)
                ar.documents.append(Document(s.url, s.url, 200, sha, len(s.data), "text/html; charset=utf-8",
                                             {"Content-Type": "text/html; charset=utf-8"}, now, "report_page",
                                             agency=a["id"]))
                ar.reports.append(FoundReport(s.url, s.title, s.year, listing, sha,
                                              evidence=Evidence(meta_pubdate=s.pub)))
            result.agencies[a["id"]] = ar
        result.finished_at = dt.datetime.now(dt.timezone.utc).isoformat()
        return result


def agency(aid: str, name: str, kind: str = "department", region: str = "测试市", level: str = "county") -> dict:
    return {"id": aid, "name": name, "region": region, "level": level, "kind": kind, "portal": f"http://{aid}.example/",
            "columns": [f"http://{aid}.example/nb/"], "hints": {}}


def row_counts(session) -> dict[str, int]:
    from monitor.storage.models import Agency, CrawlRun, Document, DocumentVersion, Finding, HealthOutcome, Report

    out = {}
    for m in (Agency, Document, DocumentVersion, Report, Finding, HealthOutcome, CrawlRun):
        out[m.__tablename__] = session.scalar(select(func.count()).select_from(m))
    return out


def findings_snapshot(session) -> list[tuple]:
    from monitor.storage.models import Finding

    return sorted(
        (f.agency_id, f.year, f.rule, f.fingerprint, f.status, f.message)
        for f in session.scalars(select(Finding))
    )


CRASH_AGENCIES = 24


def build_crash_portal():
    """CRASH_AGENCIES agencies, each serving a distinct report page except every fourth."""
    names = ["erqi_office_2022", "luzhou_city_2022", "panzhihua_office_2022"]
    agencies, sites = [], {}
    for i in range(CRASH_AGENCIES):
        aid = f"a{i:02d}"
        agencies.append(agency(aid, f"测试机关{i:02d}"))
        if i % 4 != 3:  # every fourth agency publishes nothing (missing_report)
            def edit(c, i=i):
                c.table3["new"][0] += i  # each agency's report differs (distinct blobs)
                c.table3["new"][6] += i
            sites[aid] = [Served(f"http://{aid}.example/nb/t20230120_{i}.html", page(names[i % 3], edit=edit), 2022,
                                 pub="2023-01-20 09:30")]
    return ScriptedPortal(sites=sites), agencies
