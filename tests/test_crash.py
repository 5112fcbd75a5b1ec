"""Crash safety: a campaign killed with SIGKILL midway, then run again, leaves no duplicate or
half-written rows and loses no stored file."""
from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text

from crawler.blobstore import BlobStore
from monitor import pipeline
from monitor.ingest import version_blobs_ok
from monitor.settings import Settings
from monitor.storage import db
from monitor.storage.models import CrawlRun, DocumentVersion
from pipeline_helpers import CRASH_AGENCIES as N_AGENCIES
from pipeline_helpers import build_crash_portal as build_portal, findings_snapshot, row_counts

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2023, 4, 15)

# the campaign the child process runs: N agencies, each serving one report page
CHILD = textwrap.dedent("""
    import datetime as dt, sys
    from monitor import pipeline
    from monitor.settings import Settings
    from monitor.storage import db
    from pipeline_helpers import build_crash_portal as build_portal
    url, data_dir = sys.argv[1], sys.argv[2]
    portal, agencies = build_portal()
    settings = Settings(data_dir=__import__("pathlib").Path(data_dir), database_url=url)
    pipeline.run_campaign(db.session_factory(url), settings, 2022, agencies, today=dt.date(2023, 4, 15),
                          crawl=portal.crawl, dispatch=False, progress=False)
""")


def _wait_for_versions(url: str, proc, n: int, timeout: float) -> None:
    """Poll (one connection, tight loop) until ``n`` document versions are stored or the child ends."""
    engine = create_engine(url)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with engine.connect() as conn:
                    if (conn.execute(text("SELECT count(*) FROM document_versions")).scalar() or 0) >= n:
                        return
            except Exception:
                pass  # the schema is not there yet
            time.sleep(0.002)
    finally:
        engine.dispose()


@pytest.mark.slow
def test_sigkill_midway_then_rerun(db_urls, tmp_path):
    data_dir = tmp_path / "data"
    db.upgrade(db_urls)
    paths = [str(ROOT), str(ROOT / "tests"), os.environ.get("PYTHONPATH", "")]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in paths if p))
    proc = subprocess.Popen([sys.executable, "-c", CHILD, db_urls, str(data_dir)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        _wait_for_versions(db_urls, proc, 2, 120)
        assert proc.poll() is None, f"the campaign ended before it could be killed: {proc.stderr.read().decode()[-2000:]}"
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)
    assert proc.returncode == -signal.SIGKILL

    settings = Settings(data_dir=data_dir, database_url=db_urls)
    factory = db.session_factory(db_urls)
    store = BlobStore(settings.blob_dir)
    with factory() as s:
        stored = s.scalar(select(func.count()).select_from(DocumentVersion))
        assert 2 <= stored < N_AGENCIES  # killed midway, with documents already stored
        assert not version_blobs_ok(s, store)  # every stored version's file is there and intact
        assert s.scalar(select(func.count()).select_from(CrawlRun).where(CrawlRun.status == "running")) > 0

    portal, agencies = build_portal()
    pipeline.run_campaign(factory, settings, 2022, agencies, today=TODAY, crawl=portal.crawl, dispatch=False,
                          progress=False)
    with factory() as s:
        after = row_counts(s)
        assert not version_blobs_ok(s, store)
        runs = s.scalars(select(CrawlRun)).all()
        assert not [r for r in runs if r.status == "running"]
        assert {r.status for r in runs} <= {"ok", "interrupted"}
        snap = findings_snapshot(s)
    factory.kw["bind"].dispose()

    # the same campaign on a fresh database, never interrupted: the same rows and findings
    clean_url = f"sqlite:///{tmp_path / 'clean.sqlite3'}"
    clean = db.session_factory(clean_url)
    pipeline.run_campaign(clean, Settings(data_dir=tmp_path / "clean", database_url=clean_url), 2022, agencies,
                          today=TODAY, crawl=build_portal()[0].crawl, dispatch=False, progress=False)
    with clean() as s:
        expected = row_counts(s)
        expected_snap = findings_snapshot(s)
    clean.kw["bind"].dispose()
    expected.pop("crawl_runs"), after.pop("crawl_runs")
    assert after == expected
    assert [x[:3] + x[4:] for x in snap] == [x[:3] + x[4:] for x in expected_snap]


# the same, with the real crawler (Scrapy subprocess) over the sample portal, killed once the first
# crawled documents are in the database
PORTAL_CHILD = textwrap.dedent("""
    import datetime as dt, sys
    from pathlib import Path
    from crawler.registry import load_registry
    from monitor import pipeline
    from monitor.settings import Settings
    from monitor.storage import db
    from crawler_helpers import FAST
    url, data_dir, registry, cache, year = sys.argv[1:6]
    settings = Settings(data_dir=Path(data_dir), database_url=url, allow_private=True, crawl_playwright=False,
                        parse_cache=cache)
    pipeline.run_campaign(db.session_factory(url), settings, int(year), load_registry(registry),
                          today=dt.date(int(year) + 1, 4, 15), dispatch=False, progress=False, crawl_settings=FAST)
""")


@pytest.fixture(scope="module")
def portal():
    from crawler_helpers import prerendered_portal

    p = prerendered_portal()
    yield p
    p.stop()


@pytest.mark.slow
def test_sigkill_during_a_real_crawl_campaign(portal, sqlite_url, tmp_path, shared_parse_cache):
    """On SQLite; test_sigkill_midway_then_rerun covers PostgreSQL too."""
    db_urls = sqlite_url
    import yaml

    from crawler_helpers import FAST

    registry = tmp_path / "registry.yaml"
    registry.write_text(yaml.safe_dump({"agencies": [a.to_dict() for a in portal.registry()]}, allow_unicode=True),
                        encoding="utf-8")
    data_dir, cache = tmp_path / "data", shared_parse_cache
    db.upgrade(db_urls)
    paths = [str(ROOT), str(ROOT / "tests"), os.environ.get("PYTHONPATH", "")]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in paths if p))
    args = [db_urls, str(data_dir), str(registry), str(cache), str(portal.year)]
    proc = subprocess.Popen([sys.executable, "-c", PORTAL_CHILD, *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        _wait_for_versions(db_urls, proc, 1, 300)
        assert proc.poll() is None, f"the campaign ended before it could be killed: {proc.stderr.read().decode()[-2000:]}"
        os.killpg(proc.pid, signal.SIGKILL)  # the whole group: the campaign and any crawler subprocess
        proc.wait(10)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)

    settings = Settings(data_dir=data_dir, database_url=db_urls, allow_private=True, crawl_playwright=False,
                        parse_cache=str(cache))
    store = BlobStore(settings.blob_dir)
    factory = db.session_factory(db_urls)
    with factory() as s:
        killed_at = row_counts(s)
        assert killed_at["document_versions"] >= 1
        assert not version_blobs_ok(s, store)
        # killed before the end: some agency's run was still going
        assert s.scalar(select(func.count()).select_from(CrawlRun).where(CrawlRun.status == "running")) > 0
    registry_agencies = portal.registry()
    pipeline.run_campaign(factory, settings, portal.year, registry_agencies, today=dt.date(portal.year + 1, 4, 15),
                          dispatch=False, progress=False, crawl_settings=FAST)
    with factory() as s:
        after = row_counts(s)
        snap = findings_snapshot(s)
        assert not version_blobs_ok(s, store)
        assert not s.scalars(select(CrawlRun).where(CrawlRun.status == "running")).all()
        assert after["document_versions"] >= killed_at["document_versions"]
        assert {r.status for r in s.scalars(select(CrawlRun))} <= {"ok", "failed", "interrupted"}
    # a second run finds everything in place: nothing added, nothing changed
    pipeline.run_campaign(factory, settings, portal.year, registry_agencies, today=dt.date(portal.year + 1, 4, 15),
                          dispatch=False, progress=False, crawl_settings=FAST)
    with factory() as s:
        again = row_counts(s)
        assert findings_snapshot(s) == snap
        for k in ("crawl_runs", "health_outcomes"):
            again.pop(k), after.pop(k)
        assert again == after
    factory.kw["bind"].dispose()
