"""Rules: the catalog (data: `catalog`, `rule`), the checks of every family (listed in
`registry`), and the runner (`check`, `run`, `apply_prior`), which evaluates a catalog over a
report through one contract (auditlib.rules.rule.Check)."""

from __future__ import annotations

from auditlib.rules.catalog import load_catalog
from auditlib.rules.context import Settings
from auditlib.rules.findings import CheckResult, Finding
from auditlib.rules.prior import Prior
from auditlib.rules.rule import Rule
from auditlib.rules.runner import apply_prior, check, run

__all__ = ["CheckResult", "Finding", "Prior", "Rule", "Settings", "apply_prior", "check", "load_catalog", "run"]
