"""MHT / MHTML (a web page saved as one MIME file, e.g. Word's "single file web page"): its HTML part
is read by the HTML reader."""
from __future__ import annotations

import email
import email.policy

from ..errors import NOT_MACHINE_READABLE, ReadError
from ..limits import Limits
from . import Extracted


def read(data: bytes, limits: Limits, name: str = "") -> Extracted:
    from . import html

    msg = email.message_from_bytes(data, policy=email.policy.compat32)
    for part in msg.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True) or b""
            charset = part.get_content_charset()
            if charset and b"charset" not in payload[:4096].lower():
                # the charset lives in the MIME header: tell the HTML reader
                payload = f'<meta charset="{charset}">'.encode("ascii") + payload
            ex = html.read(payload, limits, name)
            ex.format = "mht"
            return ex
    raise ReadError(NOT_MACHINE_READABLE, "an MHT file without an HTML part")
