"""The `nianbao` command. Each subcommand lives in its own module of this package.

A subcommand module exposes ``add_parser(subparsers)`` (which registers its arguments and sets
``func``) and is listed in COMMANDS. Modules are imported lazily-ish: only the chosen one's
heavy imports run, because every module keeps its heavy imports inside ``run``.
"""
from __future__ import annotations

import argparse
import importlib
import sys

# module names under monitor.cli, in the order `nianbao --help` lists them
COMMANDS = [
    "parse_cmd",
    "check_cmd",
    "crawl_cmd",
    "reparse_cmd",
    "findings_cmd",
    "review_cmd",
    "agencies_cmd",
    "export_cmd",
    "status_cmd",
    "schedule_cmd",
    "alerts_cmd",
    "db_cmd",
    "portal_cmd",
    "demo_cmd",
]


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="nianbao", description="政府信息公开工作年度报告 monitor: crawl, parse, check, alert.")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        try:
            mod = importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as e:
            if e.name == f"{__name__}.{name}":
                continue  # not built yet
            raise
        mod.add_parser(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
