"""Performance section (预算绩效) checks: self-evaluation tables (自评表), score
sheets (评分表), project lists, and the rates and 元/万元 restatements of its prose."""

from __future__ import annotations

import re

import pandas as pd

from auditlib.claims import Graded
from auditlib.ingest.claims import GRADE
from auditlib.ingest.vocabulary import vocabulary
from auditlib.ingest.words import FIGURE, SENTENCE, tidy
from auditlib.model import GridTable, ScoreSheet, SelfEvaluation
from auditlib.numbers import half_unit as half
from auditlib.rules.rule import Rule
from auditlib.rules.context import Context
from auditlib.rules.findings import Finding, finding
from auditlib.rules.intervals import interval_ratio, percent_verdict
from auditlib.rules.rule import Check

EPS = 1e-6
TARGET = re.compile(r"^(>=|<=|≥|≤|>|<|=)?\s*(-?\d+(?:\.\d+)?)")
# A band the document prints: 90（含）-100分为优, 分数在 80(含 80 分) -90 之间评良好, 60 分以下评差
BAND = re.compile(r"(?P<floor>\d+)\s*分?\s*[（(]\s*含\s*(?:\d+\s*分)?\s*[)）]\s*(?:以上|[-－—~～至到]\s*\d+\s*分?"
                  r"\s*(?:之间)?)?\s*分?\s*(?:的)?(?:为|评为|评)\s*[“\"]?" + GRADE)
BOTTOM = re.compile(r"(?P<floor>\d+)\s*分?\s*以下\s*(?:的)?(?:为|评为|评)\s*[“\"]?" + GRADE)

def _parse_target(text: str) -> tuple[str, float] | None:
    m = TARGET.match(re.sub(r"\s+", "", str(text or "")))
    if not m:
        return None
    op = {"≥": ">=", "≤": "<="}.get(m.group(1) or "=", m.group(1) or "=")
    return op, float(m.group(2))


def met(target: str, actual: str) -> bool | None:
    """Whether 实际完成值 meets 年度指标值; None when the text cannot tell."""
    t, a = _parse_target(target), _parse_target(actual)
    if t is None or a is None:
        if str(target).strip() and str(target).strip() == str(actual).strip():
            return True
        return None
    op, goal = t
    value = a[1]
    return {">=": value >= goal, "<=": value <= goal, ">": value > goal, "<": value < goal,
            "=": abs(value - goal) < EPS}[op]


class PerformanceChecker:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.report = ctx.report
        self.findings: list[Finding] = []
        self.bands: list[tuple[str, float]] | None = None

    def add(self, rule: str, severity: str, where: str, expected, actual, message: str,
            line: int | None, page: int | None, text: str = "") -> None:
        entry = self.ctx.rule(f"PERF.{rule}")
        if entry is not None:  # None: switched off in the catalog
            self.findings.append(finding(entry, severity, where, message + (f"：“{text}”" if text else ""),
                                         f"{line or page}:{where}:{actual}", tables=("PERF",), page=page, line=line,
                                         expected=expected, actual=actual))

    def allowance(self, rule: str) -> float:
        """The rounding allowance of one printed amount for PERF.`rule` (the audit's tolerance)."""
        return self.ctx.allowance(self.ctx.rule(f"PERF.{rule}"))

    def equal(self, rule: str, where: str, expected: float, actual: float | None, what: str,
              line, page, tol: float | None = None) -> None:
        if actual is None:
            return
        tol = self.allowance(rule) if tol is None else tol
        self.ctx.checks += 1
        if abs(expected - actual) > tol + EPS:
            self.add(rule, "error", where, round(expected, 2), actual, f"{what}：应为 {expected:g}，表中为 {actual:g}",
                     line, page)

    # -- tables ------------------------------------------------------------------
    def sums(self, where: str, items: pd.DataFrame, extra_weight: float, extra_score: float,
             total_weight: float | None, total_score: float | None, stated: dict[str, float], line, page) -> None:
        if items.empty:
            return
        weight = float(items["weight"].sum()) + extra_weight
        scores = items["score"].dropna()
        self.equal("weights", where, 100.0, weight, "各项分值之和", line, page)
        if total_weight is not None:
            self.equal("weights", where, weight, total_weight, "总分值（各项分值之和）", line, page)
        if total_score is not None and len(scores):
            self.equal("scores", where, float(scores.sum()) + extra_score, total_score, "总分（各项得分之和）", line, page)
        for row in items.itertuples():
            if row.score is not None and not pd.isna(row.score):
                self.ctx.checks += 1
                if row.score > row.weight + EPS:
                    self.add("score_cap", "error", f"{where} {row.indicator}", row.weight, row.score,
                             f"{row.indicator} 得分 {row.score:g} 超过分值 {row.weight:g}", row.line, row.page)
        for name, value in stated.items():
            mask = (items["level1"] == name) | (items["level2"] == name)
            if not mask.any():
                continue
            total = float(items.loc[mask, "weight"].sum())
            self.ctx.checks += 1
            if abs(total - value) > EPS:
                first = items.loc[mask].iloc[0]
                self.add("level", "error", f"{where} {name}", total, value,
                         f"{name} 注明 {value:g} 分，其下各项分值合计 {total:g} 分", first.line, first.page)

    def self_evaluation(self, e: SelfEvaluation) -> None:
        where = f"项目支出绩效自评表 {e.project}"
        funds = e.funds
        self.sums(where, e.indicators, funds.get("weight") or 0.0, funds.get("score") or 0.0,
                  e.total_weight, e.total_score, e.stated_weights, e.line, e.page)
        weight, score, rate = funds.get("weight"), funds.get("score"), funds.get("rate")
        budget, executed = funds.get("budget_full"), funds.get("executed")
        if budget and executed is not None and rate is not None:
            span = interval_ratio(executed, 2, budget, 2)
            self.ctx.checks += 1
            verdict = percent_verdict(rate, 2 if rate != int(rate) else 0, span) if span else None
            if verdict:
                self.add("rate", verdict, where, round(executed / budget * 100, 2), rate,
                         f"执行率 {rate:g}% 与 全年执行数 {executed:g} / 全年预算数 {budget:g} 不符", e.line, e.page)
        if weight is not None and score is not None and rate is not None:
            expected = weight * min(rate, 100.0) / 100
            self.ctx.checks += 1
            funds_rule = self.ctx.rule("PERF.funds")
            if abs(expected - score) > (funds_rule.params.get("score_tolerance", 0.05) if funds_rule else 0.05) + EPS:
                self.add("funds", "warning", where, round(expected, 2), score,
                         f"执行率 {rate:g}% 对应资金得分约 {expected:g}（分值 {weight:g}），表中得分 {score:g}",
                         e.line, e.page)
        for row in e.indicators.itertuples():
            ok = met(row.target, row.actual)
            full = abs(row.score - row.weight) < EPS
            place = f"{where} {row.indicator}"
            self.ctx.checks += 1
            if ok is True and not full:
                self.add("met_not_full", "warning", place, row.weight, row.score,
                         f"{row.indicator}：实际完成 {row.actual} 达到指标值 {row.target}，却只得 {row.score:g} 分（分值 {row.weight:g}）",
                         row.line, row.page)
            elif ok is False and full:
                self.add("unmet_full", "warning", place, None, row.score,
                         f"{row.indicator}：实际完成 {row.actual} 未达到指标值 {row.target}，却得满分 {row.score:g}",
                         row.line, row.page)
            if not full and not str(row.reason or "").strip():
                self.add("reason", "warning", place, None, row.score,
                         f"{row.indicator} 未得满分（{row.score:g}/{row.weight:g}）但未说明偏差原因", row.line, row.page)

    def score_sheet(self, s: ScoreSheet) -> None:
        where = s.title or "评分表"
        self.sums(where, s.items, 0.0, 0.0, None, s.total_score, s.stated_weights, s.line, s.page)

    def grade(self, g: Graded) -> None:
        """A 评价等级 against the band its 总分 falls in (the document's bands, else the
        national ones of PERF.grade's `bands`); unchecked when the document's bands disagree."""
        claim = self.ctx.judged(self.report.claims[g.claim])
        claim.target = "总分所在分档"
        if self.bands is None:
            claim.reason = "文件所列分档前后不一致"
            return
        if g.grade not in {grade for grade, _ in self.bands}:
            claim.reason = "等级不在分档之内"
            return
        expected = next(grade for grade, floor in self.bands if g.score >= floor)
        self.ctx.checks += 1
        claim.expected, claim.verdict = None, "ok" if expected == g.grade else "mismatch"
        if expected != g.grade:
            claim.rule = "PERF.grade"
            self.add("grade", "error", g.where, expected, g.grade,
                     f"总分 {g.score:g} 分按分档应为“{expected}”，{g.what}为“{g.grade}”", g.line, g.page, g.text)

    def project_list(self, grid: GridTable) -> None:
        """Rows with an amount; 小计 sums the rows of its group, 合计 every item."""
        items: list[float] = []
        group: list[float] = []
        for cells, line, page in zip(grid.rows, grid.lines, grid.pages):
            texts = [c.strip() for c in cells]
            label = next((c for c in texts if re.sub(r"\s+", "", c) in ("小计", "合计", "总计")), None)
            amount = next((float(c) for c in texts if re.fullmatch(r"\d+(?:\.\d+)?", c)), None)
            if label and amount is not None:
                parts = group if label == "小计" else items
                if parts:
                    self.equal("subtotal", f"{grid.title} {label}", round(sum(parts), 2), amount,
                               f"{label}（各项目之和 {sum(parts):g}）", line, page, tol=self.allowance("subtotal") * (len(parts) + 1))
                group = []
                continue
            if amount is not None:
                if texts and texts[0]:
                    group = []  # a new unit starts a new group
                group.append(amount)
                items.append(amount)

    # -- prose -------------------------------------------------------------------
    def prose(self) -> None:
        wan: dict[str, list[float]] = {}
        yuan: list[tuple[str, float, object]] = []
        for p in self.report.performance.paragraphs:
            for raw in SENTENCE.findall(tidy(p.text)):
                figures = []
                last = 0
                for m in FIGURE.finditer(raw):
                    num = float(m.group("num").replace(",", ""))
                    words = re.sub(r"\s+", "", raw[last:m.start()])
                    figures.append((words, num, m.group("unit"), len((m.group("num").split(".") + [""])[1])))
                    last = m.end()
                self.sentence_rates(raw, figures, p)
                for words, num, unit, _ in figures:
                    key = _key(words)
                    if unit in ("万元", "万") and key:
                        wan.setdefault(key, []).append(num)
                    elif unit == "元" and num >= 10000 and key:
                        yuan.append((key, num, p))
        for key, num, p in yuan:
            converted = round(num / 10000, 2)
            near = [w for w in wan.get(key, []) if abs(w - converted) <= 0.01 * max(w, converted)]
            if not near:
                continue  # no 万元 figure of that name close by: a different amount
            self.ctx.checks += 1
            if all(abs(converted - w) > half(2) + EPS for w in near):
                self.add("yuan", "error", "绩效说明", near[0], converted,
                         f"{num:,.2f} 元 = {converted:g} 万元，与前文 {near[0]:g} 万元（{key}）不符", p.line, p.page)

    def sentence_rates(self, raw: str, figures: list, p) -> None:
        """In one sentence: 结余 = 预算 − 执行, and 执行率/到位率/拨付率 from the amounts."""
        amounts = [(w, n, d) for w, n, u, d in figures if u in ("万元", "万")]
        budget = next(((n, d) for w, n, d in amounts if re.search(r"预算|安排|总计|共计|资金总额", w)), None)
        executed = next(((n, d) for w, n, d in amounts if re.search(r"执行|实际支出|支出共计|使用", w)), None)
        rest = next(((n, d) for w, n, d in amounts if "结余" in w and "含" not in w), None)
        if budget and executed and rest:
            self.ctx.checks += 1
            expected = round(budget[0] - executed[0], 2)
            if abs(expected - rest[0]) > 3 * self.allowance("balance") + EPS:
                self.add("balance", "error", "绩效说明", expected, rest[0],
                         f"结余 {rest[0]:g} ≠ {budget[0]:g} − {executed[0]:g}", p.line, p.page, raw.strip())
        for words, num, unit, decimals in figures:
            if unit != "%":
                continue
            kind = next((k for k in ("执行率", "使用率", "到位率", "拨付率") if k in words[-12:]), None)
            if not kind:
                continue
            numerator = executed if kind in ("执行率", "使用率") else next(
                ((n, d) for w, n, d in amounts if re.search(r"下达|到位|拨付", w)), None)
            denominator = budget
            if kind in ("执行率", "使用率") and numerator and len(amounts) and re.search(r"下达", " ".join(
                    w for w, _, _ in amounts)) and not re.search(r"预算|安排|总计", amounts[0][0]):
                denominator = next(((n, d) for w, n, d in amounts if "下达" in w), budget)
            if not (numerator and denominator and denominator[0]):
                continue
            span = interval_ratio(numerator[0], numerator[1], denominator[0], denominator[1])
            self.ctx.checks += 1
            verdict = percent_verdict(num, decimals, span) if span else None
            if verdict:
                self.add("exec_rate", verdict, "绩效说明", round(numerator[0] / denominator[0] * 100, 2), num,
                         f"{kind} {num:g}% 与 {numerator[0]:g} / {denominator[0]:g} 不符", p.line, p.page, raw.strip())

    def texts(self) -> list[tuple[str, int | None, int | None]]:
        """Every text of the performance section: its paragraphs and its table rows."""
        perf = self.report.performance
        rows = [(" ".join(cells), line, page) for grid in perf.tables
                for cells, line, page in zip(grid.rows, grid.lines, grid.pages)]
        return [(tidy(p.text), p.line, p.page) for p in perf.paragraphs] + rows

    def read_bands(self) -> list[tuple[str, float]] | None:
        """The grade bands the document prints (highest first), the national ones of
        catalog (PERF.grade `bands`) when it prints none, None when its own bands disagree."""
        synonyms = vocabulary()["grade_synonyms"]
        floors: dict[str, set[float]] = {}
        for text, _, _ in self.texts():
            for pattern in (BAND, BOTTOM):
                for m in pattern.finditer(text):
                    grade = synonyms.get(m.group("grade"), m.group("grade"))
                    floors.setdefault(grade, set()).add(0.0 if pattern is BOTTOM else float(m.group("floor")))
        if len(floors) < 2:
            grade = self.ctx.rule("PERF.grade")
            bands = grade.params.get("bands") if grade else None
            return [(b["grade"], float(b["floor"])) for b in bands or vocabulary()["grade_bands"]]
        if any(len(v) > 1 for v in floors.values()):
            return None
        return sorted(((g, v.pop()) for g, v in floors.items()), key=lambda b: -b[1])

    def listed(self) -> None:
        """Counts listed after 其中 add up to the stated total (安排项目共 40 个。其中 …)."""
        for item in self.report.prose.performance_listed:
            total = sum(item.parts)
            claim = self.ctx.judged(self.report.claims[item.claim])
            claim.target, claim.expected = "其中所列各项之和", total
            self.ctx.checks += 1
            claim.verdict = "ok" if total == item.total else "mismatch"
            if total != item.total:
                claim.rule = "PERF.count"
                self.add("count", "error", "绩效说明", total, item.total,
                         f"其中所列各项合计 {total:g} {item.unit}，与所述合计 {item.total:g} {item.unit} 不符",
                         claim.line, claim.page, item.text)

    def restated(self) -> None:
        """An amount written in 万元 and in 元 side by side, anywhere in the prose
        (情况说明 or 绩效): the two agree."""
        for r in self.report.prose.restated:
            claim = self.ctx.judged(self.report.claims[r.claim])
            claim.target, claim.expected = "同一金额的万元数", r.wan
            self.ctx.checks += 1
            claim.verdict = "ok" if r.holds else "mismatch"
            if not r.holds:
                claim.rule = "PERF.yuan"
                self.add("yuan", "error", claim.section, round(r.yuan / 10000, 2), r.wan,
                         f"{r.yuan:,.2f} 元 = {r.yuan / 10000:.2f} 万元，与同处所写 {r.wan:g} 万元不符",
                         claim.line, claim.page, r.text)

    def run(self) -> None:
        perf = self.report.performance
        self.bands = self.read_bands()
        for g in self.report.prose.grades:
            self.grade(g)
        self.listed()
        self.restated()
        for e in perf.self_evaluations:
            self.self_evaluation(e)
        for s in perf.score_sheets:
            self.score_sheet(s)
        for grid in perf.tables:
            if "一览表" in grid.title and any("合计" in c for row in grid.rows for c in row):
                self.project_list(grid)
        self.prose()


def _key(words: str) -> str:
    """The words that name an amount (预算资金为 / 含上年结余), for pairing 元 with 万元."""
    tail = re.split(r"[，,；;。（(]", words)[-1]
    tail = re.sub(r"^(共计|为|是)|为$|共计$", "", tail)
    m = re.search(r"(上年结余|预算资金|实际支出|项目资金|资金总额)", tail)
    return m.group(1) if m else ""


def check_performance(ctx: Context, rule: Rule) -> list[Finding]:
    """Every PERF.* id of the catalog that names `performance`: one reading of the section."""
    checker = PerformanceChecker(ctx)
    checker.run()
    return checker.findings


# what this family contributes to the registry (auditlib.rules.registry)
CHECKS = (Check("performance", check_performance, stage="prose", once=True),)
