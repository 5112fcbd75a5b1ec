"""Sending one message through one apprise URL, with the reason when it fails.

apprise only logs why a notification failed; the log is captured so the delivery log can say
"connection refused" rather than just "failed".
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass
class SendResult:
    ok: bool
    error: str | None = None


def send(url: str, title: str, body: str) -> SendResult:
    """A fresh notifier per message: apprise's e-mail plugin, reused, stalls ~5 s before each
    later message (measured against aiosmtpd), and parsing a URL costs only milliseconds."""
    import apprise

    from . import outbox  # noqa: F401  (registers outbox://)

    notifier = apprise.Apprise()
    if not notifier.add(url):
        return SendResult(False, f"invalid or unsupported channel URL: {redact(url)}")
    try:
        with apprise.LogCapture(level=apprise.logging.WARNING) as log:
            ok = bool(notifier.notify(title=title, body=body, body_format=apprise.NotifyFormat.TEXT))
            captured = log.getvalue()
    except Exception as e:  # a plugin bug must not lose the delivery: record it and retry later
        return SendResult(False, f"{type(e).__name__}: {e}")
    if ok:
        return SendResult(True)
    lines = [ln.split(" - ", 2)[-1].strip() for ln in captured.splitlines() if ln.strip()]
    return SendResult(False, "; ".join(lines[-3:]) or "the channel reported a failure")


def redact(url: str) -> str:
    """The URL without credentials, tokens or path, for logs and messages."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        return "***"
    host = rest.split("/", 1)[0].split("?", 1)[0].rsplit("@", 1)[-1]
    looks_like_host = "." in host or host.startswith("localhost") or host.startswith("[")
    return f"{scheme}://{host if looks_like_host else '***'}"
