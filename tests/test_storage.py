"""Storage on real SQLite and PostgreSQL: migrations, idempotent upserts, the finding lifecycle."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, inspect, select
from sqlalchemy.exc import IntegrityError

from monitor.storage import db, repo
from monitor.storage.models import Agency, Document, DocumentVersion, Finding, Report


@pytest.fixture
def session(db_urls):
    factory = db.session_factory(db_urls)
    with factory() as s:
        yield s
    factory.kw["bind"].dispose()


def _agency(session, **kw):
    a = repo.upsert_agency(session, {"id": "a1", "name": "某某区人民政府办公室", "region": "某市", "kind": "department"} | kw)
    session.commit()
    return a


def test_migrations_reach_head_and_come_back_down(db_urls):
    db.upgrade(db_urls)
    db.upgrade(db_urls)  # twice is fine
    assert db.current_revision(db_urls) == db.head_revision()
    engine = db.make_engine(db_urls)
    tables = set(inspect(engine).get_table_names())
    assert {"agencies", "crawl_runs", "health_outcomes", "documents", "document_versions", "reports", "findings"} <= tables
    engine.dispose()
    db.downgrade(db_urls, "base")
    engine = db.make_engine(db_urls)
    assert "findings" not in set(inspect(engine).get_table_names())
    engine.dispose()


def test_initial_revision_id_is_fixed():
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(db.alembic_config("sqlite://"))
    assert scripts.get_revision("0001_initial").down_revision is None


def test_agency_upsert_updates_in_place(session):
    _agency(session)
    _agency(session, name="新名称", deadline_override="2024-01-20", columns=["http://x/nb/"])
    rows = session.scalars(select(Agency)).all()
    assert len(rows) == 1
    assert rows[0].name == "新名称"
    assert rows[0].deadline_override == dt.date(2024, 1, 20)
    assert rows[0].columns == ["http://x/nb/"]


def test_changed_file_is_a_new_version_and_both_are_kept(session):
    _agency(session)
    v1, new1 = repo.store_version(session, "a1", "http://x/r.html", "a" * 64, 10, headers={"ETag": "e1"})
    v1b, new1b = repo.store_version(session, "a1", "http://x/r.html", "a" * 64, 10)
    v2, new2 = repo.store_version(session, "a1", "http://x/r.html", "b" * 64, 12)
    session.commit()
    assert (new1, new1b, new2) == (True, False, True)
    assert v1.id == v1b.id != v2.id
    assert v1.etag == "e1"
    assert session.scalar(select(func.count()).select_from(Document)) == 1
    assert session.scalar(select(func.count()).select_from(DocumentVersion)) == 2


def test_unique_constraints_refuse_duplicates(session):
    _agency(session)
    session.add_all([Document(agency_id="a1", url="http://x/1"), Document(agency_id="a1", url="http://x/1")])
    with pytest.raises(IntegrityError):
        session.commit()
    session.rollback()


def test_report_upsert_keeps_one_current(session):
    _agency(session)
    v1, _ = repo.store_version(session, "a1", "http://x/r.html", "a" * 64, 10)
    v2, _ = repo.store_version(session, "a1", "http://x/r.html", "b" * 64, 12)
    r1 = repo.upsert_report(session, "a1", 2023, v1, "http://x/r.html", parse_status="ok", data={"k": 1})
    r1b = repo.upsert_report(session, "a1", 2023, v1, "http://x/r.html", parse_status="ok", data={"k": 2})
    assert r1.id == r1b.id
    r2 = repo.upsert_report(session, "a1", 2023, v2, "http://x/r.html", parse_status="ok", data={"k": 3})
    session.commit()
    assert session.scalar(select(func.count()).select_from(Report)) == 2
    assert repo.current_report(session, "a1", 2023).id == r2.id
    session.refresh(r1)
    assert r1.current is False and r1.data == {"k": 2}


def _f(key, rule="table_arithmetic", severity="error"):
    return {"key": key, "rule": rule, "severity": severity, "audience": "compliance", "message": f"问题 {key}",
            "evidence": {"cells": [key]}, "check_id": "T3-BAL"}


def test_finding_lifecycle(session):
    _agency(session)
    t0 = dt.datetime(2024, 2, 1)
    c = repo.sync_findings(session, "a1", 2023, [_f("x"), _f("y"), _f("x")], origin="check", now=t0)
    session.commit()
    assert c["new"] == 2
    assert session.scalar(select(func.count()).select_from(Finding)) == 2
    # the same findings again: nothing new
    c = repo.sync_findings(session, "a1", 2023, [_f("x"), _f("y")], origin="check", now=t0 + dt.timedelta(days=1))
    session.commit()
    assert c == {"new": 0, "seen": 2, "reopened": 0, "resolved": 0}
    fx = session.scalar(select(Finding).where(Finding.message == "问题 x"))
    fy = session.scalar(select(Finding).where(Finding.message == "问题 y"))
    assert fx.first_seen == t0 and fx.last_seen == t0 + dt.timedelta(days=1)
    # staff dismiss y; a corrected report no longer raises x: x resolved, y stays dismissed
    repo.review_finding(session, fy.id, "dismissed", "表格为扫描件，数字核对无误", "王五")
    session.commit()
    c = repo.sync_findings(session, "a1", 2023, [_f("y")], origin="check")
    session.commit()
    session.refresh(fx), session.refresh(fy)
    assert c["resolved"] == 1
    assert fx.status == "resolved" and fx.resolved_at is not None
    assert fy.status == "dismissed" and fy.reviewed_by == "王五"
    # a crawl-origin sync does not touch check findings
    repo.sync_findings(session, "a1", 2023, [], origin="crawl")
    session.commit()
    session.refresh(fy)
    assert fy.status == "dismissed"
    # x raised again: reopened, same row
    c = repo.sync_findings(session, "a1", 2023, [_f("x"), _f("y")], origin="check")
    session.commit()
    session.refresh(fx)
    assert c["reopened"] == 1 and fx.status == "open" and fx.resolved_at is None
    assert session.scalar(select(func.count()).select_from(Finding)) == 2


def test_review_needs_a_note_and_a_known_finding(session):
    _agency(session)
    repo.sync_findings(session, "a1", 2023, [_f("x")], origin="check")
    session.commit()
    fid = session.scalar(select(Finding.id))
    with pytest.raises(repo.ReviewError):
        repo.review_finding(session, fid, "confirmed", "  ", None)
    with pytest.raises(repo.ReviewError):
        repo.review_finding(session, fid + 100, "confirmed", "ok", None)
