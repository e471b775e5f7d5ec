"""The settings auditlib takes from the environment, read here and nowhere else.

* `AUDITLIB_REPORTS`: the folder `auditlib run` writes to by default, as the notebook's kernel
  sees it (its widgets save triage next to the report there);
* `AUDITLIB_OCR_WORKERS`: processes reading the pages of a long scan (0: one per core);
* `USER`: who recorded a triage decision.

Each is read when asked for (a notebook's `%env` is seen), never cached at import.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

__all__ = ["ocr_workers", "reports_folder", "user"]


def reports_folder() -> Path | None:
    """AUDITLIB_REPORTS, or None when unset."""
    value = os.environ.get("AUDITLIB_REPORTS", "").strip()
    return Path(value) if value else None


def ocr_workers() -> int | None:
    """AUDITLIB_OCR_WORKERS as a count, or None when unset; a value that is not a count is
    said once (a warning) and read as 1."""
    raw = os.environ.get("AUDITLIB_OCR_WORKERS", "").strip()
    if raw.isdigit():
        return int(raw)
    if raw:
        warnings.warn(f"AUDITLIB_OCR_WORKERS={raw!r} 不是整数（0：每个核一个；1：本进程）；按 1 处理", stacklevel=3)
        return 1
    return None


def user() -> str:
    """The login name of whoever runs auditlib ('' when unknown)."""
    return os.environ.get("USER") or os.environ.get("USERNAME") or ""
