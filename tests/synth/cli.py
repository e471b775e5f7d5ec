"""`python -m tests.synth OUTDIR --count 20 --seed 7 [--inject total] [--unit 元]`."""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

from tests.synth.generate import generate
from tests.synth.inject import inject
from tests.synth.reference import KINDS, LOCALIZATION_KINDS

def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m tests.synth", description="Write synthetic 部门决算 reports.")
    p.add_argument("outdir", type=Path)
    p.add_argument("--count", type=int, default=10)
    p.add_argument("--seed", type=int, default=0, help="first seed; report i uses seed + i")
    p.add_argument("--year", type=int, default=2021)
    p.add_argument("--department", default=None)
    p.add_argument("--unit", choices=("万元", "元"), default="万元", help="元: print one table in 元")
    p.add_argument("--yuan-table", default=None, help="the table printed in 元 with --unit 元")
    p.add_argument("--inject", choices=KINDS + LOCALIZATION_KINDS, default=None, help="plant one error of this kind in each report")
    p.add_argument("--truth", action="store_true", help="also write each report's exact amounts as JSON")
    args = p.parse_args(argv)
    args.outdir.mkdir(parents=True, exist_ok=True)
    manifest = []
    for i in range(args.count):
        seed = args.seed + i
        rep = generate(seed, department=args.department, year=args.year, unit=args.unit, yuan_table=args.yuan_table)
        entry: dict = {"seed": seed, "file": f"synth-{seed:06d}.txt", "department": rep.department,
                       "yuan_table": next((t for t, u in rep.header_unit.items() if u == "元"), None)}
        if args.inject:
            inj = inject(rep, args.inject, random.Random(seed))
            rep = inj.report
            entry["injection"] = {"kind": inj.kind, "table": inj.table, "row": inj.row, "column": inj.column,
                                  "printed_value": inj.printed_value, "original_value": inj.original_value}
        rep.write(args.outdir / entry["file"])
        if args.truth:
            (args.outdir / f"synth-{seed:06d}.truth.json").write_text(
                json.dumps(rep.truth_json(), ensure_ascii=False), encoding="utf-8")
        manifest.append(entry)
    (args.outdir / "manifest.jsonl").write_text(
        "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in manifest), encoding="utf-8")
    print(f"wrote {args.count} reports to {args.outdir}")
    return 0
