"""Cross-year checks: this year's report against last year's report of the same department.

With last year's report at hand (in the same batch, or in the warehouse as its cells):

* `XY.opening_balance`: 公开01表 年初结转和结余 (this year) = 年末结转和结余 (last year);
* `XY.fiscal_opening_balance`: 公开04表 年初财政拨款结转和结余 = last year's 年末财政拨款结转和结余;
* `XY.change`: a narrative 较上年增加/减少 X 万元 = this year's table value − last year's table value
  of the same cell (the cell the sentence's amount restates);
* `XY.growth`: a narrative 增长/下降 P% = (this year − last year) / last year, at printed precision.

Last year's report is a `Prior` (auditlib.rules.prior), evaluated by the same rule engine: the
balances are catalog rules over `prior.` cells
(`T01[opening_balance].amount = prior.T01[closing_balance].amount`).  The runner applies these
checks once the prior years are at hand (`runner.apply_prior`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from auditlib.rules.context import Context
from auditlib.rules.engine import Engine, Side
from auditlib.rules.findings import Finding, finding
from auditlib.rules.intervals import beyond, percent_verdict, ratio_span
from auditlib.rules.rule import Check, Rule

def _value(engine: Engine, expr: str) -> tuple[float | None, Side]:
    side = engine.side(expr)
    return (side.value, side) if side.printed else (None, side)


def _sign(words: str) -> int:
    m = re.findall(r"(增加|减少|增长|下降|降低|上升)", words or "")
    if not m:
        return 0
    return 1 if m[-1] in ("增加", "增长", "上升") else -1


def prior_relation(ctx: Context, rule: Rule) -> list[Finding]:
    """A catalog relation between this year's cells and last year's (`prior.`): the balance
    carried over.  `params` name the two cells as the message says them (now, before)."""
    report, year = ctx.report, ctx.report.year
    last = ctx.priors.get(year - 1) if year is not None else None
    if last is None:
        return []
    engine = Engine(report, ctx.settings.tolerance, prior=Engine(last.report, ctx.settings.tolerance))
    lhs, rhs = engine.side(rule.lhs_expr, False, rule.tolerance), engine.side(rule.rhs_expr, False, rule.tolerance)
    if not (lhs.printed and rhs.printed):
        return []
    ctx.checks += 1
    now, before = lhs.value, rhs.value
    diff = now - before
    severity = beyond(diff, lhs.tolerance + rhs.tolerance)
    if severity is None:
        return []
    table, (said_now, said_before) = rule.tables[0], (rule.params["now"], rule.params["before"])
    label = f"公开{table[1:]}表"
    anchor = lhs.cells[0] if lhs.cells else None
    return [finding(rule, severity, f"{label} {said_now}（{year} 年） vs {said_before}（{year - 1} 年，{last.document}）",
                    f"{year} 年{label}{said_now} {now:,.2f} ≠ {year - 1} 年报告{label}{said_before} {before:,.2f}"
                    f"（差 {diff:,.2f}）", f"{table}:{year}:{year - 1}", tables=(table,),
                    page=anchor.page if anchor else None, line=anchor.line if anchor else None,
                    expected=round(before, 2), actual=round(now, 2), difference=round(diff, 2),
                    cells=[c.record(year=year) for c in lhs.cells])]


def prior_claims(ctx: Context, rule: Rule) -> list[Finding]:
    """The narrative's 较上年 claims against the prior years' tables: XY.change (增减额 = this
    year − last year's cell), XY.growth (the rate, at printed precision).  Claims compared get
    their verdict."""
    year = ctx.report.year
    if not ctx.priors or year is None:
        return []
    engines = {y: Engine(p.report, ctx.settings.tolerance) for y, p in ctx.priors.items()}
    findings: list[Finding] = []
    para = amount = None
    for claim in ctx.claims:
        where = (claim.section, claim.line, claim.page)
        if where != para:
            para, amount = where, None
        if claim.kind == "amount" and claim.target and "[" in claim.target:
            amount = claim
            continue
        if claim.kind not in ("change", "growth") or amount is None:
            continue
        versus = claim.versus or year - 1
        prior = ctx.priors.get(versus)
        if prior is None or claim.value is None:
            continue
        now, side = _value(ctx.evaluator, amount.target)
        before, _ = _value(engines[versus], amount.target)
        if now is None or before is None:
            continue
        sign = _sign(claim.subject) or _sign(claim.text[:claim.text.find(f"{claim.value:g}")]) or 1
        table = amount.target.split("[")[0]
        compared = Compared(ctx, claim, amount, table, versus, prior.document, now, before, sign, side)
        made = compared.change() if claim.kind == "change" else compared.growth()
        if made:
            findings.append(made)
    return findings


@dataclass
class Compared:
    """One 较上年 claim with this year's and the prior year's value of the cell it is about."""

    ctx: Context
    claim: object
    amount: object
    table: str
    versus: int
    document: str
    now: float
    before: float
    sign: int
    side: Side

    def judge(self, rule_id: str, severity: str | None, expected: float, message: str) -> Finding | None:
        """One comparison made: the claim's verdict, and the finding of a mismatch."""
        claim, year = self.ctx.judged(self.claim.claim), self.ctx.report.year
        self.ctx.checks += 1
        claim.verdict, claim.expected = ("ok" if severity is None else "mismatch"), round(expected, 2)
        if severity is None:
            return None
        claim.rule = rule_id
        rule = self.ctx.rule(rule_id)
        if rule is None:
            return None
        printed = self.sign * claim.value
        return finding(rule, severity, f"情况说明 {self.amount.subject}：{year} 年 vs {self.versus} 年（{self.document} "
                       f"公开{self.table[1:]}表）", f"{message}：“{claim.text}”",
                       f"{claim.line or claim.page}:{self.amount.target}:{self.versus}", tables=("NARR", self.table),
                       page=claim.page, line=claim.line, expected=round(expected, 2), actual=round(printed, 2),
                       difference=round(printed - expected, 2), cells=[c.record(year=year) for c in self.side.cells])

    def change(self) -> Finding | None:
        claim, allowance = self.claim, self.ctx.allowance(self.ctx.rule("XY.change"))
        printed, expected = self.sign * claim.value, self.now - self.before
        severity = beyond(printed - expected, 0.5 * 10 ** (-claim.decimals) + 2 * allowance)
        return self.judge("XY.change", severity, expected,
                          f"说明称较 {self.versus} 年{'增加' if self.sign > 0 else '减少'} {claim.value:g}{claim.unit}，"
                          f"但本年 {self.now:,.2f} − {self.versus} 年报告 {self.before:,.2f} = {expected:,.2f}")

    def growth(self) -> Finding | None:
        claim, allowance = self.claim, self.ctx.allowance(self.ctx.rule("XY.growth"))
        if self.before <= allowance:
            return None
        span = ratio_span(self.now, allowance, self.before, allowance)
        point = (self.now / self.before - 1) * 100
        severity = percent_verdict(self.sign * claim.value, claim.decimals, (span[0] - 100, span[1] - 100))
        return self.judge("XY.growth", severity, point,
                          f"说明称较 {self.versus} 年{'增长' if self.sign > 0 else '下降'} {claim.value:g}%，但按本年 "
                          f"{self.now:,.2f} 与 {self.versus} 年报告 {self.before:,.2f} 应为 {point:.2f}%")


# what this family contributes to the registry (auditlib.rules.registry)
CHECKS = (Check("prior_relation", prior_relation, stage="prior"), Check("prior_claims", prior_claims, stage="prior", once=True))
