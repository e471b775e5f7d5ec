"""What every check is given: the report, the prior years, the settings, the evaluator."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from auditlib.kinds import BUDGET, FINAL
from auditlib.model import Claim, Report
from auditlib.numbers import half_unit
from auditlib.rules.rule import Rule
from auditlib.rules.engine import PRINTED_DECIMALS, Engine, Side
from auditlib.rules.expressions import Expr
from auditlib.rules.findings import Judged, Verdict, judged

if TYPE_CHECKING:
    from auditlib.rules.prior import Pair, Prior


@dataclass
class Settings:
    """The audit's settings: `tolerance` is the rounding allowance of one printed figure (None:
    half a unit of its last printed digit); `params` what the document does not print
    (published_on, approved_on, profile)."""

    tolerance: float | None = None
    params: dict = field(default_factory=dict)

    def allowance(self, rule: Rule | None = None, decimals: int = PRINTED_DECIMALS) -> float:
        """The allowance of one figure for `rule`: the rule's own tolerance, else the audit's,
        else half a unit of the figure's last printed digit."""
        if rule is not None and rule.tolerance is not None:
            return rule.tolerance
        return half_unit(decimals) if self.tolerance is None else self.tolerance


class Context:
    """One report under check.  Checks count what they compare (`checks`) and list what
    they could not run (`skip`), never passing it off as passed."""

    def __init__(self, report: Report, rules: list[Rule], settings: Settings | None = None,
                 priors: dict[int, Prior] | None = None, verdicts: dict[int, Verdict] | None = None,
                 budget: Pair | None = None, finals: dict[int, Prior] | None = None) -> None:
        self.report = report
        self.budget = budget  # the 预算 of the same department and year (pair rules), if given
        # a 预算's department's 决算 of the years before ({year: Prior}): its 上年执行数 are theirs
        self.finals = {y: p for y, p in (finals or {}).items() if report.kind == BUDGET and p.report.kind == FINAL}
        self.settings = settings or Settings()
        self.catalog = rules
        self.rules = {r.id: r for r in rules if r.enabled}
        # the prior years of the report's own kind only: a 预算 is never a 决算's prior, nor the reverse
        self.priors = {y: p for y, p in (priors or {}).items() if p.report.kind == report.kind}
        self.evaluator = Engine(report, self.settings.tolerance)
        self.verdicts: dict[int, Verdict] = verdicts if verdicts is not None else {}
        self.checks = 0
        self.not_run: list[dict] = []
        self.findings: list = []  # what the stages before found (localization links its symptoms)

    @property
    def params(self) -> dict:
        return self.settings.params

    def rule(self, rule_id: str) -> Rule | None:
        """The catalog entry of an id; None when it is disabled (its findings are not made)."""
        return self.rules.get(rule_id)

    def family(self, f) -> str:
        """The listing group of the rule that made a finding (表文, 完整性, 跨年 …: `Rule.category`)."""
        rule = self.rules.get(f.id)
        return rule.category if rule is not None else ""

    def allowance(self, rule: Rule | None = None, decimals: int = PRINTED_DECIMALS) -> float:
        return self.settings.allowance(rule, decimals)

    def side(self, expression: Expr | str, multi: bool = False) -> Side:
        return self.evaluator.side(expression, multi)

    def judged(self, claim: Claim) -> Judged:
        """A claim of the report with its verdict, for a check to set (unchecked until it does)."""
        return Judged(claim, self.verdicts.setdefault(claim.id, Verdict()))

    @property
    def claims(self) -> list[Judged]:
        """The report's claims (read with the document) with their verdicts so far, to read: a
        check of the `claims` stage sees what the `prose` stage concluded of them."""
        return judged(self.report.claims, self.verdicts)

    def skip(self, rule: Rule, reason: str) -> None:
        """A check that cannot run here (no dates, no prior year): listed, not passed."""
        self.not_run.append({"id": rule.id, "rule": rule.title, "reason": reason})
