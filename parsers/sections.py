"""Find the six statutory sections by their headings.

A heading is recognised by its title (the template's or a known variant), not by its numeral:
reports renumber sections, and the same numerals also start rows of table 3 (一、本年新收,
四、结转下年度). A heading line is short, starts with a Chinese numeral (or is exactly a full
title), and may carry markdown hashes.
"""
from __future__ import annotations

import re

from . import template as T
from .model import Report, SectionText
from .normalize import label_key

_HEADING = re.compile(r"^[ \t#>*]*([一二三四五六七八九十]{1,2})\s*[、.,，．:：]?\s*(\S.*?)\s*[:：。]?\s*$")
_MAX_EXTRA = 14  # characters a heading may carry beyond its title (e.g. "情况" or a year)


def _title_keys(section: T.Section) -> list[str]:
    keys = [label_key(section.title)] + [label_key(v) for v in section.variants]
    return sorted(set(keys), key=len, reverse=True)


_KEYS = {s.number: _title_keys(s) for s in T.SECTIONS}


def match_heading(line: str) -> int | None:
    """The section number a line heads, or None."""
    stripped = line.strip()
    if not stripped or len(stripped) > 60:
        return None
    m = _HEADING.match(stripped)
    if m:
        body = label_key(m.group(2))
        for number, keys in _KEYS.items():
            for k in keys:
                if body.startswith(k) or (k in body and len(body) <= len(k) + _MAX_EXTRA and len(k) >= 4):
                    if len(body) <= len(k) + _MAX_EXTRA:
                        return number
        return None
    # a heading without numeral must be exactly the template's full title
    body = label_key(stripped.lstrip("#> *"))
    for s in T.SECTIONS:
        if body == label_key(s.title):
            return s.number
    return None


def find_sections(report: Report) -> None:
    """Fill ``report.sections`` and ``report.sections_present`` from ``report.text``."""
    text = report.text
    found: list[tuple[int, int, int, str]] = []  # (number, start, end_of_heading, heading)
    last = 0
    offset = 0
    for line in text.splitlines(keepends=True):
        number = match_heading(line)
        if number is not None and number > last:
            found.append((number, offset, offset + len(line), line.strip()))
            last = number
        offset += len(line)
    for i, (number, start, body_start, heading) in enumerate(found):
        end = found[i + 1][1] if i + 1 < len(found) else len(text)
        report.sections[number] = SectionText(number, heading, start, end, text[body_start:end])
    report.sections_present = sorted(report.sections)
