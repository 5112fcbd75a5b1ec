"""Idempotent writes: every function finds the row by its natural key and updates it, or inserts it.

Callers commit; each function touches one small set of rows so a step's transaction stays short.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import asdict, is_dataclass
from typing import Any, Iterable

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from .models import (
    FINDING_ACTIVE,
    FINDING_DISMISSED,
    FINDING_OPEN,
    FINDING_RESOLVED,
    Agency,
    CrawlRun,
    Document,
    DocumentVersion,
    Finding,
    HealthOutcome,
    Report,
    utcnow,
)

AGENCY_FIELDS = ("name", "region", "level", "kind", "portal", "columns", "hints", "deadline_override")


def _plain(obj: Any) -> dict[str, Any]:
    if isinstance(obj, dict):
        return dict(obj)
    if is_dataclass(obj):
        return asdict(obj)
    if hasattr(obj, "model_dump"):
        return obj.model_dump()
    return {k: v for k, v in vars(obj).items() if not k.startswith("_")}


def _as_date(v: Any) -> dt.date | None:
    if v is None or v == "":
        return None
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    return dt.date.fromisoformat(str(v)[:10])


# -- agencies ---------------------------------------------------------------------------------


def agency_values(agency: Any) -> dict[str, Any]:
    """The agencies-table values of a registry entry (crawler.registry.Agency, or a dict)."""
    d = json.loads(json.dumps(_plain(agency), default=str, ensure_ascii=False))  # JSON-safe copies
    out: dict[str, Any] = {"id": str(d["id"]), "name": d.get("name") or str(d["id"])}
    for k in AGENCY_FIELDS[1:]:
        if d.get(k) is not None:
            out[k] = d[k]
    hints = out.get("hints") or {}
    out["hints"] = {k: v for k, v in hints.items() if v not in (None, False, "")}
    # the registry keeps a province's earlier deadline as a hint
    out["deadline_override"] = _as_date(out.get("deadline_override") or hints.get("deadline") or d.get("deadline"))
    out["kind"] = out.get("kind") or "department"
    return out


def upsert_agency(session: Session, agency: Any) -> Agency:
    values = agency_values(agency)
    row = session.get(Agency, values["id"])
    if row is None:
        row = Agency(**{"columns": [], "hints": {}} | values)
        session.add(row)
    else:
        for k, v in values.items():
            if getattr(row, k) != v:
                setattr(row, k, v)
    session.flush()
    return row


# -- crawl runs and health --------------------------------------------------------------------


def start_run(session: Session, agency_id: str, year: int) -> CrawlRun:
    run = CrawlRun(agency_id=agency_id, year=year, status="running", counts={})
    session.add(run)
    session.flush()
    return run


def finish_run(session: Session, run: CrawlRun, status: str, counts: dict[str, Any], error: str | None = None) -> None:
    run.status = status
    run.counts = dict(counts)
    run.error = error
    run.finished_at = utcnow()


def record_health(session: Session, run: CrawlRun, outcome: str, url: str = "", detail: str | None = None) -> HealthOutcome:
    row = session.scalar(
        select(HealthOutcome).where(
            HealthOutcome.crawl_run_id == run.id, HealthOutcome.outcome == outcome, HealthOutcome.url == (url or "")
        )
    )
    if row is None:
        row = HealthOutcome(crawl_run_id=run.id, agency_id=run.agency_id, outcome=outcome, url=url or "", detail=detail)
        session.add(row)
        session.flush()
    return row


# -- documents --------------------------------------------------------------------------------


def store_version(
    session: Session,
    agency_id: str,
    url: str,
    sha256: str,
    size: int,
    *,
    role: str = "page",
    title: str | None = None,
    year: int | None = None,
    parent_url: str | None = None,
    content_type: str | None = None,
    headers: dict[str, Any] | None = None,
    evidence: dict[str, Any] | None = None,
    fetched_at: dt.datetime | None = None,
    crawl_run_id: int | None = None,
) -> tuple[DocumentVersion, bool]:
    """Record that ``url`` served the bytes ``sha256`` (already in the BlobStore). Returns the version
    and whether it is new; a known content only moves ``fetched_at``/``last_seen`` forward."""
    now = fetched_at or utcnow()
    doc = session.scalar(select(Document).where(Document.agency_id == agency_id, Document.url == url))
    if doc is None:
        doc = Document(agency_id=agency_id, url=url, role=role, title=title, year=year, parent_url=parent_url,
                       first_seen=now, last_seen=now)
        session.add(doc)
        session.flush()
    else:
        doc.last_seen = max(doc.last_seen, now)
        doc.role = role or doc.role
        doc.title = title or doc.title
        doc.year = year if year is not None else doc.year
        doc.parent_url = parent_url or doc.parent_url
    headers = {str(k): str(v) for k, v in (headers or {}).items()}
    low = {k.lower(): v for k, v in headers.items()}
    ver = session.scalar(
        select(DocumentVersion).where(DocumentVersion.document_id == doc.id, DocumentVersion.sha256 == sha256)
    )
    if ver is not None:
        ver.fetched_at = max(ver.fetched_at, now)
        if evidence:
            merged = dict(ver.evidence or {}) | {k: v for k, v in evidence.items() if v}
            if merged != ver.evidence:
                ver.evidence = merged
        return ver, False
    ver = DocumentVersion(
        document_id=doc.id,
        sha256=sha256,
        size=size,
        content_type=content_type or low.get("content-type"),
        headers=headers,
        etag=low.get("etag"),
        last_modified=low.get("last-modified"),
        evidence=dict(evidence or {}),
        fetched_at=now,
        first_seen=now,
        crawl_run_id=crawl_run_id,
    )
    session.add(ver)
    session.flush()
    return ver, True


def latest_version(session: Session, document_id: int) -> DocumentVersion | None:
    return session.scalar(
        select(DocumentVersion).where(DocumentVersion.document_id == document_id)
        .order_by(DocumentVersion.fetched_at.desc(), DocumentVersion.id.desc()).limit(1)
    )


# -- reports ----------------------------------------------------------------------------------


def upsert_report(session: Session, agency_id: str, year: int, version: DocumentVersion, url: str, **values: Any) -> Report:
    """The report read from ``version``; it becomes the agency's current report for ``year``."""
    row = session.scalar(
        select(Report).where(Report.agency_id == agency_id, Report.year == year, Report.version_id == version.id)
    )
    if row is None:
        row = Report(agency_id=agency_id, year=year, version_id=version.id, source_url=url, sha256=version.sha256,
                     evidence={}, data={})
        session.add(row)
    for k, v in values.items():
        if getattr(row, k) != v:
            setattr(row, k, v)
    row.current = True
    session.flush()
    session.execute(
        update(Report)
        .where(Report.agency_id == agency_id, Report.year == year, Report.id != row.id, Report.current.is_(True))
        .values(current=False)
    )
    return row


def current_report(session: Session, agency_id: str, year: int) -> Report | None:
    return session.scalar(
        select(Report).where(Report.agency_id == agency_id, Report.year == year, Report.current.is_(True)).limit(1)
    )


# -- findings ---------------------------------------------------------------------------------


def finding_fingerprint(agency_id: str, year: int, key: str) -> str:
    return hashlib.sha256(f"{agency_id}|{year}|{key}".encode()).hexdigest()


def sync_findings(
    session: Session,
    agency_id: str,
    year: int,
    findings: Iterable[dict[str, Any]],
    *,
    origin: str,
    report_id: int | None = None,
    now: dt.datetime | None = None,
) -> dict[str, int]:
    """Make the stored findings of ``agency_id``/``year`` from ``origin`` match ``findings``.

    Each finding dict has rule, severity, audience, message, evidence, key (the rule's own
    fingerprint) and optionally check_id. New ones are inserted open; known ones get their
    evidence and last_seen refreshed (a resolved one reopens; staff decisions are kept); active
    ones no longer raised are resolved."""
    now = now or utcnow()
    counts = {"new": 0, "seen": 0, "reopened": 0, "resolved": 0}
    raised: set[str] = set()
    for f in findings:
        fp = finding_fingerprint(agency_id, year, f["key"])
        if fp in raised:
            continue
        raised.add(fp)
        row = session.scalar(select(Finding).where(Finding.fingerprint == fp))
        if row is None:
            session.add(
                Finding(
                    fingerprint=fp, rule=f["rule"], check_id=f.get("check_id"), severity=f["severity"],
                    audience=f.get("audience") or "compliance", origin=origin, agency_id=agency_id, year=year,
                    status=FINDING_OPEN, message=f["message"], evidence=f.get("evidence") or {},
                    report_id=report_id, first_seen=now, last_seen=now,
                )
            )
            counts["new"] += 1
            continue
        counts["seen"] += 1
        row.last_seen = max(row.last_seen, now)
        for k, v in (("severity", f["severity"]), ("message", f["message"]), ("evidence", f.get("evidence") or {}),
                     ("check_id", f.get("check_id")), ("report_id", report_id)):
            if getattr(row, k) != v:
                setattr(row, k, v)
        if row.status == FINDING_RESOLVED:
            row.status = FINDING_OPEN
            row.resolved_at = None
            counts["reopened"] += 1
    stale = session.scalars(
        select(Finding).where(
            Finding.agency_id == agency_id, Finding.year == year, Finding.origin == origin,
            Finding.status.in_(FINDING_ACTIVE),
        )
    ).all()
    for row in stale:
        if row.fingerprint not in raised:
            row.status = FINDING_RESOLVED
            row.resolved_at = now
            counts["resolved"] += 1
    session.flush()
    return counts


class ReviewError(ValueError):
    pass


def review_finding(session: Session, finding_id: int, decision: str, note: str, by: str | None,
                   now: dt.datetime | None = None) -> Finding:
    """Staff confirm or dismiss a finding, with a note saying why."""
    from .models import FINDING_CONFIRMED

    row = session.get(Finding, finding_id)
    if row is None:
        raise ReviewError(f"没有编号为 {finding_id} 的问题")
    if decision not in (FINDING_CONFIRMED, FINDING_DISMISSED):
        raise ReviewError(f"unknown decision {decision!r}")
    if not (note or "").strip():
        raise ReviewError("审核意见不能为空（--note）")
    row.status = decision
    row.review_note = note.strip()
    row.reviewed_by = by
    row.reviewed_at = now or utcnow()
    session.flush()
    return row
