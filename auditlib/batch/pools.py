"""Where the tasks run.  Both pools answer the same four calls (`free`, `submit`, `next`,
`close`) and turn a worker that dies into a failure of exactly the task it was running.

* `LocalPool`: N long-lived worker processes of this machine, one task each at a time; a
  worker that dies (killed, out of memory) is replaced.
* `DaskPool`: the tasks on a Dask distributed cluster (an existing one named by its
  address: its workers need auditlib installed and the same view of the input and output
  folders).
"""

from __future__ import annotations

import multiprocessing as mp
import os
from multiprocessing.connection import wait as mp_wait

from auditlib.batch.jobs import one_line
from auditlib.batch.tasks import TASKS


def _worker_main(conn) -> None:
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
            conn.send((tag, value))
    finally:
        conn.close()


def died(tag, how: str) -> dict:
    """The failure value of the task `tag` = (slug, phase) whose worker process died."""
    return {"ok": False, "reason": f"worker process died ({how}) while running the {tag[1]}", "phase": tag[1]}


class LocalPool:
    """N long-lived worker processes, one task each at a time."""

    def __init__(self, workers: int) -> None:
        self.ctx = mp.get_context("spawn")
        self.workers: list[dict] = [self._start() for _ in range(max(1, workers))]

    def _start(self) -> dict:
        parent, child = self.ctx.Pipe()
        proc = self.ctx.Process(target=_worker_main, args=(child,), daemon=True)
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
                    self.workers[i] = self._start()
                    return tag, died(tag, f"signal {-code}" if code is not None and code < 0
                                     else f"exit status {code}")

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
    """The same tasks on a Dask distributed cluster."""

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
