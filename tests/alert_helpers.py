"""Real receivers for alert tests: an SMTP server (aiosmtpd) and a webhook server (http.server),
both on 127.0.0.1 at a free port, each able to go down and come back on the same port so retries
can be tested. They record what arrived; they never reach the network."""
from __future__ import annotations

import email
import email.policy
import json
import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Mail:
    sender: str
    recipients: list[str]
    subject: str
    body: str


class _Handler:
    def __init__(self, box: list[Mail], lock: threading.Lock) -> None:
        self.box, self.lock = box, lock

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        msg = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        part = msg.get_body(preferencelist=("plain", "html"))
        body = part.get_content() if part is not None else ""
        with self.lock:
            self.box.append(Mail(envelope.mail_from, list(envelope.rcpt_tos), str(msg["Subject"] or ""), body))
        return "250 OK"


class SmtpReceiver:
    """``with SmtpReceiver() as smtp: ... smtp.messages``; ``stop()`` / ``start()`` keep the port."""

    def __init__(self) -> None:
        self.port = free_port()
        self.messages: list[Mail] = []
        self._lock = threading.Lock()
        self._controller = None

    def start(self) -> "SmtpReceiver":
        from aiosmtpd.controller import Controller

        self._controller = Controller(_Handler(self.messages, self._lock), hostname="127.0.0.1", port=self.port,
                                      ready_timeout=5)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def url(self, sender: str = "nianbao@example.org") -> str:
        return f"mailto://127.0.0.1:{self.port}?from={sender}"

    def __enter__(self) -> "SmtpReceiver":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


@dataclass
class Hook:
    path: str
    body: dict = field(default_factory=dict)


class WebhookReceiver:
    """Records JSON POSTs; ``status`` is what it answers (set 500 to play a broken endpoint)."""

    def __init__(self) -> None:
        self.port = free_port()
        self.requests: list[Hook] = []
        self.status = 200
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> "WebhookReceiver":
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(min(length, 10 * 1024 * 1024))
                try:
                    body = json.loads(raw.decode("utf-8")) if raw else {}
                except ValueError:
                    body = {"_raw": raw.decode("utf-8", "replace")}
                if receiver.status < 400:
                    receiver.requests.append(Hook(self.path, body))
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):  # keep test output clean
                pass

        ThreadingHTTPServer.allow_reuse_address = True
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.timeout = 1
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=5)
            self._server = self._thread = None

    def url(self, path: str = "/hook") -> str:
        return f"json://127.0.0.1:{self.port}{path}"

    def __enter__(self) -> "WebhookReceiver":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
