"""An article page as a government portal serves it (TRS, Hanweb or plain; any charset; simplified or
traditional script)."""
from __future__ import annotations

import html

from .content import ReportContent
from .grids import Grid, blocks


def _s2t(text: str) -> str:
    import opencc

    return opencc.OpenCC("s2t").convert(text)


def _table_html(grid: Grid, cms: str) -> str:
    style = ' border="1" cellspacing="0" cellpadding="0" style="border-collapse:collapse;width:100%"'
    lines = [f"<table{style}>", "<tbody>"]
    for row in grid:
        tds = []
        for cell in row:
            attrs = ""
            if cell.rowspan > 1:
                attrs += f' rowspan="{cell.rowspan}"'
            if cell.colspan > 1:
                attrs += f' colspan="{cell.colspan}"'
            # Word-pasted tables wrap every cell's text in <p><span>; that is what portals serve
            inner = html.escape(cell.text) if cell.text else "&nbsp;" if cms != "plain" else ""
            if cms == "trs":
                inner = f'<p style="text-align:center"><span style="font-family:仿宋_GB2312;font-size:12pt">{inner}</span></p>'
            tds.append(f'<td valign="middle"{attrs}>{inner}</td>')
        lines.append("<tr>" + "".join(tds) + "</tr>")
    lines += ["</tbody>", "</table>"]
    return "\n".join(lines)


def _body_html(c: ReportContent, cms: str) -> str:
    out = []
    for kind, payload in blocks(c):
        if kind == "title":
            continue  # printed by the page chrome
        if kind == "heading":
            out.append(f'<p style="text-indent:2em"><strong>{html.escape(payload)}</strong></p>')
        elif kind == "para":
            out.append(f'<p style="text-indent:2em">{html.escape(payload)}</p>')
        elif kind == "table":
            out.append(_table_html(payload, cms))
        elif kind == "signature":
            out.append(f'<p style="text-align:right">{html.escape(payload)}</p>')
    return "\n".join(out)


def default_pub_date(c: ReportContent) -> str:
    """A plausible publication time: two days after the signature, else Jan 20 of the next year."""
    import datetime as dt

    if c.signature_date:
        d = dt.date.fromisoformat(c.signature_date) + dt.timedelta(days=2)
        return f"{d.isoformat()} 09:30"
    return f"{c.year + 1}-01-20 09:30"


def to_html(
    c: ReportContent,
    *,
    cms: str = "trs",
    charset: str = "utf-8",
    declared_charset: str | None = "utf-8",
    traditional: bool = False,
    pub_date: str | None = None,
    extra_meta: dict | None = None,
) -> bytes:
    """A whole article page as a portal serves it (meta set of the 政府网站发展指引, 信息公开目录 header,
    nav and footer chrome, the body in a TRS_Editor or #zoom container). ``charset`` is how the bytes
    are encoded, ``declared_charset`` what the page claims (None: no declaration) — GBK bytes with a
    UTF-8 or missing declaration are the traps real portals set."""
    if cms not in ("trs", "hanweb", "plain"):
        raise ValueError(f"unknown cms {cms!r}")
    pub = pub_date or default_pub_date(c)
    column = "政府信息公开年报"
    site = f"{c.agency}门户网站"
    esc = html.escape
    meta_charset = f'<meta http-equiv="Content-Type" content="text/html; charset={declared_charset}"/>\n' if declared_charset else ""
    body = _body_html(c, cms)
    if cms == "plain":
        page = (
            f"<!DOCTYPE html>\n<html>\n<head>\n{meta_charset}<title>{esc(c.title)}</title>\n</head>\n<body>\n"
            f"<h1>{esc(c.title)}</h1>\n{body}\n</body>\n</html>\n"
        )
    else:
        meta = {
            "SiteName": site,
            "SiteDomain": "www.example.gov.cn",
            "SiteIDCode": "5100000000",
            "ColumnName": column,
            "ColumnType": "政府信息公开",
            "ArticleTitle": c.title,
            "PubDate": pub,
            "ContentSource": c.agency,
            "Keywords": "政府信息公开,年度报告",
            "Author": c.agency,
            "Description": c.title,
        }
        meta.update(extra_meta or {})
        metas = "\n".join(f'<meta name="{esc(k)}" content="{esc(str(v))}"/>' for k, v in meta.items())
        index_no = f"{abs(hash_str(c.agency)) % 10**8:08d}/{c.year + 1}-{abs(hash_str(c.title)) % 10**5:05d}"
        header = (
            '<div class="xxgk-head"><table class="xxgk-table">\n'
            f"<tr><td>索引号：</td><td>{index_no}</td><td>主题分类：</td><td>政务公开</td></tr>\n"
            f"<tr><td>发布机构：</td><td>{esc(c.agency)}</td><td>成文日期：</td><td>{esc(c.signature_date or pub[:10])}</td></tr>\n"
            f"<tr><td>发布日期：</td><td>{esc(pub[:10])}</td><td>文号：</td><td></td></tr>\n"
            "</table></div>"
        )
        container = '<div class="TRS_Editor">' if cms == "trs" else '<div id="zoom">'
        nav = "首页 &gt; 政府信息公开 &gt; 法定主动公开内容 &gt; " + column
        page = (
            f"<!DOCTYPE html>\n<html>\n<head>\n{meta_charset}{metas}\n"
            f"<title>{esc(c.title)}_{column}_{esc(site)}</title>\n"
            '<link rel="stylesheet" href="/css/common.css"/>\n</head>\n<body>\n'
            f'<div class="top"><div class="logo">{esc(site)}</div>'
            '<ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>'
            '<li><a href="/hdjl/">互动交流</a></li><li><a href="/zwfw/">政务服务</a></li></ul></div>\n'
            f'<div class="crumb">当前位置：{nav}</div>\n{header}\n'
            f'<div class="article"><h1 class="article-title">{esc(c.title)}</h1>\n'
            f'<div class="article-info">发布时间：{esc(pub)}　来源：{esc(c.agency)}　字号：[ 大 中 小 ]</div>\n'
            f"{container}\n{body}\n</div>\n"
            '<div class="article-tools"><a href="javascript:window.print()">打印本页</a> <a href="javascript:window.close()">关闭窗口</a></div>\n'
            "</div>\n"
            f'<div class="footer"><p>主办单位：{esc(c.agency)}　网站标识码：5100000000</p>'
            "<p>ICP备案号：蜀ICP备00000000号　公安机关备案号：51000000000000</p></div>\n"
            "</body>\n</html>\n"
        )
    if traditional:
        page = _s2t(page)
    return page.encode(charset, errors="xmlcharrefreplace")


def hash_str(s: str) -> int:
    """A stable (unsalted) hash, for made-up but deterministic index numbers."""
    import hashlib

    return int.from_bytes(hashlib.sha256(s.encode("utf-8")).digest()[:8], "big")
