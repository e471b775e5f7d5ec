"""The workbench: run one department's audit notebook and keep what it produced.

    auditlib run params/nanchang-bigdata-2021.yaml [--out reports]
    auditlib run REPORT.pdf                              # params derived from the input

writes `DIR/<slug>/`:

* `audit.ipynb`   the executed notebook (papermill),
* `findings.json` the contract's JSON (`auditlib check --format json`) plus `triage`,
* `report.html`   the notebook rendered by nbconvert without code cells: self-contained,
                  opens offline, every finding of `auditlib check`, sortable and filterable,
* `triage.yaml`   the auditors' decisions, keyed by finding `key`; written by the notebook's
                  widgets (or by hand), never by a run, and read by every later run.

The runner reads and checks the document once, in this process, and hands the result to
the notebook as a pickle in a private temporary folder: the notebook does not extract
again (no second JVM for a PDF).  Every file is written atomically (temporary file in the
same folder, then `os.replace`), so a run killed half-way leaves the previous report and
the triage file intact.  The slug is reduced to safe characters and the target folder is
checked to lie inside the output folder.

Params files (YAML): `source` (required; a relative path is resolved against the params
file's folder, then against its parent, the project root that holds `params/`),
`slug`, `department`, `year` (expected values, shown beside what the document prints),
`tolerance`, `password`.
"""

from __future__ import annotations

import json
import os
import pickle
import re
import shutil
import tempfile
import time
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import yaml

from auditlib.errors import InputError

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "audit.ipynb"
SAMPLE = Path(__file__).parent / "samples" / "nanchang-bigdata-2021.txt"
TRIAGE_STATUSES = ("confirmed", "explained", "false alarm")
TRIAGE_FILE = "triage.yaml"
PICKLE_FORMAT = 1
GENERIC_STEMS = {"doc", "document", "report", "index", "input", "main", "file"}


class WorkbenchError(Exception):
    """A run that could not complete (the notebook failed, bad params): one line."""


# --------------------------------------------------------------------------- atomic files


def atomic_write_bytes(path: Path, data: bytes) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


# --------------------------------------------------------------------------- params and slug


def slugify(text: str, limit: int = 80) -> str:
    """A folder name that cannot leave its parent: word characters (CJK included),
    `-` and `.`, no leading dot, no `..`, at most `limit` characters."""
    s = unicodedata.normalize("NFKC", str(text))
    s = re.sub(r"[^\w.\-]+", "-", s, flags=re.UNICODE)
    s = re.sub(r"\.{2,}", ".", s)
    s = re.sub(r"-{2,}", "-", s).strip("-. ")
    s = s[:limit].strip("-. ")
    return s or "report"


def safe_child(out: Path, slug: str) -> Path:
    """`out/slug`, refusing anything that would resolve outside `out`."""
    out = Path(out).resolve()
    target = (out / slugify(slug)).resolve()
    if target.parent != out:
        raise WorkbenchError(f"{slug!r} 的输出文件夹会落在 {out} 之外")
    return target


@dataclass
class RunParams:
    source: Path
    slug: str
    tolerance: float = 0.005
    department: str | None = None
    year: int | None = None
    password: str | None = None
    params_file: Path | None = None
    extra: dict = field(default_factory=dict)

    def notebook_parameters(self) -> dict:
        return {"source": str(self.source), "slug": self.slug, "tolerance": float(self.tolerance),
                "department": self.department, "year": self.year, "password": self.password}


def slug_for_input(path: Path) -> str:
    path = Path(path)
    stem = path.stem
    if stem.lower() in GENERIC_STEMS and path.parent.name:
        stem = path.parent.name
    return slugify(stem)


def resolve_params(arg: str | Path, **overrides) -> RunParams:
    """A params YAML file, or an input document (params derived from it)."""
    path = Path(arg)
    if not path.exists():
        raise InputError(path, "no such file")
    if path.suffix.lower() in (".yaml", ".yml"):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise WorkbenchError(f"{path}: 不是有效的参数文件（{type(exc).__name__}）") from None
        if not isinstance(data, dict) or not data.get("source"):
            raise WorkbenchError(f"{path}: 参数文件缺少 `source:`（待审核的文件）")
        src = Path(str(data["source"])).expanduser()
        if not src.is_absolute():
            candidates = [path.parent / src, path.parent.parent / src]
            src = next((c for c in candidates if c.exists()), candidates[0])
        known = {"source", "slug", "tolerance", "department", "year", "password"}
        params = RunParams(source=src.resolve(), slug=slugify(data.get("slug") or path.stem),
                           tolerance=float(data.get("tolerance", 0.005)), department=data.get("department"),
                           year=data.get("year"), password=data.get("password"), params_file=path.resolve(),
                           extra={k: v for k, v in data.items() if k not in known})
    else:
        params = RunParams(source=path.resolve(), slug=slug_for_input(path))
    for k, v in overrides.items():
        if v is not None:
            setattr(params, k, slugify(v) if k == "slug" else v)
    return params


# --------------------------------------------------------------------------- the model, once


_CACHE: dict = {}


def _source_key(source: Path, password: str | None) -> tuple:
    st = source.stat()
    return (str(source.resolve()), st.st_mtime_ns, st.st_size, password)


def read_once(source: str | Path, password: str | None = None):
    """The report of `source`, read at most once per process (keyed by path, mtime, size)."""
    from auditlib.ingest import read_report

    source = Path(source)
    if not source.exists():
        raise InputError(source, "no such file")
    key = _source_key(source, password)
    if key not in _CACHE:
        _CACHE.clear()  # one document per kernel is the common case: keep memory flat
        _CACHE[key] = read_report(source, password=password)
    return _CACHE[key]


def load_result(source: str | Path | None = None, tolerance: float = 0.005, model_path: str | Path | None = None,
                password: str | None = None):
    """The CheckResult the notebook shows: the runner's (a pickle it wrote for this run)
    when given and it matches the source and tolerance, otherwise read (once) and checked here.

    Returns (result, how) where `how` says where the model came from."""
    from auditlib.rules import check

    source = Path(source) if source else SAMPLE
    if model_path and Path(model_path).exists():
        with open(model_path, "rb") as fh:
            payload = pickle.load(fh)  # written by `run` into its own private temp folder
        if (payload.get("format") == PICKLE_FORMAT and payload.get("source") == str(source.resolve())
                and payload.get("tolerance") == float(tolerance)):
            return payload["result"], "审核结果由 auditlib run 交来（本内核未重新读取文件）"
    report = read_once(source, password)
    return check(report, tolerance=float(tolerance)), "文件已在本内核中读取并审核"


def recheck(result, tolerance: float):
    """The same report checked at another tolerance (no re-extraction)."""
    from auditlib.rules import check

    return check(result.report, tolerance=float(tolerance))


# --------------------------------------------------------------------------- triage


def default_triage_path(source: str | Path | None, slug: str | None = None, out: str | Path | None = None) -> Path:
    """Where the notebook keeps triage when no `triage_path` is set: next to the report that
    `auditlib run` writes for this input (`reports/<slug>/triage.yaml` of the project, or of
    the folder named by AUDITLIB_REPORTS), so the decisions taken in JupyterLab are read back
    by the next run."""
    out = Path(out or os.environ.get("AUDITLIB_REPORTS") or ROOT / "reports")
    return safe_child(out, slug or slug_for_input(Path(source or SAMPLE))) / TRIAGE_FILE


def read_triage(path: str | Path | None) -> dict[str, dict]:
    """`{finding key: {status, comment, …}}`; a missing file is an empty triage, a broken
    entry is skipped (the file is people's work: never lose the rest of it)."""
    if not path:
        return {}
    path = Path(path)
    if not path.exists():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError):
        return {}
    out = {}
    if isinstance(data, dict):
        for key, entry in data.items():
            if isinstance(entry, dict) and entry.get("status") in TRIAGE_STATUSES:
                out[str(key)] = {k: v for k, v in entry.items()}
    return out


def write_triage(path: str | Path, triage: dict[str, dict]) -> None:
    header = ("# Triage of the findings of this report, keyed by finding key (auditlib run keeps it).\n"
              f"# status: {' | '.join(TRIAGE_STATUSES)}\n")
    body = yaml.safe_dump({k: triage[k] for k in sorted(triage)}, allow_unicode=True, sort_keys=False,
                          default_flow_style=False, width=100)
    atomic_write_text(Path(path), header + body)


def set_triage(path: str | Path, finding, status: str | None, comment: str = "", by: str | None = None) -> dict:
    """Record (or with status None, remove) one decision; returns the whole triage."""
    triage = read_triage(path)
    if status is None:
        triage.pop(finding.key, None)
    else:
        if status not in TRIAGE_STATUSES:
            raise ValueError(f"triage status must be one of {TRIAGE_STATUSES}")
        triage[finding.key] = {"status": status, "comment": comment or "", "rule": finding.id,
                               "location": finding.location, "message": finding.message,
                               "by": by or os.environ.get("USER") or "",
                               "at": datetime.now(timezone.utc).replace(microsecond=0).isoformat()}
    write_triage(path, triage)
    return triage


# --------------------------------------------------------------------------- running


@dataclass
class RunOutput:
    folder: Path
    notebook: Path
    findings: Path
    html: Path
    triage: Path
    result: object
    timings: dict


def _plain(o):
    """JSON for numpy scalars that reach a finding (json.dumps `default`)."""
    if hasattr(o, "item"):
        return o.item()
    raise TypeError(f"Object of type {type(o).__name__} is not JSON serializable")


def kernel_manager_class(folder: Path):
    """A kernel manager whose kernel talks over Unix sockets in `folder` (a private temp
    folder) instead of TCP on localhost: nothing else on the machine can reach the kernel."""
    from jupyter_client.manager import AsyncKernelManager

    class IPCKernelManager(AsyncKernelManager):
        def __init__(self, **kw):
            kw.setdefault("transport", "ipc")
            kw.setdefault("ip", str(Path(folder) / "kernel"))
            super().__init__(**kw)

    return IPCKernelManager


def findings_json(result, triage: dict) -> dict:
    data = result.to_json()
    data["triage"] = {k: triage[k] for k in sorted(triage)}
    return data


HTML_TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block extra_css -%}<meta name="generator" content="auditlib">{%- endblock extra_css -%}
"""


def export_html(nb, title: str | None = None) -> str:
    """The executed notebook as one offline HTML page without code cells (nbconvert's lab
    template with every script and stylesheet that would come from the internet removed)."""
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = HTMLExporter(template_name="lab", extra_loaders=[DictLoader({"auditlib.html.j2": HTML_TEMPLATE})],
                            template_file="auditlib.html.j2", exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True, embed_images=True, language_code="zh")
    exporter.register_preprocessor(TagRemovePreprocessor(remove_cell_tags={"workbench-interactive"}), enabled=True)
    if title:
        nb.metadata["title"] = title
    body, _ = exporter.from_notebook_node(nb)
    return body.replace('<html lang="zh">', '<html lang="zh-CN">', 1)  # nbconvert knows ISO 639-1 codes only


PRIVATE_PREFIX = "auditlib-run-"


def sweep_private_folders() -> None:
    """Remove the private folders (model pickle, kernel sockets) that runs of processes no
    longer alive left behind: a `finally` cannot run in a worker that was killed."""
    for d in Path(tempfile.gettempdir()).glob(f"{PRIVATE_PREFIX}*-*"):
        pid = d.name[len(PRIVATE_PREFIX):].split("-", 1)[0]
        if not pid.isdigit() or d.stat().st_uid != os.getuid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(d, ignore_errors=True)
        except PermissionError:
            pass


def run(arg: str | Path | RunParams, out: str | Path = "reports", *, notebook: Path = NOTEBOOK,
        kernel_name: str = "python3", result=None, **overrides) -> RunOutput:
    """Execute the audit notebook for one department into `out/<slug>/`."""
    t0 = time.perf_counter()
    params = arg if isinstance(arg, RunParams) else resolve_params(arg, **overrides)
    folder = safe_child(Path(out), params.slug)
    folder.mkdir(parents=True, exist_ok=True)
    triage_path = folder / TRIAGE_FILE
    if result is None:
        from auditlib.rules import check

        result = check(read_once(params.source, params.password), tolerance=params.tolerance)
    t_check = time.perf_counter()
    import nbformat  # imported after the extraction: papermill's imports slow a PDF read down
    import papermill as pm

    sweep_private_folders()
    private = Path(tempfile.mkdtemp(prefix=f"{PRIVATE_PREFIX}{os.getpid()}-"))  # 0700: nobody can swap the pickle
    try:
        model = private / "model.pkl"
        with open(model, "wb") as fh:
            pickle.dump({"format": PICKLE_FORMAT, "source": str(Path(params.source).resolve()),
                         "tolerance": float(params.tolerance), "result": result}, fh,
                    protocol=pickle.HIGHEST_PROTOCOL)
        nb_tmp = private / "audit.ipynb"
        parameters = params.notebook_parameters() | {
            "model_path": str(model), "triage_path": str(triage_path), "interactive": False}
        try:
            pm.execute_notebook(str(notebook), str(nb_tmp), parameters=parameters, kernel_name=kernel_name,
                                progress_bar=False, log_output=False, cwd=str(notebook.parent),
                                kernel_manager_class=kernel_manager_class(private))
        except pm.PapermillExecutionError as exc:
            if nb_tmp.exists():
                atomic_write_bytes(folder / "audit.failed.ipynb", nb_tmp.read_bytes())
            raise WorkbenchError(f"{params.slug}: 笔记本第 {exc.exec_count} 格运行失败："
                                 f"{exc.ename}: {exc.evalue}".splitlines()[0]) from None
        t_nb = time.perf_counter()
        nb = nbformat.read(nb_tmp, as_version=4)
        r = result.report
        page = export_html(nb, title=f"{r.department or params.slug} {f'{r.year} 年度' if r.year else ''}部门决算 审核报告")
        t_html = time.perf_counter()
        triage = read_triage(triage_path)
        atomic_write_bytes(folder / "audit.ipynb", nb_tmp.read_bytes())
        atomic_write_text(folder / "findings.json",
                          json.dumps(findings_json(result, triage), ensure_ascii=False, indent=2, allow_nan=False,
                                     default=_plain) + "\n")
        atomic_write_text(folder / "report.html", page)
        (folder / "audit.failed.ipynb").unlink(missing_ok=True)
    finally:
        shutil.rmtree(private, ignore_errors=True)
    t_end = time.perf_counter()
    timings = {"read_check": t_check - t0, "notebook": t_nb - t_check, "html": t_html - t_nb, "total": t_end - t0}
    return RunOutput(folder=folder, notebook=folder / "audit.ipynb", findings=folder / "findings.json",
                     html=folder / "report.html", triage=triage_path, result=result, timings=timings)


# --------------------------------------------------------------------------- interactive use


def explorer(result, triage_path: str | Path | None = None, tolerance: float = 0.005):
    """ipywidgets for JupyterLab: pick a table, filter findings by severity and table,
    change the tolerance (re-checks the loaded model), triage a finding.  Without a
    `triage_path` the decisions go next to the report (`default_triage_path`)."""
    import ipywidgets as w
    from IPython.display import display

    from auditlib import render

    triage_path = Path(triage_path) if triage_path else default_triage_path(result.report.path)
    state = {"result": result}
    zh = render.TABLE_NAMES
    table_pick = w.Dropdown(options=[(zh.get(c, c), c) for c in result.report.tables], description="表")
    sev = w.SelectMultiple(options=[(render.SEVERITY_ZH[s], s) for s in render.SEVERITY_ORDER],
                           value=tuple(render.SEVERITY_ORDER), description="级别", rows=3)
    tab = w.Dropdown(options=[("全部", "all")], value="all", description="涉及的表")
    tol = w.BoundedFloatText(value=float(tolerance), min=0.0, max=1000.0, step=0.001, description="容差")
    recheck_btn = w.Button(description="重新核对", icon="refresh")
    pick = w.Dropdown(description="问题", layout=w.Layout(width="90%"))
    status = w.ToggleButtons(options=[(render.TRIAGE_ZH[s], s) for s in ("untriaged", *TRIAGE_STATUSES)],
                             description="处理")
    comment = w.Textarea(description="说明", layout=w.Layout(width="90%"))
    save = w.Button(description="保存处理结果", button_style="primary")
    out_table, out_findings, out_msg = w.Output(), w.Output(), w.Output()

    def findings():
        fs = state["result"].findings
        return [f for f in fs if f.severity in sev.value and (tab.value == "all" or tab.value in f.tables)]

    def refresh(*_):
        r = state["result"]
        tab.options = [("全部", "all"), *((zh.get(t, t), t) for t in sorted({t for f in r.findings for t in f.tables}))]
        triage = read_triage(triage_path)
        out_table.clear_output()
        with out_table:
            display(render.table_view(r.report.tables[table_pick.value], r.findings, triage, r.report))
        out_findings.clear_output()
        from types import SimpleNamespace

        with out_findings:
            display(render.findings_table(SimpleNamespace(findings=findings()), triage))
        pick.options = [(f"[{render.SEVERITY_ZH.get(f.severity, f.severity)}] {f.location} — {f.id}", f.key)
                        for f in r.findings]

    def on_pick(*_):
        entry = read_triage(triage_path).get(pick.value or "", {})
        status.value = entry.get("status", "untriaged")
        comment.value = entry.get("comment", "")

    def on_recheck(_):
        state["result"] = recheck(state["result"], tol.value)
        refresh()

    def on_save(_):
        out_msg.clear_output()
        with out_msg:
            f = next(f for f in state["result"].findings if f.key == pick.value)
            set_triage(triage_path, f, None if status.value == "untriaged" else status.value, comment.value)
            print(f"已保存到 {triage_path}")
        refresh()

    table_pick.observe(refresh, "value")
    sev.observe(refresh, "value")
    tab.observe(refresh, "value")
    pick.observe(on_pick, "value")
    recheck_btn.on_click(on_recheck)
    save.on_click(on_save)
    refresh()
    on_pick()
    return w.VBox([w.HBox([tol, recheck_btn]), table_pick, out_table, w.HBox([sev, tab]), out_findings,
                   w.HTML("<b>处理结果</b>"), pick, status, comment, save, out_msg])


def notebook_digest(path: Path = NOTEBOOK) -> str:
    """A digest of what in the notebook decides a report: its cells' type, tags and source.
    Outputs, execution counts and metadata (JupyterLab's autosave, a re-execution) are left
    out, so they do not make a batch re-run every department."""
    import hashlib

    cells = json.loads(Path(path).read_text(encoding="utf-8")).get("cells", [])
    h = hashlib.sha256()
    for c in cells:
        src = c.get("source", "")
        h.update(json.dumps([c.get("cell_type"), sorted(c.get("metadata", {}).get("tags", [])),
                             "".join(src) if isinstance(src, list) else src], ensure_ascii=False).encode())
    return h.hexdigest()


def refresh_notebook(path: Path = NOTEBOOK, timeout: int = 600) -> None:
    """Re-execute the audit notebook in place with its default parameters (the bundled
    sample), so its stored outputs — what nbval compares — follow the current rules.
    Run it (`make notebook-outputs`) after a change that alters findings on purpose."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory(prefix="auditlib-kernel-") as private:
        NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False, store_widget_state=True,
                       kernel_manager_class=kernel_manager_class(Path(private)),
                       resources={"metadata": {"path": str(Path(path).parent)}}).execute()
    nb.metadata.pop("widgets", None)
    nb.metadata.pop("papermill", None)
    atomic_write_text(Path(path), nbformat.writes(nb) + "\n")


if __name__ == "__main__":  # python -m auditlib.workbench refresh [NOTEBOOK]
    import sys

    if len(sys.argv) >= 2 and sys.argv[1] == "refresh":
        refresh_notebook(Path(sys.argv[2]) if len(sys.argv) > 2 else NOTEBOOK)
    else:
        sys.exit("usage: python -m auditlib.workbench refresh [NOTEBOOK]")
