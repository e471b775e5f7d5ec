"""Plain `pdftotext`'s flow of 公开06表, the economic classes printed in two halves side by
side (人员经费 | 公用经费), read from its streams of codes and figures (auditlib/ingest/spaced.py).

Without -layout, pdftotext prints 公开06表 a cell a line, in the order of the blocks it finds
on the page (a block: lines that stand close one under another), not row by row.  What each
producer's print leaves:

- LibreOffice Calc (and Chromium): each half's code and name ("30101 基本工资"), its figure on
  a line of its own, the halves of a printed row one after the other — but a code whose name
  wraps may come out rows later ("30109" after "30207 邮电费"), and a figure one place early
  or late (the 人员经费 figure of the next row before the 公用经费 one of this row).  The
  codes say which rows the table has, not where they stand; the figures keep the printed
  order but for such a slip.  This is the print read here.
- LibreOffice Writer: a run of rows of one half whose names fit one line comes out as a block
  each of their codes, names and figures ("30101 / 30102", "基本工资 / 津贴补贴", "30.58 /
  25.80"), then the same rows of the other half; a row whose name wraps ends the run — and
  blocks of figures land far from their rows: the first 公用经费 figure of a page after the
  page's last codes, the figures of four rows after 公用经费合计 while those of rows below them
  come before it.  The figures of one half are then not in its row order, and a reading that
  keeps their printed order is no safe reading either: the 12.39 of 30239 其他交通费用,
  printed after two 0.00 of rows below it (of 310's items), falls on 30299 and every
  identity still holds (both are items of 302).  Not read (UNPLACED).
- WPS (the Shanghai reports): no blank line between cells, each column of the page a run of
  lines (every 人员经费 code, then their names, …), the figures in a few long runs, each of
  consecutive cells of one half, and single figures elsewhere: among the other half's codes,
  before the run that holds their class's own figure, after the note.  Several placings of
  those runs make every identity hold (single figures of one class trade places unseen),
  and the streams give no other sign of their rows.  It is taken as printed a cell a line (`streamed`), so
  that it is left unread with that reason (UNPLACED).  WPS with 类 and 款 in cells of their own
  (the Nanchang report: "301" alone on each row's line, "01 基本工资" after it — "14 医疗费" of
  301 printed after "302" / "12 因公出国(境)费用") is not read either (SPLIT).
- LibreOffice (the Nanchang report): each cell's code, name and figure one after the other, row
  by row — but 人员经费合计's figure before the 399 class beside it: a row stands at the first
  of its lines below the row before it.

What is left to read of a print such as Calc's:

- the rows: each half's codes in code order side by side (人员经费 the 301 and 303 classes,
  as the catalog's T06.personnel_total adds them; 公用经费 every other class), the two
  totals last;
- the figures, one per cell, row by row, left half first — or with one figure and the next
  in the other's place where they stand in different classes (the slip above), which the
  sums of those classes see; two figures of one class trade places unseen, so that is no
  reading;
- a class printed without figures (its code and its items' codes with no figure among
  them, e.g. 399 其他支出) is blank, when the figures are that many fewer than the cells.

Of those readings, the one that makes every identity of the table hold (each class = Σ its
items, 人员经费合计 = Σ its classes, 公用经费合计 = Σ its classes) is taken when it is the
only one; otherwise the table is not read, saying which: none holds (UNBALANCED — a table
that does not add up as printed, as the Nanchang report's, cannot be read so), several do
(SEVERAL), or the figures do not fit the cells (a figure printed after the next table:
Writer's 公用支出合计).  A row's name is the classification's where the table prints it; else
it is read without it — but a row without a figure, which the builder keeps by its name
alone, takes the words printed with its code ("39900 赠与", a cut "对民间非营利组织和群众性
自治组"), and without them the table is not read (UNNAMED): never a row silently lost.
"""

from __future__ import annotations

import math
import re
from itertools import combinations

from auditlib.ingest.spaced_bind import holds_all
from auditlib.ingest.spaced_fixed_flow import FIXED
from auditlib.ingest.spaced_flow import FIGURES
from auditlib.ingest.spaced_identities import Check
from auditlib.ingest.spaced_template import Row, Template
from auditlib.ingest.spaced_tokens import Line, Placed, squash, words
from auditlib.numbers import parse_number
from auditlib.schema import ECONOMIC_CLASSES, SPECS

HALVES = ("T06",)  # the tables read here
PERSONNEL = ("301", "303")  # 人员经费's classes (T06.personnel_total); the rest are 公用经费's
# the totals row, one per half, as the schema reads them ("公用经费合计" or "公用支出合计")
TOTALS = {label.key: re.compile(label.pattern) for _, _, labels in SPECS["T06"].halves for label in labels}
ECONOMIC = re.compile(r"3\d{2}(\d{2})?")
# why 公开06表 printed a cell a line is not read (a warning under its table's name)
REPEATED = ("每格一行印出（pdftotext），同一经济分类科目编码印出不止一次，无法确定各行"
            "（printed a cell a line with an economic code printed twice: the rows cannot be told）")
NO_PLACING = "每格一行印出（pdftotext），人员经费、公用经费两部分的金额没有唯一一种排列能使本表勾稽关系成立"
SPLIT = ("每格一行印出（pdftotext），经济分类的类、款编码分栏印出（每一行重印类编码“301”，款编码“01 基本工资”另起一行，"
         "且不总紧跟其类编码），款属于哪一类无法由印出的顺序确定，无法确定各行（printed a cell a line with the class "
         "and item codes in cells of their own: which class an item belongs to cannot be told from the order）")
UNPLACED = (f"{NO_PLACING}，无法确定"
            "（printed a cell a line: no single placing of the two halves' figures satisfies the table's identities）")
UNNAMED = ("每格一行印出（pdftotext），有未印金额的科目找不到印出的科目名称，无法确定该行"
           "（printed a cell a line: a code printed without a figure whose name cannot be found）")
# UNPLACED's cases told apart where the placings were tried: none holds, several hold
UNBALANCED = (f"{NO_PLACING}：按印出的顺序、或一格与相邻一格互换，各类与其各款之和、两个合计与其各类之和都不能全部相等"
              "（表中金额本身可能不平，请以PDF核对），无法确认各金额所在的行（printed a cell a line: the table's sums "
              "hold neither in the printed order nor with a figure and the next traded — its figures may not add up "
              "as printed; the rows of the figures cannot be confirmed）")
SEVERAL = (f"{NO_PLACING}：不止一种排列都能使其成立，无法确定"
           "（printed a cell a line: several placings of the figures satisfy the table's identities）")

Cell = tuple[int, str]  # (half, code or total key)


def halves_rows(lines: list[Line], tpl: Template) -> tuple[list[Row] | None, str]:
    """The printed rows of 公开06表 printed a cell a line (`lines`: its lines as printed, head
    included), read from its streams of codes and figures; None and why when they do not
    give one reading."""
    codes = _codes(lines)
    if codes is None:
        return None, SPLIT if _split_codes(lines) else REPEATED
    if not codes:  # the totals alone are no reading of the table
        return None, UNPLACED
    cells = _cells(sorted(codes))
    figures = [(line, t) for line in lines for t in line.tokens if t.kind in FIGURES]
    blanks = _blanks(cells, codes, figures, lines)
    if not blanks:
        return None, _miscounted(len(figures), len(cells))
    found: dict[tuple, dict[Cell, Placed]] = {}
    for blank in blanks:
        filled = [c for c in cells if c[1] not in blank]
        for order in _orders(figures, filled):
            placed = dict(zip(filled, order))
            if _holds(cells, placed):
                found.setdefault(tuple((c, placed[c][1].text if c in placed else "") for c in cells), placed)
    if len(found) != 1:
        return None, SEVERAL if found else UNBALANCED
    return _rows(cells, next(iter(found.values())), codes, lines, tpl)


def _miscounted(figures: int, cells: int) -> str:
    """Why the figures cannot be placed at all: there are more of them than cells, or fewer
    and no class printed without figures makes up the difference (a figure printed away
    from the table, say after the next table: Writer's 公用经费合计)."""
    return (f"{NO_PLACING}：表下印有 {figures} 个金额，与各行应有的 {cells} 格对不上"
            f"（不印金额的类也补不足），无法确定各金额所在的行（printed a cell a line: {figures} figures for {cells} "
            "cells, no class printed without figures makes up the difference）")


def blank_halves_rows(lines: list[Line], tpl: Template) -> list[Row] | None:
    """The rows of 公开06表 printed a cell a line without a figure (a blank template), each
    blank: each half's codes and both totals, when every number of three digits or more is
    an economic code beginning its line, printed once, each half's in code order, each
    item under its class, and each total printed once; else None (spaced_figureless)."""
    codes = _codes(lines)
    numbers = [t.text for line in lines for t in line.tokens if t.kind == "int" and len(t.text) >= 3]
    if not codes or sorted(numbers) != sorted(codes) or any(c[:3] not in codes for c in codes):
        return None
    for left in (True, False):
        half = [c for c in sorted(codes, key=lambda c: codes[c].index) if (c[:3] in PERSONNEL) == left]
        if half != sorted(half):
            return None
    totals = _total_lines(lines)
    if any(len(found) != 1 for found in totals.values()):
        return None
    at = codes | {key: found[0] for key, found in totals.items()}
    return _rows(_cells(sorted(codes)), {}, at, lines, tpl)[0]


def streamed(region: list[Line]) -> bool:
    """公开06表 printed a cell a line with no blank line between its cells (WPS in plain
    pdftotext: each column a run of lines, which `one_cell_a_line` does not take without
    blank lines): every line one word but for a few, among them two economic codes or more."""
    worded = [line for line in region if line.tokens]
    alone = [line.tokens[0] for line in worded if len(line.tokens) == 1]
    codes = [t for t in alone if t.kind == "int" and ECONOMIC.fullmatch(t.text)]
    return len(codes) >= 2 and len(alone) * 20 >= len(worded) * 19


def after_note(table: str, lines: list[Line]) -> list[Line]:
    """The lines after a table's note that belong to its flow: for 公开06表 and the coded
    tables the figures alone on their lines (pdftotext prints the last total's figure
    below the note that follows the totals row), for 公开01/04表 their 行次 too."""
    kinds = (*FIGURES, "int") if table in FIXED else FIGURES if table in HALVES or SPECS[table].kind == "hierarchy" else ()
    return [line for line in lines if line.tokens and all(t.kind in kinds for t in line.tokens)]


def _codes(lines: list[Line]) -> dict[str, Line] | None:
    """The economic codes the table prints, each with its line (a code begins its line:
    "30101 基本工资", "30108 位基本养老" of a wrapped name, "30109" alone); None when one
    is printed twice."""
    out: dict[str, Line] = {}
    for line in lines:
        first = line.tokens[0] if line.tokens else None
        if first is not None and first.kind == "int" and ECONOMIC.fullmatch(first.text):
            if first.text in out:
                return None
            out[first.text] = line
    return out


def _split_codes(lines: list[Line]) -> bool:
    """Whether the table prints each row's 类 and 款 in cells of their own (WPS: "301" alone
    on a line, then "01 基本工资"): a class code alone on two lines or more, and 款 lines."""
    alone = [line.tokens[0].text for line in lines if len(line.tokens) == 1 and line.tokens[0].kind == "int"]
    items = [line for line in lines if len(line.tokens) > 1 and line.tokens[0].kind == "int"
             and re.fullmatch(r"\d{2}", line.tokens[0].text) and line.tokens[1].kind == "text"]
    return bool(items) and any(alone.count(code) > 1 for code in set(alone) if len(code) == 3 and ECONOMIC.fullmatch(code))


def _cells(codes: list[str]) -> list[Cell]:
    """The table's cells row by row, left half first: each half's codes in code order side
    by side, then the two totals."""
    left = [c for c in codes if c[:3] in PERSONNEL]
    right = [c for c in codes if c[:3] not in PERSONNEL]
    out = [(half, side[i]) for i in range(max(len(left), len(right))) for half, side in ((0, left), (1, right))
           if i < len(side)]
    return [*out, (0, "personnel_total"), (1, "public_total")]


def _blanks(cells: list[Cell], codes: dict[str, Line], figures: list[Placed], lines: list[Line]) -> list[set[str]]:
    """The sets of codes that may be printed blank: none when every cell has its figure,
    else the classes printed without a figure (none from their codes' first line up to the
    next line of another code or of a total) that make up the cells the figures lack."""
    missing = len(cells) - len(figures)
    if missing <= 0:
        return [set()] if missing == 0 else []
    marks = {line.index: code for code, line in codes.items()}
    marks |= {line.index: "" for found in _total_lines(lines).values() for line in found}
    silent = []
    for code in (c for c in codes if len(c) == 3):
        members = {c for c in codes if c.startswith(code)}
        start, last = min(codes[c].index for c in members), max(codes[c].index for c in members)
        end = min((i for i, c in marks.items() if i > last and c not in members), default=math.inf)
        if not any(start <= line.index < end for line, _ in figures):
            silent.append(members)
    return [set().union(*chosen) for k in range(1, len(silent) + 1) for chosen in combinations(silent, k)
            if sum(map(len, chosen)) == missing]


def _orders(figures: list[Placed], filled: list[Cell]) -> list[list[Placed]]:
    """The figures in the order they fill `filled`: as printed, and with each figure and the
    next traded where their cells are of different classes (a totals row is a class)."""
    if len(figures) != len(filled):
        return []
    out = [figures]
    for i in range(len(figures) - 1):
        if filled[i][1][:3] != filled[i + 1][1][:3]:
            out.append([*figures[:i], figures[i + 1], figures[i], *figures[i + 2:]])
    return out


def _holds(cells: list[Cell], placed: dict[Cell, Placed]) -> bool:
    """Whether every identity of 公开06表 holds with the figures so placed (a blank is 0)."""
    values = [{"amount": parse_number(placed[c][1].text) or 0.0 if c in placed else 0.0} for c in cells]
    at = {key: i for i, (_, key) in enumerate(cells)}
    checks: list[Check] = []
    for i, (half, key) in enumerate(cells):
        if key.endswith("_total"):
            parts = [j for j, (h, k) in enumerate(cells) if h == half and len(k) == 3]
        else:
            parts = [at[k] for k in at if len(k) == len(key) + 2 and k.startswith(key)]
        if parts:
            checks.append(((i, "amount", 1), *((j, "amount", -1) for j in parts)))
    return holds_all(values, checks)


def _rows(cells: list[Cell], placed: dict[Cell, Placed], codes: dict[str, Line], lines: list[Line],
          tpl: Template) -> tuple[list[Row] | None, str]:
    """The printed rows of the one reading: each at the first line of its figures (of its
    codes when blank) below the row before it (they must follow each other down the text:
    LibreOffice prints 人员经费合计's figure before the 399 class beside it), its names where
    printed, with every line it was read from.  A row without a figure whose name is not
    found is no reading (the builder keeps such a row by its name alone)."""
    text = words(lines)
    names = {key: _label(key, text, codes, lines, blank=(half, key) not in placed) for half, key in cells}
    if any(not names[key] and key in codes and (half, key) not in placed for half, key in cells):
        return None, UNNAMED
    printed: list[dict[int, str]] = []
    for half, key in cells:
        if half == 0 or not printed or 1 in printed[-1]:
            printed.append({})
        printed[-1][half] = key
    out: list[Row] = []
    for row in printed:
        mine = [placed[c][0] for c in row.items() if c in placed]
        at = [codes[key] for key in row.values() if key in codes]
        below = [line for line in mine or at if not out or line.index > out[-1].line.index]
        if not below:
            return None, UNPLACED
        values = {half: placed[(half, key)][1].text if (half, key) in placed else "" for half, key in row.items()}
        filled = tuple(_cell(slot.role, row.get(slot.half), values.get(slot.half, ""), names) for slot in tpl.slots)
        out.append(Row(filled, min(below, key=lambda line: line.index), tuple(dict.fromkeys(mine + at))))
    return out, ""


def _cell(role: str, key: str | None, value: str, names: dict[str, str]) -> str:
    """One cell of a printed row: a half's code, name or figure (all blank where the half
    has no row)."""
    if key is None:
        return ""
    if role == "code":
        return "" if key.endswith("_total") else key
    return names[key] if role == "label" else value


def _label(key: str, text: str, codes: dict[str, Line], lines: list[Line], blank: bool) -> str:
    """A row's name as printed: a total's label, the classification's name printed whole;
    for a row without a figure (which the builder keeps by its name alone) else the words
    printed with its code ("39900 赠与", "39908" / "对民间非营利组织和群" / "众性自治组") —
    when the classification has the code, only a beginning of its name of four characters
    at least (the print's own cut); "" when none (`text`: the table's words run together)."""
    if key.endswith("_total"):
        printed = TOTALS[key].search(text)
        return printed.group(0) if printed else ""
    classified = ECONOMIC_CLASSES.get(key, "")
    name = squash(classified)
    if name and name in text:
        return classified
    if not blank or key not in codes:
        return ""
    beside = _words_after(codes[key], lines)
    return beside if not name or len(beside) >= 4 and name.startswith(beside) else ""


def _words_after(code: Line, lines: list[Line]) -> str:
    """The words printed with a code: beside it on its line, else on the lines of words
    only that follow it (its name wrapped), up to a line with a number."""
    beside = [t.text for t in code.tokens[1:] if t.kind == "text"]
    if not beside:
        following = lines[lines.index(code) + 1:]
        end = next((i for i, line in enumerate(following) if any(t.kind != "text" for t in line.tokens)), len(following))
        beside = [t.text for line in following[:end] for t in line.tokens]
    return squash("".join(beside))


def _total_lines(lines: list[Line]) -> dict[str, list[Line]]:
    """Each total's key with the lines that print its label."""
    return {key: [line for line in lines if pattern.search(squash(line.text))] for key, pattern in TOTALS.items()}
