"""The statutory template of the annual report, as data.

This is the only module that knows the template's labels. Parser and rules both read it;
nothing else hard-codes a row label. Sources: 国办公开办函〔2021〕30号 (the 2021 format, reports
for 2021 on) and 国办公开办函〔2019〕60号 (the 2019 trial format, reports for 2019 and 2020);
see ../shared/spec/STATUTORY_FORMAT.md §2-§3.

Labels are matched after normalisation (simplified script, NFKC, no whitespace), so variants
list only real differences in wording, not spacing or full-width punctuation.
"""
from __future__ import annotations

from dataclasses import dataclass, field

# ---------------------------------------------------------------------------------------------
# Sections
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    number: int
    numeral: str  # 一 .. 六
    title: str  # the template's heading, without its numeral
    variants: tuple[str, ...] = ()  # other headings real reports use


SECTIONS: tuple[Section, ...] = (
    Section(1, "一", "总体情况", ("概述", "基本情况", "工作概况")),
    Section(2, "二", "主动公开政府信息情况", ("主动公开情况", "主动公开政府信息", "主动公开")),
    Section(
        3,
        "三",
        "收到和处理政府信息公开申请情况",
        ("收到和处理政府信息公开申请", "依申请公开政府信息情况", "依申请公开情况", "政府信息公开申请情况"),
    ),
    Section(
        4,
        "四",
        "政府信息公开行政复议、行政诉讼情况",
        (
            "政府信息公开行政复议和行政诉讼情况",
            "因政府信息公开工作被申请行政复议和提起行政诉讼情况",
            "因政府信息公开工作被申请行政复议、提起行政诉讼情况",
            "政府信息公开行政复议、行政诉讼",
            "行政复议、行政诉讼情况",
            "行政复议和行政诉讼情况",
        ),
    ),
    Section(
        5,
        "五",
        "存在的主要问题及改进情况",
        (
            "政府信息公开工作存在的主要问题及改进情况",
            "存在的主要问题和改进情况",
            "存在的问题及改进情况",
            "存在的主要问题及改进措施",
            "主要问题及改进情况",
        ),
    ),
    Section(6, "六", "其他需要报告的事项", ("其他需要报告事项", "其他事项", "其他需要说明的事项")),
)

CHINESE_NUMERALS = "一二三四五六七八九十"

# ---------------------------------------------------------------------------------------------
# Table 2 (section 二): 第二十条 items (一)(五)(六)(八)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Table2Row:
    key: str  # "regulations" ...
    labels: tuple[str, ...]  # label and variants, first is canonical
    columns: tuple[str, ...]  # value keys in column order; () means a single value
    decimal: bool = False  # an amount (kept as a decimal string), not a count


TABLE2_ROWS: tuple[Table2Row, ...] = (
    Table2Row("regulations", ("规章",), ("issued", "repealed", "in_force")),
    Table2Row(
        "normative_documents",
        ("行政规范性文件", "规范性文件"),
        ("issued", "repealed", "in_force"),
    ),
    Table2Row("licensing", ("行政许可",), ()),
    Table2Row("penalty", ("行政处罚",), ()),
    Table2Row("enforcement", ("行政强制",), ()),
    Table2Row("fees_wan_yuan", ("行政事业性收费",), (), decimal=True),
)
TABLE2_COLUMN_LABELS = {"issued": "本年制发件数", "repealed": "本年废止件数", "in_force": "现行有效件数"}
TABLE2_ITEM_HEADINGS = ("第二十条第（一）项", "第二十条第（五）项", "第二十条第（六）项", "第二十条第（八）项")
# Header phrases inside table 2; stripped before values are read (they may hold digits: 保留4位小数).
TABLE2_HEADER_WORDS = ("信息内容", "本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量", "本年收费金额")


def table2_cells() -> list[str]:
    """The ten value paths of table 2, e.g. ``table2.regulations.issued``."""
    out = []
    for row in TABLE2_ROWS:
        if row.columns:
            out += [f"table2.{row.key}.{c}" for c in row.columns]
        else:
            out.append(f"table2.{row.key}")
    return out


# The 2019 trial format's table 2: each item has its own columns (60号).
TABLE2_2019_ROWS: tuple[Table2Row, ...] = (
    Table2Row("regulations", ("规章",), ("made", "published", "total_public")),
    Table2Row("normative_documents", ("规范性文件",), ("made", "published", "total_public")),
    Table2Row("licensing", ("行政许可",), ("previous_items", "change", "decisions")),
    Table2Row("other_services", ("其他对外管理服务事项",), ("previous_items", "change", "decisions")),
    Table2Row("penalty", ("行政处罚",), ("previous_items", "change", "decisions")),
    Table2Row("enforcement", ("行政强制",), ("previous_items", "change", "decisions")),
    Table2Row("fees", ("行政事业性收费",), ("previous_items", "change")),
    Table2Row("procurement", ("政府集中采购",), ("items", "amount_wan_yuan")),
)
TABLE2_2019_MARKERS = ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "采购项目数量")

# ---------------------------------------------------------------------------------------------
# Table 3 (section 三): 25 rows x 7 columns
# ---------------------------------------------------------------------------------------------

TABLE3_COLUMNS: tuple[str, ...] = (
    "natural_person",
    "commercial_enterprise",
    "research_institution",
    "social_welfare_org",
    "legal_service_org",
    "other_org",
    "total",
)
TABLE3_COLUMN_LABELS: dict[str, tuple[str, ...]] = {
    "natural_person": ("自然人",),
    "commercial_enterprise": ("商业企业",),
    "research_institution": ("科研机构",),
    "social_welfare_org": ("社会公益组织", "社会组织"),
    "legal_service_org": ("法律服务机构",),
    "other_org": ("其他",),
    "total": ("总计",),
}
TOTAL_COLUMN = 6


@dataclass(frozen=True)
class Table3Row:
    key: str
    group: str | None  # withheld / unable / not_processed / other, or None
    labels: tuple[str, ...]  # the row's own label and variants (normalised text, no whitespace)
    short: str  # how staff name the row in a message


TABLE3_ROWS: tuple[Table3Row, ...] = (
    Table3Row("new", None, ("一、本年新收政府信息公开申请数量", "本年新收政府信息公开申请数量", "本年新收"), "一、本年新收"),
    Table3Row("carried_over", None, ("二、上年结转政府信息公开申请数量", "上年结转政府信息公开申请数量", "上年结转"), "二、上年结转"),
    Table3Row("granted", None, ("（一）予以公开", "予以公开"), "（一）予以公开"),
    Table3Row(
        "partially_granted",
        None,
        ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "（二）部分公开", "部分公开"),
        "（二）部分公开",
    ),
    Table3Row("withheld.state_secret", "withheld", ("属于国家秘密", "国家秘密"), "（三）不予公开 1.属于国家秘密"),
    Table3Row(
        "withheld.prohibited_by_law",
        "withheld",
        ("其他法律行政法规禁止公开", "其他法律法规禁止公开", "其他法律行政止公开", "法律行政法规禁止公开", "禁止公开"),
        "（三）不予公开 2.其他法律行政法规禁止公开",
    ),
    Table3Row(
        "withheld.three_safeties_one_stability",
        "withheld",
        ("危及“三安全一稳定”", "危及\"三安全一稳定\"", "危及'三安全一稳定'", "危及三安全一稳定", "三安全一稳定"),
        "（三）不予公开 3.危及“三安全一稳定”",
    ),
    Table3Row("withheld.third_party_rights", "withheld", ("保护第三方合法权益", "第三方合法权益"), "（三）不予公开 4.保护第三方合法权益"),
    Table3Row("withheld.internal_affairs", "withheld", ("属于三类内部事务信息", "三类内部事务信息", "内部事务信息"), "（三）不予公开 5.属于三类内部事务信息"),
    Table3Row("withheld.process_information", "withheld", ("属于四类过程性信息", "四类过程性信息", "过程性信息"), "（三）不予公开 6.属于四类过程性信息"),
    Table3Row("withheld.enforcement_case_file", "withheld", ("属于行政执法案卷", "行政执法案卷"), "（三）不予公开 7.属于行政执法案卷"),
    Table3Row("withheld.administrative_query", "withheld", ("属于行政查询事项", "行政查询事项"), "（三）不予公开 8.属于行政查询事项"),
    Table3Row("unable.not_held", "unable", ("本机关不掌握相关政府信息", "不掌握相关政府信息"), "（四）无法提供 1.本机关不掌握相关政府信息"),
    Table3Row("unable.needs_creation", "unable", ("没有现成信息需要另行制作", "需要另行制作"), "（四）无法提供 2.没有现成信息需要另行制作"),
    Table3Row("unable.still_unclear", "unable", ("补正后申请内容仍不明确", "申请内容仍不明确"), "（四）无法提供 3.补正后申请内容仍不明确"),
    Table3Row("not_processed.petition_complaint", "not_processed", ("信访举报投诉类申请", "信访举报投诉"), "（五）不予处理 1.信访举报投诉类申请"),
    Table3Row("not_processed.duplicate", "not_processed", ("重复申请",), "（五）不予处理 2.重复申请"),
    Table3Row("not_processed.publication", "not_processed", ("要求提供公开出版物", "公开出版物"), "（五）不予处理 3.要求提供公开出版物"),
    Table3Row("not_processed.excessive_repeated", "not_processed", ("无正当理由大量反复申请", "大量反复申请"), "（五）不予处理 4.无正当理由大量反复申请"),
    Table3Row(
        "not_processed.confirm_or_reissue",
        "not_processed",
        ("要求行政机关确认或重新出具已获取信息", "确认或重新出具已获取信息", "重新出具已获取信息"),
        "（五）不予处理 5.要求行政机关确认或重新出具已获取信息",
    ),
    Table3Row(
        "other.no_correction",
        "other",
        ("申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "申请人无正当理由逾期不补正", "逾期不补正"),
        "（六）其他处理 1.逾期不补正",
    ),
    Table3Row(
        "other.fee_unpaid",
        "other",
        ("申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "申请人逾期未按收费通知要求缴纳费用", "逾期未按收费通知要求缴纳费用", "未按收费通知要求缴纳费用"),
        "（六）其他处理 2.逾期未缴纳费用",
    ),
    Table3Row("other.other", "other", ("3.其他", "3、其他"), "（六）其他处理 3.其他"),
    Table3Row("outcome_total", None, ("（七）总计",), "（七）总计"),
    Table3Row("carried_forward", None, ("四、结转下年度继续办理", "结转下年度继续办理", "结转下年度"), "四、结转下年度继续办理"),
)
TABLE3_ROW_KEYS: tuple[str, ...] = tuple(r.key for r in TABLE3_ROWS)
ROW_INDEX: dict[str, int] = {k: i for i, k in enumerate(TABLE3_ROW_KEYS)}

# Group headings of table 3; a group label never carries values of its own (except (六) in the
# 2019 format and in 2021+ reports that still print it as one row).
TABLE3_GROUPS: dict[str, tuple[str, ...]] = {
    "withheld": ("（三）不予公开", "不予公开"),
    "unable": ("（四）无法提供", "无法提供"),
    "not_processed": ("（五）不予处理", "不予处理"),
    "other": ("（六）其他处理", "其他处理"),
}
TABLE3_OUTCOME_HEADING = ("三、本年度办理结果", "本年度办理结果")
TABLE3_HEADER_WORDS = (
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
    "申请人情况",
    "法人或其他组织",
)

# Row indices the rules use (STATUTORY_FORMAT.md §4 numbering).
ROW_NEW, ROW_CARRIED, ROW_FIRST_OUTCOME, ROW_LAST_OUTCOME, ROW_TOTAL, ROW_FORWARD = 0, 1, 2, 22, 23, 24
OUTCOME_ROWS = TABLE3_ROW_KEYS[ROW_FIRST_OUTCOME : ROW_LAST_OUTCOME + 1]
OTHER_ROWS = ("other.no_correction", "other.fee_unpaid", "other.other")
# The single (六) row of the 2019 format (and of 2021 reports that still print it so).
OTHER_SINGLE = "other_single"

# ---------------------------------------------------------------------------------------------
# Table 4 (section 四): 15 cells
# ---------------------------------------------------------------------------------------------

TABLE4_GROUPS: tuple[str, ...] = ("review", "litigation_direct", "litigation_after_review")
TABLE4_COLUMNS: tuple[str, ...] = ("upheld", "corrected", "other", "pending", "total")
TABLE4_GROUP_LABELS = {
    "review": "行政复议",
    "litigation_direct": "行政诉讼（未经复议直接起诉）",
    "litigation_after_review": "行政诉讼（复议后起诉）",
}
TABLE4_COLUMN_LABELS = {"upheld": "结果维持", "corrected": "结果纠正", "other": "其他结果", "pending": "尚未审结", "total": "总计"}
TABLE4_HEADER_WORDS = ("行政复议", "行政诉讼", "未经复议直接起诉", "复议后起诉", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计")


def table4_cells() -> list[str]:
    return [f"table4.{g}.{c}" for g in TABLE4_GROUPS for c in TABLE4_COLUMNS]


def table3_cell(row: str, col: int) -> str:
    """The path of a table-3 cell as used in evidence and JSON: ``table3.new[6]``."""
    return f"table3.{row}[{col}]"


def cell_label(path: str) -> str:
    """A Chinese name for a cell path, for messages to staff: 表三 一、本年新收 总计列."""
    if path.startswith("table3."):
        row, _, col = path[len("table3.") :].partition("[")
        col_i = int(col.rstrip("]"))
        rowdef = next((r for r in TABLE3_ROWS if r.key == row), None)
        name = rowdef.short if rowdef else "（六）其他处理" if row == OTHER_SINGLE else row
        return f"表三 {name} {TABLE3_COLUMN_LABELS[TABLE3_COLUMNS[col_i]][0]}列"
    if path.startswith("table4."):
        _, g, c = path.split(".")
        return f"表四 {TABLE4_GROUP_LABELS[g]} {TABLE4_COLUMN_LABELS[c]}"
    if path.startswith("table2."):
        parts = path.split(".")[1:]
        row = next(r for r in TABLE2_ROWS if r.key == parts[0])
        col = f" {TABLE2_COLUMN_LABELS[parts[1]]}" if len(parts) > 1 else ""
        return f"表二 {row.labels[0]}{col}"
    return path


# ---------------------------------------------------------------------------------------------
# Formats, notices, agency kinds
# ---------------------------------------------------------------------------------------------

FORMAT_2021 = "2021"
FORMAT_2019 = "2019"
NOTICE_2021 = ("国办公开办函〔2021〕30号", "国办公开办函[2021]30号", "国办公开办函(2021)30号")
NOTICE_2019 = ("国办公开办函〔2019〕60号", "国办公开办函[2019]60号", "国办公开办函(2019)60号")

AGENCY_KINDS = ("department", "government", "township")


@dataclass(frozen=True)
class KindHints:
    """Words in an agency's name that decide its kind (FINDINGS.md, Agency kinds)."""

    township: tuple[str, ...] = ("乡人民政府", "镇人民政府", "街道办事处", "街道办", "乡政府", "镇政府", "苏木", "民族乡")
    department: tuple[str, ...] = (
        "办公室", "办公厅", "管委会", "管理委员会", "局", "委员会", "厅", "委", "中心", "院", "所", "站", "队", "署", "办",
    )
    government: tuple[str, ...] = ("人民政府",)


KIND_HINTS = KindHints()
# Bodies that can make 规章 (立法法 第九十三条): provincial and 设区的市 governments and State Council
# departments. Used by T2-REG-POWER: a county, district, township or their departments cannot.
NO_REGULATION_POWER_WORDS = ("县", "区", "旗", "乡", "镇", "街道")
REGULATION_POWER_WORDS = ("省人民政府", "自治区人民政府", "市人民政府", "国务院", "部", "总局", "委员会")

ALL_CELLS: tuple[str, ...] = tuple(
    table2_cells()
    + [table3_cell(r, c) for r in TABLE3_ROW_KEYS for c in range(7)]
    + table4_cells()
)
