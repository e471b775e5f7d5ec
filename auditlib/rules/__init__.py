"""Rules: the catalog (data) and the engine that evaluates it."""

from __future__ import annotations

from pathlib import Path

from auditlib.findings import CheckResult
from auditlib.model import Report
from auditlib.rules.catalog import Rule, load_catalog
from auditlib.rules.engine import run

__all__ = ["Rule", "check", "load_catalog"]


def check(report: Report, tolerance: float = 0.005, extra: list[Path] | None = None,
          params: dict | None = None) -> CheckResult:
    """Evaluate the whole catalog (plus an auditor's extra YAML files) over a report;
    `params` carries what the document does not print (published_on, approved_on, profile)."""
    return run(report, load_catalog(extra), tolerance, params)
