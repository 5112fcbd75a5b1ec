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


def html_entries(sel: Selector, base_url: str) -> list[ListingEntry]:
    """Every link with its best title and the date printed in the same row (li/tr/dd/div/p)."""
    out: list[ListingEntry] = []
    for a in sel.css("a[href]"):
        href = (a.attrib.get("href") or "").strip()
        if not href or href.startswith(_SKIP_HREF):
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
    return out


def same_site(a: str, b: str) -> bool:
    return urlsplit(a).netloc == urlsplit(b).netloc


def ints(text: str) -> list[int]:
    return [int(x) for x in re.findall(r"\d+", text)]
