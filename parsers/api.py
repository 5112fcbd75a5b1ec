"""Parse one document into the canonical report: read → normalise → sections → tables → metadata."""
from __future__ import annotations

import hashlib
import signal
import threading
from contextlib import contextmanager
from pathlib import Path

from . import metadata, normalize, sections, tables
from .errors import TIMEOUT, TOO_LARGE, ReadError
from .limits import DEFAULT_LIMITS, Limits
from .model import STATUS_OK, Report
from .readers import read


@contextmanager
def _deadline(seconds: float):
    """Abort a parse that runs past the time limit (main thread only; elsewhere no limit)."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def _raise(signum, frame):
        raise ReadError(TIMEOUT, f"parsing took longer than {seconds:g}s (NIANBAO_PARSE_TIMEOUT)")

    old = signal.signal(signal.SIGALRM, _raise)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def parse_text(text: str, kind: str | None = None) -> Report:
    """Parse already-extracted text (tables as tab-separated or whitespace-separated rows)."""
    norm = normalize.normalize_text(text)
    report = Report(text=norm)
    sections.find_sections(report)
    tables.place_tables(report)
    metadata.extract_metadata(report, kind_override=kind)
    return report


def parse_bytes(data: bytes, name: str = "", limits: Limits = DEFAULT_LIMITS, kind: str | None = None) -> Report:
    """Parse a document of any supported format. Never raises for bad input: the outcome is in
    ``report.status`` and ``report.error``."""
    source = {"name": name, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
    try:
        with _deadline(limits.timeout_s):
            extracted = read(data, name, limits)
            report = parse_text(extracted.text, kind=kind)
    except ReadError as e:
        r = Report(status=e.outcome, error=e.message, source=source)
        return r
    except RecursionError:
        return Report(status="parse_failed", error="the document nests too deeply to read", source=source)
    if extracted.format == "pdf" and _needs_geometry(report):
        _retry_with_ruled_tables(report, data)
    source.update({"format": extracted.format, "pages": extracted.pages, "ocr": extracted.ocr})
    source.update({k: v for k, v in extracted.meta.items() if k not in source})
    report.source = source
    if report.status == STATUS_OK and not report.tables_found and not report.sections_present:
        report.status = "not_machine_readable"
        report.error = "no report structure found in the text (no statutory section or table)"
    return report


def _table_of(path: str) -> int:
    return int(path[len("table")])


def _needs_geometry(report: Report) -> bool:
    return bool(report.uncertain_cells) or any(t not in report.tables_found for t in (2, 3, 4))


def _retry_with_ruled_tables(report: Report, data: bytes) -> None:
    """When the text layer leaves cells unplaced, read the ruled tables with pdfplumber
    (slow: glyph geometry) and take, table by table, whichever reading places more cells."""
    from .readers.pdf import extract_tables_pdfplumber

    try:
        tsv = extract_tables_pdfplumber(data)
    except Exception as e:  # pdfplumber failing on a file pdfium read is not fatal
        report.note("geometry_failed", f"pdfplumber could not read the ruled tables: {type(e).__name__}: {e}")
        return
    if not tsv.strip():
        return
    alt = Report(text=normalize.normalize_text(tsv))
    tables.place_tables(alt)
    for t in (2, 3, 4):
        if t not in alt.tables_found:
            continue
        mine = [c for c in report.uncertain_cells if _table_of(c) == t]
        theirs = [c for c in alt.uncertain_cells if _table_of(c) == t]
        if (t not in report.tables_found) or len(theirs) < len(mine):
            setattr(report, f"table{t}", getattr(alt, f"table{t}"))
            report.uncertain_cells = [c for c in report.uncertain_cells if _table_of(c) != t] + theirs
            report.blank_cells = [c for c in report.blank_cells if _table_of(c) != t] + [c for c in alt.blank_cells if _table_of(c) == t]
            report.parse_notes = [n for n in report.parse_notes if not any(_table_of(c) == t for c in n.cells)]
            report.parse_notes += [n for n in alt.parse_notes if any(_table_of(c) == t for c in n.cells)]
            report.note("ruled_tables", f"table {t} read from the PDF's ruling lines (pdfplumber): the text layer left {len(mine)} cells unplaced")
            if t not in report.tables_found:
                report.tables_found = sorted(report.tables_found + [t])


def parse_path(path: str | Path, limits: Limits = DEFAULT_LIMITS, kind: str | None = None) -> Report:
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > limits.max_bytes:
            return Report(
                status=TOO_LARGE,
                error=f"{size} bytes is over the limit of {limits.max_bytes} (NIANBAO_PARSE_MAX_BYTES)",
                source={"name": p.name, "path": str(p), "bytes": size},
            )
        data = p.read_bytes()
    except OSError as e:
        return Report(status="parse_failed", error=f"cannot read file: {e}", source={"name": p.name, "path": str(p)})
    r = parse_bytes(data, p.name, limits, kind=kind)
    r.source["path"] = str(p)
    return r
