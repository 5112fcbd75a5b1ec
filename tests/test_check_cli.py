"""`nianbao check`: the real parser and the rules end to end, as the scorer runs them."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from rules_helpers import FIXTURES

ROOT = Path(__file__).resolve().parent.parent


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "monitor.cli", "check", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


def test_json_seed_002():
    p = _run("--json", str(FIXTURES / "002_bcfa5578fb71ac8f.txt"))
    assert p.returncode == 0, p.stderr
    lines = p.stdout.strip().splitlines()
    assert len(lines) == 1
    d = json.loads(lines[0])
    assert d["status"] == "ok" and d["table3"]["new"][6] == 17
    nvt = [f for f in d["findings"] if f["rule"] == "narrative_vs_table"]
    assert nvt and nvt[0]["actual"] == 16 and "16件" in nvt[0]["quote"]["text"]
    assert not [f for f in d["findings"] if f["severity"] == "error"]


def test_real_pair_with_previous_and_publication_date():
    p = _run("--json", "--previous", str(FIXTURES / "hongze_district_2023.pdf"), "--published", "2025-04-10",
             str(FIXTURES / "hongze_district_2024.pdf"))
    assert p.returncode == 0, p.stderr
    d = json.loads(p.stdout)
    rules = [f["rule"] for f in d["findings"]]
    assert "cross_year_carryover" not in rules
    assert "narrative_vs_table" in rules
    late = [f for f in d["findings"] if f["rule"] == "late_publication"]
    assert late and late[0]["expected"] == "2025-03-31" and late[0]["actual"] == "2025-04-10"


def test_two_files_one_line_each_and_readable_listing():
    files = [str(FIXTURES / "002_bcfa5578fb71ac8f.txt"), str(FIXTURES / "hongze_district_2023.pdf")]
    p = _run("--json", *files)
    assert p.returncode == 0 and len(p.stdout.strip().splitlines()) == 2
    p = _run(*files)
    assert p.returncode == 0
    assert "table_arithmetic" in p.stdout and "单元格 表四 行政复议 总计 = 0" in p.stdout
    assert "原文" in p.stdout


def test_unreadable_file_is_explained_not_a_traceback(tmp_path):
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4 this is not really a pdf")
    p = _run("--json", str(bad), str(tmp_path / "missing.docx"))
    assert p.returncode == 1
    assert "Traceback" not in p.stderr
    for line in p.stdout.strip().splitlines():
        d = json.loads(line)
        assert d["status"] != "ok" and d["error"]
        assert [f["audience"] for f in d["findings"]] == ["health"]


def test_bad_date_argument():
    p = _run("--today", "yesterday", str(FIXTURES / "002_bcfa5578fb71ac8f.txt"))
    assert p.returncode == 2 and "not a date" in p.stderr


def test_altered_previous_carry_forward_fails_x_carry_end_to_end():
    # 洪泽区 2023 as pipe text, its 四、结转下年度继续办理 row changed from 0 to 2 (自然人, 总计)
    p = _run("--json", "--previous", str(FIXTURES / "hongze_district_2023.carry-altered.pipe.txt"),
             str(FIXTURES / "hongze_district_2024.pdf"))
    assert p.returncode == 0, p.stderr
    carry = [f for f in json.loads(p.stdout)["findings"] if f["rule"] == "cross_year_carryover"]
    assert sorted(tuple(c["cell"] for c in f["cells"]) for f in carry) == [
        ("table3.carried_over[0]", "previous.table3.carried_forward[0]"),
        ("table3.carried_over[6]", "previous.table3.carried_forward[6]"),
    ]
    assert all(f["severity"] == "error" and [c["value"] for c in f["cells"]] == [0, 2] for f in carry)
