"""The monitor's own cost: store → parse → check → findings for many agencies on SQLite, a first
campaign and an idempotent re-run, with a crawl result built in-process (the crawler's speed is
bench_crawl's). Figures: seconds, agencies per second, peak RSS."""
from __future__ import annotations

import datetime as dt
import resource
import tempfile
import time
from pathlib import Path

N_AGENCIES = 200


def _portal(n: int):
    from crawler.blobstore import BlobStore
    from crawler.result import AgencyResult, CrawlResult, Document, Evidence, FoundReport
    from crawler.sample_portal.render import list_content, load_content, to_html

    names = [c for c in list_content() if c.endswith("2022") or c.endswith("2023") or c.endswith("2024")]
    pages = []
    for i in range(n):
        c = load_content(names[i % len(names)])
        c.table3["new"][0] += i  # distinct files
        c.table3["new"][6] += i
        pages.append((c.year, to_html(c)))

    def crawl(spec):
        store = BlobStore(Path(spec.data_dir) / "blobs")
        now = dt.datetime.now(dt.timezone.utc).isoformat()
        res = CrawlResult(year=spec.year)
        for a, (year, data) in zip(spec.agencies, pages):
            url = f"http://{a['id']}.example/nb/t{year + 1}0120_1.html"
            sha = store.put(data)
            ar = AgencyResult(agency=a["id"])
            ar.documents.append(Document(url, url, 200, sha, len(data), "text/html", {}, now, "report_page"))
            ar.reports.append(FoundReport(url, "年度报告", spec.year, url, sha, evidence=Evidence(meta_pubdate=f"{year + 1}-01-20")))
            res.agencies[a["id"]] = ar
        return res

    return crawl


def run() -> dict:
    from monitor import pipeline
    from monitor.settings import Settings
    from monitor.storage import db

    tmp = Path(tempfile.mkdtemp(prefix="nianbao-bench-"))
    url = f"sqlite:///{tmp / 'bench.sqlite3'}"
    settings = Settings(data_dir=tmp / "data", database_url=url)
    factory = db.session_factory(url)
    agencies = [{"id": f"b{i:04d}", "name": f"基准机关{i:04d}", "kind": "department", "region": "基准市",
                 "columns": [f"http://b{i:04d}.example/nb/"]} for i in range(N_AGENCIES)]
    crawl = _portal(N_AGENCIES)
    out = {}
    for label in ("first campaign", "re-run (nothing new)"):
        t0 = time.perf_counter()
        pipeline.run_campaign(factory, settings, 2023, agencies, today=dt.date(2024, 4, 15), crawl=crawl,
                              dispatch=False, progress=False)
        secs = time.perf_counter() - t0
        out[label] = f"{secs:.1f}s for {N_AGENCIES} agencies ({N_AGENCIES / secs:.0f}/s)"
    out["peak RSS"] = f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    out["database"] = f"{(tmp / 'bench.sqlite3').stat().st_size / 1e6:.1f} MB"
    factory.kw["bind"].dispose()
    return out


if __name__ == "__main__":
    for key, value in run().items():
        print(f"  {key}: {value}")
