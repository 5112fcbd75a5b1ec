"""The parser reads the same report whatever format a portal serves it in.

Every fixture in tests/fixtures/formats/ (made by tests/fixtures/make_fixtures.py from the bundled
report contents) must parse to the cells of its sibling ``*.expected.json``: tables 2, 3 and 4,
the section list, and for planted defects the blank cells. The renderer's own tests follow.
"""
from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from format_helpers import FIXTURES, describe, load_expected, wrong_cells

FORMATS = FIXTURES / "formats"
SLOW_SUFFIXES = (".pdf", ".doc")  # LibreOffice / pdfplumber / OCR take seconds


def _cases():
    out = []
    for path in sorted(FORMATS.iterdir()) if FORMATS.is_dir() else []:
        if path.name.endswith(".expected.json"):
            continue
        exp = path.with_name(path.name.rsplit(".", 1)[0] + ".expected.json")
        marks = [pytest.mark.slow] if path.name.endswith(SLOW_SUFFIXES) else []
        out.append(pytest.param(path, exp, id=path.name, marks=marks))
    return out


CASES = _cases()

# Layouts the parser cannot place cell by cell. For these the bar is lower but strict: no cell
# may be misread (a wrong number is a false accusation), and what it could not place it says.
CANNOT_PLACE = {
    # raw (non-layout) pdftotext of a LibreOffice PDF: merged label cells scatter values far from
    # their rows (the 总计 of (二) lands after two later labels). nianbao reads PDFs with pdfium,
    # whose content-stream order keeps rows together; this is text a portal might paste.
    "hongze_district_2024.pdf-text.txt",
}


def test_every_fixture_has_its_expectation():
    assert len(CASES) >= 60, f"tests/fixtures/formats holds only {len(CASES)} fixtures: run tests/fixtures/make_fixtures.py"
    missing = [p.values[0].name for p in CASES if not p.values[1].exists()]
    assert not missing, f"fixtures without an .expected.json: {missing}"


@pytest.mark.parametrize("path,expected_path", CASES)
def test_fixture_parses_to_its_cells(path: Path, expected_path: Path):
    from parsers.api import parse_path

    exp = load_expected(expected_path)
    report = parse_path(path)
    extra = []
    if report.sections_present != exp["sections_present"]:
        extra.append(f"sections_present: expected {exp['sections_present']}, got {report.sections_present}")
    missing_blank = [c for c in exp.get("blank_cells", []) if c not in report.blank_cells]
    if missing_blank:
        extra.append(f"blank_cells: {missing_blank} not reported as blank (got {report.blank_cells})")
    if exp.get("template_format") == "2019" and report.format != "2019":
        extra.append(f"format: expected the 2019 trial format, got {report.format!r}")
    if exp.get("expected_findings") and report.status == "ok":
        from monitor.rules import check

        rules = {f.rule for f in check(report)}
        for want in exp["expected_findings"]:
            if want["rule"] not in rules:
                extra.append(f"finding {want['rule']!r} expected, the rules gave {sorted(rules)}")
    wrong = wrong_cells(report, exp)
    if path.name in CANNOT_PLACE:
        from format_helpers import expected_cells, same_value

        misread = [p for p, want in expected_cells(exp).items() if report.cell(p) is not None and not same_value(want, report.cell(p))]
        unplaced = [p for p, want in expected_cells(exp).items() if report.cell(p) is None and want is not None]
        assert not misread, describe(report, path.name, misread)
        assert set(unplaced) <= set(report.uncertain_cells) | set(report.blank_cells), f"unplaced cells not reported uncertain: {sorted(set(unplaced) - set(report.uncertain_cells))}"
        assert len(unplaced) < len(expected_cells(exp)) // 2, "most of the report should still be read"
        return
    assert report.status == "ok" and not wrong and not extra, describe(report, path.name, wrong, extra)


# ---------------------------------------------------------------------------------------------
# The renderer itself (crawler/sample_portal/render.py)
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def R():
    from crawler.sample_portal import render

    return render


def _html_tables(data: bytes, encoding: str = "utf-8"):
    import lxml.html

    doc = lxml.html.fromstring(data.decode(encoding))
    return doc.xpath("//table[.//td[@rowspan or @colspan]]")


def _cell(table, text: str):
    for td in table.iter("td"):
        if td.text_content().strip() == text:
            return td
    raise AssertionError(f"no cell {text!r}")


def test_bundled_contents_are_the_labelled_reports(R):
    names = R.list_content()
    for n in ("hongze_district_2024", "huaian_city_2024", "panzhihua_office_2022", "luzhou_city_2022"):
        assert n in names
    for n in names:
        c = R.load_content(n)
        assert all(c.sections.get(k) for k in (1, 5)), f"{n}: sections 1 and 5 have narrative"
        assert len(c.table3) in (23, 25), f"{n}: {len(c.table3)} table-3 rows"
        assert ("other_single" in c.table3) == n.startswith("hongze"), n
    luzhou = R.load_content("luzhou_city_2022")
    assert "習" not in luzhou.sections[1] and "(xí)" not in luzhou.sections[1] and "习近平" in luzhou.sections[1]


def test_bundled_tables_equal_the_labels(R):
    """The contents' tables are the hand readings of tests/fixtures/seeds and real, cell for cell."""
    import json

    sources = {
        "panzhihua_office_2022": "seeds/000_8c6d284e19164a25",
        "luzhou_city_2022": "seeds/001_451407376180ac87",
        "renhe_district_2024": "seeds/002_bcfa5578fb71ac8f",
        "vanadium_hitech_zone_2023": "seeds/003_52ff68fbeae871ae",
        "erqi_office_2022": "seeds/004_df7582ad909b4c7e",
        "hongze_district_2023": "real/hongze_district_2023",
        "hongze_district_2024": "real/hongze_district_2024",
        "huaian_city_2024": "real/huaian_city_2024",
    }
    for name, stem in sources.items():
        c = R.load_content(name)
        label = json.loads((FIXTURES / f"{stem}.expected.json").read_text(encoding="utf-8"))
        assert (c.agency, c.year, c.signature_date) == (label["agency"], label["year"], label["signature_date"]), name
        assert (c.table2, c.table4) == (label["table2"], label["table4"]), name
        assert {k: v for k, v in c.table3.items() if k != "other_single"} == label["table3"], name
        if "other_single" in c.table3:  # (六) printed as one row: the outcome rows still add up to (七)
            rows = [v for k, v in c.table3.items() if k not in ("new", "carried_over", "outcome_total", "carried_forward")]
            assert [sum(col) for col in zip(*rows)] == c.table3["outcome_total"], name


def test_text_layouts_show_the_traps(R):
    c = R.load_content("panzhihua_office_2022")
    glued = R.to_text(c, "glued")
    assert "一、本年新收政府信息公开申请数量\t180000018" in glued
    cells = R.to_text(c, "one_cell_per_line").split("\n")
    i = cells.index("一、本年新收政府信息公开申请数量")
    assert cells[i + 1 : i + 8] == ["18", "0", "0", "0", "0", "0", "18"]
    lv = R.to_text(c, "label_then_values").split("\n")
    i = lv.index("（七）总计")
    assert lv[i + 1] == "\t".join(["18", "0", "0", "0", "0", "0", "18"])
    md = R.to_text(c, "markdown")
    assert md.startswith("# 攀枝花市人民政府办公室2022年") and "|---|" in md
    pipe = R.to_text(c, "pipe")
    assert "规章 | 1 | 0 | 2 |" in pipe
    with pytest.raises(ValueError):
        R.to_text(c, "nonsense")


def test_html_has_the_templates_merged_cells(R):
    c = R.load_content("huaian_city_2024")
    tables = _html_tables(R.to_html(c))
    assert len(tables) == 3
    t2, t3, t4 = tables
    assert _cell(t2, "第二十条第（一）项").get("colspan") == "4"
    assert _cell(t3, "法人或其他组织").get("colspan") == "5"
    assert _cell(t3, "申请人情况").get("colspan") == "7"
    head = t3.xpath(".//td")[0]
    assert (head.get("rowspan"), head.get("colspan")) == ("3", "3")
    assert _cell(t3, "三、本年度办理结果").get("rowspan") == "22"
    assert _cell(t3, "（三）不予公开").get("rowspan") == "8"
    assert _cell(t3, "（六）其他处理").get("rowspan") == "3"
    assert _cell(t3, "自然人").get("rowspan") == "2"
    assert _cell(t4, "行政诉讼").get("colspan") == "10"
    assert _cell(t4, "未经复议直接起诉").get("colspan") == "5"
    # every grid row of table 3 spans the same 10 columns once merges are expanded
    dense = R.dense(R.table3_grid(c))
    assert {len(r) for r in dense} == {10} and len(dense) == 28
    assert dense[3][3:] == [str(v) for v in c.table3["new"]]


def test_single_other_row_is_one_row(R):
    c = R.load_content("hongze_district_2024")
    t3 = _html_tables(R.to_html(c))[1]
    assert _cell(t3, "三、本年度办理结果").get("rowspan") == "20"
    other = _cell(t3, "（六）其他处理")
    assert other.get("colspan") == "2" and other.get("rowspan") is None
    assert len(R.dense(R.table3_grid(c))) == 26


def test_gbk_traps(R):
    c = R.load_content("luzhou_city_2022")
    wrong = R.to_html(c, charset="gbk", declared_charset="utf-8")
    with pytest.raises(UnicodeDecodeError):
        wrong.decode("utf-8")
    assert b"charset=utf-8" in wrong and c.agency in wrong.decode("gbk")
    missing = R.to_html(c, charset="gbk", declared_charset=None)
    assert b"charset" not in missing.lower() and c.agency in missing.decode("gbk")


def test_traditional_page_and_meta(R):
    c = R.load_content("panzhihua_office_2022")
    page = R.to_html(c, traditional=True, pub_date="2023-01-20 10:00", extra_meta={"DocId": "80629"}).decode("utf-8")
    assert "攀枝花市人民政府辦公室" in page and "總體情況" in page
    assert '<meta name="PubDate" content="2023-01-20 10:00"/>' in page and 'name="DocId"' in page
    assert R.to_html(c) == R.to_html(c), "rendering is deterministic"
    hanweb = R.to_html(c, cms="hanweb").decode()
    assert 'id="zoom"' in hanweb and "索引号" in hanweb and 'class="TRS_Editor"' in R.to_html(c).decode()


def test_variants_leave_the_original_alone(R):
    c = R.load_content("erqi_office_2022")
    v = c.with_cell("table3.new[6]", 99).with_cell("table4.review.total", 7).with_cell("table2.licensing", 5)
    assert (v.table3["new"][6], v.table4["review"]["total"], v.table2["licensing"]) == (99, 7, 5)
    assert (c.table3["new"][6], c.table4["review"]["total"], c.table2["licensing"]) == (62, 1, 0)
    other = c.replace(agency="某某县人民政府", year=2023)
    assert other.agency == "某某县人民政府" and c.agency != other.agency
    moved = R.shift_year(c, 2020)
    assert moved.year == 2020 and "2020年" in moved.title and "2022" not in moved.sections[1]
    single = R.collapse_other(c)
    assert single.table3["other_single"] == [3, 0, 0, 0, 0, 0, 3] and "other.other" not in single.table3


def test_blank_and_extra_cells_are_printed(R):
    c = R.load_content("huaian_city_2024").replace(blank_cells=["table3.new[6]"], blank_mark="/", extra_cells={"table4": "0"})
    t3 = R.dense(R.table3_grid(c))
    assert t3[3][9] == "/"
    t4 = R.table4_grid(c)
    assert len(t4[-1]) == 16


def test_docx_fills_the_national_template(R):
    import docx

    c = R.load_content("huaian_city_2024")
    d = docx.Document(io.BytesIO(R.to_docx(c)))
    assert len(d.tables) == 3
    t2, t3, t4 = d.tables
    assert t2.cell(3, 3).text == "66" and t2.cell(13, 1).text == "96171.6"
    assert [t3.cell(3, 3 + i).text for i in range(7)] == [str(v) for v in c.table3["new"]]
    assert [t3.cell(27, 3 + i).text for i in range(7)] == [str(v) for v in c.table3["carried_forward"]]
    assert t4.cell(3, 4).text == "351" and t4.cell(3, 14).text == "20"
    text = "\n".join(p.text for p in d.paragraphs)
    assert "一、总体情况" in text and "六、其他需要报告的事项" in text and "3940" in text
    single = docx.Document(io.BytesIO(R.to_docx(R.load_content("hongze_district_2023"))))
    assert len(single.tables[1].rows) == 26


@pytest.mark.slow
def test_converters_make_real_documents(R, tmp_path):
    import pypdf

    c = R.load_content("erqi_office_2022")
    lo = R.to_pdf(c)
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(lo)).pages)
    assert "一、总体情况" in text and "二七区" in text
    assert pypdf.PdfReader(io.BytesIO(lo)).metadata["/CreationDate"].startswith("D:20230120")
    chrome = R.to_pdf(c, engine="chromium")
    assert "结转下年度继续办理" in "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(chrome)).pages)
    doc = R.to_doc(c)
    assert doc[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    scan = pypdf.PdfReader(io.BytesIO(R.to_scan_pdf(c, dpi=100)))
    assert len(scan.pages) == len(pypdf.PdfReader(io.BytesIO(lo)).pages)
    assert all(not (p.extract_text() or "").strip() for p in scan.pages), "a scan has no text layer"


@pytest.mark.slow
def test_committed_fixtures_match_the_renderer(R, tmp_path):
    """Re-running make_fixtures.py gives the committed text, HTML and Word fixtures byte for byte."""
    root = Path(__file__).resolve().parents[1]
    proc = subprocess.run(
        [sys.executable, str(FIXTURES / "make_fixtures.py"), "--no-slow", "--out", str(tmp_path)],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    made = [p for p in tmp_path.iterdir() if p.suffix in (".html", ".txt", ".json", ".docx")]
    assert len(made) > 40
    differ = [p.name for p in made if not (FORMATS / p.name).exists() or (FORMATS / p.name).read_bytes() != p.read_bytes()]
    assert not differ, f"committed fixtures are stale, run tests/fixtures/make_fixtures.py: {differ[:10]}"
    assert sum(p.stat().st_size for p in FORMATS.iterdir()) < 15_000_000
    with zipfile.ZipFile(FORMATS / "erqi_office_2022.word.docx") as z:
        assert "word/document.xml" in z.namelist()
