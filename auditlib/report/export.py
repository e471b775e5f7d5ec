"""The model as plain data: the `extract` JSON of the contract, and an Excel workbook."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import pandas as pd

from auditlib.model import Report, Table
from auditlib.numbers import plain


def table_rows(table: Table, report: Report) -> tuple[list[str], list[list]]:
    """Columns and rows of a table for output: key, code, name, side, then values,
    then where each row was printed (in a document of several files: its file, and the line
    and page in it)."""
    values = table.columns
    place = ["file", "line", "page"] if report.files else ["line", "page"]
    columns = ["key", "code", "name", "level", "side", *values, *place]
    rows = []
    for key, row in table.data.iterrows():
        where = report.local({"line": plain(row["line"]), "page": plain(row["page"])})
        rows.append([key, row["code"] or None, row["name"], row["level"] or None, row["side"] or None,
                     *(plain(row[c]) for c in values), *(where[k] for k in place)])
    return columns, rows


def extract_json(report: Report) -> dict:
    """`auditlib extract --format json`: every table with its cells, plus metadata."""
    tables = {}
    for code, table in report.tables.items():
        columns, rows = table_rows(table, report)
        tables[code] = report.local({
            "title": table.title, "page": table.page, "line": table.line, "status": table.status,
            "label": table.label, "department": table.department, "year": table.year, "unit": table.unit,
            "columns": columns, "rows": rows, "notes": table.notes, "problems": table.problems,
            "reading_notes": [report.local(asdict(n)) for n in table.reading_notes],
        })
    return {
        "document": report.meta,
        "tables": tables,
        "narrative": [{"heading": s.heading, "paragraphs": [p.text for p in s.paragraphs]}
                      for s in report.narrative.sections],
        "performance": {
            "paragraphs": len(report.performance.paragraphs),
            "self_evaluations": [
                {"project": e.project, "funds": e.funds, "total_weight": e.total_weight,
                 "total_score": e.total_score, "indicators": e.indicators.to_dict(orient="records")}
                for e in report.performance.self_evaluations
            ],
            "score_sheets": [
                {"title": s.title, "total_score": s.total_score, "grade": s.grade,
                 "items": s.items.to_dict(orient="records")}
                for s in report.performance.score_sheets
            ],
        },
        "problems": report.problems,
    }


def write_xlsx(report: Report, out: Path) -> None:
    """One sheet per table (as parsed, with the cells' lines/pages), for Excel users."""
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        meta = pd.DataFrame([
            {"table": c, "title": t.title, "status": t.status, "编制单位": t.department, "year": t.year,
             "unit": t.unit, "line": t.line, "page": t.page, "problems": "; ".join(t.problems)}
            for c, t in report.tables.items()
        ])
        meta.to_excel(writer, sheet_name="tables", index=False)
        for code, table in report.tables.items():
            columns, rows = table_rows(table, report)
            pd.DataFrame(rows, columns=columns).to_excel(writer, sheet_name=code, index=False)
