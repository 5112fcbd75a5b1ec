"""Bad input: every broken, hostile or oversized file gets a recorded outcome with a message, within
the configured limits, through the API and through `nianbao parse --json` — never a traceback."""
from __future__ import annotations

import io
import json
import os
import random
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from parsers.api import parse_bytes, parse_path
from parsers.limits import Limits
from reader_helpers import fixture_bytes

ROOT = Path(__file__).resolve().parent.parent


# ---------------------------------------------------------------------------------------------
# the bad files, made fresh in tmp_path
# ---------------------------------------------------------------------------------------------
def make_empty(tmp: Path) -> Path:
    p = tmp / "empty.pdf"
    p.write_bytes(b"")
    return p


def make_junk(tmp: Path) -> Path:
    p = tmp / "junk.bin"
    p.write_bytes(random.Random(7).randbytes(20_000))
    return p


def make_truncated_pdf(tmp: Path) -> Path:
    data = fixture_bytes("merged.pdf")
    p = tmp / "truncated.pdf"
    p.write_bytes(data[: len(data) // 2])
    return p


def make_encrypted_pdf(tmp: Path) -> Path:
    from pypdf import PdfReader, PdfWriter

    w = PdfWriter()
    for page in PdfReader(io.BytesIO(fixture_bytes("merged.pdf"))).pages:
        w.add_page(page)
    w.encrypt(user_password="secret", owner_password="owner-secret")
    p = tmp / "encrypted.pdf"
    with open(p, "wb") as f:
        w.write(f)
    return p


def make_huge(tmp: Path) -> Path:
    """200 MB, sparse: refused by its size before a byte of it is read."""
    p = tmp / "huge.pdf"
    with open(p, "wb") as f:
        f.write(b"%PDF-1.4\n")
        f.truncate(200 * 1024 * 1024)
    return p


def make_2000_pages(tmp: Path) -> Path:
    from pypdf import PdfWriter

    w = PdfWriter()
    for _ in range(2000):
        w.add_blank_page(width=595, height=842)
    p = tmp / "pages2000.pdf"
    with open(p, "wb") as f:
        w.write(f)
    return p


def make_doc(tmp: Path) -> Path:
    p = tmp / "report.doc"
    p.write_bytes(fixture_bytes("merged.doc"))
    return p


# name -> (maker, expected status, a word the message must contain)
CASES = {
    "empty": (make_empty, "not_machine_readable", "empty"),
    "junk": (make_junk, "not_machine_readable", "binary"),
    "truncated_pdf": (make_truncated_pdf, "parse_failed", "truncated"),
    "encrypted_pdf": (make_encrypted_pdf, "parse_failed", "encrypted"),
    "huge_200mb": (make_huge, "too_large", "NIANBAO_PARSE_MAX_BYTES"),
    "pdf_2000_pages": (make_2000_pages, "too_large", "2000 pages"),
    "doc_without_libreoffice": (make_doc, "tool_missing", "LibreOffice"),
}


@pytest.fixture
def no_soffice(monkeypatch):
    monkeypatch.setenv("NIANBAO_SOFFICE", "/nonexistent/soffice")


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_via_parse_path(case, tmp_path, no_soffice):
    maker, status, word = CASES[case]
    path = maker(tmp_path)
    t = time.monotonic()
    r = parse_path(path)
    elapsed = time.monotonic() - t
    assert r.status == status, (r.status, r.error)
    assert r.error and word in r.error
    assert r.source["name"] == path.name
    assert elapsed < 10, f"{case} took {elapsed:.1f}s: refused by a limit, not by reading it"


@pytest.mark.parametrize("case", ["empty", "junk", "truncated_pdf", "encrypted_pdf", "pdf_2000_pages"])
def test_bad_input_via_parse_bytes_records_hash(case, tmp_path):
    maker, status, word = CASES[case]
    data = maker(tmp_path).read_bytes()
    r = parse_bytes(data, f"{case}.pdf")
    assert r.status == status and word in r.error
    assert len(r.source["sha256"]) == 64 and r.source["bytes"] == len(data)


def test_huge_file_is_refused_before_reading(tmp_path, monkeypatch):
    """parse_path must not read a file over the size limit: make reading it fail loudly."""
    path = make_huge(tmp_path)
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("the oversized file was read"))
    r = parse_path(path)
    assert r.status == "too_large" and str(200 * 1024 * 1024) in r.error


def test_limits_are_configurable(tmp_path):
    data = fixture_bytes("merged.pdf")
    r = parse_bytes(data, "merged.pdf", Limits(max_bytes=1000))
    assert r.status == "too_large" and "1000" in r.error
    r = parse_bytes(data, "merged.pdf", Limits(max_pages=0))
    assert r.status == "too_large" and "NIANBAO_PARSE_MAX_PAGES" in r.error


def test_limits_from_environment():
    code = "from parsers.limits import DEFAULT_LIMITS as L; print(L.max_bytes, L.max_pages, L.timeout_s, L.ocr_max_pages)"
    env = dict(os.environ, NIANBAO_PARSE_MAX_BYTES="1234", NIANBAO_PARSE_MAX_PAGES="7",
               NIANBAO_PARSE_TIMEOUT="9.5", NIANBAO_PARSE_OCR_MAX_PAGES="2")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert out.stdout.split() == ["1234", "7", "9.5", "2"]


def test_narrative_without_tables_does_not_crash():
    r = parse_bytes(fixture_bytes("narrative.txt"), "narrative.txt")
    assert r.status in ("ok", "not_machine_readable")  # the placer decides; a status is recorded either way
    if r.status != "ok":
        assert r.error
    assert r.tables_found == []
    assert all(v is None for row in r.table3.values() for v in row)
    assert r.source["format"] == "txt" if r.status == "ok" else True


def test_broken_docx_and_zip_that_is_not_word(tmp_path):
    good = fixture_bytes("merged.docx")
    r = parse_bytes(good[: len(good) // 3], "cut.docx")
    assert r.status == "parse_failed" and "docx" in r.error
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("hello.txt", "不是Word文档")
    r = parse_bytes(buf.getvalue(), "x.docx")
    assert r.status == "parse_failed" and "not a Word document" in r.error


def test_zip_bomb_is_refused(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"<x/>" + b" " * 3_000_000)
    data = buf.getvalue()
    r = parse_bytes(data, "bomb.docx", Limits(max_bytes=100_000))
    assert len(data) < 100_000
    assert r.status == "too_large" and "unpacks" in r.error


def test_broken_image_and_junk_html():
    r = parse_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "x.png")
    assert r.status == "parse_failed" and "image" in r.error
    r = parse_bytes(b"<html><body><script>load()</script></body></html>", "x.html")
    assert r.status == "not_machine_readable" and r.error


# ---------------------------------------------------------------------------------------------
# the CLI: one JSON line with status and error, exit code 1
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_via_cli(case, tmp_path):
    maker, status, word = CASES[case]
    path = maker(tmp_path)
    env = dict(os.environ, NIANBAO_SOFFICE="/nonexistent/soffice")
    out = subprocess.run(
        [sys.executable, "-m", "monitor.cli", "parse", "--json", str(path)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert out.returncode == 1, out.stderr
    assert "Traceback" not in out.stderr
    printed = out.stdout.strip().splitlines()
    assert len(printed) == 1
    doc = json.loads(printed[0])
    assert doc["status"] == status and word in doc["error"]


def test_pdf_with_only_an_owner_password_is_read(tmp_path):
    """Portals often lock copying with an owner password; the empty user password opens it."""
    from pypdf import PdfReader, PdfWriter

    w = PdfWriter()
    for page in PdfReader(io.BytesIO(fixture_bytes("merged.pdf"))).pages:
        w.add_page(page)
    w.encrypt(user_password="", owner_password="owner-secret", permissions_flag=0)
    buf = io.BytesIO()
    w.write(buf)
    from parsers.readers import read

    ex = read(buf.getvalue(), "locked.pdf")
    assert "规章 2 1 15" in ex.text.splitlines()


@pytest.mark.parametrize("seconds", [0.01, 0.3, 1.0])
def test_ocr_past_the_time_limit_is_a_timeout(seconds):
    """The deadline may strike inside the OCR engine, which re-wraps it: still a timeout."""
    from parsers.readers.ocr import engine

    engine()  # loaded already, so the deadline falls inside recognition, not model loading
    t = time.monotonic()
    r = parse_bytes(fixture_bytes("scanned.pdf"), "scanned.pdf", Limits(timeout_s=seconds))
    assert r.status == "timeout" and "NIANBAO_PARSE_TIMEOUT" in r.error, r.error
    assert time.monotonic() - t < seconds + 10
