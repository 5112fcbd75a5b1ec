"""`crawl --url` on portal shapes the crawler was not written against: Shanghai uuid paths, 广东集约化
post_N with createPageHTML-only paging, Hanweb col/dataproxy XML, numeric column ids with mixed
本级/部门/乡镇 lists, download.jsp attachments, GBK listings without a charset. Each crawl must find
the year's report page and its files and nothing else (no older years, no notices, no 404s)."""
from __future__ import annotations

import contextlib
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import quote

import pytest

from tests.crawler_helpers import FAST

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DOC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64
U8 = {"Content-Type": "text/html; charset=utf-8"}
BARE = {"Content-Type": "text/html"}  # no charset: GBK bytes must still be read
ROBOTS = (200, {"Content-Type": "text/plain"}, b"User-agent: *\nAllow: /\n")


def page(body: str, title: str = "列表", head: str = "", enc: str = "utf-8") -> bytes:
    meta = '<meta charset="utf-8">' if enc == "utf-8" else ""
    return (f"<!DOCTYPE html><html><head>{meta}<title>{title}</title>{head}</head><body>"
            f'<div class="nav"><a href="/">首页</a><a href="/xxgk/">政府信息公开</a>'
            f'<a href="/xxgk/ndbg/">政府信息公开年报</a></div>{body}'
            f'<div class="foot">主办单位 网站标识码</div></body></html>').encode(enc)


@contextlib.contextmanager
def portal(pages: dict, lifetime: float = 120.0):
    """``{"GET /path?q" | "POST /path?q": (status, headers, body)}`` on 127.0.0.1; stops by itself."""
    log: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def _answer(self, method):
            n = int(self.headers.get("Content-Length") or 0)
            if n:
                self.rfile.read(n)
            log.append(f"{method} {self.path}")
            entry = pages.get(f"{method} {self.path}") or pages.get(self.path) or (404, BARE, b"not found")
            status, headers, body = entry
            self.send_response(status)
            for k, v in headers.items():
                if isinstance(v, bytes):
                    self._headers_buffer.append(k.encode() + b": " + v + b"\r\n")
                else:
                    self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            self._answer("GET")

        def do_POST(self):
            self._answer("POST")

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    timer = threading.Timer(lifetime, server.shutdown)
    timer.daemon = True
    timer.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", log
    finally:
        timer.cancel()
        server.shutdown()
        server.server_close()


def crawl_url(url, tmp_path, name=None, kind="department", year=2024):
    from crawler.registry import adhoc_agency
    from crawler.result import CrawlSpec
    from crawler.run import crawl

    agency = adhoc_agency(url, name, kind)
    spec = CrawlSpec(agencies=[agency.to_dict()], year=year, data_dir=str(tmp_path), allow_private=True,
                     use_playwright=False, settings=dict(FAST), timeout=120)
    (res,) = crawl(spec).agencies.values()
    return res


def fetched(log) -> set[str]:
    return {line.split(" ", 1)[1] for line in log}


# -- Shanghai: GBK listing without charset, <base href>, uuid paths, details?id=uuid, 详见附件 ---------------
UUID_NEW = "7f3c2a10-9b1e-4d5a-8c44-1a2b3c4d5e6f"
UUID_OLD = "0a1b2c3d-4e5f-4a6b-9c7d-8e9f0a1b2c3d"


def shanghai():
    rows = [
        ("../../20250118/%s.html" % UUID_NEW, "某区2024年度政府信息公开工作年度报告", "某区2024年度政府信息公开…", "2025-01-18"),
        ("../../20240119/%s.html" % UUID_OLD, "某区2023年度政府信息公开工作年度报告", "某区2023年度政府信息公开…", "2024-01-19"),
        ("details?id=%s" % "5d1e2f3a-0000-4bbb-8ccc-000000000001", "关于做好2024年度政府信息公开工作年度报告编制的通知", "关于做好…通知", "2025-01-05"),
        ("../../20250110/%s.html" % "11111111-2222-4333-8444-555555555555", "某区2025年度重点工作安排", "某区2025年度重点工作安排", "2025-01-10"),
    ]
    lis = "".join(f'<li><a href="{h}" title="{t}" target="_blank">{s}</a><span class="time">{d}</span></li>' for h, t, s, d in rows)
    listing = page(f'<ul class="uli14 pageList">{lis}</ul>', "政府信息公开年报",
                   head='<base href="/xxgk/ndbg/list/">', enc="gbk")
    report = page('<div class="Article"><h2>某区2024年度政府信息公开工作年度报告</h2>'
                  '<div class="Article-time">发布日期：2025年1月18日</div><div class="Article_content">'
                  '<p>详见附件。</p><p><a href="/cmsres/download.jsp?id=8812">某区2024年度政府信息公开工作年度报告.pdf</a></p>'
                  '<p><a href="/cmsres/download.jsp?id=8813">某区2024年度政府信息公开工作年度报告（文字版）.docx</a></p>'
                  "</div></div>", "某区2024年度政府信息公开工作年度报告")
    gbk_name = "某区2024年报.pdf".encode("gbk")
    return {
        "/robots.txt": ROBOTS,
        "/xxgk/ndbg/index.html": (200, BARE, listing),
        f"/20250118/{UUID_NEW}.html": (200, U8, report),
        f"/20240119/{UUID_OLD}.html": (200, U8, page("某区2023年度报告", "2023")),
        "/cmsres/download.jsp?id=8812": (200, {"Content-Type": "application/octet-stream",
                                               "Content-Disposition": b'attachment; filename="' + gbk_name + b'"'}, PDF),
        "/cmsres/download.jsp?id=8813": (200, {"Content-Type": "application/octet-stream",
                                               "Content-Disposition": "attachment; filename*=UTF-8''"
                                               + quote("某区2024年报（文字版）.docx")}, DOC),
    }


def test_shanghai_gbk_base_href_uuid_and_download_jsp(tmp_path):
    with portal(shanghai()) as (base, log):
        res = crawl_url(f"{base}/xxgk/ndbg/index.html", tmp_path, "某区人民政府", "government")
    (rep,) = res.reports
    assert rep.page_url == f"{base}/20250118/{UUID_NEW}.html"
    assert rep.title == "某区2024年度政府信息公开工作年度报告" and rep.year == 2024
    assert rep.evidence.page_date == "2025-01-18" and rep.evidence.url_date == "2025-01-18"
    assert rep.evidence.listing_date == "2025-01-18"
    names = {a.url.rsplit("=", 1)[1]: a for a in rep.attachments}
    assert set(names) == {"8812", "8813"}
    assert names["8812"].filename == "某区2024年报.pdf" and names["8812"].sha256
    assert names["8813"].filename == "某区2024年报（文字版）.docx"
    assert res.outcomes == []
    got = fetched(log)
    assert f"/20240119/{UUID_OLD}.html" not in got and not any("details" in u for u in got)


# -- 广东集约化: post_N pages, 2nd page only through createPageHTML, relative ../../ links, viewer/iframe --
def guangdong():
    p1 = "".join(f'<li><a href="../../../content/post_40{i}.html">关于印发某某工作方案的通知{i}</a><span>2025-03-0{i}</span></li>' for i in range(1, 6))
    p2 = ('<li><a href="../../../content/post_3901.html" title="某市财政局2024年政府信息公开工作年度报告">某市财政局2024年政府信息公开工作年度…</a><span>2025-01-20</span></li>'
          '<li><a href="../../../content/post_3902.html">某市财政局2023年政府信息公开工作年度报告</a><span>2024-01-22</span></li>'
          '<li><a href="../../../content/post_3903.html">2024年政府信息公开工作年度报告解读</a><span>2025-01-21</span></li>')
    script = '<div class="page"><script>createPageHTML(2, 0, "index", "html");</script></div>'
    script2 = '<div class="page"><script>createPageHTML(2, 1, "index", "html");</script></div>'
    report = page('<h1>某市财政局2024年政府信息公开工作年度报告</h1><div class="date">发布时间：2025-01-20 10:12</div>'
                  '<p>详见附件</p><iframe src="/pdfjs/web/viewer.html?file=%2Fattachment%2F0%2F512%2F512773%2F3901.pdf" width="100%"></iframe>',
                  "某市财政局2024年政府信息公开工作年度报告", head='<meta name="PubDate" content="2025-01-20 10:12">')
    return {
        "/robots.txt": ROBOTS,
        "/zwgk/sjgk/zfxxgknb/index.html": (200, U8, page(f"<ul>{p1}</ul>{script}")),
        "/zwgk/sjgk/zfxxgknb/index_1.html": (200, U8, page(f"<ul>{p2}</ul>{script2}")),
        "/content/post_3901.html": (200, U8, report),
        "/attachment/0/512/512773/3901.pdf": (200, {"Content-Type": "application/pdf"}, PDF),
    }


def test_guangdong_create_page_html_only_and_pdfjs(tmp_path):
    with portal(guangdong()) as (base, log):
        res = crawl_url(f"{base}/zwgk/sjgk/zfxxgknb/index.html", tmp_path, "某市财政局")
    (rep,) = res.reports
    assert rep.page_url == f"{base}/content/post_3901.html"
    assert rep.title == "某市财政局2024年政府信息公开工作年度报告"
    assert rep.evidence.meta_pubdate == "2025-01-20 10:12" and rep.evidence.listing_date == "2025-01-20"
    assert [a.url for a in rep.attachments] == [f"{base}/attachment/0/512/512773/3901.pdf"]
    assert rep.attachments[0].sha256
    assert res.outcomes == []
    got = fetched(log)
    assert "/content/post_3902.html" not in got and "/content/post_3903.html" not in got


# -- Hanweb: /col/colN/index.html with XML records in CDATA, the report in the 2nd dataproxy group ----------
def hanweb():
    def rec(href, title, d):
        return f"<record><![CDATA[<li><a href=\"{href}\" title=\"{title}\" target=\"_blank\">{title[:14]}…</a><span>{d}</span></li>]]></record>"

    first = "".join(rec(f"/art/2025/3/{i}/art_1234_90{i}.html", f"某县2025年第{i}季度工作通报", f"2025-03-0{i}") for i in range(1, 10))
    col = page(f'<div id="div1234"><script type="text/xml"><datastore><nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&webid=12&path=/&columnid=1234&unitid=5678&webname=%E6%9F%90%E5%8E%BF&permissiontype=0"></a>]]></nextgroup>'
               f"<recordset>{first}</recordset></datastore></script>"
               f"<script>var totalRecord = 11; perpage:15;</script></div>", "年度报告")
    more = (rec("/art/2025/1/22/art_1234_801.html", "某县人民政府2024年政府信息公开工作年度报告", "2025-01-22")
            + rec("/art/2024/1/25/art_1234_701.html", "某县人民政府2023年政府信息公开工作年度报告", "2024-01-25"))
    proxy = f"<?xml version=\"1.0\" encoding=\"utf-8\"?><datastore><totalrecord>11</totalrecord><recordset>{more}</recordset></datastore>".encode()
    report = page('<div class="main"><h1>某县人民政府2024年政府信息公开工作年度报告</h1><p>发布日期：2025-01-22</p>'
                  '<p>附件：<a href="/module/download/downfile.jsp?classid=0&filename=a1b2c3.pdf">某县人民政府2024年政府信息公开工作年度报告.pdf</a></p></div>',
                  "某县人民政府2024年政府信息公开工作年度报告")
    return {
        "/robots.txt": ROBOTS,
        "/col/col1234/index.html": (200, U8, col),
        "POST /module/web/jpage/dataproxy.jsp?startrecord=10&endrecord=11&perpage=15": (200, {"Content-Type": "text/xml; charset=utf-8"}, proxy),
        "/art/2025/1/22/art_1234_801.html": (200, U8, report),
        "/module/download/downfile.jsp?classid=0&filename=a1b2c3.pdf": (200, {"Content-Type": "application/pdf"}, PDF),
    }


def test_hanweb_col_dataproxy_second_group(tmp_path):
    with portal(hanweb()) as (base, log):
        res = crawl_url(f"{base}/col/col1234/index.html", tmp_path, "某县人民政府", "government")
    (rep,) = res.reports
    assert rep.page_url == f"{base}/art/2025/1/22/art_1234_801.html"
    assert rep.evidence.url_date == "2025-01-22" and rep.evidence.page_date == "2025-01-22"
    assert [a.url for a in rep.attachments] == [f"{base}/module/download/downfile.jsp?classid=0&filename=a1b2c3.pdf"]
    assert res.outcomes == []
    assert "/art/2024/1/25/art_1234_701.html" not in fetched(log)


# -- numeric column ids, a column mixing 本级政府 / 部门 / 乡镇, year only as "2024年度", index_N links ----------
def numeric():
    col = "/25074/25162/37354/39633/"
    tabs = ('<div class="tab"><a href="/25074/25162/37354/39633/39634/index.htm">本级政府</a>'
            '<a href="/25074/25162/37354/39633/39635/index.htm">部门</a><a href="/25074/25162/37354/39633/39636/index.htm">乡镇（街道）</a></div>')
    p1 = ('<table><tr><td><a href="../../../../25074/25162/37354/39633/content_9001.htm">某县2024年度政府信息公开工作年度报告</a></td><td>2025-01-26</td></tr>'
          '<tr><td><a href="content_9002.htm">某县教育局2024年度政府信息公开工作年度报告</a></td><td>2025-01-24</td></tr>'
          '<tr><td><a href="content_9003.htm">某县某某镇2024年度政府信息公开工作年度报告</a></td><td>2025-01-23</td></tr></table>'
          '<div class="pages"><a href="index_1.htm">下一页</a><a href="index_1.htm">尾页</a></div>')
    p2 = ('<table><tr><td><a href="content_8001.htm">某县2023年度政府信息公开工作年度报告</a></td><td>2024-01-20</td></tr>'
          '<tr><td><a href="content_8002.htm">关于公布政府信息公开指南的公告</a></td><td>2024-01-10</td></tr></table>')
    report = page('<h1>某县2024年度政府信息公开工作年度报告</h1><span>发布时间：2025-01-26</span>'
                  '<div class="attach"><a href="/files/2025/01/nb2024.doc" title="某县2024年度报告.doc">某县2024年度报告.doc</a></div>', "某县2024年度")
    return {
        "/robots.txt": ROBOTS,
        col + "index.htm": (200, U8, page(tabs + p1)),
        col + "index_1.htm": (200, U8, page(p2)),
        col + "content_9001.htm": (200, U8, report),
        col + "content_9002.htm": (200, U8, page("<h1>某县教育局2024年度政府信息公开工作年度报告</h1>")),
        col + "content_9003.htm": (200, U8, page("<h1>某县某某镇2024年度政府信息公开工作年度报告</h1>")),
        "/files/2025/01/nb2024.doc": (200, {"Content-Type": "application/msword"}, DOC),
    }


def test_numeric_column_mixed_bodies(tmp_path):
    col = "/25074/25162/37354/39633/"
    with portal(numeric()) as (base, log):
        res = crawl_url(f"{base}{col}index.htm", tmp_path, "某县人民政府", "government")
    (rep,) = res.reports
    assert rep.page_url == f"{base}{col}content_9001.htm"
    assert rep.evidence.page_date == "2025-01-26" and rep.evidence.listing_date == "2025-01-26"
    assert [a.url for a in rep.attachments] == [f"{base}/files/2025/01/nb2024.doc"]
    assert {s["url"] for s in res.skipped_reports} == {f"{base}{col}content_9002.htm", f"{base}{col}content_9003.htm"}
    assert res.outcomes == []
    assert col + "content_8001.htm" not in fetched(log)


# -- OpennessAnnualReport/show/{id}, xxgkAnnualReport.jsp?fbtime=, ?page=N paging ------------------------------
def openness():
    rows1 = "".join(f'<li><a href="/OpennessContent/show/{i}.html">通知{i}</a><span>2025-02-0{i}</span></li>' for i in range(1, 4))
    rows2 = ('<li><a href="/OpennessAnnualReport/show/2210">某局政府信息公开工作年度报告</a><span>2025-01-28</span></li>'
             '<li><a href="/OpennessAnnualReport/show/1980">某局政府信息公开工作年度报告</a><span>2024-01-29</span></li>')
    report = page('<div class="detail"><h3>某局2024年政府信息公开工作年度报告</h3><p>发布日期：2025年01月28日</p>'
                  '<p>全文详见附件</p><embed src="/upload/OpennessAnnualReport/2210/report.pdf" type="application/pdf"></div>',
                  "某局政府信息公开工作年度报告")
    return {
        "/robots.txt": ROBOTS,
        "/OpennessAnnualReport/list?page=1": (200, U8, page(f'<ul>{rows1}</ul><div class="pg"><a href="list?page=2">2</a><a href="list?page=2">下一页</a></div>')),
        "/OpennessAnnualReport/list?page=2": (200, U8, page(f"<ul>{rows2}</ul>")),
        "/OpennessAnnualReport/show/2210": (200, U8, report),
        "/upload/OpennessAnnualReport/2210/report.pdf": (200, {"Content-Type": "application/pdf"}, PDF),
    }


def test_openness_annual_report_show(tmp_path):
    with portal(openness()) as (base, log):
        res = crawl_url(f"{base}/OpennessAnnualReport/list?page=1", tmp_path, "某局")
    (rep,) = res.reports
    assert rep.page_url == f"{base}/OpennessAnnualReport/show/2210" and rep.year == 2024
    assert rep.evidence.page_date == "2025-01-28"
    assert [a.url for a in rep.attachments] == [f"{base}/upload/OpennessAnnualReport/2210/report.pdf"]
    assert res.outcomes == []
    assert "/OpennessAnnualReport/show/1980" not in fetched(log)


# -- 广东 gkmlpt-style index_2 paging (1-based), a viewer link straight from the listing, 附件 without ext ------
def gd_index2():
    col = "/zwgk/zfxxgk/ndbg/"
    p1 = "".join(f'<li><a href="./content/post_50{i}.html">工作动态{i}</a><span>2025-04-0{i}</span></li>' for i in range(1, 6))
    pager = '<div class="page"><a class="cur">1</a><a href="index_2.html">2</a><a href="index_2.html">下一页</a></div>'
    p2 = ('<li><a href="/pdfjs/web/viewer.html?file=%2Fattachment%2F0%2F600%2F600001%2Fnb2024.pdf" title="某区人民政府2024年政府信息公开工作年度报告">某区人民政府2024年政府信息公开工作年度报告</a><span>2025-01-15</span></li>'
          '<li><a href="./content/post_4402.html">某区人民政府2024年政府信息公开工作年度报告（文字版）</a><span>2025-01-16</span></li>'
          '<li><a href="./content/post_3301.html">某区人民政府2023年政府信息公开工作年度报告</a><span>2024-01-16</span></li>')
    pager2 = '<div class="page"><a href="index.html">1</a><a class="cur">2</a></div>'
    viewer = b"<!DOCTYPE html><html><head><title>PDF.js viewer</title><script src='pdf.js'></script></head><body><div id='viewerContainer'></div></body></html>"
    report = page('<h1>某区人民政府2024年政府信息公开工作年度报告（文字版）</h1><div>发布日期：2025-01-16</div>'
                  '<p>附件：<a href="/gkmlpt/api/attachment/download?fileId=77341">某区人民政府2024年政府信息公开工作年度报告</a></p>'
                  '<p><iframe src="/attachment/0/600/600002/nb2024b.pdf" width="100%" height="800"></iframe></p>',
                  "某区人民政府2024年政府信息公开工作年度报告")
    return {
        "/robots.txt": ROBOTS,
        col + "index.html": (200, U8, page(f"<ul>{p1}</ul>{pager}")),
        col + "index_2.html": (200, U8, page(f"<ul>{p2}</ul>{pager2}")),
        "/pdfjs/web/viewer.html?file=%2Fattachment%2F0%2F600%2F600001%2Fnb2024.pdf": (200, U8, viewer),
        "/attachment/0/600/600001/nb2024.pdf": (200, {"Content-Type": "application/pdf"}, PDF),
        col + "content/post_4402.html": (200, U8, report),
        "/gkmlpt/api/attachment/download?fileId=77341": (200, {"Content-Type": "application/octet-stream",
            "Content-Disposition": "attachment; filename=\"" + quote("某区2024年报.pdf") + "\""}, PDF + b"%b"),
        "/attachment/0/600/600002/nb2024b.pdf": (200, {"Content-Type": "application/pdf"}, PDF + b"%c"),
    }


def test_gd_index2_paging_viewer_link_and_plain_attachment_label(tmp_path):
    col = "/zwgk/zfxxgk/ndbg/"
    with portal(gd_index2()) as (base, log):
        res = crawl_url(f"{base}{col}index.html", tmp_path, "某区人民政府", "government")
    assert res.outcomes == []  # no guessed index_1.html that 404s
    reps = {r.page_url: r for r in res.reports}
    viewer_pdf = f"{base}/attachment/0/600/600001/nb2024.pdf"
    page_url = f"{base}{col}content/post_4402.html"
    assert set(reps) == {viewer_pdf, page_url} or set(reps) == {f"{base}/pdfjs/web/viewer.html?file=%2Fattachment%2F0%2F600%2F600001%2Fnb2024.pdf", page_url}
    assert all(any(a.sha256 and a.url == viewer_pdf for a in r.attachments) or r.page_url == page_url for r in reps.values())
    atts = {a.url: a for a in reps[page_url].attachments}
    assert set(atts) == {f"{base}/gkmlpt/api/attachment/download?fileId=77341", f"{base}/attachment/0/600/600002/nb2024b.pdf"}
    assert atts[f"{base}/gkmlpt/api/attachment/download?fileId=77341"].filename == "某区2024年报.pdf"
    assert all(a.sha256 for a in atts.values())
    assert f"{col}content/post_3301.html" not in fetched(log)


# -- a column split into 本级政府 / 部门 / 乡镇 sub-columns; truncated titles without a title attribute; -------
# -- script links (onclick="window.open(...)")
def split_column():
    col = "/xxgk/zfxxgknb/"
    tabs = (f'<div class="tabs"><a href="{col}bjzf/index.html">本级政府</a><a href="{col}bmnb/index.html">部门</a>'
            f'<a href="{col}xzjd/index.html">乡镇（街道）</a><a href="/xxgk/zn/index.html">政府信息公开指南</a></div>')
    own = ('<li><a href="./202501/t20250125_88001.html">某县人民政府2024年政府信息公开工作…</a><span>2025-01-25</span></li>'
           '<li><a href="./202501/t20250126_88002.html">某县人民政府2024年政府信息公开工作…</a><span>2025-01-26</span></li>'
           '<li><a href="./202401/t20240125_77001.html">某县人民政府2023年政府信息公开工作…</a><span>2024-01-25</span></li>')
    depts = ('<li><a href="javascript:void(0)" onclick="window.open(\'/xxgk/zfxxgknb/bmnb/202501/t20250120_88101.html\')">'
             '某县财政局2024年政府信息公开工作年度报告</a><span>2025-01-20</span></li>')
    towns = ('<li><a href="#" onclick="openArticle(\'./202501/t20250121_88201.html\')">某县某某镇2024年政府信息公开工作年度报告</a>'
             '<span>2025-01-21</span></li>')
    report = page('<h1>某县人民政府2024年政府信息公开工作年度报告</h1><div>发布日期：2025-01-25</div>'
                  '<a href="/xxgk/zfxxgknb/bjzf/202501/P020250125_1.pdf">下载</a>', "某县人民政府")
    other = page('<h1>某县人民政府2024年政府信息公开工作要点落实情况</h1><div>发布日期：2025-01-26</div>', "某县人民政府")
    return {
        "/robots.txt": ROBOTS,
        col + "index.html": (200, U8, page(tabs + "<p>本栏目发布本县政府信息公开工作年度报告。</p>")),
        col + "bjzf/index.html": (200, U8, page(tabs + f"<ul>{own}</ul>")),
        col + "bmnb/index.html": (200, U8, page(tabs + f"<ul>{depts}</ul>")),
        col + "xzjd/index.html": (200, U8, page(tabs + f"<ul>{towns}</ul>")),
        col + "bjzf/202501/t20250125_88001.html": (200, U8, report),
        col + "bjzf/202501/t20250126_88002.html": (200, U8, other),
        col + "bjzf/202501/P020250125_1.pdf": (200, {"Content-Type": "application/pdf"}, PDF),
        col + "bmnb/202501/t20250120_88101.html": (200, U8, page("<h1>某县财政局2024年政府信息公开工作年度报告</h1>")),
        col + "xzjd/202501/t20250121_88201.html": (200, U8, page("<h1>某县某某镇2024年政府信息公开工作年度报告</h1>")),
    }


def test_split_column_truncated_titles_and_script_links(tmp_path):
    col = "/xxgk/zfxxgknb/"
    with portal(split_column()) as (base, log):
        res = crawl_url(f"{base}{col}index.html", tmp_path, "某县人民政府", "government")
    (rep,) = res.reports
    assert rep.page_url == f"{base}{col}bjzf/202501/t20250125_88001.html"
    assert rep.title == "某县人民政府2024年政府信息公开工作年度报告"  # the page's title, not the cut one
    assert rep.listing_url == f"{base}{col}bjzf/index.html" and rep.evidence.listing_date == "2025-01-25"
    assert rep.evidence.page_date == "2025-01-25" and rep.evidence.url_date == "2025-01-25"
    assert [a.url for a in rep.attachments] == [f"{base}{col}bjzf/202501/P020250125_1.pdf"]
    assert {s["url"] for s in res.skipped_reports} == {f"{base}{col}bmnb/202501/t20250120_88101.html",
                                                       f"{base}{col}xzjd/202501/t20250121_88201.html"}
    assert res.outcomes == []
    got = fetched(log)
    assert f"{col}bjzf/202401/t20240125_77001.html" not in got and "/xxgk/zn/index.html" not in got


# -- Hanweb xxgk module: xxgkAnnualReport.jsp?area=&fbtime= with &currpage=N paging, script download links ----
def hanweb_xxgk():
    q = "/module/xxgk/xxgkAnnualReport.jsp?area=113301000024&fbtime=2024"

    def row(href, title, d):
        return f'<tr><td><a href="{href}" target="_blank" title="{title}">{title[:16]}...</a></td><td>{d}</td></tr>'

    p1 = "".join(row(f"/art/2025/1/{10 + i}/art_1229_50{i}.html", f"杭州市某{i}局2024年政府信息公开工作年度报告", f"2025-01-{10 + i}")
                 for i in range(5))
    pager = ('<div class="pager">共2页 <a href="xxgkAnnualReport.jsp?area=113301000024&fbtime=2024&currpage=1">首页</a>'
             '<a href="xxgkAnnualReport.jsp?area=113301000024&fbtime=2024&currpage=2">下一页</a></div>')
    p2 = (row("/art/2025/1/21/art_1229_601.html", "杭州市某某局2024年政府信息公开工作年度报告", "2025-01-21")
          + row("/art/2024/1/22/art_1229_401.html", "杭州市某某局2023年政府信息公开工作年度报告", "2024-01-22"))
    report = page('<h1>杭州市某某局2024年政府信息公开工作年度报告</h1><p>时间：2025-01-21 浏览次数：</p>'
                  '<p>相关附件：<a href="javascript:void(0)" onclick="downLoadFile(\'/oss/file?id=9a8b\')">杭州市某某局2024年报.pdf</a></p>'
                  '<p><a href="/download/index.html">下载中心</a></p>', "杭州市某某局")
    return {
        "/robots.txt": ROBOTS,
        q: (200, U8, page(f"<table>{p1}</table>{pager}")),
        q + "&currpage=1": (200, U8, page(f"<table>{p1}</table>{pager}")),
        q + "&currpage=2": (200, U8, page(f"<table>{p2}</table>")),
        "/art/2025/1/21/art_1229_601.html": (200, U8, report),
        "/oss/file?id=9a8b": (200, {"Content-Type": "application/octet-stream"}, PDF),
        **{f"/art/2025/1/{10 + i}/art_1229_50{i}.html": (200, U8, page(f"<h1>杭州市某{i}局2024年政府信息公开工作年度报告</h1>"))
           for i in range(5)},
    }


def test_hanweb_xxgk_annual_report_module(tmp_path):
    q = "/module/xxgk/xxgkAnnualReport.jsp?area=113301000024&fbtime=2024"
    with portal(hanweb_xxgk()) as (base, log):
        res = crawl_url(f"{base}{q}", tmp_path, "杭州市某某局")
    (rep,) = res.reports
    assert rep.page_url == f"{base}/art/2025/1/21/art_1229_601.html"
    assert rep.evidence.page_date == "2025-01-21" and rep.evidence.url_date == "2025-01-21"
    assert [(a.url, a.label) for a in rep.attachments] == [(f"{base}/oss/file?id=9a8b", "杭州市某某局2024年报.pdf")]
    assert rep.attachments[0].sha256 and rep.attachments[0].content_type == "application/pdf"
    assert len(res.skipped_reports) == 5 and res.outcomes == []
    got = fetched(log)
    assert "/art/2024/1/22/art_1229_401.html" not in got and "/download/index.html" not in got


# -- the pieces, on their own -----------------------------------------------------------------------------
@pytest.mark.parametrize("title, expected", [
    ("某市2024年政府信息公开…", True), ("某市2024年政府信息公开工作年度...", True), ("某市人民政府2024年政府信息…", True),
    ("某市2024年政府信息公开工作年度报告", False),  # whole: an ordinary report title
    ("关于做好2024年政府信息公开…", False), ("某市2024年安全生产工作…", False), ("某市2024年政府信息公开", False),
])
def test_truncated_report_titles(title, expected):
    from crawler.recognize import truncated_report_title

    assert truncated_report_title(title) is expected


@pytest.mark.parametrize("title, expected", [
    ("2024年政府信息公开工作年度报告（图解）", False), ("图解：某市2024年政府信息公开工作年度报告", False),
    ("一图读懂某市2024年政府信息公开工作年度报告", False), ("某区2024年政府信息公开工作年度报告政策解读", False),
    ("某区2024年政府信息公开工作年度报告（更正版）", True), ("某区2024年度政府信息公开工作年度报告(文字版)", True),
])
def test_illustrated_summaries_are_not_reports(title, expected):
    from crawler.recognize import is_report_title

    assert is_report_title(title) is expected


@pytest.mark.parametrize("text, expected", [
    ("来源：某局 时间：2025-01-18 浏览次数：3", "2025-01-18"), ("日期:2025年1月3日", "2025-01-03"),
    ("成文日期：2024-12-30", None), ("更新时间：2025-03-01", None), ("发布日期：2025-01-05 时间：2025-02-01", "2025-01-05"),
])
def test_bare_time_labels(text, expected):
    from crawler.dates import labelled_date

    assert labelled_date(text) == expected


def test_guessed_pages_are_marked_and_one_based_index_n_is_seen():
    from parsel import Selector

    from crawler.strategies.pagination import discover

    base = "http://x.test/zwgk/nb/index.html"
    html = '<a href="index_2.html">2</a><a href="index_3.html">3</a><a href="index_2.html">下一页</a><script>var countPage = 5;</script>'
    guessed: set[str] = set()
    urls = discover(base, Selector(text=html), html, base, 30, guessed)
    assert sorted(urls) == [f"http://x.test/zwgk/nb/index_{n}.html" for n in (2, 3, 4, 5)]
    assert guessed == {"http://x.test/zwgk/nb/index_4.html", "http://x.test/zwgk/nb/index_5.html"}


def test_script_links_and_viewer_links():
    from parsel import Selector

    from crawler.attachments import find_attachments, unwrap_viewer
    from crawler.strategies.base import html_entries

    sel = Selector(text='<li><a href="javascript:void(0)" onclick="window.open(\'/art/2025/1/2/art_1_2.html\')">某市2024年政府信息公开工作年度报告</a></li>'
                        '<li><a href="#" onclick="share(\'weibo\')">分享</a></li>')
    assert [(e.url, e.title) for e in html_entries(sel, "http://x.test/col/")] == [
        ("http://x.test/art/2025/1/2/art_1_2.html", "某市2024年政府信息公开工作年度报告")]
    assert unwrap_viewer("http://x.test/pdfjs/web/viewer.html?file=%2Fa%2Fb.pdf") == "http://x.test/a/b.pdf"
    assert unwrap_viewer("http://x.test/a/b.html?id=3") == "http://x.test/a/b.html?id=3"
    page_sel = Selector(text='<p>附件：<a href="/api/attachment/download?fileId=7">某局2024年年度报告</a></p>'
                             '<p><a href="/oss/file?id=8">年报.PDF</a></p><p>附件下载说明</p><p><a href="/download/list.html">更多</a></p>')
    assert [a.url for a in find_attachments(page_sel, "http://x.test/a.html")] == [
        "http://x.test/api/attachment/download?fileId=7", "http://x.test/oss/file?id=8"]


# -- TRS lists written by script (no <a> without a browser), dates printed before the title, bare years ----
def trs_scripted():
    col = "/zwgk/xxgkml/ndbg/"
    rows = [("./202502/t20250210_9101.html", "某省某厅2024政府信息公开工作年度报告", "2025-02-10"),
            ("./202402/t20240208_8101.html", "某省某厅2023政府信息公开工作年度报告", "2024-02-08"),
            ("./202501/t20250105_9001.html", "某省某厅关于印发2025年政务公开工作要点的通知", "2025-01-05")]
    lis = "".join(f"<li><script>var url = '{u}'; var title = '{t}';\n"
                  "document.write(\"<a href='\"+url+\"' title='\"+title+\"'>\"+title.substring(0,24)+\"</a>\");</script>"
                  f"<span>{d}</span></li>" for u, t, d in rows)
    lis += '<li><a href="./202501/t20250118_9002.html"><em>[2025-01-18]</em> 图解：某省某厅2024年政府信息公开工作年度报告</a></li>'
    report = page('<h1>某省某厅2024年政府信息公开工作年度报告</h1><div class="xx">来源：某厅 时间：2025-02-10 09:30</div>'
                  '<p>附件：<a href="./P020250210123456.docx" title="某省某厅2024年年报.docx">某省某厅2024年年报.docx</a></p>', "某厅")
    return {
        "/robots.txt": ROBOTS,
        col + "index.shtml": (200, U8, page(f"<ul>{lis}</ul><script>createPageHTML(1, 0, 'index', 'shtml');</script>")),
        col + "202502/t20250210_9101.html": (200, U8, report),
        col + "202502/P020250210123456.docx": (200, {"Content-Type": "application/octet-stream"}, b"PK\x03\x04word/document.xml" + b"\x00" * 32),
    }


def test_trs_list_written_by_script(tmp_path):
    col = "/zwgk/xxgkml/ndbg/"
    with portal(trs_scripted()) as (base, log):
        res = crawl_url(f"{base}{col}index.shtml", tmp_path, "某省某厅")
    (rep,) = res.reports
    assert rep.page_url == f"{base}{col}202502/t20250210_9101.html" and rep.year == 2024
    assert rep.evidence.listing_date == "2025-02-10" and rep.evidence.page_date == "2025-02-10 09:30"
    assert [a.url for a in rep.attachments] == [f"{base}{col}202502/P020250210123456.docx"]
    assert rep.attachments[0].content_type.endswith("wordprocessingml.document")
    assert res.outcomes == []
    got = fetched(log)
    assert not {f"{col}202402/t20240208_8101.html", f"{col}202501/t20250118_9002.html", f"{col}202501/t20250105_9001.html"} & got


@pytest.mark.parametrize("title, year", [
    ("[2025-01-20] 某市2024年政府信息公开工作年度报告", 2024), ("2024政府信息公开工作年度报告", 2024),
    ("某市政府信息公开工作年度报告 2025-01-20", None),
])
def test_title_years_ignore_printed_dates(title, year):
    from crawler.recognize import title_year

    assert title_year(title) == year


def test_first_page_next_link_to_index_2_means_pages_count_from_2():
    from parsel import Selector

    from crawler.strategies.pagination import discover

    base = "http://x.test/zwgk/nb/index.html"
    html = '<a href="index_2.html">下一页</a><a href="index_5.html">尾页</a>'
    guessed: set[str] = set()
    urls = discover(base, Selector(text=html), html, base, 30, guessed)
    assert sorted(urls) == [f"http://x.test/zwgk/nb/index_{n}.html" for n in (2, 3, 4, 5)]
    trs = '<a href="index_1.html">下一页</a><script>var countPage = 3;</script>'
    assert sorted(discover(base, Selector(text=trs), trs, base, 30)) == [f"http://x.test/zwgk/nb/index_{n}.html" for n in (1, 2)]


# -- links with Chinese characters and spaces (fetched percent-encoded): the report must keep its files ------
def chinese_paths():
    report = page('<h1>某区2024年政府信息公开工作年度报告</h1><p>发布日期：2025-01-18</p>'
                  '<a href="/upload/2025/某区2024年 年报.pdf">某区2024年年报</a>')
    return {
        "/robots.txt": ROBOTS,
        "/col/ndbg/index.html": (200, U8, page('<li><a href="/art/某区年报.html">某区2024年政府信息公开工作年度报告</a><span>2025-01-18</span></li>')),
        "/art/" + quote("某区年报.html"): (200, U8, report),
        "/upload/2025/" + quote("某区2024年 年报.pdf"): (200, {"Content-Type": "application/pdf"}, PDF),
    }


def test_chinese_characters_in_links(tmp_path):
    with portal(chinese_paths()) as (base, log):
        res = crawl_url(f"{base}/col/ndbg/index.html", tmp_path, "某区")
    (rep,) = res.reports
    assert rep.page_url == f"{base}/art/{quote('某区年报.html')}" and rep.page_sha256
    (a,) = rep.attachments
    assert a.url == f"{base}/upload/2025/{quote('某区2024年 年报.pdf')}" and a.sha256 and a.filename == "某区2024年 年报.pdf"
    assert res.outcomes == []


def test_sub_columns_by_body_and_by_year():
    from scrapy.http import HtmlResponse

    from crawler.strategies.plain import sub_columns

    html = ('<div class="nav"><a href="/xxgk/">政府信息公开</a><a href="/xxgk/nb/">政府信息公开年报</a></div>'
            '<a href="bm/index.html">部门</a><a href="xz/">乡镇（街道）</a><a href="2025/index.html">2025年度</a>'
            '<a href="2024/index.html">2024年</a><a href="2022/index.html">2022年</a><a href="bm/202501/t20250101_1.html">部门</a>'
            '<a href="/other/index.html">本级政府</a><a href="zn/index.html">政府信息公开指南</a>').encode()
    r = HtmlResponse("http://x.test/xxgk/nb/index.html", body=html, encoding="utf-8")
    assert sub_columns(r, r.url, 2024) == ["http://x.test/xxgk/nb/bm/index.html", "http://x.test/xxgk/nb/xz/",
                                           "http://x.test/xxgk/nb/2025/index.html", "http://x.test/xxgk/nb/2024/index.html"]


# -- a column with year tabs: the first page shows the newest year's (2025) list, the report sits under 2025年 --
def year_tabs():
    col = "/zfxxgk/ndbg/"
    tabs = f'<div class="tab"><a href="{col}2025/index.html">2025年</a><a href="{col}2024/index.html">2024年</a><a href="{col}2023/index.html">2023年</a></div>'
    return {
        "/robots.txt": ROBOTS,
        col + "index.html": (200, U8, page(tabs + '<li><a href="/zfxxgk/ndbg/2026/t20260102_1.html">某镇2025年政府信息公开工作年度报告</a><span>2026-01-02</span></li>')),
        col + "2025/index.html": (200, U8, page(tabs + '<li><a href="t20250115_2.html">某镇2024年政府信息公开工作年度报告</a><span>2025-01-15</span></li>')),
        col + "2024/index.html": (200, U8, page(tabs + '<li><a href="t20240115_3.html">某镇2023年政府信息公开工作年度报告</a><span>2024-01-15</span></li>')),
        col + "2025/t20250115_2.html": (200, U8, page('<h1>某镇2024年政府信息公开工作年度报告</h1><p>发布时间：2025-01-15</p>'
                                                      '<a href="P020250115.pdf">某镇2024年年报.pdf</a>')),
        col + "2025/P020250115.pdf": (200, {"Content-Type": "application/pdf"}, PDF),
    }


def test_year_tabs(tmp_path):
    col = "/zfxxgk/ndbg/"
    with portal(year_tabs()) as (base, log):
        res = crawl_url(f"{base}{col}index.html", tmp_path, "某镇人民政府", "township")
    (rep,) = res.reports
    assert rep.page_url == f"{base}{col}2025/t20250115_2.html"
    assert [a.url for a in rep.attachments] == [f"{base}{col}2025/P020250115.pdf"] and rep.attachments[0].sha256
    assert res.outcomes == []
    got = fetched(log)
    assert f"{col}2023/index.html" not in got and f"{col}2024/t20240115_3.html" not in got
