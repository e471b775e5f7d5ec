"""Rule expressions, parsed once: arithmetic (`+ - * /`, numbers) over cell references.

A reference is `T02[key, key].column` (a list sums), `T01[level=类].amount` (every row of a
level), `prior.T01[closing_balance].amount` (the same cell in last year's report) or
`budget.B07[abroad].budget` (a cell of the department's 预算 of the same year: pair rules); a
部门预算's own tables are referred to the same way by their codes B01… (auditlib.kinds).  A rule's
scope fills `{code}`, `{column}`, for `each_row` `{row}` and for `each_group` `{n}`
(`B11[annual_total:{n}]`) into the references' parts: the arithmetic itself is parsed and checked once, when the catalog is loaded.
"""

from __future__ import annotations

import ast
import operator
import re
from dataclasses import dataclass, replace
from functools import lru_cache

REF = re.compile(r"(prior\.|budget\.)?([TB]\d\d)\[([^\]]*)\]\.([\w{}]+)")
IDENT = re.compile(r"(?<![\w\]\.{])([a-z_][a-z_0-9]*)\b(?![\[{}.])")
CONDITION = re.compile(r"(<=|>=|=|<|>)")
COMPARE = {"=": operator.eq, "<=": operator.le, ">=": operator.ge, "<": operator.lt, ">": operator.gt}
ALLOWED = (ast.Expression, ast.BinOp, ast.UnaryOp, ast.Add, ast.Sub, ast.Mult, ast.Div, ast.USub, ast.UAdd,
           ast.Constant, ast.Name, ast.Load)


class ExpressionError(ValueError):
    """An expression that is not arithmetic over cell references."""


@dataclass(frozen=True)
class Ref:
    """One cell reference: a table, its row selector, a column (last year's when `prior`, the
    budget's when `budget`)."""

    table: str
    selector: str
    column: str
    prior: bool = False
    budget: bool = False

    def bind(self, subs: dict[str, str]) -> Ref:
        sel, col = self.selector, self.column
        for name, value in subs.items():
            sel, col = sel.replace(f"{{{name}}}", value), col.replace(f"{{{name}}}", value)
        return replace(self, selector=sel, column=col)

    def keys(self) -> list[str]:
        """The row keys of a list selector (not `level=…`)."""
        return [] if self.selector.strip().startswith("level=") else [
            k.strip() for k in self.selector.split(",") if k.strip()]


@dataclass(frozen=True)
class Expr:
    """An expression with its references taken out: `template` is the arithmetic over the
    names `_r0`, `_r1` … (one a reference), checked once."""

    source: str
    template: str
    refs: tuple[Ref, ...]

    def bind(self, **subs: str) -> Expr:
        return replace(self, refs=tuple(r.bind(subs) for r in self.refs)) if subs else self

    def value(self, values: list[float]) -> float:
        return float(eval(_code(self.template), {"__builtins__": {}},  # noqa: S307 (checked arithmetic)
                          {f"_r{i}": v for i, v in enumerate(values)}))

    def linear(self) -> tuple[float, tuple[float, ...]] | None:
        """(constant, coefficient of each reference) when the expression is linear in its
        references — sums, differences, constant factors: every identity of the catalog — so
        error localization can reason over it; None otherwise (a cell divided by a cell)."""
        return _linear(self.template, len(self.refs))


@dataclass(frozen=True)
class Condition:
    """`when:` — two expressions and a comparison."""

    left: Expr
    op: str
    right: Expr

    def bind(self, **subs: str) -> Condition:
        return Condition(self.left.bind(**subs), self.op, self.right.bind(**subs))


@lru_cache(maxsize=4096)
def parse(source: str, row_table: str = "") -> Expr:
    """An expression; with `row_table` (scope each_row) its bare names are the columns of
    that table's row `{row}`."""
    text = source.strip() or "0"
    if row_table:
        text = IDENT.sub(lambda m: f"{row_table}[{{row}}].{m.group(1)}", text)
    refs: list[Ref] = []

    def take(m: re.Match) -> str:
        refs.append(Ref(m.group(2), m.group(3), m.group(4), m.group(1) == "prior.", m.group(1) == "budget."))
        return f"_r{len(refs) - 1}"

    template = REF.sub(take, text)
    _code(template)
    return Expr(source, template, tuple(refs))


def parse_condition(source: str) -> Condition:
    m = CONDITION.search(source)
    if not m:
        raise ExpressionError(f"条件缺少比较符号（<=、>=、=、<、>）：{source}")
    return Condition(parse(source[:m.start()]), m.group(1), parse(source[m.end():]))


@lru_cache(maxsize=4096)
def _linear(template: str, n: int) -> tuple[float, tuple[float, ...]] | None:
    """Coefficients read off at the unit vectors, then confirmed at two probe points (an
    expression that is not linear — or that divides by a reference — fails there)."""
    expr = Expr(template, template, ())

    def at(values: list[float]) -> float:
        return expr.value(values)

    try:
        constant = at([0.0] * n)
        coefs = tuple(at([1.0 if j == i else 0.0 for j in range(n)]) - constant for i in range(n))
        for scale in (3.7, -129.25):
            probe = [scale * (i + 1) for i in range(n)]
            if abs(at(probe) - constant - sum(c * v for c, v in zip(coefs, probe))) > 1e-6 * (1 + abs(scale) * n):
                return None
    except ZeroDivisionError:
        return None
    return constant, coefs


@lru_cache(maxsize=4096)
def _code(template: str):
    try:
        tree = ast.parse(template, mode="eval")
    except SyntaxError:
        raise ExpressionError(f"表达式无法解析：{template}") from None
    for node in ast.walk(tree):
        if not isinstance(node, ALLOWED) or (isinstance(node, ast.Name) and not re.fullmatch(r"_r\d+", node.id)):
            shown = node.id if isinstance(node, ast.Name) else type(node).__name__
            raise ExpressionError(f"表达式中不允许“{shown}”（只能是单元格、数字和 + - * /）")
    return compile(tree, "<rule>", "eval")
