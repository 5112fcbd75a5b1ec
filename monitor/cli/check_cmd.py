"""`nianbao check [--json] FILE... [--previous FILE] [--published YYYY-MM-DD] [--kind KIND]
[--today YYYY-MM-DD]`: parse each report and run every compliance check on it."""
from __future__ import annotations

import argparse
import datetime as dt
import sys


def _date(s: str) -> dt.date:
    try:
        return dt.date.fromisoformat(s)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {s!r}")


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("check", help="parse report files and run the compliance checks on them")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--json", action="store_true", help="one JSON object per file, one per line (the parse schema with findings)")
    p.add_argument("--previous", metavar="FILE", help="the same agency's report for the year before (cross-year checks)")
    p.add_argument("--published", type=_date, metavar="YYYY-MM-DD", help="the date the report was published (deadline checks)")
    p.add_argument("--kind", choices=["department", "government", "township"], help="override the agency kind")
    p.add_argument("--policy", choices=["statute", "milestones"], help="deadline policy (default: NIANBAO_DEADLINE_POLICY)")
    p.add_argument("--today", type=_date, metavar="YYYY-MM-DD", help="the date to judge deadlines by (default: today)")
    p.add_argument("--text", action="store_true", help="with --json, include the normalised text and sections")
    p.set_defaults(func=run)


def _render_evidence(f: dict) -> list[str]:
    lines = []
    for c in f.get("cells") or []:
        lines.append(f"      单元格 {c.get('label')} = {c.get('value')}  ({c.get('cell')})")
    q = f.get("quote")
    if q and q.get("text"):
        lines.append(f"      原文 [{q.get('section') or '-'}] “{q['text'][:160]}”")
    if f.get("expected") is not None or f.get("actual") is not None:
        lines.append(f"      应为 {f.get('expected')}，实为 {f.get('actual')}")
    return lines


def run(args: argparse.Namespace) -> int:
    from monitor.rules import check
    from monitor.settings import get_settings
    from parsers.api import parse_path
    from parsers.render import render_report

    policy = args.policy or get_settings().deadline_policy
    previous = None
    if args.previous:
        previous = parse_path(args.previous, kind=args.kind)
        if previous.status != "ok":
            sys.stderr.write(f"--previous {args.previous}: {previous.status}: {previous.error} (cross-year checks skipped)\n")
            previous = None
    evidence = {"published": args.published.isoformat()} if args.published else {}
    failed = 0
    for f in args.files:
        report = parse_path(f, kind=args.kind)
        if report.status != "ok":
            failed += 1
        findings = check(report, previous=previous, evidence=evidence, today=args.today, policy=policy)
        report.findings = [x.to_dict() for x in findings]
        if args.json:
            sys.stdout.write(report.to_json(with_text=args.text) + "\n")
        else:
            found, report.findings = report.findings, []
            lines = [render_report(report, f)]  # the tables; findings follow with their evidence
            report.findings = found
            lines.append(f"  发现 {len(found)} 项" if found else "  未发现问题")
            for d in found:
                lines.append(f"  [{d['severity']}] {d['rule']} ({d['check_id']}, {d['audience']}): {d['message']}")
                lines += _render_evidence(d)
            sys.stdout.write("\n".join(lines) + "\n")
        sys.stdout.flush()
    return 1 if failed else 0
