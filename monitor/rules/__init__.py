"""The compliance checks: one small pure function per check of STATUTORY_FORMAT.md §4,
registered in RULES, each mapped to its rule code of FINDINGS.md.

    check(report, previous=None, evidence=None, today=None, policy="statute") -> list[Finding]
    check_missing(agency_name, kind, year, today, policy, deadline_override=None) -> Finding | None

Our doubts are never reported as the agency's errors: a compliance finding resting on a cell
the parser was unsure of (or inferred) is turned into ``parse_uncertain`` for operators.

Where things are: tables.py (T3-*, T4-SUM, CELLS), structure.py (S-*, T2-REG-POWER, X-FORMAT,
N-YEAR), crossyear.py (X-CARRY, X-INFORCE, X-SIMILAR), narrative.py (N-*) reading claims.py
(what the text states) with numbers.py and text.py, deadlines.py (D-*, backdated, missing_report),
finding.py (the Finding and the severity/audience of each rule code), context.py (what a rule sees).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Callable

from parsers import template as T
from parsers.model import Report

from . import crossyear, deadlines, narrative, structure, tables
from .context import Context
from .deadlines import best_publication_date, check_missing, deadline_for
from .finding import HEALTH, PREVIOUS, Finding

__all__ = ["RULES", "Rule", "Finding", "Context", "check", "check_missing", "deadline_for", "best_publication_date"]


@dataclass(frozen=True)
class Rule:
    check_id: str
    rules: tuple[str, ...]  # the FINDINGS.md codes it can raise
    func: Callable[[Context], list[Finding]]


RULES: tuple[Rule, ...] = (
    Rule("CELLS", ("missing_table", "blank_cells"), tables.cells_rule),
    Rule("T3-BAL", ("table_arithmetic",), tables.t3_balance),
    Rule("T3-TOT", ("table_arithmetic",), tables.t3_total),
    Rule("T3-ROW", ("table_arithmetic",), tables.t3_row),
    Rule("T4-SUM", ("table_arithmetic",), tables.t4_sum),
    Rule("T2-REG-POWER", ("regulation_power",), structure.regulation_power_rule),
    Rule("X-CARRY", ("cross_year_carryover",), crossyear.carryover_rule),
    Rule("X-INFORCE", ("cross_year_in_force",), crossyear.in_force_rule),
    Rule("X-SIMILAR", ("boilerplate_repeat",), crossyear.similar_rule),
    Rule("X-FORMAT", ("outdated_format",), structure.format_rule),
    Rule("N-APPS", ("narrative_vs_table",), narrative.apps_rule),
    Rule("N-BREAKDOWN", ("narrative_vs_table",), narrative.breakdown_rule),
    Rule("N-LIT", ("narrative_vs_table",), narrative.lit_rule),
    Rule("N-NORM", ("narrative_vs_table",), narrative.norm_rule),
    Rule("N-FEE", ("missing_required_content",), narrative.fee_rule),
    Rule("N-INTERNAL", ("narrative_vs_table",), narrative.internal_rule),
    Rule("N-YEAR", ("wrong_year",), structure.year_rule),
    Rule("S-SECTIONS", ("missing_section",), structure.sections_rule),
    Rule("S-GOV-EXTRA", ("missing_required_content",), structure.gov_extra_rule),
    Rule("S-FEE-SECTION", ("missing_required_content",), structure.fee_section_rule),
    Rule("S-NOTICE", ("outdated_format",), structure.notice_rule),
    Rule("S-LENGTH", ("section_too_long",), structure.length_rule),
    Rule("D-DEPT", ("late_publication",), deadlines.dept_deadline_rule),
    Rule("D-GOV", ("late_publication",), deadlines.gov_deadline_rule),
    Rule("D-BACKDATED", ("backdated",), deadlines.backdated_rule),
)

# parse notes whose cells we cannot vouch for
_DOUBT_NOTES = ("parse_uncertain", "cell_inferred", "cells_dropped")


def _doubtful(report: Report, prefix: str = "") -> set[str]:
    """Cells we cannot vouch for. A doubt about one cell of a row (table 3) or group (table 4)
    covers the whole row or group: a misplaced value shifts its neighbours too."""
    cells = set(report.uncertain_cells)
    for n in report.parse_notes:
        if n.code in _DOUBT_NOTES:
            cells.update(n.cells)
    if (report.source or {}).get("ocr"):
        # digits read from a scan can be misread (6/8/9, 1/7): no accusation rests on them
        cells.update(T.ALL_CELLS)
    wide = set(cells)
    for c in cells:
        if c.startswith("table3.") and "[" in c:
            row = c[len("table3."):].split("[", 1)[0]
            wide.update(T.table3_cell(row, i) for i in range(7))
        elif c.startswith("table4.") and c.count(".") == 2:
            group = c.split(".")[1]
            wide.update(f"table4.{group}.{col}" for col in T.TABLE4_COLUMNS)
    return {prefix + c for c in wide}


def _held_back(f: Finding, doubtful: list[str]) -> Finding:
    return Finding(
        rule="parse_uncertain", check_id=f.check_id,
        message=f"（运维）识别存疑，暂不作为合规问题报告：{f.message}",
        detail=f"held back: {f.rule} ({f.check_id}) rests on cells the parser was unsure of: {', '.join(doubtful)}",
        cells=f.cells, expected=f.expected, actual=f.actual, quote=f.quote, source=f.source,
        evidence={**f.evidence, "held_back_rule": f.rule, "doubtful_cells": doubtful},
    )


def _unread_cells(ctx: Context, doubtful: set[str]) -> Finding | None:
    """Cells of a present table that are neither read nor printed blank: the parser's gap."""
    unread = []
    for n in (2, 3, 4):
        cells = tables.table_cells(ctx, n)
        if not any(ctx.value(p) is not None for p in cells):
            continue
        unread += [p for p in cells if ctx.value(p) is None and p not in ctx.blank and p not in doubtful]
    if not unread:
        return None
    return ctx.finding(
        "parse_uncertain", "CELLS",
        f"（运维）{len(unread)} 个单元格未能识别，相关校验未执行：" + "、".join(T.cell_label(p) for p in unread[:6]),
        f"{len(unread)} cells have no value and are not marked blank: " + ", ".join(unread[:20]),
        cells=unread,
    )


def _doubt_summary(ctx: Context) -> Finding | None:
    """One health finding naming the cells the parser doubted, and why (its notes)."""
    report = ctx.report
    cells = list(dict.fromkeys(report.uncertain_cells + [c for n in report.parse_notes if n.code in _DOUBT_NOTES for c in n.cells]))
    why = list(dict.fromkeys(n.detail for n in report.parse_notes if n.code in _DOUBT_NOTES))
    if (report.source or {}).get("ocr"):
        why.insert(0, "the tables were read by OCR from a scan: arithmetic findings are held back for a person to verify")
        cells = cells or ["table3.new[6]"]
    if not cells:
        return None
    return ctx.finding(
        "parse_uncertain", "PARSE",
        f"（运维）{len(cells)} 个单元格识别存疑，涉及这些单元格的校验不作为合规问题报告："
        + "、".join(T.cell_label(c) for c in cells[:6]) + ("等" if len(cells) > 6 else ""),
        "the parser doubted these cells: " + "; ".join(why[:5]),
        cells=cells, evidence={"notes": why},
    )


def _status_finding(report: Report) -> Finding:
    rule = "not_machine_readable" if report.status == "not_machine_readable" else "parse_failed"
    src = report.source or {}
    return Finding(
        rule=rule, check_id="PARSE",
        message=f"（运维）报告无法解析（{report.status}）：{report.error or ''}",
        detail=f"{report.status}: {report.error}",
        source={"url": src.get("url"), "sha256": src.get("sha256"), "name": src.get("name") or src.get("path")},
    )


def check(report: Report, previous: Report | None = None, evidence: dict[str, Any] | None = None,
          today: dt.date | None = None, policy: str = "statute") -> list[Finding]:
    """Every rule on one report; findings in registry order, one per fingerprint."""
    if report.status != "ok":
        return [_status_finding(report)]
    ctx = Context(report=report, previous=previous, evidence=dict(evidence or {}), today=today or dt.date.today(),
                  policy=policy)
    doubtful = _doubtful(report) | (_doubtful(previous, PREVIOUS) if previous is not None else set())
    out: list[Finding] = []
    seen: set[str] = set()
    for rule in RULES:
        try:
            found = rule.func(ctx)
        except Exception as e:  # a rule's bug must not hide the other findings
            found = [ctx.finding("check_failed", rule.check_id, f"（运维）校验 {rule.check_id} 执行出错，结果未知",
                                 f"{rule.check_id} raised {type(e).__name__}: {e}")]
        for f in found:
            if f.audience != HEALTH:
                rests_on = [c for c in f.cell_paths if c in doubtful]
                if rests_on:
                    f = _held_back(f, rests_on)
            if f.fingerprint not in seen:
                seen.add(f.fingerprint)
                out.append(f)
    for extra in (_doubt_summary(ctx), _unread_cells(ctx, doubtful)):
        if extra is not None and extra.fingerprint not in seen:
            out.append(extra)
    return out

