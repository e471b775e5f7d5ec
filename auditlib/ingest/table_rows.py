"""The rows of one table region read by content, not by fixed offsets: a code is a run of
digits before the name, values are the cells after the name, a label is matched to the
table's row labels; one parser per table layout (hierarchy, split halves, labelled rows)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from auditlib.ingest.lines import SourceLine
from auditlib.numbers import NotANumber, is_blank, is_number, parse_number
from auditlib.schema import FUNCTION_CODE_BY_NAME, LEVELS, SPECS, RowLabel, TableSpec, label_key

CODE = re.compile(r"\d{3}(?:\d{2}){0,2}")
CODE_AND_NAME = re.compile(r"(\d{3}(?:\d{2}){0,2})\s*(\D.*)")
TOTAL = re.compile(r"(栏次)?(合计|总计)$")


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
    # the index of the row's first cell in its source line: a side-by-side table's right half
    # starts where the halves split, so that a label printed on both sides (总计, 合计) names
    # the cells of its own half
    start: int = 0


def is_seq_row(cells: tuple[str, ...]) -> bool:
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


def where(line: SourceLine) -> str:
    return f"line {line.line}" if line.line is not None else f"page {line.page}"


def _short_part(cells: tuple[str, ...], i: int, parts: list[str]) -> bool:
    """A 款 cell printed without its leading 0 ("301 | 2 | 津贴补贴" is 30102): one digit right
    after a 类 cell and before the name (never a figure, which a name would follow)."""
    return (len(parts) == 1 and len(parts[0]) == 3 and re.fullmatch(r"\d", cells[i]) is not None
            and i + 1 < len(cells) and bool(cells[i + 1]) and not is_number(cells[i + 1]))


def _split_code(cells: tuple[str, ...]) -> tuple[str, int]:
    """The function/economic code at the start of a row (joined when 类/款/项 sit
    in separate cells) and the index of the first cell after it."""
    parts: list[str] = []
    i = 0
    while i < len(cells) and (cells[i] == "" or re.fullmatch(r"\d{2,7}", cells[i]) or _short_part(cells, i, parts)):
        if cells[i]:
            parts.append(cells[i].zfill(2))
        i += 1
    code = "".join(parts)
    if parts and CODE.fullmatch(code) and (len(parts) == 1 or all(len(p) == 2 for p in parts[1:])):
        return code, i
    return "", 0


# a coded row that came out as one line of text ("30108 机关事业单位基本养老保险缴费 1,326.81": the
# first row on a page of a table continued without its header): code, name, then figures
# (amounts only: comma-grouped or with decimals, so that "1 10.00" — 110.00 broken by the text
# join — is no row of two figures but a line left unread)
ONE_LINE_ROW = re.compile(r"(\d{3}(?:\d{2}){0,2})\s*(\D(?:.*?[^\d\s])?)((?:\s+-?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+))+)")


def _one_line_row(text: str) -> tuple[str, ...]:
    """A one-line coded row split into its cells (code, name, figures…); the line as it is
    when it ends in no figure.  Used on budgets only so far: on a 决算 it would change the goldens
    (it reads 14 more amounts of the unruled Nanchang fixture's 公开02表) — the lead's call."""
    m = ONE_LINE_ROW.fullmatch(text.strip())
    return (m.group(1), m.group(2).strip(), *m.group(3).split()) if m else (text,)


def _misprinted_code(cells: tuple[str, ...], line: SourceLine, problems: list[str]) -> tuple[str, int, str]:
    """A 项 row whose 类 cell is misprinted short ("7 | 11 | 02 | 事业单位医疗", the 类 210 printed
    as 7): read with its code as printed, so that its figures are read and the rules see the
    项 outside every 类; ("", 0, "") for anything else."""
    if (len(cells) > 3 and re.fullmatch(r"\d{1,2}", cells[0]) and all(re.fullmatch(r"\d{2}", c) for c in cells[1:3])
            and cells[3] and not is_number(cells[3])):
        problems.append(f"{where(line)}: 功能分类科目编码 printed {' | '.join(cells[:3])}: the 类 cell is not a 类")
        return "".join(cells[:3]), 3, "项"
    return "", 0, ""


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
            cells = _one_line_row(cells[0]) if spec.code not in SPECS else cells  # budgets only, see _one_line_row
        code, i = _split_code(cells)
        if not code and cells and CODE_AND_NAME.fullmatch(cells[0]) and not is_number(cells[0]):
            m = CODE_AND_NAME.fullmatch(cells[0])
            cells = (m.group(1), m.group(2), *cells[1:])
            code, i = m.group(1), 1
        level = LEVELS.get(len(code), "")
        if not code:
            code, i, level = _misprinted_code(cells, line, problems)
        while i < len(cells) and cells[i] == "":
            i += 1
        name_at = i if i < len(cells) and not is_number(cells[i]) and cells[i] not in ("-", "—") else None
        name = cells[name_at] if name_at is not None else ""
        if is_seq_row(cells):
            continue
        if code:
            starts.append((name_at if name_at is not None else i - 1) + 1)
            vals = _values(list(cells[starts[-1]:]), columns, problems, where(line))
            rows.append(Row(code, vals, line, code=code, name=name, level=level))
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
        # figures start where they start on the coded rows — unless the label's cell spans
        # the code and name columns (a merged 合计 cell): then one figure per column follows it
        row = rows[position]
        merged = len(row.source.cells) - after_name == len(columns)
        begin = max(after_name, start) if starts and not merged else after_name
        row.values = _values(list(row.source.cells[begin:]), columns, problems, where(row.source))
    if unnamed:
        for line, position in reversed(unnamed):
            if position == 0 and not any(r.key == "total" for r in rows):
                vals = _values(list(line.cells[start:]), columns, problems, where(line))
                rows.insert(0, Row("total", vals, line, name="合计", label="合计"))
            else:
                problems.append(f"{where(line)}: a row of figures with no code or name; left out")
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
    """One half of a side-by-side row: [code] label [行次] values…  T06's economic code
    may stand in one cell or as 类 | 款 cells ("301" | "01": `_split_code`), never
    taken for a figure."""
    code, i = _split_code(tuple(cells)) if spec.code == "T06" else ("", 0)
    if len(code) not in (0, 3, 5):
        code, i = "", 0
    while i < len(cells) and cells[i] == "":
        i += 1
    if i >= len(cells):
        return None
    if is_number(cells[i]) and not code:
        return _unlabelled(cells, spec, side, columns, line, problems)
    name = cells[i] if not is_number(cells[i]) else ""
    rest = list(cells[i + 1 :] if name else cells[i:])
    if has_row_no and rest and (rest[0] == "" or re.fullmatch(r"\d{1,3}", rest[0])):
        rest.pop(0)  # the 行次 cell
    if code:
        vals = _values(rest, columns, problems, where(line))
        return Row(code, vals, line, code=code, name=name, level=LEVELS.get(len(code), ""), side=side, label=name)
    fcode = next((FUNCTION_CODE_BY_NAME[k] for k in label_keys(name) if k in FUNCTION_CODE_BY_NAME), None) \
        if spec.function_rows and side == "expense" else None
    key = fcode or _match_label(name, labels, used)
    if key is None:
        if not any(is_number(c) for c in rest):
            return None  # a header cell, or an unlabelled blank line
        problems.append(f"{where(line)}: row label {name!r} not recognised; kept as is")
        key = f"{side}:{label_key(name)}"
    vals = _values(rest, columns, problems, where(line))
    level = "类" if fcode else ""
    return Row(key, vals, line, code=fcode or "", name=name, level=level, side=side, label=name)


def _unlabelled(cells: list[str], spec: TableSpec, side: str, columns: tuple[str, ...], line: SourceLine,
                problems: list[str]) -> Row | None:
    """A half's row of figures with a blank label cell (a budget's unrounded total printed over
    its 财政拨款收支预算总表): read, so that no printed amount goes unread, under its side's
    `unlabelled` key; None for a 决算 table, whose halves print none."""
    if spec.code in SPECS or cells[0] != "":
        return None
    problems.append(f"{where(line)}: a row of figures with no label in the {side} half")
    return Row(f"{side}:unlabelled", _values(cells[1:], columns, problems, where(line)), line, side=side)


def parse_split(spec: TableSpec, body: list[SourceLine], header_text: str, problems: list[str]) -> list[Row]:
    """Tables printed as two halves side by side (T01, T04, T06)."""
    headers = [l for l in body if l.is_row]
    split = _split_index(spec, headers)
    has_row_no = "行次" in header_text
    (lside, lcols, llabels), (rside, rcols, rlabels) = spec.halves
    for keyword, variant in spec.variants:  # a split table's variants are its right half's
        if keyword in header_text:
            rcols = variant
    if split is None:
        width = (1 if spec.code == "T06" else 0) + 1 + (1 if has_row_no else 0) + len(lcols)
        split = width
        problems.append(f"no header row splits the two halves; assumed the first {width} cells are {lside}")
    rows: list[Row] = []
    used: set[str] = set()
    for line in body:
        if not line.is_row or is_seq_row(line.cells) or not any(
            is_number(c) or re.fullmatch(r"\d{3}(\d{2})?", c) or label_key(c) for c in line.cells
        ):
            continue
        cells = list(line.cells)
        halves = ((0, split, lside, lcols, llabels), (split, len(cells), rside, rcols, rlabels))
        for start, end, side, cols, labels in halves:
            row = _parse_half(cells[start:end], spec, side, cols, labels, has_row_no, used, line, problems)
            if row is None:
                continue
            row.start = start
            row.key = fresh_key(row.key, where(line), used)
            used.add(row.key)
            rows.append(row)
    return rows


def fresh_key(key: str, place: str, used: set[str]) -> str:
    """`key` when it is not taken yet; else `key@place` (where the repeat was printed), and
    `key@place#2`, `#3` … when that is taken too: every row of a table keeps a key of its own
    (a misread page can repeat one code on one page many times)."""
    if key not in used:
        return key
    new, n = f"{key}@{place}", 1
    while new in used:
        n += 1
        new = f"{key}@{place}#{n}"
    return new


def parse_labelled(spec: TableSpec, body: list[SourceLine], header_text: str, problems: list[str]) -> list[Row]:
    """Tables of labelled rows (T07, T10); those with a `wide_order` also in the one-row wide
    layout."""
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
            width = len(spec.columns)
            # a labelled table's variants are other one-row layouts (keyword in the header: its order)
            wide = next((order for keyword, order in spec.variants if keyword in header_text), spec.wide_order)
            if wide and len(figures) >= width * len(wide) - 1 and any(is_number(c) for c in figures):
                for n, key in enumerate(wide):
                    vals = _values(figures[width * n : width * (n + 1)], spec.columns, problems, where(line))
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
        vals = _values(rest, spec.columns, problems, where(line))
        used.add(key)
        rows.append(Row(key, vals, line, name=cells[label_at], label=cells[label_at]))
    return rows


PARSERS = {"hierarchy": parse_hierarchy, "split": parse_split, "labelled": parse_labelled}
