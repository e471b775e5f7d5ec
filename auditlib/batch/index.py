"""DIR/index.html: every department of the output folder, from the warehouse.

One page in Chinese, no external resource, from the Jinja2 template index.html.j2 with the
report's own stylesheet and script: a sortable, filterable table of the checked departments
one row per department·year (department, year, 文件类型, its 决算 and its 预算 side by side — each
document's report.html, its working paper when the file exists and its 错误/警告/信息 — 全部核对
naming the tables not read or in doubt, finding counts by severity and by table), the
failures by the name the warehouse knows them by with their Chinese reasons (the failed
notebook, the traceback of an unexpected error), and an inline SVG chart of the findings by
table and severity.  No internal key reaches the page (tables as 公开NN表, a budget's by the names
its documents print, statuses in Chinese).
Every piece of text that comes from a document or a params file is escaped (autoescape; the
chart through `escape`); links are URL-quoted relative paths inside DIR.
"""

from __future__ import annotations

from collections import Counter
from html import escape
from pathlib import Path
from urllib.parse import quote

from markupsafe import Markup

from auditlib.batch import warehouse
from auditlib.files import atomic_write_text
from auditlib.kinds import KINDS, is_table
from auditlib.names import SEVERITY_ZH, TABLE_NAMES, table_name
from auditlib.report.page import TEMPLATES, script, stylesheet
from auditlib.report.xlsx import WORKING_PAPER
from auditlib.rules.findings import SEVERITIES
COLORS = {"error": "#c62828", "warning": "#ef6c00", "info": "#1565c0"}
TABLE_ORDER = ["META", "T01", "T02", "T03", "T04", "T05", "T06", "T07", "T08", "T09", "T10", "NARR", "PERF"]


def table_order(code: str) -> tuple[float, str]:
    """Where a table's column and bar go: 文件整体, the 决算 tables, a budget's tables (B01 …),
    情况说明, 绩效, anything else."""
    if code in TABLE_ORDER:
        return TABLE_ORDER.index(code), code
    return (TABLE_ORDER.index("NARR") - 0.5 if is_table(code) else len(TABLE_ORDER)), code


def chart(by_table: dict[str, dict[str, int]], names: dict[str, str] | None = None) -> str:
    """Horizontal stacked bars: findings per table (named by `names`, else names.table_name), by
    severity (inline SVG)."""
    names = names or {}
    tables = sorted(by_table, key=table_order)
    if not tables:
        return '<p class="muted">没有发现问题。</p>'
    total = {t: sum(by_table[t].values()) for t in tables}
    top = max(total.values()) or 1
    width, bar, gap, left = 640, 16, 6, 60
    height = len(tables) * (bar + gap) + 30
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
             f'aria-label="各表问题（按级别）">']
    for i, t in enumerate(tables):
        y = i * (bar + gap)
        parts.append(f'<text x="{left - 6}" y="{y + bar - 3}" text-anchor="end" font-size="12">{escape(names.get(t) or table_name(None, t))}</text>')
        x = float(left)
        for s in SEVERITIES:
            n = by_table[t].get(s, 0)
            if not n:
                continue
            w = n / top * (width - left - 60)
            parts.append(f'<rect x="{x:.1f}" y="{y}" width="{max(w, 1):.1f}" height="{bar}" fill="{COLORS[s]}">'
                         f'<title>{escape(names.get(t) or table_name(None, t))} {SEVERITY_ZH[s]}：{n}</title></rect>')
            x += w
        parts.append(f'<text x="{x + 4:.1f}" y="{y + bar - 3}" font-size="11">{total[t]}</text>')
    ly = len(tables) * (bar + gap) + 14
    for j, s in enumerate(SEVERITIES):
        parts.append(f'<rect x="{left + j * 90}" y="{ly - 10}" width="10" height="10" fill="{COLORS[s]}"/>'
                     f'<text x="{left + j * 90 + 14}" y="{ly}" font-size="11">{SEVERITY_ZH[s]}</text>')
    parts.append("</svg>")
    return "".join(parts)


def checked_label(d: dict, names: dict[str, str] | None = None) -> str:
    """全部核对 of a document, in Chinese: 是, or 否 with the tables that kept it from being
    checked whole (公开NN表, a budget's by `names`: its printed titles; unread and doubtful
    apart), or 否（审核失败）."""
    if d["status"] != "ok":
        return "否（审核失败）"
    if d.get("fully_checked"):
        return "是"
    names = names or {}
    parts = [f"{what} {'、'.join(names.get(t) or table_name(None, t) for t in d.get(key) or [])}"
             for key, what in (("unread_tables", "未能读取"), ("doubtful_tables", "读取存疑")) if d.get(key)]
    return "否：" + "；".join(parts) if parts else "否"


def group_checked(docs: list[dict], names: dict[str, dict[str, str]]) -> str:
    """全部核对 of a department·year: one document's own label; of a 决算 and its 预算, 是 when
    both are, else 否 naming each document that is not (决算：未能读取 公开03表)."""
    labels = [(d.get("kind") or "", checked_label(d, names.get(d["document"]))) for d in docs]
    if len(labels) == 1:
        return labels[0][1]
    bad = [kind + (label.removeprefix("否") or "未完整审核") for kind, label in labels if label != "是"]
    return "否：" + "；".join(bad) if bad else "是"


def _table_counts(c: dict[str, dict[str, int]], tables_seen: list[str]) -> list[tuple[int, str]]:
    """Each table's findings of one department: (how many, 错误/警告/信息)."""
    cells = []
    for t in tables_seen:
        sev = c.get(t, {})
        n = sum(sev.values())
        cells.append((n, "/".join(str(sev.get(s, 0)) for s in SEVERITIES) if n else "0"))
    return cells


COUNTS = ("errors", "warnings", "infos", "cross_year")


def _document_link(d: dict) -> dict:
    """One document in its department's row: its report, its working paper when the file exists
    (`d["workbook"]`) and its findings as 错误/警告/信息."""
    return {"document": d["document"], "href": quote(d["document"] + "/report.html"),
            "workbook": quote(f"{d['document']}/{WORKING_PAPER}") if d.get("workbook") else None,
            "errors": int(d.get("errors") or 0),
            "counts": "/".join(str(int(d.get(k) or 0)) for k in COUNTS[:3])}


def _merge(counts: dict[str, dict[str, dict[str, int]]], docs: list[dict]) -> dict[str, dict[str, int]]:
    """The findings per table and severity of a department·year's documents together."""
    out: dict[str, dict[str, int]] = {}
    for d in docs:
        for t, sev in counts.get(d["document"], {}).items():
            for s, n in sev.items():
                out.setdefault(t, {}).setdefault(s, 0)
                out[t][s] += n
    return out


def _department_row(docs: list[dict], counts: dict, names: dict, tables_seen: list[str]) -> dict:
    """One department·year's row: its name, the kinds it has, each kind's documents side by side
    (KINDS order: 决算, 预算), 全部核对, the counts of all its documents, and per table."""
    first = docs[0]
    by_kind = {k: [_document_link(d) for d in docs if (d.get("kind") or KINDS[0]) == k] for k in KINDS}
    return {"department": first.get("department") or first["document"], "year": first.get("year") or "",
            "kind": "、".join(k for k in KINDS if by_kind[k]), "documents": [by_kind[k] for k in KINDS],
            "checked": group_checked(docs, names), "tables": _table_counts(_merge(counts, docs), tables_seen),
            "counts": [sum(int(d.get(k) or 0) for d in docs) for k in COUNTS]}


def department_years(documents: list[dict]) -> list[list[dict]]:
    """The checked documents by department·year (the department's normalised name, as the batch
    pairs years): a department's 决算 and 预算 of one year together, most errors first."""
    groups: dict[tuple, list[dict]] = {}
    for d in documents:
        groups.setdefault((d.get("department_key") or d["document"], d.get("year")), []).append(d)
    rows = [sorted(g, key=lambda d: (KINDS.index(d.get("kind") or KINDS[0]), d["document"])) for g in groups.values()]
    return sorted(rows, key=lambda g: (-sum(d.get("errors") or 0 for d in g), g[0]["document"]))


def _failure_row(d: dict) -> dict:
    """One failed department's row: the name the warehouse knows it by (`department_from`
    says where that name comes from), its input and its one-line Chinese reason."""
    named_from = d.get("department_from")
    return {"department": d.get("department") or d["document"], "document": d["document"],
            "named_from": f"名称取自{named_from}" if named_from else "", "kind": d.get("kind") or "",
            "checked": checked_label(d),
            "source": d.get("source") or "", "reason": d.get("reason") or "失败",
            "notebook": quote(d["failed_notebook"]) if d.get("failed_notebook") else None,
            "log": quote(d["error_log"]) if d.get("error_log") else None}


def column_names(names: dict[str, dict[str, str]], tables: list[str]) -> dict[str, str]:
    """Each table column's heading: 公开NN表, a budget's table by the name most of its documents
    print (names.table_name, from the warehouse's tables), else its kind's name for it."""
    out = {}
    for t in tables:
        printed = Counter(n[t] for n in names.values() if n.get(t))
        out[t] = table_name(None, t) if t in TABLE_NAMES or not printed else printed.most_common(1)[0][0]
    return out


def render(documents: list[dict], counts: dict[str, dict[str, dict[str, int]]], title: str | None = None,
           names: dict[str, dict[str, str]] | None = None) -> str:
    """The page for `documents` (rows of the warehouse's documents table, `workbook` true where
    the working paper exists), `counts[document][table][severity]` and `names[document][table]`
    (each document's table names, a budget's as printed); titled by the kinds it holds
    (部门决算 批量审核, 部门决算、预算 批量审核) unless `title` is given."""
    names = names or {}
    kinds = [k for k in KINDS if any((d.get("kind") or KINDS[0]) == k for d in documents)] or [KINDS[0]]
    title = title or f"部门{'、'.join(kinds)} 批量审核"
    ok = [d for d in documents if d["status"] == "ok"]
    failed = [d for d in documents if d["status"] != "ok"]
    tables_seen = sorted({t for c in counts.values() for t in c}, key=table_order)
    heads = column_names(names, tables_seen)
    by_table = _merge(counts, ok + failed)
    rows = [_department_row(g, counts, names, tables_seen) for g in department_years(ok)]
    totals = {k: sum(int(d.get(k) or 0) for d in ok) for k in ("errors", "warnings", "infos")}
    head = ["部门", "年度", "文件类型", *KINDS, "全部核对", "错误", "警告", "信息", "跨年度", *(heads[t] for t in tables_seen)]
    page = TEMPLATES.get_template("index.html.j2").render(
        title=title, stylesheet=Markup(stylesheet()), script=Markup(script()), chart=Markup(chart(by_table, heads)),
        partial=[r["department"] for r in rows if r["checked"] != "是"], ok=len(ok), groups=len(rows),
        failed=[_failure_row(d) for d in sorted(failed, key=lambda d: d["document"])],
        filters=[{"label": "全部核对", "col": head.index("全部核对"), "options": ["是", "否"]},
                 {"label": "文件类型", "col": head.index("文件类型"), "contains": True,
                  "options": [k for k in KINDS if any(k in r["kind"] for r in rows)]}],
        totals=totals, head=head, rows=rows)
    return page + "\n"


def write_index(out: Path) -> Path:
    """Write DIR/index.html from DIR/audit.duckdb (atomically)."""
    out = Path(out)
    documents: list[dict] = []
    counts: dict[str, dict[str, dict[str, int]]] = {}
    names: dict[str, dict[str, str]] = {}
    if (out / warehouse.FILE).exists():
        con = warehouse.connect(out)
        try:
            cur = con.execute("SELECT d.*, (SELECT count(*) FROM findings f WHERE f.document = d.document "
                              "AND f.cross_year) AS cross_year "
                              "FROM documents d ORDER BY document")
            columns = [c[0] for c in cur.description]
            documents = [dict(zip(columns, r)) for r in cur.fetchall()]
            for d in documents:
                d["workbook"] = d["status"] == "ok" and (out / d["document"] / WORKING_PAPER).is_file()
            for doc, table, sev, n in con.execute(
                    "SELECT document, table_code, severity, count(*) FROM findings GROUP BY ALL").fetchall():
                counts.setdefault(doc, {}).setdefault(table or "?", {})[sev] = n
            for doc, table, name in con.execute("SELECT document, table_code, name FROM tables").fetchall():
                names.setdefault(doc, {})[table] = name
        finally:
            con.close()
    path = out / "index.html"
    atomic_write_text(path, render(documents, counts, names=names))
    return path
