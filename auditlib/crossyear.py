"""Cross-year checks: this year's report against last year's report of the same department.

With last year's report at hand (in the same batch, or in the warehouse as its cells):

* `XY.opening_balance`: 公开01表 年初结转和结余 (this year) = 年末结转和结余 (last year);
* `XY.fiscal_opening_balance`: 公开04表 年初财政拨款结转和结余 = last year's 年末财政拨款结转和结余;
* `XY.change`: a narrative 较上年增加/减少 X 万元 = this year's table value − last year's table value
  of the same cell (the cell the sentence's amount restates);
* `XY.growth`: a narrative 增长/下降 P% = (this year − last year) / last year, at printed precision.

Last year's report is handled as its long-form cells (`cells_of`), the form the warehouse keeps,
rebuilt into a minimal `Report` (`snapshot`) so the rule engine evaluates the same cell
expressions (`T01[opening_balance].amount`) on both years.  Values in the cells are already in
the document's unit (a table printed in 元 is converted), so the snapshot's tables carry no unit.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import pandas as pd

from auditlib.findings import CheckResult, Finding
from auditlib.model import Narrative, Performance, Report, Table
from auditlib.rules.engine import Engine, normalize_name
from auditlib.schema import COUNT_ROWS, SPECS

ONE = 1e-9
CELL_COLUMNS = ("table", "row_key", "column_key", "value", "page", "line", "code", "name", "level")
TITLES = {
    "opening_balance": "本年年初结转和结余 = 上年年末结转和结余（公开01表）",
    "fiscal_opening_balance": "本年年初财政拨款结转和结余 = 上年年末财政拨款结转和结余（公开04表）",
    "change": "情况说明中的较上年增减额 = 本年表中数 − 上年报告表中数",
    "growth": "情况说明中的较上年增长率 = (本年数 − 上年报告表中数) / 上年报告表中数",
}


def department_key(name: str | None) -> str:
    """The department name compared across years (spaces and full-width forms folded;
    a leading 原 — a department renamed since — ignored)."""
    return re.sub(r"^原", "", normalize_name(name or ""))


def _num(v) -> float | None:
    if v is None:
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def _int(v) -> int | None:
    f = _num(v)
    return None if f is None else int(f)


def cells_of(report: Report) -> list[tuple]:
    """Every printed cell of the ten tables in long form: (table, row key, column key, value in
    the document's unit, page, line, code, name, level)."""
    engine = Engine(report)
    out = []
    for code, table in report.tables.items():
        if not len(table.data):
            continue
        factor = engine.factor(table)
        data = table.data
        for key in data.index:
            row = data.loc[key]
            f = 1.0 if str(key) in COUNT_ROWS.get(code, ()) else factor
            for col in table.columns:
                v = _num(row[col])
                if v is None:
                    continue
                out.append((code, str(key), col, v * f, _int(row.get("page")), _int(row.get("line")),
                            str(row.get("code") or ""), str(row.get("name") or ""), str(row.get("level") or "")))
    return out


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


def _value(engine: Engine, expr: str):
    side = engine.side(expr, False)
    return (side.value, side) if side.printed else (None, side)


def _cells(side, year) -> list[dict]:
    return [{"table": c.table, "row": c.key, "column": c.column, "value": c.value, "line": c.line,
             "page": c.page, "year": year} for c in side.cells]


def _sign(words: str) -> int:
    m = re.findall(r"(增加|减少|增长|下降|降低|上升)", words or "")
    if not m:
        return 0
    return 1 if m[-1] in ("增加", "增长", "上升") else -1


def check_cross_year(result: CheckResult, priors: dict[int, Prior], tolerance: float = 0.005) -> list[Finding]:
    """Findings of this year's report against the prior years in `priors` (keyed by year).
    Claims that were compared get their verdict; nothing is returned when no prior is given."""
    report = result.report
    if not priors or report.year is None:
        return []
    year = report.year
    here = Engine(report, tolerance)
    engines = {y: Engine(p.report, tolerance) for y, p in priors.items()}
    findings: list[Finding] = []

    # -- balances carried over ---------------------------------------------------------------
    last = priors.get(year - 1)
    if last is not None:
        for rule, table, opening, closing, what in (
                ("opening_balance", "T01", "T01[opening_balance].amount", "T01[closing_balance].amount",
                 ("年初结转和结余", "年末结转和结余")),
                ("fiscal_opening_balance", "T04", "T04[opening_balance].amount", "T04[closing_balance].total",
                 ("年初财政拨款结转和结余", "年末财政拨款结转和结余"))):
            now, side = _value(here, opening)
            before, _ = _value(engines[year - 1], closing)
            if now is None or before is None:
                continue
            here.checks += 1
            diff = now - before
            tol = 2 * tolerance + ONE
            if abs(diff) <= tol:
                continue
            label = f"公开{table[1:]}表"
            findings.append(Finding(
                id=f"XY.{rule}", rule=TITLES[rule], severity="error" if abs(diff) > 2 * tol else "warning",
                tables=[table], location=f"{label} {what[0]}（{year} 年） vs {what[1]}（{year - 1} 年，{last.document}）",
                page=side.cells[0].page if side.cells else None, expected=round(before, 2), actual=round(now, 2),
                difference=round(diff, 2), line=side.cells[0].line if side.cells else None,
                message=(f"{year} 年{label}{what[0]} {now:,.2f} ≠ {year - 1} 年报告{label}{what[1]} {before:,.2f}"
                         f"（差 {diff:,.2f}）"),
                key=f"XY.{rule}@{table}:{year}:{year - 1}", cells=_cells(side, year)))

    # -- narrative 较上年 claims ------------------------------------------------------------------
    para = None
    amount = change = None
    for claim in result.claims:
        where = (claim.section, claim.line, claim.page)
        if where != para:
            para, amount, change = where, None, None
        if claim.kind == "amount" and claim.target and "[" in claim.target:
            amount, change = claim, None
            continue
        if claim.kind not in ("change", "growth") or amount is None:
            continue
        versus = claim.versus or year - 1
        prior = priors.get(versus)
        if prior is None or claim.value is None:
            if claim.kind == "change":
                change = claim
            continue
        now, side = _value(here, amount.target)
        before, _ = _value(engines[versus], amount.target)
        sign = _sign(claim.subject) or _sign(claim.text[:claim.text.find(f"{claim.value:g}")]) or 1
        if now is None or before is None:
            continue
        table = amount.target.split("[")[0]
        location = (f"情况说明 {amount.subject}：{year} 年 vs {versus} 年（{prior.document} 公开{table[1:]}表）")
        base = dict(tables=["NARR", table], location=location, page=claim.page, line=claim.line,
                    cells=_cells(side, year))
        if claim.kind == "change":
            change = claim
            printed = sign * claim.value
            expected = now - before
            tol = 0.5 * 10 ** (-claim.decimals) + 2 * tolerance + ONE
            here.checks += 1
            if abs(printed - expected) <= tol:
                claim.verdict, claim.expected = "ok", round(expected, 2)
                continue
            claim.verdict, claim.expected, claim.rule = "mismatch", round(expected, 2), "XY.change"
            findings.append(Finding(
                id="XY.change", rule=TITLES["change"], severity="error" if abs(printed - expected) > 2 * tol else "warning",
                expected=round(expected, 2), actual=round(printed, 2), difference=round(printed - expected, 2),
                message=(f"说明称较 {versus} 年{'增加' if sign > 0 else '减少'} {claim.value:g}{claim.unit}，但本年 "
                         f"{now:,.2f} − {versus} 年报告 {before:,.2f} = {expected:,.2f}：“{claim.text}”"),
                key=f"XY.change@{claim.line or claim.page}:{amount.target}:{versus}", **base))
        else:  # growth, in percent
            if before <= tolerance:
                continue
            lo_now, hi_now = now - tolerance, now + tolerance
            lo_b, hi_b = before - tolerance, before + tolerance
            span = ((lo_now / hi_b - 1) * 100, (hi_now / lo_b - 1) * 100)
            point = (now / before - 1) * 100
            printed = sign * claim.value
            half = 0.5 * 10 ** (-claim.decimals)
            here.checks += 1
            if span[0] - half - ONE <= printed <= span[1] + half + ONE:
                claim.verdict, claim.expected = "ok", round(point, 2)
                continue
            step = 10 ** (-claim.decimals)
            near = span[0] - half - step <= printed <= span[1] + half + step
            claim.verdict, claim.expected, claim.rule = "mismatch", round(point, 2), "XY.growth"
            findings.append(Finding(
                id="XY.growth", rule=TITLES["growth"], severity="warning" if near else "error",
                expected=round(point, 2), actual=round(printed, 2), difference=round(printed - point, 2),
                message=(f"说明称较 {versus} 年{'增长' if sign > 0 else '下降'} {claim.value:g}%，但按本年 {now:,.2f} 与 "
                         f"{versus} 年报告 {before:,.2f} 应为 {point:.2f}%：“{claim.text}”"),
                key=f"XY.growth@{claim.line or claim.page}:{amount.target}:{versus}", **base))
    return findings


def apply(result: CheckResult, priors: dict[int, Prior], tolerance: float = 0.005) -> list[Finding]:
    """Add the cross-year findings to `result` (in the order `check` sorts) and return them."""
    found = check_cross_year(result, priors, tolerance)
    if found:
        order = {"error": 0, "warning": 1, "info": 2}
        result.findings.extend(found)
        result.findings.sort(key=lambda f: (f.tables[0], order.get(f.severity, 9), f.id, f.line or 0, f.page or 0))
    return found
