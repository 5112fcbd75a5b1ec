"""Narrative rules, table-driven: sentences that must fire against the clean 淮安 2024 tables
(新收 3119, 上年结转 34, 总计 3050, 结转 103, 予以公开 1362, 部分公开 454, 不予公开 178,
无法提供 781, 不予处理 88, 其他处理 187; 复议 351 = 72+64+178+37; 诉讼 26+20 = 46; 规范性文件
制发 8 现行有效 66; 逾期未缴费 6), and near misses that must not."""
from __future__ import annotations

import pytest

from monitor.rules import check
from monitor.rules.numbers import parse_number
from rules_helpers import by_check, load, with_text

FIRES = [
    # N-APPS
    ("N-APPS", "2024年，本机关共收到政府信息公开申请3100件。"),
    ("N-APPS", "全年共受理依申请公开申请三千一百一十件，均按时答复。"),
    ("N-APPS", "本年度共办结政府信息公开申请3000件。"),
    ("N-APPS", "另有100件申请结转下年度继续办理。"),
    ("N-APPS", "受理政府信息公开申请3119件，结转上年30件。"),
    ("N-APPS", "全年新收政府信息公开申请2.5万件。"),
    ("N-APPS", "本年度未收到政府信息公开申请。"),
    ("N-APPS", "本年度新收政府信息公开申请15件，上年结转2件，共办理17件。"),
    ("N-APPS", "区政府办代表区政府受理政府信息公开申请17件，均已在法定期限内予以答复。"),
    # N-BREAKDOWN
    ("N-BREAKDOWN", "共办结申请3050件，其中予以公开1300件。"),
    ("N-BREAKDOWN", "办结申请3050件，其中不予公开180件，无法提供781件。"),
    ("N-BREAKDOWN", "办理结果中，予以公开及部分公开1816件（占70%）。"),
    # N-LIT
    ("N-LIT", "全年发生政府信息公开行政复议案件350件。"),
    ("N-LIT", "因依申请公开引发行政复议351件、行政诉讼45件。"),
    ("N-LIT", "全年未出现因政府信息公开被申请行政复议或提起行政诉讼的情况。"),
    ("N-LIT", "本机关无政府信息公开行政复议案件。"),
    ("N-LIT", "全年没有因政府信息公开被申请行政复议。"),
    ("N-LIT", "因政府信息公开引发的行政复议、行政诉讼案件均获维持。"),
    ("N-LIT", "因政府信息公开被提起行政诉讼46件，其中未经复议直接起诉20件，复议后起诉26件。"),
    ("N-LIT", "因政府信息公开被申请行政复议和提起行政诉讼共390件。"),
    ("N-LIT", "政府信息公开行政复议351件，其中结果维持72件，结果纠正60件，其他结果182件，尚未审结37件。"),
    # N-NORM
    ("N-NORM", "目前现行有效行政规范性文件共计60件。"),
    ("N-NORM", "全年印发行政规范性文件9件。"),
    # N-INTERNAL
    ("N-INTERNAL", "共受理申请382件，其中自然人申请35件，法人申请80件，其他申请2443件。"),
    ("N-INTERNAL", "行政复议351件，其中结果维持72件，结果纠正64件，其他结果178件，尚未审结30件。"),
    # N-FEE
    ("N-FEE", "六、其他需要报告的事项本年度依法收取了信息处理费。"),
]

NEAR_MISSES = [
    "2024年，全市共受理政府信息公开申请3119件，答复3050件（含上年度结转申请34件，另有103件顺延到下年度答复），均在法定期限内予以答复。",
    "共受理申请3153件（含上年结转34件）。",
    "全年收到人大代表建议120件、政协委员提案80件，办理群众来信500件。",
    "共收到信访举报件200件，政务服务事项办件12万件。",
    "全年共受理依申请公开约3000件。",
    "全年共受理政府信息公开申请3119件，较上年增加120件，其中市本级受理1119件。",
    "各县区共受理政府信息公开申请2000件，全市共受理政府信息公开申请3119件。",
    "自2019年以来累计受理政府信息公开申请12000件。",
    "受理政府信息公开申请后，答复时间缩短至5个工作日。",
    "依申请公开受理实行一件一档管理，办结一件归档一件。",
    "共受理申请3119件，其中自然人申请3001件，法人或其他组织申请118件，予以公开1362件，部分公开454件。",
    "本年度未收到涉及收费的政府信息公开申请。",
    "收到政府信息公开申请3119件，已答复3050件，103件正在办理中。",
    "上年度未办结的申请34件已全部办结。",
    "全年受理上千件政府信息公开申请，数十件申请涉及复杂问题。",
    "2024年，我局共收到政府信息公开申请3119件，较2023年增加3件，其中网上申请8件，信函申请4件。已全部按时办结，其中予以公开1362件，部分公开454件，无法提供781件，不予处理88件。",
    "全年共受理政府信息公开申请3119件（其中当面申请100件、网络申请3000件、信函申请19件），均在法定时限内答复。",
    "申请人类型方面，自然人申请3001件，占96%；法人或其他组织申请118件，占4%。",
    "从办理结果看，予以公开1362件，占44.7%；部分公开454件，占14.9%。",
    "2024年度，本机关新收政府信息公开申请3119件，上年结转34件，办理完结3050件，结转下年度继续办理103件。",
    "本年度新收政府信息公开申请3119件，上年结转34件，共办理3153件，结转下年度103件。",
    "全年共受理依申请公开申请3000余件。",
    "全年新收政府信息公开申请0.3万件。",
    "主任信箱办结5件，满意率100%。",
    "共办结申请3050件，其中予以公开1362件，部分公开454件，不予公开178件，无法提供781件，不予处理88件，其他处理187件。",
    "办理结果中，予以公开及部分公开1816件（占59.54%）。",
    "政府信息公开行政复议351件，其中结果维持72件，结果纠正64件，其他结果178件，尚未审结37件；政府信息公开行政诉讼46件，其中结果维持25件，结果纠正5件，其他结果9件，尚未审结7件。",
    "本机关全年办理行政复议案件520件，行政诉讼应诉300件。",
    "依申请公开工作中，根据行政复议决定重新答复申请人3件。",
    "因政府信息公开被申请行政复议和提起行政诉讼共397件。",
    "因政府信息公开被申请行政复议351件，被提起行政诉讼46件，其中未经复议直接起诉26件，复议后起诉20件。",
    "有效降低行政复议、行政诉讼发生率和纠错率。",
    "未来将进一步规范政府信息公开行政复议应诉工作。",
    "无论是政府信息公开行政复议还是行政诉讼，均依法应对。",
    "集中公开现行有效规范性文件60件。",
    "现行有效规章和规范性文件77件。",
    "制发行政规范性文件8件，目前现行有效行政规范性文件共计66件。",
    "集中公开政策文件76件，其中规章5个，规范性文件现行有效71件。",
    "主动公开信息3437条，其中政策文件37条，政策解读37条。",
    "2024年，本单位共接收依申请公开申请3119件，依法依规回复办结3050件，其中当面申请2件，快递邮寄申请29件。",
    "六、其他需要报告的事项全年收取政府信息公开信息处理费3940元，发出收费通知6件。",
    "六、其他需要报告的事项本年度未收取信息处理费，发出收费通知6件均未缴费。",
]


def _base():
    """淮安 2024 with its 6 逾期未缴费 moved to 3.其他 (so N-FEE stays quiet unless the text is about fees)."""
    r = load("huaian_city_2024")
    for c in (0, 6):
        r.set_cell(f"table3.other.other[{c}]", r.cell(f"table3.other.other[{c}]") + 6)
        r.set_cell(f"table3.other.fee_unpaid[{c}]", 0)
    return r


def _check(text: str):
    r = with_text(_base(), text)
    return [f for f in check(r) if f.rule in ("narrative_vs_table", "missing_required_content") and f.check_id.startswith("N-")]


@pytest.mark.parametrize("check_id,text", FIRES, ids=[f"{c}:{t[:14]}" for c, t in FIRES])
def test_fires(check_id, text):
    found = _check(text)
    assert by_check(found, check_id), f"{check_id} did not fire on {text!r}: {[f.message for f in found]}"
    f = by_check(found, check_id)[0]
    assert f.severity == "warning" and f.audience == "compliance"
    if f.rule == "narrative_vs_table":
        assert f.quote and f.quote["text"] and f.quote["text"] in text
        assert text[f.quote["start"] : f.quote["end"]] == f.quote["text"]


@pytest.mark.parametrize("text", NEAR_MISSES, ids=[t[:16] for t in NEAR_MISSES])
def test_near_misses(text):
    found = _check(text)
    assert not found, [f.message for f in found]


def test_apps_message_and_evidence():
    r = with_text(load("huaian_city_2024"), "一、总体情况\n2024年，共受理依申请公开事项16件，并按期答复。", section=1)
    f = by_check(check(r), "N-APPS")[0]
    assert f.message == "“一、总体情况”文字称收到/受理申请“16件”，但表三 一、本年新收 总计列为 3119"
    assert f.cells == [{"cell": "table3.new[6]", "label": "表三 一、本年新收 总计列", "value": 3119}]
    assert f.actual == 16 and f.expected == 3119 and f.quote["section"] == 1


def test_all_upheld_agrees_when_nothing_corrected_or_pending():
    r = load("huaian_city_2024")
    for g in ("review", "litigation_direct", "litigation_after_review"):
        t = r.table4[g]
        t["upheld"] += t["corrected"] + t["pending"]
        t["corrected"] = t["pending"] = 0
    with_text(r, "因政府信息公开引发的行政复议、行政诉讼案件均获维持，未被纠错。")
    assert not by_check(check(r), "N-LIT")


def test_each_review_and_litigation():
    r = load("000_8c6d284e19164a25")
    r.table4["review"].update(upheld=1, total=1)
    r.table4["litigation_direct"].update(upheld=1, total=1)
    with_text(r, "因政府信息公开被申请行政复议和提起行政诉讼各1件。")
    assert not by_check(check(r), "N-LIT")
    r.table4["litigation_direct"].update(upheld=2, total=2)
    assert by_check(check(r), "N-LIT")


def test_fee_notices_need_a_word_in_section_six():
    r = with_text(load("huaian_city_2024"), "六、其他需要报告的事项\n无其他需要报告的事项。", section=6)
    assert by_check(check(r), "N-FEE")
    r.set_cell("table3.other.fee_unpaid[6]", 0)
    r.set_cell("table3.other.fee_unpaid[0]", 0)
    assert not by_check(check(r), "N-FEE")


def test_blank_table_cell_is_not_compared():
    r = with_text(load("003_52ff68fbeae871ae"), "全年收到政府信息公开申请0件，因政府信息公开引发行政复议3件。")
    assert not by_check(check(r), "N-LIT")  # review cells are blank


@pytest.mark.parametrize("token,value", [
    ("21", 21), ("1,234", 1234), ("二十一", 21), ("一百零三", 103), ("十", 10), ("两千", 2000),
    ("三千零五十", 3050), ("一万二千", 12000), ("1.2万", 12000), ("3万", 30000), ("0", 0), ("二〇二三", 2023),
])
def test_numbers(token, value):
    assert parse_number(token) == value


def test_section_four_sentences_are_about_disclosure():
    text = ("一、总体情况\n本机关全年办理行政复议案件520件。\n"
            "四、政府信息公开行政复议、行政诉讼情况\n本年度本机关被申请行政复议350件。\n五、存在的主要问题及改进情况\n无。")
    found = _check(text)
    lit = by_check(found, "N-LIT")
    assert len(lit) == 1 and lit[0].actual == 350  # the 520 outside section 四 is not about 信息公开


def _small_report():
    """A county bureau: 4 new applications, 2 granted, 2 not held; no review or litigation."""
    from parsers import template as T

    r = load("000_8c6d284e19164a25")
    for k in T.TABLE3_ROW_KEYS:
        r.table3[k] = [0] * 7
    for k, v in (("new", 4), ("granted", 2), ("unable.not_held", 2), ("outcome_total", 4)):
        r.table3[k] = [v, 0, 0, 0, 0, 0, v]
    return r


PARAGRAPH = (
    "（二）依申请公开情况。2023年度，我局共收到政府信息公开申请4件，其中网上申请3件，信函申请1件。上年结转0件。"
    "已办结4件，其中予以公开2件，占50%，无法提供2件（本机关不掌握相关政府信息2件）。结转下年度0件。"
    "无因政府信息公开引起的行政复议、行政诉讼情况，办理政务服务事项1200件，答复时限平均5个工作日。"
)


def test_whole_paragraph_that_agrees_raises_nothing():
    r = with_text(_small_report(), PARAGRAPH)
    found = [f for f in check(r) if f.check_id.startswith("N-")]
    assert not found, [f.message for f in found]


@pytest.mark.parametrize("old,new,check_ids", [
    ("收到政府信息公开申请4件", "收到政府信息公开申请5件", ["N-APPS"]),
    ("已办结4件", "已办结3件", ["N-APPS", "N-INTERNAL"]),  # 2 + 2 is more than 3, too
    ("予以公开2件，占50%", "予以公开2件，占40%", ["N-BREAKDOWN"]),
    ("无法提供2件", "无法提供1件", ["N-BREAKDOWN"]),
    ("网上申请3件，信函申请1件", "网上申请3件，信函申请4件", ["N-INTERNAL"]),
    ("结转下年度0件", "结转下年度1件", ["N-APPS"]),
])
def test_whole_paragraph_with_one_number_changed(old, new, check_ids):
    r = with_text(_small_report(), PARAGRAPH.replace(old, new))
    found = [f for f in check(r) if f.check_id.startswith("N-")]
    assert sorted(f.check_id for f in found) == check_ids, [f.message for f in found]
