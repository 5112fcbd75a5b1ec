"""`nianbao agencies import FILE` / `nianbao agencies list`: the agencies we watch."""
from __future__ import annotations

import argparse
import json
import sys

from monitor.storage.cli_errors import explain_errors as _explain


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("agencies", help="import the agency registry (YAML/CSV) into the database, list agencies")
    s = p.add_subparsers(dest="agencies_action", metavar="ACTION", required=True)
    i = s.add_parser("import", help="add or update agencies from a registry file (YAML or CSV)")
    i.add_argument("file")
    i.set_defaults(func=run_import)
    ls = s.add_parser("list", help="the agencies in the database")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(func=run_list)


@_explain
def run_import(args: argparse.Namespace) -> int:
    from crawler.registry import RegistryError, load_registry
    from monitor.storage import db, repo

    try:
        agencies = load_registry(args.file)
    except (OSError, RegistryError) as e:
        print(f"无法导入 {args.file}：{e}", file=sys.stderr)
        return 2
    factory = db.from_settings()
    with factory() as s:
        for a in agencies:
            repo.upsert_agency(s, a)
        s.commit()
    print(f"已导入 {len(agencies)} 个机关（{args.file}）")
    return 0


@_explain
def run_list(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from monitor.storage import db
    from monitor.storage.models import Agency

    factory = db.from_settings()
    with factory() as s:
        rows = s.scalars(select(Agency).order_by(Agency.region, Agency.id)).all()
        for a in rows:
            if args.json:
                print(json.dumps({"id": a.id, "name": a.name, "region": a.region, "level": a.level, "kind": a.kind,
                                  "portal": a.portal, "columns": a.columns, "hints": a.hints,
                                  "deadline_override": a.deadline_override.isoformat() if a.deadline_override else None},
                                 ensure_ascii=False))
            else:
                print(f"{a.id}\t{a.region or ''}\t{a.name}\t{a.kind}\t{' '.join(a.columns or [])}")
        if not rows and not args.json:
            print("（数据库中还没有机关：nianbao agencies import FILE）", file=sys.stderr)
    return 0
