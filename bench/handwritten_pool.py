"""The hand-written process pool that `auditlib batch` used before issue 13, kept only as the
baseline of bench/bench_pools.py (the batch runs its local workers on a
`distributed.LocalCluster` now): N long-lived worker processes, one task each at a time; a
worker that dies fails exactly the task it was running and is replaced."""

from __future__ import annotations

import multiprocessing as mp
from multiprocessing.connection import wait as mp_wait

from auditlib.batch.jobs import failure_reason
from auditlib.batch.pools import died
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
                value = {"ok": False, "reason": failure_reason(exc, name), "phase": name}
            conn.send((tag, value))
    finally:
        conn.close()


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
