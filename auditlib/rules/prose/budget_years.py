"""A budget's 比上年 claims against the department's budget of that year (issue 30;
notes/i30-design.md §1.3): “比2023年预算减少876.75万元” (Shanghai), “与上年相比增加 4322.77 万元，增长
14.98%” (Jiangsu).  The prose stage can only hold such a change against the narrative itself (last
year's sum = this year's − the change, never below zero); with last year's 预算 at hand (a batch, or
the warehouse) the change is this year's table figure − last year's figure of the same 科目 or
sum, found in last year's tables the way the narrative's amount was found in this year's.

Only a 预算 is held against a 预算: a 执行数 (“比2023年预算执行数增加 0.64%”) is the prior 决算's
business, and a prior of another kind is never given (auditlib.batch.schedule).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from auditlib.claims import BudgetFigure
from auditlib.kinds import BUDGET
from auditlib.model import Report
from auditlib.numbers import half_unit
from auditlib.rules.context import Context
from auditlib.rules.findings import Finding, finding
from auditlib.rules.intervals import beyond, percent_verdict, ratio_span
from auditlib.rules.prose.budget_cells import Located, locate_figure, other_funds
from auditlib.rules.rule import Check, Rule

__all__ = ["CHECKS"]

VERSUS = re.compile(r"(?:比|较|与)\s*((?:19|20)\d{2})\s*年")  # 比2023年预算: the year a change is on


@dataclass
class Sum:
    """The sum a narrative amount restates, this year and in the prior budget (万元)."""

    now: Located
    before: Located


def _first(found: list[Located], code: str = "") -> Located | None:
    """The first reading with a figure (in table `code` when given)."""
    return next((at for at in found if at.value is not None and (not code or at.cells[:1] and at.cells[0][0] == code)),
                None)


def _said(at: Located) -> float:
    """How far the narrative's 万元 figure for a sum may be from the table's: nothing when the
    table prints it in 万元 (restated as printed), half a 0.01 万元 when in 元 (rounded when said:
    wanli-2025's 18,976.76 − 15,621.11 = 3,355.65 is 189,767,551 − 156,211,123 元 = 3,355.6428)."""
    return half_unit(2) if at.allowance < half_unit(2) else 0.0


def _sums(report: Report, prior: Report, figures: list[BudgetFigure]) -> dict[int, Sum]:
    """{amount claim: its sum in both years}: each amount located as the prose stage locates it
    (its 科目, else its vocabulary key, the 基本支出 table named so far), last year's in the
    same table."""
    out: dict[int, Sum] = {}
    basic_now = basic_before = "B13"
    fiscal_only = other_funds(report) or other_funds(prior)  # a 类 of the 一般公共预算 tables may not be the one said
    for f in figures:
        if f.role != "amount":
            continue
        found, basic_now = locate_figure(report, f.item, f.subject, basic_now)
        found = [at for at in found if not (at.fiscal_only and fiscal_only)]
        earlier, basic_before = locate_figure(prior, f.item, f.subject, basic_before)
        now = _first(found)
        before = _first(earlier, now.cells[0][0] if now.cells else "") if now is not None else None
        if now is not None and before is not None:
            out[f.claim] = Sum(now, before)
    return out


class PriorBudget:
    """The 比上年 claims of one budget narrative against the prior years' budgets."""

    def __init__(self, ctx: Context) -> None:
        self.ctx, self.report = ctx, ctx.report
        self.figures = {f.claim: f for f in self.report.prose.budget}
        self.findings: list[Finding] = []

    def versus(self, f: BudgetFigure) -> int:
        """The year a change is on: the one its sentence names before it, else last year."""
        claim = self.report.claims[f.claim]
        said = VERSUS.findall(claim.text[: claim.text.find(f"{claim.value:g}")] or claim.text)
        return int(said[-1]) if said else self.report.year - 1

    def run(self) -> None:
        by_year = {y: _sums(self.report, p.report, list(self.figures.values())) for y, p in self.ctx.priors.items()}
        for f in self.figures.values():
            change = self.figures.get(f.base) if f.role == "rate" else f
            if f.role not in ("change", "rate") or change is None or change.role != "change":
                continue
            year = self.versus(change)
            at = by_year.get(year, {}).get(change.head)
            if at is not None:
                (self.change if f.role == "change" else self.rate)(f, at, year)

    def words(self, at: Sum) -> str:
        """The cell as a finding names it: its table and row, and its column where the row has
        several (支出预算总表 合计 基本支出)."""
        code, _row, column = at.now.cells[0] if at.now.cells else ("", "", "")
        table = self.report.tables.get(code)
        named = table.spec.column_names.get(column, "") if table is not None and len(table.columns) > 1 else ""
        return f"{at.now.words} {named}".strip()

    def judge(self, f: BudgetFigure, rule_id: str, severity: str | None, expected: float, at: Sum, year: int,
              message: str) -> None:
        """One claim compared with last year's budget: its verdict, and the finding of a mismatch
        (`actual` the claim as signed: −392.92 for 减少 392.92)."""
        claim = self.ctx.judged(self.report.claims[f.claim])
        self.ctx.checks += 1
        claim.verdict, claim.expected, claim.reason = ("ok" if severity is None else "mismatch"), round(expected, 2), ""
        claim.target, claim.reading = self.words(at), f"对 {year} 年预算（{self.ctx.priors[year].document}）"
        rule = self.ctx.rule(rule_id)
        if severity is None or rule is None:
            return
        claim.rule = rule_id
        ev = self.ctx.evaluator
        cells = [ev.record(ev.cell(self.report.tables[t], r, c)) for t, r, c in at.now.cells]
        self.findings.append(finding(
            rule, severity, f"{claim.section}：{self.report.year} 年 vs {year} 年预算（{self.ctx.priors[year].document}）",
            f"{message}：“{claim.text}”", f"{claim.page}:{claim.subject}:{claim.value}:{year}",
            tables=("NARR", *dict.fromkeys(t for t, _, _ in at.now.cells)), page=claim.page, line=claim.line,
            cells=cells, expected=round(expected, 2), actual=round(f.sign * claim.value, 2)))

    def change(self, f: BudgetFigure, at: Sum, year: int) -> None:
        """增减额 = this year's figure − last year's budget's."""
        said, decimals = self.report.claims[f.claim].value, self.report.claims[f.claim].decimals
        expected = at.now.value - at.before.value
        tolerance = max(half_unit(decimals), _said(at.now) + _said(at.before))
        severity = beyond(f.sign * said - expected, tolerance)
        word = "增加" if f.sign > 0 else "减少"
        self.judge(f, "XY.budget_change", severity, expected, at, year,
                   f"说明称比 {year} 年预算{word} {said:,.{decimals}f} 万元，但{self.words(at)} 本年 {at.now.value:,.2f}"
                   f" − {year} 年预算 {at.before.value:,.2f} = {expected:,.2f} 万元")

    def rate(self, f: BudgetFigure, at: Sum, year: int) -> None:
        """增减率 = (this year's − last year's) / last year's, at the printed precision."""
        span = ratio_span(at.now.value, _said(at.now), at.before.value, _said(at.before))
        if span is None:
            return
        said, decimals = self.report.claims[f.claim].value, self.report.claims[f.claim].decimals
        point = (at.now.value / at.before.value - 1) * 100
        severity = percent_verdict(f.sign * said, decimals, (span[0] - 100, span[1] - 100))
        self.judge(f, "XY.budget_growth", severity, point, at, year,
                   f"说明称比 {year} 年预算{'增长' if f.sign > 0 else '下降'} {said:g}%，但按{self.words(at)} 本年 "
                   f"{at.now.value:,.2f} 与 {year} 年预算 {at.before.value:,.2f} 应为 {point:.2f}%")


def prior_budget_claims(ctx: Context, rule: Rule) -> list[Finding]:
    """Every XY.budget_* id of the catalog: a budget's 比上年 claims against the prior budgets."""
    if ctx.report.kind != BUDGET or ctx.report.year is None or not ctx.priors:
        return []
    checker = PriorBudget(ctx)
    checker.run()
    return checker.findings


# what this family contributes to the registry (auditlib.rules.registry)
CHECKS = (Check("prior_budget_claims", prior_budget_claims, stage="prior", once=True),)
