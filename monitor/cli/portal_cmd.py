"""`nianbao portal`: the bundled sample portal (imitation government portals, for demos and tests).

    nianbao portal serve [--port N] [--duration S] [--phase 2] [--write-registry FILE] [--write-manifest FILE]
    nianbao portal prerender      (render every report file once into the cache)
"""
from __future__ import annotations

import argparse
import json
import sys


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("portal", help="serve the sample portal on 127.0.0.1")
    psub = p.add_subparsers(dest="portal_command", metavar="ACTION")
    s = psub.add_parser("serve", help="serve until --duration seconds pass (or Ctrl-C)")
    s.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: a free one)")
    s.add_argument("--duration", type=float, help="stop after this many seconds")
    s.add_argument("--year", type=int, default=2024, help="the report year the portal publishes")
    s.add_argument("--phase", type=int, default=1, help="2: the changing report is changed")
    s.add_argument("--write-registry", metavar="FILE", help="write a registry (YAML) pointing at the portal")
    s.add_argument("--write-manifest", metavar="FILE", help="write the answer key (JSON)")
    s.set_defaults(func=run_serve)
    r = psub.add_parser("prerender", help="render every report file into the cache")
    r.set_defaults(func=run_prerender)
    p.set_defaults(func=lambda args: (p.print_help(), 2)[1])


def run_serve(args: argparse.Namespace) -> int:
    from crawler.sample_portal.server import serve

    def ready(portal) -> None:
        if args.write_registry:
            import yaml

            with open(args.write_registry, "w", encoding="utf-8") as f:
                yaml.safe_dump({"agencies": [a.to_dict() for a in portal.registry()]}, f, allow_unicode=True, sort_keys=False)
        if args.write_manifest:
            with open(args.write_manifest, "w", encoding="utf-8") as f:
                json.dump(portal.manifest(), f, ensure_ascii=False, indent=1)
        print(f"示例门户：{portal.base_url}/（{len(portal.registry())} 个机关，第 {portal.phase} 阶段）", flush=True)
        for a in portal.registry():
            print(f"  {a.id:14} {a.name}  {a.columns[0]}", flush=True)
        if args.duration:
            print(f"{args.duration:g} 秒后自动停止", flush=True)

    try:
        serve(port=args.port, duration=args.duration, year=args.year, phase=args.phase, on_ready=ready)
    except OSError as e:
        print(f"无法启动示例门户：{e}", file=sys.stderr)
        return 1
    return 0


def run_prerender(args: argparse.Namespace) -> int:
    from crawler.sample_portal.server import SamplePortal

    portal = SamplePortal()
    portal.prerender()
    print(f"已渲染并缓存：{portal.site.cache.dir}")
    return 0
