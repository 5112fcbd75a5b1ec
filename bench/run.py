"""`make bench`: every benchmark, each printing its figures. Speed and memory are measured
here, never in unit tests."""
from __future__ import annotations

import importlib
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BENCHES = ["bench.bench_parse", "bench.bench_crawl", "bench.bench_alerts", "bench.bench_pipeline"]


def main() -> int:
    failed = 0
    for name in BENCHES:
        print(f"\n=== {name}")
        t0 = time.perf_counter()
        try:
            mod = importlib.import_module(name)
        except ModuleNotFoundError as e:
            print(f"  (not available: {e})")
            continue
        try:
            if hasattr(mod, "main"):
                mod.main()
            else:
                for key, value in (mod.run() or {}).items():
                    print(f"  {key}: {value}")
        except Exception as e:  # a broken benchmark is reported, the others still run
            failed += 1
            print(f"  FAILED: {type(e).__name__}: {e}")
        print(f"  ({time.perf_counter() - t0:.1f}s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
