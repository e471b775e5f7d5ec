"""The notebook's findings explorer for JupyterLab, top to bottom: one filter bar, the list of
findings (click a row to pick it), the picked finding with its page crop, its triage (status,
note, 处理人, save) and its review (复核人, 同意 / 退回, note, save).  Re-checking at another
tolerance sits folded under the list; the decisions go to the triage file
(`auditlib.workbench.triage`), which every later run and the HTML report read.
"""

from __future__ import annotations

from pathlib import Path

from markupsafe import escape

from auditlib.names import REVIEW_VERDICTS, SEVERITY_ZH, TRIAGE_STATUSES, UNTRIAGED, table_name
from auditlib.report import html
from auditlib.report.page import assets
from auditlib.rules.findings import SEVERITIES, severity_rank
from auditlib.workbench.findings_list import FindingsList, row
from auditlib.workbench.results import recheck
from auditlib.workbench.triage import default_triage_path, read_triage, review_triage, set_triage

ALL = "全部"
PENDING, RETURNED = "待复核", "已退回"  # decided but not reviewed; reviewed and sent back
HINT = "<i>点击上方列表中的一条问题，在此记录处理结果与复核意见。</i>"


def explorer(result, triage_path: str | Path | None = None, tolerance: float | None = None,
             rules: list[str | Path] | None = None, check_params: dict | None = None,
             auditor: str | None = None, reviewer: str | None = None) -> Explorer:
    """The explorer of one checked report; without a `triage_path` the decisions go next to
    the report (`default_triage_path`); `rules` (the run's rule files) and `check_params`
    (profile, published_on, approved_on) are kept on re-check; `auditor` and `reviewer` fill
    处理人 and 复核人 (both can be typed over)."""
    return Explorer(result, triage_path, tolerance, rules, check_params, auditor, reviewer)


def _filters(w, result) -> dict:
    """The one filter bar's widgets: 级别, 表, 处理状态, a text to look for."""
    tables = sorted({t for f in result.findings for t in f.tables}, key=html.table_order)
    narrow, label = w.Layout(width="auto"), {"description_width": "initial"}
    return {"severity": w.Dropdown(options=[(ALL, ALL), *((SEVERITY_ZH[s], s) for s in SEVERITIES)], value=ALL,
                                   description="级别", layout=narrow, style=label),
            "table": w.Dropdown(options=[(ALL, ALL), *((table_name(result.report, t), t) for t in tables)], value=ALL,
                                description="表", layout=narrow, style=label),
            "status": w.Dropdown(options=[(s, s) for s in (ALL, UNTRIAGED, *TRIAGE_STATUSES, PENDING, RETURNED)],
                                 value=ALL, description="处理状态", layout=narrow, style=label),
            "text": w.Text(placeholder="位置、说明或规则中的文字", description="查找", layout=w.Layout(width="18em"),
                           style=label)}


def matches(f, entry: dict | None, severity: str, table: str, status: str, text: str) -> bool:
    """Whether a finding passes the filter bar (`ALL` lets everything through)."""
    review = (entry or {}).get("review")
    state = {UNTRIAGED: entry is None, PENDING: bool(entry) and not review,
             RETURNED: bool(review) and review["verdict"] == "退回"}.get(status)
    if state is None:
        state = status == ALL or (entry or {}).get("status") == status
    text = text.strip()
    return (state and severity in (ALL, f.severity) and table in (ALL, *f.tables)
            and (not text or any(text in (s or "") for s in (f.location, f.message, f.id))))


class Explorer:
    """The widgets and what each does; `box` is what the notebook displays."""

    def __init__(self, result, triage_path, tolerance, rules, check_params, auditor, reviewer) -> None:
        import ipywidgets as w

        self.result, self.rules, self.check_params = result, rules, check_params
        self.triage_path = Path(triage_path) if triage_path else default_triage_path(result.report.path)
        self.filters = _filters(w, result)
        self.count = w.HTML()
        self.list = FindingsList()
        self.detail = w.HTML(HINT)
        self.status = w.ToggleButtons(options=[UNTRIAGED, *TRIAGE_STATUSES], description="处理状态",
                                      style={"description_width": "initial", "button_width": "5em"})
        self.comment = w.Textarea(description="说明", placeholder="处理依据、核实情况", layout=w.Layout(width="95%"))
        self.by = w.Text(value=auditor or "", description="处理人", placeholder="审核人员姓名")
        self.save = w.Button(description="保存处理结果", button_style="primary", icon="save")
        self.review_line = w.HTML()
        self.reviewer = w.Text(value=reviewer or "", description="复核人", placeholder="复核人员姓名")
        self.verdict = w.ToggleButtons(options=list(REVIEW_VERDICTS), value=None, description="复核意见",
                                       style={"description_width": "initial", "button_width": "5em"})
        self.review_comment = w.Textarea(description="复核说明", layout=w.Layout(width="95%"),
                                         style={"description_width": "initial"})
        self.review = w.Button(description="保存复核", icon="check")
        self.message = w.HTML()
        self.box = self._layout(w, tolerance)
        for widget in self.filters.values():
            widget.observe(self.refresh, "value")
        self.list.observe(self.on_select, "selected")
        self.save.on_click(self.on_save)
        self.review.on_click(self.on_review)
        self.refresh()
        self.on_select()

    def _layout(self, w, tolerance):
        """filters → list → (re-check, folded) → the picked finding → triage → review → message."""
        self.printed = w.Checkbox(value=tolerance is None, description="按印刷精度（半个末位）")
        self.tol = w.BoundedFloatText(value=0.005 if tolerance is None else float(tolerance), min=0.0, max=1000.0,
                                      step=0.001, description="容差（万元）", disabled=tolerance is None,
                                      style={"description_width": "initial"})
        self.printed.observe(lambda change: setattr(self.tol, "disabled", change["new"]), "value")
        again = w.Button(description="重新核对", icon="refresh")
        again.on_click(self.on_recheck)
        retune = w.Accordion(children=[w.HBox([self.printed, self.tol, again])], selected_index=None)
        retune.set_title(0, "按其他容差重新核对（不重新读取文件）")
        wrap = w.Layout(flex_flow="row wrap", align_items="center")
        triage = w.VBox([w.HTML("<b>处理</b>"), self.status, self.comment, w.HBox([self.by, self.save], layout=wrap)])
        review = w.VBox([w.HTML("<b>复核</b>"), self.review_line, w.HBox([self.reviewer, self.verdict], layout=wrap),
                         self.review_comment, self.review])
        return w.VBox([w.HBox([*self.filters.values(), self.count], layout=wrap), self.list, retune,
                       self.detail, triage, review, self.message], layout=w.Layout(width="100%"))

    def _repr_mimebundle_(self, **kwargs):
        return self.box._repr_mimebundle_(**kwargs)

    def finding(self, key: str | None):
        return next((f for f in self.result.findings if f.key == key), None)

    def refresh(self, *_) -> None:
        """The list as the filters and the triage file say, sorted by severity, then table."""
        triage = read_triage(self.triage_path)
        number = {f.key: i + 1 for i, f in enumerate(self.result.findings)}
        values = {k: (v.value or "") if k == "text" else v.value for k, v in self.filters.items()}
        ordered = sorted(self.result.findings, key=lambda f: (severity_rank(f.severity), f.tables[0] if f.tables else ""))
        shown = [f for f in ordered if matches(f, triage.get(f.key), **values)]  # within a table: as numbered
        self.list.rows = [row(f, number[f.key], triage.get(f.key), self.result.report) for f in shown]
        self.count.value = f"显示 {len(shown)} / {len(self.result.findings)} 条"

    def on_select(self, *_) -> None:
        """A row clicked: the finding (with its page crop) and what was decided on it so far."""
        f = self.finding(self.list.selected)
        for widget in (self.status, self.comment, self.by, self.save, self.reviewer, self.verdict,
                       self.review_comment, self.review):
            widget.disabled = f is None
        if f is None:
            self.detail.value, self.review_line.value = HINT, ""
            return
        index = self.result.findings.index(f)
        entry = read_triage(self.triage_path).get(f.key, {})
        card = html.finding_card(f, index, {f.key: entry} if entry else {}, report=self.result.report)
        self.detail.value = f"{assets()}<div class='al'>{card}</div>"
        self.status.value = entry.get("status", UNTRIAGED)
        self.comment.value = entry.get("comment", "")
        review = entry.get("review") or {}
        self.verdict.value = review.get("verdict")
        self.review_comment.value = review.get("comment", "")
        self.review_line.value = self._review_line(entry)
        self.message.value = ""

    @staticmethod
    def _review_line(entry: dict) -> str:
        """Who decided and who reviewed, as recorded."""
        if not entry:
            return "<span style='color:#777'>尚无处理结果：先保存处理结果，再复核。</span>"
        review = entry.get("review")
        said = f"{escape(entry['status'])}（{escape(entry.get('by') or '未署名')}，{escape(entry.get('at', ''))}）"
        if not review:
            return f"处理：{said}；尚未复核。"
        return (f"处理：{said}；复核：{escape(review['verdict'])}（{escape(review.get('by') or '未署名')}，"
                f"{escape(review.get('at', ''))}）")

    def _say(self, text: str, ok: bool = True) -> None:
        self.message.value = f"<span style='color:{'#2e7d32' if ok else '#c62828'}'>{escape(text)}</span>"

    def on_save(self, _=None) -> None:
        """Save the decision on the picked finding; the list shows its new status."""
        f = self.finding(self.list.selected)
        if f is None:
            return
        status = None if self.status.value == UNTRIAGED else self.status.value
        old = read_triage(self.triage_path).get(f.key)
        if status is None and (self.comment.value.strip() or not old):
            self._say(f"未保存：请先选择处理状态（{' / '.join(TRIAGE_STATUSES)}）" if self.comment.value.strip()
                      else "未保存：本条尚无处理结果", ok=False)  # a typed note is never dropped unsaid
            return
        set_triage(self.triage_path, f, status, self.comment.value, by=self.by.value.strip() or None)
        self.refresh()
        self.on_select()
        if status is None:
            self._say(f"已撤销处理结果{'及其复核' if old.get('review') else ''}：{f.location}（{self.triage_path}）")
        else:
            self._say(f"已保存：{f.location} → {status}（{self.triage_path}）")

    def on_review(self, _=None) -> None:
        """Save the review (复核) of the decision on the picked finding: reviewer and verdict required."""
        f = self.finding(self.list.selected)
        if f is None:
            return
        if not self.reviewer.value.strip() or not self.verdict.value:
            self._say("复核须填写复核人并选择 同意 或 退回", ok=False)
            return
        try:
            review_triage(self.triage_path, f.key, self.verdict.value, self.review_comment.value,
                          by=self.reviewer.value.strip())
        except ValueError as exc:
            self._say(str(exc), ok=False)
            return
        self.refresh()
        self.on_select()
        self._say(f"已复核：{f.location} → {self.verdict.value}（{self.reviewer.value.strip()}）")

    def on_recheck(self, _=None) -> None:
        self.result = recheck(self.result, None if self.printed.value else self.tol.value, self.rules,
                              self.check_params)
        self.refresh()
        self.on_select()
