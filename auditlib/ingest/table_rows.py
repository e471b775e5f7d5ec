"""The rows of one table region read by content, not by fixed offsets: a code is a run of
digits before the name, values are the cells after the name, a label is matched to the
table's row labels; one parser per table layout (hierarchy, split halves, labelled rows)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from auditlib.ingest.lines import SourceLine
from auditlib.model import ReadingNote
from auditlib.numbers import NotANumber, is_blank, is_number, parse_number
from auditlib.schema import (FUNCTION_CODE_BY_NAME, LEVELS, SIDE_NAMES, SPECS, RowLabel, TableSpec, label_key,
                             spec_row_name)

CODE = re.compile(r"\d{3}(?:\d{2}){0,2}")
CODE_AND_NAME = re.compile(r"(\d{3}(?:\d{2}){0,2})\s*(\D.*)")
TOTAL = re.compile(r"(栏次)?(合计|总计)$")
# where a second numbered label begins inside one cell: two rows stacked in one band with no
# rule between them ("十五、商业服务业等支出十六、金融支出")
SECOND_ITEM = re.compile(r"(?<=[^\s一二三四五六七八九十\d(（])(?=[一二三四五六七八九十]+、|[(（][一二三四五六七八九十\d]+[)）]|\d{1,2}[.．、](?!\d))")


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
    """A 栏次 row: its figures are the column numbers 1, 2, 3 … — but a lone 0 beside a row's label
    is an amount printed without decimals ("合 计 | | 0"; in 元: "3.国有资本经营预算 | 0"), while a
    lone 0 on a line of its own (plain pdftotext's 栏次) or beside 栏次 / 行次 is the numbering."""
    nums = [c for c in cells if is_number(c)]
    if nums == ["0"] and any(label_key(c) and not re.search("[栏行]次", c) for c in cells if not is_number(c)):
        return False
    return bool(nums) and all(re.fullmatch(r"\d+", c) for c in nums) and [int(c) for c in nums] == list(
        range(int(nums[0]), int(nums[0]) + len(nums))
    ) and int(nums[0]) <= 1


@dataclass
class Notes:
    """The reading notes of one table (`ReadingNote`): each at the line it concerns, in
    Chinese, naming the row and column as printed."""

    spec: TableSpec
    found: list[ReadingNote] = field(default_factory=list)

    def add(self, line: SourceLine | None, note: str) -> None:
        self.found.append(ReadingNote(self.spec.code, line.page if line else None, line.line if line else None, note))


def row_values(cells: list[str], columns: tuple[str, ...], notes: Notes, line: SourceLine,
            name: str) -> dict[str, float | None]:
    """Map the cells after a row's name (`name`, for the notes) to the value columns, by position."""
    cells = list(cells)
    while len(cells) > len(columns) and cells and cells[-1] == "":
        cells.pop()
    while len(cells) > len(columns) and cells and cells[0] == "":
        cells.pop(0)
    if len(cells) > len(columns):
        notes.add(line, f"“{name}”一行印有 {len(cells)} 个数值单元格，本表此处只有 {len(columns)} 栏，多出的未读取")
    cells += [""] * (len(columns) - len(cells))
    out: dict[str, float | None] = {}
    for col, cell in zip(columns, cells):
        try:
            out[col] = parse_number(cell)
        except NotANumber:
            notes.add(line, f"“{name}”一行“{notes.spec.column_names.get(col, col)}”栏印的“{cell}”不是数字，按空白读取")
            out[col] = None
    return out


def where(line: SourceLine) -> str:
    """Where a line was printed, as a repeated row's key carries it (`2080505@line 45`)."""
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


def _misprinted_code(cells: tuple[str, ...], line: SourceLine, notes: Notes) -> tuple[str, int, str]:
    """A 项 row whose 类 cell is misprinted short ("7 | 11 | 02 | 事业单位医疗", the 类 210 printed
    as 7): read with its code as printed, so that its figures are read and the rules see the
    项 outside every 类; ("", 0, "") for anything else."""
    if (len(cells) > 3 and re.fullmatch(r"\d{1,2}", cells[0]) and all(re.fullmatch(r"\d{2}", c) for c in cells[1:3])
            and cells[3] and not is_number(cells[3])):
        notes.add(line, f"功能分类科目编码印为“{' | '.join(cells[:3])}”，其类编码有误，按印出的编码读取")
        return "".join(cells[:3]), 3, "项"
    return "", 0, ""


BARE_NUMERAL = re.compile(r"^([一二三四五六七八九十]+)(?=[^\d、.．])")  # OCR lost its 、: "二政府性…"
DOUBLED = re.compile(r"([\u4e00-\u9fff])\1")  # a character read twice by OCR


def label_keys(text: str) -> list[str]:
    """The label's key, and the keys it has with OCR's damage repaired (each matches a row only
    if it is that row's label exactly): a lost 、 restored ("二政府性…"), a lost numeral dropped
    ("、一般公共…": a leading 一, a single thin stroke), characters read twice ("公公共安全支出")."""
    text = text.strip()
    keys = [label_key(text), label_key(DOUBLED.sub(r"\1", text))]
    if BARE_NUMERAL.match(text):
        keys.append(label_key(BARE_NUMERAL.sub(r"\1、", text, count=1)))
    if text.startswith("、"):
        keys.append(label_key(text[1:]))
    return keys


def match_label(text: str, labels: tuple[RowLabel, ...], used: set[str]) -> str | None:
    for key in label_keys(text):
        for rl in labels:
            if rl.key in used or (rl.after and rl.after not in used):
                continue
            if re.fullmatch(rl.pattern, key):
                return rl.key
    return None


def parse_hierarchy(spec: TableSpec, body: list[SourceLine], header_text: str, notes: Notes) -> list[Row]:
    """Tables keyed by function code (T02, T03, T05, T08, T09)."""
    columns = spec.columns
    for keyword, variant in spec.variants:
        if keyword in header_text:
            columns = variant
    rows: list[Row] = []
    starts: list[int] = []
    totals: list[tuple[int, int]] = []
    unnamed: list[tuple[SourceLine, int]] = []
    nameless: list[int] = []  # coded rows printed without a name
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
            code, i, level = _misprinted_code(cells, line, notes)
        while i < len(cells) and cells[i] == "":
            i += 1
        name_at = i if i < len(cells) and not is_number(cells[i]) and cells[i] not in ("-", "—") else None
        name = cells[name_at] if name_at is not None else ""
        if is_seq_row(cells):
            continue
        if code:
            starts.append((name_at if name_at is not None else i - 1) + 1)
            if name_at is None:
                nameless.append(len(rows))
            vals = row_values(list(cells[starts[-1]:]), columns, notes, line, f"{code} {name}".strip())
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
    _realign(rows, nameless, start, columns, notes)
    for position, after_name in totals:
        # the 合计 label may sit in the code column with the name column blank: the
        # figures start where they start on the coded rows — unless the label's cell spans
        # the code and name columns (a merged 合计 cell): then one figure per column follows it
        row = rows[position]
        merged = len(row.source.cells) - after_name == len(columns)
        begin = max(after_name, start) if starts and not merged else after_name
        row.values = row_values(list(row.source.cells[begin:]), columns, notes, row.source, row.name)
    if unnamed:
        for line, position in reversed(unnamed):
            if position == 0 and not any(r.key == "total" for r in rows):
                vals = row_values(list(line.cells[start:]), columns, notes, line, "合计")
                rows.insert(0, Row("total", vals, line, name="合计", label="合计"))
            else:
                notes.add(line, "一行数字既无科目编码也无名称，未读取")
    return rows


def _realign(rows: list[Row], nameless: list[int], start: int, columns: tuple[str, ...], notes: Notes) -> None:
    """A coded row printed without a name whose first figures are blank: the blank cells
    after its code were passed over in looking for its name, so its figures would start one
    column or more early (a blank 合计 read as the first figure's place).  They start where
    the table's rows' figures start, when the cells passed over there are blank."""
    for n in nameless:
        row = rows[n]
        cells = list(row.source.cells)
        first = next((k for k in range(len(cells)) if k >= start and cells[k] != ""), len(cells))
        if first > start and start > 0 and all(c == "" for c in cells[start:first]) and len(cells) - start <= len(columns):
            row.values = row_values(cells[start:], columns, notes, row.source, row.code)


def _split_index(spec: TableSpec, headers: list[SourceLine]) -> int | None:
    for line in headers:
        hits = [i for i, c in enumerate(line.cells) if re.sub(r"\s+", "", c).startswith(spec.split_marker)]
        if len(hits) >= 2:
            return hits[1]
    return None


def parse_half(
    cells: list[str], spec: TableSpec, side: str, columns: tuple[str, ...], labels: tuple[RowLabel, ...],
    has_row_no: bool, used: set[str], line: SourceLine, notes: Notes,
) -> list[Row]:
    """One half of a side-by-side row: [code] label [行次] values…  T06's economic code
    may stand in one cell or as 类 | 款 cells ("301" | "01": `_split_code`), never
    taken for a figure.  Two rows when the label is two glued (`glued_labels`)."""
    code, i = _split_code(tuple(cells)) if spec.code == "T06" else ("", 0)
    if len(code) not in (0, 3, 5):
        code, i = "", 0
    while i < len(cells) and cells[i] == "":
        i += 1
    if i >= len(cells):
        return []
    if is_number(cells[i]) and not code:
        return _unlabelled(cells, spec, side, columns, line, notes)
    name = cells[i] if not is_number(cells[i]) else ""
    rest = list(cells[i + 1 :] if name else cells[i:])
    if has_row_no and rest and (rest[0] == "" or re.fullmatch(r"\d{1,3}", rest[0])):
        rest.pop(0)  # the 行次 cell
    if code:
        vals = row_values(rest, columns, notes, line, f"{code} {name}".strip())
        return [Row(code, vals, line, code=code, name=name, level=LEVELS.get(len(code), ""), side=side, label=name)]
    functions = spec.function_rows and side == "expense"
    key, fcode = _named(name, labels, used, functions)
    if key is None:
        if not any(is_number(c) for c in rest):
            return [Row(k, dict.fromkeys(columns), line, code=f, name=n, level="类" if f else "", side=side, label=n)
                    for k, f, n in glued_labels(name, labels, used, functions, notes, line)]
        notes.add(line, f"行名“{name}”不是本表的标准行名，照原样保留")
        key = f"{side}:{label_key(name)}"
    vals = row_values(rest, columns, notes, line, name)
    return [Row(key, vals, line, code=fcode, name=name, level="类" if fcode else "", side=side, label=name)]


def _unlabelled(cells: list[str], spec: TableSpec, side: str, columns: tuple[str, ...], line: SourceLine,
                notes: Notes) -> list[Row]:
    """A half's row of figures with a blank label cell (a budget's unrounded total printed over
    its 财政拨款收支预算总表): read, so that no printed amount goes unread, under its side's
    `unlabelled` key; none for a 决算 table, whose halves print none."""
    if spec.code in SPECS or cells[0] != "":
        return []
    name = f"{SIDE_NAMES.get(side, side)}部分无行名的一行"
    notes.add(line, f"{SIDE_NAMES.get(side, side)}部分有一行数字没有行名，照原样读取")
    return [Row(f"{side}:unlabelled", row_values(cells[1:], columns, notes, line, name), line, side=side)]


def _named(name: str, labels: tuple[RowLabel, ...], used: set[str], functions: bool) -> tuple[str | None, str]:
    """The key of a row by its label, and its function code when the half's rows are the
    function classes by name (公开01/04表's 支出 half): (None, "") for no row of the table."""
    fcode = next((FUNCTION_CODE_BY_NAME[k] for k in label_keys(name) if k in FUNCTION_CODE_BY_NAME), None) \
        if functions else None
    return fcode or match_label(name, labels, used), fcode or ""


def glued_labels(name: str, labels: tuple[RowLabel, ...], used: set[str], functions: bool, notes: Notes,
                 line: SourceLine) -> list[tuple[str, str, str]]:
    """(key, function code, label) of each row in a label without figures that is no row of
    the table but holds two or more numbered labels (two rows stacked in one band, the rule
    between them not drawn): every piece a row of the table, or none of them, with a reading
    note saying so — never dropped without a word.  [] for any other label (a header cell)."""
    pieces = [p for p in SECOND_ITEM.split(name) if p]
    if len(pieces) < 2:
        return []
    out: list[tuple[str, str, str]] = []
    for piece in pieces:
        key, fcode = _named(piece, labels, used | {k for k, _, _ in out}, functions)
        if key is None:
            notes.add(line, f"行名“{name}”含 {len(pieces)} 个行名，并非都是本表的行，未读取")
            return []
        out.append((key, fcode, piece))
    return out


def parse_split(spec: TableSpec, body: list[SourceLine], header_text: str, notes: Notes) -> list[Row]:
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
        notes.add(None, f"表头中没有分开左右两部分的“{spec.split_marker}”，按每行前 {width} 个单元格属于"
                        f"{SIDE_NAMES[lside]}部分读取")
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
            for row in parse_half(cells[start:end], spec, side, cols, labels, has_row_no, used, line, notes):
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


def parse_labelled(spec: TableSpec, body: list[SourceLine], header_text: str, notes: Notes) -> list[Row]:
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
            # a labelled table's variants: other one-row orders, each chosen by a pattern of the header
            wide = next((order for keyword, order in spec.variants if re.search(keyword, header_text)), spec.wide_order)
            if wide and len(figures) >= width * len(wide) - 1 and any(is_number(c) for c in figures):
                for n, key in enumerate(wide):
                    name = spec_row_name(spec, key)  # the row prints no name: its column heads say it
                    vals = row_values(figures[width * n : width * (n + 1)], spec.columns, notes, line, name)
                    rows.append(Row(key, vals, line, name=name, label=name))
            continue
        key = match_label(cells[label_at], spec.rows, used)
        rest = cells[label_at + 1 :]
        if key is None and not any(is_number(c) for c in cells):
            for k, _, n in glued_labels(cells[label_at], spec.rows, used, False, notes, line):
                used.add(k)
                rows.append(Row(k, dict.fromkeys(spec.columns), line, name=n, label=n))
        if key is None or (not any(map(is_number, rest)) and any(c not in ("", "-", "—") for c in rest)):
            continue  # no row of the table, or a head naming the columns right of its 合计
        # the 行次 cell: there whenever the row has more cells than columns, and also
        # when it is the next row number (a blank 决算数 leaves the row short)
        is_row_no = bool(rest) and re.fullmatch(r"\d{1,3}", rest[0]) is not None
        if has_row_no and (len(rest) > len(spec.columns) or (is_row_no and int(rest[0]) == row_no + 1)):
            row_no = int(rest[0]) if is_row_no else row_no + 1
            rest = rest[1:]
        vals = row_values(rest, spec.columns, notes, line, cells[label_at])
        used.add(key)
        rows.append(Row(key, vals, line, name=cells[label_at], label=cells[label_at]))
    return rows


PARSERS = {"hierarchy": parse_hierarchy, "split": parse_split, "labelled": parse_labelled}
