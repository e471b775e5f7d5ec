"""公开01表, 公开04表 and 公开02表 read together where each, read alone, is left with a few
readings that only the others tell apart (auditlib/ingest/spaced.py, plain pdftotext).

WPS's planning report prints all three without blank cells, and the text leaves each of
them several readings that its own identities all keep: 公开01表's 112.88 may be
使用非财政拨款结余 or 年初结转和结余, its 100.00 结余分配 or 年末结转和结余 (WPS prints that
totals block out of order); 公开04表's 9746.50 may be 本年收入 or 年初结转和结余 (its splits
too many to follow alone); each row of 公开02表 prints its total and one equal part (which
source?).  No table read whole tells them apart; each other does, through the catalog's
relations between them that spaced_evidence draws bounds from (公开01表's 财政拨款 income rows
= 公开04表's, its income rows = 公开02表's 合计 row, 公开04表's three 财政拨款 rows = 公开02表's
财政拨款收入 合计, 公开01表's 年初结转和结余 ≥ 公开04表's 年初 rows, …).

So the tables not read are read together: the fixed-row tables' readings are listed one
table at a time, each within what the tables read whole and the readings chosen so far
say of its cells (spaced_fixed_flow.fixed_readings, `MOST` at most), and the coded table
is read within each such choice (it must read exactly one way; a reading it cannot settle
leaves the whole unread, since "none" and "several" are not told apart there).  A choice
is kept when every table's reading also lies within what all the others of the choice say
of it.  A table every kept choice reads alike is read so, with a reading note naming the
other tables (spaced_bind.bound_note: the checks between them then cannot catch an error
in it); a table the kept choices read differently — or all of them, when no choice is
kept, or the choices are more than `COMBINATIONS` — stays unread with its reason, as
before.  Nothing is guessed: a misprinted figure breaks a relation in every choice.
"""

from __future__ import annotations

from collections.abc import Callable

from auditlib.ingest.spaced_bind import Bounds
from auditlib.ingest.spaced_evidence import bounding, fixed
from auditlib.ingest.spaced_fixed_flow import FIXED, fixed_readings, together
from auditlib.ingest.spaced_tables import Table
from auditlib.ingest.spaced_template import Row, Template

JOINT = ("T01", "T04", "T02")  # the tables read together: the fixed-row ones listed first
MOST = 8  # readings listed of one table at most (more: not read together)
COMBINATIONS = 64  # choices of readings followed at most (more: not read together)
Read = dict[str, tuple[list[Row], Template]]  # code → rows and template: tables read, or chosen
# a coded table's one reading within what the tables `Read` say of its cells, or None
Within = Callable[[Table, Template, Read], list[Row] | None]


def read_jointly(pending: list[tuple[Table, Template]], whole: Read, within: Within) -> bool:
    """Reads the tables of `JOINT` among `pending` (not read, printed a cell a line) that
    every choice of readings keeping the relations between them reads alike (`whole`: the
    tables read whole; `within`: reads a coded table within what chosen tables say);
    whether one was read."""
    tables = sorted(((t, tpl) for t, tpl in pending if t.code in JOINT), key=lambda pair: JOINT.index(pair[0].code))
    if len(tables) < 2 or not any(t.code in FIXED for t, _ in tables):
        return False
    choices = _choices(tables, whole, within)
    if not choices:
        return False
    read = False
    for table, _ in tables:
        if len({_cells(choice[table.code][0]) for choice in choices}) == 1:
            table.rows, table.why, table.bound = choices[0][table.code][0], "", True
            table.by = tuple(sorted(set(choices[0]) - {table.code} | set(_bounded_by(table.code, whole))))
            read = True
    return read


def _choices(tables: list[tuple[Table, Template]], whole: Read, within: Within) -> list[Read] | None:
    """Every choice of one reading per table under which all the relations between them
    and the tables read whole hold; None when one cannot be told (too many readings or
    choices, a coded table read neither one way nor surely none)."""
    listed = [(t, tpl) for t, tpl in tables if t.code in FIXED]
    coded = [(t, tpl) for t, tpl in tables if t.code not in FIXED]
    cache: dict[tuple, list[list[Row]] | None] = {}
    partial: list[Read] = [{}]
    for _ in listed:
        grown: list[Read] = []
        for chosen in partial:
            more = _next(listed, chosen, whole, cache)
            if more is None:
                return None
            grown += more
        if len(grown) > COMBINATIONS:
            return None
        partial = grown
    out: list[Read] = []
    for chosen in partial:
        for table, tpl in coded:
            rows = within(table, tpl, whole | chosen)
            if rows is None:
                return None
            chosen = chosen | {table.code: (rows, tpl)}
        kept = _kept(listed, chosen, whole, cache)
        if kept is None:
            return None
        out += [chosen] if kept else []
    return out


def _next(listed: list[tuple[Table, Template]], chosen: Read, whole: Read,
          cache: dict[tuple, list[list[Row]] | None]) -> list[Read] | None:
    """`chosen` grown by the readings of the first table not chosen yet whose readings can
    be listed within what the tables read whole and `chosen` say of it; None when none can."""
    for table, tpl in listed:
        if table.code in chosen:
            continue
        found = _listed(table, tpl, whole | chosen, cache)
        if found is not None:
            return [chosen | {table.code: (rows, tpl)} for rows in found]
    return None


def _kept(listed: list[tuple[Table, Template]], chosen: Read, whole: Read,
          cache: dict[tuple, list[list[Row]] | None]) -> bool | None:
    """Whether each fixed-row table's reading in `chosen` is one of its readings within what
    all the other tables (read whole or chosen) say of it; None when those cannot be listed."""
    for table, tpl in listed:
        found = _listed(table, tpl, {c: r for c, r in (whole | chosen).items() if c != table.code}, cache)
        if found is None:
            return None
        if _cells(chosen[table.code][0]) not in {_cells(rows) for rows in found}:
            return False
    return True


def _listed(table: Table, tpl: Template, read: Read, cache: dict[tuple, list[list[Row]] | None]
            ) -> list[list[Row]] | None:
    """The readings of a fixed-row table within what the tables `read` say of its cells
    (none: an empty list), listed once for each set of bounds; None when more than `MOST`."""
    bounds: Bounds = together(fixed(table.code, read).values())
    key = (table.code, tuple(sorted(bounds.items())))
    if key not in cache:
        found = fixed_readings(table.flow, tpl, bounds, MOST)
        cache[key] = found
    return cache[key]


def _bounded_by(code: str, whole: Read) -> tuple[str, ...]:
    """The tables read whole whose figures bound a table's cells (spaced_evidence)."""
    return tuple(fixed(code, whole)) if code in FIXED else bounding(code, set(whole))


def _cells(rows: list[Row]) -> tuple[tuple[str, ...], ...]:
    """What a reading prints, row by row."""
    return tuple(row.cells for row in rows)
