"""Helpers for the crawler and sample-portal tests: fast crawl settings, a prerendered portal,
a tiny static HTTP server for unseen portal shapes, and a saved-page response (City Scrapers'
``file_response``)."""
from __future__ import annotations

import contextlib
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures" / "crawler"

# politeness kept (robots, 2 per domain, AutoThrottle on) but with test-sized delays
FAST = {
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_START_DELAY": 0.01,
    "AUTOTHROTTLE_MAX_DELAY": 0.2,
    "NIANBAO_RETRY_BACKOFF": 0.05,
    "DOWNLOAD_TIMEOUT": 60,
    "LOG_LEVEL": "WARNING",
}


def crawl_portal(portal, data_dir, agencies=None, known=None, use_playwright=False, allow_private=True,
                 year=None, settings=None, timeout=240):
    from crawler.result import CrawlSpec
    from crawler.run import crawl

    agencies = agencies if agencies is not None else portal.registry()
    spec = CrawlSpec(
        agencies=[a.to_dict() if hasattr(a, "to_dict") else a for a in agencies],
        year=year or portal.year, data_dir=str(data_dir), known=known or {}, allow_private=allow_private,
        use_playwright=use_playwright, settings={**FAST, **(settings or {})}, timeout=timeout,
    )
    return crawl(spec)


def file_response(name: str, url: str, headers: dict | None = None, meta: dict | None = None):
    """A Scrapy response from a saved page in tests/fixtures/crawler/."""
    from scrapy.http import Request
    from scrapy.responsetypes import responsetypes

    body = (FIXTURES / name).read_bytes()
    cls = responsetypes.from_args(headers=headers, url=url, body=body)
    return cls(url=url, body=body, headers=headers or {}, request=Request(url, meta=meta or {}))


@contextlib.contextmanager
def static_server(pages: dict[str, tuple], lifetime: float = 120.0):
    """Serve ``{path(+query): (status, headers, body[, delay])}`` on 127.0.0.1; stops on exit or
    after ``lifetime``. Yields the base URL and the list of requested paths."""
    log: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def do_GET(self):
            log.append(self.path)
            entry = pages.get(self.path, (404, {"Content-Type": "text/html"}, b"not found"))
            status, headers, body = entry[:3]
            if len(entry) > 3:
                time.sleep(entry[3])  # (status, headers, body, delay): a slow page
            self.send_response(status)
            for k, v in headers.items():
                if isinstance(v, bytes):
                    self._headers_buffer.append(k.encode() + b": " + v + b"\r\n")
                else:
                    self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    timer = threading.Timer(lifetime, server.shutdown)
    timer.daemon = True
    timer.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", log
    finally:
        timer.cancel()
        server.shutdown()
        server.server_close()


_PRERENDERED = set()


def prerendered_portal(**kw):
    """A started SamplePortal whose report files are rendered (cached on disk after the first run)."""
    from crawler.sample_portal.server import SamplePortal

    portal = SamplePortal(**kw)
    key = str(portal.site.cache.dir)
    if key not in _PRERENDERED:
        portal.prerender()
        _PRERENDERED.add(key)
    return portal.start()
