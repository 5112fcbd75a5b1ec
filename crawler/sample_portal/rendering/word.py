"""The national Word template (template_2021.docx) filled in with python-docx, as agencies do."""
from __future__ import annotations

import io
from pathlib import Path

from parsers import template as T

from .content import ReportContent
from .grids import Grid, blocks, dense, table2_2019_grid, table2_grid, table3_grid, table4_grid

TEMPLATE_DOCX = Path(__file__).resolve().parents[1] / "template_2021.docx"


def _docx_font(run, size_pt: float = 16, bold: bool = False, family: str = "仿宋_GB2312") -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.size = Pt(size_pt)
    run.font.bold = bold
    run.font.name = family
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), family)


def _set_cell_text(cell, text: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    paras = cell.paragraphs
    for extra in paras[1:]:
        extra._element.getparent().remove(extra._element)
    p = paras[0]
    for r in list(p.runs):
        r._element.getparent().remove(r._element)
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if text:
        _docx_font(p.add_run(text), size_pt=10.5, family="宋体")


def _single_other_row(tbl) -> None:
    """Rewrite the template's three (六) rows as the one row some reports still print."""
    from docx.oxml.ns import qn

    trs = tbl._tbl.tr_lst
    first = 3 + T.ROW_INDEX[T.OTHER_ROWS[0]]
    row = trs[first]
    tcs = row.tc_lst  # [outcome (continue), (六) (restart), 1.申请人..., 7 values]
    group_tc, label_tc = tcs[1], tcs[2]
    vm = group_tc.tcPr.find(qn("w:vMerge"))
    if vm is not None:
        group_tc.tcPr.remove(vm)
    group_tc.tcPr.get_or_add_gridSpan().set(qn("w:val"), "2")
    row.remove(label_tc)
    for tr in trs[first + 1 : first + len(T.OTHER_ROWS)]:
        tbl._tbl.remove(tr)


def _fill_grid_into_docx_table(doc, grid: Grid):
    """A new Word table from a grid (used for the 2019 table 2, which the 2021 template lacks)."""
    d = dense(grid)
    ncols = max(len(r) for r in d)
    table = doc.add_table(rows=len(d), cols=ncols)
    table.style = doc.tables[0].style
    taken: dict[tuple[int, int], bool] = {}
    for r, row in enumerate(grid):
        col = 0
        for cell in row:
            while taken.get((r, col)):
                col += 1
            target = table.cell(r, col)
            if cell.rowspan > 1 or cell.colspan > 1:
                target = target.merge(table.cell(r + cell.rowspan - 1, col + cell.colspan - 1))
            _set_cell_text(target, cell.text)
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken[(r + dr, col + dc)] = True
            col += cell.colspan
    return table


def to_docx(c: ReportContent) -> bytes:
    """The national template (template_2021.docx) filled in with python-docx, as agencies do in Word/WPS."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc = docx.Document(str(TEMPLATE_DOCX))
    body = doc.element.body
    t2, t3, t4 = doc.tables[:3]
    if c.extra_cells:
        raise ValueError("extra_cells cannot be printed into the Word template (its grid is fixed)")
    # values into the template's own cells
    g2 = None
    if c.table2_2019 is None:
        grid = table2_grid(c)
        _fill_values(t2, grid)
    else:
        g2 = _fill_grid_into_docx_table(doc, table2_2019_grid(c))
    if c.other_single:
        _single_other_row(t3)
    _fill_values(t3, table3_grid(c))
    _fill_values(t4, table4_grid(c))
    # rebuild the body: the narrative as paragraphs, the tables where the template has them
    tables = {2: g2._tbl if g2 is not None else t2._tbl, 3: t3._tbl, 4: t4._tbl}
    for el in list(body):
        if el.tag.endswith("}p") or el.tag.endswith("}tbl"):
            body.remove(el)
    section = 0
    for kind, payload in blocks(c):
        if kind == "table":
            doc.add_paragraph()  # Word keeps a paragraph mark between a heading and a table
            body.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}sectPr").addprevious(tables[section])
            continue
        p = doc.add_paragraph()
        p.paragraph_format.space_after = Pt(0)
        p.paragraph_format.line_spacing = Pt(28)
        if kind == "title":
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _docx_font(p.add_run(payload), size_pt=22, bold=True, family="方正小标宋简体")
        elif kind == "heading":
            section += 1
            p.paragraph_format.first_line_indent = Pt(32)
            _docx_font(p.add_run(payload), family="黑体")
        elif kind == "para":
            p.paragraph_format.first_line_indent = Pt(32)
            _docx_font(p.add_run(payload))
        elif kind == "signature":
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _docx_font(p.add_run(payload))
    props = doc.core_properties
    props.title = c.title
    props.author = c.agency
    import datetime as dt

    stamp = dt.datetime.fromisoformat((c.signature_date or f"{c.year + 1}-01-20") + "T09:00:00")
    props.created = props.modified = stamp
    props.last_modified_by = c.agency
    props.revision = 1
    buf = io.BytesIO()
    doc.save(buf)
    return _fixed_zip_times(buf.getvalue(), stamp.timetuple()[:6])


def _fixed_zip_times(data: bytes, when: tuple) -> bytes:
    """The same .docx bytes on every run: python-docx stamps zip entries with the current time."""
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=when), src.read(info.filename), zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _fill_values(table, grid: Grid) -> None:
    """Put the grid's value cells into the Word table at the same grid positions."""
    d_rows = dense(grid)
    value_pos = []
    taken: dict[tuple[int, int], bool] = {}
    for r, row in enumerate(grid):
        col = 0
        for cell in row:
            while taken.get((r, col)):
                col += 1
            if cell.value:
                value_pos.append((r, col, cell.text))
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken[(r + dr, col + dc)] = True
            col += cell.colspan
    ncols = len(table.columns)
    if len(d_rows) != len(table.rows) or max(len(r) for r in d_rows) != ncols:
        raise ValueError(f"grid {len(d_rows)}x{max(len(r) for r in d_rows)} does not match the template table {len(table.rows)}x{ncols}")
    for r, col, text in value_pos:
        _set_cell_text(table.cell(r, col), text)
