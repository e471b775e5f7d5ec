"""What a disclosure must contain, wording left from the template, rates on a zero base.

Official reviews of 预决算公开 (财预〔2016〕143号《地方预决算公开操作规程》; 基层政务公开标准
目录 财政预决算领域) judge 及时性, 完整性 and 细化程度 more than arithmetic: empty tables with no
statement, missing sections, 三公 not broken down, changes with no 主要原因, template wording
left in.  What a layout requires is a *profile* (rules/profiles/*.yaml, data); each check is
a catalog entry of kind `completeness` (over the report) or `claims` (over the figures the
narrative checks read, after them) naming one function here by `check:`.  A check that
cannot run here is listed by `Engine.skip`, never counted as passed.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import cache
from importlib import resources
from typing import Callable

import yaml

from auditlib.claims import tidy
from auditlib.findings import Finding
from auditlib.model import Claim, Paragraph, Report
from auditlib.rules.catalog import Rule
from auditlib.rules.consistency import _norm
from auditlib.schema import QUOTES, SPECS, title_key

HALF = 0.5
ENUMERATED = re.compile(r"^[(]?[一二三四五六七八九十\d]+[)、.]")  # a new item: (二) 2、 三、
OPS = {"<=": lambda a, b: a <= b + 1e-9, ">=": lambda a, b: a >= b - 1e-9}


def flat(text: str) -> str:
    """Text as patterns see it: NFKC (（）→ ()), no spaces, no quotes."""
    return QUOTES.sub("", re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or "")))


# -- profiles ------------------------------------------------------------------------
@cache
def profiles() -> dict[str, dict]:
    folder = resources.files("auditlib.rules").joinpath("profiles")
    out = {}
    for f in sorted(folder.iterdir(), key=lambda p: p.name):
        if f.name.endswith(".yaml"):
            data = yaml.safe_load(f.read_text(encoding="utf-8"))
            out[data["name"]] = data
    return out


def profile_for(report: Report, params: dict) -> dict:
    """The profile named in params, else the first whose `match` fits (department
    pattern, first year), else the national one."""
    named = params.get("profile")
    if named:
        if named not in profiles():
            raise ValueError(f"unknown profile {named!r} (known: {', '.join(profiles())})")
        return profiles()[named]
    for p in profiles().values():
        m = p.get("match") or {}
        if m and re.search(m.get("department", ""), flat(report.department or "")) and (
                report.year or 0) >= m.get("year_from", 0):
            return p
    return profiles()["national"]


# -- helpers -------------------------------------------------------------------------
def finding(rule: Rule, severity: str, where: str, message: str, key: str, *, tables: tuple[str, ...] = ("META",),
            line: int | None = None, page: int | None = None, expected=None, actual=None) -> Finding:
    diff = round(actual - expected, 2) if isinstance(actual, (int, float)) and isinstance(expected, (int, float)) \
        else None
    return Finding(id=rule.id, rule=rule.title, severity=severity, tables=list(tables), location=where, page=page,
                   expected=expected, actual=actual, difference=diff, message=message, line=line,
                   key=f"{rule.id}@{key}")


def label(code: str) -> str:
    return f"公开{code[1:]}表 {SPECS[code].title}"


def prose(report: Report) -> list[Paragraph]:
    """Narrative and performance paragraphs, in order."""
    return [*report.narrative.paragraphs, *report.performance.paragraphs]


def headings(report: Report) -> list[str]:
    """Every section and sub-section heading of 第三部分 (and the performance part)."""
    seen = [s.heading for s in report.narrative.sections]
    seen += [h for p in prose(report) for h in p.headings]
    return [flat(h) for h in seen if h]


def section_text(report: Report, pattern: str) -> list[Paragraph]:
    return [p for p in prose(report) if any(re.search(pattern, flat(h)) for h in p.headings)]


# -- 完整性 ------------------------------------------------------------------------------
def tables(engine, rule: Rule, claims: list[Claim]) -> list[Finding]:
    """Every table the profile requires, in its order.  A table the reader did not find
    is an error only when its title is printed at most once (the 目录): otherwise it is
    there but unread, which META.tables_present reports."""
    report, profile = engine.report, profile_for(engine.report, engine.params)
    out = []
    text = [title_key(flat(line.text)) for line in report.lines]
    for code in profile["tables"]:
        engine.checks += 1
        if report.tables[code].status != "missing" or code in profile.get("optional_tables", ()):
            continue
        printed = sum(any(title_key(t) in line for t in SPECS[code].titles) for line in text)
        if printed <= 1:
            out.append(finding(rule, "error", label(code), f"{label(code)} 未公开（{profile['title']}要求公开此表）",
                               code, actual="missing"))
    present = [c for c in profile["tables"] if report.tables[c].status != "missing"]
    place = {c: (report.tables[c].page or 0, report.tables[c].line or 0) for c in present}
    printed_order = sorted(present, key=lambda c: place[c])
    engine.checks += 1
    if printed_order != present:
        shown = "、".join(f"公开{c[1:]}表" for c in printed_order)
        out.append(finding(rule, "warning", "部门决算表 顺序", f"各表未按规定顺序排列：实际顺序为 {shown}", "order"))
    return out


def empty_tables(engine, rule: Rule, claims: list[Claim]) -> list[Finding]:
    """An empty table says the department has no such funds (under it or in the
    narrative); a table with figures says no such thing."""
    report, profile = engine.report, profile_for(engine.report, engine.params)
    narrative = flat(" ".join(p.text for p in prose(report)))
    out = []
    for code in profile["tables"]:
        table = report.tables[code]
        notes = flat(" ".join(table.notes))
        stated = re.search(profile["empty_statement"], notes)
        if table.status == "empty" and code not in profile["may_be_empty"]:
            engine.checks += 1
            out.append(finding(rule, "warning", label(code), f"{label(code)} 没有数据（未填列，或未能读取）", code,
                               tables=(code,), line=table.line, page=table.page))
        elif table.status == "empty":
            engine.checks += 1
            said = stated or re.search(profile["empty_conditional"], notes) or (
                code in profile["empty_in_narrative"] and re.search(profile["empty_in_narrative"][code], narrative))
            if not said:
                out.append(finding(rule, "error", label(code),
                                   f"{label(code)} 为空表，但表下和情况说明中都没有说明本部门无此项收支（故本表无数据）",
                                   code, tables=(code,), line=table.line, page=table.page))
        elif table.status == "parsed" and stated:
            engine.checks += 1
            if any(abs(v) > 0 for v in table.amounts()):
                out.append(finding(rule, "error", label(code),
                                   f"{label(code)} 列有数据，表下却说明“{stated.group(0)}”", code, tables=(code,),
                                   line=table.line, page=table.page))
    return out


def sections(engine, rule: Rule, claims: list[Claim]) -> list[Finding]:
    """The narrative sections the profile requires (a zero item is stated as zero,
    "无…支出", not left out)."""
    report, profile = engine.report, profile_for(engine.report, engine.params)
    seen = headings(report)
    if not seen:
        engine.skip(rule, "未读到第三部分 情况说明")
        return []
    out = []
    for section in profile["sections"]:
        engine.checks += 1
        if not any(re.search(section["pattern"], h) for h in seen):
            out.append(finding(rule, "error", "第三部分 情况说明", f"情况说明缺少“{section['name']}”部分",
                               section["name"], tables=("NARR",)))
    return out


def glossary(engine, rule: Rule, claims: list[Claim]) -> list[Finding]:
    """第四部分 名词解释 with the terms the profile requires (the last such heading:
    the first one is the 目录)."""
    report, profile = engine.report, profile_for(engine.report, engine.params)
    texts = [flat(line.text) for line in report.lines]
    starts = [i for i, t in enumerate(texts) if re.match(r"^(第[一二三四五六]部分)?名词解释$", t)]
    engine.checks += 1
    if not starts:
        return [finding(rule, "error", "第四部分 名词解释", "未找到“名词解释”部分", "missing")]
    body = []
    for t in texts[starts[-1] + 1:]:
        if re.match(r"^第[一二三四五六]部分", t):
            break
        body.append(t)
    text = "".join(body)
    head = report.lines[starts[-1]]
    out = []
    for severity, terms in (("error", profile["terms"]), ("warning", profile.get("terms_advised", ()))):
        engine.checks += 1
        missing = [t for t in terms if flat(t) not in text]
        if missing:
            out.append(finding(rule, severity, "第四部分 名词解释", f"名词解释未解释：{'、'.join(missing)}",
                               severity, line=head.line, page=head.page))
    return out


def three_public(engine, rule: Rule, claims: list[Claim]) -> list[Finding]:
    """三公 broken down even when zero (143号: 团组数及人数, 购置数及保有量, 接待批次、人数).
    An item the narrative leaves out but 公开07表 prints is a warning; printed nowhere, an error."""
    report, profile = engine.report, profile_for(engine.report, engine.params)
    paragraphs = section_text(report, "三公")
    if not paragraphs:
        engine.skip(rule, "情况说明中没有“三公”经费部分")
        return []
    text = "".join(flat(p.text) for p in paragraphs)
    engine.checks += 1
    if re.search(profile["three_public_none"], text):
        return []
    t07 = report.tables["T07"]
    missing: dict[str, list[str]] = {"error": [], "warning": []}
    for item in profile["three_public"]:
        engine.checks += 1
        if not re.search(item["pattern"], text):
            in_table = any(t07.value(r, "actual") is not None for r in item["rows"])
            missing["warning" if in_table else "error"].append(item["name"])
    first = paragraphs[0]
    note = {"warning": "（公开07表已列示）", "error": "（公开07表也未列示）"}
    return [finding(rule, sev, first.headings[0] if first.headings else "三公经费", f"“三公”经费说明未列明："
                    f"{'、'.join(names)}{note[sev]}", sev, tables=("NARR",), line=first.line, page=first.page)
            for sev, names in missing.items() if names]


def _reason(text: str, placeholder: str) -> bool:
    m = re.search(r"原因(?:是|为|主要是|:)*(.{2,})", text)
    return bool(m) and not re.match(placeholder, m.group(1))


def reasons(engine, rule: Rule, claims: list[Claim]) -> list[Finding]:
    """A 主要原因 for every stated 增减 and every 决算 ≠ 年初预算 (not empty, not a
    placeholder).  A paragraph ending in 其中： leaves the reasons to its items; a
    reason may be the first sentence of the next paragraph (决算数小于预算数的主要原因：…)."""
    report = engine.report
    placeholder = rule.params.get("placeholder", r"[Xx]{2,}|。{2,}|$")
    by_place: dict[tuple, list[Claim]] = {}
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
        engine.checks += 1
        after = flat(paragraphs[i + 1].text) if i + 1 < len(paragraphs) else ""
        opening = "" if ENUMERATED.match(after) else re.split(r"[。；;]", after, maxsplit=1)[0]
        if _reason(text, placeholder) or ("原因" in opening and _reason(opening, placeholder)):
            continue
        out.append(finding(rule, "warning", " ".join(h for h in p.headings if h) or "第三部分 情况说明",
                           f"说明了{why}，但未说明主要原因：“{p.text.strip()[:80]}”", f"{p.line or p.page}",
                           tables=("NARR",), line=p.line, page=p.page))
    return out


def _needs_reason(claims: list[Claim]) -> str:
    """What in a paragraph calls for a reason: a non-zero 增减, or a 决算 that differs
    from the 年初预算 just before it."""
    if any(c.kind == "change" and c.value for c in claims):
        return "增减变化"
    budget = None
    for c in claims:
        if c.kind == "budget":
            budget = c
        elif c.kind == "amount" and budget is not None and c.value is not None and budget.value is not None:
            if abs(c.value - budget.value) > HALF * 10 ** -min(c.decimals, budget.decimals):
                return "决算数与年初预算数的差异"
            budget = None
    return ""


def timeliness(engine, rule: Rule, claims: list[Claim]) -> list[Finding]:
    """Published within N days of approval (143号: 部门决算 批复后 20 日内公开)."""
    days = profile_for(engine.report, engine.params).get("publish_within_days", 20)
    try:
        published, approved = (_date(engine.params.get(k)) for k in ("published_on", "approved_on"))
    except ValueError as exc:
        engine.skip(rule, f"日期无法识别：{exc}")
        return []
    if published is None or approved is None:
        engine.skip(rule, "未提供 published_on（公开日期）和 approved_on（批复日期）")
        return []
    engine.checks += 1
    late = (published - approved).days
    where = "公开时间"
    if late > days:
        return [finding(rule, "error", where, f"批复于 {approved}，公开于 {published}，相隔 {late} 日，超过 {days} 日",
                        "late", expected=float(days), actual=float(late))]
    if late < 0:
        return [finding(rule, "warning", where, f"公开日期 {published} 早于批复日期 {approved}", "early",
                        expected=0.0, actual=float(late))]
    return []


def _date(value) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


# -- wording left from the template ----------------------------------------------------
def template(engine, rule: Rule, claims: list[Claim]) -> list[Finding]:
    """Template wording anywhere in the document: alternatives left unresolved
    (增加（减少）), placeholders (XX局, XXX 万元), instructions to the compiler
    (（如持平作持平表述）).  The lines are joined so a phrase cut by a line break is
    still found; each finding is placed on the line where the phrase starts."""
    report = engine.report
    patterns = [(p["name"], re.compile(p["pattern"])) for p in rule.params["patterns"]]
    text, starts = "", []
    for line in report.lines:
        starts.append(len(text))
        text += flat(line.text)
    hits: dict[int, list[str]] = {}
    for name, pattern in patterns:
        engine.checks += 1
        for m in pattern.finditer(text):
            i = _line_at(starts, m.start())
            hits.setdefault(i, [])
            if m.group(0) not in hits[i]:
                hits[i].append(m.group(0))
    out = []
    for i in sorted(hits):
        line = report.lines[i]
        out.append(finding(rule, "error", "模板文字", f"保留了模板文字 {'、'.join(f'“{h}”' for h in hits[i])}："
                           f"“{line.text.strip()[:80]}”", f"{line.line or line.page}:{i}", line=line.line,
                           page=line.page, actual="、".join(hits[i])))
    return out


def _line_at(starts: list[int], offset: int) -> int:
    lo, hi = 0, len(starts) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if starts[mid] <= offset:
            lo = mid
        else:
            hi = mid - 1
    return lo


def part_headings(engine, rule: Rule, claims: list[Claim]) -> list[Finding]:
    """第一/二/三部分 headings (and their 目录 lines) name the report's year and
    department (a heading copied from another report or year)."""
    report = engine.report
    own = _norm(report.department)
    out = []
    for line in report.lines:
        text = flat(line.text)
        m = re.match(r"^第([一二三四五六])部分(.*?)(?:(\d{4})年度?)?(部门概况|概况|部门决算)", text)
        if not m:
            continue
        engine.checks += 1
        year, name = m.group(3), m.group(2)
        where = f"第{m.group(1)}部分 标题"
        if year and report.year and int(year) != report.year:
            out.append(finding(rule, "error", where, f"{where}为 {year} 年度，报告为 {report.year} 年度：“{line.text}”",
                               f"year:{line.line or line.page}", line=line.line, page=line.page,
                               expected=report.year, actual=int(year)))
        if name and own and not re.search(r"[Xx]{2,}", name) and _norm(name) != own:
            out.append(finding(rule, "error", where, f"{where}的部门为“{name}”，本报告为“{report.department}”",
                               f"name:{line.line or line.page}", line=line.line, page=line.page,
                               expected=report.department, actual=name))
    return out


# -- over the narrative's claims -----------------------------------------------------------
def zero_base(engine, rule: Rule, claims: list[Claim]) -> list[Finding]:
    """Rates on a zero base, which the narrative check leaves unchecked: 完成年初预算的
    X% with 年初预算 0; 增长 X% on a zero prior year or with a zero change; a share of a
    total stated as 0.  Nothing over something is no rate (error); 0 over 0 is undefined,
    and printing a rate for it is a warning (some templates ask for 100%)."""
    out = []
    for i, c in enumerate(claims):
        if c.unit != "%" or c.kind not in ("completion", "growth", "share") or (
                c.verdict != "unchecked" and c.kind != "completion"):
            continue
        before = [b for b in claims[:i] if (b.line, b.page, b.section) == (c.line, c.page, c.section)]
        verdict = {"completion": _completion, "growth": _growth, "share": _share}[c.kind](c, before, engine)
        if verdict:
            severity, why = verdict
            engine.checks += 1
            c.verdict, c.rule, c.reason = "mismatch", rule.id, ""  # judged now: no longer an unchecked figure
            out.append(finding(rule, severity, c.section or "第三部分 情况说明", f"{why}：“{c.text}”",
                               f"{c.line or c.page}:{c.kind}:{c.text}", tables=("NARR",), line=c.line, page=c.page,
                               actual=c.value))
    return out


def _last(claims: list[Claim], kind: str) -> Claim | None:
    return next((c for c in reversed(claims) if c.kind == kind), None)


def _completion(c: Claim, before: list[Claim], engine) -> tuple[str, str] | None:
    budget = _last(before, "budget")
    initial = next((b for b in reversed(before) if b.kind == "budget" and "年初预算" in b.subject), None)
    if budget is not None and budget.value and initial is not None and not initial.value and "年初" in c.subject:
        return "warning", f"年初预算为 0，“完成年初预算的 {c.value:g}%”实为对 {budget.value:g} 万元的完成比例"
    if c.verdict != "unchecked" or budget is None or budget.value:
        return None
    actual = _last(before[before.index(budget):], "amount")
    if actual is not None and actual.value:
        return "error", f"年初预算数为 0，决算数 {actual.value:g}，“完成年初预算的 {c.value:g}%”无从计算"
    return "warning", f"年初预算数与决算数均为 0，“完成预算的 {c.value:g}%”无从计算"


def _growth(c: Claim, before: list[Claim], engine) -> tuple[str, str] | None:
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
    if abs(previous) <= HALF * 10 ** -max(current.decimals, change.decimals):
        # "增长 100%" over a zero prior year is a common convention (a new department):
        # worth a look, not certain enough for an error
        return "warning", f"上年数为 0（本年 {current.value:g} − 增减 {change.value:g}），增长 {c.value:g}% 无从计算"
    return None


def _share(c: Claim, before: list[Claim], engine) -> tuple[str, str] | None:
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


def relation(engine, rule: Rule, claims: list[Claim]) -> list[Finding]:
    """Two figures the narrative states, compared (part ≤ whole): found by a pattern
    on the words before them, in a section whose heading matches `section`."""
    section = rule.params["section"]
    mine = [c for c in claims if c.kind == "amount" and c.value is not None and re.search(section, flat(c.section))]

    def pick(pattern: str) -> Claim | None:
        return next((c for c in mine if re.search(pattern, flat(c.subject))), None)

    lhs, rhs = pick(rule.params["lhs"]), pick(rule.params["rhs"])
    if lhs is None or rhs is None:
        return []
    engine.checks += 1
    op = rule.params.get("op", "<=")
    if OPS[op](lhs.value, rhs.value):
        return []
    return [finding(rule, rule.params.get("severity", "warning"), lhs.section, f"{lhs.subject} {lhs.value:g} 万元"
                    f"{'>' if op == '<=' else '<'} {rhs.subject} {rhs.value:g} 万元：“{lhs.text}”",
                    f"{lhs.line or lhs.page}", tables=("NARR",), line=lhs.line, page=lhs.page,
                    expected=rhs.value, actual=lhs.value)]


def performance_summary(engine, rule: Rule, claims: list[Claim]) -> list[Finding]:
    """The self-evaluation summary: projects = Σ per grade; grades from the profile's
    vocabulary; 涉及资金 not above the department's project spending (公开03表)."""
    report, profile = engine.report, profile_for(engine.report, engine.params)
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
            engine.checks += 1
            if sum(n for _, n in grades) != count:
                out.append(finding(rule, "error", where, f"绩效自评项目 {count} 个，各等级项目合计 "
                                   f"{sum(n for _, n in grades)} 个", f"count:{p.line or p.page}", tables=("PERF",),
                                   line=p.line, page=p.page, expected=float(count),
                                   actual=float(sum(n for _, n in grades))))
            odd = [g for g, _ in grades if g not in profile["grades"]]
            engine.checks += 1
            if odd:
                out.append(finding(rule, "warning", where, f"评级“{'、'.join(odd)}”不在{profile['title']}的等级"
                                   f"（{'/'.join(profile['grades'])}）之中", f"grade:{p.line or p.page}",
                                   tables=("PERF",), line=p.line, page=p.page))
        out += _funds(engine, rule, m, where, p)
    return out


def _funds(engine, rule: Rule, m: re.Match, where: str, p: Paragraph) -> list[Finding]:
    if not m.groupdict().get("funds"):
        return []
    side = engine.side(rule.params["spending"], False)
    if not side.printed:
        return []
    engine.checks += 1
    funds = float(m.group("funds"))
    if funds <= side.value + side.tolerance + 1e-9:
        return []
    return [finding(rule, "warning", where, f"绩效自评涉及资金 {funds:g} 万元，超过公开03表 项目支出合计 "
                    f"{side.value:,.2f} 万元", f"funds:{p.line or p.page}", tables=("PERF", "T03"), line=p.line,
                    page=p.page, expected=round(side.value, 2), actual=funds)]


CHECKS: dict[str, Callable[..., list[Finding]]] = {
    "tables": tables, "empty_tables": empty_tables, "sections": sections, "glossary": glossary,
    "three_public": three_public, "reasons": reasons, "timeliness": timeliness, "template": template,
    "part_headings": part_headings, "zero_base": zero_base, "relation": relation,
    "performance_summary": performance_summary,
}
