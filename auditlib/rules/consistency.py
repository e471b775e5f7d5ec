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
from auditlib.rules.rule import Check
from auditlib.kinds import spec_of
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
    """Every 编制单位 is this department: not another one, not a placeholder."""
    out = []
    placeholder = re.compile(rule.params.get("placeholder", PLACEHOLDER))
    own = department_key(report.department)
    printed = [(t, t.department, f"{t.label or t.title} 编制单位") for t in _present(report) if t.department]
    if report.sections_department:
        printed.append((None, report.sections_department, "部门决算表 标题"))
    for table, name, where in printed:
        if placeholder.search(name):
            expected = None if placeholder.search(report.department or "") else report.department
            out.append(_finding(rule, "error", table, where, expected, name,
                                f"{where}是占位符“{name}”（未填写部门名称）", where))
        elif own and department_key(name) != own:
            out.append(_finding(rule, "error", table, where, report.department, name,
                                f"{where}为“{name}”，本报告部门为“{report.department}”", where))
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
    """The same function code carries the same name in every table."""
    names: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for t in _present(report):
        if SPECS[t.code].kind != "hierarchy" or not len(t.data):
            continue
        for code, name in zip(t.data["code"], t.data["name"]):
            if code:
                names[code][re.sub(r"\s+", "", name)].append(t.code)
    out = []
    for code, variants in names.items():
        if len(variants) > 1:
            listed = "；".join(f"{'、'.join(f'公开{t[1:]}表' for t in tabs)}：{name}" for name, tabs in variants.items())
            first = report.tables[next(iter(variants.values()))[0]]
            finding = _finding(rule, "warning", None, f"科目 {code}", None, None,
                               f"科目 {code} 在各表中名称不一致（{listed}）", code)
            row = first.where(first.data.index[first.data["code"] == code][0])  # its own page, not the table's first
            finding.page, finding.line = row["page"], row["line"]
            out.append(finding)
    return out


def tables_present(report: Report, rule: Rule) -> list[Finding]:
    """Absent or cut-off tables, and parts of the document that could not be read.  What
    the reader merely noticed (`Table.reading_notes`) is no finding: the reports list it
    apart, under 读取说明."""
    out = []
    for t in report.tables.values():
        name = f"公开{t.code[1:]}表 {SPECS[t.code].title}" if t.code in SPECS else (t.title or spec_of(t.code).title)
        if t.status == "missing":
            regional = t.code == "T10"  # some regions publish nine tables
            why = f"：{'；'.join(t.problems)}" if t.problems else " 未在文件中找到"
            out.append(_finding(rule, "info" if regional else "warning", t if t.problems else None, name, None,
                                STATUS_ZH["missing"], name + why + ("（部分地区只公开九张表）" if regional else ""), t.code))
        elif t.status == "partial":
            out.append(_finding(rule, "warning", t, name, None, STATUS_ZH["partial"],
                                f"{name} 不完整：{'；'.join(t.problems)}", t.code))
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
        page = f"第{t.page}页" if t.page else (f"第{t.line}行" if t.line else "")
        what = (f"未能完整读取：表下印有 {seen} 个金额，只读出 {read} 个（{t.coverage.get('rows', 0)} 行）" if seen
                else f"未能读取：{t.problems[-1] if t.problems else '行无法确定'}")  # no figure under it (a template)
        finding = _finding(rule, "error", t, name, seen, read,
                           f"{name}（{page}）{what}；本表的审核规则未执行，须人工核对", t.code)
        finding.tables = [t.code]
        out.append(finding)
    return out


def kind_rules(report: Report, rule: Rule) -> list[Finding]:
    """A document of a kind whose rules are not in the catalog yet (部门预算): one info line that
    says what was read and that nothing was checked — never silence, never a 决算 rule's error."""
    read = [t for t in report.tables.values() if t.status != "missing"]
    figures = sum(len(t.amounts()) for t in read)
    message = (f"本文件为部门{report.kind}：已读取 {len(read)} 张{report.kind}表（{figures} 个金额），"
               f"{report.kind}表的勾稽关系规则尚未编入规则目录，表内未作核对，只核对了说明与表格（NARR）"
               f"（the {report.kind} table identities are not in the catalog yet: only the narrative was "
               f"checked against the tables）")
    return [_finding(rule, "info", None, "文件", None, None, message, report.kind)]


def _counted(fn: Callable[[Report, Rule], list[Finding]]) -> Callable[[Context, Rule], list[Finding]]:
    """A document-wide check is one check, whatever it finds."""
    def run(ctx: Context, rule: Rule) -> list[Finding]:
        ctx.checks += 1
        return fn(ctx.report, rule)
    return run


# what this family contributes to the registry (auditlib.rules.registry)
CHECKS = tuple(Check(fn.__name__, _counted(fn)) for fn in (department, year, unit, code_name, tables_present, table_read,
                                                             kind_rules))
