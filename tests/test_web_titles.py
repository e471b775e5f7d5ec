"""决算 tables titled as reports published as web pages title them: the table's name after an
enumerator, a year or the department and year (一、收入支出决算总表, 表七：…, 2021年度…,
南漳县XX局2021年度…), often with no 公开NN表 label under it.  Such a title heads its table as the
bare name does (found probing public 决算 pages, session 12); a contents list printed the same way
heads nothing.  Their tables copied as text may have bars between the cells (| 合计 | 1.00 |)
instead of tabs: read as the tabbed form."""

from __future__ import annotations

import re

import pytest

from auditlib.ingest import read_report
from auditlib.rules import check
from auditlib.workbench.params import SAMPLE
from tests.conftest import FIXTURES

NUMERALS = "一二三四五六七八九十"
# the sample's table titles, each a line of its own
TITLES = ("收入支出决算总表", "收入决算表", "支出决算表", "财政拨款收入支出决算总表", "一般公共预算财政拨款支出决算表",
          "一般公共预算财政拨款基本支出决算表", "一般公共预算财政拨款“三公”经费支出决算表",
          "政府性基金预算财政拨款收入支出决算表", "国有资本经营预算财政拨款支出决算表")
HEADS = {
    "enumerator": lambda n: f"{NUMERALS[n]}、",
    "bracketed enumerator": lambda n: f"（{NUMERALS[n]}）",
    "table number": lambda n: f"表{NUMERALS[n]}：",
    "year": lambda n: "2021年度",
    "department and year": lambda n: "南昌市大数据发展管理局2021年度",
}


def _retitled(head, contents: bool = False) -> str:
    """The sample with every table title printed after `head` and no 公开NN表 label; with
    `contents`, its 目录 lines (“- 一、收入支出决算总表”) as bare enumerated titles too."""
    lines = SAMPLE.read_text(encoding="utf-8").split("\n")
    n = 0
    for i, line in enumerate(lines):
        if line.strip() == TITLES[min(n, len(TITLES) - 1)] and n < len(TITLES):
            lines[i] = head(n) + line.strip()
            n += 1
    assert n == len(TITLES)
    text = re.sub(r"公开\d\d表", "", "\n".join(lines))
    return re.sub(r"(?m)^- (?=[一二三四五六七八九十]、)", "", text) if contents else text


@pytest.fixture(scope="module")
def plain():
    return read_report(SAMPLE)


def _amounts(report) -> dict[str, list]:
    """Every table's figures, row by row (a blank cell as None)."""
    return {code: t.data.select_dtypes("number").round(2).astype(object).where(t.data.notna(), None).values.tolist()
            for code, t in report.tables.items()}


@pytest.mark.parametrize("head", HEADS.values(), ids=HEADS.keys())
def test_prefixed_titles_head_their_tables(head, plain, tmp_path):
    path = tmp_path / "report.txt"
    path.write_text(_retitled(head), encoding="utf-8")
    report = read_report(path)
    assert {c: t.status for c, t in report.tables.items()} == {c: t.status for c, t in plain.tables.items()}
    assert _amounts(report) == _amounts(plain)
    # every message names the table by its name, not by what its line printed before it
    assert {c: t.title for c, t in report.tables.items() if c != "T10"} == \
        {c: t.title for c, t in plain.tables.items() if c != "T10"}


def test_contents_printed_as_titles_head_nothing(plain, tmp_path):
    path = tmp_path / "report.txt"
    path.write_text(_retitled(HEADS["enumerator"], contents=True), encoding="utf-8")
    report = read_report(path)
    assert {c: (t.status, t.line) for c, t in report.tables.items()} == \
        {c: (t.status, t.line) for c, t in plain.tables.items()}
    assert _amounts(report) == _amounts(plain)


@pytest.mark.parametrize("line", ["五、一般公共预算财政拨款支出决算情况说明", "详见收入支出决算总表",
                                  "本单位2021年度收入支出决算总表中，本年收入合计1.00万元。"])
def test_a_sentence_naming_a_table_is_no_title(line, tmp_path):
    from auditlib.ingest.lines import SourceLine
    from auditlib.ingest.regions import title_of

    assert title_of(SourceLine((line,), 1, None)) is None


def test_an_empty_tables_title_and_the_next_are_no_contents(tmp_path):
    """Two titles a note apart (八、…决算表 / 本表为空表 / 九、…决算表) head their tables as the bare
    titles do: only three or more in a row are a 目录."""
    text = SAMPLE.read_text(encoding="utf-8")
    start = text.index("政府性基金预算财政拨款收入支出决算表\n\n公开08表")
    end = text.index("国有资本经营预算财政拨款支出决算表\n\n编制单位")
    note = "本单位无政府性基金预算财政拨款收入、支出，故本表为空表。"
    statuses = []
    for eight, nine in (("", ""), ("八、", "九、")):
        path = tmp_path / f"report{len(eight)}.txt"
        path.write_text(text[:start] + f"{eight}{TITLES[7]}\n{note}\n{nine}" + text[end:], encoding="utf-8")
        statuses.append({c: (t.status, t.line) for c, t in read_report(path).tables.items()})
    assert statuses[1] == statuses[0]
    assert statuses[1]["T09"] == ("empty", statuses[1]["T08"][1] + 2)


def _barred(text: str) -> str:
    """Every tabbed line of `text` as a web page's table copied as text prints it: | a | b |."""
    return "\n".join("| " + " | ".join(line.split("\t")) + " |" if "\t" in line else line for line in text.split("\n"))


def test_a_table_with_bars_between_its_cells_reads_as_the_tabbed_one(plain, tmp_path):
    path = tmp_path / "report.txt"
    path.write_text(_barred(SAMPLE.read_text(encoding="utf-8")), encoding="utf-8")
    report = read_report(path)
    assert {c: t.status for c, t in report.tables.items()} == {c: t.status for c, t in plain.tables.items()}
    assert _amounts(report) == _amounts(plain)


@pytest.mark.parametrize("raw,cells", [
    ("| 合 计 | 1.00 |  | 2.00 |", ("合 计", "1.00", "", "2.00")),
    ("项 目 | 预算数 | 决算数 |", ("项 目", "预算数", "决算数")),
    ("|", ()), ("| --- | :---: |", ()), ("", ()),
    ("说明\t见表 a|b", ("说明", "见表 a|b")),  # a bar inside a tabbed line's cell is text
    ("说明\t见表 a|", ("说明", "见表 a|")),
    ("首页 | 信息公开 | 财政预决算", ("首页 | 信息公开 | 财政预决算",)),  # a page's links: no row
])
def test_cells_of_a_barred_line(raw, cells):
    from auditlib.ingest.text import split_cells

    assert split_cells(raw) == cells


def test_three_empty_tables_a_note_apart_are_no_contents(tmp_path):
    """Three enumerated titles each over a one-line note (八、…表 / 注：…本表为空表。 / 九、… / 十、…):
    tables printed one after another, read as their bare titles are, not a 目录 — a note is no
    line of a 目录 (they were dropped, and their tables reported 未在文件中找到)."""
    text = SAMPLE.read_text(encoding="utf-8")
    start = text.index("政府性基金预算财政拨款收入支出决算表\n\n公开08表")
    end = text.index("\n第三部分", start)
    titles = (*TITLES[7:], "国有资产占用情况表")
    seen = []
    for head in ("", "八、"):
        tables = "".join(f"{head and NUMERALS[7 + n] + '、'}{title}\n注：本单位无此项收支，故本表为空表。\n"
                         for n, title in enumerate(titles))
        path = tmp_path / f"report{len(head)}.txt"
        path.write_text(text[:start] + tables + text[end:], encoding="utf-8")
        report = read_report(path)
        seen.append([(report.tables[c].title, report.tables[c].line, report.tables[c].problems)
                     for c in ("T08", "T09", "T10")])
    assert seen[1] == seen[0]
    assert [title for title, _, _ in seen[1]] == list(titles)


def test_a_title_after_its_table_number_is_named_without_the_space(tmp_path):
    from auditlib.ingest.lines import SourceLine
    from auditlib.ingest.regions import title_of

    assert title_of(SourceLine(("表八 政府性基金预算财政拨款收入支出决算表",), 1, None)) == ("T08", TITLES[7])


def test_a_line_of_links_leaves_a_converter_text_as_it_was(tmp_path):
    """A web page's links copied over a converter's text (首页 | 信息公开 | 财政预决算) are no table
    row: the text stays one printed with spaces (one row made it a tabbed text, its 公开10表 of
    zeros then no table — 未公开)."""
    text = (FIXTURES / "converted" / "synth-000011.chromium.layout.txt").read_text(encoding="utf-8")
    path = tmp_path / "report.txt"
    path.write_text("首页 | 信息公开 | 财政预决算\n" + text, encoding="utf-8")
    report = read_report(path)
    assert {c: t.status for c, t in report.tables.items()} == \
        {c: t.status for c, t in read_report(FIXTURES / "converted" / "synth-000011.chromium.layout.txt").tables.items()}
    assert report.tables["T10"].status == "parsed"


@pytest.mark.parametrize("parts", ["all", "none", "contents"])
def test_a_sentence_wrapped_after_a_tables_name_is_no_title(plain, tmp_path, parts):
    """A line of 第三部分 that ends in a department's table name (a sentence wrapped there) heads no
    table: the narrative after it stays prose (it was read as a 公开01表 printed again, and every
    figure of the narrative went unchecked); without part headings, or with the 目录's alone (its
    last 第四部分 then stands over the tables), enumerated titles still head."""
    text = _retitled(HEADS["enumerator"])
    at = text.index("本年收入的具体构成为")
    text = text[:at] + "本部门公开的南昌市大数据发展管理局2021年度收入支出决算总表\n中，本年收入合计与收入决算表一致。\n" + text[at:]
    if parts == "none":
        text = re.sub(r"(?m)^第[一二三四五六]部分.*$", "", text)
    if parts == "contents":
        body = text.index("第一部分", text.index("第四部分"))
        text = text[:body] + re.sub(r"(?m)^第[一二]部分.*$", "", text[body:])
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    report = read_report(path)
    assert {c: t.status for c, t in report.tables.items()} == {c: t.status for c, t in plain.tables.items()}
    if parts == "all":
        assert len(report.prose.sentences) >= len(plain.prose.sentences)


# the sample's titles as other provinces' 2020–2024 决算 print them (found probing public pages,
# session 14: 云南 收入支出决算表 / 财政拨款收入支出决算表, 陕西 收入决算总表 / 支出决算总表, 甘肃 and
# 四川 一般公共预算财政拨款基本支出决算明细表)
WORDINGS = {"收入支出决算总表": "收入支出决算表", "收入决算表": "收入决算总表", "支出决算表": "支出决算总表",
            "财政拨款收入支出决算总表": "财政拨款收入支出决算表",
            "一般公共预算财政拨款基本支出决算表": "一般公共预算财政拨款基本支出决算明细表"}


def _reworded(tmp_path, wordings: dict[str, str]):
    """The sample with its tables' titles (their own lines, not the 目录's) reworded, no 公开NN表 label."""
    lines = [wordings.get(line.strip(), line) for line in SAMPLE.read_text(encoding="utf-8").split("\n")]
    path = tmp_path / "report.txt"
    path.write_text(re.sub(r"公开\d\d表", "", "\n".join(lines)), encoding="utf-8")
    return read_report(path)


def test_other_provinces_titles_head_their_tables(plain, tmp_path):
    report = _reworded(tmp_path, WORDINGS)
    assert {c: t.status for c, t in report.tables.items()} == {c: t.status for c, t in plain.tables.items()}
    assert _amounts(report) == _amounts(plain)
    assert report.tables["T06"].title == "一般公共预算财政拨款基本支出决算明细表"
    # the same findings (a message names a table by its printed title when no 公开NN表 label is printed)
    assert {(f.id, f.severity, tuple(f.tables)) for f in check(report).findings} == \
        {(f.id, f.severity, tuple(f.tables)) for f in check(plain).findings}


def test_a_missing_table_is_not_hidden_by_a_longer_title_ending_in_its_name(tmp_path):
    # 支出决算表's title left out: "一般公共预算财政拨款支出决算表" ends in it, but names another table
    report = _reworded(tmp_path, {"支出决算表": "（此处未印表名）"})
    assert report.tables["T03"].status == "missing"
    missing = [f for f in check(report).findings if f.id == "COMPL.tables" and f.severity == "error"]
    assert [f.message for f in missing] == ["公开03表 支出决算表 未公开（全国通用（财政部部门决算公开格式）要求公开此表）"]


@pytest.mark.parametrize("wording", ["南昌市大数据发展管理局政府性基金收入支出决算表",
                                     "南昌市大数据发展管理局国有资本经营财政拨款收入支出决算表"], ids=("fund", "soe"))
def test_a_funds_table_titled_without_its_full_name_heads_no_other_table(plain, tmp_path, wording):
    # 政府性基金预算财政拨款收入支出决算表 worded shorter after its department: it ends in
    # 收入支出决算表 (and 财政拨款…, 支出决算表), but what stands before that names a fund, no
    # department — no title of 公开01/03/04表 (it was read as one, 公开08表 then 未公开); the
    # table is found by its 公开08表 label
    lines = [wording if line.strip() == TITLES[7] else line for line in SAMPLE.read_text(encoding="utf-8").split("\n")]
    path = tmp_path / "report.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    report = read_report(path)
    assert {c: t.status for c, t in report.tables.items()} == {c: t.status for c, t in plain.tables.items()}
    assert _amounts(report) == _amounts(plain)
    assert not [f for f in check(report).findings if f.id == "COMPL.tables" and f.severity == "error"]
