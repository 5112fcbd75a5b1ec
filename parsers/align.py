"""Decide where printed values belong when a row has too few or too many of them.

Real tables lose cells, gain cells and glue digits together. The template's sums tell us
where each printed value belongs; they are never used to change a printed value. For each
defective row we list the ways its printed values could fill the row (a missing cell inserted
anywhere, a surplus cell dropped, a run of digits split), score whole-table candidates by how
many of the template's sums they break, and keep the best. Cells on which all best candidates
agree are placed; cells on which they disagree stay unknown and are reported as uncertain.

A missing cell is a *dropped zero* hypothesis: when the sums hold with 0 there it becomes 0
(recorded as inferred); otherwise it stays unknown.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Callable, Sequence

MISSING = "missing"  # a slot the printed row has no value for
BLANK = "blank"  # a slot printed empty or with a blank mark: a real blank cell
UNKNOWN = "unknown"  # a slot whose value cannot be placed (row not found, too many cells lost)

Slot = int | str | None  # an int value, MISSING or BLANK

MAX_EDITS = 2
MAX_COMBINATIONS = 20000


@dataclass
class Candidate:
    slots: tuple[Slot, ...]
    cost: int  # edits made: inserted, dropped or split cells
    note: str = ""


def _as_slot(tok_kind: str, text: str) -> Slot:
    if tok_kind in ("B", "W", "E"):
        return BLANK
    return int(text.replace(",", "")) if "." not in text else int(float(text))


def row_candidates(printed: Sequence[tuple[str, str]], width: int, row_sum: Callable[[tuple], bool] | None = None) -> list[Candidate]:
    """Ways a row's printed tokens (kind, text) can fill ``width`` slots, cheapest first.

    ``printed`` holds N/B/W tokens. Exact counts are taken positionally (with empty cells when
    that makes the count right, without them otherwise).
    """
    trailing_e = sum(1 for t in printed if t[0] == "E")
    printed = [t for t in printed if t[0] != "E"]
    with_w = list(printed)
    without_w = [t for t in printed if t[0] != "W"]
    if len(with_w) == width:
        return [Candidate(tuple(_as_slot(k, t) for k, t in with_w), 0)]
    if len(without_w) == width:
        return [Candidate(tuple(_as_slot(k, t) for k, t in without_w), 0)]
    vals = [_as_slot(k, t) for k, t in without_w]
    out: list[Candidate] = []
    n = len(vals)
    if n == 0:
        return [Candidate(tuple([UNKNOWN] * width), width, "no values printed")]
    if n < width and n + trailing_e >= width:
        # the line ended in empty cells where the row's last values belong: blank cells
        out.append(Candidate(tuple(vals + [BLANK] * (width - n)), 2, "trailing empty cell(s) read as blank"))
    if n < width:
        k = width - n
        if k <= MAX_EDITS:
            for pos in itertools.combinations(range(width), k):
                it = iter(vals)
                slots = tuple(MISSING if i in pos else next(it) for i in range(width))
                out.append(Candidate(slots, k, f"{k} cell(s) missing"))
        out.extend(_splits(without_w, width))
    elif n > width:
        k = n - width
        if k <= MAX_EDITS:
            for pos in itertools.combinations(range(n), k):
                slots = tuple(v for i, v in enumerate(vals) if i not in pos)
                dropped = [vals[i] for i in pos]
                out.append(Candidate(slots, k, f"dropped surplus value(s) {dropped}"))
    if not out:
        out.append(Candidate(tuple([UNKNOWN] * width), width, f"{n} values for {width} cells"))
    return out


def _splits(tokens: Sequence[tuple[str, str]], width: int) -> list[Candidate]:
    """Split runs of glued digits ("200000121" → 20 0 0 0 0 1 21) to reach ``width`` values."""
    need = width - len(tokens)
    out: list[Candidate] = []
    options: list[list[list[int]]] = []
    for kind, text in tokens:
        if kind == "N" and text.isdigit() and len(text) >= 2:
            options.append([[int(p) for p in parts] for parts in _compositions(text, min(need + 1, len(text)))])
        else:
            options.append([[_as_slot(kind, text)]])  # type: ignore[list-item]
    total = 1
    for o in options:
        total *= len(o)
        if total > MAX_COMBINATIONS:
            return out
    for combo in itertools.product(*options):
        flat = [v for part in combo for v in part]
        if len(flat) == width:
            splits = sum(len(p) - 1 for p in combo)
            out.append(Candidate(tuple(flat), splits, "glued digits split"))
    return out


def _compositions(digits: str, max_parts: int) -> list[list[str]]:
    """Every way to cut ``digits`` into 1..max_parts numbers without leading zeros."""
    res: list[list[str]] = []

    def rec(rest: str, acc: list[str]) -> None:
        if not rest:
            res.append(list(acc))
            return
        if len(acc) >= max_parts:
            return
        for i in range(1, len(rest) + 1):
            part = rest[:i]
            if len(part) > 1 and part[0] == "0":
                break
            acc.append(part)
            rec(rest[i:], acc)
            acc.pop()

    rec(digits, [])
    return res


def numeric(s: Slot) -> int | None:
    """The value a slot contributes to a sum: MISSING as 0 (dropped-zero), BLANK unknown."""
    if s == MISSING:
        return 0
    if s in (BLANK, UNKNOWN) or s is None:
        return None
    return s  # type: ignore[return-value]


def _key(s: Slot):
    """Slots that contribute the same to every sum are the same placement (a lost 0 is a 0)."""
    return 0 if s == MISSING else s


def solve(
    fixed: dict[str, tuple[Slot, ...]],
    candidates: dict[str, list[Candidate]],
    violations: Callable[[dict[str, tuple[Slot, ...]]], int],
) -> tuple[dict[str, tuple[Slot, ...]], dict[str, set[int]], dict[str, Candidate]]:
    """Choose one candidate per defective row minimising (broken sums, edits).

    Returns the chosen rows, per row the slot indices where equally good choices disagree, and
    the chosen candidate per row.
    """
    keys = list(candidates)
    # distinct slot tuples per row (many insert positions give the same row when values are 0)
    distinct: dict[str, list[Candidate]] = {}
    for k in keys:
        seen: dict[tuple, Candidate] = {}
        for c in sorted(candidates[k], key=lambda c: c.cost):
            seen.setdefault(tuple(_key(x) for x in c.slots), c)
        distinct[k] = list(seen.values())
    total = 1
    for k in keys:
        total *= max(1, len(distinct[k]))
    best: list[tuple[int, int, dict[str, Candidate]]] = []
    if total <= MAX_COMBINATIONS:
        for combo in itertools.product(*(distinct[k] for k in keys)):
            table = dict(fixed)
            for k, c in zip(keys, combo):
                table[k] = c.slots
            score = (violations(table), sum(c.cost for c in combo))
            best.append((score[0], score[1], dict(zip(keys, combo))))
    else:  # too many: choose row by row, the others held at their cheapest
        chosen = {k: distinct[k][0] for k in keys}
        for k in keys:
            scored = []
            for c in distinct[k]:
                table = dict(fixed)
                table.update({kk: cc.slots for kk, cc in chosen.items()})
                table[k] = c.slots
                scored.append((violations(table), c.cost, c))
            scored.sort(key=lambda x: (x[0], x[1]))
            chosen[k] = scored[0][2]
        table = dict(fixed)
        table.update({k: c.slots for k, c in chosen.items()})
        best.append((violations(table), sum(c.cost for c in chosen.values()), chosen))
    best.sort(key=lambda x: (x[0], x[1]))
    top = [b for b in best if (b[0], b[1]) == (best[0][0], best[0][1])]
    result = dict(fixed)
    disagree: dict[str, set[int]] = {}
    chosen_c = top[0][2]
    for k in keys:
        slots = chosen_c[k].slots
        result[k] = slots
        dis = {i for i in range(len(slots)) if any(_key(t[2][k].slots[i]) != _key(slots[i]) for t in top)}
        if dis:
            disagree[k] = dis
    return result, disagree, chosen_c
