"""HTML pages: decode the charset a portal really used, find the article body, rebuild its tables.

Government CMSs (TRS WCM, Hanweb, 大汉, 拓尔思) often declare the wrong charset or none, wrap the
report in navigation, and lay tables out with rowspan/colspan. Tables become tab-separated grid
rows (a merged cell's text once, at its top-left position); the rest becomes plain lines.
"""
from __future__ import annotations

import codecs
import re

from ..errors import NOT_MACHINE_READABLE, ReadError
from ..limits import Limits
from . import Extracted

# Body containers of common government CMSs, most specific first.
BODY_SELECTORS = (
    "div.TRS_Editor",
    "div.trs_editor_view",
    "div.TRS_UEDITOR",
    "#zoom",
    "#UCAP-CONTENT",
    ".article-content",
    ".article_content",
    ".bt_content",
    ".wz_article",
    ".zw",
    ".zwnr",
    ".main-txt",
    "#content",
    ".content",
    "article",
)
# meta names worth keeping (compared case-insensitively); others are ignored
META_NAMES = ("PubDate", "ArticleTitle", "ColumnName", "SiteName", "SiteDomain", "ContentSource", "Url",
              "Keywords", "Description", "Author", "firstpublishedtime", "lastmodifiedtime", "others")
DROP_TAGS = ("script", "style", "noscript", "template", "nav", "header", "footer", "iframe", "select",
             "button", "object", "embed", "svg")
BLOCK_TAGS = {
    "p", "div", "section", "article", "main", "aside", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol",
    "dl", "dt", "dd", "blockquote", "pre", "center", "form", "fieldset", "address", "figure", "figcaption",
    "caption", "hr", "tr", "table", "tbody", "thead", "tfoot",
}
# without a known container: class/id words of page furniture, the tags that wrap an article,
# and the share of the text a wrapper must hold to be descended into
FURNITURE = {"footer", "foot", "bottom", "copyright", "nav", "navbar", "menu", "header", "banner",
             "breadcrumb", "crumb", "share", "sidebar"}
WRAPPER_TAGS = {"div", "section", "article", "main", "table", "tbody", "tr", "td", "center", "form", "font"}
DESCEND_SHARE = 0.8
_TOKEN_SPLIT = re.compile(r"[\s_\-]+")
CONTAINER_SHARE = 0.3  # a CMS container must hold this share of the page's non-link text
MAX_SPAN = 1000
LAYOUT_CELL_CJK = 150  # a cell with more text than this holds an article: its table is page layout  # a colspan/rowspan larger than this is junk, not layout

_CJK = re.compile(r"[\u3400-\u9fff]")
_WS = re.compile(r"[ \t\r\n\f\v\u3000\xa0\u200b]+")
_DECLARED = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_\-.]+)""", re.I)
_PAGE_DATE = re.compile(
    r"(?:发布日期|发布时间)\s*[:：]?\s*(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})"
)


# ---------------------------------------------------------------------------------------------
# charset
# ---------------------------------------------------------------------------------------------
def _codec(label: str) -> str | None:
    """A Python codec for a declared charset; GB2312/GBK are read as their superset GB18030."""
    try:
        name = codecs.lookup(label.strip().lower()).name
    except LookupError:
        return None
    return "gb18030" if name in ("gb2312", "gbk", "gb18030", "hz") else name


def declared_charset(data: bytes) -> str | None:
    head = data[:4096]
    m = _XML_DECL.match(head) or _DECLARED.search(head)
    return _codec(m.group(1).decode("ascii", "ignore")) if m else None


def decode_html(data: bytes) -> tuple[str, str]:
    """(text, codec used): the declared charset strictly, then UTF-8, then GB18030, then a guess."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16"
    tried = []
    for enc in (declared_charset(data), "utf-8", "gb18030"):
        if enc and enc not in tried:
            tried.append(enc)
            try:
                return data.decode(enc), enc
            except (UnicodeDecodeError, LookupError):
                continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None and best.encoding:
        return str(best), best.encoding
    return data.decode("gb18030", errors="replace"), "gb18030 (lossy)"


# ---------------------------------------------------------------------------------------------
# text of cells and blocks
# ---------------------------------------------------------------------------------------------
def _squash(s: str) -> str:
    return _WS.sub(" ", s).strip()


def _cell_text(td) -> str:
    """A cell's text with its lines joined: '商业<br>企业' is one label, 商业企业."""
    lines = (_squash(x) for x in "".join(_line_pieces(td)).split("\n"))
    return "".join(x for x in lines if x).replace("\t", " ")


def _line_pieces(el):
    """The element's text with a newline at every <br> and block boundary."""
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag == "br":
        yield "\n"
    elif tag in BLOCK_TAGS:
        yield "\n"
    if tag != "br" and el.text and isinstance(el.tag, str):
        yield el.text
    for child in el:
        if not isinstance(child.tag, str):  # comments, processing instructions
            if child.tail:
                yield child.tail
            continue
        yield from _line_pieces(child)
        if child.tail:
            yield child.tail
    if tag in BLOCK_TAGS:
        yield "\n"


def _rows(table) -> list:
    return table.xpath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr")


def _span(el, attr: str) -> int:
    try:
        n = int(re.sub(r"[^0-9]", "", el.get(attr, "1")) or 1)
    except ValueError:
        n = 1
    return max(1, min(n, MAX_SPAN))


def table_grid(table) -> list[list[str]]:
    """The table as a grid: rowspan/colspan honoured, covered positions empty."""
    grid: list[list[str | None]] = []
    rows = _rows(table)
    for r, tr in enumerate(rows):
        while len(grid) <= r:
            grid.append([])
        c = 0
        for td in tr.xpath("./td | ./th"):
            row = grid[r]
            while c < len(row) and row[c] is not None:
                c += 1
            rs = min(_span(td, "rowspan"), len(rows) - r)
            cs = _span(td, "colspan")
            text = _cell_text(td)
            for dr in range(rs):
                while len(grid) <= r + dr:
                    grid.append([])
                target = grid[r + dr]
                for dc in range(cs):
                    while len(target) <= c + dc:
                        target.append(None)
                    target[c + dc] = text if (dr == 0 and dc == 0) else ""
            c += cs
    width = max((len(r) for r in grid), default=0)
    return [[x or "" for x in row] + [""] * (width - len(row)) for row in grid]


def _is_layout_table(table) -> bool:
    """A table that holds other tables, a single cell, or whole articles is page layout, not data."""
    if table.xpath(".//table"):
        return True
    cells = table.xpath("./tr/td | ./tbody/tr/td | ./thead/tr/td | ./tr/th | ./tbody/tr/th")
    if len(cells) <= 1:
        return True
    for td in cells:
        if len(_CJK.findall(td.text_content())) > LAYOUT_CELL_CJK or len(td.xpath("./p | ./div")) > 3:
            return True
    return False


def render(el) -> str:
    """The element as text: data tables as TSV grid rows, everything else as lines."""
    out: list[str] = []
    buf: list[str] = []

    def flush():
        line = _squash("".join(buf))
        buf.clear()
        if line:
            out.append(line)

    def walk(node):
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag == "table" and not _is_layout_table(node):
            flush()
            for row in table_grid(node):
                if any(row):
                    out.append("\t".join(row))
            return
        if tag == "br":
            flush()
            return
        block = tag in BLOCK_TAGS or tag in ("td", "th")
        if block:
            flush()
        if tag and node.text:
            buf.append(node.text)
        for child in node:
            if isinstance(child.tag, str):
                walk(child)
            if child.tail:
                buf.append(child.tail)
        if block:
            flush()

    walk(el)
    flush()
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------
# the article body
# ---------------------------------------------------------------------------------------------
def _cjk_count(el) -> int:
    return len(_CJK.findall(el.text_content()))


def _content_cjk(el) -> int:
    """CJK characters outside links: navigation is mostly links, article text is not."""
    total = _cjk_count(el)
    linked = sum(len(_CJK.findall(a.text_content())) for a in el.iter("a"))
    return total - linked


def find_body(root):
    """The element holding the report: a known CMS container, else the densest text block."""
    body = root.find("body")
    node = body if body is not None else root
    page_text = _content_cjk(node)
    for sel in BODY_SELECTORS:
        try:
            found = root.cssselect(sel)
        except Exception:  # cssselect missing or a selector it cannot parse
            found = []
        # a generic class (.content) may also name a sidebar box: the body holds most of the page
        found = [f for f in found if _content_cjk(f) >= max(20, CONTAINER_SHARE * page_text)]
        if found:
            return max(found, key=_cjk_count)
    # no known container: drop what is named like page furniture, then descend while one
    # wrapper child holds most of the non-link text (never into a paragraph or a data table)
    for el in node.xpath(".//*[@class or @id]"):
        tokens = set(_TOKEN_SPLIT.split(f"{el.get('class', '')} {el.get('id', '')}".lower()))
        if tokens & FURNITURE and el.getparent() is not None:
            el.drop_tree()
    while True:
        total = _content_cjk(node)
        if total < 50:
            return node
        children = [c for c in node if isinstance(c.tag, str) and c.tag in WRAPPER_TAGS]
        best = max(children, key=_content_cjk, default=None)
        if best is None or _content_cjk(best) < DESCEND_SHARE * total:
            return node
        if best.tag == "table" and not _is_layout_table(best):
            return node
        node = best


def _drop_noise(root) -> None:
    for el in root.xpath("|".join(f"//{t}" for t in DROP_TAGS)):
        el.drop_tree()
    for el in root.xpath("//*[@style]"):
        style = el.get("style", "").replace(" ", "").lower()
        if "display:none" in style or "visibility:hidden" in style:
            el.drop_tree()


def _meta(root) -> dict[str, str]:
    wanted = {n.lower(): n for n in META_NAMES}
    out: dict[str, str] = {}
    for m in root.xpath("//meta[@name and @content]"):
        name = m.get("name", "").strip()
        key = wanted.get(name.lower())
        if key and key not in out:
            out[key] = _squash(m.get("content", ""))[:500]
    return out


def _first_heading(root) -> str | None:
    for h in root.xpath("//h1 | //h2"):
        text = _squash(h.text_content())
        if len(_CJK.findall(text)) >= 6:
            return text
    return None


def page_date(text: str) -> str | None:
    m = _PAGE_DATE.search(text)
    if not m:
        return None
    y, mo, d = (int(x) for x in m.groups())
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


def read(data: bytes, limits: Limits, name: str = "") -> Extracted:
    import lxml.html

    text, enc = decode_html(data)
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True)
    try:
        root = lxml.html.document_fromstring(text.encode("utf-8"), parser=parser)
    except Exception as e:  # lxml refuses documents with nothing parseable in them
        raise ReadError(NOT_MACHINE_READABLE, f"not a readable HTML page ({type(e).__name__}: {e})")
    title_el = root.find(".//title")
    html_title = _squash(title_el.text_content()) if title_el is not None else None
    meta = _meta(root)
    _drop_noise(root)
    date = page_date(_squash(root.text_content()))
    heading = meta.get("ArticleTitle") or _first_heading(root)
    body = find_body(root)
    out = render(body)
    if heading and _squash(heading) not in out[:2000]:
        out = f"{_squash(heading)}\n{out}"  # the title often sits above the CMS body container
    if not out.strip():
        raise ReadError(NOT_MACHINE_READABLE, "the HTML page has no text (a script-rendered page or an empty shell)")
    return Extracted(
        text=out,
        format="html",
        meta={"meta": meta, "page_date": date, "html_title": html_title or None, "charset": enc},
    )
