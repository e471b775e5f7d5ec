"""The evaluator: catalog expressions over a `Report`, and the relations of the table rules.

A relation is arithmetic over cell references (`auditlib.rules.expressions`), filled in by the
rule's scope.  Each comparison allows 尾数误差 as XBRL calculation 1.1 does: every printed cell
it reads stands for any value within half a unit of its last printed digit, so a relation over
n cells printed with two decimals may be off by 0.005 × n without any mistake (`--tolerance`
sets the allowance of every cell instead).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from auditlib.kinds import BUDGET
from auditlib.model import Report, Table
from auditlib.names import table_name
from auditlib.numbers import half_unit
from auditlib.rules.rule import Rule
from auditlib.rules.expressions import COMPARE, Condition, Expr, parse
from auditlib.rules.findings import Cell, Finding, finding
from auditlib.rules.doubts import reading_doubt, shown_number as _num
from auditlib.rules.intervals import ONE
from auditlib.schema import COUNT_ROWS, row_name

WAN = 10000.0
PRINTED_DECIMALS = 2  # decimals of a 万元 amount as the tables print it: assumed where the print is not known
SYMBOL = {"=": "≠", "<=": ">", ">=": "<", "<": "≥", ">": "≤"}


@dataclass
class Identity:
    """One compared instance of an identity rule (`=`, kind identity) as a linear relation
    over printed cells: lhs − rhs = Σ coefficient × cell + constant, which printed reads
    `residual`, and which holds when |residual| ≤ `tolerance`.  Error localization
    (auditlib.rules.localize) reasons over all of them, failing and holding alike — and
    over a failing relation of another kind (`rule.op`) only to see what explains it."""

    rule: Rule
    terms: list[tuple[float, Cell]]
    residual: float
    tolerance: float
    finding: Finding | None


@dataclass
class Side:
    value: float
    cells: list[Cell]
    text: str
    # the side as a linear form over its cells, (coefficient, cell) each, when it is one
    # (every identity of the catalog); None for a side that is not linear
    terms: list[tuple[float, Cell]] | None = None

    @property
    def printed(self) -> bool:
        return any(c.value is not None for c in self.cells)

    def zero_by_emptiness(self, report: Report) -> bool:
        """Every cell is in a table printed empty (本部门无…, 故本表无数据): that
        table states zero, so the side is compared as 0 rather than skipped."""
        return bool(self.cells) and all(c.table in report.tables and report.tables[c.table].status == "empty"
                                        for c in self.cells)

    @property
    def tolerance(self) -> float:
        return sum(c.tolerance for c in self.cells if c.value is not None)

    def comparable(self, report: Report) -> bool:
        """A printed figure, a table printed empty, or a constant (`> 0`): a side
        that reads no cell at all is a number of the rule itself."""
        return not self.cells or self.printed or self.zero_by_emptiness(report)


class Engine:
    """Evaluates expressions over one report.  `tolerance` is the rounding allowance of one
    printed cell in the document's unit; None (the default) takes half a unit of the cell's
    printed last digit (0.005 万元 for two decimals)."""

    def __init__(self, report: Report, tolerance: float | None = None, prior: Engine | None = None,
                 budget: Engine | None = None, unit: str | None = None, document: str = "") -> None:
        self.report = report
        self.tolerance = tolerance
        self.prior = prior  # last year's report, for `prior.` references
        self.budget = budget  # the 预算 of the same year, for `budget.` references (pair rules)
        self.unit = unit  # the unit its values are given in (None: the report's own)
        self.document = document  # which document of a pair its cells are in (决算, 预算); "" alone
        self.identities: list[Identity] = []  # every identity relation compared, for localization
        self.unmet: list[Identity] = []  # every other relation that failed (heuristics, ≥/≤): a cause may explain it
        # the rule being compared reads one table only: its figures are shown in that table's unit
        self.alone = False

    # -- cells -----------------------------------------------------------------
    def factor(self, table: Table) -> float:
        """Scale to the document's unit: a table in 元 inside a 万元 report (or a budget compared
        with a 万元 决算), or in 万元 inside a 元 one (a Shanghai 部门预算 prints its “三公” table in
        万元, the others in 元)."""
        unit = self.unit or self.report.unit
        if table.unit == "元" and unit in (None, "万元"):
            return 1 / WAN
        if table.unit == "万元" and unit == "元":
            return WAN
        return 1.0

    def own_unit(self, table: Table) -> str:
        """The unit a budget's table prints in where it is not the document's (a Shanghai “三公”
        table in 万元 of a report in 元), its cells shown in it; "" otherwise.  A 决算's tables
        share one unit but the 元 tables of some 万元 reports, which stay shown in 万元."""
        if self.unit is not None or self.report.kind != BUDGET or table.unit == self.report.unit:
            return ""
        return table.unit or ""

    def select(self, table: Table, selector: str) -> list[str]:
        selector = selector.strip()
        if selector.startswith("level="):
            level = selector.split("=", 1)[1]
            data = table.data
            if not len(data):
                return []
            mask = data["code"] != "" if level == "*" else data["level"] == level
            return [str(k) for k in data.index[mask]]
        return [k.strip() for k in selector.split(",") if k.strip()]

    def allowance(self, table: Table, key: str, column: str, tolerance: float | None = None) -> float:
        """Half a unit of the cell's last printed digit (or the tolerance set), in the table's unit."""
        if tolerance is None:
            tolerance = self.tolerance
        if tolerance is None:
            tolerance = half_unit(table.decimals.get((key, column), PRINTED_DECIMALS))
        return tolerance

    def cell(self, table: Table, key: str, column: str, tolerance: float | None = None) -> Cell:
        """One printed cell in the document's unit; a count (批次, 人次, 辆) is exact:
        it carries no rounding allowance and is never converted.  A table not read has no
        figure any rule may compare (the rows an unread table keeps are the reader's guesses)."""
        value = table.value(key, column) if table.readable else None
        counted = key in COUNT_ROWS.get(table.code, ())
        factor = 1.0 if counted else self.factor(table)
        where = table.where(key)
        name = table.data.at[key, "name"] if table.has(key) else None
        allowance = 0.0 if counted else self.allowance(table, key, column, tolerance) * factor
        return Cell(table.code, key, column, None if value is None else value * factor,
                    str(name or row_name(table.code, key)),
                    where["line"], where["page"], allowance, self.document,
                    "" if counted else self.own_unit(table), factor)

    def record(self, c: Cell) -> dict:
        """A compared cell as a finding lists it, with its box on the PDF page (of its own document)."""
        owner = self.budget if c.document == BUDGET and self.budget is not None else self
        return c.record(box=owner.report.tables[c.table].boxes.get((c.key, c.column)))

    def usable(self, code: str) -> bool:
        """The table is read (a budget's table, B…, in the budget of a pair)."""
        if code not in self.report.tables and self.budget is not None:
            return self.budget.usable(code)
        table = self.report.tables.get(code)
        return table is not None and table.readable

    # -- expressions -------------------------------------------------------------
    def side(self, expression: Expr | str, multi: bool = False, tolerance: float | None = None) -> Side:
        """Evaluate one side: its value, the cells it read, and a readable text."""
        expr = parse(expression) if isinstance(expression, str) else expression
        cells: list[Cell] = []
        values: list[float] = []
        texts: list[str] = []
        linear = expr.linear()
        terms: list[tuple[float, Cell]] | None = [] if linear else None
        for n, ref in enumerate(expr.refs):
            engine = self.prior if ref.prior else self.budget if ref.budget else self
            table = engine.report.tables.get(ref.table) if engine is not None else None
            picked = [engine.cell(table, k, ref.column, tolerance) for k in engine.select(table, ref.selector)
                      ] if table is not None else []
            cells.extend(picked)
            if terms is not None and not (ref.prior or ref.budget):
                terms += [(linear[1][n], c) for c in picked]
            else:
                terms = None  # last year's or the budget's figures are another document's: nothing to localize
            values.append(sum(c.value or 0.0 for c in picked))
            label = self.label(ref) if multi else ""
            shown = [f"{label}{c.name} {self.shown(c)}" for c in picked if c.value is not None] or [
                f"{label}{picked[0].name if picked else _selected(ref.table, ref.selector)} (空)"]
            texts.append(" + ".join(shown))
        text = expr.template
        for n, t in enumerate(texts):
            shown = t if len(texts) == 1 else (f"({t})" if " + " in t else t)
            text = re.sub(rf"\b_r{n}\b", lambda _, shown=shown: shown, text, count=1)
        return Side(expr.value(values), cells, text, terms)

    def shown(self, c: Cell) -> str:
        """A cell's figure as a message says it: as its table prints it, naming the unit where a
        rule over several tables compares it in another (the document's)."""
        if not c.unit:
            return _num(c.value)
        return _num(c.printed) if self.alone else f"{_num(c.printed)} {c.unit}"

    def label(self, ref) -> str:
        """How a message names a reference's table: 公开NN表; in a pair, with its document
        (决算 公开07表, 预算 一般公共预算“三公”经费支出表)."""
        if ref.budget and self.budget is not None:
            table = self.budget.report.tables.get(ref.table)
            return f"{BUDGET} {(table.title if table is not None else '') or ref.table} "
        return f"{self.document} {table_name(self.report, ref.table)} ".lstrip()

    def holds(self, condition: Condition) -> bool:
        return COMPARE[condition.op](self.side(condition.left).value, self.side(condition.right).value)

    # -- relations -----------------------------------------------------------------
    def instances(self, rule: Rule) -> list[tuple[Expr, Expr, Condition | None]]:
        """The (lhs, rhs, when) relations a rule stands for in this report."""
        def each(**subs: str) -> tuple[Expr, Expr, Condition | None]:
            return rule.lhs_expr.bind(**subs), rule.rhs_expr.bind(**subs), (
                rule.when_expr.bind(**subs) if rule.when_expr else None)

        if rule.scope == "row":
            return [each()]
        if rule.scope == "each_column":
            return [each(column=c) for c in rule.columns]
        if rule.scope == "each_code":  # with `columns`, every code in every column
            codes: list[str] = []
            for ref in rule.codes_refs:
                if self.usable(ref.table):
                    codes += [c for c in self.select(self.report.tables[ref.table], ref.selector) if c not in codes]
            return [each(code=c, **({"column": col} if col else {})) for c in codes for col in rule.columns or ("",)]
        table = self.report.tables[rule.table]
        if rule.scope == "each_row":
            return [each(row=key) for key in self.rows(table, rule.rows)]
        if rule.scope == "each_group":
            return [each(n=n) for n in groups(table)]
        return self.levels(table) if rule.scope == "levels" else self.hierarchy(table, rule)

    def rows(self, table: Table, condition: str) -> list[str]:
        if not condition:
            return [str(k) for k in table.data.index]
        column, value = condition.split("=", 1)
        return [str(k) for k in table.data.index[table.data[column] == value]]

    def hierarchy(self, table: Table, rule: Rule) -> list[tuple[Expr, Expr, None]]:
        """类 = Σ 款, 款 = Σ 项 (prefix-matched codes), 合计 = Σ 类, in every column."""
        if not len(table.data):
            return []
        codes = [str(c) for c in table.data["code"] if c]
        out = []
        for column in table.columns:
            def ref(keys: list[str], column: str = column) -> Expr:
                return parse(f"{table.code}[{', '.join(keys)}].{column}")
            for parent in codes:
                children = [c for c in codes if len(c) == len(parent) + 2 and c.startswith(parent)]
                if children:
                    out.append((ref([parent]), ref(children), None))
            top = [c for c in codes if len(c) == 3]
            if not rule.no_total and table.has("total") and top:
                out.append((ref(["total"]), ref(top), None))
        return out

    def levels(self, table: Table) -> list[tuple[Expr, Expr, None]]:
        """Each row of a levelled table (level 1, 2, 3 … in printed order: 政府采购's 大类, 专项 ·
        经济科目, 物品) = Σ the rows of the next level printed under it before the next row of
        its own level or above; 合计 = Σ level 1; in every column."""
        if not len(table.data):
            return []
        rows = [(str(k), int(v)) for k, v in table.data["level"].items() if str(v).isdigit()]
        out = []
        for n, (key, level) in enumerate(rows):
            under = next((m for m in range(n + 1, len(rows)) if rows[m][1] <= level), len(rows))
            children = [k for k, lv in rows[n + 1: under] if lv == level + 1]
            out += [(key, children)] if children else []
        top = [k for k, lv in rows if lv == 1]
        out += [(table.spec.total_key, top)] if table.has(table.spec.total_key) and top else []
        return [(parse(f"{table.code}[{parent}].{c}"), parse(f"{table.code}[{', '.join(kids)}].{c}"), None)
                for c in table.columns for parent, kids in out]

    def relations(self, rule: Rule) -> tuple[list[Finding], int]:
        """A table rule over this report: its findings and how many relations it compared."""
        if not all(self.usable(t) for t in rule.tables):
            return [], 0
        findings, checks = [], 0
        multi = len(rule.tables) > 1
        self.alone = len(set(rule.tables)) == 1
        for lhs_expr, rhs_expr, when in self.instances(rule):
            if when and not self.holds(when):
                continue
            lhs = self.side(lhs_expr, multi, rule.tolerance)
            rhs = self.side(rhs_expr, multi, rule.tolerance)
            if not (lhs.comparable(self.report) and rhs.comparable(self.report)):
                continue  # a side with no printed figure (blank, dash, absent) has nothing to compare
            checks += 1
            found = self.compare(rule, lhs, rhs)
            if found:
                findings.append(found)
            self.remember(rule, lhs, rhs, found)
        self.alone = False
        return findings, checks

    def remember(self, rule: Rule, lhs: Side, rhs: Side, found: Finding | None) -> None:
        """Keep an identity's instance as a linear relation, for localization; another
        relation's only when it failed (a unit error found by the identities may explain it)."""
        if lhs.terms is None or rhs.terms is None or not (rule.kind == "identity" and rule.op == "=" or found):
            return
        terms = lhs.terms + [(-coef, c) for coef, c in rhs.terms]
        relation = Identity(rule, terms, lhs.value - rhs.value, lhs.tolerance + rhs.tolerance + ONE, found)
        (self.identities if rule.kind == "identity" and rule.op == "=" else self.unmet).append(relation)

    def compare(self, rule: Rule, lhs: Side, rhs: Side) -> Finding | None:
        diff = lhs.value - rhs.value
        tol = lhs.tolerance + rhs.tolerance + ONE
        if rule.op == "=":
            if abs(diff) <= tol:
                return None
            severity = "error" if rule.kind == "identity" and abs(diff) > 2 * tol else "warning"
        else:
            rounding = tol - ONE  # a strict comparison of exact figures (counts against 0) gets no epsilon
            slack = {"<=": tol, "<": rounding, ">=": -tol, ">": -rounding}[rule.op]
            if COMPARE[rule.op](lhs.value, rhs.value + slack) or COMPARE[rule.op](lhs.value, rhs.value):
                return None
            severity = "warning" if rule.kind == "heuristic" else "error"
        anchor = lhs.cells[0] if lhs.cells else rhs.cells[0]
        table = self.report.tables[anchor.table]
        column = table.spec.column_names.get(anchor.column, anchor.column)
        place = f"{table.label or table.title or table.code} {anchor.name} {column}"
        symbol = SYMBOL[rule.op]
        scale, unit = self.stated_unit(lhs, rhs)
        message = f"{lhs.text} {symbol} {rhs.text}"
        if len(rhs.cells) > 1 or len(lhs.cells) > 1 or unit:
            message += f"（{_num(lhs.value / scale)} {symbol} {_num(rhs.value / scale)}{unit}）"
        doubt = reading_doubt(self.report, [*lhs.cells, *rhs.cells], diff, tol) if severity == "error" else None
        if doubt:  # on a scan, the OCR may be wrong where the document is not
            severity, message = "warning", f"{message}；{doubt}"
        return finding(rule, severity, place, message, f"{anchor.table}:{anchor.key}:{anchor.column}",
                       tables=rule.tables, page=anchor.page or table.page, line=anchor.line,
                       expected=round(rhs.value / scale, 2), actual=round(lhs.value / scale, 2),
                       difference=round(diff / scale, 2),
                       cells=[self.record(c) for c in (*lhs.cells, *rhs.cells)])

    def stated_unit(self, lhs: Side, rhs: Side) -> tuple[float, str]:
        """The unit a finding's expected, actual and difference are in, as (factor from the
        document's unit, its name where a cell is printed in another): a rule over one table
        in that table's unit, one over several in the document's."""
        other = [c for c in (*lhs.cells, *rhs.cells) if c.unit]
        if not other:
            return 1.0, ""
        if self.alone:
            return other[0].scale, f" {other[0].unit}"
        return 1.0, f" {self.report.unit}"


def groups(table: Table) -> list[str]:
    """The groups of rows a table keys `<row>:<n>` (one per form of a 绩效目标表: `annual_total:5`
    is the 5th project's 年度资金申请总额), in printed order: scope `each_group` fills `{n}` with
    each, so a relation inside one form is checked in every form."""
    found = (re.search(r":(\d+)$", str(k)) for k in table.data.index)
    return list(dict.fromkeys(m.group(1) for m in found if m))


def _selected(code: str, selector: str) -> str:
    """What a selector that picked no row names, in the auditor's words (各类 for `level=类`)."""
    if selector.startswith("level="):
        level = selector.split("=", 1)[1].strip()
        return "各科目" if level == "*" else f"各{level}"
    return "、".join(row_name(code, k.strip()) for k in selector.split(",") if k.strip())
