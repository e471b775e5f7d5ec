"""The `auditlib` command line: extract, check, rules.

Exit status follows docs/findings-contract.md: 0 no error finding, 1 at least one
error finding, 2 the input could not be read (one line on stderr, nothing on stdout).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from auditlib.errors import InputError

SAMPLE = Path(__file__).parent / "samples" / "nanchang-bigdata-2021.txt"


def _dump(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False)


def cmd_extract(args: argparse.Namespace) -> int:
    from auditlib.export import extract_json, write_xlsx
    from auditlib.ingest import read_report

    report = read_report(args.input, password=args.password)
    if args.format == "xlsx":
        out = Path(args.out or Path(args.input).with_suffix(".xlsx").name)
        write_xlsx(report, out)
        print(f"wrote {out}", file=sys.stderr)
        return 0
    text = _dump(extract_json(report))
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
    else:
        print(text)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from auditlib.findings import render
    from auditlib.ingest import read_report
    from auditlib.rules import check

    report = read_report(args.input, password=args.password)
    result = check(report, tolerance=args.tolerance)
    sys.stdout.write(render(result, args.format))
    return 1 if result.errors else 0


def cmd_rules(args: argparse.Namespace) -> int:
    from auditlib.rules import load_catalog

    for rule in load_catalog():
        print(f"{rule.id:<34} {rule.kind:<9} {','.join(rule.tables):<12} {rule.title}")
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="auditlib", description="Audit 部门决算 final-accounts reports.")
    sub = p.add_subparsers(dest="command", required=True)
    for name, fn, helptext in (
        ("extract", cmd_extract, "print the parsed tables"),
        ("check", cmd_check, "reconcile the report with the rule catalog"),
    ):
        s = sub.add_parser(name, help=helptext)
        s.add_argument("input", nargs="?", default=str(SAMPLE), help="PDF or text extraction (default: bundled sample)")
        s.add_argument("--password", help="password of an encrypted PDF")
        s.set_defaults(fn=fn)
    sub.choices["extract"].add_argument("--format", choices=("json", "xlsx"), default="json")
    sub.choices["extract"].add_argument("--out", help="write to this file instead of stdout")
    sub.choices["check"].add_argument("--format", choices=("json", "text", "csv"), default="json")
    sub.choices["check"].add_argument("--tolerance", type=float, default=0.005,
                                      help="rounding allowance per published cell, in the table's unit")
    r = sub.add_parser("rules", help="list the rule catalog")
    r.set_defaults(fn=cmd_rules)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.fn(args)
    except InputError as exc:
        print(f"auditlib: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # an unreadable input must never end in a traceback
        if os.environ.get("AUDITLIB_DEBUG"):
            raise
        where = getattr(args, "input", "")
        print(f"auditlib: {where}: could not be read ({type(exc).__name__}: {exc})", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
