"""HTML pieces of the audit report: every table as printed, with the cells a finding
rests on highlighted and the finding beside it; a sortable, filterable findings table;
the narrative claims; the performance section.

Every word an auditor reads is Chinese (审核报告, 问题清单, 错误/警告/信息, 未处理/已确认/
已说明/误报, 已读取/未能读取 …); the codes stay in the JSON and in data-* attributes.

All HTML comes from Jinja2 templates (auditlib/report/templates/, package data, through
`auditlib.report.page`) with autoescape: everything that comes from a document (titles,
labels, department names, messages, claims) is escaped, a cell that holds `<script>` prints
as text; only the package's own stylesheet, script and already rendered cards are passed as
Markup.  The one stylesheet and the one script (auditlib.css, auditlib.js, shared with the
batch index) are scoped under `.al:not(#al-scope)` so JupyterLab's own table rules cannot
right-align the text columns; the script reads the page with `textContent` / `dataset` only.
For a PDF input each finding with a place carries a crop of its page with the place boxed:
its cells, or the sentence it quotes (`auditlib.report.evidence`).  Nothing is loaded from
outside the page: the HTML opens offline.  Each view returns a `page.Block`: HTML for people,
counts per table and rule as plain text for nbval.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict

import pandas as pd
from markupsafe import Markup

from auditlib.kinds import is_table, tables_shown
from auditlib.names import INPUT_ZH, SEVERITY_ZH, STATUS_ZH, UNTRIAGED, cell_name, kind_label, table_heading, table_name
from auditlib.report import evidence
from auditlib.report.layout import counts_things, parts, row_label
from auditlib.report.page import TEMPLATES, Block, assets, script, table_names, template_args
from auditlib.rules.findings import SEVERITIES, severity_rank

# The auditor's words for the codes the JSON keeps (docs/findings-contract.md).
PERF_COLUMNS = {"level1": "一级指标", "level2": "二级指标", "indicator": "三级指标", "target": "指标值",
                "actual": "实际完成值", "weight": "分值", "score": "得分", "reason": "偏差原因"}
FUNDS = {"budget_initial": "年初预算数", "budget_full": "全年预算数", "executed": "全年执行数",
         "weight": "分值", "rate": "执行率", "score": "得分"}
VERDICT_ZH = {"ok": "相符", "mismatch": "不符", "unchecked": "未核对"}

# --------------------------------------------------------------------------- formatting


def fmt_number(v, count: bool = False) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    if isinstance(v, str):
        return v
    v = float(v)
    if count and v.is_integer():
        return f"{int(v):,}"
    return f"{v:,.2f}"


def where(f, report=None) -> str:
    """第 N 页 / 第 N 行 of anything with a page and a line, with its file's name in a document of
    several files (`Report.where`)."""
    page, line = getattr(f, "page", None), getattr(f, "line", None)
    if report is not None:
        return report.where(page, line)
    return f"第 {page} 页" if page else (f"第 {line} 行" if line else "")


def sort_findings(findings):
    return sorted(findings, key=lambda f: (severity_rank(f.severity), f.tables[0] if f.tables else "", f.key))


def anchor(index: int) -> str:
    return f"al-f{index}"


def cell_ids(findings) -> dict[tuple[str, str, str], str]:
    """(table, row key, column) → the id of that cell in the tables as printed: every cell a
    finding compares, numbered in the order the findings name them (row keys hold spaces)."""
    out: dict[tuple[str, str, str], str] = {}
    for f in findings:
        for c in f.cells or []:
            out.setdefault((str(c.get("table")), str(c.get("row")), str(c.get("column"))), f"al-c{len(out)}")
    return out


def finding_cells(f, ids: dict) -> list[str]:
    return list(dict.fromkeys(ids[(str(c.get("table")), str(c.get("row")), str(c.get("column")))]
                              for c in f.cells or []))


# --------------------------------------------------------------------------- overview


def table_order(code: str) -> tuple[bool, str]:
    """Sort key of the codes a finding names: the tables first (T01…, B01…), then META, NARR …"""
    return not is_table(code), code


def counts_by_table(findings, report=None) -> pd.DataFrame:
    """Findings per table (a finding counts under each table it names) and severity."""
    rows = defaultdict(Counter)
    for f in findings:
        for t in f.tables or ["META"]:
            rows[t][f.severity] += 1
    index = sorted(rows, key=table_order)
    names = table_names(report)
    df = pd.DataFrame([{SEVERITY_ZH[s]: rows[t].get(s, 0) for s in SEVERITIES} for t in index],
                      index=[names.get(t, t) for t in index], columns=list(SEVERITY_ZH.values()))
    df.index.name = "表"
    return df


def counts_by_rule(findings) -> pd.DataFrame:
    c = Counter((f.id, f.severity) for f in findings)
    return pd.DataFrame([{"规则": r, "级别": SEVERITY_ZH.get(s, s), "条数": n} for (r, s), n in sorted(c.items())],
                        columns=["规则", "级别", "条数"])


def count_line(findings) -> str:
    total = Counter(f.severity for f in findings)
    return f"{len(findings)} 条（" + "，".join(f"{SEVERITY_ZH[s]} {total.get(s, 0)}" for s in SEVERITIES) + "）"


BAR_WIDTH = 160  # px of the chart's longest bar: the table with the most findings


def bar_widths(by_code: dict[str, Counter]) -> dict[str, dict[str, int]]:
    """The width (px) of each severity's bar of each table, scaled so that the table with the
    most findings fills BAR_WIDTH and a bar that counts anything stays visible (≥ 2 px)."""
    most = max((sum(c.values()) for c in by_code.values()), default=0) or 1
    return {code: {s: max(2, BAR_WIDTH * n // most) for s, n in c.items() if n} for code, c in by_code.items()}


def overview(result, params: dict | None = None, triage: dict | None = None) -> Block:
    r = result.report
    params = params or {}
    triage = triage or {}
    counts = counts_by_table(result.findings, r)
    by_code = defaultdict(Counter)
    for f in result.findings:
        for t in f.tables or ["META"]:
            by_code[t][f.severity] += 1
    warning = result.completeness_line  # a document not fully checked says so before anything else
    kind = INPUT_ZH.get(r.input_kind, r.input_kind)
    meta = [("文件类型", kind_label(r)), ("编制单位（文件所列）", r.department), ("年度", r.year), ("金额单位", r.unit),
            ("输入文件", f"{kind}，共 {r.pages} 页" if r.pages else kind),
            ("执行的审核规则", f"{result.checks_run} 项"),
            ("发现的问题", count_line(result.findings)),
            ("已处理", f"{sum(1 for f in result.findings if f.key in triage)} / {len(result.findings)}")]
    for label, want in (("department", "编制单位（参数）"), ("year", "年度（参数）")):
        if params.get(label) not in (None, ""):
            doc = r.department if label == "department" else r.year
            note = "" if str(params[label]) == str(doc) else "  ≠ 文件所列"
            meta.append((want, f"{params[label]}{note}"))
    tables = []
    widths = bar_widths(by_code)
    shown = tables_shown(r)
    names = table_names(r)
    for code in list(shown) + [c for c in by_code if c not in shown]:
        t = r.tables.get(code)
        name = names.get(code, code)
        title = (t.title if t else None) or ("" if is_table(code) else name)
        tables.append({"code": code, "name": name, "counts": by_code.get(code, Counter()),
                       "link": t is not None or code in ("META", "NARR", "PERF"),
                       "title": "" if title == name else title,
                       "status": STATUS_ZH.get(t.status, t.status) if t else "", "rows": len(t.data) if t else "",
                       "where": where(t, r) if t else "", "widths": widths.get(code, {})})
    notes = [{"table": table_name(r, n.table), "where": where(n, r), "note": n.note}
             for n in r.reading_notes]  # 读取说明: what the reader noticed, no finding
    page = TEMPLATES.get_template("overview.html.j2").render(
        warning=warning, heading=f"{r.department or '（未识别部门）'} {r.year or ''} 年度部门{r.kind} 审核报告", meta=meta,
        tables=tables, notes=notes, **template_args(r))
    text = ([warning] if warning else []) + [
        f"文件类型：{kind_label(r)}", f"编制单位：{r.department}", f"年度：{r.year}", f"金额单位：{r.unit}", f"输入：{kind}",
        f"执行的审核规则：{result.checks_run} 项", f"发现的问题：{count_line(result.findings)}",
        "各表读取状态：" + " ".join(f"{names[c]}={STATUS_ZH.get(r.tables[c].status, r.tables[c].status)}"
                              for c in shown if c in r.tables),
        "各表问题：", counts.to_string() if len(counts) else "  （无）",
        "各规则问题：", counts_by_rule(result.findings).to_string(index=False) if result.findings else "  （无）",
        f"读取说明：{len(notes)} 条（不是审核发现）"]
    return Block(assets() + page, "\n".join(text))


# --------------------------------------------------------------------------- findings table


def findings_table(result, triage: dict | None = None) -> Block:
    """Every finding, sortable by any column and filterable by severity, table, triage, text;
    each row links to the cells it compares (they flash when reached)."""
    triage = triage or {}
    findings = result.findings
    ids = cell_ids(findings)
    number = {f.key: i for i, f in enumerate(findings)}
    rows = []
    for i, f in enumerate(findings):
        entry = triage.get(f.key)
        rows.append({"f": f, "n": i + 1, "anchor": anchor(i), "entry": entry,
                     "cause": (number[f.cause] + 1, anchor(number[f.cause])) if f.cause in number else None,
                     "status": entry.get("status") if entry else UNTRIAGED,
                     "order": severity_rank(f.severity), "where": where(f, result.report), "cells": finding_cells(f, ids),
                     "sortkey": f.page if f.page is not None else (f.line if f.line is not None else ""),
                     "amounts": [{"text": fmt_number(v), "number": not isinstance(v, str)}
                                for v in (f.expected, f.actual, f.difference)]})
    tables = sorted({t for f in findings for t in f.tables}, key=table_order)
    known = {f.key for f in findings}
    stale = [(k, triage[k]) for k in sorted(triage) if k not in known]
    args = template_args(result.report)
    page = TEMPLATES.get_template("findings.html.j2").render(rows=rows, tables=tables, stale=stale, **args)
    text = [f"问题清单：{count_line(findings)}"]
    text += [f"  {SEVERITY_ZH.get(f.severity, f.severity)} {' '.join(args['table_names'].get(t, t) for t in f.tables)} {f.id}"
             for f in sort_findings(findings)]
    if triage:
        c = Counter((triage[f.key]["status"] if f.key in triage else UNTRIAGED) for f in findings)
        text.append("处理状态：" + "，".join(f"{k} {v}" for k, v in sorted(c.items())))
    return Block(assets() + page, "\n".join(text))


def finding_card(f, index: int, triage: dict | None = None, ids: dict | None = None, report=None,
                 code: str | None = None) -> str:
    """A finding beside its table; with the report of a PDF, the page crop of its cells
    (shown once: beside the first table the finding names, `code`)."""
    triage = triage or {}
    values = None
    if f.expected is not None or f.actual is not None:
        values = {"expected": fmt_number(f.expected), "actual": fmt_number(f.actual),
                  "difference": fmt_number(f.difference) if f.difference is not None else ""}
    show_crop = report is not None and (code is None or (f.tables and f.tables[0] == code))
    return TEMPLATES.get_template("card.html.j2").render(
        f=f, n=index + 1, row_anchor=anchor(index), card_id=f"al-card{index}-{code or 'x'}", where=where(f, report),
        entry=triage.get(f.key), values=values, cells=finding_cells(f, ids or cell_ids([f])),
        crops=evidence.crops(report, f) if show_crop else [], **template_args(report))


# --------------------------------------------------------------------------- tables as printed


def cell_findings(findings) -> dict[tuple[str, str, str], list[tuple[int, object]]]:
    """(table, row key, column) → the findings (with their index) that compare this cell."""
    out = defaultdict(list)
    for i, f in enumerate(findings):
        for c in f.cells or []:
            k = (str(c.get("table")), str(c.get("row")), str(c.get("column")))
            if not out[k] or out[k][-1][0] != i:
                out[k].append((i, f))
    return out


def _worst(fs) -> str:
    return min((f.severity for _, f in fs), key=severity_rank)


def _grid(table, rows: pd.DataFrame, columns: list[str], cells, ids, hierarchical: bool) -> dict:
    """The rows of one grid for table.html.j2: labels, values, and for a compared cell its id,
    worst severity and findings (numbered as in the findings table)."""
    names = table.spec.column_names
    out = []
    for key, row in rows.iterrows():
        label = row_label(row, key, hierarchical)
        count = counts_things(table, label)
        tds = []
        for c in columns:
            k = (table.code, str(key), c)
            fs = cells.get(k, [])
            td = {"text": fmt_number(row.get(c), count), "findings": [{"anchor": anchor(i), "n": i + 1} for i, _ in fs]}
            if fs:
                td |= {"id": ids[k], "severity": _worst(fs),
                       "title": "\n".join(f"#{i + 1} {SEVERITY_ZH.get(f.severity, f.severity)}：{f.message}" for i, f in fs)}
            tds.append(td)
        out.append({"key": key, "level": row.get("level") or "", "code": row.get("code") or "", "label": label,
                    "cells": tds})
    return {"hierarchical": hierarchical, "head": [names.get(c, c) for c in columns], "rows": out}


def _grids(table, cells, ids) -> list[dict]:
    """The table's grids (`layout.parts`: halves side by side for T01, T04, T06)."""
    return [_grid(table, p.rows, p.columns, cells, ids, p.hierarchical) for p in parts(table)]


def table_view(table, findings, triage: dict | None = None, report=None, headed: bool = True) -> Block:
    """One table as printed (halves side by side), highlighted cells, and beside it every finding
    that names the table or compares one of its cells; under its heading (公开NN表 and its title,
    a budget's title as printed) unless the page gives it one that says the same (`headed`)."""
    code = table.code
    cells = cell_findings(findings)
    ids = cell_ids(findings)
    mine = [(i, f) for i, f in enumerate(findings)
            if code in f.tables or any(str(c.get("table")) == code for c in f.cells or [])]
    name, head = table_name(report, code), table_heading(table, getattr(report, "department", None))  # contents, h3
    meta = " · ".join(str(x) for x in (table.label, f"编制单位：{table.department}" if table.department else None,
                                       f"{table.year}年度" if table.year else None,
                                       f"金额单位：{table.unit}" if table.unit else None,
                                       where(table, report), f"读取状态：{STATUS_ZH.get(table.status, table.status)}") if x)
    data = table.data
    empty = None
    if table.status == "missing" or data is None or not len(data):
        empty = "文件中未找到本表" if table.status == "missing" else "本表未列数据行"
    grids = [] if empty else _grids(table, cells, ids)
    marked = sum(1 for g in grids for r in g["rows"] for c in r["cells"] if c["findings"])
    page = TEMPLATES.get_template("table.html.j2").render(
        code=code, name=name, head=head if headed else None, meta=meta, empty=empty, grids=grids, notes=table.notes,
        problems=table.problems, reading=[{"where": where(n, report), "note": n.note} for n in table.reading_notes], cards=[Markup(finding_card(f, i, triage, ids, report, code)) for i, f in mine],
        script=Markup(script()))
    by_rule = Counter(f.id for _, f in mine)
    text = (f"{head}：{STATUS_ZH.get(table.status, table.status)}，{len(data) if data is not None else 0} 行，"
            f"问题 {len(mine)} 条，标出单元格 {marked} 个")
    if by_rule:
        text += "\n" + "\n".join(f"  {r}: {n}" for r, n in sorted(by_rule.items()))
    return Block(assets() + page, text)


def other_findings(findings, codes=("META",), title="文件整体", triage=None, report=None) -> Block:
    mine = [(i, f) for i, f in enumerate(findings) if any(t in codes for t in f.tables)
            and not any(is_table(t) for t in f.tables)]
    ids = cell_ids(findings)
    page = TEMPLATES.get_template("cards.html.j2").render(
        code=codes[0], title=title, cards=[Markup(finding_card(f, i, triage, ids, report)) for i, f in mine],
        script=Markup(script()))
    return Block(assets() + page, f"{title}：问题 {len(mine)} 条" + "".join(
        f"\n  {r}: {n}" for r, n in sorted(Counter(f.id for _, f in mine).items())))


# --------------------------------------------------------------------------- claims


def claims_view(result, triage=None) -> Block:
    claims = list(result.claims or [])
    cov = result.coverage
    ids = cell_ids(result.findings)
    rows = [{"section": c.section, "text": c.text, "subject": c.subject, "printed": f"{claim_figure(c.value, c.unit)} {c.unit or ''}".strip(),
             "expected": claim_figure(c.expected, c.unit),
             "target": cell_name(result.report, c.target), "verdict": c.verdict,
             # consistent by another reading (its cells or figures are the target's): said so
             "verdict_zh": VERDICT_ZH.get(c.verdict, c.verdict) + ("（另一读法）" if c.reading else ""),
             "rule": c.rule, "where": where(c, result.report),
             "unmapped": c.target is None} for c in claims]
    narr = [(i, f) for i, f in enumerate(result.findings) if "NARR" in f.tables]
    page = TEMPLATES.get_template("claims.html.j2").render(
        coverage=cov, claims=rows, unchecked=[r for r in rows if r["verdict"] == "unchecked"],
        cards=[Markup(finding_card(f, i, triage, ids, result.report)) for i, f in narr], script=Markup(script()))
    verdicts = Counter(c.verdict for c in claims)
    text = (f"说明中的数字：找到 {cov['found']}，对应到单元格 {cov['mapped']}，已核对 {cov['checked']}；"
            + "，".join(f"{VERDICT_ZH[k]} {verdicts.get(k, 0)}" for k in ("ok", "mismatch", "unchecked"))
            + f"；情况说明问题 {len(narr)} 条")
    return Block(assets() + page, text)


def claim_figure(value, unit: str | None) -> str:
    """A figure of a claim in its unit: money with two decimals, a year without a thousands
    separator ("2020", never "2,020.00"), a count as a whole number."""
    if value is None:
        return ""
    if unit == "年" and float(value).is_integer():
        return str(int(value))
    return fmt_number(value, count=unit not in ("万元", "元", "亿元", "%"))


# --------------------------------------------------------------------------- performance


def _frame(df: pd.DataFrame, columns: list[str], prefix: str, findings: list) -> dict | None:
    """An indicator table for performance.html.j2: Chinese headings, numbers right-aligned, and
    the rows a finding names highlighted.  A performance finding's location is the sheet and
    the indicator (or its 一级/二级 group) it judges, "项目支出绩效自评表 <project> <indicator>":
    a row is marked when the location names exactly this sheet and one of the row's names."""
    if df is None or not len(df):
        return None
    cols = [c for c in columns if c in df.columns]
    rows = []
    for _, r in df.iterrows():
        places = {f"{prefix} {r.get(k)}" for k in ("indicator", "level2", "level1") if r.get(k)}
        fs = [(i, f) for i, f in findings if f.location in places]
        rows.append({"cells": [(fmt_number(v, True), True) if isinstance(v, float) else ("" if v is None else v, False)
                               for v in (r[c] for c in cols)],
                     "severity": _worst(fs) if fs else None, "findings": [(i + 1, anchor(i)) for i, _ in fs],
                     "title": "\n".join(f"#{i + 1} {SEVERITY_ZH.get(f.severity, f.severity)}：{f.message}" for i, f in fs)})
    return {"head": [(PERF_COLUMNS.get(c, c), c in ("weight", "score")) for c in cols], "rows": rows,
            "marked": any(r["findings"] for r in rows)}


def performance_view(result, triage=None) -> Block:
    perf = result.report.performance
    ids = cell_ids(result.findings)
    pf = [(i, f) for i, f in enumerate(result.findings) if "PERF" in f.tables]
    evaluations = [{"project": ev.project, "where": where(ev, result.report), "weight": fmt_number(ev.total_weight, True),
                    "score": fmt_number(ev.total_score, True),
                    "funds": [(FUNDS.get(k, k), fmt_number(v, True)) for k, v in (ev.funds or {}).items()],
                    "indicators": _frame(ev.indicators, ["level1", "level2", "indicator", "target", "actual",
                                                         "weight", "score", "reason"], f"项目支出绩效自评表 {ev.project}", pf)}
                   for ev in perf.self_evaluations]
    sheets = [{"title": sh.title, "where": where(sh, result.report), "score": fmt_number(sh.total_score, True), "grade": sh.grade or "—",
               "indicators": _frame(sh.items, ["level1", "level2", "indicator", "weight", "score"], sh.title, pf)}
              for sh in perf.score_sheets]
    page = TEMPLATES.get_template("performance.html.j2").render(
        counts={"paragraphs": len(perf.paragraphs), "tables": len(perf.tables),
                "evaluations": len(perf.self_evaluations), "sheets": len(perf.score_sheets)},
        evaluations=evaluations, sheets=sheets, cards=[Markup(finding_card(f, i, triage, ids, result.report))
                                                       for i, f in pf],
        script=Markup(script()))
    text = (f"绩效：自评表 {len(perf.self_evaluations)} 张，评分表 {len(perf.score_sheets)} 张，"
            f"问题 {len(pf)} 条" + "".join(f"\n  {r}: {n}" for r, n in sorted(Counter(f.id for _, f in pf).items())))
    return Block(assets() + page, text)
