"""The order of a batch's tasks on the pool: every department read, then (once last year's
report of the same department and its 预算 of the same year are at hand, or can no longer turn
up) its cross-year and pair checks, then its notebook.  A report waits for them only while
unread reports remain."""

from __future__ import annotations

import os
from collections import deque
from pathlib import Path
from typing import Protocol

from auditlib.batch import state
from auditlib.batch.jobs import Job, failure_reason
from auditlib.batch.pools import DaskPool
from auditlib.batch.state import warn
from auditlib.kinds import BUDGET, FINAL
from auditlib.rules.prior import Pair


class Finisher(Protocol):
    """What the schedule hands finished departments to (batch.runner.Batch)."""

    out: Path
    entries: dict
    warnings: list[str]
    reopenable: dict[tuple[str, int], Job]  # skipped 决算s held against no 预算, by (dept key, year)

    def finish_failed(self, job: Job, reason: str, phase: str, log: str | None = None) -> None: ...

    def finish_ok(self, job: Job, r: dict, value: dict) -> None: ...


class Schedule:
    """Read, cross-year, notebook: every department of `to_run` on the pool."""

    def __init__(self, batch: Finisher, to_run: list[Job], timeout: float | None) -> None:
        from auditlib.batch import warehouse

        self.batch, self.timeout = batch, timeout
        self.by_slug = {j.slug: j for j in to_run}
        # last years' reports not re-run, of each kind: a 决算's prior is a 决算, a 预算's a 预算
        self.stored = {kind: warehouse.prior_index(batch.out, exclude=set(self.by_slug), kind=kind)
                       for kind in (FINAL, BUDGET)}
        self.read: dict[str, dict] = {}  # slug -> {"result", "cells", "notes", "dept", "year", "job", …}
        self.snapshots: dict[tuple[str, int], tuple[str, list]] = {}  # (dept key, year) -> (slug, cells) of this batch
        self.boxes: dict[tuple[str, int], dict] = {}  # (dept key, year) -> {table: its cells' boxes} of those 决算
        self.budgets: dict[tuple[str, int], Pair] = {}  # (dept key, year) -> the 预算 of this batch
        self.budget_slugs: dict[tuple[str, int], str] = {}  # (dept key, year) -> that 预算's slug
        self.queue_read: deque[Job] = deque(to_run)
        self.waiting: list[str] = []  # read, waiting until last year's report could still turn up in the batch
        self.queue_nb: deque[str] = deque()
        self.inflight: set[tuple[str, str]] = set()  # (slug, phase) of the tasks out on workers

    def run(self, workers: int | None, scheduler: str | None) -> None:
        out = self.batch.out
        running = state.running_folder(out) if not scheduler else None  # a remote worker may not see DIR
        where = {"state": str(running) if running else None, "out": str(out)}
        pool = DaskPool(scheduler, workers=min(workers or os.cpu_count() or 1, len(self.by_slug)))
        try:
            while self.queue_read or self.queue_nb or self.waiting or self.inflight:
                if self.waiting and not self.reading():
                    for slug in self.waiting:
                        self.release(slug)
                    self.waiting.clear()
                self.submit(pool, where)
                if self.inflight:
                    self.receive(*pool.next())
        finally:
            pool.close()
            for mark in running.glob("*.json") if running else []:  # left by a worker that was killed
                mark.unlink(missing_ok=True)

    def reading(self) -> bool:
        """Reports still to be read, or being read."""
        return bool(self.queue_read) or any(phase == "read" for _, phase in self.inflight)

    def limit(self, job: Job) -> float | None:
        return job.params.timeout if job.params.timeout is not None else self.timeout

    def submit(self, pool: DaskPool, where: dict) -> None:
        """Fill the free workers: notebooks first (they finish departments), then reads."""
        while pool.free() and (self.queue_nb or self.queue_read):
            if self.queue_nb:
                slug = self.queue_nb.popleft()
                r = self.read[slug]
                pool.submit((slug, "notebook"), "notebook", {"params": r["job"].params, "result": r["result"], **where},
                            limit=self.limit(r["job"]))
                self.inflight.add((slug, "notebook"))
            else:
                job = self.queue_read.popleft()
                pool.submit((job.slug, "read"), "read", {"params": job.params, **where}, limit=self.limit(job))
                self.inflight.add((job.slug, "read"))

    def receive(self, task: tuple[str, str], value: dict) -> None:
        slug, phase = task
        self.inflight.discard(task)
        job = self.by_slug[slug]
        if not value.get("ok"):
            self.read.pop(slug, None)
            self.batch.finish_failed(job, value.get("reason") or "失败", phase, value.get("log"))
        elif phase == "read":
            self.on_read(job, value)
        else:
            self.batch.finish_ok(job, self.read.pop(slug), value)

    def on_read(self, job: Job, value: dict) -> None:
        """A report read: its notebook may go once last year's report is at hand or cannot come;
        those that waited for this one go now."""
        from auditlib.schema import department_key

        result = value["result"]
        dept = department_key(result.report.department or job.params.department)
        year = result.report.year or job.params.year
        self.read[job.slug] = {"job": job, "result": result, "cells": value["cells"], "notes": value.get("notes", []),
                               "dept": dept, "year": year, "read_seconds": value["seconds"]}
        if dept and year is not None and result.report.kind == BUDGET:
            self.budgets.setdefault((dept, year), Pair(result.report, str(job.params.source)))
            self.budget_slugs.setdefault((dept, year), job.slug)
            self.reopen(self.batch.reopenable.pop((dept, year), None))
        elif dept and year is not None:
            self.snapshots.setdefault((dept, year), (job.slug, value["cells"]))
            self.boxes.setdefault((dept, year), {c: t.boxes for c, t in result.report.tables.items() if t.boxes})
        self.waiting.append(job.slug)
        for other in [s for s in self.waiting if not self.pending(s)]:
            self.waiting.remove(other)
            self.release(other)

    def reopen(self, job: Job | None) -> None:
        """A 决算 skipped as unchanged whose 预算 this batch has just read: read and checked again,
        now against it (nothing else of the batch is re-run for it)."""
        if job is not None and job.slug not in self.by_slug:
            self.by_slug[job.slug] = job
            self.queue_read.append(job)

    def pending(self, slug: str) -> bool:
        """A 决算 whose last year's 决算 or own 预算, or a 预算 whose last year's 预算 or 决算, could
        still turn up in the batch."""
        r = self.read[slug]
        dept, year = r["dept"], r["year"]
        if not dept or year is None or not self.reading():
            return False
        if r["result"].report.kind == BUDGET:
            return (dept, year - 1) not in self.budgets or (dept, year - 1) not in self.snapshots
        return (dept, year - 1) not in self.snapshots or (r["result"].budget is None and (dept, year) not in self.budgets)

    def priors_for(self, slug: str, kind: str | None = None) -> dict:
        """{year: Prior} of the two years before, of the report's own kind (a 预算's are 预算) or
        of `kind` (a 预算's 决算: its 上年执行数 are theirs), from this batch or the warehouse."""
        dept, year = self.read[slug]["dept"], self.read[slug]["year"]
        if not dept or year is None:
            return {}
        own = self.read[slug]["result"].report.kind
        found = {y: self.prior(slug, dept, y, kind or own, boxed=(kind or own) != own) for y in (year - 1, year - 2)}
        return {y: p for y, p in found.items() if p is not None}

    def prior(self, slug: str, dept: str, year: int, kind: str, boxed: bool = False):
        """The department's report of `kind` and `year`: this batch's (a 决算 rebuilt from its
        cells; `boxed`: with their boxes on its pages, for a finding that names them), else the
        warehouse's cells (which keep no boxes); None when neither."""
        from auditlib.batch import warehouse
        from auditlib.rules.prior import Prior, snapshot

        hit = self.snapshots.get((dept, year)) if kind == FINAL else None
        if hit and hit[0] != slug:
            report = snapshot(hit[1], dept, year)
            for code, boxes in (self.boxes.get((dept, year), {}) if boxed else {}).items():
                if code in report.tables:
                    report.tables[code].boxes = boxes
            return Prior(report, hit[0], year)
        if kind == BUDGET and (dept, year) in self.budgets:
            return Prior(self.budgets[(dept, year)].report, self.budget_slugs[(dept, year)], year)
        document, unit = self.stored[kind].get((dept, year), (None, None))
        cells = warehouse.load_cells(self.batch.out, document) if document else None
        return Prior(snapshot(cells, dept, year, kind=kind, unit=unit), document, year) if cells else None

    def mark(self, prior) -> dict | None:
        """A prior report as the batch entry records it (slug, sha256): a change to it re-runs
        the report held against it."""
        if prior is None:
            return None
        sha = self.by_slug[prior.document].sha256 if prior.document in self.by_slug else \
            (self.batch.entries.get(prior.document) or {}).get("sha256")
        return {"slug": prior.document, "sha256": sha}

    def paired(self, slug: str, failed: tuple[Pair, str] | None = None) -> dict | None:
        """The budget a read 决算 was held against, as its batch entry records it (slug when of
        this batch, path, sha256), or the one its checks `failed` against, with the reason: a
        budget that changes or turns up later re-runs the 决算, a failed pairing does not."""
        from auditlib.batch.jobs import sha256_file

        r = self.read[slug]
        pair = failed[0] if failed else r["result"].budget
        if pair is None:
            return None
        of_batch = self.budget_slugs.get((r["dept"], r["year"]))
        of_batch = of_batch if of_batch and self.budgets[(r["dept"], r["year"])] is pair else None
        sha = self.by_slug[of_batch].sha256 if of_batch else sha256_file(Path(pair.path))
        return {"slug": of_batch, "path": pair.path, "sha256": sha} | ({"failed": failed[1]} if failed else {})

    def cross_checks(self, slug: str, priors: dict, budget: Pair | None, finals: dict) -> list:
        """The cross-year checks of a read report and, given its 预算, the checks against it.
        Checks against the 预算 that raise are left out — each pair rule listed as not run with
        the reason, one line in the batch's warnings, the reason kept for the entry — and the
        cross-year checks run without them, so that the department goes on."""
        from auditlib.rules.runner import apply_prior, pair_not_run

        r = self.read[slug]
        tolerance = r["job"].params.tolerance
        if budget is not None:
            try:
                return apply_prior(r["result"], priors, tolerance, budget, finals)
            except Exception as exc:  # noqa: BLE001 — one department's pairing must not lose it
                r["pair_failed"] = reason = failure_reason(exc)
                pair_not_run(r["result"], reason)
                warn(self.batch.warnings, f"{slug}: 与预算 {budget.path} 的核对未进行：{reason}；预算或决算改动后再核对")
        return apply_prior(r["result"], priors, tolerance, None, finals)

    def release(self, slug: str) -> None:
        """The cross-year checks of a read report, then its notebook in the queue."""
        r = self.read[slug]
        budget = None if r["result"].budget is not None or r["result"].report.kind == BUDGET else \
            self.budgets.get((r["dept"], r["year"]))
        try:
            priors = self.priors_for(slug)
            finals = self.priors_for(slug, FINAL) if r["result"].report.kind == BUDGET else {}
            found = self.cross_checks(slug, priors, budget, finals)
        except Exception as exc:  # noqa: BLE001 — a cross-year problem must not lose the department
            priors, found = {}, []
            warn(self.batch.warnings, f"{slug}: 跨年核对未进行（{failure_reason(exc)}）")
        r["cross_year"] = [f.id for f in found]
        r["budget"] = self.paired(slug, (budget, r["pair_failed"]) if "pair_failed" in r else None)
        last = r["year"] - 1 if r["year"] is not None else None
        r["prior"] = self.mark(priors.get(last))
        self.queue_nb.append(slug)
