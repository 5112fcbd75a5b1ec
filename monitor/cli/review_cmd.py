"""`nianbao review FINDING_ID --confirm|--dismiss --note ... [--by NAME]`: staff decide on a finding."""
from __future__ import annotations

import argparse
import getpass
import sys

from monitor.storage.cli_errors import explain_errors as _explain


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("review", help="confirm or dismiss a finding, with a note")
    p.add_argument("finding_id", type=int, metavar="FINDING_ID")
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--confirm", action="store_true", help="the problem is real")
    g.add_argument("--dismiss", action="store_true", help="not a problem (say why in --note)")
    p.add_argument("--note", required=True, help="why")
    p.add_argument("--by", help="who decided (default: the login name)")
    p.set_defaults(func=run)


@_explain
def run(args: argparse.Namespace) -> int:
    from monitor.storage import db, repo

    decision = "confirmed" if args.confirm else "dismissed"
    by = args.by or getpass.getuser()
    factory = db.from_settings()
    with factory() as s:
        try:
            f = repo.review_finding(s, args.finding_id, decision, args.note, by)
        except repo.ReviewError as e:
            print(f"无法审核：{e}", file=sys.stderr)
            return 2
        s.commit()
        label = "已确认" if decision == "confirmed" else "已驳回"
        print(f"问题 #{f.id}（{f.rule}，{f.agency_id} {f.year}年）{label}，审核人 {by}：{f.review_note}")
    return 0
