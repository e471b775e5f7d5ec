"""One document published in several files: a budget's (or a 决算's) narrative 文件 and its table
booklet 表格, in any order and either form (PDF or text).

Each file is read on its own, its pages and lines numbered on after the files before it (so the
model keeps one page and one line sequence, and `Report.files` tells a place's file again).  A table
never runs from one file into the next, so each file's tables are read from its own lines and the
document takes every table from the file that prints it.  The cover and the narrative (第三部分)
are read from a file without tables first — the narrative 文件: a table booklet opens with a
table's title, not the department's cover; a cover line that names no department, as
"第三部分 2021 年度部门决算情况说明" opening a narrative, does not count —, the narrative there from its last 第三部分 heading
(the first is its 目录's line); else as in one file, after the tables.  Files of two departments or two years,
or one file given twice, are refused before anything is built.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from auditlib.errors import InputError
from auditlib.ingest.build import assemble, cover, cover_pattern, detect_kind
from auditlib.ingest.lines import SourceDocument, SourceLine
from auditlib.ingest.prose import PART, build_prose
from auditlib.ingest.source import read_source
from auditlib.ingest.tables import build_tables
from auditlib.kinds import FINAL, kind_named
from auditlib.model import FilePart, Narrative, Performance, ReadingNote, Report, Table

__all__ = ["read_parts"]

# the administrative places a department's name may start with or leave out (上海市普陀区…,
# 中共…): two files name one department when what is left of one name holds the other's
PLACE = re.compile(r"^(?:中共)?(?:[^省市区县]{1,7}?(?:省|自治区|市|区|县))*")


@dataclass
class Part:
    """One file of the document: where it sits in the document and its lines, numbered on."""

    file: FilePart
    doc: SourceDocument
    tables: dict[str, Table]
    last: int | None  # the index of its last line that belongs to a table (None: no table)


def read_parts(paths: list[Path], password: str | None, kind: str | None) -> Report:
    """The report printed in `paths` (two or more files, in that order)."""
    _distinct(paths)
    docs = _numbered([read_source(p, password) for p in paths])
    whole = SourceDocument(
        path=str(paths[0]), input_kind=_input_kind(docs), lines=[ln for d, _ in docs for ln in d.lines],
        pages=sum(f.pages for _, f in docs) or None,
        warnings=[f"{Path(d.path).name}：{w}" for d, _ in docs for w in d.warnings],
        encoding=next((d.encoding for d, _ in docs if d.encoding), None),
        ocr_pages={n: q for d, _ in docs for n, q in d.ocr_pages.items()},
        ocr_pictures={n: b for d, _ in docs for n, b in d.ocr_pictures.items()})
    if kind is None:
        _one_kind(docs)
    detected = detect_kind(whole, kind)
    spec = kind_named(detected.kind)
    parts = [Part(f, d, *build_tables(d.lines, d.unread, spec, d.table_notes)) for d, f in docs]
    _same_department(parts, cover_pattern(detected.kind))
    covers = [cover(p.doc, cover_pattern(detected.kind)) for p in _narrative_first(parts)]
    on_cover = next((c for c in covers if c[0] and _core(c[0])), next((c for c in covers if c[1]), (None, None)))
    return assemble(whole, detected, _tables(parts), on_cover, _prose(parts, detected.kind == FINAL), [p.file for p in parts])


def _distinct(paths: list[Path]) -> None:
    """Refuse one file given twice (the same path, or the same bytes under another name)."""
    seen: dict[str, Path] = {}
    for path in paths:
        if not path.is_file():
            continue  # read_source says what is wrong with it
        with path.open("rb") as fh:
            digest = hashlib.file_digest(fh, "sha256").hexdigest()
        if digest in seen:
            raise InputError(path, f"与 {seen[digest]} 是同一个文件，一份文档的两个文件应各不相同"
                                   f"（the same file given twice）")
        seen[digest] = path


def _one_kind(docs: list[tuple[SourceDocument, FilePart]]) -> None:
    """Refuse a 决算 file and a 预算 file given as one document: each file's kind as its own
    cues show it (a file without any cue goes with the others); the budget goes to `--budget`."""
    shown = [(d, detect_kind(d, None)) for d, _ in docs]
    cued = [(d, k) for d, k in shown if k.source == "detected"]
    other = next((c for c in cued if c[1].kind != cued[0][1].kind), None)
    if other is not None:
        (d0, k0), (d1, k1) = cued[0], other
        a, b = _names(d0.path, d1.path)
        raise InputError(f"{d0.path}、{d1.path}", f"两个文件不是同一种文档：{a} 为{k0.kind}，{b} 为{k1.kind}；"
                         f"决算与其预算请用 check 决算文件 --budget 预算文件 核对"
                         f"（a 决算 and a 预算 are not one document: give the budget with --budget）")


def _names(a: str, b: str) -> tuple[str, str]:
    """Two files as an error names them: their names, or their paths when the names are the same
    (two doc.pdf in the corpus' folders)."""
    return (Path(a).name, Path(b).name) if Path(a).name != Path(b).name else (a, b)


def _numbered(docs: list[SourceDocument]) -> list[tuple[SourceDocument, FilePart]]:
    """Each file's lines with its pages and lines numbered on after those of the files before it."""
    out = []
    first_page = first_line = 0
    for doc in docs:
        pages = (doc.pages or 0) if doc.input_kind != "text" else 0
        lines = max((ln.line or 0 for ln in doc.lines), default=0)
        part = FilePart(doc.path, doc.input_kind, first_page, pages, first_line, lines)
        out.append((replace(doc, lines=[_shifted(ln, first_page, first_line) for ln in doc.lines],
                            ocr_pages={n + first_page: q for n, q in doc.ocr_pages.items()},
                            ocr_pictures={n + first_page: b for n, b in doc.ocr_pictures.items()}), part))
        first_page, first_line = first_page + pages, first_line + lines
    return out


def _shifted(line: SourceLine, pages: int, lines: int) -> SourceLine:
    """A line of a later file as the document numbers it: its page, its line and the page in each
    of its cells' boxes (a table continued to the right keeps the page in the box)."""
    boxes = line.boxes and tuple(b if b is None or len(b) != 5 else (b[0] + pages, *b[1:]) for b in line.boxes)
    return replace(line, line=None if line.line is None else line.line + lines,
                   page=None if line.page is None else line.page + pages, boxes=boxes)


def _input_kind(docs: list[tuple[SourceDocument, FilePart]]) -> str:
    """The document's input kind: a scan if any file was read by OCR, else a PDF if any file is
    one, else text."""
    kinds = {d.input_kind for d, _ in docs}
    return next(k for k in ("scan", "pdf", "text") if k in kinds)


def _found(part: Part) -> list[Table]:
    return [t for t in part.tables.values() if t.status != "missing"]


def _narrative_first(parts: list[Part]) -> list[Part]:
    """The files without tables first (the narrative 文件, which has the cover), each group in
    the order given."""
    return sorted(parts, key=lambda p: bool(_found(p)))


def _tables(parts: list[Part]) -> dict[str, Table]:
    """Each table from the first file that prints it; a table printed in two files is read from
    the first, with a reading note where the second prints it."""
    tables: dict[str, Table] = {}
    for part in parts:
        for code, table in part.tables.items():
            kept = tables.get(code)
            if kept is None or kept.status == "missing":
                tables[code] = table
            elif table.status != "missing":
                kept.reading_notes.append(ReadingNote(code, table.page, table.line,
                                                      f"“{table.title or code}”在另一文件中又印了一次（此处），采用第一次印出的表"))
    return tables


def _prose(parts: list[Part], named: bool) -> tuple[Narrative, Performance]:
    """The narrative and performance section of the first file that has them, a file without
    tables (the narrative 文件) first: from its last 第三部分 heading there, after the tables in
    a file with tables — and its parts that name a narrative, wherever they are (四川's 第二部分
    before a 第三部分 名词解释, which is then no narrative: narrative_parts.part_range)."""
    for part in _narrative_first(parts):
        lines = part.doc.lines
        after = part.last if part.last is not None else _last_part_three(lines)
        narrative, performance = build_prose(lines, after, named)
        if narrative.sections or performance.paragraphs:
            return narrative, performance
    return Narrative(), Performance()


def _last_part_three(lines: list[SourceLine]) -> int:
    """The index of a file's last 第三部分 heading (0: none): the first may be its 目录's line."""
    heads = [i for i, ln in enumerate(lines) if (m := PART.match(ln.text)) and m.group(1) == "三"]
    return heads[-1] if heads else 0


def _identity(part: Part, pattern: re.Pattern) -> tuple[str | None, int | None]:
    """The department and year a file names: a table booklet's by its tables' 编制单位 and 年度
    (its first lines are a table's title, no cover), a narrative's by its cover."""
    department, year = cover(part.doc, pattern)
    found = _found(part)
    named = Counter(t.department for t in found if t.department).most_common(1)
    years = Counter(t.year for t in found if t.year).most_common(1)
    if found:
        return (named[0][0] if named else department), (years[0][0] if years else year)
    return department, year


def _core(name: str) -> str:
    """What names the department itself: without spaces, a part's heading a cover line may start
    with (第三部分 2021 年度部门决算…), 原 (a department merged since) and the places before it."""
    return PLACE.sub("", re.sub(r"^原", "", PART.sub("", re.sub(r"\s+", "", name))))


def _same_department(parts: list[Part], pattern: re.Pattern) -> None:
    """Refuse files of different departments or years (each as far as its cover and tables name
    them): one line naming both files and what each names."""
    first, *rest = parts
    d0, y0 = _identity(first, pattern)
    for part in rest:
        d1, y1 = _identity(part, pattern)
        other_year = y0 and y1 and y0 != y1
        other_department = d0 and d1 and _core(d0) not in _core(d1) and _core(d1) not in _core(d0)
        if other_year or other_department:
            a, b = _names(first.file.path, part.file.path)
            raise InputError(f"{first.file.path}、{part.file.path}",
                             f"两个文件不是同一部门同一年度的文档：{a} 为 {d0 or '（未印部门）'} {y0 or '（未印年度）'} 年，"
                             f"{b} 为 {d1 or '（未印部门）'} {y1 or '（未印年度）'} 年"
                             f"（the files are of different departments or years）")
