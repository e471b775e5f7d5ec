"""DIR/index.html: every department of the output folder, from the warehouse.

One page in Chinese, no external resource, from the Jinja2 template index.html.j2 with the
report's own stylesheet and script: a sortable, filterable table of the checked departments
(department, year, 文件类型, links to report.html and to the working paper when its file exists,
全部核对 naming the tables not read or in doubt, finding counts by severity and by table), the
failures by the name the warehouse knows them by with their Chinese reasons (the failed
notebook, the traceback of an unexpected error), and an inline SVG chart of the findings by
table and severity.  No internal key reaches the page (tables as 公开NN表, statuses in Chinese).
Every piece of text that comes from a document or a params file is escaped (autoescape; the
chart through `escape`); links are URL-quoted relative paths inside DIR.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from urllib.parse import quote

from markupsafe import Markup

from auditlib.batch import warehouse
from auditlib.files import atomic_write_text
from auditlib.names import SEVERITY_ZH, TABLE_NAMES
from auditlib.report.page import TEMPLATES, script, stylesheet
from auditlib.report.xlsx import WORKING_PAPER
from auditlib.rules.findings import SEVERITIES
COLORS = {"error": "#c62828", "warning": "#ef6c00", "info": "#1565c0"}
TABLE_ORDER = ["META", "T01", "T02", "T03", "T04", "T05", "T06", "T07", "T08", "T09", "T10", "NARR", "PERF"]


def chart(by_table: dict[str, dict[str, int]]) -> str:
    """Horizontal stacked bars: findings per table, by severity (inline SVG)."""
    tables = [t for t in TABLE_ORDER if t in by_table] + sorted(t for t in by_table if t not in TABLE_ORDER)
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
        parts.append(f'<text x="{left - 6}" y="{y + bar - 3}" text-anchor="end" font-size="12">{escape(TABLE_NAMES.get(t, t))}</text>')
        x = float(left)
        for s in SEVERITIES:
            n = by_table[t].get(s, 0)
            if not n:
                continue
            w = n / top * (width - left - 60)
            parts.append(f'<rect x="{x:.1f}" y="{y}" width="{max(w, 1):.1f}" height="{bar}" fill="{COLORS[s]}">'
                         f'<title>{escape(TABLE_NAMES.get(t, t))} {SEVERITY_ZH[s]}：{n}</title></rect>')
            x += w
        parts.append(f'<text x="{x + 4:.1f}" y="{y + bar - 3}" font-size="11">{total[t]}</text>')
    ly = len(tables) * (bar + gap) + 14
    for j, s in enumerate(SEVERITIES):
        parts.append(f'<rect x="{left + j * 90}" y="{ly - 10}" width="10" height="10" fill="{COLORS[s]}"/>'
                     f'<text x="{left + j * 90 + 14}" y="{ly}" font-size="11">{SEVERITY_ZH[s]}</text>')
    parts.append("</svg>")
    return "".join(parts)


def checked_label(d: dict) -> str:
    """全部核对 of a department, in Chinese: 是, or 否 with the tables that kept it from being
    checked whole (公开NN表, unread and doubtful apart), or 否（审核失败）."""
    if d["status"] != "ok":
        return "否（审核失败）"
    if d.get("fully_checked"):
        return "是"
    parts = [f"{what} {'、'.join(TABLE_NAMES.get(t, t) for t in d.get(key) or [])}"
             for key, what in (("unread_tables", "未能读取"), ("doubtful_tables", "读取存疑")) if d.get(key)]
    return "否：" + "；".join(parts) if parts else "否"


def _table_counts(c: dict[str, dict[str, int]], tables_seen: list[str]) -> list[tuple[int, str]]:
    """Each table's findings of one department: (how many, 错误/警告/信息)."""
    cells = []
    for t in tables_seen:
        sev = c.get(t, {})
        n = sum(sev.values())
        cells.append((n, "/".join(str(sev.get(s, 0)) for s in SEVERITIES) if n else "0"))
    return cells


def _department_row(d: dict, c: dict[str, dict[str, int]], tables_seen: list[str]) -> dict:
    """One checked department's row: its name, kind, links (the HTML report; the working paper
    when its file exists: `d["workbook"]`), 全部核对 and counts."""
    return {"department": d.get("department") or d["document"], "year": d.get("year") or "", "document": d["document"],
            "kind": d.get("kind") or "", "checked": checked_label(d), "href": quote(d["document"] + "/report.html"),
            "workbook": quote(f"{d['document']}/{WORKING_PAPER}") if d.get("workbook") else None,
            "tables": _table_counts(c, tables_seen),
            "counts": [int(d.get(k) or 0) for k in ("errors", "warnings", "infos", "cross_year")]}


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


def render(documents: list[dict], counts: dict[str, dict[str, dict[str, int]]], title: str = "部门决算 批量审核") -> str:
    """The page for `documents` (rows of the warehouse's documents table, `workbook` true where
    the working paper exists) and `counts[document][table][severity]`."""
    ok = [d for d in documents if d["status"] == "ok"]
    failed = [d for d in documents if d["status"] != "ok"]
    tables_seen = sorted({t for c in counts.values() for t in c},
                         key=lambda t: (TABLE_ORDER.index(t) if t in TABLE_ORDER else 99, t))
    by_table: dict[str, dict[str, int]] = {}
    for c in counts.values():
        for t, sev in c.items():
            for s, n in sev.items():
                by_table.setdefault(t, {}).setdefault(s, 0)
                by_table[t][s] += n
    rows = [_department_row(d, counts.get(d["document"], {}), tables_seen)
            for d in sorted(ok, key=lambda d: (-(d.get("errors") or 0), d["document"]))]
    totals = {k: sum(int(d.get(k) or 0) for d in ok) for k in ("errors", "warnings", "infos")}
    head = ["部门", "年度", "文件类型", "报告", "全部核对", "错误", "警告", "信息", "跨年度",
            *(TABLE_NAMES.get(t, t) for t in tables_seen)]
    page = TEMPLATES.get_template("index.html.j2").render(
        title=title, stylesheet=Markup(stylesheet()), script=Markup(script()), chart=Markup(chart(by_table)),
        partial=[r["department"] for r in rows if r["checked"] != "是"], ok=len(ok),
        failed=[_failure_row(d) for d in sorted(failed, key=lambda d: d["document"])],
        filters=[{"label": "全部核对", "col": head.index("全部核对"), "options": ["是", "否"]},
                 {"label": "文件类型", "col": head.index("文件类型"), "options": sorted({r["kind"] for r in rows if r["kind"]})}],
        totals=totals, head=head, rows=rows)
    return page + "\n"


def write_index(out: Path) -> Path:
    """Write DIR/index.html from DIR/audit.duckdb (atomically)."""
    out = Path(out)
    documents: list[dict] = []
    counts: dict[str, dict[str, dict[str, int]]] = {}
    if (out / warehouse.FILE).exists():
        con = warehouse.connect(out)
        try:
            cur = con.execute("SELECT d.*, (SELECT count(*) FROM findings f WHERE f.document = d.document "
                              "AND f.cross_year) AS cross_year "
                              "FROM documents d ORDER BY document")
            names = [c[0] for c in cur.description]
            documents = [dict(zip(names, r)) for r in cur.fetchall()]
            for d in documents:
                d["workbook"] = d["status"] == "ok" and (out / d["document"] / WORKING_PAPER).is_file()
            for doc, table, sev, n in con.execute(
                    "SELECT document, table_code, severity, count(*) FROM findings GROUP BY ALL").fetchall():
                counts.setdefault(doc, {}).setdefault(table or "?", {})[sev] = n
        finally:
            con.close()
    path = out / "index.html"
    atomic_write_text(path, render(documents, counts))
    return path
