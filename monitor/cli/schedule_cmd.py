"""`nianbao schedule run|list|install`: the January campaign and the rest of the year's jobs."""
from __future__ import annotations

import argparse
import json
import sys


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("schedule", help="run the scheduled campaign (service), or list its jobs")
    ssub = p.add_subparsers(dest="schedule_command", metavar="ACTION", required=True)
    r = ssub.add_parser("run", help="run the scheduler until SIGTERM/SIGINT (a long-running service)")
    r.set_defaults(func=run_service)
    ls = ssub.add_parser("list", help="jobs and their next run times (local time)")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(func=run_list)
    i = ssub.add_parser("install", help="write the jobs into the job store without running them")
    i.set_defaults(func=run_install)


def _fail(what: str, e: Exception) -> int:
    print(f"错误：{what}：{type(e).__name__}: {e}", file=sys.stderr)
    return 2


def _settings():
    from monitor.settings import get_settings

    return get_settings()


def run_service(args: argparse.Namespace) -> int:
    import logging

    from monitor.scheduler import run_forever

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = _settings()
    try:
        run_forever(settings, on_started=lambda _s: print(f"调度已启动（时区 {settings.timezone}），按 Ctrl+C 停止。", flush=True))
    except Exception as e:  # a bad setting or an unreachable database: said plainly, not a traceback
        return _fail("调度无法启动", e)
    print("调度已停止。", flush=True)
    return 0


def run_install(args: argparse.Namespace) -> int:
    from monitor.scheduler import install

    labels = {"kept": "未变", "added": "已添加", "replaced": "已更新"}
    try:
        changes = install(_settings())
    except Exception as e:
        return _fail("无法写入任务库", e)
    for job_id, what in changes.items():
        print(f"{job_id}: {labels.get(what, what)}")
    return 0


def run_list(args: argparse.Namespace) -> int:
    import datetime as dt
    from zoneinfo import ZoneInfo

    from monitor.scheduler import job_specs, stored_jobs

    settings = _settings()
    tz = ZoneInfo(settings.timezone)
    try:
        stored = {j["id"]: j for j in stored_jobs(settings)}
        specs = job_specs(settings)
    except Exception as e:
        return _fail("无法读取任务库", e)
    rows = []
    for spec in specs:
        j = stored.pop(spec.id, None)
        if j is None:
            nxt = spec.trigger.get_next_fire_time(None, dt.datetime.now(tz))
            rows.append({"id": spec.id, "name": spec.name, "trigger": str(spec.trigger), "installed": False,
                         "next_run_time": nxt})
        else:
            rows.append({**j, "installed": True})
    rows += [{**j, "installed": True} for j in stored.values()]  # jobs added by hand
    for r in rows:
        nxt = r["next_run_time"]
        nxt_s = nxt.astimezone(tz).strftime("%Y-%m-%d %H:%M %Z") if nxt else None
        if args.json:
            print(json.dumps({"id": r["id"], "name": r["name"], "installed": r["installed"], "next_run_time": nxt_s,
                              "trigger": r["trigger"]}, ensure_ascii=False))
        else:
            state = "" if r["installed"] else "（未安装：`nianbao schedule run` 或 `install` 后生效）"
            print(f"{r['id']:<16} 下次运行 {nxt_s or '暂停'}  {r['name']}{state}")
    return 0
