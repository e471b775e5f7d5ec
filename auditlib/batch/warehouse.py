"""The findings warehouse: DIR/audit.duckdb, one row set per department, across batches.

Tables (one `document` id per department run = its slug, the folder name under DIR):

* `documents`: department, year, status (`ok` | `failed`), reason, source, sha256, counts …
* `cells`: long form of the ten tables: document, table_code, row_key, column_key, value (in
  the document's unit, 万元 as printed), page, line, code, name, level;
* `findings`: document, id, rule, severity, tables (list), table_code (the first), location,
  page, line, expected, actual (numbers, or `expected_text` / `actual_text`), difference,
  message, key, cross_year;
* `triage`: document, key, status, comment, rule, location, by_user, triaged_at (from DIR/<slug>/triage.yaml).

A batch writes incrementally: the departments it ran (or failed) replace their own rows, all
other rows stay.  The file is written atomically: the current file is copied to a temporary
file in DIR, updated there, and moved over the old one (`os.replace`), so a batch killed
half-way leaves the previous warehouse intact.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from auditlib.numbers import plain

FILE = "audit.duckdb"

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    document VARCHAR PRIMARY KEY, department VARCHAR, department_key VARCHAR, year INTEGER,
    status VARCHAR, reason VARCHAR, source VARCHAR, input_kind VARCHAR, unit VARCHAR, pages INTEGER,
    sha256 VARCHAR, params_hash VARCHAR, version VARCHAR, batch VARCHAR, finished TIMESTAMP,
    seconds DOUBLE, errors INTEGER, warnings INTEGER, infos INTEGER, checks_run INTEGER,
    claims_found INTEGER, claims_mapped INTEGER, claims_checked INTEGER, report VARCHAR,
    failed_notebook VARCHAR);
CREATE TABLE IF NOT EXISTS cells (
    document VARCHAR, table_code VARCHAR, row_key VARCHAR, column_key VARCHAR, value DOUBLE,
    page INTEGER, line INTEGER, code VARCHAR, name VARCHAR, level VARCHAR);
CREATE TABLE IF NOT EXISTS findings (
    document VARCHAR, id VARCHAR, rule VARCHAR, severity VARCHAR, tables VARCHAR[], table_code VARCHAR,
    location VARCHAR, page INTEGER, line INTEGER, expected DOUBLE, actual DOUBLE, expected_text VARCHAR,
    actual_text VARCHAR, difference DOUBLE, message VARCHAR, key VARCHAR, cross_year BOOLEAN);
CREATE TABLE IF NOT EXISTS triage (
    document VARCHAR, key VARCHAR, status VARCHAR, comment VARCHAR, rule VARCHAR, location VARCHAR,
    by_user VARCHAR, triaged_at VARCHAR);
"""

DOC_COLUMNS = ("document", "department", "department_key", "year", "status", "reason", "source", "input_kind",
               "unit", "pages", "sha256", "params_hash", "version", "batch", "finished", "seconds", "errors",
               "warnings", "infos", "checks_run", "claims_found", "claims_mapped", "claims_checked", "report",
               "failed_notebook")
CELL_COLUMNS = ("document", "table_code", "row_key", "column_key", "value", "page", "line", "code", "name", "level")
FINDING_COLUMNS = ("document", "id", "rule", "severity", "tables", "table_code", "location", "page", "line",
                   "expected", "actual", "expected_text", "actual_text", "difference", "message", "key",
                   "cross_year")
TRIAGE_COLUMNS = ("document", "key", "status", "comment", "rule", "location", "by_user", "triaged_at")


def _num(v):
    """A finding's value for a number column: None unless it is a number (NaN and bools are not)."""
    v = plain(v)
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def _text(v):
    return None if v is None else str(v)


@dataclass
class Pending:
    """What a batch has to write: rows per department, replacing that department's rows."""

    batch_id: str = ""
    version: str = ""
    documents: list[tuple] = field(default_factory=list)
    cells: list[tuple] = field(default_factory=list)
    findings: list[tuple] = field(default_factory=list)
    triage: list[tuple] = field(default_factory=list)
    replaced: set = field(default_factory=set)  # documents whose rows are rewritten
    touched: set = field(default_factory=set)  # documents whose triage is re-read

    def success(self, job, result, cells, folder: Path, seconds: float = 0.0) -> None:
        from auditlib.schema import department_key

        doc = job.slug
        r = result.report
        cov = result.coverage
        self.replaced.add(doc)
        self.touched.add(doc)
        self.documents.append((
            doc, r.department, department_key(r.department), r.year, "ok", None, job.source, r.input_kind, r.unit,
            r.pages, job.sha256, job.params_hash, self.version, self.batch_id, datetime.now(timezone.utc),
            seconds, result.errors, result.warnings, sum(f.severity == "info" for f in result.findings),
            result.checks_run, cov["found"], cov["mapped"], cov["checked"], f"{doc}/report.html", None))
        self.cells += [(doc, *c) for c in cells]
        for f in result.findings:
            self.findings.append((
                doc, f.id, f.rule, f.severity, list(f.tables), f.tables[0] if f.tables else None, f.location,
                f.page, f.line, _num(f.expected), _num(f.actual), _text(f.expected), _text(f.actual),
                _num(f.difference), f.message, f.key, f.id.startswith("XY.")))

    def failure(self, job, reason: str, folder: Path | None = None) -> None:
        doc = job.slug
        self.replaced.add(doc)
        self.touched.add(doc)
        failed_nb = f"{doc}/audit.failed.ipynb" if folder and (Path(folder) / "audit.failed.ipynb").exists() else None
        params = getattr(job, "params", None)
        self.documents.append((
            doc, getattr(params, "department", None), None, getattr(params, "year", None), "failed", reason,
            job.source or job.origin, None, None, None, job.sha256 or None, job.params_hash or None, self.version,
            self.batch_id, datetime.now(timezone.utc), None, None, None, None, None, None, None, None, None,
            failed_nb))

    def touch(self, doc: str) -> None:
        self.touched.add(doc)

    def triage_from(self, out: Path) -> None:
        """Re-read the triage files of every department this batch touched (auditors edit them
        between batches)."""
        from auditlib.workbench.triage import TRIAGE_FILE, read_triage

        self.triage = []
        for doc in sorted(self.touched):
            for key, e in read_triage(Path(out) / doc / TRIAGE_FILE).items():
                self.triage.append((doc, key, e.get("status"), _text(e.get("comment")), _text(e.get("rule")),
                                    _text(e.get("location")), _text(e.get("by")), _text(e.get("at"))))

    def clear(self) -> None:
        self.documents, self.cells, self.findings, self.triage = [], [], [], []
        self.replaced, self.touched = set(), set()


def _frame(rows, columns):
    import pandas as pd

    return pd.DataFrame(rows, columns=list(columns))


def write(out: Path, pending: Pending) -> Path:
    """Apply `pending` to DIR/audit.duckdb atomically; returns the file."""
    import duckdb

    out = Path(out)
    target = out / FILE
    fd, tmp = tempfile.mkstemp(dir=out, prefix=f".{FILE}.", suffix=".tmp")
    os.close(fd)
    tmp = Path(tmp)
    try:
        if target.exists():
            shutil.copyfile(target, tmp)
        else:
            tmp.unlink()
        con = duckdb.connect(str(tmp))
        try:
            con.execute(SCHEMA)
            con.execute("BEGIN")
            docs = sorted(pending.replaced)
            if docs:
                con.register("_docs", _frame([(d,) for d in docs], ("document",)))
                for table in ("documents", "cells", "findings"):
                    con.execute(f"DELETE FROM {table} WHERE document IN (SELECT document FROM _docs)")
                con.unregister("_docs")
            touched = sorted(pending.touched)
            if touched:
                con.register("_touched", _frame([(d,) for d in touched], ("document",)))
                con.execute("DELETE FROM triage WHERE document IN (SELECT document FROM _touched)")
                con.unregister("_touched")
            for table, rows, columns in (("documents", pending.documents, DOC_COLUMNS),
                                         ("cells", pending.cells, CELL_COLUMNS),
                                         ("findings", pending.findings, FINDING_COLUMNS),
                                         ("triage", pending.triage, TRIAGE_COLUMNS)):
                if rows:
                    con.register("_rows", _frame(rows, columns))
                    con.execute(f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(columns)} FROM _rows")
                    con.unregister("_rows")
            con.execute("COMMIT")
            con.execute("CHECKPOINT")
        finally:
            con.close()
        Path(str(tmp) + ".wal").unlink(missing_ok=True)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        Path(str(tmp) + ".wal").unlink(missing_ok=True)
        raise
    return target


def connect(out: Path, read_only: bool = True):
    import duckdb

    return duckdb.connect(str(Path(out) / FILE), read_only=read_only)


def prior_index(out: Path, exclude: set | None = None) -> dict[tuple[str, int], str]:
    """{(department key, year): document} of the successful runs in the warehouse."""
    if not (Path(out) / FILE).exists():
        return {}
    con = connect(out)
    try:
        rows = con.execute("SELECT department_key, year, document FROM documents WHERE status = 'ok' AND "
                           "department_key IS NOT NULL AND department_key <> '' AND year IS NOT NULL "
                           "ORDER BY finished DESC").fetchall()
    finally:
        con.close()
    index: dict[tuple[str, int], str] = {}
    for dept, year, doc in rows:
        if exclude and doc in exclude:
            continue
        index.setdefault((dept, int(year)), doc)
    return index


def load_cells(out: Path, document: str) -> list[tuple]:
    """A document's cells as (table, row key, column key, value, page, line, code, name, level)."""
    con = connect(out)
    try:
        return con.execute("SELECT table_code, row_key, column_key, value, page, line, code, name, level "
                           "FROM cells WHERE document = ?", [document]).fetchall()
    finally:
        con.close()
