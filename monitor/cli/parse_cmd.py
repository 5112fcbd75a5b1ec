"""`nianbao parse [--json] FILE...`: documents in, canonical reports out."""
from __future__ import annotations

import argparse
import sys


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("parse", help="parse report files into the canonical tables")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--json", action="store_true", help="one JSON object per file, one per line")
    p.add_argument("--kind", choices=["department", "government", "township"], help="override the agency kind")
    p.add_argument("--text", action="store_true", help="with --json, include the normalised text and sections")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from parsers.api import parse_path
    from parsers.render import render_report

    failed = 0
    for f in args.files:
        report = parse_path(f, kind=args.kind)
        if report.status != "ok":
            failed += 1
        if args.json:
            sys.stdout.write(report.to_json(with_text=args.text) + "\n")
        else:
            sys.stdout.write(render_report(report, f) + "\n")
        sys.stdout.flush()
    return 1 if failed else 0
