"""`nianbao export --xlsx FILE | --csv FILE [--year Y]`: the compliance table, one row per agency."""
from __future__ import annotations

import argparse

from monitor.storage.cli_errors import explain_errors as _explain


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="write the compliance table (one row per agency) as XLSX or CSV")
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--xlsx", metavar="FILE")
    g.add_argument("--csv", metavar="FILE")
    p.add_argument("--year", type=int, help="report year (default: last year)")
    p.set_defaults(func=run)


@_explain
def run(args: argparse.Namespace) -> int:
    from monitor import export
    from monitor.pipeline import local_today
    from monitor.settings import get_settings
    from monitor.storage import db

    settings = get_settings()
    year = args.year or local_today(settings).year - 1
    factory = db.from_settings(settings)
    with factory() as s:
        rows = export.build_rows(s, year, settings.deadline_policy)
    if args.xlsx:
        export.write_xlsx(rows, args.xlsx, year)
    else:
        export.write_csv(rows, args.csv)
    print(f"已导出 {year} 年度 {len(rows)} 个机关到 {args.xlsx or args.csv}")
    return 0
