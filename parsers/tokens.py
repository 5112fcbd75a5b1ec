"""Turn a table region's text into label and value tokens, then into (label, values) pairs.

Two layouts reach us: delimited rows (tab- or pipe-separated cells: HTML/DOCX grids rendered
by the readers, pasted tables) and whitespace text (PDF text layers: labels broken across
lines, one character per line). Both become one stream of tokens:

- ``L`` label text (fragments of a row label; joined across lines and spaces),
- ``N`` a number as printed,
- ``B`` an explicit blank marker (``/``, ``—``, ``-``),
- ``W`` an empty delimited cell that may be a blank value (kept only where it can be one:
  between values on a line, or leading on a line that holds only values),
- ``E`` an empty cell at the end of a line of values: usually layout, sometimes a blank 总计;
  the aligner weighs both readings.

Empty cells right after a label are the label's merged columns and empty cells at the end
of a line are layout; both are dropped, but a label line that ends in a run of empties is
remembered (``trailing_empty``) so a row printed entirely empty can be told from one whose
values are on the next line.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .normalize import label_key

NUMBER = re.compile(r"^[-−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
BLANK_MARKS = {"/", "／", "—", "——", "-", "－", "–", "—-", "\\", "、"}
# a number followed by one of these is prose ("16 件"), not a cell
UNITS = tuple("件个条年月日号次人家项份起万元页期篇场批户宗")
# split "规章0" / "0行政" at a CJK–digit boundary, but keep list numbers "1.属于" / "1、属于"
_GLUE = re.compile(r"(?<=[\u4e00-\u9fff）)”])(?=\d)|(?<=\d)(?=[\u4e00-\u9fff（(“])")
_PAREN_UNIT = re.compile(r"[（(][^（）()]*单位[^（）()]*[)）]")
# a whole cell holding a number and its unit ("0件", "3 个", "12.5万元") is that number; so is "+2"
_CELL_UNIT = re.compile(r"^\+?(?P<n>[-−]?[\d,.]+)(?:件|个|条|项|次|人次|宗|起|家|份|万元|元)?$")


@dataclass
class Tok:
    kind: str  # L N B W E
    text: str
    line: int

    @property
    def value(self) -> str:
        return self.text.replace(",", "")


@dataclass
class Pair:
    """A run of label text and the run of value tokens that follows it."""

    label: str  # label_key() of the joined label fragments
    values: list[Tok] = field(default_factory=list)
    trailing_empty: int = 0  # empties that ended the label's last line
    line: int = 0

    @property
    def numbers(self) -> list[Tok]:
        return [t for t in self.values if t.kind not in ("W", "E")]


def _is_delimited(line: str) -> bool:
    return "\t" in line or line.count("|") >= 2


def _cell_token(cell: str, lineno: int) -> Tok:
    c = cell.strip()
    if not c:
        return Tok("W", "", lineno)
    compact = re.sub(r"\s+", "", c)
    if NUMBER.match(compact):
        return Tok("N", compact, lineno)
    m = _CELL_UNIT.match(compact)
    if m and NUMBER.match(m.group("n")):
        return Tok("N", m.group("n"), lineno)
    if compact in BLANK_MARKS:
        return Tok("B", compact, lineno)
    return Tok("L", c, lineno)


def _delimited_tokens(line: str, lineno: int) -> list[Tok]:
    if "\t" in line:
        cells = line.split("\t")
    else:
        cells = line.split("|")
        if cells and not cells[0].strip():
            cells = cells[1:]
        if cells and not cells[-1].strip():
            cells = cells[:-1]
        if all(re.fullmatch(r"\s*:?-{2,}:?\s*", c) for c in cells if c.strip()):  # markdown rule row
            return []
    toks = [_cell_token(c, lineno) for c in cells]
    # a cell holding a label and its value glued ("行政许可 26640") splits in two
    out: list[Tok] = []
    for t in toks:
        if t.kind == "L":
            out.extend(_split_glued_label(t.text, lineno))
        else:
            out.append(t)
    return out


def _split_glued_label(text: str, lineno: int) -> list[Tok]:
    pieces = _whitespace_tokens(text, lineno)
    if any(p.kind == "N" for p in pieces) and pieces and pieces[0].kind == "L":
        return pieces
    return [Tok("L", text, lineno)]


# a line of table cells that each carry their unit ("1520件 31件 2件"): three or more in a row
# (PDF text may glue them: "1875 件46件3件"); a run of three or more that ends the line
_UNIT_CELLS = re.compile(r"(?<![\d,.])(?:\d+(?:,\d{3})*\s*件\s*){3,}(?:\d+(?:,\d{3})*)?$")
# a short label and one value with its unit, nothing else: "行政许可 3119 件"
_UNIT_ROW = re.compile(r"^(?P<label>[\u4e00-\u9fff]{2,10})\s*(?P<n>\d+(?:,\d{3})*)\s*件$")


def _whitespace_tokens(line: str, lineno: int) -> list[Tok]:
    line = _UNIT_CELLS.sub(lambda m: m.group(0).replace("件", " "), line.strip())
    line = _UNIT_ROW.sub(r"\g<label> \g<n>", line)
    pieces: list[str] = []
    for raw in line.split():
        pieces.extend(p for p in _GLUE.split(raw) if p)
    toks: list[Tok] = []
    for i, p in enumerate(pieces):
        if NUMBER.match(p):
            nxt = pieces[i + 1] if i + 1 < len(pieces) else ""
            prev = pieces[i - 1] if i else ""
            if (nxt[:1] in UNITS and nxt[:1]) or nxt.startswith(("%", "％")) or prev.endswith(("第", "共", "约", "近", "达")):
                toks.append(Tok("L", p, lineno))  # prose inside the region ("16 件")
            else:
                toks.append(Tok("N", p, lineno))
        elif p in BLANK_MARKS:
            toks.append(Tok("B", p, lineno))
        else:
            toks.append(Tok("L", p, lineno))
    return toks


def tokenize(text: str, strip_words: tuple[str, ...] = ()) -> list[Tok]:
    """Tokens of a table region, with the line-aware handling of empty cells described above."""
    text = _PAREN_UNIT.sub("", text)
    out: list[Tok] = []
    for lineno, line in enumerate(text.splitlines()):
        for w in strip_words:
            if w in line:
                # a header word still separates what is before it from what follows
                line = line.replace(w, " ‖ " if "\t" not in line else "‖")
        if not line.strip() or line.strip() == "件":  # a unit wrapped onto its own line
            continue
        toks = _delimited_tokens(line, lineno) if _is_delimited(line) else _whitespace_tokens(line, lineno)
        if not toks:
            continue
        has_label = any(t.kind == "L" for t in toks)
        # drop trailing empties (remember how many followed a label)
        trailing = 0
        while toks and toks[-1].kind == "W":
            toks.pop()
            trailing += 1
        cleaned: list[Tok] = []
        after_label = not has_label and False
        for i, t in enumerate(toks):
            if t.kind == "W":
                if has_label:
                    # between a label and the first value, or between labels: merged label columns
                    prev_kinds = [x.kind for x in cleaned if x.kind != "W"]
                    if not prev_kinds or prev_kinds[-1] == "L":
                        continue
                    # between values and a later label on the same line: layout, not a cell
                    if all(x.kind in ("W", "L") for x in toks[i + 1 :]):
                        continue
            cleaned.append(t)
        if trailing and cleaned and cleaned[-1].kind == "L":
            cleaned.append(Tok("T", str(trailing), lineno))  # marker: label line ended in empties
        elif trailing and cleaned and cleaned[-1].kind in ("N", "B") and "|" not in line:
            cleaned.extend(Tok("E", "", lineno) for _ in range(min(trailing, 2)))
        out.extend(cleaned)
    return out


def pairs(tokens: list[Tok]) -> list[Pair]:
    """Group tokens into (label, values) pairs in reading order."""
    result: list[Pair] = []
    label_parts: list[str] = []
    current: Pair | None = None
    trailing = 0
    for t in tokens:
        if t.kind == "L":
            if current is not None:
                result.append(current)
                current = None
                label_parts = []
                trailing = 0
            label_parts.append(t.text)
        elif t.kind == "T":
            trailing = int(t.text)
        else:
            if current is None:
                current = Pair(label_key("".join(label_parts)), [], trailing, t.line)
            current.values.append(t)
    if current is not None:
        result.append(current)
    elif label_parts:
        result.append(Pair(label_key("".join(label_parts)), [], trailing))
    # a run of nothing but empty cells is layout
    for p in result:
        if p.values and all(v.kind in ("W", "E") for v in p.values):
            p.values = []
    return result
