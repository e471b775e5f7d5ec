"""The national-format 预算 printed by other producers (issue 30's measure: other producers, the
national table set, split 文件 + 表格 pairs): tools/make_budget_pdfs.py prints one consistent budget
(the bundled Nanchang 决算's own, tools/make_pair_fixture.py's figures) with LibreOffice Calc (fit to
width and not), Writer and Chromium, in the numbering, header and code-column variants real national
budgets use, and writes its truth beside each PDF (tests/fixtures/budget-pdf/*.yaml, the hand
transcriptions' format).  Each must be read as a 预算 with every table found and read, every amount
the truth's, and no finding at all; the 文件 + 表格 pair must read as the one-file document."""

from __future__ import annotations

import copy
import re

import pytest
import yaml

from auditlib.ingest import read_report
from auditlib.ingest.table_rows import is_seq_row, match_label
from auditlib.kinds import BUDGET, kind_named
from auditlib.rules import load_catalog
from auditlib.rules.runner import check
from tests.conftest import FIXTURES
from tools.budget_reading import reading

# one worker runs all its tests (--dist loadgroup), so its module fixtures are made once, not
# once on each worker that runs some of them (each producer's budget PDF read, ~6 s at load 8 on 2 cores)
pytestmark = pytest.mark.xdist_group("budget-producers")

HERE = FIXTURES / "budget-pdf"
PRODUCERS = ["calc-fit", "calc-nofit", "writer", "chromium", "writer-national", "chromium-plain"]
# writer-national's 收支总表 adds 本年收入合计 / 上年结转 | 本年支出合计 / 结转下年; chromium-plain leaves
# its zeros blank (in 元, 29737000 without separators; the “三公” table prints its 0.00)
AMOUNTS = {"writer-national": 257, "chromium-plain": 154}
SPLIT = [HERE / "national-split.wenjian.pdf", HERE / "national-split.biaoge.pdf"]


def _truth(style: str) -> dict:
    return yaml.safe_load((HERE / f"national-{style}.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def reports():
    """Each producer's PDF read once (and the split pair, as one document)."""
    out = {style: read_report(HERE / f"national-{style}.pdf") for style in PRODUCERS}
    out["split"] = read_report(SPLIT)
    return out


@pytest.mark.parametrize("style", [*PRODUCERS, "split"])
def test_every_table_and_amount_is_read(reports, style):
    report = reports[style]
    got = reading(report, _truth("calc-fit" if style == "split" else style))
    assert (report.kind, report.kind_source) == ("预算", "detected")
    assert (got.tables, got.found, got.read) == (9, 9, 9)
    assert (got.amounts, got.equal) == (AMOUNTS.get(style, 254),) * 2


@pytest.mark.parametrize("style", [*PRODUCERS, "split"])
def test_the_consistent_budget_gives_no_finding(reports, style):
    result = check(reports[style])
    assert [(f.id, f.severity) for f in result.findings] == []
    assert result.checks_run > 150 and result.not_run == []  # the budget rules ran (fewer on blank columns)
    # the narrative's figures are the tables': its 11 amounts, each verified (two more since s10-words)
    verdicts = [v.verdict for v in result.verdicts.values()]
    assert verdicts.count("ok") == 11 and "mismatch" not in verdicts


def test_the_split_pair_reads_as_the_one_file_document(reports):
    one, two = reports["calc-fit"], reports["split"]
    assert [(c, t.status, t.title) for c, t in two.tables.items()] == [(c, t.status, t.title) for c, t in one.tables.items()]
    for code, table in one.tables.items():
        if table.status == "parsed":
            columns = ["name", *table.columns]
            assert two.tables[code].data[columns].equals(table.data[columns]), code
    assert (two.department, two.year, two.kind) == (one.department, one.year, one.kind)


def test_the_national_wording_of_the_income_half_is_checked(reports):
    """收支总表 worded as the national template (一般公共预算拨款收入 …, 本年收入合计, 上年结转): its rows
    are the spec's, so a misprinted 本年收入合计 breaks 本年收入合计 = Σ sources and 收入总计 = 本年收入合计 +
    上年结转, and localization names the cell."""
    report = copy.deepcopy(reports["writer-national"])
    report.tables["B01"].data.loc["income_subtotal", "amount"] = 2900.0
    found = {(f.id, f.severity, f.cause) for f in check(report).findings}
    cause = "LOC.cell@B01:income_subtotal:amount"
    assert found == {("LOC.cell", "error", None), ("B01.income_subtotal", "warning", cause),
                     ("B01.js_income_grand_total", "warning", cause)}


@pytest.mark.parametrize("rule_id", ["B01.js_income_grand_total", "B01.js_expense_grand_total",
                                     "B01.js_expense_functions"])
def test_the_shared_totals_rules_name_the_national_rows_too(reports, rule_id):
    """The Jiangsu 收支预算总表 rules that also check the national wording (收入总计 = 本年收入合计 +
    上年结转 …) quote its rows in their titles (the title is what LOC.cell cites), not only
    Jiangsu's 当年收入小计: each row the rule names is called in its title as the national table prints it."""
    rule = next(r for r in load_catalog() if r.id == rule_id)
    b01 = reports["writer-national"].tables["B01"]
    keys = re.findall(r"B01\[(\w+)\]", f"{rule.lhs} {rule.rhs}")
    printed = [re.sub(r"^[一二三四五六七八九十]+、", "", str(b01.data.at[k, "name"]).strip()) for k in keys]
    assert printed and all(name in rule.title for name in printed), (rule.title, printed)


@pytest.mark.parametrize("title, code", [
    ("表一 2021年部门收支总表", "B01"), ("附表4：2021年财政拨款收支总表", "B04"),
    ("南昌市大数据发展管理局2021年部门收入总表", "B02"), ("附表3：南昌市大数据发展管理局2021年部门支出总表", "B03"),
    ("七、2021年一般公共预算“三公”经费支出表", "B07"), ("表 1：2021年部门收支总表", "B01"),
    ("详见2021年部门收支总表", None)])
def test_national_title_forms(title, code):
    assert kind_named(BUDGET).title(title) == code


@pytest.mark.parametrize("label, key", [
    ("合计", "total"), ("合 计", "total"), ("1.因公出国(境)费用", "abroad"), ("3.公务用车费", "vehicle"),
    ("3.公务用车购置及运行维护费", "vehicle"), ("其中：公务用车运行维护费", "vehicle_operation"),
    ("公务用车购置", "vehicle_purchase"), ("（2）公务用车购置费", "vehicle_purchase")])
def test_three_public_row_labels_of_city_budgets(label, key):
    """The “三公” rows as 重庆江北 2021 and 桂林 2015 word them (tools/README.md, make_budget_pdfs)."""
    assert match_label(label, kind_named(BUDGET).specs["B07"].rows, set()) == key


def test_a_lone_zero_beside_a_label_is_an_amount():
    assert not is_seq_row(("3.国有资本经营预算", "0", "", ""))
    assert is_seq_row(("栏次", "0")) and is_seq_row(("0",)) and is_seq_row(("栏次", "1", "2", "3"))
