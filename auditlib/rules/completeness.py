"""What a disclosure must contain (完整性) and wording left from the template.

Official reviews of 预决算公开 (财预〔2016〕143号《地方预决算公开操作规程》; 基层政务公开标准
目录 财政预决算领域) judge 及时性, 完整性 and 细化程度 more than arithmetic: empty tables with no
statement, missing sections, 三公 not broken down, template wording left in.  What a layout
requires is a *profile* (rules/profiles/*.yaml, data); each check here is a catalog entry of kind
`completeness` naming it by `check:`.  A check that cannot run here is listed by `Context.skip`,
never counted as passed.  The checks over the narrative's figures are in rules/prose/judged.py.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import reduce

from auditlib.kinds import FINAL, kind_named, spec_of
from auditlib.names import STATUS_ZH, table_name
from auditlib.rules.rule import Rule
from auditlib.rules.context import Context
from auditlib.rules.findings import Finding, finding
from auditlib.rules.profile import flat, headings, label, profile_for, prose, section_text
from auditlib.rules.rule import Check
from auditlib.schema import department_key, title_key


def tables(ctx: Context, rule: Rule) -> list[Finding]:
    """Every table the profile requires, in its order.  A table the reader did not find
    is an error only when its title is printed at most once (the 目录): otherwise it is
    there but unread, which META.tables_present reports."""
    report, profile = ctx.report, profile_for(ctx.report, ctx.params)
    out = []
    text = [title_key(flat(line.text)) for line in report.lines]
    for code in profile["tables"]:
        ctx.checks += 1
        if report.tables[code].status != "missing" or code in profile.get("optional_tables", ()):
            continue
        if _printings(text, code, kind_named(report.kind).titles) <= 1:
            name = label(code, report)
            out.append(finding(rule, "error", name, f"{name} 未公开（{profile['title']}要求公开此表）",
                               code, actual=STATUS_ZH["missing"]))
    printed = {t.title for t in report.others}
    for item in profile.get("other_tables", ()):
        ctx.checks += 1
        choices = [item] if isinstance(item, str) else item  # a list: any one of them
        if not printed & set(choices):
            name = "或".join(f"“{c}”" for c in choices)
            out.append(finding(rule, "error", choices[0], f"{name} 未公开（{profile['title']}要求公开此表）",
                               choices[0], actual=STATUS_ZH["missing"]))
    if profile.get("ordered", True):
        out += _order(ctx, rule, [c for c in profile["tables"] if report.tables[c].status != "missing"])
    return out


def _printings(text: list[str], code: str, titles: dict[str, str]) -> int:
    """The lines (title keys) that print table `code`'s title — but not as a piece of
    another table's longer title (支出决算表 in 一般公共预算财政拨款支出决算表, 收入支出决算表
    in 政府性基金预算财政拨款收入支出决算表)."""
    mine = [title_key(t) for t in spec_of(code).titles]
    longer = sorted((t for t, other in titles.items() if other != code and any(m in t for m in mine)), key=len, reverse=True)
    return sum(any(m in reduce(lambda rest, t: rest.replace(t, ""), longer, line) for m in mine) for line in text)


def _order(ctx: Context, rule: Rule, present: list[str]) -> list[Finding]:
    """The tables present in the profile's order (a warning when printed otherwise)."""
    report = ctx.report
    place = {c: (report.tables[c].page or 0, report.tables[c].line or 0) for c in present}
    printed_order = sorted(present, key=lambda c: place[c])
    ctx.checks += 1
    if printed_order == present:
        return []
    shown = "、".join(table_name(report, c) for c in printed_order)
    where = "部门决算表 顺序" if report.kind == FINAL else f"部门{report.kind}表 顺序"
    return [finding(rule, "warning", where, f"各表未按规定顺序排列：实际顺序为 {shown}", "order")]


def empty_tables(ctx: Context, rule: Rule) -> list[Finding]:
    """An empty table says the department has no such funds (under it or in the
    narrative); a table with figures says no such thing."""
    report, profile = ctx.report, profile_for(ctx.report, ctx.params)
    narrative = flat(" ".join(p.text for p in prose(report)))
    out = []
    for code in profile["tables"]:
        table, name = report.tables[code], label(code, report)
        notes = flat(" ".join(table.notes))
        stated = re.search(profile["empty_statement"], notes)
        if table.status == "empty" and code not in profile["may_be_empty"]:
            ctx.checks += 1
            out.append(finding(rule, "warning", name, f"{name} 没有数据（未填列，或未能读取）", code,
                               tables=(code,), line=table.line, page=table.page))
        elif table.status == "empty":
            ctx.checks += 1
            said = stated or re.search(profile["empty_conditional"], notes) or (
                code in profile["empty_in_narrative"] and re.search(profile["empty_in_narrative"][code], narrative))
            if not said:
                out.append(finding(rule, "error", name,
                                   f"{name} 为空表，但表下和情况说明中都没有说明本部门无此项收支（故本表无数据）",
                                   code, tables=(code,), line=table.line, page=table.page))
        elif table.status == "parsed" and stated:
            ctx.checks += 1
            if any(abs(v) > 0 for v in table.amounts()):
                out.append(finding(rule, "error", name, f"{name} 列有数据，表下却说明“{stated.group(0)}”", code,
                                   tables=(code,), line=table.line, page=table.page))
    return out


def sections(ctx: Context, rule: Rule) -> list[Finding]:
    """The narrative sections the profile requires (a zero item is stated as zero,
    "无…支出", not left out)."""
    report, profile = ctx.report, profile_for(ctx.report, ctx.params)
    seen = headings(report)
    if not seen:
        ctx.skip(rule, "未读到第三部分 情况说明")
        return []
    out = []
    for section in profile["sections"]:
        ctx.checks += 1
        if not any(re.search(section["pattern"], h) for h in seen):
            out.append(finding(rule, "error", "第三部分 情况说明", f"情况说明缺少“{section['name']}”部分",
                               section["name"], tables=("NARR",)))
    return out


def glossary(ctx: Context, rule: Rule) -> list[Finding]:
    """第四部分 名词解释 with the terms the profile requires (the last such heading:
    the first one is the 目录)."""
    report, profile = ctx.report, profile_for(ctx.report, ctx.params)
    texts = [flat(line.text) for line in report.lines]
    starts = [i for i, t in enumerate(texts) if re.match(r"^(第[一二三四五六]部分|[一二三四五六七八九十]+[、.．])?(专业)?名词解释$", t)]
    ctx.checks += 1
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
        ctx.checks += 1
        missing = [t for t in terms if flat(t) not in text]
        if missing:
            out.append(finding(rule, severity, "第四部分 名词解释", f"名词解释未解释：{'、'.join(missing)}",
                               severity, line=head.line, page=head.page))
    return out


# an item the narrative leaves out: printed in 公开07表, printed nowhere, or 公开07表 unread (a
# warning: whether the table prints it is not known, so nothing certain to call an error)
THREE_PUBLIC_SEVERITY = {"warning": "warning", "error": "error", "unread": "warning"}
THREE_PUBLIC_NOTE = {"warning": "（公开07表已列示）", "error": "（公开07表也未列示）",
                     "unread": "（公开07表未能读取，无法核对表中是否列示）"}


def three_public(ctx: Context, rule: Rule) -> list[Finding]:
    """三公 broken down even when zero (143号: 团组数及人数, 购置数及保有量, 接待批次、人数).
    An item the narrative leaves out but 公开07表 prints is a warning; printed nowhere, an error;
    with 公开07表 unread, a warning that says so (the table may print it)."""
    report, profile = ctx.report, profile_for(ctx.report, ctx.params)
    paragraphs = section_text(report, "三公")
    if not paragraphs:
        ctx.skip(rule, "情况说明中没有“三公”经费部分")
        return []
    text = "".join(flat(p.text) for p in paragraphs)
    ctx.checks += 1
    if re.search(profile["three_public_none"], text):
        return []
    t07 = report.tables["T07"]
    missing: dict[str, list[str]] = {"error": [], "warning": [], "unread": []}
    for item in profile["three_public"]:
        ctx.checks += 1
        if not re.search(item["pattern"], text):
            in_table = any(t07.value(r, "actual") is not None for r in item["rows"])
            missing["unread" if t07.status == "unread" else "warning" if in_table else "error"].append(item["name"])
    first = paragraphs[0]
    return [finding(rule, THREE_PUBLIC_SEVERITY[how], first.headings[0] if first.headings else "三公经费",
                    f"“三公”经费说明未列明：{'、'.join(names)}{THREE_PUBLIC_NOTE[how]}", how, tables=("NARR",),
                    line=first.line, page=first.page)
            for how, names in missing.items() if names]


def timeliness(ctx: Context, rule: Rule) -> list[Finding]:
    """Published within N days of approval (143号: 部门决算 批复后 20 日内公开)."""
    days = profile_for(ctx.report, ctx.params).get("publish_within_days", 20)
    try:
        published, approved = (_date(ctx.params.get(k)) for k in ("published_on", "approved_on"))
    except ValueError as exc:
        ctx.skip(rule, f"日期无法识别：{exc}")
        return []
    if published is None or approved is None:
        ctx.skip(rule, "未提供 published_on（公开日期）和 approved_on（批复日期）")
        return []
    ctx.checks += 1
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
def template(ctx: Context, rule: Rule) -> list[Finding]:
    """Template wording anywhere in the document: alternatives left unresolved
    (增加（减少）), placeholders (XX局, XXX 万元), instructions to the compiler
    (（如持平作持平表述）).  The lines are joined so a phrase cut by a line break is
    still found; each finding is placed on the line where the phrase starts."""
    report = ctx.report
    patterns = [(p["name"], re.compile(p["pattern"])) for p in rule.params["patterns"]]
    text, starts = "", []
    for line in report.lines:
        starts.append(len(text))
        text += flat(line.text)
    hits: dict[int, list[str]] = {}
    for name, pattern in patterns:
        ctx.checks += 1
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


def part_headings(ctx: Context, rule: Rule) -> list[Finding]:
    """第一/二/三部分 headings (and their 目录 lines) name the report's year and
    department (a heading copied from another report or year)."""
    report = ctx.report
    own = department_key(report.department)
    out = []
    for line in report.lines:
        text = flat(line.text)
        # a 单位决算 (a unit's own, 四川 and others) heads its parts 单位概况, 单位决算情况说明
        m = re.match(r"^第([一二三四五六])部分(.*?)(?:(\d{4})年度?)?((?:部门|单位)?概况|(?:部门|单位)决算)", text)
        if not m:
            continue
        ctx.checks += 1
        year, name = m.group(3), m.group(2)
        where = f"第{m.group(1)}部分 标题"
        if year and report.year and int(year) != report.year:
            out.append(finding(rule, "error", where, f"{where}为 {year} 年度，报告为 {report.year} 年度：“{line.text}”",
                               f"year:{line.line or line.page}", line=line.line, page=line.page,
                               expected=report.year, actual=int(year)))
        if name and own and not re.search(r"[Xx]{2,}", name) and not _own_name(department_key(name), own):
            out.append(finding(rule, "error", where, f"{where}的部门为“{name}”，本报告为“{report.department}”",
                               f"name:{line.line or line.page}", line=line.line, page=line.page,
                               expected=report.department, actual=name))
    return out


def _own_name(name: str, own: str) -> bool:
    """Whether a heading names the report's own department: its full name, or the name less
    the place before it (南漳县招商服务中心 heads its parts 县招商服务中心 or 招商服务中心, as its
    published pages do) — another department's name differs in what is left."""
    if name == own:
        return True
    place = own[: len(own) - len(name)]
    return own.endswith(name) and len(name) >= 3 and (name[0] in PLACE_LEVELS or place[-1:] in PLACE_LEVELS)


PLACE_LEVELS = "省市县区州旗盟镇乡"

# what this family contributes to the registry (auditlib.rules.registry)
CHECKS = (Check("tables", tables), Check("empty_tables", empty_tables), Check("sections", sections), Check("glossary", glossary), Check("three_public", three_public), Check("timeliness", timeliness), Check("template", template), Check("part_headings", part_headings))
