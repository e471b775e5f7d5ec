"""The explorer's list of findings: a table whose rows are clicked to pick the finding to triage.

An anywidget (a small ES module in the page, no build step, shipped with its JupyterLab
extension in the `anywidget` wheel): the rows are data (`rows`), the click sets `selected` (a
finding key) back in the kernel.  Its columns wrap where text can wrap — 位置 and 问题说明 take
what width is left, never squeezed to a few characters — while 序号, 级别 and 处理状态 keep one
line; the list scrolls inside a fixed height under a header that stays in view, so the
controls below it stay where they are however many findings there are.
"""

from __future__ import annotations

import anywidget
import traitlets

from auditlib.names import SEVERITY_ZH, UNTRIAGED, table_name

HEADINGS = (("n", "序号"), ("sev", "级别"), ("tab", "表"), ("loc", "位置"), ("msg", "问题说明"), ("st", "处理状态"))

ESM = """
function render({ model, el }) {
  const box = document.createElement("div");
  box.className = "al-list";
  el.appendChild(box);
  function cell(tr, cls, text) {
    const td = document.createElement("td");
    td.className = cls;
    td.textContent = text;
    tr.appendChild(td);
  }
  function draw() {
    const selected = model.get("selected");
    const table = document.createElement("table");
    table.innerHTML = "<colgroup><col class='n'><col class='sev'><col class='tab'><col class='loc'><col class='msg'>"
      + "<col class='st'></colgroup><thead><tr></tr></thead><tbody></tbody>";
    for (const [cls, text] of model.get("headings")) {
      const th = document.createElement("th");
      th.className = cls;
      th.textContent = text;
      table.tHead.rows[0].appendChild(th);
    }
    for (const r of model.get("rows")) {
      const tr = document.createElement("tr");
      tr.className = "al-" + r.severity + (r.key === selected ? " al-selected" : "");
      tr.dataset.key = r.key;
      tr.title = "点击以处理这条问题";
      for (const [cls] of model.get("headings")) cell(tr, cls, r[cls]);
      tr.addEventListener("click", () => { model.set("selected", r.key); model.save_changes(); });
      table.tBodies[0].appendChild(tr);
    }
    box.replaceChildren(table);
  }
  model.on("change:rows", draw);
  model.on("change:selected", draw);
  draw();
}
export default { render };
"""

CSS = """
.al-list { max-height: 360px; overflow-y: auto; border: 1px solid #ccc; font-size: 13px; }
.al-list table { width: 100%; table-layout: fixed; border-collapse: collapse; }
.al-list col.n { width: 3.6em; } .al-list col.sev { width: 3.4em; } .al-list col.tab { width: 6.2em; }
.al-list col.loc { width: 26%; } .al-list col.st { width: 7.4em; }
.al-list th { position: sticky; top: 0; background: #f3f3f3; text-align: left; font-weight: 600; z-index: 1; }
.al-list th, .al-list td { padding: 3px 6px; border-bottom: 1px solid #e6e6e6; vertical-align: top;
  text-align: left; overflow-wrap: anywhere; }
.al-list td.n, .al-list td.sev, .al-list td.st, .al-list th { white-space: nowrap; }
.al-list td.st { white-space: pre-line; }
.al-list tbody tr { cursor: pointer; }
.al-list tbody tr:hover { background: #eef4fb; }
.al-list tbody tr.al-selected { background: #d7e7fa; outline: 2px solid #1565c0; outline-offset: -2px; }
.al-list tr.al-error td.sev { color: #c62828; font-weight: 600; }
.al-list tr.al-warning td.sev { color: #b26a00; }
.al-list tr.al-info td.sev { color: #1565c0; }
"""


class FindingsList(anywidget.AnyWidget):
    """Rows (dicts keyed by the HEADINGS' classes, plus `key` and `severity`) and the key of
    the row last clicked."""

    _esm = traitlets.Unicode(ESM).tag(sync=True)
    _css = traitlets.Unicode(CSS).tag(sync=True)
    headings = traitlets.List(traitlets.List(), [list(h) for h in HEADINGS]).tag(sync=True)
    rows = traitlets.List(traitlets.Dict()).tag(sync=True)
    selected = traitlets.Unicode("").tag(sync=True)


def status_text(entry: dict | None) -> str:
    """处理状态 as the list shows it: the decision, and under it the review when there is one."""
    if not entry:
        return UNTRIAGED
    review = entry.get("review")
    return entry["status"] + (f"\n复核{review['verdict']}" if review else "")


def row(f, number: int, entry: dict | None, report=None) -> dict:
    """One finding as a row of the list (`number` as in the report's findings table; `report`
    names its tables, a budget's by their printed titles)."""
    return {"key": f.key, "severity": f.severity, "n": f"#{number}", "sev": SEVERITY_ZH.get(f.severity, f.severity),
            "tab": " ".join(table_name(report, t) for t in f.tables), "loc": f.location or "",
            "msg": f.message, "st": status_text(entry)}
