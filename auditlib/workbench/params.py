"""What one run audits: the params of a department, from a params YAML file or an input.

Params files (YAML): `source` (the document), or `files` (a document published in several files —
a narrative 文件 and a table booklet 表格 —: every file, in order; `source`, if given as well, must be
the first), `budget` (the department's 预算 of the same year, PDF or text: the 决算's 年初预算 figures
are held against it; relative as `source`), `slug`, `department`, `year` (expected values,
shown beside what the document prints), `tolerance`, `password`, `rules` (an auditor's rule
files, one path or a list, added to the bundled catalog), and what the document does not
print, passed to the checks: `profile` (the completeness profile: a bundled one's name or an
auditor's profile file, relative to the params file's folder), `published_on` and
`approved_on` (YYYY-MM-DD, for COMPL.timeliness); `timeout` (seconds: the most a batch gives this
department's reading and check, and its notebook; 0 for no limit); `auditor` and `reviewer` (who
records triage decisions and who reviews them in the notebook: 处理人, 复核人).  Any other key is an error.  A relative
`source` (or `files` entry) is resolved against the params file's folder, then against its parent (the project
root that holds `params/`); a relative `rules` path against the params file's folder.  A
params file that is a symbolic link (params/nanchang-bigdata-2021.yaml of a checkout, whose
target is the package's sample) resolves against its target's folder.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from auditlib.errors import InputError, RunError
from auditlib.files import slugify
from auditlib.rules.catalog import RULE_FILE_MISSING, rule_file
from auditlib.yamlfiles import Loaded, load

PACKAGE = Path(__file__).resolve().parents[1]
SAMPLE = PACKAGE / "samples" / "nanchang-bigdata-2021.txt"
SAMPLE_PARAMS = PACKAGE / "samples" / "nanchang-bigdata-2021.yaml"
GENERIC_STEMS = {"doc", "document", "report", "index", "input", "main", "file"}
CHECK_KEYS = ("profile", "published_on", "approved_on")  # `check(params=…)`: what the document does not print
_TEXT = {"type": "string"}
SCHEMA = {  # a params file (the module's docstring says what each key means)
    "type": "object", "x-problem": "参数文件应为 “键: 值” 的映射",
    "additionalProperties": False,  # `source` or `files` (_sources)
    "properties": {
        "source": {"type": "string", "minLength": 1, "x-problem": "应为待审核文件的路径"},
        "files": {"type": "array", "minItems": 2, "x-problem": "应为一份文档的各个文件（至少两个）的路径列表",
                  "items": {"type": "string", "minLength": 1, "x-problem": "应为待审核文件的路径"}},
        "budget": {"type": "string", "minLength": 1, "x-problem": "应为同一部门同一年度部门预算文件的路径"},
        "slug": _TEXT, "department": _TEXT, "auditor": _TEXT, "reviewer": _TEXT,
        "year": {"type": "integer", "minimum": 1949},
        "password": {"type": ["string", "integer"]},
        "tolerance": {"type": ["number", "null"], "minimum": 0, "x-problem": "应为不小于 0 的数字（万元）"},
        "timeout": {"type": ["number", "null"], "minimum": 0, "x-problem": "应为秒数（0 表示不限时）"},
        "rules": {"type": ["string", "array", "null"], "x-problem": "应为规则文件的路径或路径列表",
                  "items": {"type": "string", "minLength": 1, "x-problem": "应为规则文件的路径或路径列表"}},
        "profile": _TEXT, "published_on": {}, "approved_on": {},  # checked by _check_params
    },
}
KNOWN_KEYS = set(SCHEMA["properties"])


@dataclass
class RunParams:
    source: Path  # the document (of several files: the first)
    slug: str
    tolerance: float | None = None  # None: half a unit of each cell's last printed digit
    department: str | None = None
    year: int | None = None
    password: str | None = None
    params_file: Path | None = None
    rules: list[Path] = field(default_factory=list)  # an auditor's rule files, after the bundled catalog
    check_params: dict = field(default_factory=dict)  # CHECK_KEYS given, dates as YYYY-MM-DD text
    timeout: float | None = None  # batch: seconds per task (None: the batch's --timeout, 0: no limit)
    auditor: str | None = None  # 处理人: who records triage decisions (None: the login name)
    reviewer: str | None = None  # 复核人: who reviews them
    files: list[Path] = field(default_factory=list)  # a document in several files: all of them, `source` first
    budget: Path | None = None  # the 预算 of the same department and year (pair rules), if given

    @property
    def inputs(self) -> list[Path]:
        """The files the document is read from, in order."""
        return self.files or [self.source]

    @property
    def document(self) -> str | list[str]:
        """The document as a reader (and the notebook's `source` parameter) takes it: a path, or
        the list of its files."""
        return [str(p) for p in self.files] if self.files else str(self.source)

    def notebook_parameters(self) -> dict:
        """The values of the notebook's parameters cell, as papermill injects them."""
        return {"source": self.document, "slug": self.slug, "tolerance": tolerance_value(self.tolerance),
                "department": self.department, "year": self.year, "password": self.password,
                "rules": [str(p) for p in self.rules], "check_params": dict(self.check_params),
                "auditor": self.auditor, "reviewer": self.reviewer,
                "budget": str(self.budget) if self.budget is not None else None}


def safe_child(out: Path, slug: str) -> Path:
    """`out/slug`, refusing anything that would resolve outside `out`."""
    out = Path(out).resolve()
    target = (out / slugify(slug)).resolve()
    if target.parent != out:
        raise RunError(f"{slug!r} 的输出文件夹会落在 {out} 之外")
    return target


def slug_for_input(path: Path) -> str:
    """The folder name of a bare input: its stem, or its folder's name for `doc.pdf` & co."""
    path = Path(path)
    stem = path.stem
    if stem.lower() in GENERIC_STEMS and path.parent.name:
        stem = path.parent.name
    return slugify(stem)


def _rule_files(loaded: Loaded, folder: Path) -> list[Path]:
    """The `rules:` entry (a path or a list of paths) as absolute paths, relative ones against
    the params file's folder; a missing file is the params file's error, at its line."""
    value = loaded.data.get("rules") or []
    found = []
    for i, p in enumerate([value] if isinstance(value, str) else value):
        path = Path(p).expanduser()
        path = (path if path.is_absolute() else folder / path).resolve()
        if not path.is_file():
            raise loaded.fail(("rules", i) if isinstance(value, list) else ("rules",), f"{RULE_FILE_MISSING}：{p}")
        found.append(path)
    return found


def tolerance_value(tolerance) -> float | None:
    """A tolerance as the checks take it: None (half a unit of each cell's last printed
    digit, as `auditlib check` does) or a number (万元, replacing it everywhere)."""
    return None if tolerance is None else float(tolerance)


def _check_params(loaded: Loaded, folder: Path) -> dict:
    """`profile`, `published_on`, `approved_on` of a params file, checked now (a known profile,
    dates YYYY-MM-DD), as the checks and the notebook's JSON parameters take them."""
    from auditlib.rules.profile import is_profile_file, named_profile

    out = {}
    for key in CHECK_KEYS:
        value = loaded.data.get(key)
        if value is None:
            continue
        if key == "profile":
            if is_profile_file(value):  # an auditor's own, next to the params file
                value = str((folder / Path(value).expanduser()).resolve())
            try:
                named_profile(value)
            except ValueError as exc:
                raise loaded.fail((key,), f"profile：{exc}") from None
            out[key] = value
            continue
        try:
            out[key] = (value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))).isoformat()
        except ValueError:
            raise loaded.fail((key,), f"{key} 应为日期 YYYY-MM-DD，现为 {value!r}") from None
    return out


def _input_path(value: str, folder: Path) -> Path:
    """A document path of a params file: absolute, or against its folder, then its parent."""
    src = Path(value).expanduser()
    if not src.is_absolute():
        candidates = [folder / src, folder.parent / src]
        src = next((c for c in candidates if c.exists()), candidates[0])
    return src.resolve()


def _sources(loaded: Loaded, folder: Path) -> list[Path]:
    """The document's files: `source`, or every entry of `files` (`source` then their first)."""
    data = loaded.data
    if "files" not in data:
        if "source" not in data:
            raise loaded.fail((), "缺少 “source”（或 “files”：一份文档的各个文件）")
        return [_input_path(data["source"], folder)]
    files = [_input_path(f, folder) for f in data["files"]]
    if "source" in data and _input_path(data["source"], folder) != files[0]:
        raise loaded.fail(("source",), "source 应为 files 中的第一个文件（或只写 files）")
    return files


def _from_file(path: Path) -> RunParams:
    real = path.resolve()
    loaded = load(real, SCHEMA, source=str(path))
    data = loaded.data
    sources = _sources(loaded, real.parent)
    budget = data.get("budget")
    password = data.get("password")
    return RunParams(source=sources[0], files=sources if len(sources) > 1 else [],
                     budget=_input_path(budget, real.parent) if budget else None, slug=slugify(data.get("slug") or path.stem),
                     tolerance=tolerance_value(data.get("tolerance")), department=data.get("department"),
                     year=data.get("year"), password=None if password is None else str(password),
                     params_file=real, rules=_rule_files(loaded, real.parent), check_params=_check_params(loaded, real.parent),
                     timeout=data.get("timeout"), auditor=data.get("auditor"), reviewer=data.get("reviewer"))


def resolve_params(arg: str | Path, rules: list[str | Path] | None = None, **overrides) -> RunParams:
    """A params YAML file, or an input document (params derived from it); `rules` (the
    `--rules` files of the command line) come after the params file's own, so they override
    them; other keyword arguments that are not None replace the file's values."""
    path = Path(arg)
    if not path.exists():
        raise InputError(path, "文件不存在（no such file）")
    if path.suffix.lower() in (".yaml", ".yml"):
        params = _from_file(path)
    else:
        params = RunParams(source=path.resolve(), slug=slug_for_input(path))
    for p in rules or []:
        params.rules.append(rule_file(p))
    for k, v in overrides.items():
        if v is not None:
            setattr(params, k, slugify(v) if k == "slug" else v)
    return params
