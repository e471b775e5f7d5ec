"""A budget's narrative against its tables and itself (issue 30; notes/i30-design.md §1.3,
§2.5): every amount against the cell it restates at the coarser of the two printed precisions
(a restated figure is the printed one, not a second rounding: 0.005 万元 against a table in 元,
exact against a table in 万元 with as many decimals, the rows' allowances added for a sum of
rows), a figure said twice the same, a rate
recomputed from the amount and its change (or the 执行数 it names), a share from its amount and
base, 政府采购 parts adding up, 绩效目标 coverage.

A figure no reading ties to one cell stays unchecked and says why (never an error).  A rate or
share off by no more than half a unit of its last digit beyond rounding (2.31 % for 2.3153 %,
shares forced to add up to 100 %) is a warning; further off, an error.
"""

from __future__ import annotations

from auditlib.claims import BudgetFigure
from auditlib.numbers import half_unit
from auditlib.rules.context import Context
from auditlib.rules.findings import Finding, Judged, finding
from auditlib.rules.intervals import ONE, ratio_span
from auditlib.rules.prose.budget_cells import Located, locate, locate_all, locate_figure, other_funds
from auditlib.rules.prose.budget_execution import execution_year
from auditlib.rules.rule import Check, Rule

__all__ = ["CHECKS", "BudgetNarrative"]

# the sums that are one quantity in every year (财政拨款收支总表 balances), so their 比上年 增减 agree
SAME = ({"fiscal_income", "fiscal"}, {"general_income", "general"})
UNCHECKED = {
    "prior": "上年预算执行数：须与上年决算核对（批量核对时）",
    "prior_said": "上年数：未说明是执行数还是预算数，不与上年决算核对",
    "explains": "说明原因或用途中的数字，不复述表中单元格",
    "other": "未能判断此百分数的含义",
    "change": "比上年增减额：须与上年预算核对（批量核对时）",
    "amount": "说明未指明此数对应的表中单元格",
    "rate": "未能确定此增减率所依据的金额",
    "share": "未能确定此占比的基数",
    "count": "未印出项目支出绩效目标表：项目个数无从核对",
    "class": "此类科目只见于一般公共预算（财政拨款）支出表，而预算另有其他资金：说明所述或为全部资金之数，未能判断",
}


def _change_span(change: float, hc: float, current: float, hn: float, sign: int) -> tuple[float, float] | None:
    """The range of a change over last year's sum × 100, last year's being this year's less the
    change (`sign` +1 an increase); None when last year's may be zero or less."""
    return ratio_span(change, hc, current - sign * change, hn + hc)


class BudgetNarrative:
    """One reading of a budget narrative's claims; the findings made."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.report = ctx.report
        self.figures = {f.claim: f for f in self.report.prose.budget}
        self.findings: list[Finding] = []
        self.basic_table = "B13"  # the 基本支出 table the narrative last named (人员经费, 公用经费)
        self.exact: dict[int, tuple[float, float]] = {}  # an amount the tables confirm: their figure, its rounding

    # -- verdicts --------------------------------------------------------------
    def judged(self, f: BudgetFigure) -> Judged:
        return self.ctx.judged(self.report.claims[f.claim])

    def ok(self, f: BudgetFigure, expected: float | None, target: str = "", reading: str = "") -> None:
        claim = self.judged(f)
        claim.verdict, claim.expected, claim.target, claim.reading = "ok", expected, target or None, reading
        claim.reason = ""
        self.ctx.checks += 1

    def unchecked(self, f: BudgetFigure, reason: str) -> None:
        self.judged(f).reason = reason

    def mismatch(self, f: BudgetFigure, rule: str, severity: str, expected: float | None, why: str,
                 located: Located | None = None, target: str = "") -> None:
        """A finding of NARR.`rule` on the figure's claim (nothing when the rule is switched off)."""
        claim = self.judged(f)
        fid = f"NARR.{rule}"
        claim.verdict, claim.rule, claim.expected, claim.reason = "mismatch", fid, expected, ""
        claim.target = target or (located.words if located else None)
        entry = self.ctx.rule(fid)
        if entry is None:
            return
        ev = self.ctx.evaluator
        cells = [ev.record(ev.cell(self.report.tables[t], r, c)) for t, r, c in (located.cells if located else [])]
        tables = ("NARR", *dict.fromkeys(t for t, _, _ in (located.cells if located else [])))
        self.findings.append(finding(
            entry, severity, claim.section, f"{why}：“{claim.text}”", f"{claim.page}:{claim.subject}:{claim.value}",
            tables=tables, page=claim.page, line=claim.line, cells=cells, expected=expected, actual=claim.value))

    def value(self, claim_id: int) -> tuple[float, int]:
        c = self.report.claims[claim_id]
        return c.value, c.decimals

    def measured(self, claim_id: int) -> tuple[float, float]:
        """An amount and how far off it may be: the table's figure when the tables confirmed it
        (“110 万元” is 110.00), else as the narrative rounds it."""
        value, decimals = self.value(claim_id)
        return self.exact.get(claim_id, (value, half_unit(decimals)))

    # -- amounts ---------------------------------------------------------------
    def located(self, f: BudgetFigure) -> list[Located]:
        """The cells a figure may restate, first reading first."""
        found, self.basic_table = locate_figure(self.report, f.item, f.subject, self.basic_table)
        return found

    def amount(self, f: BudgetFigure) -> None:
        """An amount against the cell it restates, at the narrative's precision; another table
        that prints the same 科目 (支出总表 for a 单位 with 事业收入) makes it right too."""
        if not (f.item or f.subject):
            self.unchecked(f, UNCHECKED["amount"])
            return
        found = self.located(f)
        said, decimals = self.value(f.claim)
        for n, at in enumerate(found):
            if at.value is not None and abs(said - at.value) <= max(half_unit(decimals), at.allowance) + ONE:
                self.ok(f, round(at.value, 2), at.words, f"按{at.words}" if n else "")
                self.exact[f.claim] = (at.value, at.allowance)
                return
            if at.blank and not said:
                self.ok(f, 0.0, at.words, "表中空白，即 0")
                return
        at = found[0]
        if at.value is None:
            self.unchecked(f, at.reason)
            return
        if all(o.fiscal_only for o in found if o.value is not None) and other_funds(self.report):
            self.unchecked(f, UNCHECKED["class"])
            return
        others = "；".join(f"{o.words} {o.value:,.2f}" for o in found[1:] if o.value is not None)
        self.mismatch(f, "budget_amount", "error", round(at.value, 2),
                      f"说明中的 {said:,.{decimals}f} 万元与{at.words} {at.value:,.2f} 万元不符"
                      + (f"（另试 {others}，亦不符）" if others else ""), at)

    def again(self, f: BudgetFigure) -> None:
        """The same amount said again (2024年预算安排 X): it must be the figure said first."""
        head, head_dec = self.value(f.head)
        said, decimals = self.value(f.claim)
        if abs(said - head) <= max(half_unit(decimals), half_unit(head_dec)) + ONE:
            self.ok(f, head, reading="与前文所述金额相同")
            return
        self.mismatch(f, "budget_repeat", "error", head,
                      f"同一科目前文为 {head:,.{head_dec}f} 万元，此处为 {said:,.{decimals}f} 万元，前后不一")

    # -- rates -----------------------------------------------------------------
    def judge_rate(self, f: BudgetFigure, span: tuple[float, float] | None, rule: str, words: str,
                   slack: float = 0.5) -> None:
        """A printed rate against the range recomputed: within rounding ok; off by no more than
        `slack` units of its last digit beyond it a warning (a rounding slip; a list of shares
        forced to add up to 100 % moves one by up to a unit); else an error."""
        rate, decimals = self.value(f.claim)
        if span is None:
            self.unchecked(f, UNCHECKED["rate"])
            return
        lo, hi = span
        h = half_unit(decimals)
        gap = max(lo - (rate + h), (rate - h) - hi, 0.0)
        mid = round((lo + hi) / 2, decimals + 1)
        if gap <= ONE:
            self.ok(f, mid, reading=words)
        elif gap <= 2 * h * slack + ONE:
            self.mismatch(f, rule, "warning", mid, f"{words}应为约 {mid}%，说明为 {rate:g}%（仅差末位进位，"
                                                   f"或为凑足 100% 而调整）")
        else:
            self.mismatch(f, rule, "error", mid, f"{words}应为约 {mid}%，说明为 {rate:g}%")

    def rate(self, f: BudgetFigure) -> None:
        """增减率 = 增减额 / (本年数 − 增减额), or (本年数 − 执行数) / 执行数 when the sentence names it."""
        if f.head < 0 or f.base < 0:
            self.unchecked(f, UNCHECKED["rate"])
            return
        (amount, ha), a_dec = self.measured(f.head), self.value(f.head)[1]
        base = self.figures[f.base]
        other, o_dec = self.value(f.base)
        ho = half_unit(o_dec)
        if base.role == "change":
            span = _change_span(other, ho, amount, ha, base.sign)
            self.judge_rate(f, span, "budget_rate",
                            f"按说明中的金额 {amount:,.{a_dec}f} 与增减额 {other:,.{o_dec}f} 计算，增减率")
            return
        if other == 0:
            self.unchecked(f, "上年执行数为 0：增减率无从计算（说明写作 100%）")
            return
        diff = (amount - other) * f.sign
        span = ratio_span(diff, ha + ho, other, ho) if diff >= 0 else None
        if span is None:
            self.mismatch(f, "budget_rate", "error", None, f"说明的增减方向与 {amount:,.{a_dec}f} 对 {other:,.{o_dec}f} 不符")
            return
        self.judge_rate(f, span, "budget_rate", f"按说明中的 {amount:,.{a_dec}f} 与 {other:,.{o_dec}f} 计算，增减率")

    def change(self, f: BudgetFigure) -> None:
        """比上年增加 Δ: last year's sum (本年数 − Δ) cannot be below zero."""
        if f.head >= 0 and f.sign > 0:
            amount, a_dec = self.value(f.head)
            delta, d_dec = self.value(f.claim)
            if delta - amount > half_unit(a_dec) + half_unit(d_dec) + ONE:
                self.mismatch(f, "budget_rate", "error", None,
                              f"本年 {amount:g} 万元比上年增加 {delta:g} 万元，则上年为负数，不可能")
                return
        self.unchecked(f, UNCHECKED["change"])

    def share(self, f: BudgetFigure) -> None:
        """占 P% = amount / base: the base it names (占“三公”经费的), else the total the list divides."""
        if f.head < 0:
            self.unchecked(f, UNCHECKED["share"])
            return
        (amount, ha), a_dec = self.measured(f.head), self.value(f.head)[1]
        if f.base >= 0:
            (base, tol), b_dec = self.measured(f.base), self.value(f.base)[1]
            words = f"按说明中的 {amount:,.{a_dec}f} / {base:,.{b_dec}f} 计算，占比"
        elif f.subject:
            at = self.base_of(f, amount)
            if at.value is None:
                self.unchecked(f, at.reason)
                return
            base, tol, words = at.value, at.allowance, f"按 {amount:,.{a_dec}f} / {at.words} {at.value:,.2f} 计算，占比"
        else:
            self.unchecked(f, UNCHECKED["share"])
            return
        self.judge_rate(f, ratio_span(amount, ha, base, tol), "budget_share", words,
                        1.0 if self.forced(f) else 0.5)

    def base_of(self, f: BudgetFigure, amount: float) -> Located:
        """The cell a share's named base is (占基本支出的: of all funds, of the 一般公共预算 or of
        the 财政拨款 — the words do not say which): the one the share as printed fits best."""
        rate = self.value(f.claim)[0]
        found = locate_all(self.report, f.subject, self.basic_table)
        printed = [at for at in found if at.value]
        return min(printed, key=lambda at: abs(amount / at.value * 100 - rate)) if printed else found[0]

    def forced(self, f: BudgetFigure) -> bool:
        """The shares of its list, as printed, add up to exactly 100 %."""
        shares = [self.value(g.claim) for g in self.figures.values() if g.role == "share" and g.listing == f.listing]
        decimals = max(d for _, d in shares)
        return len(shares) > 1 and abs(sum(v for v, _ in shares) - 100) <= half_unit(decimals) + ONE

    # -- the narrative with itself -------------------------------------------------
    def changes_agree(self) -> None:
        """The 比上年 增减 of one sum said twice (一般公共预算收入 and 一般公共预算支出 are one
        sum, 财政拨款收入 and 财政拨款支出 another) must be the same when this year's are."""
        said: dict[int, list[BudgetFigure]] = {}
        for f in self.figures.values():
            if f.role != "change" or f.head < 0 or self.judged(f).verdict == "mismatch":
                continue
            key = self.figures[f.head].subject
            group = next((i for i, g in enumerate(SAME) if key in g), None)
            if group is not None:
                said.setdefault(group, []).append(f)
        for figures in said.values():
            first = figures[0]
            delta, d_dec = self.value(first.claim)
            amount = self.value(first.head)[0]
            for f in figures[1:]:
                other, o_dec = self.value(f.claim)
                same_amount = abs(self.value(f.head)[0] - amount) <= 0.01 + ONE
                if same_amount and abs(other * f.sign - delta * first.sign) > max(half_unit(d_dec), half_unit(o_dec)) + ONE:
                    text = self.report.claims[first.head].subject
                    self.mismatch(f, "budget_repeat", "error", delta,
                                  f"本年数同为 {amount:,.2f} 万元，前文“{text}”{delta:,.2f} 万元，"
                                  f"此处为 {other:,.2f} 万元，所述上年数不一致")

    def procurement(self) -> None:
        """政府采购 货物 + 工程 + 服务 = 总额 (each sentence that states the total and its parts)."""
        parts = {"procurement_goods", "procurement_works", "procurement_services"}
        total: BudgetFigure | None = None
        listed: list[BudgetFigure] = []
        amounts = [f for f in self.figures.values() if f.role == "amount"]  # a share 占政府采购预算 is no part
        for f in [*amounts, None]:
            if f is not None and f.subject in parts and total is not None:
                listed.append(f)
                continue
            if total is not None and listed:
                self.procurement_sum(total, listed)
            total, listed = (f, []) if f is not None and f.subject == "procurement_total" else (None, [])

    def procurement_sum(self, total: BudgetFigure, parts: list[BudgetFigure]) -> None:
        stated, t_dec = self.value(total.claim)
        values = [self.value(p.claim) for p in parts]
        added = sum(v for v, _ in values)
        tol = half_unit(t_dec) + sum(half_unit(d) for _, d in values) + ONE
        for p in parts:
            self.ok(p, None, reading="政府采购分项")
        if abs(added - stated) <= tol:
            table = self.judged(total).reason  # why it was not held against 政府采购预算表 itself
            self.ok(total, round(added, 2), reading="货物 + 工程 + 服务" + (f"（{table}）" if table else ""))
            return
        self.mismatch(total, "budget_procurement", "error", round(added, 2),
                      f"政府采购 货物、工程、服务 之和 {added:,.2f} 万元与总额 {stated:,.2f} 万元不符")

    def forms(self) -> tuple[Located, str]:
        """The 绩效目标表's forms (each project's 年度资金申请总额, added) and how a finding names them."""
        at = locate(self.report, "performance_funds", "")
        table = self.report.tables[at.cells[0][0]] if at.cells else None
        return at, f"{table.title or table.code} {len(at.cells)} 个项目的年度资金申请总额" if table else ""

    def count(self, f: BudgetFigure) -> None:
        """编报绩效目标的项目 N 个 = the forms the 绩效目标表 prints, where it is printed."""
        at, words = self.forms()
        if at.value is None:
            self.unchecked(f, at.reason if at.reason.endswith("尚未读出") else UNCHECKED["count"])
            return
        said = self.value(f.claim)[0]
        if said == len(at.cells):
            self.ok(f, float(len(at.cells)), words, "绩效目标表的项目个数")
            return
        self.mismatch(f, "budget_coverage", "error", float(len(at.cells)),
                      f"说明称编报绩效目标的项目 {said:g} 个，{words.split()[0]}印出 {len(at.cells)} 个项目", at, words)

    def coverage(self, f: BudgetFigure) -> None:
        """绩效目标 涉及资金: = Σ the 绩效目标表's forms where they are printed (an error beyond
        rounding); else against 项目支出 (an info on coverage; more than the whole budget: a warning)."""
        funds, decimals = self.value(f.claim)
        at, words = self.forms()
        if at.value is not None and abs(funds - at.value) <= max(half_unit(decimals), at.allowance) + ONE:
            self.ok(f, round(at.value, 2), words, "绩效目标表各项目年度资金申请总额之和")
            return
        if at.value is not None:
            self.mismatch(f, "budget_coverage", "error", round(at.value, 2),
                          f"说明中的项目资金 {funds:,.{decimals}f} 万元与{words}合计 {at.value:,.2f} 万元不符", at, words)
            return
        project, whole = locate(self.report, "project", ""), locate(self.report, "expense_total", "")
        if project.value is None or whole.value is None:
            self.unchecked(f, project.reason or whole.reason)
            return
        if funds > whole.value + 0.01:
            self.mismatch(f, "budget_coverage", "warning", round(whole.value, 2),
                          f"绩效目标涉及资金 {funds:,.2f} 万元多于支出预算总额 {whole.value:,.2f} 万元", whole)
            return
        share = funds / project.value * 100 if project.value else 0.0
        reading = (f"整体支出绩效目标（占支出预算 {funds / whole.value * 100:.2f}%）" if funds > project.value + 0.01
                   else f"占项目支出 {project.value:,.2f} 万元的 {share:.2f}%")
        self.ok(f, round(project.value, 2), project.words, reading)
        self.coverage_info(f, reading, project)

    def coverage_info(self, f: BudgetFigure, reading: str, at: Located) -> None:
        """The coverage as an info finding (the claim stays consistent)."""
        entry = self.ctx.rule("NARR.budget_coverage")
        if entry is None:
            return
        claim = self.judged(f)
        self.findings.append(finding(entry, "info", claim.section, f"编报绩效目标的项目资金 {claim.value:,.2f} 万元，{reading}",
                                     f"{claim.page}:coverage", tables=("NARR", "B03"), page=claim.page,
                                     line=claim.line, expected=None, actual=claim.value))

    # -- driver ----------------------------------------------------------------
    def run(self) -> None:
        """Every figure in reading order, then the sums said twice and the 政府采购 parts."""
        act = {"amount": self.amount, "again": self.again, "rate": self.rate, "share": self.share,
               "change": self.change, "coverage": self.coverage, "count": self.count}
        for f in self.figures.values():
            if f.role in act:
                act[f.role](f)
            elif f.role == "prior" and execution_year(self.report.claims[f.claim].text, self.value(f.claim)[0]) is None:
                self.unchecked(f, UNCHECKED["prior_said"])
            else:
                self.unchecked(f, UNCHECKED.get(f.role, UNCHECKED["amount"]))
        self.changes_agree()
        self.procurement()


def check_budget_narrative(ctx: Context, rule: Rule) -> list[Finding]:
    """Every NARR.budget_* id of the catalog: one reading of a budget's narrative."""
    checker = BudgetNarrative(ctx)
    checker.run()
    return checker.findings


# what this family contributes to the registry (auditlib.rules.registry)
CHECKS = (Check("budget_narrative", check_budget_narrative, stage="prose", once=True),)
