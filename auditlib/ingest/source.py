"""One input file to its reader's `SourceDocument`: a PDF or a converter's text, told by content
(`sniff`)."""

from __future__ import annotations

from pathlib import Path

from auditlib.errors import InputError
from auditlib.ingest.lines import SourceDocument
from auditlib.ingest.text import read_text_lines

__all__ = ["read_source", "sniff"]


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


def read_source(path: Path, password: str | None = None) -> SourceDocument:
    """The lines of one file, by the reader its content asks for."""
    if not path.exists():
        raise InputError(path, "文件不存在（no such file）")
    if path.is_dir():
        raise InputError(path, "这是文件夹，不是文档（is a folder, not a document）")
    if sniff(path) == "pdf":
        from auditlib.ingest.pdf import read_pdf_lines

        return read_pdf_lines(path, password=password)
    return read_text_lines(path)
