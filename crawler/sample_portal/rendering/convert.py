"""Documents made by the tools agencies use: LibreOffice (PDF, .doc), Chromium (print to PDF), and a
rasteriser for scans. Each conversion runs in its own temporary directory and profile, time-limited."""
from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from pathlib import Path

from .content import ReportContent
from .html_page import to_html
from .word import to_docx


def _tools() -> tuple[str, str, float]:
    """(soffice, chromium, timeout) from monitor/settings.py (NIANBAO_SOFFICE, NIANBAO_CHROMIUM,
    NIANBAO_RENDER_TIMEOUT), read at call time so tests can change the environment."""
    from monitor.settings import get_settings

    s = get_settings()
    return s.soffice_path, s.chromium_path, s.render_timeout


def _run(cmd: list[str], cwd: Path) -> None:
    timeout = _tools()[2]
    try:
        proc = subprocess.run(cmd, cwd=cwd, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired as e:
        raise RuntimeError(f"{cmd[0]} took longer than {timeout:g}s (NIANBAO_RENDER_TIMEOUT)") from e
    if proc.returncode != 0:
        raise RuntimeError(f"{cmd[0]} failed ({proc.returncode}): {proc.stderr.decode(errors='replace')[-500:]}")


def _soffice_convert(data: bytes, suffix: str, target: str, out_ext: str) -> bytes:
    """Convert with a private LibreOffice profile, so parallel conversions do not block each other."""
    with tempfile.TemporaryDirectory(prefix="nianbao-soffice-") as tmp:
        t = Path(tmp)
        src = t / f"report{suffix}"
        src.write_bytes(data)
        profile = (t / "profile").as_uri()
        _run([_tools()[0], f"-env:UserInstallation={profile}", "--headless", "--norestore", "--convert-to", target, "--outdir", str(t / "out"), str(src)], t)
        out = t / "out" / f"report.{out_ext}"
        if not out.exists():
            raise RuntimeError(f"LibreOffice produced no {out_ext} file")
        return out.read_bytes()


def _fix_pdf_dates(pdf: bytes, c: ReportContent, producer: str) -> bytes:
    """Fixed metadata (creation date a few days after signing, as WPS exports show), so reruns differ less."""
    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter(clone_from=reader)
    day = (c.signature_date or f"{c.year + 1}-01-20").replace("-", "")
    writer.add_metadata(
        {
            "/CreationDate": f"D:{day}090000+08'00'",
            "/ModDate": f"D:{day}090000+08'00'",
            "/Title": c.title,
            "/Author": c.agency,
            "/Producer": producer,
            "/Creator": producer,
        }
    )
    # LibreOffice writes a random /ID; without one pypdf derives it from the content (reproducible bytes)
    writer._ID = None
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def to_pdf(c: ReportContent, engine: str = "libreoffice") -> bytes:
    """A text PDF: the filled Word template through LibreOffice, or the article page through Chromium."""
    if engine == "libreoffice":
        pdf = _soffice_convert(to_docx(c), ".docx", "pdf", "pdf")
        return _fix_pdf_dates(pdf, c, "LibreOffice")
    if engine == "chromium":
        pdf = _chromium_pdf(to_html(c, cms="plain"))
        return _fix_pdf_dates(pdf, c, "Skia/PDF")
    raise ValueError(f"unknown engine {engine!r}")


def _chromium_pdf(page: bytes) -> bytes:
    with tempfile.TemporaryDirectory(prefix="nianbao-chromium-") as tmp:
        t = Path(tmp)
        src = t / "page.html"
        src.write_bytes(page)
        out = t / "page.pdf"
        _run(
            [
                _tools()[1],
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-extensions",
                "--no-first-run",
                f"--user-data-dir={t / 'profile'}",
                "--no-pdf-header-footer",
                f"--print-to-pdf={out}",
                src.as_uri(),
            ],
            t,
        )
        if not out.exists():
            raise RuntimeError("Chromium produced no PDF")
        return out.read_bytes()


def to_doc(c: ReportContent) -> bytes:
    """The filled template saved as a Word 97 .doc (OLE2), as many portals still attach."""
    return _soffice_convert(to_docx(c), ".docx", "doc:MS Word 97", "doc")


def to_scan_pdf(c: ReportContent, dpi: int = 150, quality: int = 60) -> bytes:
    """An image-only PDF (no text layer), as a 图片版 report: the PDF rasterised, grayscale JPEG pages."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(to_pdf(c))
    images = []
    try:
        for i in range(len(pdf)):
            page = pdf[i]
            img = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
            images.append(img)
    finally:
        pdf.close()
    from PIL import Image

    jpeg_pages = []
    for img in images:  # JPEG-compress each page first: PIL then embeds the JPEG stream as is
        b = io.BytesIO()
        img.save(b, format="JPEG", quality=quality)
        jpeg_pages.append(Image.open(io.BytesIO(b.getvalue())))
    buf = io.BytesIO()
    jpeg_pages[0].save(buf, format="PDF", save_all=True, append_images=jpeg_pages[1:], resolution=float(dpi))
    return _fix_pdf_dates(buf.getvalue(), c, "Scanner")


def tools_available() -> dict[str, bool]:
    """Which external converters this machine has."""
    soffice, chromium, _ = _tools()
    return {
        "soffice": shutil.which(soffice) is not None,
        "chromium": Path(chromium).exists() or shutil.which(chromium) is not None,
        "pdftotext": shutil.which("pdftotext") is not None,
    }
