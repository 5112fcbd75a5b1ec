"""Structure and form rules, table-driven: S-SECTIONS, S-GOV-EXTRA, S-FEE-SECTION, S-NOTICE,
S-LENGTH, T2-REG-POWER, X-FORMAT, N-YEAR."""
from __future__ import annotations

import pytest

from monitor.rules import check
from monitor.rules.structure import lacks_regulation_power
from parsers.model import SectionText
from rules_helpers import by_check, load, with_text


def _ids(report):
    return {(f.check_id, f.rule, f.severity) for f in check(report)}


def test_missing_section():
    r = load("004_df7582ad909b4c7e")
    r.sections_present = [1, 2, 3, 4, 6]
    del r.sections[5]
    r.text = r.text.replace("#### 五、存在的主要问题及改进情况", "")
    f = by_check(check(r), "S-SECTIONS")
    assert len(f) == 1 and f[0].rule == "missing_section" and f[0].severity == "error"
    assert "五、存在的主要问题及改进情况" in f[0].message
    assert not by_check(check(load("004_df7582ad909b4c7e")), "S-SECTIONS")


def test_missing_section_whose_heading_is_printed_is_our_problem():
    r = load("004_df7582ad909b4c7e")
    r.sections_present = [1, 2, 3, 4, 6]
    del r.sections[5]  # its heading line "#### 五、存在的主要问题及改进情况" stays in the text
    f = by_check(check(r), "S-SECTIONS")
    assert len(f) == 1 and f[0].rule == "parse_uncertain" and f[0].audience == "health"


@pytest.mark.parametrize("kind,text,fires", [
    ("government", "一、总体情况 将政务公开纳入绩效考核，开展社会评议，全年未发生责任追究情况。", False),
    ("government", "一、总体情况 将政务公开纳入绩效考核。", True),
    ("department", "一、总体情况 将政务公开纳入绩效考核。", False),
])
def test_gov_extra(kind, text, fires):
    r = with_text(load("huaian_city_2024"), text)
    r.agency_kind = kind
    f = by_check(check(r), "S-GOV-EXTRA")
    assert bool(f) == fires
    if fires:
        assert f[0].rule == "missing_required_content" and "社会评议" in f[0].message and "工作考核" not in f[0].actual


@pytest.mark.parametrize("year,six,fires", [
    (2024, "本年度无其他需要报告的事项。", True),
    (2024, "本年度未收取信息处理费。", False),
    (2020, "本年度无其他需要报告的事项。", False),
])
def test_fee_section(year, six, fires):
    r = with_text(load("huaian_city_2024"), "六、其他需要报告的事项\n" + six, section=6)
    r.year = year
    assert bool(by_check(check(r), "S-FEE-SECTION")) == fires


@pytest.mark.parametrize("year,text,fires", [
    (2022, "根据《国务院办公厅政府信息与政务公开办公室关于政府信息公开工作年度报告有关事项的通知》（国办公开办函〔2019〕60号）编制。", True),
    (2022, "依据国办公开办函〔2019〕60号和国办公开办函〔2021〕30号编制。", False),
    (2022, "依据国办公开办函〔2021〕30号编制。", False),
    (2020, "依据国办公开办函〔2019〕60 号编制。", False),
])
def test_notice(year, text, fires):
    r = with_text(load("000_8c6d284e19164a25"), text)
    r.year, r.notices_cited = year, []
    f = by_check(check(r), "S-NOTICE")
    assert bool(f) == fires
    if fires:
        assert f[0].rule == "outdated_format" and f[0].severity == "warning"


@pytest.mark.parametrize("n,fires", [(1500, True), (900, False)])
def test_length(n, fires):
    r = load("004_df7582ad909b4c7e")
    text = "一、总体情况\n" + "政务公开工作取得成效。" * (n // 9)
    r.sections[1] = SectionText(1, "一、总体情况", 0, len(text), text)
    f = by_check(check(r), "S-LENGTH")
    assert bool(f) == fires
    if fires:
        assert f[0].severity == "info" and f[0].actual > 1200


@pytest.mark.parametrize("agency,expected", [
    ("淮安市洪泽区人民政府", True),
    ("某某县人民政府", True),
    ("某某镇人民政府", True),
    ("某某街道办事处", True),
    ("攀枝花钒钛高新区管理委员会", True),
    ("某某自治县人民政府", True),
    ("镇江市人民政府", False),
    ("乡宁县人民政府", True),
    ("广西壮族自治区人民政府", False),
    ("攀枝花市人民政府办公室", False),
    ("某某市乡村振兴局", False),
    ("国家税务总局", False),
    ("某某地区行政公署", False),
    (None, False),
])
def test_regulation_power_names(agency, expected):
    assert lacks_regulation_power(agency) is expected


def test_regulation_power_rule():
    r = load("hongze_district_2024")
    r.table2["regulations"] = {"issued": 1, "repealed": 0, "in_force": 2}
    f = by_check(check(r), "T2-REG-POWER")
    assert f and f[0].rule == "regulation_power" and set(f[0].cell_paths) == {"table2.regulations.issued", "table2.regulations.in_force"}
    r.agency = "淮安市人民政府"
    assert not by_check(check(r), "T2-REG-POWER")
    assert not by_check(check(load("hongze_district_2024")), "T2-REG-POWER")  # zeros


def test_outdated_format():
    r = load("hongze_district_2023")
    f = by_check(check(r), "X-FORMAT")
    assert f and f[0].rule == "outdated_format" and f[0].severity == "warning"
    r.year = 2020
    assert not by_check(check(r), "X-FORMAT")
    r2 = load("huaian_city_2024")
    assert not by_check(check(r2), "X-FORMAT")
    r2.format = "2019"
    assert by_check(check(r2), "X-FORMAT")


@pytest.mark.parametrize("text,fires", [
    ("淮安市人民政府2024年政府信息公开工作年度报告 报告所列统计期限自2024年1月1日至2024年12月31日。", False),
    ("淮安市人民政府2024年政府信息公开工作年度报告 报告所列统计期限自2023年1月1日至2023年12月31日。", True),
    ("淮安市人民政府2023年政府信息公开工作年度报告 本报告数据统计期限自2024年1月1日起至2024年12月31日止。", True),
])
def test_wrong_year(text, fires):
    r = with_text(load("huaian_city_2024"), text)
    r.period, r.title = None, None
    f = by_check(check(r), "N-YEAR")
    assert bool(f) == fires
    if fires:
        assert f[0].rule == "wrong_year"


def test_sections_out_of_order_is_a_warning():
    r = load("004_df7582ad909b4c7e")
    r.sections[5], r.sections[6] = r.sections[6], r.sections[5]
    r.sections[5].number, r.sections[6].number = 5, 6
    f = by_check(check(r), "S-SECTIONS")
    assert len(f) == 1 and f[0].severity == "warning" and "顺序" in f[0].message


@pytest.mark.parametrize("signed,fires", [("2025-01-16", False), ("2024-12-28", False), ("2024-01-16", True), ("2026-02-01", True)])
def test_signature_year(signed, fires):
    r = load("002_bcfa5578fb71ac8f")  # 2024
    r.signature_date = signed
    assert bool(by_check(check(r), "N-YEAR")) == fires
