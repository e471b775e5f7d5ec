"""Checks over the figures the narrative and performance checks read (catalog kind `claims`,
run after them): a reason for every change, rates on a zero base, two narrative figures
compared, the performance summary."""

from __future__ import annotations

import re

from auditlib.ingest.words import tidy
from auditlib.model import Paragraph
from auditlib.numbers import half_unit
from auditlib.rules.rule import Rule
from auditlib.rules.context import Context
from auditlib.rules.findings import Finding, Judged, finding
from auditlib.rules.profile import flat, profile_for, prose
from auditlib.rules.rule import Check

ENUMERATED = re.compile(r"^[(]?[一二三四五六七八九十\d]+[)、.]")  # a new item: (二) 2、 三、
OPS = {"<=": lambda a, b: a <= b + 1e-9, ">=": lambda a, b: a >= b - 1e-9}


def _reason(text: str, placeholder: str) -> bool:
    m = re.search(r"原因(?:是|为|主要是|:)*(.{2,})", text)
    return bool(m) and not re.match(placeholder, m.group(1))


def reasons(ctx: Context, rule: Rule) -> list[Finding]:
    """A 主要原因 for every stated 增减 and every 决算 ≠ 年初预算 (not empty, not a
    placeholder).  A paragraph ending in 其中： leaves the reasons to its items; a
    reason may be the first sentence of the next paragraph (决算数小于预算数的主要原因：…),
    and a paragraph ending in 原因： has it there."""
    claims = ctx.claims
    report = ctx.report
    placeholder = rule.params.get("placeholder", r"[Xx]{2,}|。{2,}|$")
    by_place: dict[tuple, list[Judged]] = {}
    for c in claims:
        by_place.setdefault((c.line, c.page), []).append(c)
    paragraphs = report.narrative.paragraphs
    out = []
    for i, p in enumerate(paragraphs):
        said = tidy(p.text)
        mine = [c for c in by_place.get((p.line, p.page), []) if c.text and c.text in said]
        why = _needs_reason(mine)
        text = flat(p.text)
        if not why or re.search(r"其中:?$", text):
            continue
        ctx.checks += 1
        after = flat(paragraphs[i + 1].text) if i + 1 < len(paragraphs) else ""
        opening = "" if ENUMERATED.match(after) else re.split(r"[。；;]", after, maxsplit=1)[0]
        if _reason(text, placeholder) or ("原因" in opening and _reason(opening, placeholder)):
            continue
        if re.search(r"原因(?:是|为|主要是|主要有|如下)?:$", text) and _reason("原因:" + opening, placeholder):
            continue  # “…主要原因：” with the reason on the next line (a converter's text breaks there)
        out.append(finding(rule, "warning", " ".join(h for h in p.headings if h) or "第三部分 情况说明",
                           f"说明了{why}，但未说明主要原因：“{p.text.strip()[:80]}”", f"{p.line or p.page}",
                           tables=("NARR",), line=p.line, page=p.page))
    return out


def _needs_reason(claims: list[Judged]) -> str:
    """What in a paragraph calls for a reason: a non-zero 增减, or a 决算 that differs
    from the 年初预算 just before it."""
    if any(c.kind == "change" and c.value for c in claims):
        return "增减变化"
    budget = None
    for c in claims:
        if c.kind == "budget":
            budget = c
        elif c.kind == "amount" and budget is not None and c.value is not None and budget.value is not None:
            if abs(c.value - budget.value) > half_unit(min(c.decimals, budget.decimals)):
                return "决算数与年初预算数的差异"
            budget = None
    return ""


def zero_base(ctx: Context, rule: Rule) -> list[Finding]:
    """Rates on a zero base, which the narrative check leaves unchecked: 完成年初预算的
    X% with 年初预算 0; 增长 X% on a zero prior year or with a zero change; a share of a
    total stated as 0.  Nothing over something is no rate (error); 0 over 0 is undefined,
    and printing a rate for it is a warning (some templates ask for 100%)."""
    claims = ctx.claims
    out = []
    for i, c in enumerate(claims):
        if c.unit != "%" or c.kind not in ("completion", "growth", "share") or c.verdict != "unchecked":
            continue
        before = [b for b in claims[:i] if (b.line, b.page, b.section) == (c.line, c.page, c.section)]
        verdict = {"completion": _completion, "growth": _growth, "share": _share}[c.kind](c, before, ctx)
        if verdict:
            severity, why = verdict
            ctx.checks += 1
            verdict = ctx.judged(c.claim)
            verdict.verdict, verdict.rule, verdict.reason = "mismatch", rule.id, ""  # judged now: no longer unchecked
            out.append(finding(rule, severity, c.section or "第三部分 情况说明", f"{why}：“{c.text}”",
                               f"{c.line or c.page}:{c.kind}:{c.text}", tables=("NARR",), line=c.line, page=c.page,
                               actual=c.value))
    return out


def _last(claims: list[Judged], kind: str) -> Judged | None:
    return next((c for c in reversed(claims) if c.kind == kind), None)


def _completion(c: Judged, before: list[Judged], ctx) -> tuple[str, str] | None:
    budget = _last(before, "budget")
    if budget is None or budget.value:
        return None
    actual = _last(before[before.index(budget):], "amount")
    if actual is not None and actual.value:
        return "error", f"年初预算数为 0，决算数 {actual.value:g}，“完成年初预算的 {c.value:g}%”无从计算"
    return "warning", f"年初预算数与决算数均为 0，“完成预算的 {c.value:g}%”无从计算"


def _growth(c: Judged, before: list[Judged], ctx) -> tuple[str, str] | None:
    change = _last(before, "change")
    if change is None:
        return None
    if not change.value:
        return ("error", f"增减额为 0，增减比例不可能为 {c.value:g}%") if c.value else None
    current = _last(before[:before.index(change)], "amount")
    if current is None or current.value is None:
        return None
    sign = -1 if re.search(r"(减少|下降)[^增]*$", change.subject) and not re.search(r"增加", change.subject) else 1
    previous = current.value - sign * change.value
    if abs(previous) <= half_unit(max(current.decimals, change.decimals)):
        # "增长 100%" over a zero prior year is a common convention (a new department):
        # worth a look, not certain enough for an error
        return "warning", f"上年数为 0（本年 {current.value:g} − 增减 {change.value:g}），增长 {c.value:g}% 无从计算"
    return None


def _share(c: Judged, before: list[Judged], ctx) -> tuple[str, str] | None:
    """占 X 的 P% where X was stated as 0 in the same paragraph, or the table cell
    named as denominator is 0."""
    m = re.search(r"占(.+?)的?$", flat(c.subject))
    if not m:
        return None
    core = re.sub(r"(金额|总额|数)$", "", m.group(1))
    total = next((b for b in reversed(before) if b.kind == "amount" and core and core in flat(b.subject)), None)
    if total is None or total.value:
        return None
    return "warning", f"“{m.group(1)}”为 0，占比 {c.value:g}% 无从计算"


def relation(ctx: Context, rule: Rule) -> list[Finding]:
    """Two figures the narrative states, compared (part ≤ whole): found by a pattern
    on the words before them, in a section whose heading matches `section`."""
    claims = ctx.claims
    section = rule.params["section"]
    mine = [c for c in claims if c.kind == "amount" and c.value is not None and re.search(section, flat(c.section))]

    def pick(pattern: str) -> Judged | None:
        return next((c for c in mine if re.search(pattern, flat(c.subject))), None)

    lhs, rhs = pick(rule.params["lhs"]), pick(rule.params["rhs"])
    if lhs is None or rhs is None:
        return []
    ctx.checks += 1
    op = rule.params.get("op", "<=")
    if OPS[op](lhs.value, rhs.value):
        return []
    return [finding(rule, rule.params.get("severity", "warning"), lhs.section, f"{lhs.subject} {lhs.value:g} 万元"
                    f"{'>' if op == '<=' else '<'} {rhs.subject} {rhs.value:g} 万元：“{lhs.text}”",
                    f"{lhs.line or lhs.page}", tables=("NARR",), line=lhs.line, page=lhs.page,
                    expected=rhs.value, actual=lhs.value)]


def performance_summary(ctx: Context, rule: Rule) -> list[Finding]:
    """The self-evaluation summary: projects = Σ per grade; grades from the profile's
    vocabulary; 涉及资金 not above the department's project spending (公开03表)."""
    report, profile = ctx.report, profile_for(ctx.report, ctx.params)
    grade = re.compile(rule.params["grade"])
    out = []
    for p in prose(report):
        text = flat(p.text)
        m = next((m for m in (re.search(q, text) for q in rule.params["summary"]) if m), None)
        if not m:
            continue
        where = " ".join(h for h in p.headings if h) or "预算绩效情况"
        count, grades = int(m.group("count")), [(g, int(n)) for g, n in grade.findall(text[m.start():])]
        if grades:
            ctx.checks += 1
            if sum(n for _, n in grades) != count:
                out.append(finding(rule, "error", where, f"绩效自评项目 {count} 个，各等级项目合计 "
                                   f"{sum(n for _, n in grades)} 个", f"count:{p.line or p.page}", tables=("PERF",),
                                   line=p.line, page=p.page, expected=float(count),
                                   actual=float(sum(n for _, n in grades))))
            odd = [g for g, _ in grades if g not in profile["grades"]]
            ctx.checks += 1
            if odd:
                out.append(finding(rule, "warning", where, f"评级“{'、'.join(odd)}”不在{profile['title']}的等级"
                                   f"（{'/'.join(profile['grades'])}）之中", f"grade:{p.line or p.page}",
                                   tables=("PERF",), line=p.line, page=p.page))
        out += _funds(ctx, rule, m, where, p)
    return out


def _funds(ctx, rule: Rule, m: re.Match, where: str, p: Paragraph) -> list[Finding]:
    if not m.groupdict().get("funds"):
        return []
    side = ctx.side(rule.params["spending"], False)
    if not side.printed:
        return []
    ctx.checks += 1
    funds = float(m.group("funds"))
    if funds <= side.value + side.tolerance + 1e-9:
        return []
    return [finding(rule, "warning", where, f"绩效自评涉及资金 {funds:g} 万元，超过公开03表 项目支出合计 "
                    f"{side.value:,.2f} 万元", f"funds:{p.line or p.page}", tables=("PERF", "T03"), line=p.line,
                    page=p.page, expected=round(side.value, 2), actual=funds)]


# what this family contributes to the registry (auditlib.rules.registry)
CHECKS = (Check("reasons", reasons, stage="claims"), Check("zero_base", zero_base, stage="claims"), Check("narrative_relation", relation, stage="claims"), Check("performance_summary", performance_summary, stage="claims"))
