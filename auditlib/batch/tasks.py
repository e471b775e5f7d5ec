"""The two tasks of a department, as a worker runs them (a process of the local pool or of a
Dask cluster; the worker keeps its JVM and its read cache between departments):

1. `task_read`: read the document once and check it; returns the CheckResult and the tables
   as long-form cells (for the warehouse and next year's cross-year checks);
2. `task_notebook`: `workbench.runner.run(params, DIR, result=…)`: papermill executes the
   notebook with the result handed over (the kernel extracts nothing) and writes DIR/<slug>/.

A task never raises: any failure of one department is that department's, returned as
`{"ok": False, "reason": one line, "phase": …}`.  While it runs, a task says what it is doing
in `state/<pid>.json` (when the batch gives a `state` folder): for people and tests.
"""

from __future__ import annotations

import json
import os
import time
from contextlib import contextmanager
from pathlib import Path

from auditlib.batch.jobs import one_line
from auditlib.files import atomic_write_text
from auditlib.workbench.params import RunParams
from auditlib.workbench.results import check_run, read_once


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


def task_read(job: dict) -> dict:
    """Read and check one document."""
    from auditlib.rules.crossyear import cells_of

    params: RunParams = job["params"]
    t0 = time.perf_counter()
    with _marked(job.get("state"), "read", params.slug):
        try:
            report = read_once(params.source, params.password)
            result = check_run(report, params.tolerance, params.rules, params.check_params)
            cells = cells_of(report)
        except Exception as exc:  # noqa: BLE001 — any failure of one department is that department's
            return {"ok": False, "reason": one_line(exc), "phase": "read"}
    return {"ok": True, "result": result, "cells": cells, "seconds": time.perf_counter() - t0}


def task_notebook(job: dict) -> dict:
    """Execute the department's notebook with the result handed over (no re-extraction)."""
    from auditlib.workbench.runner import run

    params: RunParams = job["params"]
    with _marked(job.get("state"), "notebook", params.slug):
        try:
            out = run(params, job["out"], result=job["result"])
        except Exception as exc:  # noqa: BLE001
            return {"ok": False, "reason": one_line(exc), "phase": "notebook"}
    return {"ok": True, "timings": out.timings, "folder": str(out.folder)}


TASKS = {"read": task_read, "notebook": task_notebook}
