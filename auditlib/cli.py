"""The `auditlib` command line: extract, check, annotate, rules, run, batch.

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
from auditlib.workbench.params import SAMPLE, SAMPLE_PARAMS, seconds


def _dump(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False)


def cmd_extract(args: argparse.Namespace) -> int:
    from auditlib.report.export import extract_json, write_xlsx
    from auditlib.ingest import read_report

    report = read_report(args.input, password=args.password)
    if args.format == "xlsx":
        out = Path(args.out or Path(args.input).with_suffix(".xlsx").name)
        write_xlsx(report, out)
        print(f"已写出 {out}", file=sys.stderr)
        return 0
    text = _dump(extract_json(report))
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
    else:
        print(text)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from auditlib.ingest import read_report
    from auditlib.report.formats import render
    from auditlib.rules import Settings, load_catalog
    from auditlib.rules.profile import known_profile
    from auditlib.rules.relations import run

    try:
        if args.profile:
            known_profile(args.profile)
    except ValueError as exc:
        print(f"auditlib: {exc}", file=sys.stderr)
        return 2
    rules = load_catalog(args.rules)  # a mistake in a rule file stops here, before any reading
    report = read_report(args.input, password=args.password)
    params = {k: v for k, v in (("published_on", args.published_on), ("approved_on", args.approved_on),
                                ("profile", args.profile)) if v}
    result = run(report, rules, Settings(args.tolerance, params))
    sys.stdout.write(render(result, args.format))
    return 1 if result.errors else 0


def cmd_annotate(args: argparse.Namespace) -> int:
    """A copy of the PDF with a highlight and the message on every finding's cells."""
    from auditlib.report.evidence import annotate
    from auditlib.report.text import summary_line
    from auditlib.ingest import read_report
    from auditlib.rules import check

    src = Path(args.input)
    if not src.exists():
        raise InputError(src, "文件不存在（no such file）")
    if src.suffix.lower() != ".pdf":
        print(f"auditlib: {src}: 只能标注 PDF 文件", file=sys.stderr)
        return 2
    out = Path(args.out or f"{src.stem}.annotated.pdf")
    if out.resolve() == src.resolve():
        print(f"auditlib: {out}: 不能覆盖原文件", file=sys.stderr)
        return 2
    result = check(read_report(src, password=args.password), tolerance=args.tolerance)
    n = annotate(result, out, password=args.password)
    print(f"{out}：{summary_line(result)}；在单元格上加了 {n} 处标注", file=sys.stderr)
    return 1 if result.errors else 0


def cmd_fidelity(args: argparse.Namespace) -> int:
    from auditlib.report.fidelity import compare, render
    from auditlib.ingest import read_report

    results = compare(read_report(args.input, password=args.password), read_report(args.reference))
    sys.stdout.write(render(results))
    return 0


def cmd_rules(args: argparse.Namespace) -> int:
    """The catalog grouped as a reviewer reads it (表内 / 表间 / 表文 / 绩效 / 跨年 / 完整性 / 一致性 /
    读取): each rule's id and title, then its English title, tables, severity, tolerance, source
    and parameters, and the text it rests on."""
    from auditlib.rules import load_catalog
    from auditlib.rules.catalog import FAMILIES

    rules = load_catalog(args.rules)
    groups = sorted({r.category for r in rules}, key=lambda g: (FAMILIES.index(g) if g in FAMILIES else len(FAMILIES), g))
    for group in groups:
        mine = [r for r in rules if r.category == group]
        print(f"== {group}（{len(mine)} 条）")
        for rule in mine:
            print(f"{rule.id:<34} {rule.title}{'' if rule.enabled else '  【已停用】'}")
            print(f"{'':<34} {_rule_facts(rule)}")
            if rule.description:
                print(f"{'':<34} 依据：{rule.description}")
            if rule.params:
                print(f"{'':<34} 参数：{json.dumps(rule.params, ensure_ascii=False)}")
        print()
    return 0


def _rule_facts(rule) -> str:
    """English title · 表 · 等级 · 容差 · 来源, for the listing."""
    from auditlib.names import SEVERITY_ZH, TABLE_NAMES

    severity = SEVERITY_ZH.get(rule.severity, "按结果")
    tolerance = f"{rule.tolerance:g}" if rule.tolerance is not None else "半个末位"
    tables = "、".join(TABLE_NAMES.get(t, t) for t in rule.tables)
    return f"{rule.title_en} · {tables} · 等级 {severity} · 容差 {tolerance} · {rule.source}:{rule.line}"


def cmd_run(args: argparse.Namespace) -> int:
    from auditlib.workbench.params import WorkbenchError
    from auditlib.workbench.runner import run

    try:
        out = run(args.input, args.out, rules=args.rules, tolerance=args.tolerance, slug=args.slug,
                  password=args.password)
    except WorkbenchError as exc:
        print(f"auditlib: {exc}", file=sys.stderr)
        return 2
    from auditlib.report.text import summary_line

    r = out.result
    print(f"{out.folder}：{summary_line(r)}；已写出 {out.html.name}、{out.findings.name}、{out.notebook.name}；"
          f"用时 {out.timings['total']:.1f} 秒", file=sys.stderr)
    return 1 if r.errors else 0


def cmd_batch(args: argparse.Namespace) -> int:
    from auditlib.batch.runner import BatchInterrupted, run_batch
    from auditlib.batch.jobs import BatchError
    from auditlib.rules.catalog import rule_file

    for p in args.rules:
        rule_file(p)  # a missing one: the line `check` and `run` give
    missing = [p for p in args.paths if not Path(p).exists()]
    if missing:  # before anything is written: no index, no warehouse for a mistyped path
        print(f"auditlib: batch: 路径不存在：{'、'.join(missing)}", file=sys.stderr)
        return 2
    try:
        summary = run_batch(args.paths, args.out, workers=args.workers, scheduler=args.scheduler,
                            tolerance=args.tolerance, progress=not args.no_progress, force=args.force,
                            rules=args.rules, timeout=args.timeout)
    except BatchError as exc:
        print(f"auditlib: batch: {exc}", file=sys.stderr)
        return 2
    except BatchInterrupted as stop:
        s = stop.summary
        print(f"auditlib: batch: 已中断：已完成的 {len(s.ok) + len(s.failed)} 个部门已写入 {s.out}；"
              f"再次运行同一命令即从中断处继续", file=sys.stderr)
        return 130
    if not summary.outcomes:
        print("auditlib: batch: 未找到参数文件或待审核的文件", file=sys.stderr)
        return 2
    for o in summary.failed:
        print(f"auditlib: {o.slug}: {o.reason}", file=sys.stderr)
    print(f"{summary.out}：审核 {len(summary.ok)} 个部门，未变化跳过 {len(summary.skipped)} 个，"
          f"失败 {len(summary.failed)} 个；已写出 {summary.index.name}、{summary.warehouse.name}；"
          f"用时 {summary.seconds:.1f} 秒", file=sys.stderr)
    return 1 if summary.failed else 0


def _seconds(text: str) -> float:
    """A time limit on the command line: seconds, 0 for none."""
    limit = seconds(text)
    if limit is None:
        raise argparse.ArgumentTypeError(f"应为秒数（0 表示不限时），现为 {text!r}")
    return limit


def parser() -> argparse.ArgumentParser:
    from auditlib.batch import DEFAULT_TIMEOUT

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
    sub.choices["check"].add_argument("--tolerance", type=float, default=None,
                                      help="rounding allowance per published figure, in the table's unit "
                                           "(default: half a unit of its last printed digit, 0.005 for 万元 with two decimals)")
    sub.choices["check"].add_argument("--rules", metavar="FILE", action="append", type=Path, default=[],
                                      help="an auditor's rule file (YAML): adds rules, overrides or disables "
                                           "catalog entries by id; repeatable")
    sub.choices["check"].add_argument("--published-on", metavar="YYYY-MM-DD",
                                      help="date the report was published (timeliness check)")
    sub.choices["check"].add_argument("--approved-on", metavar="YYYY-MM-DD",
                                      help="date the final accounts were approved (批复)")
    sub.choices["check"].add_argument("--profile", help="completeness profile (national, shanghai-2024; "
                                                        "default: chosen by department and year)")
    w = sub.add_parser("run", help="execute the audit notebook: DIR/<slug>/ with notebook, findings.json, HTML")
    w.add_argument("input", metavar="PARAMS_OR_INPUT", nargs="?", default=str(SAMPLE_PARAMS),
                   help="params/<department>.yaml, or an input document (default: the bundled sample)")
    w.add_argument("--out", default="reports", help="output folder (default: reports)")
    w.add_argument("--tolerance", type=float, default=None, help="override the params file's tolerance")
    w.add_argument("--slug", help="override the report's folder name")
    w.add_argument("--password", help="password of an encrypted PDF")
    w.add_argument("--rules", metavar="FILE", action="append", default=[],
                   help="an auditor's rule file (YAML), after the params file's `rules:` (repeatable)")
    w.set_defaults(fn=cmd_run)
    f = sub.add_parser("fidelity", help="share of a reference reading's amounts that another reading reproduces")
    f.add_argument("input", help="the reading to judge, e.g. doc.pdf")
    f.add_argument("reference", help="the reference reading of the same report, e.g. doc.txt")
    f.add_argument("--password", help="password of an encrypted PDF")
    f.set_defaults(fn=cmd_fidelity)
    b = sub.add_parser("batch", help="one audit notebook per department, in parallel: DIR/index.html, DIR/audit.duckdb")
    b.add_argument("paths", metavar="PATH", nargs="+",
                   help="params files, input documents, or folders of either (searched recursively)")
    b.add_argument("--out", default="reports", help="output folder (default: reports)")
    b.add_argument("--workers", type=int, default=None, help="local worker processes (default: CPU count)")
    b.add_argument("--scheduler", metavar="ADDRESS", help="run on an existing Dask cluster (tcp://host:8786)")
    b.add_argument("--tolerance", type=float, default=None, help="override every params file's tolerance")
    b.add_argument("--force", action="store_true", help="re-run departments even when unchanged")
    b.add_argument("--timeout", type=_seconds, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                   help="the most a department's reading and check, and its notebook, may each take; past it the "
                        "worker is killed and the department fails (a params file's `timeout:` wins; 0: no limit; "
                        f"default {DEFAULT_TIMEOUT:g})")
    b.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    b.add_argument("--rules", metavar="FILE", action="append", default=[],
                   help="an auditor's rule file (YAML) for every department (repeatable)")
    b.set_defaults(fn=cmd_batch)
    a = sub.add_parser("annotate", help="a copy of the PDF with every finding highlighted on its cells")
    a.add_argument("input", metavar="REPORT.pdf", help="the PDF report to check and annotate")
    a.add_argument("--out", help="the annotated copy (default: <name>.annotated.pdf in the current folder)")
    a.add_argument("--tolerance", type=float, default=None,
                   help="rounding allowance per published cell (万元); default: half a unit of its last printed digit")
    a.add_argument("--password", help="password of an encrypted PDF")
    a.set_defaults(fn=cmd_annotate)
    r = sub.add_parser("rules", help="list the rule catalog")
    r.add_argument("--rules", metavar="FILE", action="append", type=Path, default=[],
                   help="list the catalog with this rule file of an auditor's applied; repeatable")
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
        detail = " ".join(f"{type(exc).__name__}: {exc}".split())
        if hasattr(args, "input"):
            print(f"auditlib: {args.input}: 无法读取（{detail}）", file=sys.stderr)
        else:
            print(f"auditlib: {args.command}: 出错（{detail}）", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
