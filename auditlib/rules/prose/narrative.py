"""Narrative (第三部分 情况说明) checks: every figure against the table cell it restates, at
the precision it is written in; shares, completion and growth rates recomputed from the
figures the sentence itself gives, then from the tables; words against numbers; years;
itemised lists and 政府采购 sums.

A mismatch is an `error` only when no other reading of the sentence makes it true: another
cell whose name fits the clause, another base the sentence names or implies (the total just
named, 本年支出合计, 支出总计), the table's figure where the sentence gives its own, last
year's report.  A claim one of them makes true is consistent, and says which reading
(the verdict's `reading`); an error says the reading it used and that none of the others fits.
"""


from __future__ import annotations

import re

from auditlib.claims import Figure, Sentence
from auditlib.ingest.vocabulary import Subject, candidates, load_subjects
from auditlib.ingest.words import names
from auditlib.numbers import half_unit as half
from auditlib.rules.context import Context
from auditlib.rules.findings import Finding, Judged, finding
from auditlib.rules.intervals import ONE
from auditlib.rules.prose import procurement
from auditlib.rules.prose.rates import Rates
from auditlib.rules.prose.stated import MONEY, REASONS, Paragraph, Said, Topic, item_codes
from auditlib.rules.prose.wording import Wording
from auditlib.rules.rule import Check, Rule
from auditlib.schema import SPECS, T07_WIDE_NAMES

RATES = ("share", "completion", "growth", "deviation")


class NarrativeChecker(Rates, Wording):
    """One reading of the narrative's claims against the tables (and each other): the figures
    said so far, by subject and paragraph, and the findings made."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.report = ctx.report
        amount = ctx.rule("NARR.amount")
        self.subjects = load_subjects(amount.params.get("subjects") if amount else None)
        self.findings: list[Finding] = []
        self.said: dict[str, Said] = {}  # the section's stated figures, by table row
        self.para = Paragraph()

    # -- findings --------------------------------------------------------------
    def finding(self, claim: Judged, rule: str, severity: str, expected, actual, why: str, tables=(),
                cells: tuple[str, ...] = ()) -> None:
        """A mismatch of NARR.`rule`; the cells compared are the claim's target's, or `cells` (a reading's)."""
        fid = f"NARR.{rule}"
        claim.verdict, claim.reason, claim.reading = "mismatch", "", ""
        claim.expected = expected if isinstance(expected, (int, float)) else claim.expected
        claim.rule = fid
        entry = self.ctx.rule(fid)
        if entry is None:  # switched off in the catalog
            return
        targets = cells or ((claim.target,) if claim.target and "[" in claim.target else ())
        records = [self.ctx.evaluator.record(c) for t in targets for c in self.ctx.side(t).cells]
        self.findings.append(finding(
            entry, severity, claim.section or "第三部分 情况说明", f"{why}：“{claim.text}”",
            f"{claim.line or claim.page}:{claim.subject}:{claim.value}", tables=("NARR", *tables), page=claim.page,
            line=claim.line, cells=records,
            expected=None if expected is None else (round(expected, 2) if isinstance(expected, float) else expected),
            actual=claim.value if actual is None else actual,
            difference=(round(claim.value - expected, 2) if isinstance(expected, (int, float)) and
                        claim.value is not None else None)))

    def allowance(self, rule: str) -> float:
        """The rounding allowance of one table figure for NARR.`rule` (the audit's tolerance)."""
        return self.ctx.allowance(self.ctx.rule(f"NARR.{rule}"))

    def ok(self, claim: Judged, expected: float | None = None, reading: str = "") -> None:
        """A claim found consistent (by `reading` when not by its first reading)."""
        claim.verdict = "ok"
        claim.expected = expected
        claim.reading = reading
        self.ctx.checks += 1

    def of(self, f: Figure) -> Judged:
        """A figure's claim, with its verdict so far."""
        return self.ctx.judged(self.report.claims[f.claim])

    def claim(self, f: Figure, target: str | None, reason: str = "") -> Judged:
        """A figure's claim, about to be judged: the cell it is first taken to restate, or why none."""
        claim = self.of(f)
        claim.target, claim.reason = target, reason
        return claim

    # -- the tables ------------------------------------------------------------
    def table_value(self, target: str) -> tuple[float | None, str]:
        table = target.split("[")[0]
        if self.report.tables[table].status == "missing":
            return None, table
        side = self.ctx.side(target)
        if not side.printed and self.report.tables[table].status != "empty":
            return None, table
        return side.value, table

    def cell_words(self, target: str) -> str:
        """公开01表 年初结转和结余 决算数: the cell a claim restates, as the table prints it."""
        cell = self.ctx.side(target).cells[0]
        spec = SPECS.get(cell.table)
        column = spec.column_names.get(cell.column, cell.column) if spec else cell.column
        name = T07_WIDE_NAMES.get(cell.name, cell.name) if cell.table == "T07" else cell.name  # one-row layout
        return f"公开{cell.table[1:]}表 {name} {column}"

    def blank(self, target: str) -> bool:
        """The cell's row is printed in a table that was read, the cell itself is blank."""
        table, row = target.split("[")[0], target.split("[")[1].split("]")[0]
        t = self.report.tables[table]
        return t.status in ("parsed", "partial") and t.has(row) and self.table_value(target)[0] is None

    # -- what a figure is about ----------------------------------------------------
    def topic(self, s: Sentence, f: Figure) -> Topic:
        return Topic(s.words(f), f.group, f.part)

    def cells(self, s: Sentence, topic: Topic, unit: str, kind: str) -> tuple[list[tuple[Subject, str]], str]:
        """The cells a figure may restate (the vocabulary's first, then the other entries its
        words fit), or why none: its own clause's words, else the subject named before it;
        words that name nothing in a paragraph about a 项 (X(类)Y(款)Z(项)) are about that 项."""
        words = topic.words
        codes = []
        if kind not in ("count",) and (not names(self.subjects, s.section, words, unit) or "(项)" in words):
            codes = item_codes(self.report, s.item)
        if len(codes) > 1:
            return [], REASONS["candidates"]
        found = candidates(self.subjects, s.section, (words,), unit, kind, codes[0] if codes else None)
        if not found:
            return [], (REASONS["procurement"] if "采购" in s.section else
                        REASONS["part"] if topic.part else REASONS["subject"])
        return found, ""

    def about(self, s: Sentence, topic: Topic) -> str:
        """The key of what a topic is about: its table row (T07[abroad]), else its subject group."""
        found, _ = self.cells(s, topic, "万元", "amount")
        return found[0][1].split(".")[0] if found else f"group:{id(s.groups)}:{topic.group}"

    def remember(self, s: Sentence, f: Figure) -> None:
        """A stated figure, for the rates and comparisons that follow."""
        slot = {"amount": "amount", "budget": "adjusted" if f.adjusted else "budget", "change": "change",
                "difference": "difference", "prior": "prior"}[f.kind]
        setattr(self.said.setdefault(self.about(s, self.topic(s, f)), Said()), slot, f)
        self.para.last.setdefault(f.group, {})[slot] = f
        if f.group in self.para.order:
            self.para.order.remove(f.group)
        self.para.order.append(f.group)

    def stated(self, s: Sentence, topic: Topic, slot: str) -> Figure | None:
        """The figure of a kind the narrative stated of a topic: in its own group first (the
        sentence's own figures), then anywhere before in the section."""
        own = self.para.last.get(topic.group, {}).get(slot)
        if own is not None:
            return own
        return getattr(self.said.get(self.about(s, topic), Said()), slot)

    # -- per figure ------------------------------------------------------------
    def amount(self, s: Sentence, f: Figure) -> None:
        """An amount, budget or count against the cell it restates; one of the other cells its
        words fit makes it right too (said so in `reading`)."""
        topic = self.topic(s, f)
        if f.explanatory or f.paired:
            found, why = [], REASONS["explanatory" if f.explanatory else "paired"]
        else:
            found, why = self.cells(s, topic, f.unit, f.kind)
        claim = self.claim(f, found[0][1] if found else None)
        if f.kind in ("amount", "budget", "prior") and not (f.explanatory or f.paired):
            self.remember(s, f)
        if f.kind == "prior" and found:
            claim.target, why, found = None, REASONS["previous_year"], []
        if not found:
            claim.reason = why
            return
        if f.kind == "budget" and ".budget" not in found[0][1]:
            claim.target = None  # a budget figure: the tables print no budget here
            claim.reason = REASONS["no_budget"]
            return
        value = f.value / 10000 if f.unit == "元" else f.value
        tol = half(f.decimals) / (10000 if f.unit == "元" else 1) + self.allowance("amount") + ONE
        if f.unit not in MONEY:
            tol = ONE
        printed = [(sub, target, v) for sub, target in found for v in [self.table_value(target)[0]] if v is not None]
        for sub, target, expected in printed:
            if abs(value - expected) <= tol:
                claim.target = target
                self.ok(claim, expected, "" if target == found[0][1] else f"按{self.cell_words(target)}")
                return
        if not printed:
            self.unprinted(claim, f, found[0][1])
            return
        if f.adjusted:  # 全年预算 against a 预算数 column that may be the 年初预算
            claim.reason = REASONS["adjusted"]
            return
        sub, target, expected = printed[0]
        claim.target = target
        others = "；".join(f"{self.cell_words(t)} {v:,.2f}" for _, t, v in printed[1:])
        self.finding(claim, "amount", "warning" if sub.kind == "heuristic" else "error", expected, None,
                     f"说明中的数字 {f.value:g}{f.unit} 与{self.cell_words(target)} "
                     f"{f'{expected:,.2f}' if f.unit in MONEY else f'{expected:g}'} 不符"
                     + (f"（另试 {others}，亦不符）" if others else ""), (target.split("[")[0],))

    def unprinted(self, claim: Judged, f: Figure, target: str) -> None:
        """The tables print nothing where the narrative states a figure: a code the table has
        no row for (NARR.absent), a blank cell in a row the table prints (NARR.unprinted: the
        text says 0.95, the table 表中未列示), or a row this table's layout does not have."""
        table = target.split("[")[0]
        if self.report.tables[table].status == "unread":
            claim.reason = REASONS["unread"].format(table=table[1:])
            return
        claim.reason = REASONS["not_printed"]
        coded = re.search(r"\[\d+\]", target)  # a code row: absent means not printed at all
        if coded and self.report.tables[table].status == "parsed" and f.value and f.kind == "amount":
            self.finding(claim, "absent", "warning", None, None,
                         f"说明列出 {f.value:g}{f.unit}，但公开{table[1:]}表中没有科目 {coded.group(0)[1:-1]} 这一行", (table,))
        elif self.blank(target) and not f.adjusted:
            if not f.value:
                self.ok(claim, None, "表中空白，即 0")
            else:
                self.finding(claim, "unprinted", "error", None, None,
                             f"说明列出 {f.value:g}{f.unit}，{self.cell_words(target)} 表中未列示（空白）", (table,))

    # -- rates -----------------------------------------------------------------


    # -- driver ----------------------------------------------------------------
    def run(self) -> None:
        """Every sentence's claims in reading order, then the 政府采购 sums and the 其中 lists."""
        found = self.report.prose.sentences
        section = None
        for s in found:
            if s.section != section:
                self.said, section = {}, s.section
            if s.groups is not self.para.groups:
                self.para = Paragraph(s.groups)
            self.years(s)
            self.itemised(s)
            for f in s.figures:
                self.figure(s, f)
            self.words(s)
        procurement.check(self, found)
        self.listed()

    def figure(self, s: Sentence, f: Figure) -> None:
        """One figure, by its kind."""
        if f.kind in ("amount", "budget", "count", "prior"):
            self.amount(s, f)
        elif f.kind == "change":
            self.remember(s, f)
            self.claim(f, None, REASONS["explanatory" if f.explanatory else "paired" if f.paired else "previous_year"])
        elif f.kind == "difference":
            self.difference(s, f)
        elif f.kind in RATES:
            self.rate(s, f)
        else:
            self.claim(f, None, REASONS["subject"])


def check_narrative(ctx: Context, rule: Rule) -> list[Finding]:
    """Every NARR.* id of the catalog that names `narrative`: one reading of the narrative."""
    checker = NarrativeChecker(ctx)
    checker.run()
    return checker.findings


def subjects_file(params: dict) -> None:
    """NARR.amount's `subjects`, read when the catalog is: an auditor's own vocabulary with a
    mistake is its file and line before any document is read."""
    if "subjects" in params:
        load_subjects(params["subjects"])


# what this family contributes to the registry (auditlib.rules.registry)
CHECKS = (Check("narrative", check_narrative, stage="prose", once=True, settings=subjects_file),)
