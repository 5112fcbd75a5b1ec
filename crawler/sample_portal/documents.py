"""Rendered report files for the sample portal, cached on disk by content hash.

LibreOffice and Chromium take seconds per document: bytes are rendered on first request and kept
under ``cache_dir/<sha256 of (format, options, content)>``, so re-runs (tests, ``make demo``)
are fast and every run serves the same bytes.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
from pathlib import Path

from . import render

FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "pdf_chromium": "application/pdf",
    "doc": "application/msword",
    "scan": "application/pdf",
}


def _renderer_version() -> str:
    """A change to render.py (or the Word template) must not serve stale cached files."""
    global _RENDERER
    if _RENDERER is None:
        h = hashlib.sha256(Path(render.__file__).read_bytes())
        if render.TEMPLATE_DOCX.is_file():
            h.update(render.TEMPLATE_DOCX.read_bytes())
        _RENDERER = h.hexdigest()[:16]
    return _RENDERER


_RENDERER: str | None = None


class DocumentCache:
    def __init__(self, cache_dir: str | os.PathLike):
        self.dir = Path(cache_dir)
        self._lock = threading.Lock()  # one converter at a time: 2 cores, and soffice is heavy

    def key(self, fmt: str, content: render.ReportContent, **opts) -> str:
        blob = json.dumps({"fmt": fmt, "opts": opts, "content": content.to_dict(), "renderer": _renderer_version()},
                          ensure_ascii=False, sort_keys=True, default=str)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()

    def get(self, fmt: str, content: render.ReportContent, **opts) -> bytes:
        if fmt == "html":
            return render.to_html(content, **opts)  # cheap: never cached
        key = self.key(fmt, content, **opts)
        path = self.dir / key[:2] / key
        if path.is_file():
            return path.read_bytes()
        with self._lock:
            if path.is_file():
                return path.read_bytes()
            data = self._render(fmt, content)
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, path)
            return data

    @staticmethod
    def _render(fmt: str, c: render.ReportContent) -> bytes:
        if fmt == "docx":
            return render.to_docx(c)
        if fmt == "pdf":
            return render.to_pdf(c, engine="libreoffice")
        if fmt == "pdf_chromium":
            return render.to_pdf(c, engine="chromium")
        if fmt == "doc":
            return render.to_doc(c)
        if fmt == "scan":
            return render.to_scan_pdf(c)
        raise ValueError(f"unknown format {fmt!r}")
