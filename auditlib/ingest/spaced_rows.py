"""Rows read back from the lines of a table printed with spaces: what one run of lines makes
with its words in given slots, and what it costs (labels the table does not know, a label's
lines far from its figures under the table's vertical alignment); the cheapest cut of a
table's body into rows, by dynamic programming, and whether another as cheap reads
differently (auditlib/ingest/spaced.py)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from auditlib.ingest.pdf_text import glue
from auditlib.ingest.spaced_identities import BOUND_TABLES
from auditlib.ingest.spaced_template import MAX_COMBINATIONS, Row, Template, known, meaning
from auditlib.ingest.spaced_tokens import Line, squash, width
from auditlib.ingest.row_codes import CODE
from auditlib.ingest.table_rows import TOTAL
from auditlib.schema import ECONOMIC_CLASSES, ENUMERATOR, FUNCTION_CLASSES, label_key

MAX_ROW_LINES = 8  # a row's cells wrap over at most this many lines
UNKNOWN_LABEL = 5  # cost of a label the table does not know (kept when figures stand beside it)
NO_NAME = 3  # cost of a coded row without a name
SPACED_WORDS = 0.5  # cost of words apart on one line read as one cell (two cells side by side are likelier)


@dataclass
class Reading:
    cost: float
    row: Row


def read_row(lines: tuple[Line, ...], choice: tuple[tuple[int, ...], ...], tpl: Template, mode: str,
             first: bool) -> Reading | None:
    """The row that `lines` make with each line's tokens in the slots `choice` gives, and
    its cost; None when they make no row of the table."""
    slots = tpl.slots
    pieces = _gathered(lines, choice, tpl)
    if pieces is None:
        return None
    figured = [n for n in range(len(lines)) if any(slots[k].role in ("value", "rowno") for k in choice[n])]
    if len(figured) > 1:
        return None  # a row's figures stand on one line, whatever its labels do
    anchor = figured[0] if figured else None
    if tpl.spec.kind == "split" and anchor is not None and not _codes_beside(choice, tpl, anchor):
        return None  # and so do the codes beside them
    if anchor is None:
        anchor = next((n for n in range(len(lines)) if any(slots[k].role == "code" for k in choice[n])), None)
    cost = 0.0
    for half in sorted({s.half for s in slots}):
        own = [k for k, s in enumerate(slots) if s.half == half]
        got = {slots[k].role: pieces[k] for k in own if k in pieces}
        if not got:
            continue
        more = _half_cost(got, half, tpl, first)
        if more is None:
            return None
        cost += more
        if "label" in got:
            lines_of = [n for n, _ in got["label"]]
            full = tpl.widths.get(next(k for k in own if slots[k].role == "label"))
            cost += _ragged(got["label"], full) + SPACED_WORDS * (len(lines_of) - len(set(lines_of)))
            if anchor is not None:
                above = len({n for n, _ in got["label"] if n < anchor})
                below = len({n for n, _ in got["label"] if n > anchor})
                cost += _off(mode, above, below)
    cells = tuple(_cell(slots[k].role, pieces.get(k, [])) for k in range(len(slots)))
    return Reading(cost, Row(cells, lines[anchor if anchor is not None else 0], lines))


def _codes_beside(choice: tuple[tuple[int, ...], ...], tpl: Template, anchor: int) -> bool:
    """Whether a split table's codes stand on the line of the row's figures — or, for a
    half whose figures' line prints no code, alone on a line of their own (WPS prints a
    cell's code a line above its label and figure: "30299" / "其他商品和服务支出 0.20")."""
    slots = tpl.slots
    for n, placement in enumerate(choice):
        for k in (k for k in placement if n != anchor and slots[k].role == "code"):
            if len(placement) > 1 or any(slots[j].role == "code" and slots[j].half == slots[k].half
                                         for j in choice[anchor]):
                return False
    return True


def _gathered(lines: tuple[Line, ...], choice: tuple[tuple[int, ...], ...],
              tpl: Template) -> dict[int, list[tuple[int, str]]] | None:
    """Each slot's words, as (line, text), under the placement `choice`; None when it puts
    two figures in one column or a code together that no code is."""
    slots = tpl.slots
    pieces: dict[int, list[tuple[int, str]]] = {}
    for n, (line, placement) in enumerate(zip(lines, choice)):
        for token, k in zip(line.tokens, placement):
            if slots[k].role in ("rowno", "value") and k in pieces:
                return None  # one figure per column
            if slots[k].role == "code" and not _code_goes_on(pieces.get(k, []), n, token.text):
                return None
            pieces.setdefault(k, []).append((n, token.text))
    return pieces


def _half_cost(got: dict[str, list[tuple[int, str]]], half: int, tpl: Template, first: bool) -> float | None:
    """What one half of a row costs by what it says (a code without a name, a name not the
    code's, a label the table does not know); None when it is no row of the table."""
    code = _joined(got.get("code", [])).replace(" ", "")
    if any(ENUMERATOR.match(text) for _, text in got.get("label", [])[1:]):
        return None  # a label's numbering ("二、") opens it
    label = _label(got.get("label", []))
    if code and not CODE.fullmatch(code):
        return None
    figures = "value" in got or "rowno" in got
    cost = float(NO_NAME if code and not label else 0)
    if tpl.spec.kind == "hierarchy":
        if not code and not (label and TOTAL.search(label_key(label))):
            if not (first and figures and not label):
                return None  # a row of figures alone is the 合计 only at the top
        if not code and not figures and not tpl.blank:
            return None  # a 合计 without figures is another line of the one with them
        return cost + _misnamed(code, label, FUNCTION_CLASSES)
    if not (code or label or "rowno" in got):
        return None  # figures belong to the label (or code, or 行次) of their half
    cost += _misnamed(code, label, ECONOMIC_CLASSES)
    if tpl.row_no and "rowno" not in got and (label or "value" in got):
        return None  # every row of a table with 行次 prints it
    if label and not code and not known(tpl.spec.code, half, label):
        if not figures or any(s.role == "code" for s in tpl.slots):
            return None  # words alone are a row only when the table knows them; 公开06表's rows have codes
        cost += UNKNOWN_LABEL
    return cost


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
        widths[n] = widths.get(n, 0) + width(text)
    lines = [widths[n] for n in sorted(widths)]
    if len(lines) < 2:
        return 0
    full = full or max(lines[:-1])
    return sum(w < full - 2 for w in lines[:-1]) + (lines[-1] > full + 2)


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
    if len(words) == 1 and tpl.spec.code in BOUND_TABLES:  # only the figures' columns differ
        return best[0].cost, Row(cells[0], row.line, row.lines, tuple(cells)), False
    return best[0].cost, row, len({meaning([r.row], tpl) for r in best}) > 1
