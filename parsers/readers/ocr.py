"""OCR for images and scanned PDF pages (RapidOCR: ONNX models shipped in the wheel, no downloads).

RapidOCR returns text boxes; the page is rebuilt from their coordinates: boxes whose vertical
centres line up form a row, sorted left to right. Inside a row, boxes separated by a wide gap are
table cells (joined by a tab); boxes that nearly touch are one run of text. Narrative lines are
single boxes, so they stay plain lines.
"""
from __future__ import annotations

import io
import os
import time
from dataclasses import dataclass
from functools import lru_cache

from ..errors import NOT_MACHINE_READABLE, PARSE_FAILED, TIMEOUT, TOO_LARGE, ReadError
from ..limits import Limits
from . import Extracted

# render scanned pages at this resolution; 150-200 dpi reads printed tables reliably
OCR_DPI = float(os.environ.get("NIANBAO_OCR_DPI", "200") or 200)
MAX_SIDE_PX = 4000  # pages larger than this (A3, posters) are rendered smaller
MIN_SCORE = 0.5  # boxes RapidOCR is less sure of than this are noise (stamps, specks)
ROW_OVERLAP = 0.5  # a box joins a row when its centre is within this many heights of the row's
CELL_GAP = 0.8  # a horizontal gap wider than this many text heights separates two cells


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

    @property
    def h(self) -> float:
        return max(1.0, self.y1 - self.y0)

    @property
    def yc(self) -> float:
        return (self.y0 + self.y1) / 2


def boxes_from_result(result) -> list[Box]:
    out = []
    for quad, text, score in result or []:
        if float(score) < MIN_SCORE or not str(text).strip():
            continue
        xs = [p[0] for p in quad]
        ys = [p[1] for p in quad]
        out.append(Box(min(xs), max(xs), min(ys), max(ys), str(text).strip()))
    return out


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
    gap = right.x0 - left.x1
    if gap > CELL_GAP * height:
        return "\t"
    if left.text[-1:].isascii() and left.text[-1:].isalnum() and right.text[:1].isascii() and right.text[:1].isalnum():
        return " "
    return ""


def rows_to_text(rows: list[list[Box]]) -> str:
    lines = []
    for row in rows:
        height = sorted(b.h for b in row)[len(row) // 2]
        parts = [row[0].text]
        for left, right in zip(row, row[1:]):
            parts.append(_joiner(left, right, height))
            parts.append(right.text)
        lines.append("".join(parts))
    return "\n".join(lines)


def ocr_array(img) -> str:
    """The text of one page image (numpy RGB/BGR array), rows rebuilt from box positions."""
    result, _ = engine()(img)
    return rows_to_text(group_rows(boxes_from_result(result)))


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
