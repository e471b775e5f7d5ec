"""The one family of exceptions the project raises on purpose, rooted in `AuditlibError`.

Each is a problem a user can fix, told in one line (Chinese first): a document that cannot
be read (`InputError`), a settings file with a mistake in it (`SettingsError`: catalog, params,
profile, vocabulary, triage — `FILE:LINE: what is wrong`), a run or a batch that cannot go on
(`RunError`, `BatchError`).  The command line turns every `AuditlibError` into that line on
stderr and exit status 2 (cli.EXIT); anything else is a bug in auditlib and is reported as
one, with its traceback, never blamed on the input.
"""

from __future__ import annotations

__all__ = ["AuditlibError", "BatchError", "ForkedProcessError", "InputError", "RunError", "SettingsError"]


class AuditlibError(Exception):
    """A problem the user can fix, whose text is the one line they read."""


class InputError(AuditlibError):
    """An input document that cannot be read: names the file and what is wrong."""

    def __init__(self, path: object, problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


class ForkedProcessError(InputError):
    """A scan asked to be read in a process forked (os.fork, multiprocessing's "fork", the
    Linux default before Python 3.14) from one that had run the OCR: the runtimes' thread
    pools do not survive a fork and the child could wait for ever, so it refuses at once."""

    def __init__(self, path: object) -> None:
        super().__init__(path, "扫描件不能在已运行过 OCR 的进程 fork 出的子进程中识别（会永久卡住），"
                               "请用 spawn 或 forkserver 启动子进程（OCR refused in a process forked "
                               "after its parent ran OCR: start it with spawn or forkserver）")


class SettingsError(AuditlibError):
    """A settings file (YAML) with a mistake: `file:line: what is wrong` (no line: the file)."""

    def __init__(self, source: object, line: int, problem: str) -> None:
        self.source = str(source)
        self.line = line
        self.problem = problem
        super().__init__(f"{self.source}:{line}: {problem}" if line else f"{self.source}: {problem}")


class RunError(AuditlibError):
    """A department's run that could not complete (its notebook failed, its output folder is
    unsafe): one line."""


class BatchError(AuditlibError):
    """A batch that cannot start or go on (its output folder is locked, unwritable …): what
    was finished is kept."""

    def __init__(self, problem: str) -> None:
        super().__init__(f"batch: {problem}")
