"""OCR for images and scanned PDF pages (RapidOCR: ONNX models shipped in the wheel, no downloads).

RapidOCR returns text boxes; the page is rebuilt from their coordinates. Ruled tables (found by
their lines, see ruled.py) become grids: each box goes to the cell it lies in, a box running
across a cell border is re-read piece by piece, and cells the page-wide pass gets wrong (a lone
"0" it skipped, a 6 read as 9) are re-read from a crop of their own ink. Outside tables, boxes
whose vertical centres line up form a row, sorted left to right; boxes are cut where their
characters are far apart, and a wide gap, or a gap between two numbers, becomes a tab.
"""
from __future__ import annotations

import io
import os
import re
import time
from dataclasses import dataclass
from functools import lru_cache

from ..errors import NOT_MACHINE_READABLE, PARSE_FAILED, TIMEOUT, TOO_LARGE, ReadError
from ..limits import Limits
from . import Extracted

# scanned pages render at this resolution (NIANBAO_OCR_DPI). 200 dpi reads the template's tables
# best, also from 150 dpi scans (RapidOCR scales pages down to 2000 px on their long side anyway)
OCR_DPI = float(os.environ.get("NIANBAO_OCR_DPI", "200") or 200)
MAX_SIDE_PX = 4000  # pages larger than this (A3, posters) are rendered smaller
MIN_SCORE = 0.5  # boxes RapidOCR is less sure of than this are noise (stamps, specks)
MIN_CELL_SCORE = 0.3  # a table cell known to hold ink: a weak reading beats an empty cell
ROW_OVERLAP = 0.5  # a box joins a row when its centre is within this many heights of the row's
CELL_GAP = 0.8  # a horizontal gap wider than this many text heights separates two cells
SPLIT_GAP = 0.4  # ... and between two digits, this many: "12 4 86" is three numbers


_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


@lru_cache(maxsize=1)
def engine():
    """One RapidOCR engine per process: loading its models takes a while."""
    try:
        from rapidocr_onnxruntime import RapidOCR
    except ImportError as e:  # pragma: no cover - in requirements.txt
        from ..errors import TOOL_MISSING

        raise ReadError(TOOL_MISSING, f"rapidocr-onnxruntime is not installed: cannot OCR scans ({e})")
    return RapidOCR()


@dataclass
class Box:
    x0: float
    x1: float
    y0: float
    y1: float
    text: str
    space_before: bool = False  # the recogniser read a space between this box and the one before
    split: bool = False  # cut from the same detected box as the one before (see _split)

    @property
    def h(self) -> float:
        return max(1.0, self.y1 - self.y0)

    @property
    def yc(self) -> float:
        return (self.y0 + self.y1) / 2


def boxes_from_result(result) -> list[Box]:
    """RapidOCR's result as boxes; a box whose characters have wide gaps is split at them."""
    out = []
    for item in result or []:
        quad, text, score = item[0], str(item[1]).strip().translate(_FULLWIDTH_DIGITS), float(item[2])
        if score < MIN_SCORE or not text:
            continue
        xs = [p[0] for p in quad]
        ys = [p[1] for p in quad]
        box = Box(min(xs), max(xs), min(ys), max(ys), text)
        words = item[3] if len(item) > 3 else None
        if words and len(words) == len(text):
            out.extend(_split(box, words))
        else:
            out.append(box)
    return out


def _split(box: Box, char_quads) -> list[Box]:
    """Cut a detected box where its characters are far apart: "规章  2  1  15" is four cells."""
    pieces: list[Box] = []
    space = False
    for ch, quad in zip(box.text, char_quads):
        if ch.isspace():
            space = True
            continue
        x0, x1 = min(p[0] for p in quad), max(p[0] for p in quad)
        if pieces and not space and x0 - pieces[-1].x1 <= SPLIT_GAP * box.h:
            last = pieces[-1]
            last.text += ch
            last.x1 = max(last.x1, x1)
        else:
            pieces.append(Box(x0, x1, box.y0, box.y1, ch, space_before=space, split=bool(pieces)))
        space = False
    return pieces or [box]


def group_rows(boxes: list[Box]) -> list[list[Box]]:
    """Boxes grouped into visual rows (top to bottom), each sorted left to right."""
    rows: list[list[Box]] = []
    centres: list[tuple[float, float]] = []  # (mean centre, mean height) per row
    for b in sorted(boxes, key=lambda b: b.yc):
        placed = False
        for k in range(len(rows) - 1, max(-1, len(rows) - 3), -1):  # the last two rows only
            yc, h = centres[k]
            if abs(b.yc - yc) <= ROW_OVERLAP * max(h, b.h):
                rows[k].append(b)
                n = len(rows[k])
                centres[k] = (yc + (b.yc - yc) / n, h + (b.h - h) / n)
                placed = True
                break
        if not placed:
            rows.append([b])
            centres.append((b.yc, b.h))
    return [sorted(r, key=lambda b: b.x0) for r in rows]


def _joiner(left: Box, right: Box, height: float) -> str:
    """What separates two neighbouring boxes of a row: a tab between cells, else nothing or a space."""
    gap = right.x0 - left.x1
    a, b = left.text[-1:], right.text[:1]
    if a.isdigit() and b.isdigit() and (gap > SPLIT_GAP * height or right.space_before):
        return "\t"  # two numbers apart are two cells, never one number
    if gap > CELL_GAP * height and not right.split:  # inside one detected box, glyph gaps are not cells
        return "\t"
    if a.isascii() and a.isalnum() and b.isascii() and b.isalnum() and (right.space_before or gap > 0.25 * height):
        return " "
    return ""


def rows_to_text(rows: list[list[Box]]) -> str:
    lines = []
    for row in rows:
        height = sorted(b.h for b in row)[len(row) // 2]
        seps = [_joiner(left, right, height) for left, right in zip(row, row[1:])]
        # a row ending in two or more numbers is a table row: its label ends where the numbers begin
        k = len(row)
        while k > 0 and _NUMBER.match(row[k - 1].text):
            k -= 1
        if 0 < k and len(row) - k >= 2:
            left, right = row[k - 1], row[k]
            if right.x0 - left.x1 > SPLIT_GAP * height or right.space_before:
                seps[k - 1] = "\t"
        parts = [row[0].text]
        for sep, right in zip(seps, row[1:]):
            parts.append(sep)
            parts.append(right.text)
        lines.append("".join(parts))
    return "\n".join(lines)


def ocr_array(img) -> str:
    """The text of one page image (numpy BGR array): ruled tables as grids, the rest as rows."""
    result, _ = engine()(img, return_word_box=True)
    boxes = boxes_from_result(result)
    try:
        tables = _ruled_tables(img)
    except Exception:  # table finding is an improvement; never lose the page's text over it
        tables = []
    if not tables:
        return rows_to_text(group_rows(boxes))
    return _compose(img, boxes, tables)


def _gray(img):
    import cv2

    return cv2.cvtColor(img, cv2.COLOR_BGR2GRAY) if img.ndim == 3 else img


def _ruled_tables(img):
    from .ruled import find_tables

    return find_tables(_gray(img))


def recognize(crop) -> tuple[str, float]:
    """Recognition only (no detection) of a small crop: one cell's text."""
    import cv2

    crop = cv2.copyMakeBorder(crop, 8, 8, 8, 8, cv2.BORDER_CONSTANT, value=(255, 255, 255))
    result, _ = engine()(crop, use_det=False, use_cls=False)
    if not result:
        return "", 0.0
    text, score = result[0][0], float(result[0][1])
    return str(text).strip().translate(_FULLWIDTH_DIGITS), score


def _assign(img, boxes: list[Box], tables) -> list[Box]:
    """Put each box into the cell(s) it lies in; returns the boxes outside every table."""
    outside = []
    for b in boxes:
        cx, cy = (b.x0 + b.x1) / 2, b.yc
        table = next((t for t in tables if t.contains(cx, cy)), None)
        if table is None:
            outside.append(b)
            continue
        hits = [c for c in table.cells if c.y0 <= cy <= c.y1 and min(b.x1, c.x1) - max(b.x0, c.x0) > 0.5 * b.h]
        if len(hits) <= 1:
            cell = hits[0] if hits else next((c for c in table.cells if c.contains(cx, cy)), None)
            if cell is not None:
                cell.parts.append((b.y0, b.x0, b.text, b.h))
            else:  # on a ruling line or in a sliver: keep it as a line of text, never drop it
                outside.append(b)
            continue
        pieces = []
        for c in hits:  # one box ran across cell borders: read each cell's piece on its own
            x0, x1 = int(max(b.x0, c.x0)), int(min(b.x1, c.x1))
            y0, y1 = int(max(b.y0 - 2, c.y0)), int(min(b.y1 + 2, c.y1))
            text, score = recognize(img[y0:y1, x0:x1])
            if text and score >= MIN_SCORE:
                pieces.append((c, (b.y0, x0, text, b.h)))
        if not pieces:  # the pieces did not read alone: keep the whole box in its widest cell
            widest = max(hits, key=lambda c: min(b.x1, c.x1) - max(b.x0, c.x0))
            pieces = [(widest, (b.y0, b.x0, b.text, b.h))]
        for c, part in pieces:
            c.parts.append(part)
    return outside


_NUMBER = re.compile(r"^[0-9.]{1,12}$")
# digits the page-wide pass confuses on a tightly cut box (6 and 9 swap); only these are re-read,
# because each re-read costs a recogniser run (~30 ms of CPU)
_CONFUSABLE = re.compile(r"[69]")


def _ink_crop(img, gray, c):
    """The cell's ink with a small margin (clear of the ruling lines), or None for a blank cell."""
    import numpy as np

    m = 4
    inner = gray[c.y0 + m : c.y1 - m, c.x0 + m : c.x1 - m]
    if inner.size == 0:
        return None
    ys, xs = np.nonzero(inner < 128)
    if len(ys) < 12:
        return None
    y0, y1 = c.y0 + m + max(0, ys.min() - 4), c.y0 + m + ys.max() + 5
    x0, x1 = c.x0 + m + max(0, xs.min() - 4), c.x0 + m + xs.max() + 5
    return (y0, x0, y1 - y0), img[y0:y1, x0:x1]


def _reread_cells(img, tables) -> None:
    """Read inked empty cells and 6/9 number cells again, each from a tight crop of its own ink.

    The page-wide pass misses lone small digits and confuses 6 and 9 on a tightly cut box; a
    crop of just the cell's ink reads them reliably. All crops go to the recogniser in one call."""
    import cv2

    from .ruled import LONE_DIGIT

    gray = _gray(img)
    todo = []
    for t in tables:
        for c in t.cells:
            current = "".join(p[2] for p in c.parts).strip()
            current = LONE_DIGIT.get(current, current)
            if current and not (_NUMBER.match(current) and _CONFUSABLE.search(current)):
                continue
            found = _ink_crop(img, gray, c)
            if found is not None:
                todo.append((c, current, found))
    if not todo:
        return
    crops = [cv2.copyMakeBorder(crop, 8, 8, 8, 8, cv2.BORDER_CONSTANT, value=(255, 255, 255)) for _, _, (_, crop) in todo]
    results, _ = engine().text_rec(crops)
    for (c, current, ((y0, x0, h), _)), (text, score) in zip(todo, results):
        text = str(text).strip().translate(_FULLWIDTH_DIGITS)
        text = LONE_DIGIT.get(text, text)
        if not current and text and float(score) >= MIN_CELL_SCORE:
            c.parts.append((y0, x0, text, h))
        elif current and text != current and _NUMBER.match(text) and float(score) >= MIN_SCORE:
            c.parts[:] = [(y0, x0, text, h)]


def _compose(img, boxes: list[Box], tables) -> str:
    from .ruled import render_grid

    outside = _assign(img, boxes, tables)
    _reread_cells(img, tables)
    blocks: list[tuple[float, str]] = []
    for row in group_rows(outside):
        blocks.append((min(b.y0 for b in row), rows_to_text([row])))
    for t in tables:
        lines = ["\t".join(r) for r in render_grid(t) if any(r)]
        blocks.append((t.y0, "\n".join(lines)))
    return "\n".join(text for _, text in sorted(blocks, key=lambda b: b[0]) if text)


def ocr_pdf_pages(doc, indices: list[int], deadline: float | None = None) -> list[str]:
    """OCR the given pages (0-based) of an open pypdfium2 document, one text per page."""
    out = []
    for i in indices:
        if deadline is not None and time.monotonic() > deadline:
            raise ReadError(TIMEOUT, f"OCR of page {i + 1} ran past the time limit (NIANBAO_PARSE_TIMEOUT)")
        page = doc[i]
        w, h = page.get_size()
        scale = min(OCR_DPI / 72, MAX_SIDE_PX / max(w, h, 1))
        bitmap = page.render(scale=scale)
        img = bitmap.to_numpy()
        if img.ndim == 3 and img.shape[2] == 4:
            img = img[:, :, :3]
        out.append(ocr_array(img))
        page.close()
    return out


def ocr_pdf_region(page, bounds: tuple[float, float, float, float], deadline: float | None = None) -> str:
    """OCR one rectangle (left, bottom, right, top in PDF points) of a pypdfium2 page: a picture."""
    if deadline is not None and time.monotonic() > deadline:
        raise ReadError(TIMEOUT, "OCR of a picture ran past the time limit (NIANBAO_PARSE_TIMEOUT)")
    w, h = page.get_size()
    left, bottom, right, top = bounds
    scale = min(OCR_DPI / 72, MAX_SIDE_PX / max(right - left, top - bottom, 1))
    img = page.render(scale=scale, crop=(left, bottom, w - right, h - top)).to_numpy()
    if img.ndim == 3 and img.shape[2] == 4:
        img = img[:, :, :3]
    return ocr_array(img)


def read(data: bytes, limits: Limits, name: str = "") -> Extracted:
    """An image file (PNG, JPEG, TIFF with several pages...): OCR every frame up to the limit."""
    import numpy as np
    from PIL import Image, ImageSequence, UnidentifiedImageError

    deadline = time.monotonic() + limits.timeout_s
    try:
        im = Image.open(io.BytesIO(data))
        frames = getattr(im, "n_frames", 1)
    except Image.DecompressionBombError as e:
        raise ReadError(TOO_LARGE, f"the image is too large to OCR: {e}")
    except (UnidentifiedImageError, OSError) as e:
        raise ReadError(PARSE_FAILED, f"not a readable image: {e}")
    if frames > limits.max_pages:
        raise ReadError(TOO_LARGE, f"{frames} image pages is over the limit of {limits.max_pages} (NIANBAO_PARSE_MAX_PAGES)")
    texts = []
    try:
        for k, frame in enumerate(ImageSequence.Iterator(im)):
            if k >= limits.ocr_max_pages:
                break
            if time.monotonic() > deadline:
                raise ReadError(TIMEOUT, f"OCR of image page {k + 1} ran past the time limit (NIANBAO_PARSE_TIMEOUT)")
            rgb = frame.convert("RGB")
            if max(rgb.size) > MAX_SIDE_PX:
                rgb.thumbnail((MAX_SIDE_PX, MAX_SIDE_PX))
            texts.append(ocr_array(np.asarray(rgb)[:, :, ::-1].copy()))  # RapidOCR expects BGR like OpenCV
    except Image.DecompressionBombError as e:
        raise ReadError(TOO_LARGE, f"the image is too large to OCR: {e}")
    except OSError as e:  # truncated image data
        raise ReadError(PARSE_FAILED, f"broken image: {e}")
    text = "\n".join(t for t in texts if t.strip())
    if not text.strip():
        raise ReadError(NOT_MACHINE_READABLE, "OCR found no text in the image")
    return Extracted(text=text, format="image", pages=frames, ocr=True)
