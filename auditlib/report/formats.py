"""`check --format`: the renderer of each output format.

Text formats (RENDERERS) go to stdout or `--out`; a binary one (BINARY: the Excel working
paper) only to a file, since its bytes on a terminal or in a pipe read as garbage.
"""

from __future__ import annotations

from auditlib.report.csv import render_csv
from auditlib.report.json import render_json
from auditlib.report.text import render_text
from auditlib.rules.findings import CheckResult

RENDERERS = {"json": render_json, "text": render_text, "csv": render_csv}


def _xlsx(result: CheckResult, triage: dict | None) -> bytes:
    from auditlib.report.xlsx import xlsx_bytes  # openpyxl only when a workbook is asked for

    return xlsx_bytes(result, triage)


BINARY = {"xlsx": _xlsx}
FORMATS = (*RENDERERS, *BINARY)


def render(result: CheckResult, fmt: str) -> str:
    """`result` in text format `fmt`, one of RENDERERS."""
    return RENDERERS[fmt](result)


def render_bytes(result: CheckResult, fmt: str, triage: dict | None = None) -> bytes:
    """`result` in binary format `fmt`, one of BINARY, with the auditors' decisions."""
    return BINARY[fmt](result, triage)
