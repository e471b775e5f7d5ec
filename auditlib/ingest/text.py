"""Reader for the plain-text extraction form of a report (what a PDF-to-text
converter leaves): prose lines, and table rows as tab-separated cells."""

from __future__ import annotations

from pathlib import Path

from auditlib.errors import InputError
from auditlib.ingest.lines import SourceDocument, SourceLine, normalize_text


def decode(path: Path, data: bytes) -> str:
    """Decode UTF-8 (with or without BOM); anything else is an input error that
    says where the first bad byte is, since a mis-decoded report is worthless."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(path, f"不是 UTF-8 文本（not UTF-8 text: bad byte at offset {exc.start}）") from None


def read_text_lines(path: str | Path) -> SourceDocument:
    """Split a text extraction into `SourceLine`s, one per non-blank line, cells
    split on tabs and normalized; line numbers are kept for provenance."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"无法读取文件（cannot read file: {exc.strerror}）") from None
    if not data.strip():
        raise InputError(path, "空文件（empty file）")
    text = decode(path, data)
    if "\x00" in text:
        raise InputError(path, "二进制数据，不是文本提取结果（binary data, not a text extraction）")
    lines: list[SourceLine] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        cells = tuple(normalize_text(c) for c in raw.split("\t"))
        while len(cells) > 1 and not cells[-1]:
            cells = cells[:-1]
        lines.append(SourceLine(cells=cells, line=number))
    return SourceDocument(path=str(path), input_kind="text", lines=lines)
