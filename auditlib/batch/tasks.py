"""The two tasks of a department, as a worker runs them (a process of the local pool or of a
Dask cluster; the worker keeps its JVM and its read cache between departments):

1. `task_read`: read the document once and check it; returns the CheckResult and the tables
   as long-form cells with the notes on what could not be taken (for the warehouse and next
   year's cross-year checks);
2. `task_notebook`: `workbench.runner.run(params, DIR, result=…)`: papermill executes the
   notebook with the result handed over (the kernel extracts nothing) and writes DIR/<slug>/.

A task never raises: any failure of one department is that department's, returned as
`{"ok": False, "reason": one Chinese line, "phase": …, "log": …}`; an unexpected exception
(not a reader's or a params file's own message) leaves its traceback in DIR/<slug>/error.log.
Once a document is checked, its findings are kept whatever its tables hold: the long form
cannot fail the department.  While it runs, a task says what it is doing in
`state/<pid>.json` (when the batch gives a `state` folder): for people and tests.
"""

from __future__ import annotations

import json
import os
import time
import traceback
from contextlib import contextmanager
from pathlib import Path

from auditlib.batch.jobs import failure_reason
from auditlib.errors import AuditlibError, RunError
from auditlib.files import atomic_write_text
from auditlib.workbench.params import RunParams, safe_child
from auditlib.workbench.results import budget_of, check_run, read_once

LOG = "error.log"


@contextmanager
def _marked(state: str | None, phase: str, slug: str):
    mark = Path(state, f"{os.getpid()}.json") if state else None
    if mark:
        try:
            atomic_write_text(mark, json.dumps({"pid": os.getpid(), "slug": slug, "phase": phase,
                                                "since": time.time()}))
        except OSError:
            mark = None
    try:
        yield
    finally:
        if mark:
            mark.unlink(missing_ok=True)


def failed(exc: BaseException, phase: str, slug: str, out: str | None) -> dict:
    """The failure value of a task.  A reader's or a params file's message is the whole story;
    for anything else the traceback goes to DIR/<slug>/error.log (when it can be written: the
    disk that failed the task may refuse the log too) and the reason says where."""
    value = {"ok": False, "reason": failure_reason(exc, phase), "phase": phase}
    if out and not isinstance(exc, AuditlibError):
        try:
            atomic_write_text(safe_child(Path(out), slug) / LOG,
                              value["reason"] + "\n\n" + "".join(traceback.format_exception(exc)))
        except (OSError, RunError):
            return value
        value["log"] = f"{slug}/{LOG}"
        value["reason"] += f"；详见 {slug}/{LOG}"
    return value


def task_read(job: dict) -> dict:
    """Read and check one document."""
    from auditlib.rules.prior import long_form

    params: RunParams = job["params"]
    t0 = time.perf_counter()
    with _marked(job.get("state"), "read", params.slug):
        try:
            report = read_once(params.document, params.password)
            result = check_run(report, params.tolerance, params.rules, params.check_params, budget_of(params))
        except Exception as exc:  # noqa: BLE001 — any failure of one department is that department's
            return failed(exc, "read", params.slug, job.get("out"))
        try:
            cells, notes = long_form(report)
        except Exception as exc:  # noqa: BLE001 — the findings are kept: only the cells are lost, said
            cells, notes = [], [(None, None, None, f"单元格未写入仓库：{failure_reason(exc)}")]
    return {"ok": True, "result": result, "cells": cells, "notes": notes, "seconds": time.perf_counter() - t0}


def task_notebook(job: dict) -> dict:
    """Execute the department's notebook with the result handed over (no re-extraction)."""
    from auditlib.workbench.runner import run

    params: RunParams = job["params"]
    with _marked(job.get("state"), "notebook", params.slug):
        try:
            out = run(params, job["out"], result=job["result"])
        except Exception as exc:  # noqa: BLE001
            return failed(exc, "notebook", params.slug, job["out"])
    return {"ok": True, "timings": out.timings, "folder": str(out.folder)}


TASKS = {"read": task_read, "notebook": task_notebook}
