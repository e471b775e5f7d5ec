"""The table rules (`relation`: identities and heuristics over cells) and the run of a whole
catalog over a report, stage by stage."""

from __future__ import annotations

from auditlib.model import Report
from auditlib.rules.catalog import Rule
from auditlib.rules.context import Context, Settings
from auditlib.rules.findings import CheckResult, Finding, ordered
from auditlib.rules.registry import STAGES, register, run_stage

# findings that rest on OCR'd prose or on the performance section's OCR'd tables (whose
# cells carry no confidence and no alternatives to try): on a scan these are not certain
OCR_TEXT_TABLES = ("NARR", "PERF")


@register("relation")
def relation(ctx: Context, rule: Rule) -> list[Finding]:
    findings, checks = ctx.evaluator.relations(rule)
    ctx.checks += checks
    return findings


def _doubt_ocr_text(f: Finding) -> None:
    """On a scan, an error read from OCR'd words or performance tables is a warning that
    says so: the OCR may have misread what the document prints."""
    if f.severity == "error" and (f.tables[0] in OCR_TEXT_TABLES or f.id.startswith("COMPL.")):
        f.severity = "warning"
        f.message += "（扫描件：依据识别出的文字，须对照原件核对）"


def run(report: Report, rules: list[Rule], settings: Settings | None = None, priors: dict | None = None) -> CheckResult:
    """Every enabled rule over a report, stage by stage: the report's own checks, the prose,
    the checks over the claims the prose read, and (with `priors`) the cross-year checks."""
    ctx = Context(report, rules, settings, priors)
    findings: list[Finding] = ctx.findings
    for stage in STAGES:
        found = run_stage(ctx, stage)
        if report.input_kind == "scan" and stage != "prior":
            for f in found:
                _doubt_ocr_text(f)
        findings += found
    return CheckResult(report, ordered(findings), ctx.checks, ctx.claims, ctx.not_run, rules=rules, settings=ctx.settings)
