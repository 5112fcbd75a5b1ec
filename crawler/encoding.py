"""Re-read a page whose declared charset lies (GBK bytes declared UTF-8, or no declaration at all).

Scrapy trusts the header, then the ``<meta>``, then guesses cp1252; Chinese portals often serve
GBK under a wrong or missing label. When the declared decoding fails strictly, or only a Western
guess was possible, try UTF-8 and then GB18030 (a superset of GBK/GB2312) strictly.
"""
from __future__ import annotations

_WESTERN = {"cp1252", "ascii", "latin-1", "latin1", "iso-8859-1", "windows-1252", "us-ascii"}


def _decodes(body: bytes, enc: str) -> bool:
    try:
        body.decode(enc)
        return True
    except (UnicodeDecodeError, LookupError):
        return False


def fix_encoding(response):
    if not hasattr(response, "encoding") or not response.body:
        return response
    body = response.body
    enc = (response.encoding or "").lower()
    if body.isascii():
        return response
    if enc not in _WESTERN and _decodes(body, enc):
        return response
    for candidate in ("utf-8", "gb18030"):
        if _decodes(body, candidate):
            return response.replace(encoding=candidate)
    return response
