"""A budget's 比上年 claims against the department's budget of the year before (issue 30,
XY.budget_change / XY.budget_growth): the dev set's chains wanli 2023→2024→2025, gaoyuan
2017→2018→2019 and jianchayuan 2017→2018, the prior given as its model (a batch's) or rebuilt
from its warehouse cells; every finding checked on the page (notes/i30-design.md §1.1, §1.2, §2.6).
"""

from __future__ import annotations

import copy
import json
from functools import cache

import pytest

from auditlib.ingest import read_report
from auditlib.ingest.budget_claims import read_budget_prose
from auditlib.kinds import BUDGET
from auditlib.model import Paragraph, Report
from auditlib.rules.prior import Prior, long_form, snapshot
from auditlib.rules.runner import apply_prior, check
from tests.conftest import CORPUS

# (budget, its prior) → the cross-year findings: (rule, severity, page, the claim as signed, expected)
FOUND: dict[tuple[str, str], set[tuple[str, str, int, float, float]]] = {
    # p19 法院(款)一般行政事务管理(项) 6049.97 万元 “与上年相比减少 392.92 万元”: 2017 公开08表 2040502
    # 一般行政管理事务 6,432.89 → 6,049.97 − 6,432.89 = −382.92 (the rate 5.95 % fits 382.92)
    ("js-gaoyuan-2018-yusuan", "js-gaoyuan-2017-yusuan"): {("XY.budget_change", "error", 19, -392.92, -382.92)},
    ("js-gaoyuan-2019-yusuan", "js-gaoyuan-2018-yusuan"): set(),
    ("js-jianchayuan-2018-yusuan", "js-jianchayuan-2017-yusuan"): {
        # p23 总计 21,955.35 “增长 21.95%”: 2017 17,996.68 → 22.00 %
        ("XY.budget_growth", "error", 23, 21.95, 22.0),
        # p24 基本支出 13,994.31 “增加 1,670.85”: 2017 公开03表 12,323.48 (its narrative said 12,323.46)
        ("XY.budget_change", "error", 24, 1670.85, 1670.83),
        # p25, p26, p28 财政拨款 / 一般公共预算 21,940.96 “增加 3,958.98”: 2017 17,981.68 → 3,959.28
        ("XY.budget_change", "error", 25, 3958.98, 3959.28),
        ("XY.budget_change", "error", 26, 3958.98, 3959.28),
        ("XY.budget_change", "error", 28, 3958.98, 3959.28),
        # p26 行政运行 10,883.36 “增长 36.58%”: 2,915.22 / 7,968.14 = 36.586 % (cut, not rounded)
        ("XY.budget_growth", "warning", 26, 36.58, 36.59),
        # p26 一般行政管理事务 3,666 “增长 0.06%”: 21.8 / 3,644.2 = 0.60 %
        ("XY.budget_growth", "error", 26, 0.06, 0.6),
    },
    # 876.75 (收入, 财政拨款, 一般公共预算), “三公” +25 (合计, 车, 购置): all hold; 2025: 3,355.65 is
    # 18,976.76 − 15,621.11 (189,767,551 − 156,211,123 元 = 3,355.6428), −10 three times: all hold
    ("sh-pt-wanli-2024-yusuan", "sh-pt-wanli-2023-yusuan"): set(),
    ("sh-pt-wanli-2025-yusuan", "sh-pt-wanli-2024-yusuan"): set(),
}
# claims compared with last year's budget (gaoyuan's 类 changes — 公共安全(类)支出 … 与上年相比增加 — held
# against last year's 一般公共预算支出表 since the narrative's 类 are read: gaoyuan spends 财政拨款 only)
COMPARED = {("js-gaoyuan-2018-yusuan", "js-gaoyuan-2017-yusuan"): 42, ("js-gaoyuan-2019-yusuan", "js-gaoyuan-2018-yusuan"): 50,
            ("js-jianchayuan-2018-yusuan", "js-jianchayuan-2017-yusuan"): 23,
            ("sh-pt-wanli-2024-yusuan", "sh-pt-wanli-2023-yusuan"): 6, ("sh-pt-wanli-2025-yusuan", "sh-pt-wanli-2024-yusuan"): 6}


@cache
def _report(document: str) -> Report:
    return read_report(CORPUS / "budgets" / document / "doc.pdf")


def _across(report: Report, prior: Report, document: str):
    """The budget checked, then held against its prior: (result, the cross-year findings)."""
    result = check(report)
    return result, apply_prior(result, {prior.year: Prior(prior, document, prior.year)})


def _found(findings) -> set:
    return {(f.id, f.severity, f.page, f.actual, f.expected) for f in findings}


def _compared(report: Report, result) -> int:
    return sum(1 for c in report.claims if (v := result.verdicts.get(c.id)) and "年预算（" in (v.reading or ""))


@pytest.mark.parametrize("pair", sorted(FOUND), ids=[p[0] for p in sorted(FOUND)])
def test_the_changes_on_last_year_are_held_against_last_years_budget(pair):
    document, prior = pair
    result, found = _across(_report(document), _report(prior), prior)
    assert _found(found) == FOUND[pair]
    assert _compared(_report(document), result) == COMPARED[pair]
    assert not _found(check(_report(document)).findings) & FOUND[pair]  # nothing of it without the prior


@pytest.mark.parametrize("pair", [("js-gaoyuan-2018-yusuan", "js-gaoyuan-2017-yusuan"),
                                  ("sh-pt-wanli-2024-yusuan", "sh-pt-wanli-2023-yusuan")], ids=["jiangsu", "shanghai"])
def test_a_prior_rebuilt_from_its_warehouse_cells_gives_the_same(pair):
    """The warehouse keeps a report's cells in the document's unit (a Shanghai budget's in 元, its
    “三公” table's too); the budget rebuilt from them is held the same way."""
    document, prior = pair
    p = _report(prior)
    cells, _notes = long_form(p)
    rebuilt = snapshot(cells, p.department, p.year, kind=BUDGET, unit=p.unit)
    result = check(_report(document))
    found = apply_prior(result, {p.year: Prior(rebuilt, prior, p.year)})
    assert _found(found) == FOUND[pair] and _compared(_report(document), result) == COMPARED[pair]


def test_a_planted_change_is_found():
    """wanli-2024 “比2023年预算减少876.75万元” made 876.85: the 2023 budget's 16,497.86 says 876.75."""
    report = copy.deepcopy(_report("sh-pt-wanli-2024-yusuan"))
    hits = [i for i, p in enumerate(report.lines) if "比2023年预算减少876.75万元" in p.text]
    p = report.lines[hits[0]]
    report.lines[hits[0]] = Paragraph(p.text.replace("876.75", "876.85", 1), p.headings, p.line, p.page)
    report.prose = read_budget_prose(report)
    _result, found = _across(report, _report("sh-pt-wanli-2023-yusuan"), "sh-pt-wanli-2023-yusuan")
    assert {(f.id, f.severity, f.actual, f.expected) for f in found} == {("XY.budget_change", "error", -876.85, -876.75)}
    assert "2023 年预算" in found[0].message and "15,621.11" in found[0].message


@pytest.mark.timeout(1800)
def test_a_batch_holds_a_budget_against_last_years_budget_and_keeps_the_kinds_apart(tmp_path):
    """gaoyuan 2017 and 2018 in one batch: the 2018 budget's prior is the 2017 budget; the
    warehouse's prior index lists them as 预算, never as a 决算's prior; run again alone, the 2018
    budget finds its prior in the warehouse, rebuilt from the cells."""
    from auditlib.batch import warehouse
    from auditlib.batch.runner import run_batch

    folder, out = tmp_path / "params", tmp_path / "out"
    folder.mkdir()
    for year in (2017, 2018):
        (folder / f"{year}.yaml").write_text(f"source: {CORPUS / 'budgets' / f'js-gaoyuan-{year}-yusuan' / 'doc.pdf'}\n"
                                             f"slug: gaoyuan-{year}-yusuan\n", encoding="utf-8")
    summary = run_batch([folder], out, progress=False, workers=1)
    assert sorted(o.slug for o in summary.ok) == ["gaoyuan-2017-yusuan", "gaoyuan-2018-yusuan"]

    def cross_year() -> set:
        result = json.loads((out / "gaoyuan-2018-yusuan" / "findings.json").read_text(encoding="utf-8"))
        return {(f["id"], f["severity"], f["page"], f["actual"], f["expected"]) for f in result["findings"]
                if f["id"].startswith("XY.")}

    expected = FOUND[("js-gaoyuan-2018-yusuan", "js-gaoyuan-2017-yusuan")]
    assert cross_year() == expected
    assert warehouse.prior_index(out) == {}  # no 决算: a 决算 of this department would find no prior
    assert sorted(warehouse.prior_index(out, kind=BUDGET).values()) == [("gaoyuan-2017-yusuan", "万元"),
                                                                     ("gaoyuan-2018-yusuan", "万元")]
    (folder / "2017.yaml").unlink()
    run_batch([folder], out, progress=False, workers=1, force=True)
    assert cross_year() == expected


def test_a_prior_of_the_other_kind_is_never_used():
    """Last year's report given as a 决算 (its kind) is no budget's prior: nothing is compared."""
    prior = copy.deepcopy(_report("js-gaoyuan-2017-yusuan"))
    prior.kind = "决算"
    result, found = _across(_report("js-gaoyuan-2018-yusuan"), prior, "js-gaoyuan-2017-yusuan")
    assert found == [] and _compared(_report("js-gaoyuan-2018-yusuan"), result) == 0
