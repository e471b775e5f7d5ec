"""Batch runs: one audit notebook per department, in parallel, into one output folder.

    auditlib batch PATH... [--workers N] [--out DIR] [--scheduler ADDRESS] [--rules FILE] [--timeout SECONDS]

PATH is a params file, a folder of params files, an input document, or a folder of documents
(PDF / text, searched recursively).  One job a module: `jobs` (what to run, what may be
skipped), `tasks` (read + check, then the notebook, on a worker), `pools` (local worker
processes, or a Dask cluster), `runner` (the batch itself: cross-year order, failures,
flushes), `warehouse` (DIR/audit.duckdb), `index` (DIR/index.html), `state` (the lock, the
manifest and the journal of finished departments in DIR).
"""

DEFAULT_TIMEOUT = 900.0  # s per task: a 100-page scan at 2-3 s a page, with two workers sharing two cores
