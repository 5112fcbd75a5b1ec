"""Plain lists and the general fallback: report links anywhere on the page, paging from links
and count variables. Every strategy's pages also go through this one, so a portal we have not
seen still gets its report links and its "下一页"."""
from __future__ import annotations

import re
from urllib.parse import urljoin

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


class PlainStrategy(ListingStrategy):
    name = "plain"

    def detect(self, response) -> bool:
        return True

    def next_pages(self, response, hints) -> list[PageRequest]:
        # paging stays in the folder of the page being read (after a redirect, not the column URL's)
        column = response.url
        cap = (hints.max_pages if hints and hints.max_pages else None) or DEFAULT_MAX_PAGES
        sel = listing_selector(response, hints) if hints and hints.list_selector else response
        urls = discover(response.url, sel, response.text, column, cap)
        urls += framed_lists(response)
        pages = [PageRequest(u) for u in urls]
        if hints is not None and hints.pagination:
            # the registry's page template: one page after another while pages still have links;
            # a 404 past the last page just ends the walk (speculative, see the spider's errback)
            n = int(response.meta.get("hint_page", 1))
            if n < cap and response.css("a[href]"):
                pages.append(PageRequest(hints.pagination.replace("{page}", str(n + 1)),
                                         meta={"hint_page": n + 1, "speculative": True}))
        return pages
