"""auditlib: read a department's 部门决算 report (PDF, scan or converter text) into a typed
model and reconcile it with a catalog of rules.

    from auditlib import read_report, check, render
    result = check(read_report("doc.pdf"))            # the bundled catalog, printed precision
    print(render(result, "text"))                     # or "json" (docs/findings-contract.md), "csv"

The pipeline, one way: core (`schema`, `model`, `numbers`, `names`, `errors`, `files`,
`yamlfiles`, `environment`) → `ingest` → `rules` → `report` → `workbench` → `batch` → `cli`.
The names below are the public API; each is imported when first asked for.
"""

from __future__ import annotations

from importlib import import_module

__all__ = ["AuditlibError", "CheckResult", "InputError", "SettingsError", "check", "load_catalog", "read_report",
           "render", "run", "run_batch"]

_HOME = {"AuditlibError": "auditlib.errors", "InputError": "auditlib.errors", "SettingsError": "auditlib.errors",
         "read_report": "auditlib.ingest", "check": "auditlib.rules", "load_catalog": "auditlib.rules",
         "CheckResult": "auditlib.rules", "render": "auditlib.report", "run": "auditlib.workbench",
         "run_batch": "auditlib.batch"}


def __getattr__(name: str):
    if name in _HOME:
        return getattr(import_module(_HOME[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
