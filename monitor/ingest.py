"""From a crawl result to stored rows, one short transaction per document.

The crawler has already written every fetched file into the BlobStore (atomic rename) before it
reports it, so a row is only ever written for bytes that exist, and a crash between the two
loses no stored file. This module is the one place that knows the shape of
crawler.result.CrawlResult.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any, Iterable

from sqlalchemy import select

from crawler.blobstore import BlobStore
from monitor.storage import repo
from monitor.storage.models import CrawlRun, Document, DocumentVersion

ROLE_REPORT_PAGE = "report_page"
ROLE_ATTACHMENT = "attachment"
ROLE_LISTING = "listing"


@dataclass
class Fetched:
    """One fetched document, with what the crawl's report entries said about it."""

    url: str
    role: str
    sha256: str
    size: int
    content_type: str | None = None
    headers: dict[str, Any] = field(default_factory=dict)
    title: str | None = None
    year: int | None = None
    parent_url: str | None = None  # the report page an attachment hangs from
    evidence: dict[str, Any] = field(default_factory=dict)  # publication-date evidence by source
    fetched_at: dt.datetime | None = None


def _naive_utc(v: Any) -> dt.datetime | None:
    if not v:
        return None
    if isinstance(v, str):
        v = dt.datetime.fromisoformat(v.replace("Z", "+00:00"))
    if v.tzinfo is not None:
        v = v.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return v.replace(microsecond=0)


def fetched_documents(agency_result: Any) -> list[Fetched]:
    """The stored-worthy documents of one agency's crawl result (crawler.result.AgencyResult):
    successful fetches with a hash, annotated from the report entries that link to them."""
    about: dict[str, dict[str, Any]] = {}
    for rep in agency_result.reports:
        ev = {k: v for k, v in asdict(rep.evidence).items() if v and k != "first_seen"}
        info = {"title": rep.title, "year": rep.year, "evidence": ev}
        about[rep.page_url] = info
        for att in rep.attachments:
            about[att.url] = {"title": att.label or att.filename or rep.title, "year": rep.year,
                              "parent_url": rep.page_url, "evidence": ev}
    out = []
    for d in agency_result.documents:
        if not d.sha256 or (d.status is not None and not 200 <= d.status < 400 and d.status != 304):
            continue
        info = about.get(d.url) or about.get(d.final_url) or {}
        out.append(Fetched(
            url=d.url, role=d.role, sha256=d.sha256, size=d.size, content_type=d.content_type,
            headers=dict(d.headers or {}), title=info.get("title"), year=info.get("year"),
            parent_url=info.get("parent_url"), evidence=dict(info.get("evidence") or {}),
            fetched_at=_naive_utc(d.fetched_at),
        ))
    return out


def known_validators(session, agency_id: str, store: BlobStore) -> dict[str, dict[str, Any]]:
    """``CrawlSpec.known`` for an agency: each stored URL's latest ETag, Last-Modified and hash, so
    the crawler can ask for changes only (never for a file whose bytes are not in the store)."""
    out: dict[str, dict[str, Any]] = {}
    for doc in session.scalars(select(Document).where(Document.agency_id == agency_id)):
        ver = repo.latest_version(session, doc.id)
        if ver is not None and store.has(ver.sha256):
            out[doc.url] = {"etag": ver.etag, "last_modified": ver.last_modified, "sha256": ver.sha256}
    return out


def store_documents(session_factory, store: BlobStore, agency_id: str, run: CrawlRun, docs: Iterable[Fetched],
                    progress=None) -> dict[str, int]:
    """Record each document (its bytes are already in ``store``), one commit each. A document whose
    blob is absent is recorded as a health outcome, never as a row without bytes."""
    counts = {"documents": 0, "new_versions": 0, "missing_blobs": 0}
    for doc in docs:
        if not store.has(doc.sha256):
            counts["missing_blobs"] += 1
            with session_factory() as s:
                repo.record_health(s, s.merge(run), "fetch_failed", doc.url,
                                   "the crawler reported a file that is not in the blob store")
                s.commit()
            continue
        with session_factory() as s:
            _ver, new = repo.store_version(
                s, agency_id, doc.url, doc.sha256, doc.size, role=doc.role, title=doc.title, year=doc.year,
                parent_url=doc.parent_url, content_type=doc.content_type, headers=doc.headers,
                evidence=doc.evidence, fetched_at=doc.fetched_at, crawl_run_id=run.id,
            )
            s.commit()
        counts["documents"] += 1
        counts["new_versions"] += int(new)
        if progress is not None:
            progress(doc)
    return counts


def verify_blob(store: BlobStore, sha256: str) -> bool:
    """The blob exists and hashes to its name."""
    return store.has(sha256) and hashlib.sha256(store.get(sha256)).hexdigest() == sha256


def version_blobs_ok(session, store: BlobStore) -> list[str]:
    """Hashes of stored versions whose blob is missing or corrupt (empty when all is well)."""
    return [sha for sha in session.scalars(select(DocumentVersion.sha256).distinct()) if not verify_blob(store, sha)]
