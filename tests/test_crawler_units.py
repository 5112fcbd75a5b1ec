"""Crawler building blocks, each on saved pages or small tables of cases: report recognition and
year, date evidence, pagination (TRS createPageHTML, links, count variables), attachments,
Content-Disposition names, block pages, wrong charsets, the CMS strategies."""
from __future__ import annotations

import json

import pytest
from parsel import Selector
from scrapy.http import HtmlResponse, Request, TextResponse

from crawler import attachments as att
from crawler import dates
from crawler.blocking import block_reason
from crawler.encoding import fix_encoding
from crawler.middlewares import _is_public
from crawler.recognize import is_report_title, report_year, title_year
from crawler.registry import Hints
from crawler.strategies import STRATEGIES, strategies_for
from crawler.strategies.pagination import discover, page_count_var
from crawler.strategies.trs import parse_create_page_html
from tests.crawler_helpers import file_response


@pytest.mark.parametrize(
    "title, is_report, year",
    [
        ("某县人民政府2024年政府信息公开工作年度报告", True, 2024),
        ("2024年度政府信息公开工作年度报告（图片版）", True, 2024),
        ("某市交通运输局2024年政务公开年报", True, 2024),
        ("攀枝花市仁和區人民政府2024年政府信息公開工作年度報告", True, 2024),  # mirror, traditional
        ("二〇二四年政府信息公开工作年度报告", True, 2024),
        ("某 区 2023 年 政府信息公开 工作 年度报告", True, 2023),
        ("政府信息公开年报", True, None),  # the column's own menu link: no year
        ("关于做好2024年政府信息公开工作年度报告编制发布工作的通知", False, 2024),
        ("《2023年政府信息公开工作年度报告》解读", False, 2023),
        ("2024年法治政府建设年度报告", False, 2024),
        ("2025年政务公开工作要点", False, 2025),
        ("政府信息公开工作年度报告格式", False, None),
    ],
)
def test_report_titles(title, is_report, year):
    assert is_report_title(title) is is_report
    assert title_year(title) == year


def test_year_without_title_year_comes_from_early_publication():
    assert report_year("某局政府信息公开工作年度报告", "2025-01-20") == 2024
    assert report_year("某局政府信息公开工作年度报告", "2025-09-20") is None  # too late to infer
    assert report_year("某局2022年政府信息公开工作年度报告", "2025-01-20") == 2022  # the title wins


@pytest.mark.parametrize(
    "url, expected",
    [
        ("http://x/zwgk/202503/t20250315_1001.html", "2025-03-15"),
        ("http://x/art/2025/2/8/art_1234_5.html", "2025-02-08"),
        ("http://x/20250118/4b7e-uuid.html", "2025-01-18"),
        ("http://x/zwgk/202501/abc.html", "2025-01"),
        ("http://x/show.asp?id=3302", None),
    ],
)
def test_url_dates(url, expected):
    assert dates.url_date(url) == expected


def test_page_dates():
    assert dates.labelled_date("成文日期：2025-01-10 发布日期： 2025年1月20日 浏览次数") == "2025-01-20"
    assert dates.labelled_date("发布时间：2025-02-20 15:07 来源：某局") == "2025-02-20 15:07"
    assert dates.labelled_date("成文日期：2025-01-10 only") is None  # 成文日期 is not publication
    assert dates.parse_date("2025/3/5") == "2025-03-05"
    assert dates.parse_date("2025-02-30") is None


@pytest.mark.parametrize(
    "script, expected",
    [
        ('createPageHTML(5, 0, "index", "html");', (5, 0, "index", "html")),
        ("createPageHTML('page_div', 7, 2, 'index', 'shtml', 62);", (7, 2, "index", "shtml")),
        ("createPageHTML(1,0,'index','htm')", (1, 0, "index", "htm")),
        ("function createPageHTML(a, b, c, d) {}", None),
    ],
)
def test_create_page_html(script, expected):
    assert parse_create_page_html(script) == expected


def test_trs_listing_entries_and_pages():
    url = "http://www.x.gov.cn/zwgk/zfxxgknb/index.html"
    resp = file_response("trs_list.html", url, meta={"column": url})
    hints = Hints()
    names = [s.name for s in strategies_for(resp, hints)]
    assert names == ["trs", "plain"]
    entries = {e.url: e for s in strategies_for(resp, hints) for e in s.entries(resp, hints)}
    report = entries["http://www.x.gov.cn/zwgk/zfxxgknb/202503/t20250315_9000.html"]
    assert report.title == "某市人民政府2024年政府信息公开工作年度报告"  # full title attribute, not the truncated text
    assert report.date == "2025-03-15"
    pages = [p.url for p in STRATEGIES["trs"].next_pages(resp, hints)]
    assert pages == [f"http://www.x.gov.cn/zwgk/zfxxgknb/index_{i}.html" for i in range(1, 7)]


def _sel(html: str) -> Selector:
    return Selector(text=html)


@pytest.mark.parametrize(
    "html, base, expected",
    [
        # 成都 style: column-index-N.shtml, only the next link shown, a count variable
        ('<a href="column-index-2.shtml">下一页</a><script>var countPage = 4;</script>',
         "http://c/zwgk/nb/column-index-1.shtml",
         ["http://c/zwgk/nb/column-index-2.shtml", "http://c/zwgk/nb/column-index-3.shtml",
          "http://c/zwgk/nb/column-index-4.shtml"]),
        # ?pageNo=N with numbered links 1 2 3 … and 尾页
        ('<a href="?pageNo=2">2</a><a href="?pageNo=3">3</a><a href="?pageNo=5">尾页</a>',
         "http://d/nb/list.jsp",
         ["http://d/nb/list.jsp?pageNo=2", "http://d/nb/list.jsp?pageNo=3", "http://d/nb/list.jsp?pageNo=4",
          "http://d/nb/list.jsp?pageNo=5"]),
        # TRS index_N from a visible link; totalPage says 3 pages (index, index_1, index_2)
        ('<a href="index_1.html">下一页</a><script>var totalPage=3</script>', "http://e/nb/index.html",
         ["http://e/nb/index_1.html", "http://e/nb/index_2.html"]),
        # a next link of an unknown shape is followed as is; links out of the column are not
        ('<a href="list.do?cursor=abc">下一页</a><a href="/other/index_2.html">2</a>', "http://f/nb/list.do",
         ["http://f/nb/list.do?cursor=abc"]),
    ],
)
def test_pagination_discovery(html, base, expected):
    assert sorted(discover(base, _sel(html), html, base, 30)) == sorted(expected)


def test_page_count_variables():
    assert page_count_var("var pageCount = 12; var x = 3") == 12
    assert page_count_var("nothing here") is None


def test_report_page_attachments():
    url = "http://www.x.gov.cn/zwgk/nb/202502/t20250220_1.html"
    resp = file_response("report_page.html", url)
    found = {a.url: a for a in att.find_attachments(resp, url)}
    assert set(found) == {
        "http://www.x.gov.cn/attach/download.jsp?fileid=55",  # no extension, but 附件/全真版 + download URL
        "http://www.x.gov.cn/zwgk/nb/202502/P020250220.docx",
        "http://www.x.gov.cn/files/stats.xlsx",
        "http://www.x.gov.cn/files/report2024.pdf",  # behind pdf.js ?file=
        "http://www.x.gov.cn/files/embedded.pdf",  # <embed>
    }
    assert found["http://www.x.gov.cn/files/report2024.pdf"].via == "pdfjs"


@pytest.mark.parametrize(
    "raw, expected",
    [
        (b"attachment; filename*=UTF-8''%E5%B9%B4%E6%8A%A5.pdf", "年报.pdf"),
        (b'attachment; filename="report.docx"; filename*=UTF-8\'\'%E5%B9%B4%E6%8A%A5.docx', "年报.docx"),
        ('attachment; filename="年报.doc"'.encode("gbk"), "年报.doc"),
        ('attachment; filename="年报.doc"'.encode("utf-8"), "年报.doc"),
        (b'attachment; filename="%E5%B9%B4%E6%8A%A5.wps"', "年报.wps"),
        (b"inline", None),
        (None, None),
    ],
)
def test_content_disposition_names(raw, expected):
    assert att.filename_from_disposition(raw) == expected


def test_sniffed_types():
    assert att.sniff_type(b"%PDF-1.7 ...", "text/html") == "application/pdf"
    assert att.sniff_type(b"\xd0\xcf\x11\xe0rest", None) == "application/msword"
    assert att.sniff_type(b"  <!DOCTYPE html><html>", "application/octet-stream") == "text/html"
    assert att.is_document_type("application/pdf") and not att.is_document_type("text/html")


@pytest.mark.parametrize(
    "status, text, blocked",
    [
        (403, "", True),
        (429, None, True),
        (200, "<html><title>安全验证</title>请输入验证码</html>", True),
        (200, "<html>正常页面</html>", False),
        (200, "验证码" + "报告正文" * 10000, False),  # a long report that mentions 验证码 is not a block
    ],
)
def test_block_pages(status, text, blocked):
    assert (block_reason(status, text) is not None) is blocked


def test_gbk_declared_utf8_is_reread():
    html = '<html><head><meta charset="utf-8"></head><body><a href="a.html">2024年政府信息公开工作年度报告</a></body></html>'
    body = html.encode("gbk")
    resp = HtmlResponse("http://x/list.html", body=body, headers={"Content-Type": "text/html"})
    fixed = fix_encoding(resp)
    assert fixed.encoding == "gb18030"
    assert "年度报告" in fixed.css("a::text").get()


def test_gbk_without_any_declaration_is_reread():
    body = "<html><body><a href='a.html'>泸州市人民政府2024年政府信息公开工作年度报告</a></body></html>".encode("gbk")
    resp = HtmlResponse("http://x/show.asp?id=1", body=body)
    assert "泸州" in fix_encoding(resp).text
    utf8 = HtmlResponse("http://x/u", body="<html>年报</html>".encode("utf-8"), headers={"Content-Type": "text/html; charset=utf-8"})
    assert fix_encoding(utf8) is utf8


def test_hanweb_dataproxy_records():
    url = "http://h/module/web/jpage/dataproxy.jsp?startrecord=1&endrecord=45&perpage=15"
    resp = file_response("hanweb_dataproxy.xml", url, headers={"Content-Type": "text/xml"},
                         meta={"hanweb_end": 45, "formdata": {"columnid": "1234"}})
    s = STRATEGIES["hanweb"]
    assert s.detect(resp)
    entries = s.entries(resp, Hints())
    assert [e.title for e in entries][0] == "某区人民政府2024年政府信息公开工作年度报告"
    assert entries[0].url == "http://h/art/2025/2/18/art_1234_88001.html" and entries[0].date == "2025-02-18"
    (nxt,) = s.next_pages(resp, Hints())
    assert nxt.method == "POST"
    assert nxt.url == "http://h/module/web/jpage/dataproxy.jsp?startrecord=46&endrecord=50&perpage=15"  # 50 in all
    assert nxt.formdata == {"columnid": "1234"}
    last = file_response("hanweb_dataproxy.xml", nxt.url, headers={"Content-Type": "text/xml"}, meta=nxt.meta)
    assert s.next_pages(last, Hints()) == []


def test_json_api_records_whatever_their_names():
    data = {"code": 0, "result": {"pager": {"pageCount": 3}, "rows": [
        {"DOCTITLE": "某局2024年政府信息公开工作年度报告", "DOCPUBURL": "/c/1.html", "DOCRELTIME": "2025-01-20 10:00:00"},
        {"DOCTITLE": "其他", "DOCPUBURL": "/c/2.html", "DOCRELTIME": "2025-01-19"},
    ]}}
    req = Request("http://j/api?page=1", meta={"kind": "json", "json_api": "http://j/api?page={page}", "json_page": 1})
    resp = TextResponse("http://j/api?page=1", body=json.dumps(data, ensure_ascii=False).encode(), encoding="utf-8", request=req)
    s = STRATEGIES["json"]
    entries = s.entries(resp, Hints())
    assert [(e.url, e.date) for e in entries] == [("http://j/c/1.html", "2025-01-20 10:00"), ("http://j/c/2.html", "2025-01-19")]
    assert [p.url for p in s.next_pages(resp, Hints())] == ["http://j/api?page=2", "http://j/api?page=3"]


@pytest.mark.parametrize(
    "ip, public",
    [("127.0.0.1", False), ("10.1.2.3", False), ("192.168.0.1", False), ("169.254.169.254", False),
     ("::1", False), ("fe80::1", False), ("::ffff:127.0.0.1", False), ("0.0.0.0", False),
     ("8.8.8.8", True), ("2400:3200::1", True)],
)
def test_public_addresses(ip, public):
    assert _is_public(ip) is public


def test_create_page_html_with_variables():
    text = 'var countPage = 4;//共多少页\nvar currentPage = 0;\ncreatePageHTML(countPage, currentPage, "index", "shtml");'
    assert parse_create_page_html(text) == (4, 0, "index", "shtml")


def test_year_in_brackets():
    assert title_year("政府信息公开工作年度报告（2024）") == 2024


def _html_response(url: str, html: str) -> HtmlResponse:
    return HtmlResponse(url, body=html.encode("utf-8"), encoding="utf-8", request=Request(url, meta={"column": url}))


def test_date_printed_inside_the_link():
    resp = _html_response("http://x/nb/", '<ul><li><a href="a.html"><span>某局2024年政府信息公开工作年度报告</span>'
                                          "<span>2025-01-18</span></a></li></ul>")
    (e,) = STRATEGIES["plain"].entries(resp, Hints())
    assert e.date == "2025-01-18"


def test_list_inside_an_iframe_and_script_redirects_are_followed():
    plain = STRATEGIES["plain"]
    framed = _html_response("http://x/nb/index.html", '<iframe src="list_frame.html"></iframe>'
                                                      '<iframe src="/pdfjs/viewer.html?file=a.pdf"></iframe>'
                                                      '<iframe src="http://map.other.com/x"></iframe>')
    assert [p.url for p in plain.next_pages(framed, Hints())] == ["http://x/nb/list_frame.html"]
    moved = _html_response("http://x/nb/", '<script>window.location.href = "/zfxxgk/nb/index.html";</script>')
    assert [p.url for p in plain.next_pages(moved, Hints())] == ["http://x/zfxxgk/nb/index.html"]


def test_paging_after_a_redirect_follows_the_page_not_the_old_column_url():
    url = "http://x/zfxxgk/nb/index.html"
    resp = HtmlResponse(url, body='<a href="index_1.html">下一页</a>'.encode(), encoding="utf-8",
                        request=Request(url, meta={"column": "http://x/old/nb/"}))
    assert [p.url for p in STRATEGIES["plain"].next_pages(resp, Hints())] == ["http://x/zfxxgk/nb/index_1.html"]


def test_list_selector_hint_limits_the_links_read():
    html = ('<div class="side"><a href="/hot/1.html">某局2024年政府信息公开工作年度报告</a></div>'
            '<ul class="list"><li><a href="/nb/2.html">某市2024年政府信息公开工作年度报告</a></li></ul>')
    resp = _html_response("http://x/nb/", html)
    assert len(STRATEGIES["plain"].entries(resp, Hints())) == 2
    (e,) = STRATEGIES["plain"].entries(resp, Hints(list_selector="ul.list"))
    assert e.url == "http://x/nb/2.html"


def test_browser_requests_obey_the_address_rule():
    import asyncio
    from types import SimpleNamespace

    from crawler import browser

    def req(url, kind="xhr"):
        return SimpleNamespace(url=url, resource_type=kind)

    async def check():
        browser.ALLOW_PRIVATE = False
        assert await browser.abort_request(req("http://127.0.0.1:8000/api/list"))
        assert await browser.abort_request(req("http://169.254.169.254/latest/meta-data"))
        assert await browser.abort_request(req("https://www.example.gov.cn/logo.png", "image"))
        assert not await browser.abort_request(req("data:text/plain,x"))
        browser.ALLOW_PRIVATE = True
        assert not await browser.abort_request(req("http://127.0.0.1:8000/api/list"))
        browser.ALLOW_PRIVATE = False

    asyncio.run(check())


def test_page_date_on_a_traditional_page_keeps_its_spacing():
    from crawler.recognize import simplified

    assert dates.labelled_date(simplified("發佈日期：2025-1-5 10:30 來源：某局")) == "2025-01-05 10:30"
