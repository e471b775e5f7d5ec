"""The findings as CSV (`auditlib check --format csv`): one row a finding, for spreadsheets."""

from __future__ import annotations

import csv
import io
from dataclasses import asdict

from auditlib.rules.findings import CheckResult

# `key` and `cause` (the key of the finding that explains this one) come last, so that a
# spreadsheet can group the symptoms of one wrong cell under it
COLUMNS = ["id", "severity", "tables", "location", "page", "line", "expected", "actual", "difference",
           "message", "rule", "key", "cause"]


def render_csv(result: CheckResult) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(COLUMNS)
    for f in result.findings:
        d = asdict(f)
        d["tables"] = ";".join(f.tables)
        w.writerow([d[c] for c in COLUMNS])
    return buf.getvalue()
