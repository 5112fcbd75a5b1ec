"""Crawl throughput and memory: a generated portal of 300 agencies, 50 ms latency per response,
crawled under the politeness settings of crawler/settings.py (robots.txt, AutoThrottle, at most 2
requests per site, DOWNLOAD_DELAY per site).

All agencies are served by one 127.0.0.1 server; ``AgencySlots`` gives each agency its own
download slot, so the crawl behaves as it would against 300 separate portals (with one shared
host the per-site delay alone would bound it to 1/DOWNLOAD_DELAY pages per second).
Printed: pages/s against the bound the settings allow, and the crawl process's peak memory.
"""
from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PDF = b"%PDF-1.4\n" + b"0" * 30_000 + b"\n%%EOF\n"


class AgencySlots:
    """Downloader middleware: one politeness slot per agency (each stands for its own portal)."""

    @classmethod
    def from_crawler(cls, crawler):
        return cls()

    def process_request(self, request):
        request.meta.setdefault("download_slot", request.meta.get("agency") or "robots")
        return None


def _page(title: str, body: str) -> bytes:
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>'
            f'<meta name="PubDate" content="2025-02-10 09:00"/></head><body>'
            f'<div class="nav"><a href="/">首页</a></div>{body}</body></html>').encode("utf-8")


def make_pages(n: int) -> dict[str, bytes]:
    pages = {"/robots.txt": b"User-agent: *\nDisallow: /private/\n"}
    for i in range(n):
        p = f"/a{i}/nb"
        items = "".join(f'<li><a href="{p}/202503/t2025030{k}_{i}{k}.html">关于第{k}项工作的通知</a><span>2025-03-0{k}</span></li>'
                        for k in range(1, 7))
        items += f'<li><a href="{p}/202502/t20250210_{i}.html" title="第{i}机关2024年政府信息公开工作年度报告">第{i}机关2024年政府信息公开…</a><span>2025-02-10</span></li>'
        items += f'<li><a href="{p}/202402/t20240210_{i}.html">第{i}机关2023年政府信息公开工作年度报告</a><span>2024-02-10</span></li>'
        pages[f"{p}/index.html"] = _page("政府信息公开年报", f"<ul>{items}</ul>")
        pages[f"{p}/202502/t20250210_{i}.html"] = _page(
            f"第{i}机关2024年政府信息公开工作年度报告",
            "<div>发布日期：2025-02-10</div>" + "<p>一、总体情况……</p>" * 200 + f'<a href="{p}/P0{i}.pdf">附件.pdf</a>')
        pages[f"{p}/P0{i}.pdf"] = PDF
    return pages


def serve(pages: dict[str, bytes], latency: float, lifetime: float):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a):
            pass

        def do_GET(self):
            time.sleep(latency)
            body = pages.get(self.path)
            status = 200 if body is not None else 404
            body = body if body is not None else b"not found"
            ctype = "application/pdf" if self.path.endswith(".pdf") else "text/plain" if self.path.endswith(".txt") else "text/html; charset=utf-8"
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.request_queue_size = 128
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True).start()
    timer = threading.Timer(lifetime, server.shutdown)
    timer.daemon = True
    timer.start()
    return server, timer


def run(agencies: int = 300, latency: float = 0.05, delay: float | None = None, timeout: float = 900) -> dict:
    import crawler.settings as cs
    from crawler.registry import Agency, Hints
    from crawler.result import CrawlSpec
    from crawler.run import crawl

    delay = cs.DOWNLOAD_DELAY if delay is None else delay
    pages = make_pages(agencies)
    server, timer = serve(pages, latency, lifetime=timeout + 60)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        regs = [Agency(id=f"a{i}", name=f"第{i}机关", columns=[f"{base}/a{i}/nb/index.html"], hints=Hints())
                for i in range(agencies)]
        middlewares = dict(cs.DOWNLOADER_MIDDLEWARES)
        middlewares["bench.bench_crawl.AgencySlots"] = 45
        settings = {"DOWNLOAD_DELAY": delay, "AUTOTHROTTLE_START_DELAY": max(delay, 0.05), "LOG_LEVEL": "WARNING",
                    "DOWNLOADER_MIDDLEWARES": middlewares}
        with tempfile.TemporaryDirectory() as tmp:
            spec = CrawlSpec(agencies=[a.to_dict() for a in regs], year=2024, data_dir=tmp, allow_private=True,
                             use_playwright=False, settings=settings, timeout=timeout)
            t0 = time.perf_counter()
            result = crawl(spec)
            seconds = time.perf_counter() - t0
    finally:
        timer.cancel()
        server.shutdown()
        server.server_close()
    if not result.ok:
        raise RuntimeError(result.error)
    docs = result.all_documents()
    found = sum(1 for a in result.agencies.values() if a.reports and a.reports[0].attachments[0].sha256)
    # the bound: CONCURRENT_REQUESTS in flight at `latency` each, and per site at most one request per
    # DOWNLOAD_DELAY (2 in flight per site when there is no delay)
    per_site = (1 / delay) if delay > 0 else cs.CONCURRENT_REQUESTS_PER_DOMAIN / latency
    bound = min(cs.CONCURRENT_REQUESTS / latency, agencies * per_site)
    # in Scrapy a request waiting out its site's delay holds a global slot: the practical bound
    occupancy_bound = min(bound, cs.CONCURRENT_REQUESTS / (delay + latency))
    # each agency is a chain of 3 dependent fetches (listing → page → attachment), a delay apart
    chain = 3 * max(delay, latency)
    peak_child_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    pps = len(docs) / seconds
    return {
        "agencies": agencies,
        "latency_s": latency,
        "download_delay_s": delay,
        "pages_fetched": len(docs),
        "reports_found": f"{found}/{agencies}",
        "seconds": round(seconds, 2),
        "pages_per_s": round(pps, 1),
        "bound_pages_per_s": round(bound, 1),
        "fraction_of_bound": round(pps / bound, 2),
        "bound_with_delay_occupancy_pages_per_s": round(occupancy_bound, 1),
        "fraction_of_occupancy_bound": round(pps / occupancy_bound, 2),
        "min_seconds_by_dependency_chain": round(chain, 2),
        "peak_rss_crawl_process_mb": round(peak_child_mb, 1),
        "peak_rss_bench_process_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "note": "includes ~2-3 s of subprocess and Scrapy start-up",
    }


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--agencies", type=int, default=300)
    ap.add_argument("--latency", type=float, default=0.05)
    ap.add_argument("--delay", type=float, help="DOWNLOAD_DELAY per site (default: crawler/settings.py)")
    args = ap.parse_args(argv or [])  # bench/run.py calls main() with its own argv
    for k, v in run(args.agencies, args.latency, args.delay).items():
        print(f"  {k}: {v}")


if __name__ == "__main__":
    main(sys.argv[1:])
