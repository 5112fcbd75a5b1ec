"""Report metadata: agency, report year, agency kind, signature date, statistics period, notices.

The year is the year reported on (a 2024 report is published in 2025). The kind decides the
deadline; it is inferred from the agency's name and can be overridden by the registry or CLI.
"""
from __future__ import annotations

import re

from . import template as T
from .model import Report
from .normalize import compact

_TITLE_RE = re.compile(r"(?P<agency>[^\n。；;]{0,60}?)\s*(?P<year>(?:19|20)\d{2})\s*年\s*度?\s*(?:的)?\s*(?:政府)?信息公开(?:工作)?(?:年度?报告|年报)")
# "XX局政府信息公开工作2023年度报告": the year after the subject
_TITLE_RE2 = re.compile(r"(?P<agency>[^\n。；;]{0,60}?)\s*政府信息公开(?:工作)?\s*(?P<year>(?:19|20)\d{2})\s*年\s*度?\s*报告")
# "2023年XX县人民政府政府信息公开工作年度报告": the year first (a whole title line only)
_TITLE_RE3 = re.compile(r"(?P<year>(?:19|20)\d{2})\s*年\s*度?\s*(?P<agency>[^\n。；;]{2,60}?)\s*政府信息公开(?:工作)?(?:年度?报告|年报)")
_DATE = r"(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"
_DATE_RE = re.compile(_DATE)
_DATE_LINE = re.compile(r"^\s*" + _DATE + r"\s*$", re.M)
_PERIOD_RE = re.compile(
    r"统计(?:期限|时限|期间|时间|区间)[^\n\d]{0,12}?" + _DATE.replace("?P<y>", "?P<y1>").replace("?P<m>", "?P<m1>").replace("?P<d>", "?P<d1>")
    + r"\s*(?:起)?\s*(?:至|到|—|-|~|－)\s*"
    + _DATE.replace("?P<y>", "?P<y2>").replace("?P<m>", "?P<m2>").replace("?P<d>", "?P<d2>"),
)
_CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_YEAR = re.compile(r"([〇零○一二三四五六七八九]{4})\s*年")


def _iso(y: str, m: str, d: str) -> str | None:
    try:
        yi, mi, di = int(y), int(m), int(d)
    except ValueError:
        return None
    if not (1 <= mi <= 12 and 1 <= di <= 31):
        return None
    return f"{yi:04d}-{mi:02d}-{di:02d}"


def _cn_year(s: str) -> int | None:
    try:
        return int("".join(str(_CN_DIGITS[c]) for c in s))
    except KeyError:
        return None


# words that stand for the agency without naming it ("现将本机关2024年…报告公布如下")
_SELF_WORDS = ("本机关", "本单位", "本部门", "我单位", "我机关", "本局", "我局", "本委", "我委", "本办", "我办", "本级")


def _clean_agency(name: str) -> str | None:
    name = compact(name).strip("#>*：:，,。 ")
    if name.rfind("《") > name.rfind("》"):
        return None  # the words of a cited document's title (《XX办公室关于做好2024年…报告), not an agency
    # an intro sentence ("根据《条例》规定，现将XX局2024年…"): the agency is after its last clause break
    name = re.split(r"[，,；;：:《》]", name)[-1]
    name = re.sub(r"^(?:关于|附件\d*[:：]?|现将|特将|现|将|按照要求|为)", "", name)
    name = re.sub(r"关于.*$|的$", "", name)
    if name.count("（") != name.count("）") or name.count("〔") != name.count("〕"):
        return None  # a fragment of a citation ("（国办公开办函"), not a name
    if not name or len(name) < 2 or len(name) > 40 or name in _SELF_WORDS:
        return None
    if re.search(r"\d", name):
        return None
    # an overall report titled by the region only ("泸州市2022年…") is the government's report
    if re.fullmatch(r".+?(?:省|自治区|市|州|盟|县|区|旗)", name) and not name.endswith(("社区", "园区", "新区管委会")):
        return name + "人民政府"
    return name


def _uncontract(name: str) -> str:
    """"XX县人民政府信息公开工作…" contracts 人民政府政府信息公开: the agency keeps its 政府."""
    return name + "政府" if compact(name).endswith("人民") else name


def _wrapped_title(head_lines: str) -> tuple[str, str, int] | None:
    """A title that is a whole line or wraps over two or three short lines, before any body
    text ("攀枝花市仁和区人民政府2024年政府信息公开工\n作年度报告"): preferred to a match
    inside a sentence that cites another notice's title."""
    lines = head_lines.splitlines()[:8]
    for i in range(len(lines)):
        for n in (1, 2, 3):
            parts = lines[i : i + n]
            if len(parts) < n or any(len(compact(p)) > 40 for p in parts):
                break
            joined = compact("".join(parts)).strip("#>*")
            m = _TITLE_RE.fullmatch(joined) or _TITLE_RE2.fullmatch(joined) or _TITLE_RE3.fullmatch(joined)
            if m:
                agency = _clean_agency(_uncontract(m.group("agency")))
                if agency is None and i:
                    agency = _clean_agency(lines[i - 1]) if len(compact(lines[i - 1])) <= 30 else None
                return joined, agency, int(m.group("year"))  # type: ignore[return-value]
    return None


def _title_and_agency(report: Report) -> tuple[str | None, str | None, int | None]:
    head = report.text[:1500]
    head_lines = "\n".join(line for line in head.splitlines() if line.strip())
    wrapped = _wrapped_title(head_lines)
    if wrapped:
        return wrapped
    m = _TITLE_RE.search(head_lines) or _TITLE_RE2.search(head_lines)
    if m:
        year = int(m.group("year"))
        agency = _clean_agency(_uncontract(m.group("agency")))
        title = compact(m.group(0)).strip("#")
        if not agency:
            # the agency on the line before the title line ("攀枝花市仁和区人民政府\n2024 年…")
            before = head_lines[: m.start()].strip().splitlines()
            if before:
                agency = _clean_agency(before[-1])
        return title, agency, year
    m2 = _CN_YEAR.search(head_lines)
    if m2 and "政府信息公开" in head_lines[m2.start() : m2.start() + 40]:
        return None, None, _cn_year(m2.group(1))
    return None, None, None


def infer_kind(agency: str | None, text: str = "") -> str | None:
    """department / government / township from the agency's name (FINDINGS.md, Agency kinds)."""
    if not agency:
        return None
    if any(w in agency for w in T.KIND_HINTS.township):
        return "township"
    if agency.endswith("人民政府") or agency.endswith("政府"):
        return "government"
    if any(w in agency for w in T.KIND_HINTS.department):
        return "department"
    return None


def _signature(report: Report) -> tuple[str | None, str | None]:
    """The date (and agency line) under the signature at the very end of the report."""
    tail_start = report.sections[6].start if 6 in report.sections else max(0, len(report.text) - 600)
    tail = report.text[tail_start:]
    matches = list(_DATE_LINE.finditer(tail))
    if not matches:
        return None, None
    m = matches[-1]
    # only a date near the end (nothing but a line or two after it)
    if len(tail[m.end() :].strip()) > 40:
        return None, None
    date = _iso(m.group("y"), m.group("m"), m.group("d"))
    before = [l.strip() for l in tail[: m.start()].splitlines() if l.strip()]
    signer = before[-1] if before and len(before[-1]) <= 40 and not before[-1].endswith(("。", "；")) else None
    return date, signer


_OPENING_YEAR = re.compile(r"^\s*(?P<year>(?:19|20)\d{2})\s*年\s*(?:度|以来)?\s*[，,]")


def _year_from_body(report: Report, signed: str | None) -> int | None:
    """The report year when neither the title nor the statistics period gives it: the year
    总体情况 opens with ("2024年，我局…"), else the year before a signature dated January–June."""
    if 1 in report.sections:
        m = _OPENING_YEAR.match(report.sections[1].text.lstrip())
        if m:
            return int(m.group("year"))
    if signed and int(signed[5:7]) <= 6:
        return int(signed[:4]) - 1
    return None


def extract_metadata(report: Report, kind_override: str | None = None) -> None:
    title, agency, year = _title_and_agency(report)
    report.title = title
    m = _PERIOD_RE.search(report.text[:4000])
    if m:
        start = _iso(m.group("y1"), m.group("m1"), m.group("d1"))
        end = _iso(m.group("y2"), m.group("m2"), m.group("d2"))
        if start and end:
            report.period = (start, end)
            if year is None:
                year = int(end[:4])
    date, signer = _signature(report)
    if year is None:
        year = _year_from_body(report, date)
    report.year = year
    report.signature_date = date
    if signer and (agency is None or (len(signer) > len(agency) and agency in signer)):
        cleaned = _clean_agency(signer)
        agency = cleaned or agency
    report.agency = agency
    report.agency_kind = kind_override or infer_kind(agency, report.text)
    flat = compact(report.text)
    report.notices_cited = [n for n in T.NOTICE_2021 + T.NOTICE_2019 if compact(n) in flat]
