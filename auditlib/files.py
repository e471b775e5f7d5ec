"""Files the workbench and the batch write: atomically, under names that cannot escape.

A run killed half-way must leave the previous report, triage file or warehouse intact, so
every file is written to a temporary file in the same folder and moved over the old one
(`os.replace`).  Folder names come from documents and params files (department names, file
stems): `slugify` reduces them to characters that cannot leave their parent folder.
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from pathlib import Path


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write `data` to `path` whole or not at all (the target's folder is created)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    """`atomic_write_bytes` of UTF-8 text."""
    atomic_write_bytes(path, text.encode("utf-8"))


def slugify(text: str, limit: int = 80) -> str:
    """A folder name that cannot leave its parent: word characters (CJK included),
    `-` and `.`, no leading dot, no `..`, at most `limit` characters."""
    s = unicodedata.normalize("NFKC", str(text))
    s = re.sub(r"[^\w.\-]+", "-", s, flags=re.UNICODE)
    s = re.sub(r"\.{2,}", ".", s)
    s = re.sub(r"-{2,}", "-", s).strip("-. ")
    s = s[:limit].strip("-. ")
    return s or "report"
