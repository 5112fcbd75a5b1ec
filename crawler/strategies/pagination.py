"""Pagination discovered from the page itself: page links, and JS page-count variables.

Shapes handled: ``index_N.html`` (TRS), ``?page=N`` / ``pageNo=N`` / ``PageIndex=N`` /
``pageIndex=N`` / ``curPage=N`` / ``p=N``, ``column-index-N.shtml`` (成都), ``/N.html``, ``list_N.html``.
A count variable (``countPage``, ``totalPage``, ``pageCount``, ``pageTotal``, ``totalPages``)
extends a pattern seen in a link up to the last page even when only "1 2 3 … 下一页" is shown.
"""
from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

_NEXT_TEXT = re.compile(r"^(下一页|下页|后页|尾页|末页|最后一页|下一頁|尾頁|next|last|>|>>|»|›|\d{1,3})$", re.I)
_COUNT_VAR = re.compile(
    r"\b(?:countPage|totalPage|pageCount|pageTotal|totalPages|page_count|total_page|pagecount)\b\s*[:=]\s*['\"]?(\d{1,4})",
    re.I,
)
_NEXT_ONLY = re.compile(r"^(下一页|下页|后页|下一頁|next|>|>>|»|›)$", re.I)
# (regex over the URL, template with {n})
_PATTERNS = (
    re.compile(r"^(?P<pre>.*/(?:index|list|default)_)(?P<n>\d{1,4})(?P<post>\.\w+)$"),
    re.compile(r"^(?P<pre>.*[?&](?:page|pageNo|PageIndex|curPage|currPage|currentPage|pageNum|page_no|pn|p)=)"
               r"(?P<n>\d{1,4})(?P<post>(?:&.*)?)$", re.I),
    re.compile(r"^(?P<pre>.*/column-index-)(?P<n>\d{1,4})(?P<post>\.s?html?)$"),
    re.compile(r"^(?P<pre>.*/)(?P<n>\d{1,3})(?P<post>\.s?html?)$"),
)


def page_pattern(url: str):
    for pat in _PATTERNS:
        m = pat.match(url)
        if m:
            return m.group("pre"), int(m.group("n")), m.group("post")
    return None


def page_count_var(text: str) -> int | None:
    counts = [int(m.group(1)) for m in _COUNT_VAR.finditer(text)]
    return max(counts) if counts else None


def in_column(column_url: str, url: str) -> bool:
    """A pagination link stays in the column's folder (or is the same path with another query)."""
    c, u = urlsplit(column_url), urlsplit(url)
    if c.netloc != u.netloc:
        return False
    cdir = c.path.rsplit("/", 1)[0] + "/"
    return u.path.startswith(cdir) or u.path == c.path


def discover(response_url: str, sel, text: str, column_url: str, max_pages: int,
             guessed: set[str] | None = None) -> list[str]:
    """Listing-page URLs of the same column found on this page, extended by count variables.

    Pages filled in between and after the links seen are guesses (``guessed`` collects them): a
    portal may number ``index_N`` from 1 or from 2, so a guess that 404s is not a failure."""
    found: dict[str, None] = {}
    patterns: dict[tuple[str, str], int] = {}
    one_based: set[tuple[str, str]] = set()  # a link labelled "2" that points at index_2
    for a in sel.css("a[href]"):
        href = (a.attrib.get("href") or "").strip()
        if not href or href.startswith(("javascript:", "mailto:", "#")):
            continue
        label = "".join(t.strip() for t in a.css("::text").getall()).strip() or a.attrib.get("title", "")
        url = urljoin(response_url, href)
        if not _NEXT_TEXT.match(label or ""):
            continue
        if not in_column(column_url, url):
            continue
        pp = page_pattern(url)
        if pp is None and not label.isdigit():
            found[url] = None  # a "下一页" link of an unknown shape: follow it as is
            continue
        if pp is None:
            continue
        pre, n, post = pp
        patterns[(pre, post)] = max(patterns.get((pre, post), 0), n)
        if label.isdigit() and int(label) == n and n > 1:
            one_based.add((pre, post))
        elif not label.isdigit() and n == 2 and page_pattern(response_url) is None and _NEXT_ONLY.match(label):
            one_based.add((pre, post))  # the first page's "下一页" is index_2: pages are numbered from 2
        found[url] = None
    count = page_count_var(text)
    for (pre, post), top in patterns.items():
        # TRS index_N is 0-based after the first page (page k is index_{k-1}); ?page=N is 1-based,
        # and so is index_N when the link labelled "2" points at index_2 (广东集约化)
        zero_based = pre.endswith("_") and (pre, post) not in one_based
        last = max(top, (count or 0) - (1 if zero_based else 0))
        first = 1 if zero_based else 2
        for n in range(first, min(last, max_pages) + 1):
            url = f"{pre}{n}{post}"
            if url not in found:
                found[url] = None
                if guessed is not None:
                    guessed.add(url)
    return [u for u in found if u.split("#")[0] != response_url][: max_pages * 2]
