"""The engine's consistency checks: document-wide facts that are not arithmetic.

A catalog entry of kind `consistency` names one of these by `check:`; the
catalog decides which run and how they are titled.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Callable

from auditlib.model import Report, Table
from auditlib.names import STATUS_ZH
from auditlib.rules.rule import Rule
from auditlib.rules.context import Context
from auditlib.rules.findings import Finding, finding
from auditlib.rules.rule import Check, table_rules
from auditlib.kinds import FINAL, spec_of
from auditlib.rules.profile import profile_for
from auditlib.schema import SPECS, department_key

PLACEHOLDER = r"[Xx×＊*]{2,}|某|XXX|＿|_{2,}"  # META.department's `placeholder` when its params give none
MONEY_UNITS = ("万元", "元")


def _finding(rule: Rule, severity: str, table: Table | None, where: str, expected, actual, message: str,
             key: str) -> Finding:
    """A finding placed on a table (its page and line) or on the document (META)."""
    return finding(rule, severity, where, message, key, tables=(table.code if table else "META",),
                   page=table.page if table else None, line=table.line if table else None,
                   expected=expected, actual=actual, difference=None)


def _present(report: Report) -> list[Table]:
    return [t for t in report.tables.values() if t.status != "missing"]


def department(report: Report, rule: Rule) -> list[Finding]:
    """Every 编制单位 is this department: not another one, not a placeholder.  A name that is
    the start of the department's may be one read in part (wrapped in its cell, the rest not
    found: ingest/wrapped_name notes it), so it is never an error; ending like a body's name
    (`body_end`: 南昌市财政局 in 南昌市财政局国库支付中心's report), it may be the parent's: a warning."""
    out = []
    placeholder = re.compile(rule.params.get("placeholder", PLACEHOLDER))
    body_end = re.compile(rule.params.get("body_end", "$^"))
    own = department_key(report.department)
    printed = [(t, t.department, f"{t.label or t.title} 编制单位") for t in _present(report) if t.department]
    if report.sections_department:
        printed.append((None, report.sections_department, "部门决算表 标题"))
    for table, name, where in printed:
        if placeholder.search(name):
            expected = None if placeholder.search(report.department or "") else report.department
            out.append(_finding(rule, "error", table, where, expected, name,
                                f"{where}是占位符“{name}”（未填写部门名称）", where))
        elif own and not own.startswith(department_key(name)):
            out.append(_finding(rule, "error", table, where, report.department, name,
                                f"{where}为“{name}”，本报告部门为“{report.department}”", where))
        elif own and department_key(name) != own and body_end.search(department_key(name)):
            out.append(_finding(rule, "warning", table, where, report.department, name,
                                f"{where}为“{name}”，是本报告部门“{report.department}”名称的开头："
                                "可能是上级单位的名称，也可能是折行未读全，请核对", where))
    return out


def year(report: Report, rule: Rule) -> list[Finding]:
    """Every table's 年度 is the report's year."""
    return [
        _finding(rule, "error", t, f"{t.label or t.title} 年度", report.year, t.year,
                 f"{t.label or t.title} 标注 {t.year} 年度，报告为 {report.year} 年度", t.code)
        for t in _present(report) if t.year and report.year and t.year != report.year
    ]


def unit(report: Report, rule: Rule) -> list[Finding]:
    """One money unit across tables; a table in 元 is compared after conversion."""
    out = []
    for t in _present(report):
        if t.code == "T10" or not t.unit or t.unit == report.unit:
            continue
        severity = "warning" if t.unit in MONEY_UNITS else "error"
        note = "，已换算为万元后核对" if t.unit == "元" else ""
        out.append(_finding(rule, severity, t, f"{t.label or t.title} 金额单位", report.unit, t.unit,
                            f"{t.label or t.title} 金额单位为“{t.unit}”，其他表为“{report.unit}”{note}", t.code))
    return out


def code_name(report: Report, rule: Rule) -> list[Finding]:
    """The same function code carries the same name in every table.  Only tables read count
    (an unread table's rows are guesses), a name not read is no name, and a name that is the
    start of another is the same name cut short (wrapped in a narrow cell, its end lost)."""
    names: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for t in _present(report):
        if SPECS[t.code].kind != "hierarchy" or not len(t.data) or not t.readable:
            continue
        for code, name in zip(t.data["code"], t.data["name"]):
            if code and re.sub(r"\s+", "", name or ""):
                names[code][re.sub(r"\s+", "", name)].append(t.code)
    out = []
    for code, printed in names.items():
        variants = _whole_names(printed)
        if len(variants) > 1:
            listed = "；".join(f"{'、'.join(f'公开{t[1:]}表' for t in tabs)}：{name}" for name, tabs in variants.items())
            first = report.tables[next(iter(variants.values()))[0]]
            finding = _finding(rule, "warning", None, f"科目 {code}", None, None,
                               f"科目 {code} 在各表中名称不一致（{listed}）", code)
            row = first.where(first.data.index[first.data["code"] == code][0])  # its own page, not the table's first
            finding.page, finding.line = row["page"], row["line"]
            out.append(finding)
    return out


def _whole_names(printed: dict[str, list[str]]) -> dict[str, list[str]]:
    """The names of one code with each name that starts another counted as that one."""
    whole: dict[str, list[str]] = {}
    for name, tables in sorted(printed.items(), key=lambda item: -len(item[0])):
        longer = next((w for w in whole if w.startswith(name)), name)
        whole.setdefault(longer, []).extend(t for t in tables if t not in whole.get(longer, []))
    return whole


_LEVEL_DIGITS = {"类": 3, "款": 5, "项": 7}


def _orphans(table: Table) -> list[tuple[str, str, str, str | None]]:
    """(code, name, key, suggested code) of each 款/项 of a coded table whose code does not begin
    with a 类/款 printed in it (or is short of its level's digits): the code its place suggests is
    the 款 (or 类) printed above it followed by the row's own last two digits (7 | 11 | 02 printed
    as a 项 under 21011 → 2101102)."""
    data = table.data
    levels = data["level"] if "level" in data else [""] * len(data)
    rows = [(str(c), str(n), str(k), _LEVEL_DIGITS.get(str(lv), len(str(c))))
            for k, c, n, lv in zip(data.index, data["code"], data["name"], levels) if c]
    printed = {c for c, _n, _k, _d in rows}
    out, above = [], {}
    for code, name, key, digits in rows:
        parent = above.get(digits - 2)
        if digits > 3 and (len(code) != digits or code[:-2] not in printed) and any(len(c) == digits - 2 for c in printed):
            out.append((code, name, key, parent + code[-2:] if parent else None))
        above[digits] = code
    return out


def code_parent(report: Report, rule: Rule) -> list[Finding]:
    """A 款 or 项 code that begins with no 类/款 printed in its table is misprinted (福利院 2024
    prints 事业单位医疗 as 7 | 11 | 02): one finding per code and name, naming every table that
    prints it, the code its place suggests and where another table prints that code."""
    seen: dict[tuple[str, str], list[tuple[Table, str, str | None]]] = defaultdict(list)
    for t in _present(report):
        if spec_of(t.code).kind == "hierarchy" and len(t.data) and "code" in t.data:
            for code, name, key, suggested in _orphans(t):
                seen[(code, name)].append((t, key, suggested))
    out = []
    for (code, name), places in seen.items():
        first, key, suggested = places[0]
        where = "、".join(t.title or t.code for t, _k, _s in places)
        message = f"科目编码“{code}”（{name}）没有上级科目：{where} 中没有以“{code[:-2]}”编码的科目"
        if suggested:
            elsewhere = [t.title or t.code for t in _present(report) if t.has(suggested) and
                         re.sub(r"\s+", "", str(t.data.at[suggested, "name"])) == re.sub(r"\s+", "", name)]
            message += f"；按所在位置应为“{suggested}”" + (f"（{'、'.join(elsewhere)} 印作 {suggested}）" if elsewhere else "")
        f = _finding(rule, "error", first, f"科目 {code} {name}", suggested, code, message, f"{code}:{name}")
        f.tables = [t.code for t, _k, _s in places]
        f.page, f.line = first.where(key)["page"], first.where(key)["line"]
        out.append(f)
    return out


def tables_present(ctx: Context, rule: Rule) -> list[Finding]:
    """Absent or cut-off tables, and parts of the document that could not be read.  What
    the reader merely noticed (`Table.reading_notes`) is no finding: the reports list it
    apart, under 读取说明.  A missing table is weighed by the profile the completeness checks
    use (an explicit --profile too): else one table would be required there and not here."""
    ctx.checks += 1
    report, out = ctx.report, []
    layout = profile_for(report, ctx.params) if report.kind == FINAL else None
    for t in report.tables.values():
        name = f"公开{t.code[1:]}表 {SPECS[t.code].title}" if t.code in SPECS else (t.title or spec_of(t.code).title)
        if t.status == "missing":
            # some regions publish nine tables (公开10表), 云南 its own in place of 公开05/07表
            regional = layout is not None and (t.code not in layout["tables"] or t.code in layout.get("optional_tables", ()))
            why = f"：{'；'.join(t.problems)}" if t.problems else " 未在文件中找到"
            out.append(_finding(rule, "info" if regional else "warning", t if t.problems else None, name, None,
                                STATUS_ZH["missing"], name + why + (f"（{layout['title']}不要求此表）" if regional else ""),
                                t.code))
        elif t.status == "partial":
            out.append(_finding(rule, "warning", t, name, None, STATUS_ZH["partial"],
                                f"{name} 不完整：{'；'.join(t.problems)}", t.code))
    for other in report.others:
        f = _finding(rule, "info", None, other.title, None, None,
                     f"另印有“{other.title}”，不在公开01–10表之列：未读取、未核对", other.title)
        f.page, f.line = other.page, other.line
        out.append(f)
    for problem in report.problems:
        out.append(_finding(rule, "warning", None, "文件", None, None, problem, problem))
    return out


def table_read(report: Report, rule: Rule) -> list[Finding]:
    """An `unread` table: its rules were skipped, so this is an error of the reading
    (the document was not fully checked), named with what was seen under the title."""
    out = []
    for t in report.tables.values():
        if t.status != "unread":
            continue
        name = f"公开{t.code[1:]}表 {SPECS[t.code].title}" if t.code in SPECS else (t.title or spec_of(t.code).title)
        seen, read = t.coverage.get("figures", 0), t.coverage.get("amounts", 0)
        page = report.where(t.page, t.line, spaced=False)
        what = (f"未能完整读取：表下印有 {seen} 个金额，只读出 {read} 个（{t.coverage.get('rows', 0)} 行）" if seen
                else f"未能读取：{t.problems[-1] if t.problems else '行无法确定'}")  # no figure under it (a template)
        finding = _finding(rule, "error", t, name, seen, read,
                           f"{name}（{page}）{what}；本表的审核规则未执行，须人工核对", t.code)
        finding.tables = [t.code]
        out.append(finding)
    return out


def kind_rules(ctx: Context, rule: Rule) -> list[Finding]:
    """A document of a kind for which the catalog in use holds no table rule (every budget rule
    switched off by an auditor's file): one info line that says what was read and that nothing
    was checked — never silence, never a 决算 rule's error."""
    ctx.checks += 1
    report = ctx.report
    if table_rules(ctx.rules.values(), report.kind):
        return []
    read = [t for t in report.tables.values() if t.status != "missing"]
    figures = sum(len(t.amounts()) for t in read)
    message = (f"本文件为部门{report.kind}：已读取 {len(read)} 张{report.kind}表（{figures} 个金额），"
               f"所用规则目录中没有适用于{report.kind}的表格审核规则，未作任何核对（no table rule of the "
               f"catalog applies to a {report.kind}: nothing was checked）")
    return [_finding(rule, "info", None, "文件", None, None, message, report.kind)]


def _counted(fn: Callable[[Report, Rule], list[Finding]]) -> Callable[[Context, Rule], list[Finding]]:
    """A document-wide check is one check, whatever it finds."""
    def run(ctx: Context, rule: Rule) -> list[Finding]:
        ctx.checks += 1
        return fn(ctx.report, rule)
    return run


# what this family contributes to the registry (auditlib.rules.registry)
CHECKS = (*(Check(fn.__name__, _counted(fn)) for fn in (department, year, unit, code_name, code_parent, table_read)),
          Check("tables_present", tables_present), Check("kind_rules", kind_rules))
