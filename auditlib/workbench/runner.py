"""One run: read and check the document once, execute the notebook, write DIR/<slug>/.

Every file is written atomically (`auditlib.files`), so a run killed half-way leaves the
previous report and the triage file intact; the target folder is checked to lie inside the
output folder.  The model pickle and the kernel's sockets live in a private temporary folder
(0700) that is removed at the end, or by the next run when the process was killed.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from auditlib.errors import RunError
from auditlib.files import atomic_write_bytes, atomic_write_text
from auditlib.report.xlsx import WORKING_PAPER, xlsx_bytes
from auditlib.rules.catalog import load_catalog
from auditlib.workbench.notebook import NOTEBOOK, export_html, kernel_manager_class
from auditlib.workbench.params import RunParams, resolve_params, safe_child
from auditlib.workbench.results import budget_of, check_run, handover, read_once
from auditlib.workbench.triage import TRIAGE_FILE, read_triage

PRIVATE_PREFIX = "auditlib-run-"


@dataclass
class RunOutput:
    folder: Path
    notebook: Path
    findings: Path
    html: Path
    workbook: Path
    triage: Path
    result: object
    timings: dict


def findings_json(result, triage: dict) -> dict:
    data = result.to_json()
    data["triage"] = {k: triage[k] for k in sorted(triage)}
    return data


def sweep_private_folders() -> None:
    """Remove the private folders (model pickle, kernel sockets) that runs of processes no
    longer alive left behind: a `finally` cannot run in a worker that was killed.  Other runs
    finish meanwhile and remove their own folders: one gone between the listing and the look
    is skipped, never an error of this run."""
    for d in Path(tempfile.gettempdir()).glob(f"{PRIVATE_PREFIX}*-*"):
        pid = d.name[len(PRIVATE_PREFIX):].split("-", 1)[0]
        try:
            owner = d.stat().st_uid
        except FileNotFoundError:
            continue
        if not pid.isdigit() or owner != os.getuid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(d, ignore_errors=True)
        except PermissionError:
            pass


def _execute(params: RunParams, notebook: Path, private: Path, parameters: dict, folder: Path,
             kernel_name: str) -> Path:
    """papermill into the private folder; a failing notebook is kept as audit.failed.ipynb."""
    import papermill as pm  # imported after the extraction: papermill's imports slow a PDF read down

    nb_tmp = private / "audit.ipynb"
    try:
        pm.execute_notebook(str(notebook), str(nb_tmp), parameters=parameters, kernel_name=kernel_name,
                            progress_bar=False, log_output=False, cwd=str(notebook.parent),
                            kernel_manager_class=kernel_manager_class(private))
    except pm.PapermillExecutionError as exc:
        if nb_tmp.exists():
            atomic_write_bytes(folder / "audit.failed.ipynb", nb_tmp.read_bytes())
        raise RunError(f"{params.slug}: 笔记本第 {exc.exec_count} 格运行失败："
                             f"{exc.ename}: {exc.evalue}".splitlines()[0]) from None
    return nb_tmp


def run(arg: str | Path | RunParams, out: str | Path = "reports", *, notebook: Path = NOTEBOOK,
        kernel_name: str = "python3", result=None, rules: list[str | Path] | None = None,
        **overrides) -> RunOutput:
    """Execute the audit notebook for one department into `out/<slug>/`; `rules` are rule
    files added after the params file's own (`--rules`)."""
    t0 = time.perf_counter()
    params = arg if isinstance(arg, RunParams) else resolve_params(arg, rules=rules, **overrides)
    if result is None:
        load_catalog(params.rules)  # a mistake in a rule file stops here, before any folder or reading
    folder = safe_child(Path(out), params.slug)
    folder.mkdir(parents=True, exist_ok=True)
    triage_path = folder / TRIAGE_FILE
    triage = read_triage(triage_path)  # a mistake in the auditors' decisions stops here, at its line
    if result is None:
        budget = budget_of(params)  # a missing budget stops here, before the 决算 is read
        result = check_run(read_once(params.document, params.password), params.tolerance, params.rules,
                           params.check_params, budget)
    t_check = time.perf_counter()
    import nbformat

    sweep_private_folders()
    private = Path(tempfile.mkdtemp(prefix=f"{PRIVATE_PREFIX}{os.getpid()}-"))  # 0700: nobody can swap the pickle
    try:
        model = private / "model.pkl"
        handover(model, params.document, params.tolerance, params.rules, params.check_params, result)
        parameters = params.notebook_parameters() | {
            "model_path": str(model), "triage_path": str(triage_path), "interactive": False}
        nb_tmp = _execute(params, Path(notebook), private, parameters, folder, kernel_name)
        t_nb = time.perf_counter()
        nb = nbformat.read(nb_tmp, as_version=4)
        r = result.report
        page = export_html(nb, title=f"{r.department or params.slug} {f'{r.year} 年度' if r.year else ''}部门{r.kind} 审核报告",
                           workbook=WORKING_PAPER)
        workbook = xlsx_bytes(result, triage)
        t_html = time.perf_counter()
        atomic_write_bytes(folder / WORKING_PAPER, workbook)
        atomic_write_bytes(folder / "audit.ipynb", nb_tmp.read_bytes())
        atomic_write_text(folder / "findings.json",
                          json.dumps(findings_json(result, triage), ensure_ascii=False, indent=2,
                                     allow_nan=False) + "\n")
        atomic_write_text(folder / "report.html", page)
        (folder / "audit.failed.ipynb").unlink(missing_ok=True)
    finally:
        shutil.rmtree(private, ignore_errors=True)
    t_end = time.perf_counter()
    timings = {"read_check": t_check - t0, "notebook": t_nb - t_check, "html": t_html - t_nb, "total": t_end - t0}
    return RunOutput(folder=folder, notebook=folder / "audit.ipynb", findings=folder / "findings.json",
                     html=folder / "report.html", workbook=folder / WORKING_PAPER, triage=triage_path, result=result, timings=timings)
