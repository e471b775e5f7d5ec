"""`check --format`: the renderer of each output format."""

from __future__ import annotations

from auditlib.report.csv import render_csv
from auditlib.report.json import render_json
from auditlib.report.text import render_text
from auditlib.rules.findings import CheckResult

RENDERERS = {"json": render_json, "text": render_text, "csv": render_csv}


def render(result: CheckResult, fmt: str) -> str:
    """`result` in format `fmt`, one of RENDERERS (the command line offers exactly those)."""
    return RENDERERS[fmt](result)
