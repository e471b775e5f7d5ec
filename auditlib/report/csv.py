"""The findings as CSV (`auditlib check --format csv`): one row a finding, for spreadsheets."""

from __future__ import annotations

import csv
import io
from dataclasses import asdict

from auditlib.rules.findings import CheckResult

COLUMNS = ["id", "severity", "tables", "location", "page", "line", "expected", "actual", "difference",
           "message", "rule"]


def render_csv(result: CheckResult) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(COLUMNS)
    for f in result.findings:
        d = asdict(f)
        d["tables"] = ";".join(f.tables)
        w.writerow([d[c] for c in COLUMNS])
    return buf.getvalue()
