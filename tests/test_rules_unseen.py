"""Narrative and structure rules on wording the seeds do not use.

Each report is written here as text (the tables tab-separated, as portals' HTML and Word
exports come out) and read by ``parsers.api.parse_text``, so the rules see what production
sees. Every sentence is checked twice: against tables that agree (it must stay quiet: a false
finding accuses an agency) and against tables that disagree on exactly what the sentence states
(it must fire, quoting the sentence and naming the cells).

Tables "A" (a county bureau): 新收 123, 上年结转 5, 予以公开 60, 部分公开 20, 不予公开 5 (第三方),
无法提供 25, 不予处理 8 (重复申请), 其他处理 4 (逾期不补正), 总计 122, 结转下年度 6; 复议 2 (维持 2),
直接起诉 1 (尚未审结); 规范性文件 制发 3 废止 1 现行有效 20.
"""
from __future__ import annotations

import datetime as dt

import pytest

from monitor.rules import check
from parsers import template as T
from parsers.api import parse_text

TODAY = dt.date(2024, 1, 10)

ROWS_A = {
    "new": 123, "carried_over": 5, "granted": 60, "partially_granted": 20, "withheld.third_party_rights": 5,
    "unable.not_held": 25, "not_processed.duplicate": 8, "other.no_correction": 4, "outcome_total": 122,
    "carried_forward": 6,
}
TABLES_A = dict(rows=ROWS_A, norm=(3, 1, 20), review=(2, 0, 0, 0), direct=(0, 0, 0, 1), after=(0, 0, 0, 0))

_T3_LABELS = {
    "new": "一、本年新收政府信息公开申请数量", "carried_over": "二、上年结转政府信息公开申请数量",
    "granted": "三、本年度办理结果\t（一）予以公开", "partially_granted": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "withheld.state_secret": "（三）不予公开\t1.属于国家秘密", "withheld.prohibited_by_law": "2.其他法律行政法规禁止公开",
    "withheld.three_safeties_one_stability": "3.危及“三安全一稳定”", "withheld.third_party_rights": "4.保护第三方合法权益",
    "withheld.internal_affairs": "5.属于三类内部事务信息", "withheld.process_information": "6.属于四类过程性信息",
    "withheld.enforcement_case_file": "7.属于行政执法案卷", "withheld.administrative_query": "8.属于行政查询事项",
    "unable.not_held": "（四）无法提供\t1.本机关不掌握相关政府信息", "unable.needs_creation": "2.没有现成信息需要另行制作",
    "unable.still_unclear": "3.补正后申请内容仍不明确",
    "not_processed.petition_complaint": "（五）不予处理\t1.信访举报投诉类申请", "not_processed.duplicate": "2.重复申请",
    "not_processed.publication": "3.要求提供公开出版物", "not_processed.excessive_repeated": "4.无正当理由大量反复申请",
    "not_processed.confirm_or_reissue": "5.要求行政机关确认或重新出具已获取信息",
    "other.no_correction": "（六）其他处理\t1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "other.fee_unpaid": "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "other.other": "3.其他", "outcome_total": "（七）总计", "carried_forward": "四、结转下年度继续办理",
}


def _table2(norm) -> list[str]:
    return ["第二十条第（一）项", "信息内容\t本年制发件数\t本年废止件数\t现行有效件数", "规章\t0\t0\t0",
            "行政规范性文件\t" + "\t".join(map(str, norm)),
            "第二十条第（五）项", "信息内容\t本年处理决定数量", "行政许可\t120",
            "第二十条第（六）项", "信息内容\t本年处理决定数量", "行政处罚\t35", "行政强制\t2",
            "第二十条第（八）项", "信息内容\t本年收费金额（单位：万元）", "行政事业性收费\t0"]


def _table3(rows) -> list[str]:
    out = ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t申请人情况",
           "自然人\t法人或其他组织\t总计", "商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他"]
    for k in T.TABLE3_ROW_KEYS:  # everything from natural persons: the total column equals the first
        v = rows.get(k, 0)
        out.append(_T3_LABELS[k] + "\t" + "\t".join(map(str, [v, 0, 0, 0, 0, 0, v])))
    return out


def _table4(review, direct, after) -> list[str]:
    vals = [x for g in (review, direct, after) for x in (*g, sum(g))]
    return ["行政复议\t行政诉讼", "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t复议后起诉",
            "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计",
            "\t".join(map(str, vals))]


HEADINGS = {
    1: "一、总体情况", 2: "二、主动公开政府信息情况", 3: "三、收到和处理政府信息公开申请情况",
    4: "四、政府信息公开行政复议、行政诉讼情况", 5: "五、存在的主要问题及改进情况", 6: "六、其他需要报告的事项",
}


def report_text(year=2023, agency="某某市某某区交通运输局", one="", three="", four="", five="", six="",
                rows=None, norm=(3, 1, 20), review=(2, 0, 0, 0), direct=(0, 0, 0, 1), after=(0, 0, 0, 0),
                notice="国办公开办函〔2021〕30号", order=(1, 2, 3, 4, 5, 6), headings=None) -> str:
    """A whole report as text: title, basis, the six sections in ``order`` under ``headings``."""
    heads = {**HEADINGS, **(headings or {})}
    body = {
        1: [one or f"{year}年，本机关认真贯彻落实《中华人民共和国政府信息公开条例》，扎实推进政务公开工作，"
                   "持续加强政府信息管理和平台建设。"],
        2: _table2(norm),
        3: ([three] if three else []) + _table3(ROWS_A if rows is None else rows),
        4: ([four] if four else []) + _table4(review, direct, after),
        5: [five or "一是公开内容的全面性有待加强；二是政策解读形式较为单一。下一步，我们将加强业务培训，提升公开质量。"],
        6: [six or "本年度未收取信息处理费。"],
    }
    lines = [f"{agency}{year}年政府信息公开工作年度报告",
             "本报告根据《中华人民共和国政府信息公开条例》和《国务院办公厅政府信息与政务公开办公室关于印发"
             f"〈中华人民共和国政府信息公开工作年度报告格式〉的通知》（{notice}）编制，"
             f"所列数据的统计期限为{year}年1月1日至{year}年12月31日。"]
    for n in order:
        if heads.get(n):
            lines.append(heads[n])
        lines += body[n]
    return "\n".join(lines) + "\n"


def run(**kw):
    report = parse_text(report_text(**kw))
    assert report.status == "ok" and not [n for n in report.parse_notes if n.code == "parse_uncertain"], report.parse_notes
    return report, check(report, today=TODAY)


def compliance(findings, prefix=("N-", "S-")):
    return [f for f in findings if f.audience == "compliance" and f.check_id.startswith(prefix)]


def test_the_generated_report_reads_back_and_is_clean():
    report, found = run()
    assert report.table3["new"][6] == 123 and report.table3["outcome_total"][6] == 122
    assert report.table4["review"]["total"] == 2 and report.table4["litigation_direct"]["pending"] == 1
    assert report.table2["normative_documents"] == {"issued": 3, "repealed": 1, "in_force": 20}
    assert sorted(report.sections) == [1, 2, 3, 4, 5, 6]
    assert not [f for f in found if f.audience == "compliance"], [f.message for f in found]


# -- narrative sentences: (check id, where, sentence, the table change that makes it wrong) -------------------
# where: the section the sentence is written in; the change is applied to tables A (each keeps
# table 3 and 4 arithmetic intact, so only the narrative check can object).
def _rows(**delta):
    rows = dict(ROWS_A)
    for k, v in delta.items():
        rows[k] = rows.get(k, 0) + v
    return {"rows": rows}


MORE_NEW = _rows(new=10, granted=10, outcome_total=10)  # 新收 133, 予以公开 70, 总计 132
MORE_CARRIED = _rows(carried_over=2, carried_forward=2)  # 上年结转 7, 结转下年度 8
MORE_WITHHELD = _rows(**{"withheld.third_party_rights": 3, "unable.not_held": -3})  # 不予公开 8, 无法提供 22
MORE_PARTIAL = _rows(partially_granted=4, granted=-4)  # 部分公开 24, 予以公开 56
MORE_OTHER = _rows(**{"other.no_correction": 2, "not_processed.duplicate": -2})  # 其他处理 6, 不予处理 6
REVIEW_CORRECTED = {"review": (1, 1, 0, 0)}
REVIEW_THREE = {"review": (3, 0, 0, 0)}
LIT_DECIDED = {"direct": (1, 0, 0, 0)}
LIT_TWO = {"direct": (0, 0, 0, 1), "after": (1, 0, 0, 0)}
NO_LIT = {"review": (0, 0, 0, 0), "direct": (0, 0, 0, 0)}
NORM_MORE = {"norm": (4, 1, 25)}

NARRATIVE = [
    # N-APPS
    ("N-APPS", 1, "全年共受理政府信息公开申请128件（含上年结转5件）。", MORE_NEW),
    ("N-APPS", 1, "本年度新收政府信息公开申请123件，上年结转5件，办结122件，结转下年度6件。", MORE_NEW),
    ("N-APPS", 1, "本年度新收政府信息公开申请123件，上年结转5件，办结122件，结转下年度6件。", MORE_CARRIED),
    ("N-APPS", 1, "2023年，我局共收到政府信息公开申请一百二十三件，均在法定期限内答复。", MORE_NEW),
    ("N-APPS", 1, "依申请公开方面，全年共登记政府信息公开申请123件，同比增长12%，较上年增加13件。", MORE_NEW),
    ("N-APPS", 1, "全年共收到政府信息公开申请123件，较上年减少3件，已办结122件，另有6件正在办理中。", MORE_NEW),
    ("N-APPS", 1, "截至2023年12月31日，已办结政府信息公开申请122件，6件结转至2024年继续办理。", MORE_CARRIED),
    ("N-APPS", 1, "共办理政府信息公开申请128件，其中本年新收123件，上年结转5件。", MORE_NEW),
    ("N-APPS", 1, "2023年度本机关共收到并办结政府信息公开申请123件。", MORE_NEW),
    ("N-APPS", 1, "全年共收到依申请公开申请壹佰贰拾叁件。", MORE_NEW),
    ("N-APPS", 3, "本年度共受理政府信息公开申请123件，上一年度结转5件，全年共答复122件。", MORE_CARRIED),
    ("N-APPS", 1, "依申请公开工作中，本年度收到申请123件，连同上年结转的5件，共计128件，已答复122件。", MORE_NEW),
    # N-BREAKDOWN
    ("N-BREAKDOWN", 1, "共办结申请122件。其中，予以公开60件，占49.2%；部分公开20件，占16.4%；不予公开5件；无法提供25件；不予处理8件；其他处理4件。", MORE_PARTIAL),
    ("N-BREAKDOWN", 1, "共办结申请122件。其中，予以公开60件，占49.2%；部分公开20件，占16.4%；不予公开5件；无法提供25件；不予处理8件；其他处理4件。", MORE_WITHHELD),
    ("N-BREAKDOWN", 1, "共办结申请122件。其中，予以公开60件，占49.2%；部分公开20件，占16.4%；不予公开5件；无法提供25件；不予处理8件；其他处理4件。", MORE_OTHER),
    ("N-BREAKDOWN", 3, "从办理结果看，予以公开和部分公开的共80件，占办结总数的65.6%。", _rows(granted=5, **{"unable.not_held": -5})),
    ("N-BREAKDOWN", 3, "从办理结果看，予以公开和部分公开的共80件，占办结总数的65.6%。", MORE_NEW),
    ("N-BREAKDOWN", 3, "在已办结的申请中，因本机关不掌握相关政府信息而无法提供的25件。", MORE_WITHHELD),
    ("N-BREAKDOWN", 3, "答复结果为：予以公开六十件，部分公开二十件，无法提供二十五件。", MORE_PARTIAL),
    ("N-BREAKDOWN", 3, "办理结果方面，予以公开60件、部分公开20件、不予公开5件、无法提供25件、不予处理8件、其他处理4件。", MORE_WITHHELD),
    # N-LIT
    ("N-LIT", 4, "本年度收到行政复议申请2件，均维持原行政行为。", REVIEW_CORRECTED),
    ("N-LIT", 4, "本年度收到行政复议申请2件，均维持原行政行为。", REVIEW_THREE),
    ("N-LIT", 4, "本年度被提起行政诉讼1件，尚未审结。", LIT_DECIDED),
    ("N-LIT", 4, "本年度被提起行政诉讼1件，尚未审结。", LIT_TWO),
    ("N-LIT", 1, "因政府信息公开工作被申请行政复议2件、被提起行政诉讼1件。", REVIEW_THREE),
    ("N-LIT", 1, "全年发生政府信息公开类行政复议案件两起，行政诉讼案件一起。", LIT_TWO),
    ("N-LIT", 1, "2023年，本机关因政府信息公开被申请行政复议2件，复议结果均为维持。", REVIEW_CORRECTED),
    ("N-LIT", 4, "行政复议2件，其中结果维持2件；行政诉讼1件，其中尚未审结1件。", REVIEW_CORRECTED),
    # N-NORM
    ("N-NORM", 1, "本年度制发规范性文件3件，废止1件，现行有效20件。", NORM_MORE),
    ("N-NORM", 1, "截至2023年底，本机关现行有效的行政规范性文件共二十件。", NORM_MORE),
    ("N-NORM", 1, "全年共制定出台行政规范性文件3件，均按要求进行合法性审查。", NORM_MORE),
    ("N-NORM", 1, "严格规范性文件管理，全年印发行政规范性文件3件，目前现行有效20件。", NORM_MORE),
    ("N-NORM", 1, "本年度制发规范性文件3件，废止1件，现行有效20件。", {"norm": (3, 1, 25)}),  # only 现行有效 differs
    ("N-BREAKDOWN", 3, "从办理结果看，予以公开和部分公开的共80件，占办结总数的65.6%。",  # only the share differs
     _rows(new=10, outcome_total=10, **{"not_processed.duplicate": 10})),
    ("N-APPS", 3, "2023年，本机关共收到政府信息公开申请123件（其中线上申请100件，信函申请23件），上年结转5件。", MORE_NEW),
    ("N-APPS", 1, "全年共收到政府信息公开申请123宗，办结122宗，结转下一年度办理6宗。", MORE_CARRIED),
    ("N-BREAKDOWN", 3, "办理结果方面，予以公开（含部分公开）80件，不予公开5件，无法提供25件。", MORE_NEW),
    ("N-LIT", 1, "因政府信息公开申请引发行政复议2件，其中维持原答复2件。", REVIEW_CORRECTED),
    ("N-LIT", 4, "本年度行政复议2件（均予以维持），行政诉讼1件（目前尚在审理中）。", LIT_DECIDED),
]

def _ids(cases):
    return [f"{c}:{t[:18]}:{i}" for i, (c, _, t, *_) in enumerate(cases)]


def _place(where: int, sentence: str) -> dict:
    return {{1: "one", 3: "three", 4: "four", 6: "six"}[where]: sentence}


# the same, where the agreeing tables are not A: (check id, where, sentence, agreeing change, disagreeing change)
NARRATIVE_B = [
    ("N-LIT", 1, "全年未发生因政府信息公开引起的行政复议、行政诉讼案件。", NO_LIT, {}),
    ("N-LIT", 4, "无政府信息公开行政复议和行政诉讼情况。", NO_LIT, {}),
    ("N-LIT", 4, "本年度政府信息公开行政复议、行政诉讼均为0件。", NO_LIT, {}),
    ("N-LIT", 4, "行政复议案件0件，行政诉讼案件0件。", NO_LIT, {}),
    ("N-LIT", 4, "本年度本机关未发生政府信息公开行政复议案件，被提起行政诉讼1件。", {"review": (0, 0, 0, 0)}, {}),
    ("N-LIT", 4, "被申请行政复议1件，被依法纠错1件。", {"review": (0, 1, 0, 0)}, {"review": (1, 0, 0, 0)}),
    ("N-APPS", 1, "本年度未收到政府信息公开申请，无上年结转申请。",
     {"rows": {}, "review": (0, 0, 0, 0), "direct": (0, 0, 0, 0)}, {}),
    ("N-APPS", 1, "本年度共收到政府信息公开申请0件。", {"rows": {}, "review": (0, 0, 0, 0), "direct": (0, 0, 0, 0)}, {}),
    ("N-APPS", 1, "全年共受理政府信息公开申请1.2万件，同比增长8%。",  # 1.2万 is 11,500..12,499
     {"rows": {"new": 12345, "granted": 12345, "outcome_total": 12345}},
     {"rows": {"new": 12600, "granted": 12600, "outcome_total": 12600}}),
    ("N-BREAKDOWN", 3, "从办理结果看，予以公开0.6万件，部分公开0.2万件，无法提供0.4万件。",
     {"rows": {"new": 12000, "granted": 6000, "partially_granted": 2000, "unable.not_held": 4000, "outcome_total": 12000}},
     {"rows": {"new": 12000, "granted": 7000, "partially_granted": 1000, "unable.not_held": 4000, "outcome_total": 12000}}),
    ("N-APPS", 1, "全年收到政府信息公开申请贰拾叁件，办结贰拾叁件。",
     {"rows": {"new": 23, "granted": 23, "outcome_total": 23}}, {"rows": {"new": 24, "granted": 24, "outcome_total": 24}}),
]


@pytest.mark.parametrize("check_id,where,sentence,agree,disagree", NARRATIVE_B, ids=_ids(NARRATIVE_B))
def test_sentence_against_other_tables(check_id, where, sentence, agree, disagree):
    _, found = run(**_place(where, sentence), **agree)
    assert not compliance(found, "N-"), [f.message for f in compliance(found, "N-")]
    _, found = run(**_place(where, sentence), **disagree)
    hits = [f for f in compliance(found, "N-") if f.check_id == check_id]
    assert hits, f"{check_id} missed {sentence!r}: {[f.message for f in compliance(found)]}"
    assert hits[0].quote["text"] in sentence and hits[0].cells


@pytest.mark.parametrize("check_id,where,sentence,change", NARRATIVE, ids=_ids(NARRATIVE))
def test_sentence_with_agreeing_tables_stays_quiet(check_id, where, sentence, change):
    _, found = run(**_place(where, sentence))
    assert not compliance(found, "N-"), [f.message for f in compliance(found, "N-")]


@pytest.mark.parametrize("check_id,where,sentence,change", NARRATIVE, ids=_ids(NARRATIVE))
def test_sentence_with_disagreeing_tables_fires(check_id, where, sentence, change):
    _, found = run(**_place(where, sentence), **change)
    assert not [f for f in found if f.rule == "table_arithmetic"]  # the tables still add up: only the text disagrees
    hits = [f for f in compliance(found, "N-") if f.check_id == check_id]
    assert hits, f"{check_id} missed {sentence!r}: {[f.message for f in compliance(found)]}"
    f = hits[0]
    assert f.rule == "narrative_vs_table" and f.quote and f.quote["text"] in sentence and f.quote["section"] == where
    assert f.cells and all(c["label"] and c["value"] is not None for c in f.cells)
    assert f.source is not None and "sha256" in f.source


# -- sentences that state nothing the tables contradict (tables A): never a finding ---------------------------
QUIET = [
    (1, "全年共受理政府信息公开申请128件（含上年结转5件），同比增长12%。"),
    (1, "本年度收到政府信息公开申请123件，较上年减少3件，主要涉及征地拆迁、规划建设等方面。"),
    (1, "依申请公开办理时限平均缩短至8个工作日，按时答复率100%。"),
    (1, "近年来，本机关每年收到的政府信息公开申请数量保持在100至150件之间。"),
    (1, "全年受理政府信息公开申请100余件，均在法定期限内答复。"),
    (1, "近三年累计受理政府信息公开申请356件。"),
    (1, "从申请人类型看，自然人申请118件，占95.9%；法人或其他组织申请5件，占4.1%。"),
    (1, "上年结转的5件申请已全部办结。"),
    (1, "其中，通过网上申请平台提交申请96件，占78%；信函申请20件；当面申请7件。"),
    (1, "全年共收到政府信息公开申请123件，其中涉及征地拆迁类45件、规划建设类30件、社会保障类20件。"),
    (1, "共受理申请123件，其中自然人申请118件，法人或其他组织申请5件。"),
    (1, "共办结122件，其中在法定期限内办结119件，依法延期答复3件。"),
    (4, "因政府信息公开被申请行政复议2件（均维持），被提起行政诉讼1件（尚在审理中）。"),
    (4, "本年度未发生因政府信息公开工作被纠错的情况。"),
    (1, "本机关作为复议机关，全年办理行政复议案件56件，出庭应诉行政诉讼案件12件。"),
    (1, "全年审核规范性文件12件，备案审查规范性文件8件。"),
    (1, "对现行有效的20件规范性文件进行了全面清理，废止1件。"),
    (1, "清理规范性文件35件，其中继续有效20件，宣布失效14件，废止1件。"),
    (1, "主动公开政府信息1.2万条，同比增长15%，其中政策解读86条。"),
    (6, "本年度未收取信息处理费。"),
    (6, "本年度共收取信息处理费共计0.05万元。"),
    (6, "本年度共向2名申请人收取信息处理费180元。"),
    (6, "本机关本年度没有收取任何信息处理费。"),
    (6, "本年度未发生收取信息处理费的情况。"),
    (6, "本年度无收取信息处理费情况。"),
    (6, "本机关依申请公开工作不涉及收取信息处理费。"),
    (6, "收取信息处理费情况：无。"),
    (6, "本年度信息处理费收取金额为0。"),
    (6, "全年收取信息处理费零元。"),
    (6, "依据《政府信息公开信息处理费管理办法》，本年度本机关未产生信息处理费。"),
    (6, "本机关严格执行《政府信息公开信息处理费管理办法》，对超出合理范围的申请依法收取信息处理费，本年度未发生收费情况。"),
    (6, "本年度发出收费通知0件，未收取信息处理费。"),
    (1, "修订完善依申请公开答复文书模板12个。"),
    (1, "编制依申请公开办理流程图1份，制定依申请公开工作制度2项。"),
    (1, "共向申请人发出补正通知书8份，收到补正材料5份。"),
    (1, "全年办理人大代表建议18件、政协提案25件，办复率100%。"),
    (1, "全年共收到政府信息公开申请123件，其中1件因申请人逾期未补正终止办理。"),
    (1, "对3件疑难复杂的政府信息公开申请组织法律顾问会商。"),
    (1, "收到政府信息公开申请123件，比上年的98件增加25件。"),
    (1, "2023年本机关收到政府信息公开申请123件，2022年为98件，2021年为76件。"),
    (4, "本年度行政复议2件，均已审结；行政诉讼1件，尚未审结。"),
    (4, "被申请行政复议2件，复议机关均作出维持决定。"),
    (4, "被提起行政诉讼1件，尚未审结1件；被申请行政复议2件，维持2件。"),
    (4, "被申请行政复议2件，其他单位代为应诉1件。"),
    (3, "予以公开的60件中，通过电子邮件答复45件，邮寄答复15件。"),
    (4, "本年度共发生政府信息公开行政复议案件2件，行政诉讼案件1件，其中行政复议维持2件，行政诉讼尚未审结1件。"),
    (1, "开展政务公开培训3场，培训人员120人次，印发工作要点1份。"),
    (1, "本年度依法延期答复政府信息公开申请3件。"),
    (1, "全年共收到政府信息公开申请123件，其中延期答复3件。"),
    (1, "2022年结转至2023年办理的5件申请已全部办结。"),
    (1, "结转至2024年的6件申请将在法定期限内答复。"),
    (1, "本年度收到政府信息公开申请123件，办结122件，其余6件将于2024年按期办结。"),
    (1, "本机关作为行政复议机关，全年共受理政府信息公开类行政复议申请15件，依法作出复议决定13件。"),
    (4, "因政府信息公开引起行政复议2件、行政诉讼1件，复议和诉讼均未被纠错。"),
    (1, "全年制发行政规范性文件3件，均在政府网站公开；市政府规章现行有效5件。"),
    (1, "本年度制发规范性文件3件，同比减少2件，现行有效规范性文件累计20件。"),
    (1, "共受理申请123件，其中自然人118件、法人或其他组织5件，网上申请100件、信函申请23件。"),
    (1, "共办理申请128件，其中本年新收123件、上年结转5件，办结122件。"),
    (6, "严格按照《政府信息公开信息处理费管理办法》规定，对超出合理范围的申请依法收取信息处理费。"),
    (6, "本机关未对申请人收取信息处理费。"),
    (6, "信息处理费收费标准已在政府信息公开指南中公布，本年度未收费。"),
]


@pytest.mark.parametrize("where,sentence", QUIET, ids=[f"{w}:{s[:18]}:{i}" for i, (w, s) in enumerate(QUIET)])
def test_quiet_sentences(where, sentence):
    _, found = run(**_place(where, sentence))
    assert not compliance(found, "N-"), [f.message for f in compliance(found, "N-")]


# -- sentences wrong in themselves, whatever the tables say ------------------------------------------------
SELF = [
    ("N-FEE", 6, "2023年度，本机关依据《政府信息公开信息处理费管理办法》，对1件申请收取了信息处理费。"),
    ("N-FEE", 6, "本年度依法向申请人收取信息处理费，并出具了财政票据。"),
    ("N-INTERNAL", 1, "共受理申请123件，其中自然人申请120件，法人或其他组织申请10件。"),
    ("N-INTERNAL", 1, "全年收到申请一百二十三件，其中网上申请一百件，信函申请三十件。"),
    ("N-INTERNAL", 4, "行政复议2件，其中结果维持1件，结果纠正0件，其他结果0件，尚未审结0件。"),
]


@pytest.mark.parametrize("check_id,where,sentence", SELF, ids=[f"{c}:{s[:18]}:{i}" for i, (c, _, s) in enumerate(SELF)])
def test_sentence_wrong_in_itself_fires(check_id, where, sentence):
    _, found = run(**_place(where, sentence))
    hits = [f for f in compliance(found, "N-") if f.check_id == check_id]
    assert hits, f"{check_id} missed {sentence!r}: {[f.message for f in compliance(found)]}"
    assert hits[0].quote and hits[0].quote["text"] in sentence and hits[0].quote["section"] == where


def test_fee_notices_in_the_table_need_a_word_in_section_six():
    rows = {**ROWS_A, "other.no_correction": 2, "other.fee_unpaid": 2}
    _, found = run(rows=rows, six="无其他需要报告的事项。")
    f = [f for f in compliance(found) if f.check_id == "N-FEE"]
    assert f and f[0].cells[0]["cell"] == "table3.other.fee_unpaid[6]" and f[0].cells[0]["value"] == 2
    _, found = run(rows=rows, six="本年度向申请人发出收费通知2件，申请人均逾期未缴纳，未收取信息处理费。")
    assert not [f for f in compliance(found) if f.check_id == "N-FEE"]


# -- structure: planted defects and their clean twins ------------------------------------------------------
def _sections(found):
    return [f for f in found if f.check_id == "S-SECTIONS"]


def test_missing_section_is_an_error_naming_it():
    report, found = run(order=(1, 2, 3, 4, 6), five="")
    f = _sections(found)
    assert [x.rule for x in f] == ["missing_section"] and f[0].severity == "error"
    assert "五、存在的主要问题及改进情况" in f[0].message


def test_sections_out_of_order_are_reported_not_held_back():
    _, found = run(order=(1, 2, 3, 5, 4, 6))
    f = _sections(found)
    assert [x.rule for x in f] == ["missing_section"], [(x.rule, x.message) for x in f]
    assert f[0].severity == "warning" and "顺序" in f[0].message and f[0].audience == "compliance"


def test_renumbered_section_is_reported():
    # 五 printed as 六 and 六 as 七: every section is there, the numbering is not the template's
    _, found = run(headings={5: "六、存在的主要问题及改进情况", 6: "七、其他需要报告的事项"})
    f = _sections(found)
    assert f and all(x.rule == "missing_section" and x.severity == "warning" for x in f), [(x.rule, x.message) for x in f]
    assert "六、存在的主要问题及改进情况" in f[0].message and "五" in f[0].message


def test_dropped_section_with_the_rest_renumbered():
    # no 四 at all (table 4 printed under 三) and 五, 六 moved up to 四, 五
    _, found = run(headings={4: "", 5: "四、存在的主要问题及改进情况", 6: "五、其他需要报告的事项"})
    f = _sections(found)
    missing = [x for x in f if x.severity == "error"]
    assert len(missing) == 1 and "四、政府信息公开行政复议、行政诉讼情况" in missing[0].message, [x.message for x in f]


@pytest.mark.parametrize("heading", ["一、总体情况", "一．总体情况", "一. 总体情况", "# 一、总体情况", "一、总体情况："])
def test_numbering_variants_are_not_renumbering(heading):
    _, found = run(headings={1: heading})
    assert not _sections(found), [x.message for x in _sections(found)]


def test_fee_not_mentioned_in_section_six():
    _, found = run(one="2023年，本机关未收取信息处理费，扎实推进政务公开工作。", six="本年度无其他需要报告的事项。")
    f = [x for x in found if x.check_id == "S-FEE-SECTION"]
    assert f and f[0].rule == "missing_required_content" and "六、其他需要报告的事项" in f[0].message
    for six in ("本年度未收取信息处理费，无其他需要报告的事项。", "本机关办理政府信息公开申请未收取任何费用。"):
        _, found = run(six=six)
        assert not [x for x in found if x.check_id == "S-FEE-SECTION"], six


GOV = "某某市某某县人民政府"


@pytest.mark.parametrize("one,fires", [
    ("2023年，全县扎实推进政务公开工作，持续加强平台建设。", True),
    ("全县将政务公开工作纳入年度绩效考核，开展政务公开社会评议，全年未发生政府信息公开责任追究情况。", False),
    ("将政务公开纳入政府绩效考核体系，权重占4%。", True),  # 评议 and 责任追究 still missing
    ("全年未发生政府信息公开工作责任追究情况，考核评议工作有序开展。", False),
    ("将政务公开纳入年度综合考评，开展群众满意度测评，全年未发生因政府信息公开工作被追究责任的情况。", False),
    ("将政务公开纳入年度综合考评，全年无问责情况。", True),  # 评议 missing
])
def test_government_report_needs_assessment_review_and_accountability(one, fires):
    report, found = run(agency=GOV, one=one)
    assert report.agency_kind == "government"
    f = [x for x in found if x.check_id == "S-GOV-EXTRA"]
    assert bool(f) == fires, [x.message for x in f]
    if fires:
        assert f[0].rule == "missing_required_content"


@pytest.mark.parametrize("notice,fires", [
    ("国办公开办函〔2019〕60号", True),
    ("国办公开办函〔2019〕60 号", True),
    ("国办公开办函[2019]60号", True),
    ("国办公开办函〔2019〕第60号", True),
    ("国办公开办函〔2021〕30号", False),
    ("国办公开办函〔2021〕30号、国办公开办函〔2019〕60号", False),
])
def test_2022_report_citing_only_the_2019_notice(notice, fires):
    _, found = run(year=2022, notice=notice)
    f = [x for x in found if x.check_id == "S-NOTICE"]
    assert bool(f) == fires, [x.message for x in f]
    if fires:
        assert f[0].rule == "outdated_format" and "〔2019〕60号" in f[0].message


def test_2020_report_citing_the_2019_notice_is_fine():
    _, found = run(year=2020, notice="国办公开办函〔2019〕60号")
    assert not [x for x in found if x.check_id == "S-NOTICE"]


@pytest.mark.parametrize("one", [
    "一、依申请公开情况\n全年共收到政府信息公开申请123件。\n二、主动公开情况\n全年主动公开政府信息356条。",
    "一、主动公开情况\n全年主动公开政府信息356条。\n二、依申请公开情况\n全年共收到政府信息公开申请123件。",
])
def test_subheadings_of_the_overview_are_not_sections_renumbered_or_reordered(one):
    # the section finder may be misled (a health finding for operators); the agency is accused of nothing
    found = check(parse_text(report_text(one=one)), today=TODAY)
    assert not compliance(found, "S-SECTIONS"), [x.message for x in compliance(found, "S-SECTIONS")]
