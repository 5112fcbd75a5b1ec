"""Item pipelines: keep every byte (blob store), then assemble the ``CrawlResult``.

``StoreBlobs`` writes each document's body under its sha256 and drops the body from the item.
``AssembleResult`` gathers documents, listing entries, report pages and outcomes, and at the
end joins them into per-agency reports (attachments get their hashes from the documents,
wherever in the run they were fetched), decides ``listing_changed`` / ``no_report`` per
column, and writes the result JSON (``NIANBAO_RESULT_PATH``) and the standalone state file
(``NIANBAO_STATE_FILE``, when set).
"""
from __future__ import annotations

import json
import logging
import os
from datetime import datetime, timezone
from pathlib import Path

from . import attachments as att
from .blobstore import BlobStore
from .result import (
    LISTING_CHANGED,
    NO_REPORT,
    AgencyResult,
    Attachment,
    CrawlResult,
    Document,
    Evidence,
    FoundReport,
    Outcome,
)

logger = logging.getLogger(__name__)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class StoreBlobs:
    def __init__(self, blob_dir: str):
        self.blobs = BlobStore(blob_dir)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings.get("NIANBAO_BLOB_DIR"))

    def process_item(self, item):
        if item.get("type") == "document":
            body = item.pop("body", None)
            if body is not None and item.get("sha256"):
                item["sha256"] = self.blobs.put(body)
        return item


class AssembleResult:
    def __init__(self, crawler):
        self.crawler = crawler
        s = crawler.settings
        self.result_path = s.get("NIANBAO_RESULT_PATH")
        self.state_file = s.get("NIANBAO_STATE_FILE")
        self.data_dir = s.get("NIANBAO_DATA_DIR")
        self.documents: dict[str, dict] = {}
        self.candidates: list[dict] = []
        self.pages: dict[str, dict] = {}
        self.columns: dict[tuple[str, str], dict] = {}
        self.outcomes: list[dict] = []
        self.started = _now()

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_item(self, item):
        t = item.get("type")
        if t == "document":
            # listings are read per agency (shared columns); pages and files once per run
            key = (item["url"], item["agency"]) if item["role"] == "listing" else item["url"]
            self.documents.setdefault(key, item)
        elif t == "candidate":
            self.candidates.append(item)
        elif t == "page":
            self.pages[item["url"]] = item
        elif t == "column":
            c = self.columns.setdefault((item["agency"], item["column"]),
                                        {"report_like": 0, "for_year": 0, "pages": 0, "links": 0, "scripted": False})
            c["scripted"] = c["scripted"] or bool(item.get("scripted"))
            c["report_like"] += item["report_like"]
            c["for_year"] += item["for_year"]
            c["links"] += item["links"]
            c["pages"] += item.get("pages", 1)
        elif t == "outcome":
            self.outcomes.append(item)
        return item

    # -- assembly -------------------------------------------------------------------------
    def _attachment(self, url: str, label: str = "") -> Attachment:
        d = self.documents.get(url)
        ok = d is not None and d.get("status") and (200 <= d["status"] < 300 or d["status"] == 304)
        if not ok:
            return Attachment(url=url, label=label)
        name = att.filename_from_disposition(d["headers"].get("Content-Disposition")) or att.filename_from_url(d["final_url"])
        return Attachment(url=url, sha256=d["sha256"], filename=name, content_type=d["content_type"],
                          size=d["size"], unchanged=bool(d["unchanged"]), label=label)

    def build(self) -> CrawlResult:
        spider = self.crawler.spider
        year = getattr(spider, "year", 0)
        agencies = {a.id: AgencyResult(agency=a.id) for a in getattr(spider, "agencies", [])}

        def bucket(agency_id: str) -> AgencyResult:
            return agencies.setdefault(agency_id, AgencyResult(agency=agency_id))

        for d in self.documents.values():
            bucket(d["agency"]).documents.append(Document(**{k: v for k, v in d.items() if k != "type"}))
        # a listing read for two agencies sharing a column is two documents (one each); pages and
        # attachments are fetched once, so an agency whose report another agency's request fetched
        # gets that document too
        own = self._own_reports(agencies, bucket)
        self._share(own, bucket)
        # a failed report page or attachment is the problem of the agencies whose report it is
        owners: dict[str, set[str]] = {}
        for c in own:
            for url in [c["url"]] + [a["url"] for a in (self.pages.get(c["url"]) or {}).get("attachments", [])]:
                owners.setdefault(url, set()).add(c["agency"])
        for o in self.outcomes:
            for agency_id in sorted(owners.get(o["url"]) or {o["agency"]}):
                bucket(agency_id).outcomes.append(Outcome(**{**{k: v for k, v in o.items() if k != "type"}, "agency": agency_id}))
        seen: set[tuple[str, str]] = set()
        for c in own:
            if (c["agency"], c["url"]) in seen:
                continue
            seen.add((c["agency"], c["url"]))
            doc = self.documents.get(c["url"])
            if doc is None or not doc.get("status") or not (200 <= doc["status"] < 300 or doc["status"] == 304):
                continue  # the link is dead or blocked: its outcome says so
            page = self.pages.get(c["url"])
            evidence = Evidence(listing_date=c.get("listing_date"), first_seen=doc["fetched_at"])
            if c["direct"] or (page and page.get("is_file")):
                attachments = [self._attachment(c["url"], c["title"])]
                page_sha = None
            elif page is None:
                continue  # a page that was blocked (captcha) is not a report
            else:
                attachments = [self._attachment(a["url"], a.get("label", "")) for a in page["attachments"]]
                page_sha = doc["sha256"]
            if page:
                for k, v in (page.get("evidence") or {}).items():
                    setattr(evidence, k, v)
            if evidence.url_date is None:
                from .dates import url_date

                evidence.url_date = url_date(c["url"])
            parts = [doc] + [self.documents[a.url] for a in attachments if a.url in self.documents]
            report = FoundReport(
                page_url=c["url"],
                title=(page or {}).get("title") or c["title"],
                year=c["year"],
                listing_url=c["listing_url"],
                page_sha256=page_sha,
                attachments=attachments,
                evidence=evidence,
                meta=(page or {}).get("meta") or {},
                changed=any(p.get("previous_sha256") for p in parts),
            )
            bucket(c["agency"]).reports.append(report)
        failed_agencies = {aid for aid, ar in agencies.items() if ar.outcomes}
        for (agency_id, column), c in sorted(self.columns.items()):
            if c["report_like"] == 0:
                a = self._agency(agency_id)
                why = "the site may have moved"
                if a is not None and a.hints.js and not getattr(spider, "use_playwright", False):
                    why = "the column is built by JavaScript and this crawl did not render it (Playwright off)"
                elif c["scripted"]:
                    why = "the page loads content by script: the list may need a browser (set hints.js in the registry)"
                bucket(agency_id).outcomes.append(Outcome(
                    outcome=LISTING_CHANGED, url=column, agency=agency_id,
                    detail=f"column yields no report-like links ({c['pages']} page(s), {c['links']} links): {why}",
                ))
        for agency_id, ar in agencies.items():
            cols = [c for (a, _), c in self.columns.items() if a == agency_id]
            if cols and not ar.reports and any(c["report_like"] for c in cols) and agency_id not in failed_agencies:
                detail = f"the column lists {sum(c['report_like'] for c in cols)} annual report(s), none of them this agency's for {year}"
                if ar.skipped_reports:
                    detail += f" ({len(ar.skipped_reports)} for {year} name other bodies: see skipped_reports)"
                ar.outcomes.append(Outcome(
                    outcome=NO_REPORT, url=(getattr(self._agency(agency_id), "columns", None) or [""])[0], agency=agency_id,
                    detail=detail,
                ))
        for ar in agencies.values():
            ar.stats = {
                "documents": len(ar.documents),
                "reports": len(ar.reports),
                "bytes": sum(d.size for d in ar.documents),
                "unchanged": sum(1 for d in ar.documents if d.unchanged),
                "outcomes": len(ar.outcomes),
                "skipped_reports": len(ar.skipped_reports),
            }
        stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
        return CrawlResult(
            year=year, agencies=agencies, started_at=self.started, finished_at=_now(), ok=True,
            stats={k: v for k, v in stats.items() if isinstance(v, (int, float, str)) and not k.startswith("playwright/request_")},
        )

    def _share(self, candidates, bucket) -> None:
        """A page or file fetched once serves every agency whose report it is: each gets the document."""
        for c in candidates:
            ar = bucket(c["agency"])
            urls = [c["url"]] + [a["url"] for a in (self.pages.get(c["url"]) or {}).get("attachments", [])]
            have = {d.url for d in ar.documents}
            for url in urls:
                d = self.documents.get(url)
                if d is not None and d["agency"] != c["agency"] and url not in have:
                    ar.documents.append(Document(**{**{k: v for k, v in d.items() if k != "type"}, "agency": c["agency"]}))
                    have.add(url)

    def _own_reports(self, agencies, bucket) -> list[dict]:
        """Candidates that are the agency's own report. A government's column often lists its
        departments' reports too: when some titles name the agency, titles naming another body
        are set aside (kept in ``skipped_reports``, never silently dropped). When none names it
        (registry name and title differ), all are kept: a missed report is the worse error."""
        from .recognize import names_agency

        out = []
        by_agency: dict[str, list[dict]] = {}
        for c in self.candidates:
            by_agency.setdefault(c["agency"], []).append(c)
        for agency_id, cands in by_agency.items():
            a = self._agency(agency_id)
            # an ad-hoc agency (crawl --url) without --name is named after its host: no filtering
            name = a.name if a is not None and not (a.id.startswith("url:") and a.id == f"url:{a.name}") else ""
            verdicts = [names_agency(c["title"], name) if name else None for c in cands]
            if any(v is True for v in verdicts):
                for c, v in zip(cands, verdicts):
                    if v is False:
                        bucket(agency_id).skipped_reports.append(
                            {"url": c["url"], "title": c["title"], "reason": f"names another body, not {name}"})
                        continue
                    out.append(c)
            else:
                out.extend(cands)
        return out

    def _agency(self, agency_id):
        for a in getattr(self.crawler.spider, "agencies", []):
            if a.id == agency_id:
                return a
        return None

    def close_spider(self):
        result = self.build()
        found = sum(1 for a in result.agencies.values() if a.reports)
        outcomes = [o.outcome for a in result.agencies.values() for o in a.outcomes]
        logger.info("%d/%d agencies with a %s report; %d files; outcomes: %s", found, len(result.agencies), result.year,
                    sum(len(a.documents) for a in result.agencies.values()),
                    {k: outcomes.count(k) for k in sorted(set(outcomes))} or "none")
        data = result.to_dict()
        path = self.result_path
        if not path and self.data_dir:
            stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S.%fZ")
            path = str(Path(self.data_dir) / "crawls" / f"crawl-{result.year}-{stamp}.json")
        if path:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            tmp = f"{path}.tmp"
            with open(tmp, "w", encoding="utf-8") as f:
                json.dump(data, f, ensure_ascii=False, indent=1, default=str)
            os.replace(tmp, path)
            logger.info("crawl result written to %s", path)
        if self.state_file:
            save_state(self.state_file, result)
        self.result = result


def load_state(path: str | os.PathLike) -> dict:
    """Validators from the standalone state file ({} when absent or unreadable)."""
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def save_state(path: str | os.PathLike, result: CrawlResult) -> None:
    state = load_state(path)
    state.update(result.validators())
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    tmp = f"{path}.tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(state, f, ensure_ascii=False, indent=1)
    os.replace(tmp, path)
