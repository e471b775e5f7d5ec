"""The findings for people at a terminal (`auditlib check --format text`): by severity, then
table, each with where and what, opened by the counts and the narrative coverage and closed
by the reader's notes (读取说明)."""

from __future__ import annotations

from auditlib.model import Report
from auditlib.names import INPUT_ZH, SEVERITY_ZH, table_heading, table_name
from auditlib.rules.findings import CheckResult, Finding, Judged


def _fmt(v) -> str:
    if v is None:
        return "—"
    if isinstance(v, float):
        return f"{v:,.2f}"
    return str(v)


def summary_line(result: CheckResult) -> str:
    """The counts every summary gives, info findings included."""
    return (f"执行审核规则 {result.checks_run} 项，发现问题 {len(result.findings)} 条："
            f"错误 {result.errors}，警告 {result.warnings}，信息 {result.count('info')}")


def render_text(result: CheckResult) -> str:
    """For people at a terminal: errors, then warnings, then infos, each by table, each finding
    with where and what; the reader's notes (读取说明) last."""
    r = result.report
    out = [result.completeness_line] if result.completeness_line else []
    kind = INPUT_ZH.get(r.input_kind, r.input_kind) + (f"，编码 {r.encoding.upper()}" if r.encoding else "")
    out += [f"{r.department or '（未识别部门）'} {r.year or ''} 年度部门{r.kind}（{kind}：{'、'.join(r.paths)}）",
            summary_line(result),
            "情况说明与绩效中的数字：找到 {found} 处，对应到表中单元格 {mapped} 处，已核对 {checked} 处".format(
                **result.coverage), *_unchecked_reasons(result.claims)]
    out += [f"未运行 {n['id']}：{n['rule']}（{n['reason']}）" for n in result.not_run] + [""]
    for severity, found in _by_severity(result).items():
        under = sum(1 for _, cause in found if cause)  # symptoms listed under their cause, whatever their severity
        out.append(f"== {SEVERITY_ZH.get(severity, severity)}（{len(found) - under} 条"
                   f"{f'，其下另列由此引起的 {under} 条' if under else ''}）")
        table = None
        for f, cause in found:
            if not cause and f.tables[0] != table:
                table = f.tables[0]
                t = r.tables.get(table)  # a budget's table (B01 …) by its printed title alone
                out.append(f"-- {table_heading(t, r.department) if t and t.title else table_name(r, table)}")
            out += _finding_lines(f, "      ↳ 由此引起 " if cause else "  ", r)
        out.append("")
    return "\n".join(out + reading_notes_lines(r)) + "\n"


def _by_severity(result: CheckResult) -> dict[str, list[tuple[Finding, Finding | None]]]:
    """The contract's order (severity, then table) cut at each severity; a symptom stays
    under its cause, whatever its own severity."""
    groups: dict[str, list[tuple[Finding, Finding | None]]] = {}
    severity = None
    for f, cause in result.grouped():
        severity = severity if cause else f.severity
        groups.setdefault(severity, []).append((f, cause))
    return groups


def reading_notes_lines(report: Report) -> list[str]:
    """读取说明: what the reader noticed and how it read on, one line a note (none: nothing)."""
    notes = report.reading_notes
    if not notes:
        return []
    places = [" ".join(x for x in (table_name(report, n.table), report.where(n.page, n.line)) if x) for n in notes]
    return [f"== 读取说明（{len(notes)} 条，不是审核发现）"] + [
        f"  {place}：{n.note}" for place, n in zip(places, notes)] + [""]


def _finding_lines(f: Finding, lead: str, report: Report) -> list[str]:
    """One finding: where, what, the numbers, the rule; a symptom indented under its cause."""
    pad = " " * (len(lead) + 7 if lead.strip() else 9)
    where = report.where(f.page, f.line)
    out = [f"{lead}[{SEVERITY_ZH.get(f.severity, f.severity)}] {f.location}  {where}", f"{pad}{f.message}"]
    if f.expected is not None or f.actual is not None:
        diff = f"  差额 {_fmt(f.difference)}" if f.difference is not None else ""
        out.append(f"{pad}应为 {_fmt(f.expected)}  列示 {_fmt(f.actual)}{diff}")
    out.append(f"{pad}规则 {f.id}：{f.rule}")
    return out


def _unchecked_reasons(claims: list[Judged]) -> list[str]:
    """One line: how many claims stay unchecked for each reason (未核对：无方向词 3 …)."""
    counts: dict[str, int] = {}
    for c in claims:
        if c.verdict == "unchecked":
            counts[c.reason or "未说明"] = counts.get(c.reason or "未说明", 0) + 1
    if not counts:
        return []
    return ["未核对：" + "，".join(f"{r} {n}" for r, n in sorted(counts.items(), key=lambda x: -x[1]))]
