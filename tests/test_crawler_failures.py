"""Every failure ends in an explained health outcome and the crawl goes on: server errors (retried
with backoff), 429 and captcha pages (blocked, never bypassed), oversized and slow downloads,
unreachable hosts, and files that a browser would only show as a viewer stub."""
from __future__ import annotations

import socket
import time

import pytest

from crawler.registry import adhoc_agency
from crawler.result import BLOCKED, FETCH_FAILED, CrawlSpec
from crawler.run import crawl
from tests.crawler_helpers import FAST, static_server

H = {"Content-Type": "text/html; charset=utf-8"}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ROBOTS = (200, {"Content-Type": "text/plain"}, b"User-agent: *\nAllow: /\n")


def listing(*links: tuple[str, str]) -> bytes:
    items = "".join(f'<li><a href="{h}">{t}</a><span>2025-01-20</span></li>' for h, t in links)
    return f'<html><head><meta charset="utf-8"></head><body><ul>{items}</ul></body></html>'.encode()


def page(attachment: str | None = None, extra: str = "") -> bytes:
    a = f'<a href="{attachment}">附件.pdf</a>' if attachment else ""
    return f'<html><head><meta charset="utf-8"></head><body><p>发布日期：2025-01-20</p>{a}{extra}</body></html>'.encode()


def run(base, column="/nb/", js=False, use_playwright=False, **settings):
    agency = adhoc_agency(base + column, "某局", js=js)
    spec = CrawlSpec(agencies=[agency.to_dict()], year=2024, data_dir=str(settings.pop("data_dir")), allow_private=True,
                     use_playwright=use_playwright, settings={**FAST, **settings}, timeout=240)
    result = crawl(spec)
    assert result.ok, result.error
    (a,) = result.agencies.values()
    return a


T = "某局2024年政府信息公开工作年度报告"


def test_server_errors_are_retried_with_backoff_then_recorded(tmp_path):
    pages = {"/robots.txt": ROBOTS, "/nb/": (200, H, listing(("/r1.html", T), ("/r2.html", T + "（图片版）"))),
             "/r1.html": (503, H, b"busy"), "/r2.html": (200, H, page())}
    with static_server(pages) as (base, log):
        t = time.monotonic()
        a = run(base, data_dir=tmp_path, RETRY_TIMES=2, NIANBAO_RETRY_BACKOFF=0.3)
        assert time.monotonic() - t > 0.9  # waited 0.3 + 0.6 s before the two retries
        assert log.count("/r1.html") == 3
    (o,) = a.outcomes
    assert o.outcome == FETCH_FAILED and o.http_status == 503 and o.url.endswith("/r1.html")
    assert [r.page_url for r in a.reports] == [base + "/r2.html"]  # the crawl went on


def test_429_and_captcha_pages_are_blocked_not_retried(tmp_path):
    captcha = '<html><head><meta charset="utf-8"><title>安全验证</title></head><body>请输入验证码</body></html>'.encode()
    pages = {"/robots.txt": ROBOTS, "/nb/": (200, H, listing(("/r1.html", T), ("/r2.html", T + "（文字版）"))),
             "/r1.html": (429, H, b"slow down"), "/r2.html": (200, H, captcha)}
    with static_server(pages) as (base, log):
        a = run(base, data_dir=tmp_path)
        assert log.count("/r1.html") == 1
    assert a.reports == []
    by_url = {o.url.rsplit("/", 1)[1]: o for o in a.outcomes}
    assert by_url["r1.html"].outcome == BLOCKED and by_url["r1.html"].http_status == 429
    assert by_url["r2.html"].outcome == BLOCKED and "captcha" in by_url["r2.html"].detail
    assert all("not bypassed" in o.detail for o in a.outcomes)


def test_oversized_attachment_is_refused_and_explained(tmp_path):
    pages = {"/robots.txt": ROBOTS, "/nb/": (200, H, listing(("/r1.html", T))), "/r1.html": (200, H, page("/big.pdf")),
             "/big.pdf": (200, {"Content-Type": "application/pdf"}, PDF + b"0" * 300_000)}
    with static_server(pages) as (base, _):
        a = run(base, data_dir=tmp_path, DOWNLOAD_MAXSIZE=100_000)
    (rep,) = a.reports
    assert rep.attachments[0].sha256 is None
    (o,) = a.outcomes
    assert o.outcome == FETCH_FAILED and o.url.endswith("/big.pdf") and "100000" in o.detail


def test_slow_page_times_out(tmp_path):
    pages = {"/robots.txt": ROBOTS, "/nb/": (200, H, listing(("/r1.html", T))), "/r1.html": (200, H, page(), 3.0)}
    with static_server(pages) as (base, _):
        a = run(base, data_dir=tmp_path, DOWNLOAD_TIMEOUT=0.5, RETRY_TIMES=0)
    (o,) = a.outcomes
    assert o.outcome == FETCH_FAILED and "TimeoutError" in o.detail and o.http_status is None
    assert a.reports == []


def test_unreachable_host(tmp_path):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens here now
    a = run(f"http://127.0.0.1:{port}", data_dir=tmp_path, RETRY_TIMES=0)
    (o,) = a.outcomes
    assert o.outcome == FETCH_FAILED and "Connection" in o.detail and a.reports == [] and a.documents == []


def test_listing_that_is_not_html(tmp_path):
    pages = {"/robots.txt": ROBOTS, "/nb/": (200, {"Content-Type": "application/pdf"}, PDF)}
    with static_server(pages) as (base, _):
        a = run(base, data_dir=tmp_path)
    (o,) = a.outcomes
    assert o.outcome == "listing_changed"
    assert a.documents[0].content_type == "application/pdf" and a.documents[0].sha256


@pytest.mark.slow
def test_browser_viewer_stub_is_refetched_directly(tmp_path):
    """A JS-flagged column linking straight to a file (no extension): Chromium would return its
    viewer, so the file is fetched without the browser."""
    pages = {"/robots.txt": ROBOTS, "/nb/": (200, H, listing(("/down.do?id=1", T))),
             "/down.do?id=1": (200, {"Content-Type": "application/pdf"}, PDF)}
    with static_server(pages) as (base, _):
        a = run(base, data_dir=tmp_path, js=True, use_playwright=True)
    (rep,) = a.reports
    assert rep.page_sha256 is None
    (att,) = rep.attachments
    assert att.content_type == "application/pdf" and att.size == len(PDF)
    docs = {d.url: d for d in a.documents}
    assert docs[base + "/nb/"].rendered and not docs[base + "/down.do?id=1"].rendered


def test_departments_reports_set_aside_only_when_the_agency_is_named(tmp_path):
    """Three registry entries share one column: the city government, its transport bureau, and an
    entry under an unrelated name; each gets its own reading of the column."""
    from crawler.registry import Agency

    pages = {"/robots.txt": ROBOTS,
             "/nb/": (200, H, listing(("/gov.html", "某市人民政府2024年政府信息公开工作年度报告"),
                                     ("/jt.html", "某市交通运输局2024年政府信息公开工作年度报告"),
                                     ("/plain.html", "2024年政府信息公开工作年度报告"),
                                     ("/dead.html", "某市交通运输局2024年政府信息公开工作年度报告（图片版）"))),
             "/gov.html": (200, H, page()), "/jt.html": (200, H, page()), "/plain.html": (200, H, page())}
    with static_server(pages) as (base, log):
        column = base + "/nb/"
        agencies = [Agency(id="gov", name="某市人民政府", kind="government", columns=[column]),
                    Agency(id="jt", name="某市交通运输局", columns=[column]),
                    Agency(id="other", name="某局", columns=[column])]
        result = crawl(CrawlSpec(agencies=[a.to_dict() for a in agencies], year=2024, data_dir=str(tmp_path),
                                 allow_private=True, use_playwright=False, settings=FAST))
        anonymous = crawl(CrawlSpec(agencies=[adhoc_agency(column).to_dict()], year=2024, data_dir=str(tmp_path),
                                    allow_private=True, use_playwright=False, settings=FAST))
    assert result.ok and anonymous.ok
    assert log.count("/nb/") == 4 and log.count("/jt.html") == 2  # one listing read per agency; pages once per run
    names = lambda ar: sorted(r.page_url.rsplit("/", 1)[1] for r in ar.reports)  # noqa: E731
    gov, jt, other = (result.agencies[i] for i in ("gov", "jt", "other"))
    assert names(gov) == ["gov.html", "plain.html"]
    assert sorted(s["url"].rsplit("/", 1)[1] for s in gov.skipped_reports) == ["dead.html", "jt.html"]
    assert names(jt) == ["jt.html", "plain.html"]
    # every agency's result holds the documents of its reports, whoever's request fetched them
    for ar in (gov, jt, other):
        have = {d.url for d in ar.documents}
        assert all(r.page_url in have for r in ar.reports)
    assert [o.url.rsplit("/", 1)[1] for o in jt.outcomes] == ["dead.html"]  # the 404 is jt's too
    assert gov.outcomes == []  # not the city's report: its dead link is not the city's problem
    assert names(other) == ["gov.html", "jt.html", "plain.html"]  # no title names "某局": nothing set aside
    (anon,) = anonymous.agencies.values()
    assert names(anon) == ["gov.html", "jt.html", "plain.html"] and anon.skipped_reports == []


def test_bad_registry_urls_are_outcomes_and_the_crawl_goes_on(tmp_path):
    from crawler.registry import Agency

    pages = {"/robots.txt": ROBOTS, "/nb/": (200, H, listing(("/r.html", T), ("ftp://x/y.pdf", T + "（扫描）"))),
             "/r.html": (200, H, page())}
    with static_server(pages) as (base, _):
        agencies = [Agency(id="bad", name="甲", columns=["not a url", "ftp://example.gov.cn/nb/"]),
                    Agency(id="empty", name="乙", columns=[]),
                    Agency(id="good", name="某局", columns=[base + "/nb/"])]
        result = crawl(CrawlSpec(agencies=[a.to_dict() for a in agencies], year=2024, data_dir=str(tmp_path),
                                 allow_private=True, use_playwright=False, settings=FAST))
    assert result.ok
    bad = result.agencies["bad"].outcomes
    assert len(bad) == 2 and all(o.outcome == FETCH_FAILED and "not an http(s) URL" in o.detail for o in bad)
    (empty,) = result.agencies["empty"].outcomes
    assert "no annual-report column" in empty.detail
    good = result.agencies["good"]
    assert [r.page_url for r in good.reports] == [base + "/r.html"]
    (o,) = good.outcomes  # the ftp: report link is explained, not fetched
    assert o.url == "ftp://x/y.pdf" and "not an http(s) URL" in o.detail


def test_an_error_while_reading_a_page_becomes_an_outcome():
    from scrapy.http import HtmlResponse, Request

    from crawler.middlewares import RecordSpiderErrors

    req = Request("http://x/nb/", meta={"agency": "a1", "role": "listing"})
    resp = HtmlResponse("http://x/nb/", body=b"<html></html>", request=req)
    (item,) = RecordSpiderErrors().process_spider_exception(resp, KeyError("boom"))
    assert item["agency"] == "a1" and item["outcome"] == FETCH_FAILED and "KeyError" in item["detail"]


def test_script_built_column_not_flagged_js_is_explained(tmp_path):
    shell = b'<html><body><ul id="l"></ul><script>fetch("/api/list").then(r => r.json())</script></body></html>'
    pages = {"/robots.txt": ROBOTS, "/nb/": (200, H, shell)}
    with static_server(pages) as (base, _):
        a = run(base, data_dir=tmp_path)
    (o,) = a.outcomes
    assert o.outcome == "listing_changed" and "hints.js" in o.detail


def test_registry_pagination_template_walks_until_the_list_ends(tmp_path):
    from crawler.registry import Agency, Hints

    pages = {"/robots.txt": ROBOTS,
             "/nb/list.jsp": (200, H, listing(("/n1.html", "通知一"))),
             "/nb/list.jsp?p=2": (200, H, listing(("/r.html", T))),
             "/r.html": (200, H, page())}
    with static_server(pages) as (base, log):
        agency = Agency(id="t", name="某局", columns=[base + "/nb/list.jsp"],
                        hints=Hints(pagination=base + "/nb/list.jsp?p={page}"))
        result = crawl(CrawlSpec(agencies=[agency.to_dict()], year=2024, data_dir=str(tmp_path), allow_private=True,
                                 use_playwright=False, settings=FAST))
    (a,) = result.agencies.values()
    assert [r.page_url for r in a.reports] == [base + "/r.html"]
    assert "/nb/list.jsp?p=3" in log and "/nb/list.jsp?p=4" not in log  # p=3 is a 404: the walk ends there
    assert a.outcomes == []
