"""Other provinces' table sets (found probing public 2022–2024 决算 pages, session 15).

浙江 prints 收入决算表 and 支出决算表 twice: （分单位）, rows of units with no 科目, then （分科目）, the
table of the ten.  云南 prints eleven tables: its 一般公共预算财政拨款收入支出决算表 where 公开05表
stands, an 一般公共预算财政拨款项目支出决算表 after 公开06表, its “三公”经费、行政参公单位机关运行经费
情况表 where 公开07表 stands.  A table outside the ten heads its own lines — they are read into no
table of the ten — and is listed (never checked); the 云南 layout is told by those tables and requires
them instead of 公开05/07表."""

from __future__ import annotations

import re

import pytest

from auditlib.ingest import read_report
from auditlib.ingest.lines import SourceLine
from auditlib.ingest.pdf_assemble import stitch
from auditlib.ingest.pdf_text import Piece
from auditlib.ingest.regions import title_of
from auditlib.kinds import other_title
from auditlib.rules import check
from auditlib.rules.profile import profile_for
from auditlib.workbench.params import SAMPLE
from tests.conftest import FIXTURES

UNITS_IN = """{year}收入决算表（分单位）
金额单位：万元
单位名称\t本年收入合计\t财政拨款收入\t上级补助收入\t事业收入\t经营收入\t附属单位上缴收入\t其他收入
合计\t3,724.34\t3,724.34\t0.00\t0.00\t0.00\t0.00\t0.00
本级\t3,000.00\t3,000.00\t0.00\t0.00\t0.00\t0.00\t0.00
信息中心\t724.34\t724.34\t0.00\t0.00\t0.00\t0.00\t0.00
"""
UNITS_OUT = """{year}支出决算表（分单位）
金额单位：万元
单位名称\t本年支出合计\t基本支出\t项目支出\t上缴上级支出\t经营支出\t对附属单位补助支出
合计\t3,724.34\t1,000.00\t2,724.34\t0.00\t0.00\t0.00
本级\t3,000.00\t800.00\t2,200.00\t0.00\t0.00\t0.00
"""
# 云南's project table: rows of projects, each with a 科目 code and an amount
PROJECTS = """七、一般公共预算财政拨款项目支出决算表
金额单位：万元
项目名称\t科目编码\t科目名称\t本年支出合计
合计\t\t\t2,000.00
大数据平台建设\t2159999\t其他资源勘探工业信息等支出\t1,500.00
网络安全运维\t2150199\t其他资源勘探工业信息支出\t500.00
"""
YUNNAN = {"收入支出决算总表": "一、收入支出决算表", "收入决算表": "二、收入决算表", "支出决算表": "三、支出决算表",
          "财政拨款收入支出决算总表": "四、财政拨款收入支出决算表",
          "一般公共预算财政拨款支出决算表": "五、一般公共预算财政拨款收入支出决算表",
          "一般公共预算财政拨款基本支出决算表": "六、一般公共预算财政拨款基本支出决算表",
          "一般公共预算财政拨款“三公”经费支出决算表": PROJECTS + "十、财政拨款“三公”经费、行政参公单位机关运行经费情况表",
          "政府性基金预算财政拨款收入支出决算表": "八、政府性基金预算财政拨款收入支出决算表",
          "国有资本经营预算财政拨款支出决算表": "九、国有资本经营预算财政拨款收入支出决算表"}


@pytest.fixture(scope="module")
def plain():
    return read_report(SAMPLE)


def _written(tmp_path, text: str):
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    return read_report(path)


def _unlabelled(wordings: dict[str, str]) -> str:
    """The sample with its tables' own title lines (not the 目录's) reworded, no 公开NN表 label."""
    lines = [wordings.get(line.strip(), line) for line in SAMPLE.read_text(encoding="utf-8").split("\n")]
    return re.sub(r"公开\d\d表", "", "\n".join(lines))


def _amounts(report, codes) -> dict[str, list]:
    return {c: report.tables[c].data.drop(columns=["line", "page"], errors="ignore").select_dtypes("number").round(2)
            .fillna(-1).values.tolist() for c in codes}


def _findings(report, without=("META.tables_present",)) -> list:
    """What is found where (a message names a table by its printed title when no 公开NN表 label is printed)."""
    return sorted((f.id, f.severity, tuple(f.tables)) for f in check(report).findings if f.id not in without)


@pytest.mark.parametrize("line,title", [
    ("2024年度收入决算表（分单位）", "收入决算表(分单位)"),
    ("七、一般公共预算财政拨款项目支出决算表", "一般公共预算财政拨款项目支出决算表"),
    ("十、财政拨款“三公”经费、行政参公单位机关运行经费情况表", "财政拨款三公经费、行政参公单位机关运行经费情况表"),
    ("十、“三公”经费、行政参公单位机关运行经费情况表", "三公经费、行政参公单位机关运行经费情况表"),
    ("十、（财政拨款）“三公”经费、行政参公单位机关运行经费情况表", "财政拨款三公经费、行政参公单位机关运行经费情况表"),
    ("详见一般公共预算财政拨款项目支出决算表", None),  # a sentence naming it
    ("收入决算表（分科目）", None),  # 公开02表
])
def test_the_titles_of_tables_outside_the_ten(line, title):
    assert other_title(line) == title


def test_a_by_subject_title_heads_its_table_of_the_ten():
    assert title_of(SourceLine(("常山县机关事务保障中心2024年度支出决算表（分科目）",), 1, None)) == \
        ("T03", "常山县机关事务保障中心2024年度支出决算表（分科目）")
    assert title_of(SourceLine(("2024年度收入决算表（分单位）",), 1, None)) is None


def test_zhejiang_tables_by_unit_are_read_into_no_table(plain, tmp_path):
    text = _unlabelled({"收入决算表": UNITS_IN.format(year="2021年度") + "2021年度收入决算表（分科目）",
                        "支出决算表": UNITS_OUT.format(year="2021年度") + "2021年度支出决算表（分科目）"})
    report = _written(tmp_path, text)
    assert {c: t.status for c, t in report.tables.items()} == {c: t.status for c, t in plain.tables.items()}
    assert _amounts(report, report.tables) == _amounts(plain, plain.tables)
    assert report.tables["T02"].title == "2021年度收入决算表(分科目)"
    assert [(t.title, t.line) for t in report.others] == \
        [("收入决算表(分单位)", report.tables["T02"].line - 6), ("支出决算表(分单位)", report.tables["T03"].line - 5)]
    # the same findings (T02's units are no rows of its own: no second 合计, no 类=Σ款 broken)
    assert _findings(report) == _findings(plain)
    listed = [f.message for f in check(report).findings if f.id == "META.tables_present" and f.severity == "info"]
    assert "另印有“收入决算表(分单位)”，不在公开01–10表之列：未读取、未核对" in listed


def test_a_by_unit_title_wrapped_before_its_suffix_heads_no_table_of_the_ten(plain, tmp_path):
    """浙江's "2021年度收入决算表" / "（分单位）" over two lines: not 公开02表 — read so, its units were
    公开02表's rows and the (分科目) table under its own title dropped as the table printed again."""
    units = UNITS_IN.format(year="2021年度").replace("收入决算表（分单位）", "收入决算表\n（分单位）")
    report = _written(tmp_path, _unlabelled({"收入决算表": units + "2021年度收入决算表（分科目）"}))
    assert report.tables["T02"].status == "parsed" and report.tables["T02"].reading_notes == []
    assert _amounts(report, ["T02"]) == _amounts(plain, ["T02"])
    assert [t.title for t in report.others] == ["收入决算表(分单位)"]


def test_yunnan_tables_stand_in_for_tables_05_and_07(plain, tmp_path):
    report = _written(tmp_path, _unlabelled(YUNNAN))
    read = ("T01", "T02", "T03", "T04", "T06", "T08", "T09", "T10")
    assert {c: report.tables[c].status for c in read} == {c: plain.tables[c].status for c in read}
    assert _amounts(report, read) == _amounts(plain, read)  # the projects are no rows of 公开06表
    assert report.tables["T05"].status == report.tables["T07"].status == "missing"
    assert [t.title for t in report.others] == ["一般公共预算财政拨款收入支出决算表", "一般公共预算财政拨款项目支出决算表",
                                                "财政拨款三公经费、行政参公单位机关运行经费情况表"]
    findings = check(report).findings
    assert not [f for f in findings if f.id in ("COMPL.tables", "COMPL.sections") and f.severity == "error"]
    missing = {f.message for f in findings if f.id == "META.tables_present" and f.key.endswith(("T05", "T07"))}
    assert missing == {"公开05表 一般公共预算财政拨款支出决算表 未在文件中找到（云南省部门决算公开格式不要求此表）",
                       "公开07表 一般公共预算财政拨款三公经费支出决算表 未在文件中找到（云南省部门决算公开格式不要求此表）"}


def test_a_yunnan_report_without_its_project_table_is_incomplete(tmp_path):
    report = _written(tmp_path, _unlabelled(YUNNAN | {"一般公共预算财政拨款“三公”经费支出决算表":
                                                      "十、“三公”经费、行政参公单位机关运行经费情况表"}))
    errors = [f.message for f in check(report).findings if f.id == "COMPL.tables" and f.severity == "error"]
    assert errors == ["“一般公共预算财政拨款项目支出决算表” 未公开（云南省部门决算公开格式要求公开此表）"]


@pytest.mark.parametrize("form", ["plumber", "layout"])
def test_a_table_outside_the_ten_ends_the_one_above_in_converter_text(tmp_path, form):
    """A converter's text of a generated report with 云南's project table printed right under
    公开06表's last row: every table read as before, the projects in none (公开06表 was unread: its
    flow of figures took the projects' in)."""
    source = FIXTURES / "converted" / f"synth-000011.calc.{form}.txt"
    text = source.read_text(encoding="utf-8")
    at = text.index("注：本表反映部门本年度一般公共预算财政拨款基本支出")
    report = _written(tmp_path, text[:at] + PROJECTS.replace("\t", " ") + text[at:])
    before = read_report(source)
    assert {c: t.status for c, t in report.tables.items()} == {c: t.status for c, t in before.tables.items()}
    assert _amounts(report, report.tables) == _amounts(before, before.tables)
    assert [t.title for t in report.others] == ["一般公共预算财政拨款项目支出决算表"]


@pytest.mark.parametrize("where,line", [
    ("三、财政拨款支出决算情况说明\n\n本部门", "七、一般公共预算财政拨款项目支出决算表"),  # a heading in 第三部分
    ("三、财政拨款支出决算情况说明\n\n本部门", "本部门2021年度一般公共预算财政拨款项目支出决算表"),  # a sentence wrapped there
    ("- 十、国有资产占用情况表\n", "十一、一般公共预算财政拨款项目支出决算表\t15"),  # a 目录 entry
])
def test_a_title_outside_the_ten_with_no_table_under_it_lists_none(plain, tmp_path, where, line):
    """A national report naming 云南's project table in a line of its own (a heading, a sentence
    wrapped at the name, a 目录 entry) prints no such table: nothing listed, no 云南 layout — whose
    other tables would then be required, two false errors."""
    text = SAMPLE.read_text(encoding="utf-8")
    at = text.rindex(where) + len(where.rstrip("本部门"))
    report = _written(tmp_path, text[:at] + f"\n{line}\n" + text[at:])
    assert report.others == []
    assert _amounts(report, report.tables) == _amounts(plain, plain.tables)
    tables = ("META", "COMPL.tables")  # the prose read otherwise (a heading, a sentence more)
    assert [f for f in _findings(report, ()) if f[0].startswith(tables)] == \
        [f for f in _findings(plain, ()) if f[0].startswith(tables)]


def test_a_table_outside_the_ten_is_listed_once_where_printed(tmp_path):
    """云南's project table over two pages, its title printed again (and listed in a 目录 with
    page numbers): listed once, at the title over its first rows."""
    contents = {"- 七、一般公共预算财政拨款“三公”经费支出决算表": "七、一般公共预算财政拨款项目支出决算表\t8"}
    again = PROJECTS + PROJECTS.replace("合计\t\t\t2,000.00\n", "")
    report = _written(tmp_path, _unlabelled(YUNNAN | contents).replace(PROJECTS, again))
    assert [t.title for t in report.others] == ["一般公共预算财政拨款收入支出决算表", "一般公共预算财政拨款项目支出决算表",
                                                "财政拨款三公经费、行政参公单位机关运行经费情况表"]
    projects = report.others[1]
    assert report.tables["T06"].line < projects.line < report.tables["T08"].line


@pytest.mark.parametrize("profile,severity,says", [
    ("national", "warning", ""), ("yunnan", "info", "（云南省部门决算公开格式不要求此表）")])
def test_a_missing_table_is_weighed_by_the_profile_in_use(tmp_path, profile, severity, says):
    """--profile national over a 云南 report: 公开05表 required by the completeness check is no
    info saying 云南's layout does not require it (the two checks weigh it by one profile)."""
    report = _written(tmp_path, _unlabelled(YUNNAN))
    findings = [(f.severity, f.message) for f in check(report, params={"profile": profile}).findings
                if f.id == "META.tables_present" and f.key.endswith("T05")]
    assert findings == [(severity, "公开05表 一般公共预算财政拨款支出决算表 未在文件中找到" + says)]


def test_a_table_continued_past_a_table_outside_the_ten_is_read_whole(plain, tmp_path):
    """公开06表 over two pages, its title printed again over its rest, 云南's project table between
    them: its rest joined to it (as the converters' texts join it, spaced._tables), not dropped as the
    table printed twice — read so, 公开06表 was cut short of its 人员经费合计/公用经费合计 rows."""
    lines = SAMPLE.read_text(encoding="utf-8").split("\n")
    title = lines.index("一般公共预算财政拨款基本支出决算表")
    at = lines.index("30113\t住房公积金\t109.23\t30212\t因公出国(境)费用\t0.00")
    text = "\n".join(lines[:at] + PROJECTS.rstrip("\n").split("\n") + lines[title:title + 4] + lines[at:])
    report = _written(tmp_path, text)
    assert report.tables["T06"].status == plain.tables["T06"].status == "parsed"
    assert _amounts(report, ["T06"]) == _amounts(plain, ["T06"])
    assert report.tables["T06"].reading_notes == []
    assert [t.title for t in report.others] == ["一般公共预算财政拨款项目支出决算表"]
    assert [f for f in _findings(report) if "T06" in f[2]] == [f for f in _findings(plain) if "T06" in f[2]]


@pytest.mark.parametrize("title", ["2021年度收入决算表（分单位）", "收入决算表"])
def test_a_title_at_the_top_of_a_page_is_no_broken_row(title):
    """A table whose grid ends a page and one whose grid holds its own title (a merged cell) at the
    top of the next, as many columns wide: the title is no label's end glued onto the last row
    (its anchor lost, its rows then read into the table above — 浙江's units as 公开01表's)."""
    end = Piece(0, 0, 800, 500, [(700, ("三、事业收入", "", "0.00", "")), (720, ("本年收入合计", "", "3,724.34", ""))], page=3)
    top = Piece(0, 0, 300, 500, [(40, (title, "", "", "")), (60, ("单位名称", "本年收入合计", "财政拨款收入", "其他收入")),
                                 (80, ("合计", "3,724.34", "3,724.34", "0.00"))], page=4)
    lines = stitch([(3, (end, 0, end.rows[0][1])), (3, (end, 1, end.rows[1][1])),
                    *((4, (top, r, cells)) for r, (_top, cells) in enumerate(top.rows))])
    assert [line.cells[0] for line in lines] == ["三、事业收入", "本年收入合计", title, "单位名称", "合计"]


def test_the_ten_with_a_project_table_are_no_yunnan_report(plain, tmp_path):
    """A report printing the ten and a 项目支出决算表 besides (other provinces print one too) keeps
    the national layout: 云南's is told by the table it prints where 公开07表 stands — given it, the
    report were said not to publish 云南's other two tables, two false errors."""
    text = SAMPLE.read_text(encoding="utf-8").replace(
        "\n一般公共预算财政拨款“三公”经费支出决算表\n", "\n" + PROJECTS + "\n一般公共预算财政拨款“三公”经费支出决算表\n", 1)
    report = _written(tmp_path, text)
    assert [t.title for t in report.others] == ["一般公共预算财政拨款项目支出决算表"]
    assert profile_for(report, {})["name"] == "national"
    assert _findings(report) == _findings(plain)
    assert profile_for(report, {"profile": "yunnan"})["name"] == "yunnan"  # chosen, it is followed


# 四川's thirteen tables (渠县农业综合技术服务中心 2024): the ten's less 公开10表, two 支出决算明细表 of
# 经济分类 rows, a 项目支出决算表, and 三公 last
DETAIL = """{n}、{title}
金额单位：万元
科目编码\t科目名称\t合计\t一般公共预算财政拨款\t政府性基金预算财政拨款
\t合计\t1,038.94\t1,038.94\t0.00
301\t工资福利支出\t871.29\t871.29\t0.00
30101\t基本工资\t191.04\t191.04\t0.00
302\t商品和服务支出\t164.00\t164.00\t0.00
30201\t办公费\t48.09\t48.09\t0.00
"""
SICHUAN = ("T01", "T02", "T03", "T04", "财政拨款支出决算明细表", "T05", "一般公共预算财政拨款支出决算明细表", "T06",
           "项目", "T08", "T09", "T07")


def _sichuan(order=SICHUAN) -> str:
    """The sample's tables printed in 四川's order, each title after its number, with 四川's own
    tables among them (公开10表 left out)."""
    lines = SAMPLE.read_text(encoding="utf-8").split("\n")
    starts = {code: t.line - 1 for code, t in read_report(SAMPLE).tables.items()}
    end = max(i for i, line in enumerate(lines) if line.startswith("第三部分"))
    codes = sorted(starts, key=starts.get)
    blocks = {c: lines[starts[c]:(starts[codes[n + 1]] if n + 1 < len(codes) else end)] for n, c in enumerate(codes)}
    out = []
    for n, item in enumerate(order, 1):
        numeral = "一二三四五六七八九十"[n - 1] if n <= 10 else "十" + "一二三"[n - 11]
        if item in blocks:
            out += [f"{numeral}、{blocks[item][0].strip()}", *blocks[item][1:]]
        else:
            out += (PROJECTS.replace("七", numeral, 1) if item == "项目" else DETAIL.format(n=numeral, title=item)).split("\n")
    body = "\n".join([*lines[:starts["T01"]], *out, *lines[end:]])
    return re.sub(r"公开\d\d表", "", body)


def test_sichuan_tables_in_their_order(plain, tmp_path):
    report = _written(tmp_path, _sichuan())
    read = ("T01", "T02", "T03", "T04", "T05", "T06", "T07", "T08", "T09")
    assert {c: report.tables[c].status for c in read} == {c: plain.tables[c].status for c in read}
    # the 经济分类 rows under 七、一般公共预算财政拨款支出决算明细表 are no rows of 公开05表 above it
    assert _amounts(report, read) == _amounts(plain, read)
    assert [t.title for t in report.others] == ["财政拨款支出决算明细表", "一般公共预算财政拨款支出决算明细表",
                                                "一般公共预算财政拨款项目支出决算表"]
    tables = [f for f in check(report).findings if f.id == "COMPL.tables"]
    assert tables == []  # the 四川 layout: 三公 last is its order, 公开10表 not required
    missing = [f for f in check(report).findings if f.id == "META.tables_present" and f.key.endswith("T10")]
    assert [f.message for f in missing] == ["公开10表 国有资产占用情况表 未在文件中找到（四川省部门（单位）决算公开格式不要求此表）"]


def test_a_sichuan_report_without_its_detail_table_is_incomplete(tmp_path):
    report = _written(tmp_path, _sichuan(tuple(c for c in SICHUAN if c != "一般公共预算财政拨款支出决算明细表")))
    errors = [f.message for f in check(report).findings if f.id == "COMPL.tables" and f.severity == "error"]
    assert errors == ["“一般公共预算财政拨款支出决算明细表” 未公开（四川省部门（单位）决算公开格式要求公开此表）"]


# 陕西 (柞水县审计局 2020): 公开07表 printed as its 三公 table with 会议费 and 培训费, 第三部分's
# sections named its way, 第四部分 专业名词解释
SHAANXI = {"收入决算表": "二、收入决算总表", "支出决算表": "三、支出决算总表",
           "一般公共预算财政拨款“三公”经费支出决算表": "七、一般公共预算财政拨款“三公”经费及会议费、培训费支出决算表",
           "一、收入决算情况说明": "一、收入支出决算总体情况说明", "二、支出决算情况说明": "（一）支出情况",
           "三、财政拨款支出决算情况说明": "二、财政拨款收入支出总体情况说明",
           "四、一般公共预算财政拨款基本支出决算情况说明": "（二）基本支出情况",
           "五、一般公共预算财政拨款“三公”经费支出决算情况说明": "三、“三公”经费、培训费及会议费支出情况说明",
           "第四部分 名词解释": "第四部分 专业名词解释"}


@pytest.mark.parametrize("profile", [None, "national"])
def test_shaanxi_three_public_table_and_sections(tmp_path, profile):
    report = _written(tmp_path, _unlabelled(SHAANXI))
    assert [t.title for t in report.others] == ["一般公共预算财政拨款三公经费及会议费、培训费支出决算表"]
    found = check(report, params={"profile": profile} if profile else {}).findings
    errors = sorted(f.message for f in found if f.id in ("COMPL.tables", "COMPL.sections", "COMPL.glossary")
                    and f.severity == "error")
    if profile is None:  # told 陕西 by its 三公 table: nothing missing
        assert errors == []
    else:  # the national layout's 公开07表 and sections, as that profile requires them
        assert errors == ["公开07表 一般公共预算财政拨款三公经费支出决算表 未公开（全国通用（财政部部门决算公开格式）要求公开此表）",
                          "情况说明缺少“一般公共预算财政拨款基本支出决算情况”部分", "情况说明缺少“支出决算情况”部分",
                          "情况说明缺少“收入决算情况”部分", "情况说明缺少“财政拨款支出决算情况”部分"]


@pytest.mark.parametrize("line,code", [("九、《国有资本经营预算财政拨款收入支出决算表》", "T09"),  # 新疆 2023
                                       ("《收入支出决算总表》", "T01"), ("详见《收入支出决算总表》", None)])
def test_a_title_in_book_title_marks_heads_its_table(line, code):
    found = title_of(SourceLine((line,), 1, None))
    assert (found[0] if found else None) == code
