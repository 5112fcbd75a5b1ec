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
# Other numbering styles: "（一）总体情况", "1.总体情况", "第一部分 总体情况". Sub-headings inside
# 总体情况 use the same styles ("（一）主动公开情况"), so these count only with a full title.
_ALT_HEADING = re.compile(
    r"^[ \t#>*]*(?:[（(]\s*[一二三四五六七八九十]{1,2}\s*[)）]|\d{1,2}\s*[、.,，．:：]"
    r"|第[一二三四五六七八九十]{1,2}(?:部分|章|节)?\s*[、.,，．:：]?)\s*(\S.*?)\s*[:：。]?\s*$"
)
_MAX_EXTRA = 14  # characters a heading may carry beyond its title (e.g. "情况" or a year)
_PUNCT = re.compile(r"[.，、；：:,;]")


def _bare(text: str) -> str:
    """A heading's words without punctuation: "行政复议、行政诉讼" and "行政复议 行政诉讼" agree."""
    return _PUNCT.sub("", label_key(text))


def _title_keys(section: T.Section) -> list[str]:
    keys = [_bare(section.title)] + [_bare(v) for v in section.variants]
    return sorted(set(keys), key=len, reverse=True)


_KEYS = {s.number: _title_keys(s) for s in T.SECTIONS}
# full titles for the other numbering styles: the template's and the long forms (≥ 6 characters)
_FULL = {s.number: [k for k in _KEYS[s.number] if k == _bare(s.title) or len(k) >= 8] for s in T.SECTIONS}


def match_heading(line: str) -> int | None:
    """The section number a line heads, or None."""
    stripped = line.strip()
    if not stripped or len(stripped) > 60:
        return None
    m = _HEADING.match(stripped)
    if m:
        body = _bare(m.group(2))
        numeral = m.group(1)
        for number, keys in _KEYS.items():
            for k in keys:
                if body.startswith(k) or (k in body and len(body) <= len(k) + _MAX_EXTRA and len(k) >= 4):
                    if len(body) <= len(k) + _MAX_EXTRA:
                        # a short variant ("主动公开情况") under another numeral is a sub-heading of
                        # 总体情况 ("一、主动公开情况"), not a renumbered section; full titles may be renumbered
                        if k not in _FULL[number] and numeral != T.SECTIONS[number - 1].numeral:
                            continue
                        return number
        return None
    # a heading without numeral must be exactly the template's full title
    body = _bare(stripped.lstrip("#> *"))
    for s in T.SECTIONS:
        if body == _bare(s.title):
            return s.number
    return None


def match_alt_heading(line: str) -> int | None:
    """The section number a "（一）…" / "1.…" / "第一部分 …" line heads, if it names a full title."""
    stripped = line.strip()
    if not stripped or len(stripped) > 60:
        return None
    m = _ALT_HEADING.match(stripped)
    if not m:
        return None
    body = _bare(m.group(1))
    for number, keys in _FULL.items():
        if body in keys:
            return number
    return None


def _scan(text: str, matcher) -> list[tuple[int, int, int, str]]:
    found: list[tuple[int, int, int, str]] = []  # (number, start, end_of_heading, heading)
    last = 0
    offset = 0
    for line in text.splitlines(keepends=True):
        number = matcher(line)
        if number is not None and number > last:
            found.append((number, offset, offset + len(line), line.strip()))
            last = number
        offset += len(line)
    return found


def find_sections(report: Report) -> None:
    """Fill ``report.sections`` and ``report.sections_present`` from ``report.text``."""
    text = report.text
    found = _scan(text, match_heading)
    if len(found) < 4:
        # a report numbering its sections （一）… or 1.…; taken only when it finds more of them
        alt = _scan(text, lambda line: match_heading(line) or match_alt_heading(line))
        if len(alt) > len(found) and len(alt) >= 4:
            found = alt
    for i, (number, start, body_start, heading) in enumerate(found):
        end = found[i + 1][1] if i + 1 < len(found) else len(text)
        report.sections[number] = SectionText(number, heading, start, end, text[body_start:end])
    report.sections_present = sorted(report.sections)
