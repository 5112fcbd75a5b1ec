"""Hanweb (大汉 jcms): ``/col/colN/index.html`` whose list is XML records in CDATA
(``<datastore><recordset><record><![CDATA[<li>…</li>]]>``), further records from
``/module/web/jpage/dataproxy.jsp?startrecord=&endrecord=&perpage=`` (POST of the column's params).
"""
from __future__ import annotations

import re
from urllib.parse import parse_qsl, urljoin, urlsplit

from parsel import Selector

from .base import ListingEntry, ListingStrategy, PageRequest, html_entries

_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S | re.I)
_TOTAL = re.compile(r"<totalrecord>\s*(\d+)\s*</totalrecord>|totalRecord\s*[:=]\s*['\"]?(\d+)", re.I)
_NEXTGROUP = re.compile(r"<nextgroup>\s*<!\[CDATA\[(.*?)\]\]>", re.S | re.I)
_PERPAGE = re.compile(r"perpage\s*[:=]\s*['\"]?(\d+)", re.I)
GROUP = 45  # records per dataproxy call (jcms default: 3 pages of 15)


class HanwebStrategy(ListingStrategy):
    name = "hanweb"

    def detect(self, response) -> bool:
        t = response.text
        return "<datastore" in t.lower() or "/col/col" in response.url or "dataproxy.jsp" in response.url

    def entries(self, response, hints) -> list[ListingEntry]:
        records = _RECORD.findall(response.text)
        if not records:
            return super().entries(response, hints)
        return html_entries(Selector(text="".join(records)), response.url)

    def next_pages(self, response, hints) -> list[PageRequest]:
        text = response.text
        m = _TOTAL.search(text)
        nxt = _NEXTGROUP.search(text)
        if not m:
            return []
        total = int(m.group(1) or m.group(2))
        have = len(_RECORD.findall(text))
        start = int(response.meta.get("hanweb_end", have)) + 1
        if start > total:
            return []
        if nxt:
            href = Selector(text=nxt.group(1)).css("a::attr(href)").get() or ""
            proxy = urljoin(response.url, href)
        elif "dataproxy.jsp" in response.url:
            proxy = response.url
        else:
            return []
        parts = urlsplit(proxy)
        form = {k: v for k, v in parse_qsl(parts.query) if k not in ("startrecord", "endrecord", "perpage", "page")}
        if "formdata" in response.meta:
            form = dict(response.meta["formdata"])
        pp = _PERPAGE.search(text)
        perpage = pp.group(1) if pp else "15"
        end = min(start + GROUP - 1, total)
        base = f"{parts.scheme}://{parts.netloc}{parts.path}"
        url = f"{base}?startrecord={start}&endrecord={end}&perpage={perpage}"
        return [PageRequest(url, method="POST", formdata=form, kind="xml", meta={"hanweb_end": end, "formdata": form})]
