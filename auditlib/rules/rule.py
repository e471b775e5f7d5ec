"""A rule of the catalog and the words a catalog entry is written in: its kinds, scopes,
operators, the places a finding may rest on, the listing groups; and `Check`, the contract of
the registered checks that evaluate rules (auditlib.rules.registry lists them).

The bottom of `auditlib.rules`: it imports nothing of the rule families, so every module of
the package can name a Rule or a Check without an import circle."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from auditlib.rules.expressions import Condition, Expr, Ref

__all__ = ["FAMILIES", "KINDS", "OPS", "PLACES", "PREFIX_FAMILY", "SCOPES", "STAGES", "Check", "Rule", "table_rules"]

SCOPES = ("row", "each_row", "hierarchy", "each_code", "each_column", "levels", "each_group")
KINDS = ("identity", "heuristic", "consistency", "completeness", "claims")
OPS = ("=", "<=", ">=", "<", ">")
PLACES = ("META", "NARR", "PERF")  # what a finding may rest on besides the ten tables
# The listing groups, as a reviewer reads the catalog; by id prefix, else by the tables
FAMILIES = ("表内", "表间", "定位", "表文", "绩效", "跨年", "预决算", "完整性", "一致性", "读取")
PREFIX_FAMILY = {"LOC": "定位", "NARR": "表文", "PERF": "绩效", "XY": "跨年", "PAIR": "预决算", "COMPL": "完整性",
                 "META": "一致性", "READ": "读取"}
# The stages a catalog runs in, in order: the report's own checks, the prose (the narrative and
# performance checks judge the claims read with the document: their verdicts go to the result),
# the `claims` checks (which judge what the prose stage left unchecked: a rate on a zero base),
# error localization (which links what the stages before found to their causes), then the
# checks over prior years (a 较上年 claim against the cell the prose stage compared it with),
# then the checks against the department's 预算 of the same year (auditlib.rules.pair).
STAGES = ("report", "prose", "claims", "localize", "prior", "pair")


@dataclass(frozen=True)
class Rule:
    """One catalog entry.  `lhs` is what the document prints, `rhs` what it should be."""

    id: str
    title: str
    tables: tuple[str, ...]
    title_en: str = ""
    kind: str = "identity"
    scope: str = "row"
    table: str = ""
    lhs: str = ""
    rhs: str = ""
    op: str = "="
    rows: str = ""
    columns: tuple[str, ...] = ()
    codes: str = ""
    when: str = ""
    check: str = ""  # the registered check that evaluates it (`relation` for table rules)
    no_total: bool = False
    description: str = ""  # what the rule checks and the text it rests on (文件、条款)
    group: str = ""  # the listing group (FAMILIES); derived when left out
    severity: str = ""  # set: every finding of the rule has this severity (an auditor's re-grading)
    tolerance: float | None = None  # set: the rounding allowance of each figure, instead of the audit's
    doubts_reading: bool = False  # a finding of it puts its table's reading in doubt (not fully checked)
    enabled: bool = True
    # the document kinds (auditlib.kinds) the rule applies to; the runner skips it on any other,
    # before it looks at a table (a 预算 has none of the 决算 tables)
    kinds: tuple[str, ...] = ("决算",)
    params: dict = field(default_factory=dict, compare=False, hash=False)  # a named check's settings
    source: str = field(default="", compare=False)
    line: int = field(default=0, compare=False)
    # the expressions, parsed once when the catalog is loaded
    lhs_expr: Expr | None = field(default=None, compare=False, repr=False)
    rhs_expr: Expr | None = field(default=None, compare=False, repr=False)
    when_expr: Condition | None = field(default=None, compare=False, repr=False)
    codes_refs: tuple[Ref, ...] = field(default=(), compare=False, repr=False)

    @property
    def category(self) -> str:
        """The listing group: what a reviewer reads the rule as."""
        if self.group:
            return self.group
        prefix = self.id.split(".")[0]
        if prefix in PREFIX_FAMILY:
            return PREFIX_FAMILY[prefix]
        return "表间" if len([t for t in self.tables if t not in PLACES]) > 1 else "表内"


def table_rules(rules, kind: str) -> list[Rule]:
    """The enabled table rules (relations over a table's cells) that apply to a document of
    `kind`: without any, such a document is read but not checked (READ.kind, `fully_checked`)."""
    return [r for r in rules if r.enabled and r.check == "relation" and kind in r.kinds]


@dataclass(frozen=True)
class Check:
    """A registered check: `run(ctx, rule)` — ctx an auditlib.rules.context.Context — gives the
    rule's findings and counts what it compared on the context.  A check that is `once` runs once for all the ids that name it (the
    narrative and performance readers, the cross-year claims) and finds each rule itself."""

    name: str
    run: Callable[[Any, Rule], list]  # (Context, Rule) -> list[Finding]; named loosely: no import circle
    stage: str = "report"
    once: bool = False
    # reads the settings files a rule's params name, when the catalog is loaded (a mistake is the
    # file's SettingsError before any document is read)
    settings: Callable[[dict], None] | None = None
