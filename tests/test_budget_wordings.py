"""Budget narrative wordings of other provinces, cities and years (issue 30: the budgets kept
aside are measured by "no false error").  tests/fixtures/wordings/budget-wordings.yaml holds
each sentence form with its source; here every form is put into a budget whose tables it agrees
with — the Nanchang 决算's own budget of tools/make_pair_fixture.py, narrative added — and:

* every claim it makes is `ok` against a cell or unchecked with a Chinese reason, never a finding
  (an error or warning on a consistent budget is a false finding);
* a form whose figure names one cell unambiguously (`plant`) gets an error naming the figure once
  that figure is made 1.00 larger.

The 决算 forms about the 年初预算 go into the bundled 决算 (a paragraph under its heading) checked
against that budget: no PAIR finding on the consistent pair, and the planted budget variant's
changed cell found from the form's sentence.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
import yaml

from auditlib.ingest import read_report
from auditlib.kinds import BUDGET
from auditlib.rules.prior import Pair
from auditlib.rules.runner import check
from auditlib.workbench.params import SAMPLE
from tests.conftest import FIXTURES
from tools.make_pair_fixture import ECONOMIC, ITEMS, THREE_PUBLIC, Budget

FORMS = yaml.safe_load((FIXTURES / "wordings" / "budget-wordings.yaml").read_text(encoding="utf-8"))
HEADING = "第三部分 部门预算情况说明"


def _values() -> dict[str, float]:
    """Every placeholder's value: the budget's cells, and 上年 figures chosen with the changes,
    rates and shares they make (rounded as a narrative prints them)."""
    b = Budget(ITEMS, THREE_PUBLIC)
    basic, project = b.total()
    rows = {code: bb + p for code, _n, bb, p in b.rows()}
    econ = {c: round(sum(v for code, _n, v in ECONOMIC if code.startswith(c)), 2) for c in ("301", "302", "303")}
    t = THREE_PUBLIC
    now = {"total": basic + project, "basic": basic, "project": project, "personnel": econ["301"] + econ["303"],
           "public": econ["302"], "wages": econ["301"], "goods_services": econ["302"], "families": econ["303"],
           "three": sum(t.values()), "abroad": t["abroad"], "vehicle": t["purchase"] + t["operation"],
           "purchase": t["purchase"], "operation": t["operation"], "reception": t["reception"],
           "c208": rows["208"], "c215": rows["215"], "c221": rows["221"], "i2150101": rows["2150101"],
           "i2210201": rows["2210201"], "i2080505": rows["2080505"], "running": econ["302"],
           "procurement": 120.0, "central": 80.0, "scattered": 40.0, "goods": 70.0, "works": 0.0, "services": 50.0,
           "assets": 211.79, "cars": 2, "projects": 3}
    prior = {"total": 2800.0, "basic": 1000.0, "project": 1800.0, "three": 30.0, "abroad": 8.6, "reception": 9.35,
             "vehicle": 2.0, "operation": 2.0, "c215": 2700.0, "i2150101": 880.0, "i2080505": 55.28,
             "running": 150.0, "procurement": 100.0}
    out = {k: round(v, 2) for k, v in now.items()}
    for key, before in prior.items():
        delta = now[key] - before
        out[f"{key}_prev"] = before
        out[f"{key}_{'up' if delta >= 0 else 'down'}"] = round(abs(delta), 2)
        out[f"{key}_rate"] = round(abs(delta) / before * 100, 2)
    shares = {"basic": "total", "project": "total", "c215": "total", "abroad": "three", "vehicle": "three",
              "reception": "three", "wages": "basic", "goods_services": "basic", "families": "basic",
              "central": "procurement", "scattered": "procurement", "goods": "procurement", "works": "procurement",
              "services": "procurement"}
    for part, whole in shares.items():
        out[f"{part}_share"] = round(now[part] / now[whole] * 100, 2)
    return out


VALUES = _values()


def _fill(text: str, values: dict[str, float]) -> str:
    return text.format(**{k: (f"{v:.2f}" if isinstance(v, float) else str(v)) for k, v in values.items()})


@dataclass
class Outcome:
    """What the check made of one form's claims: read (ok), unchecked, found wrong."""

    ok: int = 0
    unchecked: int = 0
    false: list[str] | None = None


def budget_text(narrative: str, budget: Budget | None = None) -> str:
    """The generated budget with `narrative` as its 预算情况说明."""
    text = (budget or Budget(ITEMS, THREE_PUBLIC)).text()
    head, _sep, _tail = text.partition(HEADING)
    return f"{head}{HEADING}\n\n{narrative}\n"


def judge_budget_form(form: dict, tmp: Path, values: dict[str, float] = VALUES):
    """The form in the generated budget, read and checked: (its claims, the check's result)."""
    path = tmp / f"{form['id']}-yusuan.txt"
    path.write_text(budget_text(_fill(form["text"], values)), encoding="utf-8")
    report = read_report(path, kind=BUDGET)
    return report, check(report)


def outcome(report, result) -> Outcome:
    """Each narrative claim's verdict; a finding on the narrative is false on a consistent budget."""
    out = Outcome(false=[])
    for claim in report.claims:
        verdict = result.verdicts.get(claim.id)
        if verdict is not None and verdict.verdict == "ok":
            out.ok += 1
        elif verdict is not None and verdict.verdict == "unchecked" and verdict.reason:
            out.unchecked += 1
    out.false = [f"{f.id} {f.severity} {f.message}" for f in result.findings
                 if "NARR" in f.tables and f.severity in ("error", "warning")]
    return out


@pytest.mark.parametrize("form", FORMS["budget"], ids=lambda f: f["id"])
def test_a_budget_form_on_a_consistent_budget_makes_no_finding(form, tmp_path):
    report, result = judge_budget_form(form, tmp_path)
    got = outcome(report, result)
    assert got.false == [], got.false
    assert got.ok + got.unchecked == len(report.claims), "every claim is ok or unchecked with its reason"


@pytest.mark.parametrize("form", [f for f in FORMS["budget"] if f.get("plant")], ids=lambda f: f["id"])
def test_a_wrong_figure_in_a_budget_form_is_found(form, tmp_path):
    key = form["plant"]
    wrong = {**VALUES, key: round(VALUES[key] + 1.0, 2)}
    _report, result = judge_budget_form(form, tmp_path, wrong)
    errors = {f.actual for f in result.findings if "NARR" in f.tables and f.severity == "error"}
    assert wrong[key] in errors, [f.message for f in result.findings]


# -- 决算 forms about the 年初预算 ---------------------------------------------------------------
# each budget variant changes the cells a planted form's sentence states
VARIANTS = {
    "consistent": lambda: Budget(ITEMS, THREE_PUBLIC),
    "three": lambda: Budget(ITEMS, {**THREE_PUBLIC, "abroad": THREE_PUBLIC["abroad"] + 1.0}),
    "t07": lambda: Budget(ITEMS, {**THREE_PUBLIC, "abroad": 16.60, "reception": 10.35}),
    "narr": lambda: Budget([(c, n, b, p - 10.0 if c == "2159999" else p) for c, n, b, p in ITEMS]
                           + [("2069999", "其他科学技术支出", 0.0, 10.0)], THREE_PUBLIC),
    "total": lambda: Budget([(c, n, b, p + 10.0 if c == "2159999" else p) for c, n, b, p in ITEMS], THREE_PUBLIC),
}


@cache
def _sample_lines() -> tuple[str, ...]:
    return tuple(Path(SAMPLE).with_suffix(".txt").read_text(encoding="utf-8").splitlines())


def judge_final_form(form: dict, tmp: Path, variant: str = "consistent"):
    """The form as a paragraph of the bundled 决算 under its heading, checked against the budget
    `variant`: the PAIR findings whose sentence is the form's."""
    lines = list(_sample_lines())
    at = len(lines) - lines[::-1].index(form["after"])  # the heading itself, not the 目录's line
    lines[at:at] = ["", form["text"], ""]
    final = tmp / f"{form['id']}.txt"
    final.write_text("\n".join(lines) + "\n", encoding="utf-8")
    budget = tmp / f"{form['id']}-{variant}-yusuan.txt"
    budget.write_text(VARIANTS[variant]().text(), encoding="utf-8")
    report = read_report(final)
    pair = Pair(read_report(budget, kind=BUDGET), str(budget))
    result = check(report, budget=pair)
    return [f for f in result.findings if f.id.startswith("PAIR") and f.line == at + 2], result  # 1-based


@pytest.mark.parametrize("form", FORMS["final"], ids=lambda f: f["id"])
def test_a_final_form_against_its_consistent_budget_makes_no_finding(form, tmp_path):
    found, _result = judge_final_form(form, tmp_path)
    assert found == [], [f.message for f in found]


@pytest.mark.parametrize("form", [f for f in FORMS["final"] if f.get("plant")], ids=lambda f: f["id"])
def test_a_budget_cell_a_final_form_states_wrongly_is_found(form, tmp_path):
    found, _result = judge_final_form(form, tmp_path, form["plant"])
    assert found, "the changed budget cell is found from the form's sentence"


def test_a_share_of_a_base_with_several_readings_is_held_to_the_one_it_fits(tmp_path):
    """占基本支出预算 P%: the 支出总表's 基本支出 (all funds) made 15.00 larger, as a department with
    事业收入 prints it — the share fits the 一般公共预算支出表's 基本支出 and is consistent; the
    amount itself is held to that reading too.  Off every reading, it is an error."""
    form = next(f for f in FORMS["budget"] if f["id"] == "wuzhou-basic-economic")
    report, _result = judge_budget_form(form, tmp_path)
    report.tables["B03"].data.at["total", "basic"] += 15.0
    result = check(report)
    assert outcome(report, result).false == []
    basic = next(c for c in report.claims if c.value == VALUES["basic"])
    assert "一般公共预算" in result.verdicts[basic.id].target
    wrong = {**VALUES, "wages_share": VALUES["wages_share"] + 1}
    report, _result = judge_budget_form(form, tmp_path, wrong)
    report.tables["B03"].data.at["total", "basic"] += 15.0
    assert wrong["wages_share"] in {f.actual for f in check(report).findings if f.severity == "error"}
