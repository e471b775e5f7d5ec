"""HTML pieces of the audit report: every table as printed, with the cells a finding
rests on highlighted and the finding beside it; a sortable, filterable findings table;
the narrative claims; the performance section.

Everything that comes from a document (titles, labels, department names, messages,
claims) goes through `e()` (html.escape with quotes) before it reaches HTML: a cell
that holds `<script>` prints as text.  The small inline script reads the page with
`textContent` / `dataset` only and never writes HTML built from document text.
Nothing is loaded from outside the page: the HTML opens offline from a file share.

Each block is shown in the notebook through `Block`, which carries the HTML and a
plain-text summary (counts per table and rule): nbval compares the plain text, the
HTML sits between `<!-- auditlib:html -->` markers that the sanitize file blanks out.
"""

from __future__ import annotations

import html
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

import pandas as pd

from auditlib.schema import SPECS

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
TABLE_CODES = tuple(f"T{i:02d}" for i in range(1, 11))
COUNT_LABEL = re.compile(r"[(（](?:个|人|辆|台|台、辆|台、套|台\(套\)|次|批)[)）]\s*$")
MARK_OPEN, MARK_CLOSE = "<!-- auditlib:html -->", "<!-- /auditlib:html -->"


def e(value) -> str:
    """Escape any value for HTML text or a quoted attribute."""
    if value is None:
        return ""
    return html.escape(str(value), quote=True)


@dataclass
class Block:
    """A rich display: HTML for people and the report, plain text for nbval."""

    html: str
    text: str

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/html": f"{MARK_OPEN}{self.html}{MARK_CLOSE}", "text/plain": self.text}

    def __repr__(self) -> str:
        return self.text


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


def where(f) -> str:
    if getattr(f, "page", None):
        return f"p.{f.page}"
    if getattr(f, "line", None):
        return f"line {f.line}"
    return ""


def severity_badge(sev: str) -> str:
    return f'<span class="al-badge al-{e(sev)}">{e(sev)}</span>'


def triage_badge(entry: dict | None) -> str:
    if not entry:
        return '<span class="al-triage al-untriaged">untriaged</span>'
    status = entry.get("status", "")
    css = re.sub(r"[^a-z]", "", status)
    comment = entry.get("comment") or ""
    text = e(status) + (f": {e(comment)}" if comment else "")
    return f'<span class="al-triage al-t-{css}">{text}</span>'


def sort_findings(findings):
    return sorted(findings, key=lambda f: (SEVERITY_ORDER.get(f.severity, 9), f.tables[0] if f.tables else "", f.key))


def anchor(index: int) -> str:
    return f"al-f{index}"


# --------------------------------------------------------------------------- page assets

CSS = """
.al{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC","Microsoft YaHei",sans-serif;font-size:13px;color:#222}
.al table{border-collapse:collapse;margin:4px 0}
.al th,.al td{border:1px solid #ccc;padding:2px 6px;vertical-align:top;text-align:left}
.al th{background:#f2f2f2;font-weight:600}
.al td.num{text-align:right;font-variant-numeric:tabular-nums;max-width:12em;overflow-wrap:anywhere}
.al td.al-msg{min-width:24em;max-width:48em;overflow-wrap:anywhere}
.al td{max-width:40em;overflow-wrap:anywhere}
.al .al-meta{color:#555;margin:2px 0 6px}
.al .al-side{display:flex;gap:16px;align-items:flex-start;flex-wrap:wrap}
.al .al-halves{display:flex;gap:8px;align-items:flex-start}
.al .al-notes{flex:1 1 320px;max-width:560px}
.al .al-finding{border-left:4px solid #999;padding:4px 8px;margin:0 0 8px;background:#fafafa}
.al .al-finding.al-error{border-color:#c62828}.al .al-finding.al-warning{border-color:#ef8f00}.al .al-finding.al-info{border-color:#1565c0}
.al td.al-hl-error{background:#ffcdd2;outline:2px solid #c62828}
.al td.al-hl-warning{background:#ffe0b2;outline:2px solid #ef8f00}
.al td.al-hl-info{background:#bbdefb;outline:2px solid #1565c0}
.al .al-badge{display:inline-block;padding:0 6px;border-radius:8px;color:#fff;font-size:11px}
.al span.al-error{background:#c62828}.al span.al-warning{background:#ef8f00}.al span.al-info{background:#1565c0}
.al .al-unread{background:#c62828;color:#fff;font-weight:bold;padding:.5em .8em;border-radius:4px}
.al .al-triage{display:inline-block;padding:0 6px;border-radius:8px;font-size:11px;border:1px solid #999}
.al .al-t-confirmed{background:#ffcdd2}.al .al-t-explained{background:#e1f5fe}.al .al-t-falsealarm{background:#e0e0e0}
.al .al-untriaged{color:#777}
.al .lvl-款 td.name{padding-left:18px}.al .lvl-项 td.name{padding-left:36px}
.al .al-bar{display:inline-block;height:12px;vertical-align:middle}
.al .al-bar.al-error{background:#c62828}.al .al-bar.al-warning{background:#ef8f00}.al .al-bar.al-info{background:#1565c0}
.al #al-findings th{cursor:pointer;user-select:none}
.al #al-findings th[data-dir=asc]::after{content:" \\25B2"}.al #al-findings th[data-dir=desc]::after{content:" \\25BC"}
.al .al-filters{margin:6px 0}.al .al-filters label{margin-right:12px}
.al .al-ok{color:#2e7d32}.al .al-mismatch{color:#c62828;font-weight:600}.al .al-unchecked{color:#777}
.al .al-empty{color:#777;font-style:italic}
"""

# Sorting and filtering of the findings table: reads textContent and data-* only.
JS = """
(function(){
  var t=document.getElementById('al-findings'); if(!t||t.dataset.ready)return; t.dataset.ready='1';
  var body=t.tBodies[0];
  function val(r,i){var c=r.cells[i];return c.dataset.sort!==undefined?c.dataset.sort:c.textContent.trim();}
  Array.prototype.forEach.call(t.tHead.rows[0].cells,function(th,i){
    th.addEventListener('click',function(){
      var dir=th.dataset.dir==='asc'?'desc':'asc';
      Array.prototype.forEach.call(t.tHead.rows[0].cells,function(o){delete o.dataset.dir;});
      th.dataset.dir=dir;
      var rows=Array.prototype.slice.call(body.rows);
      rows.sort(function(a,b){var x=val(a,i),y=val(b,i),nx=parseFloat(x),ny=parseFloat(y);
        var c=(!isNaN(nx)&&!isNaN(ny)&&String(nx)===x&&String(ny)===y)?nx-ny:x.localeCompare(y);
        return dir==='asc'?c:-c;});
      rows.forEach(function(r){body.appendChild(r);});
    });
  });
  var sev=document.getElementById('al-f-severity'),tab=document.getElementById('al-f-table'),
      tri=document.getElementById('al-f-triage'),txt=document.getElementById('al-f-text'),
      cnt=document.getElementById('al-f-count');
  function apply(){
    var n=0,q=(txt.value||'').toLowerCase();
    Array.prototype.forEach.call(body.rows,function(r){
      var ok=(!sev.value||r.dataset.severity===sev.value)&&
             (!tab.value||(' '+r.dataset.tables+' ').indexOf(' '+tab.value+' ')>=0)&&
             (!tri.value||r.dataset.triage===tri.value)&&
             (!q||r.textContent.toLowerCase().indexOf(q)>=0);
      r.style.display=ok?'':'none'; if(ok)n++;
    });
    cnt.textContent=n+' / '+body.rows.length;
  }
  [sev,tab,tri].forEach(function(s){s.addEventListener('change',apply);});
  txt.addEventListener('input',apply);
  // a shareable view: report.html#filter:severity=error&table=T06&triage=untriaged&text=...
  var h=decodeURIComponent((location.hash||'').replace(/^#filter:/,'')); if(h!==(location.hash||'')){
    h.split('&').forEach(function(kv){var p=kv.split('='),el={severity:sev,table:tab,triage:tri,text:txt}[p[0]];
      if(el)el.value=p.slice(1).join('=');});}
  apply();
})();
"""


def assets() -> str:
    """The stylesheet (once per page; repeated copies are harmless)."""
    return f"<style>{CSS}</style>"


# --------------------------------------------------------------------------- overview


def counts_by_table(findings) -> pd.DataFrame:
    """Findings per table (a finding counts under each table it names) and severity."""
    rows = defaultdict(Counter)
    for f in findings:
        for t in f.tables or ["META"]:
            rows[t][f.severity] += 1
    index = sorted(rows, key=lambda t: (t not in TABLE_CODES, t))
    df = pd.DataFrame([{s: rows[t].get(s, 0) for s in SEVERITY_ORDER} for t in index], index=index,
                      columns=list(SEVERITY_ORDER))
    df.index.name = "table"
    return df


def counts_by_rule(findings) -> pd.DataFrame:
    c = Counter((f.id, f.severity) for f in findings)
    df = pd.DataFrame([{"rule": r, "severity": s, "findings": n} for (r, s), n in sorted(c.items())],
                      columns=["rule", "severity", "findings"])
    return df


def overview(result, params: dict | None = None, triage: dict | None = None) -> Block:
    r = result.report
    params = params or {}
    triage = triage or {}
    counts = counts_by_table(result.findings)
    total = Counter(f.severity for f in result.findings)
    parts = [assets(), '<div class="al">']
    warning = result.completeness_line
    if warning:  # a document not fully checked says so before anything else
        parts.append(f'<p class="al-unread" role="alert">{e(warning)}</p>')
    parts.append(f"<h2>{e(r.department or '（未识别部门）')} {e(r.year or '')} 部门决算 审核报告</h2>")
    parts.append("<table>")
    meta = [("编制单位 (document)", r.department), ("年度", r.year), ("金额单位", r.unit),
            ("input", f"{r.input_kind}, {r.pages} pages" if r.pages else r.input_kind),
            ("checks run", result.checks_run),
            ("findings", f"{len(result.findings)} (error {total.get('error', 0)}, warning "
                         f"{total.get('warning', 0)}, info {total.get('info', 0)})"),
            ("triaged", f"{sum(1 for f in result.findings if f.key in triage)} of {len(result.findings)}")]
    for label, want in (("department", "编制单位 (params)"), ("year", "年度 (params)")):
        if params.get(label) not in (None, ""):
            doc = r.department if label == "department" else r.year
            note = "" if str(params[label]) == str(doc) else "  ≠ document"
            meta.append((want, f"{params[label]}{note}"))
    for k, v in meta:
        parts.append(f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>")
    parts.append("</table>")
    parts.append("<h3>Tables</h3><table><tr><th>table</th><th>title</th><th>status</th><th>rows</th>"
                 "<th>where</th><th>error</th><th>warning</th><th>info</th><th>chart</th></tr>")
    for code in list(TABLE_CODES) + [c for c in counts.index if c not in TABLE_CODES]:
        t = r.tables.get(code)
        n = counts.loc[code] if code in counts.index else pd.Series({s: 0 for s in SEVERITY_ORDER})
        bars = "".join(f'<span class="al-bar al-{s}" style="width:{int(n[s]) * 14}px" title="{s} {int(n[s])}"></span>'
                       for s in SEVERITY_ORDER if n[s])
        title = (t.title if t else None) or ("document as a whole" if code == "META" else
                                             "narrative" if code == "NARR" else
                                             "performance" if code == "PERF" else "")
        status = t.status if t else ""
        rows = len(t.data) if t else ""
        loc = where(t) if t else ""
        link = f'<a href="#al-{e(code)}">{e(code)}</a>' if t else e(code)
        parts.append(f"<tr><td>{link}</td><td>{e(title)}</td><td>{e(status)}</td><td class=num>{e(rows)}</td>"
                     f"<td>{e(loc)}</td>" + "".join(f"<td class=num>{int(n[s])}</td>" for s in SEVERITY_ORDER)
                     + f"<td>{bars}</td></tr>")
    parts.append("</table></div>")
    text = ([warning] if warning else []) + [f"department: {r.department}", f"year: {r.year}", f"unit: {r.unit}", f"input: {r.input_kind}",
            f"checks run: {result.checks_run}",
            f"findings: {len(result.findings)} (error {total.get('error', 0)}, warning {total.get('warning', 0)}, "
            f"info {total.get('info', 0)})",
            "tables: " + " ".join(f"{c}={r.tables[c].status}" for c in TABLE_CODES if c in r.tables),
            "findings by table:", counts.to_string() if len(counts) else "  (none)",
            "findings by rule:", counts_by_rule(result.findings).to_string(index=False) if result.findings else "  (none)"]
    return Block("".join(parts), "\n".join(text))


# --------------------------------------------------------------------------- findings table


def findings_table(result, triage: dict | None = None) -> Block:
    """Every finding, sortable by any column and filterable by severity, table, triage, text."""
    triage = triage or {}
    findings = result.findings
    tables = sorted({t for f in findings for t in f.tables}, key=lambda t: (t not in TABLE_CODES, t))
    opts = lambda values: '<option value="">all</option>' + "".join(f'<option value="{e(v)}">{e(v)}</option>' for v in values)
    parts = [assets(), '<div class="al">', '<div class="al-filters">',
             f'<label>severity <select id="al-f-severity">{opts(SEVERITY_ORDER)}</select></label>',
             f'<label>table <select id="al-f-table">{opts(tables)}</select></label>',
             f'<label>triage <select id="al-f-triage">{opts(["untriaged", "confirmed", "explained", "false alarm"])}</select></label>',
             '<label>text <input id="al-f-text" type="search" placeholder="filter…"></label>',
             '<span id="al-f-count"></span></div>',
             '<table id="al-findings"><thead><tr><th>#</th><th>severity</th><th>tables</th><th>location</th>'
             "<th>where</th><th>expected</th><th>printed</th><th>difference</th><th>message</th><th>rule</th>"
             "<th>triage</th></tr></thead><tbody>"]
    for i, f in enumerate(findings):
        t = triage.get(f.key)
        status = t.get("status") if t else "untriaged"
        sortkey = f.page if f.page is not None else (f.line if f.line is not None else "")
        parts.append(
            f'<tr id="{anchor(i)}" class="al-row" data-key="{e(f.key)}" data-rule="{e(f.id)}" '
            f'data-severity="{e(f.severity)}" data-tables="{e(" ".join(f.tables))}" data-triage="{e(status)}">'
            f"<td class=num>{i + 1}</td>"
            f'<td data-sort="{SEVERITY_ORDER.get(f.severity, 9)}">{severity_badge(f.severity)}</td>'
            f"<td>{' '.join(_table_link(c) for c in f.tables)}</td><td>{e(f.location)}</td>"
            f'<td data-sort="{e(sortkey)}">{e(where(f))}</td>'
            f"<td class=num>{e(fmt_number(f.expected))}</td><td class=num>{e(fmt_number(f.actual))}</td>"
            f"<td class=num>{e(fmt_number(f.difference))}</td><td class=al-msg>{e(f.message)}</td>"
            f'<td title="{e(f.rule)}">{e(f.id)}</td><td>{triage_badge(t)}</td></tr>')
    parts.append("</tbody></table>")
    if not findings:
        parts.append('<p class="al-empty">No findings.</p>')
    stale = sorted(k for k in triage if k not in {f.key for f in findings})
    if stale:
        parts.append("<p>Triage entries whose finding is no longer reported:</p><ul>")
        parts.extend(f"<li>{e(k)}: {triage_badge(triage[k])}</li>" for k in stale)
        parts.append("</ul>")
    parts.append(f"<script>{JS}</script></div>")
    text = [f"{len(findings)} findings"]
    text += [f"  {f.severity:7} {' '.join(f.tables):9} {f.id}" for f in sort_findings(findings)]
    if triage:
        c = Counter((triage[f.key]["status"] if f.key in triage else "untriaged") for f in findings)
        text.append("triage: " + ", ".join(f"{k} {v}" for k, v in sorted(c.items())))
    return Block("".join(parts), "\n".join(text))


def _table_link(code: str) -> str:
    return f'<a href="#al-{e(code)}">{e(code)}</a>' if code in TABLE_CODES else e(code)


def finding_card(f, index: int, triage: dict | None = None) -> str:
    triage = triage or {}
    vals = ""
    if f.expected is not None or f.actual is not None:
        vals = (f"<div>expected <b>{e(fmt_number(f.expected))}</b> · printed <b>{e(fmt_number(f.actual))}</b>"
                + (f" · difference <b>{e(fmt_number(f.difference))}</b>" if f.difference is not None else "") + "</div>")
    return (f'<div class="al-finding al-{e(f.severity)}" data-key="{e(f.key)}">'
            f'{severity_badge(f.severity)} <a href="#{anchor(index)}">#{index + 1}</a> {e(f.location)} '
            f"<span class=al-meta>{e(where(f))}</span> {triage_badge(triage.get(f.key))}"
            f"<div>{e(f.message)}</div>{vals}<div class=al-meta>{e(f.id)}: {e(f.rule)}</div></div>")


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
    return min((f.severity for _, f in fs), key=lambda s: SEVERITY_ORDER.get(s, 9))


def _grid(table, rows: pd.DataFrame, columns: list[str], cells, hierarchical: bool) -> tuple[str, int]:
    names = table.spec.column_names
    head = "<tr>" + ("<th>code</th>" if hierarchical else "") + "<th>项目</th>" + "".join(
        f"<th>{e(names.get(c, c))}</th>" for c in columns) + "</tr>"
    body, marked = [], 0
    for key, row in rows.iterrows():
        label = row.get("label") or row.get("name") or key
        if hierarchical and row.get("name"):
            label = row.get("name")
        count = table.code == "T10" or bool(COUNT_LABEL.search(str(label)))
        tds = []
        for c in columns:
            fs = cells.get((table.code, str(key), c), [])
            v = e(fmt_number(row.get(c), count))
            if fs:
                marked += 1
                title = " | ".join(f"#{i + 1} {f.severity}: {f.message}" for i, f in fs)
                refs = " ".join(anchor(i) for i, _ in fs)  # ids of the findings-table rows (keys hold spaces)
                tds.append(f'<td class="num al-hl al-hl-{_worst(fs)}" data-findings="{e(refs)}" title="{e(title)}">'
                           f'<a href="#{anchor(fs[0][0])}">{v}</a></td>')
            else:
                tds.append(f"<td class=num>{v}</td>")
        level = row.get("level") or ""
        code = f"<td>{e(row.get('code') or '')}</td>" if hierarchical else ""
        body.append(f'<tr class="lvl-{e(level)}" data-row="{e(key)}">{code}<td class=name>{e(label)}</td>{"".join(tds)}</tr>')
    return f"<table>{head}{''.join(body)}</table>", marked


def table_view(table, findings, triage: dict | None = None) -> Block:
    """One standard table as printed (halves side by side), highlighted cells, findings beside."""
    code = table.code
    cells = cell_findings(findings)
    mine = [(i, f) for i, f in enumerate(findings) if code in f.tables]
    title = table.title or SPECS[code].title
    meta = " · ".join(str(x) for x in (table.label, f"编制单位：{table.department}" if table.department else None,
                                       f"{table.year}年度" if table.year else None,
                                       f"金额单位：{table.unit}" if table.unit else None,
                                       where(table), f"status: {table.status}") if x)
    parts = [assets(), f'<div class="al" id="al-{e(code)}"><h3>{e(code)} {e(title)}</h3><div class="al-meta">{e(meta)}</div>',
             '<div class="al-side"><div>']
    marked = 0
    data = table.data
    if table.status in ("missing",) or data is None or not len(data):
        msg = "not found in the document" if table.status == "missing" else "printed without data rows"
        parts.append(f'<p class="al-empty">{e(msg)}</p>')
    elif SPECS[code].halves:
        parts.append('<div class="al-halves">')
        for side, cols, _labels in SPECS[code].halves:
            rows = data[data["side"] == side]
            cols = [c for c in cols if c in data.columns]
            if len(rows):
                g, m = _grid(table, rows, cols, cells, False)
                parts.append(g)
                marked += m
        rest = data[~data["side"].isin([h[0] for h in SPECS[code].halves])]
        if len(rest):
            g, m = _grid(table, rest, table.columns, cells, False)
            parts.append(g)
            marked += m
        parts.append("</div>")
    else:
        g, m = _grid(table, data, table.columns, cells, SPECS[code].kind == "hierarchy")
        parts.append(g)
        marked += m
    for note in table.notes:
        parts.append(f'<div class="al-meta">{e(note)}</div>')
    for p in table.problems:
        parts.append(f'<div class="al-meta">reading problem: {e(p)}</div>')
    parts.append('</div><div class="al-notes">')
    if mine:
        parts.extend(finding_card(f, i, triage) for i, f in mine)
    else:
        parts.append('<p class="al-empty">No finding on this table.</p>')
    parts.append("</div></div></div>")
    by_rule = Counter(f.id for _, f in mine)
    text = (f"{code} {title}: {table.status}, {len(data) if data is not None else 0} rows, "
            f"{len(mine)} findings, {marked} cells highlighted")
    if by_rule:
        text += "\n" + "\n".join(f"  {r}: {n}" for r, n in sorted(by_rule.items()))
    return Block("".join(parts), text)


def other_findings(findings, codes=("META",), title="Document as a whole", triage=None) -> Block:
    mine = [(i, f) for i, f in enumerate(findings) if any(t in codes for t in f.tables)
            and not any(t in TABLE_CODES for t in f.tables)]
    parts = [assets(), f'<div class="al" id="al-{e(codes[0])}"><h3>{e(title)}</h3>']
    parts.extend(finding_card(f, i, triage) for i, f in mine)
    if not mine:
        parts.append('<p class="al-empty">None.</p>')
    parts.append("</div>")
    return Block("".join(parts), f"{title}: {len(mine)} findings" + "".join(
        f"\n  {r}: {n}" for r, n in sorted(Counter(f.id for _, f in mine).items())))


# --------------------------------------------------------------------------- claims


def claims_view(result, triage=None) -> Block:
    claims = list(result.claims or [])
    cov = result.coverage
    parts = [assets(), '<div class="al" id="al-NARR"><h3>Narrative and performance claims</h3>',
             f"<div class=al-meta>claims found {cov['found']} · mapped to a table cell {cov['mapped']} · "
             f"checked {cov['checked']}</div>"]
    if not claims:
        parts.append('<p class="al-empty">No claim extracted from the narrative.</p>')
    else:
        parts.append("<table><tr><th>section</th><th>sentence</th><th>subject</th><th>printed</th><th>tables say</th>"
                     "<th>target</th><th>verdict</th><th>where</th></tr>")
        for c in claims:
            printed = f"{fmt_number(c.value) if c.value is not None else ''} {c.unit or ''}".strip()
            expected = fmt_number(c.expected) if c.expected is not None else ""
            parts.append(f"<tr><td>{e(c.section)}</td><td>{e(c.text)}</td><td>{e(c.subject)}</td>"
                         f"<td class=num>{e(printed)}</td><td class=num>{e(expected)}</td><td>{e(c.target or '')}</td>"
                         f'<td class="al-{e(c.verdict)}">{e(c.verdict)}{(" " + e(c.rule)) if c.rule else ""}</td>'
                         f"<td>{e(where(c))}</td></tr>")
        parts.append("</table>")
        unchecked = [c for c in claims if c.verdict == "unchecked"]
        parts.append(f"<h4>Unchecked claims ({len(unchecked)})</h4>")
        if unchecked:
            parts.append("<ul>" + "".join(f"<li>{e(c.subject)}: {e(c.text)} <span class=al-meta>{e(where(c))}"
                                          f"{' · no table cell mapped' if c.target is None else ''}</span></li>"
                                          for c in unchecked) + "</ul>")
    narr = [(i, f) for i, f in enumerate(result.findings) if "NARR" in f.tables]
    if narr:
        parts.append("<h4>Narrative findings</h4>")
        parts.extend(finding_card(f, i, triage) for i, f in narr)
    parts.append("</div>")
    verdicts = Counter(c.verdict for c in claims)
    text = (f"claims: found {cov['found']}, mapped {cov['mapped']}, checked {cov['checked']}; "
            + ", ".join(f"{k} {verdicts.get(k, 0)}" for k in ("ok", "mismatch", "unchecked"))
            + f"; NARR findings {len(narr)}")
    return Block("".join(parts), text)


# --------------------------------------------------------------------------- performance


def _frame(df: pd.DataFrame, columns: list[str]) -> str:
    cols = [c for c in columns if c in df.columns]
    head = "<tr>" + "".join(f"<th>{e(c)}</th>" for c in cols) + "</tr>"
    rows = []
    for _, r in df.iterrows():
        tds = []
        for c in cols:
            v = r[c]
            if isinstance(v, float):
                tds.append(f"<td class=num>{e(fmt_number(v, True))}</td>")
            else:
                tds.append(f"<td>{e('' if v is None else v)}</td>")
        rows.append("<tr>" + "".join(tds) + "</tr>")
    return f"<table>{head}{''.join(rows)}</table>"


def performance_view(result, triage=None) -> Block:
    perf = result.report.performance
    parts = [assets(), '<div class="al" id="al-PERF"><h3>Performance section</h3>',
             f"<div class=al-meta>{len(perf.paragraphs)} paragraphs · {len(perf.tables)} project tables · "
             f"{len(perf.self_evaluations)} self-evaluations · {len(perf.score_sheets)} score sheets</div>"]
    for ev in perf.self_evaluations:
        parts.append(f"<h4>项目支出绩效自评表：{e(ev.project)}</h4><div class=al-meta>{e(where(ev))} · "
                     f"Σ分值 {e(fmt_number(ev.total_weight, True))} · 总分 {e(fmt_number(ev.total_score, True))}</div>")
        funds = ev.funds or {}
        parts.append("<table><tr>" + "".join(f"<th>{e(k)}</th>" for k in funds) + "</tr><tr>"
                     + "".join(f"<td class=num>{e(fmt_number(v, True))}</td>" for v in funds.values()) + "</tr></table>")
        if ev.indicators is not None and len(ev.indicators):
            parts.append(_frame(ev.indicators, ["level1", "level2", "indicator", "target", "actual", "weight",
                                                "score", "reason"]))
    for sh in perf.score_sheets:
        parts.append(f"<h4>评分表：{e(sh.title)}</h4><div class=al-meta>{e(where(sh))} · 总分 "
                     f"{e(fmt_number(sh.total_score, True))} · 等级 {e(sh.grade or '—')}</div>")
        if sh.items is not None and len(sh.items):
            parts.append(_frame(sh.items, ["level1", "level2", "indicator", "weight", "score"]))
    pf = [(i, f) for i, f in enumerate(result.findings) if "PERF" in f.tables]
    parts.append("<h4>Performance findings</h4>")
    parts.extend(finding_card(f, i, triage) for i, f in pf)
    if not pf:
        parts.append('<p class="al-empty">None.</p>')
    parts.append("</div>")
    text = (f"performance: {len(perf.self_evaluations)} self-evaluations, {len(perf.score_sheets)} score sheets, "
            f"{len(pf)} findings" + "".join(f"\n  {r}: {n}" for r, n in sorted(Counter(f.id for _, f in pf).items())))
    return Block("".join(parts), text)
