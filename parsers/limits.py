"""Size, page and time limits for reading one document.

Defaults come from ``NIANBAO_PARSE_*`` environment variables so operators set them in one
place (see monitor/settings.py, which documents every NIANBAO_* variable).
"""
from __future__ import annotations

import os
from dataclasses import dataclass


def _env(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        return default


@dataclass(frozen=True)
class Limits:
    max_bytes: int = int(_env("NIANBAO_PARSE_MAX_BYTES", 50 * 1024 * 1024))
    max_pages: int = int(_env("NIANBAO_PARSE_MAX_PAGES", 200))
    timeout_s: float = _env("NIANBAO_PARSE_TIMEOUT", 120.0)
    ocr_max_pages: int = int(_env("NIANBAO_PARSE_OCR_MAX_PAGES", 30))


DEFAULT_LIMITS = Limits()
