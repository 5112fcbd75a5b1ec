"""Alerts end to end against a real SMTP server and a real webhook receiver on 127.0.0.1, on SQLite
and PostgreSQL: delivery with evidence, dedupe, digests, retries after an outage, audiences kept
apart, and the finding lifecycle (open → notified only)."""
from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select

from alert_helpers import SmtpReceiver, WebhookReceiver
from monitor.alerts import dispatch, retry_failed, send_digest
from monitor.alerts import models as M
from monitor.settings import Settings
from monitor.storage import db
from monitor.storage.models import Agency, Finding

T0 = dt.datetime(2025, 2, 1, 1, 0, 0)  # naive UTC: 09:00 in Shanghai


@pytest.fixture
def smtp():
    with SmtpReceiver() as s:
        yield s


@pytest.fixture
def hook():
    receiver = WebhookReceiver().start()
    yield receiver
    receiver.stop()


@pytest.fixture
def factory(db_urls):
    f = db.session_factory(db_urls)
    yield f
    f.kw["bind"].dispose()


@pytest.fixture
def session(factory):
    with factory() as s:
        yield s


def _write_config(path: Path, smtp: SmtpReceiver, hook: WebhookReceiver, outbox: Path) -> Path:
    cfg = {
        "channels": {"mail": smtp.url(), "ops": hook.url("/ops"), "box": f"outbox://{outbox}"},
        "recipients": [
            {"name": "浙江省政务公开办", "audience": "compliance", "channels": ["mail"], "to": "zj@example.org",
             "regions": ["浙江省"]},
            {"name": "全国督查", "audience": "compliance", "channels": ["box"]},
            {"name": "运维值班", "audience": "health", "channels": ["ops"]},
        ],
    }
    path.write_text(yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def settings(tmp_path, smtp, hook, db_urls) -> Settings:
    cfg = _write_config(tmp_path / "alerts.yaml", smtp, hook, tmp_path / "outbox")
    return Settings(data_dir=tmp_path, database_url=db_urls, alerts_config=str(cfg),
                    alerts_backoff_seconds=60, alerts_max_attempts=4)


def _outbox(settings: Settings) -> list[str]:
    folder = settings.data_dir / "outbox"
    return sorted(p.read_text(encoding="utf-8") for p in folder.glob("*.txt")) if folder.exists() else []


def _seed(session) -> dict[str, Finding]:
    session.add_all([
        Agency(id="zj-hz-fgw", name="杭州市发展和改革委员会", region="浙江省杭州市", kind="department"),
        Agency(id="js-nj-gov", name="南京市人民政府", region="江苏省南京市", kind="government"),
    ])
    findings = {
        "arith": Finding(
            fingerprint="f" * 40, rule="table_arithmetic", check_id="T3-TOT", severity="error", audience="compliance",
            agency_id="zj-hz-fgw", year=2024, status="open", message="表三“本年新收”总计列与各列之和不符：应为 12，实为 15。",
            evidence={"cells": ["table3.new[6]", "table3.new[0]"], "values": {"table3.new[6]": 15, "table3.new[0]": 12},
                      "expected": 12, "actual": 15, "quote": "本年共收到政府信息公开申请15件",
                      "source": {"url": "http://zj.example.gov.cn/nb/2024.pdf", "sha256": "ab" * 32}},
            first_seen=T0 - dt.timedelta(hours=2), last_seen=T0,
        ),
        "missing": Finding(
            fingerprint="m" * 40, rule="missing_report", check_id="D-GOV", severity="error", audience="compliance",
            agency_id="js-nj-gov", year=2024, status="open", message="截止日期已过，未在门户网站找到2024年度报告。",
            evidence={"deadline": "2025-03-31", "source": {"url": "http://nj.example.gov.cn/col/nb/", "sha256": None}},
            first_seen=T0 - dt.timedelta(hours=1), last_seen=T0,
        ),
        "health": Finding(
            fingerprint="h" * 40, rule="fetch_failed", severity="warning", audience="health",
            agency_id="zj-hz-fgw", year=2024, status="open", message="抓取年报栏目失败：HTTP 503。",
            evidence={"status": 503, "source": {"url": "http://zj.example.gov.cn/col/nb/", "sha256": None}},
            first_seen=T0 - dt.timedelta(hours=1), last_seen=T0,
        ),
    }
    session.add_all(findings.values())
    session.commit()
    return findings


def _deliveries(session) -> list[M.AlertDelivery]:
    session.expire_all()
    return session.scalars(select(M.AlertDelivery).order_by(M.AlertDelivery.id)).all()


def test_each_finding_reaches_its_recipients_once_with_its_evidence(session, settings, smtp, hook):
    found = _seed(session)
    report = dispatch(session, settings, now=T0)

    assert (report.created, report.sent, report.failed_attempts, report.pending) == (4, 4, 0, 0)
    # the 浙江 recipient only hears about the 浙江 agency, by e-mail, at its address
    assert len(smtp.messages) == 1
    mail = smtp.messages[0]
    assert mail.recipients == ["zj@example.org"]
    assert "杭州市发展和改革委员会" in mail.subject and "表格数据勾稽关系不符" in mail.subject
    for needle in ("2024年度", "table_arithmetic/T3-TOT", "应为 12，实为 15", "表三 一、本年新收 总计列（table3.new[6]） = 15",
                   "“本年共收到政府信息公开申请15件”", "http://zj.example.gov.cn/nb/2024.pdf", "ab" * 32, "浙江省杭州市"):
        assert needle in mail.body, needle
    # the national recipient gets both compliance findings in its outbox
    box = _outbox(settings)
    assert len(box) == 2
    assert any("南京市人民政府" in m and "未发布年度报告" in m for m in box)
    # operators get the health finding, by webhook
    assert [h.path for h in hook.requests] == ["/ops"]
    assert "抓取失败" in hook.requests[0].body["title"] and "HTTP 503" in hook.requests[0].body["message"]

    session.expire_all()
    assert {f.status for f in found.values()} == {"notified"}
    rows = _deliveries(session)
    assert {r.status for r in rows} == {"sent"} and all(r.attempts == 1 and r.sent_at == T0 for r in rows)


def test_second_dispatch_sends_nothing(session, settings, smtp, hook):
    _seed(session)
    dispatch(session, settings, now=T0)
    again = dispatch(session, settings, now=T0 + dt.timedelta(hours=1))
    assert (again.created, again.sent) == (0, 0)
    assert len(smtp.messages) == 1 and len(hook.requests) == 1 and len(_outbox(settings)) == 2
    assert len(_deliveries(session)) == 4


def test_health_findings_never_reach_compliance_recipients_and_vice_versa(session, settings, smtp, hook):
    _seed(session)
    dispatch(session, settings, now=T0)
    send_digest(session, settings, now=T0)
    compliance_text = [m.subject + m.body for m in smtp.messages] + _outbox(settings)
    assert compliance_text and not any("抓取失败" in t or "fetch_failed" in t or "HTTP 503" in t for t in compliance_text)
    ops_text = [h.body["title"] + h.body["message"] for h in hook.requests]
    assert ops_text and not any("勾稽" in t or "未发布年度报告" in t for t in ops_text)
    for row in _deliveries(session):
        assert row.audience == ("health" if row.recipient == "运维值班" else "compliance")


def test_webhook_down_then_up_delivers_exactly_once(session, settings, smtp, hook):
    _seed(session)
    hook.stop()
    first = dispatch(session, settings, now=T0)
    assert first.failed_attempts == 1 and first.pending == 1
    (row,) = [r for r in _deliveries(session) if r.channel == "ops"]
    assert (row.status, row.attempts) == ("pending", 1)
    assert "connection" in (row.last_error or "").lower()
    assert row.next_attempt_at == T0 + dt.timedelta(seconds=60)
    assert session.get(Finding, row.finding_id).status == "open"  # not notified until delivered

    hook.start()
    early = dispatch(session, settings, now=T0 + dt.timedelta(seconds=30))  # backoff not over: not retried
    assert (early.sent, early.failed_attempts) == (0, 0) and hook.requests == []

    later = dispatch(session, settings, now=T0 + dt.timedelta(seconds=61))
    assert later.sent == 1 and later.pending == 0
    dispatch(session, settings, now=T0 + dt.timedelta(hours=2))
    assert len(hook.requests) == 1
    session.expire_all()
    row = session.get(M.AlertDelivery, row.id)
    assert (row.status, row.attempts, row.last_error) == ("sent", 2, None)
    assert session.get(Finding, row.finding_id).status == "notified"


def test_smtp_down_backs_off_exponentially_then_delivers_once(session, settings, smtp):
    _seed(session)
    smtp.stop()
    t = T0
    dispatch(session, settings, now=t)
    (row,) = [r for r in _deliveries(session) if r.channel == "mail"]
    waits = []
    for _ in range(2):
        waits.append(row.next_attempt_at - t)
        t = row.next_attempt_at
        dispatch(session, settings, now=t)
        session.expire_all()
        row = session.get(M.AlertDelivery, row.id)
    waits.append(row.next_attempt_at - t)
    assert waits == [dt.timedelta(seconds=60), dt.timedelta(seconds=120), dt.timedelta(seconds=240)]
    assert (row.status, row.attempts) == ("pending", 3)
    smtp.start()
    dispatch(session, settings, now=row.next_attempt_at)
    dispatch(session, settings, now=row.next_attempt_at + dt.timedelta(days=1))
    assert len(smtp.messages) == 1 and smtp.messages[0].recipients == ["zj@example.org"]


def test_gives_up_after_the_attempt_limit_and_can_be_requeued(session, settings, hook):
    _seed(session)
    hook.stop()
    t = T0
    reports = []
    for _ in range(settings.alerts_max_attempts):
        reports.append(dispatch(session, settings, now=t))
        t += dt.timedelta(days=1)
    assert sum(r.gave_up for r in reports) == 1 and reports[-1].errors
    (row,) = [r for r in _deliveries(session) if r.channel == "ops"]
    assert (row.status, row.attempts) == ("failed", settings.alerts_max_attempts)
    hook.start()
    assert dispatch(session, settings, now=t).sent == 0  # failed rows wait for an operator
    assert retry_failed(session, now=t) == 1
    assert dispatch(session, settings, now=t).sent == 1
    assert len(hook.requests) == 1


def test_changed_evidence_is_realerted_once_and_reviewed_findings_are_left_alone(session, settings, smtp, hook):
    found = _seed(session)
    dispatch(session, settings, now=T0)
    f = session.get(Finding, found["arith"].id)
    f.evidence = {**f.evidence, "values": {"table3.new[6]": 16, "table3.new[0]": 12}, "actual": 16}
    session.get(Finding, found["missing"].id).status = "confirmed"
    session.get(Finding, found["health"].id).status = "dismissed"
    session.commit()

    report = dispatch(session, settings, now=T0 + dt.timedelta(days=1))
    assert (report.created, report.sent) == (2, 2)  # arith, to 浙江 by mail and to the national outbox
    assert len(smtp.messages) == 2 and "（更新）" in smtp.messages[1].subject and "= 16" in smtp.messages[1].body
    assert len(hook.requests) == 1
    dispatch(session, settings, now=T0 + dt.timedelta(days=2))
    assert len(smtp.messages) == 2 and len(_outbox(settings)) == 3
    session.expire_all()
    assert session.get(Finding, found["missing"].id).status == "confirmed"
    assert session.get(Finding, found["health"].id).status == "dismissed"


def test_a_pending_alert_is_superseded_by_the_changed_finding(session, settings, smtp):
    found = _seed(session)
    smtp.stop()
    dispatch(session, settings, now=T0)
    f = session.get(Finding, found["arith"].id)
    f.message = "表三“本年新收”总计列与各列之和不符：应为 12，实为 17。"
    session.commit()
    smtp.start()
    report = dispatch(session, settings, now=T0 + dt.timedelta(hours=1))
    assert report.superseded == 1
    assert len(smtp.messages) == 1 and "实为 17" in smtp.messages[0].body
    assert "（更新）" not in smtp.messages[0].subject  # they never got the first version
    statuses = sorted(r.status for r in _deliveries(session) if r.channel == "mail")
    assert statuses == ["sent", "superseded"]


def test_daily_digest_lists_new_and_still_open_findings_once_a_day(session, settings, smtp, hook):
    found = _seed(session)
    dispatch(session, settings, now=T0)
    first = send_digest(session, settings, now=T0)
    assert first.sent == 3  # one per recipient with something to report
    digest_mail = smtp.messages[-1]
    assert "每日汇总" in digest_mail.subject and "新增 1 条" in digest_mail.subject
    assert "杭州市发展和改革委员会" in digest_mail.body and "南京" not in digest_mail.body
    assert "http://zj.example.gov.cn/nb/2024.pdf" in digest_mail.body
    national = [m for m in _outbox(settings) if "每日汇总" in m]
    assert len(national) == 1 and "新增 2 条" in national[0]

    again = send_digest(session, settings, now=T0 + dt.timedelta(hours=3))  # same local day
    assert (again.created, again.sent) == (0, 0)

    session.add(Finding(fingerprint="n" * 40, rule="blank_cells", severity="warning", audience="compliance",
                        agency_id="zj-hz-fgw", year=2024, status="open", message="表二有 3 个单元格为空。",
                        evidence={"cells": ["table2.licensing"], "source": {"url": "http://zj.example.gov.cn/nb/2024.pdf"}},
                        first_seen=T0 + dt.timedelta(hours=5), last_seen=T0 + dt.timedelta(hours=5)))
    session.get(Finding, found["missing"].id).status = "resolved"
    session.commit()
    next_day = send_digest(session, settings, now=T0 + dt.timedelta(days=1))
    assert next_day.sent == 3
    digest_mail = smtp.messages[-1]
    assert "新增 1 条，未处理 1 条" in digest_mail.subject and "表格单元格空白" in digest_mail.body
    national = sorted(m for m in _outbox(settings) if "每日汇总" in m)
    assert any("新增 1 条，未处理 1 条" in m and "南京市人民政府" not in m for m in national)
    session.expire_all()
    assert session.scalars(select(Finding.status).where(Finding.fingerprint == "n" * 40)).one() == "notified"


def test_no_config_means_alerts_are_off_and_nothing_is_recorded(session, tmp_path, db_urls):
    _seed(session)
    report = dispatch(session, Settings(data_dir=tmp_path, database_url=db_urls, alerts_config=""), now=T0)
    assert not report.configured and "NIANBAO_ALERTS" in report.summary()
    assert _deliveries(session) == []


def test_a_channel_removed_from_the_config_keeps_its_rows_pending(session, settings, smtp, hook, tmp_path):
    _seed(session)
    hook.stop()
    dispatch(session, settings, now=T0)
    cfg = yaml.safe_load(Path(settings.alerts_config).read_text(encoding="utf-8"))
    cfg["channels"].pop("ops")
    cfg["recipients"] = [r for r in cfg["recipients"] if r["name"] != "运维值班"]
    trimmed = tmp_path / "trimmed.yaml"
    trimmed.write_text(yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")
    report = dispatch(session, dataclasses.replace(settings, alerts_config=str(trimmed)), now=T0 + dt.timedelta(hours=1))
    (row,) = [r for r in _deliveries(session) if r.channel == "ops"]
    assert report.failed_attempts == 1 and row.status == "pending" and "not in the alerts config" in row.last_error


def test_a_webhook_answering_500_is_retried_not_counted_as_sent(session, settings, hook):
    _seed(session)
    hook.status = 500
    report = dispatch(session, settings, now=T0)
    (row,) = [r for r in _deliveries(session) if r.channel == "ops"]
    assert report.failed_attempts == 1 and row.status == "pending" and "500" in (row.last_error or "")
    hook.status = 200
    assert dispatch(session, settings, now=T0 + dt.timedelta(minutes=5)).sent == 1
    assert len(hook.requests) == 1


def test_confirmed_findings_stay_in_the_digest_but_get_no_new_alert(session, settings, smtp):
    found = _seed(session)
    session.get(Finding, found["arith"].id).status = "confirmed"
    session.commit()
    assert dispatch(session, settings, now=T0).sent == 2  # missing (outbox) and health (webhook), not the confirmed one
    assert smtp.messages == []
    send_digest(session, settings, now=T0)
    (digest,) = smtp.messages
    assert "杭州市发展和改革委员会" in digest.body and "已确认" in digest.body
    session.expire_all()
    assert session.get(Finding, found["arith"].id).status == "confirmed"


def test_two_dispatchers_at_once_send_each_message_once(factory, session, settings, smtp, hook):
    import threading

    _seed(session)
    errors = []

    def run():
        try:
            with factory() as s:
                dispatch(s, settings, now=T0)
        except Exception as e:  # surfaced below
            errors.append(e)

    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert errors == []
    rows = _deliveries(session)
    assert len(smtp.messages) == 1 and len(hook.requests) == 1 and len(_outbox(settings)) == 2, [
        (r.channel, r.status, r.last_error) for r in rows]
    assert sorted(r.status for r in _deliveries(session)) == ["sent"] * 4


def test_alerts_migration_goes_up_and_down(db_urls):
    from sqlalchemy import inspect

    db.upgrade(db_urls)
    engine = db.make_engine(db_urls)
    try:
        insp = inspect(engine)
        assert "alert_deliveries" in insp.get_table_names()
        uniques = {u["name"]: u["column_names"] for u in insp.get_unique_constraints("alert_deliveries")}
        assert uniques["uq_alert_deliveries_fingerprint_recipient_channel"] == ["fingerprint", "recipient", "channel"]
        db.downgrade(db_urls, "0001_initial")
        assert "alert_deliveries" not in inspect(engine).get_table_names()
        assert "findings" in inspect(engine).get_table_names()
        db.upgrade(db_urls)
        assert "alert_deliveries" in inspect(engine).get_table_names()
    finally:
        engine.dispose()


def test_pending_alerts_never_go_to_a_recipient_who_left_or_changed_audience(session, settings, smtp, hook, tmp_path):
    _seed(session)
    smtp.stop()
    dispatch(session, settings, now=T0)
    smtp.start()
    cfg = yaml.safe_load(Path(settings.alerts_config).read_text(encoding="utf-8"))
    zj = next(r for r in cfg["recipients"] if r["name"] == "浙江省政务公开办")
    zj["audience"] = "health"
    edited = tmp_path / "edited.yaml"
    edited.write_text(yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")
    dispatch(session, dataclasses.replace(settings, alerts_config=str(edited)), now=T0 + dt.timedelta(hours=1))
    cfg["recipients"].remove(zj)
    edited.write_text(yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")
    dispatch(session, dataclasses.replace(settings, alerts_config=str(edited)), now=T0 + dt.timedelta(hours=3))
    # the (now operator) recipient may get health alerts, but never the compliance one, nor does it
    # go to the mail channel's sender address once they are gone
    assert all("抓取失败" in m.subject for m in smtp.messages) and len(smtp.messages) <= 1
    (row,) = [r for r in _deliveries(session) if r.channel == "mail" and r.audience == "compliance"]
    assert row.status == "pending" and "no longer uses channel" in row.last_error
