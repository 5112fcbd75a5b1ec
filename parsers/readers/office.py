"""Legacy office files (.doc, .wps, .xls, .rtf): LibreOffice converts them, our readers read the result.

Each conversion gets a fresh LibreOffice profile directory: two soffice processes sharing one
profile block each other (the second silently does nothing). The soffice binary is
``NIANBAO_SOFFICE`` (default: ``soffice`` on PATH).
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

from ..errors import PARSE_FAILED, TIMEOUT, TOOL_MISSING, ReadError
from ..limits import Limits
from . import Extracted, sniff

# format -> (input suffix LibreOffice detects it by, target format, reader module for the result)
CONVERSIONS = {
    "doc": (".doc", "docx", "docx"),
    "wps": (".wps", "docx", "docx"),  # Kingsoft WPS Writer; LibreOffice's Word filter reads most of them
    "rtf": (".rtf", "docx", "docx"),
    "xls": (".xls", "html", "html"),
}


def soffice_path() -> str | None:
    """The LibreOffice binary to run, or None when it is not installed."""
    configured = os.environ.get("NIANBAO_SOFFICE", "").strip()
    if configured and os.sep in configured:
        return configured if os.path.isfile(configured) and os.access(configured, os.X_OK) else None
    if configured:  # a command name, looked up on PATH
        return shutil.which(configured)
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(data: bytes, fmt: str, timeout_s: float) -> tuple[bytes, str]:
    """Convert with LibreOffice headless; returns (converted bytes, reader module name)."""
    suffix, target, reader = CONVERSIONS[fmt]
    binary = soffice_path()
    if binary is None:
        where = os.environ.get("NIANBAO_SOFFICE") or "soffice on PATH"
        raise ReadError(
            TOOL_MISSING,
            f"LibreOffice (soffice) is not installed ({where}): cannot read .{fmt}; install libreoffice-writer"
            + (" and libreoffice-calc" if fmt == "xls" else ""),
        )
    with tempfile.TemporaryDirectory(prefix="nianbao-convert-") as tmp:
        src = Path(tmp) / f"input{suffix}"
        src.write_bytes(data)
        profile = Path(tempfile.gettempdir()) / f"nianbao-lo-{os.getpid()}-{uuid.uuid4().hex}"
        cmd = [
            binary, "--headless", "--norestore", "--nologo", "--nolockcheck", "--nodefault",
            f"-env:UserInstallation={profile.as_uri()}",
            "--convert-to", target, "--outdir", tmp, str(src),
        ]
        try:
            _run(cmd, timeout_s)
        finally:
            shutil.rmtree(profile, ignore_errors=True)
        out = Path(tmp) / f"input.{target}"
        if not out.exists() or out.stat().st_size == 0:
            raise ReadError(PARSE_FAILED, f"LibreOffice could not convert the .{fmt} file (broken or not really .{fmt})")
        return out.read_bytes(), reader


def _run(cmd: list[str], timeout_s: float) -> None:
    """Run soffice in its own process group so a timeout kills oosplash and soffice.bin too."""
    try:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    except OSError as e:
        raise ReadError(TOOL_MISSING, f"cannot run LibreOffice ({cmd[0]}): {e}")
    try:
        _, err = proc.communicate(timeout=max(1.0, timeout_s))
    except subprocess.TimeoutExpired:
        _kill(proc)
        raise ReadError(TIMEOUT, f"LibreOffice conversion took longer than {timeout_s:g}s (NIANBAO_PARSE_TIMEOUT)")
    except BaseException:  # the parse deadline (SIGALRM) or Ctrl-C: leave no soffice behind
        _kill(proc)
        raise
    if proc.returncode != 0:
        msg = (err or b"").decode("utf-8", "replace").strip()[-300:]
        raise ReadError(PARSE_FAILED, f"LibreOffice failed (exit {proc.returncode}): {msg}")


def _kill(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    t = time.monotonic()
    while proc.poll() is None and time.monotonic() - t < 5:
        time.sleep(0.05)


def read(data: bytes, limits: Limits, name: str = "") -> Extracted:
    import importlib

    fmt = sniff(data, name)
    if fmt not in CONVERSIONS:
        fmt = "doc"
    try:
        converted, reader_name = convert(data, fmt, limits.timeout_s)
    except ReadError as e:
        if fmt != "wps" or e.outcome != PARSE_FAILED:
            raise
        # a Kingsoft .wps is a Word 97 file inside; LibreOffice may only see that when told so
        converted, reader_name = convert(data, "doc", limits.timeout_s)
    reader = importlib.import_module(f"{__package__}.{reader_name}")
    ex = reader.read(converted, limits, name)
    ex.format = fmt
    ex.meta["converted_with"] = "libreoffice"
    return ex
