"""The crawler against the sample portal, graded by the portal's own answer key (its manifest):
every report and attachment found, nothing else, no URL twice, every planted fault its outcome,
incremental re-crawls, the changed report kept as a new version, JavaScript only via Chromium."""
from __future__ import annotations

import hashlib
import urllib.request

import pytest

from crawler.blobstore import BlobStore
from crawler.result import CrawlResult
from tests.crawler_helpers import crawl_portal, prerendered_portal

JS_AGENCY = "panzhihua"


@pytest.fixture(scope="module")
def portal():
    p = prerendered_portal()
    yield p
    p.stop()


@pytest.fixture(scope="module")
def first(portal, tmp_path_factory):
    """One crawl of the whole portal without a browser."""
    data_dir = tmp_path_factory.mktemp("crawl")
    portal.reset_log()
    result = crawl_portal(portal, data_dir)
    assert result.ok, result.error
    return result, data_dir, list(portal.requests)


def _reports(result: CrawlResult, aid: str):
    return result.agencies[aid].reports


def test_every_report_and_attachment_is_found_and_nothing_else(portal, first):
    result, _, _ = first
    manifest = portal.manifest()["agencies"]
    for aid, expected in manifest.items():
        if aid == JS_AGENCY:
            continue  # only visible after JavaScript: see test_js_agency_*
        found = {r.page_url: r for r in _reports(result, aid)}
        assert set(found) == {r["page_url"] for r in expected["reports"]}, aid
        skipped = {s["url"] for s in result.agencies[aid].skipped_reports}
        assert skipped == set(expected["other_reports"]), aid  # departments' reports in the column
        for r in expected["reports"]:
            got = found[r["page_url"]]
            assert got.year == portal.year
            fetched = {a.url for a in got.attachments if a.sha256}
            assert fetched == set(r["attachments"]), aid
            unreachable = {a.url for a in got.attachments if not a.sha256}
            assert unreachable == set(r.get("unreachable_attachments", [])), aid
            assert (got.page_sha256 is None) == r["direct"], aid


def test_attachment_details(portal, first):
    result, data_dir, _ = first
    blobs = BlobStore(data_dir / "blobs")
    m = portal.manifest()["agencies"]
    for aid in ("erqi", "miyi"):  # names from Content-Disposition: GBK bytes, RFC 5987
        (rep,) = _reports(result, aid)
        att = rep.attachments[0]
        assert att.filename == m[aid]["reports"][0]["filename"]
    (hz,) = _reports(result, "hongze")
    att = hz.attachments[0]
    body = urllib.request.urlopen(att.url, timeout=30).read()
    assert att.sha256 == hashlib.sha256(body).hexdigest() and blobs.get(att.sha256) == body
    assert att.content_type.endswith("wordprocessingml.document") and att.size == len(body)
    (vn,) = _reports(result, "vanadium")
    assert vn.attachments[0].content_type == "application/pdf"


def test_publication_evidence(portal, first):
    result, _, _ = first
    for aid, expected in portal.manifest()["agencies"].items():
        for exp, got in zip(expected["reports"], _reports(result, aid)):
            ev = got.evidence
            dates = [d for d in (ev.meta_pubdate, ev.page_date, ev.url_date, ev.listing_date) if d]
            assert dates, aid
            assert all(d[:10] == exp["pub_date"] for d in dates if len(d) >= 10), (aid, ev)
            assert ev.first_seen
    (hz,) = _reports(result, "hongze")
    assert hz.evidence.meta_pubdate == f"{portal.year + 1}-02-18 10:30"
    assert hz.evidence.url_date == f"{portal.year + 1}-02-18"  # /art/Y/M/D/
    assert hz.meta["ColumnName"] == "政府信息公开年报"


def test_no_url_fetched_twice(first):
    result, _, requests = first
    urls = [d.url for d in result.all_documents()]
    assert len(urls) == len(set(urls))
    ours = [(m, p) for m, p, h in requests if "nianbao/" in (h.get("User-Agent") or "")]
    assert ours and len(ours) == len(set(ours))
    # the identifying User-Agent (sent as UTF-8 bytes; http.server reads headers as latin-1)
    assert all("政府信息公开年报监测" in h["User-Agent"].encode("latin-1").decode("utf-8")
               for _, _, h in requests if h.get("User-Agent"))


def test_every_fault_has_its_outcome(portal, first):
    result, _, _ = first
    for aid, expected in portal.manifest()["agencies"].items():
        outcomes = result.agencies[aid].outcomes
        for exp in expected["expected_outcomes"]:
            match = [o for o in outcomes if o.outcome == exp["outcome"] and o.url == exp["url"]]
            assert match, (aid, exp, outcomes)
            if exp.get("http_status"):
                assert match[0].http_status == exp["http_status"]
            assert match[0].detail
        if not expected["expected_outcomes"] and aid != JS_AGENCY:
            assert outcomes == [], (aid, outcomes)  # redirect chain, slow page, GBK, mirror: no trouble
    robots = [o for o in result.agencies["miyi"].outcomes if "robots" in o.detail]
    assert robots and robots[0].outcome == "fetch_failed"
    (blocked,) = result.agencies["dongqu"].outcomes
    assert blocked.http_status == 403 and "not bypassed" in blocked.detail


def test_js_agency_not_found_without_a_browser(first):
    result, _, _ = first
    a = result.agencies[JS_AGENCY]
    assert a.reports == []
    (o,) = a.outcomes
    assert o.outcome == "listing_changed" and "JavaScript" in o.detail


def test_redirect_chain_recorded(portal, first):
    result, _, _ = first
    listing = [d for d in result.agencies["vanadium"].documents if d.role == "listing"]
    assert listing[0].url == portal.url("/vanadium/old/nb/")
    assert listing[0].final_url == portal.url("/vanadium/xxgk/nb/index.html")


def test_second_crawl_fetches_nothing_unchanged_and_keeps_the_changed_version(tmp_path):
    with prerendered_portal() as p:
        agencies = [a for a in p.registry() if a.id in ("hongze", "huaian", "erqi", "luzhou", "miyi")]
        one = crawl_portal(p, tmp_path, agencies)
        assert one.ok, one.error
        known = one.validators()
        p.reset_log()
        two = crawl_portal(p, tmp_path, agencies, known=known)
        assert two.ok, two.error
        conditional = [path for m, path, h in p.requests if h.get("If-None-Match")]
        assert conditional
        posts = [d for d in two.all_documents() if d.method == "POST"]
        assert posts and all(d.unchanged and d.status == 200 for d in posts)  # Hanweb dataproxy: same bytes
        for d in two.all_documents():
            if d.url in known and d.method == "GET":
                assert d.status == 304 and d.unchanged, d.url  # asked, answered 304, not fetched again
        assert all(r.attachments[0].unchanged for a in two.agencies.values() for r in a.reports if r.attachments)
        # the JSON API pages and the Hanweb POST are fetched again (not cacheable), but their bytes are the same
        assert not any(d.previous_sha256 for d in two.all_documents())

        p.set_phase(2)
        three = crawl_portal(p, tmp_path, agencies, known=two.validators())
        assert three.ok, three.error
        (old,) = one.agencies["hongze"].reports
        (new,) = three.agencies["hongze"].reports
        assert new.changed and not any(r.changed for aid, a in three.agencies.items() if aid != "hongze" for r in a.reports)
        assert new.attachments[0].sha256 != old.attachments[0].sha256 and not new.attachments[0].unchanged
        assert new.page_sha256 != old.page_sha256
        docx = next(d for d in three.agencies["hongze"].documents if d.url == new.attachments[0].url)
        assert docx.previous_sha256 == old.attachments[0].sha256
        blobs = BlobStore(tmp_path / "blobs")
        assert blobs.has(old.attachments[0].sha256) and blobs.has(new.attachments[0].sha256)  # both versions kept


def test_private_addresses_refused_unless_allowed(tmp_path):
    with prerendered_portal() as p:
        agencies = [a for a in p.registry() if a.id in ("huaian", "miyi")]
        result = crawl_portal(p, tmp_path, agencies, allow_private=False)
        assert result.ok
        assert p.requests == []  # not even robots.txt was fetched
        for aid in ("huaian", "miyi"):
            a = result.agencies[aid]
            assert a.reports == []
            (o,) = a.outcomes
            assert o.outcome == "fetch_failed" and "non-public address 127.0.0.1" in o.detail


def test_crawl_that_times_out_is_reported_not_raised(tmp_path):
    with prerendered_portal() as p:
        result = crawl_portal(p, tmp_path, timeout=0.5)
        assert result.ok is False and "timed out" in result.error


@pytest.mark.slow
def test_js_agency_found_with_real_chromium(portal, tmp_path):
    (agency,) = [a for a in portal.registry() if a.id == JS_AGENCY]
    assert agency.hints.js
    result = crawl_portal(portal, tmp_path, [agency], use_playwright=True)
    assert result.ok, result.error
    (exp,) = portal.manifest()["agencies"][JS_AGENCY]["reports"]
    (rep,) = result.agencies[JS_AGENCY].reports
    assert rep.page_url == exp["page_url"]
    assert [a.url for a in rep.attachments] == exp["attachments"]  # the PDF behind the pdf.js iframe
    assert result.agencies[JS_AGENCY].outcomes == []
    docs = {d.url: d for d in result.agencies[JS_AGENCY].documents}
    assert docs[agency.columns[0]].rendered  # the list went through the browser
    pdf = docs[exp["attachments"][0]]
    assert not pdf.rendered and pdf.content_type == "application/pdf"  # the attachment never does
    assert BlobStore(tmp_path / "blobs").get(pdf.sha256)[:5] == b"%PDF-"


def test_crawl_process_that_crashes_is_reported_not_raised(tmp_path):
    with prerendered_portal() as p:
        result = crawl_portal(p, tmp_path, p.registry()[:1], settings={"ITEM_PIPELINES": {"no.such.Pipeline": 100}})
    assert result.ok is False and "ModuleNotFoundError" in result.error  # the reason, from its stderr
