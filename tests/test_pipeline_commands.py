"""Operator commands end to end through `nianbao ...` on a real database: db, agencies, findings,
review, status."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from monitor.cli import main
from monitor.storage import db, repo
from monitor.storage.models import Agency, Finding

REGISTRY_YAML = """\
agencies:
  - id: sc-a
    name: 甲市人民政府办公室
    region: 四川省甲市
    level: city
    kind: department
    columns: [http://a.example/nb/]
    hints: {deadline: "2023-01-20", cms: trs}
  - id: js-b
    name: 乙县人民政府
    region: 江苏省乙县
    kind: government
    columns: [http://b.example/nb/]
"""
REGISTRY_CSV = "id,name,region,kind,columns,hint_js\nsc-a,甲市人民政府办公室（新）,四川省甲市,department,http://a.example/nb/|http://a.example/nb2/,true\n"


@pytest.fixture
def cli_env(db_urls, tmp_path, monkeypatch):
    monkeypatch.setenv("NIANBAO_DATABASE_URL", db_urls)
    monkeypatch.setenv("NIANBAO_DATA_DIR", str(tmp_path / "data"))
    factory = db.session_factory(db_urls)
    yield factory, tmp_path
    factory.kw["bind"].dispose()


def test_db_upgrade_and_current(cli_env, capsys):
    assert main(["db", "upgrade"]) == 0
    assert main(["db", "current"]) == 0
    assert db.head_revision() in capsys.readouterr().out


def test_agencies_import_yaml_then_csv_updates_in_place(cli_env, capsys):
    factory, tmp = cli_env
    (tmp / "r.yaml").write_text(REGISTRY_YAML, encoding="utf-8")
    (tmp / "r.csv").write_text(REGISTRY_CSV, encoding="utf-8")
    assert main(["agencies", "import", str(tmp / "r.yaml")]) == 0
    with factory() as s:
        assert s.get(Agency, "sc-a").deadline_override.isoformat() == "2023-01-20"  # the registry's hint
    assert main(["agencies", "import", str(tmp / "r.csv")]) == 0
    with factory() as s:
        rows = {a.id: a for a in s.scalars(select(Agency))}
    assert set(rows) == {"sc-a", "js-b"}
    assert rows["sc-a"].name == "甲市人民政府办公室（新）" and len(rows["sc-a"].columns) == 2
    assert rows["sc-a"].hints == {"js": True} and rows["js-b"].kind == "government"
    assert rows["js-b"].region == "江苏省乙县" and rows["js-b"].deadline_override is None
    capsys.readouterr()
    assert main(["agencies", "list", "--json"]) == 0
    listed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {a["id"] for a in listed} == {"sc-a", "js-b"}


def test_agencies_import_bad_file_is_explained(cli_env, capsys):
    _, tmp = cli_env
    (tmp / "bad.yaml").write_text("agencies:\n  - id: x\n    name: 某局\n    kind: ministry\n", encoding="utf-8")
    assert main(["agencies", "import", str(tmp / "bad.yaml")]) == 2
    err = capsys.readouterr().err
    assert "无法导入" in err and "kind" in err


def _seed_findings(factory):
    with factory() as s:
        repo.upsert_agency(s, {"id": "sc-a", "name": "甲市人民政府办公室", "region": "四川省甲市"})
        repo.upsert_agency(s, {"id": "js-b", "name": "乙县人民政府", "region": "江苏省乙县", "kind": "government"})
        ev = {"cells": [{"cell": "table3.outcome_total[6]", "label": "（七）总计 / 总计", "value": 67}],
              "expected": 62, "actual": 67, "source_url": "http://a.example/nb/t1.html", "sha256": "c" * 64}
        repo.sync_findings(s, "sc-a", 2022, [{"key": "k1", "rule": "table_arithmetic", "severity": "error",
                                              "message": "表三总计与各项之和不符", "evidence": ev}], origin="check")
        repo.sync_findings(s, "js-b", 2022, [{"key": "k2", "rule": "missing_report", "severity": "error",
                                              "message": "未发布年度报告", "evidence": {}},
                                             {"key": "k3", "rule": "blank_cells", "severity": "warning",
                                              "message": "空白单元格", "evidence": {}}], origin="check")
        s.commit()


def test_findings_filters_and_evidence(cli_env, capsys):
    factory, _ = cli_env
    _seed_findings(factory)
    assert main(["findings", "--json"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 3
    assert main(["findings", "--json", "--region", "江苏", "--severity", "error"]) == 0
    rows = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [(r["agency_id"], r["rule"]) for r in rows] == [("js-b", "missing_report")]
    assert main(["findings", "--rule", "table_arithmetic", "--year", "2022"]) == 0
    out = capsys.readouterr().out
    assert "表三总计与各项之和不符" in out and "= 67" in out and "应为 62，实为 67" in out
    assert "http://a.example/nb/t1.html" in out and "c" * 64 in out
    assert main(["findings", "--json", "--year", "2021"]) == 0
    assert capsys.readouterr().out == ""


def test_review_confirm_and_dismiss(cli_env, capsys):
    factory, _ = cli_env
    _seed_findings(factory)
    with factory() as s:
        ids = {f.rule: f.id for f in s.scalars(select(Finding))}
    assert main(["review", str(ids["table_arithmetic"]), "--confirm", "--note", "已核对原件", "--by", "张三"]) == 0
    assert main(["review", str(ids["blank_cells"]), "--dismiss", "--note", "原件如此，无需整改"]) == 0
    assert main(["review", "9999", "--dismiss", "--note", "x"]) == 2
    assert "没有编号为 9999 的问题" in capsys.readouterr().err
    with factory() as s:
        f1, f2 = s.get(Finding, ids["table_arithmetic"]), s.get(Finding, ids["blank_cells"])
        assert (f1.status, f1.reviewed_by, f1.review_note) == ("confirmed", "张三", "已核对原件")
        assert f2.status == "dismissed" and f2.reviewed_by and f2.reviewed_at
    assert main(["findings", "--json", "--status", "dismissed"]) == 0
    assert [json.loads(x)["rule"] for x in capsys.readouterr().out.splitlines()] == ["blank_cells"]


def test_status_shows_last_run_and_health(cli_env, capsys):
    factory, _ = cli_env
    with factory() as s:
        repo.upsert_agency(s, {"id": "sc-a", "name": "甲市人民政府办公室"})
        repo.upsert_agency(s, {"id": "js-b", "name": "乙县人民政府"})
        old = repo.start_run(s, "sc-a", 2022)
        repo.finish_run(s, old, "ok", {"documents": 1})
        run = repo.start_run(s, "sc-a", 2022)
        repo.record_health(s, run, "blocked", "http://a.example/nb/", "HTTP 403")
        repo.finish_run(s, run, "failed", {"documents": 0}, "blocked http://a.example/nb/")
        s.commit()
    assert main(["status", "--json"]) == 0
    rows = {r["agency_id"]: r for r in map(json.loads, capsys.readouterr().out.splitlines())}
    assert rows["sc-a"]["run"]["id"] == run.id and rows["sc-a"]["run"]["status"] == "failed"
    assert rows["sc-a"]["health"] == [{"outcome": "blocked", "url": "http://a.example/nb/", "detail": "HTTP 403"}]
    assert rows["js-b"]["run"] is None
    assert main(["status"]) == 0
    out = capsys.readouterr().out
    assert "从未抓取" in out and "blocked" in out


def test_reparse_command_reads_stored_files(cli_env, capsys):
    import datetime as dt

    from monitor import pipeline
    from monitor.settings import get_settings
    from monitor.storage.models import Report
    from pipeline_helpers import ScriptedPortal, Served, agency, page

    factory, _ = cli_env
    settings = get_settings()
    portal = ScriptedPortal(sites={"erqi": [Served("http://erqi.example/nb/t1.html", page("erqi_office_2022"), 2022,
                                                   pub="2023-01-20 09:30")]})
    pipeline.run_campaign(factory, settings, 2022, [agency("erqi", "郑州市二七区人民政府办公室")],
                          today=dt.date(2023, 4, 1), crawl=portal.crawl, dispatch=False, progress=False)
    with factory() as s:
        s.scalar(select(Report)).parser_version = "old"
        s.commit()
    assert main(["reparse", "--agency", "erqi", "--year", "2022", "--today", "2023-04-01"]) == 0
    out = capsys.readouterr().out
    assert "erqi 2022: found" in out and "重新解析 1 份报告" in out
    with factory() as s:
        assert s.scalar(select(Report)).parser_version != "old"


def test_unreachable_database_is_explained_not_a_traceback(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("NIANBAO_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:1/none?connect_timeout=2")
    monkeypatch.setenv("NIANBAO_DATA_DIR", str(tmp_path))
    for argv in (["findings"], ["status"], ["export", "--csv", str(tmp_path / "x.csv")], ["db", "upgrade"]):
        assert main(argv) == 2, argv
        err = capsys.readouterr().err
        assert "数据库不可用" in err and "127.0.0.1:1/none" in err and "Traceback" not in err
