"""Cross-year checks: this year's report against last year's report of the same department.

With last year's report at hand (in the same batch, or in the warehouse as its cells):

* `XY.opening_balance`: 公开01表 年初结转和结余 (this year) = 年末结转和结余 (last year);
* `XY.fiscal_opening_balance`: 公开04表 年初财政拨款结转和结余 = last year's 年末财政拨款结转和结余;
* `XY.change`: a narrative 较上年增加/减少 X 万元 = this year's table value − last year's table value
  of the same cell (the cell the sentence's amount restates);
* `XY.growth`: a narrative 增长/下降 P% = (this year − last year) / last year, at printed precision.

Last year's report is handled as its long-form cells (`long_form`), the form the warehouse keeps,
rebuilt into a minimal `Report` (`snapshot`) so the rule engine evaluates the same cell
expressions on both years: the balances are catalog rules over `prior.` cells
(`T01[opening_balance].amount = prior.T01[closing_balance].amount`).  Values in the cells are already in
the document's unit (a table printed in 元 is converted), so the snapshot's tables carry no unit.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

import pandas as pd

from auditlib.model import Narrative, Performance, Report, Table
from auditlib.names import TABLE_NAMES
from auditlib.numbers import plain
from auditlib.rules.catalog import Rule, load_catalog
from auditlib.rules.context import Context, Settings
from auditlib.rules.engine import Engine, Side
from auditlib.rules.findings import CheckResult, Finding, finding
from auditlib.rules.intervals import beyond, percent_verdict, ratio_span
from auditlib.rules.registry import register, run_stage
from auditlib.schema import COUNT_ROWS, SPECS

CELL_COLUMNS = ("table", "row_key", "column_key", "value", "page", "line", "code", "name", "level")


def _int(v) -> int | None:
    """A page or line number, or None when the model holds none (NaN) or something else."""
    try:
        v = plain(v)
        return None if v is None else int(v)
    except (TypeError, ValueError, OverflowError):
        return None


def _number(v) -> tuple[float | None, str | None]:
    """A cell's value as a finite float, or (None, why it is not one) when the model holds
    something else in a value column (a text, a list, an infinite value)."""
    try:
        v = plain(v)
    except (TypeError, ValueError):
        return None, f"不是单个数值（{type(v).__name__}）"
    if v is None:
        return None, None  # a blank cell: nothing printed, nothing to say
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return None, f"不是数值（{type(v).__name__}: {str(v)[:40]}）"
    if not math.isfinite(v):
        return None, f"不是有限数值（{v}）"
    return float(v), None


def long_form(report: Report) -> tuple[list[tuple], list[tuple]]:
    """Every printed cell of the ten tables in long form, (table, row key, column key, value in
    the document's unit, page, line, code, name, level), and notes (table, row key, column key,
    note) on what was not taken or is doubtful.

    Rows are taken by position, not by key: a misread table may hold one row key twice (the
    reader marks a repeated row `key@page N`, which a page can repeat), and every row is kept
    with its own page and line; a value that is not a finite number is left out with a note."""
    engine = Engine(report)
    cells, notes = [], []
    for code, table in report.tables.items():
        data = table.data
        if data is None or not len(data):
            continue
        factor = engine.factor(table)
        keys = [str(k) for k in data.index]
        column = {c: data[c].tolist() if c in data.columns else [None] * len(data)
                  for c in (*table.columns, "page", "line", "code", "name", "level")}
        for key, n in Counter(keys).items():
            if n > 1:
                names = "、".join(_text(column["name"][i]) or "（无名称）" for i, k in enumerate(keys) if k == key)
                notes.append((code, key, None, f"{TABLE_NAMES[code]} 行键 {key} 重复 {n} 次（{names}；读取有误？），"
                                               f"各行分别写入"))
        for i, key in enumerate(keys):
            f = 1.0 if key in COUNT_ROWS.get(code, ()) else factor
            where = (_int(column["page"][i]), _int(column["line"][i]), _text(column["code"][i]),
                     _text(column["name"][i]), _text(column["level"][i]))
            for col in table.columns:
                value, problem = _number(column[col][i])
                if problem:
                    notes.append((code, key, col, f"{problem}，未写入"))
                if value is not None:
                    cells.append((code, key, col, value * f, *where))
    return cells, notes


def _text(v) -> str:
    """A label column as text ('' for a blank or NaN)."""
    v = plain(v)
    return "" if v is None else str(v)


def snapshot(cells: list[tuple] | pd.DataFrame, department: str | None, year: int | None,
             path: str = "") -> Report:
    """A minimal Report rebuilt from long-form cells (tables only), for the engine."""
    df = cells if isinstance(cells, pd.DataFrame) else pd.DataFrame(list(cells), columns=list(CELL_COLUMNS))
    tables = {}
    for code in SPECS:
        part = df[df["table"] == code] if len(df) else df
        if not len(part):
            tables[code] = Table(code, status="missing")
            continue
        values = part.pivot_table(index="row_key", columns="column_key", values="value", aggfunc="first")
        meta = part.groupby("row_key")[["code", "name", "level", "page", "line"]].first()
        data = values.join(meta)
        data.index = data.index.astype(str)
        tables[code] = Table(code, status="parsed", data=data)
    return Report(path=path, input_kind="warehouse", department=department, year=year, unit="万元", pages=None,
                  tables=tables, narrative=Narrative(), performance=Performance())


@dataclass
class Prior:
    """Last year's (or another year's) report of the same department."""

    report: Report  # a snapshot or the real model
    document: str  # its document id (slug) in the batch / warehouse
    year: int


def _value(engine: Engine, expr: str) -> tuple[float | None, Side]:
    side = engine.side(expr)
    return (side.value, side) if side.printed else (None, side)


def _sign(words: str) -> int:
    m = re.findall(r"(增加|减少|增长|下降|降低|上升)", words or "")
    if not m:
        return 0
    return 1 if m[-1] in ("增加", "增长", "上升") else -1


@register("prior_relation", stage="prior")
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


@register("prior_claims", stage="prior", once=True)
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
        claim, year = self.claim, self.ctx.report.year
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


def apply(result: CheckResult, priors: dict[int, Prior], tolerance: float | None = None) -> list[Finding]:
    """Add the cross-year findings to `result` (known once last year's report is at hand, as in a
    batch), counted in its checks run; return them."""
    settings = result.settings or Settings()
    if tolerance is not None:
        settings = Settings(tolerance, settings.params)
    ctx = Context(result.report, result.rules or load_catalog(), settings, priors, claims=result.claims)
    found = run_stage(ctx, "prior")
    result.add(found, ctx.checks)
    return found
