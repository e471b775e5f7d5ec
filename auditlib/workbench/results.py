"""The checked report of one run: read at most once per process, handed to the notebook.

`auditlib run` (and a batch worker) reads and checks the document in its own process and
hands the result to the notebook's kernel as a pickle in a private temporary folder, so the
kernel extracts nothing (no second JVM for a PDF).  A kernel started by hand (JupyterLab)
reads the document itself, once, and re-checks the loaded model when the tolerance changes.
"""

from __future__ import annotations

import pickle
from pathlib import Path

from auditlib.errors import InputError
from auditlib.workbench.params import SAMPLE, tolerance_value

PICKLE_FORMAT = 4  # 2: the auditor's rule files, 3: the check params are part of what the pickle was checked with, 4: Report.ocr_pages, ocr_pictures (an older pickle has none)

_CACHE: dict = {}


def _files(source: str | Path | list) -> list[Path]:
    """The files of a document given as a path or (several files) a list of paths."""
    return [Path(p) for p in source] if isinstance(source, (list, tuple)) else [Path(source)]


def _source_key(source: str | Path | list, password: str | None) -> tuple:
    files = _files(source)
    return (*((str(f.resolve()), f.stat().st_mtime_ns, f.stat().st_size) for f in files), password)


def _resolved(source: str | Path | list) -> str | list[str]:
    """A document's path (or its files' paths) made absolute, as the pickle records it."""
    files = [str(f.resolve()) for f in _files(source)]
    return files if isinstance(source, (list, tuple)) else files[0]


def read_once(source: str | Path | list, password: str | None = None):
    """The report of `source` (a path, or the list of a document's files), read at most once per
    process (keyed by each file's path, mtime, size)."""
    from auditlib.ingest import read_report

    for f in _files(source):
        if not f.exists():
            raise InputError(f, "文件不存在（no such file）")
    key = _source_key(source, password)
    if key not in _CACHE:
        _CACHE.clear()  # one document per kernel is the common case: keep memory flat
        _CACHE[key] = read_report(_files(source) if isinstance(source, (list, tuple)) else source, password=password)
    return _CACHE[key]


def check_run(report, tolerance: float | None, rules: list[str | Path] | None = None,
              check_params: dict | None = None, budget=None):
    """The report checked with the bundled catalog plus the run's rule files, with what the
    document does not print (`check_params`: profile, published_on, approved_on) and, with
    `budget` (auditlib.rules.prior.Pair), against the 预算 of the same year."""
    from auditlib.rules import check

    return check(report, tolerance=tolerance_value(tolerance), extra=[Path(p) for p in rules or []] or None,
                 params=check_params, budget=budget)


def budget_of(params):
    """The 预算 a run's params name (`budget:`), read; None when they name none."""
    return budget_at(params.budget, params.password)


def budget_at(path: str | Path | None, password: str | None = None):
    """The 预算 at `path`, read (None without a path).  A missing or unreadable budget is the
    one-line InputError naming it."""
    if not path:
        return None
    from auditlib.rules.pair import read_budget

    return read_budget(path, password)


def handover(path: Path, source: Path | list, tolerance: float | None, rules: list[Path], check_params: dict,
             result) -> None:
    """Write the pickle `load_result` accepts for exactly this source, tolerance, rules, check
    params and budget (the result's own)."""
    with open(path, "wb") as fh:
        pickle.dump({"format": PICKLE_FORMAT, "source": _resolved(source), "tolerance": tolerance_value(tolerance),
                     "rules": [str(p) for p in rules], "check_params": dict(check_params),
                     "budget": _budget_key(result.budget.path if result.budget is not None else None), "result": result}, fh,
                    protocol=pickle.HIGHEST_PROTOCOL)


def load_result(source: str | Path | list | None = None, tolerance: float | None = None, model_path: str | Path | None = None,
                password: str | None = None, rules: list[str | Path] | None = None, check_params: dict | None = None,
                budget: str | Path | None = None):
    """The CheckResult the notebook shows: the runner's (a pickle it wrote for this run)
    when given and it matches the source, tolerance, rule files, check params and budget,
    otherwise read (once) and checked here, against the `budget` (预算) when given.

    Returns (result, how) where `how` says where the model came from."""
    source = source or SAMPLE
    rules = [str(p) for p in rules or []]
    check_params = dict(check_params or {})
    if model_path and Path(model_path).exists():
        with open(model_path, "rb") as fh:
            payload = pickle.load(fh)  # written by `run` into its own private temp folder
        if (payload.get("format") == PICKLE_FORMAT and payload.get("source") == _resolved(source)
                and payload.get("tolerance") == tolerance_value(tolerance) and payload.get("rules") == rules
                and payload.get("check_params") == check_params and payload.get("budget") == _budget_key(budget)):
            return payload["result"], "审核结果由 auditlib run 交来（本内核未重新读取文件）"
    paired = budget_at(budget, password)
    return check_run(read_once(source, password), tolerance, rules, check_params, paired), "文件已在本内核中读取并审核"


def _budget_key(budget: str | Path | None) -> str | None:
    """The budget as a handed-over result records it (resolved path), None without one."""
    return str(Path(budget).resolve()) if budget else None


def recheck(result, tolerance: float | None, rules: list[str | Path] | None = None,
            check_params: dict | None = None):
    """The same report checked at another tolerance (no re-extraction)."""
    return check_run(result.report, tolerance, rules, check_params, result.budget)
