"""Readers: a document path in, a `Report` out (`read_report`) — its tables, its prose and the
claims its prose states (auditlib.ingest.claims); `sniff` tells a PDF from a converter's text by
content."""

from __future__ import annotations

from pathlib import Path

from auditlib.errors import InputError
from auditlib.ingest.build import build_report
from auditlib.ingest.text import read_text_lines
from auditlib.model import Report

__all__ = ["read_report", "sniff"]


def sniff(path: Path) -> str:
    """"pdf" or "text", by content (a .pdf name on an HTML file must not fool us)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(1024)
    except OSError as exc:
        raise InputError(path, f"无法读取文件（cannot read file: {exc.strerror}）") from None
    if head.lstrip().startswith(b"%PDF"):
        return "pdf"
    if path.suffix.lower() == ".pdf":
        if not head:
            raise InputError(path, "空文件（empty file）")
        raise InputError(path, "不是 PDF 文件（not a PDF: no %PDF header）")
    return "text"


def read_report(path: str | Path, password: str | None = None, kind: str | None = None) -> Report:
    """Read a report in either form into the model, as a document of `kind` (决算 or 预算; None:
    the kind its titles and cover show)."""
    path = Path(path)
    if not path.exists():
        raise InputError(path, "文件不存在（no such file）")
    if path.is_dir():
        raise InputError(path, "这是文件夹，不是文档（is a folder, not a document）")
    if sniff(path) == "pdf":
        from auditlib.ingest.pdf import read_pdf_lines

        return build_report(read_pdf_lines(path, password=password), kind)
    return build_report(read_text_lines(path), kind)
