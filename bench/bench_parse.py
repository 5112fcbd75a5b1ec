"""Parse speed: median `parse_path` time per format, and on the real PDFs the cost of the full parse
against a naive pdfplumber pass (extract_text + extract_tables on every page), both in this run.

    cd /work/main && .venv/bin/python bench/bench_parse.py [FILE...]
"""
from __future__ import annotations

import logging
import statistics
import sys
import time
from pathlib import Path

# pdfminer (under the naive pdfplumber baseline) warns once per glyph on WPS fonts
logging.getLogger("pdfminer").setLevel(logging.ERROR)

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

FIXTURE_DIRS = [ROOT / "tests" / "fixtures" / "readers", ROOT / "tests" / "fixtures" / "formats", ROOT / "tests" / "fixtures" / "real"]
REAL_PDFS = ROOT / "tests" / "fixtures" / "real"
REPEAT = 3  # parses per file, the median kept; OCR'd files are timed once (they take seconds a page)


def default_files() -> list[Path]:
    files = []
    for d in FIXTURE_DIRS:
        if d.is_dir():
            files += [p for p in sorted(d.iterdir()) if p.is_file() and not p.name.endswith((".json", ".py", ".md"))]
    return files


def _timed(fn, repeat: int = REPEAT) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def naive_pdfplumber(path: Path) -> None:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.extract_tables()


def run(report_files: list[str | Path] | None = None) -> dict:
    """Figures keyed by name: per-format median seconds, and the pdfplumber comparison."""
    from parsers.api import parse_path
    from parsers.readers import sniff

    files = [Path(f) for f in report_files] if report_files else default_files()
    per_format: dict[str, list[float]] = {}
    statuses: dict[str, list[str]] = {}
    for f in files:
        fmt = sniff(f.read_bytes()[:4096], f.name)
        t = time.perf_counter()
        report = parse_path(f)
        first = time.perf_counter() - t
        if report.source.get("ocr"):  # seconds per page: timed once, not REPEAT times
            fmt, seconds = f"{fmt}+ocr", first
        else:
            seconds = _timed(lambda: parse_path(f))
        per_format.setdefault(fmt, []).append(seconds)
        statuses.setdefault(fmt, []).append(report.status)
    out: dict = {}
    for fmt in sorted(per_format):
        times = per_format[fmt]
        ok = statuses[fmt].count("ok")
        out[f"parse median {fmt}"] = f"{statistics.median(times) * 1000:.1f} ms over {len(times)} files ({ok} ok)"
    real = sorted(REAL_PDFS.glob("*.pdf")) if REAL_PDFS.is_dir() else []
    if real:
        ours = sum(_timed(lambda p=p: parse_path(p)) for p in real)
        naive = sum(_timed(lambda p=p: naive_pdfplumber(p), repeat=1) for p in real)
        out["real PDFs"] = f"{len(real)} files"
        out["full parse_path total"] = f"{ours * 1000:.1f} ms"
        out["naive pdfplumber total"] = f"{naive * 1000:.1f} ms"
        out["parse_path / pdfplumber"] = f"{ours / naive:.3f} (pdfplumber is {naive / ours:.1f}x slower)"
    return out


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    for key, value in run(argv or None).items():
        print(f"  {key}: {value}")


if __name__ == "__main__":
    main()
