"""The sample portal imitates real portals faithfully and deterministically, on 127.0.0.1 only,
and stops by itself."""
from __future__ import annotations

import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from crawler.sample_portal.server import SamplePortal
from monitor.settings import PROJECT_ROOT
from tests.crawler_helpers import prerendered_portal


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **k):
        return None


def get(url, headers=None, data=None, follow=True):
    req = urllib.request.Request(url, headers=headers or {}, data=data)
    opener = urllib.request.build_opener() if follow else urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(req, timeout=30) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


@pytest.fixture(scope="module")
def portal():
    p = prerendered_portal()
    yield p
    p.stop()


def test_binds_loopback_and_stops(portal):
    assert portal.base_url.startswith("http://127.0.0.1:") and portal.port > 0
    with SamplePortal(max_lifetime=None) as p:
        url = p.base_url + "/robots.txt"
        assert get(url)[0] == 200
    with pytest.raises(OSError):
        urllib.request.urlopen(url, timeout=2)
    with pytest.raises(ValueError):
        SamplePortal(host="0.0.0.0")


def test_stops_by_itself_after_its_lifetime():
    p = SamplePortal(max_lifetime=0.5).start()
    url = p.base_url + "/robots.txt"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and p._server is not None:
        time.sleep(0.1)
    assert p._server is None
    with pytest.raises(OSError):
        urllib.request.urlopen(url, timeout=2)


def test_cli_serve_stops_after_duration():
    t = time.monotonic()
    out = subprocess.run([sys.executable, "-m", "monitor.cli", "portal", "serve", "--duration", "1"],
                         cwd=PROJECT_ROOT, capture_output=True, timeout=60)
    assert out.returncode == 0, out.stderr.decode()
    assert "示例门户：http://127.0.0.1:" in out.stdout.decode()
    assert time.monotonic() - t < 30


def test_robots_txt(portal):
    status, _, body = get(portal.url("/robots.txt"))
    assert status == 200 and b"Disallow: /private/" in body


def test_manifest_covers_the_shapes_faults_and_problems(portal):
    m = portal.manifest()
    agencies = m["agencies"]
    assert len(agencies) >= 8
    cms = {a["cms"] for a in agencies.values()}
    assert {"trs", "hanweb", "json-js", "plain"} <= cms
    faults = {f["fault"] for a in agencies.values() for f in a["faults"]}
    assert {"dead_link", "slow_response", "captcha_403", "redirect_chain", "moved_column", "wrong_charset",
            "traditional_mirror", "robots_disallowed"} <= faults
    rules = {c["rule"] for a in agencies.values() for c in a["compliance"]}
    assert {"late_publication", "missing_report", "table_arithmetic", "narrative_vs_table", "blank_cells",
            "modified_after_publication"} <= rules
    formats = set()
    for a in agencies.values():
        for r in a["reports"]:
            for u in r["attachments"]:
                status, headers, body = get(u)
                assert status == 200, u
                formats.add(headers["Content-Type"].split(";")[0])
    assert {"application/pdf", "application/msword",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"} <= formats


def test_every_listed_report_is_served(portal):
    for year in (portal.year, portal.year - 1):
        for aid, a in portal.manifest(year)["agencies"].items():
            for r in a["reports"]:
                assert get(r["page_url"])[0] == 200, (aid, r["page_url"])


def test_conditional_requests_and_phase_switch():
    with prerendered_portal() as p:
        (r,) = p.manifest()["agencies"]["hongze"]["reports"]
        url = r["attachments"][0]
        status, headers, body = get(url)
        page1 = get(r["page_url"])[2]
        assert status == 200 and body[:2] == b"PK"
        assert get(url, {"If-None-Match": headers["ETag"]})[0] == 304
        assert get(url, {"If-Modified-Since": headers["Last-Modified"]})[0] == 304
        p.set_phase(2)
        status2, headers2, body2 = get(url, {"If-None-Match": headers["ETag"]})
        assert status2 == 200 and body2 != body and headers2["ETag"] != headers["ETag"]
        assert get(r["page_url"])[2] != page1  # the page shows the new numbers too
        # an unchanged report stays unchanged across phases
        other = p.manifest()["agencies"]["huaian"]["reports"][0]["attachments"][0]
        p.set_phase(1)
        a = get(other)[2]
        p.set_phase(2)
        assert get(other)[2] == a


def test_deterministic_bytes():
    with SamplePortal() as a, SamplePortal() as b:
        for path in ("/huaian/zwgk/zfxxgknb/index_1.html", "/luzhou/list.asp", "/mirror/renhe/nb/",
                     "/hongze/col/col1234/index.html", "/erqi/download.jsp?fileid=7788"):
            assert get(a.url(path))[2] == get(b.url(path))[2], path


def test_gbk_pages_lie_about_their_charset(portal):
    status, headers, body = get(portal.url("/luzhou/list.asp"))
    assert b'charset=utf-8' in body  # what the page claims
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    assert "政府信息公开工作年度报告" in body.decode("gbk")
    (r,) = portal.manifest()["agencies"]["luzhou"]["reports"]
    page = get(r["page_url"])[2]
    assert b"charset" not in page.lower()
    assert "年度报告" in page.decode("gbk")


def test_traditional_mirror(portal):
    body = get(portal.url("/mirror/renhe/nb/"))[2].decode("utf-8")
    assert "政府信息公開工作年度報告" in body


def test_redirect_chain_captcha_and_dead_link(portal):
    s1, h1, _ = get(portal.url("/vanadium/old/nb/"), follow=False)
    s2, h2, _ = get(portal.url(h1["Location"]), follow=False)
    assert (s1, s2) == (301, 302) and get(portal.url(h2["Location"]))[0] == 200
    status, _, body = get(portal.url("/dongqu/zfxxgk/nb/"))
    assert status == 403 and "验证码" in body.decode("utf-8")
    dead = next(f["url"] for f in portal.manifest()["agencies"]["miyi"]["faults"] if f["fault"] == "dead_link")
    assert get(dead)[0] == 404


def test_slow_page(portal):
    slow = next(f["url"] for f in portal.manifest()["agencies"]["vanadium"]["faults"] if f["fault"] == "slow_response")
    t = time.monotonic()
    assert get(slow)[0] == 200
    assert time.monotonic() - t >= 1.4


def test_js_list_is_empty_without_javascript(portal):
    body = get(portal.url("/panzhihua/zfxxgknb/index.html"))[2].decode("utf-8")
    (r,) = portal.manifest()["agencies"]["panzhihua"]["reports"]
    assert r["page_url"].replace(portal.base_url, "") not in body and "年度报告" not in body
    api = get(portal.url("/panzhihua/api/list?channel=nb&page=1"))[2].decode("utf-8")
    assert r["page_url"].replace(portal.base_url, "") in api


def test_hanweb_dataproxy_serves_the_remaining_records(portal):
    col = get(portal.url("/hongze/col/col1234/index.html"))[2].decode("utf-8")
    assert col.count("<record>") == 15 and "totalRecord:21" in col
    status, headers, body = get(portal.url("/hongze/module/web/jpage/dataproxy.jsp?startrecord=16&endrecord=21&perpage=15"),
                                data=b"col=1&columnid=1234&unitid=237")
    assert status == 200 and body.decode("utf-8").count("<record>") == 6 and "<totalrecord>21</totalrecord>" in body.decode()


def test_download_names(portal):
    (erqi,) = portal.manifest()["agencies"]["erqi"]["reports"]
    _, headers, _ = get(erqi["attachments"][0])
    raw = headers["Content-Disposition"].encode("latin-1")  # http.client decodes header bytes as latin-1
    assert erqi["filename"].encode("gbk") in raw
    (miyi,) = portal.manifest()["agencies"]["miyi"]["reports"]
    _, headers, _ = get(miyi["attachments"][0])
    assert "filename*=UTF-8''" in headers["Content-Disposition"]


def test_rendered_files_are_cached_by_content(tmp_path):
    from crawler.sample_portal import render
    from crawler.sample_portal.documents import DocumentCache

    c = render.load_content("hongze_district_2024")
    cache = DocumentCache(tmp_path)
    first = cache.get("docx", c)
    key = cache.key("docx", c)
    assert (tmp_path / key[:2] / key).read_bytes() == first
    assert DocumentCache(tmp_path).get("docx", c) == first  # a new process reads it back
    changed = c.with_cell("table2.licensing", 999)
    assert cache.key("docx", changed) != key
    with pytest.raises(ValueError):
        cache.get("rtf", c)
