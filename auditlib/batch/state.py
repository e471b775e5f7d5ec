"""The batch's own files in DIR, and what a batch that was killed leaves there.

* `DIR/.batch/lock`: held (`flock`) for the whole batch and naming its holder (pid, host,
  start), so a second batch on the same DIR stops at once (`BatchError`, exit 2).  The kernel
  drops the lock of a process that dies, so a lock left by a killed batch is taken over, with
  a warning.  Taking it also tells whether DIR can be written at all, before any work.
* `DIR/manifest.json`: per department, what it was run from (input digest, params, version)
  and how it ended; unreadable, it is ignored with a warning and every department re-runs.
* `DIR/.batch/journal/<slug>.json`: a department's manifest entry and warehouse rows, written
  the moment it finishes and removed once the warehouse and the manifest hold it, so a batch
  killed between two flushes (SIGKILL, a power cut) loses no finished department and the
  next batch takes it from here instead of checking it again.  An unreadable entry is ignored
  with a warning: that department is checked again.
* `DIR/.batch/running/<pid>.json`: what each local worker is doing (`tasks`).

Warnings go to stderr as one Chinese line each (`auditlib batch: 警告：…`) and into the
batch's summary.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import logging
import time
from datetime import datetime, timezone
from pathlib import Path

from auditlib.batch.jobs import OS_PROBLEMS, one_line
from auditlib.errors import BatchError
from auditlib.batch.warehouse import Rows
from auditlib.files import atomic_write_text

MANIFEST = "manifest.json"
STATE = ".batch"
LOCK = "lock"
JOURNAL = "journal"
RUNNING = "running"


def os_problem(exc: OSError) -> str:
    """An OSError in Chinese, the English after it."""
    return f"{OS_PROBLEMS.get(exc.errno, '读写出错')}（{type(exc).__name__}: {exc.strerror or exc}）"


LOG = logging.getLogger("auditlib.batch")


def warn(warnings: list[str], text: str) -> None:
    """One Chinese line logged (the command line shows it on stderr), kept for the summary."""
    text = one_line(text, 500)
    warnings.append(text)
    LOG.warning(text)


class Lock:
    """DIR/.batch/lock, held while the batch runs (a context manager)."""

    def __init__(self, out: Path, warnings: list[str]) -> None:
        self.out, self.warnings = Path(out), warnings
        self.path = self.out / STATE / LOCK
        self.fd: int | None = None

    def __enter__(self) -> "Lock":
        try:
            (self.out / STATE).mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            probe = self.out / f".write-test-{os.getpid()}"
            probe.touch()
            probe.unlink()
        except OSError as exc:
            raise BatchError(f"输出文件夹 {self.out} 不可写：{os_problem(exc)}；换一个输出文件夹（--out）"
                             f"或改其权限") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = self._holder(fd)
            os.close(fd)
            raise BatchError(f"输出文件夹 {self.out} 正由另一个批量审核使用（{holder}）；等它结束后再运行，"
                             f"或换一个输出文件夹（--out）") from None
        left = self._holder(fd)
        if left:
            warn(self.warnings, f"上次在此文件夹的批量审核（{left}）未正常结束，已接管它留下的锁；"
                                f"它已完成的部门不会重新审核")
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps({"pid": os.getpid(), "host": socket.gethostname(),
                                  "started": datetime.now(timezone.utc).isoformat(timespec="seconds")}).encode(), 0)
        os.fsync(fd)
        self.fd = fd
        return self

    @staticmethod
    def _holder(fd: int) -> str:
        """Who the lock file names, in words ('' when it names nobody)."""
        raw = os.pread(fd, 4096, 0)
        if not raw.strip():
            return ""
        try:
            data = json.loads(raw)
            return f"进程 {data['pid']}，主机 {data['host']}，{data['started']} 开始"
        except (ValueError, KeyError, TypeError):
            return "锁文件内容无法读取"

    def __exit__(self, *exc) -> None:
        if self.fd is not None:
            os.ftruncate(self.fd, 0)  # not removed: another batch may hold it open already
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None


def sweep(out: Path) -> None:
    """What a killed batch and its workers left (we hold the lock: nothing else writes here):
    the running marks and the temporary files of atomic writes."""
    out = Path(out)
    for p in [*out.glob(f"{STATE}/{RUNNING}/*.json"), *out.glob(".*.tmp"), *out.glob(".*.tmp.wal"),
              *out.glob("*/.*.tmp")]:
        p.unlink(missing_ok=True)


def running_folder(out: Path) -> Path:
    folder = Path(out) / STATE / RUNNING
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def load_manifest(out: Path, warnings: list[str]) -> dict:
    """DIR/manifest.json, or an empty one (with a warning when the file is there but unreadable)."""
    path = Path(out) / MANIFEST
    empty = {"departments": {}}
    if not path.exists():
        return empty
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and isinstance(data.get("departments"), dict) and all(
                isinstance(e, dict) for e in data["departments"].values()):
            return data
        why = "内容不是清单"
    except (OSError, ValueError) as exc:  # UnicodeDecodeError is a ValueError
        why = f"{type(exc).__name__}: {exc}"
    warn(warnings, f"{MANIFEST} 已损坏，已忽略（{why}）；所有部门重新审核")
    return empty


def save_manifest(out: Path, manifest: dict) -> None:
    atomic_write_text(Path(out) / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1, default=str))


def journal(out: Path, slug: str, entry: dict, rows: Rows) -> None:
    """Record a finished department until the warehouse and the manifest hold it."""
    atomic_write_text(Path(out) / STATE / JOURNAL / f"{slug}.json",
                      json.dumps({"slug": slug, "entry": entry, "rows": rows.to_json()}, ensure_ascii=False,
                                 allow_nan=False, default=str))


def read_journal(out: Path, warnings: list[str]) -> dict[str, tuple[dict, Rows]]:
    """{slug: (manifest entry, rows)} of the departments a killed batch finished; an unreadable
    entry is removed with a warning (its department is checked again unless the warehouse and
    the manifest hold it already)."""
    found = {}
    for path in sorted((Path(out) / STATE / JOURNAL).glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            slug, entry = data["slug"], data["entry"]
            if not isinstance(entry, dict) or path.stem != slug:
                raise ValueError("内容不是部门记录")
            found[slug] = (entry, Rows.from_json(data["rows"]))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            warn(warnings, f"{STATE}/{JOURNAL}/{path.name} 已损坏，已忽略（{type(exc).__name__}: {exc}）；"
                           f"仓库中没有的部门 {path.stem} 将重新审核")
            path.unlink(missing_ok=True)
    return found


def clear_journal(out: Path, slugs) -> None:
    for slug in slugs:
        (Path(out) / STATE / JOURNAL / f"{slug}.json").unlink(missing_ok=True)


def set_aside(path: Path) -> Path:
    """Move a file that cannot be used out of the way (kept for inspection): PATH.corrupt-<time>."""
    aside = path.with_name(f"{path.name}.corrupt-{time.strftime('%Y%m%dT%H%M%S')}")
    os.replace(path, aside)
    Path(str(path) + ".wal").unlink(missing_ok=True)
    return aside
