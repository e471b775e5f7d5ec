"""The one check contract: every check family registers its checks here by name.

A catalog entry names its check (`check:`; table relations are `relation`).  A check takes
the `Context` (report, prior years, settings, evaluator, the claims read so far) and the rule,
and returns its findings; what it compared it counts on the context, so `run_check` returns
both.  `stage` orders the families: the report's own checks, then the prose (whose claims the
`claims` checks judge), then error localization (which links what the stages before found
to their causes: `Context.findings`), then the checks over prior years.  A check registered `once` (the
narrative and performance readers, the cross-year claims) runs once for all the ids that name
it and finds each of its rules with `Context.rule`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from auditlib.rules.catalog import Rule
    from auditlib.rules.context import Context
    from auditlib.rules.findings import Finding

STAGES = ("report", "prose", "claims", "localize", "prior")


@dataclass(frozen=True)
class Check:
    name: str
    run: Callable[[Context, Rule], list[Finding]]
    stage: str = "report"
    once: bool = False


@dataclass
class Outcome:
    """What one check gave: its findings and how many comparisons it made."""

    findings: list[Finding]
    checks: int


REGISTRY: dict[str, Check] = {}


def register(name: str, stage: str = "report", once: bool = False):
    """Register a check function under `name` (what catalog entries write as `check:`)."""
    def wrap(fn):
        REGISTRY[name] = Check(name, fn, stage, once)
        return fn
    return wrap


def run_check(check: Check, ctx: Context, rule: Rule) -> Outcome:
    before = ctx.checks
    found = check.run(ctx, rule)
    return Outcome(found, ctx.checks - before)


def run_stage(ctx: Context, stage: str) -> list[Finding]:
    """The enabled rules of one stage over the context, in catalog order (a `once` check once)."""
    found: list[Finding] = []
    done: set[str] = set()
    for rule in ctx.rules.values():
        check = REGISTRY[rule.check]
        if check.stage != stage or check.name in done:
            continue
        if check.once:
            done.add(check.name)
        found += run_check(check, ctx, rule).findings
    return found
