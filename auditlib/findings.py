"""Findings and their renderings (docs/findings-contract.md)."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass, field

from auditlib.report.export import document_meta
from auditlib.model import Claim, Report
from auditlib.names import INPUT_ZH, SEVERITY_ZH, TABLE_NAMES

SEVERITIES = ("error", "warning", "info")


@dataclass
class Finding:
    """One result of one rule at one place, as the contract shapes it."""

    id: str
    rule: str
    severity: str
    tables: list[str]
    location: str
    page: int | None
    expected: float | str | None
    actual: float | str | None
    difference: float | None
    message: str
    line: int | None = None
    key: str = ""  # unique within a report: rule id @ place, for triage
    cells: list[dict] = field(default_factory=list)  # every cell compared: table, row, column, value


@dataclass
class CheckResult:
    report: Report
    findings: list[Finding]
    checks_run: int
    claims: list[Claim] = field(default_factory=list)  # narrative and performance figures
    not_run: list[dict] = field(default_factory=list)  # checks that could not run: id, rule, reason

    @property
    def coverage(self) -> dict[str, int]:
        """Claims found / mapped to a table cell / checked (ok or mismatch)."""
        return {"found": len(self.claims), "mapped": sum(c.target is not None for c in self.claims),
                "checked": sum(c.verdict != "unchecked" for c in self.claims)}

    @property
    def unread(self) -> list[str]:
        """Codes of the tables that were found but could not be read (checks not run)."""
        return [t.code for t in self.report.tables.values() if t.status == "unread"]

    @property
    def completeness_line(self) -> str | None:
        """The warning that must open every summary of a document not fully checked."""
        if not self.unread:
            return None
        names = "、".join(f"公开{c[1:]}表" for c in self.unread)
        return (f"注意：本文件未完整审核——{names} 已找到但未能读取，其审核规则未执行"
                f"（共 {len(self.unread)} 张表，见 READ.table）")

    @property
    def errors(self) -> int:
        return sum(f.severity == "error" for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(f.severity == "warning" for f in self.findings)

    def to_json(self) -> dict:
        return _plain(self._json())

    def _json(self) -> dict:
        r = self.report
        return {
            "document": document_meta(r),
            "tables": [
                {"code": t.code, "title": t.title, "page": t.page, "line": t.line, "rows": len(t.data),
                 "status": t.status, "coverage": t.coverage}
                for t in r.tables.values()
            ],
            "findings": [asdict(f) for f in self.findings],
            "claims": [asdict(c) for c in self.claims],
            "summary": {"fully_checked": not self.unread, "unread_tables": self.unread,
                        "checks_run": self.checks_run, "errors": self.errors, "warnings": self.warnings,
                        "infos": sum(f.severity == "info" for f in self.findings),
                        "claims": self.coverage, "not_run": len(self.not_run)},
            "not_run": self.not_run,
        }


def _plain(value):
    """Plain JSON values: numpy scalars (from pandas cells) become Python numbers."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    return value


def _fmt(v) -> str:
    if v is None:
        return "—"
    if isinstance(v, float):
        return f"{v:,.2f}"
    return str(v)


def summary_line(result: CheckResult) -> str:
    """The counts every summary gives, info findings included."""
    infos = sum(f.severity == "info" for f in result.findings)
    return (f"执行审核规则 {result.checks_run} 项，发现问题 {len(result.findings)} 条："
            f"错误 {result.errors}，提示 {result.warnings}，信息 {infos}")


def render_text(result: CheckResult) -> str:
    """For people at a terminal: grouped by table, each finding with where and what."""
    r = result.report
    out = [result.completeness_line] if result.completeness_line else []
    kind = INPUT_ZH.get(r.input_kind, r.input_kind)
    out += [f"{r.department or '（未识别部门）'} {r.year or ''} 年度部门决算（{kind}：{r.path}）",
            summary_line(result),
            "情况说明与绩效中的数字：找到 {found} 处，对应到表中单元格 {mapped} 处，已核对 {checked} 处".format(
                **result.coverage), *_unchecked_reasons(result.claims)]
    out += [f"未运行 {n['id']}：{n['rule']}（{n['reason']}）" for n in result.not_run] + [""]
    groups: dict[str, list[Finding]] = {}
    for f in result.findings:
        groups.setdefault(f.tables[0], []).append(f)
    for table in sorted(groups):
        t = r.tables.get(table)
        name = TABLE_NAMES.get(table, table)
        out.append(f"== {name} {t.title if t and t.title else ''}".rstrip())
        for f in groups[table]:
            where = f"第 {f.page} 页" if f.page else (f"第 {f.line} 行" if f.line else "")
            out.append(f"  [{SEVERITY_ZH.get(f.severity, f.severity)}] {f.location}  {where}")
            out.append(f"         {f.message}")
            if f.expected is not None or f.actual is not None:
                diff = f"  差额 {_fmt(f.difference)}" if f.difference is not None else ""
                out.append(f"         应为 {_fmt(f.expected)}  列示 {_fmt(f.actual)}{diff}")
            out.append(f"         规则 {f.id}：{f.rule}")
        out.append("")
    return "\n".join(out) + "\n"


def _unchecked_reasons(claims: list[Claim]) -> list[str]:
    """One line: how many claims stay unchecked for each reason (未核对：无方向词 3 …)."""
    counts: dict[str, int] = {}
    for c in claims:
        if c.verdict == "unchecked":
            counts[c.reason or "未说明"] = counts.get(c.reason or "未说明", 0) + 1
    if not counts:
        return []
    return ["未核对：" + "，".join(f"{r} {n}" for r, n in sorted(counts.items(), key=lambda x: -x[1]))]


def render_csv(result: CheckResult) -> str:
    buf = io.StringIO()
    cols = ["id", "severity", "tables", "location", "page", "line", "expected", "actual", "difference",
            "message", "rule"]
    w = csv.writer(buf)
    w.writerow(cols)
    for f in result.findings:
        d = asdict(f)
        d["tables"] = ";".join(f.tables)
        w.writerow([d[c] for c in cols])
    return buf.getvalue()


def render(result: CheckResult, fmt: str) -> str:
    if fmt == "text":
        return render_text(result)
    if fmt == "csv":
        return render_csv(result)
    return json.dumps(result.to_json(), ensure_ascii=False, indent=2, allow_nan=False) + "\n"
