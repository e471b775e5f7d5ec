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


# ---- variants of the sample as other publishers print it (session 15 review): each must give the
# plain sample's claims, sections and findings, and read no line twice

PREFACE = "按照《中华人民共和国预算法》和财政部门的要求，现将本部门 2021 年度部门决算公开如下，敬请社会各界监督。"
ANNEX = ["附件1：2021年度部门整体支出绩效自评报告", "第一部分 部门概况",
         "本部门 2021 年度收入总计 9999.99 万元，较 2020 年增加 100 万元，增长 50%，主要原因是附件所述。",
         "第二部分 2021年度部门整体支出绩效情况说明", "二、支出决算情况说明",
         "本部门 2021 年度支出总计 8888.88 万元，较 2020 年减少 100 万元，下降 10%，主要原因是附件所述。"]


def _parts(lines: list[str]) -> tuple[int, int, int, int]:
    """The body's 第一部分 (概况), 第二部分 (tables), 第三部分 (narrative), 第四部分 (名词解释)."""
    return tuple(_part(lines, f"第{n}部分") for n in "一二三四")


def _same(report, plain) -> None:
    assert [c.text for c in report.claims] == [c.text for c in plain.claims]
    assert [s.heading for s in report.narrative.sections] == [s.heading for s in plain.narrative.sections]
    assert len(report.performance.paragraphs) == len(plain.performance.paragraphs)
    read = [p.line for s in report.narrative.sections for p in s.paragraphs] + [p.line for p in report.performance.paragraphs]
    assert len(read) == len(set(read))  # no line read twice
    assert _found(report) == _found(plain)


def test_a_contents_ending_at_the_narrative_then_a_preface_is_no_narrative(plain, tmp_path):
    """A 目录 with dotted leaders and page numbers whose last entry is 第三部分 …情况说明, a preface
    after it: the entry is printed again in the body (the parts started over), so it is the 目录's,
    and neither its entries nor the preface are sections (they were, each section listed twice)."""
    lines = _lines()
    overview = _part(lines, "第一部分")
    contents = [f"{line}…………………… {n + 1}" if line.startswith(("第", "- ", "一", "二")) else line
                for n, line in enumerate(lines[:overview]) if not line.startswith("第四部分")]
    _same(_written(tmp_path, "\n".join([*contents, PREFACE, *lines[overview:]])), plain)


def test_a_part_heading_wrapped_onto_two_lines(plain, tmp_path):
    """"第二部分 2021年度单位决算" / "情况说明": the heading goes on over the short line (no claim was read)."""
    text = _sichuan().replace("第二部分 2021年度单位决算情况说明", "第二部分 2021年度单位决算\n情况说明")
    _same(_written(tmp_path, text), plain)


def test_the_narrative_in_part_two_and_the_tables_in_part_three(plain, tmp_path):
    """第二部分 …情况说明 before the tables, 第三部分 决算表 with no 情况说明 heading after them."""
    lines = _lines()
    overview, tables, narrative, glossary = _parts(lines)
    _same(_written(tmp_path, "\n".join([*lines[:4], "第一部分 部门概况", *lines[overview + 1:tables],
                                        "第二部分 2021年度部门决算情况说明", *lines[narrative + 1:glossary],
                                        "第三部分 2021年度部门决算表", *lines[tables + 1:narrative],
                                        "第四部分 名词解释", *lines[glossary + 1:]])), plain)


def test_a_part_of_its_own_on_performance_is_the_performance_section(plain, tmp_path):
    """第四部分 …预算绩效情况说明: the performance section whole — its 二、单位自评工作组织开展情况 …
    were read as narrative sections (their sentences checked against the tables)."""
    lines = _lines()
    at, glossary = _part(lines, "九、预算绩效情况说明"), _part(lines, "第四部分")
    _same(_written(tmp_path, "\n".join([*lines[:at], "第四部分 2021年度部门预算绩效情况说明", *lines[at + 1:glossary],
                                        "第五部分 名词解释", *lines[glossary + 1:]])), plain)


def test_a_numbered_narrative_with_a_nested_report_keeps_its_top_level(plain, tmp_path):
    """浙江's (一)…(九) under 三、…情况说明, the 绩效自评报告 under (九) printing its own 一、二、…: the
    first heading tells the top level — the report's 二、单位自评… were narrative sections, (一)…(八)
    none."""
    lines = _lines()
    overview, tables, narrative, glossary = _parts(lines)
    performance = _part(lines, "九、预算绩效情况说明")
    numbered = [re.sub(r"^([一二三四五六七八九十]+)、", r"（\1）", line) if at <= performance else line
                for at, line in enumerate(lines[narrative + 1:glossary], start=narrative + 1)]
    report = _written(tmp_path, "\n".join([*lines[:4], "一、部门概况", *lines[overview + 1:tables],
                                           "二、2021年度部门决算公开表", *lines[tables + 1:narrative],
                                           "三、2021年度部门决算情况说明", *numbered, "四、名词解释", *lines[glossary + 1:]]))
    assert [c.text for c in report.claims] == [c.text for c in plain.claims]
    assert len(report.narrative.sections) == len(plain.narrative.sections)
    assert len(report.performance.paragraphs) == len(plain.performance.paragraphs)
    assert _found(report) == _found(plain)


def test_an_attachments_own_parts_are_no_narrative(plain, tmp_path):
    """第五部分 附件 printing a report with its own 第一部分 / 第二部分 …情况说明: none of it is read
    (its sums were checked against the tables: two false errors)."""
    _same(_written(tmp_path, "\n".join([*_lines(), "第五部分 附件", *ANNEX])), plain)


def test_an_overview_saying_much_is_no_narrative(plain, tmp_path):
    """第一部分 …局基本情况说明 (an overview by another name) prints long sentences: not the narrative."""
    text = SAMPLE.read_text(encoding="utf-8").replace("第一部分 原南昌市大数据发展管理局 部门概况",
                                                      "第一部分 原南昌市大数据发展管理局基本情况说明")
    _same(_written(tmp_path, text), plain)


def test_a_running_head_goes_on_with_its_part(plain, tmp_path):
    """The 第三部分 heading printed again over each page of it: one part (the performance section,
    cut at each page, had its rest read as narrative sections)."""
    lines = _lines()
    narrative, glossary = _part(lines, "第三部分"), _part(lines, "第四部分")
    body = [line for at in range(narrative + 1, glossary)
            for line in ([lines[at], lines[narrative]] if (at - narrative) % 40 == 0 else [lines[at]])]
    _same(_written(tmp_path, "\n".join([*lines[:narrative + 1], *body, *lines[glossary:]])), plain)


def test_a_narrative_file_in_sichuans_layout(plain, tmp_path):
    """四川's narrative 文件 (目录 … 第二部分 情况说明, 第三部分 名词解释, 第四部分 附件) apart from its
    tables (第五部分 附表), in either order: its 第三部分 名词解释 is no narrative (its terms were sections)."""
    lines = _sichuan().split("\n")
    split = lines.index("第五部分 附表", len(CONTENTS))
    narrative, tables = tmp_path / "narrative.txt", tmp_path / "tables.txt"
    narrative.write_text("\n".join(lines[:split]), encoding="utf-8")
    tables.write_text("\n".join(lines[split:]), encoding="utf-8")
    for paths in ([narrative, tables], [tables, narrative]):
        _same(read_report(paths), plain)


def test_a_narrative_opening_on_a_sub_heading_keeps_its_numbered_sections(plain, tmp_path):
    """A （一）总体情况 before 一、收入决算情况说明: the 一、 sections are the top level still (else 九、预算
    绩效情况说明 would head no performance section, and the performance read as narrative)."""
    lines = _lines()
    narrative = _part(lines, "第三部分")
    report = _written(tmp_path, "\n".join([*lines[:narrative + 1], "（一）总体情况", *lines[narrative + 1:]]))
    assert [s.heading for s in report.narrative.sections] == ["", *(s.heading for s in plain.narrative.sections)]
    assert len(report.performance.paragraphs) == len(plain.performance.paragraphs)
    assert _found(report) == _found(plain)
