"""Name the wrong cell: error localization over every identity of the catalog (issue 25).

One wrong figure breaks several identities at once — its row, its 款 and 类 sums, a table
pair — and each of them is a finding that names some cell of the relation, rarely the wrong
one.  Statistical offices solve the same problem by the Fellegi–Holt principle: change the
fewest fields that make every edit hold.  Here the edits are the identities the engine
compared (`Engine.identities`: table rows, columns, 类/款/项, cross-table pairs; not the
narrative, not last year's report), as linear relations with their rounding tolerance, and
`auditlib.rules.edits` finds the smallest sets of cells whose change makes every failing
identity hold while every holding one keeps holding.

What the auditor gets:

* `LOC.cell`: one finding per cause — a cell, or cells printing the same wrong figure ("one
  digit group lost, one cause, four places") — with its printed value, the value the
  identities imply where they determine it, and the identities that point to it.  A cell
  every smallest set contains is named even when the rest cannot be told apart.  Where
  several cells fit equally, a typical misprint (two digits swapped, a digit lost, a decimal
  point moved) singles one out only when exactly one choice shows it; the others stay listed.
* `LOC.candidates`: the identities cannot tell the cells apart: the equally small sets are listed.
* `READ.doubtful`: a table whose failures need more cells than real reports get wrong (the
  threshold is the entry's params) is a doubtful reading: one error, not dozens.
* `READ.page`: a table that lost a page — rows down, or columns continued to the right
  (`auditlib.rules.pagegaps`) — is one error naming the table and the pages; its identities are
  left out of the analysis (the lost figures are no cell to change) and their findings, the
  orphaned codes' META.code_parent and the narrative restating what the page held are its symptoms.

The findings of the failing identities become symptoms: a `warning` that names its cause
(`cause`), listed under it.  A narrative figure restating a cause cell that agrees with the
implied value is a symptom too (the narrative confirms the table's misprint).
"""

from __future__ import annotations

from auditlib.rules.rule import Rule
from auditlib.rules.causes import Writer
from auditlib.rules.context import Context
from auditlib.rules.findings import Finding
from auditlib.rules.pagegaps import missing_pages
from auditlib.rules.rule import Check
from auditlib.rules.suspects import Suspects

ENTRIES = ("LOC.cell", "LOC.candidates", "LOC.scale", "READ.doubtful", "READ.page")


def localize(ctx: Context, rule: Rule) -> list[Finding]:
    """The analysis (`suspects`) with the settings of the catalog entries, then its findings
    (`causes`); one check counted per group of failing identities."""
    entries = [r for r in (ctx.rule(i) for i in ENTRIES) if r is not None]
    if not entries:
        return []
    params = {k: v for r in entries for k, v in r.params.items()}
    gaps = missing_pages(ctx.report) if ctx.rule("READ.page") else []
    suspects = Suspects(ctx, params, skip=frozenset(g.table for g in gaps))
    verdict = suspects.find()
    ctx.checks += len(verdict.components) + len(gaps)
    writer = Writer(ctx, suspects)
    return writer.gap_findings(gaps) + writer.findings(verdict)


# what this family contributes to the registry (auditlib.rules.registry)
CHECKS = (Check("localize", localize, stage="localize", once=True),)
