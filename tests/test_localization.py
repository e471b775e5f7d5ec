"""Error localization on generated reports with one planted table error each (issue 25): the
measurement harness (tests/synth/localization.py), its oracle (tests/identities.py), and the
issue's goals.

The goals are measured here on 48 reports (8 base reports, one per layout, each planted with
each of the 6 kinds: ~25 s); `python -m tests.synth.localization --count 120` measures 120.
"""

from __future__ import annotations

import random


from auditlib.ingest import read_report
from tests.identities import relations, single_cell_explanations
from tests.synth import TABLE_ERROR_KINDS, generate, inject
from tests.synth.localization import GOALS, LAYOUTS, Case, cases, tally
from tests.synth.reference import ECON

COUNT = len(LAYOUTS) * len(TABLE_ERROR_KINDS)


def _explained(syn, kind: str, rng_seed: int, tmp_path):
    inj = inject(syn, kind, random.Random(rng_seed))
    report = read_report(inj.report.write(tmp_path / f"{kind}-{rng_seed}.txt"))
    return inj, single_cell_explanations(relations(report))


def test_oracle_names_the_only_cell_that_explains_the_failures(tmp_path):
    """A 项 figure of 公开05表 changed (seed 1: 2080502 基本支出 31.15 printed 13.15) fails its row
    and its 款; only that cell explains both, by the change back to its true value."""
    inj, explained = _explained(generate(1), "leaf", 14, tmp_path)
    assert (inj.table, inj.row, inj.column, inj.original_value, inj.printed_value) == \
        ("T05", "2080502", "basic", 31.15, 13.15)
    (cell, (lo, hi)), = explained.items()
    assert cell == ("T05", "2080502", "basic") and lo <= 31.15 - 13.15 <= hi and hi - lo < 0.05


def test_oracle_lists_every_leaf_of_a_one_column_list(tmp_path):
    """A 公开06表 款 transposed (seed 4: 30209 物业管理费 13.48 printed 31.48) fails only 302 = Σ款:
    any 302 款 could carry the difference, so the identities do not determine it."""
    inj, explained = _explained(generate(4), "leaf", 44, tmp_path)
    assert (inj.table, inj.row, inj.original_value, inj.printed_value) == ("T06", "30209", 13.48, 31.48)
    assert set(explained) == {("T06", code, "amount") for code, _ in ECON["302"][1]}


def test_consistent_reports_fail_no_identity(tmp_path):
    for seed in range(3):
        report = read_report(generate(seed).write(tmp_path / f"ok-{seed}.txt"))
        assert not [r.rule for r in relations(report) if r.fails]
        assert single_cell_explanations(relations(report)) == {}


def test_scores_follow_the_findings_contract():
    """Scored on real findings without the localizer (the baseline), then with a cause finding as
    the contract shapes it: the printed and the true value must both be right."""
    total, leaf = (next(c for c in cases(6, seed=3, baseline=True) if c.injection.kind == k) for k in ("total", "leaf"))
    assert total.named_baseline and not leaf.named_baseline  # a 合计 is some error's first cell, a 项 is none
    assert not (total.named or total.candidate)
    record = {"table": leaf.injection.table, "row": leaf.injection.row, "column": leaf.injection.column,
              "value": leaf.printed, "page": None, "line": 1, "box": None}
    cause = {"id": "LOC.cell", "severity": "error", "cells": [record], "actual": leaf.printed,
             "expected": leaf.original, "implied": leaf.original, "candidates": [], "symptoms": []}
    assert _with(leaf, cause).named
    assert not _with(leaf, {**cause, "implied": leaf.printed}).named
    assert not _with(leaf, {**cause, "actual": leaf.original}).named
    listed = {**cause, "id": "LOC.candidates", "cells": [], "candidates": [[{**record, "row": "other"}], [record]]}
    assert _with(leaf, listed).candidate and not _with(leaf, listed).named


def _with(case: Case, finding: dict) -> Case:
    return Case(case.seed, case.layout, case.injection, [*case.findings, finding], case.verdict, case.factor,
                case.errors, case.table_errors, case.window)


def test_localizer_meets_the_goals():
    """The planted cell named with its printed and true value in ≥ 95 % of the cases the identities
    determine, the others listed as candidates, and ≤ 1.2 error findings per planted error."""
    found = list(cases(COUNT, seed=0))
    scores = tally(found)["all"]
    assert scores.verdicts["determined"] >= 0.8 * COUNT  # the measurement measures something
    missed = [(c.injection.kind, c.cell) for c in found if c.verdict == "determined" and not c.named]
    assert scores.named_rate >= GOALS["named"], missed
    ambiguous = [c for c in found if c.verdict == "ambiguous"]
    assert sum(c.named or c.candidate for c in ambiguous) >= GOALS["named"] * len(ambiguous)
    assert scores.errors_rate <= GOALS["errors"], [(c.injection.kind, c.cell, c.errors) for c in found if c.errors > 1]
