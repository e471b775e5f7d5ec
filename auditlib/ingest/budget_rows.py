"""The rows of the budget layouts the 决算 tables never print (issue 30): three or more parts
side by side (Jiangsu's 收支预算总表), group | item label columns (its 收入预算总表), rows nested
by the text column they start in (its 政府采购预算表) and one form per project (绩效目标表) — read
by content like the other layouts (table_rows), every printed amount kept addressable."""

from __future__ import annotations

import re
from itertools import accumulate

from auditlib.ingest.lines import SourceLine
from auditlib.ingest.table_rows import Notes, Row, fresh_key, is_seq_row, match_label, parse_half, row_values, where
from auditlib.numbers import is_blank, is_number
from auditlib.schema import RowLabel, TableSpec, label_key


def _spanned(parts: list[list[str]]) -> list[list[str]]:
    """A label printed across two parts (当年支出小计 over both 支出 parts: its cell spans the
    function part's figure and the next part's label, which come out blank) takes the figures
    of the part it spans into: that part then holds no row of its own."""
    for k in range(len(parts) - 1):
        here, after = parts[k], parts[k + 1]
        if (here and here[0] and not is_number(here[0]) and not any(here[1:])
                and after and not after[0] and any(is_number(c) for c in after[1:])):
            parts[k], parts[k + 1] = [here[0], *after[1:]], []
    return parts


def parse_parts(spec: TableSpec, body: list[SourceLine], header_text: str, notes: Notes) -> list[Row]:
    """Three or more parts side by side, each a label and its value columns (no 行次 between
    them unless the head prints one): every row is cut at the parts' widths, so no header
    marker is needed — Word and WPS print the part heads in merged cells whose text lands in
    any of the columns they span."""
    has_row_no = "行次" in header_text
    widths = [1 + has_row_no + len(columns) for _side, columns, _labels in spec.halves]
    starts = list(accumulate([0, *widths[:-1]]))
    rows: list[Row] = []
    used: set[str] = set()
    for line in body:
        if not line.is_row or is_seq_row(line.cells):
            continue
        cells = list(line.cells)
        parts = _spanned([cells[a: a + w] if n + 1 < len(starts) else cells[a:]
                          for n, (a, w) in enumerate(zip(starts, widths))])
        for start, part, (side, columns, labels) in zip(starts, parts, spec.halves):
            for row in parse_half(part, spec, side, columns, labels, has_row_no, used, line, notes):
                row.start = start
                row.key = fresh_key(row.key, where(line), used)
                used.add(row.key)
                rows.append(row)
    return rows


def _group(text: str, spec: TableSpec) -> tuple[RowLabel, tuple[RowLabel, ...]] | None:
    return next(((g, items) for g, items in spec.groups if re.fullmatch(g.pattern, label_key(text))), None)


def parse_grouped(spec: TableSpec, body: list[SourceLine], header_text: str, notes: Notes) -> list[Row]:
    """Rows with two label columns, a group and its items (一般公共预算资金 | 小计, then | 专项收入
    …), the values last: a label in the first column opens a group (or is a row spanning both
    columns: 收入总计), an item belongs to the group above it.  A row is keyed by its item
    within its group (general_subtotal), named with both (一般公共预算资金·小计)."""
    width = len(spec.columns)
    group: tuple[RowLabel, tuple[RowLabel, ...]] | None = None
    rows: list[Row] = []
    used: set[str] = set()
    for line in body:
        cells = list(line.cells)
        if not line.is_row or is_seq_row(line.cells) or len(cells) <= width:
            continue
        labels, values = cells[:-width], cells[-width:]
        texts = [(i, c) for i, c in enumerate(labels) if c]
        if not texts or any(is_number(c) for _i, c in texts) or not all(is_number(v) or is_blank(v) for v in values):
            continue  # a header row (项目名称 | 金额)
        item, labels_of = texts[-1][1], spec.rows
        if texts[0][0] == 0 and _group(texts[0][1], spec):
            group = _group(texts[0][1], spec)
            item, labels_of = (texts[1][1], group[1]) if len(texts) > 1 else (texts[0][1], ())
        elif texts[0][0] > 0 and group is not None:
            labels_of = group[1]
        for key, label, cells in _items(item, values, labels_of, used, line, notes):
            if key is None:
                notes.add(line, f"行名“{' '.join(c for _i, c in texts)}”不是本表的标准行名，照原样保留")
                key = f"{group[0].key if group else 'row'}:{label_key(item)}"
            used.add(key)
            name = spec.row_names.get(key, label)
            rows.append(Row(key, row_values(cells, spec.columns, notes, line, name), line, name=name,
                            side=group[0].key if group else "", label=label))
    return rows


def _items(item: str, values: list[str], labels: tuple[RowLabel, ...], used: set[str], line: SourceLine,
           notes: Notes) -> list[tuple[str | None, str, list[str]]]:
    """(key, label, value cells) of the row(s) an item label names: itself, or two items of
    its group printed as one ("小计事业收入": the first row at the top of a page taken for the
    rest of a row the page break cut, and glued onto it) — the figures stay with the first,
    said in a reading note."""
    key = match_label(item, labels, used)
    if key is not None:
        return [(key, item, values)]
    for first in labels:
        m = re.match(first.pattern, label_key(item))
        second = match_label(label_key(item)[m.end():], labels, used | {first.key}) if m and m.end() else None
        if first.key not in used and second is not None:
            notes.add(line, f"行名“{item}”是两行（{item[: m.end()]}、{item[m.end():]}）印在一起，数字归前一行")
            return [(first.key, item[: m.end()], values), (second, item[m.end():], [""] * len(values))]
    return [(None, item, values)]


def parse_levelled(spec: TableSpec, body: list[SourceLine], header_text: str, notes: Notes) -> list[Row]:
    """Rows nested by the text column they start in (政府采购: 采购品目大类 1, 专项名称 or 经济科目 2,
    采购物品名称 3), then the value columns: each row keyed by its place in the nesting (L2.1.3:
    the third line of level 3 under the first of level 2 under the second 大类), `level` its
    level, its text cells kept in `name` and `label` (专项名称 · 经济科目)."""
    width, path = len(spec.columns), []  # path: the place of the last row at each level
    rows: list[Row] = []
    for line in body:
        cells = list(line.cells)
        if not line.is_row or is_seq_row(line.cells) or len(cells) <= width:
            continue
        texts, values = cells[: len(spec.text_columns)], cells[-width:]
        filled = [i for i, c in enumerate(texts) if c]
        if not filled or not all(is_number(v) or is_blank(v) for v in values):
            continue  # the header row
        shown = " · ".join(texts[i] for i in filled)
        if match_label(texts[filled[0]], spec.rows, set()):
            key, level = spec.total_key, ""
        else:
            depth = spec.text_levels[filled[0]]
            path = [*path[:depth], *[0] * (depth - len(path))]  # its parents' places, then its own
            path[depth - 1] += 1
            key, level = "L" + ".".join(map(str, path)), str(depth)
        rows.append(Row(key, row_values(values, spec.columns, notes, line, shown), line, name=shown, level=level,
                        label=shown, start=filled[0]))
    return rows


def _form_rows(cells: tuple[str, ...], spec: TableSpec, used: set[str]) -> list[tuple[int, str, str]]:
    """(label index, row key, side) of every amount label in one line of a form (two blocks
    side by side: 项目资金 | 年度资金)."""
    out = []
    for i, cell in enumerate(cells):
        if not cell or is_number(cell):
            continue
        for side, _columns, labels in spec.halves:
            key = match_label(cell, labels, used)
            if key is not None:
                used.add(key)
                out.append((i, key, side))
                break
    return out


def parse_forms(spec: TableSpec, body: list[SourceLine], header_text: str, notes: Notes) -> list[Row]:
    """One form per project, each opened by its 项目名称 line: the amounts of each form (项目资金
    总额, 当年财政拨款 …) as rows keyed `<amount>:<n>` (n the form's place in print order), with
    `level` the amount's key and `label` the project's name, so that one table holds every
    project and a rule sums an amount over them (B11[level=annual_total])."""
    rows: list[Row] = []
    project, n, used = "", 0, set()
    for line in body:
        cells = line.cells
        if cells and label_key(cells[0]) == "项目名称":
            project, n, used = next((c for c in cells[1:] if c), ""), n + 1, set()
            continue
        if not n or not line.is_row:
            continue
        for i, key, side in _form_rows(cells, spec, used):
            j = next((k for k in range(i + 1, len(cells)) if cells[k]), len(cells))
            value = [cells[j]] if j < len(cells) and is_number(cells[j]) else [""]
            name = f"{project}·{cells[i]}"
            rows.append(Row(f"{key}:{n}", row_values(value, spec.halves[0][1], notes, line, name), line,
                            name=name, level=key, side=side, label=project, start=i))
    return rows


LAYOUT_PARSERS = {"parts": parse_parts, "grouped": parse_grouped, "levelled": parse_levelled, "forms": parse_forms}
