"""The prose's claims are read with the document (auditlib.ingest.claims), before and apart from
any check; what the checks conclude of them is their result's (`CheckResult.verdicts`, by claim
id), never written onto the model."""

from __future__ import annotations

from collections import Counter
from dataclasses import FrozenInstanceError

import pytest

from auditlib.ingest import read_report
from auditlib.rules import check
from auditlib.rules.catalog import load_catalog
from auditlib.rules.findings import NOT_JUDGED
from tests.conftest import ROOT

SAMPLE = ROOT / "auditlib" / "samples" / "nanchang-bigdata-2021.txt"


@pytest.fixture(scope="module")
def sample():
    return read_report(SAMPLE)


def test_a_report_carries_its_claims_once_read(sample):
    claims = sample.claims
    assert len(claims) == 135 and [c.id for c in claims] == list(range(135))
    kinds = Counter(c.kind for c in claims)
    assert (kinds["amount"], kinds["year"], kinds["words"], kinds["grade"]) == (35, 14, 2, 3), kinds
    total = claims[1]
    assert (total.subject, total.kind, total.value, total.unit, total.line) == (
        "本部门2021年度收入总计", "amount", 4344.99, "万元", 418)


def test_checking_leaves_the_claims_as_read(sample):
    before = list(sample.claims)
    result = check(sample)
    assert sample.claims == before and set(result.verdicts) == {c.id for c in before}
    with pytest.raises(FrozenInstanceError):
        sample.claims[1].subject = "收入"
    judged = result.claims[1]
    with pytest.raises(AttributeError):
        judged.value = 1.0  # a check sets a verdict, never what was read
    assert (judged.verdict, judged.target) == ("ok", "T01[income_grand_total].amount")
    assert result.verdicts[1].verdict == "ok" and result.to_json()["claims"][1]["verdict"] == "ok"


def test_the_claims_do_not_wait_for_the_checks_that_judge_them(sample, tmp_path):
    """With the narrative and performance checks switched off the claims are still there,
    unchecked and saying why; a check of the `claims` stage that reads only what was read
    (COMPL.reasons: a reason for every change) finds what it finds with them on."""
    off = tmp_path / "off.yaml"
    off.write_text("".join(f"- id: {r.id}\n  enabled: false\n" for r in load_catalog()
                           if r.check in ("narrative", "performance")), encoding="utf-8")
    without = check(sample, extra=[off])
    assert len(without.claims) == 135
    # unchecked, saying why — but for the rates on a zero base, which NARR.zero_base judges itself
    assert {(c.verdict, c.reason, c.rule) for c in without.claims} == {("unchecked", NOT_JUDGED, None),
                                                                       ("mismatch", "", "NARR.zero_base")}
    reasons = [f.message for f in without.findings if f.id == "COMPL.reasons"]
    assert reasons and reasons == [f.message for f in check(sample).findings if f.id == "COMPL.reasons"]
