"""Plain `pdftotext`'s flow of a table of labelled rows numbered by 行次 (公开07表, 公开10表):
labels and figures as streams that do not stand beside each other (auditlib/ingest/spaced.py).

A producer that wraps several rows' labels into one text block (LibreOffice Writer) has
pdftotext print those labels together, then each row's 行次 and figures — or several
行次 in one block and their figures in the next ("9" "10" / "0" "5").  Joining cells up to
the next label then puts several rows in one.  What is left to read is the two streams:

- the numbers, in order: 行次 1, 2, … N, each followed by its row's figures (one per value
  column: a figure, a dash or a count) — several consecutive 行次 before their figures
  only where a row has one figure (else which is whose is not known).  Every way the
  stream parses so is listed; it is read when all give the same figures (and not when
  there are too many ways to list: one not listed might give others);
- a figure (or dash) printed right after a header cell that ends in its 栏次 k ("决算" /
  "数2" / "3.18") may also be column k of the first row the page prints under that
  header, when that row's figures so stand in the flow in their columns' order: Writer's
  header cell and the cell right under it stand one above the other, and pdftotext may
  print that cell after the header, apart from its row (synth's 公开07表: row 1's 决算数
  after rows 2–12, under "决算数2"; its 年初预算数 "6.01" in one block with "年初预算数1").
  Both places are parses like the others: read only when every parse gives the same
  figures (Chromium's row 20, "20" / "决算" / "数2" / "-" / "12", reads in place only: the
  "-" taken for its 决算数 would stand before the "12" then its 年初预算数);
- the labels: every row the table's template has, found in the words in its order
  (N must be that many rows) — or so once the words a page prints after its last number
  are put back after the page before's last label words (the rest of a label cut by the
  page break, with the next row's label: Writer's block at the top of a page, which
  pdftotext prints after the page's rows).

Where the page of the title also prints the table above, pdftotext may print a block of
that table there, late: after this title (LibreOffice's 公开09表 栏次 "1" "2" "3", Chromium's
公开06表 "160.08", before 公开10/07表's header) or at the end of the page, after this table's
rows on it (Writer's "160.08" after 公开07表's row 14, its rows going on on the next page).
Only where the stream parses no way as printed, it is parsed again without those numbers
(`_strays`): a number too many anywhere else leaves the table unread, and a number of the
table's own left out leaves it no parse.

Anything else — a 栏次 number alone on its line, a row missing, a figure too many — parses
no way (the table stays unread with the reason it had, or MISCOUNTED when every 行次 is
printed in order) or differently (unread: UNNUMBERED).

公开07表 printed as one row of twelve figures (WPS, Shanghai: 预算数/决算数 of 合计, 出国,
车 小计/购置/运行, 接待) has neither labels nor 行次 in its flow, and is not read from it:
its identities hold for 2.85/0.39 in 出国, 接待, or 车 with either part, so only the order
of the figures could tell, and pdftotext's order of the cells of one line is not certain
(Writer's 公开03表, synth-000011's last page: one row's three right-hand cells printed before
its three left-hand ones) — "2.85 0.39 0.00 0.00 0.00" / "0.00" … "2.85" "0.39" is also what
出国's 2.85/0.39 printed after the next eight cells would leave.
"""

from __future__ import annotations

import re

from auditlib.ingest.spaced_numbered_blanks import NUMBERS, blank_numbered, number_stream
from auditlib.ingest.spaced_tables import head_phrases, is_head
from auditlib.ingest.spaced_template import Row, Template
from auditlib.ingest.spaced_tokens import Line, Placed, squash, words
from auditlib.schema import QUOTES

COLUMN_WORDS = ("栏次", "行次")  # besides the columns' names: what only the header of the columns prints
MAX_PARSES = 64  # ways the number stream parses, listed at most: more, and which is whose is not known
Parse = list[tuple[Placed, list[Placed]]]  # each row's 行次 and figures
# why a table numbered by 行次 printed a cell a line is not read
UNNUMBERED = ("每格一行印出（pdftotext），行次与金额的先后不能唯一地分成各行，无法确定"
              "（printed a cell a line: the 行次 and figures do not split into rows one way only）")
# why one whose 行次 are all printed in order is not read when its numbers parse no way
MISCOUNTED = ("每格一行印出（pdftotext），各行行次都已依次印出，但行次之间的数字与栏目个数不符（多出或缺少），无法确定各行"
              "（printed a cell a line: every 行次 is printed in order, but the numbers between them do not fit the "
              "columns — one too many or missing）")


def numbered_rows(lines: list[Line], tpl: Template, above: bool = False) -> tuple[list[Row] | None, str, bool]:
    """The rows of a labelled table with 行次 printed a cell a line (`lines`: as printed,
    head included), read from its streams of numbers and labels, in `tpl`'s slots (its
    行次 dropped when the header did not show one) — when they give none and the page of
    its title prints the table above too (`above`), without that one's numbers pdftotext
    printed there (`_without_strays`); None and why when they give several readings or
    none though every 行次 is printed in order (MISCOUNTED; else "": the table is not
    printed so) — and whether its identities placed the figures (公开07表 without its
    blank cells: spaced_numbered_blanks)."""
    spec = tpl.spec
    labels = _labels(lines, tpl)
    if labels is None:
        return None, "", False
    columns = sum(s.role == "value" for s in tpl.slots)
    parses = _parses(lines, head_phrases(spec), len(spec.rows), columns)
    if parses == [] and above:
        parses = _without_strays(lines, head_phrases(spec), len(spec.rows), columns)
    if parses is not None and not parses:
        return _not_a_figure_a_cell(lines, tpl, labels, columns)
    if parses is None or len(parses) > MAX_PARSES or len({tuple(t.text for row in p for _, t in row[1]) for p in parses}) != 1:
        return None, UNNUMBERED, False  # the parses not listed might give other figures
    out = []
    for label, (number, figures) in zip(labels, parses[0]):
        values = iter(t.text for _, t in figures)
        cells = tuple(label if s.role == "label" else number[1].text if s.role == "rowno" else next(values)
                      for s in tpl.slots)
        out.append(Row(cells, number[0], (number[0], *dict.fromkeys(line for line, _ in figures))))
    return out, "", False


def _labels(lines: list[Line], tpl: Template) -> list[str] | None:
    """Each row's label as the words print it, in the template's order (the header a later
    page repeats, maybe amid a label broken over the page, left out; else every header
    line left out: a narrow header printed after the first label's first line, "一、车辆数" /
    "栏" / "次" / "决" / "算" / "数" / "合计(台、辆)"; else only the lines of the columns'
    names and 栏次 left out, not pieces of the row names 公开07表's wide form prints in its
    header or of the words heads are made of: Calc's header printed amid a label,
    "2.公务用车" / "购置及运行" / "栏" / "次" / … / "决算" / "数2" / … / "维护费" ("购置及运行"
    is a piece of such a name, "3.公务接待" / "费"'s "费" one of "三公经费"); else with the words a page prints
    after its last number put back after the page before's last label words: `_tails_up`);
    None when the table has no single list of rows or a row's label is not found after
    the one before it."""
    spec = tpl.spec
    if spec.halves or not spec.rows or any(r.after for r in spec.rows):
        return None
    phrases = head_phrases(spec)
    later = [line for line in lines if line.page == lines[0].page or not is_head(line, phrases)]
    columns = [squash(p) for p in (*COLUMN_WORDS, *spec.column_names.values())]
    bodies = (later, [line for line in lines if not is_head(line, phrases)],
              [line for line in lines if not is_head(line, columns)])
    for words_of in (*bodies, *(v for body in bodies for v in _tails_up(body, phrases))):
        found = _found_labels(words_of, tpl)
        if found is not None:
            return found
    return None


def _tails_up(lines: list[Line], phrases: list[str]) -> list[list[Line]]:
    """`lines` with the words some pages print after their last number (a figure, dash,
    行次 or count) put back after the last words of a label on the page before, every
    choice of pages but none: Writer's label cell cut by a page break leaves its rest, and
    the next row's label with it, in a block at the top of the next page, which pdftotext
    prints after that page's rows (synth's 公开07表: "2.因公出国" ends page 1, "(境)人次" /
    "(人)" / "3.公务用车购置数(辆)" follow row 20's figures); none when the choices are more
    than MAX_PARSES (pages enough to list them all are a table no such block is looked for in)."""
    pages = list(dict.fromkeys(line.page for line in lines))
    tails: dict[int, list[Line]] = {}
    for before, page in zip(pages, pages[1:]):
        on = [line for line in lines if line.page == page]
        numbered = [k for k, line in enumerate(on) if any(t.kind in NUMBERS for t in line.tokens)]
        words_before = [line for line in lines if line.page == before and _is_label(line, phrases)]
        if numbered and words_before and any(line.tokens for line in on[numbered[-1] + 1:]):
            tails[id(words_before[-1])] = on[numbered[-1] + 1:]
    if 2 ** len(tails) > MAX_PARSES + 1:
        return []
    out = []
    for n in range(1, 2 ** len(tails)):
        chosen = {at: tail for k, (at, tail) in enumerate(tails.items()) if n >> k & 1}
        moved = {id(line) for tail in chosen.values() for line in tail}
        out.append([x for line in lines if id(line) not in moved for x in (line, *chosen.get(id(line), ()))])
    return out


def _is_label(line: Line, phrases: list[str]) -> bool:
    """A line of words that are no header's."""
    return bool(line.tokens) and all(t.kind == "text" for t in line.tokens) and not is_head(line, phrases)


def _found_labels(lines: list[Line], tpl: Template) -> list[str] | None:
    """Each row's label found in the words of `lines` after the one before it, or None."""
    text = QUOTES.sub("", words(lines))
    out, at = [], 0
    for row in tpl.spec.rows:
        found = re.search(row.pattern, text[at:])
        if found is None:
            return None
        out.append(found.group())
        at += found.end()
    return out


def _without_strays(lines: list[Line], phrases: list[str], rows: int, columns: int) -> list[Parse] | None:
    """Every parse of the number stream with the table above's numbers printed on this
    table's first page left out (`_strays`: those before the header, the page's last, or
    both), MAX_PARSES + 1 at most; None as `_parses`."""
    before, last = _strays(lines)
    found: list[Parse] = []
    for left_out in dict.fromkeys(s for s in (before, last, before | last) if s):
        parses = _parses([line for line in lines if id(line) not in left_out], phrases, rows, columns)
        if parses is None:
            return None
        found += parses
        if len(found) > MAX_PARSES:
            break
    return found


def _strays(lines: list[Line]) -> tuple[frozenset[int], frozenset[int]]:
    """The lines of numbers alone on the page of the table's title that may be the table
    above's (ids): those before the header's 项目 (LibreOffice's 公开09表 栏次 "1" "2" "3"
    after 公开10表's title; Chromium's 公开06表 "160.08" after 公开07表's), and the last of the
    page after it (Writer's "160.08" after 公开07表's row 14, at the end of the page it
    shares with 公开06表).  A block of the table above that pdftotext prints late stands
    there: the page's other numbers are this table's rows."""
    page = [line for line in lines if line.page == lines[0].page] if lines else []
    alone = [k for k, line in enumerate(page) if _numbers(line)]
    head = next((k for k, line in enumerate(page) if line.tokens and line.tokens[0].text == "项目"), len(page))
    on = any(_numbers(line) for line in lines[len(page):])  # the table goes on: its rows on the next page
    before = frozenset(id(page[k]) for k in alone if k < head)
    last = frozenset(id(page[k]) for k in alone[-1:] if k > head and on)
    return before, last


def _not_a_figure_a_cell(lines: list[Line], tpl: Template, labels: list[str],
                         columns: int) -> tuple[list[Row] | None, str, bool]:
    """A table whose numbers parse no way with every cell printed: read with its blank cells
    not printed when that binds one way (公开07表: spaced_numbered_blanks); else why — with
    every 行次 in order and a number for every cell or more, a number too many or out of place
    (MISCOUNTED), rather than a cell left blank."""
    read, why = blank_numbered(lines, tpl, labels)
    if read is not None:
        return read, "", True
    rows = len(tpl.spec.rows)
    numbered = _all_numbered(lines, rows)
    if numbered and (not why or len(number_stream(lines)) >= rows * (columns + 1)):
        return None, MISCOUNTED, False
    return None, why, False


def _all_numbered(lines: list[Line], rows: int) -> bool:
    """Whether the number stream holds 行次 1 … `rows` in order (amid other numbers)."""
    n = 1
    for line in lines:
        for token in line.tokens if _numbers(line) else ():
            n += token.kind == "int" and token.text == str(n)
    return n > rows


def _numbers(line: Line) -> bool:
    """A line of numbers alone (figures, dashes, 行次, counts)."""
    return bool(line.tokens) and all(t.kind in NUMBERS for t in line.tokens)


def _parses(lines: list[Line], phrases: list[str], rows: int, columns: int) -> list[Parse] | None:
    """Every way the number stream of `lines` parses into 行次 1 … `rows` with their figures,
    each figure after a header cell ending in 栏次 k taken in place and as column k of the
    first row under that header (`_under_head`), MAX_PARSES + 1 at most; None when the
    choices of figures taken so are more than MAX_PARSES (their parses are not all listed)."""
    stream = number_stream(lines)
    choices = _subsets(_under_head(lines, phrases, columns))
    if choices is None:
        return None
    found: list[Parse] = []
    for chosen in choices:
        moved = {(placed[0].page, k): placed for placed, k in chosen}
        kept = [p for p in stream if not any(p[0] is q[0] and p[1] is q[1] for q, _ in chosen)]
        found += _walk(kept, rows, columns, moved, MAX_PARSES + 1 - len(found))
        if len(found) > MAX_PARSES:
            break
    return found


def _under_head(lines: list[Line], phrases: list[str], columns: int) -> list[tuple[Placed, int]]:
    """The figures (and dashes) printed first on a line right after a header cell whose
    last word ends in the 栏次 k of a value column ("数2"), with k."""
    out = []
    for before, line in zip(lines, lines[1:]):
        if not (line.tokens and before.tokens and is_head(before, phrases)):
            continue
        last = before.tokens[-1]
        k = re.search(r"(?<=\D)(\d)$", last.text) if last.kind == "text" else None
        first = line.tokens[0]
        if k and 1 <= int(k.group(1)) <= columns and first.kind in ("fig", "dash") \
                and all(t.kind in NUMBERS for t in line.tokens):
            out.append(((line, first), int(k.group(1))))
    return out


def _subsets(apart: list[tuple[Placed, int]]) -> list[list[tuple[Placed, int]]] | None:
    """Every choice of figures printed under a header cell taken apart from the stream (at
    most one per page and column), the empty one (all in place) first; None when they are
    more than MAX_PARSES (each choice is parsed: a header repeated on many pages)."""
    out: list[list[tuple[Placed, int]]] = [[]]
    for item in apart:
        out += [[*s, item] for s in out if all((p[0].page, k) != (item[0][0].page, item[1]) for p, k in s)]
        if len(out) > MAX_PARSES:
            return None
    return out


def _walk(stream: list[Placed], rows: int, columns: int, moved: dict[tuple[int, int], Placed],
          limit: int) -> list[Parse]:
    """Every way `stream` is 行次 1 … `rows` each with `columns` figures (several 行次 in a
    row before their figures only when `columns` is 1), the first row on a page taking
    its columns in `moved` from there (each used once: `_first_row`), `limit` at most."""
    found: list[Parse] = []

    def walk(i: int, n: int, acc: Parse, used: int) -> None:
        if len(found) >= limit:
            return
        if n > rows:
            if i == len(stream) and used == len(moved):
                found.append(list(acc))
            return
        page = stream[i][0].page if i < len(stream) else None
        here = {k: p for (pg, k), p in moved.items() if pg == page and (not acc or acc[-1][0][0].page != page)}
        if here:
            row = _first_row(stream, i, n, columns, here)
            if row is not None:
                walk(i + 1 + columns - len(here), n + 1, acc + [row], used + len(here))
            return
        m = 0
        while i + m < len(stream) and n + m <= rows and stream[i + m][1].text == str(n + m) and (m == 0 or columns == 1):
            m += 1
            start = i + m
            figures = stream[start:start + m * columns]
            if len(figures) == m * columns:
                rows_read = [(stream[i + r], figures[r * columns:(r + 1) * columns]) for r in range(m)]
                walk(start + m * columns, n + m, acc + rows_read, used)

    walk(0, 1, [], 0)
    return found


def _first_row(stream: list[Placed], i: int, n: int, columns: int,
               here: dict[int, Placed]) -> tuple[Placed, list[Placed]] | None:
    """Row `n` at `stream[i]` (its 行次), the first on its page: its columns in `here` from
    under the header, the others from the stream — only when its figures then stand in
    the flow in the order of their columns, as Writer's do (its first row's cell printed
    after its column's header and the cells left of it); a figure under a header printed
    before a figure that would then be left of it may as well be that one's column
    (Chromium's "数2" / "-" / "12" of row 20: the "-" is its 年初预算数) and is not taken."""
    width = columns - len(here)
    if stream[i][1].text != str(n) or i + 1 + width > len(stream):
        return None
    got = iter(stream[i + 1:i + 1 + width])
    figures = [here[k] if k in here else next(got) for k in range(1, columns + 1)]
    at = [(line.index, next(k for k, t in enumerate(line.tokens) if t is token)) for line, token in figures]
    return (stream[i], figures) if at == sorted(at) else None
