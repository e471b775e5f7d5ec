"""The auditors' decisions on findings: DIR/<slug>/triage.yaml, keyed by finding `key`.

Written by the notebook's widgets (or by hand), never by a run, and read by every later run
and batch.  The file is people's work: a mistake in it (a misspelt status, broken YAML) stops the
run with its file and line rather than dropping a decision unseen.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import yaml

from auditlib import environment
from auditlib.files import atomic_write_text
from auditlib.workbench.params import PACKAGE, SAMPLE, safe_child, slug_for_input
from auditlib.yamlfiles import load

TRIAGE_STATUSES = ("confirmed", "explained", "false alarm")
TRIAGE_FILE = "triage.yaml"
SCHEMA = {  # {finding key: a decision}
    "type": ["object", "null"], "x-problem": "应为 “审核发现的 key: 处理决定” 的映射",
    "additionalProperties": {
        "type": "object", "required": ["status"], "additionalProperties": False,
        "properties": {"status": {"enum": list(TRIAGE_STATUSES)}, "comment": {}, "rule": {}, "location": {},
                       "message": {}, "by": {}, "at": {}},
    },
}


def reports_folder() -> Path:
    """Where `auditlib run` writes by default, as the notebook's kernel sees it: the folder
    named by AUDITLIB_REPORTS, else the checkout's reports/ (a kernel runs in notebooks/ or
    in the package folder), else ./reports of an installed package."""
    if environment.reports_folder():
        return environment.reports_folder()
    checkout = PACKAGE.parent
    return checkout / "reports" if (checkout / "pyproject.toml").exists() else Path("reports")


def default_triage_path(source: str | Path | None, slug: str | None = None, out: str | Path | None = None) -> Path:
    """Where the notebook keeps triage when no `triage_path` is set: next to the report that
    `auditlib run` writes for this input, so the decisions taken in JupyterLab are read back
    by the next run."""
    return safe_child(Path(out or reports_folder()), slug or slug_for_input(Path(source or SAMPLE))) / TRIAGE_FILE


def read_triage(path: str | Path | None) -> dict[str, dict]:
    """`{finding key: {status, comment, …}}`; a missing file is an empty triage, a mistake
    in it a `SettingsError` at its line."""
    if not path or not Path(path).exists():
        return {}
    data = load(Path(path), SCHEMA).data or {}
    return {str(key): dict(entry) for key, entry in data.items()}


def write_triage(path: str | Path, triage: dict[str, dict]) -> None:
    header = ("# Triage of the findings of this report, keyed by finding key (auditlib run keeps it).\n"
              f"# status: {' | '.join(TRIAGE_STATUSES)}\n")
    body = yaml.safe_dump({k: triage[k] for k in sorted(triage)}, allow_unicode=True, sort_keys=False,
                          default_flow_style=False, width=100)
    atomic_write_text(Path(path), header + body)


def set_triage(path: str | Path, finding, status: str | None, comment: str = "", by: str | None = None) -> dict:
    """Record (or with status None, remove) one decision; returns the whole triage."""
    triage = read_triage(path)
    if status is None:
        triage.pop(finding.key, None)
    else:
        if status not in TRIAGE_STATUSES:
            raise ValueError(f"triage status must be one of {TRIAGE_STATUSES}")
        triage[finding.key] = {"status": status, "comment": comment or "", "rule": finding.id,
                               "location": finding.location, "message": finding.message,
                               "by": by or environment.user(),
                               "at": datetime.now(timezone.utc).replace(microsecond=0).isoformat()}
    write_triage(path, triage)
    return triage
