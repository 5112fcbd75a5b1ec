"""The pipeline on real SQLite and PostgreSQL, with the real parser and rules: what a campaign stores
and finds, that re-running changes nothing, versions, resolution, reparse and crawl failures."""
from __future__ import annotations

import datetime as dt
import time

import pytest
from sqlalchemy import select

from monitor import pipeline
from monitor.ingest import version_blobs_ok
from monitor.settings import Settings
from monitor.storage import db
from monitor.storage.models import CrawlRun, DocumentVersion, Finding, Report
from pipeline_helpers import ScriptedPortal, Served, agency, findings_snapshot, page, row_counts

TODAY = dt.date(2023, 4, 15)  # after every 2022 deadline


def _unbalanced(c):
    c.table3["outcome_total"][6] += 5  # 总计 no longer the sum of the outcomes


@pytest.fixture
def env(db_urls, tmp_path):
    settings = Settings(data_dir=tmp_path / "data", database_url=db_urls)
    factory = db.session_factory(db_urls)
    yield settings, factory
    factory.kw["bind"].dispose()


def _portal() -> tuple[ScriptedPortal, list[dict]]:
    agencies = [
        agency("erqi", "郑州市二七区人民政府办公室"),
        agency("quiet", "某某县商务局"),
        agency("down", "某某县水利局"),
    ]
    portal = ScriptedPortal(
        sites={"erqi": [Served("http://erqi.example/nb/t20230120_1.html", page("erqi_office_2022", edit=_unbalanced),
                               2022, pub="2023-01-20 09:30")]},
        down={"down"},
    )
    return portal, agencies


def _rules(session, agency_id):
    return sorted({f.rule for f in session.scalars(select(Finding).where(Finding.agency_id == agency_id))})


def test_campaign_finds_problems_and_rerun_changes_nothing(env):
    settings, factory = env
    portal, agencies = _portal()
    res = pipeline.run_campaign(factory, settings, 2022, agencies, today=TODAY, crawl=portal.crawl, dispatch=False,
                                progress=False)
    states = {o.agency_id: o.state for o in res.outcomes}
    assert states == {"erqi": "found", "quiet": "missing", "down": "crawl_failed"}
    with factory() as s:
        assert "table_arithmetic" in _rules(s, "erqi")
        assert _rules(s, "quiet") == ["missing_report"]
        # an unreachable portal says nothing about the agency: a health finding, no missing_report
        down = s.scalars(select(Finding).where(Finding.agency_id == "down")).all()
        assert [(f.rule, f.audience) for f in down] == [("fetch_failed", "health")]
        arith = s.scalars(select(Finding).where(Finding.rule == "table_arithmetic")).first()
        assert arith.evidence["source_url"] == "http://erqi.example/nb/t20230120_1.html"
        assert len(arith.evidence["sha256"]) == 64 and arith.evidence["cells"]
        report = s.scalar(select(Report).where(Report.agency_id == "erqi"))
        assert report.published_on == dt.date(2023, 1, 20) and report.parse_status == "ok"
        assert report.data["table3"]["new"] and report.parser_version
        before, snap = row_counts(s), findings_snapshot(s)
        assert not version_blobs_ok(s, pipeline.BlobStore(settings.blob_dir))

    pipeline.run_campaign(factory, settings, 2022, agencies, today=TODAY, crawl=portal.crawl, dispatch=False,
                          progress=False)
    with factory() as s:
        after = row_counts(s)
        assert findings_snapshot(s) == snap
        assert after.pop("crawl_runs") == before.pop("crawl_runs") + 3  # one run per agency per campaign
        assert after.pop("health_outcomes") == before.pop("health_outcomes") + 1
        assert after == before
        assert all(r.status in ("ok", "failed") for r in s.scalars(select(CrawlRun)))


def test_corrected_report_is_a_new_version_and_resolves_findings(env):
    settings, factory = env
    portal, agencies = _portal()
    pipeline.run_campaign(factory, settings, 2022, agencies[:1], today=TODAY, crawl=portal.crawl, dispatch=False,
                          progress=False)
    url = portal.sites["erqi"][0].url
    portal.sites["erqi"] = [Served(url, page("erqi_office_2022"), 2022, pub="2023-01-20 09:30")]
    pipeline.run_campaign(factory, settings, 2022, agencies[:1], today=TODAY, crawl=portal.crawl, dispatch=False,
                          progress=False)
    with factory() as s:
        assert len(s.scalars(select(DocumentVersion)).all()) == 2  # both files kept
        reports = s.scalars(select(Report).order_by(Report.id)).all()
        assert [r.current for r in reports] == [False, True]
        arith = s.scalars(select(Finding).where(Finding.rule == "table_arithmetic")).all()
        assert arith and all(f.status == "resolved" and f.resolved_at for f in arith)
        # the report changed after publication: said once, with both versions as evidence
        mod = s.scalars(select(Finding).where(Finding.rule == "modified_after_publication")).all()
        assert len(mod) == 1 and mod[0].status == "open"
        ev = mod[0].evidence
        assert ev["previous_version"]["sha256"] == reports[0].sha256
        assert ev["current_version"]["sha256"] == reports[1].sha256
        assert [c["cell"] for c in ev["cells"]] == ["table3.outcome_total[6]"]
        assert ev["expected"] == {"table3.outcome_total[6]": reports[0].data["table3"]["outcome_total"][6]}


def test_cross_year_checks_read_last_year_from_the_database(env):
    settings, factory = env

    def carried_forward_off(c):  # 2021 says 结转下年度 differs from 2022's 上年结转
        c.table3["carried_forward"] = [v + 2 for v in c.table3["carried_over"]]
        c.table3["outcome_total"] = [t - 2 for t in c.table3["outcome_total"]]

    portal = ScriptedPortal(sites={"erqi": [
        Served("http://erqi.example/nb/t20220120_1.html", page("erqi_office_2022", year=2021, edit=carried_forward_off),
               2021, pub="2022-01-20 09:30"),
        Served("http://erqi.example/nb/t20230120_1.html", page("erqi_office_2022"), 2022, pub="2023-01-20 09:30"),
    ]})
    pipeline.run_campaign(factory, settings, 2022, [agency("erqi", "郑州市二七区人民政府办公室")], today=TODAY,
                          crawl=portal.crawl, dispatch=False, progress=False)
    with factory() as s:
        years = {r.year for r in s.scalars(select(Report))}
        assert years == {2021, 2022}
        carry = s.scalars(select(Finding).where(Finding.rule == "cross_year_carryover")).all()
        assert carry and all(f.year == 2022 for f in carry)
        # section 五 is the same text both years: last year's text came back from the database
        repeat = s.scalars(select(Finding).where(Finding.rule == "boilerplate_repeat")).all()
        assert [f.year for f in repeat] == [2022]


def test_late_publication_from_crawl_evidence(env):
    settings, factory = env
    portal = ScriptedPortal(sites={"erqi": [
        Served("http://erqi.example/nb/t20230301_1.html", page("erqi_office_2022", pub="2023-03-01 10:00"), 2022,
               pub="2023-03-01 10:00")]})
    pipeline.run_campaign(factory, settings, 2022, [agency("erqi", "郑州市二七区人民政府办公室")], today=TODAY,
                          crawl=portal.crawl, dispatch=False, progress=False)
    with factory() as s:
        late = s.scalars(select(Finding).where(Finding.rule == "late_publication")).all()
        assert len(late) == 1 and late[0].severity == "error"


def test_reparse_reads_stored_files_without_fetching(env):
    settings, factory = env
    portal, agencies = _portal()
    pipeline.run_campaign(factory, settings, 2022, agencies[:2], today=TODAY, crawl=portal.crawl, dispatch=False,
                          progress=False)
    with factory() as s:
        snap = findings_snapshot(s)
        report = s.scalar(select(Report).where(Report.agency_id == "erqi"))
        report.data, report.parser_version = {}, "stale"  # as if an older parser had read it
        s.commit()
    calls = portal.calls
    outcomes = pipeline.reparse(factory, settings, year=2022, today=TODAY, progress=False)
    assert portal.calls == calls
    assert [(o.agency_id, o.state) for o in outcomes] == [("erqi", "found")]
    with factory() as s:
        report = s.scalar(select(Report).where(Report.agency_id == "erqi"))
        assert report.data["table3"] and report.parser_version != "stale"
        assert findings_snapshot(s) == snap


def test_deadline_not_passed_means_no_missing_report(env):
    settings, factory = env
    portal = ScriptedPortal()
    res = pipeline.run_campaign(factory, settings, 2022, [agency("quiet", "某某县商务局")], today=dt.date(2023, 1, 10),
                                crawl=portal.crawl, dispatch=False, progress=False)
    assert res.outcomes[0].state == "not_due"
    with factory() as s:
        assert s.scalars(select(Finding)).all() == []


def test_a_crawl_that_raises_is_recorded_not_raised(env):
    settings, factory = env

    def broken(spec):
        raise RuntimeError("scrapy subprocess exited with status 1")

    res = pipeline.run_campaign(factory, settings, 2022, [agency("x", "某某局")], today=TODAY, crawl=broken,
                                dispatch=False, progress=False)
    assert res.outcomes[0].state == "crawl_failed" and "status 1" in res.outcomes[0].error
    with factory() as s:
        run = s.scalar(select(CrawlRun))
        assert run.status == "failed" and "status 1" in run.error
        assert [f.rule for f in s.scalars(select(Finding))] == ["fetch_failed"]


def test_backdated_report_from_crawl_history(env):
    """A page that claims a date before a crawl that did not list it: backdated, with that crawl."""
    settings, factory = env
    claimed = dt.date.today() - dt.timedelta(days=10)
    year = claimed.year - 1
    portal = ScriptedPortal()
    ag = [agency("erqi", "郑州市二七区人民政府办公室")]
    pipeline.run_campaign(factory, settings, year, ag, today=claimed, crawl=portal.crawl, dispatch=False, progress=False)
    time.sleep(1.1)  # crawl times are kept to the second: the next crawl is a later one
    pub = f"{claimed.isoformat()} 09:30"
    portal.sites["erqi"] = [Served("http://erqi.example/nb/t1.html", page("erqi_office_2022", year=year, pub=pub), year,
                                   pub=pub)]
    pipeline.run_campaign(factory, settings, year, ag, today=claimed, crawl=portal.crawl, dispatch=False, progress=False)
    with factory() as s:
        back = s.scalars(select(Finding).where(Finding.rule == "backdated")).all()
        assert len(back) == 1
        assert back[0].evidence["unlisted_crawl"] == dt.datetime.now(dt.timezone.utc).date().isoformat()
        assert back[0].evidence["claimed"] == claimed.isoformat()
