"""JSON list APIs behind JavaScript pages (TRS ``list2.trsapi``, 集约化 platforms, SPA lists).

The registry gives the API as ``hints.json_api`` with ``{page}`` (1-based) or ``{offset}``
(0-based record offset, with ``{size}``). The reader does not know the field names in advance: it
finds the list of records that carry a title and a URL, whatever they are called.
"""
from __future__ import annotations

import json
from urllib.parse import urljoin

from .. import dates
from .base import ListingEntry, ListingStrategy, PageRequest

_TITLE_KEYS = ("title", "doctitle", "docTitle", "DOCTITLE", "name", "articleTitle", "ArticleTitle", "bt", "wzbt")
_URL_KEYS = ("url", "docpuburl", "docPubUrl", "DOCPUBURL", "link", "href", "puburl", "pubUrl", "articleUrl", "docurl")
_DATE_KEYS = ("pubDate", "pubdate", "PubDate", "docreltime", "DOCRELTIME", "publishTime", "date", "time", "fbrq", "createTime")
_PAGES_KEYS = ("totalPage", "totalPages", "pageCount", "pages", "page_count", "countPage", "total_page")
PAGE_SIZE = 20


def _pick(d: dict, keys) -> str | None:
    lower = {k.lower(): v for k, v in d.items()}
    for k in keys:
        v = d.get(k, lower.get(k.lower()))
        if isinstance(v, (str, int)) and str(v).strip():
            return str(v)
    return None


def _records(node):
    """The first list of dicts with title+url in a JSON tree (breadth first)."""
    queue = [node]
    while queue:
        n = queue.pop(0)
        if isinstance(n, list) and n and all(isinstance(x, dict) for x in n):
            if any(_pick(x, _TITLE_KEYS) and _pick(x, _URL_KEYS) for x in n):
                return n
        if isinstance(n, dict):
            queue.extend(n.values())
        elif isinstance(n, list):
            queue.extend(x for x in n if isinstance(x, (dict, list)))
    return []


def _page_count(node) -> int | None:
    queue = [node]
    while queue:
        n = queue.pop(0)
        if isinstance(n, dict):
            for k, v in n.items():
                if k in _PAGES_KEYS and str(v).isdigit():
                    return int(v)
            queue.extend(v for v in n.values() if isinstance(v, dict))
    return None


def api_url(template: str, page: int) -> str:
    return template.replace("{page}", str(page)).replace("{offset}", str((page - 1) * PAGE_SIZE)).replace(
        "{size}", str(PAGE_SIZE)
    )


class JsonApiStrategy(ListingStrategy):
    name = "json"

    def detect(self, response) -> bool:
        return response.meta.get("kind") == "json"

    def _data(self, response):
        try:
            return json.loads(response.text)
        except ValueError:
            return None

    def entries(self, response, hints) -> list[ListingEntry]:
        data = self._data(response)
        out = []
        for r in _records(data) if data is not None else []:
            title, url = _pick(r, _TITLE_KEYS), _pick(r, _URL_KEYS)
            if title and url:
                out.append(ListingEntry(urljoin(response.url, url), title, dates.parse_date(_pick(r, _DATE_KEYS))))
        return out

    def next_pages(self, response, hints) -> list[PageRequest]:
        data = self._data(response)
        template = response.meta.get("json_api") or (hints.json_api if hints else None)
        if data is None or not template:
            return []
        page = int(response.meta.get("json_page", 1))
        cap = (hints.max_pages if hints and hints.max_pages else None) or 50
        count = _page_count(data)
        if count is not None:
            if page != 1:
                return []
            return [
                PageRequest(api_url(template, p), kind="json", meta={"json_page": p, "json_api": template})
                for p in range(2, min(count, cap) + 1)
            ]
        if not _records(data) or page >= cap:
            return []  # no count given: walk until an empty page
        return [PageRequest(api_url(template, page + 1), kind="json", meta={"json_page": page + 1, "json_api": template})]
