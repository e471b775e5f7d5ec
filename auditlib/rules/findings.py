"""The findings contract as data (docs/findings-contract.md): `Cell`, `Finding`, `Verdict` (what
the checks concluded of a claim), `CheckResult`, and the one factory every check family builds
its findings with.

A check decides *whether* something is wrong and says it in words; this module decides what a
finding looks like: the rule's title, its severity (an auditor may re-grade a rule in the
catalog), the triage key, the difference of the numbers, the cells.  Renderings (text, CSV,
JSON) live in `auditlib.report`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from functools import cached_property
from typing import TYPE_CHECKING

from auditlib.kinds import BUDGET, FINAL
from auditlib.model import Claim, Report
from auditlib.numbers import plain
from auditlib.rules.rule import table_rules

if TYPE_CHECKING:
    from auditlib.rules.rule import Rule

SEVERITIES = ("error", "warning", "info")
SEVERITY_RANK = {s: i for i, s in enumerate(SEVERITIES)}
AUTO = object()  # `difference` left to the factory: actual − expected when both are numbers


@dataclass
class Cell:
    """One printed cell a check read, in the document's unit (None when blank or absent);
    `tolerance` is the rounding allowance it carries (half a unit of its last printed digit)."""

    table: str
    key: str
    column: str
    value: float | None
    name: str
    line: int | None
    page: int | None
    tolerance: float
    document: str = ""  # in a 决算/预算 pair, the document it is in (决算 or 预算); "" alone
    # a budget's table printed in another unit than the document (a Shanghai “三公” table in 万元
    # of a report in 元): that unit, and the factor `value` was scaled by to the document's
    unit: str = ""
    scale: float = 1.0

    @property
    def printed(self) -> float | None:
        """The value in the unit its table prints it in (the auditor compares it with the page)."""
        return None if self.value is None else self.value / self.scale

    def record(self, **extra) -> dict:
        """The cell as a finding lists it (where it is, to highlight it in the printed table;
        `box` on the PDF page, `year` for a cross-year finding, `document` in a pair), its
        value as its table prints it (with `unit` where that is not the document's)."""
        document = {"document": self.document} if self.document else {}
        unit = {"unit": self.unit} if self.unit else {}
        return {"table": self.table, "row": self.key, "column": self.column, "value": self.printed,
                "line": self.line, "page": self.page, **document, **unit, **extra}


@dataclass
class Finding:
    """One result of one rule at one place, as the contract shapes it."""

    id: str
    rule: str
    severity: str
    tables: list[str]
    location: str
    page: int | None
    expected: float | str | None
    actual: float | str | None
    difference: float | None
    message: str
    line: int | None = None
    key: str = ""  # unique within a report: rule id @ place, for triage
    cells: list[dict] = field(default_factory=list)  # every cell compared: table, row, column, value
    # error localization (auditlib.rules.localize): a symptom names the `key` of its cause; a
    # cause lists its symptoms' keys, the value the identities imply for its cell (None: not
    # determined) and, where they cannot tell cells apart, the equally small sets of cells
    cause: str | None = None
    symptoms: list[str] = field(default_factory=list)
    implied: float | None = None
    candidates: list[list[dict]] = field(default_factory=list)


def finding(rule: Rule, severity: str, location: str, message: str, key: str, *, tables=("META",),
            page: int | None = None, line: int | None = None, expected=None, actual=None, difference=AUTO,
            cells: list[dict] | tuple = ()) -> Finding:
    """The one way a finding is made.  A severity the catalog sets for the rule (an auditor's
    re-grading) replaces the check's own; the key is `rule id @ place`."""
    if difference is AUTO:
        numeric = all(isinstance(v, (int, float)) for v in (actual, expected))
        difference = round(actual - expected, 2) if numeric else None
    return Finding(id=rule.id, rule=rule.title, severity=rule.severity or severity, tables=list(tables),
                   location=location, page=page, expected=expected, actual=actual, difference=difference,
                   message=message, line=line, key=f"{rule.id}@{key}", cells=list(cells))


def severity_rank(severity: str) -> int:
    """The one order of severities (error first) every listing sorts by; an unknown one last."""
    return SEVERITY_RANK.get(severity, len(SEVERITIES))


def sort_key(f: Finding) -> tuple:
    """The order of findings everywhere: by severity (errors first), table (its code), rule, place."""
    return severity_rank(f.severity), f.tables[0], f.id, f.line or 0, f.page or 0


def ordered(findings: list[Finding]) -> list[Finding]:
    """Findings in the order of `sort_key`, each cause followed by its symptoms (error
    localization), so that every listing — JSON, text, HTML, their numbering — shows the
    consequences of one wrong cell together, under it."""
    found = sorted(findings, key=sort_key)
    keys = {f.key for f in found}
    under: dict[str, list[Finding]] = {}
    for f in found:
        if f.cause in keys:
            under.setdefault(f.cause, []).append(f)
    out: list[Finding] = []
    for f in found:
        if f.cause not in keys:
            out.append(f)
            out += under.get(f.key, [])
    return out


@dataclass
class Verdict:
    """What the checks concluded of one claim: `verdict` ok | mismatch | unchecked, the cell or
    figures it was compared with (`target`) and their value, the finding id of a mismatch
    (`rule`), why it stayed unchecked (`reason`, in Chinese), the other reading that made it
    true (`reading`, empty when the first did)."""

    target: str | None = None
    expected: float | None = None
    verdict: str = "unchecked"
    rule: str | None = None
    reason: str = ""
    reading: str = ""


VERDICT_FIELDS = frozenset(f.name for f in fields(Verdict))
NOT_JUDGED = "核对规则未启用"  # why a claim no check judged stays unchecked (its rules switched off)
# a claim in the JSON (docs/findings-contract.md): the reading's fields and the verdict's, in this order
CLAIM_FIELDS = ("text", "section", "subject", "kind", "value", "unit", "decimals", "target", "versus", "expected",
                "verdict", "rule", "reason", "reading", "line", "page")


class Judged:
    """A claim and its verdict read as one (`j.text`, `j.verdict`).  Only the verdict's fields
    can be set: the claim is as the document was read (auditlib.ingest.claims)."""

    __slots__ = ("claim", "judgement")

    def __init__(self, claim: Claim, judgement: Verdict) -> None:
        object.__setattr__(self, "claim", claim)
        object.__setattr__(self, "judgement", judgement)

    def __getattr__(self, name: str):
        return getattr(self.judgement if name in VERDICT_FIELDS else self.claim, name)

    def __setattr__(self, name: str, value) -> None:
        if name not in VERDICT_FIELDS:
            raise AttributeError(f"{name}: a claim is as read; a check sets only its verdict")
        setattr(self.judgement, name, value)

    def record(self) -> dict:
        """The claim as the JSON lists it."""
        return {name: getattr(self, name) for name in CLAIM_FIELDS}


def judged(claims: list[Claim], verdicts: dict[int, Verdict]) -> list[Judged]:
    """Claims with their verdicts, to read (a check sets a verdict through Context.judged): one
    that no check judged is unchecked, its rules switched off."""
    return [Judged(c, verdicts.get(c.id) or Verdict(reason=NOT_JUDGED)) for c in claims]


@dataclass
class CheckResult:
    report: Report
    findings: list[Finding]
    checks_run: int
    verdicts: dict[int, Verdict] = field(default_factory=dict)  # by claim id (report.claims)
    not_run: list[dict] = field(default_factory=list)  # checks that could not run: id, rule, reason
    rules: list = field(default_factory=list, repr=False)  # the catalog it was checked with
    settings: object = field(default=None, repr=False)  # and its settings (rules.context.Settings)
    budget: object = field(default=None, repr=False)  # the 预算 it was held against (rules.prior.Pair), if any

    @property
    def claims(self) -> list[Judged]:
        """The report's claims with their verdicts (unchecked where no check judged one)."""
        return judged(self.report.claims, self.verdicts)

    def add(self, findings: list[Finding], checks: int) -> None:
        """More findings (cross-year, known later in a batch), in the order of `sort_key`."""
        self.findings = ordered([*self.findings, *findings])
        self.checks_run += checks

    @property
    def coverage(self) -> dict[str, int]:
        """Claims found / mapped to a table cell / checked (ok or mismatch)."""
        claims = self.claims
        return {"found": len(claims), "mapped": sum(c.target is not None for c in claims),
                "checked": sum(c.verdict != "unchecked" for c in claims)}

    @property
    def unread(self) -> list[str]:
        """Codes of the tables that were found but could not be read (checks not run)."""
        return [t.code for t in self.report.tables.values() if t.status == "unread"]

    @cached_property
    def _rules(self) -> dict:
        return {r.id: r for r in self.rules}

    def rule_of(self, f: Finding) -> Rule | None:
        """The catalog entry that made a finding (None: not in the catalog it was checked with)."""
        return self._rules.get(f.id)

    @property
    def doubtful(self) -> list[str]:
        """Codes of the tables read, but so far from adding up that the reading is in doubt (a
        finding of a rule that `doubts_reading`)."""
        return sorted({f.tables[0] for f in self.findings if (rule := self.rule_of(f)) and rule.doubts_reading})

    @property
    def kind_unchecked(self) -> bool:
        """The catalog it was checked with holds no table rule for the document's kind (READ.kind)."""
        return self.report.kind != FINAL and not table_rules(self.rules, self.report.kind)

    @property
    def fully_checked(self) -> bool:
        """Nothing left unchecked: every table read, none in doubt, and table rules for the
        document's kind in the catalog (a 部门预算 checked with its rules is as checked as a 决算)."""
        return not self.unread and not self.doubtful and not self.kind_unchecked

    @property
    def completeness_line(self) -> str | None:
        """The warning that must open every summary of a document not fully checked."""
        parts = []
        if self.kind_unchecked:
            parts.append(f"本文件为部门{self.report.kind}，所用规则目录中没有适用于{self.report.kind}的表格审核规则，"
                         f"各表已读取但未作核对（见 READ.kind）")
        if self.unread:
            names = "、".join(self._named(c) for c in self.unread)
            parts.append(f"{names} 已找到但未能读取，其审核规则未执行（共 {len(self.unread)} 张表，见 READ.table）")
        gaps = sorted({f.tables[0] for f in self.findings if f.id == "READ.page"})
        if gaps:
            parts.append(f"{'、'.join(self._named(c) for c in gaps)} 可能缺页，缺页中的数字未能核对，须取得完整原件"
                         f"（共 {len(gaps)} 张表，见 READ.page）")
        if doubtful := [c for c in self.doubtful if c not in gaps]:
            names = "、".join(self._named(c) for c in doubtful)
            parts.append(f"{names} 的读取存疑，要使其勾稽关系成立须改动的单元格远多于通常的差错，须对照原件核对"
                         f"（共 {len(doubtful)} 张表，见 READ.doubtful）")
        return "注意：本文件未完整审核——" + "；".join(parts) if parts else None

    def _named(self, code: str) -> str:
        """How the summary names a table: 公开NN表 for the ten 决算 tables, else its printed title."""
        table = self.report.tables.get(code)
        return f"公开{code[1:]}表" if code.startswith("T") or table is None else (table.title or code)

    def grouped(self) -> list[tuple[Finding, Finding | None]]:
        """(finding, its cause or None), in the order of `ordered`."""
        by_key = {f.key: f for f in self.findings}
        return [(f, by_key.get(f.cause) if f.cause else None) for f in ordered(self.findings)]

    def count(self, severity: str) -> int:
        return sum(f.severity == severity for f in self.findings)

    @property
    def errors(self) -> int:
        return self.count("error")

    @property
    def warnings(self) -> int:
        return self.count("warning")

    def _local(self, finding: dict) -> dict:
        """A finding as the JSON lists it: its places, its cells' and its candidates' in their file
        (a document read from several files: `Report.local`)."""
        r = self.report
        if not r.files:
            return finding
        return r.local(finding | {"cells": [self._owner(c).local(c) for c in finding["cells"]],
                                  "candidates": [[r.local(c) for c in cells] for cells in finding["candidates"]]})

    def _owner(self, cell: dict) -> Report:
        """The report a cell's page and line are of: the budget's for a pair's 预算 cell."""
        return self.budget.report if cell.get("document") == BUDGET and self.budget is not None else self.report

    def to_json(self) -> dict:
        """The contract's JSON object (plain values only)."""
        r = self.report
        return plain({
            "document": r.meta,
            "tables": [
                r.local({"code": t.code, "title": t.title, "page": t.page, "line": t.line, "rows": len(t.data),
                         "status": t.status, "coverage": t.coverage})
                for t in r.tables.values()
            ],
            "findings": [self._local(asdict(f)) for f in self.findings],
            "reading_notes": [r.local(asdict(n)) for n in r.reading_notes],
            "claims": [r.local(c.record()) for c in self.claims],
            "summary": {"fully_checked": self.fully_checked, "unread_tables": self.unread,
                        "doubtful_tables": self.doubtful,
                        "checks_run": self.checks_run, "errors": self.errors, "warnings": self.warnings,
                        "infos": self.count("info"), "claims": self.coverage, "not_run": len(self.not_run)},
            "not_run": self.not_run,
            **({"budget": self.budget.record()} if self.budget is not None else {}),
        })
