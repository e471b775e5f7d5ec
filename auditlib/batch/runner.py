"""A batch: every department's two tasks on a pool, in the order cross-year checks need.

Between the read and the notebook the batch adds the cross-year findings (`auditlib.rules.crossyear`)
when last year's report of the same department is in the batch or in the warehouse: a report
waits for last year's while unread reports remain (`schedule`).  An unchanged department is skipped
(DIR/manifest.json, `jobs`) when the warehouse holds it too.  A failure (unreadable input, a
failing notebook, a worker process that dies, a task past its time limit) is recorded with its
one-line Chinese reason; the others go on.  A finished department is journaled at once
(`state`); at the end (and every `FLUSH_EVERY` departments) the DuckDB warehouse
DIR/audit.duckdb, the manifest and DIR/index.html are written atomically, in that order, and
the journal is cleared, so a batch interrupted (Ctrl-C: what is finished is written first) or
killed loses nothing it finished, and the next run resumes.
"""

from __future__ import annotations

import os
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from auditlib.batch import state
from auditlib.batch.limits import DEFAULT_TIMEOUT
from auditlib.batch.jobs import Job, discover, failure_reason, fingerprint
from auditlib.errors import BatchError
from auditlib.kinds import BUDGET, FINAL
from auditlib.report.xlsx import WORKING_PAPER
from auditlib.batch.schedule import Schedule
from auditlib.batch.state import warn

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
    warnings: list[str] = field(default_factory=list)

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


class BatchInterrupted(KeyboardInterrupt):
    """Ctrl-C: the departments finished so far are written; `summary` says which."""

    def __init__(self, summary: BatchSummary) -> None:
        super().__init__()
        self.summary = summary


def _unchanged(entry: dict | None, job: Job, version: str, out: Path, stored: dict[str, str | None]) -> bool:
    """A department checked before from the same input, params and version, whose report and
    warehouse rows are still there."""
    return bool(entry) and entry.get("status") == "ok" and entry.get("sha256") == job.sha256 and \
        entry.get("params_hash") == job.params_hash and entry.get("version") == version and \
        stored.get(job.slug) == job.sha256 and \
        all((out / job.slug / f).exists() for f in ("report.html", "findings.json", WORKING_PAPER))


@contextmanager
def _saving(what: str):
    """Writing the batch's own files: a full disk, a lost permission or a warehouse that cannot
    be written stops the batch in one line; what is finished stays in the journal."""
    import duckdb

    try:
        yield
    except (OSError, duckdb.Error) as exc:
        problem = state.os_problem(exc) if isinstance(exc, OSError) else failure_reason(exc)
        raise BatchError(f"无法写出 {what}：{problem}；已完成的部门已保留，问题解决后再次运行同一命令即从中断处继续") from None


def run_batch(paths: list[str | Path], out: str | Path = "reports", *, workers: int | None = None,
              scheduler: str | None = None, tolerance: float | None = None, progress: bool = True,
              force: bool = False, rules: list[str | Path] | None = None,
              timeout: float | None = DEFAULT_TIMEOUT) -> BatchSummary:
    """Run every department found under `paths` into `out` (see the package docstring);
    `rules` are an auditor's rule files, added to every department's; `timeout`: seconds a
    department's reading and check, and its notebook, may each take (a params file's
    `timeout:` wins; None or 0: no limit).  Raises `BatchError` (one line) when DIR cannot be
    written or another batch holds it, and `BatchInterrupted` on Ctrl-C."""
    t0 = time.perf_counter()
    out = Path(out).resolve()
    rules = [Path(p).resolve() for p in rules or []]
    jobs = discover(paths, out, tolerance, rules)  # a bad rule file stops the batch here, before anything is written
    warnings: list[str] = []
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BatchError(f"无法创建输出文件夹 {out}：{state.os_problem(exc)}") from None
    with state.Lock(out, warnings):
        state.sweep(out)
        return Batch(jobs, out, rules, warnings, t0).run(workers, scheduler, progress, force, timeout)


class Batch:
    """One batch over DIR, under its lock: what to skip, the loop over the pool, the writes."""

    def __init__(self, jobs: list[Job], out: Path, rules: list[Path], warnings: list[str], t0: float):
        from auditlib.batch import warehouse

        self.jobs, self.out, self.warnings, self.t0 = jobs, out, warnings, t0
        self.version = fingerprint(rules)
        self.batch_id = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S") + "-" + os.urandom(3).hex()
        why = warehouse.problem(out)
        if why:
            aside = state.set_aside(out / warehouse.FILE)
            warn(warnings, f"{warehouse.FILE} 已损坏，已移到 {aside.name}（{why}）；其中的部门重新审核")
        self.manifest = state.load_manifest(out, warnings)
        self.entries: dict = self.manifest["departments"]
        self.pending = warehouse.Pending(batch_id=self.batch_id, version=self.version)
        self.stored = warehouse.ok_documents(out)
        for slug, (entry, rows) in state.read_journal(out, warnings).items():
            self.entries[slug] = entry
            self.pending.add(slug, rows)
            if entry.get("status") == "ok":
                self.stored[slug] = entry.get("sha256")
        self.outcomes: dict[str, Outcome] = {}
        self.reopenable: dict[tuple[str, int], Job] = {}  # (dept key, year) -> a skipped 决算 paired with no 预算
        self.bar = None
        self.since_flush = 0

    def done(self, o: Outcome) -> None:
        if o.slug not in self.outcomes:  # a skipped 决算 re-opened for its 预算 finishes twice
            self.bar.update(1)
        self.outcomes[o.slug] = o
        nfail = sum(x.status == "failed" for x in self.outcomes.values())
        if nfail:
            self.bar.set_postfix(failed=nfail, refresh=False)

    def summary(self) -> BatchSummary:
        from auditlib.batch import warehouse

        return BatchSummary(out=self.out, outcomes=[self.outcomes[j.slug] for j in self.jobs if j.slug in self.outcomes],
                            seconds=time.perf_counter() - self.t0, warehouse=self.out / warehouse.FILE,
                            index=self.out / "index.html", warnings=self.warnings)

    def record(self, slug: str, entry: dict, rows) -> None:
        """A finished department: in the manifest, and journaled until the next flush writes it."""
        self.entries[slug] = entry
        with _saving(f"{state.STATE}/{state.JOURNAL}/{slug}.json"):
            state.journal(self.out, slug, entry, rows)
        self.since_flush += 1
        if self.since_flush >= FLUSH_EVERY:
            self.flush()

    def known_name(self, slug: str) -> str | None:
        """A department's name at its last successful run (the manifest's), for its failure."""
        return (self.entries.get(slug) or {}).get("department")

    def finish_failed(self, job: Job, reason: str, phase: str, log: str | None = None) -> None:
        rows = self.pending.failure(job, reason, folder=self.out / job.slug, log=log, known=self.known_name(job.slug))
        self.record(job.slug, {"status": "failed", "source": job.source or job.origin, "sha256": job.sha256,
                               "params_hash": job.params_hash, "version": self.version, "reason": reason,
                               "phase": phase}, rows)
        self.done(Outcome(job.slug, "failed", reason))

    def flush(self) -> None:
        from auditlib.batch import warehouse
        from auditlib.batch.index import write_index

        self.pending.triage_from(self.out)
        with _saving(warehouse.FILE):
            warehouse.write(self.out, self.pending)
        self.manifest["version"] = self.version
        with _saving(state.MANIFEST):
            state.save_manifest(self.out, self.manifest)
        with _saving("index.html"):
            write_index(self.out)
        state.clear_journal(self.out, list(self.pending.rows))
        self.pending.clear()
        self.since_flush = 0

    def plan(self, force: bool) -> list[Job]:
        """The jobs to run; the others are recorded now (failed before starting, or skipped)."""
        to_run: list[Job] = []
        for job in self.jobs:
            if job.error:
                self.pending.failure(job, job.error, known=self.known_name(job.slug))
                self.entries[job.slug] = {"status": "failed", "source": job.source or job.origin, "reason": job.error,
                                          "version": self.version}
                self.done(Outcome(job.slug, "failed", job.error))
            elif force or not _unchanged(self.entries.get(job.slug), job, self.version, self.out, self.stored):
                to_run.append(job)
        running = {j.slug for j in to_run}
        for job in self.jobs:
            if job.error or job.slug in running:
                continue
            e = self.entries[job.slug]
            prior, budget = e.get("prior"), e.get("budget")
            if prior and prior.get("slug") in running or budget and budget.get("slug") in running \
                    or self.final_may_turn_up(job, to_run):
                to_run.append(job)  # last year's report, its 预算 or 决算 changed: those checks must be redone
                running.add(job.slug)
            else:
                self.pending.touch(job.slug)
                self.done(Outcome(job.slug, "skipped", department=e.get("department"), year=e.get("year")))
                self.unpaired_final(job.slug, e)
        return to_run + self.interrupted_pairs(running)

    def unpaired_final(self, slug: str, entry: dict) -> None:
        """A 决算 skipped as unchanged that was held against no 预算: the schedule re-opens it
        once a document it reads turns out to be that department's budget of that year (a new
        file's kind, department and year are known only once it is read)."""
        from auditlib.schema import department_key

        department, year = department_key(entry.get("department")), entry.get("year")
        if entry.get("kind", FINAL) == FINAL and not entry.get("budget") and department and year is not None:
            self.reopenable.setdefault((department, year), next(j for j in self.jobs if j.slug == slug))

    def interrupted_pairs(self, running: set[str]) -> list[Job]:
        """The skipped 决算s held against no 预算 although the batch holds their budget, read
        before (a batch stopped after the budget's report but before the 决算 re-opened for it),
        each with that budget: both run again, so that they pair."""
        from auditlib.schema import department_key

        again: list[Job] = []
        for job in self.jobs:
            e = self.entries.get(job.slug) or {}
            key = (department_key(e.get("department")), e.get("year"))
            if job.slug not in running and e.get("status") == "ok" and e.get("kind") == BUDGET and key in self.reopenable:
                again += [job, self.reopenable.pop(key)]
        return again

    def final_may_turn_up(self, job: Job, to_run: list[Job]) -> bool:
        """A 预算 skipped as unchanged whose department's 决算 of the year before (its 上年执行数 are
        that 决算's) is read now: changed or new, known as that department's of that year from its
        last entry or its params (a new file of unknown kind re-runs nothing: its department is
        not known before it is read, and re-running every budget for it would redo unrelated ones)."""
        from auditlib.schema import department_key

        entry = self.entries.get(job.slug) or {}
        if entry.get("kind") != BUDGET or not entry.get("department") or not entry.get("year"):
            return False
        for j in to_run:
            known = self.entries.get(j.slug)
            if known is not None and known.get("kind", FINAL) != FINAL:
                continue
            said = known or ({"department": j.params.department, "year": j.params.year} if j.params else {})
            if said.get("department") and said.get("year") == entry["year"] - 1 and \
                    department_key(said["department"]) == department_key(entry["department"]):
                return True
        return False

    def run(self, workers: int | None, scheduler: str | None, progress: bool, force: bool,
            timeout: float | None) -> BatchSummary:
        from tqdm import tqdm

        self.bar = tqdm(total=len(self.jobs), file=sys.stderr, disable=not progress, unit="dept",
                        desc="auditlib batch", dynamic_ncols=True)
        to_run = self.plan(force)
        interrupted = False
        if to_run:
            try:
                Schedule(self, to_run, timeout).run(workers, scheduler)
            except KeyboardInterrupt:
                interrupted = True
        self.bar.close()
        self.flush()
        if interrupted:
            raise BatchInterrupted(self.summary())
        return self.summary()

    def finish_ok(self, job: Job, r: dict, value: dict) -> None:
        (self.out / job.slug / "error.log").unlink(missing_ok=True)  # an earlier failure's
        rows = self.pending.success(job, r["result"], r["cells"], r["notes"],
                                    seconds=r["read_seconds"] + value["timings"].get("total", 0.0))
        rep = r["result"].report
        self.record(job.slug, {"status": "ok", "source": job.source, "sha256": job.sha256,
                               "params_hash": job.params_hash, "version": self.version, "department": rep.department,
                               "year": rep.year, "kind": rep.kind, "prior": r.get("prior"),
                               "budget": r.get("budget"), "batch": self.batch_id,
                               "finished": datetime.now(timezone.utc).isoformat(timespec="seconds")}, rows)
        self.done(Outcome(job.slug, "ok", department=rep.department, year=rep.year,
                          seconds=value["timings"].get("total", 0.0), cross_year=r.get("cross_year", [])))
