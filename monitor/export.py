"""The compliance table oversight staff want: one row per agency for a report year (XLSX or CSV).

Only compliance findings count here; health findings (our crawl or parser had trouble) are for
operators and never make an agency look bad.
"""
from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from monitor.storage.models import FINDING_ACTIVE, Agency, Finding
from monitor.storage.queries import current_reports

HEADERS = ["地区", "机关", "类别", "年度", "是否发布", "发布日期", "截止日期", "是否逾期", "错误数", "警告数", "主要问题", "来源链接"]
KIND_LABELS = {"department": "政府部门", "government": "人民政府（本级年报）", "township": "乡镇（街道）"}
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
MAX_MESSAGES = 8  # the 主要问题 cell lists the most severe first


@dataclass
class ExportRow:
    region: str
    agency: str
    kind: str
    year: int
    published: bool
    published_on: dt.date | None
    deadline: dt.date | None
    late: bool | None
    errors: int
    warnings: int
    problems: str
    source_url: str

    def cells(self) -> list[Any]:
        late = "" if self.late is None else ("是" if self.late else "否")
        return [self.region, self.agency, KIND_LABELS.get(self.kind, self.kind), self.year,
                "是" if self.published else "否", self.published_on or "", self.deadline or "", late,
                self.errors, self.warnings, self.problems, self.source_url]


def deadline_for(agency: Agency, year: int, policy: str) -> dt.date:
    from monitor.rules import deadline_for as rule_deadline

    return rule_deadline(agency.kind, year, policy, level=agency.level, override=agency.deadline_override)


def build_rows(session: Session, year: int, policy: str = "statute") -> list[ExportRow]:
    reports = current_reports(session, year)
    rows = []
    for agency in session.scalars(select(Agency).order_by(Agency.region, Agency.id)):
        found = list(session.scalars(
            select(Finding).where(Finding.agency_id == agency.id, Finding.year == year,
                                  Finding.audience == "compliance", Finding.status.in_(FINDING_ACTIVE))
        ))
        found.sort(key=lambda f: (SEVERITY_ORDER.get(f.severity, 9), f.rule, f.id))
        report = reports.get((agency.id, year))
        deadline = deadline_for(agency, year, policy)
        published_on = report.published_on if report else None
        late = None if published_on is None else published_on > deadline
        if any(f.rule == "late_publication" for f in found):
            late = True
        if report is None and any(f.rule == "missing_report" for f in found):
            late = True
        messages = [f"[{f.rule}] {f.message}" for f in found[:MAX_MESSAGES]]
        if len(found) > MAX_MESSAGES:
            messages.append(f"……另有 {len(found) - MAX_MESSAGES} 项")
        rows.append(ExportRow(
            region=agency.region or "", agency=agency.name, kind=agency.kind, year=year,
            published=report is not None, published_on=published_on, deadline=deadline, late=late,
            errors=sum(f.severity == "error" for f in found), warnings=sum(f.severity == "warning" for f in found),
            problems="\n".join(messages), source_url=report.source_url if report else "",
        ))
    return rows


def write_csv(rows: list[ExportRow], path: str | Path) -> None:
    # utf-8-sig: Excel on Chinese Windows opens it without mojibake
    with open(path, "w", newline="", encoding="utf-8-sig") as f:
        w = csv.writer(f)
        w.writerow(HEADERS)
        for r in rows:
            w.writerow([c.isoformat() if isinstance(c, dt.date) else c for c in r.cells()])


def write_xlsx(rows: list[ExportRow], path: str | Path, year: int) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = Workbook()
    ws = wb.active
    ws.title = f"{year}年度报告"
    ws.append(HEADERS)
    for c in ws[1]:
        c.font = Font(bold=True)
    red = PatternFill("solid", fgColor="FFF2CC")
    for r in rows:
        ws.append(r.cells())
        row = ws[ws.max_row]
        row[5].number_format = row[6].number_format = "yyyy-mm-dd"
        row[10].alignment = Alignment(wrap_text=True, vertical="top")
        if r.errors or not r.published or r.late:
            for c in row:
                c.fill = red
    for letter, width in zip("ABCDEFGHIJKL", (16, 28, 16, 7, 9, 12, 12, 9, 7, 7, 80, 50)):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    wb.save(path)
