"""Browser (Playwright) request filter: a rendered listing needs its scripts and XHR, not images
or fonts, and the browser must not reach private addresses the downloader would refuse (the
page's own scripts could point it there)."""
from __future__ import annotations

import asyncio
import socket
from urllib.parse import urlsplit

_HEAVY = {"image", "media", "font"}
ALLOW_PRIVATE = False  # set by the spider from NIANBAO_ALLOW_PRIVATE / CrawlSpec.allow_private
_verdicts: dict[str, bool] = {}


async def _private(host: str) -> bool:
    from .middlewares import _is_public

    if host not in _verdicts:
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
            _verdicts[host] = any(not _is_public(i[4][0]) for i in infos)
        except OSError:
            _verdicts[host] = False  # unresolvable: the request fails by itself
    return _verdicts[host]


async def abort_request(request) -> bool:
    """PLAYWRIGHT_ABORT_REQUEST: True means the browser does not make this request."""
    if request.resource_type in _HEAVY:
        return True
    parts = urlsplit(request.url)
    if parts.scheme in ("data", "blob", "about"):
        return False
    if parts.scheme not in ("http", "https"):
        return True
    return not ALLOW_PRIVATE and await _private(parts.hostname or "")
