"""The findings warehouse: DIR/audit.duckdb, one row set per department, across batches.

Tables (one `document` id per department run = its slug, the folder name under DIR):

* `documents`: department, year, status (`ok` | `failed`), reason, source, sha256, counts,
  `cells_skipped` (cells of the model that could not be written), `error_log` (the failure's
  traceback, DIR/<slug>/error.log) …
* `cells`: long form of the ten tables: document, table_code, row_key, column_key, value (in
  the document's unit, 万元 as printed), page, line, code, name, level;
* `findings`: document, id, rule, severity, tables (list), table_code (the first), location,
  page, line, expected, actual (numbers, or `expected_text` / `actual_text`), difference,
  message, key, cross_year, cause (the key of the finding that explains it: error
  localization), implied (the value the identities imply for a LOC.cell);
* `notes`: document, table_code, row_key, column_key, note: what of the model was not written
  or is doubtful (a cell that is not a number, a row key read twice), in Chinese;
* `triage`: document, key, status, comment, rule, location, by_user, triaged_at (from DIR/<slug>/triage.yaml).

Whatever a checked model holds, its department is written: every value is brought to its
column's type here (a value that cannot be is NULL, and a cell without a number is left out
with a note), so an odd model never costs a department its findings.

A batch writes incrementally: the departments it ran (or failed) replace their own rows, all
other rows stay.  The file is written atomically: the current file is copied to a temporary
file in DIR, updated there, and moved over the old one (`os.replace`), so a batch killed
half-way leaves the previous warehouse intact.  Each department's rows are also kept as JSON
(`Rows.to_json`) in the batch's journal until they are in the warehouse (`auditlib.batch.state`).
"""

from __future__ import annotations

import math
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from auditlib.errors import BatchError
from auditlib.numbers import plain

FILE = "audit.duckdb"

COLUMNS = {
    "documents": (
        ("document", "VARCHAR PRIMARY KEY"), ("department", "VARCHAR"), ("department_key", "VARCHAR"),
        ("year", "INTEGER"), ("status", "VARCHAR"), ("reason", "VARCHAR"), ("source", "VARCHAR"),
        ("input_kind", "VARCHAR"), ("unit", "VARCHAR"), ("pages", "INTEGER"), ("sha256", "VARCHAR"),
        ("params_hash", "VARCHAR"), ("version", "VARCHAR"), ("batch", "VARCHAR"), ("finished", "TIMESTAMP"),
        ("seconds", "DOUBLE"), ("errors", "INTEGER"), ("warnings", "INTEGER"), ("infos", "INTEGER"),
        ("checks_run", "INTEGER"), ("claims_found", "INTEGER"), ("claims_mapped", "INTEGER"),
        ("claims_checked", "INTEGER"), ("report", "VARCHAR"), ("failed_notebook", "VARCHAR"),
        ("cells_skipped", "INTEGER"), ("error_log", "VARCHAR")),
    "cells": (
        ("document", "VARCHAR"), ("table_code", "VARCHAR"), ("row_key", "VARCHAR"), ("column_key", "VARCHAR"),
        ("value", "DOUBLE"), ("page", "INTEGER"), ("line", "INTEGER"), ("code", "VARCHAR"), ("name", "VARCHAR"),
        ("level", "VARCHAR")),
    "findings": (
        ("document", "VARCHAR"), ("id", "VARCHAR"), ("rule", "VARCHAR"), ("severity", "VARCHAR"),
        ("tables", "VARCHAR[]"), ("table_code", "VARCHAR"), ("location", "VARCHAR"), ("page", "INTEGER"),
        ("line", "INTEGER"), ("expected", "DOUBLE"), ("actual", "DOUBLE"), ("expected_text", "VARCHAR"),
        ("actual_text", "VARCHAR"), ("difference", "DOUBLE"), ("message", "VARCHAR"), ("key", "VARCHAR"),
        ("cross_year", "BOOLEAN"), ("cause", "VARCHAR"), ("implied", "DOUBLE")),
    "notes": (
        ("document", "VARCHAR"), ("table_code", "VARCHAR"), ("row_key", "VARCHAR"), ("column_key", "VARCHAR"),
        ("note", "VARCHAR")),
    "triage": (
        ("document", "VARCHAR"), ("key", "VARCHAR"), ("status", "VARCHAR"), ("comment", "VARCHAR"),
        ("rule", "VARCHAR"), ("location", "VARCHAR"), ("by_user", "VARCHAR"), ("triaged_at", "VARCHAR")),
}
PER_DOCUMENT = ("documents", "cells", "findings", "notes")  # the rows a department's run replaces


def schema() -> str:
    """CREATE TABLE statements, and the columns a warehouse of an earlier version lacks."""
    creates = [f"CREATE TABLE IF NOT EXISTS {t} ({', '.join(f'{c} {ty}' for c, ty in cols)});"
               for t, cols in COLUMNS.items()]
    added = [f"ALTER TABLE {t} ADD COLUMN IF NOT EXISTS {c} {ty};" for t, cols in COLUMNS.items()
             for c, ty in cols if "PRIMARY" not in ty]
    return "\n".join(creates + added)


def _coerce(value, sql_type: str):
    """`value` as a value of `sql_type`, or None when it cannot be one (NaN, an infinite
    number, a Series where a number belongs): a department is written whatever its model holds."""
    kind = sql_type.split()[0]
    try:
        value = plain(value)
    except (TypeError, ValueError):  # a Series or an array of several values: text at most
        return str(value) if kind == "VARCHAR" else None
    if value is None:
        return None
    try:
        if kind == "VARCHAR":
            return str(value)
        if kind == "VARCHAR[]":
            return [str(v) for v in value] if isinstance(value, (list, tuple)) else None
        if kind == "BOOLEAN":
            return bool(value)
        if kind == "TIMESTAMP":
            return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            return None
        return int(value) if kind == "INTEGER" else float(value)
    except (TypeError, ValueError, OverflowError):
        return None


def row(table: str, values: tuple | list) -> tuple:
    """`values` brought to the column types of `table`."""
    return tuple(_coerce(v, ty) for v, (_, ty) in zip(values, COLUMNS[table], strict=True))


@dataclass
class Rows:
    """One department's rows, typed for the warehouse (and for the journal, as JSON)."""

    document: tuple
    cells: list[tuple] = field(default_factory=list)
    findings: list[tuple] = field(default_factory=list)
    notes: list[tuple] = field(default_factory=list)

    def to_json(self) -> dict:
        doc = list(self.document)
        at = [c for c, _ in COLUMNS["documents"]].index("finished")
        doc[at] = doc[at].isoformat() if doc[at] else None
        return {"documents": doc, "cells": self.cells, "findings": self.findings, "notes": self.notes}

    @classmethod
    def from_json(cls, data: dict) -> "Rows":
        """The rows a journal entry holds; ValueError / TypeError / KeyError when it is not one."""
        tables = {t: [row(t, r) for r in data[t]] for t in ("cells", "findings", "notes")}
        if not isinstance(data["documents"], list):
            raise TypeError("documents")
        return cls(row("documents", data["documents"]), **tables)


@dataclass
class Pending:
    """What a batch has to write: rows per department, replacing that department's rows."""

    batch_id: str = ""
    version: str = ""
    rows: dict[str, Rows] = field(default_factory=dict)  # documents whose rows are rewritten
    touched: set = field(default_factory=set)  # documents whose triage is re-read
    triage: list[tuple] = field(default_factory=list)

    def add(self, doc: str, rows: Rows) -> Rows:
        self.rows[doc] = rows
        self.touched.add(doc)
        return rows

    def success(self, job, result, cells: list[tuple], notes: list[tuple], seconds: float = 0.0) -> Rows:
        """The rows of a checked department: its cells (a cell the warehouse cannot hold is left
        out, with a note), its findings and the notes on its model."""
        from auditlib.schema import department_key

        doc = job.slug
        r = result.report
        cov = result.coverage
        kept = [row("cells", (doc, *c)) for c in cells]
        skipped = [(doc, c[0], c[1], c[2], "数值无法写入，未写入") for c in kept if c[4] is None]
        note_rows = [row("notes", (doc, *n)) for n in notes] + skipped
        cells_skipped = sum(n[3] is not None for n in note_rows)
        findings = [row("findings", (
            doc, f.id, f.rule, f.severity, list(f.tables or []), f.tables[0] if f.tables else None, f.location,
            f.page, f.line, _coerce(f.expected, "DOUBLE"), _coerce(f.actual, "DOUBLE"), f.expected, f.actual,
            _coerce(f.difference, "DOUBLE"), f.message, f.key, _cross_year(result, f), f.cause, f.implied))
            for f in result.findings]
        document = row("documents", (
            doc, r.department, department_key(r.department), r.year, "ok", None, job.source, r.input_kind, r.unit,
            r.pages, job.sha256, job.params_hash, self.version, self.batch_id, datetime.now(timezone.utc),
            seconds, result.errors, result.warnings, sum(f.severity == "info" for f in result.findings),
            result.checks_run, cov["found"], cov["mapped"], cov["checked"], f"{doc}/report.html", None,
            cells_skipped, None))
        return self.add(doc, Rows(document, [c for c in kept if c[4] is not None], findings, note_rows))

    def failure(self, job, reason: str, folder: Path | None = None, log: str | None = None) -> Rows:
        """The row of a department that failed; `log`: its traceback's file (DIR-relative)."""
        doc = job.slug
        failed_nb = f"{doc}/audit.failed.ipynb" if folder and (Path(folder) / "audit.failed.ipynb").exists() else None
        params = getattr(job, "params", None)
        document = row("documents", (
            doc, getattr(params, "department", None), None, getattr(params, "year", None), "failed", reason,
            job.source or job.origin, None, None, None, job.sha256 or None, job.params_hash or None, self.version,
            self.batch_id, datetime.now(timezone.utc), None, None, None, None, None, None, None, None, None,
            failed_nb, None, log))
        return self.add(doc, Rows(document))

    def touch(self, doc: str) -> None:
        self.touched.add(doc)

    def triage_from(self, out: Path) -> None:
        """Re-read the triage files of every department this batch touched (auditors edit them
        between batches)."""
        from auditlib.workbench.triage import TRIAGE_FILE, read_triage

        self.triage = []
        for doc in sorted(self.touched):
            for key, e in read_triage(Path(out) / doc / TRIAGE_FILE).items():
                self.triage.append(row("triage", (doc, key, e.get("status"), e.get("comment"), e.get("rule"),
                                                  e.get("location"), e.get("by"), e.get("at"))))

    def clear(self) -> None:
        self.rows, self.touched, self.triage = {}, set(), []


def _cross_year(result, f) -> bool:
    """A finding of a cross-year rule (its catalog entry's listing group 跨年)."""
    rule = result.rule_of(f)
    return rule is not None and rule.category == "跨年"


def _frame(rows, columns):
    import pandas as pd

    return pd.DataFrame(rows, columns=list(columns), dtype=object)


def _insert(con, table: str, rows: list[tuple]) -> None:
    if not rows:
        return
    names = [c for c, _ in COLUMNS[table]]
    con.register("_rows", _frame(rows, names))
    casts = ", ".join(f"CAST({c} AS {ty.split()[0]}) AS {c}" for c, ty in COLUMNS[table])
    con.execute(f"INSERT INTO {table} ({', '.join(names)}) SELECT {casts} FROM _rows")
    con.unregister("_rows")


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
            con.execute(schema())
            con.execute("BEGIN")
            for table, docs in ((t, sorted(pending.rows)) for t in PER_DOCUMENT):
                if docs:
                    con.register("_docs", _frame([(d,) for d in docs], ("document",)))
                    con.execute(f"DELETE FROM {table} WHERE document IN (SELECT document FROM _docs)")
                    con.unregister("_docs")
            if pending.touched:
                con.register("_touched", _frame([(d,) for d in sorted(pending.touched)], ("document",)))
                con.execute("DELETE FROM triage WHERE document IN (SELECT document FROM _touched)")
                con.unregister("_touched")
            rows = list(pending.rows.values())
            _insert(con, "documents", [r.document for r in rows])
            for table in ("cells", "findings", "notes"):
                _insert(con, table, [x for r in rows for x in getattr(r, table)])
            _insert(con, "triage", pending.triage)
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


def problem(out: Path) -> str | None:
    """Why DIR/audit.duckdb cannot be used (not a DuckDB file, a block that fails its checksum),
    or None when it is absent or whole: every row of every table is read once.  A warehouse
    that another program holds open for writing is whole but busy: `BatchError`."""
    import duckdb

    if not (Path(out) / FILE).exists():
        return None
    try:
        con = connect(out)
        try:
            for (table,) in con.execute("SELECT table_name FROM information_schema.tables").fetchall():
                con.execute(f'SELECT count(*), max(length(CAST(x AS VARCHAR))) FROM "{table}" x').fetchall()
        finally:
            con.close()
    except duckdb.ConnectionException as exc:  # this process holds it open for writing
        raise BatchError(f"{Path(out) / FILE} 正被本程序以写方式打开，关闭该连接后再运行（{type(exc).__name__}: {exc}）") \
            from None
    except duckdb.Error as exc:
        detail = " ".join(f"{type(exc).__name__}: {exc}".split())
        if "Could not set lock" in detail:  # another process holds it open for writing
            raise BatchError(f"{Path(out) / FILE} 正被另一个程序以写方式打开，关闭它后再运行（{detail}）") from None
        return detail
    return None


def ok_documents(out: Path) -> dict[str, str | None]:
    """{document: sha256} of the departments the warehouse holds as checked."""
    if not (Path(out) / FILE).exists():
        return {}
    con = connect(out)
    try:
        return dict(con.execute("SELECT document, sha256 FROM documents WHERE status = 'ok'").fetchall())
    finally:
        con.close()


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
