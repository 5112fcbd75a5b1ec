"""Structure and form (STATUTORY_FORMAT.md §4): S-SECTIONS, S-GOV-EXTRA, S-FEE-SECTION,
S-NOTICE, S-LENGTH, T2-REG-POWER, X-FORMAT, N-YEAR."""
from __future__ import annotations

import re

from monitor.settings import get_settings
from parsers import template as T
from parsers.sections import match_heading

from .context import Context
from .finding import Finding
from .text import flatten, full_text, section_flat


def _text(ctx: Context) -> str:
    return flatten(full_text(ctx.report)).text


def sections_rule(ctx: Context) -> list[Finding]:
    """S-SECTIONS: all six statutory sections are present, in order, under their own numerals."""
    printed = _printed_headings(ctx)
    order = sorted(printed, key=lambda n: printed[n][0])  # the sections as the text prints them
    present = set(ctx.report.sections_present) | set(ctx.report.sections)
    out = []
    for s in T.SECTIONS:
        if s.number in present:
            continue
        line = _heading_line(ctx, s)
        if line and s.number in order and order != sorted(order):
            continue  # printed, out of order: the order finding below says so
        if line:  # the heading is printed: our section finder failed, not the agency
            out.append(ctx.finding(
                "parse_uncertain", "S-SECTIONS",
                f"（运维）正文中有标题“{line}”，但未能定位第{s.numeral}部分",
                f"section {s.number} heading {line!r} is in the text but the section was not placed",
                evidence={"heading_line": line},
            ))
            continue
        out.append(ctx.finding(
            "missing_section", "S-SECTIONS",
            f"缺少法定章节“{s.numeral}、{s.title}”（条例第五十条、国办公开办函〔2021〕30号）",
            f"section {s.number} ({s.title}) not found",
            expected=f"section {s.number}", actual=sorted(present),
        ))
    if order == sorted(order):  # the printed order holds: check the order the parser placed them in
        order = [n for _, n in sorted((sec.start, n) for n, sec in ctx.report.sections.items())]
    if len(order) > 1 and order != sorted(order):
        names = "、".join(f"{T.SECTIONS[n - 1].numeral}" for n in order)
        out.append(ctx.finding(
            "missing_section", "S-SECTIONS",
            f"章节顺序与法定格式不一致：报告中依次为 {names}，应为 一至六 顺序",
            f"sections appear in the order {order}",
            expected=sorted(order), actual=order, severity="warning",
        ))
    renumbered = [(n, numeral, line) for n, (_, numeral, line) in sorted(printed.items()) if numeral != T.SECTIONS[n - 1].numeral]
    if renumbered:
        out.append(ctx.finding(
            "missing_section", "S-SECTIONS",
            "章节编号与法定格式不一致：" + "；".join(
                f"“{line}”应为第{T.SECTIONS[n - 1].numeral}部分“{T.SECTIONS[n - 1].numeral}、{T.SECTIONS[n - 1].title}”"
                for n, _, line in renumbered),
            "sections printed under another numeral: " + ", ".join(f"{n} as {x!r}" for n, x, _ in renumbered),
            expected=[T.SECTIONS[n - 1].numeral for n, _, _ in renumbered], actual=[x for _, x, _ in renumbered],
            severity="warning", evidence={"headings": [line for _, _, line in renumbered]},
        ))
    return out


_PRINTED_NUMERAL = re.compile(r"^[ \t#>*]*([一二三四五六七八九十]{1,2})")


def _printed_headings(ctx: Context) -> dict[int, tuple[int, str, str]]:
    """Each section's numbered heading as printed: (line number, numeral, line). A line under the
    template's own numeral wins over an earlier one under another (a sub-heading of 总体情况 such
    as "一、主动公开情况" is not section 二 renumbered)."""
    out: dict[int, tuple[int, str, str]] = {}
    for i, raw in enumerate(full_text(ctx.report).splitlines()):
        m = _PRINTED_NUMERAL.match(raw)
        if not m or (n := match_heading(raw)) is None:
            continue
        right = m.group(1) == T.SECTIONS[n - 1].numeral
        if n not in out or (right and out[n][1] != T.SECTIONS[n - 1].numeral):
            out[n] = (i, m.group(1), re.sub(r"\s+", "", raw).lstrip("#>*"))
    return out


_NUMBERING = re.compile(r"^(?:[#＃]*)(?:[一二三四五六七八九十]+|\d+)[、.．，,]?")


def _heading_line(ctx: Context, section) -> str | None:
    """A line of the text that is this section's heading (numbered or not), if any."""
    titles = (section.title,) + section.variants
    for raw in full_text(ctx.report).splitlines():
        line = re.sub(r"\s+", "", raw)
        body = _NUMBERING.sub("", line, count=1)
        if any(body.startswith(t) and len(body) <= len(t) + 4 for t in titles):
            return line
    return None


# 第五十条: governments' reports also cover 工作考核、社会评议和责任追究结果情况
_GOV_EXTRA = ((re.compile("考核|考评"), "工作考核"), (re.compile("评议|测评|社会评价"), "社会评议"),
              (re.compile("责任追究|追究责任|追究.{0,8}责任|追责|问责"), "责任追究"))


def gov_extra_rule(ctx: Context) -> list[Finding]:
    """S-GOV-EXTRA: a government's report states its 考核、评议、责任追究 results."""
    if ctx.report.agency_kind != "government":
        return []
    text = _text(ctx)
    if not text:
        return []
    missing = [name for rx, name in _GOV_EXTRA if not rx.search(text)]
    if not missing:
        return []
    return [ctx.finding(
        "missing_required_content", "S-GOV-EXTRA",
        f"政府年度报告未说明{'、'.join(missing)}结果情况（条例第五十条第（四）项要求各级人民政府报告工作考核、社会评议和责任追究结果）",
        f"government report does not mention: {', '.join(missing)}",
        expected="考核、评议、责任追究", actual=missing,
    )]


# "未收取任何费用", "不收费": the fee situation stated without naming 信息处理费
_FEE_WORDS = re.compile(r"(?:收取|收缴|产生)[^。；]{0,10}?费|收费")


def fee_section_rule(ctx: Context) -> list[Finding]:
    """S-FEE-SECTION: section 六 reports on 信息处理费 (2021 format on)."""
    if ctx.report.year is not None and ctx.report.year < 2021:
        return []
    six = section_flat(ctx.report, 6)
    text = six if six is not None else _text(ctx)
    if not text or "处理费" in text or _FEE_WORDS.search(text):
        return []
    where = f"“{T.SECTIONS[5].numeral}、{T.SECTIONS[5].title}”" if six is not None else "报告"
    return [ctx.finding(
        "missing_required_content", "S-FEE-SECTION",
        f"{where}未说明收取信息处理费情况（国办公开办函〔2021〕30号：收取信息处理费情况在此处专门报告）",
        "section 6 does not mention 信息处理费",
        expected="信息处理费", actual=None,
    )]


_NOTICE = re.compile(r"国办公开办函[〔\[（(【]?(20\d\d)[〕\]）)】]?第?(\d+)号")


def notices(ctx: Context) -> set[str]:
    found = set()
    for n in ctx.report.notices_cited:
        m = _NOTICE.search(re.sub(r"\s+", "", n))
        if m:
            found.add(f"{m.group(1)}-{m.group(2)}")
    for m in _NOTICE.finditer(_text(ctx)):
        found.add(f"{m.group(1)}-{m.group(2)}")
    return found


def notice_rule(ctx: Context) -> list[Finding]:
    """S-NOTICE: a 2021+ report citing only the superseded 60号 notice."""
    year = ctx.report.year
    if year is None or year < 2021:
        return []
    cited = notices(ctx)
    if "2019-60" in cited and "2021-30" not in cited:
        return [ctx.finding(
            "outdated_format", "S-NOTICE",
            f"{year}年度报告仍以已被替代的国办公开办函〔2019〕60号为依据，应依据国办公开办函〔2021〕30号",
            "cites 国办公开办函〔2019〕60号 and not 〔2021〕30号",
            expected="国办公开办函〔2021〕30号", actual="国办公开办函〔2019〕60号",
        )]
    return []


_HAN = re.compile(r"[\u4e00-\u9fff]")


def length_rule(ctx: Context) -> list[Finding]:
    """S-LENGTH: 总体情况 "篇幅原则上不超过一千字" (soft)."""
    one = section_flat(ctx.report, 1)
    if one is None:
        return []
    limit = get_settings().rules_overview_max_chars
    heading = ctx.report.sections[1].heading or ""
    n = len(_HAN.findall(one)) - len(_HAN.findall(heading))  # 字 = Chinese characters
    if n <= limit:
        return []
    return [ctx.finding(
        "section_too_long", "S-LENGTH",
        f"“{T.SECTIONS[0].numeral}、{T.SECTIONS[0].title}”约 {n} 字，超过格式要求的一千字左右",
        f"section 1 has {n} characters (limit {limit})",
        expected=limit, actual=n,
    )]


_ADMIN_SUFFIX = "|".join(sorted(set(T.NO_REGULATION_POWER_WORDS) | {"自治区", "自治州", "自治县", "地区", "省", "市", "州", "盟"}, key=len, reverse=True))
_ADMIN_UNIT = re.compile(rf"(?<=[\u4e00-\u9fff])({_ADMIN_SUFFIX})")
_UNIT_END = set("省市州盟县区旗乡镇道")


def lacks_regulation_power(agency: str | None) -> bool:
    """True when the name shows a county-level or lower body (立法法 第九十三条: no 规章).

    The deepest administrative unit in the name decides; a suffix right after another unit's
    suffix starts a word (市乡村振兴局), a leading one is part of a place name (镇江市)."""
    if not agency:
        return False
    units = [m.group(1) for m in _ADMIN_UNIT.finditer(agency) if agency[m.start() - 1] not in _UNIT_END]
    units = [u for u in units if u not in ("自治区", "自治州", "地区")]
    return bool(units) and units[-1] in T.NO_REGULATION_POWER_WORDS + ("自治县",)


def regulation_power_rule(ctx: Context) -> list[Finding]:
    """T2-REG-POWER: a body that cannot make 规章 reports none."""
    reg = ctx.report.table2.get("regulations") or {}
    if not isinstance(reg, dict) or not lacks_regulation_power(ctx.report.agency):
        return []
    cells = [f"table2.regulations.{c}" for c in ("issued", "repealed", "in_force")]
    nonzero = [p for p in cells if isinstance(ctx.value(p), (int, float)) and ctx.value(p) > 0 and p not in ctx.blank]
    if not nonzero:
        return []
    vals = "、".join(f"{T.cell_label(p)} {ctx.value(p)}" for p in nonzero)
    return [ctx.finding(
        "regulation_power", "T2-REG-POWER",
        f"{ctx.report.agency}为县级及以下机关，无规章制定权（立法法第九十三条），但表二填报了规章：{vals}",
        f"agency below prefecture level reports regulations: {vals}",
        cells=nonzero, expected=0, actual=[ctx.value(p) for p in nonzero],
    )]


def format_rule(ctx: Context) -> list[Finding]:
    """X-FORMAT: reports for 2021 on use the 30号 format (not the 2019 trial format)."""
    year = ctx.report.year
    if year is None or year < 2021:
        return []
    reasons = []
    if ctx.report.format == T.FORMAT_2019 or ctx.report.table2_2019:
        reasons.append("表二仍为2019年试行格式")
    if ctx.uses_other_single:
        reasons.append(f"表三“{T.TABLE3_GROUPS['other'][0]}”仍为单行，未按2021年格式分列三项")
    if not reasons:
        return []
    cells = [T.table3_cell(T.OTHER_SINGLE, 6)] if ctx.uses_other_single else []
    return [ctx.finding(
        "outdated_format", "X-FORMAT",
        f"{year}年度报告未使用国办公开办函〔2021〕30号规定的格式：" + "；".join(reasons),
        f"{year} report in the 2019 trial format: " + "; ".join(reasons),
        cells=cells, expected=T.FORMAT_2021, actual=T.FORMAT_2019,
    )]


_TITLE_YEAR = re.compile(r"(20\d\d)年度?(?:[^。，]{0,20})?政府信息公开(?:工作)?年度?报告")
_PERIOD = re.compile(r"(20\d\d)年(\d{1,2})月(\d{1,2})日(?:起)?(?:至|到|—|-|－|~)(20\d\d)年(\d{1,2})月(\d{1,2})日")


def year_rule(ctx: Context) -> list[Finding]:
    """N-YEAR: the title, the 统计期限 and the report year agree."""
    year = ctx.report.year
    if year is None:
        return []
    text = _text(ctx)
    problems, actual = [], {}
    m = _TITLE_YEAR.search(ctx.report.title or "") or _TITLE_YEAR.search(text[:300])
    if m and int(m.group(1)) != year:
        problems.append(f"标题年份为 {m.group(1)} 年")
        actual["title_year"] = int(m.group(1))
    period = ctx.report.period
    if not period:
        p = _PERIOD.search(text)
        if p:
            y1, m1, d1, y2, m2, d2 = (int(x) for x in p.groups())
            period = (f"{y1:04d}-{m1:02d}-{d1:02d}", f"{y2:04d}-{m2:02d}-{d2:02d}")
    if period and (period[0] != f"{year}-01-01" or period[1] != f"{year}-12-31"):
        problems.append(f"统计期限为 {period[0]} 至 {period[1]}")
        actual["period"] = list(period)
    signed = ctx.report.signature_date or ""
    if re.match(r"\d{4}-\d{2}-\d{2}$", signed) and not (f"{year}-12-01" <= signed <= f"{year + 1}-12-31"):
        problems.append(f"落款日期为 {signed}")  # a report cannot be signed before its year ends
        actual["signature_date"] = signed
    if not problems:
        return []
    return [ctx.finding(
        "wrong_year", "N-YEAR",
        f"报告年度为 {year} 年，但" + "，".join(problems) + f"（应为 {year}-01-01 至 {year}-12-31）",
        f"report year {year} disagrees with: {actual}",
        expected={"year": year, "period": [f"{year}-01-01", f"{year}-12-31"]}, actual=actual,
    )]
