"""A finding: one thing wrong, with the evidence a reader needs to verify it without us.

Staff act on these, so the Chinese ``message`` says what is wrong and where; ``cells`` and
``quote`` let anyone check it against the source file named in ``source``; ``fingerprint``
lets the monitor alert once and re-alert only when the evidence changes.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from parsers import template as T

ERROR, WARNING, INFO = "error", "warning", "info"
COMPLIANCE, HEALTH = "compliance", "health"

# FINDINGS.md: rule code → (severity, audience). Rules never choose these themselves.
RULE_META: dict[str, tuple[str, str]] = {
    "missing_report": (ERROR, COMPLIANCE),
    "late_publication": (ERROR, COMPLIANCE),
    "missing_section": (ERROR, COMPLIANCE),
    "missing_table": (ERROR, COMPLIANCE),
    "blank_cells": (WARNING, COMPLIANCE),
    "table_arithmetic": (ERROR, COMPLIANCE),
    "regulation_power": (WARNING, COMPLIANCE),
    "cross_year_carryover": (ERROR, COMPLIANCE),
    "cross_year_in_force": (WARNING, COMPLIANCE),
    "narrative_vs_table": (WARNING, COMPLIANCE),
    "missing_required_content": (WARNING, COMPLIANCE),
    "outdated_format": (WARNING, COMPLIANCE),
    "wrong_year": (WARNING, COMPLIANCE),
    "boilerplate_repeat": (INFO, COMPLIANCE),
    "section_too_long": (INFO, COMPLIANCE),  # S-LENGTH: FINDINGS.md names no code for it
    "modified_after_publication": (WARNING, COMPLIANCE),
    "backdated": (WARNING, COMPLIANCE),
    # health
    "parse_uncertain": (WARNING, HEALTH),
    "parse_failed": (ERROR, HEALTH),
    "not_machine_readable": (ERROR, HEALTH),
    "check_failed": (ERROR, HEALTH),  # a rule raised: our bug, its result is unknown
}

PREVIOUS = "previous."  # prefix of a cell path that points into last year's report


def label_of(path: str) -> str:
    if path.startswith(PREVIOUS):
        return "上年报告 " + T.cell_label(path[len(PREVIOUS) :])
    return T.cell_label(path)


def cell_ref(path: str, value: Any) -> dict[str, Any]:
    return {"cell": path, "label": label_of(path), "value": value}


@dataclass
class Finding:
    rule: str
    check_id: str
    message: str  # Chinese, for staff
    detail: str  # English, for operators and logs
    cells: list[dict[str, Any]] = field(default_factory=list)
    expected: Any = None
    actual: Any = None
    quote: dict[str, Any] | None = None  # {text, section, start, end}
    source: dict[str, Any] = field(default_factory=dict)  # {url, sha256, name}
    evidence: dict[str, Any] = field(default_factory=dict)  # anything else that proves it (dates ...)
    severity: str = ""
    audience: str = ""

    def __post_init__(self) -> None:
        sev, aud = RULE_META.get(self.rule, (WARNING, COMPLIANCE))
        self.severity = self.severity or sev
        self.audience = self.audience or aud

    @property
    def cell_paths(self) -> list[str]:
        return [c["cell"] for c in self.cells]

    @property
    def fingerprint(self) -> str:
        basis = {
            "rule": self.rule,
            "check_id": self.check_id,
            "cells": [[c["cell"], c.get("value")] for c in self.cells],
            "quote": (self.quote or {}).get("text"),
            "expected": self.expected,
            "actual": self.actual,
            "subject": [self.evidence.get("agency"), self.evidence.get("year")],  # findings about no report
        }
        raw = json.dumps(basis, ensure_ascii=False, sort_keys=True, default=str)
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:20]

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "detail": self.detail,
            "check_id": self.check_id,
            "audience": self.audience,
            "message": self.message,
            "cells": self.cells,
            "expected": self.expected,
            "actual": self.actual,
            "quote": self.quote,
            "source": self.source,
            "evidence": self.evidence,
            "fingerprint": self.fingerprint,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Finding":
        keys = ("rule", "check_id", "message", "detail", "cells", "expected", "actual", "quote", "source", "evidence", "severity", "audience")
        return cls(**{k: d[k] for k in keys if k in d and d[k] is not None})
