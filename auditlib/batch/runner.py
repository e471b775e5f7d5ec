"""A batch: every department's two tasks on a pool, in the order cross-year checks need.

Between the read and the notebook the batch adds the cross-year findings (`auditlib.rules.crossyear`)
when last year's report of the same department is in the batch or in the warehouse: a report
waits for last year's while unread reports remain.  An unchanged department is skipped
(DIR/manifest.json, `jobs`).  A failure (unreadable input, a failing notebook, a worker
process that dies) is recorded with its one-line reason; the others go on.  At the end (and
every `FLUSH_EVERY` departments) the DuckDB warehouse DIR/audit.duckdb, the manifest and
DIR/index.html are written atomically, in that order, so partial results are kept.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from auditlib.batch.jobs import Job, discover, fingerprint, one_line
from auditlib.batch.pools import DaskPool
from auditlib.files import atomic_write_text

MANIFEST = "manifest.json"
STATE = ".batch"  # DIR/.batch/running/<pid>.json: what each local worker is doing (for people and tests)
FLUSH_EVERY = 200


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
              force: bool = False, rules: list[str | Path] | None = None) -> BatchSummary:
    """Run every department found under `paths` into `out` (see the package docstring);
    `rules` are an auditor's rule files, added to every department's."""
    from tqdm import tqdm

    from auditlib.rules import crossyear
    from auditlib.schema import department_key
    from auditlib.batch import warehouse
    from auditlib.batch.index import write_index

    t0 = time.perf_counter()
    out = Path(out).resolve()
    rules = [Path(p).resolve() for p in rules or []]
    jobs = discover(paths, out, tolerance, rules)  # a bad rule file stops the batch here, before anything is written
    out.mkdir(parents=True, exist_ok=True)
    version = fingerprint(rules)
    batch_id = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S") + "-" + os.urandom(3).hex()
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
            found = crossyear.apply(r["result"], priors, job.params.tolerance)
        except Exception as exc:  # noqa: BLE001 — a cross-year problem must not lose the department
            found = []
            print(f"auditlib batch: {slug}: 跨年核对未进行（{one_line(exc)}）", file=sys.stderr)
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
        atomic_write_text(out / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1, default=str))
        write_index(out)
        pending.clear()

    if not to_run:
        bar.close()
        flush()
        return BatchSummary(out=out, outcomes=[outcomes[j.slug] for j in jobs if j.slug in outcomes],
                            seconds=time.perf_counter() - t0, warehouse=out / warehouse.FILE, index=out / "index.html")
    state = None if scheduler else out / STATE / "running"  # a remote worker may not see DIR
    if state:
        state.mkdir(parents=True, exist_ok=True)
    pool = DaskPool(scheduler, workers=min(workers or os.cpu_count() or 1, len(to_run)))
    where = {"state": str(state) if state else None}
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
                                {"params": r["job"].params, "out": str(out), "result": r["result"], **where})
                    inflight.add((slug, "notebook"))
                else:
                    job = queue_read.popleft()
                    pool.submit((job.slug, "read"), "read", {"params": job.params, **where})
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
                dept = department_key(result.report.department or job.params.department)
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
        for mark in state.glob("*.json") if state else []:  # left by a worker that was killed
            mark.unlink(missing_ok=True)
    flush()
    ordered = [outcomes[j.slug] for j in jobs if j.slug in outcomes]
    return BatchSummary(out=out, outcomes=ordered, seconds=time.perf_counter() - t0,
                        warehouse=out / warehouse.FILE, index=out / "index.html")

