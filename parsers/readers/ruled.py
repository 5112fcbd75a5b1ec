"""Ruled tables in page images: find the cells their lines enclose, and their grid positions.

Scanned reports print the template's tables with full ruling, so the cells are the regions the
lines enclose. Knowing them lets OCR put a wrapped label back into one cell, split a text box that
runs across a cell border, and keep blank cells as empty grid positions.
"""
from __future__ import annotations

from dataclasses import dataclass, field

MIN_CELL_PX = 10  # a region smaller than this (either way) is a gap between double lines, not a cell
EDGE_TOL = 0.008  # cell edges closer than this fraction of the page width are the same grid line


@dataclass
class Cell:
    x0: int
    y0: int
    x1: int
    y1: int
    row: int = 0
    col: int = 0
    rowspan: int = 1
    colspan: int = 1
    parts: list = field(default_factory=list)  # OCR text inside: (y, x, text, height)

    def contains(self, x: float, y: float) -> bool:
        return self.x0 <= x <= self.x1 and self.y0 <= y <= self.y1


@dataclass
class Table:
    x0: int
    y0: int
    x1: int
    y1: int
    cells: list[Cell]
    nrows: int
    ncols: int

    def contains(self, x: float, y: float) -> bool:
        return self.x0 <= x <= self.x1 and self.y0 <= y <= self.y1


def _edges(values: list[int], tol: float) -> list[float]:
    """Cluster edge coordinates into grid lines."""
    lines: list[list[int]] = []
    for v in sorted(values):
        if lines and v - lines[-1][-1] <= tol:
            lines[-1].append(v)
        else:
            lines.append([v])
    return [sum(g) / len(g) for g in lines]


def _nearest(lines: list[float], v: float) -> int:
    return min(range(len(lines)), key=lambda i: abs(lines[i] - v))


def find_tables(gray) -> list[Table]:
    """The ruled tables of a grayscale page image (numpy uint8), each with its cells on a grid."""
    import cv2
    import numpy as np

    h, w = gray.shape[:2]
    bw = cv2.adaptiveThreshold(255 - gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY, 15, -10)
    horiz = cv2.morphologyEx(bw, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(25, w // 25), 1)))
    vert = cv2.morphologyEx(bw, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(15, h // 60))))
    grid = cv2.dilate(horiz | vert, np.ones((3, 3), np.uint8))
    # each connected set of lines is one table
    n, labels, stats, _ = cv2.connectedComponentsWithStats(grid, connectivity=8)
    tables = []
    for k in range(1, n):
        x, y, tw, th, _ = stats[k]
        if tw < w * 0.2 or th < 2 * MIN_CELL_PX:
            continue
        mask = (labels[y : y + th, x : x + tw] == k).astype(np.uint8)
        table = _cells_of(mask, x, y, w)
        if table is not None:
            tables.append(table)
    return sorted(tables, key=lambda t: t.y0)


def _cells_of(mask, ox: int, oy: int, page_w: int) -> Table | None:
    import cv2

    inside = (1 - mask).astype("uint8")
    n, _, stats, _ = cv2.connectedComponentsWithStats(inside, connectivity=4)
    mh, mw = mask.shape
    cells = []
    for k in range(1, n):
        x, y, cw, ch, _ = stats[k]
        if cw < MIN_CELL_PX or ch < MIN_CELL_PX:
            continue
        if x == 0 or y == 0 or x + cw >= mw or y + ch >= mh:  # outside the table's outer border
            continue
        cells.append(Cell(ox + x, oy + y, ox + x + cw, oy + y + ch))
    if len(cells) < 2:
        return None
    # a grid line is the cluster of one cell's right side and its neighbour's left (a line apart)
    tol = max(6.0, EDGE_TOL * page_w)
    xs = _edges([c.x0 for c in cells] + [c.x1 for c in cells], tol)
    ys = _edges([c.y0 for c in cells] + [c.y1 for c in cells], tol)
    for c in cells:
        c.col, c.row = _nearest(xs, c.x0), _nearest(ys, c.y0)
        c.colspan = max(1, _nearest(xs, c.x1) - c.col)
        c.rowspan = max(1, _nearest(ys, c.y1) - c.row)
    ncols = max(c.col + c.colspan for c in cells)
    nrows = max(c.row + c.rowspan for c in cells)
    return Table(ox, oy, ox + mw, oy + mh, cells, nrows, ncols)


# a cell read as one of these characters alone is a digit OCR misread (a small "0" reads as "。")
LONE_DIGIT = {"。": "0", "o": "0", "O": "0", "〇": "0", "○": "0", "°": "0", "D": "0", "L": "1", "l": "1", "I": "1", "|": "1", "丨": "1"}


def render_grid(table: Table) -> list[list[str]]:
    """The table's text grid: each cell's parts in reading order, joined; covered positions empty."""
    grid = [[""] * table.ncols for _ in range(table.nrows)]
    for c in table.cells:
        text = "".join(t for _, _, t in _reading_order(c.parts)).strip()
        text = LONE_DIGIT.get(text, text)
        if 0 <= c.row < table.nrows and 0 <= c.col < table.ncols:
            grid[c.row][c.col] = text
    return grid


def _reading_order(parts: list) -> list:
    """Parts (y, x, text, h) sorted into lines (by y, tolerant of jitter), then left to right."""
    lines: list[list] = []
    for p in sorted(parts):
        if lines and abs(p[0] - lines[-1][0][0]) <= 0.5 * p[3]:
            lines[-1].append(p)
        else:
            lines.append([p])
    return [(y, x, t) for line in lines for (y, x, t, _) in sorted(line, key=lambda q: q[1])]
