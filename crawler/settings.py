"""Scrapy settings for nianbao's crawler: every crawl behaviour is changed here, never in the spider.

Politeness: robots.txt obeyed, AutoThrottle, at most 2 concurrent requests per domain, an
identifying User-Agent, retries with backoff, download size and time limits. nianbao's own knobs
(``NIANBAO_*``) come from monitor/settings.py, i.e. from the environment.
"""
from __future__ import annotations

from monitor.settings import get_settings

_s = get_settings()

BOT_NAME = "nianbao"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

USER_AGENT = f"nianbao/0.1 (+政府信息公开年报监测; contact {_s.crawl_contact})"
ROBOTSTXT_OBEY = True

# politeness: per site at most 2 in flight and one request per DOWNLOAD_DELAY (AutoThrottle may
# slow further). Globally many sites at once: a request waiting out its site's delay still holds
# one of CONCURRENT_REQUESTS, so a broad crawl needs a high global cap (Scrapy "broad crawls").
CONCURRENT_REQUESTS = 64
CONCURRENT_REQUESTS_PER_DOMAIN = 2
SCHEDULER_PRIORITY_QUEUE = "scrapy.pqueues.DownloaderAwarePriorityQueue"
REACTOR_THREADPOOL_MAXSIZE = 20
DOWNLOAD_DELAY = _s.crawl_delay
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = max(_s.crawl_delay, 1.0)
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408]  # 429 is a block: recorded, not retried
NIANBAO_RETRY_BACKOFF = 2.0
NIANBAO_RETRY_BACKOFF_MAX = 60.0

# limits per download
DOWNLOAD_TIMEOUT = _s.crawl_download_timeout
DOWNLOAD_MAXSIZE = _s.crawl_max_bytes
DOWNLOAD_WARNSIZE = 20 * 1024 * 1024
REDIRECT_MAX_TIMES = 10
NIANBAO_MAX_LIST_PAGES = _s.crawl_max_list_pages

# no remote access into a running crawl
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
COOKIES_ENABLED = True
HTTPERROR_ALLOWED_CODES: list[int] = []
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = _s.crawl_log_level

DOWNLOADER_MIDDLEWARES = {
    "crawler.middlewares.BackoffDelay": 40,
    "crawler.middlewares.PrivateAddressGuard": 50,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.BackoffRetry": 550,
    "crawler.middlewares.ConditionalRequests": 580,
}
SPIDER_MIDDLEWARES = {
    "crawler.middlewares.RecordSpiderErrors": 45,
}
ITEM_PIPELINES = {
    "crawler.pipelines.StoreBlobs": 100,
    "crawler.pipelines.AssembleResult": 900,
}

# where bytes, results and standalone state go
NIANBAO_DATA_DIR = str(_s.data_dir)
NIANBAO_BLOB_DIR = str(_s.blob_dir)
NIANBAO_STATE_FILE = str(_s.data_dir / "crawl_state.json")
NIANBAO_RESULT_PATH = None  # None: data_dir/crawls/crawl-YEAR-STAMP.json
NIANBAO_REGISTRY = _s.registry
NIANBAO_ALLOW_PRIVATE = _s.allow_private
NIANBAO_USE_PLAYWRIGHT = _s.crawl_playwright

# JavaScript: only requests flagged js go through the browser; everything else (attachments
# always) through Scrapy's own HTTP handler
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
if _s.crawl_playwright:
    DOWNLOAD_HANDLERS = {
        "http": "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler",
        "https": "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler",
    }
PLAYWRIGHT_BROWSER_TYPE = "chromium"
PLAYWRIGHT_LAUNCH_OPTIONS = {
    "executable_path": _s.chromium_path,
    "headless": True,
    "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
}
PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT = _s.crawl_download_timeout * 1000
PLAYWRIGHT_MAX_PAGES_PER_CONTEXT = 2
PLAYWRIGHT_ABORT_REQUEST = "crawler.browser.abort_request"
