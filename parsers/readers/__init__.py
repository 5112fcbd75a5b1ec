"""Readers: bytes of any format in, text out.

Every reader returns an ``Extracted``: the document's text, with each table rendered as one
line per grid row and cells separated by tabs (a merged cell's text appears once, at its
top-left position; the positions it covers are empty strings). The table placer
(parsers.tables) reads that text, so the same placement logic serves every format.
"""
from __future__ import annotations

import importlib
import re
from dataclasses import dataclass, field
from typing import Any

from ..errors import NOT_MACHINE_READABLE, PARSE_FAILED, TOO_LARGE, ReadError
from ..limits import DEFAULT_LIMITS, Limits


@dataclass
class Extracted:
    text: str
    format: str  # txt | html | mht | pdf | docx | doc | wps | xls | xlsx | rtf | image
    pages: int | None = None
    ocr: bool = False  # text came from OCR (scans)
    meta: dict[str, Any] = field(default_factory=dict)  # e.g. pdf_creation_date, html meta PubDate


# format -> module in this package that exposes read(data, limits, name) -> Extracted
READERS = {
    "txt": "text",
    "html": "html",
    "pdf": "pdf",
    "docx": "docx",
    "doc": "office",
    "wps": "office",
    "xls": "office",
    "rtf": "office",
    "xlsx": "xlsx",
    "mht": "mht",
    "image": "ocr",
}


def sniff(data: bytes, name: str = "") -> str:
    """The format of a document, from its magic bytes first and its name second."""
    head = data[:8]
    low = name.lower()
    if head.startswith(b"%PDF") or (b"%PDF-" in data[:1024]):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        if low.endswith((".xlsx",)):
            return "xlsx"
        return "docx"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith(b"\xd0\xcf\x11\xe0"):  # OLE2: .doc, .wps, .xls
        if low.endswith(".wps"):
            return "wps"
        if low.endswith(".xls"):
            return "xls"
        return "doc"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*", b"BM")):
        return "image"
    if low.endswith((".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".gif")):
        return "image"
    probe = data[:4096].lstrip().lower()
    if (probe.startswith((b"mime-version:", b"from:", b"content-type: multipart/related")) and b"multipart/related" in probe) or low.endswith((".mht", ".mhtml")):
        return "mht"
    if low.endswith((".htm", ".html", ".shtml", ".jsp", ".php", ".aspx")) or probe.startswith(
        (b"<!doctype html", b"<html", b"<?xml", b"<meta", b"<head", b"<body", b"<div", b"<table", b"<p")
    ):
        return "html"
    return "txt"


def read(data: bytes, name: str = "", limits: Limits = DEFAULT_LIMITS, fmt: str | None = None) -> Extracted:
    """Turn a document's bytes into text. Raises ReadError with a recorded outcome."""
    if not data or not data.strip():
        raise ReadError(NOT_MACHINE_READABLE, "the file is empty")
    if len(data) > limits.max_bytes:
        raise ReadError(TOO_LARGE, f"{len(data)} bytes is over the limit of {limits.max_bytes} (NIANBAO_PARSE_MAX_BYTES)")
    fmt = fmt or sniff(data, name)
    module = READERS.get(fmt)
    if module is None:
        raise ReadError(NOT_MACHINE_READABLE, f"no reader for format {fmt!r}")
    reader = importlib.import_module(f"{__name__}.{module}")
    try:
        extracted = reader.read(data, limits, name)
    except ReadError:
        raise
    except MemoryError:
        raise ReadError(TOO_LARGE, "ran out of memory reading the file")
    except Exception as e:  # a reader library failing on broken input is an outcome, not a crash
        inner = _wrapped_read_error(e)
        if inner is not None:  # e.g. the parse deadline, re-wrapped by RapidOCR as its own error
            raise inner from None
        raise ReadError(PARSE_FAILED, f"{fmt} reader failed: {type(e).__name__}: {_first_line(e)}") from e
    extracted.text = tidy(extracted.text)
    if not extracted.text.strip():
        raise ReadError(NOT_MACHINE_READABLE, f"no text found in the {fmt} file")
    return extracted


def _wrapped_read_error(e: BaseException) -> ReadError | None:
    """A ReadError a library caught and re-raised as its own exception (``raise X from e``)."""
    seen = set()
    while e is not None and id(e) not in seen:
        if isinstance(e, ReadError):
            return e
        seen.add(id(e))
        e = e.__cause__ or e.__context__
    return None


def _first_line(e: BaseException) -> str:
    """The message of a library error, without the traceback some libraries put in it."""
    text = str(e).strip()
    if text.startswith("Traceback"):
        text = text.splitlines()[-1]
    return text.splitlines()[0][:500] if text else ""


_TRAILING = re.compile(r"[ \r\u3000\xa0]+$", re.M)
_BLANK_RUNS = re.compile(r"\n{3,}")


def tidy(text: str) -> str:
    """One line-ending style, no trailing spaces, at most one blank line in a row.

    Tabs are kept, even trailing ones: they are the empty cells at the end of a table row."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _TRAILING.sub("", text)
    return _BLANK_RUNS.sub("\n\n", text).strip("\n")
