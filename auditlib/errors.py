"""The exceptions the project raises for input it cannot read: `InputError` and its kinds.

The CLI turns them into a single line on stderr and exit status 2; everything else
that goes wrong is a bug and should surface as such.
"""

from __future__ import annotations


class InputError(Exception):
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
