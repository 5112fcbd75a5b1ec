"""PDF: pypdfium2's text layer, OCR for pages without one, pdfplumber only on request.

pdfium is ~30x faster than pdfplumber and its reading order on WPS-made reports is good: table
rows come out as one line of space-separated values, which the placer reads. Pages whose text
layer is missing or garbage (scans, fonts without a ToUnicode map) go to OCR, up to
``Limits.ocr_max_pages``; so do large pictures on text pages (tables pasted as screenshots),
whose OCR text is put between the text above and below them. CJK radicals pdfium emits
(⼀ for 一) are left for normalisation.
"""
from __future__ import annotations

import re
import time
from typing import Iterable

from ..errors import NOT_MACHINE_READABLE, PARSE_FAILED, TIMEOUT, TOO_LARGE, ReadError
from ..limits import Limits
from . import Extracted

FPDF_ERR_PASSWORD = 4  # pdfium's FPDF_GetLastError code for a wrong/missing password
# the last bytes of a complete PDF hold its %%EOF marker; a download cut short does not
EOF_WINDOW = 4096
MIN_PAGE_CHARS = 10  # fewer CJK characters/digits than this: the page has no usable text layer
MIN_PAGE_CJK = 5  # ... and fewer Chinese characters than this
# an image on a text page, with no text over it, is OCR'd when it covers this share of the page
# and this share of its width: tables are wide; seals, emblems and signatures are not
PICTURE_MIN_AREA = 0.05
PICTURE_MIN_WIDTH = 0.4

_CJK = re.compile(r"[\u3400-\u9fff\u2e80-\u2fdf]")
_USEFUL = re.compile(r"[\u3400-\u9fff\u2e80-\u2fdf0-9]")
_JUNK = re.compile(r"[\ue000-\uf8ff\ufffd\x00-\x08\x0b\x0c\x0e-\x1f]")
_PDF_DATE = re.compile(r"^(?:D:)?(\d{4})(\d{2})?(\d{2})?")


def pdf_date(value: str | None) -> str | None:
    """A PDF date string (D:20250225100250+08'00') as YYYY-MM-DD, or None."""
    m = _PDF_DATE.match((value or "").strip())
    if not m:
        return None
    y, mo, d = m.group(1), m.group(2) or "01", m.group(3) or "01"
    if not (1 <= int(mo) <= 12 and 1 <= int(d) <= 31 and 1990 <= int(y) <= 2100):
        return None
    return f"{y}-{mo}-{d}"


def usable(text: str) -> bool:
    """Whether a page's text layer is real text: Chinese, not private-use or control glyph codes.

    Digits alone do not count: fonts without a ToUnicode map often keep ASCII digits right and
    turn every Chinese label into junk."""
    useful = len(_USEFUL.findall(text))
    junk = len(_JUNK.findall(text))
    return useful >= MIN_PAGE_CHARS and len(_CJK.findall(text)) >= MIN_PAGE_CJK and junk < useful


def _cjk_count(text: str | None) -> int:
    return len(_CJK.findall(text or ""))


def open_pdf(data: bytes):
    """The pdfium document, or a ReadError saying why it cannot be opened."""
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(data, password="")
    except pdfium.PdfiumError as e:
        if getattr(e, "err_code", None) == FPDF_ERR_PASSWORD:
            raise ReadError(PARSE_FAILED, "encrypted PDF: it needs a password to open")
        raise ReadError(PARSE_FAILED, f"broken PDF: {e}")


def _has_image(page) -> bool:
    import pypdfium2.raw as pdfium_c

    try:
        return any(True for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2))
    except Exception:  # an odd object tree: let OCR decide
        return True


def _pictures(page, textpage) -> list[tuple[float, float, float, float]]:
    """Large images on a page that has text, with no text over them: tables pasted as pictures.

    Returns their bounds (left, bottom, right, top) in PDF points, top of the page first. A
    background image (letterhead, watermark) has the text layer over it, so it is not returned."""
    import pypdfium2.raw as pdfium_c

    w, h = page.get_size()
    out = []
    try:
        for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2):
            left, bottom, right, top = obj.get_bounds()
            left, bottom, right, top = max(0, left), max(0, bottom), min(w, right), min(h, top)
            if (right - left) * (top - bottom) < PICTURE_MIN_AREA * w * h or right - left < PICTURE_MIN_WIDTH * w:
                continue
            if usable(textpage.get_text_bounded(left, bottom, right, top)):
                continue
            out.append((left, bottom, right, top))
    except Exception:  # an odd object tree: read the text layer only
        return []
    return sorted(out, key=lambda b: -b[3])


def _with_pictures(page, pictures, deadline) -> str:
    """The page's text with each picture's OCR text put where the picture is (by height)."""
    from . import ocr

    w, h = page.get_size()
    tp = page.get_textpage()
    parts, above = [], h
    for left, bottom, right, top in pictures:
        if top < above:
            parts.append(tp.get_text_bounded(0, top, w, above))
        parts.append(ocr.ocr_pdf_region(page, (left, bottom, right, top), deadline))
        above = min(above, bottom)
    parts.append(tp.get_text_bounded(0, 0, w, above))
    tp.close()
    return "\n".join(p.strip("\r\n") for p in parts if p.strip())


def read(data: bytes, limits: Limits, name: str = "") -> Extracted:
    if b"%%EOF" not in data[-EOF_WINDOW:]:
        raise ReadError(PARSE_FAILED, "truncated PDF: the file ends without its %%EOF marker (download cut short?)")
    deadline = time.monotonic() + limits.timeout_s
    doc = open_pdf(data)
    try:
        n = len(doc)
        if n == 0:
            raise ReadError(PARSE_FAILED, "the PDF has no pages")
        if n > limits.max_pages:
            raise ReadError(TOO_LARGE, f"{n} pages is over the limit of {limits.max_pages} (NIANBAO_PARSE_MAX_PAGES)")
        texts: list[str | None] = []
        scans: list[int] = []  # pages without a usable text layer: OCR the whole page
        pictured: dict[int, list] = {}  # pages with text and tables pasted as pictures: OCR those
        for i in range(n):
            if time.monotonic() > deadline:
                raise ReadError(TIMEOUT, f"reading page {i + 1} of {n} took past {limits.timeout_s:g}s (NIANBAO_PARSE_TIMEOUT)")
            page = doc[i]
            try:
                tp = page.get_textpage()
                text = tp.get_text_bounded()
                pictures = _pictures(page, tp) if usable(text) else []
                tp.close()
            except Exception:  # one unreadable page must not lose the others
                text, pictures = "", []
            if usable(text):
                texts.append(text)
                if pictures:
                    pictured[i] = pictures
            else:
                texts.append(text if text.strip() else None)
                # a scan, or glyphs whose text layer is garbage (no ToUnicode map): OCR the rendering
                if _has_image(page) or len("".join(text.split())) >= MIN_PAGE_CHARS:
                    scans.append(i)
            page.close()
        meta = _metadata(doc)
        ocr_used = False
        budget = limits.ocr_max_pages
        if scans:
            from . import ocr

            todo = scans[:budget]
            budget -= len(todo)
            for i, text in zip(todo, ocr.ocr_pdf_pages(doc, todo, deadline)):
                if _cjk_count(text) > _cjk_count(texts[i]):  # keep a short real text layer (a signature page)
                    texts[i] = text
                    ocr_used = True
            meta["ocr_pages"] = [i + 1 for i in todo]
            if len(scans) > len(todo):
                meta["ocr_skipped_pages"] = [i + 1 for i in scans[len(todo):]]
        for i in sorted(pictured)[: max(0, budget)]:
            page = doc[i]
            texts[i] = _with_pictures(page, pictured[i], deadline)
            page.close()
            ocr_used = True
            meta.setdefault("ocr_picture_pages", []).append(i + 1)
        skipped = sorted(pictured)[max(0, budget):]
        if skipped:
            meta["ocr_skipped_pages"] = sorted(meta.get("ocr_skipped_pages", []) + [i + 1 for i in skipped])
    finally:
        doc.close()
    pages = [t for t in texts if t and t.strip()]
    body = "\n".join(t.replace("\r\n", "\n").replace("\r", "\n").strip("\n") for t in pages)
    if not any(usable(t) for t in pages):
        why = "OCR found no text" if scans else "no text layer and no scanned images"
        if scans and len(scans) > limits.ocr_max_pages:
            why += f" on the first {limits.ocr_max_pages} of {len(scans)} scanned pages (NIANBAO_PARSE_OCR_MAX_PAGES)"
        raise ReadError(NOT_MACHINE_READABLE, f"the PDF has no usable text: {why}")
    return Extracted(text=body, format="pdf", pages=n, ocr=ocr_used, meta=meta)


def _metadata(doc) -> dict:
    try:
        md = doc.get_metadata_dict(skip_empty=True)
    except Exception:  # malformed Info dictionary
        return {}
    out = {}
    if pdf_date(md.get("CreationDate")):
        out["pdf_creation_date"] = pdf_date(md.get("CreationDate"))
    if pdf_date(md.get("ModDate")):
        out["pdf_mod_date"] = pdf_date(md.get("ModDate"))
    for key in ("Title", "Author", "Creator", "Producer"):
        if md.get(key):
            out[f"pdf_{key.lower()}"] = str(md[key])[:200]
    return out


def extract_tables_pdfplumber(data: bytes, pages: Iterable[int] | None = None) -> str:
    """The ruled tables on the given pages (0-based; None: all) as TSV rows, via pdfplumber.

    Slow (geometry of every glyph); a fallback for when pdfium's reading order is not enough.
    pdfplumber gives None for positions a merged cell covers, which become empty strings.
    """
    import io

    import pdfplumber

    lines: list[str] = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        wanted = range(len(pdf.pages)) if pages is None else pages
        for i in wanted:
            if not 0 <= i < len(pdf.pages):
                continue
            for table in pdf.pages[i].extract_tables():
                for row in table:
                    cells = ["".join((c or "").split()) for c in row]
                    if any(cells):
                        lines.append("\t".join(cells))
    return "\n".join(lines)
