"""What a listing strategy is: entries (title, url, date) and the next listing pages of a column."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from parsel import Selector

from .. import dates


@dataclass
class ListingEntry:
    url: str
    title: str
    date: str | None = None  # the date shown beside the link on the listing


@dataclass
class PageRequest:
    """A further listing page to fetch (GET, or POST with form data)."""

    url: str
    method: str = "GET"
    formdata: dict[str, str] | None = None
    kind: str = "html"  # html | xml | json: how the response is read
    meta: dict[str, Any] = field(default_factory=dict)


class ListingStrategy:
    """One CMS family. Subclasses override what differs; all of them share the link reader."""

    name = "base"

    def detect(self, response) -> bool:
        return False

    def entries(self, response, hints) -> list[ListingEntry]:
        return html_entries(listing_selector(response, hints), response.url)

    def next_pages(self, response, hints) -> list[PageRequest]:
        return []


def listing_selector(response, hints) -> Selector:
    sel = Selector(text=response.text) if not hasattr(response, "css") else response
    if hints is not None and getattr(hints, "list_selector", None):
        parts = sel.css(hints.list_selector)
        if parts:
            return Selector(text="".join(parts.getall()))
    return sel


_SKIP_HREF = ("javascript:", "mailto:", "#", "tel:")


def html_entries(sel: Selector, base_url: str, scripts: bool = True) -> list[ListingEntry]:
    """Every link with its best title and the date printed in the same row (li/tr/dd/div/p)."""
    out: list[ListingEntry] = []
    for a in sel.css("a[href], a[onclick]"):
        href = (a.attrib.get("href") or "").strip()
        if not href or href.startswith(_SKIP_HREF):
            href = scripted_href(a.attrib.get("onclick", "") + " " + href)
        if not href:
            continue
        text = " ".join(t.strip() for t in a.css("::text").getall() if t.strip())
        title = a.attrib.get("title") or ""
        # listings truncate long titles ("…年度…"): the title attribute is the whole one
        best = title if len(title) >= len(text) else text
        row = a.xpath("ancestor::*[self::li or self::tr or self::dd or self::dt or self::p][1]")
        row_text = " ".join(t.strip() for t in row.css("::text").getall()) if row else ""
        if not row_text:
            parent = a.xpath("..")
            row_text = " ".join(t.strip() for t in parent.css("::text").getall()) if parent else ""
        # the date beside the link, else one printed inside it (<a><span>title</span><span>date</span></a>)
        date = dates.parse_date(row_text.replace(text, " ") if row_text else "") or dates.parse_date(text)
        out.append(ListingEntry(url=urljoin(base_url, href), title=best.strip(), date=date))
    return out + script_entries(sel, base_url) if scripts else out


_JS_STRING = re.compile(r"'([^'\n]{1,400})'|\"([^\"\n]{1,400})\"")
_JS_URL = re.compile(r"^(?:\.{0,2}/|https?://)\S+?\.(?:s?html?|jsp|pdf|docx?|wps|ofd)(?:\?\S*)?$|^\S*\bt\d{8}_\d+\.s?html?$", re.I)
_CJK = re.compile(r"[\u4e00-\u9fff]")


def script_entries(sel: Selector, base_url: str) -> list[ListingEntry]:
    """Links a list writes by script (TRS ``var url='./202501/t…html'; document.write(…)``): the
    page has no <a> for them without a browser. The script's URL strings are paired, in order,
    with its Chinese title strings; a literal ``<a href=…>`` inside the script is read as HTML."""
    out: list[ListingEntry] = []
    for script in sel.xpath("//script[not(@src) and not(contains(@type, 'xml'))]"):
        code = script.xpath("string()").get() or ""
        if not code or len(code) > 4000 or not _CJK.search(code):
            continue
        strings = [a or b for a, b in _JS_STRING.findall(code)]
        written = " ".join(x for x in strings if "<a " in x.lower() and "href" in x.lower())
        row = script.xpath("ancestor::*[self::li or self::tr or self::dd or self::p][1]")
        date = dates.parse_date(" ".join(row.css("::text").getall()) if row else "")
        found = html_entries(Selector(text=written), base_url, scripts=False) if written else []
        found = [e for e in found if e.title and "+" not in e.url]  # not a fragment "<a href='"+url+"'>"
        if found:
            out += [ListingEntry(e.url, e.title, e.date or date) for e in found]
            continue
        urls = [x for x in strings if _JS_URL.match(x.strip())]
        titles = [x for x in strings if len(_CJK.findall(x)) >= 6 and "<" not in x]
        if urls and len(urls) == len(titles):
            out += [ListingEntry(urljoin(base_url, u.strip()), t.strip(), date) for u, t in zip(urls, titles)]
    return out


_SCRIPT_URL = re.compile(r"""['"]((?:https?://|/|\./|\.\./)[^'"\s]+|[\w./-]+\.(?:s?html?|jsp|do|pdf|docx?|wps|xlsx?|ofd)(?:\?[^'"\s]*)?)['"]""")


def scripted_href(script: str) -> str | None:
    """The URL a script link opens (``onclick="window.open('/art/2025/1/20/art_1_2.html')"``)."""
    m = _SCRIPT_URL.search(script or "")
    return m.group(1) if m else None


def same_site(a: str, b: str) -> bool:
    return urlsplit(a).netloc == urlsplit(b).netloc


def ints(text: str) -> list[int]:
    return [int(x) for x in re.findall(r"\d+", text)]
