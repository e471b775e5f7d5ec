"""Narrative (第三部分 情况说明) checks: every figure against the table cell it restates, at
the precision it is written in; shares, completion and growth rates recomputed from the
figures the sentence itself gives, then from the tables; words against numbers; years;
itemised lists and 政府采购 sums.

A mismatch is an `error` only when no other reading of the sentence makes it true: another
cell whose name fits the clause, another base the sentence names or implies (the total just
named, 本年支出合计, 支出总计), the table's figure where the sentence gives its own, last
year's report.  A claim one of them makes true is consistent, and says which reading
(`Claim.reading`); an error says the reading it used and that none of the others fits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from auditlib.model import Claim
from auditlib.numbers import half_unit as half
from auditlib.rules.rule import Rule
from auditlib.rules.context import Context
from auditlib.rules.engine import Engine
from auditlib.rules.findings import Finding, finding
from auditlib.rules.intervals import ONE, change_ratio, interval_ratio, percent_verdict
from auditlib.rules.prose import procurement
from auditlib.rules.profile import flat
from auditlib.rules.prose.claims import (YEAR, Figure, Sentence, Subject, candidates, claim_of, item_codes, listings,
                                         load_subjects, names, naming, sentences, vocabulary)
from auditlib.rules.rule import Check
from auditlib.schema import SPECS, T07_WIDE_NAMES

MONEY = ("万元", "元")
RATES = ("share", "completion", "growth", "deviation")


@dataclass
class Said:
    """What the narrative has stated of one subject (a table row, or a subject group that
    maps to none): the figures a rate about it is recomputed from."""

    amount: Figure | None = None
    budget: Figure | None = None  # 年初预算
    adjusted: Figure | None = None  # 全年预算 / 调整预算
    change: Figure | None = None  # 较上年 增减额
    difference: Figure | None = None  # 较预算 增减额
    prior: Figure | None = None  # 上年数


@dataclass
class Reading:
    """One way of taking a rate's figures: numerator and denominator, each with its printed
    decimals, and how a finding says it (本句所列 1,390.17 / 1,410.79)."""

    label: str
    num: float
    num_dec: int
    den: float
    den_dec: int
    span: tuple[float, float] | None = None  # the rate's range, where num and den share a figure
    cells: tuple[str, ...] = ()  # the table cells it reads (a finding lists them)

    def range(self) -> tuple[float, float] | None:
        return self.span or interval_ratio(self.num, self.num_dec, self.den, self.den_dec)


@dataclass
class Value:
    """A figure a reading may use: stated in the narrative or printed in a table."""

    value: float
    decimals: int
    label: str
    target: str = ""  # the table cell it is printed in, when it comes from a table

    def over(self, base: Value) -> Reading:
        """This figure as a share of `base` (占 P%, 完成 P%)."""
        return Reading(f"{self.label} / {base.label}", self.value, self.decimals, base.value, base.decimals,
                       cells=tuple(t for t in (self.target, base.target) if t))


@dataclass
class Topic:
    """What a figure, rate or comparison is about: the words naming it, its subject group in
    the paragraph (-1: none), whether it is a part listed after 其中."""

    words: str
    group: int = -1
    part: bool = False


@dataclass
class Paragraph:
    """What the sentences of one paragraph have said so far, group by group."""

    groups: list = field(default_factory=list)
    last: dict[int, dict[str, Figure]] = field(default_factory=dict)  # group → slot → its latest figure
    order: list[int] = field(default_factory=list)  # the groups in the order figures were said of them


class NarrativeChecker:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.report = ctx.report
        amount = ctx.rule("NARR.amount")
        self.subjects: list[Subject] = load_subjects(amount.params.get("subjects") if amount else None)
        self.claims: list[Claim] = []
        self.findings: list[Finding] = []
        self.by_figure: dict[int, Claim] = {}  # each figure's claim, for checks that read it later
        self.said: dict[str, Said] = {}  # the section's stated figures, by table row
        self.para = Paragraph()

    # -- findings --------------------------------------------------------------
    def finding(self, claim: Claim, rule: str, severity: str, expected, actual, why: str, tables=(),
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

    def ok(self, claim: Claim, expected: float | None = None, reading: str = "") -> None:
        claim.verdict = "ok"
        claim.expected = expected
        claim.reading = reading
        self.ctx.checks += 1

    def claim(self, s: Sentence, f: Figure, target: str | None, subject: str, reason: str = "") -> Claim:
        """A figure's claim, kept in order and by figure."""
        claim = claim_of(s, f, target, subject, reason)
        self.claims.append(claim)
        self.by_figure[id(f)] = claim
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
        kinds = self.para.last.setdefault(f.group, {})
        kinds[slot] = f
        if slot in ("change", "difference"):
            kinds["delta"] = f  # the latest comparison said of the group: with last year or with the budget
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
        claim = self.claim(s, f, found[0][1] if found else None, (naming(topic.words) or s.subject).strip(" ，,：:。为是"))
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

    def unprinted(self, claim: Claim, f: Figure, target: str) -> None:
        """The tables print nothing where the narrative states a figure: a code the table has
        no row for (NARR.absent), a blank cell in a row the table prints (NARR.unprinted: the
        text says 0.95, the table 表中未列示), or a row this table's layout does not have."""
        table = target.split("[")[0]
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
    def values(self, s: Sentence, topic: Topic, slot: str) -> list[Value]:
        """The figures a rate may take for its topic's `slot` (amount, budget): the one the
        narrative states (its own sentence's first), then the table's cell."""
        out: list[Value] = []
        said = self.stated(s, topic, slot)
        if said is not None:
            scale = 10000 if said.unit == "元" else 1
            out.append(Value(said.value / scale, said.decimals + (4 if scale > 1 else 0), f"所列 {_num(said)}"))
        found, _ = self.cells(s, topic, "万元", "budget" if slot == "budget" else "amount")
        for _, target in found[:1]:
            if slot == "budget" and not target.endswith(".budget"):
                continue
            value, _ = self.table_value(target)
            if value is not None and not any(abs(v.value - value) <= ONE for v in out):
                out.append(Value(value, 2, f"{self.cell_words(target)} {value:,.2f}", target))
        return out

    def bases(self, s: Sentence, f: Figure) -> list[Value]:
        """What a share may be of: the base it names (占本年支出合计的, stated or in the table),
        the total its list is headed by (主要用于以下方面 / 其中), the vocabulary's base for
        its subject, then the totals of its side of the accounts."""
        out: list[Value] = []

        def add(value: float | None, decimals: int, label: str, target: str = "") -> None:
            if value is not None and value > 0 and not any(abs(v.value - value) <= ONE for v in out):
                out.append(Value(value, decimals, label, target))

        own = {target for _, target in self.cells(s, self.topic(s, f), "万元", "amount")[0]}

        def table(target: str) -> None:
            value, _ = self.table_value(target)
            if value is not None and target not in own:  # a share of itself is no reading
                add(value, 2, f"{self.cell_words(target)} {value:,.2f}", target)

        def named(words: str, group: int = -1) -> None:
            topic = Topic(words, group)
            given = self.stated(s, topic, "amount") if group >= 0 else self.stated_as(words)
            if given is not None:
                add(given.value, given.decimals, f"所列{naming(words) or words} {_num(given)}")
            for _, target in self.cells(s, topic, "万元", "amount")[0][:2]:
                table(target)

        if f.base:
            named(f.base)
        head = s.groups[f.group].head if 0 <= f.group < len(s.groups) else None
        if head is not None:
            named(s.groups[head].words, head)
        for sub, _ in self.cells(s, self.topic(s, f), "万元", "amount")[0][:1]:
            if sub.share_of:
                table(sub.share_of)
        words = s.words(f) + f.base + (s.groups[head].words if head is not None else "")
        side = "expense" if "支出" in words else "income" if "收入" in words else ""
        for target in vocabulary()["share_bases"].get(side, []):
            table(target)
        return out

    def stated_as(self, words: str) -> Figure | None:
        """The latest amount the paragraph states of a subject named in words (占政府采购支出总额的)."""
        named = flat(naming(words) or words)
        for g in reversed(self.para.order):
            amount = self.para.last[g].get("amount")
            group = flat(naming(self.para.groups[g].words)) if 0 <= g < len(self.para.groups) else ""
            if amount is not None and group and named and (named in group or group in named):
                return amount
        return None

    def judge(self, claim: Claim, f: Figure, readings: list[Reading], rule: str, why: str) -> None:
        """A rate against every reading: consistent with the first that makes it true (and
        which, when it is not the first), else a finding on the first, naming the others."""
        tried: list[tuple[Reading, str, float]] = []
        for r in readings:
            span = r.range()
            if span is None:
                continue
            point = r.num / r.den * 100
            verdict = percent_verdict(f.value, f.decimals, span)
            if verdict is None:
                claim.target = r.label
                self.ok(claim, round(point, 2), f"按{r.label}" if tried else "")
                return
            tried.append((r, verdict, point))
        if not tried:
            claim.reason = REASONS["base"]
            return
        severity = "warning" if any(v == "warning" for _, v, _ in tried) else "error"
        r, _, point = next(t for t in tried if t[1] == severity)
        claim.target = r.label
        others = "；".join(f"按{o.label} 为 {p:.2f}%" for o, _, p in tried if o is not r)
        self.finding(claim, rule, severity, round(point, 2), None,
                     f"{why}（按{r.label} 应为 {point:.2f}%" + (f"；另{others}，亦不符" if others else "") + "）",
                     cells=r.cells)

    def rate(self, s: Sentence, f: Figure) -> None:
        claim = self.claim(s, f, None, f.words.strip(" ，,：:"))
        if f.explanatory or f.paired:
            claim.reason = REASONS["explanatory" if f.explanatory else "paired"]
            return
        topic = self.topic(s, f)
        delta = self.para.last.get(f.group, {}).get("delta")
        if f.kind == "share":
            readings = [p.over(b) for p in self.values(s, topic, "amount") for b in self.bases(s, f)]
            self.judge(claim, f, readings, "share", "占比与金额不符")
        elif f.kind == "completion":
            budgets = self.values(s, topic, "budget")
            adjusted = self.stated(s, topic, "adjusted")
            initial = self.stated(s, topic, "budget")
            if adjusted is not None and initial is not None and not initial.value and "年初" in f.words:
                self.finding(claim, "zero_base", "warning", None, None,
                             f"年初预算为 0，“完成年初预算的 {f.value:g}%”实为对 {adjusted.value:g} 万元的完成比例")
                return
            if adjusted is not None:
                budgets.append(Value(adjusted.value, adjusted.decimals, f"所列全年预算 {_num(adjusted)}"))
            readings = [a.over(b) for b in budgets for a in self.values(s, topic, "amount")]
            self.judge(claim, f, readings, "completion", "完成预算的比例与决算数、预算数不符")
        elif f.kind == "deviation" or (delta is not None and delta.kind == "difference"):
            claim.kind = "deviation"  # 与年初预算相比增加 N 万元，增长 P%: of the budget, not last year
            self.deviation(s, f, claim, topic)
        else:
            self.growth(s, f, claim, topic)

    def growth(self, s: Sentence, f: Figure, claim: Claim, topic: Topic) -> None:
        """增长 P%: the change over last year's amount — this year's (as stated, else as
        printed) less the change, or the prior amount the sentence or last year's report gives."""
        change = self.stated(s, topic, "change")
        if change is None:
            claim.reason = REASONS["base"]
            return
        if f.sign and change.sign and f.sign != change.sign:
            self.finding(claim, "words", "error", None, f"{'增长' if f.sign > 0 else '下降'}",
                         "增减方向前后矛盾（增加/减少 与 增长/下降）")
            return
        currents = self.values(s, topic, "amount")
        if f.sign < 0 and f.value > 100 + half(f.decimals):
            self.finding(claim, "growth", "error", 100.0, None, "下降比例不可能超过 100%")
            return
        if f.sign < 0 and f.value == 100:
            zero = next((c for c in currents if abs(c.value) <= half(c.decimals)), None)
            if zero is not None:
                claim.target = f"本年数（{zero.label}）为 0"
                self.ok(claim, 100.0)
            elif currents:
                self.finding(claim, "words", "error", 0.0, currents[0].value,
                             "“下降 100%”意味着本年数为 0，但本年数不是 0")
            else:
                claim.reason = REASONS["base"]
            return
        sign = change.sign or f.sign or 1
        readings = [Reading(f"增减额 {_num(change)} / 上年数（{c.label} − 增减额）", change.value, change.decimals,
                            c.value - sign * change.value, max(c.decimals, change.decimals),
                            change_ratio(change.value, change.decimals, c.value, c.decimals, sign),
                            _cells(c)) for c in currents if c.value - sign * change.value > 0]
        readings += [Reading(f"增减额 {_num(change)} / {p.label}", change.value, change.decimals, p.value, p.decimals,
                             cells=_cells(p)) for p in self.priors(s, topic, change)]
        self.judge(claim, f, readings, "growth", "增减比例与增减额不符")

    def priors(self, s: Sentence, topic: Topic, change: Figure) -> list[Value]:
        """Last year's amount of a topic, where something gives it: the sentence (较上年 2.08
        减少), a stated 上年数, the same row of last year's report."""
        out = []
        if change.prior is not None:
            out.append(Value(change.prior, change.prior_decimals, f"所列上年数 {change.prior:,.{change.prior_decimals}f}"))
        prior = self.stated(s, topic, "prior")
        if prior is not None:
            out.append(Value(prior.value, prior.decimals, f"所列上年数 {_num(prior)}"))
        year = change.versus or (self.report.year - 1 if self.report.year else None)
        last = self.ctx.priors.get(year) if year else None
        found, _ = self.cells(s, topic, "万元", "amount")
        if last is not None and found:
            side = Engine(last.report, self.ctx.settings.tolerance).side(found[0][1])
            if side.printed:
                out.append(Value(side.value, 2, f"{year} 年报告 {self.cell_words(found[0][1])} {side.value:,.2f}"))
        return out

    def deviation(self, s: Sentence, f: Figure, claim: Claim, topic: Topic) -> None:
        """较年初预算增长 / 减少 P%: (决算 − 预算) / 预算, from the stated difference or the pair."""
        actual, budgets = self.values(s, topic, "amount"), self.values(s, topic, "budget")
        readings = []
        difference = self.stated(s, topic, "difference")
        if difference is not None:
            sign = difference.sign or f.sign or 1
            readings += [Reading(f"差额 {_num(difference)} / {b.label}", difference.value, difference.decimals,
                                 b.value, b.decimals, cells=_cells(b)) for b in budgets]
            readings += [Reading(f"差额 {_num(difference)} / 预算数（{a.label} − 差额）", difference.value,
                                 difference.decimals, a.value - sign * difference.value,
                                 max(a.decimals, difference.decimals),
                                 change_ratio(difference.value, difference.decimals, a.value, a.decimals, sign),
                                 _cells(a)) for a in actual if a.value - sign * difference.value > 0]
        readings += [Reading(f"({a.label} − {b.label}) / {b.label}", abs(a.value - b.value), max(a.decimals, b.decimals),
                             b.value, b.decimals, cells=_cells(a, b)) for b in budgets for a in actual]
        self.judge(claim, f, readings, "growth", "较预算的增减比例与决算数、预算数不符")

    def difference(self, s: Sentence, f: Figure) -> None:
        """决算数大于预算数 N 万元 / 差值为 N: the gap between the stated or printed pair."""
        claim = self.claim(s, f, None, f.words.strip(" ，,：:"))
        self.remember(s, f)
        topic = self.topic(s, f)
        pairs = [(a, b) for b in self.values(s, topic, "budget") for a in self.values(s, topic, "amount")]
        if f.explanatory or f.paired or not pairs:
            claim.reason = REASONS["explanatory"] if f.explanatory else REASONS["paired"] if f.paired else REASONS["base"]
            return
        for i, (a, b) in enumerate(pairs):
            gap = abs(a.value - b.value)
            if abs(gap - f.value) <= half(f.decimals) + half(a.decimals) + half(b.decimals) + ONE:
                claim.target = f"{a.label} − {b.label}"
                self.ok(claim, round(gap, 2), f"按{a.label} − {b.label}" if i else "")
                return
        a, b = pairs[0]
        claim.target = f"{a.label} − {b.label}"
        self.finding(claim, "amount", "error", round(abs(a.value - b.value), 2), None,
                     f"决算数与预算数之差 {f.value:g} 万元与所列数字不符（按{a.label} − {b.label} 应为 "
                     f"{abs(a.value - b.value):.2f}）")

    # -- words and years ---------------------------------------------------------
    def years(self, s: Sentence) -> None:
        if self.report.year is None:
            return
        for m in YEAR.finditer(s.text):
            before = s.text[max(0, m.start() - 4):m.start()]
            after = s.text[m.end():m.end() + 8]
            if re.search(r"(较|比|与)\s*$", before) and re.match(r"\s*年?度?\s*(年初|全年|调整)?预算", after):
                expected = self.report.year  # 与 2021 年度预算相比: this year's budget
            elif re.search(r"(较|比|与)\s*$", before):
                expected = self.report.year - 1
            elif re.search(r"(截止|截至|截止到)\s*$", before) and re.match(r"\s*12\s*月\s*31", after):
                expected = self.report.year
            else:
                continue
            year = int(m.group("year"))
            claim = Claim(text=s.text, section=s.section, subject="年份", kind="year", value=float(year),
                          unit="年", decimals=0, target="报告年度", line=s.line, page=s.page)
            self.claims.append(claim)
            if year == expected:
                self.ok(claim, float(expected))
            else:
                self.finding(claim, "year", "error", expected, year, f"年份应为 {expected} 年")

    def words(self, s: Sentence) -> None:
        """决算数小于/大于/持平 预算数 against the figures: only when exactly one direction
        word is written ("存在差异" says none; "大于（小于）" is a template); the sentence's
        own figures first, then the tables'."""
        m = COMPARISON.search(re.sub(r"\s+", "", s.text))
        if not m:
            return
        said = {v for w, v in vocabulary()["directions"].items() if w in m.group("mid") + m.group("after")}
        claim = Claim(text=s.text, section=s.section, subject="决算数与预算数比较", kind="words", value=None,
                      unit="", decimals=0, target=None, line=s.line, page=s.page)
        self.claims.append(claim)
        if len(said) != 1:
            claim.reason = REASONS["no_direction" if not said else "two_directions"]
            return
        pairs = self.compared(s, m.string[:m.start()])
        if isinstance(pairs, str):
            claim.reason = pairs
            return
        said = said.pop()
        word = {-1: "小于", 1: "大于", 0: "持平"}
        verdicts = []
        for i, (actual, budget) in enumerate(pairs):
            diff = actual.value - budget.value
            if ONE < abs(diff) <= half(min(actual.decimals, budget.decimals)):
                verdicts.append(None)  # 1385 against 1384.99: either side of equal once rounded
                continue
            real = 0 if abs(diff) <= ONE else (1 if diff > 0 else -1)
            if said == real:
                claim.target = "决算数 − 年初预算数"
                self.ok(claim, diff, "" if i == 0 else f"按{actual.label}、{budget.label}")
                return
            verdicts.append((real, actual, budget))
        wrong = [v for v in verdicts if v is not None]
        if not wrong:
            claim.reason = REASONS["rounding"]
            return
        real, actual, budget = wrong[0]
        claim.target = "决算数 − 年初预算数"
        others = "；".join(f"{a.label}、{b.label}" for _, a, b in wrong[1:])
        self.finding(claim, "words", "error", word[real], word[said],
                     f"决算数 {actual.value:g} 与预算数 {budget.value:g} 的关系应为“{word[real]}”（按{actual.label}、{budget.label}"
                     + (f"；另试 {others}，亦不符" if others else "") + "）", cells=_cells(actual, budget))

    def compared(self, s: Sentence, before: str) -> list[tuple[Value, Value]] | str:
        """The 决算数 and 预算数 a comparison sentence may be about, or why there is none: the
        subject it names (“三公”经费支出决算数小于预算数) if any, else the subject of the
        paragraph's last figures; the narrative's own pair first, then the table's."""
        if names(self.subjects, s.section, before):
            topic = Topic(naming(before))
        elif self.para.order:
            group = self.para.order[-1]
            topic = Topic(s.groups[group].words, group, s.groups[group].part)
        else:
            return REASONS["base"]
        budgets = self.values(s, topic, "budget")
        adjusted = self.stated(s, topic, "adjusted")
        if adjusted is not None:
            whole = Value(adjusted.value, adjusted.decimals, f"所列全年预算 {_num(adjusted)}")
            budgets = [whole, *budgets] if re.search(r"(全年|调整)预算", s.text) else [*budgets, whole]
        pairs = [(a, b) for a in self.values(s, topic, "amount") for b in budgets]
        return pairs or REASONS["base"]

    def itemised(self, s: Sentence) -> None:
        """An itemised list (分别是 … 4 人、… 7 人) adds up to the stated 人次 and 批."""
        text = re.sub(r"\s+", " ", s.text)
        if "分别是" not in text:
            return
        head, items = text.split("分别是", 1)
        items = re.split(r"，?其中", items)[0]
        people = [int(n) for n in re.findall(r"(\d+)\s*人(?!次)", items)]
        stated_people = re.search(r"(\d+)\s*人次", head)
        stated_batches = re.search(r"(\d+)\s*批", head)
        for stated, value, what in ((stated_people, sum(people), "人次"), (stated_batches, len(people), "批")):
            if not stated or not people:
                continue
            claim = Claim(text=s.text, section=s.section, subject=f"逐项列举合计（{what}）", kind="count",
                          value=float(stated.group(1)), unit=what, decimals=0, target="逐项列举之和",
                          line=s.line, page=s.page)
            self.claims.append(claim)
            if int(stated.group(1)) == value:
                self.ok(claim, float(value))
            else:
                self.finding(claim, "itemised", "error", float(value), None,
                             f"逐项列举合计 {value} {what}，与所述 {stated.group(1)} 不符")

    def listed(self) -> None:
        """The counts listed after 其中 add up to the stated total (共有车辆 6 辆，其中 …)."""
        for section in self.report.narrative.sections:
            for p in section.paragraphs:
                for item in listings(p.text):
                    claim = Claim(text=item.text, section=" ".join(h for h in p.headings if h),
                                  subject=f"其中所列各项之和（{item.unit}）", kind="count", value=item.total,
                                  unit=item.unit, decimals=0, target="其中所列各项之和", line=p.line, page=p.page)
                    self.claims.append(claim)
                    total = sum(item.parts)
                    if total == item.total:
                        self.ok(claim, total)
                    else:
                        self.finding(claim, "itemised", "error", total, None,
                                     f"其中所列各项合计 {total:g} {item.unit}，与所述合计 {item.total:g} {item.unit} 不符")

    # -- driver ----------------------------------------------------------------
    def run(self) -> None:
        found = sentences(self.report, self.subjects)
        section = None
        for s in found:
            if s.section != section:
                self.said, section = {}, s.section
            if s.groups is not self.para.groups:
                self.para = Paragraph(s.groups)
            self.years(s)
            self.itemised(s)
            for f in s.figures:
                if f.kind in ("amount", "budget", "count", "prior"):
                    self.amount(s, f)
                elif f.kind == "change":
                    self.remember(s, f)
                    self.claim(s, f, None, f.words.strip(" ，,"), REASONS["explanatory" if f.explanatory else
                                                                      "paired" if f.paired else "previous_year"])
                elif f.kind == "difference":
                    self.difference(s, f)
                elif f.kind in RATES:
                    self.rate(s, f)
                else:
                    self.claim(s, f, None, f.words.strip(" ，,"), REASONS["subject"])
            self.words(s)
        procurement.check(self, found)
        self.listed()


def _cells(*values: Value) -> tuple[str, ...]:
    """The table cells some figures of a reading are printed in (a finding lists them)."""
    return tuple(v.target for v in values if v.target)


def _num(f: Figure) -> str:
    """A stated figure as the narrative prints it (9,746.50 万元, 0.95)."""
    return f"{f.value:,.{f.decimals}f}"


# Why a claim stays unchecked (shown in the coverage of `check`).
REASONS = {
    "no_direction": "无方向词",
    "two_directions": "方向词不唯一（如“大于（小于）”）",
    "subject": "科目未匹配",
    "part": "其中所列部分无对应行",
    "explanatory": "说明性数字（主要原因、分别是）",
    "paired": "成对列举（各是、分别为），未逐一对应",
    "no_budget": "表中无预算数",
    "not_printed": "表中未列示该单元格",
    "base": "缺少比较基数",
    "previous_year": "上年数不在本年表中",
    "procurement": "政府采购金额不在决算表中（另作合计与占比核对）",
    "rounding": "差额在舍入范围内，方向不能确定",
    "candidates": "多于一个候选单元格",
    "adjusted": "全年预算数与表中预算数口径可能不同",
}
# 决算数 … 预算数: `mid` and `after` hold the direction words, if any.
COMPARISON = re.compile(r"决算数?(?P<mid>[^，,。；;\d]{0,12}?)(?:年初)?预算数?(?P<after>[^，,。；;\d]{0,6})")



def check_narrative(ctx: Context, rule: Rule) -> list[Finding]:
    """Every NARR.* id of the catalog that names `narrative`: one reading of the narrative."""
    return ctx.read(NarrativeChecker(ctx))


# what this family contributes to the registry (auditlib.rules.registry)
CHECKS = (Check("narrative", check_narrative, stage="prose", once=True),)
