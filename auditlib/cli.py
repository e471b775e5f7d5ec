"""The `auditlib` command line: extract, check, annotate, rules, run, batch, fidelity.

Exit status follows docs/findings-contract.md: 0 no error finding, 1 at least one error
finding, 2 the input or a settings file could not be used (one line on stderr, nothing on
stdout), and beyond the contract 3 for a bug in auditlib (its traceback on stderr, never blamed
on the input) and 130 for an interrupted batch.  `main` is the one place that maps exceptions
to those statuses and lines; the shared options are declared once (`_OPTIONS`).
"""

from __future__ import annotations

import argparse
import json
import sys
import traceback
from pathlib import Path

from auditlib.errors import AuditlibError, BatchError, InputError
from auditlib.log_lines import log_to_stderr
from auditlib.workbench.params import SAMPLE, SAMPLE_PARAMS

__all__ = ["EXIT_BUG", "EXIT_FINDINGS", "EXIT_OK", "EXIT_UNUSABLE", "main", "parser"]

EXIT_OK, EXIT_FINDINGS, EXIT_UNUSABLE, EXIT_BUG, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


def _dump(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False)


def cmd_extract(args: argparse.Namespace) -> int:
    from auditlib.report.export import extract_json, write_xlsx
    from auditlib.ingest import read_report

    report = read_report(args.input, password=args.password, kind=args.kind)
    if args.format == "xlsx":
        out = Path(args.out or Path(args.input[0]).with_suffix(".xlsx").name)
        write_xlsx(report, out)
        print(f"已写出 {out}", file=sys.stderr)
        return 0
    text = _dump(extract_json(report))
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
    else:
        print(text)
    return 0


def _checked(args: argparse.Namespace, path: str | Path | list[str]):
    """Read `path` (one file, or the files of one document) and check it with the catalog, the
    auditor's rule files and the check parameters of the command line; a mistake in a rule file
    stops before any reading."""
    from auditlib.ingest import read_report
    from auditlib.rules import Settings, load_catalog
    from auditlib.rules.runner import run

    from auditlib.rules.profile import named_profile

    rules = load_catalog(args.rules)
    if args.profile:
        named_profile(args.profile)  # a mistake in an auditor's profile file stops here too
    budget = None
    if getattr(args, "budget", None):
        from auditlib.rules.pair import read_budget

        budget = read_budget(args.budget, args.password)
    report = read_report(path, password=args.password, kind=getattr(args, "kind", None))
    params = {k: v for k, v in (("published_on", args.published_on), ("approved_on", args.approved_on),
                                ("profile", args.profile)) if v}
    return run(report, rules, Settings(args.tolerance, params), budget=budget)


def _check_output(args: argparse.Namespace) -> tuple[Path | None, dict | None]:
    """Where `check` writes and the triage it shows, settled before any reading: a workbook
    needs a file (its bytes are no use on a terminal), --triage a workbook to show it in."""
    from auditlib.report.formats import BINARY
    from auditlib.workbench.triage import read_triage

    out = Path(args.out) if args.out else None
    if args.format in BINARY and out is None:
        raise AuditlibError(f"check: --format {args.format} 是二进制文件，不能写到标准输出，请用 --out 指定文件"
                            f"（如 --out 工作底稿.{args.format}）")
    if out is not None and not out.parent.is_dir():
        raise InputError(out, "所在文件夹不存在（no such folder）")
    if out is not None and out.is_dir():
        raise InputError(out, "是文件夹，应为要写入的文件（a folder, not a file）")
    read = [*args.input, *filter(None, [getattr(args, "budget", None)])]  # the files checked and the budget
    if out is not None and any(out.resolve() == Path(p).resolve() for p in read):
        raise InputError(out, "不能覆盖被审核的文件（the output would overwrite the input）")
    if args.triage is None:
        return out, None
    if args.format not in BINARY:
        raise AuditlibError("check: --triage 只用于 --format xlsx（工作底稿中的处理状态）")
    if not args.triage.is_file():
        raise InputError(args.triage, "文件不存在（no such file）")
    return out, read_triage(args.triage)


def cmd_check(args: argparse.Namespace) -> int:
    from auditlib.files import atomic_write_bytes, atomic_write_text
    from auditlib.report.formats import BINARY, render, render_bytes

    out, triage = _check_output(args)
    result = _checked(args, args.input)
    if args.format in BINARY:
        atomic_write_bytes(out, render_bytes(result, args.format, triage))
        print(f"已写出 {out}", file=sys.stderr)
    elif out is not None:
        atomic_write_text(out, render(result, args.format))
    else:
        sys.stdout.write(render(result, args.format))
    return EXIT_FINDINGS if result.errors else EXIT_OK


def cmd_annotate(args: argparse.Namespace) -> int:
    """A copy of the PDF with a highlight and the message over every finding's place (its cells,
    its sentence), and why the findings left unmarked have none; of a document in several PDF
    files, one copy of each (in --out, a folder, then)."""
    from auditlib.report.evidence import annotate
    from auditlib.report.text import summary_line

    sources = [Path(p) for p in args.input]
    for src in sources:
        if not src.exists():
            raise InputError(src, "文件不存在（no such file）")
        if src.suffix.lower() != ".pdf":
            raise InputError(src, "只能标注 PDF 文件（only a PDF can be annotated）")
    outs = _annotated(sources, args.out)
    for out in outs:
        if any(out.resolve() == src.resolve() for src in sources):
            raise InputError(out, "不能覆盖原文件（the annotated copy would overwrite the input）")
    result = _checked(args, args.input)
    marked = annotate(result, outs, password=args.password)
    print(f"{'、'.join(map(str, outs))}：{summary_line(result)}；{marked}", file=sys.stderr)
    return EXIT_FINDINGS if result.errors else EXIT_OK


def _annotated(sources: list[Path], out: str | None) -> list[Path]:
    """Where `annotate` writes: --out (default <name>.annotated.pdf here) for one file; for
    several, <name>.annotated.pdf of each in the folder --out (default here)."""
    if len(sources) == 1:
        return [Path(out or f"{sources[0].stem}.annotated.pdf")]
    folder = Path(out or ".")
    if not folder.is_dir():
        raise InputError(folder, "文件夹不存在：标注几个文件时 --out 应为文件夹（no such folder）")
    return [folder / f"{src.stem}.annotated.pdf" for src in sources]


def cmd_fidelity(args: argparse.Namespace) -> int:
    from auditlib.report.fidelity import compare, render
    from auditlib.ingest import read_report

    results = compare(read_report(args.input, password=args.password), read_report(args.reference))
    sys.stdout.write(render(results))
    return EXIT_OK


def cmd_rules(args: argparse.Namespace) -> int:
    """The catalog grouped as a reviewer reads it (report/catalog.py)."""
    from auditlib.report.catalog import render_catalog
    from auditlib.rules import load_catalog

    sys.stdout.write(render_catalog(load_catalog(args.rules)))
    return EXIT_OK


def cmd_run(args: argparse.Namespace) -> int:
    from auditlib.report.text import summary_line
    from auditlib.workbench.runner import run

    out = run(args.input, args.out, rules=args.rules, tolerance=args.tolerance, slug=args.slug,
              password=args.password)

    r = out.result
    print(f"{out.folder}：{summary_line(r)}；已写出 {out.html.name}、{out.workbook.name}、{out.findings.name}、"
          f"{out.notebook.name}；"
          f"用时 {out.timings['total']:.1f} 秒", file=sys.stderr)
    return EXIT_FINDINGS if r.errors else EXIT_OK


def cmd_batch(args: argparse.Namespace) -> int:
    from auditlib.batch.runner import BatchInterrupted, run_batch
    from auditlib.rules.catalog import rule_file

    for p in args.rules:
        rule_file(p)  # a missing one: the line `check` and `run` give
    missing = [p for p in args.paths if not Path(p).exists()]
    if missing:  # before anything is written: no index, no warehouse for a mistyped path
        raise BatchError(f"路径不存在：{'、'.join(missing)}")
    try:
        summary = run_batch(args.paths, args.out, workers=args.workers, scheduler=args.scheduler,
                            tolerance=args.tolerance, progress=not args.no_progress, force=args.force,
                            rules=args.rules, timeout=args.timeout)
    except BatchInterrupted as stop:
        s = stop.summary
        print(f"auditlib: batch: 已中断：已完成的 {len(s.ok) + len(s.failed)} 个部门已写入 {s.out}；"
              f"再次运行同一命令即从中断处继续", file=sys.stderr)
        return EXIT_INTERRUPTED
    if not summary.outcomes:
        raise BatchError("未找到参数文件或待审核的文件")
    for o in summary.failed:
        print(f"auditlib: {o.slug}: {o.reason}", file=sys.stderr)
    print(f"{summary.out}：审核 {len(summary.ok)} 个部门，未变化跳过 {len(summary.skipped)} 个，"
          f"失败 {len(summary.failed)} 个；已写出 {summary.index.name}、{summary.warehouse.name}；"
          f"用时 {summary.seconds:.1f} 秒", file=sys.stderr)
    return EXIT_FINDINGS if summary.failed else EXIT_OK


def _seconds(text: str) -> float:
    """A time limit on the command line: seconds, 0 for none."""
    try:
        limit = float(text)
    except ValueError:
        limit = -1.0
    if not limit >= 0:  # NaN is not >= 0 either
        raise argparse.ArgumentTypeError(f"应为秒数（0 表示不限时），现为 {text!r}")
    return limit


def _profile(value: str) -> str:
    """`--profile`: a bundled profile's name, or an auditor's profile file (read when used)."""
    from auditlib.rules.profile import is_profile_file, named_profile

    if is_profile_file(value):
        return str(Path(value).expanduser().resolve())
    try:
        named_profile(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return value


class _Formatter(argparse.HelpFormatter):
    """argparse's help with its own words in Chinese first (用法, the usage line's prefix)."""

    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, "用法（usage）：" if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    """A parser whose help speaks Chinese first, the English after it, as every line auditlib
    prints does: argparse's section titles, its -h and its error line are its own English."""

    def __init__(self, *args, add_help: bool = True, parents=(), **kwargs) -> None:
        super().__init__(*args, add_help=False, formatter_class=_Formatter, **kwargs)
        self._positionals.title = "位置参数（positional arguments）"
        self._optionals.title = "选项（options）"
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                              help="显示本帮助并退出（show this help message and exit）")
        for parent in parents:  # as argparse adds them, once the titles are ours: one 选项 section
            self._add_container_actions(parent)
            self._defaults.update(parent._defaults)

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: 错误（error）：{message}\n")


def _options() -> dict[str, argparse.ArgumentParser]:
    """The options several commands share, each declared once (argparse parents)."""
    def parent(*specs: tuple[tuple, dict]) -> argparse.ArgumentParser:
        p = _Parser(add_help=False)
        for flags, kwargs in specs:
            p.add_argument(*flags, **kwargs)
        return p

    return {
        "password": parent((("--password",), {"help": "加密 PDF 的密码（password of an encrypted PDF）"})),
        "budget": parent((("--budget",), {
            "metavar": "预算", "help": "同一部门同一年度的部门预算（PDF 或文本）：逐项核对决算所列年初预算数（the "
                                     "department's 预算 of the same year: every 年初预算 figure held against it）"})),
        "kind": parent((("--kind",), {
            "choices": ("决算", "预算"), "default": None,
            "help": "文档类型：决算 或 预算（默认由表名、封面判断）（document kind; default: told from its titles and cover）"})),
        "tolerance": parent((("--tolerance",), {
            "type": float, "default": None,
            "help": "每个公开数字的舍入容差（表的单位，如万元）；默认为其末位的半个单位（rounding allowance; "
                    "default half a unit of the last printed digit）"})),
        "rules": parent((("--rules",), {
            "metavar": "FILE", "action": "append", "type": Path, "default": [],
            "help": "审核人员自己的规则文件（YAML）：新增规则，或按 id 修改、停用目录中的规则；可重复（an auditor's "
                    "rule file; repeatable）"})),
        "check": parent(
            (("--published-on",), {"metavar": "YYYY-MM-DD",
                                   "help": "公开日期，用于及时性检查（publication date, for the timeliness check）"}),
            (("--approved-on",), {"metavar": "YYYY-MM-DD", "help": "决算批复日期（date the final accounts were approved）"}),
            (("--profile",), {"type": _profile, "help": "完整性规则集：national、shaanxi、shanghai-2024、sichuan、yunnan 或一个规则集文件 .yaml；部门预算："
                                                    "national-budget、shanghai-budget、jiangsu-budget（默认按部门和年度选择）"
                                                    "（completeness profile: a name or a .yaml file, for a budget its "
                                                    "layout; default chosen by department and year）"})),
    }


# the document `extract` and `check` read: one file, or the files of one document in order
DOCUMENT = {"nargs": "*", "default": [str(SAMPLE)], "metavar": "INPUT",
            "help": "PDF 或文本；一份文档分印在几个文件（文件 + 表格）时依次列出各文件（默认：自带的样例）"
                    "（a PDF or a text extraction, or the files of one document in order; default: the bundled sample）"}


def parser() -> argparse.ArgumentParser:
    from auditlib.batch.limits import DEFAULT_TIMEOUT
    from auditlib.report.formats import FORMATS

    o = _options()
    reading, checking = [o["password"], o["kind"]], [o["password"], o["kind"], o["tolerance"], o["rules"], o["check"]]
    p = _Parser(prog="auditlib", description="审核部门决算公开报告（audit 部门决算 final-accounts reports）")
    sub = p.add_subparsers(dest="command", required=True, title="命令（commands）", metavar="COMMAND")
    e = sub.add_parser("extract", parents=reading, help="输出读取到的各表（print the parsed tables）")
    e.add_argument("input", **DOCUMENT)
    e.add_argument("--format", choices=("json", "xlsx"), default="json", help="输出格式（output format）")
    e.add_argument("--out", help="写入此文件而不是标准输出（write to this file instead of stdout）")
    e.set_defaults(fn=cmd_extract)
    c = sub.add_parser("check", parents=[*checking, o["budget"]], help="按规则目录审核（reconcile with the rule catalog）")
    c.add_argument("input", **DOCUMENT)
    c.add_argument("--format", choices=FORMATS, default="json",
                   help="json、text、csv，或 xlsx：审计工作底稿（Excel，须用 --out）（output format; xlsx: the working paper, needs --out）")
    c.add_argument("--out", metavar="FILE", help="写入此文件而不是标准输出，xlsx 必须指定（write to FILE instead of stdout）")
    c.add_argument("--triage", metavar="FILE", type=Path,
                   help="处理结果文件 triage.yaml：其处理状态、处理人和复核写入 xlsx 工作底稿（the auditors' decisions, shown in the xlsx）")
    c.set_defaults(fn=cmd_check)
    a = sub.add_parser("annotate", parents=checking,
                       help="标注副本：每条审核发现标在其单元格或语句上（annotated copy: each finding on its cells or sentence）")
    a.add_argument("input", metavar="REPORT.pdf", nargs="+",
                   help="待审核并标注的 PDF；一份文档分印在几个文件时依次列出（the PDF to check and annotate, or "
                        "the files of one document in order）")
    a.add_argument("--out", help="标注副本（默认：当前文件夹的 <文件名>.annotated.pdf）；几个文件时为存放各副本的文件夹"
                                 "（the annotated copy; default <name>.annotated.pdf here; for several files, a folder）")
    a.set_defaults(fn=cmd_annotate)
    w = sub.add_parser("run", parents=[o["password"], o["tolerance"], o["rules"]],
                       help="运行审核笔记本：DIR/<slug>/ 下的笔记本、findings.json 和 HTML（run the audit notebook）")
    w.add_argument("input", metavar="PARAMS_OR_INPUT", nargs="?", default=str(SAMPLE_PARAMS),
                   help="params/<部门>.yaml 或待审核的文件（默认：自带的样例）（a params file or a document）")
    w.add_argument("--out", default="reports", help="输出文件夹（默认：reports）（output folder）")
    w.add_argument("--slug", help="报告文件夹名（覆盖参数文件）（the report's folder name）")
    w.set_defaults(fn=cmd_run)
    f = sub.add_parser("fidelity", parents=reading,
                       help="一种读取结果重现了参照读取的多少金额（how much of a reference reading a reading reproduces）")
    f.add_argument("input", help="待评判的读取，如 doc.pdf（the reading judged）")
    f.add_argument("reference", help="同一报告的参照读取，如 doc.txt（the reference reading of the same report）")
    f.set_defaults(fn=cmd_fidelity)
    b = sub.add_parser("batch", parents=[o["tolerance"], o["rules"]],
                       help="每个部门一个审核笔记本，并行：DIR/index.html、DIR/audit.duckdb（one notebook per "
                            "department, in parallel）")
    b.add_argument("paths", metavar="PATH", nargs="+", help="参数文件、待审核的文件，或含有它们的文件夹（递归查找）"
                                                           "（params files, documents, or folders holding them）")
    b.add_argument("--out", default="reports", help="输出文件夹（默认：reports）（output folder）")
    b.add_argument("--workers", type=int, default=None, help="本机工作进程数（默认：CPU 数）（local worker processes）")
    b.add_argument("--scheduler", metavar="ADDRESS",
                   help="使用已有的 Dask 集群（tcp://host:8786）（an existing Dask cluster）")
    b.add_argument("--force", action="store_true", help="未变化的部门也重新审核（re-check unchanged departments too）")
    b.add_argument("--timeout", type=_seconds, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                   help="每个部门读取审核、运行笔记本各自的时限，超时即终止其工作进程并记为失败（参数文件的 "
                        f"`timeout:` 优先；0：不限时；默认 {DEFAULT_TIMEOUT:g}）（time limit per department and step）")
    b.add_argument("--no-progress", action="store_true", help="不在 stderr 显示进度条（no progress bar on stderr）")
    b.set_defaults(fn=cmd_batch)
    r = sub.add_parser("rules", parents=[o["rules"]], help="列出规则目录（list the rule catalog）")
    r.set_defaults(fn=cmd_rules)
    return p


def main(argv: list[str] | None = None) -> int:
    """Run one command; the one place exceptions become exit statuses and lines."""
    args = parser().parse_args(argv)
    log_to_stderr()
    try:
        return args.fn(args)
    except AuditlibError as exc:  # a problem the user can fix: one line
        print(f"auditlib: {' '.join(str(exc).split())}", file=sys.stderr)
        return EXIT_UNUSABLE
    except Exception:  # a bug in auditlib: said so, with its traceback
        traceback.print_exc()
        print(f"auditlib: {args.command}: 内部错误——这是 auditlib 的缺陷，不是输入的问题；请连同上面的 traceback "
              "一起报告（internal error: a bug in auditlib）", file=sys.stderr)
        return EXIT_BUG


if __name__ == "__main__":
    sys.exit(main())
