"""What a report's text states in numbers: applications received, answered and carried, the
outcome breakdown, review and litigation, normative documents, and lists of parts.

Pure text reading: no tables here (narrative.py compares). The reading is deliberately
cautious: a number counts only when its own words say what it counts, inside a sentence about
依申请公开 (or 复议/诉讼 about 信息公开); anything else (信访, 人大建议, 政务服务办件 ...) is left
alone, because a missed claim costs less than a false accusation.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from parsers import template as T

from .numbers import NUMBER, decimals, parse_number
from .text import Flat, sentences

COUNT_UNITS = "件个宗份起例"
# a counted number: not glued to a preceding digit, not "约/近/超过" approximate, unit right after
# "5个工作日", "一件一档", "一件事" are not counts of anything the tables hold
_COUNTED = re.compile(
    rf"(?<![\d.])(?P<num>{NUMBER})(?P<unit>个(?![\u4e00-\u9fff])|件(?![一事次档套])|[宗份起例条])(?:[（(]件[)）])?"
)
_APPROX_BEFORE = ("约", "近", "超过", "逾", "将近", "大约", "达到近", "上", "数", "几", "成")
# "（占70%）", "，占比45.7%", "，占办结总数的65.6%"
_PERCENT_AFTER = re.compile(r"^[（(，,]?(?:占比|占[^，,。；;%％\d（(]{0,10}|比例为?|约)?(?P<p>\d+(?:\.\d+)?)[%％]")
_CLAUSE_DELIMS = "，,；;：:（(）)。"


@dataclass
class Claim:
    kind: str  # received | answered | handled | received_or_answered | carried_over | carried_forward |
    # outcome.<category> | review | litigation | litigation_direct | litigation_after_review |
    # review_and_litigation[_each] | review.<column> | litigation.<column> | lit.zero | lit.all_upheld |
    # lit.none_corrected | norm.in_force | norm.issued
    value: int | float
    start: int  # span in the compact text (the number and its unit, or the phrase)
    end: int
    sentence: tuple[int, int]
    percent: tuple[float, int] | None = None  # (value, decimals printed)
    mentions_carry: bool = False
    scope: frozenset[str] = field(default_factory=frozenset)  # review / litigation, for N-LIT phrases
    tolerance: float = 0  # 1.2万 means 11,500..12,499

    def agrees(self, value: int | float) -> bool:
        return abs(self.value - value) <= self.tolerance


@dataclass
class PartsList:
    """"N件，其中A件，B件…": a whole and the parts the text lists for it (N-INTERNAL)."""

    whole: int | float
    parts: list[tuple[int | float, str]]  # value and the words before it
    start: int
    end: int
    sentence: tuple[int, int]


# -- applications (N-APPS) -------------------------------------------------------------------------
_FORWARD = re.compile(
    r"(结转|转入|顺延|延至|延续|转至|转到|留待).{0,6}(下一?|次)年|(?<!\d{4}年)(?<!结)(结转|转入|顺延|延至|转至|转到)(至|到)?\d{4}年"
    r"|下一?年度?继续办理|结转下|正在办理|办理中|尚未办结|未办结|在办"
)
_OVER = re.compile(r"上一?年度?.{0,6}(结转|转入|遗留|未办结)|结转(自)?上一?年|上年结转")
# "2022年结转至2023年的5件": which side is this report's depends on its year; left alone
_YEAR_TO_YEAR = re.compile(r"\d{4}年度?(?:结转|转入|顺延|延至|转至|转到)(?:至|到)?\d{4}年")
_RECEIVED = re.compile(r"收到|受理|接收|新收|接到|收悉|共收|登记")
_ANSWERED = re.compile(r"办结|答复|回复|办理完毕|处理完毕|完成办理")
_HANDLED = re.compile(r"办理|处理")
_NOT_APPLICATIONS = re.compile(
    r"建议|提案|信访|留言|来信|信箱|热线|12345|咨询|诉求|办件|政务服务|审批|许可|复议|诉讼|意见|网民|问政|投诉|举报|舆情|政策"
    r"|同比|较上年|比上年|增加|减少|增长|下降|累计|以来|历年|平均|日均|每月"
    r"|延期|逾期|超期|当场|现场|邮件|邮寄|快递|网上|线上|在线|当面|书面|电话|短信|传真|窗口"  # a manner of answering: a part
)
_APP_CONTEXT = re.compile(r"申请")
_NEW_TOPIC = re.compile(
    r"^(?:[（(][一二三四五六七八九十][）)]|[一二三四五六七八九十]+、|\d+[.、])"
    r"|主动公开|信息管理|平台建设|监督保障|建议|提案|信访|政务服务|新媒体|网站|复议|诉讼|规范性文件|培训|考核"
)
_NONE_RECEIVED = re.compile(r"(?:未|没有)(?:收到|受理|接到)(?:过)?(?:任何)?(?:政府)?(?:信息公开申请|依申请公开(?:事项|申请)?)")

# -- outcomes (N-BREAKDOWN) ------------------------------------------------------------------------
_LAST = {r.key: re.escape(r.labels[-1]) for r in T.TABLE3_ROWS}  # 予以公开, 部分公开 (the template's short labels)
_GROUP = {g: re.escape(labels[-1]) for g, labels in T.TABLE3_GROUPS.items()}  # 不予公开, 无法提供 ...
_OUTCOMES = (
    ("granted+partial", re.compile(rf"(?:予以|同意|全部)?公开(?:及|和|与|、|或){_LAST['partially_granted']}")),
    ("withheld", re.compile(_GROUP["withheld"])),
    ("unable", re.compile(_GROUP["unable"])),
    ("not_processed", re.compile(_GROUP["not_processed"])),
    ("other", re.compile(_GROUP["other"])),
    ("partial", re.compile(_LAST["partially_granted"])),
    ("granted", re.compile(rf"{_LAST['granted']}|同意公开|全部公开")),
)

_WITH_PARTIAL = re.compile(rf"公开[（(]含{_LAST['partially_granted']}[)）](?:的)?(?:共计|共|合计)?(?:为|有)?$")

# -- review and litigation (N-LIT) -----------------------------------------------------------------
_LIT_CONTEXT = re.compile(r"信息公开|依申请|公开申请")
# the agency deciding others' reviews (作为复议机关): not cases against it, which table 4 counts
_AS_REVIEW_BODY = re.compile(r"作为(?:行政)?复议机关|复议机关(?:共|依法)?(?:受理|收到|办理|审理)")
# "未出现/未发生/没有因/无…行政复议": a verb right after the negation (not 未来, 无论, 未经, 尚未)
_ZERO = re.compile(
    r"(?<!尚)(?:(?:未|没有|无|零)(?:出现|发生|收到|产生|接到|有|被申请|被提起|涉及|因)|无(?=(?:政府信息公开)?(?:行政)?(?:复议|诉讼)))"
    r"[^，；。\d]{0,25}?(?:复议|诉讼)[^，；。\d]{0,12}"
)
_CORRECTION_WORDS = re.compile(r"纠错|纠正|败诉|撤销|违法|被确认")
_ALL_UPHELD = re.compile(r"均(?:为|获|被|予以|予|得到|获得)?维持|全部(?:为|获得?|被|予以)?维持")
# "诉讼1件，尚未审结" / "1件（尚在审理中）": every case of the count just stated is pending
_ALL_PENDING_AFTER = re.compile(
    r"^[（(，,]?(?:目前|现|均|全部|都|仍|尚)*(?:尚未审结|未审结|尚在审理|正在审理|仍在审理|在审理中|审理中|尚未判决|尚未作出(?:判决|裁判|复议决定|决定))"
    rf"(?!的?(?:{NUMBER}))"  # "2件，尚未审结1件" states a part
)
# a count that is one end of a range ("100至150件", "3件至5件"): no single number is stated
_RANGE_BEFORE = re.compile(rf"(?:{NUMBER})[件个]?(?:至|到|—|－|-|~|～)$")
_RANGE_AFTER = re.compile(rf"^(?:至|到|—|－|-|~|～)(?:{NUMBER})")
_NONE_CORRECTED = re.compile(r"(未|没有|无|零)(被|有|一件被|一例被)?(纠错|纠正)|纠错率为?0")
# table 4's result columns as narratives name them: the template's label without its 结果 prefix
T4_WORD = {c: T.TABLE4_COLUMN_LABELS[c].removeprefix("结果") for c in T.TABLE4_COLUMNS[:4]}
_T4_COLUMNS = (
    ("upheld", re.compile(T4_WORD["upheld"])),
    ("corrected", re.compile(rf"{T4_WORD['corrected']}|纠错")),
    ("other", re.compile(rf"{T4_WORD['other']}|其他")),
    ("pending", re.compile(rf"{T4_WORD['pending']}|未审结|审理中|未结")),
)

# -- normative documents (N-NORM) ------------------------------------------------------------------
_NORM_SKIP = re.compile(r"公开|公布|刊登|发布|报备|备案|审查|审核|合法性|政策文件")
_COMPARISON = re.compile(r"同比|较上年|比上年|较\d{4}年|比\d{4}年|增加|减少|增长|下降|上升")
_WHOLE_VERBS = re.compile(r"受理|收到|接收|办结|答复|结转|顺延|复议|诉讼|另|此外|同时")


def _window_before(text: str, s_start: int, num_start: int, prev_end: int) -> str:
    lo = max(s_start, prev_end)
    seg = text[lo:num_start]
    cut = max(seg.rfind(d) for d in _CLAUSE_DELIMS)
    return seg[cut + 1 :] if cut >= 0 else seg


def _window_after(text: str, num_end: int, s_end: int, next_start: int) -> str:
    seg = text[num_end : min(s_end, next_start)]
    cut = min([i for i in (seg.find(d) for d in _CLAUSE_DELIMS) if i >= 0] or [len(seg)])
    return seg[:cut]


def _app_kind(before: str, after: str) -> str | None:
    for w in (before, after):
        if not w:
            continue
        if _OVER.search(w):  # first: "上年度未办结" is last year's, not next year's
            return "carried_over"
        if _FORWARD.search(w):
            return "carried_forward"
        rec, ans = bool(_RECEIVED.search(w)), bool(_ANSWERED.search(w))
        if rec and ans:
            return "received_or_answered"
        if rec:
            return "received"
        if ans:
            return "answered"
        if _HANDLED.search(w):
            return "handled"
    return None


_SCOPED_LIT = ("review", "litigation", "litigation_direct", "litigation_after_review")


def _phrase_scope(text: str, s_start: int, pos: int) -> frozenset[str]:
    """What "均获维持" speaks of: the nearest clause before it naming 复议 or 诉讼 ("复议2件（均维持），
    诉讼1件（尚在审理中）": the review only)."""
    for clause in reversed(re.split(r"[，,；;：:]", text[s_start:pos])):
        scope = _lit_scope(clause)
        if scope:
            return scope
    return frozenset()


def _lit_scope(text: str) -> frozenset[str]:
    s = set()
    if "复议" in text.replace("复议后起诉", "").replace("经复议", ""):
        s.add("review")
    if "诉讼" in text or "起诉" in text:
        s.add("litigation")
    return frozenset(s)


_TAIL = r"(?:案件|申请)?(?:数量)?(?:共计|共|合计|总计|累计)?(?:为|有)?$"
_BOTH_END = re.compile(r"复议(?:和|、|及|与|或)(?:被?提起)?(?:行政)?诉讼(?:案件)?(?P<each>各|均|都)?(?:共计|共|合计|总计)?(?:为|有|是)?$")
_REVIEW_END = re.compile(r"复议" + _TAIL)
_LIT_END = re.compile(r"(?:诉讼|起诉)" + _TAIL)


def _lit_kind(before: str) -> str | None:
    """What a number counts when its words end in 复议/诉讼 (the count must follow the word:
    "根据行政复议决定重新答复3件" counts answers, not reviews)."""
    both = _BOTH_END.search(before)
    if both:
        return "review_and_litigation_each" if both.group("each") else "review_and_litigation"
    if _LIT_END.search(before):
        if "复议后" in before or "经复议" in before and "未经复议" not in before:
            return "litigation_after_review"
        if "直接起诉" in before:
            return "litigation_direct"
        return "litigation"
    if _REVIEW_END.search(before):
        return "review"
    return None


@dataclass
class Claims:
    claims: list[Claim]
    parts: list[PartsList]


def _section_four(text: str) -> tuple[int, int]:
    """Where section 四 (复议/诉讼) runs in the compact text: there every 复议/诉讼 is about 信息公开."""
    four, five = T.SECTIONS[3], T.SECTIONS[4]
    starts = [i for i in (text.find(f"{four.numeral}、{t}") for t in (four.title,) + four.variants) if i >= 0]
    if not starts:
        return (0, 0)
    lo = min(starts)
    ends = [i for i in (text.find(f"{five.numeral}、{t}", lo) for t in (five.title,) + five.variants) if i >= 0]
    return (lo, min(ends) if ends else len(text))


@lru_cache(maxsize=256)
def read_claims(flat: Flat) -> Claims:
    text = flat.text
    claims: list[Claim] = []
    parts_lists: list[PartsList] = []
    four = _section_four(text)
    app_ctx = False
    for s_start, s_end in sentences(flat):
        sent = text[s_start:s_end]
        nums = [m for m in _COUNTED.finditer(text, s_start, s_end)]
        # 依申请公开 context: this sentence speaks of 申请, or continues a sentence that did
        # ("…收到申请4件。已办结4件，其中…") without turning to another topic or heading
        app_ctx = bool(_APP_CONTEXT.search(sent)) or (app_ctx and not _NEW_TOPIC.search(sent))
        in_four = four[0] <= s_start < four[1]
        lit_ctx = ("复议" in sent or "诉讼" in sent) and bool(in_four or _LIT_CONTEXT.search(sent)) \
            and not _AS_REVIEW_BODY.search(sent)
        mentions_carry = "结转" in sent or "上年" in sent
        qizhong = sent.find("其中")
        qizhong = s_start + qizhong if qizhong >= 0 else None
        last_lit_scope: str | None = None
        norm_ctx = False
        prev_end = s_start
        for i, m in enumerate(nums):
            value = parse_number(m.group("num"))
            nxt = nums[i + 1].start() if i + 1 < len(nums) else s_end
            before = _window_before(text, s_start, m.start(), prev_end)
            after = _window_after(text, m.end(), s_end, nxt)
            prev_end = m.end()
            if value is None or any(before.endswith(a) for a in _APPROX_BEFORE):
                continue
            if _RANGE_BEFORE.search(before) or _RANGE_AFTER.match(text, m.end(), s_end):
                continue
            if m.group("num")[0] in "百千万亿佰仟":
                continue  # 千件, 万件: a manner of speaking
            if not m.group("num")[0].isdigit() and re.match(r"[\u4e00-\u9fff]", text[m.end() : m.end() + 1]) \
                    and not text.startswith(("申请", "政府信息"), m.end()):
                continue  # 一件一档, 办结一件归档一件: words, not counts
            unit = m.group("unit")
            pct = None
            pm = _PERCENT_AFTER.match(text[m.end() : m.end() + 16])
            if pm:
                pct = (float(pm.group("p")), decimals(pm.group("p")))
            after_qizhong = qizhong is not None and m.start() > qizhong
            base = dict(value=value, start=m.start(), end=m.end(), sentence=(s_start, s_end), tolerance=_tolerance(m.group("num")))
            if unit == "条":
                continue
            # review and litigation
            if lit_ctx:
                kind = _lit_kind(before)
                if kind:
                    if kind in ("review", "litigation"):
                        last_lit_scope = kind
                    claims.append(Claim(kind=kind, **base))
                    if kind in _SCOPED_LIT and not after_qizhong:
                        p = _ALL_PENDING_AFTER.match(text[m.end() : s_end])
                        if p:
                            claims.append(Claim(kind=f"{kind}.pending", **{**base, "end": m.end() + p.end()}))
                    continue
                # "其中结果维持2件", or a clause right after the count: "复议1件，被依法纠错1件"
                if last_lit_scope and (after_qizhong or not re.search("复议|诉讼|起诉", before)):
                    col = next((c for c, rx in _T4_COLUMNS if rx.search(before[-8:])), None)
                    if col == "other" and not after_qizhong and T4_WORD["other"] not in before:
                        col = None  # a bare 其他 outside a 其中 list is not table 4's 其他结果
                    named = _lit_scope(before)  # "其中行政复议维持2件，行政诉讼尚未审结1件"
                    if col:
                        scope = next(iter(named)) if len(named) == 1 else last_lit_scope
                        claims.append(Claim(kind=f"{scope}.{col}", **base))
                        continue
            # outcome breakdown
            if app_ctx or "办理结果" in sent:
                cat = next((c for c, rx in _OUTCOMES if rx.search(before[-15:])), None)
                if _WITH_PARTIAL.search(text, s_start, m.start()):
                    cat = "granted+partial"  # "予以公开（含部分公开）80件": the bracket hides it from ``before``
                if cat:
                    claims.append(Claim(kind=f"outcome.{cat}", percent=pct, **base))
                    continue
            # normative documents ("制发规范性文件3件，废止1件，现行有效20件": the later clauses go on
            # counting the same documents)
            norm_words = "规范性文件" in before or (norm_ctx and not re.search(r"规章|文件|政策|条例", before))
            if norm_words and "规章" not in before and not after_qizhong:
                if not _NORM_SKIP.search(text[s_start : m.start()]):
                    if "现行有效" in before:
                        claims.append(Claim(kind="norm.in_force", **base))
                        norm_ctx = True
                        continue
                    if re.search(r"制发|印发|出台|制定", before):
                        claims.append(Claim(kind="norm.issued", **base))
                        norm_ctx = True
                        continue
            if unit not in "件宗":
                continue  # applications are counted in 件 (宗 in 广东): 12个模板, 5份材料 are not
            # applications
            if app_ctx and not _NOT_APPLICATIONS.search(before) and not _YEAR_TO_YEAR.search(before):
                kind = _app_kind(before, after)
                if kind and not (after_qizhong and kind in ("received", "handled", "received_or_answered")):
                    claims.append(Claim(kind=kind, mentions_carry=mentions_carry, **base))
        # phrases without a number
        for z in _NONE_RECEIVED.finditer(text, s_start, s_end):
            claims.append(Claim(kind="received", value=0, start=z.start(), end=z.end(), sentence=(s_start, s_end)))
        if lit_ctx:
            for z in _ZERO.finditer(text, s_start, s_end):
                if _CORRECTION_WORDS.search(z.group(0)):
                    continue
                scope = _lit_scope(z.group(0))
                if scope:
                    claims.append(Claim(kind="lit.zero", value=0, start=z.start(), end=z.end(), sentence=(s_start, s_end), scope=scope))
            for rx, kind in ((_ALL_UPHELD, "lit.all_upheld"), (_NONE_CORRECTED, "lit.none_corrected")):
                for z in rx.finditer(text, s_start, s_end):
                    scope = _phrase_scope(text, s_start, z.start()) or _lit_scope(sent) or frozenset({"review", "litigation"})
                    claims.append(Claim(kind=kind, value=0, start=z.start(), end=z.end(), sentence=(s_start, s_end), scope=scope))
        parts_lists.extend(_parts(text, s_start, s_end, nums))
    return Claims(claims, parts_lists)


def _tolerance(token: str) -> float:
    """A number written in 万/亿 is rounded to its printed decimals."""
    unit = {"万": 10_000, "亿": 100_000_000}.get(token[-1:])
    return 0.5 * unit * 10 ** (-decimals(token[:-1])) if unit and token[0].isdigit() else 0


# what a list of parts divides by; a list stops where the division changes (申请人 → 办理结果)
_DIMENSIONS = (
    ("applicant", re.compile(r"自然人|法人|组织|企业|机构")),
    ("channel", re.compile(r"当面|网络|网上|在线|信函|邮寄|快递|传真|电子邮件|邮件|电话")),
    ("outcome", re.compile(r"公开|提供|不予|处理")),
    ("result", re.compile(r"维持|纠正|纠错|其他结果|审结")),
)


def _dimension(words: str) -> str | None:
    return next((name for name, rx in _DIMENSIONS if rx.search(words)), None)


def _unit_family(unit: str) -> str:
    return "条" if unit == "条" else "件"


def _parts(text: str, s_start: int, s_end: int, nums: list[re.Match]) -> list[PartsList]:
    """Every "whole，其中 parts" of one sentence."""
    out = []
    for q in re.finditer("其中", text[s_start:s_end]):
        qpos = s_start + q.start()
        wholes = [m for m in nums if m.end() <= qpos]
        if not wholes:
            continue
        w = wholes[-1]
        gap = text[w.end() : qpos]
        if len(gap) > 3 or any(ch not in "，,（(：:、 " for ch in gap):
            continue  # "其中" must follow its whole directly ("办结，其中…" has no stated whole)
        if _COMPARISON.search(text[max(s_start, w.start() - 8) : w.start()]):
            continue  # "较上年增加3件，其中…": the parts are not of the change
        whole = parse_number(w.group("num"))
        family = _unit_family(w.group("unit"))
        if whole is None:
            continue
        parts: list[tuple[int | float, str]] = []
        depth = 0
        pos = qpos + 2
        end = qpos
        for m in nums:
            if m.start() <= qpos:
                continue
            seg = text[pos : m.start()]
            if "其中" in seg:
                break  # the next list starts
            depth += seg.count("（") + seg.count("(") - seg.count("）") - seg.count(")")
            pos = m.end()
            if depth > 0:
                continue  # a nested note inside the list
            before = seg[max(seg.rfind(d) for d in "，,、；：") + 1 :] if any(d in seg for d in "，,、；：") else seg
            if _WHOLE_VERBS.search(before) or _unit_family(m.group("unit")) != family:
                break
            v = parse_number(m.group("num"))
            if v is None or "%" in text[m.end() : m.end() + 2]:
                break
            dims = {d for d in (_dimension(w) for _, w in parts) if d}
            dim = _dimension(before)
            if dim and dims and dim not in dims:
                break
            parts.append((v, before))
            end = m.end()
        if len(parts) >= 2:
            out.append(PartsList(whole, parts, w.start(), end, (s_start, s_end)))
    return out
