"""What a batch runs: one job per department, found under the PATH arguments, and what
decides whether an unchanged department may be skipped.

A department whose input, params (with the content of its params file's rule files) and
fingerprint (auditlib's version, the bundled catalogs and completeness profiles, the
notebook's cells and the content of the batch's `--rules` files) are unchanged since its last
successful run is skipped.
"""

from __future__ import annotations

import errno
import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path

import yaml

from auditlib.errors import AuditlibError
from auditlib.files import slugify
from auditlib.rules.catalog import load_catalog
from auditlib.workbench.notebook import notebook_digest
from auditlib.workbench.params import RunParams, resolve_params

DOCUMENT_SUFFIXES = (".pdf", ".txt")
PARAMS_SUFFIXES = (".yaml", ".yml")
PACKAGE = Path(__file__).resolve().parents[1]


def _digest_files(h, files: list[Path]) -> None:
    for p in files:
        h.update(Path(p).name.encode() + Path(p).read_bytes())


def fingerprint(rules: list[Path] | None = None) -> str:
    """auditlib's version plus a digest of what decides the findings and the report (the rule
    catalogs and completeness profiles, the notebook's cells and the auditor's `rules` files),
    so a changed rule or profile re-runs every department."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        v = version("auditlib")
    except PackageNotFoundError:
        v = "0"
    h = hashlib.sha256()
    _digest_files(h, sorted(p for folder in ("catalog", "prose", "profiles")
                            for p in PACKAGE.glob(f"rules/{folder}/*.yaml")))
    h.update(notebook_digest().encode())  # code cells, not outputs or autosave metadata
    _digest_files(h, [Path(p) for p in rules or []])
    return f"{v}+{h.hexdigest()[:12]}"


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def documents_sha256(files: list[Path]) -> str:
    """The digest of a document's content: its file's, or (several files) that of its files'
    digests in order, so a change to any of them runs the department again."""
    digests = [sha256_file(f) for f in files]
    return digests[0] if len(digests) == 1 else hashlib.sha256("".join(digests).encode()).hexdigest()


def one_line(text: str, limit: int = 300) -> str:
    """A message as the one line the manifest, the index and stderr show."""
    text = " ".join(str(text).split()) or "失败"
    return text if len(text) <= limit else text[: limit - 1] + "…"


PHASES = {"read": "读取并审核文件", "notebook": "运行笔记本", "write": "写出结果"}
OS_PROBLEMS = {errno.ENOSPC: "磁盘已满", errno.EDQUOT: "磁盘配额已用完", errno.EROFS: "文件系统只读",
               errno.EACCES: "没有读写权限", errno.EPERM: "没有读写权限", errno.ENOENT: "文件或文件夹不存在",
               errno.EIO: "磁盘读写错误", errno.ENOMEM: "内存不足", errno.EMFILE: "打开的文件过多"}


def failure_reason(exc: BaseException, phase: str = "") -> str:
    """A failure as the one line the index, the warehouse and stderr show, Chinese first: the
    reader's and the params' own messages as they are (they name the file and the problem in
    Chinese already), anything else as what went wrong during `phase` with the exception, in
    English, after it in brackets."""
    if isinstance(exc, AuditlibError):
        return one_line(str(exc))
    if isinstance(exc, OSError) and exc.errno in OS_PROBLEMS:
        what = OS_PROBLEMS[exc.errno]
    elif isinstance(exc, MemoryError):
        what = "内存不足"
    elif isinstance(exc, RecursionError):
        what = "文件结构嵌套过深"
    else:
        what = "出错"
    if phase:
        what = f"{PHASES.get(phase, phase)}时{what}"
    detail = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    return one_line(f"{what}（{detail}）")


@dataclass
class Job:
    slug: str
    origin: str  # the PATH argument (or file found under it) this job came from
    params: RunParams | None = None
    error: str | None = None  # a job that cannot even start (bad params file, missing input)
    sha256: str = ""
    params_hash: str = ""

    @property
    def source(self) -> str:
        return str(self.params.source) if self.params else ""


def params_hash(params: RunParams) -> str:
    """The params that decide a department's report, with the content of its rule files."""
    data = {k: v for k, v in asdict(params).items() if k not in ("params_file", "slug", "rules", "timeout")}
    data["source"] = str(params.source)
    data["rules"] = [[str(p), sha256_file(p)] for p in params.rules]
    if params.budget is not None and params.budget.is_file():  # its 预算: a new budget is a new report
        data["budget"] = [str(params.budget), sha256_file(params.budget)]
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:16]


def _files(paths: list[str | Path], out: Path | None) -> tuple[list[Path], list[Job]]:
    """Every params file and document under `paths`, params files first (a document named by
    a params file is not run a second time bare); a missing path is a job that failed."""
    files: list[Path] = []
    errors: list[Job] = []
    for arg in paths:
        p = Path(arg)
        if p.is_dir():
            found = sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in
                           DOCUMENT_SUFFIXES + PARAMS_SUFFIXES and not any(part.startswith(".") for part in
                                                                           f.relative_to(p).parts))
            if out:
                found = [f for f in found if out not in f.resolve().parents]
            files += found
        elif p.exists():
            files.append(p)
        else:
            errors.append(Job(slug=slugify(p.stem or str(p)), origin=str(arg), error=f"{p}: 路径不存在"))
    files.sort(key=lambda f: (f.suffix.lower() not in PARAMS_SUFFIXES, str(f)))
    return files, errors


def _is_rule_file(path: Path) -> bool:
    """A YAML file whose top level is a list is a rule file (a params file is a mapping), even
    when no params file names it: not a department."""
    if path.suffix.lower() not in PARAMS_SUFFIXES:
        return False
    try:
        return isinstance(yaml.safe_load(path.read_text(encoding="utf-8")), list)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return False  # the params reader names what is wrong with it


def _unique_slugs(jobs: list[Job]) -> None:
    """Slugs unique within DIR: a clash gets the input's suffix, then a number."""
    taken: set[str] = set()
    for job in jobs:
        base, n = job.slug, 1
        if base in taken and job.params:
            base = slugify(f"{job.slug}-{Path(job.source).suffix.lstrip('.')}")
        slug = base
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
        job.slug = slug
        if job.params:
            job.params.slug = slug


def discover(paths: list[str | Path], out: Path | None = None, tolerance: float | None = None,
             rules: list[Path] | None = None) -> list[Job]:
    """Jobs for the PATH arguments: params files, documents, folders of either (recursive);
    `rules` (the batch's `--rules` files) are added to every department's.  A YAML file that
    is a rule file (`--rules`, a params file's `rules:`, or any YAML list, e.g. params/rules/)
    is not a department.  Every distinct set of rule files is loaded once, here, so a mistake
    in one stops the batch (`SettingsError`, one line FILE:LINE) before any department is read."""
    out = Path(out).resolve() if out else None
    files, errors = _files(paths, out)
    resolved: list[tuple[Path, RunParams | Exception]] = []
    for f in files:
        if _is_rule_file(f):
            continue
        try:
            resolved.append((f, resolve_params(f, rules=rules, tolerance=tolerance)))
        except AuditlibError as exc:
            resolved.append((f, exc))
    rule_sets = {tuple(Path(p).resolve() for p in rules or [])} | {
        tuple(params.rules) for _, params in resolved if isinstance(params, RunParams)}
    for rule_set in rule_sets:
        load_catalog(list(rule_set))  # a mistake in a rule file stops the batch (SettingsError), once per set
    rule_files = {p for rule_set in rule_sets for p in rule_set}
    jobs: list[Job] = []
    seen_sources: set[str] = set()
    for f, params in resolved:
        if f.resolve() in rule_files:
            continue
        if isinstance(params, Exception):
            errors.append(Job(slug=slugify(f.stem), origin=str(f), error=failure_reason(params)))
            continue
        keys = {str(f) for f in params.inputs}  # a document's files, each run once: not bare again
        if keys & seen_sources:
            continue
        seen_sources |= keys
        jobs.append(Job(slug=params.slug, origin=str(f), params=params))
    _unique_slugs([*jobs, *errors])
    for job in jobs:
        missing = next((f for f in job.params.inputs if not f.exists()), None)
        if missing is not None:
            job.error = f"{missing}: 文件不存在"
            continue
        try:
            job.sha256 = documents_sha256(job.params.inputs)
        except OSError as exc:
            job.error = f"{exc.filename or job.source}: {exc.strerror or exc}"
        job.params_hash = params_hash(job.params)
    return jobs + errors
