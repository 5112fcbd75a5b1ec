"""Report layouts the parser had not seen, as portals and converters really produce them.

Each variant is built from one set of known values (tests/fixtures/unseen/build.py) and rendered
as an HTML page (cells wrapped in <p><span> with &nbsp;), a Word .docx and tab-separated text;
every rendering must parse back to exactly those values, the six sections, the year and the
agency. The values differ from column to column, so a shifted or transposed cell shows.
"""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from parsers import template as T
from parsers.api import parse_bytes, parse_text
from parsers.sections import match_heading

_spec = importlib.util.spec_from_file_location("unseen_build", Path(__file__).parent / "fixtures" / "unseen" / "build.py")
B = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(B)  # type: ignore[union-attr]

RENDERERS = {
    "html": (lambda b: B.to_html(b, cell_style="p_span"), "report.html"),
    "docx": (B.to_docx, "report.docx"),
    "txt": (B.to_text, "report.txt"),
}


def expected_cells(v: dict) -> dict[str, object]:
    out: dict[str, object] = {}
    for row in T.TABLE2_ROWS:
        x = v["table2"][row.key]
        if row.columns:
            out.update({f"table2.{row.key}.{c}": x[c] for c in row.columns})
        else:
            out[f"table2.{row.key}"] = x
    for k, vals in v["table3"].items():
        out.update({T.table3_cell(k, i): x for i, x in enumerate(vals)})
    for g, d in v["table4"].items():
        out.update({f"table4.{g}.{c}": x for c, x in d.items()})
    return out


def assert_parses(blocks, fmt: str, v=None, *, year=2023, agency="青山县人民政府", skip=()):
    render, name = RENDERERS[fmt]
    r = parse_bytes(render(blocks), name)
    v = v or B.values()
    wrong = [
        f"{p}: expected {want!r}, got {r.cell(p)!r}"
        for p, want in expected_cells(v).items()
        if not p.startswith(skip) and str(r.cell(p)) != str(want)
    ]
    meta = {"year": (year, r.year), "agency": (agency, r.agency), "sections": ([1, 2, 3, 4, 5, 6], r.sections_present)}
    wrong += [f"{k}: expected {a!r}, got {b!r}" for k, (a, b) in meta.items() if a != b]
    notes = "; ".join(f"[{n.code}] {n.detail}" for n in r.parse_notes[:6])
    assert not wrong, f"{fmt}: {len(wrong)} wrong\n  " + "\n  ".join(wrong[:20]) + f"\n  notes: {notes}"
    return r


# ---------------------------------------------------------------------------------------------
# variants
# ---------------------------------------------------------------------------------------------
V = B.values()
T4 = V["table4"]
T4_COLS = ("upheld", "corrected", "other", "pending", "total")
T4_GROUPS = (("review", "行政复议"), ("litigation_direct", "行政诉讼（未经复议直接起诉）"), ("litigation_after_review", "行政诉讼（复议后起诉）"))
COL_NAMES = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")


def _t4_three_rows():
    rows = [[""] + list(COL_NAMES)] + [[label] + [str(T4[g][c]) for c in T4_COLS] for g, label in T4_GROUPS]
    return B.report_blocks(t4=[("table", rows)])


def _t4_transposed():
    rows = [["", "行政复议", "未经复议直接起诉", "复议后起诉"]]
    rows += [[name] + [str(T4[g][c]) for g, _ in T4_GROUPS] for c, name in zip(T4_COLS, COL_NAMES)]
    return B.report_blocks(t4=[("table", rows)])


def _t3_split_repeated_header():
    rows = B.deep(B.table3_rows(V))
    head = B.table3_header()
    first, second = rows[:4], rows[4:]
    first[2][0] = ("三、本年度办理结果", 1, 2)
    return B.report_blocks(t3=[("table", head + first), ("p", "（续表）"), ("table", head + second)])


def _t3_header(edit):
    head = B.deep(B.table3_header())
    edit(head)
    return B.report_blocks(t3=[("table", head + B.table3_rows(V))])


def _t3_rows(edit):
    rows = B.deep(B.table3_rows(V))
    for r in rows:
        for i, c in enumerate(r):
            r[i] = edit(c)
    return B.report_blocks(t3=[("table", B.table3_header() + rows)])


def _strip_list_number(c):
    if isinstance(c, str) and len(c) > 2 and c[0].isdigit() and c[1] == ".":
        return c[2:]
    return c


def _t3_group_rows(mark: str, prefixed: bool = False):
    """Table 3 with one label column: group headings on their own rows (cells empty or "—"),
    or each row's label prefixed with its group."""
    rows = []
    for key, label in B.T3_LABELS:
        group = key.split(".")[0] if "." in key else None
        if prefixed:
            label = (B.GROUP_OF[group] + label) if group else label
        elif group and label.startswith("1."):
            rows.append([(B.GROUP_OF[group], 3, 1)] + [mark] * 7)
        rows.append([(label, 3, 1)] + [str(x) for x in V["table3"][key]])
    return B.report_blocks(t3=[("table", B.table3_header() + rows)])


def _t2_unit_column():
    rows = [
        [("第二十条第（一）项", 5, 1)], ["信息内容", "单位", "本年制发件数", "本年废止件数", "现行有效件数"],
        ["规章", "件", "0", "0", "0"], ["行政规范性文件", "件", "12", "3", "156"],
        [("第二十条第（五）项", 5, 1)], ["信息内容", "单位", ("本年处理决定数量", 3, 1)], ["行政许可", "件", ("3119", 3, 1)],
        [("第二十条第（六）项", 5, 1)], ["信息内容", "单位", ("本年处理决定数量", 3, 1)],
        ["行政处罚", "件", ("487", 3, 1)], ["行政强制", "件", ("26", 3, 1)],
        [("第二十条第（八）项", 5, 1)], ["信息内容", "单位", ("本年收费金额", 3, 1)], ["行政事业性收费", "万元", ("12.5", 3, 1)],
    ]
    return B.report_blocks(t2=[("table", rows)])


def _t2_merged_headers():
    rows = [
        [("第二十条第（一）项", 4, 1)], ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
        ["规章", "0", "0", "0"], ["行政规范性文件", "12", "3", "156"],
        [("第二十条第（五）项、第（六）项、第（八）项", 4, 1)],
        ["信息内容", ("本年处理决定数量/本年收费金额（单位：万元）", 3, 1)],
        ["行政许可", ("3119", 3, 1)], ["行政处罚", ("487", 3, 1)], ["行政强制", ("26", 3, 1)], ["行政事业性收费", ("12.5", 3, 1)],
    ]
    return B.report_blocks(t2=[("table", rows)])


def _headings(fn):
    return B.report_blocks(headings={i: fn(i, B.HEADINGS[i]) for i in range(1, 7)})


_CN = "一二三四五六"
_FW = str.maketrans("0123456789,", "０１２３４５６７８９，")

VARIANTS = {
    "table4 as three rows of five": _t4_three_rows,
    "table4 transposed five rows by three": _t4_transposed,
    "table3 split in two tables, header repeated": _t3_split_repeated_header,
    "table3 header says 社会组织": lambda: _t3_header(lambda h: h[2].__setitem__(2, "社会组织")),
    "table3 header says 社会组织/其他组织": lambda: _t3_header(lambda h: h[1].__setitem__(1, ("社会组织/其他组织", 5, 1))),
    "table3 labels with 1、": lambda: _t3_rows(lambda c: c[0] + "、" + c[2:] if isinstance(c, str) and c[1:2] == "." else c),
    "table3 labels without list numbers (3.其他 as 其他)": lambda: _t3_rows(_strip_list_number),
    "table3 （七）合计": lambda: _t3_rows(lambda c: ("（七）合计", 2, 1) if c == ("（七）总计", 2, 1) else c),
    "table3 group headings on their own empty rows": lambda: _t3_group_rows(""),
    "table3 group headings with — in every cell": lambda: _t3_group_rows("—"),
    "table3 labels prefixed with their group": lambda: _t3_group_rows("", prefixed=True),
    "table2 with a 单位 column": _t2_unit_column,
    "table2 (五)(六)(八) headers merged": _t2_merged_headers,
    "numbers with thousands separators": lambda: B.report_blocks(num=lambda n: f"{n:,}"),
    "full-width digits and separators": lambda: B.report_blocks(num=lambda n: f"{n:,}".translate(_FW)),
    "cells holding 0件": lambda: B.report_blocks(num=lambda n: f"{n}件"),
    "headings （一）总体情况": lambda: _headings(lambda i, h: f"（{_CN[i - 1]}）{h[2:]}"),
    "headings 一．总体情况": lambda: _headings(lambda i, h: h.replace("、", "．", 1)),
    "headings with a trailing colon": lambda: _headings(lambda i, h: h + "："),
    "headings without numerals": lambda: _headings(lambda i, h: h[2:]),
    "headings 1.总体情况": lambda: _headings(lambda i, h: f"{i}.{h[2:]}"),
    "headings 第一部分 总体情况": lambda: _headings(lambda i, h: f"第{_CN[i - 1]}部分 {h[2:]}"),
    "headings with a space for 、": lambda: _headings(lambda i, h: h.replace("、", " ")),
    "long section 四/五 headings": lambda: B.report_blocks(headings={
        4: "四、因政府信息公开工作被申请行政复议和提起行政诉讼情况", 5: "五、政府信息公开工作存在的主要问题及改进情况"}),
}


@pytest.mark.parametrize("fmt", list(RENDERERS))
@pytest.mark.parametrize("variant", list(VARIANTS))
def test_variant_parses_to_its_values(variant, fmt):
    assert_parses(VARIANTS[variant](), fmt)


def test_transposed_table4_is_noted():
    r = assert_parses(_t4_transposed(), "txt")
    assert any(n.code == "table4_transposed" for n in r.parse_notes)


def test_html_heading_bold_inside_a_table_cell():
    blocks = B.report_blocks(headings={i: B.HEADINGS[i].replace("、", "．") + "：" for i in range(1, 7)})
    r = parse_bytes(B.to_html(blocks, heading_in_table=True), "report.html")
    assert r.sections_present == [1, 2, 3, 4, 5, 6]
    assert r.table4["review"]["total"] == 13 and r.table3["new"][6] == V["table3"]["new"][6]


@pytest.mark.parametrize("fmt", list(RENDERERS))
def test_2019_trial_format_report_for_2020(fmt):
    t2 = [
        [("第二十条第（一）项", 4, 1)], ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"],
        ["规章", "0", "0", "0"], ["规范性文件", "12", "12", "156"],
        [("第二十条第（五）项", 4, 1)], ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
        ["行政许可", "120", "+3", "3119"], ["其他对外管理服务事项", "15", "-2", "40"],
        [("第二十条第（六）项", 4, 1)], ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
        ["行政处罚", "300", "0", "487"], ["行政强制", "20", "+1", "26"],
        [("第二十条第（八）项", 4, 1)], ["信息内容", "上一年项目数量", ("本年增/减", 2, 1)], ["行政事业性收费", "5", ("-1", 2, 1)],
        [("第二十条第（九）项", 4, 1)], ["信息内容", "采购项目数量", ("采购总金额", 2, 1)], ["政府集中采购", "4", ("56.3", 2, 1)],
    ]
    t3 = V["table3"]
    single = [sum(t3[k][c] for k in T.OTHER_ROWS) for c in range(7)]
    rows = []
    for r in B.table3_rows(V):
        labels = [c if isinstance(c, str) else c[0] for c in r]
        if "（六）其他处理" in labels:
            rows.append([("（六）其他处理", 2, 1)] + [str(x) for x in single])
        elif not any(x.startswith(("2.申请人逾期", "3.其他")) for x in labels):
            rows.append(r)
    rows[2][0] = ("三、本年度办理结果", 1, 20)
    blocks = B.report_blocks(year=2020, t2=[("table", t2)], t3=[("table", B.table3_header() + rows)])
    blocks[1] = ("p", "本报告根据国办公开办函〔2019〕60号要求编制。本报告统计期限为2020年1月1日至2020年12月31日。")
    r = assert_parses(blocks, fmt, year=2020, skip=("table2.", "table3.other."))
    assert r.format == T.FORMAT_2019
    assert r.table3[T.OTHER_SINGLE] == single
    assert r.table2_2019["licensing"] == {"previous_items": 120, "change": 3, "decisions": 3119}
    assert r.table2_2019["fees"] == {"previous_items": 5, "change": -1}


# ---------------------------------------------------------------------------------------------
# metadata
# ---------------------------------------------------------------------------------------------
NOISY = ("2024年，我局在2023年工作基础上，对照2023年度考核要求，完成2025年规划编制。2023年底以来，"
         "共有2023年结转申请。2025年将继续推进2023年、2025年、2025年的工作。")


@pytest.mark.parametrize("fmt", list(RENDERERS))
@pytest.mark.parametrize("title", [
    ["青山县人民政府", "2023年度政府信息公开工作年度报告"],
    ["青山县人民政府2023年度", "政府信息公开工作年度报告"],
    ["青山县人民政府关于2023年政府信息公开工作年度报告"],
    ["2023年度政府信息公开工作年度报告"],  # the agency only in the signature
])
def test_title_layouts(title, fmt):
    assert_parses(B.report_blocks(title=title), fmt)


@pytest.mark.parametrize("title", [
    ["2023年青山县人民政府政府信息公开工作年度报告"],  # the year first
    ["青山县人民政府2023年信息公开工作年度报告"],  # 政府 left out
    ["青山县人民政府信息公开工作2023年度报告"],  # 人民政府政府信息公开 contracted
    ["青山县人民政府2023年政府信息公开年报"],
    ["青山县人民政府", "2023年政府信息公开工作", "年度报告"],
])
def test_title_wordings_without_a_signature(title):
    assert_parses(B.report_blocks(title=title, signature=False), "txt")


def test_agency_only_in_the_signature_of_a_department():
    blocks = B.report_blocks(agency="青山县交通运输局", title=["2023年政府信息公开工作年度报告"])
    r = assert_parses(blocks, "txt", agency="青山县交通运输局")
    assert r.agency_kind == "department"


def test_year_2024_in_text_full_of_2023_and_2025():
    blocks = B.report_blocks(year=2024, body1=NOISY, title=["青山县人民政府政府信息公开工作年度报告"])
    blocks = [b for b in blocks if "统计期限" not in b[1]]  # no title year, no statistics period
    assert_parses(blocks, "txt", year=2024)
    assert_parses(B.report_blocks(year=2024, body1=NOISY), "html", year=2024)


@pytest.mark.parametrize("intro", [
    "根据《中华人民共和国政府信息公开条例》规定，现将本机关2024年政府信息公开工作年度报告公布如下。",
    "根据《中华人民共和国政府信息公开条例》规定，现将青山县人民政府2024年政府信息公开工作年度报告公布如下。",
])
def test_intro_sentence_is_not_the_agency(intro):
    blocks = B.report_blocks(year=2024, title=["青山县人民政府"])
    blocks.insert(1, ("p", intro))
    assert_parses(blocks, "txt", year=2024)


def test_a_cited_notice_title_is_not_the_report_title():
    text = (
        "青山县人民政府2024年政府信息公开工\n作年度报告\n"
        "依据《青山市人民政府办公室关于做好2024年政府信息公开工作年度报告编制发布工作的通知》编制本报告。\n"
        "一、总体情况\n2024年，我县继续推进政务公开。\n"
    )
    r = parse_text(text)
    assert (r.agency, r.year) == ("青山县人民政府", 2024)


# ---------------------------------------------------------------------------------------------
# guards: the new readings must not fire where they do not belong
# ---------------------------------------------------------------------------------------------


def test_sub_headings_inside_section_one_are_not_sections():
    blocks = B.report_blocks(body1="（一）主动公开政府信息情况")
    blocks.insert(blocks.index(("p", "（一）主动公开政府信息情况")) + 1, ("p", "（二）收到和处理政府信息公开申请情况"))
    r = parse_bytes(B.to_text(blocks), "report.txt")
    assert r.sections_present == [1, 2, 3, 4, 5, 6]
    assert r.sections[2].heading == "二、主动公开政府信息情况"
    assert match_heading("（一）主动公开方面") is None


def test_fullwidth_commas_between_years_are_kept():
    r = parse_text("一、总体情况\n2023，2024年两年共受理１，２３４件，办结1，2，3批。\n")
    assert "2023，2024年" in r.text and "1,234件" in r.text and "1，2，3批" in r.text


# ---------------------------------------------------------------------------------------------
# text layers (PDF text, copy-pasted pages): cells separated by spaces, or not at all
# ---------------------------------------------------------------------------------------------


def to_spaced(blocks, sep: str = "  ") -> bytes:
    """Tables as a PDF text layer gives them: non-empty cells joined by ``sep``, no tabs."""
    out = []
    for kind, body in blocks:
        if kind in ("p", "h"):
            out.append(body)
        else:
            out += [sep.join(c for c in row if c) for row in B._grid(body)]
    return "\n".join(out).encode("utf-8")


@pytest.mark.parametrize("num,sep", [
    (lambda n: f"{n} 件", "  "),  # "0 件 0 件 0 件"
    (lambda n: f"{n}件", ""),  # "1875件46件3件" and "行政许可3119件"
    (lambda n: f"{n:,}", " "),
])
def test_text_layer_cells_with_units(num, sep):
    r = parse_bytes(to_spaced(B.report_blocks(num=num), sep), "report.txt")
    wrong = [p for p, want in expected_cells(V).items() if str(r.cell(p)) != str(want)]
    assert not wrong, wrong[:10]


def test_unit_runs_are_cells_but_prose_counts_are_not():
    from parsers.tokens import tokenize

    def kinds(line):
        return [(t.kind, t.text) for t in tokenize(line)]

    assert [t for k, t in kinds("（一）予以公 开1520 件31件2件3件1件4件 1561 件") if k == "N"] == ["1520", "31", "2", "3", "1", "4", "1561"]
    assert [t for k, t in kinds("行政许可 3119 件") if k == "N"] == ["3119"]
    assert not [t for k, t in kinds("共受理16件 办结 12件") if k == "N"]
    assert not [t for k, t in kinds("本年度共收到申请16件，已全部办结。") if k == "N"]
    assert tokenize("件") == []  # a unit wrapped onto its own line is layout


def test_section_heading_as_the_first_row_of_its_table():
    blocks, pending = [], None
    for kind, body in B.report_blocks():
        if kind == "h" and body[0] in "二三四":
            pending = body
            continue
        if kind == "table" and pending:
            body = [[(pending, len(B._grid(body)[0]), 1)]] + body
            pending = None
        blocks.append((kind, body))
    for fmt in RENDERERS:
        assert_parses(blocks, fmt)
