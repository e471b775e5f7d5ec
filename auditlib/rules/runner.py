"""The run of a catalog over a report: the one place that builds the checks' `Context` and
`Settings`, runs the registered checks stage by stage (auditlib.rules.rule.STAGES) and
gathers a `CheckResult`; `apply_prior` adds the cross-year stage once the prior years are at
hand, and the pair stage once the 预算 is (a batch knows them only after every department is read)."""

from __future__ import annotations

from pathlib import Path

from auditlib.model import Report
from auditlib.rules.catalog import load_catalog
from auditlib.rules.context import Context, Settings
from auditlib.rules.doubts import ocr_finding, ocr_source
from auditlib.rules.findings import CheckResult, Finding, ordered
from auditlib.rules.pair import require_final
from auditlib.rules.prior import Pair, Prior
from auditlib.rules.profile import settle_layout
from auditlib.rules.registry import REGISTRY
from auditlib.rules.rule import STAGES, Rule

__all__ = ["apply_prior", "check", "pair_not_run", "run"]

# findings that rest on OCR'd prose or on the performance section's OCR'd tables (whose
# cells carry no confidence and no alternatives to try): on a scan these are not certain
OCR_TEXT_TABLES = ("NARR", "PERF")


def check(report: Report, tolerance: float | None = None, extra: list[Path] | None = None,
          params: dict | None = None, priors: dict[int, Prior] | None = None,
          rules: list[Rule] | None = None, budget: Pair | None = None) -> CheckResult:
    """Evaluate the catalog (`rules`, else the bundled one plus an auditor's `extra` YAML files)
    over a report.  `tolerance` is the rounding allowance of one printed figure (default: half a
    unit of its last printed digit); `params` carries what the document does not print
    (published_on, approved_on, profile); `priors` last years' reports ({year: Prior}); `budget`
    the department's 预算 of the same year (the pair rules)."""
    return run(report, rules if rules is not None else load_catalog(extra),
               Settings(tolerance, dict(params or {})), priors, budget)


def run(report: Report, rules: list[Rule], settings: Settings | None = None,
        priors: dict[int, Prior] | None = None, budget: Pair | None = None) -> CheckResult:
    """Every enabled rule over a report, stage by stage: the report's own checks, the prose,
    the checks over the claims the prose read, localization, (with `priors`) the cross-year
    checks and (with `budget`, which only a 决算 is held against) the checks against the 预算."""
    if budget is not None:
        require_final(report)
    ctx = Context(report, rules, settings, priors, budget=budget)
    settle_layout(report, ctx.settings.params)
    findings: list[Finding] = ctx.findings
    for stage in STAGES:
        found = _stage(ctx, stage)
        if stage != "prior":
            for f in found:
                if ocr_finding(report, f):
                    _doubt_ocr_text(f, ctx.family(f), ocr_source(report))
        findings += found
    return CheckResult(report, ordered(findings), ctx.checks, ctx.verdicts, ctx.not_run, rules=rules,
                       settings=ctx.settings, budget=budget)


def apply_prior(result: CheckResult, priors: dict[int, Prior], tolerance: float | None = None,
                budget: Pair | None = None, finals: dict[int, Prior] | None = None) -> list[Finding]:
    """Add the cross-year findings to `result` (known once last year's report is at hand, as in a
    batch: for a 预算, its department's 决算 of those years are `finals`) and, with `budget`, the
    findings against the 预算 of the same year, counted in its checks run; return them."""
    settings = result.settings or Settings()
    if tolerance is not None:
        settings = Settings(tolerance, settings.params)
    ctx = Context(result.report, result.rules or load_catalog(), settings, priors, verdicts=result.verdicts,
                  budget=budget, finals=finals)
    found = _stage(ctx, "prior") + (_stage(ctx, "pair") if budget is not None else [])
    if budget is not None:
        result.budget = budget
        result.not_run += ctx.not_run
    result.add(found, ctx.checks)
    return found


def pair_not_run(result: CheckResult, reason: str) -> None:
    """The checks against the 预算 could not be run (they raised in a batch, which goes on
    without them): each pair rule of the report's kind is listed as not run with `reason`, so
    every output of the 决算 says its 预算 was not compared, rather than passing in silence."""
    ctx = Context(result.report, result.rules or load_catalog(), result.settings)
    for rule in ctx.rules.values():
        if REGISTRY[rule.check].stage == "pair" and result.report.kind in rule.kinds:
            ctx.skip(rule, f"与预算的核对未进行：{reason}")
    result.not_run += ctx.not_run


def _stage(ctx: Context, stage: str) -> list[Finding]:
    """The enabled rules of one stage over the context, in catalog order (a `once` check once)."""
    found: list[Finding] = []
    done: set[str] = set()
    for rule in ctx.rules.values():
        registered = REGISTRY[rule.check]
        if ctx.report.kind not in rule.kinds:
            continue  # a rule of another kind of document: not run, and not counted as not run
        if registered.stage != stage or registered.name in done:
            continue
        if registered.once:
            done.add(registered.name)
        found += registered.run(ctx, rule)
    return found


def _doubt_ocr_text(f: Finding, family: str, source: str) -> None:
    """On a page OCR read (`source`: a scan, or tables pasted as pictures), an error read from
    OCR'd words or performance tables is a warning that says so: the OCR may have misread what
    the document prints."""
    if f.severity == "error" and (f.tables[0] in OCR_TEXT_TABLES or family == "完整性"):
        f.severity = "warning"
        f.message += f"（{source}：依据识别出的文字，须对照原件核对）"
