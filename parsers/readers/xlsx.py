"""Excel .xlsx: every sheet's used range as tab-separated rows, merged cells emitted once.

openpyxl leaves the positions a merged range covers empty (None), which is the contract already.
"""
from __future__ import annotations

import io
import re

from ..errors import NOT_MACHINE_READABLE, ReadError
from ..limits import Limits
from . import Extracted

MAX_CELLS = 200_000  # a sheet with more used cells than this is data dump, not an annual report
_WS = re.compile(r"\s+")


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return _WS.sub(" ", str(v).replace("\n", "")).strip()


def read(data: bytes, limits: Limits, name: str = "") -> Extracted:
    import openpyxl

    from ..errors import TOO_LARGE

    wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    lines: list[str] = []
    for ws in wb.worksheets:
        if (ws.max_row or 0) * (ws.max_column or 0) > MAX_CELLS:
            raise ReadError(TOO_LARGE, f"sheet {ws.title!r} has {ws.max_row}x{ws.max_column} cells (over {MAX_CELLS})")
        for row in ws.iter_rows(values_only=True):
            cells = [_cell(v) for v in row]
            while cells and not cells[-1]:
                cells.pop()
            if any(cells):
                lines.append("\t".join(cells))
    if not lines:
        raise ReadError(NOT_MACHINE_READABLE, "the spreadsheet has no text")
    return Extracted(text="\n".join(lines), format="xlsx", pages=len(wb.worksheets))
