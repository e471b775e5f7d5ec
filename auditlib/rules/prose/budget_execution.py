"""A budget's 上年执行数 against its department's 决算 of that year (issue 30: "where the budget
prints 上年 figures, they are held against the prior year's 决算 when the batch has it").

A Shanghai budget says of each 项 “2023年当年预算执行数为Y万元，2024年预算安排X万元，比2023年预算
执行数增加Z%”: X is the budget's own 一般公共预算支出表 row (the prose stage checks it, and Z from X
and Y), Y what the department spent on that 项 in 2023 — which its 2023 决算 prints in 一般公共预算
财政拨款支出决算表 (公开05表), 本年支出合计 of the same 科目.  The rule (catalog pair.yaml,
`PAIR.prior_execution`) maps the budget table the 项 was found in to the 决算 cell (`targets`).

A budget is compiled before the 决算 of the year it looks back on is final, so its 执行数 is an
estimate that may differ: a mismatch is a warning, never an error.  A 科目 the 决算 does not print,
or a 决算 whose table was not read, leaves the figure unchecked with why.  The 2025 form's
“上年:Y万元” does not say it is a 执行数 (the dev set's equal the prior *budget*): not held here.
"""

from __future__ import annotations

import re

from auditlib.claims import BudgetFigure
from auditlib.kinds import BUDGET, FINAL, spec_of
from auditlib.names import cell_parts
from auditlib.numbers import half_unit
from auditlib.rules.context import Context
from auditlib.rules.engine import Engine, Side
from auditlib.rules.expressions import parse
from auditlib.rules.findings import Finding, finding
from auditlib.rules.intervals import beyond
from auditlib.rules.prior import Prior
from auditlib.rules.prose.budget_cells import locate_item
from auditlib.rules.rule import Check, Rule

__all__ = ["CHECKS", "execution_year"]

# 2023年当年预算执行数为60.13万元: the year and the figure
EXECUTION = re.compile(r"(?P<year>(?:19|20)\d{2})\s*年\s*(?:当年)?(?:预算)?执行数\s*[为是:：]?\s*(?P<num>\d[\d,]*(?:\.\d+)?)")


def execution_year(text: str, value: float) -> int | None:
    """The year a 执行数 figure of `value` is of, as its sentence says (None: not a 执行数)."""
    for m in EXECUTION.finditer(text):
        if abs(float(m.group("num").replace(",", "")) - value) < 1e-9:
            return int(m.group("year"))
    return None


def _code(ctx: Context, head: BudgetFigure) -> tuple[str, str] | None:
    """(budget table, 科目编码) of the 项 the 执行数's amount is about, as the prose stage found it."""
    found = next((at for at in locate_item(ctx.report, head.item) if at.cells), None) if head.item else None
    if found is None:
        return None
    table, key, _column = found.cells[0]
    code = ctx.report.tables[table].data.at[key, "code"] if "code" in ctx.report.tables[table].data.columns else ""
    return (table, str(code)) if code else None


def _at(page: int | None, line: int | None) -> str:
    """Where in its document: 第 N 页 (a PDF), else 第 N 行 (a text)."""
    return f" 第 {page} 页" if page else (f" 第 {line} 行" if line else "")


def _named(prior: Prior, cells) -> str:
    """The 决算's cell as 决算（年度，文件）· 公开05表 表名 · 行名 · 栏名 第 N 页."""
    c = cells[0]
    table, row, column = cell_parts(prior.report, c.table, c.key, c.column)
    return f"{FINAL}（{prior.year} 年，{prior.document}）· {table} {spec_of(c.table).title} · {row} · {column}{_at(c.page, c.line)}"


class PriorExecution:
    """The 执行数 claims of one budget narrative against the department's earlier 决算."""

    def __init__(self, ctx: Context, rule: Rule) -> None:
        self.ctx, self.rule, self.report = ctx, rule, ctx.report
        self.figures = {f.claim: f for f in self.report.prose.budget}
        self.findings: list[Finding] = []

    def run(self) -> None:
        """Each 执行数 whose year's 决算 is at hand, held against it."""
        for f in self.figures.values():
            claim = self.report.claims[f.claim]
            year = execution_year(claim.text, claim.value) if f.role == "prior" else None
            if year is not None and year in self.ctx.finals and f.head in self.figures:
                self.hold(f, year)

    def target(self, f: BudgetFigure) -> str | None:
        """The 决算 cell (expression) of the 项 the figure is about, by the rule's `targets`."""
        found = _code(self.ctx, self.figures[f.head])
        template = self.rule.params.get("targets", {}).get(found[0]) if found else None
        return template.replace("{code}", found[1]) if template else None

    def hold(self, f: BudgetFigure, year: int) -> None:
        """One 执行数 against the 决算's cell: ok, unchecked (the 决算 does not print it) or a warning."""
        prior, judged = self.ctx.finals[year], self.ctx.judged(self.report.claims[f.claim])
        expression = self.target(f)
        if expression is None:
            judged.reason = "上年预算执行数：未能确定所述科目在上年决算中的对应单元格"
            return
        ref = parse(expression).refs[0]
        table = prior.report.tables.get(ref.table)
        title = f"{year} 年决算（{prior.document}）{spec_of(ref.table).title}"
        if table is None or not table.readable:
            judged.reason = f"上年预算执行数：{title}未读取到，无从核对"
            return
        side = Engine(prior.report, self.ctx.settings.tolerance, document=FINAL).side(expression)
        if not side.printed:
            judged.reason = f"上年预算执行数：{title}未列此科目（{ref.selector}），无从核对"
            return
        self.compare(f, year, prior, side)

    def compare(self, f: BudgetFigure, year: int, prior: Prior, side: Side) -> None:
        """The figure against the 决算's, at the figure's printed precision plus the cell's rounding:
        the claim's verdict, and a warning naming both documents' cells when they differ."""
        claim = self.ctx.judged(self.report.claims[f.claim])
        self.ctx.checks += 1
        said = claim.value
        severity = beyond(said - side.value, half_unit(claim.decimals) + side.tolerance)
        words = _named(prior, side.cells)
        claim.verdict, claim.expected, claim.reason = ("ok" if severity is None else "mismatch"), round(side.value, 2), ""
        claim.target, claim.reading = words, f"对 {year} 年决算（{prior.document}）"
        if severity is None:
            return
        claim.rule = self.rule.id
        where = f"{BUDGET}（{self.report.year} 年）· {claim.section}{_at(claim.page, claim.line)}"
        self.findings.append(finding(
            self.rule, "warning", f"{where} ↔ {words}",
            f"{BUDGET}说明的 {year} 年预算执行数 {said:,.{claim.decimals}f} 万元 ≠ {words} {side.value:,.2f} 万元"
            f"（执行数是编制预算时对上年的预计，决算定稿后可能不同，须核实）：“{claim.text}”",
            f"{claim.page or claim.line}:{claim.subject}:{claim.value}:{year}", tables=("NARR",),
            page=claim.page, line=claim.line, expected=round(side.value, 2), actual=round(said, 2),
            cells=[c.record(year=year, box=prior.report.tables[c.table].boxes.get((c.key, c.column)))
                   for c in side.cells]))


def prior_execution(ctx: Context, rule: Rule) -> list[Finding]:
    """A budget's 上年预算执行数 against its department's 决算 of that year (`ctx.finals`)."""
    if ctx.report.kind != BUDGET or not ctx.finals:
        return []
    checker = PriorExecution(ctx, rule)
    checker.run()
    return checker.findings


# what this family contributes to the registry (auditlib.rules.registry)
CHECKS = (Check("prior_execution", prior_execution, stage="prior"),)
