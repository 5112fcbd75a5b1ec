"""Plain lists and the general fallback: report links anywhere on the page, paging from links
and count variables. Every strategy's pages also go through this one, so a portal we have not
seen still gets its report links and its "下一页"."""
from __future__ import annotations

import re
from urllib.parse import urldefrag, urljoin, urlsplit

from ..attachments import has_attachment_ext
from .base import ListingStrategy, PageRequest, listing_selector, same_site
from .pagination import discover

DEFAULT_MAX_PAGES = 30
_JS_REDIRECT = re.compile(r"""(?:window\.|document\.|self\.|top\.)?location(?:\.href)?\s*(?:=|\.replace\(|\.assign\()\s*['"]([^'"]+)['"]""")


def framed_lists(response) -> list[str]:
    """Lists inside an <iframe>/<frame> of the column page, and a column page that is only a
    script redirect (``location.href = "..."``): both are common on older portals."""
    out = []
    for src in response.css("iframe::attr(src), frame::attr(src)").getall():
        url = urljoin(response.url, src.strip())
        if url.startswith("http") and same_site(url, response.url) and not has_attachment_ext(url) \
                and "viewer" not in url.lower():
            out.append(url)
    if len(response.body) < 3000:
        m = _JS_REDIRECT.search(response.text)
        if m:
            out.append(urljoin(response.url, m.group(1)))
    return out


_SUB_LABEL = re.compile(r"本级|部门|乡镇|街道|镇街|区县|县区|县市区|市直|直属|单位|年报|年度报告|政府")
_LIST_PATH = re.compile(r"(/|/(index|list|default)(_\d+)?\.\w+|/column-index-1\.shtml|/col/col\d+/index\.html)$")
# other parts of an 信息公开 site: never a list of annual reports
_NOT_SUB = re.compile(r"指南|目录|制度|申请|公告|动态|规定|法规|文件|机构|领导|规划|统计|预决算|通知|信箱|互动|新闻|首页|网站")
_YEAR_TAB = re.compile(r"^((?:19|20)\d{2})年?度?(?:年报|报告|年度报告)?$")
MAX_SUB_COLUMNS = 12


def sub_columns(response, column_url: str, year: int | None = None) -> list[str]:
    """Child columns of a column that lists reports by body (本级政府 / 部门 / 乡镇 tabs) or by year
    ("2024年度" tabs: the year's and the next one's): list pages deeper in the column's folder (or
    Hanweb ``/col/colN/``) whose short label names such a group."""
    from ..recognize import normalize

    c = urlsplit(column_url)
    cdir = c.path.rsplit("/", 1)[0] + "/"
    out: dict[str, None] = {}
    for a in response.css("a[href]"):
        href = (a.attrib.get("href") or "").strip()
        if not href or href.startswith(("javascript:", "mailto:", "#")):
            continue
        label = normalize(" ".join(a.css("::text").getall()) or a.attrib.get("title", ""))
        y = _YEAR_TAB.match(label or "")
        if y:
            if year is None or int(y.group(1)) not in (year, year + 1):
                continue
        elif not label or len(label) > 16 or not _SUB_LABEL.search(label) or _NOT_SUB.search(label) \
                or re.search(r"(19|20)\d{2}", label):
            continue
        url = urldefrag(urljoin(response.url, href))[0]
        u = urlsplit(url)
        if u.netloc != c.netloc or u.query or has_attachment_ext(url) or not _LIST_PATH.search(u.path):
            continue
        deeper = u.path.startswith(cdir) and u.path.rsplit("/", 1)[0] + "/" != cdir
        hanweb = "/col/col" in u.path and "/col/col" in c.path and u.path != c.path
        if deeper or hanweb:
            out[url] = None
    return list(out)[:MAX_SUB_COLUMNS]


class PlainStrategy(ListingStrategy):
    name = "plain"

    def detect(self, response) -> bool:
        return True

    def next_pages(self, response, hints) -> list[PageRequest]:
        # paging stays in the folder of the page being read (after a redirect, not the column URL's)
        column = response.url
        cap = (hints.max_pages if hints and hints.max_pages else None) or DEFAULT_MAX_PAGES
        sel = listing_selector(response, hints) if hints and hints.list_selector else response
        guessed: set[str] = set()
        urls = discover(response.url, sel, response.text, column, cap, guessed)
        urls += framed_lists(response)
        # a guessed page that 404s ends the walk quietly (see the spider's errback)
        pages = [PageRequest(u, meta={"speculative": True} if u in guessed else {}) for u in urls]
        if hints is not None and hints.pagination:
            # the registry's page template: one page after another while pages still have links;
            # a 404 past the last page just ends the walk (speculative, see the spider's errback)
            n = int(response.meta.get("hint_page", 1))
            if n < cap and response.css("a[href]"):
                pages.append(PageRequest(hints.pagination.replace("{page}", str(n + 1)),
                                         meta={"hint_page": n + 1, "speculative": True}))
        return pages
