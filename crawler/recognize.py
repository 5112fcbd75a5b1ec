"""Is this link an annual report, and for which year?

A listing entry is a report when its title (simplified, whitespace-free) names the
政府信息公开 annual report. The report year is the year reported ON: a title's "2024年" wins;
without one, a publication date early in year Y means the report for Y-1.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_CN_DIGITS = {"〇": "0", "○": "0", "零": "0", "Ｏ": "0", "O": "0", "一": "1", "二": "2", "三": "3", "四": "4",
              "五": "5", "六": "6", "七": "7", "八": "8", "九": "9"}

# "政府信息公开工作年度报告", "政务公开年报", "信息公开年度报告", "政府信息公开工作报告" (old wording)
_REPORT = re.compile(r"(信息公开|政务公开).{0,12}?(年度报告|年报|工作报告|年度工作报告)")
# titles that talk ABOUT reports without being one
_ABOUT = re.compile(r"^的?(通知|要点|格式|评估|考核|解读|说明|意见|方案|办法|目录|指南|征集|情况通报|报送|编制|模板"
                    r"|图解|政策解读|发布会|一图|视频|动漫)")
# "图解：…年度报告", "一图读懂…年度报告": an illustrated summary, not the report
_DERIVED = re.compile(r"图解|一图|图说|图读|解读|视频|动漫|动画")
_CLOSERS = "》」』”\"'"
_YEAR = re.compile(r"((?:19|20)\d{2})\s*(?:年|年度|-)")
_BRACKET_YEAR = re.compile(r"[(\[（【〔]((?:19|20)\d{2})[)\]）】〕]")  # "年度报告（2024）"
_CN_YEAR = re.compile(r"([二〇○零一三四五六七八九ＯO]{4})\s*年")


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def normalize(text: str) -> str:
    """Simplified script, NFKC, no whitespace: how titles are compared."""
    if not text:
        return ""
    t = unicodedata.normalize("NFKC", text)
    t = re.sub(r"\s+", "", t)
    return _t2s().convert(t)


def simplified(text: str) -> str:
    """Simplified script and NFKC, spacing kept (for reading dates off a traditional-script page)."""
    return _t2s().convert(unicodedata.normalize("NFKC", text or ""))


def is_report_title(title: str) -> bool:
    t = normalize(title)
    m = _REPORT.search(t)
    if not m:
        return False
    # "关于报送2024年政府信息公开工作年度报告的通知" is about a report, not one
    head, tail = t[: m.start()], t[m.end() :].lstrip(_CLOSERS)
    if _ABOUT.match(tail) or _ABOUT.match(tail.lstrip("(（【[〔<")) or _DERIVED.search(head):
        return False
    if re.search(r"关于|印发|转发", head) and re.search(r"通知|报送|编制|做好|印发", t):
        return False
    return True


_TRUNCATED = re.compile(r"(…|\.{2,}|·{2,}|。{2,})$")
_PARTIAL = re.compile(r"信息公开|政务公开|政府信息|信息公|年度报告|年报")


def truncated_report_title(title: str) -> bool:
    """A listing title cut short ("某市2024年政府信息公开…") that may be a report: the page's own
    title must confirm it (the spider checks before taking it)."""
    t = normalize(title)
    m = _TRUNCATED.search(t)
    if not m or is_report_title(t):
        return False
    head = t[: m.start()]
    return bool(_PARTIAL.search(head)) and not re.search(r"关于|印发|转发|通知", head)


_FULL_DATE = re.compile(r"(?:19|20)\d{2}(?:[-/.]\d{1,2}[-/.]\d{1,2}|年\d{1,2}月\d{1,2}日)(?:\d{1,2}:\d{2}(?::\d{2})?)?")
_BARE_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")  # "2024政府信息公开工作年度报告"


def title_year(title: str) -> int | None:
    """The report year named in a title, Arabic or Chinese numerals. A full date printed in the
    link ("[2025-01-20] 某市2024年…") is the publication date, not the year reported on."""
    t = _FULL_DATE.sub(" ", normalize(title))
    m = _YEAR.search(t) or _BRACKET_YEAR.search(t)
    if m:
        return int(m.group(1))
    m = _CN_YEAR.search(t)
    if m:
        digits = "".join(_CN_DIGITS.get(ch, "") for ch in m.group(1))
        if len(digits) == 4 and digits[:2] in ("19", "20"):
            return int(digits)
    m = _BARE_YEAR.search(t)
    return int(m.group(1)) if m else None


def report_year(title: str, published: str | None = None) -> int | None:
    """Year reported on: from the title, else the publication year minus one (published Jan-Jun)."""
    y = title_year(title)
    if y is not None:
        return y
    if published and re.match(r"\d{4}-\d{2}", published):
        py, pm = int(published[:4]), int(published[5:7])
        if pm <= 6:
            return py - 1
    return None


_PUNCT = re.compile(r"[《》「」『』“”\"'()（）【】\[\]:：,，、.。·\-—_]|关于|印发")


def title_body(title: str) -> str:
    """The publishing body a report title names: what precedes its year (or the report words)."""
    t = normalize(title)
    m = _YEAR.search(t) or _CN_YEAR.search(t) or _REPORT.search(t)
    return _PUNCT.sub("", t[: m.start()]) if m else ""


def names_agency(title: str, agency_name: str) -> bool | None:
    """True: the title names this agency; False: it names another body (a department's report
    listed in a government's column); None: it names no body at all."""
    body = title_body(title)
    name = normalize(agency_name)
    if not body:
        return None
    if name and (name in normalize(title) or body in name):
        return True
    return False
