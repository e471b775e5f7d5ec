"""Readers: a document path in, a `Report` out (`read_report`) — its tables, its prose and the
claims its prose states (auditlib.ingest.claims); `sniff` tells a PDF from a converter's text by
content.  A document published in several files (a narrative 文件 and a table booklet 表格) is
read from all of them as one (auditlib.ingest.parts)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from auditlib.ingest.build import build_report
from auditlib.ingest.parts import read_parts
from auditlib.ingest.source import read_source, sniff
from auditlib.model import Report

__all__ = ["read_report", "sniff"]


def read_report(path: str | Path | Sequence[str | Path], password: str | None = None,
                kind: str | None = None) -> Report:
    """Read a report in either form into the model, as a document of `kind` (决算 or 预算; None:
    the kind its titles and cover show); several paths: one document in those files, in that
    order."""
    paths = [Path(path)] if isinstance(path, (str, Path)) else [Path(p) for p in path]
    if len(paths) > 1:
        return read_parts(paths, password, kind)
    return build_report(read_source(paths[0], password), kind)
