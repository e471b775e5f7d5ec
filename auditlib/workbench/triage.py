"""The auditors' decisions on findings: DIR/<slug>/triage.yaml, keyed by finding `key`.

Written by the notebook's widgets (or by hand), never by a run, and read by every later run
and batch.  The file is people's work: a mistake in it (a misspelt status, broken YAML) stops the
run with its file and line rather than dropping a decision unseen.

A decision (status 已确认 / 已说明 / 误报, a note, who and when) may carry a review (复核): the
reviewer, when, 同意 or 退回, and a note — the sign-off of an audit working paper.  Changing a
decision drops its review, since the reviewer signed off on something else.  Statuses are
stored in Chinese, the words an auditor reads and types; files written with the English
statuses of earlier versions are read as their Chinese equivalents.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import yaml

from auditlib import environment
from auditlib.files import atomic_write_text
from auditlib.names import REVIEW_VERDICTS, TRIAGE_LEGACY, TRIAGE_STATUSES
from auditlib.workbench.params import PACKAGE, SAMPLE, safe_child, slug_for_input
from auditlib.yamlfiles import load

TRIAGE_FILE = "triage.yaml"
REVIEW = {"type": "object", "required": ["verdict"], "additionalProperties": False,
          "x-problem": f"复核应写明 verdict（{' / '.join(REVIEW_VERDICTS)}），可附 by、at、comment",
          "properties": {"verdict": {"enum": list(REVIEW_VERDICTS)}, "by": {}, "at": {}, "comment": {}}}
SCHEMA = {  # {finding key: a decision}
    "type": ["object", "null"], "x-problem": "应为 “审核发现的 key: 处理决定” 的映射",
    "additionalProperties": {
        "type": "object", "required": ["status"], "additionalProperties": False,
        "properties": {"status": {"enum": [*TRIAGE_STATUSES, *TRIAGE_LEGACY],
                                  "x-problem": f"应为 {'、'.join(TRIAGE_STATUSES)} 之一"}, "comment": {}, "rule": {},
                       "location": {}, "message": {}, "by": {}, "at": {}, "review": REVIEW},
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
    return {str(key): _current(dict(entry)) for key, entry in data.items()}


def _current(entry: dict) -> dict:
    """An entry as this version writes it: an English status of an earlier file in Chinese."""
    entry["status"] = TRIAGE_LEGACY.get(entry["status"], entry["status"])
    return entry


def write_triage(path: str | Path, triage: dict[str, dict]) -> None:
    header = ("# 审核发现的处理结果，按审核发现的 key 记录（auditlib run 保留此文件）。\n"
              f"# status（处理状态）：{' | '.join(TRIAGE_STATUSES)}；review.verdict（复核意见）：{' | '.join(REVIEW_VERDICTS)}\n")
    body = yaml.safe_dump({k: triage[k] for k in sorted(triage)}, allow_unicode=True, sort_keys=False,
                          default_flow_style=False, width=100)
    atomic_write_text(Path(path), header + body)


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def set_triage(path: str | Path, finding, status: str | None, comment: str = "", by: str | None = None) -> dict:
    """Record (or with status None, remove) one decision; returns the whole triage.  A review of
    an earlier decision is kept only when the decision itself (status and note) is unchanged."""
    triage = read_triage(path)
    if status is None:
        triage.pop(finding.key, None)
    else:
        if status not in TRIAGE_STATUSES:
            raise ValueError(f"处理状态应为 {' / '.join(TRIAGE_STATUSES)} 之一（got {status!r}）")
        old = triage.get(finding.key, {})
        entry = {"status": status, "comment": comment or "", "rule": finding.id, "location": finding.location,
                 "message": finding.message, "by": by or environment.user(), "at": _now()}
        if old.get("review") and (old["status"], old.get("comment", "")) == (status, comment or ""):
            entry["review"] = old["review"]
        triage[finding.key] = entry
    write_triage(path, triage)
    return triage


def review_triage(path: str | Path, key: str, verdict: str, comment: str = "", by: str | None = None) -> dict:
    """The reviewer's sign-off (复核) on the decision recorded for finding `key`; returns the
    whole triage.  Only a recorded decision can be reviewed."""
    triage = read_triage(path)
    if key not in triage:
        raise ValueError(f"{key} 尚无处理结果，不能复核")
    if verdict not in REVIEW_VERDICTS:
        raise ValueError(f"复核意见应为 {' / '.join(REVIEW_VERDICTS)} 之一（got {verdict!r}）")
    triage[key]["review"] = {"verdict": verdict, "by": by or environment.user(), "at": _now(),
                             "comment": comment or ""}
    write_triage(path, triage)
    return triage
