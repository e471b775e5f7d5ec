"""What one run audits: the params of a department, from a params YAML file or an input.

Params files (YAML): `source` (required), `slug`, `department`, `year` (expected values,
shown beside what the document prints), `tolerance`, `password`, `rules` (an auditor's rule
files, one path or a list, added to the bundled catalog), and what the document does not
print, passed to the checks: `profile` (the completeness profile), `published_on` and
`approved_on` (YYYY-MM-DD, for COMPL.timeliness); `timeout` (seconds: the most a batch gives this
department's reading and check, and its notebook; 0 for no limit).  Any other key is an error.  A relative
`source` is resolved against the params file's folder, then against its parent (the project
root that holds `params/`); a relative `rules` path against the params file's folder.  A
params file that is a symbolic link (params/nanchang-bigdata-2021.yaml of a checkout, whose
target is the package's sample) resolves against its target's folder.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from auditlib.errors import InputError
from auditlib.files import slugify
from auditlib.rules.catalog import RULE_FILE_MISSING, rule_file

PACKAGE = Path(__file__).resolve().parents[1]
SAMPLE = PACKAGE / "samples" / "nanchang-bigdata-2021.txt"
SAMPLE_PARAMS = PACKAGE / "samples" / "nanchang-bigdata-2021.yaml"
GENERIC_STEMS = {"doc", "document", "report", "index", "input", "main", "file"}
CHECK_KEYS = ("profile", "published_on", "approved_on")  # `check(params=…)`: what the document does not print
KNOWN_KEYS = {"source", "slug", "tolerance", "department", "year", "password", "rules", "timeout", *CHECK_KEYS}


class WorkbenchError(Exception):
    """A run that could not complete (the notebook failed, bad params): one line."""


@dataclass
class RunParams:
    source: Path
    slug: str
    tolerance: float | None = None  # None: half a unit of each cell's last printed digit
    department: str | None = None
    year: int | None = None
    password: str | None = None
    params_file: Path | None = None
    rules: list[Path] = field(default_factory=list)  # an auditor's rule files, after the bundled catalog
    check_params: dict = field(default_factory=dict)  # CHECK_KEYS given, dates as YYYY-MM-DD text
    timeout: float | None = None  # batch: seconds per task (None: the batch's --timeout, 0: no limit)

    def notebook_parameters(self) -> dict:
        return {"source": str(self.source), "slug": self.slug, "tolerance": tolerance_value(self.tolerance),
                "department": self.department, "year": self.year, "password": self.password,
                "rules": [str(p) for p in self.rules], "check_params": dict(self.check_params)}


def safe_child(out: Path, slug: str) -> Path:
    """`out/slug`, refusing anything that would resolve outside `out`."""
    out = Path(out).resolve()
    target = (out / slugify(slug)).resolve()
    if target.parent != out:
        raise WorkbenchError(f"{slug!r} 的输出文件夹会落在 {out} 之外")
    return target


def slug_for_input(path: Path) -> str:
    """The folder name of a bare input: its stem, or its folder's name for `doc.pdf` & co."""
    path = Path(path)
    stem = path.stem
    if stem.lower() in GENERIC_STEMS and path.parent.name:
        stem = path.parent.name
    return slugify(stem)


def _rule_files(value, folder: Path, params_file: Path) -> list[Path]:
    """The `rules:` entry (a path or a list of paths) as absolute paths, relative ones against
    the params file's folder; a missing file is the params file's error, named now."""
    paths = [value] if isinstance(value, str) else value
    if not isinstance(paths, list) or not all(isinstance(p, str) and p for p in paths):
        raise WorkbenchError(f"{params_file}: `rules:` 应为规则文件的路径或路径列表")
    found = []
    for p in paths:
        path = Path(p).expanduser()
        path = (path if path.is_absolute() else folder / path).resolve()
        if not path.is_file():
            raise WorkbenchError(f"{params_file}: {RULE_FILE_MISSING}：{p}")
        found.append(path)
    return found


def tolerance_value(tolerance) -> float | None:
    """A tolerance as the checks take it: None (half a unit of each cell's last printed
    digit, as `auditlib check` does) or a number (万元, replacing it everywhere)."""
    return None if tolerance is None else float(tolerance)


def _tolerance(value, params_file: Path) -> float | None:
    """`tolerance:` of a params file: a number of 万元, or absent for printed precision."""
    try:
        return tolerance_value(value)
    except (TypeError, ValueError):
        raise WorkbenchError(f"{params_file}: `tolerance:` 应为数字（万元），现为 {value!r}") from None


def seconds(value) -> float | None:
    """A time limit given as seconds (0: no limit), or None when `value` is no number >= 0."""
    try:
        number = None if isinstance(value, bool) else float(value)
    except (TypeError, ValueError):
        return None
    return number if number is not None and number >= 0 else None  # NaN is not >= 0 either


def _timeout(value, params_file: Path) -> float | None:
    """`timeout:` of a params file: seconds (0: no limit), or absent for the batch's own."""
    if value is None:
        return None
    limit = seconds(value)
    if limit is None:
        raise WorkbenchError(f"{params_file}: `timeout:` 应为秒数（0 表示不限时），现为 {value!r}")
    return limit


def _check_params(data: dict, params_file: Path) -> dict:
    """`profile`, `published_on`, `approved_on` of a params file, checked now (a known profile,
    dates YYYY-MM-DD), as the checks and the notebook's JSON parameters take them."""
    from auditlib.rules.profile import known_profile

    out = {}
    for key in CHECK_KEYS:
        value = data.get(key)
        if value is None:
            continue
        try:
            if key == "profile":
                out[key] = known_profile(str(value))
            else:
                out[key] = (value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))).isoformat()
        except ValueError as exc:
            problem = exc if key == "profile" else f"应为日期 YYYY-MM-DD，现为 {value!r}"
            raise WorkbenchError(f"{params_file}: `{key}:` {problem}") from None
    return out


def _from_file(path: Path) -> RunParams:
    real = path.resolve()
    try:
        data = yaml.safe_load(real.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise WorkbenchError(f"{path}: 不是有效的参数文件（{type(exc).__name__}）") from None
    except ValueError as exc:  # a YAML date that is no date (2022-13-01)
        raise WorkbenchError(f"{path}: 不是有效的参数文件（ValueError: {exc}）") from None
    if not isinstance(data, dict) or not data.get("source"):
        raise WorkbenchError(f"{path}: 参数文件缺少 `source:`（待审核的文件）")
    unknown = sorted(set(data) - KNOWN_KEYS)
    if unknown:
        raise WorkbenchError(f"{path}: 未知的参数 `{unknown[0]}:`（可用：{'、'.join(sorted(KNOWN_KEYS))}）")
    src = Path(str(data["source"])).expanduser()
    if not src.is_absolute():
        candidates = [real.parent / src, real.parent.parent / src]
        src = next((c for c in candidates if c.exists()), candidates[0])
    return RunParams(source=src.resolve(), slug=slugify(data.get("slug") or path.stem),
                     tolerance=_tolerance(data.get("tolerance"), path), department=data.get("department"),
                     year=data.get("year"), password=data.get("password"), params_file=real,
                     rules=_rule_files(data.get("rules") or [], real.parent, path),
                     check_params=_check_params(data, path), timeout=_timeout(data.get("timeout"), path))


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
