"""The workbench: run one department's audit notebook and keep what it produced.

    auditlib run params/nanchang-bigdata-2021.yaml [--out reports] [--rules my-rules.yaml]
    auditlib run REPORT.pdf                              # params derived from the input

writes `DIR/<slug>/`:

* `audit.ipynb`   the executed notebook (papermill),
* `findings.json` the contract's JSON (`auditlib check --format json`) plus `triage`,
* `report.html`   the notebook rendered by nbconvert without code cells: self-contained,
                  opens offline, every finding of `auditlib check`, sortable and filterable,
* `triage.yaml`   the auditors' decisions, keyed by finding `key`; written by the notebook's
                  widgets (or by hand), never by a run, and read by every later run.

One job a module: `params` (what a run audits), `results` (the checked report, read once and
handed to the kernel), `notebook` (the package's notebook, its kernel and HTML), `walkthrough`
(the notebook's parameters and what each of its sections shows), `runner` (one run, written
atomically), `triage` (the decisions file), `explorer` (the widgets: filters, triage, review)
with `findings_list` (the clickable list).
"""

from __future__ import annotations

__all__ = ["RunParams", "explorer", "resolve_params", "run"]


def __getattr__(name: str):
    """The face's names, imported when first asked for (`auditlib.workbench.params`, which the
    command line reads at its start, must not load papermill)."""
    if name in ("RunParams", "resolve_params"):
        from auditlib.workbench import params

        return getattr(params, name)
    if name == "run":
        from auditlib.workbench.runner import run

        return run
    if name == "explorer":
        from auditlib.workbench.explorer import explorer

        return explorer
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
