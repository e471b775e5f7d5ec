"""Batch runs: one audit notebook per department, in parallel, into one output folder.

    auditlib batch PATH... [--workers N] [--out DIR] [--scheduler ADDRESS] [--rules FILE] [--timeout SECONDS]

PATH is a params file, a folder of params files, an input document, or a folder of documents
(PDF / text, searched recursively).  One job a module: `jobs` (what to run, what may be
skipped), `tasks` (read + check, then the notebook, on a worker), `pools` (local worker
processes, or a Dask cluster), `runner` (the batch itself: failures, flushes), `schedule` (the
tasks' cross-year order), `warehouse` (DIR/audit.duckdb), `index` (DIR/index.html), `state` (the
lock, the manifest and the journal of finished departments in DIR), `limits` (the time limit).
"""

from __future__ import annotations

__all__ = ["DEFAULT_TIMEOUT", "BatchSummary", "run_batch"]


def __getattr__(name: str):
    """The face's names, imported when first asked for (the command line's start must not load
    Dask)."""
    if name == "DEFAULT_TIMEOUT":
        from auditlib.batch.limits import DEFAULT_TIMEOUT

        return DEFAULT_TIMEOUT
    if name in ("BatchSummary", "run_batch"):
        from auditlib.batch import runner

        return getattr(runner, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
