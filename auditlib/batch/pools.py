"""Where the tasks run: a Dask distributed cluster, started on this machine
(`distributed.LocalCluster`, one single-threaded worker process per worker) or an existing
one named by its address (its workers need auditlib installed and the same view of the input
and output folders).

A worker process keeps its JVM and its read cache between departments.  A worker that dies
(killed, out of memory) fails exactly the task it was running: on the local cluster a task is
not retried (`allowed-failures` 0) and at most one task per worker is out at a time, so a
dead worker takes no queued task down with it; its nanny starts a new worker.
bench/bench_pools.py measured the cluster against the hand-written process pool it replaces,
two workers on this 2-core machine: start-up and close 1.4-1.7 s against 0.8 s, once per
batch; per department no more (a check handed back in 0.7 times the pool's time).

A task may have a time limit.  A thread cannot be stopped from outside, and a reader stuck in
a C extension (PDFium, the JVM, the OCR runtime) ignores Python's interrupts and may ignore
SIGTERM, so at the limit the batch gives the task up and has the nanny of the worker running it
SIGKILL the worker process and every process under it (the notebook's kernel, OCR page
workers); the nanny starts a fresh worker, the batch waits for it to join (a task handed out
before would go to the dying worker) and goes on.  At most one task per worker thread is out
at a time, so a task's clock runs while it runs (it is re-started while the task waits for a
worker).  On a remote cluster a scheduler that gives a worker a second task
(`worker-saturation` above 1) may see it killed with the first: Dask retries it elsewhere
(`allowed-failures`).  bench/bench_timeout.py: waiting with a deadline costs nothing per
department; a time-out costs the start of a fresh worker, once.
"""

from __future__ import annotations

import os
import time

from auditlib.batch.jobs import PHASES, failure_reason
from auditlib.batch.tasks import TASKS

# Workers are spawned (distributed's default, pinned against a user's dask config): this process
# runs Dask's event loop thread and maybe tabula's JVM and the OCR, whose threads a fork would not
# copy (issue 24: a forked child waited for ever).
LOCAL_CONFIG = {"distributed.scheduler.allowed-failures": 0, "distributed.scheduler.worker-saturation": 1.0,
                "distributed.worker.multiprocessing-method": "spawn"}


def died(tag, how: str) -> dict:
    """The failure value of the task `tag` = (slug, phase) whose worker process died."""
    return {"ok": False, "reason": f"工作进程在{PHASES.get(tag[1], tag[1])}时意外退出（{how}）", "phase": tag[1]}


def timed_out(tag, limit: float, stopped: str = "") -> dict:
    """The failure value of the task `tag` given up at its time limit."""
    doing = PHASES.get(tag[1], tag[1])
    return {"ok": False, "phase": tag[1],
            "reason": f"超时：{doing}超过 {limit:g} 秒，{stopped or '已终止其工作进程'}（time limit, --timeout）"}


def kill_worker_tree(dask_worker) -> int:
    """On a nanny (`Client.run(…, nanny=True)`): SIGKILL its worker process, then every process
    under it; returns how many were killed.  The worker goes first, so it cannot report a
    child's death as its task's result."""
    import psutil

    process = getattr(getattr(dask_worker, "process", None), "process", None)
    if process is None or process.pid is None:
        return 0
    try:
        root = psutil.Process(process.pid)
        victims = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    for p in victims:
        try:
            p.kill()
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(victims, timeout=10)
    return len(victims)


def ignore_sigint():
    """A worker plugin: local workers leave Ctrl-C (SIGINT to the terminal's process group) to
    the batch, which stops them in order after writing what is finished."""
    from distributed import WorkerPlugin

    class IgnoreSigint(WorkerPlugin):
        name = "auditlib-ignore-sigint"

        def setup(self, worker) -> None:
            import signal
            import threading

            if threading.current_thread() is threading.main_thread():
                signal.signal(signal.SIGINT, signal.SIG_IGN)

    return IgnoreSigint()


def local_cluster(workers: int):
    """`workers` single-threaded worker processes on this machine, without a memory limit (a
    PDF's JVM is the worker's own), its HTTP server on a free port (two batches at once do not
    compete for 8787), and without Dask's English warnings on the auditor's terminal (a worker
    restarted after a time-out is the batch's to say)."""
    import logging

    import dask
    from distributed import LocalCluster

    with dask.config.set(LOCAL_CONFIG):
        return LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True,
                            dashboard_address=":0", memory_limit=0, silence_logs=logging.ERROR)


class DaskPool:
    """The tasks of a batch on a cluster: `free`, `submit`, `next`, `close`."""

    def __init__(self, address: str | None = None, workers: int = 1) -> None:
        from distributed import Client

        self.cluster = None if address else local_cluster(workers)
        self.client = Client(address or self.cluster, set_as_default=False)
        if self.cluster:
            self.client.register_plugin(ignore_sigint())
        nthreads = sum(self.client.nthreads().values()) or 1
        self.window = nthreads  # one task per worker thread out at a time: a task's clock runs while it runs
        self.nworkers = nthreads
        self.futures: dict = {}  # future -> tag
        self.clocks: dict = {}  # future -> (time limit in seconds, when its clock started)

    def free(self) -> int:
        return max(0, self.window - len(self.futures))

    def submit(self, tag, name: str, arg, limit: float | None = None) -> None:
        """Run task `name` on `arg`; `limit`: seconds it may take (None or 0: no limit)."""
        fut = self.client.submit(TASKS[name], arg, pure=False, key=f"auditlib-{name}-{tag[0]}-{os.urandom(4).hex()}")
        self.futures[fut] = tag
        if limit and limit > 0:
            self.clocks[fut] = (limit, time.monotonic())

    def next(self):
        """(tag, value) of the next finished task, or of a task past its time limit (given up,
        its worker killed); a dead worker's task gets a failure value."""
        from distributed import wait

        while True:
            now = time.monotonic()
            for fut, (limit, start) in list(self.clocks.items()):
                if now - start >= limit and not fut.done():
                    stopped = self._stop(fut)
                    if stopped:
                        return stopped
            waits = [start + limit - now for limit, start in self.clocks.values()]
            try:
                with self.client.as_current():
                    done, _ = wait(list(self.futures), timeout=max(0.0, min(waits)) if waits else None,
                                   return_when="FIRST_COMPLETED")
            except TimeoutError:
                continue
            if done:
                return self._collect(next(iter(done)))

    def _collect(self, fut):
        from distributed import KilledWorker

        tag = self.futures.pop(fut)
        self.clocks.pop(fut, None)
        try:
            value = fut.result()
        except KilledWorker:
            value = died(tag, "Dask KilledWorker")
        except Exception as exc:  # noqa: BLE001
            value = {"ok": False, "reason": failure_reason(exc, tag[1]), "phase": tag[1]}
        fut.release()
        return tag, value

    def _stop(self, fut):
        """Give up a task past its limit and kill the worker running it: (tag, failure value),
        or None when no worker runs it yet (its clock restarts)."""
        limit, _ = self.clocks[fut]
        workers = [w for w, keys in self.client.processing().items() if fut.key in keys]
        if not workers:
            self.clocks[fut] = (limit, time.monotonic())
            return None
        tag = self.futures.pop(fut)
        del self.clocks[fut]
        fut.cancel()
        try:
            self.client.run(kill_worker_tree, workers=workers, nanny=True)
            stopped = ""
        except Exception as exc:  # noqa: BLE001 — a worker without a nanny (dask worker --no-nanny)
            stopped = f"未能终止其工作进程（{type(exc).__name__}: {exc}）"
        else:
            self._replaced(workers)
        fut.release()
        return tag, timed_out(tag, limit, stopped)

    def _replaced(self, killed: list[str], within: float = 60.0) -> None:
        """Wait until the scheduler has let the killed workers go and their nannies' fresh ones
        have joined: a task handed out before would go to a dying worker and die with it."""
        stop = time.monotonic() + within
        while time.monotonic() < stop:
            live = self.client.nthreads()
            if not set(killed) & set(live) and sum(live.values()) >= self.nworkers:
                return
            time.sleep(0.05)

    def close(self) -> None:
        self.client.close()
        if self.cluster:
            self.cluster.close()
