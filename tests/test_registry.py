"""The agency registry: YAML and CSV, strict about what it accepts, and the shipped starter list."""
from __future__ import annotations

import pytest

from crawler.registry import (
    Agency,
    RegistryError,
    adhoc_agency,
    find_agency,
    load_registry,
    parse_registry,
)
from monitor.settings import PROJECT_ROOT

YAML = """
agencies:
  - id: a1
    name: 测试市人民政府
    region: 测试省测试市
    level: city
    kind: government
    portal: https://www.example.gov.cn/
    columns: [https://www.example.gov.cn/zwgk/zfxxgknb/]
    hints: {js: true, cms: trs, max_pages: 5, deadline: 2025-02-20, json_api: "https://x/api?page={page}"}
    verified: false
"""


def test_yaml_fields():
    (a,) = parse_registry(YAML, "yaml")
    assert a.id == "a1" and a.level == "city" and a.kind == "government"
    assert a.columns == ["https://www.example.gov.cn/zwgk/zfxxgknb/"]
    assert a.hints.js is True and a.hints.cms == "trs" and a.hints.max_pages == 5
    assert a.hints.deadline == "2025-02-20"
    assert a.verified is False


def test_round_trip_through_dict():
    (a,) = parse_registry(YAML, "yaml")
    assert Agency.from_dict(a.to_dict()) == a


def test_csv(tmp_path):
    p = tmp_path / "r.csv"
    p.write_text(
        "id,name,level,kind,columns,hint_js,hint_list_selector,verified\n"
        "b1,某县人民政府办公室,county,department,http://a/nb/|http://a/nb2/,1,ul.list,yes\n",
        encoding="utf-8",
    )
    (a,) = load_registry(p)
    assert a.columns == ["http://a/nb/", "http://a/nb2/"]
    assert a.hints.js is True and a.hints.list_selector == "ul.list"
    assert a.verified is True


@pytest.mark.parametrize(
    "text, message",
    [
        ("- {id: x}", "missing 'name'"),
        ("- {id: x, name: n, level: planet}", "level must be one of"),
        ("- {id: x, name: n, kind: company}", "kind must be one of"),
        ("- {id: x, name: n, colums: []}", "unknown field"),
        ("- {id: x, name: n, hints: {jss: true}}", "unknown hint"),
        ("- {id: x, name: n}\n- {id: x, name: m}", "duplicate id"),
        ("agencies: [1, 2", "not valid YAML"),
    ],
)
def test_bad_registry_is_explained(text, message):
    with pytest.raises(RegistryError, match=message):
        parse_registry(text, "yaml")


def test_shipped_registry_loads_and_marks_unverified():
    agencies = load_registry(PROJECT_ROOT / "crawler" / "agencies.yaml")
    assert len(agencies) >= 8
    assert all(not a.verified for a in agencies)  # built without internet: nothing was checked
    assert all(a.columns and a.columns[0].startswith("http") for a in agencies)
    pingtan = find_agency(agencies, "fj-pingtan")
    assert pingtan.columns[0].endswith("/zwgk/zfxxgk/zfxxgknb/")


def test_adhoc_agency_from_url():
    a = adhoc_agency("http://www.x.gov.cn/zwgk/nb/", "某局", "township", js=True)
    assert a.name == "某局" and a.kind == "township" and a.hints.js and a.columns == ["http://www.x.gov.cn/zwgk/nb/"]
    with pytest.raises(KeyError):
        find_agency([a], "nope")
