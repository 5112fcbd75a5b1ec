"""`nianbao demo`: the whole system on the bundled sample portal, as oversight staff would see it.

Starts the sample portal on 127.0.0.1, runs a campaign for one report year on SQLite in a fresh
demo data dir (wiped first), judges deadlines as of a day after they have all passed, re-crawls
once after the portal has edited a published report, prints per agency whether the report was
found and on time and each finding with its evidence, writes the XLSX export, and sends the alerts
to a local outbox folder, which it then shows.
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path


def add_parser(sub: argparse._SubParsersAction) -> None:
    from monitor.settings import PROJECT_ROOT

    p = sub.add_parser("demo", help="run a campaign against the bundled sample portal and show the results")
    p.add_argument("--year", type=int, help="report year (default: the year the sample portal serves)")
    p.add_argument("--data-dir", default=str(PROJECT_ROOT / "data" / "demo"), help="wiped at start")
    p.add_argument("--today", type=dt.date.fromisoformat, help="judge deadlines as of (default: Apr 15 of year+1)")
    p.add_argument("--show-alerts", type=int, default=3, help="how many outbox messages to print in full")
    p.set_defaults(func=run)


# the sample portal is our own server on 127.0.0.1: politeness kept (robots, AutoThrottle) with short delays
LOCAL_PORTAL = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_START_DELAY": 0.01, "AUTOTHROTTLE_MAX_DELAY": 0.2,
                "NIANBAO_RETRY_BACKOFF": 0.05, "LOG_LEVEL": "WARNING"}

ALERTS_YAML = """\
channels:
  outbox: "outbox://{outbox}"
recipients:
  - name: 政务公开办（示例）
    audience: compliance
    channels: [outbox]
    min_severity: warning
    instant: true
    digest: false
  - name: 运维值班（示例）
    audience: health
    channels: [outbox]
    instant: true
    digest: false
"""


MARKER = ".nianbao-demo"  # only a folder the demo made is ever wiped


class DemoDirError(Exception):
    pass


def _prepare(data_dir: Path):
    import shutil

    from monitor.settings import Settings

    if data_dir.exists() and any(data_dir.iterdir()):
        if not (data_dir / MARKER).exists():
            raise DemoDirError(f"{data_dir} 不是演示目录（缺少 {MARKER}），为避免误删，未清空；请换一个目录（--data-dir）")
        shutil.rmtree(data_dir)
    outbox = data_dir / "outbox"
    outbox.mkdir(parents=True)
    (data_dir / MARKER).write_text("nianbao demo data; wiped by `nianbao demo`\n", encoding="utf-8")
    alerts = data_dir / "alerts.yaml"
    alerts.write_text(ALERTS_YAML.format(outbox=outbox.resolve()), encoding="utf-8")
    settings = Settings(data_dir=data_dir, database_url="", allow_private=True, alerts_config=str(alerts),
                        registry=str(data_dir / "registry.yaml"))
    return settings, outbox


def run(args: argparse.Namespace) -> int:
    from crawler.sample_portal.server import SamplePortal
    from monitor import export, pipeline
    from monitor.storage import db

    out = sys.stdout
    data_dir = Path(args.data_dir).resolve()
    try:
        settings, outbox = _prepare(data_dir)
    except DemoDirError as e:
        print(e, file=sys.stderr)
        return 2
    portal = SamplePortal(**({"year": args.year} if args.year else {}))  # the portal serves that year's reports
    out.write("正在准备示例门户的报告文件（首次运行需用 LibreOffice/Chromium 生成，之后使用缓存）……\n")
    out.flush()
    try:
        portal.prerender()  # rendered before the crawl, so no page waits on a converter mid-crawl
    except Exception as e:  # a missing converter: those files will be served as errors (health findings)
        print(f"部分示例文件无法生成（{type(e).__name__}: {e}）；相关机关将显示为抓取问题", file=sys.stderr)
    with portal:
        agencies = portal.registry()
        year = portal.year
        today = args.today or dt.date(year + 1, 4, 15)
        out.write(f"示例门户已启动：{portal.base_url}（{len(agencies)} 个机关）\n")
        out.write(f"检查 {year} 年度政府信息公开工作年度报告，检查日期 {today}（各类截止日期均已过）\n")
        out.write(f"数据目录：{data_dir}（SQLite：{settings.db_url}）\n\n")
        out.flush()
        factory = db.session_factory(settings.db_url)
        out.write("第一次抓取……\n")
        out.flush()
        first = pipeline.run_campaign(factory, settings, year, agencies, today=today, dispatch=True,
                                      crawl_settings=LOCAL_PORTAL)
        # a later re-crawl: one agency has meanwhile edited its published report (both versions are kept)
        portal.set_phase(2)
        out.write("复查抓取（其间有机关修改了已发布的报告）……\n\n")
        out.flush()
        result = pipeline.run_campaign(factory, settings, year, agencies, today=today, dispatch=True,
                                       crawl_settings=LOCAL_PORTAL)
    with factory() as s:
        out.write(render_outcomes(s, result, settings, year) + "\n")
        rows = export.build_rows(s, year, settings.deadline_policy)
    xlsx = data_dir / f"年报合规检查_{year}.xlsx"
    export.write_xlsx(rows, xlsx, year)
    out.write(f"\n合规汇总表（每个机关一行）已导出：{xlsx}\n")
    out.write(render_alerts([first.alerts, result.alerts], outbox, args.show_alerts) + "\n")
    factory.kw["bind"].dispose()
    return 0


def render_outcomes(session, result, settings, year: int) -> str:
    from sqlalchemy import select

    from monitor.export import deadline_for
    from monitor.present import SEVERITY_LABELS, evidence_lines
    from monitor.rules.deadlines import SOURCE_NAMES
    from monitor.storage.models import Agency, Finding, Report

    lines = []
    by_id = {o.agency_id: o for o in result.outcomes}
    totals = {"found": 0, "missing": 0, "late": 0, "errors": 0, "warnings": 0}
    for agency in session.scalars(select(Agency).order_by(Agency.region, Agency.id)):
        o = by_id.get(agency.id)
        if o is None:
            continue
        deadline = deadline_for(agency, year, settings.deadline_policy)
        lines.append("=" * 78)
        lines.append(f"{agency.region or ''}　{agency.name}（{agency.id}，{agency.kind}）")
        report = session.scalar(select(Report).where(Report.agency_id == agency.id, Report.year == year,
                                                     Report.current.is_(True)))
        found = session.scalars(
            select(Finding).where(Finding.agency_id == agency.id, Finding.year == year,
                                  Finding.status.not_in(("resolved", "dismissed")))
            .order_by(Finding.audience, Finding.severity, Finding.rule, Finding.id)
        ).all()
        if o.state == "crawl_failed":
            lines.append(f"  ⚠ 门户无法抓取（运维问题，不计入机关）：{o.error}")
        elif report is None:
            if o.state == "missing":
                totals["missing"] += 1
                lines.append(f"  ✗ 未发布：截止日期 {deadline} 已过，门户上未找到 {year} 年度报告")
            else:
                lines.append(f"  · 未找到报告（截止日期 {deadline} 未到）")
        else:
            totals["found"] += 1
            when = report.published_on
            basis = (report.evidence or {}).get("basis")
            if when is None:
                timing = "发布日期不详"
            elif when > deadline:
                totals["late"] += 1
                timing = f"逾期（截止 {deadline}，晚 {(when - deadline).days} 天）"
            else:
                timing = f"按时（截止 {deadline}）"
            lines.append(f"  ✓ 已发布：{when or '日期不详'}（依据：{SOURCE_NAMES.get(basis, basis or '无')}），{timing}")
            lines.append(f"    来源：{report.source_url}")
            lines.append(f"    文件 sha256：{report.sha256}；解析：{report.parse_status}")
        if not found:
            lines.append("  未发现问题")
        for f in found:
            if f.audience == "compliance":
                totals["errors"] += f.severity == "error"
                totals["warnings"] += f.severity == "warning"
            who = "" if f.audience == "compliance" else "（运维）"
            held = (f.evidence or {}).get("held_back_rule")  # a compliance problem resting on cells read by OCR
            rule = f"{f.rule}（暂缓认定 {held}）" if held else f.rule
            lines.append(f"  [{SEVERITY_LABELS.get(f.severity, f.severity)}]{who} {rule} #{f.id}：{f.message}")
            lines.extend(evidence_lines(f.evidence or {}, "      "))
    lines.append("=" * 78)
    lines.append(f"合计：{len(by_id)} 个机关，已发布 {totals['found']}，未发布 {totals['missing']}，逾期 {totals['late']}；"
                 f"错误 {totals['errors']} 项，警告 {totals['warnings']} 项")
    return "\n".join(lines)


def render_alerts(reports, outbox: Path, show: int) -> str:
    files = sorted(p for p in outbox.glob("*.txt"))
    lines = [f"告警已投递到本地发件箱 {outbox}：{len(files)} 条"]
    for label, report in zip(("第一次抓取后", "复查后"), reports):
        if report is not None and hasattr(report, "summary"):
            lines.append(f"  {label}：{report.summary()}")
    for p in files[:show]:
        lines.append("-" * 78)
        lines.append(p.read_text(encoding="utf-8").rstrip())
    if len(files) > show:
        lines.append("-" * 78)
        lines.append(f"……其余 {len(files) - show} 条见 {outbox}")
    return "\n".join(lines)
