"""The sample portal: a local HTTP server that imitates real government portals (see sites.py).

``with SamplePortal() as portal:`` serves on 127.0.0.1 (port 0: a free port) in a thread and
stops on exit, or by itself after ``max_lifetime`` seconds. ``portal.registry()`` gives the
agencies pointing at it, ``portal.manifest(year)`` the answer key, ``portal.set_phase(2)`` makes
the changing report change. Responses carry ETag / Last-Modified and honour If-None-Match /
If-Modified-Since, like the CMS front-ends do.
"""
from __future__ import annotations

import copy
import email.utils
import hashlib
import logging
import threading
import time
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from ..registry import Agency
from . import sites
from .documents import DocumentCache

logger = logging.getLogger(__name__)
DEFAULT_YEAR = 2024


def default_cache_dir() -> Path:
    from monitor.settings import get_settings

    return get_settings().portal_cache_dir


def _http_date(iso_day: str) -> str:
    dt = datetime.fromisoformat(iso_day).replace(hour=9, tzinfo=timezone.utc)
    return email.utils.format_datetime(dt, usegmt=True)


class _Handler(BaseHTTPRequestHandler):
    server_version = "nginx"
    sys_version = ""
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # quiet; the portal keeps its own request log
        pass

    def do_GET(self):
        self._serve("GET")

    def do_HEAD(self):
        self._serve("HEAD")

    def do_POST(self):
        self._serve("POST")

    def _serve(self, method: str):
        portal: SamplePortal = self.server.portal  # type: ignore[attr-defined]
        parts = urlsplit(self.path)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        if method == "POST":
            length = min(int(self.headers.get("Content-Length") or 0), 1 << 20)
            query.update(parse_qsl(self.rfile.read(length).decode("utf-8", "replace")))
        portal._log(method, self.path, self.headers)
        res = portal.site.resources.get(self.path) or portal.site.resources.get(parts.path)
        if res is not None and not res.dynamic and res.path != self.path and parts.query and self.path not in portal.site.resources:
            res = None  # an exact resource does not answer for other queries
        if res is None or method not in res.methods:
            return self._send(404, b"<html><head><title>404</title></head><body><h1>404 Not Found</h1>"
                                   b"<p>\xe6\x82\xa8\xe8\xae\xbf\xe9\x97\xae\xe7\x9a\x84\xe9\xa1\xb5\xe9\x9d\xa2\xe4\xb8\x8d\xe5\xad\x98\xe5\x9c\xa8</p></body></html>",
                              {"Content-Type": "text/html; charset=utf-8"}, method)
        if res.delay:
            time.sleep(res.delay)
        if res.redirect:
            return self._send(res.status, b"", {"Location": res.redirect, "Content-Type": "text/html"}, method)
        try:
            body = res.body(portal.phase, query)
        except Exception as e:  # a render failure is a 500, as on a real portal
            logger.exception("sample portal could not render %s", self.path)
            return self._send(500, f"render failed: {e}".encode("utf-8", "replace"), {"Content-Type": "text/plain"}, method)
        headers = {"Content-Type": res.content_type}
        for k, v in res.headers.items():
            headers[k] = v
        if res.status == 200:
            etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
            headers["ETag"] = etag
            lm = res.last_modified_phase2 if portal.phase >= 2 and res.last_modified_phase2 else res.last_modified
            if lm:
                headers["Last-Modified"] = _http_date(lm)
            inm = self.headers.get("If-None-Match")
            ims = self.headers.get("If-Modified-Since")
            if inm is not None:
                if etag in [t.strip() for t in inm.split(",")]:
                    return self._send(304, b"", {"ETag": etag, **({"Last-Modified": headers["Last-Modified"]} if lm else {})}, method)
            elif ims and lm and ims == headers["Last-Modified"]:
                return self._send(304, b"", {"Last-Modified": headers["Last-Modified"]}, method)
        self._send(res.status, body, headers, method)

    def _send(self, status: int, body: bytes, headers: dict, method: str):
        self.send_response(status)
        for k, v in headers.items():
            if isinstance(v, bytes):  # raw (GBK) header bytes, as some portals send them
                self._headers_buffer.append(k.encode("latin-1") + b": " + v + b"\r\n")
            else:
                self.send_header(k, v)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if method != "HEAD" and status != 304:
            self.wfile.write(body)


class SamplePortal:
    def __init__(self, port: int = 0, year: int = DEFAULT_YEAR, cache_dir: str | Path | None = None,
                 max_lifetime: float | None = 3600.0, host: str = "127.0.0.1"):
        if host not in ("127.0.0.1", "localhost"):
            raise ValueError("the sample portal binds 127.0.0.1 only")
        self.year = year
        self.phase = 1
        self.site = sites.build(year)
        self.site.cache = DocumentCache(cache_dir or default_cache_dir())
        self._port = port
        self._host = "127.0.0.1"
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._timer: threading.Timer | None = None
        self._port_bound: int | None = None
        self.max_lifetime = max_lifetime
        self.requests: list[tuple[str, str, dict]] = []  # (method, path, selected headers)
        self._lock = threading.Lock()

    # -- lifecycle ----------------------------------------------------------------------------
    def start(self) -> "SamplePortal":
        self._server = ThreadingHTTPServer((self._host, self._port), _Handler)
        self._server.daemon_threads = True
        self._server.portal = self  # type: ignore[attr-defined]
        self._port_bound = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.2},
                                        name="sample-portal", daemon=True)
        self._thread.start()
        if self.max_lifetime:
            self._timer = threading.Timer(self.max_lifetime, self.stop)
            self._timer.daemon = True
            self._timer.start()
        return self

    def stop(self) -> None:
        """Idempotent: the lifetime timer and the caller may both stop it."""
        if self._timer and self._timer is not threading.current_thread():
            self._timer.cancel()
        with self._lock:
            server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()

    def __enter__(self) -> "SamplePortal":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._port_bound, "portal not started"
        return self._port_bound

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return path if path.startswith("http") else self.base_url + path

    # -- state ---------------------------------------------------------------------------------
    def set_phase(self, n: int) -> None:
        """Phase 2: the changing report (see the manifest's ``changes_in_phase``) is edited."""
        self.phase = int(n)

    def _log(self, method: str, path: str, headers) -> None:
        with self._lock:
            self.requests.append((method, path, {k: headers.get(k) for k in ("User-Agent", "If-None-Match", "If-Modified-Since") if headers.get(k)}))

    def reset_log(self) -> None:
        with self._lock:
            self.requests.clear()

    def prerender(self) -> None:
        """Render every file once (fills the on-disk cache; later runs serve from it)."""
        for phase in (1, 2):
            for res in self.site.resources.values():
                if not res.dynamic and res.content_type.startswith("application/") and "json" not in res.content_type:
                    res.body(phase, {})

    # -- what the crawler and the tests read -------------------------------------------------------
    def years(self) -> list[int]:
        """Report years the portal publishes (the current one and the older ones it still lists)."""
        older = {y for m in self.site.manifest.values() for y in m["older"]}
        return sorted(older | {self.year})

    def registry(self) -> list[Agency]:
        out = []
        for a in self.site.agencies:
            d = copy.deepcopy(a)
            d["portal"] = self.base_url + "/"
            d["columns"] = [self.url(c) for c in d["columns"]]
            if d["hints"].get("json_api"):
                d["hints"]["json_api"] = self.url(d["hints"]["json_api"])
            out.append(Agency.from_dict(d))
        return out

    def manifest(self, year: int | None = None) -> dict:
        """The answer key for ``year`` (default: the portal's year): per agency its reports (page and
        attachment URLs), planted faults with the outcome each should produce, planted compliance
        problems."""
        year = year or self.year
        out = {"year": year, "base_url": self.base_url, "agencies": {}}
        for aid, m in self.site.manifest.items():
            if year == self.year:
                reports = m["reports"]
            else:
                reports = [dict(r, direct=False, title="") for r in m["older"].get(year, [])]
            out["agencies"][aid] = {
                "name": m["name"],
                "kind": m["kind"],
                "cms": m["cms"],
                "columns": [self.url(c) for c in m["columns"]],
                "reports": [
                    {**r, "page_url": self.url(r["page_url"]), "attachments": [self.url(a) for a in r["attachments"]],
                     **({"unreachable_attachments": [self.url(a) for a in r["unreachable_attachments"]]}
                        if r.get("unreachable_attachments") else {})}
                    for r in reports
                ],
                "faults": [{**f, "url": self.url(f["url"])} for f in m["faults"]] if year == self.year else [],
                "expected_outcomes": [{**o, "url": self.url(o["url"])} for o in m["expected_outcomes"]] if year == self.year else [],
                "compliance": m["compliance"] if year == self.year else [],
                # reports of other bodies listed in this agency's column (not its own report)
                "other_reports": [self.url(u) for u in m["other_reports"]] if year == self.year else [],
            }
        return out


def serve(port: int = 0, duration: float | None = None, year: int = DEFAULT_YEAR, phase: int = 1,
          cache_dir: str | None = None, on_ready=None) -> None:
    """Serve until ``duration`` seconds pass (or forever when None) — the ``nianbao portal serve`` body."""
    portal = SamplePortal(port=port, year=year, cache_dir=cache_dir, max_lifetime=duration)
    portal.set_phase(phase)
    with portal:
        if on_ready:
            on_ready(portal)
        deadline = None if duration is None else time.monotonic() + duration
        try:
            while portal._server is not None and (deadline is None or time.monotonic() < deadline):
                time.sleep(0.2)
        except KeyboardInterrupt:
            pass
