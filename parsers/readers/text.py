"""Plain text: decode whatever charset it came in. Tables stay as the text has them."""
from __future__ import annotations

from ..errors import NOT_MACHINE_READABLE, ReadError
from ..limits import Limits
from . import Extracted


def decode(data: bytes) -> str:
    """Decode bytes of unknown charset: UTF-8 (with BOM), UTF-16, then GB18030, then a guess."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        return data.decode("gb18030", errors="replace")
    return str(best)


def read(data: bytes, limits: Limits, name: str = "") -> Extracted:
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ReadError(NOT_MACHINE_READABLE, "binary data that is not a known document format")
    text = decode(data)
    bad = text.count("\ufffd")
    if bad > max(20, len(text) // 20):
        raise ReadError(NOT_MACHINE_READABLE, f"the text does not decode in any Chinese charset ({bad} undecodable characters)")
    return Extracted(text=text, format="txt")
