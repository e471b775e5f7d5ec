"""Reader for the plain-text extraction form of a report (what a PDF-to-text
converter leaves): prose lines, and table rows as tab-separated cells, in UTF-8,
UTF-16 or GB18030 (`decode`)."""

from __future__ import annotations

import re

import codecs
from pathlib import Path

from auditlib.errors import InputError
from auditlib.ingest.lines import SourceDocument, SourceLine, normalize_text
from auditlib.ingest.spaced import rebuild


# byte-order marks and the codec each names (the name `document.encoding` reports)
BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
NOT_TEXT = "无法识别的文本编码"


def decode(path: Path, data: bytes) -> tuple[str, str]:
    """The text and the codec it was decoded with: UTF-8, UTF-16 (LE/BE) or GB18030 (what
    converters and editors on Chinese Windows write as "ANSI"/GBK).  Strict decoding, in a
    fixed order: a byte-order mark decides; then UTF-8; then, for bytes with NULs, UTF-16
    without a mark, and otherwise GB18030.  Those two are ambiguous (GB18030 decodes
    most Latin-1 as Chinese mojibake; NUL bytes may be UTF-16 either way round or binary),
    so charset-normalizer must find the reading coherent too.  Anything else is an input
    error, since a mis-decoded report is worthless."""
    for bom, codec in BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(codec), codec
            except UnicodeDecodeError as exc:
                raise InputError(path, f"{NOT_TEXT}：文件以 {codec.upper()} 的 BOM 开头，内容却不是 {codec.upper()} 文本"
                                       f"（{codec} byte-order mark, but bad bytes at offset {exc.start + len(bom)}）") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        offset = exc.start
    codec = _coherent(data, ("utf_16_le", "utf_16_be") if b"\0" in data else ("gb18030",))
    if codec is None:
        raise InputError(path, f"{NOT_TEXT}：不是 UTF-8、UTF-16 或 GB18030 文本（unknown text encoding: not UTF-8, "
                               f"UTF-16 or GB18030; first byte that is not UTF-8 at offset {offset}）")
    return data.decode(codec), codec


def _coherent(data: bytes, candidates: tuple[str, ...]) -> str | None:
    """The one of `candidates` that decodes `data` strictly into coherent text (charset-normalizer's
    judgement: little mess, a known script), as a Python codec name; None when none does."""
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=list(candidates)).best()
    return None if best is None else best.encoding.replace("_", "-")


def read_text_lines(path: str | Path) -> SourceDocument:
    """Split a text extraction into `SourceLine`s, one per non-blank line, cells split on
    tabs and normalized; line numbers are kept for provenance.  Tables printed with spaces
    instead of tabs (what pdfplumber and pdftotext leave) are rebuilt into cells
    (`auditlib.ingest.spaced`)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"无法读取文件（cannot read file: {exc.strerror}）") from None
    if not data.strip():
        raise InputError(path, "空文件（empty file）")
    text, encoding = decode(path, data)
    if "\x00" in text:
        raise InputError(path, "二进制数据，不是文本提取结果（binary data, not a text extraction）")
    lines: list[SourceLine] = []
    raws: list[str] = []
    pages: list[int] = []
    gaps: list[bool] = []  # a blank line before it: pdftotext prints a table a cell a line, cells apart
    page, gap = 0, False
    for number, raw in enumerate(text.splitlines(keepends=True), start=1):
        cells = split_cells(raw.rstrip("\r\n\x0c"))
        if cells:
            lines.append(SourceLine(cells=cells, line=number))
            raws.append(raw.rstrip("\r\n\x0c").expandtabs())
            pages.append(page)
            gaps.append(gap)
        gap = not cells
        page += raw.endswith("\x0c")
    lines, warnings, unread, notes = rebuild(lines, raws, pages, gaps, tabbed=any(line.is_row for line in lines))
    return SourceDocument(path=str(path), input_kind="text", lines=lines, encoding=encoding, warnings=warnings,
                          unread=unread, table_notes=notes)


# a Markdown table's rule under its head: |---|:---:|
RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?$")


def split_cells(raw: str) -> tuple[str, ...]:
    """A line's cells, normalized: split on tabs, or on the bars a web page's table leaves when it
    is copied as text (收入 | 行次 | 金额 |, | 合计 | 1.00 |: a bar at its start or end); none for a
    blank line, a bare bar or a Markdown rule.  A bar inside a cell of a tabbed line is text, and so
    are the bars of a line that neither starts nor ends with one: a page's links copied with it
    (首页 | 信息公开, 字号：大 | 中 | 小) are no row, and one row would make the whole text read as
    a tabbed one (spaced.rebuild), its tables printed with spaces and no figure then unread."""
    text = raw.strip()
    if not text or RULE.match(text):
        return ()
    parts = raw.split("\t")
    if len(parts) == 1 and (text.startswith("|") or text.endswith("|")):
        parts = text.removeprefix("|").removesuffix("|").split("|")
    cells = tuple(normalize_text(c) for c in parts)
    while len(cells) > 1 and not cells[-1]:
        cells = cells[:-1]
    return () if cells == ("",) else cells
