"""`nianbao findings [--region --agency --rule --severity --year --status] [--json]`."""
from __future__ import annotations

import argparse
import json
import sys

from monitor.storage.cli_errors import explain_errors as _explain


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("findings", help="list findings, filtered")
    p.add_argument("--region", help="agencies whose region contains this text")
    p.add_argument("--agency", help="agency id")
    p.add_argument("--rule")
    p.add_argument("--severity", choices=["error", "warning", "info"])
    p.add_argument("--year", type=int)
    p.add_argument("--status", choices=["open", "notified", "confirmed", "dismissed", "resolved", "active"])
    p.add_argument("--audience", choices=["compliance", "health"])
    p.add_argument("--json", action="store_true", help="one JSON object per finding, one per line")
    p.set_defaults(func=run)


@_explain
def run(args: argparse.Namespace) -> int:
    from monitor.present import finding_block
    from monitor.storage import db
    from monitor.storage.queries import FindingFilter, finding_json, findings

    factory = db.from_settings()
    flt = FindingFilter(region=args.region, agency=args.agency, rule=args.rule, severity=args.severity,
                        year=args.year, status=args.status, audience=args.audience)
    with factory() as s:
        rows = findings(s, flt)
        for f, a in rows:
            if args.json:
                sys.stdout.write(json.dumps(finding_json(f, a), ensure_ascii=False) + "\n")
            else:
                sys.stdout.write(finding_block(f, a) + "\n")
        if not args.json:
            print(f"共 {len(rows)} 项", file=sys.stderr)
    return 0
