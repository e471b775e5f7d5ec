"""The findings warehouse: DIR/audit.duckdb, one row set per department, across batches.

Tables (one `document` id per department run = its slug, the folder name under DIR); every
table and column is described, with its Chinese name, in `auditlib.batch.codebook`, which the
warehouse carries as the table `codebook` (view `字段说明`) beside a view with Chinese column
names over each table (`部门文件` over `documents` …):

* `documents`: department (a failed one's from its params, last run or input's name:
  `department_from`), year, kind (文件类型 决算 | 预算), status (`ok` | `failed`), reason, counts,
  `fully_checked`, `unread_tables`, `doubtful_tables`, `cells_skipped`, `error_log` …;
* `tables`: each table's reading status and coverage (rows, figures printed, amounts read);
* `cells`: long form of the ten tables: document, table_code, row_key, column_key, value (in
  the document's unit), `blank` (the row is printed, the cell blank: value NULL), page, line,
  code, name, level;
* `counts`: 公开07表's 相关统计数 (批次, 人次, 车辆), from the table or, where it prints none,
  the narrative; the view `sangong` holds one row of them per document;
* `findings`: document, id, rule, severity, tables (list), table_code (the first), location,
  page, line, expected, actual (numbers, or `expected_text` / `actual_text`), difference,
  message, key, cross_year, cause (the key of the finding that explains it: error
  localization), implied (the value the identities imply for a LOC.cell);
* `claims`: every figure of the prose, the cell it was checked against and its verdict;
* `scores`: the indicators of the performance self-evaluations and score sheets;
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

from auditlib.batch import facts
from auditlib.batch.codebook import TABLES, codebook_rows, columns, schema, views
from auditlib.errors import BatchError
from auditlib.numbers import plain

FILE = "audit.duckdb"

COLUMNS = {t: columns(t) for t in TABLES}
PER_DOCUMENT = ("documents", "tables", "cells", "counts", "findings", "claims", "scores", "notes")  # a run replaces them
DETAILS = PER_DOCUMENT[1:]  # the rows of a department beside its `documents` row


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


def row(table: str, values: tuple | list | dict) -> tuple:
    """`values` (in column order, or by column name: a column left out is NULL) brought to the
    column types of `table`."""
    if isinstance(values, dict):
        values = [values.get(c) for c, _ in COLUMNS[table]]
    return tuple(_coerce(v, ty) for v, (_, ty) in zip(values, COLUMNS[table], strict=True))


@dataclass
class Rows:
    """One department's rows, typed for the warehouse (and for the journal, as JSON): its
    `documents` row and its rows of the other per-document tables (`DETAILS`)."""

    document: tuple
    details: dict[str, list[tuple]] = field(default_factory=dict)

    def of(self, table: str) -> list[tuple]:
        return self.details.get(table, [])

    def to_json(self) -> dict:
        doc = list(self.document)
        at = [c for c, _ in COLUMNS["documents"]].index("finished")
        doc[at] = doc[at].isoformat() if doc[at] else None
        return {"documents": doc, **{t: self.of(t) for t in DETAILS}}

    @classmethod
    def from_json(cls, data: dict) -> "Rows":
        """The rows a journal entry holds; ValueError / TypeError / KeyError when it is not one
        (an entry of an earlier version, without the tables of this one: its department is
        checked again)."""
        details = {t: [row(t, r) for r in data[t]] for t in DETAILS}
        if not isinstance(data["documents"], list):
            raise TypeError("documents")
        return cls(row("documents", data["documents"]), details)


def _rows(table: str, doc: str, items: list[dict]) -> list[tuple]:
    return [row(table, {**item, "document": doc}) for item in items]


def _cells(doc: str, cells: list[tuple], notes: list[tuple]) -> tuple[list[tuple], list[tuple]]:
    """A department's cells (a blank cell is kept, NULL and `blank`; a value the warehouse
    cannot hold is left out, with a note) and the notes on its model."""
    names = [c for c, _ in COLUMNS["cells"] if c not in ("document", "blank")]
    kept, skipped = [], []
    for cell in cells:
        typed = row("cells", {**dict(zip(names, cell)), "document": doc, "blank": cell[3] is None})
        if typed[4] is None and cell[3] is not None:
            skipped.append(row("notes", (doc, *typed[1:4], "数值无法写入，未写入")))
        else:
            kept.append(typed)
    return kept, [row("notes", (doc, *n)) for n in notes] + skipped


def _failed_department(job, known: str | None) -> tuple[str | None, str]:
    """What the batch knows of a failed department's name, and from where: its params file,
    its last successful run, else its input's name (the file's, or its folder's when only
    the folder's is Chinese, as with …/上海市某某局/doc.pdf)."""
    named = getattr(job.params, "department", None) if job.params else None
    if named:
        return named, "参数文件"
    if known:
        return known, "上次审核"
    path = Path(job.source or job.origin)
    chinese = [p for p in (path.stem, path.parent.name) if any("\u4e00" <= ch <= "\u9fff" for ch in p)]
    return (chinese[0] if chinese else path.stem), "文件名"


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

    def _run(self) -> dict:
        return {"version": self.version, "batch": self.batch_id, "finished": datetime.now(timezone.utc)}

    def success(self, job, result, cells: list[tuple], notes: list[tuple], seconds: float = 0.0) -> Rows:
        """The rows of a checked department: its cells and the notes on its model, how each
        table was read, its 三公 counts, findings, the prose's figures and the performance scores."""
        from auditlib.schema import department_key

        doc, r, cov = job.slug, result.report, result.coverage
        kept, note_rows = _cells(doc, cells, notes)
        claims = facts.claims_of(result)
        document = row("documents", {
            "document": doc, "department": r.department, "department_from": "文件", "year": r.year,
            "department_key": department_key(r.department), "status": "ok", "source": job.source,
            "input_kind": r.input_kind, "unit": r.unit, "pages": r.pages, "sha256": job.sha256,
            "params_hash": job.params_hash, **self._run(), "seconds": seconds, "errors": result.errors,
            "warnings": result.warnings, "infos": result.count("info"), "checks_run": result.checks_run,
            "claims_found": cov["found"], "claims_mapped": cov["mapped"], "claims_checked": cov["checked"],
            "report": f"{doc}/report.html", "cells_skipped": sum(n[3] is not None for n in note_rows),
            **facts.document_facts(result)})
        return self.add(doc, Rows(document, {
            "tables": _rows("tables", doc, facts.table_rows(result)), "cells": kept,
            "counts": _rows("counts", doc, facts.count_rows(cells, claims)),
            "findings": _rows("findings", doc, facts.finding_rows(result)),
            "claims": _rows("claims", doc, facts.claim_rows(claims)),
            "scores": _rows("scores", doc, facts.score_rows(r.performance)), "notes": note_rows}))

    def failure(self, job, reason: str, folder: Path | None = None, log: str | None = None,
                known: str | None = None) -> Rows:
        """The row of a department that failed, named as well as the batch can (`known`: its
        name at its last successful run); `log`: its traceback's file (DIR-relative)."""
        from auditlib.schema import department_key

        doc = job.slug
        failed_nb = f"{doc}/audit.failed.ipynb" if folder and (Path(folder) / "audit.failed.ipynb").exists() else None
        department, named_from = _failed_department(job, known)
        document = row("documents", {
            "document": doc, "department": department, "department_from": named_from,
            "department_key": department_key(department), "year": getattr(job.params, "year", None),
            "kind": facts.KIND, "status": "failed", "reason": reason, "source": job.source or job.origin,
            "sha256": job.sha256 or None, "params_hash": job.params_hash or None, **self._run(),
            "fully_checked": False, "failed_notebook": failed_nb, "error_log": log})
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
                review = e.get("review") or {}
                self.triage.append(row("triage", (doc, key, e.get("status"), e.get("comment"), e.get("rule"),
                                                  e.get("location"), e.get("by"), e.get("at"), review.get("verdict"),
                                                  review.get("by"), review.get("at"), review.get("comment"))))

    def clear(self) -> None:
        self.rows, self.touched, self.triage = {}, set(), []


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
            for table in DETAILS:
                _insert(con, table, [x for r in rows for x in r.of(table)])
            _insert(con, "triage", pending.triage)
            con.execute("DELETE FROM codebook")
            _insert(con, "codebook", codebook_rows())
            con.execute(views())
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
            tables = "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE'"  # views hold no rows
            for (table,) in con.execute(tables).fetchall():
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


def prior_index(out: Path, exclude: set | None = None, kind: str = facts.KIND) -> dict[tuple[str, int], tuple[str, str]]:
    """{(department key, year): (document, unit)} of the successful runs of one kind in the
    warehouse: a 决算's prior years are 决算, a 预算's 预算 (a row written before kinds were kept is
    a 决算)."""
    if not (Path(out) / FILE).exists():
        return {}
    con = connect(out)
    try:
        rows = con.execute("SELECT department_key, year, document, unit FROM documents WHERE status = 'ok' AND "
                           "department_key IS NOT NULL AND department_key <> '' AND year IS NOT NULL AND "
                           "coalesce(kind, ?) = ? ORDER BY finished DESC", [facts.KIND, kind]).fetchall()
    finally:
        con.close()
    index: dict[tuple[str, int], tuple[str, str]] = {}
    for dept, year, doc, unit in rows:
        if exclude and doc in exclude:
            continue
        index.setdefault((dept, int(year)), (doc, unit))
    return index


def load_cells(out: Path, document: str) -> list[tuple]:
    """A document's cells as (table, row key, column key, value, page, line, code, name, level)."""
    con = connect(out)
    try:
        return con.execute("SELECT table_code, row_key, column_key, value, page, line, code, name, level "
                           "FROM cells WHERE document = ?", [document]).fetchall()
    finally:
        con.close()
