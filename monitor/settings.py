"""Every nianbao setting in one place, with its default. Override any of them with the
environment variable named beside it (``NIANBAO_*``).

Scrapy's own knobs live in crawler/settings.py (politeness, concurrency); parse limits are read
by parsers/limits.py from the NIANBAO_PARSE_* variables listed here for reference.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _env(name: str, default: str) -> str:
    return os.environ.get(name, default)


def _flag(name: str, default: bool = False) -> bool:
    v = os.environ.get(name)
    if v is None:
        return default
    return v.strip().lower() in ("1", "true", "yes", "on")


@dataclass(frozen=True)
class Settings:
    # where fetched files (content-addressed), the SQLite database and the outbox live
    data_dir: Path = field(default_factory=lambda: Path(_env("NIANBAO_DATA_DIR", str(PROJECT_ROOT / "data"))))
    # SQLAlchemy URL; default: SQLite file in data_dir. PostgreSQL: postgresql+psycopg://user@host/db
    database_url: str = field(default_factory=lambda: _env("NIANBAO_DATABASE_URL", ""))
    timezone: str = field(default_factory=lambda: _env("NIANBAO_TIMEZONE", "Asia/Shanghai"))
    # the agency registry (YAML or CSV) the scheduled campaign crawls
    registry: str = field(default_factory=lambda: _env("NIANBAO_REGISTRY", str(PROJECT_ROOT / "crawler" / "agencies.yaml")))
    # deadline policy: "statute" (Jan 31 / Mar 31) or "milestones" (30号 county Feb 20, city Mar 10)
    deadline_policy: str = field(default_factory=lambda: _env("NIANBAO_DEADLINE_POLICY", "statute"))
    # days after the last deadline that the daily January campaign keeps running
    campaign_grace_days: int = field(default_factory=lambda: int(_env("NIANBAO_CAMPAIGN_GRACE_DAYS", "14")))
    # hour (local time) of the daily crawl
    campaign_hour: int = field(default_factory=lambda: int(_env("NIANBAO_CAMPAIGN_HOUR", "6")))
    # allow crawling private / loopback addresses (the sample portal); never on in production
    allow_private: bool = field(default_factory=lambda: _flag("NIANBAO_ALLOW_PRIVATE"))
    # alert routing file (YAML): channels (apprise URLs) and who gets what
    alerts_config: str = field(default_factory=lambda: _env("NIANBAO_ALERTS", ""))
    # alert delivery: attempts before a delivery is given up as failed, and the exponential backoff
    # between them (base * 2**(attempt-1) seconds, capped); `nianbao alerts send --retry-failed` re-queues
    alerts_max_attempts: int = field(default_factory=lambda: int(_env("NIANBAO_ALERTS_MAX_ATTEMPTS", "12")))
    alerts_backoff_seconds: float = field(default_factory=lambda: float(_env("NIANBAO_ALERTS_BACKOFF_SECONDS", "60")))
    alerts_backoff_max_seconds: float = field(default_factory=lambda: float(_env("NIANBAO_ALERTS_BACKOFF_MAX_SECONDS", str(6 * 3600))))
    # scheduler: hour (local) of the daily digest, minutes between alert retry sweeps, weekday of the
    # re-crawls outside the campaign (mon..sun), and how late a missed run may still be caught up (once)
    digest_hour: int = field(default_factory=lambda: int(_env("NIANBAO_DIGEST_HOUR", "9")))
    alerts_retry_minutes: int = field(default_factory=lambda: int(_env("NIANBAO_ALERTS_RETRY_MINUTES", "15")))
    recrawl_weekday: str = field(default_factory=lambda: _env("NIANBAO_RECRAWL_WEEKDAY", "mon"))
    misfire_grace_seconds: int = field(default_factory=lambda: int(_env("NIANBAO_MISFIRE_GRACE_SECONDS", str(20 * 3600))))
    redis_url: str = field(default_factory=lambda: _env("NIANBAO_REDIS_URL", "redis://127.0.0.1:6379/0"))
    # tests: PostgreSQL and Redis must be reachable (CI), instead of skipping
    require_services: bool = field(default_factory=lambda: _flag("NIANBAO_REQUIRE_SERVICES"))
    # crawler (crawler/settings.py reads these; politeness knobs themselves live there)
    crawl_contact: str = field(default_factory=lambda: _env("NIANBAO_CRAWL_CONTACT", "nianbao-ops@example.org"))
    crawl_delay: float = field(default_factory=lambda: float(_env("NIANBAO_CRAWL_DELAY", "1.0")))
    crawl_download_timeout: int = field(default_factory=lambda: int(_env("NIANBAO_CRAWL_DOWNLOAD_TIMEOUT", "60")))
    crawl_max_bytes: int = field(default_factory=lambda: int(_env("NIANBAO_CRAWL_MAX_BYTES", str(100 * 1024 * 1024))))
    crawl_max_list_pages: int = field(default_factory=lambda: int(_env("NIANBAO_CRAWL_MAX_LIST_PAGES", "30")))
    crawl_timeout: float = field(default_factory=lambda: float(_env("NIANBAO_CRAWL_TIMEOUT", "1800")))
    crawl_log_level: str = field(default_factory=lambda: _env("NIANBAO_CRAWL_LOG_LEVEL", "INFO"))
    # render JS-flagged columns with Playwright (Debian Chromium at chromium_path)
    crawl_playwright: bool = field(default_factory=lambda: _flag("NIANBAO_CRAWL_PLAYWRIGHT", True))
    chromium_path: str = field(default_factory=lambda: _env("NIANBAO_CHROMIUM", "/usr/bin/chromium"))
    # the sample portal's rendered documents (LibreOffice/Chromium output), cached by content hash
    portal_cache_dir: Path = field(default_factory=lambda: Path(_env("NIANBAO_PORTAL_CACHE", str(PROJECT_ROOT / "var" / "portal_cache"))))
    # the report renderer (crawler/sample_portal/render.py): LibreOffice binary and the time limit of
    # one LibreOffice/Chromium conversion, in seconds
    soffice_path: str = field(default_factory=lambda: _env("NIANBAO_SOFFICE", "soffice"))
    render_timeout: float = field(default_factory=lambda: float(_env("NIANBAO_RENDER_TIMEOUT", "180")))
    # the pipeline's cache of parsed documents (by sha256, agency kind and parser version), so a
    # re-crawl of unchanged files never parses (or OCRs) them again; default: data_dir/parsed
    parse_cache: str = field(default_factory=lambda: _env("NIANBAO_PARSE_CACHE", ""))
    # parse limits (read by parsers/limits.py)
    parse_max_bytes: int = field(default_factory=lambda: int(_env("NIANBAO_PARSE_MAX_BYTES", str(50 * 1024 * 1024))))
    parse_max_pages: int = field(default_factory=lambda: int(_env("NIANBAO_PARSE_MAX_PAGES", "200")))
    parse_timeout: float = field(default_factory=lambda: float(_env("NIANBAO_PARSE_TIMEOUT", "120")))
    # scanned pages OCR'd per document (more are skipped and noted), and the highest resolution
    # (dpi) scans are rendered at for OCR (parsers/readers/ocr.py); .doc/.wps/.xls/.rtf are
    # converted by the LibreOffice binary NIANBAO_SOFFICE above (parsers/readers/office.py)
    parse_ocr_max_pages: int = field(default_factory=lambda: int(_env("NIANBAO_PARSE_OCR_MAX_PAGES", "30")))
    ocr_dpi: float = field(default_factory=lambda: float(_env("NIANBAO_OCR_DPI", "200")))

    # compliance rules: 总体情况 length in Chinese characters above which S-LENGTH notes it (the notice:
    # "原则上不超过一千字"; "about", so some slack),
    # and the similarity (0..1) of section 五 to last year's from which X-SIMILAR calls it a repeat
    rules_overview_max_chars: int = field(default_factory=lambda: int(_env("NIANBAO_RULES_OVERVIEW_MAX_CHARS", "1200")))
    rules_similar_ratio: float = field(default_factory=lambda: float(_env("NIANBAO_RULES_SIMILAR_RATIO", "0.9")))

    @property
    def blob_dir(self) -> Path:
        return self.data_dir / "blobs"

    @property
    def parse_cache_dir(self) -> Path:
        return Path(self.parse_cache) if self.parse_cache else self.data_dir / "parsed"

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'nianbao.sqlite3'}"


def get_settings() -> Settings:
    """Fresh settings from the current environment (tests change the environment)."""
    return Settings()
