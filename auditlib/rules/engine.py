"""A small engine that evaluates the catalog over a `Report`.

Relations are arithmetic over cell references `T02[key, key].column` (a list sums),
`T01[level=类].amount` (every row of a level), with `{code}` / `{column}` filled in
by the rule's scope.  Each comparison allows 尾数误差: every printed cell it reads
may carry half a unit of the last printed digit, so n cells may be off by
tolerance × n without any mistake.
"""

from __future__ import annotations

import ast
import operator
import re
import unicodedata
from dataclasses import dataclass

from auditlib.findings import CheckResult, Finding
from auditlib.model import Report, Table
from auditlib.rules.catalog import Rule
from auditlib.schema import COUNT_ROWS

REF = re.compile(r"(T\d\d)\[([^\]]*)\]\.(\w+)")
IDENT = re.compile(r"(?<![\w\]\.])([a-z_][a-z_0-9]*)\b")
COMPARE = {"=": operator.eq, "<=": operator.le, ">=": operator.ge, "<": operator.lt, ">": operator.gt}
ALLOWED = (ast.Expression, ast.BinOp, ast.UnaryOp, ast.Add, ast.Sub, ast.Mult, ast.Div, ast.USub,
           ast.Constant, ast.Name, ast.Load)
WAN = 10000.0


@dataclass
class Cell:
    table: str
    key: str
    column: str
    value: float | None  # in the document's unit, None when blank or absent
    name: str
    line: int | None
    page: int | None
    tolerance: float


@dataclass
class Side:
    value: float
    cells: list[Cell]
    text: str

    @property
    def printed(self) -> bool:
        return any(c.value is not None for c in self.cells)

    def zero_by_emptiness(self, report: Report) -> bool:
        """Every cell is in a table printed empty (本部门无…, 故本表无数据): that
        table states zero, so the side is compared as 0 rather than skipped."""
        return bool(self.cells) and all(report.tables[c.table].status == "empty" for c in self.cells)

    @property
    def tolerance(self) -> float:
        return sum(c.tolerance for c in self.cells if c.value is not None)

    def comparable(self, report: Report) -> bool:
        """A printed figure, a table printed empty, or a constant (`> 0`): a side
        that reads no cell at all is a number of the rule itself."""
        return not self.cells or self.printed or self.zero_by_emptiness(report)


class Engine:
    """Evaluates rules over one report; `tolerance` is the rounding allowance of one
    printed cell in the document's unit (0.005 万元 for two decimals)."""

    def __init__(self, report: Report, tolerance: float = 0.005, params: dict | None = None) -> None:
        self.report = report
        self.tolerance = tolerance
        self.params = dict(params or {})  # the audit's facts not in the document (published_on …)
        self.checks = 0
        self.not_run: list[dict] = []  # checks that could not run, with why: never counted as passed

    def skip(self, rule: Rule, reason: str) -> None:
        """A check that cannot run here (no dates, no prior year): listed, not passed."""
        self.not_run.append({"id": rule.id, "rule": rule.title, "reason": reason})

    # -- cells -----------------------------------------------------------------
    def factor(self, table: Table) -> float:
        """Scale to the document's unit: a table in 元 inside a 万元 report."""
        if table.unit == "元" and self.report.unit in (None, "万元"):
            return 1 / WAN
        return 1.0

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

    def cell(self, table: Table, key: str, column: str) -> Cell:
        """One printed cell in the document's unit; a count (批次, 人次, 辆) is exact:
        it carries no rounding allowance and is never converted."""
        value = table.value(key, column)
        counted = key in COUNT_ROWS.get(table.code, ())
        factor = 1.0 if counted else self.factor(table)
        where = table.where(key)
        name = table.data.at[key, "name"] if table.has(key) else key
        return Cell(table.code, key, column, None if value is None else value * factor, str(name or key),
                    where["line"], where["page"], 0.0 if counted else self.tolerance * factor)

    def record(self, c: Cell) -> dict:
        """A compared cell as a finding lists it: where it is, to highlight it in the
        printed table and to box it on the PDF page."""
        return {"table": c.table, "row": c.key, "column": c.column, "value": c.value, "line": c.line,
                "page": c.page, "box": self.report.tables[c.table].boxes.get((c.key, c.column))}

    def reading_doubt(self, lhs: Side, rhs: Side, diff: float, tol: float) -> str | None:
        """Why an OCR'd relation may be a misreading rather than the document's error:
        a cell read with low confidence, or one whose figure with a single confusable
        character changed (8↔3, 1↔7, 0↔6 …, or a lost decimal point) closes the
        relation.  None for a text layer: there what is printed is what was read."""
        if self.report.input_kind != "scan":
            return None
        cells = [c for c in (*lhs.cells, *rhs.cells) if c.value is not None]
        for c in cells:
            score = self.report.tables[c.table].confidence.get((c.key, c.column))
            if score is not None and score < LOW_CONFIDENCE:
                return f"识别置信度低（{c.name} {_num(c.value)}，置信度 {score:.2f}），须对照原件核对"
        for c in cells:
            for alt in misreadings(c.value):
                if min(abs(diff + alt - c.value), abs(diff - alt + c.value)) <= tol:
                    return f"疑为识别误差：{c.name} 识别为 {_num(c.value)}，若为 {_num(alt)} 则相符，须对照原件核对"
        return None

    def usable(self, code: str) -> bool:
        return self.report.tables[code].readable

    # -- expressions -------------------------------------------------------------
    def side(self, expression: str, multi: bool) -> Side:
        """Evaluate one side: its value, the cells it read, and a readable text."""
        cells: list[Cell] = []
        names: dict[str, float] = {}
        texts: list[str] = []

        def sub(m: re.Match) -> str:
            table = self.report.tables[m.group(1)]
            picked = [self.cell(table, k, m.group(3)) for k in self.select(table, m.group(2))]
            cells.extend(picked)
            var = f"_r{len(names)}"
            names[var] = sum(c.value or 0.0 for c in picked)
            label = (f"公开{m.group(1)[1:]}表 " if multi else "")
            shown = [f"{label}{c.name} {_num(c.value)}" for c in picked if c.value is not None] or [
                f"{label}{picked[0].name if picked else m.group(2)} (空)"]
            texts.append(" + ".join(shown))
            return var

        source = REF.sub(sub, expression)
        value = _safe_eval(source, names)
        text = source
        for n, t in enumerate(texts):
            text = re.sub(rf"\b_r{n}\b", t if len(texts) == 1 else (f"({t})" if " + " in t else t), text, count=1)
        return Side(value, cells, text)

    # -- rules ---------------------------------------------------------------------
    def instances(self, rule: Rule) -> list[tuple[str, str, str]]:
        """The (lhs, rhs, when) relations a rule stands for in this report."""
        if rule.scope == "row":
            return [(rule.lhs, rule.rhs, rule.when)]
        if rule.scope == "each_column":
            return [tuple(s.replace("{column}", c) for s in (rule.lhs, rule.rhs, rule.when))
                    for c in rule.columns]
        if rule.scope == "each_code":
            codes: list[str] = []
            for ref in rule.codes.split("|"):
                m = REF.match(ref.strip() + ".x")
                if m and self.usable(m.group(1)):
                    codes += [c for c in self.select(self.report.tables[m.group(1)], m.group(2)) if c not in codes]
            return [tuple(s.replace("{code}", c) for s in (rule.lhs, rule.rhs, rule.when)) for c in codes]
        table = self.report.tables[rule.table]
        if rule.scope == "each_row":
            out = []
            for key in self.rows(table, rule.rows):
                def bind(expr: str, key: str = key) -> str:
                    return IDENT.sub(lambda m: f"{rule.table}[{key}].{m.group(1)}", expr)
                out.append((bind(rule.lhs), bind(rule.rhs), bind(rule.when) if rule.when else ""))
            return out
        return self.hierarchy(table, rule)

    def rows(self, table: Table, condition: str) -> list[str]:
        if not condition:
            return [str(k) for k in table.data.index]
        column, value = condition.split("=", 1)
        return [str(k) for k in table.data.index[table.data[column] == value]]

    def hierarchy(self, table: Table, rule: Rule) -> list[tuple[str, str, str]]:
        """类 = Σ 款, 款 = Σ 项 (prefix-matched codes), 合计 = Σ 类, in every column."""
        if not len(table.data):
            return []
        codes = [str(c) for c in table.data["code"] if c]
        out = []
        for column in table.columns:
            ref = lambda keys: f"{table.code}[{', '.join(keys)}].{column}"  # noqa: E731
            for parent in codes:
                children = [c for c in codes if len(c) == len(parent) + 2 and c.startswith(parent)]
                if children:
                    out.append((ref([parent]), ref(children), ""))
            top = [c for c in codes if len(c) == 3]
            if not rule.no_total and table.has("total") and top:
                out.append((ref(["total"]), ref(top), ""))
        return out

    def evaluate(self, rule: Rule, claims: list | None = None) -> list[Finding]:
        if rule.kind == "consistency":
            from auditlib.rules.consistency import CHECKS

            self.checks += 1
            return CHECKS[rule.check](self.report, rule)
        if rule.kind in ("completeness", "claims"):
            from auditlib.rules.completeness import CHECKS as NAMED

            return NAMED[rule.check](self, rule, claims or [])
        if not all(self.usable(t) for t in rule.tables):
            return []
        findings = []
        multi = len(rule.tables) > 1
        for lhs_src, rhs_src, when in self.instances(rule):
            if when and not self.holds(when):
                continue
            lhs, rhs = self.side(lhs_src, multi), self.side(rhs_src, multi)
            if not (lhs.comparable(self.report) and rhs.comparable(self.report)):
                continue  # a side with no printed figure (blank, dash, absent) has nothing to compare
            self.checks += 1
            finding = self.compare(rule, lhs, rhs)
            if finding:
                findings.append(finding)
        return findings

    def holds(self, condition: str) -> bool:
        m = re.search(r"(<=|>=|=|<|>)", condition)
        left, right = condition[: m.start()], condition[m.end():]
        return COMPARE[m.group(1)](self.side(left, False).value, self.side(right, False).value)

    def compare(self, rule: Rule, lhs: Side, rhs: Side) -> Finding | None:
        diff = lhs.value - rhs.value
        tol = lhs.tolerance + rhs.tolerance + 1e-9
        if rule.op == "=":
            if abs(diff) <= tol:
                return None
            severity = "error" if rule.kind == "identity" and abs(diff) > 2 * tol else "warning"
        else:
            rounding = tol - 1e-9  # a strict comparison of exact figures (counts against 0) gets no epsilon
            slack = {"<=": tol, "<": rounding, ">=": -tol, ">": -rounding}[rule.op]
            if COMPARE[rule.op](lhs.value, rhs.value + slack) or COMPARE[rule.op](lhs.value, rhs.value):
                return None
            severity = "warning" if rule.kind == "heuristic" else "error"
        anchor = lhs.cells[0] if lhs.cells else rhs.cells[0]
        table = self.report.tables[anchor.table]
        column = table.spec.column_names.get(anchor.column, anchor.column)
        place = f"{table.label or table.title or table.code} {anchor.name} {column}"
        symbol = {"=": "≠", "<=": ">", ">=": "<", "<": "≥", ">": "≤"}[rule.op]
        message = f"{lhs.text} {symbol} {rhs.text}"
        if len(rhs.cells) > 1 or len(lhs.cells) > 1:
            message += f"（{_num(lhs.value)} {symbol} {_num(rhs.value)}）"
        doubt = self.reading_doubt(lhs, rhs, diff, tol) if severity == "error" else None
        if doubt:  # on a scan, the OCR may be wrong where the document is not
            severity, message = "warning", f"{message}；{doubt}"
        return Finding(
            id=rule.id, rule=rule.title, severity=severity, tables=list(rule.tables), location=place,
            page=anchor.page or table.page, expected=round(rhs.value, 2), actual=round(lhs.value, 2),
            difference=round(diff, 2), message=message, line=anchor.line,
            key=f"{rule.id}@{anchor.table}:{anchor.key}:{anchor.column}",
            cells=[self.record(c) for c in (*lhs.cells, *rhs.cells)],
        )


# OCR confusions of digits in printed figures, and the threshold under which an OCR'd
# cell is not evidence enough for an error
CONFUSABLE = {"8": "36", "3": "8", "1": "7", "7": "1", "0": "68", "6": "08", "5": "6", "2": "7"}
LOW_CONFIDENCE = 0.9


def misreadings(value: float) -> list[float]:
    """What a figure may really be if one character of it was misread: a confusable
    digit swapped, or a decimal point lost ("153079" for 1530.79)."""
    printed = f"{value:.2f}"
    out = [value / 100]
    for i, ch in enumerate(printed):
        for other in CONFUSABLE.get(ch, ""):
            out.append(float(printed[:i] + other + printed[i + 1:]))
    return [v for v in out if v != value]


def _num(v: float | None) -> str:
    return "空" if v is None else f"{v:,.2f}"


def _safe_eval(source: str, names: dict[str, float]) -> float:
    """Arithmetic only: the catalog is data, never code."""
    tree = ast.parse(source.strip() or "0", mode="eval")
    for node in ast.walk(tree):
        if not isinstance(node, ALLOWED) or (isinstance(node, ast.Name) and node.id not in names):
            raise ValueError(f"not allowed in a rule expression: {ast.dump(node)[:60]}")
    return float(eval(compile(tree, "<rule>", "eval"), {"__builtins__": {}}, names))  # noqa: S307


def normalize_name(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


# findings that rest on OCR'd prose or on the performance section's OCR'd tables (whose
# cells carry no confidence and no alternatives to try): on a scan these are not certain
OCR_TEXT_TABLES = ("NARR", "PERF")


def _doubt_ocr_text(f: Finding) -> None:
    """On a scan, an error read from OCR'd words or performance tables is a warning that
    says so: the OCR may have misread what the document prints."""
    if f.severity == "error" and (f.tables[0] in OCR_TEXT_TABLES or f.id.startswith("COMPL.")):
        f.severity = "warning"
        f.message += "（扫描件：依据识别出的文字，须对照原件核对）"


def run(report: Report, rules: list[Rule], tolerance: float = 0.005, params: dict | None = None) -> CheckResult:
    """The catalog over a report; rules of kind `claims` run last, over the figures
    the narrative and performance checks read (they judge what those left unchecked)."""
    from auditlib.rules.prose.narrative import check_narrative
    from auditlib.rules.prose.performance import check_performance

    engine = Engine(report, tolerance, params)
    findings = [f for rule in rules if rule.kind != "claims" for f in engine.evaluate(rule)]
    claims, prose = check_narrative(report, engine)
    perf_claims, perf = check_performance(report, engine)
    findings += prose + perf
    claims += perf_claims
    findings += [f for rule in rules if rule.kind == "claims" for f in engine.evaluate(rule, claims)]
    if report.input_kind == "scan":
        for f in findings:
            _doubt_ocr_text(f)
    order = {"error": 0, "warning": 1, "info": 2}
    findings.sort(key=lambda f: (f.tables[0], order[f.severity], f.id, f.line or 0, f.page or 0))
    return CheckResult(report, findings, engine.checks, claims, engine.not_run)
