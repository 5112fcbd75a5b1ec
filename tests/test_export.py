"""The compliance export: one row per agency, Chinese headers, the numbers staff act on."""
from __future__ import annotations

import csv
import datetime as dt

import pytest
from openpyxl import load_workbook

from monitor import export
from monitor.cli import main
from monitor.storage import db, repo


def _f(key, rule, severity, audience="compliance"):
    return {"key": key, "rule": rule, "severity": severity, "audience": audience, "message": f"{rule} 说明",
            "evidence": {}}


@pytest.fixture
def populated(db_urls):
    factory = db.session_factory(db_urls)
    with factory() as s:
        for aid, name, kind, region in (("a-ontime", "甲区人民政府办公室", "department", "某省甲市"),
                                        ("b-late", "乙县人民政府", "government", "某省乙市"),
                                        ("c-missing", "丙镇人民政府", "township", "某省丙市")):
            repo.upsert_agency(s, {"id": aid, "name": name, "kind": kind, "region": region})
        v1, _ = repo.store_version(s, "a-ontime", "http://a/r.html", "a" * 64, 100)
        repo.upsert_report(s, "a-ontime", 2022, v1, "http://a/r.html", published_on=dt.date(2023, 1, 20),
                           parse_status="ok", data={})
        v2, _ = repo.store_version(s, "b-late", "http://b/r.pdf", "b" * 64, 100, role="attachment")
        repo.upsert_report(s, "b-late", 2022, v2, "http://b/r.pdf", published_on=dt.date(2023, 4, 2),
                           parse_status="ok", data={})
        repo.sync_findings(s, "a-ontime", 2022, [_f("1", "blank_cells", "warning"),
                                                 _f("2", "parse_uncertain", "warning", "health")], origin="check")
        repo.sync_findings(s, "b-late", 2022, [_f("3", "late_publication", "error"), _f("4", "table_arithmetic", "error"),
                                               _f("5", "narrative_vs_table", "warning")], origin="check")
        repo.sync_findings(s, "c-missing", 2022, [_f("6", "missing_report", "error")], origin="check")
        s.commit()
    yield factory, db_urls
    factory.kw["bind"].dispose()


def test_rows_one_per_agency(populated):
    factory, _ = populated
    with factory() as s:
        rows = {r.agency: r for r in export.build_rows(s, 2022)}
    assert len(rows) == 3
    a, b, c = rows["甲区人民政府办公室"], rows["乙县人民政府"], rows["丙镇人民政府"]
    assert (a.published, a.published_on, a.deadline, a.late) == (True, dt.date(2023, 1, 20), dt.date(2023, 1, 31), False)
    assert (a.errors, a.warnings) == (0, 1)  # the health finding does not count against the agency
    assert (b.deadline, b.late, b.errors, b.warnings) == (dt.date(2023, 3, 31), True, 2, 1)
    assert b.problems.splitlines()[0].startswith("[late_publication]") and b.source_url == "http://b/r.pdf"
    assert (c.published, c.published_on, c.late, c.errors, c.source_url) == (False, None, True, 1, "")


def test_xlsx_and_csv_through_the_command(populated, tmp_path, monkeypatch):
    _, url = populated
    monkeypatch.setenv("NIANBAO_DATABASE_URL", url)
    monkeypatch.setenv("NIANBAO_DATA_DIR", str(tmp_path))
    xlsx, csvf = tmp_path / "out.xlsx", tmp_path / "out.csv"
    assert main(["export", "--xlsx", str(xlsx), "--year", "2022"]) == 0
    assert main(["export", "--csv", str(csvf), "--year", "2022"]) == 0
    ws = load_workbook(xlsx).active
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == export.HEADERS
    assert len(rows) == 4
    late = next(r for r in rows if r[1] == "乙县人民政府")
    assert late[4] == "是" and late[7] == "是" and late[8] == 2 and late[9] == 1
    with open(csvf, encoding="utf-8-sig") as f:
        data = list(csv.reader(f))
    assert data[0] == export.HEADERS and len(data) == 4
    missing = next(r for r in data if r[1] == "丙镇人民政府")
    assert missing[4] == "否" and missing[6] == "2023-01-31" and "missing_report" in missing[10]
