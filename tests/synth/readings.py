"""How the narrative checks read the phrasing bank (issue 27): for each wording family,
consistent reports (every `error` and `warning` on them is false) and one report per planted
prose error (found as its rule's `error`, nothing else blamed), and what became of each claim:
checked on its first reading, consistent by another reading, or unchecked (with why).

    python -m tests.synth.readings --count 20 [--seed 0] [--family shanghai] [--document ../shared/corpus/x/doc.pdf]

prints markdown; a --document (a real report, repeatable) adds its claims to the second table.
"""

from __future__ import annotations

import argparse
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

from auditlib.ingest import read_report
from auditlib.rules import check
from tests.synth.generate import generate
from tests.synth.prose import PROSE_KINDS, WORDINGS, inject_prose


def verdict(claim) -> str:
    """checked (consistent on its first reading, or a finding), consistent by another reading, or unchecked: why."""
    if claim.verdict == "unchecked":
        return f"unchecked: {claim.reason}"
    if claim.verdict == "mismatch":
        return "mismatch"
    return "alternative" if claim.reading else "checked"


def measure(families: tuple[str, ...], seeds: range, folder: Path) -> dict:
    """False findings on consistent reports, planted errors found, claim verdicts, per family."""
    out: dict = {}
    for family in families:
        false = Counter()
        found, missed = Counter(), []
        claims: dict[str, Counter] = defaultdict(Counter)
        for seed in seeds:
            result = check(read_report(generate(seed, wording=family).write(folder / f"{family}-{seed}.txt")))
            false.update(f.severity for f in result.findings if f.severity != "info")
            for c in result.claims:
                claims[c.kind][verdict(c)] += 1
            for kind, rule in PROSE_KINDS.items():
                planted = inject_prose(generate(seed, wording=family), kind, family)
                result = check(read_report(planted.write(folder / f"{family}-{seed}-{kind}.txt")))
                errors = {f.id for f in result.findings if f.severity == "error"}
                if rule in errors and all(i.startswith(("NARR", "PERF")) for i in errors):
                    found[kind] += 1
                else:
                    missed.append((seed, kind, sorted(errors)))
        out[family] = {"reports": len(seeds), "errors": false["error"], "warnings": false["warning"],
                       "found": found, "missed": missed, "claims": claims}
    return out


def documents(paths: list[Path]) -> dict:
    """The claim verdicts of real reports, per claim kind (their findings are judged by hand)."""
    out: dict = {}
    for path in paths:
        claims: dict[str, Counter] = defaultdict(Counter)
        for c in check(read_report(path)).claims:
            claims[c.kind][verdict(c)] += 1
        out[path.parent.name if path.stem == "doc" else path.stem] = {"claims": claims}
    return out


def table(results: dict, real: dict | None = None) -> list[str]:
    """Markdown: per family the false findings and the planted errors found; per claim kind and
    family, checked / consistent by another reading / unchecked (with the reasons)."""
    real = real or {}
    kinds = sorted({k for r in [*results.values(), *real.values()] for k in r["claims"]})
    lines = ["| family | reports | false errors | false warnings | planted errors found |", "|---|---|---|---|---|"]
    for family, r in results.items():
        total = r["reports"] * len(PROSE_KINDS)
        lines.append(f"| {family} | {r['reports']} | {r['errors']} | {r['warnings']} | {sum(r['found'].values())}/{total} |")
    lines += ["", "| kind | family | checked (of which a finding) | by another reading | unchecked (why) |",
              "|---|---|---|---|---|"]
    for kind in kinds:
        for family, r in [*results.items(), *real.items()]:
            c = r["claims"].get(kind)
            if not c:
                continue
            why = "；".join(f"{k.split(': ', 1)[1]} {n}" for k, n in c.most_common() if k.startswith("unchecked"))
            unchecked = sum(n for k, n in c.items() if k.startswith("unchecked"))
            found = f"（{c['mismatch']}）" if c["mismatch"] else ""
            lines.append(f"| {kind} | {family} | {c['checked'] + c['mismatch']}{found} | {c['alternative']} | {unchecked}"
                         + (f"（{why}）" if why else "") + " |")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.synth.readings", description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10, help="reports per family (each also planted with every prose error)")
    parser.add_argument("--seed", type=int, default=0, help="first seed")
    parser.add_argument("--family", action="append", choices=WORDINGS, help="only these families (repeatable)")
    parser.add_argument("--document", action="append", type=Path, default=[],
                        help="a real report whose claims join the second table (repeatable)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        results = measure(tuple(args.family or WORDINGS), range(args.seed, args.seed + args.count), Path(folder))
    print("\n".join(table(results, documents(args.document))))
    for family, r in results.items():
        for seed, kind, errors in r["missed"]:
            print(f"missed: {family} seed {seed} {kind}: {', '.join(errors) or 'no error'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
