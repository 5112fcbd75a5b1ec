"""`make bench`: every benchmark, each printing its figures. Speed and memory are measured
here, never in unit tests.

Each benchmark runs in its own process so that peak-memory figures (ru_maxrss, including
children) belong to that benchmark alone and one benchmark's caches do not flatter the next.
"""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

BENCHES = ["bench.bench_parse", "bench.bench_crawl", "bench.bench_alerts", "bench.bench_pipeline"]


def main() -> int:
    failed = 0
    for name in BENCHES:
        print(f"\n=== {name}", flush=True)
        t0 = time.perf_counter()
        rc = subprocess.call([sys.executable, "-m", name], cwd=ROOT)
        if rc != 0:
            failed += 1
            print(f"  FAILED (exit {rc})")
        print(f"  ({time.perf_counter() - t0:.1f}s)", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
