"""Shared by tests/test_readers.py and tests/test_bad_input.py: the reader fixtures and what they hold."""
from __future__ import annotations

import re
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "readers"

# The grid of table 3 every structured reader (HTML, DOCX, DOC) must rebuild from the fixtures
# made by fixtures/readers/make_reader_fixtures.py: merged cells once, covered positions empty.
TABLE3_GRID = [
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t\t\t申请人情况\t\t\t\t\t\t",
    "\t\t\t自然人\t法人或其他组织\t\t\t\t\t总计",
    "\t\t\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t",
    "一、本年新收政府信息公开申请数量\t\t\t27\t3\t0\t1\t2\t0\t33",
    "二、上年结转政府信息公开申请数量\t\t\t4\t0\t0\t0\t0\t0\t4",
    "三、本年度办理结果\t（一）予以公开\t\t18\t2\t0\t1\t1\t0\t22",
    "\t（二）部分公开（区分处理的，只计这一情形，不计其他情形）\t\t5\t1\t0\t0\t0\t0\t6",
    "\t（三）不予公开\t1.属于国家秘密\t1\t0\t0\t0\t0\t0\t1",
    "\t\t2.其他法律行政法规禁止公开\t3\t0\t0\t0\t1\t0\t4",
    "四、结转下年度继续办理\t\t\t4\t0\t0\t0\t0\t0\t4",
]
TABLE2_GRID = ["信息内容\t本年制发件数\t本年废止件数\t现行有效件数", "规章\t2\t1\t15", "行政规范性文件\t12\t4\t86"]
# the numbers of each table-3 data row, as a reader of a flat layout (PDF, OCR) must keep them
TABLE3_VALUES = [
    [27, 3, 0, 1, 2, 0, 33],
    [4, 0, 0, 0, 0, 0, 4],
    [18, 2, 0, 1, 1, 0, 22],
    [5, 1, 0, 0, 0, 0, 6],
    [1, 0, 0, 0, 0, 0, 1],
    [3, 0, 0, 0, 1, 0, 4],
    [4, 0, 0, 0, 0, 0, 4],
]


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def rows_with_values(text: str, values: list[int]) -> list[str]:
    """Lines of text whose last len(values) numbers are exactly these values."""
    hits = []
    for line in text.splitlines():
        nums = [int(x) for x in re.findall(r"\d+", line)]
        if nums[-len(values):] == values:
            hits.append(line)
    return hits
