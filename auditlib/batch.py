"""Batch runs: one audit notebook per department, in parallel, into one output folder.

    auditlib batch PATH... [--workers N] [--out DIR] [--scheduler ADDRESS]

PATH is a params file, a folder of params files, an input document, or a folder of documents
(PDF / text, searched recursively).  Each department goes through two tasks on a worker:

1. `task_read`: read the document once (`workbench.read_once`: the worker process keeps its JVM)
   and check it; returns the CheckResult and the tables as long-form cells;
2. `task_notebook`: `workbench.run(params, DIR, result=…)`: papermill executes the notebook with
   the result handed over (the kernel extracts nothing) and writes DIR/<slug>/.

Between the two the batch adds the cross-year findings (`auditlib.crossyear`) when last year's
report of the same department is in the batch or in the warehouse.  A department whose input,
params and auditlib version are unchanged since its last successful run is skipped
(DIR/manifest.json).  A failure (unreadable input, a failing notebook, a worker process that dies)
is recorded with its one-line reason; the others go on.  At the end (and every `FLUSH_EVERY`
departments) the DuckDB warehouse DIR/audit.duckdb, the manifest and DIR/index.html are written
atomically, in that order.

Workers: local processes by default (each keeps its JVM and its read cache between departments);
with `scheduler=` the same tasks go to an existing Dask distributed cluster (the workers need
auditlib installed and the same view of the input and output folders).
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing as mp
import os
import sys
import time
from collections import deque
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from multiprocessing.connection import wait as mp_wait
from pathlib import Path

from auditlib import workbench
from auditlib.errors import InputError

DOCUMENT_SUFFIXES = (".pdf", ".txt")
PARAMS_SUFFIXES = (".yaml", ".yml")
MANIFEST = "manifest.json"
STATE = ".batch"  # DIR/.batch/running/<pid>.json: what each local worker is doing (for people and tests)
FLUSH_EVERY = 200


# --------------------------------------------------------------------------- identity


def fingerprint() -> str:
    """auditlib's version plus a digest of what decides the findings and the report (the rule
    catalogs and the notebook's cells), so a changed rule re-runs every department."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        v = version("auditlib")
    except PackageNotFoundError:
        v = "0"
    h = hashlib.sha256()
    pkg = Path(__file__).parent
    for p in sorted([*pkg.glob("rules/catalog/*.yaml"), *pkg.glob("rules/prose/*.yaml")]):
        h.update(p.name.encode() + p.read_bytes())
    h.update(workbench.notebook_digest().encode())  # code cells, not outputs or autosave metadata
    return f"{v}+{h.hexdigest()[:12]}"


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def one_line(exc: BaseException | str, limit: int = 300) -> str:
    text = exc if isinstance(exc, str) else (str(exc) if isinstance(exc, (InputError, workbench.WorkbenchError))
                                              else f"{type(exc).__name__}: {exc}")
    text = " ".join(str(text).split()) or (type(exc).__name__ if not isinstance(exc, str) else "failed")
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --------------------------------------------------------------------------- jobs


@dataclass
class Job:
    slug: str
    origin: str  # the PATH argument (or file found under it) this job came from
    params: workbench.RunParams | None = None
    error: str | None = None  # a job that cannot even start (bad params file, no such file)
    sha256: str = ""
    params_hash: str = ""

    @property
    def source(self) -> str:
        return str(self.params.source) if self.params else ""


def _params_hash(params: workbench.RunParams) -> str:
    data = {k: v for k, v in asdict(params).items() if k not in ("params_file", "slug")}
    data["source"] = str(params.source)
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:16]


def discover(paths: list[str | Path], out: Path | None = None, tolerance: float | None = None) -> list[Job]:
    """Jobs for the PATH arguments: params files, documents, folders of either (recursive)."""
    out = Path(out).resolve() if out else None
    files: list[tuple[str, Path]] = []
    errors: list[Job] = []
    for arg in paths:
        p = Path(arg)
        if p.is_dir():
            found = sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in
                           DOCUMENT_SUFFIXES + PARAMS_SUFFIXES and not any(part.startswith(".") for part in
                                                                           f.relative_to(p).parts))
            if out:
                found = [f for f in found if out not in f.resolve().parents]
            files += [(str(arg), f) for f in found]
        elif p.exists():
            files.append((str(arg), p))
        else:
            errors.append(Job(slug=workbench.slugify(p.stem or str(p)), origin=str(arg), error=f"{p}: no such file"))
    jobs: list[Job] = []
    seen_sources: set[str] = set()
    # params files first: a document named by a params file is not run a second time bare
    files.sort(key=lambda t: (t[1].suffix.lower() not in PARAMS_SUFFIXES, str(t[1])))
    for origin, f in files:
        try:
            params = workbench.resolve_params(f, tolerance=tolerance)
        except (InputError, workbench.WorkbenchError) as exc:
            errors.append(Job(slug=workbench.slugify(f.stem), origin=str(f), error=one_line(exc)))
            continue
        key = str(params.source)
        if key in seen_sources:
            continue
        seen_sources.add(key)
        jobs.append(Job(slug=params.slug, origin=str(f), params=params))
    taken: set[str] = set()
    for job in [*jobs, *errors]:  # slugs unique within DIR
        base, n = job.slug, 1
        if base in taken and job.params:
            base = workbench.slugify(f"{job.slug}-{Path(job.source).suffix.lstrip('.')}")
        slug = base
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
        job.slug = slug
        if job.params:
            job.params.slug = slug
    for job in jobs:
        if not Path(job.source).exists():
            job.error = f"{job.source}: no such file"
            continue
        try:
            job.sha256 = sha256_file(Path(job.source))
        except OSError as exc:
            job.error = f"{job.source}: {exc.strerror or exc}"
        job.params_hash = _params_hash(job.params)
    return jobs + errors


# --------------------------------------------------------------------------- worker tasks


def _mark(phase: str, slug: str) -> None:
    state = os.environ.get("AUDITLIB_BATCH_STATE")
    if state:
        try:
            workbench.atomic_write_text(Path(state) / f"{os.getpid()}.json",
                                        json.dumps({"pid": os.getpid(), "slug": slug, "phase": phase,
                                                    "since": time.time()}))
        except OSError:
            pass


def task_read(job: dict) -> dict:
    """Read and check one document (in a worker: the JVM and the read cache stay)."""
    from auditlib.rules.crossyear import cells_of
    from auditlib.rules import check

    params: workbench.RunParams = job["params"]
    _mark("read", params.slug)
    t0 = time.perf_counter()
    try:
        report = workbench.read_once(params.source, params.password)
        result = check(report, tolerance=float(params.tolerance))
        cells = cells_of(report)
    except Exception as exc:  # noqa: BLE001 — any failure of one department is that department's
        return {"ok": False, "reason": one_line(exc), "phase": "read"}
    return {"ok": True, "result": result, "cells": cells, "seconds": time.perf_counter() - t0}


def task_notebook(job: dict) -> dict:
    """Execute the department's notebook with the result handed over (no re-extraction)."""
    params: workbench.RunParams = job["params"]
    _mark("notebook", params.slug)
    try:
        out = workbench.run(params, job["out"], result=job["result"])
    except Exception as exc:  # noqa: BLE001
        return {"ok": False, "reason": one_line(exc), "phase": "notebook"}
    return {"ok": True, "timings": out.timings, "folder": str(out.folder)}


TASKS = {"read": task_read, "notebook": task_notebook}


# --------------------------------------------------------------------------- executors


def _worker_main(conn, state: str) -> None:
    os.environ["AUDITLIB_BATCH_STATE"] = state
    try:
        while True:
            try:
                msg = conn.recv()
            except (EOFError, KeyboardInterrupt):
                return
            if msg is None:
                return
            tag, name, arg = msg
            try:
                value = TASKS[name](arg)
            except BaseException as exc:  # noqa: BLE001
                value = {"ok": False, "reason": one_line(exc), "phase": name}
            finally:
                Path(state, f"{os.getpid()}.json").unlink(missing_ok=True)
            conn.send((tag, value))
    finally:
        conn.close()


class LocalPool:
    """N long-lived worker processes, one task each at a time.  A worker that dies (killed,
    out of memory) fails exactly the task it was running and is replaced."""

    def __init__(self, workers: int, state: Path) -> None:
        self.ctx = mp.get_context("spawn")
        self.state = state
        self.state.mkdir(parents=True, exist_ok=True)
        self.workers: list[dict] = [self._start() for _ in range(max(1, workers))]

    def _start(self) -> dict:
        parent, child = self.ctx.Pipe()
        proc = self.ctx.Process(target=_worker_main, args=(child, str(self.state)), daemon=True)
        proc.start()
        child.close()
        return {"proc": proc, "conn": parent, "task": None}

    @property
    def nworkers(self) -> int:
        return len(self.workers)

    def free(self) -> int:
        return sum(w["task"] is None for w in self.workers)

    def submit(self, tag, name: str, arg) -> None:
        w = next(w for w in self.workers if w["task"] is None)
        w["task"] = tag
        w["conn"].send((tag, name, arg))

    def next(self):
        """(tag, value) of the next finished task; a dead worker's task gets a failure value."""
        while True:
            busy = [w for w in self.workers if w["task"] is not None]
            ready = mp_wait([w["conn"] for w in busy] + [w["proc"].sentinel for w in busy])
            for w in busy:
                if w["conn"] in ready:
                    try:
                        tag, value = w["conn"].recv()
                    except (EOFError, OSError):
                        continue  # died while answering: the sentinel says so below
                    w["task"] = None
                    return tag, value
            for i, w in enumerate(self.workers):
                if w["task"] is not None and w["proc"].sentinel in ready:
                    w["proc"].join(1)
                    tag, code = w["task"], w["proc"].exitcode
                    Path(self.state, f"{w['proc'].pid}.json").unlink(missing_ok=True)
                    self.workers[i] = self._start()
                    how = f"signal {-code}" if code is not None and code < 0 else f"exit status {code}"
                    return tag, {"ok": False, "reason": f"worker process died ({how}) while running the {tag[1]}",
                                 "phase": tag[1]}

    def close(self) -> None:
        for w in self.workers:
            try:
                w["conn"].send(None)
            except OSError:
                pass
        for w in self.workers:
            w["proc"].join(10)
            if w["proc"].is_alive():
                w["proc"].terminate()


class DaskPool:
    """The same tasks on an existing Dask distributed cluster."""

    def __init__(self, address: str, window: int | None = None) -> None:
        from distributed import Client, as_completed

        self.client = Client(address, set_as_default=False)
        nthreads = sum(self.client.nthreads().values()) or 1
        self.window = window or 2 * nthreads
        self.nworkers = nthreads
        self.futures: dict = {}
        self.ac = as_completed(loop=self.client.loop)

    def free(self) -> int:
        return max(0, self.window - len(self.futures))

    def submit(self, tag, name: str, arg) -> None:
        fut = self.client.submit(TASKS[name], arg, pure=False, key=f"auditlib-{name}-{tag[0]}-{os.urandom(4).hex()}")
        self.futures[fut] = tag
        self.ac.add(fut)

    def next(self):
        fut = next(self.ac)
        tag = self.futures.pop(fut)
        try:
            value = fut.result()
        except Exception as exc:  # noqa: BLE001 — KilledWorker: the worker died running it
            value = {"ok": False, "reason": one_line(exc), "phase": tag[1]}
        fut.release()
        return tag, value

    def close(self) -> None:
        self.client.close()


# --------------------------------------------------------------------------- the batch


@dataclass
class Outcome:
    slug: str
    status: str  # ok | failed | skipped
    reason: str = ""
    department: str | None = None
    year: int | None = None
    seconds: float = 0.0
    cross_year: list = field(default_factory=list)  # XY finding ids


@dataclass
class BatchSummary:
    out: Path
    outcomes: list[Outcome]
    seconds: float
    warehouse: Path
    index: Path

    def by_status(self, status: str) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == status]

    @property
    def ok(self):
        return self.by_status("ok")

    @property
    def failed(self):
        return self.by_status("failed")

    @property
    def skipped(self):
        return self.by_status("skipped")


def load_manifest(out: Path) -> dict:
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) and isinstance(data.get("departments"), dict) else {"departments": {}}
    except (OSError, ValueError):
        return {"departments": {}}


def _unchanged(entry: dict | None, job: Job, version: str, out: Path) -> bool:
    return bool(entry) and entry.get("status") == "ok" and entry.get("sha256") == job.sha256 and \
        entry.get("params_hash") == job.params_hash and entry.get("version") == version and \
        (out / job.slug / "report.html").exists()


def run_batch(paths: list[str | Path], out: str | Path = "reports", *, workers: int | None = None,
              scheduler: str | None = None, tolerance: float | None = None, progress: bool = True,
              force: bool = False) -> BatchSummary:
    """Run every department found under `paths` into `out`; see the module docstring."""
    from tqdm import tqdm

    from auditlib import warehouse
    from auditlib.rules import crossyear
    from auditlib.index import write_index

    t0 = time.perf_counter()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    out = out.resolve()
    version = fingerprint()
    batch_id = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S") + "-" + os.urandom(3).hex()
    jobs = discover(paths, out, tolerance)
    manifest = load_manifest(out)
    entries: dict = manifest["departments"]
    outcomes: dict[str, Outcome] = {}
    pending = warehouse.Pending(batch_id=batch_id, version=version)

    bar = tqdm(total=len(jobs), file=sys.stderr, disable=not progress, unit="dept", desc="auditlib batch",
               dynamic_ncols=True)

    def done(o: Outcome) -> None:
        outcomes[o.slug] = o
        bar.update(1)
        nfail = sum(x.status == "failed" for x in outcomes.values())
        if nfail:
            bar.set_postfix(failed=nfail, refresh=False)

    to_run: list[Job] = []
    for job in jobs:
        if job.error:
            pending.failure(job, job.error)
            entries[job.slug] = {"status": "failed", "source": job.source or job.origin, "reason": job.error,
                                 "version": version}
            done(Outcome(job.slug, "failed", job.error))
        elif not force and _unchanged(entries.get(job.slug), job, version, out):
            pass  # decided below, once we know which priors re-run
        else:
            to_run.append(job)
    running = {j.slug for j in to_run}
    for job in jobs:
        if job.error or job.slug in running or job.slug in outcomes:
            continue
        prior = (entries.get(job.slug) or {}).get("prior")
        if prior and prior.get("slug") in running:
            to_run.append(job)  # last year's report changed: its cross-year checks must be redone
            running.add(job.slug)
        else:
            e = entries[job.slug]
            pending.touch(job.slug)
            done(Outcome(job.slug, "skipped", department=e.get("department"), year=e.get("year")))

    # last years' reports already in the warehouse (not re-run in this batch)
    stored = warehouse.prior_index(out, exclude=running)
    read_results: dict[str, dict] = {}  # slug -> {"result", "cells", "dept", "year", "job"}
    snapshots: dict[tuple[str, int], tuple[str, list]] = {}  # (dept key, year) -> (slug, cells) of this batch
    queue_read = deque(to_run)
    waiting: list[str] = []  # read, waiting until last year's report could still turn up in the batch
    queue_nb: deque[str] = deque()
    by_slug = {j.slug: j for j in to_run}

    def priors_for(slug: str) -> dict[int, crossyear.Prior]:
        r = read_results[slug]
        dept, year = r["dept"], r["year"]
        if not dept or year is None:
            return {}
        priors = {}
        for y in (year - 1, year - 2):
            hit = snapshots.get((dept, y))
            if hit and hit[0] != slug:
                priors[y] = crossyear.Prior(crossyear.snapshot(hit[1], dept, y), hit[0], y)
                continue
            stored_hit = stored.get((dept, y))
            if stored_hit:
                cells = warehouse.load_cells(out, stored_hit)
                if cells:
                    priors[y] = crossyear.Prior(crossyear.snapshot(cells, dept, y), stored_hit, y)
        return priors

    def release(slug: str) -> None:
        r = read_results[slug]
        job = r["job"]
        priors = priors_for(slug)
        try:
            found = crossyear.apply(r["result"], priors, float(job.params.tolerance))
        except Exception as exc:  # noqa: BLE001 — a cross-year problem must not lose the department
            found = []
            print(f"auditlib batch: {slug}: cross-year checks skipped ({one_line(exc)})", file=sys.stderr)
        r["cross_year"] = [f.id for f in found]
        last = priors.get(r["year"] - 1) if r["year"] is not None else None
        r["prior"] = ({"slug": last.document, "sha256": by_slug[last.document].sha256 if last.document in by_slug
                       else (entries.get(last.document) or {}).get("sha256")} if last else None)
        queue_nb.append(slug)

    def finish_failed(job: Job, reason: str, phase: str) -> None:
        pending.failure(job, reason, folder=out / job.slug)
        entries[job.slug] = {"status": "failed", "source": job.source, "sha256": job.sha256,
                             "params_hash": job.params_hash, "version": version, "reason": reason, "phase": phase}
        done(Outcome(job.slug, "failed", reason))

    def flush() -> None:
        pending.triage_from(out)
        warehouse.write(out, pending)
        manifest["version"] = version
        workbench.atomic_write_text(out / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1, default=str))
        write_index(out)
        pending.clear()

    if not to_run:
        bar.close()
        flush()
        return BatchSummary(out=out, outcomes=[outcomes[j.slug] for j in jobs if j.slug in outcomes],
                            seconds=time.perf_counter() - t0, warehouse=out / warehouse.FILE, index=out / "index.html")
    pool = DaskPool(scheduler) if scheduler else LocalPool(min(workers or os.cpu_count() or 1, len(to_run)),
                                                            out / STATE / "running")
    inflight: set = set()  # (slug, phase) of the tasks out on workers
    since_flush = 0

    try:
        while queue_read or queue_nb or waiting or inflight:
            # a read report waits for last year's only while unread reports remain
            if waiting and not queue_read and not any(phase == "read" for _, phase in inflight):
                for slug in waiting:
                    release(slug)
                waiting.clear()
            while pool.free() and (queue_nb or queue_read):
                if queue_nb:
                    slug = queue_nb.popleft()
                    r = read_results[slug]
                    pool.submit((slug, "notebook"), "notebook",
                                {"params": r["job"].params, "out": str(out), "result": r["result"]})
                    inflight.add((slug, "notebook"))
                else:
                    job = queue_read.popleft()
                    pool.submit((job.slug, "read"), "read", {"params": job.params})
                    inflight.add((job.slug, "read"))
            if not inflight:
                continue
            (slug, phase), value = pool.next()
            inflight.discard((slug, phase))
            job = by_slug[slug]
            if not value.get("ok"):
                read_results.pop(slug, None)
                finish_failed(job, value.get("reason") or "failed", phase)
            elif phase == "read":
                result = value["result"]
                dept = crossyear.department_key(result.report.department or job.params.department)
                year = result.report.year or job.params.year
                read_results[slug] = {"job": job, "result": result, "cells": value["cells"], "dept": dept,
                                      "year": year, "read_seconds": value["seconds"]}
                if dept and year is not None:
                    snapshots.setdefault((dept, year), (slug, value["cells"]))
                more = queue_read or any(p == "read" for _, p in inflight)
                if dept and year is not None and (dept, year - 1) not in snapshots and more:
                    waiting.append(slug)
                else:
                    release(slug)
                # a report that others were waiting for
                for other in [s for s in waiting if (read_results[s]["dept"], read_results[s]["year"] - 1) ==
                              (dept, year)]:
                    waiting.remove(other)
                    release(other)
            else:
                r = read_results.pop(slug)
                pending.success(job, r["result"], r["cells"], folder=out / slug,
                                seconds=r["read_seconds"] + value["timings"].get("total", 0.0))
                rep = r["result"].report
                entries[slug] = {"status": "ok", "source": job.source, "sha256": job.sha256,
                                 "params_hash": job.params_hash, "version": version, "department": rep.department,
                                 "year": rep.year, "prior": r.get("prior"), "batch": batch_id,
                                 "finished": datetime.now(timezone.utc).isoformat(timespec="seconds")}
                done(Outcome(slug, "ok", department=rep.department, year=rep.year,
                             seconds=value["timings"].get("total", 0.0), cross_year=r.get("cross_year", [])))
                since_flush += 1
                if since_flush >= FLUSH_EVERY:
                    flush()
                    since_flush = 0
    finally:
        pool.close()
        bar.close()
    flush()
    ordered = [outcomes[j.slug] for j in jobs if j.slug in outcomes]
    return BatchSummary(out=out, outcomes=ordered, seconds=time.perf_counter() - t0,
                        warehouse=out / warehouse.FILE, index=out / "index.html")

