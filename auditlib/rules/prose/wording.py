"""The narrative check's words and lists (a part of NarrativeChecker, rules/prose/narrative.py):
the years a sentence ties to the report's, 决算数 大于/小于/持平 预算数 against the figures, an
itemised list against the 人次 and 批 it adds up to, the counts listed after 其中 against their
total.  What each sentence says is read with the document (auditlib.ingest.claims); here it
is judged."""

from __future__ import annotations

import re

from auditlib.claims import Sentence
from auditlib.ingest.claims import compared_words
from auditlib.ingest.words import names, naming
from auditlib.numbers import half_unit as half
from auditlib.rules.intervals import ONE
from auditlib.rules.prose.stated import REASONS, Topic, Value, cells_of, num

WORD = {-1: "小于", 1: "大于", 0: "持平"}


class Wording:
    """Words against numbers: the methods of NarrativeChecker that judge what a sentence says in words."""

    def years(self, s: Sentence) -> None:
        """A year the wording ties to the report's (较 2020 年 in a 2021 report)."""
        for claim_id, expected in s.years:
            claim = self.ctx.judged(self.report.claims[claim_id])
            year = int(claim.value)
            claim.target = "报告年度"
            if year == expected:
                self.ok(claim, float(expected))
            else:
                self.finding(claim, "year", "error", expected, year, f"年份应为 {expected} 年")

    def words(self, s: Sentence) -> None:
        """决算数小于/大于/持平 预算数 against the figures: only when exactly one direction
        word is written ("存在差异" says none; "大于（小于）" is a template); the sentence's
        own figures first, then the tables'."""
        if s.comparison is None:
            return
        claim = self.ctx.judged(self.report.claims[s.comparison])
        before, said = compared_words(s.text)
        if len(said) != 1:
            claim.reason = REASONS["no_direction" if not said else "two_directions"]
            return
        pairs = self.compared(s, before)
        if isinstance(pairs, str):
            claim.reason = pairs
            return
        said = said.pop()
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
        self.wrong_direction(claim, said, [v for v in verdicts if v is not None])

    def wrong_direction(self, claim, said: int, wrong: list[tuple[int, Value, Value]]) -> None:
        """A direction no pair of figures bears out (a finding on the first pair), or one the
        rounding leaves open (unchecked)."""
        if not wrong:
            claim.reason = REASONS["rounding"]
            return
        real, actual, budget = wrong[0]
        claim.target = "决算数 − 年初预算数"
        others = "；".join(f"{a.label}、{b.label}" for _, a, b in wrong[1:])
        self.finding(claim, "words", "error", WORD[real], WORD[said],
                     f"决算数 {actual.value:g} 与预算数 {budget.value:g} 的关系应为“{WORD[real]}”（按{actual.label}、{budget.label}"
                     + (f"；另试 {others}，亦不符" if others else "") + "）", cells=cells_of(actual, budget))
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
            whole = Value(adjusted.value, adjusted.decimals, f"所列全年预算 {num(adjusted)}")
            budgets = [whole, *budgets] if re.search(r"(全年|调整)预算", s.text) else [*budgets, whole]
        pairs = [(a, b) for a in self.values(s, topic, "amount") for b in budgets]
        return pairs or REASONS["base"]

    def itemised(self, s: Sentence) -> None:
        """An itemised list (分别是 … 4 人、… 7 人) adds up to the stated 人次 and 批."""
        for claim_id, value in s.itemised:
            claim = self.ctx.judged(self.report.claims[claim_id])
            claim.target = "逐项列举之和"
            if int(claim.value) == value:
                self.ok(claim, float(value))
            else:
                self.finding(claim, "itemised", "error", float(value), None,
                             f"逐项列举合计 {value} {claim.unit}，与所述 {int(claim.value)} 不符")

    def listed(self) -> None:
        """The counts listed after 其中 add up to the stated total (共有车辆 6 辆，其中 …)."""
        for item in self.report.prose.listed:
            claim = self.ctx.judged(self.report.claims[item.claim])
            claim.target = "其中所列各项之和"
            total = sum(item.parts)
            if total == item.total:
                self.ok(claim, total)
            else:
                self.finding(claim, "itemised", "error", total, None,
                             f"其中所列各项合计 {total:g} {item.unit}，与所述合计 {item.total:g} {item.unit} 不符")
