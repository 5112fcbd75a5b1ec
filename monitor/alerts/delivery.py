"""Where an alert leaves: findings become delivery rows, due rows are sent, failures retried.

Two steps, each committed, so a crash or a dead channel loses nothing and a re-run sends nothing
twice: (1) for every live finding and every recipient it is routed to, a ``pending`` row keyed by
(finding fingerprint + hash of its message and evidence, recipient, channel) is created unless one
exists; (2) every due row is claimed, sent, and marked ``sent`` or scheduled for another attempt
with exponential backoff. A finding whose alert went out moves open → notified.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from dataclasses import asdict, dataclass, field
from typing import Iterable
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from monitor.settings import Settings
from monitor.storage.models import FINDING_ACTIVE, FINDING_NOTIFIED, FINDING_OPEN, Agency, Finding

from . import models as M
from .channels import send
from .config import AlertsConfig, Recipient, load_config
from .render import FindingView, digest_message, finding_message

log = logging.getLogger(__name__)

# findings that still deserve an alert: confirmed ones are being handled, the rest are closed
ALERTABLE = (FINDING_OPEN, FINDING_NOTIFIED)
# how long a claimed row stays claimed before another dispatcher may take it over (crash recovery)
SEND_LEASE = dt.timedelta(minutes=10)


@dataclass
class DispatchReport:
    configured: bool = True
    created: int = 0  # new delivery rows
    superseded: int = 0  # pending rows replaced by a newer version of their finding
    sent: int = 0
    failed_attempts: int = 0  # attempts that failed this run (will be retried)
    gave_up: int = 0  # rows that reached the attempt limit this run
    pending: int = 0  # rows still waiting after this run (due later)
    notified_findings: int = 0
    errors: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)

    def summary(self) -> str:
        if not self.configured:
            return "未配置告警路由（NIANBAO_ALERTS 为空），未发送任何消息。"
        s = (f"新建 {self.created} 条，发送成功 {self.sent} 条，发送失败 {self.failed_attempts} 次"
             f"（放弃 {self.gave_up} 条），待重试 {self.pending} 条，标记已通知的问题 {self.notified_findings} 个。")
        if self.superseded:
            s += f" 因内容更新而替换 {self.superseded} 条。"
        return s


def utcnow_naive(now: dt.datetime | None = None) -> dt.datetime:
    """``now`` (any zone, or naive UTC) as naive UTC, the storage convention."""
    now = now or dt.datetime.now(dt.timezone.utc)
    if now.tzinfo is not None:
        now = now.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return now.replace(microsecond=0)


def backoff(settings: Settings, attempts: int) -> dt.timedelta:
    """Delay before attempt ``attempts + 1``: base · 2^(attempts-1), capped."""
    seconds = settings.alerts_backoff_seconds * (2 ** max(attempts - 1, 0))
    return dt.timedelta(seconds=min(seconds, settings.alerts_backoff_max_seconds))


def alert_key(f: Finding) -> str:
    """The delivery fingerprint: the finding's own, plus what a reader would see change."""
    content = json.dumps({"message": f.message, "severity": f.severity, "evidence": f.evidence or {}},
                         sort_keys=True, ensure_ascii=False, default=str)
    return f"{f.fingerprint}:{hashlib.sha256(content.encode('utf-8')).hexdigest()[:16]}"


def _view(f: Finding, agency: Agency | None) -> FindingView:
    return FindingView(
        fingerprint=f.fingerprint, rule=f.rule, check_id=f.check_id, severity=f.severity, audience=f.audience,
        agency_id=f.agency_id, agency_name=agency.name if agency else None, region=agency.region if agency else None,
        year=f.year, status=f.status, message=f.message, evidence=f.evidence or {}, first_seen=f.first_seen,
    )


def _routed(r: Recipient, v: FindingView) -> bool:
    return r.wants(audience=v.audience, rule=v.rule, severity=v.severity, agency_id=v.agency_id,
                   agency_name=v.agency_name, region=v.region)


def _live_findings(session: Session, statuses: tuple[str, ...] = ALERTABLE) -> list[tuple[Finding, Agency | None]]:
    rows = session.execute(
        select(Finding, Agency).outerjoin(Agency, Agency.id == Finding.agency_id)
        .where(Finding.status.in_(statuses)).order_by(Finding.id)
        .execution_options(populate_existing=True)  # the database's current evidence, not the session's copy
    ).all()
    return [(f, a) for f, a in rows]


def _insert(session: Session, rows: list[M.AlertDelivery]) -> int:
    """Insert rows, skipping any another dispatcher inserted meanwhile; returns how many are new."""
    if not rows:
        return 0
    session.add_all(rows)
    try:
        session.commit()
        return len(rows)
    except IntegrityError:
        session.rollback()
    created = 0
    for row in rows:
        session.add(M.AlertDelivery(**{c.key: getattr(row, c.key) for c in M.AlertDelivery.__table__.columns if c.key != "id"}))
        try:
            session.commit()
            created += 1
        except IntegrityError:
            session.rollback()
    return created


def create_finding_deliveries(session: Session, settings: Settings, config: AlertsConfig,
                              now: dt.datetime, report: DispatchReport) -> None:
    existing = {
        tuple(r) for r in session.execute(
            select(M.AlertDelivery.fingerprint, M.AlertDelivery.recipient, M.AlertDelivery.channel)
            .where(M.AlertDelivery.kind == M.KIND_FINDING)
        )
    }
    def keys(*statuses: str) -> set[tuple[str, str, str]]:  # (finding fingerprint, recipient, channel)
        return {tuple(r) for r in session.execute(
            select(M.AlertDelivery.finding_fingerprint, M.AlertDelivery.recipient, M.AlertDelivery.channel)
            .where(M.AlertDelivery.kind == M.KIND_FINDING, M.AlertDelivery.status.in_(statuses))
        )}

    told = keys(M.SENT)  # an earlier version reached them: the new one is an update
    waiting = keys(M.PENDING, M.FAILED)  # an earlier version has not gone out: it is superseded
    new_rows: list[M.AlertDelivery] = []
    outdated: list[tuple[str, str, str, str]] = []
    for f, agency in _live_findings(session):
        view = _view(f, agency)
        key = alert_key(f)
        for r in config.recipients:
            if not r.instant or not _routed(r, view):
                continue
            for ch in r.channels:
                if (key, r.name, ch) in existing:
                    continue
                updated = (f.fingerprint, r.name, ch) in told
                if (f.fingerprint, r.name, ch) in waiting:
                    outdated.append((f.fingerprint, key, r.name, ch))
                title, body = finding_message(view, settings.timezone, updated=updated)
                new_rows.append(M.AlertDelivery(
                    kind=M.KIND_FINDING, fingerprint=key, finding_id=f.id, finding_fingerprint=f.fingerprint,
                    recipient=r.name, channel=ch, audience=r.audience, title=title, body=body,
                    payload={"rule": f.rule, "agency_id": f.agency_id, "year": f.year, "update": updated},
                    status=M.PENDING, attempts=0, next_attempt_at=now, created_at=now,
                ))
                existing.add((key, r.name, ch))
    # an older version not yet out is replaced, never sent after the new one; committed first so a
    # failed insert cannot undo it (a crash in between only means the new rows are created next time)
    for fp, key, recipient, ch in outdated:
        res = session.execute(
            update(M.AlertDelivery)
            .where(M.AlertDelivery.finding_fingerprint == fp, M.AlertDelivery.recipient == recipient,
                   M.AlertDelivery.channel == ch, M.AlertDelivery.status.in_((M.PENDING, M.FAILED)),
                   M.AlertDelivery.fingerprint != key)  # never the current version (a concurrent run's row)
            .values(status=M.SUPERSEDED, last_error="superseded by a newer version of the finding")
        )
        report.superseded += res.rowcount or 0
    session.commit()
    report.created += _insert(session, new_rows)


def _claim(session: Session, row_id: int, now: dt.datetime) -> bool:
    res = session.execute(
        update(M.AlertDelivery)
        .where(M.AlertDelivery.id == row_id, M.AlertDelivery.status.in_((M.PENDING, M.SENDING)),
               M.AlertDelivery.next_attempt_at <= now)
        .values(status=M.SENDING, next_attempt_at=now + SEND_LEASE)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return res.rowcount == 1


def _mark_notified(session: Session, finding_ids: Iterable[int]) -> int:
    ids = [i for i in finding_ids if i is not None]
    if not ids:
        return 0
    res = session.execute(
        update(Finding).where(Finding.id.in_(ids), Finding.status == FINDING_OPEN).values(status=FINDING_NOTIFIED)
        .execution_options(synchronize_session=False)  # the caller's objects are expired after the run
    )
    return res.rowcount or 0


def send_due(session: Session, settings: Settings, config: AlertsConfig, now: dt.datetime,
             report: DispatchReport, kinds: tuple[str, ...] | None = None) -> None:
    due = select(M.AlertDelivery.id).where(
        M.AlertDelivery.status.in_((M.PENDING, M.SENDING)), M.AlertDelivery.next_attempt_at <= now
    )
    if kinds:
        due = due.where(M.AlertDelivery.kind.in_(kinds))
    for row_id in session.scalars(due.order_by(M.AlertDelivery.next_attempt_at, M.AlertDelivery.id)).all():
        if not _claim(session, row_id, now):
            continue  # another dispatcher has it
        row = session.get(M.AlertDelivery, row_id, populate_existing=True)
        recipient = config.recipient(row.recipient)
        url = config.url_for(row.channel, recipient)
        if url is None:
            result_ok, error = False, f"channel {row.channel!r} is not in the alerts config"
        elif recipient is None or row.channel not in recipient.channels:
            # never fall back to the channel's default address: kept until the config names them again
            result_ok, error = False, f"recipient {row.recipient!r} no longer uses channel {row.channel!r} in the alerts config"
        elif recipient.audience != row.audience:  # compliance and health never mix, even after an edit
            result_ok, error = False, f"recipient {row.recipient!r} is now {recipient.audience}, this alert is {row.audience}"
        else:
            result = send(url, row.title, row.body)
            result_ok, error = result.ok, result.error
        row.attempts += 1
        if result_ok:
            row.status, row.sent_at, row.last_error = M.SENT, now, None
            ids = [row.finding_id] if row.kind == M.KIND_FINDING else list((row.payload or {}).get("finding_ids") or [])
            report.notified_findings += _mark_notified(session, ids)
            report.sent += 1
        else:
            report.failed_attempts += 1
            row.last_error = error
            if row.attempts >= settings.alerts_max_attempts:
                row.status = M.FAILED
                report.gave_up += 1
                report.errors.append(f"{row.recipient}/{row.channel}: gave up after {row.attempts} attempts: {error}")
            else:
                row.status = M.PENDING
                row.next_attempt_at = now + backoff(settings, row.attempts)
            log.warning("alert %s to %s via %s failed (attempt %d): %s", row.id, row.recipient, row.channel,
                        row.attempts, error)
        session.commit()
    report.pending = _count_pending(session)
    session.expire_all()  # findings changed by bulk updates: the caller reloads them


def _count_pending(session: Session) -> int:
    return int(session.scalar(
        select(func.count()).select_from(M.AlertDelivery).where(M.AlertDelivery.status.in_((M.PENDING, M.SENDING)))
    ) or 0)


def _config(settings: Settings, config: AlertsConfig | None) -> AlertsConfig | None:
    return config if config is not None else load_config(settings.alerts_config)


def _start(settings: Settings, config: AlertsConfig | None) -> tuple[DispatchReport, AlertsConfig | None]:
    """A fresh report and the routing config; no config means alerts are off (reported, not an error)."""
    report = DispatchReport()
    cfg = _config(settings, config)
    if cfg is None:
        report.configured = False
    return report, cfg


def dispatch(session: Session, settings: Settings, now: dt.datetime | None = None,
             config: AlertsConfig | None = None) -> DispatchReport:
    """Create deliveries for findings not yet alerted, then send every due delivery (retries too).

    Commits as it goes. Raises ``AlertConfigError`` for an unreadable routing file.
    """
    report, cfg = _start(settings, config)
    if cfg is None:
        return report
    now = utcnow_naive(now)
    create_finding_deliveries(session, settings, cfg, now, report)
    send_due(session, settings, cfg, now, report)
    return report


def send_digest(session: Session, settings: Settings, now: dt.datetime | None = None,
                config: AlertsConfig | None = None) -> DispatchReport:
    """Each digest recipient's daily summary: findings new since its last digest, and those still open.

    One per recipient, channel and local day (a second call the same day sends nothing); nothing is
    sent to a recipient with nothing open.
    """
    report, cfg = _start(settings, config)
    if cfg is None:
        return report
    now = utcnow_naive(now)
    day = now.replace(tzinfo=dt.timezone.utc).astimezone(ZoneInfo(settings.timezone)).date()
    found = _live_findings(session, FINDING_ACTIVE)  # confirmed problems stay in the digest until resolved
    live = [_view(f, a) for f, a in found]
    ids = {f.fingerprint: f.id for f, _a in found}
    rows: list[M.AlertDelivery] = []
    for r in cfg.recipients:
        if not r.digest:
            continue
        key = f"digest:{day.isoformat()}"
        taken = set(session.scalars(
            select(M.AlertDelivery.channel).where(M.AlertDelivery.fingerprint == key, M.AlertDelivery.recipient == r.name)
        ))
        channels = [c for c in r.channels if c not in taken]
        if not channels:
            continue
        since = session.scalar(
            select(M.AlertDelivery.created_at).where(M.AlertDelivery.kind == M.KIND_DIGEST,
                                                     M.AlertDelivery.recipient == r.name)
            .order_by(M.AlertDelivery.created_at.desc()).limit(1)
        )
        mine = [v for v in live if _routed(r, v)]
        new = [v for v in mine if since is None or (v.first_seen and v.first_seen > since)]
        still_open = [v for v in mine if v not in new]
        if not mine:
            continue
        title, body = digest_message(r.name, r.audience, day, new, still_open, settings.timezone)
        payload = {"finding_ids": [ids[v.fingerprint] for v in mine], "since": since.isoformat() if since else None,
                   "new": len(new), "open": len(still_open)}
        for ch in channels:
            rows.append(M.AlertDelivery(
                kind=M.KIND_DIGEST, fingerprint=key, recipient=r.name, channel=ch, audience=r.audience,
                title=title, body=body, payload=payload, status=M.PENDING, attempts=0,
                next_attempt_at=now, created_at=now,
            ))
    report.created += _insert(session, rows)
    send_due(session, settings, cfg, now, report, kinds=(M.KIND_DIGEST,))
    return report


def retry_failed(session: Session, now: dt.datetime | None = None) -> int:
    """Re-queue deliveries that reached the attempt limit (after the channel is fixed)."""
    now = utcnow_naive(now)
    res = session.execute(
        update(M.AlertDelivery).where(M.AlertDelivery.status == M.FAILED)
        .values(status=M.PENDING, attempts=0, next_attempt_at=now)
    )
    session.commit()
    return res.rowcount or 0


def send_test(settings: Settings, channel: str, config: AlertsConfig | None = None,
              recipient: str | None = None) -> tuple[bool, str | None]:
    """Send a test message through a configured channel name, or a raw apprise URL."""
    cfg = _config(settings, config)
    if cfg is not None and channel in cfg.channels:
        url = cfg.url_for(channel, cfg.recipient(recipient) if recipient else None)
    elif "://" in channel:
        url = channel
    else:
        return False, f"unknown channel {channel!r} (not in the alerts config, and not a URL)"
    result = send(url, "【年报监测】测试消息", "这是一条测试消息：告警渠道配置正确。\nThis is a test message from nianbao.")
    return result.ok, result.error


__all__ = ["DispatchReport", "dispatch", "send_digest", "retry_failed", "send_test"]
