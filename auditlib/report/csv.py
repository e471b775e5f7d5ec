"""The findings as CSV (`auditlib check --format csv`): one row a finding, for spreadsheets.

Headers and severities are the auditor's words, tables are named 公开NN表 (a budget's by their printed titles), and the text opens
with a UTF-8 BOM: Excel on Chinese Windows reads a CSV without one as GBK and garbles it."""

from __future__ import annotations

import csv
import io
from dataclasses import asdict
from pathlib import Path

from auditlib.names import SEVERITY_ZH, table_name
from auditlib.rules.findings import CheckResult

BOM = "\ufeff"
# field of the finding → its heading; `key` and `cause` (the key of the finding that explains
# this one) come last, so that a spreadsheet can group the symptoms of one wrong cell under it
COLUMNS = {"id": "规则编号", "severity": "级别", "tables": "表", "location": "位置", "page": "页", "line": "行",
           "expected": "应为", "actual": "列示", "difference": "差额", "message": "说明", "rule": "规则",
           "key": "问题键", "cause": "起因问题键"}


def render_csv(result: CheckResult) -> str:
    """One row a finding under Chinese headings, the severity and tables in words; a document
    read from several files gets a 文件 column (the file's name), its 页/行 those in that file."""
    r = result.report
    items = list(COLUMNS.items())
    if r.files:
        items.insert(list(COLUMNS).index("page"), ("file", "文件"))
    columns = dict(items)
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(columns.values())
    for f in result.findings:
        d = r.local(asdict(f))
        d["tables"] = "；".join(table_name(r, t) for t in f.tables)
        d["severity"] = SEVERITY_ZH.get(f.severity, f.severity)
        if r.files:
            d["file"] = None if d["file"] is None else Path(r.files[d["file"]].path).name
        w.writerow([d[c] for c in columns])
    return BOM + buf.getvalue()
