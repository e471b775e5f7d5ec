"""auditlib's log lines on stderr as an auditor reads them: `auditlib batch: 警告：…` — the
logger's name as the command, the level in Chinese.  Set up once by the command line."""

from __future__ import annotations

import logging
import sys

__all__ = ["log_to_stderr"]

LEVEL_ZH = {logging.WARNING: "警告", logging.ERROR: "错误", logging.INFO: "信息"}


class _Stderr(logging.StreamHandler):
    """auditlib's log lines on whatever sys.stderr is when one is written, as
    `auditlib batch: 警告：…` (the logger's name as the command, the level in Chinese)."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass

    def format(self, record: logging.LogRecord) -> str:
        level = LEVEL_ZH.get(record.levelno, record.levelname)
        return f"{record.name.replace('.', ' ')}: {level}：{record.getMessage()}"


def log_to_stderr() -> None:
    """auditlib's log lines (warnings and up) on stderr, once per process."""
    log = logging.getLogger("auditlib")
    if not any(isinstance(h, _Stderr) for h in log.handlers):
        log.addHandler(_Stderr())
        log.setLevel(logging.WARNING)
        log.propagate = False
