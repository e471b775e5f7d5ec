"""决算 against its own 预算 (issue 30, notes/contract-pair.md): every 年初预算 figure a 部门决算
states must be the figure its 部门预算 of the same year published.

The pair rules are catalog data (catalog/pair.yaml), evaluated by two checks of this module:

* `pair_relation`: a table relation over both documents' cells — `budget.` names the budget's
  cell (`T07[{row}].budget = budget.B07[{row}].budget`) — evaluated by the rule engine with the
  budget's cells converted to the 决算's unit (a Shanghai budget prints 元 but its “三公” table
  万元), each at the rounding of what it prints;
* `pair_claims`: the narrative's 年初预算 figures (`figure: budget`) or 完成年初预算 rates
  (`figure: completion`: 决算数 / the budget's) against the budget's cell that the rule's
  `targets` map the 决算 cell they are about to (`T04[{code}].total` → `budget.B04[{code}].total`);
  a 科目 the budget's table does not list was budgeted nothing.

`pair_match` says first when the budget given is another department's or year's.  All run only
when the budget is given (`check --budget`, a params file's `budget:`, a batch that
holds both); each finding names the cells of both documents (`cells[].document`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from auditlib.claims import Figure, Sentence
from auditlib.errors import InputError
from auditlib.ingest.vocabulary import candidates, load_subjects
from auditlib.kinds import BUDGET, FINAL
from auditlib.numbers import half_unit
from auditlib.rules.context import Context
from auditlib.rules.engine import Engine, Side
from auditlib.rules.expressions import parse
from auditlib.rules.findings import Cell, Finding, finding
from auditlib.rules.intervals import beyond, percent_verdict, ratio_span
from auditlib.rules.prior import Pair
from auditlib.rules.rule import Check, Rule
from auditlib.schema import department_key

__all__ = ["CHECKS", "read_budget", "require_final"]


def read_budget(path: str | Path, password: str | None = None) -> Pair:
    """The 预算 to hold a 决算 against, read as a budget; a file that is missing or holds no
    budget table is the one-line InputError naming it (exit 2)."""
    from auditlib.ingest import read_report  # the reader's imports are heavy: only when a budget is given

    try:
        report = read_report(path, password=password, kind=BUDGET)
    except InputError as exc:
        raise InputError(path, f"预算文件无法使用（budget file unusable）：{exc.problem}") from None
    return Pair(report, str(path))


def require_final(report) -> None:
    """A budget is held against a 决算 only: given with a 预算 as the document checked (`check
    --budget`, a params file's `budget:`, a batch entry's), it is the user's mistake — the one-line
    InputError naming the document (exit 2; in a batch, that department's failure)."""
    if report.kind != FINAL:
        raise InputError(report.path, f"是{report.kind}，预算（--budget 或参数文件的 budget:）只用于以预算核对决算，"
                                      f"请给出决算文件（a budget pairs with a 决算 only; this is a {report.kind}）")


def engine(ctx: Context) -> Engine:
    """The 决算's engine with the budget's beside it, the budget's figures in the 决算's unit."""
    unit = ctx.report.unit or "万元"
    budget = Engine(ctx.budget.report, ctx.settings.tolerance, unit=unit, document=BUDGET)
    return Engine(ctx.report, ctx.settings.tolerance, budget=budget, document=FINAL)


def named(pair: Engine, c: Cell) -> str:
    """A cell as 决算 · 表名 · 行名 · 栏名 or 预算 · 表名 · 行名 · 栏名."""
    owner = pair.budget if c.document == BUDGET else pair
    table = owner.report.tables[c.table]
    title = (table.label or f"公开{c.table[1:]}表") if c.document == FINAL else (table.title or c.table)
    column = table.spec.column_names.get(c.column, c.column)
    return " · ".join((c.document, title, table.spec.row_names.get(c.key, c.name), column))


def mismatch(ctx: Context) -> list[str]:
    """What sets the budget given apart from the 决算 (部门, 年度 as read): empty when it is the
    same department's of the same year."""
    final, budget = ctx.report, ctx.budget.report
    return [f"{what}：决算为 {a}，预算为 {b}" for what, a, b, same in (
        ("部门", final.department, budget.department, department_key(final.department) == department_key(budget.department)),
        ("年度", final.year, budget.year, final.year == budget.year)) if not same]


def paired(ctx: Context, rule: Rule) -> bool:
    """A budget is given and it is this 决算's own: one of another department or year makes the
    rule meaningless, so it is listed as not run (PAIR.match says why; an auditor who switches
    PAIR.match off holds the two documents against each other all the same)."""
    if ctx.budget is None:
        return False
    if ctx.rule("PAIR.match") is not None and mismatch(ctx):
        ctx.skip(rule, "预算与决算不是同一部门同一年度（the budget is not of the same department and year）")
        return False
    return True


def _gaps(pair: Engine, exprs) -> list[str]:
    """Why the budget cannot give what the expressions read of it: a table it lacks or that was
    not read, a column the table does not print (Jiangsu's 财政拨款收支总表 prints one 预算数), or
    科目 rows it does not list (Jiangsu lists them in 财政拨款支出预算表)."""
    gaps: list[str] = []
    for ref in dict.fromkeys(r for e in exprs if e is not None for r in e.refs if r.budget):
        table = pair.budget.report.tables.get(ref.table)
        if not pair.budget.usable(ref.table):
            gaps.append(f"预算中未读取到 {ref.table}")
            continue
        title = table.title or ref.table
        if ref.column not in table.columns:
            gaps.append(f"预算{title}未列“{table.spec.column_names.get(ref.column, ref.column)}”栏")
        elif CODE.fullmatch(ref.selector) and not _lists_subjects(table):
            gaps.append(f"预算{title}未按支出功能分类科目列示")
    return list(dict.fromkeys(gaps))


def _lists_subjects(table) -> bool:
    """The table has 科目 rows (a code printed beside the name)."""
    return "code" in table.data and bool((table.data["code"].fillna("") != "").any())


def _missing(ctx: Context, pair: Engine, rule: Rule, exprs) -> bool:
    """What the rule reads of the budget is not there (`_gaps`): the rule is listed as not run
    (never passed), once for each reason."""
    gaps = _gaps(pair, exprs)
    if gaps:
        entry = {"id": rule.id, "rule": rule.title, "reason": "；".join(gaps)}
        if entry not in ctx.not_run:
            ctx.skip(rule, entry["reason"])
    return bool(gaps)


def pair_relation(ctx: Context, rule: Rule) -> list[Finding]:
    """A catalog relation between the 决算's cells and the budget's (`budget.`)."""
    if not paired(ctx, rule):
        return []
    pair = engine(ctx)
    if _missing(ctx, pair, rule, (rule.lhs_expr, rule.rhs_expr)):
        return []
    found, checks = pair.relations(rule)
    ctx.checks += checks
    for f in found:
        cells = [Cell(**_cell(c)) for c in f.cells]
        f.location = " ↔ ".join(dict.fromkeys(named(pair, c) for c in cells))
        f.message = f" {'≠' if rule.op == '=' else rule.op} ".join(
            filter(None, (_stated(pair, [c for c in cells if c.document == d]) for d in (FINAL, BUDGET))))
    return found


def _stated(pair: Engine, cells: list[Cell]) -> str:
    """Cells of one document with their values, as a message says them."""
    return " + ".join(f"{named(pair, c)}{_figure(pair, c)}" for c in cells)


def _figure(pair: Engine, c: Cell) -> str:
    """A cell's value as a message says it after the cell's name: its figure; 空 where the row is
    printed and the cell blank; where the table does not list the row at all (a 科目 Jiangsu's
    财政拨款支出预算表 leaves out), that it is compared as 0 — not a blank the reader left."""
    if c.value is not None:
        return f" {c.value:,.2f}"
    owner = pair.budget if c.document == BUDGET else pair
    if owner.report.tables[c.table].has(c.key):
        return " 空"
    return f"（{c.document}表未列此{'科目' if CODE.fullmatch(c.key) else '行'}，按 0 核对）"


def _cell(record: dict) -> dict:
    """A finding's cell record back as Cell fields (to name it)."""
    return {"table": record["table"], "key": record["row"], "column": record["column"], "value": record["value"],
            "name": record["row"], "line": record["line"], "page": record["page"], "tolerance": 0.0,
            "document": record.get("document", FINAL)}


# a row selector that is a 支出功能分类科目 code (215, 2150501) rather than a row key
CODE = re.compile(r"\d{3,7}")


@lru_cache(maxsize=64)
def _pattern(target: str) -> re.Pattern:
    """A `targets` key (`T04[{code}].total`) as a regex over a claim's target."""
    return re.compile(re.escape(target).replace(re.escape("{code}"), r"(?P<code>[^\]]+)").replace(
        re.escape("{row}"), r"(?P<row>[^\]]+)") + "$")


def budget_expression(rule: Rule, target: str, pair: Engine):
    """The budget's expression for a 决算 cell a claim restates, by the rule's `targets`: the
    first of a target's alternatives (one per budget form) the budget has the cells of, else the
    first (its gaps then say why the rule is not run); None when no target maps the cell."""
    for pattern, expressions in rule.params.get("targets", {}).items():
        m = _pattern(pattern).match(target)
        if m:
            found = [parse(e.replace("{code}", m.groupdict().get("code") or "").replace(
                "{row}", m.groupdict().get("row") or "")) for e in ([expressions] if isinstance(expressions, str) else expressions)]
            return next((e for e in found if not _gaps(pair, (e,))), found[0])
    return None


@dataclass
class Stated:
    """A 年初预算 figure or completion rate the narrative states, with the budget's side it is
    held against (in the 决算's unit) and the words that name the budget's cells."""

    sentence: Sentence
    figure: Figure
    target: str  # the 决算 cell the figure's words name (T04[215].total)
    side: Side
    budgeted: str


def budget_figure(ctx: Context, pair: Engine, st: Stated) -> tuple[str | None, float, float, str, list[Cell]]:
    """年初预算数为 Y 万元 = the budget's cell: (severity, expected, actual, what is wrong, the
    决算's cells it rests on besides the sentence)."""
    f = st.figure
    value = f.value / 10000 if f.unit == "元" else f.value
    allowance = half_unit(f.decimals) / (10000 if f.unit == "元" else 1) + st.side.tolerance
    return (beyond(value - st.side.value, allowance), st.side.value, value,
            f"决算说明的年初预算数 {f.value:g}{f.unit} ≠ {st.budgeted}", [])


def completion(ctx: Context, pair: Engine, st: Stated) -> tuple[str | None, float, float, str, list[Cell]] | None:
    """完成年初预算的 P% = the 决算's own cell (its 决算数) / the budget's cell, at P's precision."""
    f, actual = st.figure, pair.side(st.target.replace(".budget", ".actual"))
    span = ratio_span(actual.value, actual.tolerance, st.side.value, st.side.tolerance) if actual.printed else None
    if span is None:
        return None  # no 决算数, or nothing budgeted: no rate to hold it to
    point = actual.value / st.side.value * 100
    return (percent_verdict(f.value, f.decimals, span), round(point, 2), f.value,
            f"决算说明的完成年初预算 {f.value:g}% ≠ {_stated(pair, actual.cells)} / {st.budgeted} = {point:.2f}%",
            actual.cells)


# what a `pair_claims` rule's `figure:` holds against the budget, by the figure's kind
JUDGES = {"budget": budget_figure, "completion": completion}


def stated(ctx: Context, pair: Engine, rule: Rule, kind: str):
    """The narrative's figures of `kind` whose 决算 cell the rule's `targets` map to the budget's."""
    subjects = load_subjects()
    for s in ctx.report.prose.sentences:
        for f in s.figures:
            if f.kind != kind or f.adjusted or f.explanatory or f.paired:
                continue
            found = candidates(subjects, s.section, (s.words(f),), "万元", "budget")
            expression = budget_expression(rule, found[0][1], pair) if found else None
            if expression is None or _missing(ctx, pair, rule, (expression,)):
                continue
            side = pair.side(expression, True)
            yield Stated(s, f, found[0][1], side, _stated(pair, side.cells))


def pair_claims(ctx: Context, rule: Rule) -> list[Finding]:
    """The narrative's figures of the rule's `figure` kind (年初预算数为 Y 万元, 完成年初预算的 P%)
    against the budget's cells."""
    if not paired(ctx, rule):
        return []
    pair, judge, out = engine(ctx), JUDGES[rule.params.get("figure", "budget")], []
    for st in stated(ctx, pair, rule, rule.params.get("figure", "budget")):
        judged = judge(ctx, pair, st)
        if judged is None:
            continue
        ctx.checks += 1
        severity, expected, actual, message, cells = judged
        if severity is None:
            continue
        s, cells = st.sentence, [*cells, *st.side.cells]
        where = " ↔ ".join([f"{FINAL} · 情况说明 · {s.section}", *(named(pair, c) for c in cells)])
        out.append(finding(rule, severity, where, f"{message}：“{s.text}”", f"{s.line or s.page}:{st.target}",
                           tables=("NARR",), page=s.page, line=s.line, expected=round(expected, 2),
                           actual=round(actual, 2), cells=[pair.record(c) for c in cells]))
    return out


def pair_match(ctx: Context, rule: Rule) -> list[Finding]:
    """The budget given is the same department's of the same year (编制单位 and 年度 as read);
    a budget of another year or body makes every pair finding meaningless, so it is said first."""
    if ctx.budget is None:
        return []
    ctx.checks += 1
    said = mismatch(ctx)
    if not said:
        return []
    return [finding(rule, "error", f"{FINAL} ↔ {BUDGET}（{ctx.budget.path}）", "所给部门预算不是本决算的同一部门同一年度："
                    + "；".join(said), "budget", tables=("META",))]


# what this family contributes to the registry (auditlib.rules.registry)
CHECKS = (Check("pair_relation", pair_relation, stage="pair"), Check("pair_claims", pair_claims, stage="pair"),
          Check("pair_match", pair_match, stage="pair"))
