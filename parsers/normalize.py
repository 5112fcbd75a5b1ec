"""Text normalisation: one canonical spelling of whatever a portal, a converter or a mirror made.

Order matters: radicals and NFKC first (so OpenCC sees real characters), then traditional →
simplified, then the debris (pinyin, stray ``?``, doubled punctuation, page numbers).
Full-width punctuation that the template itself uses (（）、，：“”) is kept full-width so labels
compare equal; full-width digits and letters become ASCII.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# ---------------------------------------------------------------------------------------------
# CJK radicals (U+2E80–U+2EF3 supplement, U+2F00–U+2FD5 Kangxi) that PDF text layers emit in
# place of the ideographs. NFKC maps the Kangxi block; the supplement needs a table.
# ---------------------------------------------------------------------------------------------
_RADICAL_SUPPLEMENT = {
    "⺀": "冫", "⺁": "厂", "⺂": "乛", "⺃": "乚", "⺄": "乙", "⺅": "亻", "⺆": "冂", "⺇": "几", "⺈": "刀",
    "⺉": "刂", "⺊": "卜", "⺋": "卩", "⺌": "小", "⺍": "小", "⺎": "尢", "⺏": "尣", "⺐": "尢", "⺑": "尣",
    "⺒": "巳", "⺓": "幺", "⺔": "彐", "⺕": "彐", "⺖": "忄", "⺗": "心", "⺘": "扌", "⺙": "攵", "⺛": "无",
    "⺜": "日", "⺝": "月", "⺞": "歹", "⺟": "母", "⺠": "民", "⺡": "氵", "⺢": "氺", "⺣": "灬", "⺤": "爪",
    "⺥": "爫", "⺦": "丬", "⺧": "牛", "⺨": "犭", "⺩": "王", "⺪": "疋", "⺫": "罒", "⺬": "示", "⺭": "礻",
    "⺮": "竹", "⺯": "糸", "⺰": "纟", "⺱": "罒", "⺲": "罒", "⺳": "网", "⺴": "网", "⺵": "网", "⺶": "羊",
    "⺷": "羊", "⺸": "羊", "⺹": "老", "⺺": "聿", "⺻": "聿", "⺼": "月", "⺽": "臼", "⺾": "艹", "⺿": "艹",
    "⻀": "艹", "⻁": "虎", "⻂": "衤", "⻃": "襾", "⻄": "西", "⻅": "见", "⻆": "角", "⻇": "角", "⻈": "讠",
    "⻉": "贝", "⻊": "足", "⻋": "车", "⻌": "辶", "⻍": "辶", "⻎": "辶", "⻏": "阝", "⻐": "金", "⻑": "长",
    "⻒": "长", "⻓": "长", "⻔": "门", "⻕": "阝", "⻖": "阝", "⻗": "雨", "⻘": "青", "⻙": "韦", "⻚": "页",
    "⻛": "风", "⻜": "飞", "⻝": "食", "⻞": "食", "⻟": "食", "⻠": "饣", "⻡": "首", "⻢": "马", "⻣": "骨",
    "⻤": "鬼", "⻥": "鱼", "⻦": "鸟", "⻧": "卤", "⻨": "麦", "⻩": "黄", "⻪": "黾", "⻫": "齐", "⻬": "齐",
    "⻭": "齿", "⻮": "齿", "⻯": "龙", "⻰": "龙", "⻱": "龟", "⻲": "龟", "⻳": "龟",
}
# Characters NFKC would turn into ASCII but which the template spells full-width.
_KEEP_FULLWIDTH = "（）：，；！？"
_TO_FULLWIDTH = str.maketrans({"(": "（", ")": "）"})

# pinyin debris injected by mirror sites: 習(xí) 學(xué) — a parenthesised latin syllable with tone marks
_PINYIN = re.compile(r"[（(]\s*[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]{1,7}\s*[)）]", re.IGNORECASE)
# a stray question mark glued to a number: "0?" "?0" (conversion debris in cells)
_QMARK_NUM = re.compile(r"(?<=\d)[?？]|[?？](?=\d)")
# doubled punctuation from mirror conversion: "，，" "，、" "、，" "。，"
_DOUBLE_PUNCT = re.compile(r"([，、。；：,])[，、,]+|[，、,]+([。；、])")
# page-number lines: "- 8 -", "-4-", "— 12 —", "第 3 页", "3 / 12"
_PAGE_LINE = re.compile(r"^[ \t]*(?:[-—–－]\s*\d{1,4}\s*[-—–－]|第\s*\d{1,4}\s*页(?:\s*[，,]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4})[ \t]*$", re.M)
# a full-width comma used as a thousands separator ("３，１１９" → "3,119"); "，" stays full-width elsewhere
_FW_THOUSANDS = re.compile(r"(?<![\d,，.])\d{1,3}(?:，\d{3})+(?![\d.])")
# OpenCC leaves these variant forms; the template uses the right-hand ones
_VARIANTS = str.maketrans({"囯": "国", "戶": "户", "衆": "众", "敎": "教", "爲": "为", "鍾": "钟", "裏": "里"})


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def _map_chars(text: str) -> str:
    out = []
    for ch in text:
        o = ord(ch)
        out.append(_RADICAL_SUPPLEMENT.get(ch, ch) if 0x2E80 <= o <= 0x2EF3 else ch)
    return "".join(out)


def nfkc(text: str) -> str:
    """NFKC that keeps the template's full-width punctuation full-width."""
    parts = []
    for chunk in re.split(f"([{_KEEP_FULLWIDTH}])", text):
        if len(chunk) == 1 and chunk in _KEEP_FULLWIDTH:
            parts.append(chunk)
        else:
            parts.append(unicodedata.normalize("NFKC", chunk))
    return "".join(parts)


def looks_traditional(text: str) -> bool:
    sample = text[:5000]
    if not sample:
        return False
    converted = _t2s().convert(sample)
    changed = sum(1 for a, b in zip(sample, converted) if a != b)
    return changed > max(3, len(sample) // 200)


def to_simplified(text: str) -> str:
    return _t2s().convert(text)


def normalize_text(text: str) -> str:
    """The canonical form of a whole document's text (line structure and tabs are kept)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u3000", " ").replace("\xa0", " ")
    text = re.sub(r"[\u200b-\u200f\ufeff]", "", text)
    text = _map_chars(text)
    text = nfkc(text)
    text = text.translate(_TO_FULLWIDTH)
    # NFKC made ASCII "." and "、" distinct already; unify list-number punctuation "1、" stays.
    text = _PINYIN.sub("", text)
    text = to_simplified(text)
    text = text.translate(_VARIANTS)
    text = _QMARK_NUM.sub("", text)
    text = _DOUBLE_PUNCT.sub(lambda m: m.group(1) or m.group(2), text)
    text = _PAGE_LINE.sub("", text)
    text = _FW_THOUSANDS.sub(lambda m: m.group(0).replace("，", ","), text)
    return text


def compact(text: str) -> str:
    """Text with all whitespace removed: for matching labels broken across lines or cells."""
    return re.sub(r"\s+", "", text)


def label_key(text: str) -> str:
    """A label reduced for matching: no whitespace, unified quotes and list punctuation."""
    t = compact(text)
    t = re.sub(r"[“”\"'‘’「」『』]", "", t)
    t = t.replace("、", ".").replace("．", ".").replace(",", "，").replace(":", "：").replace(";", "；")
    return t
