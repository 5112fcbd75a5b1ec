"""Read-side queries the operator commands and the export share."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .models import Agency, CrawlRun, Finding, HealthOutcome, Report


@dataclass
class FindingFilter:
    region: str | None = None  # substring of the agency's region
    agency: str | None = None  # agency id
    rule: str | None = None
    severity: str | None = None
    year: int | None = None
    status: str | None = None  # a status, or "active" (open, notified, confirmed)
    audience: str | None = None


def findings(session: Session, flt: FindingFilter) -> list[tuple[Finding, Agency]]:
    from .models import FINDING_ACTIVE

    q = select(Finding, Agency).join(Agency, Agency.id == Finding.agency_id)
    if flt.region:
        q = q.where(Agency.region.contains(flt.region))
    if flt.agency:
        q = q.where(Finding.agency_id == flt.agency)
    if flt.rule:
        q = q.where(Finding.rule == flt.rule)
    if flt.severity:
        q = q.where(Finding.severity == flt.severity)
    if flt.year:
        q = q.where(Finding.year == flt.year)
    if flt.status == "active":
        q = q.where(Finding.status.in_(FINDING_ACTIVE))
    elif flt.status:
        q = q.where(Finding.status == flt.status)
    if flt.audience:
        q = q.where(Finding.audience == flt.audience)
    q = q.order_by(Agency.region, Finding.agency_id, Finding.year, Finding.severity, Finding.rule, Finding.id)
    return [(f, a) for f, a in session.execute(q).all()]


def finding_json(f: Finding, a: Agency) -> dict[str, Any]:
    return {
        "id": f.id, "agency_id": f.agency_id, "agency": a.name, "region": a.region, "year": f.year,
        "rule": f.rule, "check_id": f.check_id, "severity": f.severity, "audience": f.audience,
        "status": f.status, "message": f.message, "evidence": f.evidence, "report_id": f.report_id,
        "first_seen": f.first_seen.isoformat(), "last_seen": f.last_seen.isoformat(),
        "resolved_at": f.resolved_at.isoformat() if f.resolved_at else None,
        "review_note": f.review_note, "reviewed_by": f.reviewed_by,
        "reviewed_at": f.reviewed_at.isoformat() if f.reviewed_at else None,
        "fingerprint": f.fingerprint,
    }


def last_runs(session: Session) -> list[tuple[Agency, CrawlRun | None, list[HealthOutcome]]]:
    """Each agency with its latest crawl run and that run's health outcomes."""
    latest = (
        select(CrawlRun.agency_id, func.max(CrawlRun.id).label("run_id")).group_by(CrawlRun.agency_id).subquery()
    )
    rows = session.execute(
        select(Agency, CrawlRun).outerjoin(latest, latest.c.agency_id == Agency.id)
        .outerjoin(CrawlRun, CrawlRun.id == latest.c.run_id).order_by(Agency.region, Agency.id)
    ).all()
    out = []
    for agency, run in rows:
        health = [] if run is None else list(
            session.scalars(select(HealthOutcome).where(HealthOutcome.crawl_run_id == run.id).order_by(HealthOutcome.id))
        )
        out.append((agency, run, health))
    return out


def current_reports(session: Session, year: int | None) -> dict[tuple[str, int], Report]:
    q = select(Report).where(Report.current.is_(True))
    if year:
        q = q.where(Report.year == year)
    return {(r.agency_id, r.year): r for r in session.scalars(q)}
