"""Tables in the text PDF converters leave with spaces, not tabs, between cells.

pdfplumber's `extract_text` and poppler's `pdftotext` print a table row as one line of words
separated by spaces, a blank cell as nothing at all, and a label wrapped inside its cell as
lines of its own around the line of the row's figures ("机关事业单位基本养老保险" /
"2080505 545.85 545.85" / "缴费支出").  With `-layout` (`layout=True`) every word also keeps
its position on the line.  This module turns the lines under a table's title back into
the rows the tab-separated form has (one cell per column, blank cells empty), so the
builder reads them with the same parsers:

1. each line is cut into tokens: figures, whole numbers (codes, 行次, counts), dashes, words;
2. the table's template is the slots of one printed row (code, label, 行次, value columns,
   per half of a side-by-side table), from its spec and header;
3. every way a line's tokens fit the template in order is listed (kinds must fit; in the
   layout form positions keep only the placements that match the columns' positions);
4. the body is cut into rows, runs of consecutive lines, by dynamic programming: a row must
   be a row of the table (one code, labels the table knows or with figures beside them, at
   most one figure per column) and costs how far its labels' lines sit from its figures'
   line under the table's vertical alignment (top, centre or bottom of the cell);
5. two cheapest readings that differ (which columns two figures of seven are in, with no
   positions to tell) mean the table cannot be read: its lines are left as printed and the
   builder reports it `unread`, as before.  Nothing is guessed.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from auditlib.ingest.lines import SourceLine, normalize_text
from auditlib.ingest.pdf_text import glue, is_wide
from auditlib.ingest.regions import LABEL, PART, find_anchors
from auditlib.ingest.tables import DEPARTMENT, UNIT, YEAR
from auditlib.numbers import parse_number
from auditlib.ingest.table_rows import CODE, TOTAL, _match_label, is_seq_row, label_keys
from auditlib.schema import ECONOMIC_CLASSES, ENUMERATOR, FUNCTION_CLASSES, FUNCTION_CODE_BY_NAME, SPECS, TableSpec, label_key

# a printed amount (the figure a money column holds), an accounting negative, a dash for "none"
FIG = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)\.\d+|\((?:\d{1,3}(?:,\d{3})+|\d+)\.\d+\)")
DASH = re.compile(r"[-—–－―/]{1,2}")
INT = re.compile(r"\d+")
# a figure glued to the words after or before it ("1,500.85二、外交支出")
PIECES = re.compile(rf"({FIG.pattern})(?=\D|$)|(?<=[^\d,.])({FIG.pattern})")
GLUED_CODE = re.compile(r"^(\d{3}|\d{5}|\d{7})(?=[^\x00-\x7f（(])(?![万亿千百元年月日个人次辆台套项])")
UNIT_WORD = re.compile(r"[万亿千]?元|年度|%")
ELLIPSIS = re.compile(r"[.…。·]{2,}|…")
NOTE = re.compile(r"^(注\s*[:：\d]|说明\s*[:：]|无.*的，仍保留该表)")
# words of a table's head (besides its column names): what a header line is made of
HEAD_WORDS = ("项目", "行次", "栏次", "科目编码", "科目名称", "支出功能分类科目编码", "功能分类科目编码",
              "经济分类科目编码", "项目(按功能分类)", "项目(按经济分类)", "决算数", "年初预算数", "预算数",
              "金额", "合计", "类款项", "收入", "支出", "人员经费", "公用经费", "小计", "三公经费",
              "本年收入", "本年支出")
HEAD_EXTRA = {"T07": ("三公经费", "因公出国(境)费", "公务用车购置及运行维护费", "公务用车购置费", "公务用车运行维护费",
                      "公务接待费", "小计")}
MAX_ROW_LINES = 8  # a row's cells wrap over at most this many lines
MAX_COMBINATIONS = 4096  # placements of one row's lines tried at most
UNKNOWN_LABEL = 5  # cost of a label the table does not know (kept when figures stand beside it)
NO_NAME = 3  # cost of a coded row without a name
SPACED_WORDS = 0.5  # cost of words apart on one line read as one cell (two cells side by side are likelier)
SLACK = 2  # how much more an alignment that decides may cost than one that cannot
STRICT = ("top", "centre", "bottom")  # where a cell's lines stand beside its figures
MODES = (*STRICT, "centre-up", "centre-down")


@dataclass(frozen=True)
class Token:
    """One word of a line: `kind` fig, int, dash or text; `start`/`end` the columns it covers
    in a layout line (a wide character counts two), -1 without positions."""

    text: str
    kind: str
    start: int = -1
    end: int = -1


@dataclass(frozen=True)
class Line:
    """One line under a table's title."""

    index: int  # position in the document's lines
    number: int  # 1-based line of the file
    page: int  # form feeds before it (pdftotext ends each page with one)
    text: str  # normalized
    tokens: tuple[Token, ...]
    more: tuple[int, ...] = ()  # the other lines it was joined from (pdftotext's cells, one a line)

    @property
    def figures(self) -> int:
        return sum(t.kind == "fig" for t in self.tokens)


@dataclass(frozen=True)
class Slot:
    """One column of a printed row: role code, label, rowno (行次) or value."""

    role: str
    half: int = 0
    name: str = ""  # a value column's printed name
    key: str = ""  # a value column's key (schema)


@dataclass
class Template:
    spec: TableSpec
    slots: tuple[Slot, ...]
    row_no: bool
    wide: bool = False  # 公开07表 may be one row of (预算数, 决算数) pairs
    widths: dict[int, int] = field(default_factory=dict)  # a label column's full line, where seen
    blank: bool = False  # no figure printed in the whole table (a template)
    layout: bool = False  # words placed by their position on the line (pdftotext -layout)

    def header_row(self) -> tuple[str, ...]:
        """The columns' header as one row of cells (the printed one is wrapped over lines):
        what tells the row parsers where a side-by-side table's halves meet, and a table
        printed with nothing under its header `empty` rather than missing."""
        coded = any(s.role == "code" for s in self.slots)
        names = {"code": self.spec.split_marker or "科目编码", "label": "科目名称" if coded else "项目",
                 "rowno": "行次"}
        return tuple(names.get(s.role, s.name) for s in self.slots)


@dataclass
class Row:
    """A row read back: its cells in template order and where it was printed."""

    cells: tuple[str, ...]
    line: Line  # the line of its figures (or of its code or label)
    lines: tuple[Line, ...]
    # the cells of every as cheap reading that puts the same words in the same cells and
    # the figures in other columns (blank cells absent): the table's identities choose
    alts: tuple[tuple[str, ...], ...] = ()


@dataclass
class Table:
    """The lines of one table (all its pages) and what they became."""

    code: str
    head: list[Line] = field(default_factory=list)
    body: list[Line] = field(default_factory=list)
    rows: list[Row] | None = None
    readings: dict[str, tuple | None] = field(default_factory=dict)  # per vertical alignment
    modes: tuple[str, ...] = ()  # the alignments that gave `rows`, when fewer than all
    why: str = ""  # why `rows` is None, when the identities said so


# --------------------------------------------------------------------------- tokens

def tokens(raw: str, layout: bool) -> tuple[Token, ...]:
    """The words of a raw line with their kinds (and columns, in the layout form)."""
    out: list[Token] = []
    for m in re.finditer(r"\S+", raw):
        col = _width(raw[: m.start()])
        for text in _pieces(normalize_text(m.group())):
            width = _width(text)
            if ELLIPSIS.fullmatch(text):
                col += width
                continue  # a template's "... ..." rows
            out.append(Token(text, _kind(text), col if layout else -1, col + width if layout else -1))
            col += width
    return _with_units(out)


def _with_units(out: list[Token]) -> tuple[Token, ...]:
    """A whole number spaced from the unit after it ("50 万元(含)以上", "2021 年度") is words."""
    merged: list[Token] = []
    for token in out:
        last = merged[-1] if merged else None
        if last and last.kind == "int" and token.kind == "text" and UNIT_WORD.match(token.text):
            merged[-1] = Token(last.text + token.text, "text", last.start, token.end)
        else:
            merged.append(token)
    return tuple(merged)


def _pieces(word: str) -> list[str]:
    """A word cut where a figure is glued to words ("1,500.85二、外交支出") or a code to its
    name ("30101基本工资")."""
    if not word:
        return []
    code = GLUED_CODE.match(word)
    if code:
        return [code.group(1), *_pieces(word[code.end(1):])]
    if FIG.fullmatch(word) or not re.search(r"\d\.\d", word):
        return [word]
    parts = [p for p in re.split(rf"({FIG.pattern})", word) if p]
    # keep figures only where they stand apart from digits around them
    if any(not FIG.fullmatch(p) and (p[0].isdigit() or p[-1].isdigit()) for p in parts):
        return [word]
    return parts


def _kind(text: str) -> str:
    if FIG.fullmatch(text):
        return "fig"
    if INT.fullmatch(text):
        return "int"
    if DASH.fullmatch(text):
        return "dash"
    return "text"


def _width(text: str) -> int:
    return sum(2 if is_wide(c) else 1 for c in text)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text).replace("（", "(").replace("）", ")")


# --------------------------------------------------------------------------- the template

def template(spec: TableSpec, header: str, row_no: bool) -> Template:
    """The slots of one row of `spec`'s table, the value columns chosen by the header."""
    if spec.kind == "hierarchy":
        columns = spec.columns
        for keyword, variant in spec.variants:
            if keyword in header:
                columns = variant
        slots = [Slot("code"), Slot("label"), *(Slot("value", 0, spec.column_names.get(c, c), c) for c in columns)]
        return Template(spec, tuple(slots), False)
    halves = spec.halves or (("", spec.columns, spec.rows),)
    slots = []
    for n, (_, columns, _) in enumerate(halves):
        if spec.code == "T06":
            slots.append(Slot("code", n))
        slots.append(Slot("label", n))
        if row_no:
            slots.append(Slot("rowno", n))
        slots += [Slot("value", n, spec.column_names.get(c, c), c) for c in columns]
    return Template(spec, tuple(slots), row_no, wide=spec.code == "T07")


def _fits(token: Token, slot: Slot, spec: TableSpec) -> bool:
    if slot.role == "label":
        return token.kind == "text"
    if slot.role == "code":
        return token.kind == "int" and len(token.text) <= 7
    if slot.role == "rowno":
        return token.kind == "int" and len(token.text) <= 3
    counts = spec.code in ("T07", "T10")  # 批次, 人次, 辆: whole numbers
    return token.kind in ("fig", "dash") or (counts and token.kind == "int")


def placements(line: Line, tpl: Template) -> list[tuple[int, ...]]:
    """Every way to give each token of `line` a slot: in order, kinds fitting, a label
    taking a run of words and a code a run of numbers (类/款/项 in cells of their own),
    any other slot one token."""
    toks, slots, out = line.tokens, tpl.slots, []

    def walk(t: int, s: int, acc: tuple[int, ...]) -> None:
        if len(out) > MAX_COMBINATIONS:
            return
        if t == len(toks):
            out.append(acc)
            return
        if acc and slots[acc[-1]].role in ("label", "code") and _fits(toks[t], slots[acc[-1]], tpl.spec) \
                and toks[t - 1].kind == toks[t].kind:
            walk(t + 1, s, acc + (acc[-1],))  # the run goes on
        for k in range(s, len(slots)):
            if _fits(toks[t], slots[k], tpl.spec):
                walk(t + 1, k + 1, acc + (k,))

    walk(0, 0, ())
    return out


# --------------------------------------------------------------------------- one row

@dataclass
class Reading:
    cost: float
    row: Row


def read_row(lines: tuple[Line, ...], choice: tuple[tuple[int, ...], ...], tpl: Template, mode: str,
             first: bool) -> Reading | None:
    """The row that `lines` make with each line's tokens in the slots `choice` gives, and
    its cost; None when they make no row of the table."""
    slots = tpl.slots
    pieces: dict[int, list[tuple[int, str]]] = {}
    for n, (line, placement) in enumerate(zip(lines, choice)):
        for token, k in zip(line.tokens, placement):
            if slots[k].role in ("rowno", "value") and k in pieces:
                return None  # one figure per column
            if slots[k].role == "code" and not _code_goes_on(pieces.get(k, []), n, token.text):
                return None
            pieces.setdefault(k, []).append((n, token.text))
    figured = [n for n in range(len(lines)) if any(slots[k].role in ("value", "rowno") for k in choice[n])]
    if len(figured) > 1:
        return None  # a row's figures stand on one line, whatever its labels do
    anchor = figured[0] if figured else None
    if tpl.spec.kind == "split" and anchor is not None and any(
            slots[k].role == "code" for n, c in enumerate(choice) if n != anchor for k in c):
        return None  # and so do the codes beside them
    if anchor is None:
        anchor = next((n for n in range(len(lines)) if any(slots[k].role == "code" for k in choice[n])), None)
    cost = 0.0
    halves = sorted({s.half for s in slots})
    for half in halves:
        own = [k for k, s in enumerate(slots) if s.half == half]
        got = {slots[k].role: pieces[k] for k in own if k in pieces}
        if not got:
            continue
        code = _joined(got.get("code", [])).replace(" ", "")
        if any(ENUMERATOR.match(text) for _, text in got.get("label", [])[1:]):
            return None  # a label's numbering ("二、") opens it
        label = _label(got.get("label", []))
        if code and not CODE.fullmatch(code):
            return None
        figures = "value" in got or "rowno" in got
        if tpl.spec.kind == "hierarchy":
            if not code and not (label and TOTAL.search(label_key(label))):
                if not (first and figures and not label):
                    return None  # a row of figures alone is the 合计 only at the top
            if not code and not figures and not tpl.blank:
                return None  # a 合计 without figures is another line of the one with them
            cost += NO_NAME if code and not label else 0
            cost += _misnamed(code, label, FUNCTION_CLASSES)
        else:
            if not (code or label or "rowno" in got):
                return None  # figures belong to the label (or code, or 行次) of their half
            cost += NO_NAME if code and not label else 0
            cost += _misnamed(code, label, ECONOMIC_CLASSES)
            if tpl.row_no and "rowno" not in got and (label or "value" in got):
                return None  # every row of a table with 行次 prints it
            if label and not code and not _known(tpl.spec.code, half, label):
                if not figures or any(s.role == "code" for s in slots):
                    return None  # words alone are a row only when the table knows them; 公开06表's rows have codes
                cost += UNKNOWN_LABEL
        if "label" in got:
            lines_of = [n for n, _ in got["label"]]
            full = tpl.widths.get(next(k for k in own if slots[k].role == "label"))
            cost += _ragged(got["label"], full) + SPACED_WORDS * (len(lines_of) - len(set(lines_of)))
        if anchor is not None and "label" in got:
            above = len({n for n, _ in got["label"] if n < anchor})
            below = len({n for n, _ in got["label"] if n > anchor})
            cost += _off(mode, above, below)
    cells = tuple(_cell(slots[k].role, pieces.get(k, [])) for k in range(len(slots)))
    return Reading(cost, Row(cells, lines[anchor if anchor is not None else 0], lines))


def _misnamed(code: str, label: str, names: dict[str, str]) -> int:
    """1 when a code the classification names is printed with words that are not its name
    (a wrapped name put together from the wrong lines); 0 otherwise, or when not known."""
    return int(bool(code in names and label and squash(label) != squash(names[code])))


def _off(mode: str, above: int, below: int) -> int:
    """How far a label's lines (`above` and `below` its row's figures) are from where the
    table's vertical alignment puts them: at the top or bottom of the cell, or centred
    (where a cell's text may sit half a line higher or lower than its figures)."""
    d = above - below
    if mode == "top":
        return above
    if mode == "bottom":
        return below
    if mode == "centre":
        return abs(d)
    if mode == "centre-up":
        return -d if d < 0 else max(0, d - 1)
    return d if d > 0 else max(0, -d - 1)  # centre-down


def _ragged(pieces: list[tuple[int, str]], full: int | None) -> int:
    """How many lines of a wrapped label stop short: a cell wraps its text when a line is
    full, so every line but the last is as wide as the column (`full`, where known; else
    the widest of them) give or take a character, and the last no wider."""
    widths: dict[int, int] = {}
    for n, text in pieces:
        widths[n] = widths.get(n, 0) + _width(text)
    lines = [widths[n] for n in sorted(widths)]
    if len(lines) < 2:
        return 0
    full = full or max(lines[:-1])
    return sum(w < full - 2 for w in lines[:-1]) + (lines[-1] > full + 2)


def column_widths(lines: list[Line], options: list[list[tuple[int, ...]]], tpl: Template) -> dict[int, int]:
    """Each label column's full line: the widest words put in it by a line that fits the
    template in one way only."""
    widths: dict[int, int] = {}
    for line, opts in zip(lines, options):
        if len(opts) != 1:
            continue
        per: dict[int, int] = {}
        for token, k in zip(line.tokens, opts[0]):
            if tpl.slots[k].role == "label":
                per[k] = per.get(k, 0) + _width(token.text) + (1 if k in per else 0)
        for k, w in per.items():
            widths[k] = max(widths.get(k, 0), w)
    return widths


def _code_goes_on(pieces: list[tuple[int, str]], n: int, text: str) -> bool:
    """A code is 3, 5 or 7 digits in one cell, or 类/款/项 in cells of their own (3 digits,
    then 2 and 2), or a long code wrapped in a narrow cell ("208050" / "2")."""
    if not pieces:
        return len(text) >= 3
    so_far = _joined(pieces)
    if pieces[-1][0] == n:
        return len(text) == 2 and len(so_far) in (3, 5)
    return not CODE.fullmatch(so_far) and len(so_far) + len(text) <= 7


def _joined(pieces: list[tuple[int, str]]) -> str:
    return "".join(text for _, text in pieces)


def _label(pieces: list[tuple[int, str]]) -> str:
    """A label's words: a space between words of one line, glued across a wrap."""
    out, last = "", None
    for n, text in pieces:
        out = (out + " " + text) if last == n else glue(out, text)
        last = n
    return out


def _cell(role: str, pieces: list[tuple[int, str]]) -> str:
    if role == "label":
        return _label(pieces)
    return _joined(pieces).replace(" ", "")


@lru_cache(maxsize=4096)
def _known(code: str, half: int, label: str) -> bool:
    """A label the table knows for this half (its row labels, a function 类 by name)."""
    spec = SPECS[code]
    labels = spec.halves[half][2] if spec.halves else spec.rows
    if _match_label(label, labels, set()) is not None or any(
            re.fullmatch(rl.pattern, k) for k in label_keys(label) for rl in labels):
        return True
    return spec.function_rows and half == 1 and any(k in FUNCTION_CODE_BY_NAME for k in label_keys(label))


def meaning(rows: tuple[Row, ...] | list[Row], tpl: Template) -> tuple:
    """What rows say, to tell two readings apart: the halves they print, in any pairing
    (two halves read as one row or as two make the same table), and a coded half (公开06表's
    经济分类 codes) in either half: its code is its key."""
    items: list = []
    for row in rows:
        if row.alts:
            items.append((-2, row.alts))
        for half in sorted({s.half for s in tpl.slots}):
            own = tuple((s.role, c) for s, c in zip(tpl.slots, row.cells) if s.half == half)
            if any(c for _, c in own):
                coded = any(role == "code" and c for role, c in own)
                items.append((-1 if coded else half, own))
    return tuple(sorted(items))


# --------------------------------------------------------------------------- the body

def segment(body: list[Line], tpl: Template, options: list[list[tuple[int, ...]]], mode: str):
    """The cheapest cut of `body` into rows: (cost, rows, ambiguous) — ambiguous when
    another cut or placement as cheap reads differently."""
    best: list[tuple[float, tuple[Row, ...], bool] | None] = [None] * (len(body) + 1)
    best[0] = (0.0, (), False)
    figured = [any(t.kind in ("fig", "dash") for t in line.tokens) for line in body]
    starts = [sum(t.kind == "text" and ENUMERATOR.match(t.text) is not None for t in line.tokens) for line in body]
    labels = sum(s.role == "label" for s in tpl.slots)
    for i in range(1, len(body) + 1):
        for j in range(i - 1, max(0, i - MAX_ROW_LINES) - 1, -1):
            if sum(figured[j:i]) > 1 or sum(starts[j:i]) > labels:
                break  # a row's figures stand on one line; a label starts once ("一、", "（二）", "3.")
            if best[j] is None:
                continue
            reading = _read_lines(tuple(body[j:i]), options[j:i], tpl, mode, first=j == 0)
            if reading is None:
                continue
            (cost, row, unsure) = reading
            total = best[j][0] + cost
            rows = best[j][1] + (row,)
            current = best[i]
            if current is None or total < current[0] - 1e-9:
                best[i] = (total, rows, best[j][2] or unsure)
            elif abs(total - current[0]) <= 1e-9 and not current[2]:
                if meaning(rows, tpl) != meaning(current[1], tpl):
                    best[i] = (current[0], current[1], True)
    return best[len(body)]


def _read_lines(lines: tuple[Line, ...], options: list[list[tuple[int, ...]]], tpl: Template, mode: str,
                first: bool) -> tuple[float, Row, bool] | None:
    """The cheapest row `lines` make, and whether another as cheap reads differently."""
    if any(not o for o in options):
        return None
    size = 1
    for o in options:
        size *= len(o)
    if size > MAX_COMBINATIONS:
        return None
    best: list[Reading] = []
    for choice in itertools.product(*options):
        reading = read_row(lines, choice, tpl, mode, first)
        if reading is None:
            continue
        if not best or reading.cost < best[0].cost - 1e-9:
            best = [reading]
        elif abs(reading.cost - best[0].cost) <= 1e-9:
            best.append(reading)
    if not best:
        return None
    cells = sorted({r.row.cells for r in best})
    words = {tuple(c for slot, c in zip(tpl.slots, cs) if slot.role != "value") for cs in cells}
    row = best[0].row
    if len(cells) == 1:
        return best[0].cost, row, False
    if len(words) == 1 and tpl.spec.code in BINDINGS:  # only the figures' columns differ
        return best[0].cost, Row(cells[0], row.line, row.lines, tuple(cells)), False
    return best[0].cost, row, len({meaning([r.row], tpl) for r in best}) > 1


# --------------------------------------------------------------------------- binding by identities

# each row's identities of the coded tables: (sum, parts) of value columns (the catalog's
# T02/T03/T05/T08/T09.row_* rules); with the 类 = Σ款 = Σ项 and 合计 = Σ类 sums of every
# column, what tells which columns a row's figures stand in when blank cells are absent
BINDINGS: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "T02": (("total", ("fiscal", "superior", "institution", "operating", "affiliated", "other")),),
    "T03": (("total", ("basic", "project", "remit", "business", "subsidiary")),),
    "T05": (("total", ("basic", "project")),),
    "T08": (("expense", ("basic", "project")),),
    "T09": (("total", ("basic", "project")), ("expense", ("basic", "project"))),
}
MAX_NODES = 50_000  # assignments tried at most before the binding is called uncertain
# why a table printed with spaces is not read (a warning of the document, under its table's name)
SEVERAL = ("空白栏未印出，金额可放入的栏目有多种对应都使本表勾稽关系成立，无法确定"
           "（blank cells not printed: several bindings of the figures to columns satisfy the table's identities）")
NONE = ("空白栏未印出，没有一种金额与栏目的对应使本表勾稽关系成立（或有印错的金额），无法确定"
        "（blank cells not printed: no binding of the figures to columns satisfies the table's identities）")
AMBIGUOUS = ("以空格分隔的表格中，行或栏目的划分不唯一，无法确定"
             "（the rows or columns of the space-separated table are ambiguous）")


def bind(rows: list[Row] | None, tpl: Template) -> tuple[list[Row] | None, str]:
    """`rows` with each row's figures in the one set of columns that makes every identity
    of the table hold (row sums, 类/款/项 sums, 合计); None when no set, or more than one,
    does — a table the identities cannot bind is not read (the builder says `unread`) —
    and why, in words."""
    if rows is None or not any(len(r.alts) > 1 for r in rows):
        return rows, ""
    if tpl.layout:  # positions kept some placements only: the identities would choose among an incomplete set
        return None, AMBIGUOUS
    columns = {k: s.key for k, s in enumerate(tpl.slots) if s.role == "value"}
    code_at = next(k for k, s in enumerate(tpl.slots) if s.role == "code")
    codes = [r.cells[code_at] for r in rows]
    checks = _sums(codes, columns, tpl.spec.code)
    due: dict[int, list[tuple[int, tuple[int, ...], str]]] = {}
    for total, parts, column in checks:
        due.setdefault(max(total, *parts), []).append((total, parts, column))
    choices = [r.alts or (r.cells,) for r in rows]
    values: list[dict[str, float]] = [{} for _ in rows]
    found: list[tuple[int, ...]] = []
    nodes = 0

    def walk(i: int, picked: tuple[int, ...]) -> bool:
        nonlocal nodes
        if i == len(rows):
            found.append(picked)
            return len(found) > 1
        for n, cells in enumerate(choices[i]):
            nodes += 1
            if nodes > MAX_NODES:
                return True
            values[i] = {col: _amount(cells[k]) for k, col in columns.items()}
            if all(_holds(values, check) for check in due.get(i, ())) and walk(i + 1, picked + (n,)):
                return True
        return False

    walk(0, ())
    if len(found) != 1:
        return None, SEVERAL if len(found) > 1 else (AMBIGUOUS if nodes > MAX_NODES else NONE)
    if nodes > MAX_NODES:
        return None, AMBIGUOUS
    return [Row(choices[i][n], r.line, r.lines) for i, (r, n) in enumerate(zip(rows, found[0]))], ""


def _sums(codes: list[str], columns: dict[int, str], table: str) -> list[tuple[int, tuple[int, ...], str]]:
    """The identities over the rows (by index): (total row, part rows, column)."""
    keys = set(columns.values())
    out: list[tuple[int, tuple[int, ...], str]] = []
    for i in range(len(codes)):
        for total, parts in BINDINGS[table]:
            if total in keys and set(parts) & keys:
                out.append((i, (i,), f"{total}=" + "+".join(p for p in parts if p in keys)))
    tops = tuple(i for i, c in enumerate(codes) if len(c) == 3)
    for i, code in enumerate(codes):
        children = tops if not code else tuple(j for j, c in enumerate(codes) if len(c) == len(code) + 2 and c.startswith(code))
        if children and (code or i == 0):
            out += [(i, children, column) for column in columns.values()]
    return out


def _holds(values: list[dict[str, float]], check: tuple[int, tuple[int, ...], str]) -> bool:
    """Whether one identity holds, within the rounding of its printed figures."""
    total, parts, column = check
    if "=" in column:  # a row's own sum: "total=basic+project"
        lhs, rhs = column.split("=")
        terms = rhs.split("+")
        got = sum(values[total][t] for t in terms)
        return abs(values[total][lhs] - got) <= 0.005 * (len(terms) + 1) + 1e-9
    got = sum(values[j][column] for j in parts)
    return abs(values[total][column] - got) <= 0.005 * (len(parts) + 1) + 1e-9


def _amount(cell: str) -> float:
    """A cell's value for the identities: a blank or a dash is 0."""
    return parse_number(cell) or 0.0


# --------------------------------------------------------------------------- positions

def _position(token: Token, role: str) -> float:
    """Where a token stands: a figure by its right edge (numbers are right-aligned or
    centred: the edge clusters either way), words by their start."""
    return token.end if role in ("value", "rowno") else token.start


def prune(line_options: list[tuple[int, ...]], line: Line, tpl: Template,
          at: dict[int, float]) -> list[tuple[int, ...]]:
    """The placements of a layout line that put each token in the column nearest to where
    it is printed (`at`: each slot's position on this page, where known).  All of them
    when one would put a figure in a column whose position is not known: a placement that
    avoids the known columns is not nearer for that."""
    if len(line_options) <= 1 or not at:
        return line_options
    scored = []
    for placement in line_options:
        cost = 0.0
        for token, k in zip(line.tokens, placement):
            if k in at:
                cost += abs(_position(token, tpl.slots[k].role) - at[k])
            elif tpl.slots[k].role in ("value", "rowno"):
                return line_options
        scored.append((cost, placement))
    low = min(c for c, _ in scored)
    return [p for c, p in scored if c <= low + 2.0]


def learn_positions(lines: list[Line], options: list[list[tuple[int, ...]]], tpl: Template,
                    head: list[Line]) -> dict[int, float]:
    """Each slot's position on one page: from the lines whose tokens fit the template in one
    way only, and, for value columns never filled that way, from the header's column names."""
    seen: dict[int, list[float]] = {}
    for line, opts in zip(lines, options):
        if len(opts) == 1:
            for token, k in zip(line.tokens, opts[0]):
                seen.setdefault(k, []).append(_position(token, tpl.slots[k].role))
    at = {k: statistics.median(v) for k, v in seen.items()}
    named = _header_positions(head, tpl)
    for k, pos in named.items():
        at.setdefault(k, pos)
    return at


def _header_positions(head: list[Line], tpl: Template) -> dict[int, float]:
    """The right edge of each value column whose printed name is found in the header:
    the words of one header cell stand over each other (wrapped), so words whose spans
    overlap on consecutive lines are joined before they are compared with the names."""
    cells: list[list[Token]] = []
    for line in head:
        for token in line.tokens:
            if token.kind != "text":
                continue
            for cell in cells:
                last = cell[-1]
                if last.start < token.end and token.start < last.end and last is not token:
                    cell.append(token)
                    break
            else:
                cells.append([token])
    found: dict[int, float] = {}
    for k, slot in enumerate(tpl.slots):
        if slot.role != "value":
            continue
        name = squash(slot.name)
        hits = [c for c in cells if squash("".join(t.text for t in c)) == name]
        if len(hits) == 1:
            found[k] = max(t.end for t in hits[0])
    return found


# --------------------------------------------------------------------------- one table

def is_layout(lines: list[Line], raws: dict[int, str]) -> bool:
    """The layout form: most lines with figures space their words by runs of spaces."""
    rows = [raws[line.index] for line in lines if line.figures]
    wide = [r for r in rows if re.search(r"\S {3,}\S", r.strip())]
    return bool(rows) and len(wide) * 2 > len(rows)


def _is_head(line: Line, phrases: list[str]) -> bool:
    """A line of the table's head: no figure, and either the 栏次 numbers or every word a
    piece of a column name or of the words heads are made of (wrapped header cells leave
    pieces such as "类科目编码"; a 栏次 number may stand among them)."""
    if line.figures or not line.tokens:
        return False
    if is_seq_row(tuple(t.text for t in line.tokens)):
        return True
    words = [squash(t.text) for t in line.tokens if t.kind == "text"]
    return bool(words) and all(any(w in p for p in phrases) for w in words)


def _is_meta(line: Line) -> bool:
    """A line of the table's heading fields only: 编制单位, year, 公开NN表, unit."""
    rest = line.text
    for pattern in (DEPARTMENT, YEAR, LABEL, UNIT):
        rest = pattern.sub("", rest)
    return not rest.strip()


def _is_data(line: Line, spec: TableSpec, phrases: list[str]) -> bool:
    """A line that holds figures of the table (whole numbers count in 公开07/10表; the year
    and 公开NN表 of its heading do not)."""
    if _is_meta(line):
        return False
    if line.figures or any(t.kind == "dash" for t in line.tokens):
        return True
    counts = spec.code in ("T07", "T10") and any(t.kind == "int" for t in line.tokens)
    return counts and not _is_head(line, phrases)


def _phrases(spec: TableSpec) -> list[str]:
    return [squash(p) for p in (*HEAD_WORDS, *HEAD_EXTRA.get(spec.code, ()), *spec.column_names.values())]


def _opens_rows(line: Line, spec: TableSpec) -> bool:
    """A line a table printed without figures begins its rows with: a code at its start,
    a 合计 alone, or a numbered label the table knows (公开07表's head names its rows,
    unnumbered)."""
    first = line.tokens[0]
    if first.kind == "int" and CODE.fullmatch(first.text) and (spec.kind == "hierarchy" or spec.code == "T06"):
        return True
    if len(line.tokens) == 1 and TOTAL.fullmatch(squash(first.text)):
        return True
    words = [t.text for t in line.tokens if t.kind == "text" and ENUMERATOR.match(t.text)]
    halves = range(len(spec.halves)) if spec.halves else (0,)
    return spec.kind != "hierarchy" and any(_known(spec.code, h, w) for w in words for h in halves)


def split_head(lines: list[Line], spec: TableSpec) -> tuple[list[Line], list[Line]]:
    """(head, body): the head ends at its last header line before the first row."""
    phrases = _phrases(spec)
    first = next((i for i, line in enumerate(lines) if _is_data(line, spec, phrases)), None)
    if first is None:  # nothing printed under the header (a template)
        first = next((i for i, line in enumerate(lines) if _opens_rows(line, spec)), len(lines))
    end = max((i + 1 for i in range(first) if _is_head(lines[i], phrases)), default=0)
    if end == 0 and first < len(lines):
        end = first  # no header words: everything above the first figures is the head
    return lines[:end], lines[end:]


def read_table(table: Table, layout: bool) -> Template:
    """Rebuild `table.rows` (left None when the lines cannot be read for certain); the
    template the rows follow."""
    spec = SPECS[table.code]
    header = " ".join(squash(line.text) for line in table.head)
    words = {t.text for line in table.head for t in line.tokens}
    row_no = "行次" in header or {"行", "次"} <= words or (  # 行次 wrapped in a narrow column: "行" / "次"
        spec.kind == "labelled" and ("栏次" in header or {"栏", "次"} <= words))
    tpl = template(spec, header, row_no)
    tpl.layout = layout
    body = [line for line in table.body if line.tokens]
    if not body:
        table.rows = []
    elif tpl.wide and len(body) == 1 and len(body[0].tokens) >= 11 \
            and all(t.kind in ("fig", "dash", "int") for t in body[0].tokens):
        table.rows = [Row(tuple(t.text for t in body[0].tokens), body[0], (body[0],))]
    else:
        options = [placements(line, tpl) for line in body]
        if layout:
            options = _pruned(body, options, tpl, table.head)
        tpl.widths = column_widths(body, options, tpl)
        tpl.blank = not any(_is_data(line, spec, _phrases(spec)) for line in body)
        table.readings = {mode: segment(body, tpl, options, mode) for mode in MODES}
        table.rows, table.modes = _cheapest(table.readings, tpl)
        table.rows, table.why = bind(table.rows, tpl)
        if table.rows is not None and not tpl.blank and not any(
                cell for row in table.rows for slot, cell in zip(tpl.slots, row.cells) if slot.role == "value"):
            table.rows, table.readings = None, {}  # figures printed, none in a column: no reading
    return tpl


def _cheapest(results: dict[str, tuple | None], tpl: Template,
              prefer: str | None = None) -> tuple[list[Row] | None, tuple[str, ...]]:
    """The rows of the cheapest reading over the vertical alignments (None when there is
    none, or when two as cheap read differently and the document's own alignment,
    `prefer`, is not one of them) and the alignments that read them so, when they are not
    all.  An alignment that cannot decide between two readings gives way to one that can
    at a little more cost (`SLACK`); a cell centred half a line off its figures is the
    looser hypothesis, taken on a tie only when no strict one reads the table."""
    found = {mode: r for mode, r in results.items() if r is not None}
    low = min((r[0] for r in found.values()), default=0)
    sure = {mode: r for mode, r in found.items() if not r[2] and r[0] <= low + SLACK}
    if not sure:
        return None, ()
    best = min(r[0] for r in sure.values())
    cheapest = {mode: r for mode, r in sure.items() if r[0] <= best + 1e-9 and mode in STRICT} or \
               {mode: r for mode, r in sure.items() if r[0] <= best + 1e-9}
    if len({meaning(r[1], tpl) for r in cheapest.values()}) > 1:
        if prefer not in cheapest:
            return None, ()
        cheapest = {prefer: cheapest[prefer]}
    chosen = meaning(next(iter(cheapest.values()))[1], tpl)
    modes = tuple(m for m, r in found.items() if meaning(r[1], tpl) == chosen and not r[2] and r[0] <= best + 1e-9)
    return list(next(iter(cheapest.values()))[1]), modes if len(modes) < len(found) else ()


def _document_mode(tables: list[Table]) -> str | None:
    """The vertical alignment the document's tables share: the one that most often alone
    (or with fewer than all) read a table; a strict one before the looser one it implies."""
    votes = Counter(mode for t in tables for mode in t.modes)
    if not votes:
        return None
    top = [mode for mode in MODES if votes[mode] == max(votes.values())]  # strict ones first
    return top[0] if len(top) == 1 or top[0] in STRICT and top[1] not in STRICT else None


def _pruned(body: list[Line], options: list[list[tuple[int, ...]]], tpl: Template,
            head: list[Line]) -> list[list[tuple[int, ...]]]:
    """The placements left once each page's column positions are known."""
    out = list(options)
    for page in sorted({line.page for line in body}):
        idx = [i for i, line in enumerate(body) if line.page == page]
        at = learn_positions([body[i] for i in idx], [options[i] for i in idx], tpl,
                             [line for line in head if line.page == page] or head)
        for i in idx:
            out[i] = prune(options[i], body[i], tpl, at)
    return out


# --------------------------------------------------------------------------- the document

def rebuild(lines: list[SourceLine], raws: list[str], pages: list[int], gaps: list[bool],
            tabbed: bool) -> tuple[list[SourceLine], list[str]]:
    """The document's lines with every table printed with spaces rebuilt into rows of
    cells, and why each table with figures that could not be read was not.  Tables already
    in cells, and tables that cannot be read, are left as they are (the builder reports
    those `unread`); in a `tabbed` document (tables in tab-separated cells) a table without
    a figure too.  `gaps`: whether a blank line stands before each line."""
    warnings: list[str] = []
    replaced: dict[int, SourceLine] = {}
    inserted: dict[int, SourceLine] = {}
    dropped: set[int] = set()
    tables = [t for t in _tables(lines, raws, pages, gaps) if not tabbed or any(line.figures for line in t.body)]
    templates = []
    for table in tables:
        layout = is_layout(table.body, raws)
        if layout:
            table.head = [_tokenized(line, raws, True) for line in table.head]
            table.body = [_tokenized(line, raws, True) for line in table.body]
        templates.append(read_table(table, layout))
    prefer = _document_mode(tables)
    for table, tpl in zip(tables, templates):
        if table.rows is None and table.readings:
            table.rows, table.why = bind(_cheapest(table.readings, tpl, prefer)[0], tpl)
        if table.rows is None and tpl.blank and table.head:
            # nothing but words under its header: printed empty, whatever its rows are
            inserted[table.head[-1].index] = SourceLine(cells=tpl.header_row(), line=table.head[-1].number)
        if table.rows is None:
            if not tpl.blank:
                warnings.append(f"公开{table.code[1:]}表 {tpl.spec.title}：{table.why or AMBIGUOUS}，本表未读取")
            continue
        dropped |= {i for line in table.body for i in (line.index, *line.more)}
        for row in table.rows:
            replaced[row.line.index] = SourceLine(cells=row.cells, line=row.line.number)
        phrases = _phrases(tpl.spec)
        if any(_is_head(line, phrases) for line in table.head):  # the columns' header, as one row of cells
            inserted[table.head[-1].index] = SourceLine(cells=tpl.header_row(), line=table.head[-1].number)
    out: list[SourceLine] = []
    for i, line in enumerate(lines):
        if i in replaced:
            out.append(replaced[i])
        elif i not in dropped:
            out.append(line)
        if i in inserted:
            out.append(inserted[i])
    return out, warnings


def _tables(lines: list[SourceLine], raws: list[str], pages: list[int], gaps: list[bool]) -> list[Table]:
    """The tables printed with spaces: the lines under each title up to the notes, a title
    printed again over the rest of a table joined to it (without the head it repeats);
    a table printed a cell a line, joined back into lines of rows."""
    anchors = find_anchors(lines)
    tables: list[Table] = []
    for n, anchor in enumerate(anchors):
        end = anchors[n + 1].index if n + 1 < len(anchors) else len(lines)
        region: list[Line] = []
        for i in range(anchor.index + 1, end):
            if PART.match(lines[i].text):
                break
            region.append(Line(i, lines[i].line or 0, pages[i], lines[i].text, tokens(raws[i], False)))
        if any(lines[line.index].is_row for line in region):
            continue  # already in cells (tab-separated)
        if _one_cell_a_line(region, gaps):
            region = _joined_cells(region, gaps, SPECS[anchor.code])
        at = next((i for i, line in enumerate(region) if NOTE.match(line.text)), len(region))
        head, body = split_head(region[:at], SPECS[anchor.code])
        if tables and tables[-1].code == anchor.code and anchor.duplicate:
            tables[-1].head += head
            tables[-1].body += body
        else:
            tables.append(Table(anchor.code, head, body))
    for table in tables:
        table.body = _without_repeated_head(table)
    return tables


def _one_cell_a_line(region: list[Line], gaps: list[bool]) -> bool:
    """pdftotext's reading order: each cell a block of lines between blank lines, a
    figure alone on its line."""
    if not region:
        return False
    figures = [line for line in region if line.figures]
    alone = sum(len(line.tokens) == 1 for line in figures)
    return sum(gaps[line.index] for line in region) * 5 >= len(region) * 2 and bool(figures) \
        and alone * 5 >= len(figures) * 4


def _joined_cells(region: list[Line], gaps: list[bool], spec: TableSpec) -> list[Line]:
    """The lines of rows a table printed a cell a line makes: a cell's lines glued (a
    wrapped label), and cells joined up to the next row's first cell: a code in a coded
    table, 合计, else words after a figure (a whole number is a figure only in a table of
    counts)."""
    blocks: list[list[Line]] = []
    for line in region:
        if blocks and not gaps[line.index] and not TOTAL.fullmatch(squash(line.text)):
            blocks[-1].append(line)
        else:
            blocks.append([line])
    coded = spec.kind == "hierarchy" or spec.code == "T06"
    ends = ("fig", "dash") if coded else ("fig", "dash", "int")
    rows: list[list[tuple[list[Line], str, tuple[Token, ...]]]] = []
    for block in blocks:
        text = ""
        for line in block:
            text = glue(text, line.text)
        toks = tokens(text, False)
        if not toks:
            continue
        first = toks[0]
        code = coded and first.kind == "int" and CODE.fullmatch(first.text) is not None
        total = TOTAL.fullmatch(squash(text)) is not None  # 合计 under the header's last cell
        if not rows or code or total or (first.kind == "text" and rows[-1][-1][2][-1].kind in ends):
            rows.append([])
        rows[-1].append((block, text, toks))
    out = []
    for row in rows:
        lines = [line for block, _, _ in row for line in block]
        out.append(Line(lines[0].index, lines[0].number, lines[0].page, " ".join(t for _, t, _ in row),
                        tuple(t for _, _, toks in row for t in toks), tuple(line.index for line in lines[1:])))
    return out


def _without_repeated_head(table: Table) -> list[Line]:
    """The body without the header rows a page repeats with no title over them (Word's
    repeated header rows): runs of two or more lines that are lines of the head, or a
    header joined from a cell a line."""
    repeated = {squash(line.text) for line in table.head}
    marks = [not line.figures and squash(line.text) in repeated for line in table.body]
    keep = []
    for i, line in enumerate(table.body):
        run = marks[i] and ((i > 0 and marks[i - 1]) or (i + 1 < len(marks) and marks[i + 1]))
        if not run and not (line.more and _numbers_columns(line)):
            keep.append(line)
    return keep


def _numbers_columns(line: Line) -> bool:
    """A header joined from cells (a cell a line) by the 栏次 numbers 1, 2, 3 … it holds."""
    ints = [int(t.text) for t in line.tokens if t.kind == "int" and len(t.text) <= 2]
    return not line.figures and len(ints) >= 2 and ints == list(range(ints[0], ints[0] + len(ints)))


def _tokenized(line: Line, raws: list[str], layout: bool) -> Line:
    return Line(line.index, line.number, line.page, line.text, tokens(raws[line.index], layout))
