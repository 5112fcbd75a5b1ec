"""`nianbao crawl` and `scrapy crawl annual_reports` as users run them, on the sample portal and on
portal shapes the crawler was not written for (the general fallback)."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import yaml

from monitor.settings import PROJECT_ROOT
from tests.crawler_helpers import prerendered_portal, static_server

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SETS = ["--set", "DOWNLOAD_DELAY=0", "--set", "AUTOTHROTTLE_START_DELAY=0.01", "--set", "AUTOTHROTTLE_MAX_DELAY=0.2"]


def nianbao(args, data_dir, **env):
    e = {**os.environ, "NIANBAO_DATA_DIR": str(data_dir), "NIANBAO_CRAWL_LOG_LEVEL": "WARNING", **env}
    return subprocess.run([sys.executable, "-m", "monitor.cli", *args], cwd=PROJECT_ROOT, env=e,
                          capture_output=True, timeout=300)


def html(body: str, title: str = "列表") -> bytes:
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title></head><body>'
            f'<div class="nav"><a href="/">首页</a><a href="/zwgk/ndbg/column-index-1.shtml">政府信息公开年度报告</a></div>'
            f"{body}</body></html>").encode("utf-8")


H = {"Content-Type": "text/html; charset=utf-8"}


def unseen_pages():
    """A 成都-style column (column-index-N.shtml, only 下一页 + countPage shown, report on page 3 behind
    a pdf.js viewer) and a ?pageNo= list whose report has no year in its title and links to a
    download servlet with an RFC 5987 file name."""
    pages = {"/robots.txt": (200, {"Content-Type": "text/plain"}, b"User-agent: *\nAllow: /\n")}
    for n in (1, 2, 3):
        items = [f'<li><a href="/zwgk/2025-0{n}/0{n}/content_{n}{i}.shtml" title="关于{n}{i}号工作的通知">关于{n}{i}号工作的通知</a><span>2025-0{n}-0{n}</span></li>' for i in range(4)]
        if n == 3:
            items.append('<li><a href="/zwgk/2025-02/10/content_nb.shtml" title="某市2024年政府信息公开工作年度报告">某市2024年政府信息公开…</a><span>2025-02-10</span></li>')
            items.append('<li><a href="/zwgk/2024-03/10/content_old.shtml">某市2023年政府信息公开工作年度报告</a><span>2024-03-10</span></li>')
        nxt = f'<a href="column-index-{n + 1}.shtml">下一页</a>' if n < 3 else ""
        pages[f"/zwgk/ndbg/column-index-{n}.shtml"] = (200, H, html(f"<ul>{''.join(items)}</ul>{nxt}<script>var countPage = 3;</script>"))
    pages["/zwgk/2025-02/10/content_nb.shtml"] = (200, H, html(
        '<h1>某市2024年政府信息公开工作年度报告</h1><div class="info">发布时间：2025-02-10 09:00</div>'
        '<iframe src="/static/pdfjs/web/viewer.html?file=/upload/2025/02/nb2024.pdf"></iframe>', "某市2024年年报"))
    pages["/upload/2025/02/nb2024.pdf"] = (200, {"Content-Type": "application/pdf"}, PDF)

    rows = "".join(f'<div class="item"><a href="/info/show.do?id={i}">通知公告{i}</a><em>2025-01-{10 + i}</em></div>' for i in range(5))
    pages["/gk/list.do"] = (200, H, html(rows + '<div class="pg"><a href="list.do?pageNo=2">下一页</a></div>'))
    pages["/gk/list.do?pageNo=2"] = (200, H, html(
        '<div class="item"><a href="/attach/down.do?id=77">某局政府信息公开工作年度报告</a><em>2025-01-15</em></div>'
        '<div class="item"><a href="/attach/down.do?id=76">某局政府信息公开工作年度报告</a><em>2024-01-12</em></div>'))
    pages["/attach/down.do?id=77"] = (200, {"Content-Type": "application/octet-stream",
                                           "Content-Disposition": "attachment; filename*=UTF-8''%E6%9F%90%E5%B1%80%E5%B9%B4%E6%8A%A5.pdf"}, PDF)
    return pages


def test_crawl_url_on_unseen_portal_shapes(tmp_path):
    with static_server(unseen_pages()) as (base, log):
        out = nianbao(["crawl", "--url", f"{base}/zwgk/ndbg/column-index-1.shtml", "--year", "2024", "--name", "某市",
                       "--kind", "government", "--allow-private", "--json", *SETS], tmp_path)
        assert out.returncode == 0, out.stderr.decode()[-3000:]
        data = json.loads(out.stdout)
        (agency,) = data["agencies"].values()
        assert agency["name"] == "某市"
        (rep,) = agency["reports"]
        assert rep["page_url"] == f"{base}/zwgk/2025-02/10/content_nb.shtml"
        assert rep["title"] == "某市2024年政府信息公开工作年度报告"
        assert [a["url"] for a in rep["attachments"]] == [f"{base}/upload/2025/02/nb2024.pdf"]
        assert rep["attachments"][0]["sha256"] and rep["evidence"]["page_date"] == "2025-02-10 09:00"
        assert rep["evidence"]["listing_date"] == "2025-02-10"
        assert agency["outcomes"] == []
        assert f"/zwgk/2024-03/10/content_old.shtml" not in log  # older year: not taken

        out = nianbao(["crawl", "--url", f"{base}/gk/list.do", "--year", "2024", "--allow-private", "--json", *SETS], tmp_path)
        assert out.returncode == 0, out.stderr.decode()[-3000:]
        (agency,) = json.loads(out.stdout)["agencies"].values()
        (rep,) = agency["reports"]  # the 2023 one (published 2024-01) is not taken for 2024
        assert rep["page_url"] == f"{base}/attach/down.do?id=77" and rep["page_sha256"] is None
        assert rep["attachments"][0]["filename"] == "某局年报.pdf"
        assert rep["year"] == 2024


def test_crawl_agency_text_summary_and_rerun(tmp_path):
    with prerendered_portal() as portal:
        reg = tmp_path / "registry.yaml"
        reg.write_text(yaml.safe_dump({"agencies": [a.to_dict() for a in portal.registry()]}, allow_unicode=True), "utf-8")
        env = {"NIANBAO_REGISTRY": str(reg), "NIANBAO_ALLOW_PRIVATE": "1"}
        out = nianbao(["crawl", "--agency", "miyi", "--year", "2024", *SETS], tmp_path, **env)
        assert out.returncode == 0, out.stderr.decode()[-3000:]
        text = out.stdout.decode()
        assert "✓ 米易县人民政府办公室2024年政府信息公开工作年度报告" in text
        assert "抓取失败（HTTP 404）" in text and "robots" in text and "发布日期证据" in text
        assert (tmp_path / "crawl_state.json").is_file()
        out = nianbao(["crawl", "--agency", "miyi", "--year", "2024", "--json", *SETS], tmp_path, **env)
        docs = json.loads(out.stdout)["agencies"]["miyi"]["documents"]
        assert [d["status"] for d in docs if d["unchanged"]] and all(d["status"] == 304 for d in docs if d["status"] != 404)


def test_unknown_agency_is_explained(tmp_path):
    out = nianbao(["crawl", "--agency", "no-such-agency", "--year", "2024"], tmp_path)
    assert out.returncode == 2 and "未知机关" in out.stderr.decode() and "Traceback" not in out.stderr.decode()


def test_scrapy_crawl_from_the_project(tmp_path):
    """`scrapy crawl annual_reports -a url=... -a year=...` works from the project folder."""
    with prerendered_portal() as portal:
        e = {**os.environ, "NIANBAO_DATA_DIR": str(tmp_path), "NIANBAO_ALLOW_PRIVATE": "1", "NIANBAO_CRAWL_PLAYWRIGHT": "0"}
        cmd = [sys.executable, "-m", "scrapy", "crawl", "annual_reports", "-a", f"url={portal.url('/huaian/zwgk/zfxxgknb/')}",
               "-a", "name=淮安市人民政府", "-a", "kind=government", "-a", "year=2024",
               "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_START_DELAY=0.01", "-s", "LOG_LEVEL=WARNING"]
        out = subprocess.run(cmd, cwd=PROJECT_ROOT, env=e, capture_output=True, timeout=180)
        assert out.returncode == 0, out.stderr.decode()[-3000:]
        (path,) = (tmp_path / "crawls").glob("crawl-2024-*.json")
        data = json.loads(path.read_text("utf-8"))
        (agency,) = data["agencies"].values()
        (rep,) = agency["reports"]
        assert rep["page_url"] == portal.manifest()["agencies"]["huaian"]["reports"][0]["page_url"]
        assert json.loads((tmp_path / "crawl_state.json").read_text("utf-8"))  # validators for the next run
        out = subprocess.run(cmd, cwd=PROJECT_ROOT, env=e, capture_output=True, timeout=180)
        assert out.returncode == 0, out.stderr.decode()[-3000:]
        latest = max((tmp_path / "crawls").glob("crawl-2024-*.json"), key=lambda p: p.stat().st_mtime_ns)
        again = json.loads(latest.read_text("utf-8"))
        (agency,) = again["agencies"].values()
        assert agency["documents"] and all(d["status"] == 304 for d in agency["documents"])  # nothing fetched again


def test_settings_disable_remote_access():
    from scrapy.utils.project import get_project_settings

    s = get_project_settings()
    assert s.getbool("TELNETCONSOLE_ENABLED") is False and s.getbool("REMOTE_CONTROL_ENABLED") is False
    assert s.getbool("ROBOTSTXT_OBEY") and s.getbool("AUTOTHROTTLE_ENABLED")
    assert s.getint("CONCURRENT_REQUESTS_PER_DOMAIN") == 2
    assert s.get("USER_AGENT").startswith("nianbao/0.1 (+政府信息公开年报监测; contact ")
    assert s.getint("DOWNLOAD_MAXSIZE") > 0 and s.getint("DOWNLOAD_TIMEOUT") > 0
    assert 429 not in s.getlist("RETRY_HTTP_CODES")  # a 429 is a block: recorded, not hammered


@pytest.mark.slow
def test_crawl_url_js_renders_with_chromium(tmp_path):
    with prerendered_portal() as portal:
        (exp,) = portal.manifest()["agencies"]["panzhihua"]["reports"]
        column = portal.url("/panzhihua/zfxxgknb/index.html")
        out = nianbao(["crawl", "--url", column, "--year", "2024", "--name", "攀枝花市人民政府办公室", "--js",
                       "--allow-private", "--json", *SETS], tmp_path)
        assert out.returncode == 0, out.stderr.decode()[-3000:]
        (agency,) = json.loads(out.stdout)["agencies"].values()
        assert [r["page_url"] for r in agency["reports"]] == [exp["page_url"]]
        out = nianbao(["crawl", "--url", column, "--year", "2024", "--allow-private", "--json", "--fresh", *SETS], tmp_path)
        (agency,) = json.loads(out.stdout)["agencies"].values()
        assert agency["reports"] == [] and agency["outcomes"][0]["outcome"] == "listing_changed"
