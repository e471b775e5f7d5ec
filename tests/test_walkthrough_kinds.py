"""The audit notebook's walkthrough of a 部门预算 (issue 30): the summary says 部门预算 and its
layout (上海格式, 江苏格式) and that its rules are not in the catalog yet; the tables come in the
layout's order, each headed by its title as printed (2024年部门财务收支预算总表, 一、2018 年度…),
never by 公开NN表, a code (B01) or 决算 wording; a finding on a budget's cell opens its table,
marks the cell and carries its page crop.  A 决算 is walked as before: its ten tables, 公开NN表.
The working paper, CSV and text name a budget's tables as printed and say 文件类型.

Real documents: the Shanghai 万里街道 2024 budget (WPS, nine tables, its 三公 title printed
without a year) and the Jiangsu 高级人民法院 2018 budget (Word, twelve numbered tables, three not
read yet); the bundled Nanchang sample for the 决算.  Read once per module, no kernel."""

from __future__ import annotations

import csv
import dataclasses
import io
import re

import pytest

from auditlib.ingest import read_report
from auditlib.kinds import BUDGET, kind_named
from auditlib.report.csv import render_csv
from auditlib.report.text import render_text
from auditlib.report.xlsx import working_paper
from auditlib.workbench.results import check_run
from auditlib.workbench.walkthrough import Audit, heading, summary, table_section, table_sections
from tests.conftest import CORPUS

# one worker runs all its tests (--dist loadgroup), so its module fixtures are made once, not
# once on each worker that runs some of them (its two budget PDFs read, ~8 s at load 8 on 2 cores)
pytestmark = pytest.mark.xdist_group("walkthrough-kinds")

BUDGETS = CORPUS / "budgets"
SHANGHAI = ["2024年部门财务收支预算总表", "2024年部门收入预算总表", "2024年部门支出预算总表",
            "2024年部门财政拨款收支预算总表", "2024年部门一般公共预算支出功能分类预算表",
            "2024年部门政府性基金预算支出功能分类预算表", "2024年部门国有资本经营预算支出功能分类预算表",
            "2024年部门一般公共预算基本支出部门预算经济分类预算表", "部门“三公”经费和机关运行经费预算表"]
NUMERALS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"]


def audit_of(result, tmp_path) -> Audit:
    return Audit(result=result, how="", triage_path=tmp_path / "triage.yaml", params={})


@pytest.fixture(scope="module")
def shanghai():
    return check_run(read_report(BUDGETS / "sh-pt-wanli-2024-yusuan" / "doc.pdf"), None)


@pytest.fixture(scope="module")
def jiangsu():
    return check_run(read_report(BUDGETS / "js-gaoyuan-2018-yusuan" / "doc.pdf"), None)


def headings_of(sections) -> list[str]:
    return [s.text.splitlines()[0].removeprefix("### ") for s in sections]


def visible(html: str) -> str:
    """What a person reads of a block: its text without tags, styles and scripts."""
    return re.sub(r"<[^>]+>", " ", re.sub(r"<(style|script)\b.*?</\1>", "", html, flags=re.S))


def test_a_shanghai_budget_is_walked_by_its_printed_titles_in_its_layouts_order(shanghai, tmp_path):
    sections = table_sections(audit_of(shanghai, tmp_path))
    assert headings_of(sections) == SHANGHAI
    for s in sections:
        assert "决算" not in visible(s.html) + s.text and not re.search(r"公开\d\d表|\bB\d\d\b", visible(s.html) + s.text)
    # a table without findings: folded to one line named as printed, its grid inside
    first = sections[0]
    assert "<summary>部门财务收支预算总表：已读取，18 行，无问题（点击展开原表）</summary>" in first.html
    assert "收入总计" in first.html and first.html.count("2024年部门财务收支预算总表</h3>") == 1  # headed once


def test_a_budgets_summary_says_its_kind_and_layout_and_what_was_not_checked(shanghai, jiangsu, tmp_path):
    text = summary(audit_of(shanghai, tmp_path)).text
    assert "文件类型：部门预算（上海格式）" in text and "已读取的表：9 / 9" in text
    scope = text.split("审核范围：")[1]  # the budget rules ran; the narrative's unchecked figures are said
    assert "预算审核规则尚未编入规则目录" not in scope and "情况说明中未核对的数字" in scope
    text = summary(audit_of(jiangsu, tmp_path)).text
    assert "文件类型：部门预算（江苏格式）" in text and "已读取的表：12 / 12" in text
    assert "未读取的表" not in text


def test_a_jiangsu_budget_is_walked_in_its_numbered_order(jiangsu, tmp_path):
    sections = table_sections(audit_of(jiangsu, tmp_path))
    titles = headings_of(sections)
    # 收支预算总表 (unread: its finding beside it) is open, headed once by its printed title
    assert not sections[0].html.startswith("<details>")
    assert sections[0].html.count("一、2018 年度江苏省高级人民法院收支预算总表</h3>") == 1
    assert [t.split("、")[0] for t in titles] == NUMERALS
    assert titles[0] == "一、2018 年度江苏省高级人民法院收支预算总表"
    assert titles[8] == "九、2018 年江苏省高级人民法院“三公”经费、会议费、培训费支出预算表"


def test_a_finding_on_a_budget_cell_opens_its_table_marks_the_cell_and_shows_its_crop(shanghai, tmp_path):
    table = shanghai.report.tables["B01"]
    (row, column), box = next(((k, b) for k, b in table.boxes.items() if k[1] == "amount"))
    planted = dataclasses.replace(shanghai.findings[0], id="B01.test", severity="error", tables=["B01"],
                                  key="B01.test@1", page=box[0], message="测试：本单元格",
                                  cells=[{"table": "B01", "row": row, "column": column, "page": box[0], "box": list(box)}])
    result = dataclasses.replace(shanghai, findings=[planted, *shanghai.findings])
    block = table_section(audit_of(result, tmp_path), "B01")
    assert not block.html.lstrip().startswith("<details>")  # open: 定位单元格 finds the cell
    assert "al-hl-error" in block.html and "<img" in block.html and "测试：本单元格" in block.html
    assert block.text.startswith("2024年部门财务收支预算总表：已读取，18 行，问题 1 条，标出单元格 1 个")


def test_a_final_accounts_is_walked_by_its_ten_tables_as_before(nanchang, tmp_path):
    result = check_run(nanchang, None)
    titles = headings_of(table_sections(audit_of(result, tmp_path)))
    assert titles == [heading(nanchang, f"T{i:02d}") for i in range(1, 11)]
    assert titles[0] == "公开01表 收入支出决算总表" and titles[9] == "公开10表 国有资产占用情况表"
    assert "文件类型：部门决算" in summary(audit_of(result, tmp_path)).text


def test_the_layout_is_told_by_the_tables_printed_and_their_order():
    budget = kind_named(BUDGET)
    shanghai_order = ["B01", "B02", "B03", "B04", "B05", "B08", "B09", "B06", "B07"]
    assert budget.profile_of(shanghai_order) == "shanghai-budget"
    assert budget.profile_of(sorted(shanghai_order)) == "national-budget"  # the same nine, national order
    assert budget.profile_of(["B01", "B02", "B03", "B04", "B12", "B13", "B05"]) == "jiangsu-budget"
    assert budget.shown(["B01", "B11", "B02"])[-2:] == ("B09", "B11")  # the rest missing; B11 printed, optional


# gaoyuan-2018's findings, by the tables they name: the narrative's 5.95 % (a rate its own figures
# contradict) and its 绩效目标 coverage of the 支出预算总表's 项目支出
FOUND_IN = ["情况说明", "情况说明、支出预算总表"]


def test_the_working_paper_csv_and_text_carry_the_kind_and_the_printed_titles(shanghai, jiangsu):
    """The other outputs of `run` and `check`: the working paper's cover says 文件类型 and its
    table sheets are the printed titles; CSV and text name a budget's tables as printed."""
    wb = working_paper(shanghai)
    assert wb.sheetnames == ["封面", "审核发现", "覆盖情况", *(t.removeprefix("2024年") for t in SHANGHAI)]
    cover = {r[0]: r[1] for r in wb["封面"].iter_rows(min_row=3, values_only=True) if r[0]}
    assert cover["文件类型"] == "部门预算（上海格式）" and cover["输入类型"] == "PDF，共 33 页"
    assert wb["封面"]["A1"].value == "部门预算公开 审计工作底稿"
    assert wb["部门财务收支预算总表"]["A1"].value == "2024年部门财务收支预算总表"
    paper = working_paper(jiangsu)
    assert [r[2] for r in paper["审核发现"].iter_rows(min_row=2, values_only=True)] == FOUND_IN
    assert [r[0] for r in paper["覆盖情况"].iter_rows(min_row=2, max_row=3, values_only=True)] == ["收支预算总表", "收入预算总表"]
    assert [r[2] for r in csv.reader(io.StringIO(render_csv(jiangsu).lstrip("\ufeff")))][1:] == [
        t.replace("、", "；") for t in FOUND_IN]  # the CSV's own separator of several tables
    text = render_text(jiangsu)
    assert "江苏省高级人民法院 2018 年度部门预算" in text and "-- 情况说明\n" in text
    assert not re.search(r"\bB\d\d\b|公开\d\d表", text)
