"""Rules: the catalog (data), the registered checks of every family, and `check`, which runs
them all over a report through one contract (auditlib.rules.registry)."""

from __future__ import annotations

from pathlib import Path

from auditlib.model import Report
from auditlib.rules import completeness, consistency, crossyear, localize, relations  # noqa: F401  (they register their checks)
from auditlib.rules.catalog import Rule, load_catalog
from auditlib.rules.context import Settings
from auditlib.rules.findings import CheckResult
from auditlib.rules.prose import judged, narrative, performance  # noqa: F401
from auditlib.rules.relations import run

__all__ = ["Rule", "Settings", "check", "load_catalog"]


def check(report: Report, tolerance: float | None = None, extra: list[Path] | None = None,
          params: dict | None = None, priors: dict | None = None) -> CheckResult:
    """Evaluate the whole catalog (plus an auditor's extra YAML files) over a report.
    `tolerance` is the rounding allowance of one printed figure (default: half a unit of its
    last printed digit); `params` carries what the document does not print (published_on,
    approved_on, profile); `priors` last years' reports ({year: crossyear.Prior})."""
    return run(report, load_catalog(extra), Settings(tolerance, dict(params or {})), priors)
