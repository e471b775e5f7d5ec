"""The template of one printed row of a table (code, label, 行次, value columns, per half of a
side-by-side table) and every way a line's words fit it in order (auditlib/ingest/spaced.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from auditlib.ingest.spaced_tokens import Line, Token, width
from auditlib.ingest.table_rows import match_label, label_keys
from auditlib.kinds import spec_of
from auditlib.schema import FUNCTION_CODE_BY_NAME, TableSpec

MAX_COMBINATIONS = 4096  # placements of one row's lines tried at most


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
    wide: bool = False  # 公开07表 may be one row of (预算数, 决算数) pairs, a budget's 三公 table one of 预算数
    widths: dict[int, int] = field(default_factory=dict)  # a label column's full line, where seen
    blank: bool = False  # no figure printed in the whole table (a template)
    layout: bool = False  # words placed by their position on the line (pdftotext -layout)
    names: tuple[str, ...] = ()  # a one-row budget 三公 table: its figures' column names (spaced_budget.wide_order)

    def header_row(self) -> tuple[str, ...]:
        """The columns' header as one row of cells (the printed one is wrapped over lines):
        what tells the row parsers where a side-by-side table's halves meet, and a table
        printed with nothing under its header `empty` rather than missing; a one-row budget
        三公 table's names of its figures (what tells the builder their order)."""
        if self.names:
            return self.names
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
    return Template(spec, tuple(slots), row_no, wide=bool(spec.wide_order))


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
                per[k] = per.get(k, 0) + width(token.text) + (1 if k in per else 0)
        for k, w in per.items():
            widths[k] = max(widths.get(k, 0), w)
    return widths


@lru_cache(maxsize=4096)
def known(code: str, half: int, label: str) -> bool:
    """A label the table knows for this half (its row labels, a function 类 by name)."""
    spec = spec_of(code)
    labels = spec.halves[half][2] if spec.halves else spec.rows
    if match_label(label, labels, set()) is not None or any(
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
