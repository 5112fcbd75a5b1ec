"""The scheduled jobs do their work: the alert jobs send through real receivers, and the campaign
job crawls the registry (here one portal that refuses connections), records the failure and
alerts operators about it."""
from __future__ import annotations

import pytest
import yaml

from alert_helpers import WebhookReceiver
from monitor import scheduler as S
from monitor.settings import get_settings
from monitor.storage import db
from monitor.storage.models import Agency, Finding


@pytest.fixture
def hook():
    receiver = WebhookReceiver().start()
    yield receiver
    receiver.stop()


@pytest.fixture
def env(tmp_path, monkeypatch, hook):
    cfg = tmp_path / "alerts.yaml"
    cfg.write_text(yaml.safe_dump({
        "channels": {"ops": hook.url("/ops"), "staff": hook.url("/staff")},
        "recipients": [{"name": "运维", "audience": "health", "channels": ["ops"]},
                       {"name": "督查", "audience": "compliance", "channels": ["staff"]}],
    }, allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv("NIANBAO_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("NIANBAO_DATABASE_URL", f"sqlite:///{tmp_path / 'nb.sqlite3'}")
    monkeypatch.setenv("NIANBAO_ALERTS", str(cfg))
    return tmp_path


def test_alert_jobs_dispatch_and_digest_through_the_configured_channels(env, hook):
    factory = db.session_factory(get_settings().db_url)
    with factory() as s:
        s.add(Agency(id="a1", name="某某县人民政府", region="某省", kind="government"))
        s.add(Finding(fingerprint="x" * 40, rule="missing_report", severity="error", audience="compliance",
                      agency_id="a1", year=2024, message="未找到2024年度报告。", evidence={}))
        s.commit()
    factory.kw["bind"].dispose()
    report = S.dispatch_job()
    assert report.sent == 1 and [h.path for h in hook.requests] == ["/staff"]
    assert S.dispatch_job().sent == 0
    assert S.digest_job().sent == 1
    assert [h.path for h in hook.requests] == ["/staff", "/staff"] and "每日汇总" in hook.requests[1].body["title"]


@pytest.mark.slow
def test_campaign_job_crawls_last_years_reports_and_alerts_operators_of_a_dead_portal(env, hook, monkeypatch):
    registry = env / "registry.yaml"
    registry.write_text(yaml.safe_dump({"agencies": [{
        "id": "t-closed", "name": "测试区人民政府办公室", "region": "某省测试市", "level": "county", "kind": "department",
        "portal": "http://127.0.0.1:9/", "columns": ["http://127.0.0.1:9/nb/"]}]}, allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv("NIANBAO_REGISTRY", str(registry))
    monkeypatch.setenv("NIANBAO_ALLOW_PRIVATE", "1")  # the dead portal is on 127.0.0.1
    result = S.campaign_job()
    today = S.local_today(get_settings())
    assert result.year == today.year - 1
    assert [o.state for o in result.outcomes] == ["crawl_failed"]
    assert result.alerts.sent >= 1
    assert hook.requests and {h.path for h in hook.requests} == {"/ops"}  # a health finding: operators only
    assert "测试区人民政府办公室" in hook.requests[0].body["title"]
    assert "127.0.0.1:9/nb/" in hook.requests[0].body["message"]
