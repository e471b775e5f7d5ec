"""Where the narrative is printed: the national layout's 第三部分 after the tables, but also (found
probing public 2021–2024 决算 pages, session 15) 四川's and 湖北's 第二部分 …情况说明 before the
tables, which come last in 第五部分 附表, under a 目录 listing both; 云南's 第四部分 其他重要事项及
相关口径情况说明 (机关运行经费, 国有资产, 政府采购, 绩效) after its 第三部分.  Every such part is read
as the narrative (it was not: no claim was checked), a 目录's part (headings only) never."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from auditlib.ingest import read_report
from auditlib.rules import check
from auditlib.workbench.params import SAMPLE

TITLES = ("一、收入支出决算总表", "二、收入决算表", "三、支出决算表", "四、财政拨款收入支出决算总表",
          "五、一般公共预算财政拨款支出决算表", "六、一般公共预算财政拨款基本支出决算表",
          "七、一般公共预算财政拨款“三公”经费支出决算表", "八、政府性基金预算财政拨款收入支出决算表",
          "九、国有资本经营预算财政拨款支出决算表", "十、国有资产占用情况表")
# 四川's 目录 (渠县农业综合技术服务中心 2024, 泸州市中医医院 2023): bare lines, no page numbers
CONTENTS = ("目录", "第一部分单位概况", "一、主要职责", "二、机构设置", "第二部分2021年度单位决算情况说明",
            "一、收入决算情况说明", "二、支出决算情况说明", "第三部分名词解释", "第四部分附件", "第五部分附表", *TITLES)


@pytest.fixture(scope="module")
def plain():
    return read_report(SAMPLE)


def _lines() -> list[str]:
    return SAMPLE.read_text(encoding="utf-8").split("\n")


def _part(lines: list[str], start: str) -> int:
    """The index of the body's (not the 目录's: the last) part heading starting so."""
    return max(i for i, line in enumerate(lines) if line.startswith(start))


def _sichuan() -> str:
    """The sample laid out as 四川 prints a 单位决算: 目录, 第一部分 单位概况, 第二部分 情况说明,
    第三部分 名词解释, 第四部分 附件, and the tables last in 第五部分 附表."""
    lines = _lines()
    tables, narrative, glossary = _part(lines, "第二部分"), _part(lines, "第三部分"), _part(lines, "第四部分")
    overview = lines[_part(lines, "第一部分") + 1:tables]
    return "\n".join([*lines[:4], *CONTENTS, "第一部分 单位概况", *overview,
                      "第二部分 2021年度单位决算情况说明", *lines[narrative + 1:glossary],
                      "第三部分 名词解释", *lines[glossary + 1:], "第四部分 附件", "第五部分 附表", *lines[tables + 1:narrative]])


def _written(tmp_path, text: str):
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    return read_report(path)


def _found(report) -> Counter:
    return Counter((f.id, f.severity, f.message) for f in check(report).findings)


def test_a_narrative_before_the_tables_is_read(plain, tmp_path):
    report = _written(tmp_path, _sichuan())
    assert [c.text for c in report.claims] == [c.text for c in plain.claims] and len(report.claims) > 100
    assert [s.heading for s in report.narrative.sections] == [s.heading for s in plain.narrative.sections]
    assert len(report.performance.paragraphs) == len(plain.performance.paragraphs)
    assert {c: t.status for c, t in report.tables.items()} == {c: t.status for c, t in plain.tables.items()}
    # the same findings: every claim checked as before; 第一部分 单位概况 names no other department
    assert _found(report) == _found(plain)


def test_a_contents_part_is_no_narrative(tmp_path):
    """The 目录's 第二部分 …情况说明 lists headings: with the body's part left out, nothing is read."""
    text = _sichuan()
    body = text.index("第二部分 2021年度单位决算情况说明")
    report = _written(tmp_path, text[:body] + text[text.index("第三部分 名词解释"):])
    assert report.narrative.sections == [] and report.claims == []
    skipped = [f for f in check(report).findings if f.id == "COMPL.sections"]
    assert skipped == []  # listed as not checked (未读到情况说明), never as sections missing


def test_yunnan_other_matters_part_is_narrative(plain, tmp_path):
    """云南 prints 机关运行经费, 政府采购, 国有资产 and 绩效 in 第四部分 其他重要事项及相关口径情况说明,
    名词解释 in 第五部分: they are read as in the national 第三部分."""
    lines = _lines()
    at = _part(lines, "六、机关运行经费支出情况说明")
    glossary = _part(lines, "第四部分")
    text = "\n".join([*lines[:at], "第四部分 其他重要事项及相关口径情况说明", *lines[at:glossary],
                      "第五部分 名词解释", *lines[glossary + 1:]])
    report = _written(tmp_path, text)
    assert [c.text for c in report.claims] == [c.text for c in plain.claims]
    assert len(report.performance.paragraphs) == len(plain.performance.paragraphs) > 0
    assert _found(report) == _found(plain)


def test_a_report_without_parts_reads_its_numbered_narrative(plain, tmp_path):
    """浙江 (常山县机关事务保障中心 2024) prints no 第N部分: 一、概况 / 二、2024年度部门决算公开表 /
    三、2024年度部门决算情况说明 with (一)(二)… under it.  The last table ends at that heading (公开10表
    ran to the end and took the narrative in), its (一)(二)… are the sections, 四、名词解释 the glossary."""
    lines = _lines()
    overview, tables, narrative, glossary = (_part(lines, p) for p in ("第一部分", "第二部分", "第三部分", "第四部分"))
    numbered = [re.sub(r"^([一二三四五六七八九十]+)、", r"（\1）", line) for line in lines[narrative + 1:glossary]]
    report = _written(tmp_path, "\n".join([*lines[:4], "一、部门概况", *lines[overview + 1:tables],
                                           "二、2021年度部门决算公开表", *lines[tables + 1:narrative],
                                           "三、2021年度部门决算情况说明", *numbered, "四、名词解释", *lines[glossary + 1:]]))
    assert [c.text for c in report.claims] == [c.text for c in plain.claims]
    assert len(report.performance.paragraphs) == len(plain.performance.paragraphs)
    assert _amounts(report) == _amounts(plain)
    assert _found(report) == _found(plain)


def _amounts(report) -> dict:
    return {c: t.data.drop(columns=["line", "page"], errors="ignore").select_dtypes("number").round(2).fillna(-1)
            .values.tolist() for c, t in report.tables.items()}
