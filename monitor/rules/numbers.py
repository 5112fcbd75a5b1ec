"""Numbers as Chinese reports write them: 21, 1,234, 1.2万, 二十一, 一百零三, 两千, 壹佰零叁.

Narrative rules compare what a report's text says with its tables; this module only reads
numbers, it knows nothing about reports.
"""
from __future__ import annotations

import re

_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
# 大写 (financial) numerals, as some reports print counts: 壹佰零叁 reads as 一百零三
_CAPITAL = str.maketrans("壹贰叁肆伍陆柒捌玖拾佰仟", "一二三四五六七八九十百千")
CN_NUMERAL_CHARS = "零〇○一二两三四五六七八九十百千万亿"

# A number token: Arabic (with thousands separators and decimals, optionally 万/亿) or Chinese.
NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:万|亿)?|[零〇○一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟]+"
NUMBER_RE = re.compile(NUMBER)


def parse_chinese(s: str) -> int | None:
    """二十一 → 21, 一百零三 → 103, 十 → 10, 三千零五十 → 3050, 一万二千 → 12000; None if malformed."""
    s = s.translate(_CAPITAL)
    if not s or any(ch not in CN_NUMERAL_CHARS for ch in s):
        return None
    if all(ch in _DIGITS for ch in s) and len(s) > 1:
        # digit-by-digit spelling: 二〇二三
        return int("".join(str(_DIGITS[ch]) for ch in s))
    total, section, digit = 0, 0, None
    for ch in s:
        if ch in _DIGITS:
            if digit is not None and _DIGITS[ch] != 0:
                return None  # two digits in a row without a unit: not a number we trust
            digit = _DIGITS[ch] if _DIGITS[ch] != 0 else None
        elif ch in _SMALL_UNITS:
            section += (1 if digit is None else digit) * _SMALL_UNITS[ch]
            digit = None
        elif ch in _BIG_UNITS:
            section += digit or 0
            if section == 0:
                return None
            total += section * _BIG_UNITS[ch]
            section, digit = 0, None
    return total + section + (digit or 0)


def parse_number(s: str) -> int | float | None:
    """A number token as a value: ints stay ints, 1.2万 → 12000, 3.5 → 3.5."""
    s = s.strip().replace(",", "").replace("，", "")
    if not s:
        return None
    if s[0].isdigit():
        mult = 1
        if s[-1] in _BIG_UNITS:
            mult, s = _BIG_UNITS[s[-1]], s[:-1]
        try:
            v = float(s) * mult if "." in s else int(s) * mult
        except ValueError:
            return None
        if isinstance(v, float) and v.is_integer() and mult > 1:
            return int(v)
        return v
    return parse_chinese(s)


def decimals(token: str) -> int:
    """How many decimals a printed number carries (for rounding tolerance)."""
    token = token.strip()
    return len(token.split(".", 1)[1]) if "." in token else 0
