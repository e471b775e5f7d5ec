"""Error localization (issue 25): the fewest cells whose change makes every identity hold.

The solver (auditlib.rules.edits) on small problems whose answer is known, then the whole
check on the real Nanchang report and on copies of it with one known misprint planted in the
model (so that the planted cell, its printed and its true value are known exactly).
"""

from __future__ import annotations

import copy
import math

import pytest

from auditlib.ingest import read_report
from auditlib.report.html import findings_table
from auditlib.rules import check
from auditlib.rules.edits import Problem, Relation, fewest_changes, lower_bound, single_changes
from tests.conftest import ROOT

INF = math.inf


# ---- the solver ------------------------------------------------------------------------

def test_one_change_is_found_with_its_range():
    # a = b + c printed 10 = 3 + 5 (off by 2); b also equals d (3 = 3, holds)
    p = Problem([Relation({0: 1, 1: -1, 2: -1}, 2.0, 0.015), Relation({1: 1, 3: -1}, 0.0, 0.01)], [-INF] * 4)
    singles = single_changes(p)
    # a (−2) or c (+2) mend it alone; b would break b = d, d is in no failing relation
    assert sorted(singles) == [0, 2]
    assert singles[0] == pytest.approx((-2.015, -1.985)) and singles[2] == pytest.approx((1.985, 2.015))
    solution = fewest_changes(p)
    assert solution.cost == 1 and solution.alternatives == [(0,), (2,)] and solution.complete
    assert solution.necessary == ()  # two cells fit equally: neither is certain


def test_two_changes_by_the_program_with_the_cell_every_set_needs():
    # x0 = x1 + x2 (off by 5), x0 = x3 (off by 4), x1 = x4 (off by −3): no single cell mends all
    p = Problem([Relation({0: 1, 1: -1, 2: -1}, 5.0, 0.015), Relation({0: 1, 3: -1}, 4.0, 0.01),
                 Relation({1: 1, 4: -1}, -3.0, 0.01)], [-INF] * 5)
    assert single_changes(p) == {} and lower_bound(p) == 2
    solution = fewest_changes(p, most=10)
    # by hand: a set of three must meet {0,1,2}, {0,3} and {1,4}, with changes that agree —
    # every three-set does but {0,2,3} and {1,2,4} (they miss a relation)
    assert solution.cost == 3 and solution.complete and sorted(solution.alternatives) == [
        (0, 1, 2), (0, 1, 3), (0, 1, 4), (0, 2, 4), (0, 3, 4), (1, 2, 3), (1, 3, 4), (2, 3, 4)]
    assert solution.necessary == ()
    for alternative, spans in zip(solution.alternatives, solution.spans):
        assert set(spans) == set(solution.necessary) & set(alternative)


def test_a_unique_pair_gets_both_values():
    # two separate mistakes tied by a total: t = a + b holds, a = a1 (off by 1), b = b1 (off by −1)
    p = Problem([Relation({0: 1, 1: -1, 2: -1}, 0.0, 0.015), Relation({1: 1, 3: -1}, 1.0, 0.01),
                 Relation({2: 1, 4: -1}, -1.0, 0.01), Relation({3: 1, 5: -1}, 0.0, 0.01),
                 Relation({4: 1, 6: -1}, 0.0, 0.01)], [-INF] * 7)
    solution = fewest_changes(p)
    assert solution.cost == 2 and solution.alternatives == [(1, 2)] and solution.necessary == (1, 2)
    (spans,) = solution.spans
    assert spans[1] == pytest.approx((-1.01, -0.99)) and spans[2] == pytest.approx((0.99, 1.01))


def test_a_figure_that_cannot_turn_negative_is_a_preference_not_a_wall():
    # a = b printed 0 = 5: only a can rise (b cannot fall below 0) — unless nothing else works
    p = Problem([Relation({0: 1, 1: -1}, -5.0, 0.01)], [0.0, -0.0])
    assert fewest_changes(p).alternatives == [(0,)]
    stuck = Problem([Relation({0: 1}, 5.0, 0.01)], [0.0])  # a printed 5 must become 0: a lower bound of 0 change
    assert fewest_changes(stuck).alternatives == [(0,)]


def test_the_solver_prints_nothing(capfd):
    """HiGHS's banner must not reach stdout: `check --format json` prints JSON only."""
    p = Problem([Relation({0: 1, 1: -1, 2: -1}, 5.0, 0.015), Relation({0: 1, 3: -1}, 4.0, 0.01),
                 Relation({1: 1, 4: -1}, -3.0, 0.01)], [-INF] * 5)
    assert fewest_changes(p).cost == 3
    out, err = capfd.readouterr()
    assert out == "" and err == ""


# ---- the real report ----------------------------------------------------------------------

def test_nanchang_t06_is_one_cause_the_relations_cannot_pin(nanchang):
    """公开06表 (lines 285–318) and 公开05表 (line 258), verified by hand:

    301 prints 871.29, its 款 add up to 841.75; 302 prints 164.00, its 款 148.19; 人员经费合计
    872.80 ≠ 301 + 303 = 872.90; 公用支出合计 160.08 ≠ 302 = 164.00; 公开05表 基本支出 1,038.94 ≠
    872.80 + 160.08.  公开05表 adds up in itself (and with 公开04表), so 人员经费 + 公用经费 must be
    1,038.94; with 人员经费 = 301 + 1.61 and 公用经费 = 302 that needs 301 + 302 = 1,037.33 while they
    print 1,035.29, so one of 301 / 302 is wrong; whichever stays, the total beside it is wrong
    too, and both 款 lists miss their 类 unless the 类 moves to them, which breaks its total:
    every way through needs five cells (e.g. 301, one 301 款, 302, 人员经费合计, 公用支出合计), and
    there are several such ways.  So: one cause, five cells at least, not which five."""
    result = check(nanchang)
    causes = [f for f in result.findings if f.id.startswith("LOC.")]
    assert [(f.id, f.severity, f.tables[0]) for f in causes] == [("LOC.candidates", "error", "T06")]
    cause = causes[0]
    assert "须改动至少 5 处" in cause.message and "无法确定" in cause.message
    symptoms = {(f.id, f.location) for f in result.findings if f.cause == cause.key}
    assert symptoms == {("X.T05_T06_basic", "公开05表 栏次合计 基本支出"),
                        ("T06.hierarchy", "公开06表 工资福利支出 决算数"),
                        ("T06.hierarchy", "公开06表 商品和服务支出 决算数"),
                        ("T06.personnel_total", "公开06表 人员经费合计 决算数"),
                        ("T06.public_total", "公开06表 公用支出合计 决算数")}
    assert set(cause.symptoms) == {f.key for f in result.findings if f.cause == cause.key}
    assert all(f.severity == "warning" for f in result.findings if f.cause)
    assert len(cause.candidates) >= 2 and all(len(choice) == 5 for choice in cause.candidates)
    # every listing shows the symptoms right under their cause
    at = result.findings.index(cause)
    assert [f.cause for f in result.findings[at + 1:at + 6]] == [cause.key] * 5
    page = findings_table(result).html
    assert page.count('class="al-row al-symptom"') == 5 and page.count(f"↳ 由 #{at + 1} 引起") == 5


@pytest.fixture()
def sample(nanchang):
    return copy.deepcopy(nanchang)


def test_one_digit_lost_in_four_places_is_one_cause(sample):
    """The shape of the issue's real example: 208 and 20805 基本支出 print 53.70 in 公开03表 and
    公开05表; printed 5.70 in all four places, their 项 (1.16 + 51.12 + 1.42) and the 合计 beside
    them say 53.70."""
    for table in ("T03", "T05"):
        for row in ("208", "20805"):
            sample.tables[table].data.at[row, "basic"] = 5.70
    result = check(sample)
    cells = [f for f in result.findings if f.id == "LOC.cell"]
    assert len(cells) == 1
    cause = cells[0]
    assert {(c["table"], c["row"], c["column"]) for c in cause.cells} == {
        ("T03", "208", "basic"), ("T03", "20805", "basic"), ("T05", "208", "basic"), ("T05", "20805", "basic")}
    assert (cause.actual, cause.implied, cause.expected) == (5.70, 53.70, 53.70)
    assert "4 处均列示 5.70，按勾稽关系应为 53.70（少印一位数字）" in cause.message
    # its row totals and its 款 / 合计 sums in both tables: warnings under it, not errors
    symptoms = [f for f in result.findings if f.cause == cause.key]
    assert sorted(f.id for f in symptoms) == ["T03.hierarchy"] * 2 + ["T03.row_total"] * 2 + [
        "T05.hierarchy"] * 2 + ["T05.row_total"] * 2
    # the 公开06表 problem of the real report stays its own cause
    assert [f.id for f in result.findings if f.id.startswith("LOC.")] == ["LOC.cell", "LOC.candidates"]


def _t06_added_up(report) -> None:
    """The real report's 公开06表 made to add up (and to agree with 公开05表's 基本支出 1,038.94):
    30199 and 30299 carry what their 类 miss, 人员经费合计 = 301 + 303, 公用支出合计 = 302."""
    t06 = report.tables["T06"].data
    t06.at["30199", "amount"] = 13.08 + 29.54
    t06.at["personnel_total", "amount"] = 871.29 + 1.61
    for row in ("302", "public_total"):
        t06.at[row, "amount"] = 1038.94 - 872.90
    t06.at["30299", "amount"] = 7.87 + (1038.94 - 872.90 - 148.19)


def test_a_transposed_leaf_is_named_with_its_true_value(sample):
    """The issue's case (30209 printed 81.61 for 18.61) on a 公开06表 that otherwise adds up:
    30201 办公费 48.09 printed 84.09.  Among the 27 款 of 302 only it prints enough to give back
    36.00, and its figure is two digits swapped."""
    _t06_added_up(sample)
    assert not [f for f in check(sample).findings if f.id.startswith("LOC.")]
    sample.tables["T06"].data.at["30201", "amount"] = 84.09
    result = check(sample)
    (cause,) = [f for f in result.findings if f.id.startswith("LOC.")]
    assert cause.id == "LOC.cell" and [(c["row"], c["column"]) for c in cause.cells] == [("30201", "amount")]
    assert (cause.actual, cause.implied) == (84.09, 48.09) and "（两位数字颠倒）" in cause.message
    assert cause.candidates == []  # the relations alone single it out
    assert [f.id for f in result.findings if f.cause == cause.key] == ["T06.hierarchy"]


def test_a_misprint_tells_apart_what_the_relations_cannot(sample):
    """30206 电费 4.82 printed 8.42: any 款 of 302 printing at least 3.60 could give it back
    (办公费 48.09 → 44.49, 物业管理费 28.10 → 24.50 …); only in 30206 is the difference a typical
    misprint (two digits swapped).  Named, with the others kept as candidates."""
    _t06_added_up(sample)
    sample.tables["T06"].data.at["30206", "amount"] = 8.42
    result = check(sample)
    (cause,) = [f for f in result.findings if f.id.startswith("LOC.")]
    assert cause.id == "LOC.cell" and [(c["row"], c["column"]) for c in cause.cells] == [("30206", "amount")]
    assert (cause.actual, cause.implied) == (8.42, 4.82) and "只有此处的差异是常见的录入错误" in cause.message
    rows = [[c["row"] for c in choice] for choice in cause.candidates]
    assert ["30206"] in rows and ["30201"] in rows and ["30209"] in rows


def test_where_two_misprints_fit_both_stay_candidates(sample):
    """30211 维修费 9.19 printed 9.91 (+0.72): 30213 维修(护)费 0.80 → 0.08 gives back the same 0.72,
    and so, within the rounding allowance of 28 printed figures (±0.14), do 30217 2.81 → 2.18
    and 30239 2.70 → 2.07.  Several typical misprints fit: nothing is named, they are listed."""
    _t06_added_up(sample)
    sample.tables["T06"].data.at["30211", "amount"] = 9.91
    result = check(sample)
    (cause,) = [f for f in result.findings if f.id.startswith("LOC.")]
    assert cause.id == "LOC.candidates" and "302 商品和服务支出 决算数 所属" in cause.message
    assert "30211 维修费（9.91 → 9.19，两位数字颠倒）" in cause.message
    assert "30213 维修(护)费（0.80 → 0.08，两位数字颠倒）" in cause.message


def test_on_a_scan_a_confusable_digit_is_a_reading_doubt(sample):
    """The same localization on an OCR'd report: 2080505 基本支出 read 57.12 where 51.12 is
    printed (a 1 read as 7): the cell is named, as a reading to check, not an error."""
    sample.input_kind = "scan"
    sample.tables["T05"].data.at["2080505", "basic"] = 57.12
    result = check(sample)
    cause = next(f for f in result.findings if f.id == "LOC.cell" and f.tables == ["T05"])
    assert [(c["row"], c["column"]) for c in cause.cells] == [("2080505", "basic")]
    assert cause.severity == "warning" and cause.implied == 51.12 and "疑为识别误差" in cause.message


def test_a_table_printed_in_yuan_under_a_wan_heading_is_a_unit_error():
    """tests/fixtures/golden/inputs/table-unit.txt: 公开04表's figures are 元 under 金额单位：万元."""
    result = check(read_report(ROOT / "tests" / "fixtures" / "golden" / "inputs" / "table-unit.txt"))
    (scale,) = [f for f in result.findings if f.id == "LOC.scale"]
    assert scale.severity == "error" and scale.tables == ["T04"] and "10,000 倍" in scale.message
    symptoms = [f for f in result.findings if f.cause == scale.key]
    # the ≥ heuristics over 公开04表 (年初/年末结转和结余) fail only by the unit too: symptoms, not findings of their own
    assert {f.id for f in symptoms} == {"X.T01_T04_fiscal", "X.T04_T05_total", "X.T04_T05_class", "NARR.amount",
                                        "X.T01_T04_opening", "X.T01_T04_closing"}
    assert not [f for f in result.findings if f.cause is None and f.id.startswith("X.")]
    assert result.fully_checked and not [f for f in result.findings if f.id == "READ.doubtful"]


def test_a_relation_the_unit_does_not_explain_is_no_symptom_of_it(tmp_path):
    """The same report with 公开01表's 年初结转和结余 printed 1.00: below 公开04表's 126.60 even in
    万元, so that warning is not put down to 公开04表's unit."""
    source = ROOT / "tests" / "fixtures" / "golden" / "inputs" / "table-unit.txt"
    path = tmp_path / "table-unit.txt"
    path.write_text(source.read_text(encoding="utf-8").replace("29\t126.60", "29\t1.00", 1), encoding="utf-8")
    result = check(read_report(path))
    (scale,) = [f for f in result.findings if f.id == "LOC.scale"]
    opening = next(f for f in result.findings if f.id == "X.T01_T04_opening")
    assert opening.cause != scale.key and opening.key not in scale.symptoms
    assert next(f for f in result.findings if f.id == "X.T01_T04_closing").cause == scale.key


def test_out_of_time_the_symptoms_stay_as_they_are(nanchang, tmp_path):
    """The solver's time is the entry's `seconds`: what it could not solve in time keeps its
    findings as errors (nothing is linked to a cause that was never found)."""
    import time

    p = Problem([Relation({0: 1, 1: -1, 2: -1}, 5.0, 0.015), Relation({0: 1, 3: -1}, 4.0, 0.01),
                 Relation({1: 1, 4: -1}, -3.0, 0.01)], [-INF] * 5)
    late = fewest_changes(p, deadline=time.monotonic())
    assert late.alternatives == [] and not late.complete
    rules = tmp_path / "no-time.yaml"
    rules.write_text("- id: LOC.cell\n  params:\n    seconds: 0\n", encoding="utf-8")
    result = check(nanchang, extra=[rules])
    assert not [f for f in result.findings if f.id.startswith("LOC.") or f.cause]
    assert {f.id for f in result.findings if f.severity == "error" and f.tables[0] == "T06"} >= {
        "T06.hierarchy", "T06.personnel_total", "T06.public_total"}


def test_the_narrative_tells_apart_what_the_relations_cannot(tmp_path):
    """A generated report (seed 1002, zero printed blank) whose 公开07表 “三公”经费 年初预算数 prints
    16.95 for 19.36: the total or its one non-zero item could carry the change (one identity, two
    cells), but the narrative restates the total as 19.36 — that names it, and the narrative's
    own finding is a symptom of it."""
    import random

    from tests.synth.localization import base_report
    from tests.synth.reference import TABLE_ERROR_KINDS
    from tests.synth import inject

    planted = inject(base_report(1002, "blank zero"), "total", random.Random(1002 * 1000 + TABLE_ERROR_KINDS.index("total")))
    assert (planted.table, planted.row, planted.column, planted.printed_value, planted.original_value) == (
        "T07", "total", "budget", 16.95, 19.36)
    result = check(read_report(planted.report.write(tmp_path / "t07.txt")))
    (cause,) = [f for f in result.findings if f.id.startswith("LOC.")]
    assert cause.id == "LOC.cell" and [(c["row"], c["column"]) for c in cause.cells] == [("total", "budget")]
    assert (cause.actual, cause.implied) == (16.95, 19.36)
    assert "情况说明亦作 19.36" in cause.message and "只有此处的情况说明所列之数与此相符" in cause.message
    assert {f.id for f in result.findings if f.cause == cause.key} == {"T07.total", "NARR.amount"}
    assert not [f for f in result.findings if f.severity == "error" and f is not cause and not f.id.startswith("COMPL")]
