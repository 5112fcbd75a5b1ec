"""`nianbao status`: the last run per agency and what it ran into."""
from __future__ import annotations

import argparse
import json

from monitor.storage.cli_errors import explain_errors as _explain


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("status", help="last crawl per agency, with its health outcomes")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run)


@_explain
def run(args: argparse.Namespace) -> int:
    from monitor.storage import db
    from monitor.storage.queries import last_runs

    factory = db.from_settings()
    with factory() as s:
        for agency, run, health in last_runs(s):
            if args.json:
                print(json.dumps({
                    "agency_id": agency.id, "agency": agency.name,
                    "run": None if run is None else {
                        "id": run.id, "year": run.year, "status": run.status, "started_at": run.started_at.isoformat(),
                        "finished_at": run.finished_at.isoformat() if run.finished_at else None,
                        "counts": run.counts, "error": run.error},
                    "health": [{"outcome": h.outcome, "url": h.url, "detail": h.detail} for h in health],
                }, ensure_ascii=False))
                continue
            if run is None:
                print(f"{agency.id}\t{agency.name}\t从未抓取")
                continue
            c = run.counts or {}
            print(f"{agency.id}\t{agency.name}\t{run.year}年\t{run.status}\t{run.started_at:%Y-%m-%d %H:%M}\t"
                  f"文件 {c.get('documents', 0)}（新版本 {c.get('new_versions', 0)}）"
                  + (f"\t错误：{run.error}" if run.error else ""))
            for h in health:
                print(f"    {h.outcome}\t{h.url}\t{h.detail or ''}")
    return 0
