"""A budget's 上年预算执行数 against its department's 决算 of that year (issue 30): the bundled
sample 决算 (2021) and the department's 2022 budget that tools/make_pair_fixture.py writes with a
Shanghai-style sentence per 项 (“2021年当年预算执行数为Y万元…”), Y the 决算's 公开05表 本年支出合计
(`execution-consistent`) or two of them planted off (`execution-planted`), through `batch` — the
决算 read in the same batch or in an earlier one (the warehouse) — every 执行数 the 决算 prints ok,
nothing found on the consistent budget, exactly the planted ones as warnings naming both cells."""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
import pytest

from auditlib.batch.runner import run_batch
from auditlib.report.xlsx import WORKING_PAPER
from auditlib.workbench.params import SAMPLE
from tests.conftest import FIXTURES
from tests.test_pair import params

DEPARTMENT = "南昌市大数据发展管理局"
# the 项 of the 2022 budget whose 执行数 the 2021 决算 prints, and what it prints (公开05表 本年支出合计)
EXECUTED = {"2069999": 68.56, "2080505": 51.12, "2080506": 1.42, "2150101": 416.63, "2150199": 837.86,
            "2159999": 2825.61, "2210201": 76.63, "2210203": 12.15}
PLANTED = {("2150101", 420.0, 416.63, "行政运行"), ("2210201", 76.36, 76.63, "住房公积金")}


def budget(variant: str) -> Path:
    return FIXTURES / "pair" / f"nanchang-bigdata-2022-yusuan-execution-{variant}.txt"


def findings(out: Path, slug: str = "yusuan-2022") -> dict:
    return json.loads((out / slug / "findings.json").read_text(encoding="utf-8"))


def held(result: dict) -> set[tuple]:
    """(科目, the budget's 执行数, the 决算's figure, 行名) of each PAIR.prior_execution finding,
    after checking that it is a warning naming both documents' cells."""
    out = set()
    for f in result["findings"]:
        if f["id"] != "PAIR.prior_execution":
            continue
        (cell,) = f["cells"]
        assert f["severity"] == "warning" and "执行数是编制预算时对上年的预计" in f["message"]
        assert (cell["document"], cell["table"], cell["column"], cell["year"]) == ("决算", "T05", "total", 2021)
        assert f["location"].startswith("预算（2022 年）· 预算说明 第 ") and \
            "↔ 决算（2021 年，juesuan-2021）· 公开05表 一般公共预算财政拨款支出决算表 · " in f["location"]
        name = f["location"].split(" · ")[-2]
        out.add((cell["row"], f["actual"], cell["value"], name))
    return out


def executions(result: dict) -> dict[float, tuple]:
    """The 执行数 claims: {value: (verdict, expected, reason)}."""
    return {c["value"]: (c["verdict"], c.get("expected"), c.get("reason") or "")
            for c in result["claims"] if c["kind"] == "prior"}


def folder_with(tmp_path: Path, *docs: tuple[str, Path]) -> Path:
    folder = tmp_path / "params"
    folder.mkdir(exist_ok=True)
    for slug, source in docs:
        year = 2021 if slug.startswith("juesuan") else 2022
        params(folder, slug, source=source, slug=slug, department=DEPARTMENT, year=year)
    return folder


@pytest.mark.timeout(1800)
@pytest.mark.parametrize("variant", ["consistent", "planted"])
def test_batch_holds_the_budgets_execution_against_last_years_decision(tmp_path, variant):
    # the planted budget beside the 决算 as a PDF: the 决算's cell carries its box on that PDF's page
    decision = SAMPLE if variant == "consistent" else FIXTURES / "nanchang-bigdata-2021.chromium.pdf"
    folder = folder_with(tmp_path, ("juesuan-2021", decision), ("yusuan-2022", budget(variant)))
    summary = run_batch([folder], tmp_path / "out", progress=False)
    assert sorted(o.slug for o in summary.ok) == ["juesuan-2021", "yusuan-2022"]
    result = findings(tmp_path / "out")
    planted = PLANTED if variant == "planted" else set()
    assert held(result) == planted
    said = {code: v for code, v in EXECUTED.items()} | {code: v for code, v, _f, _n in planted}
    assert {v: executions(result)[v][:2] for v in said.values()} == {
        v: ("mismatch" if (code, v) in {(c, s) for c, s, _f, _n in planted} else "ok", EXECUTED[code])
        for code, v in said.items()}
    # 行政单位离退休 (2080501): a 科目 the 决算 does not print stays unchecked, saying why
    assert executions(result)[5.0] == ("unchecked", None, "上年预算执行数：2021 年决算（juesuan-2021）"
                                                        "一般公共预算财政拨款支出决算表未列此科目（2080501），无从核对")
    assert not [f for f in result["findings"] if f["severity"] == "error"]
    if variant == "planted":  # the report and the working paper name both documents' cells
        assert {(c["page"], bool(c["box"])) for f in result["findings"] if f["id"] == "PAIR.prior_execution"
                for c in f["cells"]} == {(5, True)}
        where = next(f["location"] for f in result["findings"] if f["id"] == "PAIR.prior_execution")
        assert where in (tmp_path / "out" / "yusuan-2022" / "report.html").read_text(encoding="utf-8")
        sheet = openpyxl.load_workbook(tmp_path / "out" / "yusuan-2022" / WORKING_PAPER)["审核发现"]
        assert where in {r[3] for r in sheet.values}


@pytest.mark.timeout(1800)
def test_the_decision_of_an_earlier_batch_is_taken_from_the_warehouse(tmp_path):
    """The 决算 checked in one batch, the budget added in the next: the 决算 is not re-run, the
    budget is held against its cells in the warehouse; the 决算 changed: both re-run."""
    decision, out = tmp_path / "juesuan.txt", tmp_path / "out"
    decision.write_bytes(SAMPLE.read_bytes())
    run_batch([folder_with(tmp_path, ("juesuan-2021", decision))], out, progress=False)
    summary = run_batch([folder_with(tmp_path, ("yusuan-2022", budget("planted")))], out, progress=False)
    assert ([o.slug for o in summary.skipped], [o.slug for o in summary.ok]) == (["juesuan-2021"], ["yusuan-2022"])
    assert held(findings(out)) == PLANTED
    decision.write_bytes(SAMPLE.read_bytes() + b"\n")
    summary = run_batch([tmp_path / "params"], out, progress=False)
    assert sorted(o.slug for o in summary.ok) == ["juesuan-2021", "yusuan-2022"]
    assert held(findings(out)) == PLANTED


@pytest.mark.timeout(1800)
def test_a_skipped_budget_is_rerun_when_last_years_decision_turns_up(tmp_path):
    """The budget checked alone (its 执行数 unchecked, saying why), then the 决算 of the year before
    added (params naming its department and year): the budget is re-run and held against it; a
    batch after that re-runs nothing."""
    out = tmp_path / "out"
    run_batch([folder_with(tmp_path, ("yusuan-2022", budget("planted")))], out, progress=False)
    assert not held(findings(out))
    assert set(executions(findings(out)).values()) == {("unchecked", None, "上年预算执行数：须与上年决算核对（批量核对时）")}
    summary = run_batch([folder_with(tmp_path, ("juesuan-2021", SAMPLE))], out, progress=False)
    assert sorted(o.slug for o in summary.ok) == ["juesuan-2021", "yusuan-2022"]
    assert held(findings(out)) == PLANTED
    summary = run_batch([tmp_path / "params"], out, progress=False)
    assert sorted(o.slug for o in summary.skipped) == ["juesuan-2021", "yusuan-2022"]


def test_a_last_year_figure_that_is_not_said_to_be_executed_is_not_held_against_the_decision(tmp_path):
    """The 2025 Shanghai form “X万元，上年:Y万元” does not say Y is a 执行数 (wanli-2025-draft1's equal
    the 2024 budget's): with the 决算 at hand it stays unchecked, saying why; the 执行数 form is held."""
    from auditlib.ingest import read_report
    from auditlib.rules.prior import Prior
    from auditlib.rules.runner import apply_prior, check

    text = budget("planted").read_text(encoding="utf-8")
    said = tmp_path / "shanghai-2025-form.txt"
    said.write_text(re.sub(r"(”[\d.]+万元)，主要用于([^。]+)。2021年当年预算执行数为([\d.]+)万元，2022年预算安排[\d.]+万元，"
                           r"比2021年预算执行数..[\d.]+%", r"\1，上年:\3万元，主要用于\2", text), encoding="utf-8")
    decision = Prior(read_report(SAMPLE), "juesuan-2021", 2021)
    for source, planted in ((budget("planted"), PLANTED), (said, set())):
        result = check(read_report(source))
        found = apply_prior(result, {}, finals={2021: decision})
        assert {(f.cells[0]["row"], f.actual, f.expected) for f in found} == {(c, s, d) for c, s, d, _n in planted}
        reasons = {c["reason"] for c in result.to_json()["claims"] if c["kind"] == "prior" and c["verdict"] == "unchecked"}
        assert reasons == ({"上年数：未说明是执行数还是预算数，不与上年决算核对"} if source == said else
                           {"上年预算执行数：2021 年决算（juesuan-2021）一般公共预算财政拨款支出决算表未列此科目（2080501），无从核对"})
