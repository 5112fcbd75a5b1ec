"""`nianbao alerts send|digest|log|test CHANNEL`: deliver alerts, the daily digest, and see what went out."""
from __future__ import annotations

import argparse
import json
import sys


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("alerts", help="send alerts and digests; show the delivery log; test a channel")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", help="routing file (default: NIANBAO_ALERTS)")
    asub = p.add_subparsers(dest="alerts_command", metavar="ACTION", required=True)

    s = asub.add_parser("send", parents=[common], help="alert new or changed findings and retry due deliveries")
    s.add_argument("--retry-failed", action="store_true", help="first re-queue deliveries that reached the attempt limit")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=run_send)

    d = asub.add_parser("digest", parents=[common], help="send today's digest to each recipient (once a day)")
    d.add_argument("--json", action="store_true")
    d.set_defaults(func=run_digest)

    lg = asub.add_parser("log", parents=[common], help="recent deliveries, newest first")
    lg.add_argument("--status", choices=["pending", "sending", "sent", "failed", "superseded"])
    lg.add_argument("--recipient")
    lg.add_argument("--limit", type=int, default=50)
    lg.add_argument("--json", action="store_true")
    lg.set_defaults(func=run_log)

    t = asub.add_parser("test", parents=[common], help="send a test message through a channel (a name in the routing file, or an apprise URL)")
    t.add_argument("channel")
    t.add_argument("--recipient", help="address it as this recipient would get it (its e-mail address)")
    t.set_defaults(func=run_test)


def _settings(args: argparse.Namespace):
    import dataclasses

    from monitor.settings import get_settings

    s = get_settings()
    return dataclasses.replace(s, alerts_config=args.config) if args.config else s


def _with_session(args: argparse.Namespace, work) -> int:
    from monitor.alerts.config import AlertConfigError
    from monitor.storage.db import session_factory

    settings = _settings(args)
    try:
        factory = session_factory(settings.db_url)
    except Exception as e:  # an unreachable or broken database is reported, not a traceback
        print(f"错误：无法打开数据库 {settings.db_url.split('@')[-1]}：{e}", file=sys.stderr)
        return 2
    try:
        with factory() as session:
            return work(session, settings)
    except AlertConfigError as e:
        print(f"错误：告警路由配置有误：{e}", file=sys.stderr)
        return 2
    finally:
        factory.kw["bind"].dispose()


def _print_report(report, as_json: bool) -> int:
    if as_json:
        print(json.dumps(report.to_dict(), ensure_ascii=False))
    else:
        print(report.summary())
        for e in report.errors:
            print(f"  放弃：{e}")
    if not report.configured:
        return 2
    return 1 if report.gave_up else 0


def run_send(args: argparse.Namespace) -> int:
    from monitor.alerts import dispatch, retry_failed

    def work(session, settings):
        if args.retry_failed:
            n = retry_failed(session)
            if not args.json:
                print(f"已重新排队 {n} 条失败的投递。")
        return _print_report(dispatch(session, settings), args.json)

    return _with_session(args, work)


def run_digest(args: argparse.Namespace) -> int:
    from monitor.alerts import send_digest

    return _with_session(args, lambda session, settings: _print_report(send_digest(session, settings), args.json))


def run_log(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from monitor.alerts.models import AlertDelivery
    from monitor.alerts.render import local_time

    def work(session, settings):
        q = select(AlertDelivery).order_by(AlertDelivery.id.desc()).limit(max(args.limit, 1))
        if args.status:
            q = q.where(AlertDelivery.status == args.status)
        if args.recipient:
            q = q.where(AlertDelivery.recipient == args.recipient)
        rows = session.scalars(q).all()
        for r in rows:
            if args.json:
                print(json.dumps({
                    "id": r.id, "kind": r.kind, "status": r.status, "recipient": r.recipient, "channel": r.channel,
                    "audience": r.audience, "fingerprint": r.fingerprint, "finding_id": r.finding_id,
                    "attempts": r.attempts, "last_error": r.last_error, "title": r.title,
                    "created_at": r.created_at.isoformat() if r.created_at else None,
                    "sent_at": r.sent_at.isoformat() if r.sent_at else None,
                    "next_attempt_at": r.next_attempt_at.isoformat() if r.next_attempt_at else None,
                }, ensure_ascii=False))
                continue
            when = local_time(r.sent_at, settings.timezone) if r.sent_at else f"下次尝试 {local_time(r.next_attempt_at, settings.timezone)}"
            line = f"#{r.id} [{r.status}] {r.recipient} via {r.channel} · {when} · 尝试 {r.attempts} 次 · {r.title}"
            if r.last_error and r.status != "sent":
                line += f"\n    错误：{r.last_error}"
            print(line)
        if not rows and not args.json:
            print("（没有投递记录）")
        return 0

    return _with_session(args, work)


def run_test(args: argparse.Namespace) -> int:
    from monitor.alerts import send_test
    from monitor.alerts.channels import redact
    from monitor.alerts.config import AlertConfigError

    try:
        ok, error = send_test(_settings(args), args.channel, recipient=args.recipient)
    except AlertConfigError as e:
        print(f"错误：告警路由配置有误：{e}", file=sys.stderr)
        return 2
    name = redact(args.channel) if "://" in args.channel else args.channel
    if ok:
        print(f"测试消息已发送：{name}")
        return 0
    print(f"测试消息发送失败：{name}：{error}", file=sys.stderr)
    return 1
