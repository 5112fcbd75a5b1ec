"""Deadlines and publication-date evidence: deadline_for, best_publication_date, D-DEPT, D-GOV,
backdated, check_missing."""
from __future__ import annotations

import datetime as dt

import pytest

from monitor.rules import best_publication_date, check, check_missing, deadline_for
from rules_helpers import by_check, load

D = dt.date


@pytest.mark.parametrize("kind,year,policy,level,override,expected", [
    ("department", 2023, "statute", None, None, D(2024, 1, 31)),
    ("township", 2023, "statute", None, None, D(2024, 1, 31)),
    ("government", 2023, "statute", "county", None, D(2024, 3, 31)),
    ("government", 2023, "milestones", "county", None, D(2024, 2, 20)),
    ("government", 2023, "milestones", "city", None, D(2024, 3, 10)),
    ("government", 2023, "milestones", "province", None, D(2024, 3, 31)),
    ("government", 2023, "milestones", None, None, D(2024, 3, 31)),
    ("department", 2023, "statute", None, "2024-01-28", D(2024, 1, 28)),
    (None, 2023, "statute", None, None, D(2024, 3, 31)),
])
def test_deadline_for(kind, year, policy, level, override, expected):
    assert deadline_for(kind, year, policy=policy, level=level, override=override) == expected


@pytest.mark.parametrize("evidence,year,expected,source", [
    ({"meta": "2024-02-20 15:07", "url": "https://x.gov.cn/zwgk/202401/t20240118_1.htm", "listing": "2024-01-18"}, 2023, D(2024, 2, 20), "meta"),
    ({"url": "https://x.gov.cn/art/2024/1/31/art_12_345.html", "listing": "2024-02-03"}, 2023, D(2024, 1, 31), "url"),
    ({"url": "https://x.gov.cn/20240118/abc.html"}, 2023, D(2024, 1, 18), "url"),
    ({"page": "2023-03-01", "listing": "2024-01-10"}, 2023, D(2024, 1, 10), "listing"),  # a 成文日期 of the year is passed over
    ({"pdf_creation_date": "2024-02-26"}, 2023, D(2024, 2, 26), "pdf"),
    ({"listing": "2024-01"}, 2023, None, None),  # a month is not a date
    ({}, 2023, None, None),
])
def test_best_publication_date(evidence, year, expected, source):
    date, src, used = best_publication_date(evidence, year)
    assert (date, src) == (expected, source)
    if date:
        assert used[src] == date.isoformat()


def test_late_department():
    r = load("000_8c6d284e19164a25")  # department, 2022
    f = by_check(check(r, evidence={"meta": "2023-02-01"}), "D-DEPT")
    assert f and f[0].rule == "late_publication" and f[0].severity == "error"
    assert f[0].expected == "2023-01-31" and f[0].actual == "2023-02-01" and "逾期 1 天" in f[0].message
    assert f[0].evidence["date_source"] == "meta"
    assert not by_check(check(r, evidence={"meta": "2023-01-31"}), "D-DEPT")
    assert not by_check(check(r), "D-DEPT")  # no evidence, no judgement


def test_late_government_statute_and_milestones():
    r = load("hongze_district_2024")  # government, 2024
    ev = {"url": "https://www.hongze.gov.cn/art/2025/3/1/art_1_2.html"}
    assert not by_check(check(r, evidence=ev), "D-GOV")
    f = by_check(check(r, evidence={**ev, "level": "county"}, policy="milestones"), "D-GOV")
    assert f and f[0].expected == "2025-02-20"
    f = by_check(check(r, evidence={"meta": "2025-04-01"}), "D-GOV")
    assert f and "3月31日" in f[0].message


def test_backdated_and_late_from_the_crawls():
    r = load("000_8c6d284e19164a25")  # deadline 2023-01-31
    ev = {"meta": "2023-01-20", "unlisted_crawls": ["2023-01-22", "2023-01-29"], "first_seen": "2023-02-03"}
    findings = check(r, evidence=ev)
    b = [f for f in findings if f.rule == "backdated"]
    assert b and b[0].severity == "warning" and b[0].evidence["unlisted_crawl"] == "2023-01-29"
    assert not by_check(findings, "D-DEPT")  # appeared between 01-29 and 02-03: not provably late
    ev["unlisted_crawls"].append("2023-02-01")
    late = by_check(check(r, evidence=ev), "D-DEPT")
    assert late and late[0].actual == "2023-02-02" and late[0].evidence["date_source"] == "unlisted_crawls"
    assert "不早于 2023-02-02" in late[0].message
    assert not [f for f in check(r, evidence={"meta": "2023-01-20", "unlisted_crawls": ["2023-01-19"]}) if f.rule == "backdated"]


def test_check_missing():
    f = check_missing("某某县交通运输局", "department", 2023, D(2024, 2, 1), "statute")
    assert f is not None and f.rule == "missing_report" and f.severity == "error" and f.check_id == "D-DEPT"
    assert "某某县交通运输局" in f.message and f.expected == "2024-01-31"
    assert check_missing("某某县交通运输局", "department", 2023, D(2024, 1, 31), "statute") is None
    assert check_missing("某某县人民政府", "government", 2023, D(2024, 3, 1), "statute") is None
    g = check_missing("某某县人民政府", "government", 2023, D(2024, 3, 1), "milestones", level="county")
    assert g is not None and g.check_id == "D-GOV"
    assert check_missing("某某县交通运输局", "department", 2023, D(2024, 2, 1), "statute", deadline_override="2024-02-10") is None
    assert f.to_dict()["fingerprint"] == check_missing("某某县交通运输局", "department", 2023, D(2024, 2, 1), "statute").fingerprint


def test_missing_report_fingerprint_is_per_agency():
    a = check_missing("甲县交通运输局", "department", 2023, D(2024, 2, 1), "statute")
    b = check_missing("乙县交通运输局", "department", 2023, D(2024, 2, 1), "statute")
    assert a.fingerprint != b.fingerprint


def test_first_sight_alone_proves_nothing_late():
    r = load("000_8c6d284e19164a25")  # department, 2022: deadline 2023-01-31
    assert not by_check(check(r, evidence={"first_seen": "2023-03-01"}), "D-DEPT")
    f = by_check(check(r, evidence={"first_seen": "2023-03-01", "unlisted_crawls": ["2023-01-10", "2023-02-14"]}), "D-DEPT")
    assert f and f[0].actual == "2023-02-15" and f[0].evidence["lower_bound"] is True


def test_signature_after_deadline_is_late():
    r = load("000_8c6d284e19164a25")
    f = by_check(check(r, evidence={"signature": "2023-02-10", "first_seen": "2023-02-12"}), "D-DEPT")
    assert f and f[0].evidence["date_source"] == "signature"
