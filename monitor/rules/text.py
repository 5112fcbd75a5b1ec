"""The report's narrative as rules read it: whitespace and page markers gone (PDF text breaks
sentences across lines and pages), split into sentences, every position traceable back to
``Report.text`` so a quote can be checked against the source."""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache

from parsers.model import Report
from parsers.sections import match_heading

_DROP = re.compile(r"\s+|(?<![0-9A-Za-z])[-—–－]\s*\d{1,3}\s*[-—–－](?![0-9])|#+")
_SENTENCE_END = "。；;！？!?"


@dataclass(frozen=True, eq=False)
class Flat:  # identity-hashed: flatten() caches one per text
    text: str  # compact text
    origin: tuple[int, ...]  # origin[i] = offset in the original text of text[i]
    breaks: frozenset[int] = field(default_factory=frozenset)  # a sentence ends before text[i]

    def span(self, start: int, end: int) -> tuple[int, int]:
        if not self.origin:
            return 0, 0
        return self.origin[start], self.origin[max(start, end - 1)] + 1


@lru_cache(maxsize=64)
def flatten(text: str) -> Flat:
    out, origin, pos = [], [], 0
    for m in _DROP.finditer(text):
        out.append(text[pos : m.start()])
        origin.extend(range(pos, m.start()))
        pos = m.end()
    out.append(text[pos:])
    origin.extend(range(pos, len(text)))
    return Flat("".join(out), tuple(origin), frozenset(bisect_left(origin, o) for o in _hard_lines(text)))


def _hard_lines(text: str) -> list[int]:
    """Where a heading or table row starts and ends (offsets in ``text``): lines no sentence runs
    through, though a PDF's line breaks in running text mean nothing."""
    out, offset = [], 0
    for line in text.splitlines(keepends=True):
        if "\t" in line or "|" in line or match_heading(line) is not None:
            out += [offset, offset + len(line)]
        offset += len(line)
    return out


def full_text(report: Report) -> str:
    if report.text:
        return report.text
    return "\n".join(s.text for _, s in sorted(report.sections.items()))


def sentences(flat: Flat) -> list[tuple[int, int]]:
    """(start, end) of each sentence of the compact text, its closing punctuation included."""
    spans, start = [], 0
    for i, ch in enumerate(flat.text):
        if i in flat.breaks and i > start:
            spans.append((start, i))
            start = i
        if ch in _SENTENCE_END:
            spans.append((start, i + 1))
            start = i + 1
    if start < len(flat.text):
        spans.append((start, len(flat.text)))
    return spans


def section_at(report: Report, offset: int) -> int | None:
    for n, s in report.sections.items():
        if s.start <= offset < s.end:
            return n
    return None


def section_flat(report: Report, number: int) -> str | None:
    """The compact text of one section, or None when the section finder did not place it."""
    s = report.sections.get(number)
    return flatten(s.text).text if s else None


def quote(report: Report, flat: Flat, start: int, end: int) -> dict:
    """A quote of compact text [start, end) with its place in the original text."""
    o_start, o_end = flat.span(start, end)
    return {"text": flat.text[start:end], "section": section_at(report, o_start) if report.text else None,
            "start": o_start, "end": o_end}
