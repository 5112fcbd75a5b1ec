"""Report metadata (stub: replaced by the real extractor)."""
from .model import Report


def extract_metadata(report: Report, kind_override: str | None = None) -> None:
    report.agency_kind = kind_override
