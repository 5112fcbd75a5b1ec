"""Why a document could not be read. Each outcome is recorded, never raised past the CLI."""
from __future__ import annotations

# Outcomes (FINDINGS.md, Health), more specific reasons go in the message.
NOT_MACHINE_READABLE = "not_machine_readable"  # no usable text, OCR found nothing, unknown format
PARSE_FAILED = "parse_failed"  # the file is broken (truncated, encrypted, junk)
TOO_LARGE = "too_large"  # over the size or page limit
TIMEOUT = "timeout"  # over the time limit
TOOL_MISSING = "tool_missing"  # a converter (LibreOffice) is not installed


class ReadError(Exception):
    """A document that cannot be turned into text. ``outcome`` is one of the constants above."""

    def __init__(self, outcome: str, message: str):
        super().__init__(message)
        self.outcome = outcome
        self.message = message

    def __str__(self) -> str:
        return f"{self.outcome}: {self.message}"
