"""Run a crawl in a subprocess: ``crawl(spec) -> CrawlResult``.

Twisted's reactor cannot be restarted in one process, and a crashing crawl must not take the
scheduler down, so every crawl is ``python -m crawler.run``: the spec as JSON on stdin, the result
as JSON on stdout, Scrapy's log on stderr. A crash or timeout comes back as a ``CrawlResult``
with ``ok=False`` and the reason in ``error``; it never raises.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from .result import CrawlResult, CrawlSpec

PROJECT_ROOT = Path(__file__).resolve().parent.parent
STDERR_TAIL = 4000


def crawl(spec: CrawlSpec) -> CrawlResult:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(PROJECT_ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    Path(spec.data_dir).mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryFile(dir=spec.data_dir) as err:
        # its own process group: on timeout the browser and its driver go down with the crawl
        proc = subprocess.Popen([sys.executable, "-m", "crawler.run"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=err, cwd=str(PROJECT_ROOT), env=env, start_new_session=True)
        try:
            stdout, _ = proc.communicate(json.dumps(spec.to_dict(), ensure_ascii=False).encode("utf-8"),
                                         timeout=spec.timeout)
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            return CrawlResult(year=spec.year, ok=False, error=f"crawl timed out after {spec.timeout:g} s")
        err.seek(0)
        tail = err.read()[-STDERR_TAIL:].decode("utf-8", "replace")
    try:
        result = CrawlResult.from_dict(json.loads(stdout.decode("utf-8")))
    except (ValueError, KeyError, TypeError) as e:
        return CrawlResult(year=spec.year, ok=False,
                           error=f"crawl process exited {proc.returncode} without a result ({type(e).__name__}); stderr: {tail}")
    if proc.returncode != 0 and result.ok:
        result.ok, result.error = False, f"crawl process exited {proc.returncode}; stderr: {tail}"
    elif not result.ok and tail:
        result.error = f"{result.error}; stderr: {tail}"
    return result


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()


def scrapy_settings(spec: CrawlSpec, result_path: str):
    """The project's settings (crawler/settings.py) with this run's data dir and overrides."""
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()
    data_dir = Path(spec.data_dir)
    settings.set("NIANBAO_DATA_DIR", str(data_dir), priority="cmdline")
    settings.set("NIANBAO_BLOB_DIR", str(data_dir / "blobs"), priority="cmdline")
    settings.set("NIANBAO_RESULT_PATH", result_path, priority="cmdline")
    settings.set("NIANBAO_STATE_FILE", None, priority="cmdline")  # the caller keeps state
    settings.set("NIANBAO_ALLOW_PRIVATE", bool(spec.allow_private), priority="cmdline")
    settings.set("NIANBAO_USE_PLAYWRIGHT", bool(spec.use_playwright), priority="cmdline")
    needs_browser = spec.use_playwright and any((a.get("hints") or {}).get("js") for a in spec.agencies)
    if not needs_browser:
        settings.set("DOWNLOAD_HANDLERS", {}, priority="cmdline")  # no browser process at all
    for k, v in (spec.settings or {}).items():
        settings.set(k, v, priority="cmdline")
    return settings


def main() -> int:
    spec = CrawlSpec.from_dict(json.loads(sys.stdin.buffer.read().decode("utf-8")))
    from scrapy.crawler import CrawlerProcess

    from .spiders.annual_reports import AnnualReportsSpider

    with tempfile.TemporaryDirectory() as tmp:
        result_path = os.path.join(tmp, "result.json")
        process = CrawlerProcess(scrapy_settings(spec, result_path))
        process.crawl(AnnualReportsSpider, agencies=spec.agencies, year=spec.year, known=spec.known or {},
                      allow_private=spec.allow_private, use_playwright=spec.use_playwright)
        process.start()
        try:
            with open(result_path, encoding="utf-8") as f:
                data = json.load(f)
        except (OSError, ValueError) as e:
            data = CrawlResult(year=spec.year, ok=False, error=f"the spider wrote no result ({type(e).__name__})").to_dict()
    sys.stdout.write(json.dumps(data, ensure_ascii=False))
    sys.stdout.flush()
    return 0 if data.get("ok", True) else 1


if __name__ == "__main__":
    sys.exit(main())
