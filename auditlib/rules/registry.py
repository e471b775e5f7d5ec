"""The registry of checks: every family's `CHECKS`, by name, listed here explicitly.

A catalog entry names its check (`check:`; table relations are `relation`); the catalog
validates the name against REGISTRY when it is loaded and the runner (auditlib.rules.runner)
runs each enabled rule's check stage by stage.  A family contributes by declaring `CHECKS`
(auditlib.rules.rule.Check) and being listed in FAMILY_MODULES; importing it registers nothing.
"""

from __future__ import annotations

from auditlib.rules import completeness, consistency, crossyear, localize, pair, relations
from auditlib.rules.prose import budget, budget_execution, budget_years, judged, narrative, performance
from auditlib.rules.rule import Check

__all__ = ["FAMILY_MODULES", "REGISTRY"]

FAMILY_MODULES = (relations, consistency, completeness, narrative, budget, performance, judged, localize, crossyear,
                  budget_years, budget_execution, pair)


def _registry() -> dict[str, Check]:
    """Every family's checks by name; one name twice is a programming error, told at import."""
    out: dict[str, Check] = {}
    for family in FAMILY_MODULES:
        for check in family.CHECKS:
            if check.name in out:
                raise RuntimeError(f"check {check.name!r} registered twice ({family.__name__})")
            out[check.name] = check
    return out


REGISTRY: dict[str, Check] = _registry()
