"""Property tests over the phrasing bank (tests.synth.WORDINGS, issue 12): the
第三部分 and 绩效 prose written in the Nanchang wording, the Shanghai 2024 template's
and a third, through the real reader and checks.

1. A consistent report gives no error and no warning in every wording, and every
   claim kind the bank writes is read and checked in every wording.
2. Each planted prose error (synth.PROSE_KINDS) is found, in every wording, as an
   `error` of the rule that owns it, and nothing else in the tables is blamed.

Deterministic (derandomized, no example database) and small: the whole file stays
well under a minute on one core.
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
# The claim kinds the bank writes; all but `change` (last year is in no table of this year) get checked.
KINDS = {"amount", "budget", "share", "completion", "growth", "count", "words", "grade", "yuan", "year"}

def _check(report, tmp_path, name: str):
    return check(read_report(report.write(tmp_path / f"{name}.txt")))

@pytest.mark.parametrize("wording", WORDINGS)
@settings(max_examples=4, **PROFILE)
@given(seed=SEEDS)
def test_consistent_prose_gives_no_error_in_any_wording(wording, seed, tmp_path):
    result = _check(generate(seed, wording=wording), tmp_path, f"{wording}-{seed}")
    assert (result.errors, result.warnings) == (0, 0), [
        (f.id, f.message) for f in result.findings if f.severity != "info"]
    checked = Counter(c.kind for c in result.claims if c.verdict == "ok")
    assert KINDS <= set(checked), KINDS - set(checked)
    assert all(c.reason for c in result.claims if c.verdict == "unchecked")

def test_the_wordings_differ_and_say_what_the_issue_lists():
    texts = {w: "\n".join(generate(3, wording=w).tail) for w in WORDINGS}
    assert len(set(texts.values())) == 3
    assert "存在差异" in texts["plain"] and "折合" in texts["plain"] and "预算完成率" in texts["plain"]
    assert "与 2020 年度相比" in texts["shanghai"] and "元）" in texts["shanghai"]
    assert "较 2020 年" in texts["nanchang"] and "评价等级为" in texts["nanchang"]
    assert all(re.search(r"决算数(大于|小于|持平)", t) for t in texts.values())

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
