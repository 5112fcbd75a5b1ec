"""The delivery log: one row per message per recipient per channel, so nothing is sent twice and
nothing is lost.

A row is created before anything is sent (``pending``), claimed while it is being sent
(``sending``, with a lease in ``next_attempt_at`` so a crashed sender's rows come back), and ends
``sent`` or, after ``alerts_max_attempts``, ``failed`` (re-queued by ``alerts send --retry-failed``).
A pending finding alert whose finding changed before it went out is ``superseded`` by the newer one.
Times are naive UTC, like the storage tables.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from monitor.storage.base import Base
from monitor.storage.models import JSONType, utcnow

KIND_FINDING = "finding"
KIND_DIGEST = "digest"
KIND_TEST = "test"

PENDING = "pending"
SENDING = "sending"
SENT = "sent"
FAILED = "failed"
SUPERSEDED = "superseded"
DELIVERY_STATUSES = (PENDING, SENDING, SENT, FAILED, SUPERSEDED)


class AlertDelivery(Base):
    __tablename__ = "alert_deliveries"
    __table_args__ = (
        UniqueConstraint("fingerprint", "recipient", "channel", name="uq_alert_deliveries_fingerprint_recipient_channel"),
        Index("ix_alert_deliveries_status_next_attempt_at", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # finding | digest | test
    # finding alerts: "<finding fingerprint>:<hash of its message+evidence>", so a changed finding is
    # a new row; digests: "digest:<local date>"
    fingerprint: Mapped[str] = mapped_column(String(128))
    finding_id: Mapped[int | None] = mapped_column(ForeignKey("findings.id", ondelete="SET NULL"), index=True)
    finding_fingerprint: Mapped[str | None] = mapped_column(String(64), index=True)
    recipient: Mapped[str] = mapped_column(String(128))  # the recipient's name in the routing file
    channel: Mapped[str] = mapped_column(String(64))  # the channel's name in the routing file
    audience: Mapped[str] = mapped_column(String(16))  # compliance | health
    title: Mapped[str] = mapped_column(Text)  # the message as rendered when the row was created
    body: Mapped[str] = mapped_column(Text)
    payload: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)  # digest: finding ids, window
    status: Mapped[str] = mapped_column(String(16), default=PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
