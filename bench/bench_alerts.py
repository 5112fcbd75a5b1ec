"""Alert dispatch at campaign scale: N findings routed to two recipients through the outbox
channel, on SQLite. Measures the first dispatch (create + send), a no-op re-run (the dedupe
path every scheduled retry takes) and a digest, and the process's peak RSS."""
from __future__ import annotations

import datetime as dt
import tempfile
import time
import resource
from pathlib import Path

N_FINDINGS = int(__import__("os").environ.get("BENCH_ALERTS_N", "2000"))


def run() -> dict[str, str]:
    import yaml

    from monitor.alerts import dispatch, send_digest
    from monitor.settings import Settings
    from monitor.storage import db
    from monitor.storage.models import Agency, Finding

    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        url = f"sqlite:///{tmp_path / 'bench.sqlite3'}"
        cfg = tmp_path / "alerts.yaml"
        cfg.write_text(yaml.safe_dump({
            "channels": {"box": f"outbox://{tmp_path / 'box'}"},
            "recipients": [{"name": "全国", "audience": "compliance", "channels": ["box"]},
                           {"name": "省", "audience": "compliance", "channels": ["box"], "regions": ["甲省"]}],
        }, allow_unicode=True), encoding="utf-8")
        settings = Settings(data_dir=tmp_path, database_url=url, alerts_config=str(cfg))
        factory = db.session_factory(url)
        with factory() as s:
            s.add_all(Agency(id=f"a{i}", name=f"第{i}机关", region="甲省" if i % 2 else "乙省", kind="department")
                      for i in range(200))
            s.add_all(Finding(fingerprint=f"{i:040d}", rule="table_arithmetic", severity="error", audience="compliance",
                              agency_id=f"a{i % 200}", year=2024, message=f"第{i}个问题",
                              evidence={"cells": ["table3.new[6]"], "values": {"table3.new[6]": i},
                                        "source": {"url": f"http://x/{i}.pdf", "sha256": "a" * 64}})
                      for i in range(N_FINDINGS))
            s.commit()
        now = dt.datetime(2025, 2, 1, 1)
        out = {}
        with factory() as s:
            t = time.perf_counter()
            r = dispatch(s, settings, now=now)
            out["first dispatch"] = f"{time.perf_counter() - t:.2f}s for {r.sent} messages ({r.sent / (time.perf_counter() - t):.0f}/s)"
            t = time.perf_counter()
            r = dispatch(s, settings, now=now + dt.timedelta(minutes=15))
            out["re-run (nothing to send)"] = f"{time.perf_counter() - t:.2f}s, sent {r.sent}"
            t = time.perf_counter()
            r = send_digest(s, settings, now=now)
            out["digest"] = f"{time.perf_counter() - t:.2f}s, sent {r.sent}"
        out["peak RSS of the process"] = f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
        factory.kw["bind"].dispose()
        return out


if __name__ == "__main__":
    for k, v in run().items():
        print(f"  {k}: {v}")
