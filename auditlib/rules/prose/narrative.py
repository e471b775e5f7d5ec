"""Narrative (第三部分 情况说明) checks: every figure against the table cell it
restates, at the precision it is written in; shares, completion and growth rates
recomputed; words against numbers; years; itemised lists and 政府采购 sums."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from auditlib.model import Claim
from auditlib.numbers import half_unit as half
from auditlib.rules.rule import Rule
from auditlib.rules.context import Context
from auditlib.rules.findings import Finding, finding
from auditlib.rules.intervals import ONE, interval_ratio, percent_verdict
from auditlib.rules.prose import procurement
from auditlib.rules.prose.claims import (YEAR, Figure, Sentence, claim_of, item_codes, listings, load_subjects, resolve,
                                         sentences, vocabulary)
from auditlib.rules.rule import Check
from auditlib.schema import SPECS


@dataclass
class State:
    """What a paragraph has said so far (figures refer back to it)."""

    amount: Figure | None = None
    amount_claim: Claim | None = None
    budget: Figure | None = None
    change: Figure | None = None
    named: dict[str, Figure] = field(default_factory=dict)
    # the table row each of amount and budget restates ("T07[abroad]"), and their sentence
    amount_row: str | None = None
    budget_row: str | None = None
    amount_sentence: int = 0
    budget_sentence: int = 0


class NarrativeChecker:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.report = ctx.report
        amount = ctx.rule("NARR.amount")
        self.subjects = load_subjects(amount.params.get("subjects") if amount else None)
        self.claims: list[Claim] = []
        self.findings: list[Finding] = []
        self.by_figure: dict[int, Claim] = {}  # each figure's claim, for checks that read it later

    # -- findings --------------------------------------------------------------
    def finding(self, claim: Claim, rule: str, severity: str, expected, actual, why: str, tables=()) -> None:
        fid = f"NARR.{rule}"
        claim.verdict, claim.reason = "mismatch", ""
        claim.expected = expected if isinstance(expected, (int, float)) else claim.expected
        claim.rule = fid
        entry = self.ctx.rule(fid)
        if entry is None:  # switched off in the catalog
            return
        cells = [c.record() for c in self.ctx.side(claim.target).cells] if claim.target and "[" in claim.target else []
        self.findings.append(finding(
            entry, severity, claim.section or "第三部分 情况说明", f"{why}：“{claim.text}”",
            f"{claim.line or claim.page}:{claim.subject}:{claim.value}", tables=("NARR", *tables), page=claim.page,
            line=claim.line, cells=cells,
            expected=None if expected is None else (round(expected, 2) if isinstance(expected, float) else expected),
            actual=claim.value if actual is None else actual,
            difference=(round(claim.value - expected, 2) if isinstance(expected, (int, float)) and
                        claim.value is not None else None)))

    def allowance(self, rule: str) -> float:
        """The rounding allowance of one table figure for NARR.`rule` (the audit's tolerance)."""
        return self.ctx.allowance(self.ctx.rule(f"NARR.{rule}"))

    def ok(self, claim: Claim, expected: float | None = None) -> None:
        claim.verdict = "ok"
        claim.expected = expected
        self.ctx.checks += 1

    # -- per figure ------------------------------------------------------------
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
        return f"公开{cell.table[1:]}表 {cell.name} {column}"

    def amount(self, s: Sentence, f: Figure, state: State) -> None:
        texts = (f.context, f.near, s.subject) if f.kind == "count" else (f.near, f.context, s.subject)
        if f.part:  # a part listed after 其中 is never the sentence subject's total
            texts = texts[:2]
        candidates = item_codes(self.report, s.item) if f.kind in ("amount", "budget") else []
        item = candidates[0] if len(candidates) == 1 else None
        found = None if f.explanatory or len(candidates) > 1 else resolve(
            self.subjects, s.section, texts, f.unit, f.kind, item)
        claim = claim_of(s, f, found[1] if found else None, (f.near or s.subject).strip(" ，,：:为是"))
        self.claims.append(claim)
        self.by_figure[id(f)] = claim
        row = found[1].split(".")[0] if found else None
        if f.kind == "amount":
            state.amount, state.amount_claim, state.amount_row, state.amount_sentence = f, claim, row, id(s)
        if f.kind == "budget":
            state.budget, state.budget_row, state.budget_sentence = f, row, id(s)
        if found is None:
            claim.reason = (REASONS["explanatory"] if f.explanatory else
                            REASONS["candidates"] if len(candidates) > 1 else
                            REASONS["procurement"] if "采购" in s.section else
                            REASONS["part"] if f.part else REASONS["subject"])
            return
        sub, target = found
        if f.kind == "budget" and ".budget" not in target:
            claim.target = None  # a budget figure: the tables print no budget here
            claim.reason = REASONS["no_budget"]
            return
        expected, table = self.table_value(target)
        if expected is None:
            claim.reason = REASONS["not_printed"]
            coded = re.search(r"\[\d+\]", target)  # a code row: absent means not printed at all
            if coded and self.report.tables[table].status == "parsed" and f.value and f.kind == "amount":
                self.finding(claim, "absent", "warning", None, None,
                             f"说明列出 {f.value:g}{f.unit}，但公开{table[1:]}表中没有科目 {coded.group(0)[1:-1]} 这一行", (table,))
            return
        value = f.value / 10000 if f.unit == "元" else f.value
        tol = half(f.decimals) / (10000 if f.unit == "元" else 1) + self.allowance("amount") + ONE
        if f.unit not in ("万元", "元"):
            tol = ONE
        if abs(value - expected) <= tol:
            self.ok(claim, expected)
            return
        severity = "warning" if sub.kind == "heuristic" else "error"
        self.finding(claim, "amount", severity, expected, None,
                     f"说明中的数字 {f.value:g}{f.unit} 与{self.cell_words(target)} "
                     f"{f'{expected:,.2f}' if f.unit in ('万元', '元') else f'{expected:g}'} 不符", (table,))

    def percent(self, s: Sentence, f: Figure, state: State) -> None:
        claim = claim_of(s, f, None, f.words.strip(" ，,：:"))
        self.claims.append(claim)
        self.by_figure[id(f)] = claim
        span = None
        budget = self.budget_for(state)
        if f.kind == "completion" and state.amount and budget:
            span = interval_ratio(state.amount.value, state.amount.decimals, budget.value, budget.decimals)
            point = state.amount.value / budget.value * 100 if budget.value else 0.0
            claim.target, rule, why = "决算数 / 年初预算数", "completion", "完成预算的比例与决算数、预算数不符"
        elif f.kind == "share" and state.amount:
            den = self.denominator(s, f, state)
            if den is not None:
                value, decimals, name = den
                span = interval_ratio(state.amount.value, state.amount.decimals, value, decimals)
                point = state.amount.value / value * 100 if value else 0.0
                claim.target, rule, why = f"{state.amount.value:g} / {name}", "share", "占比与金额不符"
        elif f.kind == "growth" and state.amount and state.change:
            current, change = state.amount, state.change
            previous = current.value - change.sign * change.value
            claim.target, rule, why = "增减额 / 上年数", "growth", "增减比例与增减额不符"
            if f.sign and change.sign and f.sign != change.sign:
                self.finding(claim, "words", "error", None, f"{'增长' if f.sign > 0 else '下降'}",
                             "增减方向前后矛盾（增加/减少 与 增长/下降）")
                return
            if f.sign < 0 and f.value == 100:
                if abs(current.value) <= half(current.decimals):
                    self.ok(claim, 100.0)
                else:
                    self.finding(claim, "words", "error", 0.0, current.value,
                                 "“下降 100%”意味着本年数为 0，但本年数不是 0")
                return
            span = interval_ratio(change.value, change.decimals, previous, max(current.decimals, change.decimals))
            point = change.value / previous * 100 if previous else 0.0
        if span is None:
            claim.reason = REASONS["base"]
            return
        severity = percent_verdict(f.value, f.decimals, span)
        if severity is None:
            self.ok(claim, round(point, 2))
        else:
            self.finding(claim, rule, severity, round(point, 2), None, f"{why}（按所列数字应为 {point:.2f}%）")

    def budget_for(self, state: State) -> Figure | None:
        """The 年初预算数 of the 决算数 just read: the budget written for the same row (or
        in the same sentence, both parts or both not), else the table's own budget of
        that row; None when neither is certain ("其中：因公出国（境）费决算为 …，完成预算的
        P%" follows the 三公 total's budget, not its own)."""
        if state.amount is None:
            return None
        if state.budget is not None:
            if state.amount_row and state.budget_row:
                same = state.amount_row == state.budget_row
            else:
                same = state.amount_sentence == state.budget_sentence and state.amount.part == state.budget.part
            if same:
                return state.budget
        if state.amount_row and state.amount_row.startswith("T07"):  # 公开07表 prints a budget for each row
            value, _ = self.table_value(state.amount_row + ".budget")
            return None if value is None else Figure(value, "万元", 2, "budget", state.amount_row)
        return None

    def current_from_table(self, s: Sentence, f: Figure) -> Figure | None:
        found = resolve(self.subjects, s.section, (f.near, f.context, s.subject), "万元", "amount")
        if found is None:
            return None
        value, _ = self.table_value(found[1])
        return None if value is None else Figure(value, "万元", 2, "amount", found[1])

    def denominator(self, s: Sentence, f: Figure, state: State) -> tuple[float, int, str] | None:
        """占 X 的 P%: X named in the words, else the subject's own denominator."""
        m = re.search(r"占([^，,；;]*?)的?\s*$", re.sub(r"\s+", "", f.words))
        named = m.group(1) if m else ""
        if named:
            for key, fig in state.named.items():
                if key in named or named in key:
                    return fig.value, fig.decimals, key
            found = resolve(self.subjects, s.section, (named,), "万元", "amount")
            if found:
                value, _ = self.table_value(found[1])
                if value is not None:
                    return value, 2, found[1]
        if state.amount_claim and state.amount_claim.target:
            found = resolve(self.subjects, s.section, (state.amount.near, state.amount.context, s.subject),
                            "万元", "amount")
            if found and found[0].share_of:
                value, _ = self.table_value(found[0].share_of)
                if value is not None:
                    return value, 2, found[0].share_of
        return None

    def years(self, s: Sentence) -> None:
        if self.report.year is None:
            return
        for m in YEAR.finditer(s.text):
            before = s.text[max(0, m.start() - 4):m.start()]
            after = s.text[m.end():m.end() + 8]
            if re.search(r"(较|比|与)\s*$", before):
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

    def words(self, s: Sentence, state: State) -> None:
        """决算数小于/大于/持平 预算数 against the figures: only when exactly one
        direction word is written ("存在差异" says none; "大于（小于）" is a template)."""
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
        pair = self.compared(s, m.string[:m.start()], state)
        if isinstance(pair, str):
            claim.reason = pair
            return
        actual, budget = pair
        said = said.pop()
        diff = actual.value - budget.value
        if ONE < abs(diff) <= half(min(actual.decimals, budget.decimals)):
            claim.reason = REASONS["rounding"]  # 1385 against 1384.99: either side of equal once rounded
            return
        claim.target = "决算数 − 年初预算数"
        real = 0 if abs(diff) <= ONE else (1 if diff > 0 else -1)
        if said == real:
            self.ok(claim, diff)
        else:
            word = {-1: "小于", 1: "大于", 0: "持平"}
            self.finding(claim, "words", "error", word[real], word[said],
                         f"决算数 {actual.value:g} 与预算数 {budget.value:g} 的关系应为“{word[real]}”")

    def compared(self, s: Sentence, before: str, state: State) -> tuple[Figure, Figure] | str:
        """The 决算数 and 预算数 a comparison sentence is about, or why they are not
        certain: the subject it names (“三公”经费支出决算数小于预算数) if any, else the
        paragraph's last pair."""
        found = resolve(self.subjects, s.section, (before,), "万元", "amount") if before else None
        row = found[1].split(".")[0] if found else None
        if row and row != state.amount_row:
            if not row.startswith("T07"):
                return REASONS["other_subject"]
            actual, _ = self.table_value(row + ".actual")
            budget, _ = self.table_value(row + ".budget")
            if actual is None or budget is None:
                return REASONS["not_printed"]
            return Figure(actual, "万元", 2, "amount", row), Figure(budget, "万元", 2, "budget", row)
        budget = self.budget_for(state)
        return (state.amount, budget) if state.amount and budget else REASONS["base"]

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
        found = sentences(self.report)
        state = State()
        last_para = None
        for s in found:
            if (s.line, s.page, s.section) != last_para:
                state, last_para = State(), (s.line, s.page, s.section)
            self.years(s)
            self.itemised(s)
            for f in s.figures:
                if f.kind in ("amount", "budget", "count"):
                    self.amount(s, f, state)
                    if f.kind == "amount":
                        key = re.sub(r"[\s，,：:为是]", "", f.words)[-8:]
                        if key:
                            state.named[key] = f
                elif f.kind == "change":
                    state.change = f
                    self.claims.append(claim_of(s, f, None, f.words.strip(" ，,"), REASONS["previous_year"]))
                    if state.amount is None:  # "公务接待费支出决算减少 0.15 万元": this year's figure is the table's
                        state.amount = self.current_from_table(s, f)
                elif f.kind in ("share", "completion", "growth"):
                    self.percent(s, f, state)
                else:
                    self.claims.append(claim_of(s, f, None, f.words.strip(" ，,"), REASONS["subject"]))
            self.words(s, state)
        procurement.check(self, found)
        self.listed()


# Why a claim stays unchecked (shown in the coverage of `check`).
REASONS = {
    "no_direction": "无方向词",
    "two_directions": "方向词不唯一（如“大于（小于）”）",
    "subject": "科目未匹配",
    "part": "其中所列部分无对应行",
    "explanatory": "说明性数字（主要原因、分别是）",
    "no_budget": "表中无预算数",
    "not_printed": "表中未列示该单元格",
    "base": "缺少比较基数",
    "previous_year": "上年数不在本年表中",
    "procurement": "政府采购金额不在决算表中（另作合计与占比核对）",
    "rounding": "差额在舍入范围内，方向不能确定",
    "candidates": "多于一个候选单元格",
    "other_subject": "比较的科目与前文金额不同",
}
# 决算数 … 预算数: `mid` and `after` hold the direction words, if any.
COMPARISON = re.compile(r"决算数?(?P<mid>[^，,。；;\d]{0,12}?)(?:年初)?预算数?(?P<after>[^，,。；;\d]{0,6})")



def check_narrative(ctx: Context, rule: Rule) -> list[Finding]:
    """Every NARR.* id of the catalog that names `narrative`: one reading of the narrative."""
    return ctx.read(NarrativeChecker(ctx))


# what this family contributes to the registry (auditlib.rules.registry)
CHECKS = (Check("narrative", check_narrative, stage="prose", once=True),)
