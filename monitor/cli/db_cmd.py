"""`nianbao db upgrade|current|downgrade REV`: the schema, through Alembic."""
from __future__ import annotations

import argparse
import sys

from monitor.storage.cli_errors import explain_errors as _explain


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("db", help="database schema: upgrade to the latest migration, show the current one")
    p.add_argument("action", choices=["upgrade", "current", "downgrade"])
    p.add_argument("revision", nargs="?", help="target revision (downgrade; upgrade defaults to head)")
    p.set_defaults(func=run)


@_explain
def run(args: argparse.Namespace) -> int:
    from monitor.settings import get_settings
    from monitor.storage import db

    url = get_settings().db_url
    shown = url.split("@")[-1] if "@" in url else url
    if args.action == "upgrade":
        db.upgrade(url, args.revision or "head")
        print(f"数据库已升级到 {db.current_revision(url)}（{shown}）")
    elif args.action == "downgrade":
        if not args.revision:
            print("downgrade 需要目标版本，例如 base", file=sys.stderr)
            return 2
        db.downgrade(url, args.revision)
        print(f"数据库已降级到 {db.current_revision(url) or 'base'}（{shown}）")
    else:
        cur, head = db.current_revision(url), db.head_revision()
        print(f"当前版本 {cur or '（空库）'}，最新版本 {head}（{shown}）")
        return 0 if cur == head else 1
    return 0
