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
    redis_url: str = field(default_factory=lambda: _env("NIANBAO_REDIS_URL", "redis://127.0.0.1:6379/0"))
    # tests: PostgreSQL and Redis must be reachable (CI), instead of skipping
    require_services: bool = field(default_factory=lambda: _flag("NIANBAO_REQUIRE_SERVICES"))
    # parse limits (read by parsers/limits.py)
    parse_max_bytes: int = field(default_factory=lambda: int(_env("NIANBAO_PARSE_MAX_BYTES", str(50 * 1024 * 1024))))
    parse_max_pages: int = field(default_factory=lambda: int(_env("NIANBAO_PARSE_MAX_PAGES", "200")))
    parse_timeout: float = field(default_factory=lambda: float(_env("NIANBAO_PARSE_TIMEOUT", "120")))

    @property
    def blob_dir(self) -> Path:
        return self.data_dir / "blobs"

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'nianbao.sqlite3'}"


def get_settings() -> Settings:
    """Fresh settings from the current environment (tests change the environment)."""
    return Settings()
