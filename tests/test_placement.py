"""The table placer on adversarial layouts: each test prints a known table in a hostile way and
asserts every cell comes back where it belongs, or is reported uncertain — never guessed."""
from __future__ import annotations

import pytest

from parsers import template as T
from parsers.api import parse_text

# A consistent table 3 (rows add up, columns add up, 一+二 = 七+四).
TABLE3 = {k: [0] * 7 for k in T.TABLE3_ROW_KEYS}
TABLE3["new"] = [20, 0, 0, 0, 0, 1, 21]
TABLE3["carried_over"] = [3, 1, 0, 0, 0, 0, 4]
TABLE3["granted"] = [12, 1, 0, 0, 0, 1, 14]
TABLE3["unable.not_held"] = [5, 0, 0, 0, 0, 0, 5]
TABLE3["not_processed.duplicate"] = [2, 0, 0, 0, 0, 0, 2]
TABLE3["outcome_total"] = [19, 1, 0, 0, 0, 1, 21]
TABLE3["carried_forward"] = [4, 0, 0, 0, 0, 0, 4]
TABLE4 = [1, 2, 0, 0, 3, 0, 1, 0, 0, 1, 0, 0, 0, 1, 1]
TABLE2 = {"规章": [0, 0, 0], "行政规范性文件": [3, 1, 20], "行政许可": [120], "行政处罚": [45], "行政强制": [2], "行政事业性收费": ["12.5"]}

LABELS = {r.key: r.labels[0] for r in T.TABLE3_ROWS}
LABELS["other.other"] = "3.其他"


def _row_label(key: str) -> str:
    row = next(r for r in T.TABLE3_ROWS if r.key == key)
    label = row.labels[0]
    if row.group and not label[0].isdigit():
        n = [r.key for r in T.TABLE3_ROWS if r.group == row.group].index(key) + 1
        label = f"{n}.{label}"
    return label


def report_text(t3_lines: list[str], t4_lines: list[str] | None = None, t2_lines: list[str] | None = None) -> str:
    t2 = t2_lines if t2_lines is not None else [f"{k}\t" + "\t".join(map(str, v)) for k, v in TABLE2.items()]
    t4 = t4_lines if t4_lines is not None else ["行政复议\t行政诉讼", "\t".join(map(str, TABLE4))]
    return "\n".join(
        ["某某县人民政府2023年政府信息公开工作年度报告", "一、总体情况", "本年度工作情况。", "二、主动公开政府信息情况", "第二十条第（一）项"]
        + t2
        + ["三、收到和处理政府信息公开申请情况", "申请人情况\t自然人\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t总计"]
        + t3_lines
        + ["四、政府信息公开行政复议、行政诉讼情况"]
        + t4
        + ["五、存在的主要问题及改进情况", "问题。", "六、其他需要报告的事项", "未收取信息处理费。", "某某县人民政府", "2024年1月20日"]
    )


def tsv_rows(table=TABLE3) -> list[str]:
    return [_row_label(k) + "\t" + "\t".join(map(str, table[k])) for k in T.TABLE3_ROW_KEYS]


def assert_table3(report, table=TABLE3, skip=()):
    wrong = {k: (report.table3.get(k), v) for k, v in table.items() if k not in skip and report.table3.get(k) != v}
    assert not wrong, f"wrong rows: {wrong}"


def test_plain_tsv_layout():
    r = parse_text(report_text(tsv_rows()))
    assert_table3(r)
    assert [r.table4[g][c] for g in T.TABLE4_GROUPS for c in T.TABLE4_COLUMNS] == TABLE4
    assert r.table2["normative_documents"] == {"issued": 3, "repealed": 1, "in_force": 20}
    assert r.table2["fees_wan_yuan"] == "12.5"
    assert r.sections_present == [1, 2, 3, 4, 5, 6]
    assert r.year == 2023 and r.signature_date == "2024-01-20" and r.agency_kind == "government"


def test_glued_digits_are_split_by_the_row_sum():
    lines = tsv_rows()
    lines[0] = _row_label("new") + "\t200000121"  # 20 0 0 0 0 1 21 run together
    r = parse_text(report_text(lines))
    assert_table3(r)


def test_one_cell_per_line():
    lines = []
    for k in T.TABLE3_ROW_KEYS:
        lines.append(_row_label(k))
        lines.extend(str(v) for v in TABLE3[k])
    r = parse_text(report_text(lines))
    assert_table3(r)


def test_labels_on_one_line_values_on_the_next():
    lines = []
    for k in T.TABLE3_ROW_KEYS:
        lines += [_row_label(k), " ".join(map(str, TABLE3[k]))]
    r = parse_text(report_text(lines))
    assert_table3(r)


def test_pdf_text_with_labels_broken_one_character_per_line():
    lines = []
    for k in T.TABLE3_ROW_KEYS:
        label = _row_label(k)
        lines += list(label[:6]) + [label[6:]] if len(label) > 8 else [label]
        lines.append(" ".join(map(str, TABLE3[k])))
    r = parse_text(report_text(lines))
    assert_table3(r)


def test_blank_cell_is_null_and_recorded():
    lines = tsv_rows()
    i = T.TABLE3_ROW_KEYS.index("granted")
    vals = list(map(str, TABLE3["granted"]))
    vals[1] = "/"
    lines[i] = _row_label("granted") + "\t" + "\t".join(vals)
    r = parse_text(report_text(lines))
    assert r.table3["granted"] == [12, None, 0, 0, 0, 1, 14]
    assert "table3.granted[1]" in r.blank_cells
    assert_table3(r, skip={"granted"})


def test_empty_table4_group_is_blank_not_shifted():
    t4 = ["行政复议\t行政诉讼", "\t\t\t\t\t" + "\t".join(map(str, TABLE4[5:]))]
    r = parse_text(report_text(tsv_rows(), t4))
    assert all(r.table4["review"][c] is None for c in T.TABLE4_COLUMNS)
    assert [r.table4["litigation_direct"][c] for c in T.TABLE4_COLUMNS] == TABLE4[5:10]
    assert len([c for c in r.blank_cells if c.startswith("table4.review")]) == 5


def test_extra_cell_is_dropped_where_the_sums_say():
    lines = tsv_rows()
    i = T.TABLE3_ROW_KEYS.index("outcome_total")
    lines[i] = _row_label("outcome_total") + "\t19\t1\t0\t0\t0\t0\t1\t21"  # one 0 too many
    r = parse_text(report_text(lines))
    assert_table3(r)
    assert any(n.code == "cells_realigned" for n in r.parse_notes)


def test_missing_cell_in_a_zero_run_is_inferred_zero():
    lines = tsv_rows()
    i = T.TABLE3_ROW_KEYS.index("granted")
    lines[i] = _row_label("granted") + "\t12\t1\t0\t0\t1\t14"  # a 0 lost
    r = parse_text(report_text(lines))
    assert_table3(r)
    assert any(n.code == "cell_inferred" for n in r.parse_notes)


def test_ambiguous_missing_cell_stays_null_and_uncertain():
    # a row alone with a non-zero missing value: the sums cannot say where 5 and 3 go
    table = {k: list(v) for k, v in TABLE3.items()}
    lines = tsv_rows(table)
    i = T.TABLE3_ROW_KEYS.index("carried_forward")
    lines[i] = _row_label("carried_forward") + "\t3\t1"  # 5 of 7 cells lost
    r = parse_text(report_text(lines))
    assert r.table3["carried_forward"].count(None) >= 1
    assert r.uncertain_cells, "the parser must say which cells it could not place"
    assert_table3(r, skip={"carried_forward"})


def test_printed_sums_that_do_not_hold_come_out_as_printed():
    table = {k: list(v) for k, v in TABLE3.items()}
    table["outcome_total"] = [20, 1, 0, 0, 0, 1, 21]  # 自然人 column: 19 by the rows, 20 printed
    r = parse_text(report_text(tsv_rows(table)))
    assert r.table3["outcome_total"] == [20, 1, 0, 0, 0, 1, 21]
    assert not r.uncertain_cells


def test_2019_format_single_other_row():
    lines = [l for l in tsv_rows() if not any(l.startswith(p) for p in ("1.申请人无正当", "2.申请人逾期", "3.其他"))]
    at = next(i for i, l in enumerate(lines) if l.startswith("（七）总计"))
    lines.insert(at, "（六）其他处理\t0\t0\t0\t0\t0\t0\t0")
    r = parse_text(report_text(lines))
    assert r.table3[T.OTHER_SINGLE] == [0] * 7
    assert r.table3["other.no_correction"] == [None] * 7
    assert_table3(r, skip=set(T.OTHER_ROWS))


def test_pipe_and_markdown_rows_with_traditional_script_and_debris():
    lines = ["| " + _row_label(k) + " | " + " | ".join(f"{v}?" if v == 0 else str(v) for v in TABLE3[k]) + " |" for k in T.TABLE3_ROW_KEYS]
    from opencc import OpenCC

    text = OpenCC("s2t").convert(report_text(lines)).replace("政府", "政(zhèng)府", 1)
    r = parse_text(text)
    assert_table3(r)
    assert r.year == 2023


def test_cjk_radicals_from_pdf_text_layer_are_mapped():
    text = report_text(tsv_rows()).replace("一、总体情况", "⼀、总体情况").replace("人民政府", "⼈⺠政府")
    r = parse_text(text)
    assert 1 in r.sections_present
    assert r.agency == "某某县人民政府"


@pytest.mark.parametrize("kind,name", [("township", "某某镇人民政府"), ("department", "某某县教育局"), ("department", "某某县人民政府办公室"), ("government", "某某县人民政府")])
def test_agency_kind_inferred_from_name(kind, name):
    from parsers.metadata import infer_kind

    assert infer_kind(name) == kind


def test_report_without_tables_has_no_made_up_values():
    r = parse_text("某某局2023年政府信息公开工作年度报告\n一、总体情况\n本年度没有表格。\n")
    assert r.tables_found == []
    assert all(v is None for row in r.table3.values() for v in row)


def test_total_column_printed_first_is_put_back_by_the_row_sums():
    lines = [_row_label(k) + "\t" + "\t".join(map(str, [TABLE3[k][6]] + TABLE3[k][:6])) for k in T.TABLE3_ROW_KEYS]
    r = parse_text(report_text(lines))
    assert_table3(r)
    assert any(n.code == "columns_reordered" for n in r.parse_notes)


def test_columns_out_of_order_follow_a_grid_header():
    order = [1, 0, 2, 3, 4, 5, 6]  # 商业企业 printed before 自然人
    names = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    header = "申请人情况\t" + "\t".join(names[i] for i in order)
    lines = [_row_label(k) + "\t" + "\t".join(str(TABLE3[k][i]) for i in order) for k in T.TABLE3_ROW_KEYS]
    text = report_text(lines).replace("申请人情况\t自然人\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t总计", header)
    r = parse_text(text)
    assert_table3(r)


def test_wrapped_label_whose_tail_follows_the_values():
    lines = tsv_rows()
    i = T.TABLE3_ROW_KEYS.index("not_processed.confirm_or_reissue")
    lines[i] = "5.要求行政机关确认或重新出 " + " ".join(map(str, TABLE3["not_processed.confirm_or_reissue"])) + "\n具已获取信息"
    r = parse_text(report_text(lines))
    assert_table3(r)


def test_values_printed_before_their_labels():
    lines = []
    for k in T.TABLE3_ROW_KEYS:
        lines += [" ".join(map(str, TABLE3[k])), _row_label(k)]
    r = parse_text(report_text(lines))
    assert_table3(r)
    assert any(n.code == "values_before_labels" for n in r.parse_notes)


def test_numbered_sub_headings_of_section_one_are_not_sections():
    text = report_text(tsv_rows()).replace(
        "本年度工作情况。", "本年度工作情况。\n一、主动公开情况\n公开信息100条。\n二、依申请公开情况\n收到申请21件。"
    )
    r = parse_text(text)
    assert r.sections[2].heading.startswith("二、主动公开政府信息情况")
    assert r.sections[3].heading.startswith("三、收到和处理政府信息公开申请情况")
    assert_table3(r)
