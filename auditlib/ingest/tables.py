"""Assemble the ten standard tables from the rows of a `SourceDocument`.

Tables are found by title (and 公开NN表 label), never by position.  Rows are
read by content rather than fixed offsets — a code is a run of digits before the
name, values are the cells after the name — so the text form, tabula's cells and
the regional layouts (行次 columns or not, split 类/款/项 cells, blank for zero)
all go through the same code.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from auditlib.ingest.lines import SourceLine
from auditlib.model import ROW_META, Table
from auditlib.numbers import NotANumber, decimals, is_blank, is_number, parse_number
from auditlib.schema import (
    FUNCTION_CODE_BY_NAME,
    LEVELS,
    SPECS,
    T07_WIDE_ORDER,
    TITLE_INDEX,
    RowLabel,
    TableSpec,
    label_key,
    title_key,
)

LABEL = re.compile(r"公开\s*0?(\d{1,2})\s*表")
DEPARTMENT = re.compile(r"编制(?:单位|部门)\s*[:：]\s*(.+?)(?=\s*\d{4}\s*年|\s*(?:金额)?单位\s*[:：]|\s*公开|\s{2,}|$)")
YEAR = re.compile(r"(\d{4})\s*年度")
UNIT = re.compile(r"(?<!编制)单位\s*[:：]\s*(万元|千元|亿元|元|[^\s\d:：]{1,8})")
NOTE = re.compile(r"^(注\s*[:：\d]|说明\s*[:：]|无.*的，仍保留该表)")
PART = re.compile(r"^第\s*([一二三四五六])\s*部分")
CODE = re.compile(r"\d{3}(?:\d{2}){0,2}")
CODE_AND_NAME = re.compile(r"(\d{3}(?:\d{2}){0,2})\s*(\D.*)")
TOTAL = re.compile(r"(栏次)?(合计|总计)$")
# a printed amount: two-decimal money as every money table prints it (counts, codes,
# years and 行次 have no decimals, so they never count as figures)
FIGURE = re.compile(r"(?<![\d.])-?(?:\d{1,3}(?:,\d{3})+|\d+)\.\d{1,2}(?![\d.])")


@dataclass
class Anchor:
    """Where a table starts: the line index of its title (or label)."""

    index: int
    code: str
    title: str
    duplicate: bool = False


@dataclass
class Row:
    key: str
    values: dict[str, float | None]
    source: SourceLine
    code: str = ""
    name: str = ""
    level: str = ""
    side: str = ""
    label: str = ""


@dataclass
class Region:
    """The lines of one table between its title and the next table or part."""

    anchor: Anchor
    lines: list[SourceLine]
    at_end: bool = False  # the document ends inside this region
    problems: list[str] = field(default_factory=list)


def title_of(line: SourceLine) -> tuple[str, str] | None:
    """The table code and printed title if this line is a table title."""
    for cell in (*line.cells, line.text):
        key = title_key(LABEL.sub("", cell).strip("()（） "))
        if key in TITLE_INDEX:
            return TITLE_INDEX[key], cell.strip()
    return None


def find_anchors(lines: list[SourceLine]) -> list[Anchor]:
    """Every table title (or a bare 公开NN表 label with no title near it)."""
    anchors: list[Anchor] = []
    seen: set[str] = set()
    for i, line in enumerate(lines):
        found = title_of(line)
        if found is None and len(line.text) <= 20:
            m = LABEL.search(line.text)
            recent = anchors and i - anchors[-1].index <= 8
            if m and not recent and 1 <= int(m.group(1)) <= 10:
                found = (f"T{int(m.group(1)):02d}", "")
        if found is None:
            continue
        code, title = found
        anchors.append(Anchor(i, code, title, duplicate=code in seen))
        seen.add(code)
    return anchors


def regions(lines: list[SourceLine], anchors: list[Anchor]) -> list[Region]:
    """Cut the line stream into one region per anchor."""
    out = []
    for n, anchor in enumerate(anchors):
        end = anchors[n + 1].index if n + 1 < len(anchors) else len(lines)
        body = []
        at_end = end == len(lines)
        for line in lines[anchor.index + 1 : end]:
            if PART.match(line.text):
                at_end = False
                break
            body.append(line)
        out.append(Region(anchor, body, at_end=at_end))
    return out


def _squashed(line: SourceLine) -> str:
    return re.sub(r"\s+", "", line.text)


def _head(region: Region) -> list[SourceLine]:
    """The lines above a region's first row of figures: title, 编制单位, header rows."""
    at = next((i for i, line in enumerate(region.lines) if _has_figures(line)), len(region.lines))
    return region.lines[:at]


def _continues(prev: Region, region: Region) -> bool:
    """A second title of the same table right after the first is the table carried
    over to the next page with its title repeated (print titles in Excel, repeated
    header rows in Word) unless its rows repeat rows already printed: that is the
    table printed twice."""
    if not region.anchor.duplicate or prev.anchor.code != region.anchor.code:
        return False
    seen = {_squashed(line) for line in prev.lines if _has_figures(line)}
    rows = [line for line in region.lines if _has_figures(line)]
    return not rows or _squashed(rows[0]) not in seen


def continued(found: list[Region]) -> list[Region]:
    """Join each continuation to the region it continues, dropping the lines it
    repeats from the table's head (title, 编制单位/单位 line, header rows)."""
    out: list[Region] = []
    for region in found:
        if out and _continues(out[-1], region):
            prev = out[-1]
            repeated = {_squashed(line) for line in _head(prev)}
            head = _head(region)
            kept = [line for line in head if _squashed(line) not in repeated and not LABEL.fullmatch(_squashed(line))]
            out[-1] = Region(prev.anchor, prev.lines + kept + region.lines[len(head):], at_end=region.at_end,
                             problems=prev.problems + region.problems)
            continue
        out.append(region)
    return out


def _first(pattern: re.Pattern, texts: list[str]) -> str | None:
    for t in texts:
        m = pattern.search(t)
        if m:
            return m.group(1).strip()
    return None


# a line of the table's head that is not the rest of a wrapped 编制单位
HEAD_FIELD = re.compile(r"\d|单位|年度|公开|项目|科目|行次|栏次|表$")


def _department(lines: list[SourceLine]) -> str | None:
    """The 编制单位, with the spaces a PDF puts inside names removed.  A name that
    wrapped inside its (merged, unruled) cell continues at the start of the next
    line, before the next field of the head (年度, 单位 …) printed beside it."""
    for n, line in enumerate(lines):
        m = DEPARTMENT.search(line.text)
        if not m:
            continue
        name = re.sub(r"\s+", "", m.group(1))
        if m.end() == len(line.text) and n + 1 < len(lines) and not lines[n + 1].is_row:
            rest = re.sub(r"\s+", "", lines[n + 1].text)
            field = HEAD_FIELD.search(rest)
            name += rest[: field.start() if field else len(rest)][:20]
        return name
    return None


def _is_seq_row(cells: tuple[str, ...]) -> bool:
    """A 栏次 row: its figures are the column numbers 1, 2, 3 …"""
    nums = [c for c in cells if is_number(c)]
    return bool(nums) and all(re.fullmatch(r"\d+", c) for c in nums) and [int(c) for c in nums] == list(
        range(int(nums[0]), int(nums[0]) + len(nums))
    ) and int(nums[0]) <= 1


def _values(cells: list[str], columns: tuple[str, ...], problems: list[str], where: str) -> dict[str, float | None]:
    """Map the cells after a row's name to the value columns, by position."""
    cells = list(cells)
    while len(cells) > len(columns) and cells and cells[-1] == "":
        cells.pop()
    while len(cells) > len(columns) and cells and cells[0] == "":
        cells.pop(0)
    if len(cells) > len(columns):
        problems.append(f"{where}: {len(cells)} value cells for {len(columns)} columns; extra cells ignored")
    cells += [""] * (len(columns) - len(cells))
    out: dict[str, float | None] = {}
    for col, cell in zip(columns, cells):
        try:
            out[col] = parse_number(cell)
        except NotANumber:
            problems.append(f"{where}: {cell!r} in column {col} is not a figure")
            out[col] = None
    return out


def _where(line: SourceLine) -> str:
    return f"line {line.line}" if line.line is not None else f"page {line.page}"


def _split_code(cells: tuple[str, ...]) -> tuple[str, int]:
    """The function/economic code at the start of a row (joined when 类/款/项 sit
    in separate cells) and the index of the first cell after it."""
    parts: list[str] = []
    i = 0
    while i < len(cells) and (cells[i] == "" or re.fullmatch(r"\d{2,7}", cells[i])):
        if cells[i]:
            parts.append(cells[i])
        i += 1
    code = "".join(parts)
    if parts and CODE.fullmatch(code) and (len(parts) == 1 or all(len(p) == 2 for p in parts[1:])):
        return code, i
    return "", 0


# an enumerator whose 、 was lost (OCR reads "二、政府性…" as "二政府性…")
BARE_NUMERAL = re.compile(r"^([一二三四五六七八九十]+)(?=[^\d、.．])")


def label_keys(text: str) -> list[str]:
    """The label's key, and the key it has with a damaged enumerator repaired: a lost
    、 restored ("二政府性…"), or a lost numeral dropped ("、一般公共…": OCR often
    misses a leading 一, a single thin stroke)."""
    text = text.strip()
    keys = [label_key(text)]
    if BARE_NUMERAL.match(text):
        keys.append(label_key(BARE_NUMERAL.sub(r"\1、", text, count=1)))
    if text.startswith("、"):
        keys.append(label_key(text[1:]))
    return keys


def _match_label(text: str, labels: tuple[RowLabel, ...], used: set[str]) -> str | None:
    for key in label_keys(text):
        for rl in labels:
            if rl.key in used or (rl.after and rl.after not in used):
                continue
            if re.fullmatch(rl.pattern, key):
                return rl.key
    return None


def parse_hierarchy(spec: TableSpec, body: list[SourceLine], header_text: str, problems: list[str]) -> list[Row]:
    """Tables keyed by function code (T02, T03, T05, T08, T09)."""
    columns = spec.columns
    for keyword, variant in spec.variants:
        if keyword in header_text:
            columns = variant
    rows: list[Row] = []
    starts: list[int] = []
    totals: list[tuple[int, int]] = []
    unnamed: list[tuple[SourceLine, int]] = []
    for line in body:
        cells = line.cells
        if len(cells) == 1:
            m = CODE_AND_NAME.fullmatch(cells[0])
            if not m:
                continue
        code, i = _split_code(cells)
        if not code and cells and CODE_AND_NAME.fullmatch(cells[0]) and not is_number(cells[0]):
            m = CODE_AND_NAME.fullmatch(cells[0])
            cells = (m.group(1), m.group(2), *cells[1:])
            code, i = m.group(1), 1
        while i < len(cells) and cells[i] == "":
            i += 1
        name_at = i if i < len(cells) and not is_number(cells[i]) and cells[i] not in ("-", "—") else None
        name = cells[name_at] if name_at is not None else ""
        if _is_seq_row(cells):
            continue
        if code:
            starts.append((name_at if name_at is not None else i - 1) + 1)
            vals = _values(list(cells[starts[-1]:]), columns, problems, _where(line))
            rows.append(Row(code, vals, line, code=code, name=name, level=LEVELS[len(code)]))
        elif name and TOTAL.search(label_key(name)):
            if any(c and not is_number(c) and not is_blank(c) for c in cells[name_at + 1 :]):
                continue  # a header row that also carries the 合计 label
            totals.append((len(rows), name_at + 1))
            rows.append(Row("total", {}, line, name=name, label=name))
        elif name_at is None and any(is_number(c) for c in cells):
            unnamed.append((line, len(rows)))
        # anything else is a header row
    start = Counter(starts).most_common(1)[0][0] if starts else 0
    for position, after_name in totals:
        # the 合计 label may sit in the code column with the name column blank: the
        # figures start where they start on the coded rows
        row = rows[position]
        begin = max(after_name, start) if starts else after_name
        row.values = _values(list(row.source.cells[begin:]), columns, problems, _where(row.source))
    if unnamed:
        for line, position in reversed(unnamed):
            if position == 0 and not any(r.key == "total" for r in rows):
                vals = _values(list(line.cells[start:]), columns, problems, _where(line))
                rows.insert(0, Row("total", vals, line, name="合计", label="合计"))
            else:
                problems.append(f"{_where(line)}: a row of figures with no code or name; left out")
    return rows


def _split_index(spec: TableSpec, headers: list[SourceLine]) -> int | None:
    for line in headers:
        hits = [i for i, c in enumerate(line.cells) if re.sub(r"\s+", "", c).startswith(spec.split_marker)]
        if len(hits) >= 2:
            return hits[1]
    return None


def _parse_half(
    cells: list[str], spec: TableSpec, side: str, columns: tuple[str, ...], labels: tuple[RowLabel, ...],
    has_row_no: bool, used: set[str], line: SourceLine, problems: list[str],
) -> Row | None:
    """One half of a side-by-side row: [code] label [行次] values…"""
    code = ""
    i = 0
    while i < len(cells) and cells[i] == "":
        i += 1
    if i < len(cells) and re.fullmatch(r"\d{3}(\d{2})?", cells[i]) and spec.code == "T06":
        code = cells[i]
        i += 1
        while i < len(cells) and cells[i] == "":
            i += 1
    if i >= len(cells) or (is_number(cells[i]) and not code):
        return None
    name = cells[i] if not is_number(cells[i]) else ""
    rest = list(cells[i + 1 :] if name else cells[i:])
    if has_row_no and rest and (rest[0] == "" or re.fullmatch(r"\d{1,3}", rest[0])):
        rest.pop(0)  # the 行次 cell
    if code:
        vals = _values(rest, columns, problems, _where(line))
        return Row(code, vals, line, code=code, name=name, level=LEVELS.get(len(code), ""), side=side, label=name)
    fcode = next((FUNCTION_CODE_BY_NAME[k] for k in label_keys(name) if k in FUNCTION_CODE_BY_NAME), None) \
        if spec.function_rows and side == "expense" else None
    key = fcode or _match_label(name, labels, used)
    if key is None:
        if not any(is_number(c) for c in rest):
            return None  # a header cell, or an unlabelled blank line
        problems.append(f"{_where(line)}: row label {name!r} not recognised; kept as is")
        key = f"{side}:{label_key(name)}"
    vals = _values(rest, columns, problems, _where(line))
    level = "类" if fcode else ""
    return Row(key, vals, line, code=fcode or "", name=name, level=level, side=side, label=name)


def parse_split(spec: TableSpec, body: list[SourceLine], header_text: str, problems: list[str]) -> list[Row]:
    """Tables printed as two halves side by side (T01, T04, T06)."""
    headers = [l for l in body if l.is_row]
    split = _split_index(spec, headers)
    has_row_no = "行次" in header_text
    (lside, lcols, llabels), (rside, rcols, rlabels) = spec.halves
    if split is None:
        width = (1 if spec.code == "T06" else 0) + 1 + (1 if has_row_no else 0) + len(lcols)
        split = width
        problems.append(f"no header row splits the two halves; assumed the first {width} cells are {lside}")
    rows: list[Row] = []
    used: set[str] = set()
    for line in body:
        if not line.is_row or _is_seq_row(line.cells) or not any(
            is_number(c) or re.fullmatch(r"\d{3}(\d{2})?", c) or label_key(c) for c in line.cells
        ):
            continue
        cells = list(line.cells)
        halves = ((cells[:split], lside, lcols, llabels), (cells[split:], rside, rcols, rlabels))
        for part, side, cols, labels in halves:
            row = _parse_half(part, spec, side, cols, labels, has_row_no, used, line, problems)
            if row is None:
                continue
            if row.key in used:
                row.key = f"{row.key}@{_where(line)}"
            used.add(row.key)
            rows.append(row)
    return rows


def parse_labelled(spec: TableSpec, body: list[SourceLine], header_text: str, problems: list[str]) -> list[Row]:
    """Tables of labelled rows (T07, T10); T07 also in the one-row wide layout."""
    has_row_no = "行次" in header_text or "栏次" in header_text
    rows: list[Row] = []
    used: set[str] = set()
    row_no = 0  # the last 行次 read
    for line in body:
        cells = [c for c in line.cells]
        if not line.is_row:
            continue
        label_at = next((i for i, c in enumerate(cells) if c and not is_number(c) and c not in ("-", "—")), None)
        if label_at is None:
            figures = [c for c in cells]
            while figures and figures[0] == "":
                figures.pop(0)
            if spec.code == "T07" and len(figures) >= 2 * len(T07_WIDE_ORDER) - 1 and any(is_number(c) for c in figures):
                for n, key in enumerate(T07_WIDE_ORDER):
                    vals = _values(figures[2 * n : 2 * n + 2], spec.columns, problems, _where(line))
                    rows.append(Row(key, vals, line, name=key, label=key))
            continue
        key = _match_label(cells[label_at], spec.rows, used)
        if key is None:
            continue
        rest = cells[label_at + 1 :]
        # the 行次 cell: there whenever the row has more cells than columns, and also
        # when it is the next row number (a blank 决算数 leaves the row short)
        is_row_no = bool(rest) and re.fullmatch(r"\d{1,3}", rest[0]) is not None
        if has_row_no and (len(rest) > len(spec.columns) or (is_row_no and int(rest[0]) == row_no + 1)):
            row_no = int(rest[0]) if is_row_no else row_no + 1
            rest = rest[1:]
        vals = _values(rest, spec.columns, problems, _where(line))
        used.add(key)
        rows.append(Row(key, vals, line, name=cells[label_at], label=cells[label_at]))
    return rows


PARSERS = {"hierarchy": parse_hierarchy, "split": parse_split, "labelled": parse_labelled}
REQUIRED = {
    "T01": ("income_total", "expense_total"),
    "T04": ("income_total", "expense_total"),
    "T06": ("personnel_total", "public_total"),
    "T07": ("total",),
    "T10": ("vehicles_total",),
}


def to_frame(spec: TableSpec, rows: list[Row]) -> pd.DataFrame:
    """Rows to the table's DataFrame: index = row key, value columns + ROW_META."""
    columns = list(dict.fromkeys(c for r in rows for c in r.values)) or list(spec.columns)
    records = []
    for r in rows:
        rec = {c: (np.nan if r.values.get(c) is None else r.values[c]) for c in columns}
        rec.update(code=r.code, name=r.name, level=r.level, side=r.side, label=r.label,
                   line=r.source.line, page=r.source.page)
        records.append(rec)
    frame = pd.DataFrame(records, index=pd.Index([r.key for r in rows], dtype=object),
                         columns=[*columns, *ROW_META])
    frame[columns] = frame[columns].astype(float)
    frame.index.name = "key"
    return frame


def build_table(region: Region) -> Table:
    """Read one region into a Table with its metadata and status."""
    spec = SPECS[region.anchor.code]
    body = region.lines
    notes_at = next((i for i, l in enumerate(body) if NOTE.match(l.cells[0] if l.cells else "")), len(body))
    table_lines, note_lines = body[:notes_at], body[notes_at:]
    texts = [l.text for l in table_lines if not _has_figures(l)]
    header_text = " ".join(re.sub(r"\s+", "", t) for t in texts)
    problems: list[str] = list(region.problems)
    rows = _unique_keys(PARSERS[spec.kind](spec, table_lines, header_text, problems), problems)
    label = _first(LABEL, [l.text for l in table_lines[:8]])
    year = _first(YEAR, texts)
    table = Table(
        code=spec.code,
        title=region.anchor.title or None,
        label=f"公开{int(label):02d}表" if label else None,
        department=_department([l for l in table_lines if not _has_figures(l)]),
        year=int(year) if year else None,
        unit=_first(UNIT, texts),
        line=None,
        page=None,
        data=to_frame(spec, rows),
        boxes=cell_boxes(rows),
        confidence=cell_confidence(rows),
        decimals=cell_decimals(rows),
        notes=[l.text for l in note_lines if len(l.text) < 400],
        problems=problems,
    )
    if label and f"T{int(label):02d}" != spec.code:
        problems.append(f"title is {spec.title} ({spec.code}) but the label says 公开{int(label):02d}表")
    figures = sum(len(FIGURE.findall(c)) for line in table_lines for c in line.cells)
    table.coverage = {"rows": len(table.data), "figures": figures, "amounts": len(table.amounts())}
    table.status = _status(spec, table)
    if region.at_end and not note_lines and table.status == "parsed":
        table.status = "partial"
        problems.append("the document ends inside this table (cut off)")
    return table


def _printed_cells(rows: list[Row]):
    """(row key, column key, source line, cell index) of every read cell: a row's
    values were taken from the cells after its label, left to right, so the k-th
    figure cell there holds the k-th value read; the label cell is the row's `name`."""
    for row in rows:
        src = row.source
        name_at = next((i for i, c in enumerate(src.cells) if row.name and c == row.name), None)
        k = name_at + 1 if name_at is not None else 0  # a right half's figures follow its own label
        for column, value in row.values.items():
            if value is None:
                continue
            while k < len(src.cells) and not (is_number(src.cells[k]) and parse_number(src.cells[k]) == value):
                k += 1
            if k < len(src.cells):
                yield row.key, column, src, k
            k += 1
        if name_at is not None:
            yield row.key, "name", src, name_at


def cell_boxes(rows: list[Row]) -> dict[tuple[str, str], tuple[int, float, float, float, float]]:
    """Where each read cell was printed (PDF): (page, x0, top, x1, bottom)."""
    return {(key, column): (src.page, *src.boxes[k]) for key, column, src, k in _printed_cells(rows)
            if src.boxes and src.page is not None and src.boxes[k]}


def cell_confidence(rows: list[Row]) -> dict[tuple[str, str], float]:
    """The OCR confidence of each read cell of a scan (cells read from a text layer
    are certain and not listed)."""
    return {(key, column): src.scores[k] for key, column, src, k in _printed_cells(rows)
            if src.scores and src.scores[k] < 1.0}


def cell_decimals(rows: list[Row]) -> dict[tuple[str, str], int]:
    """How many decimals each read figure is printed with: its rounding allowance is half a
    unit of its last digit."""
    return {(key, column): decimals(src.cells[k]) for key, column, src, k in _printed_cells(rows) if column != "name"}


def _unique_keys(rows: list[Row], problems: list[str]) -> list[Row]:
    """A row key printed twice (a repeated line) keeps the first; later ones get the
    line they came from appended, so every cell stays addressable."""
    seen: set[str] = set()
    for row in rows:
        if row.key in seen:
            new = f"{row.key}@{_where(row.source)}"
            problems.append(f"{_where(row.source)}: row {row.key} printed twice; the second is kept as {new}")
            row.key = new
        seen.add(row.key)
    return rows


def _has_figures(line: SourceLine) -> bool:
    return line.is_row and any(is_number(c) for c in line.cells) and not _is_seq_row(line.cells)


def _status(spec: TableSpec, table: Table) -> str:
    """`unread` when fewer amounts were read than are printed (a reading that failed
    must never pass for an empty or a checked table), `empty` only when nothing is
    printed."""
    seen, read = table.coverage["figures"], table.coverage["amounts"]
    if seen and read < seen:
        table.problems.append(f"{seen} figures printed, {read} read")
        return "unread"
    if not table.amounts():
        return "empty"
    required = REQUIRED.get(spec.code, ("total",))
    missing = [k for k in required if not table.has(k)]
    if missing:
        table.problems.append(f"cut off or incomplete: no row {', '.join(missing)}")
        return "partial"
    return "parsed"


def build_tables(lines: list[SourceLine]) -> tuple[dict[str, Table], list[str], int | None]:
    """All ten tables (absent ones with status missing), reading problems, and the
    index of the last line that belongs to a table."""
    anchors = find_anchors(lines)
    problems: list[str] = []
    tables: dict[str, Table] = {code: Table(code=code) for code in SPECS}
    for region in continued(regions(lines, anchors)):
        first = lines[region.anchor.index]
        if region.anchor.duplicate:
            problems.append(f"{region.anchor.code} {SPECS[region.anchor.code].title} is printed twice "
                            f"({_where(first)}); the first one is used")
            continue
        table = build_table(region)
        table.line, table.page = first.line, first.page
        if not len(table.data) and not table.coverage["figures"] and not any(l.is_row for l in region.lines):
            table.status = "missing"
            table.problems.append("title found but no table follows it")
        tables[table.code] = table
    last = None
    if anchors:
        tail = regions(lines, anchors[-1:])[0]
        last = anchors[-1].index + len(tail.lines)
    return tables, problems, last
