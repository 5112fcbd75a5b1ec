"""Downloader middlewares, each one job, wired by dotted path in crawler/settings.py.

- ``PrivateAddressGuard``: refuse hosts that resolve to private, loopback, link-local or
  otherwise non-public addresses (SSRF through a registry entry or a planted link), unless
  ``NIANBAO_ALLOW_PRIVATE`` (or the spider's ``allow_private``) says so.
- ``ConditionalRequests``: If-None-Match / If-Modified-Since from the previous run's validators;
  a 304 is answered from the blob store, so the page is still read but not fetched again.
- ``BackoffRetry``: Scrapy's retry, but a retried request waits (exponential backoff) first.
"""
from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
from urllib.parse import urlsplit

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.responsetypes import responsetypes

from .blobstore import BlobStore

logger = logging.getLogger(__name__)


class PrivateAddressRefused(IgnoreRequest):
    """The host resolves to an address the crawler must not reach."""


def _is_public(ip: str) -> bool:
    addr = ipaddress.ip_address(ip.split("%")[0])
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped:
        addr = addr.ipv4_mapped
    return addr.is_global and not (addr.is_multicast or addr.is_reserved)


class PrivateAddressGuard:
    def __init__(self, crawler):
        self.crawler = crawler
        self.allow = crawler.settings.getbool("NIANBAO_ALLOW_PRIVATE")
        self._cache: dict[str, str | None] = {}  # host -> refusing reason or None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def _allowed(self) -> bool:
        spider = getattr(self.crawler, "spider", None)
        return self.allow or bool(getattr(spider, "allow_private", False))

    async def process_request(self, request):
        if request.url.startswith(("data:", "file:")):
            raise PrivateAddressRefused(f"scheme not allowed: {request.url[:20]}")
        if self._allowed():
            return None
        host = urlsplit(request.url).hostname or ""
        if host not in self._cache:
            self._cache[host] = await self._check(host)
        reason = self._cache[host]
        if reason:
            raise PrivateAddressRefused(reason)
        return None

    async def _check(self, host: str) -> str | None:
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
        except OSError:
            return None  # let the download fail with its own DNS error (fetch_failed)
        for info in infos:
            ip = info[4][0]
            if not _is_public(ip):
                return f"{host} resolves to non-public address {ip} (set NIANBAO_ALLOW_PRIVATE to allow)"
        return None


class ConditionalRequests:
    def __init__(self, crawler):
        self.crawler = crawler
        self.blobs = BlobStore(crawler.settings.get("NIANBAO_BLOB_DIR"))

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def _known(self, url: str) -> dict | None:
        known = getattr(self.crawler.spider, "known", None) or {}
        return known.get(url)

    def process_request(self, request):
        if request.meta.get("playwright") or request.method != "GET":
            return None  # a browser navigation must not get a 304; POST lists are not cacheable
        k = self._known(request.url)
        if not k or not k.get("sha256") or not self.blobs.has(k["sha256"]):
            return None  # nothing to answer a 304 with
        if k.get("etag"):
            request.headers.setdefault(b"If-None-Match", k["etag"].encode("latin-1", "replace"))
        if k.get("last_modified"):
            request.headers.setdefault(b"If-Modified-Since", k["last_modified"].encode("latin-1", "replace"))
        request.meta["nianbao_conditional"] = k["sha256"]
        return None

    def process_response(self, request, response):
        sha = request.meta.get("nianbao_conditional")
        if response.status != 304 or not sha:
            return response
        body = self.blobs.get(sha)
        k = self._known(request.url) or {}
        headers = response.headers.copy()
        if k.get("content_type") and b"Content-Type" not in headers:
            headers[b"Content-Type"] = k["content_type"].encode("latin-1", "replace")
        cls = responsetypes.from_args(headers=headers, url=response.url, body=body)
        request.meta["nianbao_not_modified"] = True
        return cls(url=response.url, status=200, headers=headers, body=body, request=request,
                   flags=[*response.flags, "not_modified"], protocol=response.protocol)


class BackoffRetry(RetryMiddleware):
    """Retries wait ``NIANBAO_RETRY_BACKOFF * 2**(n-1)`` seconds (capped) before going out again."""

    def __init__(self, settings):
        super().__init__(settings)
        self.base = settings.getfloat("NIANBAO_RETRY_BACKOFF", 1.0)
        self.cap = settings.getfloat("NIANBAO_RETRY_BACKOFF_MAX", 30.0)

    def _retry(self, request, reason):
        new = super()._retry(request, reason)
        if new is not None:
            n = new.meta.get("retry_times", 1)
            new.meta["nianbao_backoff"] = min(self.cap, self.base * 2 ** (n - 1))
        return new


class BackoffDelay:
    """Holds a retried request for its backoff before it reaches the downloader."""

    @classmethod
    def from_crawler(cls, crawler):
        return cls()

    async def process_request(self, request):
        delay = request.meta.pop("nianbao_backoff", 0)
        if delay:
            await asyncio.sleep(delay)
        return None


class RecordSpiderErrors:
    """Spider middleware: a page the spider could not read (a crawler bug, a pathological page) is
    recorded as an outcome with the error, instead of vanishing into the log."""

    @classmethod
    def from_crawler(cls, crawler):
        return cls()

    def process_spider_exception(self, response, exception):
        logger.error("error reading %s: %r", response.url, exception)
        meta = response.meta if response.request is not None else {}
        return [{
            "type": "outcome", "agency": meta.get("agency", ""), "outcome": "fetch_failed", "url": response.url,
            "detail": f"{meta.get('role', 'page')}: crawler error while reading the page: {type(exception).__name__}: {exception}",
            "http_status": response.status,
        }]
