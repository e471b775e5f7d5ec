"""DIR/index.html: every department of the output folder, from the warehouse.

One page, no external resource: a sortable table (department, year, finding counts by severity
and by table, link to the department's report.html), the failures with their reasons (and the
failed notebook), and an inline SVG chart of the findings by table and severity.  Every piece
of text that comes from a document or a params file is HTML-escaped; links are URL-quoted
relative paths inside DIR.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from urllib.parse import quote

from auditlib import warehouse

SEVERITIES = ("error", "warning", "info")
COLORS = {"error": "#c62828", "warning": "#ef6c00", "info": "#1565c0"}
TABLE_ORDER = ["META", "T01", "T02", "T03", "T04", "T05", "T06", "T07", "T08", "T09", "T10", "NARR", "PERF"]

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC",sans-serif;margin:1.5em;color:#222}
h1{font-size:1.4em} h2{font-size:1.15em;margin-top:1.6em}
table{border-collapse:collapse;font-size:13px} th,td{border:1px solid #ddd;padding:3px 6px}
th{background:#f3f3f3;cursor:pointer;position:sticky;top:0;user-select:none} th.sorted-asc::after{content:" ▲"}
th.sorted-desc::after{content:" ▼"} td.num{text-align:right;font-variant-numeric:tabular-nums}
td.zero{color:#bbb} tr.failed td{background:#fff4f4} .err{color:#c62828;font-weight:600}
.warn{color:#ef6c00} .muted{color:#777} .summary span{margin-right:1.2em}
"""

JS = """
(function(){
  document.querySelectorAll('table.sortable').forEach(function(t){
    var ths=t.tHead.rows[0].cells;
    Array.prototype.forEach.call(ths,function(th,i){
      th.addEventListener('click',function(){
        var asc=!th.classList.contains('sorted-asc');
        Array.prototype.forEach.call(ths,function(h){h.classList.remove('sorted-asc','sorted-desc');});
        th.classList.add(asc?'sorted-asc':'sorted-desc');
        var rows=Array.prototype.slice.call(t.tBodies[0].rows);
        rows.sort(function(a,b){
          var x=a.cells[i].getAttribute('data-sort')||a.cells[i].textContent;
          var y=b.cells[i].getAttribute('data-sort')||b.cells[i].textContent;
          var nx=parseFloat(x),ny=parseFloat(y);
          var c=(!isNaN(nx)&&!isNaN(ny)&&String(nx)===x.trim()&&String(ny)===y.trim())?nx-ny:x.localeCompare(y,'zh');
          return asc?c:-c;
        });
        rows.forEach(function(r){t.tBodies[0].appendChild(r);});
      });
    });
  });
})();
"""


def _href(path: str) -> str:
    return escape(quote(path), quote=True)


def chart(by_table: dict[str, dict[str, int]]) -> str:
    """Horizontal stacked bars: findings per table, by severity (inline SVG)."""
    tables = [t for t in TABLE_ORDER if t in by_table] + sorted(t for t in by_table if t not in TABLE_ORDER)
    if not tables:
        return '<p class="muted">No findings.</p>'
    total = {t: sum(by_table[t].values()) for t in tables}
    top = max(total.values()) or 1
    width, bar, gap, left = 640, 16, 6, 60
    height = len(tables) * (bar + gap) + 30
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
             f'aria-label="findings by table and severity">']
    for i, t in enumerate(tables):
        y = i * (bar + gap)
        parts.append(f'<text x="{left - 6}" y="{y + bar - 3}" text-anchor="end" font-size="12">{escape(t)}</text>')
        x = float(left)
        for s in SEVERITIES:
            n = by_table[t].get(s, 0)
            if not n:
                continue
            w = n / top * (width - left - 60)
            parts.append(f'<rect x="{x:.1f}" y="{y}" width="{max(w, 1):.1f}" height="{bar}" fill="{COLORS[s]}">'
                         f'<title>{escape(t)} {s}: {n}</title></rect>')
            x += w
        parts.append(f'<text x="{x + 4:.1f}" y="{y + bar - 3}" font-size="11">{total[t]}</text>')
    ly = len(tables) * (bar + gap) + 14
    for j, s in enumerate(SEVERITIES):
        parts.append(f'<rect x="{left + j * 90}" y="{ly - 10}" width="10" height="10" fill="{COLORS[s]}"/>'
                     f'<text x="{left + j * 90 + 14}" y="{ly}" font-size="11">{s}</text>')
    parts.append("</svg>")
    return "".join(parts)


def render(documents: list[dict], counts: dict[str, dict[str, dict[str, int]]], title: str = "auditlib batch") -> str:
    """The page for `documents` (rows of the warehouse's documents table) and
    `counts[document][table][severity]`."""
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
    head = ["Department", "Year", "Report", "未读表 unread", "Errors", "Warnings", "Infos", "Cross-year", *tables_seen]
    rows = []
    for d in sorted(ok, key=lambda d: (-(d.get("errors") or 0), d["document"])):
        c = counts.get(d["document"], {})
        cells = [f'<td>{escape(d.get("department") or "?")}</td>',
                 f'<td class="num">{escape(str(d.get("year") or ""))}</td>',
                 f'<td data-sort="{escape(d["document"], quote=True)}"><a href="{_href(d["document"] + "/report.html")}">'
                 f'{escape(d["document"])}</a></td>']
        for key in ("unread", "errors", "warnings", "infos", "cross_year"):
            n = int(d.get(key) or 0)
            cls = "num" + (" zero" if not n else "")
            cells.append(f'<td class="{cls}">{n}</td>')
        for t in tables_seen:
            sev = c.get(t, {})
            n = sum(sev.values())
            label = "/".join(str(sev.get(s, 0)) for s in SEVERITIES) if n else "0"
            cells.append(f'<td class="num{" zero" if not n else ""}" data-sort="{n}" '
                         f'title="errors/warnings/infos">{escape(label)}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    fail_rows = []
    for d in sorted(failed, key=lambda d: d["document"]):
        nb = d.get("failed_notebook")
        link = f' <a href="{_href(nb)}">failed notebook</a>' if nb else ""
        fail_rows.append(f'<tr class="failed"><td>{escape(d["document"])}</td>'
                         f'<td>{escape(d.get("source") or "")}</td><td>{escape(d.get("reason") or "failed")}{link}</td></tr>')
    errors = sum(int(d.get("errors") or 0) for d in ok)
    partial = [d for d in ok if int(d.get("unread") or 0)]
    warnings = sum(int(d.get("warnings") or 0) for d in ok)
    html = [
        "<!DOCTYPE html>", '<html lang="zh"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="auditlib">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
        "script-src 'unsafe-inline'; img-src data:\">",
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        *([f'<p class="summary err" role="alert"><b>注意：{len(partial)} 个部门未完整审核</b>（有表格未能读取，'
           f'其审核规则未执行，见各部门的 READ.table）：{escape("、".join(d["document"] for d in partial))}</p>']
          if partial else []),
        f'<p class="summary"><span><b>{len(ok)}</b> departments audited</span>'
        f'<span class="{"err" if failed else "muted"}"><b>{len(failed)}</b> failed</span>'
        f'<span class="err">{errors} errors</span><span class="warn">{warnings} warnings</span></p>',
        "<h2>Findings by table</h2>", chart(by_table),
        "<h2>Departments</h2>",
        '<p class="muted">Click a column header to sort. Table columns: errors/warnings/infos.</p>',
        '<table class="sortable" id="departments"><thead><tr>' +
        "".join(f"<th>{escape(h)}</th>" for h in head) + "</tr></thead><tbody>", *rows, "</tbody></table>",
        f"<h2>Failures ({len(failed)})</h2>",
    ]
    if fail_rows:
        html += ['<table class="sortable" id="failures"><thead><tr><th>Document</th><th>Input</th><th>Reason</th>'
                 "</tr></thead><tbody>", *fail_rows, "</tbody></table>"]
    else:
        html.append('<p class="muted">None.</p>')
    html += [f"<script>{JS}</script>", "</body></html>"]
    return "\n".join(html) + "\n"


def write_index(out: Path) -> Path:
    """Write DIR/index.html from DIR/audit.duckdb (atomically)."""
    from auditlib.workbench import atomic_write_text

    out = Path(out)
    documents: list[dict] = []
    counts: dict[str, dict[str, dict[str, int]]] = {}
    if (out / warehouse.FILE).exists():
        con = warehouse.connect(out)
        try:
            cur = con.execute("SELECT d.*, (SELECT count(*) FROM findings f WHERE f.document = d.document "
                              "AND f.cross_year) AS cross_year, (SELECT count(*) FROM findings f WHERE "
                              "f.document = d.document AND f.id = 'READ.table') AS unread "
                              "FROM documents d ORDER BY document")
            names = [c[0] for c in cur.description]
            documents = [dict(zip(names, r)) for r in cur.fetchall()]
            for doc, table, sev, n in con.execute(
                    "SELECT document, table_code, severity, count(*) FROM findings GROUP BY ALL").fetchall():
                counts.setdefault(doc, {}).setdefault(table or "?", {})[sev] = n
        finally:
            con.close()
    path = out / "index.html"
    atomic_write_text(path, render(documents, counts))
    return path
