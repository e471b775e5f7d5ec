"""A budget table's 公开NN表 number (issue 30 review): Jiangsu 2019 prints each number on its own
line above its title (js-gaoyuan-2019-yusuan p8: “公开 01 表” over 收支预算总表), so the number
under a title is the next table's; numbers are checked against the layout's own order (江苏格式:
twelve tables, budget-tables.yaml `profiles`), not against a 决算's T-codes."""

from __future__ import annotations

import dataclasses
from functools import cache

from auditlib.ingest import read_report
from auditlib.ingest.source import read_source
from auditlib.ingest.tables import build_tables
from auditlib.kinds import BUDGET, kind_named
from tests.conftest import CORPUS

JIANGSU = ["B01", "B02", "B03", "B04", "B12", "B13", "B05", "B06", "B07", "B08", "B14", "B10"]


def _path(document: str):
    return CORPUS / "budgets" / document / "doc.pdf"


@cache
def _lines(document: str):
    return read_source(_path(document)).lines


def _numbered(tables) -> dict[str, str | None]:
    return {code: tables[code].label for code in JIANGSU}


def _notes(tables) -> list[str]:
    return [n.note for t in tables.values() for n in t.reading_notes if "表号" in n.note]


def test_each_jiangsu_2019_table_has_the_number_printed_above_its_title_and_no_false_note():
    report = read_report(_path("js-gaoyuan-2019-yusuan"))
    assert _numbered(report.tables) == {code: f"公开{n:02d}表" for n, code in enumerate(JIANGSU, 1)}
    assert _notes(report.tables) == []


def test_a_number_printed_with_a_gap_in_it_is_read():  # js-jianchayuan-2018-yusuan p20: “公开 1 1 表:”
    assert read_report(_path("js-jianchayuan-2018-yusuan")).tables["B14"].label == "公开11表"


def test_a_number_not_the_layouts_is_a_reading_note():
    lines = list(_lines("js-gaoyuan-2019-yusuan"))
    at = next(i for i, line in enumerate(lines) if line.text.replace(" ", "") == "公开03表")
    lines[at] = dataclasses.replace(lines[at], cells=("公开 05 表",))
    tables, _ = build_tables(lines, kind=kind_named(BUDGET))
    assert tables["B03"].label == "公开05表"
    assert _notes(tables) == ["标题为“支出预算总表”（本格式第 3 表），表号却印作公开05表；按标题读取"]
