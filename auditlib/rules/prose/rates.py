"""The narrative check's rates and differences (a part of NarrativeChecker, rules/prose/
narrative.py): shares, completion, growth and deviation rates recomputed from the figures the
sentence itself gives, then from the tables and last year's report; 决算数与预算数之差.  A rate
is consistent with the first reading that makes it true, else a finding on the first that
names the others tried."""

from __future__ import annotations

from auditlib.claims import Figure, Sentence
from auditlib.numbers import half_unit as half
from auditlib.rules.engine import Engine
from auditlib.rules.findings import Judged
from auditlib.rules.intervals import ONE, change_ratio, percent_verdict
from auditlib.rules.prose.stated import REASONS, Reading, Topic, Value, cells_of, num
from auditlib.ingest.vocabulary import vocabulary
from auditlib.ingest.words import naming
from auditlib.schema import flat


class Rates:
    """Rates and differences: the methods of NarrativeChecker that recompute a figure from others."""

    def values(self, s: Sentence, topic: Topic, slot: str) -> list[Value]:
        """The figures a rate may take for its topic's `slot` (amount, budget): the one the
        narrative states (its own sentence's first), then the table's cell."""
        out: list[Value] = []
        said = self.stated(s, topic, slot)
        if said is not None:
            scale = 10000 if said.unit == "元" else 1
            out.append(Value(said.value / scale, said.decimals + (4 if scale > 1 else 0), f"所列 {num(said)}"))
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
                add(given.value, given.decimals, f"所列{naming(words) or words} {num(given)}")
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

    def judge(self, claim: Judged, f: Figure, readings: list[Reading], rule: str, why: str) -> None:
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
        claim = self.claim(f, None)
        if f.explanatory or f.paired:
            claim.reason = REASONS["explanatory" if f.explanatory else "paired"]
            return
        topic = self.topic(s, f)
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
                budgets.append(Value(adjusted.value, adjusted.decimals, f"所列全年预算 {num(adjusted)}"))
            readings = [a.over(b) for b in budgets for a in self.values(s, topic, "amount")]
            self.judge(claim, f, readings, "completion", "完成预算的比例与决算数、预算数不符")
        elif f.kind == "deviation":  # 较年初预算, or 增长 P% after 与年初预算相比增加 N 万元 (read so)
            self.deviation(s, f, claim, topic)
        else:
            self.growth(s, f, claim, topic)

    def growth(self, s: Sentence, f: Figure, claim: Judged, topic: Topic) -> None:
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
        readings = [Reading(f"增减额 {num(change)} / 上年数（{c.label} − 增减额）", change.value, change.decimals,
                            c.value - sign * change.value, max(c.decimals, change.decimals),
                            change_ratio(change.value, change.decimals, c.value, c.decimals, sign),
                            cells_of(c)) for c in currents if c.value - sign * change.value > 0]
        readings += [Reading(f"增减额 {num(change)} / {p.label}", change.value, change.decimals, p.value, p.decimals,
                             cells=cells_of(p)) for p in self.priors(s, topic, change)]
        self.judge(claim, f, readings, "growth", "增减比例与增减额不符")

    def priors(self, s: Sentence, topic: Topic, change: Figure) -> list[Value]:
        """Last year's amount of a topic, where something gives it: the sentence (较上年 2.08
        减少), a stated 上年数, the same row of last year's report."""
        out = []
        if change.prior is not None:
            out.append(Value(change.prior, change.prior_decimals, f"所列上年数 {change.prior:,.{change.prior_decimals}f}"))
        prior = self.stated(s, topic, "prior")
        if prior is not None:
            out.append(Value(prior.value, prior.decimals, f"所列上年数 {num(prior)}"))
        year = change.versus or (self.report.year - 1 if self.report.year else None)
        last = self.ctx.priors.get(year) if year else None
        found, _ = self.cells(s, topic, "万元", "amount")
        if last is not None and found:
            side = Engine(last.report, self.ctx.settings.tolerance).side(found[0][1])
            if side.printed:
                out.append(Value(side.value, 2, f"{year} 年报告 {self.cell_words(found[0][1])} {side.value:,.2f}"))
        return out

    def deviation(self, s: Sentence, f: Figure, claim: Judged, topic: Topic) -> None:
        """较年初预算增长 / 减少 P%: (决算 − 预算) / 预算, from the stated difference or the pair."""
        actual, budgets = self.values(s, topic, "amount"), self.values(s, topic, "budget")
        readings = []
        difference = self.stated(s, topic, "difference")
        if difference is not None:
            sign = difference.sign or f.sign or 1
            readings += [Reading(f"差额 {num(difference)} / {b.label}", difference.value, difference.decimals,
                                 b.value, b.decimals, cells=cells_of(b)) for b in budgets]
            readings += [Reading(f"差额 {num(difference)} / 预算数（{a.label} − 差额）", difference.value,
                                 difference.decimals, a.value - sign * difference.value,
                                 max(a.decimals, difference.decimals),
                                 change_ratio(difference.value, difference.decimals, a.value, a.decimals, sign),
                                 cells_of(a)) for a in actual if a.value - sign * difference.value > 0]
        readings += [Reading(f"({a.label} − {b.label}) / {b.label}", abs(a.value - b.value), max(a.decimals, b.decimals),
                             b.value, b.decimals, cells=cells_of(a, b)) for b in budgets for a in actual]
        self.judge(claim, f, readings, "growth", "较预算的增减比例与决算数、预算数不符")

    def difference(self, s: Sentence, f: Figure) -> None:
        """决算数大于预算数 N 万元 / 差值为 N: the gap between the stated or printed pair."""
        claim = self.claim(f, None)
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
