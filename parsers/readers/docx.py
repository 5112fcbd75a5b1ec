"""Word .docx: paragraphs and tables in body order, merged cells emitted once.

python-docx repeats a merged cell for every grid position it covers, so the grid is rebuilt from
the XML itself: ``w:gridSpan`` (horizontal), ``w:vMerge`` (vertical, "continue" cells are the
covered positions), legacy ``w:hMerge``, and ``w:gridBefore``/``w:gridAfter`` row offsets.
Large pictures (tables pasted as screenshots) are OCR'd where they stand, within the OCR budget.
"""
from __future__ import annotations

import io
import re
import time
import zipfile

from lxml import etree

from ..errors import NOT_MACHINE_READABLE, PARSE_FAILED, TIMEOUT, TOO_LARGE, ReadError
from ..limits import Limits
from . import Extracted

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
NS = {
    "w": W,
    "mc": MC,
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}
# pictures at least this large (EMU; 914400 a inch) are OCR'd: a table pasted as a screenshot.
# Seals, emblems and signatures are smaller.
PICTURE_MIN_WIDTH_EMU = int(2.5 * 914400)
PICTURE_MIN_HEIGHT_EMU = int(0.6 * 914400)
# a .docx may unpack to many times its size; beyond this factor of max_bytes it is a zip bomb
UNZIP_FACTOR = 20

_WS = re.compile(r"[ \r\n\f\v\u3000\xa0\u200b]+")
# visible text: not the fallback copy of a text box, not text a tracked change moved away
_VISIBLE = "[not(ancestor::mc:Fallback)][not(ancestor::w:moveFrom)]"
_TEXT_XPATH = f".//w:t{_VISIBLE} | .//w:tab[not(ancestor::w:tabs)]{_VISIBLE} | .//w:br{_VISIBLE} | .//w:cr{_VISIBLE}"


_X_TEXT = etree.XPath(_TEXT_XPATH, namespaces=NS)
_X_DRAWINGS = etree.XPath(f".//w:drawing{_VISIBLE}", namespaces=NS)
_X_EXTENT = etree.XPath("./*/wp:extent", namespaces=NS)
_X_BLIP = etree.XPath(".//a:blip/@r:embed", namespaces=NS)
_X_ROWS = etree.XPath("./w:tr | ./w:sdt/w:sdtContent/w:tr | ./w:customXml/w:tr", namespaces=NS)
_X_CELLS = etree.XPath("./w:tc | ./w:sdt/w:sdtContent/w:tc | ./w:customXml/w:tc", namespaces=NS)


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def paragraph_text(p) -> str:
    """All visible text of a paragraph, runs inside hyperlinks, smart tags and fields included."""
    out = []
    for el in _X_TEXT(p):
        tag = el.tag
        if tag == _w("t"):
            out.append(el.text or "")
        elif tag == _w("tab"):
            out.append("\t")
        else:
            out.append("\n")
    return "".join(out)


def _squash(s: str) -> str:
    return _WS.sub(" ", s).strip()


def cell_text(tc) -> str:
    """A cell's paragraphs joined without newlines (labels wrap inside cells)."""
    parts = []
    for p in tc.iter(_w("p")):
        for line in paragraph_text(p).replace("\t", " ").split("\n"):
            line = _squash(line)
            if line:
                parts.append(line)
    return "".join(parts)


def _val(el, path: str) -> str | None:
    found = etree.ElementBase.find(el, path, NS)
    if found is None:
        return None
    return found.get(_w("val"), "")


def _int(v: str | None, default: int) -> int:
    try:
        return max(0, min(int(v), 1000)) if v not in (None, "") else default
    except ValueError:
        return default


def table_grid(tbl) -> list[list[str]]:
    """The table as a grid of strings; covered positions of merged cells are empty."""
    grid: list[list[str]] = []
    for tr in _X_ROWS(tbl):
        row: list[str] = [""] * _int(_val(tr, "./w:trPr/w:gridBefore"), 0)
        for tc in _X_CELLS(tr):
            span = max(1, _int(_val(tc, "./w:tcPr/w:gridSpan"), 1))
            vmerge = _val(tc, "./w:tcPr/w:vMerge")
            hmerge = _val(tc, "./w:tcPr/w:hMerge")
            covered = (vmerge is not None and vmerge != "restart") or (hmerge is not None and hmerge != "restart")
            row.append("" if covered else cell_text(tc))
            row.extend([""] * (span - 1))
        row.extend([""] * _int(_val(tr, "./w:trPr/w:gridAfter"), 0))
        grid.append(row)
    width = max((len(r) for r in grid), default=0)
    return [r + [""] * (width - len(r)) for r in grid]


def _blocks(container):
    """Body-level paragraphs and tables in document order (content controls unwrapped)."""
    for el in container:
        tag = el.tag
        if tag in (_w("p"), _w("tbl")):
            yield el
        elif tag == _w("sdt"):
            content = el.find(_w("sdtContent"))
            if content is not None:
                yield from _blocks(content)
        elif tag == _w("customXml"):
            yield from _blocks(el)


def body_text(body, pictures: "Pictures | None" = None) -> str:
    lines: list[str] = []
    for el in _blocks(body):
        if el.tag == _w("tbl"):
            for row in table_grid(el):
                if any(row):
                    lines.append("\t".join(row))
        else:
            for line in paragraph_text(el).split("\n"):
                line = re.sub(r"\t+", "\t", _squash(line)).strip("\t ")
                if line:
                    lines.append(line)
            if pictures is not None:
                lines.extend(pictures.text_of(el))
    return "\n".join(lines)


class Pictures:
    """OCR of large pictures in the body (a table pasted as a screenshot), within the OCR budget."""

    def __init__(self, part, limits: Limits):
        self.part = part
        self.budget = limits.ocr_max_pages
        self.deadline = time.monotonic() + limits.timeout_s
        self.read: list[str] = []  # relationship ids OCR'd
        self.skipped: list[str] = []  # large pictures left unread (budget, or a format PIL cannot open)

    def text_of(self, p) -> list[str]:
        out: list[str] = []
        for drawing in _X_DRAWINGS(p):
            extent = _X_EXTENT(drawing)
            blips = _X_BLIP(drawing)
            if not extent or not blips:
                continue
            cx = int(extent[0].get("cx", "0") or 0)
            cy = int(extent[0].get("cy", "0") or 0)
            if cx < PICTURE_MIN_WIDTH_EMU or cy < PICTURE_MIN_HEIGHT_EMU:
                continue  # a seal, an emblem, a signature
            rid = blips[0]
            if self.budget <= 0:
                self.skipped.append(rid)
                continue
            text = self._ocr(rid)
            if text is None:
                self.skipped.append(rid)
                continue
            self.budget -= 1
            self.read.append(rid)
            out.extend(line for line in text.splitlines() if line.strip())
        return out

    def _ocr(self, rid: str) -> str | None:
        import numpy as np
        from PIL import Image

        from . import ocr

        if time.monotonic() > self.deadline:
            raise ReadError(TIMEOUT, "OCR of the document's pictures ran past the time limit (NIANBAO_PARSE_TIMEOUT)")
        try:
            blob = self.part.related_parts[rid].blob
            im = Image.open(io.BytesIO(blob)).convert("RGB")
        except Exception:  # EMF/WMF vector pictures, broken images: left out, and noted
            return None
        if max(im.size) > ocr.MAX_SIDE_PX:
            im.thumbnail((ocr.MAX_SIDE_PX, ocr.MAX_SIDE_PX))
        return ocr.ocr_array(np.asarray(im)[:, :, ::-1].copy())


def check_zip(data: bytes, limits: Limits) -> zipfile.ZipFile | None:
    """Open the package, refusing zip bombs and zips that are not Word documents (None: a workbook)."""
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as e:
        raise ReadError(PARSE_FAILED, f"broken or truncated .docx (zip): {e}")
    unpacked = sum(i.file_size for i in z.infolist())
    if unpacked > limits.max_bytes * UNZIP_FACTOR:
        raise ReadError(TOO_LARGE, f"the .docx unpacks to {unpacked} bytes (over {UNZIP_FACTOR}x NIANBAO_PARSE_MAX_BYTES)")
    names = set(z.namelist())
    if "xl/workbook.xml" in names:
        return None
    if "word/document.xml" not in names:
        if "OFD.xml" in names:
            raise ReadError(NOT_MACHINE_READABLE, "an OFD document (Chinese fixed-layout format): not supported")
        raise ReadError(PARSE_FAILED, "a zip file that is not a Word document (no word/document.xml)")
    return z


def read(data: bytes, limits: Limits, name: str = "") -> Extracted:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    z = check_zip(data, limits)
    if z is None:  # a spreadsheet sniffed as .docx by its zip magic
        from . import xlsx

        return xlsx.read(data, limits, name)
    try:
        doc = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError) as e:
        raise ReadError(PARSE_FAILED, f"not a readable Word document: {type(e).__name__}: {e}")
    pictures = Pictures(doc.part, limits)
    text = body_text(doc.element.body, pictures)
    meta: dict = {}
    if pictures.read:
        meta["ocr_pictures"] = len(pictures.read)
    if pictures.skipped:
        meta["ocr_skipped_pictures"] = len(pictures.skipped)
    if not text.strip():
        raise ReadError(NOT_MACHINE_READABLE, "the Word document has no text")
    try:
        cp = doc.core_properties
        if cp.created:
            meta["docx_created"] = cp.created.strftime("%Y-%m-%d")
        if cp.title:
            meta["docx_title"] = cp.title
    except Exception:  # core properties are optional and often malformed; text is what matters
        pass
    return Extracted(text=text, format="docx", ocr=bool(pictures.read), meta=meta)
