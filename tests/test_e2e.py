"""End to end over the sample portal, on real SQLite and real PostgreSQL: the real crawler (Scrapy
subprocess, Chromium for the JavaScript column), parser, rules, storage and alerts (outbox
channel). Graded by the portal's manifest of planted problems; a second run changes nothing; a
report changed on the portal (phase 2) is a new version and a modified_after_publication finding."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest
from sqlalchemy import func, select

from crawler.blobstore import BlobStore
from monitor import pipeline
from monitor.alerts import models as AM
from monitor.ingest import version_blobs_ok
from monitor.settings import Settings
from monitor.storage import db
from monitor.storage.models import FINDING_ACTIVE, CrawlRun, Finding, HealthOutcome, Report
from pipeline_helpers import findings_snapshot, row_counts
from tests.crawler_helpers import FAST, prerendered_portal

# outcomes that make an agency's portal unreadable: no compliance judgement at all
UNJUDGED = {"blocked", "listing_changed"}


@pytest.fixture(scope="module")
def portal():
    p = prerendered_portal()
    yield p
    p.stop()


@pytest.fixture
def parse_cache(shared_parse_cache):
    return shared_parse_cache


def _settings(tmp_path, url, parse_cache) -> Settings:
    outbox = tmp_path / "outbox"
    alerts = tmp_path / "alerts.yaml"
    alerts.write_text(
        "channels:\n"
        f"  box: \"outbox://{outbox}\"\n"
        "recipients:\n"
        "  - {name: 政务公开办, audience: compliance, channels: [box], min_severity: warning}\n"
        "  - {name: 运维, audience: health, channels: [box]}\n",
        encoding="utf-8",
    )
    return Settings(data_dir=tmp_path / "data", database_url=url, allow_private=True, alerts_config=str(alerts),
                    parse_cache=str(parse_cache))


def _state(session, outbox) -> dict:
    return {
        "rows": {k: v for k, v in row_counts(session).items() if k not in ("crawl_runs", "health_outcomes")},
        "findings": findings_snapshot(session),
        "deliveries": sorted((d.fingerprint, d.recipient, d.channel, d.status) for d in session.scalars(select(AM.AlertDelivery))),
        "outbox": len(list(outbox.glob("*.txt"))),
    }


def _active_rules(session) -> dict[str, set[str]]:
    """(rule, audience) per agency; a compliance problem held back because it rests on cells the
    parser cannot vouch for (OCR) counts as (rule, "held_back")."""
    out = defaultdict(set)
    for f in session.scalars(select(Finding).where(Finding.status.in_(FINDING_ACTIVE))):
        out[f.agency_id].add((f.rule, f.audience))
        if (f.evidence or {}).get("held_back_rule"):
            out[f.agency_id].add((f.evidence["held_back_rule"], "held_back"))
    return out


@pytest.mark.slow
def test_campaign_over_sample_portal(portal, parse_cache, db_urls, tmp_path):
    settings = _settings(tmp_path, db_urls, parse_cache)
    outbox = tmp_path / "outbox"
    factory = db.session_factory(db_urls)
    year = portal.year
    today = dt.date(year + 1, 4, 15)
    manifest = portal.manifest(year)["agencies"]

    def campaign():
        return pipeline.run_campaign(factory, settings, year, portal.registry(), today=today, progress=False,
                                     crawl_settings=FAST)

    first = campaign()
    assert first.alerts.sent > 0 and not first.alerts.errors
    states = {o.agency_id: o.state for o in first.outcomes}
    with factory() as s:
        active = _active_rules(s)
        health = defaultdict(set)
        for h in s.scalars(select(HealthOutcome)):
            health[h.agency_id].add((h.outcome, h.url))
        for aid, m in manifest.items():
            compliance = {r for r, aud in active[aid] if aud == "compliance"}
            held_back = {r for r, aud in active[aid] if aud == "held_back"}
            planted = {c["rule"] for c in m["compliance"]} - {"modified_after_publication"}  # phase 2, below
            # the text version is preferred over a scan; cells read only by OCR never accuse (held back)
            assert planted <= compliance | held_back, (aid, planted, active[aid])
            if not any(r.get("scan") for r in m["reports"]):
                assert planted <= compliance, (aid, planted, active[aid])
            for o in m["expected_outcomes"]:
                if o["outcome"] != "no_report":
                    assert (o["outcome"], o["url"]) in health[aid], (aid, o, health[aid])
                    assert (o["outcome"], "health") in active[aid], (aid, o)
            if {o["outcome"] for o in m["expected_outcomes"]} & UNJUDGED:
                assert states[aid] == "crawl_failed" and not compliance, (aid, active[aid])
            report = s.scalar(select(Report).where(Report.agency_id == aid, Report.year == year, Report.current.is_(True)))
            if m["reports"]:
                assert states[aid] == "found" and report is not None, (aid, states[aid])
                served = {r["page_url"] for r in m["reports"]} | {a for r in m["reports"] for a in r["attachments"]}
                assert report.source_url in served and report.parse_status == "ok"
                assert "missing_report" not in compliance
                f = s.scalars(select(Finding).where(Finding.agency_id == aid, Finding.audience == "compliance")).first()
                if f is not None and f.rule != "late_publication":
                    assert f.evidence["source_url"] == report.source_url and f.evidence["sha256"] == report.sha256
            elif not {o["outcome"] for o in m["expected_outcomes"]} & UNJUDGED:
                assert states[aid] == "missing" and "missing_report" in compliance, aid
        store = BlobStore(settings.blob_dir)
        assert not version_blobs_ok(s, store)
        before = _state(s, outbox)
        runs = s.scalar(select(func.count()).select_from(CrawlRun))

    second = campaign()
    assert second.alerts.created == 0 and second.alerts.sent == 0
    with factory() as s:
        assert _state(s, outbox) == before
        assert s.scalar(select(func.count()).select_from(CrawlRun)) == runs + len(manifest)

    # phase 2: a published report is edited on the portal
    portal.set_phase(2)
    try:
        campaign()
    finally:
        portal.set_phase(1)
    changed = [aid for aid, m in manifest.items() if any(r.get("changes_in_phase") == 2 for r in m["reports"])]
    assert changed
    with factory() as s:
        for aid in changed:
            mods = s.scalars(select(Finding).where(Finding.agency_id == aid, Finding.rule == "modified_after_publication")).all()
            assert len(mods) == 1, aid
            ev = mods[0].evidence
            assert ev["previous_version"]["sha256"] != ev["current_version"]["sha256"]
            assert ev["cells"], ev
            reports = s.scalars(select(Report).where(Report.agency_id == aid, Report.year == year)).all()
            assert len(reports) == 2 and sum(r.current for r in reports) == 1
        assert not version_blobs_ok(s, BlobStore(settings.blob_dir))
    factory.kw["bind"].dispose()


@pytest.mark.slow
def test_crawl_store_command(portal, parse_cache, tmp_path, monkeypatch, capsys):
    """`nianbao crawl --agency ID --store`: the crawl command's crawl, through the pipeline into SQLite."""
    import yaml

    from monitor.cli import main

    registry = tmp_path / "registry.yaml"
    registry.write_text(yaml.safe_dump({"agencies": [a.to_dict() for a in portal.registry()]}, allow_unicode=True),
                        encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'nb.sqlite3'}"
    for k, v in {"NIANBAO_DATA_DIR": str(tmp_path / "data"), "NIANBAO_DATABASE_URL": url, "NIANBAO_ALLOW_PRIVATE": "1",
                 "NIANBAO_REGISTRY": str(registry), "NIANBAO_PARSE_CACHE": str(parse_cache), "NIANBAO_ALERTS": ""}.items():
        monkeypatch.setenv(k, v)
    sets = [x for k, v in FAST.items() for x in ("--set", f"{k}={v}")]
    rc = main(["crawl", "--agency", "huaian", "--agency", "xiqu", "--year", str(portal.year), "--store",
               "--no-playwright", *sets])
    out = capsys.readouterr().out
    assert rc == 0, out
    assert "huaian" in out and "已找到报告" in out and "xiqu" in out and "未发布" in out
    factory = db.session_factory(url)
    with factory() as s:
        rules = {(f.agency_id, f.rule) for f in s.scalars(select(Finding))}
        assert ("huaian", "table_arithmetic") in rules and ("xiqu", "missing_report") in rules
        assert s.scalar(select(func.count()).select_from(Report)) == 1
    factory.kw["bind"].dispose()
    assert main(["crawl", "--agency", "nobody", "--year", str(portal.year), "--store"]) == 2
    assert "未知机关" in capsys.readouterr().err
