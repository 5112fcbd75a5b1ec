"""The one spider: an agency's annual-report column → report pages → attachments.

Driven by the registry (``-a agency=ID``) or by a bare column URL (``-a url=... -a name=...
-a kind=... -a js=1``). It yields plain dict items (see crawler/pipelines.py): every fetched
file (``document``), every accepted listing entry (``candidate``), what a report page says
(``page``), per-page column counts (``column``) and health outcomes (``outcome``). The result
pipeline turns them into a ``CrawlResult``. Behaviour is set in crawler/settings.py.
"""
from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime, timezone
from urllib.parse import urldefrag, urlsplit

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import TextResponse
from scrapy.spidermiddlewares.httperror import HttpError

from .. import attachments as att
from .. import dates
from ..blocking import block_reason
from ..encoding import fix_encoding
from ..recognize import is_report_title, report_year, simplified, truncated_report_title
from ..registry import Agency, adhoc_agency, find_agency, load_registry
from ..result import BLOCKED, FETCH_FAILED
from ..strategies import PageRequest, strategies_for
from ..strategies.jsonapi import api_url
from ..strategies.plain import sub_columns

KEPT_HEADERS = ("Content-Type", "Content-Length", "Content-Disposition", "ETag", "Last-Modified", "Date", "Server", "Location")
META_NAMES = ("PubDate", "ArticleTitle", "ColumnName", "SiteName", "SiteDomain", "ContentSource", "Url", "firstpublishedtime", "lastmodifiedtime")


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _flag(v) -> bool:
    return str(v).strip().lower() in ("1", "true", "yes", "on")


def _arg_flag(v, default: bool) -> bool:
    """A spider argument: a string from ``-a``, a bool from ``crawler.run``, or absent."""
    if v is None:
        return default
    return _flag(v) if isinstance(v, str) else bool(v)


class AnnualReportsSpider(scrapy.Spider):
    name = "annual_reports"

    def __init__(self, *args, **kwargs):
        agency_name = kwargs.pop("name", None)  # -a name= names the agency, not the spider
        year = kwargs.pop("year", None)
        agency_id = kwargs.pop("agency", None)
        url = kwargs.pop("url", None)
        kind = kwargs.pop("kind", "department")
        js = _flag(kwargs.pop("js", "0"))
        agencies = kwargs.pop("agencies", None)
        known = kwargs.pop("known", None)
        allow_private = kwargs.pop("allow_private", None)
        use_playwright = kwargs.pop("use_playwright", None)
        self._registry_path = kwargs.pop("registry", None)
        super().__init__(*args, **kwargs)
        self.year = int(year) if year else datetime.now().year - 1
        self._agency_id, self._url, self._agency_name, self._kind, self._js = agency_id, url, agency_name, kind, js
        self._agencies_arg = agencies
        self.known = known if isinstance(known, dict) else (json.loads(known) if known else None)
        self._allow_private_arg = allow_private
        self._use_playwright_arg = use_playwright
        self._requested: set[str] = set()
        self._column_pages: dict[tuple[str, str], int] = {}

    # -- set-up ---------------------------------------------------------------------------
    def _setup(self) -> None:
        s = self.crawler.settings
        self.allow_private = _arg_flag(self._allow_private_arg, s.getbool("NIANBAO_ALLOW_PRIVATE"))
        # the browser is used only when the handler is installed (crawler/settings.py) and wanted
        has_browser = "playwright" in str(s.getdict("DOWNLOAD_HANDLERS").get("http", ""))
        self.use_playwright = has_browser and _arg_flag(self._use_playwright_arg, s.getbool("NIANBAO_USE_PLAYWRIGHT", True))
        from .. import browser

        browser.ALLOW_PRIVATE = self.allow_private  # the browser obeys the same address rule
        self.max_pages = s.getint("NIANBAO_MAX_LIST_PAGES", 30)
        if self.known is None:  # standalone `scrapy crawl`: validators from the state file of earlier runs
            from ..pipelines import load_state

            state = s.get("NIANBAO_STATE_FILE")
            self.known = load_state(state) if state else {}
        self.agencies = self._load_agencies()

    def _load_agencies(self) -> list[Agency]:
        if self._agencies_arg:
            items = self._agencies_arg
            if isinstance(items, str):
                items = json.loads(items)
            return [a if isinstance(a, Agency) else Agency.from_dict(a) for a in items]
        if self._url:
            return [adhoc_agency(self._url, self._agency_name, self._kind, self._js)]
        registry = load_registry(self._registry_path or self.crawler.settings.get("NIANBAO_REGISTRY"))
        if self._agency_id:
            return [find_agency(registry, i.strip()) for i in self._agency_id.split(",")]
        return registry

    async def start(self):
        self._setup()
        for agency in self.agencies:
            if not agency.columns and not agency.hints.json_api:
                yield self._outcome(agency.id, FETCH_FAILED, agency.portal or agency.id,
                                    "no annual-report column in the registry entry: nothing to crawl")
            for column in agency.columns:
                req = self._request(column, agency, "listing", self.parse_listing, column=column)
                if req:
                    yield req
            if agency.hints.json_api:
                url = api_url(agency.hints.json_api, 1)
                column = agency.columns[0] if agency.columns else url
                req = self._request(url, agency, "listing", self.parse_listing, column=column,
                                    extra={"kind": "json", "json_page": 1, "json_api": agency.hints.json_api})
                if req:
                    yield req

    # -- requests -------------------------------------------------------------------------
    def _request(self, url, agency: Agency, role: str, callback, column: str | None = None, extra=None,
                 method="GET", formdata=None, force=False):
        url = _canonical(url or "")
        if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
            return self._outcome(agency.id, FETCH_FAILED, url, f"{role}: not an http(s) URL, not fetched")
        # No URL twice in a run. A listing is read per agency (two registry entries may share a
        # column, each needs its own entries), so its key carries the agency.
        key = f"{method} {url} {sorted((formdata or {}).items())}" + (f" {agency.id}" if role == "listing" else "")
        if key in self._requested and not force:
            return None
        self._requested.add(key)
        force = force or role == "listing"  # Scrapy's own duplicate filter would drop the second agency's
        meta = {"agency": agency.id, "role": role, "column": column, **(extra or {})}
        browser = self.use_playwright and agency.hints.js and not meta.get("no_browser")
        if browser and role != "attachment" and meta.get("kind") != "json" and method == "GET":
            from scrapy_playwright.page import PageMethod

            meta["playwright"] = True
            meta["playwright_page_methods"] = [PageMethod("wait_for_load_state", "networkidle")]
        if formdata is not None:
            return scrapy.FormRequest(url, formdata=formdata, callback=callback, errback=self.on_error, meta=meta,
                                      dont_filter=force)
        return scrapy.Request(url, callback=callback, errback=self.on_error, meta=meta, dont_filter=force)

    @staticmethod
    def _outcome(agency_id: str, outcome: str, url: str, detail: str, http_status=None) -> dict:
        return {"type": "outcome", "agency": agency_id, "outcome": outcome, "url": url, "detail": detail,
                "http_status": http_status}

    def _agency(self, agency_id: str) -> Agency:
        return find_agency(self.agencies, agency_id)

    # -- documents ------------------------------------------------------------------------
    def _document(self, response, role: str, agency_id: str) -> dict:
        """The fetch record of a response (its body goes to the blob store in the pipeline)."""
        body = response.body or b""
        sha = hashlib.sha256(body).hexdigest()
        headers = {}
        for h in KEPT_HEADERS:
            v = response.headers.get(h)
            if v is not None:
                headers[h] = v.decode("utf-8", "replace") if h != "Content-Disposition" else _decode_header(v)
        ctype = att.sniff_type(body, headers.get("Content-Type"))
        req_url = response.request.meta.get("redirect_urls", [response.request.url])[0] if response.request else response.url
        known = (self.known or {}).get(req_url) or {}
        not_modified = bool(response.meta.get("nianbao_not_modified"))
        unchanged = not_modified or (bool(known.get("sha256")) and known.get("sha256") == sha)
        return {
            "type": "document",
            "agency": agency_id,
            "url": req_url,
            "final_url": response.url,
            "status": 304 if not_modified else response.status,
            "sha256": sha,
            "size": len(body),
            "content_type": ctype,
            "headers": headers,
            "fetched_at": _now(),
            "role": role,
            "unchanged": unchanged,
            "previous_sha256": known.get("sha256") if known.get("sha256") and known.get("sha256") != sha else None,
            "rendered": bool(response.meta.get("playwright")),
            "method": response.request.method if response.request else "GET",
            "body": body,
        }

    def _blocked(self, response, agency_id: str):
        text = response.text if isinstance(response, TextResponse) else None
        reason = block_reason(response.status, text)
        if reason:
            return {"type": "outcome", "agency": agency_id, "outcome": BLOCKED, "url": response.url,
                    "detail": f"{reason}: not bypassed", "http_status": response.status}
        return None

    # -- listing --------------------------------------------------------------------------
    def parse_listing(self, response):
        response = fix_encoding(response)
        agency = self._agency(response.meta["agency"])
        yield self._document(response, "listing", agency.id)
        blocked = self._blocked(response, agency.id)
        if blocked:
            yield blocked
            return
        column = response.meta.get("column") or response.url
        if not isinstance(response, TextResponse):
            yield {"type": "column", "agency": agency.id, "column": column, "page_url": response.url,
                   "report_like": 0, "for_year": 0, "links": 0}
            return
        entries, pages = [], []
        for strategy in strategies_for(response, agency.hints):
            entries += strategy.entries(response, agency.hints)
            pages += strategy.next_pages(response, agency.hints)
        report_like = for_year = 0
        seen_entry = set()
        for e in entries:
            url = _canonical(att.unwrap_viewer(e.url))  # a listing may link the report's viewer
            if url in seen_entry or url.rstrip("/") == _canonical(column).rstrip("/") or url == response.url:
                continue
            if not is_report_title(e.title):
                if truncated_report_title(e.title) and report_year(e.title, e.date or dates.url_date(url)) == self.year \
                        and not att.has_attachment_ext(url):
                    # "某市2024年政府信息公开…" without a title attribute: the page's title decides
                    seen_entry.add(url)
                    req = self._request(url, agency, "report_page", self.parse_report, column=column,
                                        extra={"listing_title": e.title, "tentative": True,
                                               "listing_url": response.url, "listing_date": e.date})
                    if req:
                        yield req
                continue
            year = report_year(e.title, e.date or dates.url_date(url))
            if year is None:
                continue  # a menu link "政府信息公开年报" has no year: not a report
            seen_entry.add(url)
            report_like += 1
            if year != self.year:
                continue
            for_year += 1
            direct = att.has_attachment_ext(url)
            yield {"type": "candidate", "agency": agency.id, "url": url, "title": normalize_title(e.title),
                   "year": year, "listing_url": response.url, "listing_date": e.date, "direct": direct}
            if direct:
                req = self._request(url, agency, "attachment", self.parse_attachment, column=column,
                                    extra={"direct_report": True, "label": e.title})
            else:
                req = self._request(url, agency, "report_page", self.parse_report, column=column,
                                    extra={"listing_title": e.title})
            if req:
                yield req
        yield {"type": "column", "agency": agency.id, "column": column, "page_url": response.url,
               "report_like": report_like, "for_year": for_year, "links": len(entries),
               "scripted": bool(_SCRIPTED_LIST.search(response.text)) and not response.meta.get("playwright")}
        if for_year == 0 and not response.meta.get("subcolumn") and _is_column_page(response, column):
            # a column split into 本级政府 / 部门 / 乡镇 sub-columns: read them too (one level)
            pages += [PageRequest(u, meta={"subcolumn": True}) for u in sub_columns(response, column, self.year)]
        for p in pages:
            req = self._listing_page(p, agency, column, response)
            if req:
                yield req

    def _listing_page(self, p: PageRequest, agency: Agency, column: str, response):
        n = self._column_pages.get((agency.id, column), 1)
        cap = agency.hints.max_pages or self.max_pages
        if n >= cap:
            return None
        extra = dict(p.meta)
        if p.kind != "html":
            extra["kind"] = p.kind
        req = self._request(p.url, agency, "listing", self.parse_listing, column=column, extra=extra,
                            method=p.method, formdata=p.formdata)
        if isinstance(req, scrapy.Request):
            self._column_pages[(agency.id, column)] = n + 1
        return req

    # -- report page ----------------------------------------------------------------------
    def parse_report(self, response):
        response = fix_encoding(response)
        agency = self._agency(response.meta["agency"])
        if response.meta.get("playwright") and _browser_stub(response):
            # the "page" is a file: through the browser it is only a viewer stub; fetch the bytes
            self.logger.info("browser returned a viewer stub for %s: fetching it directly", response.url)
            req = self._request(response.request.url, agency, "report_page", self.parse_report,
                                column=response.meta.get("column"), extra={"no_browser": True,
                                "listing_title": response.meta.get("listing_title")}, force=True)
            if req:
                yield req
            return
        doc = self._document(response, "report_page", agency.id)
        if response.meta.get("tentative"):
            confirmed = self._confirm_truncated(response, agency, doc)
            if confirmed is None:
                return
            yield from confirmed
        if att.is_document_type(doc["content_type"]):
            doc["role"] = "attachment"  # the listing linked straight to the file
        yield doc
        if att.is_document_type(doc["content_type"]):
            # the "page" is the report file itself (a link without a file extension)
            yield {"type": "page", "url": doc["url"], "is_file": True, "attachments": [], "meta": {},
                   "evidence": {"url_date": dates.url_date(response.url)}}
            return
        blocked = self._blocked(response, agency.id)
        if blocked:
            yield blocked
            return
        meta = {}
        for n in META_NAMES:
            v = response.xpath(f"//meta[translate(@name,'ABCDEFGHIJKLMNOPQRSTUVWXYZ','abcdefghijklmnopqrstuvwxyz')='{n.lower()}']/@content").get()
            if v:
                meta[n] = v.strip()
        body_text = " ".join(t.strip() for t in response.xpath("//body//text()[not(ancestor::script) and not(ancestor::style)]").getall() if t.strip())
        links = att.find_attachments(response, response.url)
        for a in links:
            a.url = _canonical(a.url)  # as requested: "/upload/某区年报.pdf" is fetched percent-encoded
        title = meta.get("ArticleTitle") or response.meta.get("listing_title") or (response.css("title::text").get() or "").split("_")[0]
        yield {
            "type": "page",
            "url": doc["url"],
            "is_file": False,
            "title": normalize_title(title),
            "meta": meta,
            "evidence": {
                "meta_pubdate": dates.parse_date(meta.get("PubDate") or meta.get("firstpublishedtime")),
                "page_date": dates.labelled_date(simplified(body_text[:20000])),
                "url_date": dates.url_date(response.url),
            },
            "attachments": [{"url": a.url, "label": a.label, "via": a.via} for a in links],
        }
        column = response.meta.get("column")
        for a in links:
            req = self._request(a.url, agency, "attachment", self.parse_attachment, column=column,
                                extra={"label": a.label, "report_url": doc["url"]})
            if req:
                yield req

    def _confirm_truncated(self, response, agency: Agency, doc: dict):
        """A page reached from a truncated listing title is a report only when its own title says
        so, for the year: then its candidate and column count are given as the listing would have."""
        if att.is_document_type(doc["content_type"]) or not isinstance(response, TextResponse):
            return None
        titles = [response.xpath("//meta[translate(@name,'ARTICLETITLE','articletitle')='articletitle']/@content").get()]
        titles += [" ".join(h.css("::text").getall()) for h in response.css("h1, h2, h3")[:6]]
        titles += [response.css("title::text").get()]
        title = next((t.strip() for t in titles if t and is_report_title(t)), None)
        listing_date = response.meta.get("listing_date")
        if title is None or report_year(title, listing_date or dates.url_date(response.url)) != self.year:
            self.logger.info("truncated listing title %r: the page %s is not the %s report",
                             response.meta.get("listing_title"), response.url, self.year)
            return None
        response.meta["listing_title"] = title
        column = response.meta.get("column") or response.url
        return [
            {"type": "candidate", "agency": agency.id, "url": doc["url"], "title": normalize_title(title),
             "year": self.year, "listing_url": response.meta.get("listing_url"), "listing_date": listing_date,
             "direct": False},
            {"type": "column", "agency": agency.id, "column": column, "page_url": response.url,
             "report_like": 1, "for_year": 1, "links": 0, "pages": 0},
        ]

    # -- attachments ----------------------------------------------------------------------
    def parse_attachment(self, response):
        agency = self._agency(response.meta["agency"])
        doc = self._document(response, "attachment", agency.id)
        yield doc
        if not att.is_document_type(doc["content_type"]):
            blocked = self._blocked(response, agency.id)
            if blocked:
                yield blocked

    # -- failures -------------------------------------------------------------------------
    def on_error(self, failure):
        request = failure.request
        agency_id = request.meta.get("agency", "")
        role = request.meta.get("role", "")
        exc = failure.value
        if isinstance(exc, HttpError):
            response = exc.response
            yield self._document(response, role, agency_id)
            if request.meta.get("speculative") and response.status == 404:
                return  # a guessed next page that does not exist: the end of the list, not a failure
            blocked = self._blocked(response, agency_id)
            if blocked:
                yield blocked
                return
            yield {"type": "outcome", "agency": agency_id, "outcome": FETCH_FAILED, "url": request.url,
                   "detail": f"{role}: HTTP {response.status}", "http_status": response.status}
            return
        if isinstance(exc, IgnoreRequest):
            detail = str(exc) or type(exc).__name__
        else:
            detail = f"{type(exc).__name__}: {exc}"
        yield {"type": "outcome", "agency": agency_id, "outcome": FETCH_FAILED, "url": request.url,
               "detail": f"{role}: {detail}", "http_status": None}


# a page that loads its list by script (what a JS-flagged agency needs a browser for)
_SCRIPTED_LIST = re.compile(r"fetch\(|\$\.(?:ajax|get|post|getJSON)\(|XMLHttpRequest|axios\.|new Vue\(|ReactDOM")


def _browser_stub(response) -> bool:
    """Chromium shows a file (PDF, Word) in a viewer or downloads it: either way the rendered HTML
    is not the file. The navigation's own Content-Type, or the viewer markup, gives it away."""
    header = (response.headers.get("Content-Type") or b"").decode("latin-1").lower()
    if header and att.is_document_type(header.split(";")[0].strip()):
        return True
    body = response.body[:4000].lower()
    return len(response.body) < 4000 and (b'type="application/pdf"' in body or b"pdf-viewer" in body)


def _canonical(url: str) -> str:
    """The URL as Scrapy requests it (non-ASCII and spaces percent-encoded, no fragment), so that
    listing entries, attachments and fetched documents share one key."""
    from w3lib.url import safe_url_string

    url = urldefrag(url.strip())[0]
    try:
        return safe_url_string(url, "utf-8")
    except ValueError:
        return url


def _is_column_page(response, column: str) -> bool:
    """The column's own first page (maybe after a redirect), not one of its later pages."""
    first = (response.meta.get("redirect_urls") or [response.url])[0]
    return _canonical(first).rstrip("/") == _canonical(column).rstrip("/") and response.meta.get("kind") is None


def normalize_title(title: str) -> str:
    return " ".join((title or "").split())


def _decode_header(v: bytes) -> str:
    for enc in ("utf-8", "gb18030"):
        try:
            return v.decode(enc)
        except UnicodeDecodeError:
            continue
    return v.decode("latin-1")
