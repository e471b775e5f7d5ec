"""The notebook's widgets for JupyterLab: pick a table, filter findings by severity and
table, change the tolerance (re-checks the loaded model), triage a finding."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from auditlib.workbench.results import recheck
from auditlib.names import TRIAGE_STATUSES, UNTRIAGED
from auditlib.workbench.triage import default_triage_path, read_triage, set_triage


def explorer(result, triage_path: str | Path | None = None, tolerance: float | None = None,
             rules: list[str | Path] | None = None, check_params: dict | None = None):
    """The explorer of one checked report; without a `triage_path` the decisions go next to
    the report (`default_triage_path`); `rules` (the run's rule files) and `check_params`
    (profile, published_on, approved_on) are kept on re-check."""
    return Explorer(result, triage_path, tolerance, rules, check_params).box


class Explorer:
    """The widgets and what each does; `box` is what the notebook displays."""

    def __init__(self, result, triage_path, tolerance, rules, check_params) -> None:
        import ipywidgets as w

        from auditlib.report import html

        self.result, self.rules, self.check_params = result, rules, check_params
        self.triage_path = Path(triage_path) if triage_path else default_triage_path(result.report.path)
        zh = html.TABLE_NAMES
        self.table_pick = w.Dropdown(options=[(zh.get(c, c), c) for c in result.report.tables], description="表")
        self.sev = w.SelectMultiple(options=[(html.SEVERITY_ZH[s], s) for s in html.SEVERITIES],
                                    value=html.SEVERITIES, description="级别", rows=3)
        self.tab = w.Dropdown(options=[("全部", "all")], value="all", description="涉及的表")
        self.printed = w.Checkbox(value=tolerance is None, description="按印刷精度（半个末位）")
        self.tol = w.BoundedFloatText(value=0.005 if tolerance is None else float(tolerance), min=0.0, max=1000.0,
                                      step=0.001, description="容差（万元）", disabled=tolerance is None)
        self.printed.observe(lambda change: setattr(self.tol, "disabled", change["new"]), "value")
        recheck_btn = w.Button(description="重新核对", icon="refresh")
        self.pick = w.Dropdown(description="问题", layout=w.Layout(width="90%"))
        self.status = w.ToggleButtons(options=[UNTRIAGED, *TRIAGE_STATUSES],
                                      description="处理")
        self.comment = w.Textarea(description="说明", layout=w.Layout(width="90%"))
        save = w.Button(description="保存处理结果", button_style="primary")
        self.out_table, self.out_findings, self.out_msg = w.Output(), w.Output(), w.Output()
        for widget in (self.table_pick, self.sev, self.tab):
            widget.observe(self.refresh, "value")
        self.pick.observe(self.on_pick, "value")
        recheck_btn.on_click(self.on_recheck)
        save.on_click(self.on_save)
        self.refresh()
        self.on_pick()
        self.box = w.VBox([w.HBox([self.printed, self.tol, recheck_btn]), self.table_pick, self.out_table,
                           w.HBox([self.sev, self.tab]), self.out_findings, w.HTML("<b>处理结果</b>"), self.pick,
                           self.status, self.comment, save, self.out_msg])

    def findings(self) -> list:
        return [f for f in self.result.findings
                if f.severity in self.sev.value and (self.tab.value == "all" or self.tab.value in f.tables)]

    def refresh(self, *_) -> None:
        from IPython.display import display

        from auditlib.report import html

        r, zh = self.result, html.TABLE_NAMES
        self.tab.options = [("全部", "all"), *((zh.get(t, t), t) for t in sorted({t for f in r.findings for t in f.tables}))]
        triage = read_triage(self.triage_path)
        self.out_table.clear_output()
        with self.out_table:
            display(html.table_view(r.report.tables[self.table_pick.value], r.findings, triage, r.report))
        self.out_findings.clear_output()
        with self.out_findings:
            display(html.findings_table(SimpleNamespace(findings=self.findings()), triage))
        self.pick.options = [(f"[{html.SEVERITY_ZH.get(f.severity, f.severity)}] {f.location} — {f.id}", f.key)
                             for f in r.findings]

    def on_pick(self, *_) -> None:
        entry = read_triage(self.triage_path).get(self.pick.value or "", {})
        self.status.value = entry.get("status", UNTRIAGED)
        self.comment.value = entry.get("comment", "")

    def on_recheck(self, _) -> None:
        self.result = recheck(self.result, None if self.printed.value else self.tol.value, self.rules,
                              self.check_params)
        self.refresh()

    def on_save(self, _) -> None:
        self.out_msg.clear_output()
        with self.out_msg:
            f = next(f for f in self.result.findings if f.key == self.pick.value)
            set_triage(self.triage_path, f, None if self.status.value == UNTRIAGED else self.status.value,
                       self.comment.value)
            print(f"已保存到 {self.triage_path}")
        self.refresh()
