"""One table printed with spaces: its head told from its body, its rows read under each
vertical alignment, and the cheapest reading kept only when no other as cheap reads
differently (auditlib/ingest/spaced.py)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace

from auditlib.ingest.regions import LABEL
from auditlib.ingest.spaced_bind import Bounds, bind, needs_binding
from auditlib.ingest.spaced_budget import WIDE_UNSURE, wide_line, wide_names, wide_order
from auditlib.ingest.spaced_positions import learn_positions, prune
from auditlib.ingest.spaced_rows import segment
from auditlib.ingest.spaced_template import Row, Template, column_widths, known, meaning, placements, template
from auditlib.ingest.spaced_tokens import Line, squash
from auditlib.ingest.row_codes import CODE
from auditlib.ingest.table_rows import TOTAL, is_seq_row
from auditlib.ingest.tables import DEPARTMENT, UNIT, YEAR
from auditlib.kinds import spec_of
from auditlib.schema import ENUMERATOR, TableSpec

NOTE = re.compile(r"^(注\s*[:：\d]|说明\s*[:：]|无.*的，仍保留该表)")
# words of a table's head (besides its column names): what a header line is made of
HEAD_WORDS = ("项目", "行次", "栏次", "科目编码", "科目名称", "支出功能分类科目编码", "功能分类科目编码",
              "经济分类科目编码", "项目(按功能分类)", "项目(按经济分类)", "决算数", "年初预算数", "预算数",
              "金额", "合计", "类款项", "收入", "支出", "人员经费", "公用经费", "小计", "三公经费",
              "本年收入", "本年支出")
HEAD_EXTRA = {"T07": ("三公经费", "因公出国(境)费", "公务用车购置及运行维护费", "公务用车购置费", "公务用车运行维护费",
                      "公务接待费", "小计")}
SLACK = 2  # how much more an alignment that decides may cost than one that cannot
STRICT = ("top", "centre", "bottom")  # where a cell's lines stand beside its figures
MODES = (*STRICT, "centre-up", "centre-down")
# why a table whose rows were read with their 行次 out of order is not read
MISNUMBERED = ("以空格分隔的表格中，读出的行次不连续递增，行的划分有误，无法确定"
               "（the 行次 of the rows read back do not run in order: the rows are not certain）")


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
    unbound: list[Row] | None = None  # the rows before the identities bound their figures to columns
    bound: bool = False  # `rows` are those the identities bound (spaced_bind.BOUND)
    placed: bool = False  # a labelled table's flow read with its figures placed by its identities
    by: tuple[str, ...] = ()  # the other tables whose figures bound them too (spaced_bind.bound_note)
    cells: bool = False  # printed a cell a line (plain pdftotext)
    flow: list[Line] = field(default_factory=list)  # then its lines as printed, head included
    yuan: bool = False  # printed in whole 元: its whole numbers after a word are amounts (spaced_whole)
    pins: dict[int, int] = field(default_factory=dict)  # figures printed under a 栏次 number (spaced_flow_blanks)
    above: bool = False  # its title's page prints the table above too (spaced_numbered: that one's strays)
    cut: str = ""  # why it is not read whatever its lines say (spaced_cut)


def is_head(line: Line, phrases: list[str]) -> bool:
    """A line of the table's head: no figure, and either the 栏次 numbers or every word a
    piece of a column name or of the words heads are made of (wrapped header cells leave
    pieces such as "类科目编码"; a 栏次 number may stand among them, or end the last piece
    of a name beside it: "数2" under "决算")."""
    if line.figures or not line.tokens:
        return False
    if is_seq_row(tuple(t.text for t in line.tokens)):
        return True
    words = [re.sub(r"(?<=\D)\d{1,2}$", "", squash(t.text)) for t in line.tokens if t.kind == "text"]
    return bool(words) and all(any(w in p for p in phrases) for w in words)


def is_meta(line: Line) -> bool:
    """A line of the table's heading fields only: 编制单位, year, 公开NN表, unit."""
    rest = line.text
    for pattern in (DEPARTMENT, YEAR, LABEL, UNIT):
        rest = pattern.sub("", rest)
    return not rest.strip()


def _is_data(line: Line, spec: TableSpec, phrases: list[str]) -> bool:
    """A line that holds figures of the table (whole numbers count in 公开07/10表; the year
    and 公开NN表 of its heading do not)."""
    if is_meta(line):
        return False
    if line.figures or any(t.kind == "dash" for t in line.tokens):
        return True
    counts = spec.code in ("T07", "T10") and any(t.kind == "int" for t in line.tokens)
    return counts and not is_head(line, phrases)


def head_phrases(spec: TableSpec) -> list[str]:
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
    return spec.kind != "hierarchy" and any(known(spec.code, h, w) for w in words for h in halves)


def split_head(lines: list[Line], spec: TableSpec) -> tuple[list[Line], list[Line]]:
    """(head, body): the head ends at its last header line before the first row."""
    phrases = head_phrases(spec)
    first = next((i for i, line in enumerate(lines) if _is_data(line, spec, phrases)), None)
    if first is None:  # nothing printed under the header (a template)
        first = next((i for i, line in enumerate(lines) if _opens_rows(line, spec)), len(lines))
    end = max((i + 1 for i in range(first) if is_head(lines[i], phrases)), default=0)
    if end == 0 and first < len(lines):
        end = first  # no header words: everything above the first figures is the head
    return lines[:end], lines[end:]


def read_table(table: Table, layout: bool) -> Template:
    """Rebuild `table.rows` (left None when the lines cannot be read for certain); the
    template the rows follow."""
    spec = spec_of(table.code)
    header = " ".join(squash(line.text) for line in table.head)
    words = {t.text for line in table.head for t in line.tokens}
    row_no = "行次" in header or {"行", "次"} <= words or (  # 行次 wrapped in a narrow column: "行" / "次"
        spec.kind == "labelled" and ("栏次" in header or {"栏", "次"} <= words))
    tpl = template(spec, header, row_no)
    tpl.layout = layout
    body = [line for line in table.body if line.tokens]
    if spec.kind == "split":
        body = _codes_down(body)
    if not body:
        table.rows = []
    elif tpl.wide and (line := wide_line(table.code, body, len(spec.wide_order) * len(spec.columns) - 1)):
        figures = tuple(t.text for t in line.tokens)
        above = [*table.head, *(b for b in body if b.index < line.index)]
        order = wide_order(spec, above, list(figures)) if table.code.startswith("B") else ()
        if table.code.startswith("B"):
            table.body = [line]  # a budget's words around its one row (its head, prose after it) stay as printed
        table.rows = None if order is None else [Row(figures, line, (line,))]
        table.why = WIDE_UNSURE if order is None else ""
        tpl.names = wide_names(spec, order) if order else ()
    else:
        options = [placements(line, tpl) for line in body]
        if layout:
            options = _pruned(body, options, tpl, table.head)
        tpl.widths = column_widths(body, options, tpl)
        tpl.blank = not any(_is_data(line, spec, head_phrases(spec)) for line in body)
        table.readings = {mode: segment(body, tpl, options, mode) for mode in MODES}
        table.unbound, table.modes = cheapest(table.readings, tpl)
        bind_table(table, table.unbound, tpl)
        if table.rows is not None and not tpl.blank and not any(
                cell for row in table.rows for slot, cell in zip(tpl.slots, row.cells) if slot.role == "value"):
            table.rows, table.unbound, table.readings = None, None, {}  # figures printed, none in a column: no reading
    return tpl


def bind_table(table: Table, rows: list[Row] | None, tpl: Template, bounds: Bounds | None = None) -> None:
    """The table's rows: `rows` with their figures bound to columns by its identities (and
    what other tables say of its cells: `bounds`), and whether a binding was needed
    (`Table.bound`: those identities then hold on the table whatever it printed); none
    when their 行次 do not run in order (pieces of several rows put together: no reading,
    so that no other table is bounded by it and its flow, if printed a cell a line, is read)."""
    table.rows, table.why = bind(rows, tpl, bounds)
    if table.rows is not None and not numbered_in_order(table.rows, tpl):
        table.rows, table.why = None, MISNUMBERED
    table.bound = needs_binding(rows)


def cheapest(results: dict[str, tuple | None], tpl: Template, prefer: str | None = None,
             names: dict[str, str] | None = None) -> tuple[list[Row] | None, tuple[str, ...]]:
    """The rows of the cheapest reading over the vertical alignments (None when there is
    none, or when two as cheap read differently and neither the names other tables print
    for their codes (`names`: only one of them names every code as they do) nor the
    document's own alignment, `prefer`, decides) and the alignments that read them so,
    when they are not all.  An alignment that cannot decide between two readings gives
    way to one that can at a little more cost (`SLACK`); a cell centred half a line off
    its figures is the looser hypothesis, taken on a tie only when no strict one reads
    the table."""
    found = {mode: r for mode, r in results.items() if r is not None}
    low = min((r[0] for r in found.values()), default=0)
    sure = {mode: r for mode, r in found.items() if not r[2] and r[0] <= low + SLACK}
    if not sure:
        return None, ()
    best = min(r[0] for r in sure.values())
    cheapest = {mode: r for mode, r in sure.items() if r[0] <= best + 1e-9 and mode in STRICT} or \
               {mode: r for mode, r in sure.items() if r[0] <= best + 1e-9}
    if len({meaning(r[1], tpl) for r in cheapest.values()}) > 1 and names:
        cheapest = {mode: r for mode, r in cheapest.items() if _named_as(r[1], tpl, names)} or cheapest
    if len({meaning(r[1], tpl) for r in cheapest.values()}) > 1:
        if prefer not in cheapest:
            return None, ()
        cheapest = {prefer: cheapest[prefer]}
    chosen = meaning(next(iter(cheapest.values()))[1], tpl)
    modes = tuple(m for m, r in found.items() if meaning(r[1], tpl) == chosen and not r[2] and r[0] <= best + 1e-9)
    return list(next(iter(cheapest.values()))[1]), modes if len(modes) < len(found) else ()


def numbered_in_order(rows: list[Row], tpl: Template) -> bool:
    """Whether each half's 行次 run down the rows as printed (1, 2, 3 …): a row whose 行次 is
    out of the run was put together from pieces of other rows (a header cell's words and
    a figure, where a page breaks a table printed a cell a line)."""
    for half in {s.half for s in tpl.slots if s.role == "rowno"}:
        at = next(k for k, s in enumerate(tpl.slots) if s.role == "rowno" and s.half == half)
        numbers = [int(row.cells[at]) for row in rows if row.cells[at].isascii() and row.cells[at].isdigit()]
        if any(b <= a for a, b in zip(numbers, numbers[1:])):
            return False
    return True


def code_names(rows: list[Row], tpl: Template) -> dict[str, str]:
    """The name a coded table's rows print beside each code (squashed)."""
    at = {s.role: k for k, s in enumerate(tpl.slots) if s.half == 0}
    if "code" not in at:
        return {}
    return {row.cells[at["code"]]: squash(row.cells[at["label"]]) for row in rows
            if row.cells[at["code"]] and row.cells[at["label"]]}


def _named_as(rows: tuple[Row, ...], tpl: Template, names: dict[str, str]) -> bool:
    """Whether every code of `rows` that `names` knows bears that name."""
    return all(names.get(code, label) == label for code, label in code_names(list(rows), tpl).items())


def document_mode(tables: list[Table]) -> str | None:
    """The vertical alignment the document's tables share: the one that most often alone
    (or with fewer than all) read a table; a strict one before the looser one it implies."""
    votes = Counter(mode for t in tables for mode in t.modes)
    if not votes:
        return None
    top = [mode for mode in MODES if votes[mode] == max(votes.values())]  # strict ones first
    return top[0] if len(top) == 1 or top[0] in STRICT and top[1] not in STRICT else None


def _pruned(body: list[Line], options: list[list[tuple[int, ...]]], tpl: Template,
            head: list[Line]) -> list[list[tuple[int, ...]]]:
    """The placements left once each page's column positions are known: learnt from the
    lines that fit one way only and the header's names (or, on a page without a header of
    its own, the positions of the page before), then again from the lines those positions
    leave one way only (a header name's edge is not its figures' edge: the rows pinned by
    it tell where the figures really stand)."""
    out = list(options)
    before: dict[int, float] | None = None
    for page in sorted({line.page for line in body}):
        idx = [i for i, line in enumerate(body) if line.page == page]
        lines, opts = [body[i] for i in idx], [options[i] for i in idx]
        own = [line for line in head if line.page == page]
        prior = None if own else before  # a page under a header of its own starts afresh
        at = learn_positions(lines, opts, tpl, own or head, prior)
        at = learn_positions(lines, [prune(o, line, tpl, at) for o, line in zip(opts, lines)], tpl, own or head, prior)
        for i in idx:
            out[i] = prune(options[i], body[i], tpl, at)
        before = at
    return out


def _codes_down(body: list[Line]) -> list[Line]:
    """A split table's lines with a code that ends a line of figures moved to the next line
    when that line is a label and figure without a code: WPS prints the right half's code a
    line above its label and figure, beside the left half's row ("30109 职业年金缴费 225.12
    30207" / "邮电费 8.05"), and a line belongs to one row only."""
    out = list(body)
    for i in range(len(out) - 1):
        line, below = out[i], out[i + 1]
        last = line.tokens[-1]
        if len(line.tokens) > 1 and last.kind == "int" and CODE.fullmatch(last.text) \
                and line.tokens[-2].kind == "fig" and below.tokens[0].kind == "text" and below.figures \
                and not any(t.kind == "int" for t in below.tokens):
            out[i] = replace(line, tokens=line.tokens[:-1])
            out[i + 1] = replace(below, tokens=(last, *below.tokens))
    return out
