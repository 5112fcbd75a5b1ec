"""`nianbao reparse [--agency ID] [--year Y]`: read stored files again (after a parser fix), re-check,
update findings. Nothing is fetched."""
from __future__ import annotations

import argparse
import datetime as dt

from monitor.storage.cli_errors import explain_errors as _explain


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("reparse", help="parse stored files again and update findings (no refetch)")
    p.add_argument("--agency", help="agency id")
    p.add_argument("--year", type=int)
    p.add_argument("--today", type=dt.date.fromisoformat, help="judge deadlines as of this date (YYYY-MM-DD)")
    p.set_defaults(func=run)


@_explain
def run(args: argparse.Namespace) -> int:
    from monitor.pipeline import reparse
    from monitor.settings import get_settings
    from monitor.storage import db

    settings = get_settings()
    outcomes = reparse(db.from_settings(settings), settings, args.agency, args.year, args.today)
    for o in outcomes:
        c = o.findings
        print(f"{o.agency_id} {o.year}: {o.state}；新问题 {c.get('new', 0)}，已解决 {c.get('resolved', 0)}")
    print(f"重新解析 {len(outcomes)} 份报告")
    return 0
