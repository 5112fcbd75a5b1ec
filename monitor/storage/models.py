"""The tables of the monitor: who we watch, what we fetched, what we read, what is wrong.

Times are naive UTC everywhere (SQLite keeps no zone). Every natural key has a unique
constraint, so re-running a step upserts instead of duplicating.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base

JSONType = JSON().with_variant(JSONB(), "postgresql")

# finding lifecycle (FINDINGS.md): open -> notified -> confirmed | dismissed; -> resolved when no longer raised
FINDING_OPEN = "open"
FINDING_NOTIFIED = "notified"
FINDING_CONFIRMED = "confirmed"
FINDING_DISMISSED = "dismissed"
FINDING_RESOLVED = "resolved"
FINDING_STATUSES = (FINDING_OPEN, FINDING_NOTIFIED, FINDING_CONFIRMED, FINDING_DISMISSED, FINDING_RESOLVED)
# statuses in which a finding is still a live problem
FINDING_ACTIVE = (FINDING_OPEN, FINDING_NOTIFIED, FINDING_CONFIRMED)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)


class Agency(Base):
    __tablename__ = "agencies"

    id: Mapped[str] = mapped_column(String(128), primary_key=True)  # the registry id
    name: Mapped[str] = mapped_column(String(256))
    region: Mapped[str | None] = mapped_column(String(128))
    level: Mapped[str | None] = mapped_column(String(32))  # province | city | county | township ...
    kind: Mapped[str] = mapped_column(String(32), default="department")  # department | government | township
    portal: Mapped[str | None] = mapped_column(Text)
    columns: Mapped[list[Any]] = mapped_column(JSONType, default=list)  # annual-report column URLs
    hints: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)  # crawler hints (CMS, render, ...)
    deadline_override: Mapped[dt.date | None] = mapped_column(Date)  # a province's earlier date
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class CrawlRun(Base):
    """One crawl of one agency's portal for one report year."""

    __tablename__ = "crawl_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency_id: Mapped[str] = mapped_column(ForeignKey("agencies.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(32), default="running")  # running | ok | failed
    counts: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    error: Mapped[str | None] = mapped_column(Text)


class HealthOutcome(Base):
    """What a crawl or parse ran into (FINDINGS.md, Health): fetch_failed, blocked, listing_changed ..."""

    __tablename__ = "health_outcomes"
    __table_args__ = (UniqueConstraint("crawl_run_id", "outcome", "url", name="uq_health_outcomes_run_outcome_url"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    crawl_run_id: Mapped[int] = mapped_column(ForeignKey("crawl_runs.id"), index=True)
    agency_id: Mapped[str] = mapped_column(ForeignKey("agencies.id"), index=True)
    outcome: Mapped[str] = mapped_column(String(64))
    url: Mapped[str] = mapped_column(Text, default="")
    detail: Mapped[str | None] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Document(Base):
    """A URL on an agency's portal that we fetched: a report page, an attachment or a listing."""

    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("agency_id", "url", name="uq_documents_agency_url"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency_id: Mapped[str] = mapped_column(ForeignKey("agencies.id"), index=True)
    url: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(32), default="page")  # page | attachment | listing
    title: Mapped[str | None] = mapped_column(Text)
    year: Mapped[int | None] = mapped_column(Integer)  # the report year the crawl assigned
    parent_url: Mapped[str | None] = mapped_column(Text)
    first_seen: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    last_seen: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    versions: Mapped[list["DocumentVersion"]] = relationship(back_populates="document", order_by="DocumentVersion.id")


class DocumentVersion(Base):
    """One distinct content of a document; the bytes are in the BlobStore under ``sha256``."""

    __tablename__ = "document_versions"
    __table_args__ = (UniqueConstraint("document_id", "sha256", name="uq_document_versions_document_sha256"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(Integer)
    content_type: Mapped[str | None] = mapped_column(String(256))
    headers: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    etag: Mapped[str | None] = mapped_column(String(512))
    last_modified: Mapped[str | None] = mapped_column(String(128))
    # publication evidence the crawl saw for this version (meta PubDate, 发布日期, URL date, list date ...)
    evidence: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    fetched_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)  # latest fetch of this content
    first_seen: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    crawl_run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id"))

    document: Mapped[Document] = relationship(back_populates="versions")


class Report(Base):
    """The canonical reading of one agency's report for one year, from one document version."""

    __tablename__ = "reports"
    __table_args__ = (UniqueConstraint("agency_id", "year", "version_id", name="uq_reports_agency_year_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency_id: Mapped[str] = mapped_column(ForeignKey("agencies.id"), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("document_versions.id"))
    source_url: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    published_on: Mapped[dt.date | None] = mapped_column(Date)  # the best date evidence
    evidence: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)  # all date evidence, by source
    parse_status: Mapped[str] = mapped_column(String(32))
    parse_error: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)  # parsers.model.Report.to_dict()
    parser_version: Mapped[str | None] = mapped_column(String(64))
    current: Mapped[bool] = mapped_column(Boolean, default=True)  # the latest version for agency+year
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class Finding(Base):
    """One thing wrong, with its evidence and its review lifecycle."""

    __tablename__ = "findings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # unique per agency + year + the rule's own key (hash of those)
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True)
    rule: Mapped[str] = mapped_column(String(64), index=True)
    check_id: Mapped[str | None] = mapped_column(String(64))  # T3-BAL, X-CARRY ...
    severity: Mapped[str] = mapped_column(String(16))  # error | warning | info
    audience: Mapped[str] = mapped_column(String(16), default="compliance")  # compliance | health
    # which step raises it, so a step only resolves its own: "check" (rules on a report) | "crawl"
    origin: Mapped[str] = mapped_column(String(16), default="check")
    agency_id: Mapped[str] = mapped_column(ForeignKey("agencies.id"), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    status: Mapped[str] = mapped_column(String(16), default=FINDING_OPEN, index=True)
    message: Mapped[str] = mapped_column(Text)
    evidence: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    report_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id"))
    first_seen: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    last_seen: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    review_note: Mapped[str | None] = mapped_column(Text)
    reviewed_by: Mapped[str | None] = mapped_column(String(128))
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
