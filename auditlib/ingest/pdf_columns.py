"""Tables continued to the right, joined back into one table.

A spreadsheet printed without fit-to-width puts the columns that do not fit on the
following page(s): 公开04表's 一般公共预算 / 政府性基金 / 国有资本经营 columns, the
right half of 公开02表.  Those pages hold the same rows as the table's first pages,
with the row labels repeated or not (sometimes only 行次 to align them), printed
across then down or down then across.  A part of a table on a later page (a
*piece*) continues the table to the right when its rows are the table's rows:

* **by key** — its leading columns, the ones that hold no amount (labels, codes,
  行次), repeat a run of the table's columns, every keyed row in the table's order;
  the repeated columns are dropped;
* **by position** — a piece with no row labels (figures, perhaps 行次) whose every
  band lies exactly where a band of one earlier part lies: a spreadsheet prints the
  same rows at the same heights on every page across.  Of the parts that fit, the
  first one not yet continued in those columns is taken, which gives both print
  orders.

Its cells are then appended to the rows they continue (cells keep their own page in
their box), the caption lines printed above it (公开04表, 金额单位 right-aligned over
the last columns) join the table's caption, and a page that held only the
continuation leaves nothing behind.  A piece whose rows agree with no part of the
table is left as it is: its figures stay unread and the table is reported `unread`
(honest failure, as for any table that could not be read).

Only the ten tables (a title above the first part) are joined so.  Parts belong to one
table until the title of another table or a part heading (第三部分) comes between them,
and a continuation stands on the page right after the table's last.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from auditlib.ingest.lines import SourceLine
from auditlib.ingest.pdf_text import FIGURE, Line, Piece, squash
from auditlib.ingest.regions import LABEL, PART, title_of
from auditlib.numbers import is_blank, is_number

__all__ = ["join_columns"]

ALIGN = 1.0  # points: the bands of one row printed on two pages lie this close


@dataclass
class _Group:
    """The parts of one table: its row parts (pages down) and what continues them."""

    code: str | None  # the table whose title stands above it
    blocks: list[Piece] = field(default_factory=list)
    widths: dict[tuple, int] = field(default_factory=dict)  # per column block: its width, in order
    # (part, row) -> column block -> (cells, boxes, scores) appended to that row
    extra: dict[tuple[int, int], dict[tuple, tuple]] = field(default_factory=dict)
    pages: dict[int, set[int]] = field(default_factory=dict)  # part -> pages its cells come from
    joined: dict[int, int] = field(default_factory=dict)  # part -> column blocks joined to it


def _body(piece: Piece) -> list[int]:
    """The rows that hold an amount."""
    return [i for i, (_t, cells) in enumerate(piece.rows) if any(FIGURE.search(c) for c in cells)]


def _is_label(cell: str) -> bool:
    return bool(cell) and not is_number(cell) and not is_blank(cell)


def _labelled(piece: Piece) -> bool:
    """Whether the piece's rows of amounts carry words (row labels), not only figures,
    codes and 行次."""
    return any(_is_label(c) for i in _body(piece) for c in piece.rows[i][1])


def _key_width(piece: Piece) -> int:
    """How many leading columns hold no amount in any row (labels, codes, 行次): all of
    them on a page that only repeats the table's label columns (print titles)."""
    body = _body(piece)
    width = 0
    for j in range(piece.ncols):
        if any(j < len(piece.rows[i][1]) and FIGURE.search(piece.rows[i][1][j]) for i in body):
            break
        width += 1
    return width


def _cells(group: _Group, at: tuple[int, int]) -> tuple[str, ...]:
    b, r = at
    return group.blocks[b].rows[r][1]


def _place_unkeyed(piece: Piece, mapping: dict[int, tuple[int, int]], group: _Group) -> bool:
    """Place the rows without a key (栏次 rows, header cells of the new columns) at
    their offset from the nearest keyed row in the same part; a row of amounts that
    finds no place fails the join, a header cell that finds none is dropped."""
    keyed = sorted(mapping)
    for i, (_t, cells) in enumerate(piece.rows):
        if i in mapping or not any(cells):
            continue
        before = [k for k in keyed if k < i]
        after = [k for k in keyed if k > i]
        spots = []
        if before:
            b, r = mapping[before[-1]]
            spots.append((b, r + i - before[-1]))
        if after:
            b, r = mapping[after[0]]
            spots.append((b, r - (after[0] - i)))
        spot = next(((b, r) for b, r in spots if 0 <= r < len(group.blocks[b].rows)), None)
        if spot is not None and spot not in mapping.values():
            mapping[i] = spot
        elif any(FIGURE.search(c) for c in cells):
            return False
    return True


def _by_key(group: _Group, piece: Piece) -> tuple[int, dict[int, tuple[int, int]]] | None:
    """(key width, piece row -> (part, row)) when the piece's leading columns repeat a
    run of the table's columns, every keyed row found in the table's order (at least
    two of them rows it adds cells to), its rows of amounts keyed too or lying on the
    bands of the rows they continue.  The rows of one part are tried first, in the
    order of `_by_position` (print titles repeat the header rows in each), then those
    of all parts (a continuation longer or shorter than the parts it continues)."""
    parts = sorted(range(len(group.blocks)), key=lambda b: (group.joined.get(b, 0), b))
    orders = [[(b, r) for r in range(len(group.blocks[b].rows))] for b in parts]  # one part, as by position
    orders.append([(b, r) for b, blk in enumerate(group.blocks) for r in range(len(blk.rows))])  # or several
    body = set(_body(piece))
    widest = max((blk.ncols for blk in group.blocks), default=0)
    for w in range(_key_width(piece), 0, -1):
        keys = [tuple(squash(c) for c in cells[:w]) for _t, cells in piece.rows]
        keyed = [i for i, k in enumerate(keys) if any(k)]
        adds = [i for i in keyed if any(piece.rows[i][1][w:])]  # rows it brings cells to
        if w == piece.ncols:
            adds = keyed  # it brings nothing: the label columns printed again, alone
        if len(adds) < 2:
            continue
        # rows of amounts whose label columns are blank (a row block past the end of one
        # half) are placed by offset: then the bands must agree as well
        by_keys = not body or len(body.intersection(keyed)) >= 2
        for order, s in ((order, s) for order in orders for s in range(widest - w + 1)):
            mapping: dict[int, tuple[int, int]] = {}
            j = 0
            for i in keyed:
                while j < len(order) and tuple(squash(c) for c in _cells(group, order[j])[s:s + w]) != keys[i]:
                    j += 1
                if j == len(order):
                    break
                mapping[i] = order[j]
                j += 1
            else:
                if (not _reprinted(group, piece, mapping, s + w, w) and _place_unkeyed(piece, mapping, group)
                        and (by_keys or _aligned(group, piece, mapping))):
                    return w, mapping
    return None


def _aligned(group: _Group, piece: Piece, mapping: dict[int, tuple[int, int]]) -> bool:
    """Whether every row lies on the band of the row it continues (the same heights)."""
    def band(pc: Piece, r: int) -> tuple[float, float]:
        return pc.rows[r][0], pc.bottoms[r] if r < len(pc.bottoms) else float("nan")

    return all(abs(a - c) <= ALIGN and abs(b - d) <= ALIGN
               for i, (blk, r) in mapping.items()
               for (a, b), (c, d) in [(band(piece, i), band(group.blocks[blk], r))])


def _reprinted(group: _Group, piece: Piece, mapping: dict[int, tuple[int, int]], at: int, w: int) -> bool:
    """Whether the piece's other columns repeat, row for row (headers too), the table's
    own columns after the key run (`at`): the same table printed again (a project list,
    a 评分表 printed in two sections) rather than new columns."""
    width = piece.ncols - w
    rows = [i for i in mapping if any(piece.rows[i][1][w:])]
    return bool(rows) and all([squash(c) for c in piece.rows[i][1][w:]]
                              == [squash(c) for c in _cells(group, mapping[i])[at:at + width]] for i in rows)


def _by_position(group: _Group, piece: Piece) -> dict[int, tuple[int, int]] | None:
    """piece row -> (part, row) when every band of the piece lies where a band of one
    earlier part lies; of those, the first with the fewest column blocks joined (so
    down-then-across and across-then-down orders both find their part).  A piece with
    row labels of its own (the right half of 公开06表) could be a page of new rows that
    happens to fall on the same bands (`_other_columns` tells)."""
    for b in sorted(range(len(group.blocks)), key=lambda b: (group.joined.get(b, 0), b)):
        blk = group.blocks[b]
        if blk.page is None or piece.page is None or blk.page >= piece.page:
            continue
        if abs(blk.top - piece.top) > ALIGN or abs(blk.bottom - piece.bottom) > ALIGN:
            continue
        bands = list(zip((t for t, _c in blk.rows), blk.bottoms))
        mapping = {}
        for i, ((t, _c), u) in enumerate(zip(piece.rows, piece.bottoms)):
            r = next((r for r, (bt, bu) in enumerate(bands) if abs(bt - t) <= ALIGN and abs(bu - u) <= ALIGN), None)
            if r is None:
                break
            mapping[i] = (b, r)
        else:
            if not _labelled(piece) or _other_columns(blk, piece, mapping):
                return mapping
    return None


def _other_columns(blk: Piece, piece: Piece, mapping: dict[int, tuple[int, int]]) -> bool:
    """Whether a piece with row labels of its own prints other columns of the part's
    rows, not new rows under the part's columns: it has header rows of its own, lying
    beside the part's header rows and unlike them (a page of new rows has none, or the
    same under print titles), and its row labels are not the part's."""
    head = _head(piece)
    if not head or _body(blk)[:1] and _body(blk)[0] <= mapping[len(head) - 1][1]:
        return False
    if [tuple(squash(c) for c in blk.rows[mapping[i][1]][1]) for i in range(len(head))] == head:
        return False
    body = [i for i in _body(piece) if piece.rows[i][1][0]]
    same = sum(1 for i in body if squash(piece.rows[i][1][0]) == squash(blk.rows[mapping[i][1]][1][0]))
    return 2 * same <= len(body)


def _head(piece: Piece) -> list[tuple[str, ...]]:
    """The rows above the first row of amounts (caption and header rows), squashed."""
    body = _body(piece)
    return [tuple(squash(c) for c in cells) for _t, cells in piece.rows[: body[0] if body else len(piece.rows)]]


def _column_block(group: _Group, piece: Piece, width: int, mapping: dict[int, tuple[int, int]]) -> tuple:
    """Which columns the piece adds.  The pages of one column block print the same
    column edges and width, and where they meet the same row (a header row repeated
    on each page) the same text; a piece that lands other text on rows a block has
    filled is the next block to the right (its edges may be alike)."""
    edges = tuple(round(x) for x in piece.xs)
    n = 0
    while any((there := group.extra.get(at, {}).get((edges, width, n))) is not None
              and [squash(c) for c in there[0]] != [squash(c) for c in piece.rows[i][1][-width:]]
              for i, at in mapping.items()):
        n += 1
    return edges, width, n


def _attach(group: _Group, piece: Piece) -> bool:
    """Join `piece` to the table's rows if it continues them to the right: on the page
    right after the table's last page so far (in either print order a continuation
    follows the pages it continues)."""
    last = max(p for blk in group.blocks for p in blk.pages)
    last = max([last, *(p for pages in group.pages.values() for p in pages)])
    if piece.page is None or not last < piece.page <= last + 1:
        return False
    found = _by_key(group, piece)
    if found is None and piece.xs:
        mapping = _by_position(group, piece)
        found = (0, mapping) if mapping else None
    if found is None:
        return False
    w, mapping = found
    block_id = _column_block(group, piece, piece.ncols - w, mapping)
    group.widths.setdefault(block_id, piece.ncols - w)
    for b in {b for b, _r in mapping.values()}:
        group.joined[b] = group.joined.get(b, 0) + 1
    for i, at in mapping.items():
        if block_id in group.extra.get(at, {}):
            continue  # a header row repeated on the next page of the continuation
        cells = piece.rows[i][1][w:]
        boxes = piece.boxes[i][w:] if i < len(piece.boxes) else (None,) * len(cells)
        boxes = tuple(None if bx is None else (piece.page, *bx[-4:]) for bx in boxes)
        scores = piece.scores[i][w:] if i < len(piece.scores) else (1.0,) * len(cells)
        group.extra.setdefault(at, {})[block_id] = (cells, boxes, scores)
        group.pages.setdefault(at[0], set()).add(piece.page)
    return True


def _combined(group: _Group) -> list[Piece]:
    """Each part of the table with the columns continuing it appended to its rows."""
    if not group.widths:
        return group.blocks
    out = []
    for b, blk in enumerate(group.blocks):
        rows, boxes, scores = [], [], []
        for r, (top, cells) in enumerate(blk.rows):
            more = group.extra.get((b, r), {})
            row_boxes = list(blk.boxes[r] if r < len(blk.boxes) else (None,) * len(cells))
            row_scores = list(blk.scores[r] if r < len(blk.scores) else (1.0,) * len(cells))
            cells = list(cells)
            for block_id, width in group.widths.items():
                add, add_boxes, add_scores = more.get(block_id, (("",) * width, (None,) * width, (1.0,) * width))
                cells += add
                row_boxes += add_boxes
                row_scores += add_scores
            rows.append((top, tuple(cells)))
            boxes.append(tuple(row_boxes))
            scores.append(tuple(row_scores))
        out.append(Piece(top=blk.top, left=blk.left, bottom=blk.bottom, right=blk.right, rows=rows, page=blk.page,
                         method=blk.method, boxes=boxes, scores=scores, bottoms=blk.bottoms, xs=blk.xs,
                         pages=tuple(sorted({blk.page, *group.pages.get(b, ())}))))
    return out


def _no_empty_rows(piece: Piece) -> Piece:
    """The piece without the bands that hold no text (kept until now to align rows)."""
    keep = [i for i, (_t, cells) in enumerate(piece.rows) if any(cells)]
    if len(keep) == len(piece.rows):
        return piece
    pick = lambda seq: [seq[i] for i in keep if i < len(seq)]  # noqa: E731
    return Piece(top=piece.top, left=piece.left, bottom=piece.bottom, right=piece.right, rows=pick(piece.rows),
                 page=piece.page, method=piece.method, boxes=pick(piece.boxes), scores=pick(piece.scores),
                 bottoms=pick(piece.bottoms), xs=piece.xs, pages=piece.pages)


def _title_code(lines: list[Line]) -> str | None:
    """The table named by the last title (or 公开NN表 label) among `lines`."""
    code = None
    for ln in lines:
        found = title_of(SourceLine(cells=(ln.text,)))
        if found is not None:
            code = found[0]
        elif len(ln.text) <= 20 and (m := LABEL.search(ln.text)) and 1 <= int(m.group(1)) <= 10:
            code = f"T{int(m.group(1)):02d}"
    return code


def join_columns(pages: list[tuple[list[Line], list[Piece]]]) -> None:
    """Join every table piece that continues a table to the right into the rows it
    continues (see the module docstring); `pages`: each page's prose lines and table
    pieces, in page order, changed in place (a continuation leaves its page, its
    caption lines move above the table)."""
    group: _Group | None = None
    groups: list[_Group] = []
    head: dict[int, tuple[list[Line], Piece]] = {}  # id(group) -> (its page's lines, its first part)
    pending: str | None = None  # the table a title names since the last part
    for lines, pieces in pages:
        events = sorted([(ln.top, 0, ln) for ln in lines] + [(pc.top, 1, pc) for pc in pieces],
                        key=lambda e: (e[0], e[1]))
        caption: list[Line] = []  # the lines above the piece on its page
        for _top, kind, obj in events:
            if kind == 0:
                caption.append(obj)
                pending = _title_code([obj]) or pending
                if PART.match(obj.text):
                    group = None  # the tables' part of the report ends here
                continue
            pc = obj
            if (pc.method != "stream" and group is not None and group.code is not None
                    and pending in (None, group.code) and _attach(group, pc)):
                pieces.remove(pc)
                _move_caption(caption, lines, *head[id(group)])
                if pc.method == "column":  # its text was prose too
                    lines[:] = [ln for ln in lines if not pc.holds((ln.x0 + ln.x1) / 2, (ln.top + ln.bottom) / 2)]
            elif pc.method == "column":
                pieces.remove(pc)  # a framed column of text, no table's
                continue
            else:
                if group is None or (pending is not None and pending != group.code):
                    group = _Group(code=pending)
                    groups.append(group)
                    head[id(group)] = (lines, pc)
                group.blocks.append(pc)
            caption, pending = [], None
    combined = {id(a): b for g in groups for a, b in zip(g.blocks, _combined(g))}
    for _lines, pieces in pages:
        pieces[:] = [_no_empty_rows(combined.get(id(pc), pc)) for pc in pieces]


def _move_caption(caption: list[Line], lines: list[Line], head_lines: list[Line], first: Piece) -> None:
    """Move the lines printed above a continuation (公开04表, 金额单位 over the last
    columns) to the caption of the table's first part, unless they are printed there
    already."""
    there = {squash(ln.text) for ln in head_lines if ln.top < first.top}
    for k, ln in enumerate(caption):
        lines.remove(ln)
        if squash(ln.text) in there:
            continue
        there.add(squash(ln.text))
        ln.page = first.page
        ln.top = first.top - 0.01 * (len(caption) - k)
        ln.bottom = ln.top + 0.005
        head_lines.append(ln)
