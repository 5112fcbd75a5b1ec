"""The sample portal's agencies: what each one publishes, in which CMS shape, with which faults.

Everything is derived from the bundled report contents (content/*.json) and the portal's report
year, so the portal is the same on every run. ``build(year)`` returns the resources to serve (by
path) and the manifest (the answer key the crawl tests grade against).

Shapes: TRS static lists (createPageHTML), Hanweb col/art with dataproxy.jsp XML, a JSON list only
visible after JavaScript runs, a TRS "动静结合" column whose older pages come from a JSON API, plain
GBK lists with a wrong or missing charset, a traditional-script mirror. Faults: a dead link (404), a
slow page, a 403 captcha page, a redirect chain, a moved column, a robots.txt-disallowed
attachment; compliance problems: a late report, an agency with none, table 3 not adding up, a
narrative/table mismatch, blank cells; and a report that changes in phase 2.
"""
from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from typing import Any, Callable
from urllib.parse import quote

from . import render

ROBOTS_TXT = b"User-agent: *\nDisallow: /private/\nDisallow: /search\n"
GBK = "gbk"


@dataclass
class Resource:
    """One URL of the portal. ``body(phase, query)`` makes the bytes (lazily: files render slowly)."""

    path: str  # path, with "?query" for exact matches; dynamic resources match on the path alone
    body: Callable[[int, dict], bytes]
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    delay: float = 0.0
    redirect: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    last_modified: str | None = None  # YYYY-MM-DD; phase 2 changes may move it
    dynamic: bool = False  # the body reads the query / POST form (dataproxy.jsp)
    methods: tuple[str, ...] = ("GET", "HEAD")
    last_modified_phase2: str | None = None


@dataclass
class Site:
    resources: dict[str, Resource] = field(default_factory=dict)
    agencies: list[dict[str, Any]] = field(default_factory=list)  # registry entries (columns are paths)
    manifest: dict[str, dict[str, Any]] = field(default_factory=dict)  # agency id -> answer key
    cache: Any = None  # documents.DocumentCache, set by the server

    def add(self, r: Resource) -> Resource:
        self.resources[r.path] = r
        return r


# -- report contents -------------------------------------------------------------------------

def content(name: str, year: int, agency: str | None = None, cells: dict[str, Any] | None = None,
            **changes) -> render.ReportContent:
    c = render.load_content(name)
    if c.year != year:
        c = render.shift_year(c, year)
    if agency and agency != c.agency:
        c = c.replace(agency=agency, title=f"{agency}{year}年政府信息公开工作年度报告", signature=agency)
    for path, value in (cells or {}).items():
        c = c.with_cell(path, value)
    if changes:
        c = c.replace(**changes)
    return c


# -- page chrome and list shapes ---------------------------------------------------------------

def _chrome(site: str, title: str, inner: str, column_href: str, charset_meta: str | None = "utf-8",
            head_extra: str = "") -> str:
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={charset_meta}"/>\n' if charset_meta else ""
    esc = html.escape
    return (
        f"<!DOCTYPE html>\n<html>\n<head>\n{meta}<title>{esc(title)}_{esc(site)}</title>\n"
        f'<meta name="SiteName" content="{esc(site)}"/>\n<meta name="ColumnName" content="{esc(title)}"/>\n'
        f"{head_extra}</head>\n<body>\n"
        f'<div class="top"><span class="logo">{esc(site)}</span><ul class="nav">'
        '<li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>'
        f'<li><a href="{column_href}">政府信息公开年报</a></li><li><a href="/search?q=年报">搜索</a></li></ul></div>\n'
        f'<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政府信息公开</a> &gt; '
        f'<a href="{column_href}">政府信息公开年报</a></div>\n'
        f'<div class="main">\n{inner}\n</div>\n'
        f'<div class="footer">主办单位：{esc(site)}　<a href="/zwgk/zfxxgkzn/">政府信息公开指南</a></div>\n'
        "</body>\n</html>\n"
    )


def _short(title: str, n: int = 22) -> str:
    return title if len(title) <= n else title[:n] + "…"


def trs_list(entries, count: int, cur: int) -> str:
    lis = "\n".join(
        f'<li><a href="{html.escape(h)}" target="_blank" title="{html.escape(t)}">{html.escape(_short(t))}</a>'
        f"<span class=\"date\">{d}</span></li>" for t, h, d in entries
    )
    return (f'<ul class="list">\n{lis}\n</ul>\n<div class="page"><script type="text/javascript">\n'
            f'createPageHTML({count}, {cur}, "index", "html");\n</script></div>')


def plain_table(entries, page: int, total: int, base: str) -> str:
    rows = "\n".join(
        f'<tr><td class="t"><a href="{html.escape(h)}">{html.escape(t)}</a></td><td class="d">{d}</td></tr>'
        for t, h, d in entries
    )
    pager = [f"<span>第{page}页/共{total}页</span>"]
    if page > 1:
        pager.append(f'<a href="{base}?page=1">首页</a> <a href="{base}?page={page - 1}">上一页</a>')
    if page < total:
        pager.append(f'<a href="{base}?page={page + 1}">下一页</a> <a href="{base}?page={total}">尾页</a>')
    return (f'<table class="list">\n{rows}\n</table>\n<div class="pager">{" ".join(pager)}</div>\n'
            f"<script>var totalPage = {total}; var currentPage = {page};</script>")


def hanweb_record(t: str, h: str, d: str) -> str:
    return (f'<li><a href="{html.escape(h)}" title="{html.escape(t)}" target="_blank">{html.escape(_short(t, 26))}</a>'
            f"<b>{d}</b></li>")


def _gbk(s: str) -> bytes:
    return s.encode(GBK, errors="xmlcharrefreplace")


def _t2s_inverse(s: str) -> str:
    import opencc

    return opencc.OpenCC("s2t").convert(s)


# -- the portal --------------------------------------------------------------------------------

NOTICES = (
    "关于{P}年春节期间值班安排的通知",
    "{P}年政务公开工作要点",
    "关于做好{Y}年政府信息公开工作年度报告编制发布工作的通知",
    "{Y}年度部门决算公开说明",
    "{Y}年法治政府建设年度报告",
    "《{Y1}年政府信息公开工作年度报告》解读",
    "关于公开征集{P}年民生实事项目的公告",
    "{P}年第一季度政府网站检查情况通报",
    "政府信息公开指南（{P}年修订）",
    "{Y}年重点民生实事完成情况",
)


def notices(Y: int, prefix: str, n: int, month: int = 4, link: Callable[[int], str] | None = None):
    out = []
    for i in range(n):
        t = NOTICES[i % len(NOTICES)].format(P=Y + 1, Y=Y, Y1=Y - 1)
        d = f"{Y + 1}-{month:02d}-{28 - i % 27:02d}" if i < 20 else f"{Y}-12-{28 - i % 27:02d}"
        h = link(i) if link else f"{prefix}/{Y + 1}{month:02d}/t{Y + 1}{month:02d}{28 - i % 27:02d}_{900 + i}.html"
        out.append((t, h, d))
    return out


def build(Y: int = 2024) -> Site:
    site = Site()
    P = Y + 1

    def report_page(path: str, make: Callable[[int], render.ReportContent], delay: float = 0.0,
                    lm: str | None = None, charset: str = "utf-8", raw_extra: str = "", **opts) -> Resource:
        """An article page (render.to_html) with optional extra HTML (attachment links) before </body>."""
        def body(phase: int, _q) -> bytes:
            page = render.to_html(make(phase), charset="utf-8", **opts).decode("utf-8")
            if raw_extra:
                extra = _t2s_inverse(raw_extra) if opts.get("traditional") else raw_extra
                page = page.replace("</body>", extra + "\n</body>")
            return page.encode(charset, errors="xmlcharrefreplace")

        ctype = "text/html" if charset != "utf-8" else "text/html; charset=utf-8"
        return site.add(Resource(path, body, content_type=ctype, delay=delay, last_modified=lm))

    def file_res(path: str, cache_fmt: str, make: Callable[[int], render.ReportContent], lm: str | None = None,
                 headers: dict | None = None, lm2: str | None = None) -> Resource:
        from .documents import FORMATS

        def body(phase: int, _q) -> bytes:
            return site.cache.get(cache_fmt, make(phase))

        return site.add(Resource(path, body, content_type=FORMATS[cache_fmt], last_modified=lm,
                                 headers=dict(headers or {}), last_modified_phase2=lm2))

    def static(path: str, text: str, lm: str | None = None, **kw) -> Resource:
        data = text.encode("utf-8") if isinstance(text, str) else text
        return site.add(Resource(path, lambda _p, _q: data, last_modified=lm, **kw))

    def older(agency_id: str, name_content: str, agency: str, prefix: str, years=(1, 2), cms="trs", traditional=False,
              charset="utf-8", path_fmt="{prefix}/{py}03/t{py}0320_{n}.html"):
        """Older years' reports (HTML pages): listed beside the current one, never taken for it."""
        rows = []
        for k in years:
            yy = Y - k
            path = path_fmt.format(prefix=prefix, py=yy + 1, n=700 + k)
            c = content(name_content, yy, agency)
            report_page(path, lambda _ph, c=c: c, cms=cms, traditional=traditional, charset=charset,
                        pub_date=f"{yy + 1}-03-20 10:00", lm=f"{yy + 1}-03-20")
            rows.append((c.title, path, f"{yy + 1}-03-20"))
            site.manifest[agency_id]["older"].setdefault(yy, []).append({"page_url": path, "attachments": []})
        return rows

    def agency(aid: str, name: str, kind: str, level: str, cms: str, column: str, hints: dict | None = None,
               region: str = "四川省攀枝花市") -> dict:
        site.agencies.append({"id": aid, "name": name, "region": region, "level": level, "kind": kind,
                              "portal": "/", "columns": [column], "hints": hints or {}, "verified": True})
        m = {"name": name, "kind": kind, "cms": cms, "columns": [column], "reports": [], "faults": [],
             "compliance": [], "expected_outcomes": [], "older": {}, "other_reports": []}
        site.manifest[aid] = m
        return m

    def report(m: dict, page_url: str | None, attachments: list[str], pub: str, title: str, **extra) -> None:
        m["reports"].append({"page_url": page_url or attachments[0], "direct": page_url is None,
                             "attachments": attachments, "pub_date": pub, "title": title, **extra})

    # 1. 淮安市: TRS static list, createPageHTML paging, report on page 2 (HTML + PDF), table 3 off
    m = agency("huaian", "淮安市人民政府", "government", "city", "trs", "/huaian/zwgk/zfxxgknb/",
               region="江苏省淮安市")
    base = content("huaian_city_2024", Y)
    bad = base.with_cell("table3.outcome_total[6]", (base.table3["outcome_total"][6] or 0) + 3)
    pdf = f"/huaian/zwgk/zfxxgknb/{P}03/P0{P}0315384721605.pdf"
    page = f"/huaian/zwgk/zfxxgknb/{P}03/t{P}0315_1001.html"
    report_page(page, lambda _p: bad, cms="trs", pub_date=f"{P}-03-15 09:30", lm=f"{P}-03-15",
                raw_extra=f'<div class="fujian">附件：<a href="./P0{P}0315384721605.pdf">{html.escape(bad.title)}.pdf</a></div>')
    file_res(pdf, "pdf", lambda _p: bad, lm=f"{P}-03-15")
    report(m, page, [pdf], f"{P}-03-15", bad.title)
    m["compliance"].append({"rule": "table_arithmetic", "detail": "表三 (七)总计 合计 比各项之和多 3"})
    rows = notices(Y, "/huaian/zwgk/zfxxgknb", 9)
    rows.insert(7, (bad.title, f"./{P}03/t{P}0315_1001.html", f"{P}-03-15"))
    # the government's column also lists its departments' reports (部门年报): not the city's report
    for k, dept in enumerate(("淮安市交通运输局", "淮安市教育局")):
        dc = content("huaian_city_2024", Y, dept)
        dpath = f"/huaian/zwgk/zfxxgknb/{P}01/t{P}012{k}_{1100 + k}.html"
        report_page(dpath, lambda _p, dc=dc: dc, cms="trs", pub_date=f"{P}-01-2{k} 10:00", lm=f"{P}-01-2{k}")
        rows.insert(3 + 4 * k, (dc.title, dpath, f"{P}-01-2{k}"))
        m["other_reports"].append(dpath)
    rows += older("huaian", "huaian_city_2024", "淮安市人民政府", "/huaian/zwgk/zfxxgknb")
    pages = [rows[i : i + 6] for i in range(0, len(rows), 6)]
    for i, chunk in enumerate(pages):
        name = "index.html" if i == 0 else f"index_{i}.html"
        fixed = [(t, h.replace("/huaian/zwgk/zfxxgknb/", "./"), d) for t, h, d in chunk]
        text = _chrome("淮安市人民政府", "政府信息公开年报", trs_list(fixed, len(pages), i), "/huaian/zwgk/zfxxgknb/")
        static(f"/huaian/zwgk/zfxxgknb/{name}", text)
    site.resources["/huaian/zwgk/zfxxgknb/"] = site.resources["/huaian/zwgk/zfxxgknb/index.html"]

    # 2. 洪泽区: Hanweb col/art, first 15 records inline, the rest from dataproxy.jsp; changes in phase 2
    m = agency("hongze", "淮安市洪泽区人民政府", "government", "county", "hanweb", "/hongze/col/col1234/index.html",
               region="江苏省淮安市洪泽区")
    v1 = content("hongze_district_2024", Y)
    v2 = v1.with_cell("table2.licensing", (v1.table2.get("licensing") or 0) + 120)
    pick = lambda phase: v2 if phase >= 2 else v1  # noqa: E731
    art = f"/hongze/art/{P}/2/18/art_1234_88001.html"
    docx = f"/hongze/picture/0/{P % 100}0218103000123.docx"
    report_page(art, pick, cms="hanweb", pub_date=f"{P}-02-18 10:30", lm=f"{P}-02-18",
                raw_extra=f'<p>附件：<a href="{docx}" target="_blank">{html.escape(v1.title)}（文字版）.docx</a></p>')
    site.resources[art].last_modified_phase2 = f"{P}-04-02"
    file_res(docx, "docx", pick, lm=f"{P}-02-18", lm2=f"{P}-04-02")
    report(m, art, [docx], f"{P}-02-18", v1.title, changes_in_phase=2)
    m["compliance"].append({"rule": "modified_after_publication", "detail": "phase 2: 表二 行政许可 +120 (页面与附件都变)"})
    recs = notices(Y, "", 18, month=3, link=lambda i: f"/hongze/art/{P}/3/{28 - i % 27}/art_1234_{87000 + i}.html")
    recs.insert(16, (v1.title, art, f"{P}-02-18"))
    recs += older("hongze", "hongze_district_2024", "淮安市洪泽区人民政府", "/hongze/art",
                  cms="hanweb", path_fmt="{prefix}/{py}/3/20/art_1234_{n}.html")
    per_page, first_group = 15, 15
    records = [hanweb_record(*r) for r in recs]
    unit = "237"
    proxy = (f"/hongze/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=12&path=/&columnid=1234&unitid={unit}"
             f"&webname={quote('淮安市洪泽区人民政府')}&permissiontype=0")
    inline = "\n".join(f"<record><![CDATA[{r}]]></record>" for r in records[:first_group])
    col = (f'<div id="{unit}"><script type="text/xml"><datastore>\n<nextgroup><![CDATA[<a href="{html.escape(proxy)}"></a>]]></nextgroup>\n'
           f"<recordset>\n{inline}\n</recordset></datastore></script>"
           f'<script language="javascript" src="/hongze/module/web/jpage/jpage.js"></script>\n'
           f"<script>var pageObj = new Pager({{totalRecord:{len(records)}, perpage:{per_page}, unitid:{unit}}});</script></div>")
    static("/hongze/col/col1234/index.html", _chrome("淮安市洪泽区人民政府", "政府信息公开年报", col, "/hongze/col/col1234/index.html"))

    def dataproxy(_phase: int, q: dict) -> bytes:
        try:
            start, end = int(q.get("startrecord", "1")), int(q.get("endrecord", str(len(records))))
        except ValueError:
            start, end = 1, len(records)
        chosen = records[max(start - 1, 0) : end]
        body = "".join(f"<record><![CDATA[{r}]]></record>" for r in chosen)
        total_pages = -(-len(records) // per_page)
        return (f'<?xml version="1.0" encoding="UTF-8"?>\n<datastore><totalrecord>{len(records)}</totalrecord>'
                f"<totalpage>{total_pages}</totalpage><recordset>{body}</recordset></datastore>").encode("utf-8")

    site.add(Resource("/hongze/module/web/jpage/dataproxy.jsp", dataproxy, content_type="text/xml; charset=UTF-8",
                      dynamic=True, methods=("GET", "POST", "HEAD")))
    static("/hongze/module/web/jpage/jpage.js", "/* jpage */", content_type="application/javascript")

    # 3. 攀枝花市政府办公室: the list exists only after JavaScript runs (JSON API); PDF behind pdf.js
    m = agency("panzhihua", "攀枝花市人民政府办公室", "department", "city", "json-js", "/panzhihua/zfxxgknb/index.html",
               hints={"js": True})
    pz = content("panzhihua_office_2022", Y)
    pz_pdf = f"/panzhihua/files/{P}/P0{P}0125.pdf"
    pz_page = "/panzhihua/content/post_2001.html"
    report_page(pz_page, lambda _p: pz, cms="plain", lm=f"{P}-01-25",
                raw_extra=(f'<p>发布日期：{P}-01-25</p><iframe src="/panzhihua/pdfjs/web/viewer.html?file={pz_pdf}" '
                           'width="100%" height="800"></iframe>'))
    file_res(pz_pdf, "pdf_chromium", lambda _p: pz, lm=f"{P}-01-25")
    report(m, pz_page, [pz_pdf], f"{P}-01-25", pz.title, needs_js=True)
    pz_items = [{"title": t, "url": h, "pubDate": d} for t, h, d in
                notices(Y, "/panzhihua/content", 7, month=2, link=lambda i: f"/panzhihua/content/post_{1900 + i}.html")]
    pz_items.insert(5, {"title": pz.title, "url": pz_page, "pubDate": f"{P}-01-25"})
    for t, h, d in older("panzhihua", "panzhihua_office_2022", "攀枝花市人民政府办公室", "/panzhihua/content",
                         cms="plain", path_fmt="{prefix}/post_{n}.html"):
        pz_items.append({"title": t, "url": h, "pubDate": d})

    def pz_api(_phase: int, q: dict) -> bytes:
        page = int(q.get("page", "1") or 1)
        chunk = pz_items[(page - 1) * 6 : page * 6]
        return json.dumps({"code": 0, "data": {"total": len(pz_items), "pages": -(-len(pz_items) // 6), "list": chunk}},
                          ensure_ascii=False).encode("utf-8")

    site.add(Resource("/panzhihua/api/list", pz_api, content_type="application/json; charset=utf-8", dynamic=True))
    shell = """<ul id="list" class="list"></ul>
<script>
(async function () {
  const ul = document.getElementById('list');
  for (let page = 1; page <= 5; page++) {
    const r = await fetch('/panzhihua/api/' + 'list?channel=nb&page=' + page);
    const j = await r.json();
    for (const it of j.data.list) {
      const li = document.createElement('li');
      const a = document.createElement('a');
      a.href = it.url; a.textContent = it.title; a.title = it.title;
      li.appendChild(a);
      const s = document.createElement('span'); s.textContent = it.pubDate; li.appendChild(s);
      ul.appendChild(li);
    }
    if (page >= j.data.pages) break;
  }
})();
</script>"""
    static("/panzhihua/zfxxgknb/index.html", _chrome("攀枝花市人民政府办公室", "政府信息公开年报", shell, "/panzhihua/zfxxgknb/index.html"))

    # 4. 郑州市二七区政府办公室: TRS 动静结合 (first page static, the rest from list2.trsapi); the
    #    report is a .doc served by download.jsp with a GBK file name in Content-Disposition
    m = agency("erqi", "郑州市二七区人民政府办公室", "department", "county", "trs-api", "/erqi/zfxxgk/zfxxgknb/index.html",
               hints={"json_api": "/erqi/trsapi/list2.trsapi?channelid=200210&page={page}&prepage=6", "cms": "trs"},
               region="河南省郑州市二七区")
    eq = content("erqi_office_2022", Y)
    eq_doc = "/erqi/download.jsp?fileid=7788"
    fname = f"{eq.title}.doc"
    file_res(eq_doc, "doc", lambda _p: eq, lm=f"{P}-01-22",
             headers={"Content-Disposition": b'attachment; filename="' + fname.encode(GBK) + b'"'})
    report(m, None, [eq_doc], f"{P}-01-22", eq.title, filename=fname)
    eq_rows = notices(Y, "/erqi/zfxxgk/zfxxgknb", 8, month=2)
    eq_rows.insert(7, (eq.title, eq_doc, f"{P}-01-22"))
    eq_rows += older("erqi", "erqi_office_2022", "郑州市二七区人民政府办公室", "/erqi/zfxxgk/zfxxgknb")
    static("/erqi/zfxxgk/zfxxgknb/index.html",
           _chrome("郑州市二七区人民政府", "政府信息公开年报", trs_list(eq_rows[:5], 1, 0), "/erqi/zfxxgk/zfxxgknb/index.html"))

    def erqi_api(_phase: int, q: dict) -> bytes:
        page, size = int(q.get("page", "1") or 1), int(q.get("prepage", "6") or 6)
        chunk = eq_rows[(page - 1) * size : page * size]
        return json.dumps({"data": [{"DOCTITLE": t, "DOCPUBURL": h, "DOCRELTIME": d + " 10:00:00"} for t, h, d in chunk],
                           "pager": {"pageCount": -(-len(eq_rows) // size), "pageIndex": page}},
                          ensure_ascii=False).encode("utf-8")

    site.add(Resource("/erqi/trsapi/list2.trsapi", erqi_api, content_type="application/json;charset=UTF-8", dynamic=True))

    # 5. 泸州市: plain list in GBK declared as UTF-8, ?page=N paging; report page GBK with no charset at all
    m = agency("luzhou", "泸州市人民政府", "government", "city", "plain-gbk", "/luzhou/list.asp", region="四川省泸州市")
    lz = content("luzhou_city_2022", Y)
    lz_page = "/luzhou/show.asp?id=3302"
    report_page(lz_page, lambda _p: lz, cms="plain", charset=GBK, declared_charset=None, lm=f"{P}-03-28",
                raw_extra=f"<p>发布日期：{P}-03-28</p>")
    report(m, lz_page, [], f"{P}-03-28", lz.title, encoding="gbk, no declaration")
    lz_rows = notices(Y, "", 7, month=4, link=lambda i: f"/luzhou/show.asp?id={3400 + i}")
    lz_rows.insert(5, (lz.title, "show.asp?id=3302", f"{P}-03-28"))
    lz_rows += older("luzhou", "luzhou_city_2022", "泸州市人民政府", "/luzhou", cms="plain", charset=GBK,
                     path_fmt="{prefix}/show.asp?id={n}")
    lz_pages = [lz_rows[i : i + 5] for i in range(0, len(lz_rows), 5)]
    for i, chunk in enumerate(lz_pages, start=1):
        text = _chrome("泸州市人民政府", "政府信息公开年报", plain_table(chunk, i, len(lz_pages), "list.asp"),
                       "/luzhou/list.asp", charset_meta="utf-8")  # the lie: the bytes are GBK
        data = _gbk(text)
        static("/luzhou/list.asp" + ("" if i == 1 else f"?page={i}"), data, content_type="text/html")
        if i == 1:
            static("/luzhou/list.asp?page=1", data, content_type="text/html")
    m["faults"].append({"fault": "wrong_charset", "url": "/luzhou/list.asp", "outcome": "found",
                        "detail": "列表页 GBK 字节却声明 utf-8；正文页无字符集声明"})

    # 6. 仁和区 on a traditional-script mirror; its narrative says 16 applications, its table 17
    m = agency("renhe-mirror", "攀枝花市仁和区人民政府", "government", "county", "mirror-traditional", "/mirror/renhe/nb/")
    rh = content("renhe_district_2024", Y)
    rh_page = f"/mirror/renhe/nb/{P}03/t{P}0325_6601.html"
    report_page(rh_page, lambda _p: rh, cms="trs", traditional=True, pub_date=f"{P}-03-25 16:00", lm=f"{P}-03-25")
    report(m, rh_page, [], f"{P}-03-25", rh.title, traditional=True, mirror=True)
    m["compliance"].append({"rule": "narrative_vs_table", "detail": "正文称收到申请16件，表三本年新收合计17件"})
    rh_rows = notices(Y, "/mirror/renhe/nb", 4, month=4)
    rh_rows.insert(2, (rh.title, rh_page, f"{P}-03-25"))
    rh_rows += older("renhe-mirror", "renhe_district_2024", "攀枝花市仁和区人民政府", "/mirror/renhe/nb", traditional=True)
    static("/mirror/renhe/nb/", _t2s_inverse(_chrome("仁和区政府网站镜像", "政府信息公开年报", trs_list(rh_rows, 1, 0), "/mirror/renhe/nb/")))
    m["faults"].append({"fault": "traditional_mirror", "url": "/mirror/renhe/nb/", "outcome": "found",
                        "detail": "第三方镜像站，繁体字"})

    # 7. 钒钛高新区: column reached through a redirect chain; slow report page; 图片版 scan PDF; blank cells
    m = agency("vanadium", "攀枝花钒钛高新区管委会", "department", "city", "plain", "/vanadium/old/nb/")
    blank = ["table4.review.upheld", "table4.review.corrected", "table4.review.other", "table4.review.pending",
             "table4.review.total"]
    vn = content("vanadium_hitech_zone_2023", Y, blank_cells=blank)
    vn_page = f"/vanadium/xxgk/nb/{P}01/t{P}0126_5501.html"
    vn_scan = f"/vanadium/xxgk/nb/{P}01/W0{P}0126551.pdf"
    report_page(vn_page, lambda _p: vn, cms="trs", delay=1.5, pub_date=f"{P}-01-26 11:00", lm=f"{P}-01-26",
                raw_extra=f'<p>附件：<a href="{vn_scan}">{html.escape(vn.title)}（图片版）.pdf</a></p>')
    file_res(vn_scan, "scan", lambda _p: vn, lm=f"{P}-01-26")
    report(m, vn_page, [vn_scan], f"{P}-01-26", vn.title, scan=True)
    m["compliance"].append({"rule": "blank_cells", "detail": "表四 行政复议 五格空白"})
    m["faults"] += [
        {"fault": "redirect_chain", "url": "/vanadium/old/nb/", "outcome": "found", "detail": "301 → 302 → 栏目页"},
        {"fault": "slow_response", "url": vn_page, "outcome": "found", "detail": "正文页 1.5 秒才响应"},
    ]
    site.add(Resource("/vanadium/old/nb/", lambda _p, _q: b"", status=301, redirect="/vanadium/moved/nb/"))
    site.add(Resource("/vanadium/moved/nb/", lambda _p, _q: b"", status=302, redirect="/vanadium/xxgk/nb/index.html"))
    vn_rows = notices(Y, "/vanadium/xxgk/nb", 6, month=3)
    vn_rows.insert(6, (vn.title, vn_page, f"{P}-01-26"))  # on page 2: paging continues after the redirects
    vn_rows += older("vanadium", "vanadium_hitech_zone_2023", "攀枝花钒钛高新区管委会", "/vanadium/xxgk/nb")
    vn_pages = [vn_rows[i : i + 5] for i in range(0, len(vn_rows), 5)]
    for i, chunk in enumerate(vn_pages, start=1):
        static("/vanadium/xxgk/nb/index.html" + ("" if i == 1 else f"?page={i}"),
               _chrome("攀枝花钒钛高新区", "政府信息公开年报", plain_table(chunk, i, len(vn_pages), "index.html"),
                       "/vanadium/xxgk/nb/index.html"))

    # 8. 东区: the column answers 403 with a captcha page
    m = agency("dongqu", "攀枝花市东区人民政府", "government", "county", "blocked", "/dongqu/zfxxgk/nb/")
    captcha = ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>安全验证</title></head><body>"
               "<h2>访问验证</h2><p>您的访问过于频繁，请输入验证码后继续访问。</p>"
               "<img src=\"/captcha.jpg\"/><form><input name=\"code\"/><button>提交</button></form></body></html>")
    static("/dongqu/zfxxgk/nb/", captcha, status=403)
    m["faults"].append({"fault": "captcha_403", "url": "/dongqu/zfxxgk/nb/", "outcome": "blocked", "detail": "403 验证码页"})
    m["expected_outcomes"].append({"outcome": "blocked", "url": "/dongqu/zfxxgk/nb/"})

    # 9. 西区: no report for the year (older ones only)
    m = agency("xiqu", "攀枝花市西区人民政府", "department", "county", "trs", "/xiqu/zwgk/nb/index.html")
    xq_rows = notices(Y, "/xiqu/zwgk/nb", 4, month=2)
    xq_rows += older("xiqu", "erqi_office_2022", "攀枝花市西区人民政府", "/xiqu/zwgk/nb")
    static("/xiqu/zwgk/nb/index.html", _chrome("攀枝花市西区人民政府", "政府信息公开年报", trs_list(xq_rows, 1, 0), "/xiqu/zwgk/nb/index.html"))
    m["compliance"].append({"rule": "missing_report", "detail": f"截至检查日未发布{Y}年度报告"})
    m["expected_outcomes"].append({"outcome": "no_report", "url": "/xiqu/zwgk/nb/index.html"})

    # 10. 米易县政府办公室: late (Mar 5 for a department); a dead 图片版 link (404); a robots-disallowed
    #     attachment; the .docx comes from download?id= with an RFC 5987 file name
    m = agency("miyi", "米易县人民政府办公室", "department", "county", "plain", "/miyi/xxgk/nb/list.html")
    my = content("hongze_district_2023", Y, "米易县人民政府办公室")
    my_page = f"/miyi/xxgk/nb/{P}03/t{P}0305_4401.html"
    my_docx = "/miyi/attach/download?id=9"
    my_private = "/private/miyi/draft.pdf"
    my_name = f"{my.title}.docx"
    report_page(my_page, lambda _p: my, cms="trs", pub_date=f"{P}-03-05 15:00", lm=f"{P}-03-05",
                raw_extra=(f'<p>附件：<a href="{my_docx}">{html.escape(my.title)}.docx</a></p>'
                           f'<p><a href="{my_private}">征求意见稿.pdf</a></p>'))
    file_res(my_docx, "docx", lambda _p: my, lm=f"{P}-03-05",
             headers={"Content-Disposition": "attachment; filename=\"report.docx\"; filename*=UTF-8''" + quote(my_name)})
    report(m, my_page, [my_docx], f"{P}-03-05", my.title, filename=my_name, unreachable_attachments=[my_private])
    m["compliance"].append({"rule": "late_publication", "detail": f"部门报告 {P}-03-05 发布，晚于 {P}-01-31"})
    dead = f"/miyi/xxgk/nb/{P}03/t{P}0305_404.html"
    m["faults"] += [
        {"fault": "dead_link", "url": dead, "outcome": "fetch_failed", "http_status": 404, "detail": "图片版链接 404"},
        {"fault": "robots_disallowed", "url": my_private, "outcome": "fetch_failed", "detail": "robots.txt 禁止 /private/"},
    ]
    m["expected_outcomes"] += [{"outcome": "fetch_failed", "url": dead, "http_status": 404},
                               {"outcome": "fetch_failed", "url": my_private}]
    my_rows = notices(Y, "/miyi/xxgk/nb", 3, month=4)
    my_rows.insert(1, (my.title, my_page, f"{P}-03-05"))
    my_rows.insert(2, (f"{my.title}（图片版）", dead, f"{P}-03-05"))
    my_rows += older("miyi", "hongze_district_2023", "米易县人民政府办公室", "/miyi/xxgk/nb")
    static("/miyi/xxgk/nb/list.html", _chrome("米易县人民政府", "政府信息公开年报", plain_table(my_rows, 1, 1, "list.html"), "/miyi/xxgk/nb/list.html"))

    # 11. 盐边县: the column moved; the old URL shows a redesign notice with menus only
    m = agency("yanbian", "盐边县人民政府", "government", "county", "moved", "/yanbian/zwgk/ndbg/")
    static("/yanbian/zwgk/ndbg/", _chrome("盐边县人民政府", "网站改版", "<p>网站改版升级中，原栏目已调整，请从首页进入。</p>"
                                           '<ul><li><a href="/yanbian/">首页</a></li><li><a href="/yanbian/zwgk/">政务公开</a></li></ul>',
                                           "/yanbian/zwgk/ndbg/"))
    m["faults"].append({"fault": "moved_column", "url": "/yanbian/zwgk/ndbg/", "outcome": "listing_changed"})
    m["expected_outcomes"].append({"outcome": "listing_changed", "url": "/yanbian/zwgk/ndbg/"})

    site.add(Resource("/robots.txt", lambda _p, _q: ROBOTS_TXT, content_type="text/plain"))
    static("/", _chrome("示例门户", "首页", "<p>nianbao 示例门户</p>", "/"))
    return site
