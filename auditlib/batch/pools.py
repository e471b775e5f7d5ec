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
"""

from __future__ import annotations

import os

from auditlib.batch.jobs import one_line
from auditlib.batch.tasks import TASKS

# Workers are spawned (distributed's default, pinned against a user's dask config): this process
# runs Dask's event loop thread and maybe tabula's JVM and the OCR, whose threads a fork would not
# copy (issue 24: a forked child waited for ever).
LOCAL_CONFIG = {"distributed.scheduler.allowed-failures": 0, "distributed.scheduler.worker-saturation": 1.0,
                "distributed.worker.multiprocessing-method": "spawn"}


def died(tag, how: str) -> dict:
    """The failure value of the task `tag` = (slug, phase) whose worker process died."""
    doing = {"read": "读取并审核文件", "notebook": "运行笔记本"}.get(tag[1], tag[1])
    return {"ok": False, "reason": f"工作进程在{doing}时意外退出（{how}）", "phase": tag[1]}


def local_cluster(workers: int):
    """`workers` single-threaded worker processes on this machine, without a dashboard or a
    memory limit (a PDF's JVM is the worker's own)."""
    import dask
    from distributed import LocalCluster

    with dask.config.set(LOCAL_CONFIG):
        return LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True,
                            dashboard_address=None, memory_limit=0)


class DaskPool:
    """The tasks of a batch on a cluster: `free`, `submit`, `next`, `close`."""

    def __init__(self, address: str | None = None, workers: int = 1) -> None:
        from distributed import Client, as_completed

        self.cluster = None if address else local_cluster(workers)
        self.client = Client(address or self.cluster, set_as_default=False)
        nthreads = sum(self.client.nthreads().values()) or 1
        self.window = nthreads if self.cluster else 2 * nthreads  # local: one task per worker at a time
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
        """(tag, value) of the next finished task; a dead worker's task gets a failure value."""
        from distributed import KilledWorker

        fut = next(self.ac)
        tag = self.futures.pop(fut)
        try:
            value = fut.result()
        except KilledWorker:
            value = died(tag, "Dask KilledWorker")
        except Exception as exc:  # noqa: BLE001
            value = {"ok": False, "reason": one_line(exc), "phase": tag[1]}
        fut.release()
        return tag, value

    def close(self) -> None:
        self.client.close()
        if self.cluster:
            self.cluster.close()
