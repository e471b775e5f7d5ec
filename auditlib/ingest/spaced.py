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
   positions to tell) are told apart by the table's identities and what the tables read
   whole print (a code's name, the totals of 公开01/05表) when exactly one reading agrees;
   else the table cannot be read: its lines are left as printed and the builder reports
   it `unread`, as before.  Nothing is guessed.

The steps live in modules of their own: `spaced_tokens` (1), `spaced_template` (2, 3),
`spaced_positions` (3, layout), `spaced_rows` (4), `spaced_bind` (5, blank cells absent:
the table's identities, `spaced_identities`, what the tables read whole say of the
others, `spaced_evidence`, and where a printed 0.00 stands, `spaced_printed`),
`spaced_tables` (one table), `spaced_cells` (plain pdftotext's cell a line), `spaced_flow` (its coded tables whose codes, names and figures come out as
separate streams; `spaced_flow_halves` 公开06表's two halves so printed; `spaced_pages` such
a table over a page break), `spaced_fixed_flow` (its 公开01/04表: 行次 and figures as
streams, on the rows `spaced_fixed_labels` finds by their labels — by whose places 公开01表
without 行次 is read), `spaced_joint` (its 公开01/02/04表 each left several readings, read
together), `spaced_numbered` (its tables of rows numbered by 行次, labels and numbers
as separate streams; `spaced_numbered_blanks` its 公开07表 without its blank cells),
`spaced_figureless` (its tables printed without a figure: the rows their streams say),
`spaced_budget` (a 部门预算's B01… tables: which are rebuilt, and whether what was read holds),
`spaced_whole` (their amounts in whole 元), `spaced_cut` (tables not read, or read empty, whatever
their lines say); this module finds the tables of a document and puts their rows back in its lines.
"""

from __future__ import annotations

from auditlib.ingest.lines import SourceLine
from auditlib.ingest.regions import PART, Anchor, find_anchors
from auditlib.ingest.spaced_bind import AMBIGUOUS, Bounds, agreed, bound_note
from auditlib.ingest.spaced_evidence import SETTLED, bounding, evidence
from auditlib.ingest.spaced_cells import joined_cells, numbers_columns, one_cell_a_line
from auditlib.ingest.spaced_positions import is_layout
from auditlib.ingest.spaced_tables import (MISNUMBERED, NOTE, Table, bind_table, cheapest, code_names, document_mode,
                                           head_phrases, is_head, is_meta, numbered_in_order, read_table, split_head)
from auditlib.ingest.spaced_fixed_flow import BOUNDED, FIXED, LABELLED, bounded_rows
from auditlib.ingest.spaced_cut import CONTINUED, cut_out, from_flow_only, put_empty, rows_after_note
from auditlib.ingest.spaced_figureless import figureless_rows, printed_names
from auditlib.ingest.spaced_flow import flow_rows
from auditlib.ingest.spaced_flow_blanks import under_numbers
from auditlib.ingest.spaced_flow_halves import HALVES, after_note, halves_rows, streamed
from auditlib.ingest.spaced_joint import read_jointly
from auditlib.ingest.spaced_numbered import numbered_rows
from auditlib.ingest.spaced_pages import carried_codes
from auditlib.ingest.spaced_template import Row, Template
from auditlib.ingest.spaced_tokens import Line, squash, tokens
from auditlib.ingest.spaced_budget import CELL_A_LINE, budget_kind, budget_line, budget_region, budget_unread, doubtful
from auditlib.ingest.spaced_whole import in_whole_yuan
from auditlib.kinds import spec_of
from auditlib.schema import FUNCTION_CLASSES

# why a table printed a cell a line without figures is not read (a problem of the table, READ.table says it)
NO_FIGURES = ("每格一行印出（pdftotext）且没有金额，无法据以确定各格所属的行"
              "（printed a cell a line with no figure: which cells make a row cannot be told）")


def rebuild(lines: list[SourceLine], raws: list[str], pages: list[int], gaps: list[bool],
            tabbed: bool) -> tuple[list[SourceLine], list[str], dict[str, str], dict[str, str]]:
    """The document's lines with every table printed with spaces rebuilt into rows of
    cells, why each table with figures that could not be read was not, the tables
    without figures whose rows cannot be told (code → why; the builder reports them
    `unread`), and a reading note on each table whose figures its identities placed (code →
    note: those identities cannot fail on it).  Tables already in cells, and tables that cannot be read, are left as they
    are (the builder reports those with figures `unread`); in a `tabbed` document (tables
    in tab-separated cells) a table without a figure too.  `gaps`: whether a blank line
    stands before each line."""
    warnings: list[str] = []
    replaced: dict[int, SourceLine] = {}
    inserted: dict[int, SourceLine] = {}
    dropped: set[int] = set()
    found, unread = _tables(lines, raws, pages, gaps)
    tables = [t for t in found if not tabbed or any(line.figures for line in t.body)]
    templates = []
    tables, laid = cut_out(tables, [is_layout(table.body, raws) for table in tables], warnings)
    chars = _in_chars([line for table, layout in zip(tables, laid) if layout for line in table.body], raws)
    for table, layout in zip(tables, laid):
        if layout:
            table.head = [_tokenized(line, raws, chars, table) for line in table.head]
            table.body = [_tokenized(line, raws, chars, table) for line in table.body]
        templates.append(read_table(table, layout))
        from_flow_only(table)
    prefer = document_mode(tables)
    bounds = _bound_by_others(tables, templates)
    names = FUNCTION_CLASSES | _names(tables, templates)
    _read_rows(tables, templates, bounds, names, prefer)
    blank_names = printed_names([t for t, tpl in zip(tables, templates) if t.cells and tpl.blank]) | names
    for table, tpl in sorted(zip(tables, templates), key=lambda pair: pair[0].code in BOUNDED):  # those last
        if put_empty(table, tpl, replaced, inserted, dropped):  # printed empty (with its 合计 row)
            continue
        if table.cells and tpl.blank:
            # no figure aligns its cells into rows: the rows its flow says (spaced_figureless),
            # or whatever rows were read are guesses, and it is not read
            if (rows := figureless_rows(table, tpl, blank_names)) is not None:
                _put_figureless(table, tpl, rows, replaced, inserted, dropped)
            else:
                unread[table.code] = NO_FIGURES
            continue
        if table.rows is not None and not numbered_in_order(table.rows, tpl):
            table.rows, table.why = None, MISNUMBERED
        if table.rows is None and tpl.blank and table.head:
            # nothing but words under its header: printed empty, whatever its rows are
            inserted[table.head[-1].index] = SourceLine(cells=tpl.header_row(), line=table.head[-1].number)
        if table.rows is None:
            _not_read(table, tpl, warnings, unread)
            continue
        dropped |= {i for line in table.body for i in (line.index, *line.more)}
        dropped |= {line.index for row in table.rows for line in row.lines}
        for row in table.rows:
            replaced[row.line.index] = SourceLine(cells=row.cells, line=row.line.number)
        phrases = head_phrases(tpl.spec)
        if tpl.names or any(is_head(line, phrases) for line in table.head):  # the columns' header, as one row of cells
            inserted[table.head[-1].index] = SourceLine(cells=tpl.header_row(), line=table.head[-1].number)
    notes = {t.code: bound_note(t.by) for t in tables if t.bound and t.rows is not None}
    return _spliced(lines, replaced, inserted, dropped), warnings, unread, notes


def _not_read(table: Table, tpl: Template, warnings: list[str], unread: dict[str, str]) -> None:
    """Say why a table with figures was not read: a warning naming it; a budget table's reason
    also under the table itself (the builder's READ.table shows it there)."""
    if tpl.blank:
        return
    warnings.append(f"{_named(table.code, tpl)}：{table.why or AMBIGUOUS}，本表未读取")
    unread.update({table.code: table.why or AMBIGUOUS} if table.code.startswith("B") else {})


def _named(code: str, tpl: Template) -> str:
    """How a warning names a table: a 决算 table by its 公开NN表 label and title, a budget table
    by its title alone (the budget's own numbering is not the 决算's)."""
    return tpl.spec.title if code.startswith("B") else f"公开{code[1:]}表 {tpl.spec.title}"


def _put_figureless(table: Table, tpl: Template, rows: list[Row], replaced: dict[int, SourceLine],
                    inserted: dict[int, SourceLine], dropped: set[int]) -> None:
    """A table printed without a figure put back as its blank rows (spaced_figureless) under
    one header row: every line of its flow but its heading fields (the unit) dropped, the
    header after the last of those (or the title)."""
    kept = [line for line in table.flow if is_meta(line)]
    dropped |= {line.index for line in table.flow} - {line.index for line in kept}
    at = kept[-1] if kept else None
    inserted[at.index if at else min(line.index for line in table.flow) - 1] = SourceLine(
        cells=tpl.header_row(), line=at.number if at else table.flow[0].number)
    for row in rows:
        replaced[row.line.index] = SourceLine(cells=row.cells, line=row.line.number)


def _spliced(lines: list[SourceLine], replaced: dict[int, SourceLine], inserted: dict[int, SourceLine],
             dropped: set[int]) -> list[SourceLine]:
    """The document's lines with the tables' rows in place of the lines they were read from."""
    out: list[SourceLine] = []
    for i, line in enumerate(lines):
        if i in replaced:
            out.append(replaced[i])
        elif i not in dropped:
            out.append(line)
        if i in inserted:
            out.append(inserted[i])
    return out


def _bound_by_others(tables: list[Table], templates: list[Template]) -> dict[str, Bounds]:
    """What the tables read whole say of the others' cells; the tables whose figures their
    own identities could not bind to columns bound again with it (spaced_evidence), until
    no more is read (a table read so says more of others: 公开03表 bound by 公开05/08表
    bounds 公开09表; so do the cells of 公开03表 every binding fills alike, when it is not)."""
    names = _names(tables, templates)
    for table, tpl in zip(tables, templates):
        if table.rows is None and table.unbound is None and table.readings:
            table.unbound = cheapest(table.readings, tpl, names=names)[0]
    bounds: dict[str, Bounds] = {}
    settled: dict[str, dict] | None = None
    for _ in range(len(tables) + 1):  # each round but the last reads a table or settles more cells
        read, before = sum(t.rows is not None for t in tables), settled
        settled = {t.code: agreed(t.unbound, tpl, bounds.get(t.code)) for t, tpl in zip(tables, templates)
                   if t.rows is None and t.unbound is not None and t.code in SETTLED}
        bounds = evidence(_whole(tables, templates), settled)
        for table, tpl in zip(tables, templates):
            if table.rows is None and table.unbound is not None:
                bind_table(table, table.unbound, tpl, bounds.get(table.code))
        if sum(t.rows is not None for t in tables) == read and settled == before:
            break
    return bounds


def _read_rows(tables: list[Table], templates: list[Template], bounds: dict[str, Bounds], names: dict[str, str],
               prefer: str | None) -> None:
    """The rows of each table not read yet (but one printed a cell a line without a figure):
    its figures bound to columns by its identities (and `bounds`), else read from its flow
    (plain pdftotext, 公开01表 last) — over again while a table so read bounds another that
    is not (公开05表 read from its flow holds what 公开03表's 基本/项目支出 hold at least:
    spaced_evidence), or 公开01/02/04表 read together read one (spaced_joint); then a budget
    table's rows dropped when they are no reading (spaced_budget.doubtful)."""
    order = [(t, tpl) for t, tpl in sorted(zip(tables, templates), key=lambda pair: pair[0].code in BOUNDED)
             if not (t.cells and tpl.blank)]
    for table, tpl in order:
        if table.rows is None and table.readings:
            bind_table(table, cheapest(table.readings, tpl, prefer)[0], tpl, bounds.get(table.code))
    for _ in order:  # each pass but the last reads a table more
        before = sum(t.rows is not None for t, _ in order)
        for table, tpl in order:
            if table.rows is None and table.flow and _has_streams(tpl):
                _read_flow_within(table, tpl, tables, templates, bounds.get(table.code, {}), names)
        if sum(t.rows is not None for t, _ in order) == before and not _read_jointly(order, tables, templates,
                                                                                        bounds, names):
            break
    for table, tpl in order:  # a budget table's rows that do not add up are no reading
        if table.code.startswith("B") and table.rows is not None and (why := doubtful(table.rows, tpl, table.yuan)):
            table.rows, table.why = None, why


def _read_flow_within(table: Table, tpl: Template, tables: list[Table], templates: list[Template], bounds: Bounds,
                      names: dict[str, str]) -> None:
    """A table printed a cell a line read from its flow: by its own identities, else — a
    coded table — within what the other tables say of its cells (`bounds`, and the tables
    read whole so far), which the reading note then names (Table.by)."""
    whole = _whole(tables, templates)
    table.rows, table.why = _read_flow(table, tpl, names, whole)
    within = _narrowed(bounds, evidence(whole).get(table.code, {}))
    if table.rows is None and tpl.spec.kind == "hierarchy" and within:
        table.rows, table.why = _read_flow(table, tpl, names, whole, within)
        if table.rows is not None:
            printing = {code for code, (rows, _) in whole.items() if rows}  # an empty table bounds nothing
            table.by = bounding(table.code, {*printing, *(t.code for t in tables if t.unbound is not None)})
    # placed by its identities too (a labelled table only when they placed its figures)
    table.bound = table.rows is not None and (tpl.spec.kind != "labelled" or table.placed)


def _read_jointly(order: list[tuple[Table, Template]], tables: list[Table], templates: list[Template],
                  bounds: dict[str, Bounds], names: dict[str, str]) -> bool:
    """公开01/02/04表 still not read, read together (spaced_joint): each within the readings
    the others are left with; whether one was read."""
    def within(table: Table, tpl: Template, read: dict[str, tuple[list[Row], Template]]) -> list[Row] | None:
        cells = _narrowed(bounds.get(table.code, {}), evidence(read).get(table.code, {}))
        return _read_flow(table, tpl, names, read, cells)[0]

    pending = [(t, tpl) for t, tpl in order if t.rows is None and t.flow and _has_streams(tpl)]
    return read_jointly(pending, _whole(tables, templates), within)


def _narrowed(bounds: Bounds, more: Bounds) -> Bounds:
    """What two sets of bounds on a table's cells say together: each cell within both."""
    out = dict(bounds)
    for key, (low, high) in more.items():
        was = out.get(key, (low, high))
        out[key] = (max(low, was[0]), min(high, was[1]))
    return out


def _whole(tables: list[Table], templates: list[Template]) -> dict[str, tuple[list[Row], Template]]:
    """The tables read whole, with figures: code → rows and template."""
    return {t.code: (t.rows, tpl) for t, tpl in zip(tables, templates) if t.rows is not None and not tpl.blank}


def _names(tables: list[Table], templates: list[Template]) -> dict[str, str]:
    """The name each code has in the coded tables read whole."""
    return {code: name for t, tpl in zip(tables, templates) if t.rows is not None and not tpl.blank
            and tpl.spec.kind == "hierarchy" for code, name in code_names(t.rows, tpl).items()}


def _has_streams(tpl: Template) -> bool:
    """Whether a table printed a cell a line can be read from its streams: its codes (coded
    tables, 公开06表's halves) or its 行次 (公开01/04表, the labelled 公开07/10表) say which
    figures are whose (a budget's 收支总表 is no 公开01表: its rows and sums are others)."""
    return (tpl.spec.kind in ("hierarchy", "labelled") or tpl.spec.code in HALVES
            or (tpl.spec.code in FIXED and (tpl.row_no or tpl.spec.code in LABELLED)))


def _read_flow(table: Table, tpl: Template, names: dict[str, str], read: dict[str, tuple[list[Row], Template]],
               bounds: Bounds | None = None) -> tuple[list[Row] | None, str]:
    """A coded table printed a cell a line read from its streams of codes and figures
    (spaced_flow), when its rows stand under its header (none above its first row's line);
    else why not (the first reason found stays).  公开06表: from its two halves' streams
    (spaced_flow_halves); a labelled table from its labels and 行次 (spaced_numbered);
    公开01/04表: from its streams of 行次 and figures (spaced_fixed_flow), 公开01表 within
    what the tables read whole (`read`) print of it when its identities leave two readings;
    a coded table's cells within what other tables say of them (`bounds`)."""
    if tpl.spec.code in HALVES:
        rows, why = halves_rows(table.flow, tpl)
    elif tpl.spec.kind == "labelled":
        rows, why, table.placed = numbered_rows(table.flow, tpl, table.above)
    elif tpl.spec.kind != "hierarchy":
        rows, why, table.by = bounded_rows(table.flow, tpl, read)
        return rows, why
    else:
        rows, why = flow_rows(table.flow, tpl, names, bounds, table.pins)
    if rows is not None and table.body and all(row.line.index >= table.body[0].index for row in rows):
        return rows, ""
    return None, table.why or why or AMBIGUOUS


def _tables(lines: list[SourceLine], raws: list[str], pages: list[int],
            gaps: list[bool]) -> tuple[list[Table], dict[str, str]]:
    """The tables printed with spaces: the lines under each title up to the notes, a title
    printed again over the rest of a table joined to it (without the head it repeats);
    a table printed a cell a line, joined back into lines of rows (its next page so too,
    though some figures there stand beside labels: Calc's 公开01表)."""
    anchors = find_anchors(lines, budget_kind(lines))
    tables: list[Table] = []
    skipped: dict[str, str] = {}
    for n, anchor in enumerate(anchors):
        if not anchor.code:
            continue  # a table outside the ten (regions.other_of) ends the one above it
        end = anchors[n + 1].index if n + 1 < len(anchors) else len(lines)
        region: list[Line] = []
        for i in range(anchor.index + 1, end):
            if PART.match(lines[i].text):
                break
            region.append(Line(i, lines[i].line or 0, pages[i], lines[i].text, tokens(raws[i], False)))
        if any(lines[line.index].is_row for line in region):
            continue  # already in cells (tab-separated)
        if (why := budget_unread(anchor.code, region)) is not None:
            skipped.update({anchor.code: why} if why else {})
            continue  # a budget layout not read here
        whole, region = region, region[:next((i for i, line in enumerate(region) if NOTE.match(line.text)), len(region))]
        region = budget_region(anchor.code, region)
        going_on = bool(tables) and tables[-1].code == anchor.code and anchor.duplicate
        yuan = in_whole_yuan(anchor.code, region) or (going_on and tables[-1].yuan)
        region = [budget_line(anchor.code, line, yuan) for line in region]
        spec = spec_of(anchor.code)
        cells = (one_cell_a_line(region, gaps, spec) or (anchor.code in HALVES and streamed(region))
                 or (going_on and tables[-1].cells))
        if cells and anchor.code.startswith("B"):  # its streams are read for the 决算's tables only
            skipped.update({anchor.code: CELL_A_LINE} if any(line.figures for line in region) else {})
            continue
        cut = CONTINUED if not cells and rows_after_note(anchor.code, whole[len(region):]) else ""
        flow = [*carried_codes(region, gaps), *after_note(anchor.code, whole[len(region):])] if cells else []
        pins = under_numbers(region, gaps) if cells and spec.kind == "hierarchy" else {}
        if cells:
            region = joined_cells(region, gaps, spec)
        head, body = split_head(region, spec)
        if going_on:
            tables[-1].head += head
            tables[-1].body += body
            tables[-1].flow += flow
            tables[-1].cut = tables[-1].cut or cut
        else:
            tables.append(Table(anchor.code, head, body, cells=cells, flow=flow, pins=pins, yuan=yuan, cut=cut,
                                above=_shares_page(anchors[n - 1] if n else None, anchor.index, lines, pages)))
    for table in tables:
        table.body = _without_repeated_head(table)
    return tables, skipped


def _shares_page(before: Anchor | None, title: int, lines: list[SourceLine], pages: list[int]) -> bool:
    """Whether the table above (`before`, one of the ten) prints a line on the page of this
    table's title (at line `title`)."""
    return before is not None and bool(before.code) and any(
        pages[i] == pages[title] and lines[i].text.strip() for i in range(before.index, title))


def _without_repeated_head(table: Table) -> list[Line]:
    """The body without the header rows a page repeats with no title over them (Word's
    repeated header rows): runs of two or more lines that are lines of the head, or a
    header joined from a cell a line — or, printed a cell a line, header cells joined
    into one line or left after the last row (pdftotext's flow)."""
    repeated = {squash(line.text) for line in table.head}
    phrases = head_phrases(spec_of(table.code))
    marks = [not line.figures and (squash(line.text) in repeated or table.cells and is_head(line, phrases))
             for line in table.body]
    keep = []
    for i, line in enumerate(table.body):
        alone = table.cells and (bool(line.more) or i == len(marks) - 1)
        run = marks[i] and ((i > 0 and marks[i - 1]) or (i + 1 < len(marks) and marks[i + 1]) or alone)
        if not run and not (line.more and numbers_columns(line)):
            keep.append(line)
    return keep


def _tokenized(line: Line, raws: list[str], chars: bool, table: Table) -> Line:
    """`line`'s words with their columns (a budget table's as spaced_budget.budget_line reads them)."""
    placed = Line(line.index, line.number, line.page, line.text, tokens(raws[line.index], True, chars))
    return budget_line(table.code, placed, table.yuan)


def _in_chars(body: list[Line], raws: list[str]) -> bool:
    """Whether the layout tables' columns are counted in characters rather than display
    widths (one grid for the whole text, as pdftotext lays out a document): when their
    figures' right edges fall on fewer places counted so (the columns line up better; a
    label of five characters beside one of two shifts a row's figures by three display
    columns); display widths otherwise."""
    def edges(chars: bool) -> int:
        return len({(line.page, t.end) for line in body
                    for t in tokens(raws[line.index], True, chars) if t.kind == "fig"})
    return edges(True) < edges(False)
