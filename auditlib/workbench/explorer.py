"""The notebook's widgets for JupyterLab: pick a table, filter findings by severity and
table, change the tolerance (re-checks the loaded model), triage a finding."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from auditlib.workbench.results import recheck
from auditlib.workbench.triage import TRIAGE_STATUSES, default_triage_path, read_triage, set_triage


def explorer(result, triage_path: str | Path | None = None, tolerance: float | None = None,
             rules: list[str | Path] | None = None, check_params: dict | None = None):
    """The explorer of one checked report; without a `triage_path` the decisions go next to
    the report (`default_triage_path`); `rules` (the run's rule files) and `check_params`
    (profile, published_on, approved_on) are kept on re-check."""
    import ipywidgets as w
    from IPython.display import display

    from auditlib.report import html

    triage_path = Path(triage_path) if triage_path else default_triage_path(result.report.path)
    state = {"result": result}
    zh = html.TABLE_NAMES
    table_pick = w.Dropdown(options=[(zh.get(c, c), c) for c in result.report.tables], description="表")
    sev = w.SelectMultiple(options=[(html.SEVERITY_ZH[s], s) for s in html.SEVERITIES],
                           value=html.SEVERITIES, description="级别", rows=3)
    tab = w.Dropdown(options=[("全部", "all")], value="all", description="涉及的表")
    printed = w.Checkbox(value=tolerance is None, description="按印刷精度（半个末位）")
    tol = w.BoundedFloatText(value=0.005 if tolerance is None else float(tolerance), min=0.0, max=1000.0,
                             step=0.001, description="容差（万元）", disabled=tolerance is None)
    printed.observe(lambda change: setattr(tol, "disabled", change["new"]), "value")
    recheck_btn = w.Button(description="重新核对", icon="refresh")
    pick = w.Dropdown(description="问题", layout=w.Layout(width="90%"))
    status = w.ToggleButtons(options=[(html.TRIAGE_ZH[s], s) for s in ("untriaged", *TRIAGE_STATUSES)],
                             description="处理")
    comment = w.Textarea(description="说明", layout=w.Layout(width="90%"))
    save = w.Button(description="保存处理结果", button_style="primary")
    out_table, out_findings, out_msg = w.Output(), w.Output(), w.Output()

    def findings():
        fs = state["result"].findings
        return [f for f in fs if f.severity in sev.value and (tab.value == "all" or tab.value in f.tables)]

    def refresh(*_):
        r = state["result"]
        tab.options = [("全部", "all"), *((zh.get(t, t), t) for t in sorted({t for f in r.findings for t in f.tables}))]
        triage = read_triage(triage_path)
        out_table.clear_output()
        with out_table:
            display(html.table_view(r.report.tables[table_pick.value], r.findings, triage, r.report))
        out_findings.clear_output()
        with out_findings:
            display(html.findings_table(SimpleNamespace(findings=findings()), triage))
        pick.options = [(f"[{html.SEVERITY_ZH.get(f.severity, f.severity)}] {f.location} — {f.id}", f.key)
                        for f in r.findings]

    def on_pick(*_):
        entry = read_triage(triage_path).get(pick.value or "", {})
        status.value = entry.get("status", "untriaged")
        comment.value = entry.get("comment", "")

    def on_recheck(_):
        state["result"] = recheck(state["result"], None if printed.value else tol.value, rules, check_params)
        refresh()

    def on_save(_):
        out_msg.clear_output()
        with out_msg:
            f = next(f for f in state["result"].findings if f.key == pick.value)
            set_triage(triage_path, f, None if status.value == "untriaged" else status.value, comment.value)
            print(f"已保存到 {triage_path}")
        refresh()

    table_pick.observe(refresh, "value")
    sev.observe(refresh, "value")
    tab.observe(refresh, "value")
    pick.observe(on_pick, "value")
    recheck_btn.on_click(on_recheck)
    save.on_click(on_save)
    refresh()
    on_pick()
    return w.VBox([w.HBox([printed, tol, recheck_btn]), table_pick, out_table, w.HBox([sev, tab]), out_findings,
                   w.HTML("<b>处理结果</b>"), pick, status, comment, save, out_msg])
