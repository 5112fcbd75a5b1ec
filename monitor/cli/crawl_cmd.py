"""`nianbao crawl`: find an agency's annual report (and attachments) on its portal, without the database.

    nianbao crawl --agency ID --year Y            (an agency of the registry, NIANBAO_REGISTRY)
    nianbao crawl --url COLUMN_URL --year Y [--name NAME] [--kind KIND] [--js]

Validators from earlier runs are kept in ``data_dir/crawl_state.json`` so a re-run only fetches
what changed. ``crawl_and_report(args)`` is the core (the monitor adds storing on top of it).
"""
from __future__ import annotations

import argparse
import json
import sys

OUTCOME_LABELS = {
    "fetch_failed": "抓取失败",
    "blocked": "被拦截（403/429/验证码，未绕过）",
    "listing_changed": "栏目中找不到任何年报链接（网站可能已改版）",
    "no_report": "栏目中有年报，但没有该年度的",
}
EVIDENCE_LABELS = (("meta_pubdate", "页面元数据 PubDate"), ("page_date", "页面所示发布日期"),
                   ("url_date", "网址中的日期"), ("listing_date", "栏目列表日期"))


def _default_year() -> int:
    """The report year being collected now: last year's reports are due this January–March."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    from monitor.settings import get_settings

    return dt.datetime.now(ZoneInfo(get_settings().timezone)).year - 1


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("crawl", help="find an agency's annual report and attachments on its portal")
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--agency", action="append", metavar="ID", help="agency id in the registry (repeatable)")
    who.add_argument("--url", metavar="COLUMN_URL", help="an annual-report column not in the registry")
    p.add_argument("--year", type=int, default=_default_year(),
                   help="report year, the year reported on (default: last year, the reports due this January)")
    p.add_argument("--name", help="with --url: the agency's name")
    p.add_argument("--kind", choices=["department", "government", "township"], default="department",
                   help="with --url: the agency kind (decides the deadline)")
    p.add_argument("--js", action="store_true", help="with --url: the column is built by JavaScript (render it)")
    p.add_argument("--registry", help="registry file (default: NIANBAO_REGISTRY)")
    p.add_argument("--allow-private", action="store_true", default=None,
                   help="allow private/loopback addresses (the sample portal; default NIANBAO_ALLOW_PRIVATE)")
    p.add_argument("--no-playwright", action="store_true", help="never start a browser")
    p.add_argument("--fresh", action="store_true", help="ignore the saved validators (fetch everything again)")
    p.add_argument("--set", action="append", default=[], metavar="SETTING=VALUE",
                   help="Scrapy setting override (e.g. DOWNLOAD_DELAY=0)")
    p.add_argument("--timeout", type=float, help="seconds for the whole crawl (default NIANBAO_CRAWL_TIMEOUT)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.add_argument("--store", action="store_true",
                   help="store, parse, check and alert through the database (monitor.pipeline.crawl_store_command)")
    p.set_defaults(func=run)


def _overrides(pairs: list[str]) -> dict:
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep:
            raise ValueError(f"--set expects SETTING=VALUE, got {pair!r}")
        try:
            out[key.strip()] = json.loads(value)
        except ValueError:
            out[key.strip()] = value
    return out


def crawl_and_report(args: argparse.Namespace):
    """Run the crawl the arguments describe; returns ``(agencies, CrawlResult)``. Raises KeyError
    for an unknown agency and ValueError for bad arguments (``run`` explains both)."""
    from crawler.pipelines import load_state, save_state
    from crawler.registry import adhoc_agency, find_agency, load_registry
    from crawler.result import CrawlSpec
    from crawler.run import crawl
    from monitor.settings import get_settings

    settings = get_settings()
    if args.url:
        agencies = [adhoc_agency(args.url, args.name, args.kind, args.js)]
    else:
        registry = load_registry(args.registry or settings.registry)
        agencies = [find_agency(registry, i) for i in args.agency]
    state_file = settings.data_dir / "crawl_state.json"
    known = {} if args.fresh else load_state(state_file)
    allow = settings.allow_private if args.allow_private is None else args.allow_private
    spec = CrawlSpec(
        agencies=[a.to_dict() for a in agencies], year=args.year, data_dir=str(settings.data_dir), known=known,
        allow_private=allow, use_playwright=not args.no_playwright, settings=_overrides(args.set),
        timeout=args.timeout or settings.crawl_timeout,
    )
    result = crawl(spec)
    if result.ok:
        save_state(state_file, result)
    return agencies, result


def run(args: argparse.Namespace) -> int:
    from crawler.registry import RegistryError

    if getattr(args, "store", False):
        from monitor.pipeline import crawl_store_command

        return crawl_store_command(args)
    try:
        agencies, result = crawl_and_report(args)
    except KeyError as e:
        print(f"未知机关：{e.args[0]}（不在登记册中）", file=sys.stderr)
        return 2
    except (RegistryError, OSError, ValueError) as e:
        print(f"无法开始抓取：{e}", file=sys.stderr)
        return 2
    if args.json:
        sys.stdout.write(json.dumps(as_json(agencies, result), ensure_ascii=False, indent=1) + "\n")
    else:
        sys.stdout.write(summary(agencies, result) + "\n")
    return 0 if result.ok else 1


def as_json(agencies, result) -> dict:
    data = result.to_dict()
    out = {"year": result.year, "ok": result.ok, "error": result.error, "agencies": {}}
    names = {a.id: a.name for a in agencies}
    for aid, a in data["agencies"].items():
        out["agencies"][aid] = {
            "name": names.get(aid, aid),
            "reports": a["reports"],
            "outcomes": a["outcomes"],
            "documents": [{k: d[k] for k in ("url", "final_url", "status", "sha256", "size", "content_type", "role", "unchanged")}
                          for d in a["documents"]],
            "stats": a["stats"],
        }
    return out


def summary(agencies, result) -> str:
    lines = [f"抓取 {result.year} 年度政府信息公开工作年度报告：{len(agencies)} 个机关"]
    if not result.ok:
        lines.append(f"⚠ 抓取过程失败：{result.error}")
    for a in agencies:
        ar = result.agencies.get(a.id)
        lines.append(f"【{a.name}】（{a.id}）")
        if ar is None:
            lines.append("  （无结果）")
            continue
        if not ar.reports:
            lines.append(f"  未找到 {result.year} 年度报告")
        for r in ar.reports:
            lines.append(f"  ✓ {r.title}" + ("（内容已变化：新版本）" if r.changed else ""))
            lines.append(f"    页面：{r.page_url}" + ("" if r.page_sha256 else "（直接链接到文件）"))
            for att in r.attachments:
                if att.sha256:
                    same = "，未变化" if att.unchanged else ""
                    lines.append(f"    附件：{att.filename or att.url}（{att.size} 字节，sha256 {att.sha256[:12]}{same}）")
                else:
                    lines.append(f"    附件未取得：{att.url}")
            ev = [f"{label} {getattr(r.evidence, k)}" for k, label in EVIDENCE_LABELS if getattr(r.evidence, k)]
            lines.append("    发布日期证据：" + ("；".join(ev) if ev else "无"))
        for o in ar.outcomes:
            status = f"（HTTP {o.http_status}）" if o.http_status else ""
            lines.append(f"  ! {OUTCOME_LABELS.get(o.outcome, o.outcome)}{status}：{o.url}\n    {o.detail}")
        s = ar.stats
        lines.append(f"  共抓取 {s.get('documents', 0)} 个文件，{s.get('unchanged', 0)} 个未变化")
    return "\n".join(lines)
