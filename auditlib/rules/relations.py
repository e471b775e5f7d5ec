"""The table rules (`relation`: identities and heuristics over cells), which the rule engine
evaluates."""

from __future__ import annotations

from auditlib.rules.context import Context
from auditlib.rules.findings import Finding
from auditlib.rules.rule import Check, Rule


def relation(ctx: Context, rule: Rule) -> list[Finding]:
    findings, checks = ctx.evaluator.relations(rule)
    ctx.checks += checks
    return findings


# what this family contributes to the registry (auditlib.rules.registry)
CHECKS = (Check("relation", relation),)
