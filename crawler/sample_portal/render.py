"""Render a report's content into the documents real portals serve: an article page (TRS / Hanweb /
plain, UTF-8 or GBK with a right, wrong or missing charset, simplified or traditional script), the
national Word template filled in, a PDF made by LibreOffice or Chromium, a .doc, a scanned PDF, and
the plain-text layouts that text extraction produces.

One block model (rendering/grids.py) feeds every format, so the same report reads the same
everywhere; the tables carry the template's real merged cells (template_2021.docx). Used by the test
fixtures (tests/fixtures/make_fixtures.py) and by the sample portal. LibreOffice and Chromium take
seconds per document: nothing is cached here, callers cache. The parts live in ``rendering/``; this
module is the one to import.
"""
from __future__ import annotations

from .rendering.content import CONTENT_DIR, ReportContent, collapse_other, list_content, load_content, shift_year
from .rendering.convert import to_doc, to_pdf, to_scan_pdf, tools_available
from .rendering.grids import Cell, Grid, blocks, dense, table2_2019_grid, table2_grid, table3_grid, table4_grid
from .rendering.html_page import default_pub_date, to_html
from .rendering.text_layouts import LAYOUTS, to_text
from .rendering.word import TEMPLATE_DOCX, to_docx

__all__ = [
    "CONTENT_DIR",
    "TEMPLATE_DOCX",
    "LAYOUTS",
    "ReportContent",
    "Cell",
    "Grid",
    "list_content",
    "load_content",
    "shift_year",
    "collapse_other",
    "blocks",
    "dense",
    "table2_grid",
    "table2_2019_grid",
    "table3_grid",
    "table4_grid",
    "default_pub_date",
    "to_html",
    "to_docx",
    "to_pdf",
    "to_doc",
    "to_scan_pdf",
    "to_text",
    "tools_available",
]
