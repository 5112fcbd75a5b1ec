"""The readers on small generated fixtures: each format's text, tables as tab-separated grids."""
from __future__ import annotations

import io
import os
import shutil
import threading
import time

import pytest

from parsers.errors import NOT_MACHINE_READABLE, PARSE_FAILED, TIMEOUT, TOOL_MISSING, ReadError
from parsers.limits import Limits
from parsers.readers import Extracted, read, sniff, tidy
from parsers.readers import html as html_reader
from parsers.readers import ocr as ocr_reader
from parsers.readers import office
from parsers.readers import pdf as pdf_reader
from reader_helpers import TABLE2_GRID, TABLE3_GRID, TABLE3_VALUES, fixture_bytes, rows_with_values


def lines(ex: Extracted) -> list[str]:
    return ex.text.splitlines()


def assert_grids(ex: Extracted) -> None:
    got = lines(ex)
    start = got.index(TABLE3_GRID[0])
    assert got[start : start + len(TABLE3_GRID)] == TABLE3_GRID
    start2 = got.index(TABLE2_GRID[0])
    assert got[start2 : start2 + len(TABLE2_GRID)] == TABLE2_GRID


def assert_reading_order(ex: Extracted) -> None:
    got = lines(ex)
    order = [
        got.index("一、总体情况"),
        got.index("二、主动公开政府信息情况"),
        got.index(TABLE2_GRID[1]),
        got.index("三、收到和处理政府信息公开申请情况"),
        got.index(TABLE3_GRID[3]),
        got.index("五、存在的主要问题及改进情况"),
        got.index("2024年1月20日"),
    ]
    assert order == sorted(order)


# ---------------------------------------------------------------------------------------------
# HTML
# ---------------------------------------------------------------------------------------------
def test_html_rowspan_colspan_grid():
    ex = read(fixture_bytes("table.html"), "table.html")
    assert ex.format == "html"
    assert_grids(ex)
    assert_reading_order(ex)


def test_html_title_meta_and_page_date():
    ex = read(fixture_bytes("table.html"), "table.html")
    assert lines(ex)[0] == "示例县人民政府办公室2023年政府信息公开工作年度报告"
    assert ex.meta["meta"]["PubDate"] == "2024-01-22 09:30"
    assert ex.meta["meta"]["SiteName"] == "示例县人民政府"
    assert ex.meta["meta"]["ColumnName"] == "政府信息公开年报"
    assert ex.meta["meta"]["ContentSource"] == "县政府办"
    assert ex.meta["page_date"] == "2024-01-22"  # not the 1999 date inside the <script>
    assert ex.meta["html_title"].startswith("示例县人民政府办公室2023年")


def test_html_drops_navigation_footer_and_scripts():
    ex = read(fixture_bytes("table.html"), "table.html")
    for noise in ("首页", "互动交流", "网站标识码", "var t", "color:red"):
        assert noise not in ex.text


@pytest.mark.parametrize("name", ["gbk_wrong_meta.html", "gbk_no_meta.html"])
def test_html_gbk_pages_decode_like_utf8(name):
    data = fixture_bytes(name)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # the fixture really is GBK
    ex = read(data, name)
    assert ex.meta["charset"] == "gb18030"
    assert ex.text == read(fixture_bytes("table.html"), "table.html").text
    assert "\ufffd" not in ex.text


def test_html_declared_gbk_is_used_strictly():
    page = '<html><head><meta charset="gb2312"></head><body><p>政府信息公开工作年度报告</p></body></html>'
    text, enc = html_reader.decode_html(page.encode("gbk"))
    assert enc == "gb18030" and "政府信息公开工作年度报告" in text


def test_html_without_known_container_finds_densest_text():
    page = """<html><body>
    <div id="top"><a href="/1">首页</a><a href="/2">机构概况</a><a href="/3">政务公开目录</a><a href="/4">办事服务</a></div>
    <div id="wrap"><div class="left"><a href="/a">通知公告列表</a><a href="/b">政策文件列表</a></div>
    <div class="right"><div class="box">
      <p>某某镇人民政府2024年政府信息公开工作年度报告</p>
      <p>一、总体情况。2024年，某某镇人民政府坚持以习近平新时代中国特色社会主义思想为指导，全面推进政务公开。</p>
      <table><tr><td>行政许可</td><td>12</td></tr><tr><td>行政处罚</td><td>3</td></tr></table>
    </div></div></div>
    <div class="bottom">版权所有 某某镇人民政府 地址：某某路一号</div></body></html>"""
    ex = read(page.encode("utf-8"), "x.html")
    assert "行政许可\t12" in lines(ex) and "行政处罚\t3" in lines(ex)
    assert "通知公告" not in ex.text and "首页" not in ex.text and "版权所有" not in ex.text


def test_html_layout_table_is_not_a_grid():
    page = """<html><body><div class="TRS_Editor"><table><tr><td>
      <p>某某局2024年政府信息公开工作年度报告</p>
      <table><tr><td rowspan="2">行政复议</td><td>结果维持</td></tr><tr><td>1</td></tr></table>
    </td></tr></table></div></body></html>"""
    ex = read(page.encode("utf-8"), "x.html")
    assert lines(ex) == ["某某局2024年政府信息公开工作年度报告", "行政复议\t结果维持", "\t1"]


def test_html_cell_lines_are_joined_and_spans_clamped():
    page = """<html><body><div id="zoom"><p>某某区政府信息公开工作年度报告正文如下</p>
    <table><tr><td colspan="99999">申请人<br>情况</td></tr><tr><td rowspan="50">商业
    企业</td><td>  7 </td></tr></table></div></body></html>"""
    ex = read(page.encode("utf-8"), "x.html")
    got = lines(ex)
    assert got[1].startswith("申请人情况\t") and len(got[1].split("\t")) == html_reader.MAX_SPAN
    assert got[2].split("\t")[:2] == ["商业 企业".replace(" ", ""), "7"]


def test_html_script_only_page_is_not_machine_readable():
    with pytest.raises(ReadError) as e:
        read(b"<html><head><script>render()</script></head><body><div id='app'></div></body></html>", "x.html")
    assert e.value.outcome == NOT_MACHINE_READABLE


# ---------------------------------------------------------------------------------------------
# DOCX / DOC
# ---------------------------------------------------------------------------------------------
def test_docx_merged_cells_once_in_body_order():
    ex = read(fixture_bytes("merged.docx"), "merged.docx")
    assert ex.format == "docx"
    assert_grids(ex)
    assert_reading_order(ex)
    assert lines(ex)[0] == "示例县人民政府办公室2023年政府信息公开工作年度报告"


def test_docx_grid_before_and_nested_content_control(tmp_path):
    """Rows offset by w:gridBefore and a table wrapped in a content control (w:sdt)."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    d = docx.Document()
    d.add_paragraph("某某街道办事处2024年政府信息公开工作年度报告")
    t = d.add_table(rows=2, cols=3)
    t.cell(0, 0).text, t.cell(0, 1).text, t.cell(0, 2).text = "信息内容", "本年处理决定数量", "备注"
    t.cell(1, 0).text, t.cell(1, 1).text = "行政许可", "5"
    row = t.rows[1]._tr
    row.remove(row.tc_lst[-1])  # the row is one cell short: it starts one grid column late
    trPr = row.get_or_add_trPr()
    trPr.append(parse_xml(f'<w:gridBefore {nsdecls("w")} w:val="1"/>'))
    sdt = parse_xml(f'<w:sdt {nsdecls("w")}><w:sdtContent/></w:sdt>')
    t._tbl.addprevious(sdt)
    sdt[0].append(t._tbl)
    d.add_paragraph("六、其他需要报告的事项")
    buf = io.BytesIO()
    d.save(buf)
    ex = read(buf.getvalue(), "x.docx")
    assert lines(ex) == [
        "某某街道办事处2024年政府信息公开工作年度报告",
        "信息内容\t本年处理决定数量\t备注",
        "\t行政许可\t5",
        "六、其他需要报告的事项",
    ]


@pytest.mark.slow
def test_doc_via_libreoffice_same_grid():
    ex = read(fixture_bytes("merged.doc"), "merged.doc")
    assert ex.format == "doc" and ex.meta["converted_with"] == "libreoffice"
    assert_grids(ex)
    assert_reading_order(ex)


@pytest.mark.slow
def test_two_libreoffice_conversions_at_once():
    """Each conversion has its own profile: two at once both succeed."""
    data = fixture_bytes("merged.doc")
    results: list = [None, None]

    def work(k):
        try:
            results[k] = read(data, f"{k}.doc")
        except Exception as e:  # recorded for the assertion below
            results[k] = e

    threads = [threading.Thread(target=work, args=(k,)) for k in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    for r in results:
        assert isinstance(r, Extracted), r
        assert TABLE3_GRID[3] in lines(r)


def test_doc_without_libreoffice_is_tool_missing(monkeypatch):
    monkeypatch.setenv("NIANBAO_SOFFICE", "/nonexistent/soffice")
    with pytest.raises(ReadError) as e:
        read(fixture_bytes("merged.doc"), "merged.doc")
    assert e.value.outcome == TOOL_MISSING
    assert "LibreOffice" in e.value.message and "libreoffice-writer" in e.value.message


def test_libreoffice_hang_times_out_and_is_killed(monkeypatch, tmp_path):
    """A converter that never finishes is stopped at the time limit, its process group killed."""
    pidfile = tmp_path / "pid"
    fake = tmp_path / "soffice"
    fake.write_text(f"#!/bin/sh\necho $$ > {pidfile}\nexec sleep 60\n")
    fake.chmod(0o755)
    monkeypatch.setenv("NIANBAO_SOFFICE", str(fake))
    t = time.monotonic()
    with pytest.raises(ReadError) as e:
        read(fixture_bytes("merged.doc"), "merged.doc", Limits(timeout_s=1.0))
    assert e.value.outcome == TIMEOUT
    assert time.monotonic() - t < 10
    pid = int(pidfile.read_text())
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_office_profile_is_fresh_per_conversion(monkeypatch, tmp_path):
    """The -env:UserInstallation argument differs between two runs (and is removed afterwards)."""
    log = tmp_path / "args"
    fake = tmp_path / "soffice"
    fake.write_text(f'#!/bin/sh\nfor a in "$@"; do case "$a" in -env:*) echo "$a" >> {log};; esac; done\nexit 0\n')
    fake.chmod(0o755)
    monkeypatch.setenv("NIANBAO_SOFFICE", str(fake))
    for _ in range(2):
        with pytest.raises(ReadError) as e:  # the fake writes no output file
            read(fixture_bytes("merged.doc"), "merged.doc")
        assert e.value.outcome == PARSE_FAILED
    profiles = log.read_text().split()
    assert len(profiles) == 2 and profiles[0] != profiles[1]
    assert all(p.startswith("-env:UserInstallation=file:///") and f"nianbao-lo-{os.getpid()}-" in p for p in profiles)


# ---------------------------------------------------------------------------------------------
# PDF
# ---------------------------------------------------------------------------------------------
def test_pdf_text_layer():
    ex = read(fixture_bytes("merged.pdf"), "merged.pdf")
    assert ex.format == "pdf" and ex.pages == 1 and ex.ocr is False
    for values in TABLE3_VALUES:
        assert rows_with_values(ex.text, values), values
    assert "规章 2 1 15" in lines(ex)
    assert ex.meta["pdf_creation_date"][:2] == "20" and len(ex.meta["pdf_creation_date"]) == 10
    assert "\r" not in ex.text


def test_pdfplumber_fallback_tables():
    tsv = pdf_reader.extract_tables_pdfplumber(fixture_bytes("merged.pdf"), [0])
    got = tsv.splitlines()
    assert "规章\t2\t1\t15" in got
    assert "一、本年新收政府信息公开申请数量\t\t\t27\t3\t0\t1\t2\t0\t33" in got
    assert pdf_reader.extract_tables_pdfplumber(fixture_bytes("merged.pdf"), [5]) == ""


@pytest.mark.slow
def test_scanned_pdf_is_read_by_ocr():
    ex = read(fixture_bytes("scanned.pdf"), "scanned.pdf")
    assert ex.format == "pdf" and ex.ocr is True and ex.meta["ocr_pages"] == [1]
    for values in TABLE3_VALUES:
        assert rows_with_values(ex.text, values), (values, ex.text)
    assert "三、收到和处理政府信息公开申请情况" in ex.text
    assert any(line.split("\t") == ["规章", "2", "1", "15"] for line in lines(ex))
    # the ruled table comes back as the same grid the Word file has (OCR may use ASCII brackets)
    got = [line.replace(")", "）").replace("(", "（") for line in lines(ex)]
    for row in TABLE3_GRID[3:]:
        assert row in got, (row, ex.text)


def test_scanned_pdf_over_ocr_limit_is_not_machine_readable():
    with pytest.raises(ReadError) as e:
        read(fixture_bytes("scanned.pdf"), "scanned.pdf", Limits(ocr_max_pages=0))
    assert e.value.outcome == NOT_MACHINE_READABLE
    assert "NIANBAO_PARSE_OCR_MAX_PAGES" in e.value.message


@pytest.mark.slow
def test_image_file_is_read_by_ocr():
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(fixture_bytes("merged.pdf"))
    page = doc[0]
    w, h = page.get_size()
    img = page.render(scale=200 / 72, crop=(0, h * 0.55, 0, 0)).to_pil()  # the top of the page
    buf = io.BytesIO()
    img.save(buf, "PNG")
    doc.close()
    ex = read(buf.getvalue(), "page.png")
    assert ex.format == "image" and ex.ocr is True
    assert "政府信息公开工作年度报告" in ex.text
    assert any(line.split("\t") == ["行政规范性文件", "12", "4", "86"] for line in lines(ex)), ex.text


def test_pdf_helpers():
    assert pdf_reader.pdf_date("D:20250225100250+08'00'") == "2025-02-25"
    assert pdf_reader.pdf_date("D:2024") == "2024-01-01"
    assert pdf_reader.pdf_date("garbage") is None and pdf_reader.pdf_date(None) is None
    assert pdf_reader.usable("一、总体情况 2023年全年收到申请33件")
    assert not pdf_reader.usable("\ue001\ue002\ue003" * 20)  # glyph codes without a ToUnicode map
    assert not pdf_reader.usable("- 3 -")


# ---------------------------------------------------------------------------------------------
# OCR layout and the dispatch
# ---------------------------------------------------------------------------------------------
def _box(x0, x1, y0, text, h=20):
    return ocr_reader.Box(x0, x1, y0, y0 + h, text)


def test_ocr_rows_rebuilt_from_boxes():
    boxes = [
        _box(700, 760, 104, "27"),  # a value slightly lower than its label: same row
        _box(100, 500, 100, "一、本年新收政府信息公开申请数量"),
        _box(820, 840, 102, "3"),
        _box(100, 300, 160, "二、上年结转"),
        _box(310, 420, 161, "政府信息"),  # nearly touching: the same run of text
        _box(100, 900, 220, "2023年，全年收到申请33件。"),
    ]
    rows = ocr_reader.group_rows(boxes)
    assert [len(r) for r in rows] == [3, 2, 1]
    assert ocr_reader.rows_to_text(rows).splitlines() == [
        "一、本年新收政府信息公开申请数量\t27\t3",
        "二、上年结转政府信息",
        "2023年，全年收到申请33件。",
    ]


def test_sniff_formats():
    assert sniff(b"%PDF-1.7\n...") == "pdf"
    assert sniff(b"{\\rtf1\\ansi ...", "a.doc") == "rtf"
    assert sniff(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "report.wps") == "wps"
    assert sniff(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "report.doc") == "doc"
    assert sniff(b"\x89PNG\r\n\x1a\n") == "image"
    assert sniff(b"  <!DOCTYPE html><html>") == "html"


def test_tidy_keeps_trailing_empty_cells():
    assert tidy("规章\t\t\t\r\n\r\n\r\n\r\n正文  \n") == "规章\t\t\t\n\n正文"


def test_text_reader_gbk():
    ex = read("一、总体情况\n2023年收到申请33件。".encode("gbk"), "a.txt")
    assert ex.format == "txt" and lines(ex) == ["一、总体情况", "2023年收到申请33件。"]


def test_xlsx_merged_cells(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["行政复议", None, "行政诉讼"])
    ws.append(["结果维持", "结果纠正", "未经复议直接起诉"])
    ws.append([1, 0, 2.0])
    ws.merge_cells("A1:B1")
    p = tmp_path / "t.xlsx"
    wb.save(p)
    ex = read(p.read_bytes(), "t.xlsx")
    assert lines(ex) == ["行政复议\t\t行政诉讼", "结果维持\t结果纠正\t未经复议直接起诉", "1\t0\t2"]
    ex2 = read(p.read_bytes(), "download.docx")  # a workbook behind a misleading name
    assert ex2.format == "xlsx" and lines(ex2) == lines(ex)


def test_office_soffice_path_setting(monkeypatch):
    monkeypatch.setenv("NIANBAO_SOFFICE", "/nonexistent")
    assert office.soffice_path() is None
    monkeypatch.setenv("NIANBAO_SOFFICE", "no-such-office-binary")
    assert office.soffice_path() is None
    monkeypatch.setenv("NIANBAO_SOFFICE", "sh")  # a bare name is looked up on PATH
    assert office.soffice_path() == shutil.which("sh")
    monkeypatch.delenv("NIANBAO_SOFFICE")
    assert office.soffice_path() == (shutil.which("soffice") or shutil.which("libreoffice"))


def test_ruled_table_cells_and_spans():
    """Lines drawn like the template's table: a header cell over two columns, a label over two rows."""
    import numpy as np

    from parsers.readers import ruled

    img = np.full((400, 800), 255, np.uint8)
    xs, ys = [100, 300, 500, 700], [50, 150, 250, 350]
    for y in ys:
        img[y : y + 2, 100:702] = 0
    for x in xs:
        img[50:352, x : x + 2] = 0
    img[52:150, 500:502] = 255  # no line between the two right cells of the first row: merged
    img[250:252, 102:300] = 255  # no line under the first cell of row 2: it spans rows 2 and 3
    tables = ruled.find_tables(img)
    assert len(tables) == 1
    t = tables[0]
    assert (t.nrows, t.ncols) == (3, 3)
    spans = sorted((c.row, c.col, c.rowspan, c.colspan) for c in t.cells)
    assert spans == [(0, 0, 1, 1), (0, 1, 1, 2), (1, 0, 2, 1), (1, 1, 1, 1), (1, 2, 1, 1), (2, 1, 1, 1), (2, 2, 1, 1)]
    for c, text in zip(sorted(t.cells, key=lambda c: (c.row, c.col)), "ABCEFGH"):  # (a lone D would read as a misread 0)
        c.parts.append((c.y0, c.x0, text, 20))
    assert ["\t".join(r) for r in ruled.render_grid(t)] == ["A\tB\t", "C\tE\tF", "\tG\tH"]
    assert ruled.find_tables(np.full((400, 800), 255, np.uint8)) == []


@pytest.mark.slow
def test_table_pasted_as_picture_is_ocrd_in_place():
    """A text PDF whose table 2 is a screenshot: the table's OCR text sits between the text around it."""
    ex = read(fixture_bytes("picture_table.pdf"), "picture_table.pdf")
    assert ex.ocr is True and ex.meta["ocr_picture_pages"] == [1]
    got = lines(ex)
    order = [got.index("二、主动公开政府信息情况"), got.index(TABLE2_GRID[0]), got.index(TABLE2_GRID[2]),
             got.index("五、存在的主要问题及改进情况")]
    assert order == sorted(order)
    assert got[order[1] : order[1] + 3] == TABLE2_GRID


def test_picture_pages_count_against_the_ocr_limit():
    ex = read(fixture_bytes("picture_table.pdf"), "picture_table.pdf", Limits(ocr_max_pages=0))
    assert ex.ocr is False and ex.meta["ocr_skipped_pages"] == [1]
    assert "规章" not in ex.text and "二、主动公开政府信息情况" in lines(ex)


def test_html_generic_container_name_on_a_sidebar_is_not_the_body():
    page = """<html><body>
    <div class="side"><div class="content">热点专题：优化营商环境专栏介绍文字若干行内容</div></div>
    <div class="main"><div class="article">
      <p>某某县人民政府2024年政府信息公开工作年度报告</p>
      <p>一、总体情况。2024年，某某县人民政府坚持以习近平新时代中国特色社会主义思想为指导，全面推进政务公开，</p>
      <p>不断提升政府信息公开工作质量和实效，切实保障人民群众知情权、参与权、表达权和监督权。</p>
    </div></div></body></html>"""
    ex = read(page.encode("utf-8"), "x.html")
    assert lines(ex)[0] == "某某县人民政府2024年政府信息公开工作年度报告"
    assert "营商环境" not in ex.text


def test_docx_tracked_changes_show_the_final_text():
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    d = docx.Document()
    p = d.add_paragraph("全年收到申请")
    p._p.append(parse_xml(f'<w:del {nsdecls("w")} w:id="1" w:author="a"><w:r><w:delText>30</w:delText></w:r></w:del>'))
    p._p.append(parse_xml(f'<w:ins {nsdecls("w")} w:id="2" w:author="a"><w:r><w:t>33</w:t></w:r></w:ins>'))
    p._p.append(parse_xml(f'<w:moveFrom {nsdecls("w")} w:id="3" w:author="a"><w:r><w:t>（移走）</w:t></w:r></w:moveFrom>'))
    p.add_run("件。")
    buf = io.BytesIO()
    d.save(buf)
    assert read(buf.getvalue(), "x.docx").text == "全年收到申请33件。"


@pytest.mark.slow
def test_wps_name_is_converted():
    ex = read(fixture_bytes("merged.doc"), "report.wps")
    assert ex.format == "wps"
    assert TABLE3_GRID[3] in lines(ex)


@pytest.mark.slow
def test_pdf_with_garbage_text_layer_is_ocrd():
    """Glyphs without a ToUnicode map give control characters, not text: the page is OCR'd."""
    import unicodedata

    ex = read(fixture_bytes("no_tounicode.pdf"), "no_tounicode.pdf")
    assert ex.ocr is True and ex.meta["ocr_pages"] == [1]
    got = [unicodedata.normalize("NFKC", line) for line in lines(ex)]
    assert got == [
        "二、主动公开政府信息情况",
        "规章\t2\t1\t15",
        "行政规范性文件\t12\t4\t86",
        "一、本年新收申请数量\t27\t3\t0\t1\t2\t0\t33",
    ]


def test_html_two_column_layout_table_is_not_one_cell():
    para = "2024年，本单位坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实政府信息公开条例，" * 3
    page = f"""<html><body><table><tr>
      <td><a href="/1">首页</a><br><a href="/2">机构设置</a></td>
      <td><p>某某局2024年政府信息公开工作年度报告</p><p>一、总体情况</p><p>{para}</p>
      <p>二、主动公开政府信息情况</p></td></tr></table></body></html>"""
    ex = read(page.encode("utf-8"), "x.html")
    assert lines(ex) == ["某某局2024年政府信息公开工作年度报告", "一、总体情况", para, "二、主动公开政府信息情况"]


def test_mht_web_archive_reads_its_html_part():
    import base64

    html_part = fixture_bytes("gbk_no_meta.html")
    mht = (
        b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"XX\"; type=\"text/html\"\r\n\r\n"
        b"--XX\r\nContent-Type: text/html; charset=\"gb2312\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + base64.encodebytes(html_part) + b"\r\n--XX--\r\n"
    )
    ex = read(mht, "report.mht")
    assert ex.format == "mht"
    assert ex.text == read(fixture_bytes("table.html"), "table.html").text


@pytest.mark.slow
def test_docx_picture_of_a_table_is_ocrd_in_place():
    ex = read(fixture_bytes("picture_table.docx"), "picture_table.docx")
    assert ex.ocr is True and ex.meta["ocr_pictures"] == 1
    got = lines(ex)
    start = got.index(TABLE2_GRID[0])
    assert got[start : start + 3] == TABLE2_GRID
    assert got.index("二、主动公开政府信息情况") < start < got.index("五、存在的主要问题及改进情况")


def test_docx_pictures_count_against_the_ocr_limit():
    ex = read(fixture_bytes("picture_table.docx"), "picture_table.docx", Limits(ocr_max_pages=0))
    assert ex.ocr is False and ex.meta["ocr_skipped_pictures"] == 1
    assert "规章" not in ex.text and "二、主动公开政府信息情况" in lines(ex)
