"""Property tests over the phrasing bank (tests.synth.WORDINGS: nine wording families drawn
from real 情况说明 of several provinces and years, issues 12 and 27), through the real reader
and checks.

1. A consistent report gives no error and no warning in every family, and every claim kind the
   bank writes is read and checked in every family.
2. Each planted prose error (synth.PROSE_KINDS, percentages included) is found, in every
   family, as an `error` of the rule that owns it, and nothing else in the tables is blamed.

Deterministic (derandomized, no example database): about a minute of one core, split by xdist.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditlib.ingest import read_report
from auditlib.rules import check
from tests.synth import PROSE_KINDS, WORDINGS, generate, inject_prose

SEEDS = st.integers(min_value=0, max_value=2**31 - 1)
PROFILE = dict(deadline=None, derandomize=True, database=None, print_blob=True,
               suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
# The claim kinds every family writes; all but `change` (last year is in no table of this year) get checked.
KINDS = {"amount", "budget", "share", "completion", "growth", "count", "words", "grade", "yuan", "year"}
# The families that also write a gap to the budget (决算数大于预算数 N 万元, 差值为) or its rate.
BUDGET_GAPS = {"anhui": {"difference", "deviation"}, "hubei": {"difference"}, "gansu": {"difference"},
               "central": {"deviation"}}


def _check(report, tmp_path, name: str):
    return check(read_report(report.write(tmp_path / f"{name}.txt")))


@pytest.mark.parametrize("wording", WORDINGS)
@settings(max_examples=3, **PROFILE)
@given(seed=SEEDS)
def test_consistent_prose_gives_no_error_in_any_wording(wording, seed, tmp_path):
    result = _check(generate(seed, wording=wording), tmp_path, f"{wording}-{seed}")
    assert (result.errors, result.warnings) == (0, 0), [
        (f.id, f.message) for f in result.findings if f.severity != "info"]
    checked = Counter(c.kind for c in result.claims if c.verdict == "ok")
    assert KINDS <= set(checked), KINDS - set(checked)
    assert all(c.reason for c in result.claims if c.verdict == "unchecked")


def test_gaps_to_the_budget_are_checked_where_written(tmp_path):
    for wording, kinds in BUDGET_GAPS.items():
        result = _check(generate(3, wording=wording), tmp_path, wording)
        assert kinds <= {c.kind for c in result.claims if c.verdict == "ok"}, wording


def test_a_share_of_a_base_the_sentence_implies_is_consistent_by_that_reading(tmp_path):
    """gansu writes the 支出 parts' shares of the 支出总计 after naming 本单位支出 (本年支出合计): no
    finding, and each such share says the reading that makes it true."""
    result = _check(generate(3, wording="gansu"), tmp_path, "gansu")
    others = [c for c in result.claims if c.kind == "share" and c.verdict == "ok" and c.reading]
    assert others and all("总计" in c.reading for c in others)
    assert (result.errors, result.warnings) == (0, 0)


def test_the_wordings_differ_and_say_what_the_issues_list():
    texts = {w: "\n".join(generate(3, wording=w).tail) for w in WORDINGS}
    assert len(set(texts.values())) == len(WORDINGS) >= 6
    assert "存在差异" in texts["plain"] and "折合" in texts["plain"] and "预算完成率" in texts["plain"]
    assert "与 2020 年度相比" in texts["shanghai"] and "元）" in texts["shanghai"]
    assert "较 2020 年" in texts["nanchang"] and "评价等级为" in texts["nanchang"]
    assert all(re.search(r"决算数(与预算数)?(大于|小于|持平)", t) for t in texts.values())
    # the classes of issue 27, each in the families that write it
    assert re.search(r"其中：本年支出合计[\d.]+万元，结余分配[\d.]+万元，年末结转和结余", texts["xinjiang"])
    assert re.search(r"国内公务接待支出 [\d.]+ 万（含外宾接待支出 [\d.]+ 万元）", texts["shanghai"])
    assert all("单位价值50万元以上通用设备" in texts[w] for w in ("hubei", "gansu"))
    assert all("主要用于以下方面" in texts[w] for w in WORDINGS if w != "gansu")
    assert re.search(r"其中：因公出国（境）费支出决算(减少|增加) [\d.]+ 万元，(下降|增长)", texts["shanghai"])
    assert re.search(r"收、支总计各是[\d.]+,[\d.]+万元", texts["sichuan"])
    assert re.search(r"较上年[\d.]+(减少|增加)[\d.]+万元，(减少|增加)了", texts["hubei"])
    assert re.search(r"与2021年度预算相比，(增加|减少)", texts["anhui"]) and "预算执行比例为" in texts["central"]
    assert re.search(r"决算数(大于|小于)预算数[\d.]+万元", texts["gansu"])


@pytest.mark.parametrize("kind", PROSE_KINDS)
@pytest.mark.parametrize("wording", WORDINGS)
@settings(max_examples=1, **PROFILE)
@given(seed=SEEDS)
def test_each_prose_error_is_found_in_every_wording(kind, wording, seed, tmp_path):
    planted = inject_prose(generate(seed, wording=wording), kind, wording)
    result = _check(planted, tmp_path, f"{kind}-{wording}-{seed}")
    errors = [(f.id, f.message) for f in result.findings if f.severity == "error"]
    assert PROSE_KINDS[kind] in {i for i, _ in errors}, errors
    assert all(i.startswith(("NARR", "PERF")) for i, _ in errors), errors
