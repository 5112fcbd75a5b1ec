"""The report as extracted text, with its tables in the layouts real extraction produces (tab or
pipe separated, markdown, one cell per line, values under their label, digits glued, pdftotext)."""
from __future__ import annotations

import tempfile
from pathlib import Path

from .content import ReportContent
from .convert import _run, to_pdf
from .grids import Grid, blocks, dense


LAYOUTS = ("tsv", "pipe", "markdown", "one_cell_per_line", "label_then_values", "glued", "pdf_text")


def _row_parts(grid: Grid) -> list[tuple[list[str], list[str], list[str]]]:
    """Per dense row: (all cells, label cells, value cells), where labels are the non-value positions."""
    out = []
    d = dense(grid)
    taken: dict[tuple[int, int], bool] = {}
    for r, row in enumerate(grid):
        kinds: dict[int, bool] = {}
        col = 0
        for cell in row:
            while taken.get((r, col)):
                col += 1
            kinds[col] = cell.value
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken[(r + dr, col + dc)] = True
            col += cell.colspan
        labels = [d[r][i] for i in range(len(d[r])) if not kinds.get(i, False) and d[r][i]]
        values = [d[r][i] for i in sorted(kinds) if kinds[i]]
        out.append((d[r], labels, values))
    return out


def _table_text(grid: Grid, layout: str, table_no: int) -> list[str]:
    rows = _row_parts(grid)
    lines: list[str] = []
    if layout == "tsv":
        return ["\t".join(r[0]) for r in rows]
    if layout == "pipe":
        return [" | ".join(r[0]) + " |" for r in rows]
    if layout == "markdown":
        width = max(len(r[0]) for r in rows)
        for i, (cells, _, _) in enumerate(rows):
            cells = cells + [""] * (width - len(cells))
            lines.append("| " + " | ".join(x.replace("|", "/") for x in cells) + " |")
            if i == 0:
                lines.append("|" + "---|" * width)
        return lines
    if layout == "one_cell_per_line":
        for cells, _, _ in rows:
            lines += [x for x in cells if x]
        return lines
    if layout == "label_then_values":
        for _, labels, values in rows:
            if labels:
                lines.append(" ".join(labels))
            if values:
                lines.append("\t".join(values))
        return lines
    if layout == "glued":
        for cells, labels, values in rows:
            if table_no == 3 and values:
                lines.append("\t".join(labels + ["".join(values)]))
            else:
                lines.append("\t".join(cells))
        return lines
    raise ValueError(f"unknown layout {layout!r}")


def to_text(c: ReportContent, layout: str = "tsv") -> str:
    """The report as extracted text, with the tables in one of the layouts extraction produces.
    ``pdf_text`` is the real thing: the LibreOffice PDF's text layer as pdftotext reads it."""
    if layout == "pdf_text":
        with tempfile.TemporaryDirectory(prefix="nianbao-pdftext-") as tmp:
            src = Path(tmp) / "r.pdf"
            src.write_bytes(to_pdf(c))
            _run(["pdftotext", "-enc", "UTF-8", str(src), str(Path(tmp) / "r.txt")], Path(tmp))
            return (Path(tmp) / "r.txt").read_text(encoding="utf-8")
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}")
    out: list[str] = []
    table_no = 1
    for kind, payload in blocks(c):
        if kind == "table":
            table_no += 1
            out += _table_text(payload, layout, table_no)
        elif kind == "title" and layout == "markdown":
            out.append(f"# {payload}")
        elif kind == "heading" and layout == "markdown":
            out.append(f"## {payload}")
        else:
            out.append(payload)
        out.append("")
    return "\n".join(out)
