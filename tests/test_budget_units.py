"""A budget's findings in the units its tables print (issue 30 review): a Shanghai 部门预算 in
元 prints its “三公” table in 万元 (sh-pt-wanli-2024-yusuan p31: 公务用车购置及运行费 46.56 =
购置费 25 + 运行费 21.56).  With 购置费 planted as 26, the table's own identity and the narrative's
amount show its figures as printed, in 万元, never scaled to 元."""

from __future__ import annotations

import copy
from functools import cache

from auditlib.ingest import read_report
from auditlib.rules.runner import check
from tests.conftest import CORPUS


@cache
def _wanli():
    return read_report(CORPUS / "budgets" / "sh-pt-wanli-2024-yusuan" / "doc.pdf")


@cache
def _planted() -> dict:
    report = copy.deepcopy(_wanli())
    report.tables["B07"].data.at["vehicle_purchase", "budget"] = 26.0
    return {f.id: f for f in check(report).findings}


def test_a_rule_over_one_table_in_wan_yuan_compares_and_prints_in_wan_yuan():
    f = _planted()["B07.vehicle"]
    assert f.message == "公务用车购置及运行费 46.56 ≠ 公务用车购置费 26.00 + 公务用车运行费 21.56（46.56 ≠ 47.56 万元）"
    assert (f.expected, f.actual, f.difference) == (47.56, 46.56, -1.0)
    assert [(c["row"], c["value"], c["unit"]) for c in f.cells] == [
        ("vehicle", 46.56, "万元"), ("vehicle_purchase", 26.0, "万元"), ("vehicle_operation", 21.56, "万元")]


def test_a_narrative_amount_against_a_wan_yuan_table_is_in_one_unit():
    f = _planted()["NARR.budget_amount"]
    assert (f.expected, f.actual) == (26.0, 25.0)
    assert [(c["row"], c["value"], c["unit"]) for c in f.cells] == [("vehicle_purchase", 26.0, "万元")]


def test_a_rule_over_two_tables_compares_in_the_documents_unit_and_names_the_other():
    report = copy.deepcopy(_wanli())
    report.tables["B07"].data.at["vehicle_operation", "budget"] = 1.0
    f = next(f for f in check(report).findings if f.id == "XB.B06_B07_vehicle")
    assert f.message.endswith("公务用车运行维护费 215,600.00 > 部门“三公”经费和机关运行经费预算表 公务用车运行费 1.00 万元"
                              "（215,600.00 > 10,000.00 元）")
    assert (f.expected, f.actual) == (10000.0, 215600.0)
    assert [(c["table"], c["value"], c.get("unit")) for c in f.cells] == [("B06", 215600.0, None), ("B07", 1.0, "万元")]
