"""A page missing inside a table: the one cause of the orphaned codes and failing sums it leaves.

A page cut out of a coded table (a reviewer's scissors, a converter that lost a page, a booklet
printed short) leaves rows whose 类/款 are gone and a 合计 that no longer equals its 类 — dozens of
true but misleading findings (META.code_parent suggests a parent for every orphan, localization
blames the 类 above the break).  The gap is called only from evidence no misprint explains:

* **inside the table**: the rows break at a page boundary, the last row before it is no 合计, the
  first rows after it are 款/项 whose 类/款 the table does not print (a misprinted code is one
  row, anywhere), and the printed 合计 exceeds the sum of the 类 by at least what those orphans
  carry (a misprint leaves 合计 = Σ类);
* **inside a 类** (the next page begins with a 类 the table prints, so no code is orphaned): the
  rows break at a page boundary where a 类 (or 款) ends short of its children — it exceeds the
  sum of the 款 (or 项) printed under it, which the table prints for its other 类 — the next row
  begins another 类, and the printed 合计 exceeds the sum of the 类 (whole 类 were lost with the
  rest of this one; a misprinted 类 cannot make both differences positive);
* **at the table's end** (合计 printed first): the last row stands at the foot of a full page,
  the next page begins another table, the 合计 exceeds Σ类 in every column that differs, and
  other tables of the document print 类 beyond the last one this table prints;
* **to the right** (a spreadsheet printed without fit-to-width, issue 26): the rows of one page
  have columns continued on a later page and the rows of another page have none of them, and
  those cells cannot all be blank — the other rows print every cell of these columns (0.00
  included), or a 合计 row is among them (Calc leaves out a page whose cells are all blank).

A table published incomplete (rows left out, a 合计 that does not add up mid-page, a misprinted
code) shows one of these signs, never all of them, and stays a matter for the table rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from auditlib.model import Report, Table

TOLERANCE = 0.01  # per figure summed: the rounding of figures printed with two decimals


@dataclass
class Gap:
    """Where a table lost a page (rows down, or columns to the right) and the signs that tell it."""

    table: str
    before: int  # the last page with the table's rows before the gap (to the right: the page of their labels)
    after: int | None  # the first page with its rows after the gap; None: the table's end or right is missing
    place: str  # where the page is missing, as the finding says it
    orphans: list[str] = field(default_factory=list)  # row keys whose 类/款 are on the missing page
    evidence: list[str] = field(default_factory=list)  # Chinese, one clause per sign
    # (row, column) read but in doubt: every continued column once a continuation is lost (the
    # remaining continuation pages may have been taken for the lost one)
    doubted: set[tuple[str, str]] = field(default_factory=set)


def missing_pages(report: Report) -> list[Gap]:
    """The gaps of every read table (at most one per table: its first)."""
    out = []
    for table in report.tables.values():
        if not table.readable or _rows(table) is None:
            continue
        coded = table.spec.kind == "hierarchy"
        gap = (coded and (_inner(report, table) or _within(report, table) or _tail(report, table))) or \
            _right(report, table)
        if gap:
            out.append(gap)
    return out


def _right(report: Report, table: Table) -> Gap | None:
    """The rows of one page without the columns that the rows of another page continue on a
    later page, when what they lose shows (see the module docstring)."""
    label = {k: box[0] for (k, c), box in table.boxes.items() if c == "name"}
    beyond: dict[str, dict[int, set[int]]] = {}  # column -> label page -> the later pages holding it
    present: set[tuple[str, int]] = set()  # (column, label page) with a cell printed anywhere
    for (k, c), box in table.boxes.items():
        if c != "name" and k in label:
            present.add((c, label[k]))
            if box[0] != label[k]:
                beyond.setdefault(c, {}).setdefault(label[k], set()).add(box[0])
    continuing = {q for pages in beyond.values() for qs in pages.values() for q in qs}
    for page in sorted(set(label.values()) - continuing):  # a page continuing others' rows holds a right half
        lost = [c for c in table.columns if c in beyond and (c, page) not in present]
        rows = [k for k, p in label.items() if p == page]
        shown = _lost_shows(table, rows, lost) if lost else None
        if shown:
            there = sorted({q for c in lost for qs in beyond[c].values() for q in qs})
            names = "、".join(table.spec.column_names.get(c, c) for c in lost)
            return Gap(table.code, page, None, f"{report.where(page)}各行向右的续页", [], [
                f"表格向右接续（续印在{'、'.join(map(report.where, there))}），{report.where(page)}各行比其他页各行少 {len(lost)} 栏"
                f"（读作 {names}；少一页续页时，其余续页的栏可能错位）", shown], {(k, c) for k in label for c in beyond})
    return None


def _lost_shows(table: Table, rows: list[str], lost: list[str]) -> str | None:
    """Why the blank cells are lost figures, not blanks: the other rows of their side print every
    cell of these columns (0.00 included), or a 合计 row of that side is among them; None else."""
    data = table.data
    side = data["side"] if "side" in data else pd.Series("", index=data.index)
    sides = {side[k] for k in data.index if k not in rows and any(table.value(k, c) is not None for c in lost)}
    mine = [k for k in rows if side[k] in sides]
    others = [k for k in data.index if k not in rows and side[k] in sides]
    if mine and others and all(table.value(k, c) is not None for k in others for c in lost):
        return "其他页各行的这些栏每格都印有数字（含 0.00），本页各行的续页不会是空白页"
    totals = [k for k in mine if k == table.spec.total_key or any(w in str(data.at[k, "name"]) for w in ("合计", "总计"))]
    return f"其中 {str(data.at[totals[0], 'name']).strip()} 行在这些栏也是空的" if totals else None


def _rows(table: Table) -> pd.DataFrame | None:
    """The table's rows with the page each was printed on (None: not known, a text form)."""
    data = table.data
    if not len(data) or "code" not in data or "page" not in data or data["page"].isna().any():
        return None
    return data


def _classes(table: Table) -> pd.DataFrame:
    """The 类 rows (3-digit codes): what 合计 must equal, and what tells the classes a table lacks."""
    data = table.data
    codes = data["code"].astype(str)
    return data[codes.str.fullmatch(r"\d{3}")]


def _shortfall(table: Table) -> tuple[float, float, float] | None:
    """(合计, Σ类, 合计 − Σ类) in the table's first column when 合计 exceeds Σ类 there and in no
    column falls short of it; None otherwise (a 合计 that holds, or one too small: no rows lost)."""
    total_key = table.spec.total_key
    classes = _classes(table)
    if not table.has(total_key) or not len(classes):
        return None
    tolerance = TOLERANCE * (len(classes) + 1)
    gaps = {c: (table.value(total_key, c) or 0.0) - classes[c].fillna(0.0).sum() for c in table.columns}
    first = table.columns[0]
    if gaps[first] <= tolerance or any(g < -tolerance for g in gaps.values()):
        return None
    return table.value(total_key, first) or 0.0, float(classes[first].fillna(0.0).sum()), gaps[first]


def _inner(report: Report, table: Table) -> Gap | None:
    """Rows that break at a page boundary into 款/项 whose 类/款 the table does not print."""
    data = table.data
    printed = set(data["code"].astype(str))
    keys, pages = list(data.index), [int(p) for p in data["page"]]
    for n in range(1, len(keys)):
        if pages[n] != pages[n - 1] + 1 or keys[n - 1] == table.spec.total_key:
            continue
        orphans = _orphans(data, keys[n:], printed)
        if not orphans:
            continue
        carried = sum(_topmost(table, orphans, printed))
        short = _shortfall(table)
        if table.has(table.spec.total_key):
            if short is None or short[2] < carried - TOLERANCE * len(orphans):
                continue  # 合计 = Σ类 (a misprinted code loses no amount), or the lost rows cannot hold the orphans
        elif len(orphans) < 2:
            continue  # no 合计 to weigh: one orphan is as likely a misprint
        return Gap(table.code, pages[n - 1], pages[n], f"{report.where(pages[n - 1])}与{report.where(pages[n])}之间",
                   orphans, _inner_evidence(report, table, keys[n - 1], orphans, printed, short, carried))
    return None


def _within(report: Report, table: Table) -> Gap | None:
    """Rows that break at a page boundary where a 类 or 款 ends short of its children and the
    next row begins another 类, in a table whose 合计 exceeds Σ类 (see the module docstring)."""
    short = _shortfall(table)
    data = table.data
    if short is None:
        return None
    codes, pages = [str(c) for c in data["code"]], [int(p) for p in data["page"]]
    for n in range(1, len(codes)):
        if pages[n] != pages[n - 1] + 1 or not codes[n - 1].isdigit() or not _is_class(codes[n]) \
                or codes[n] == codes[n - 1][:3]:
            continue
        ended = [(data.index[codes.index(p)], d) for p in dict.fromkeys((codes[n - 1][:3], codes[n - 1][:5]))
                 if p in codes and (d := _children_short(table, p, codes)) is not None]
        if not ended:
            continue
        last, first = data.index[n - 1], data.index[n]
        parts = "，".join(f"“{_named(table, k)}”比表中所列下级科目之和多 {d:,.2f}" for k, d in ended)
        return Gap(table.code, pages[n - 1], pages[n], f"{report.where(pages[n - 1])}与{report.where(pages[n])}之间", [], [
            f"{report.where(pages[n - 1])}末行为“{_named(table, last)}”，{parts}",
            f"下一页首行“{_named(table, first)}”已是另一类，缺少的下级科目表中均未列出",
            f"合计 {short[0]:,.2f} 比各类之和 {short[1]:,.2f} 多 {short[2]:,.2f}（缺页中还有整类科目）"])
    return None


def _is_class(code: str) -> bool:
    """A 类 code (3 digits): where a new 类 begins."""
    return len(code) == 3 and code.isdigit()


def _children_short(table: Table, parent: str, codes: list[str]) -> float | None:
    """How much a 类/款 exceeds the sum of its 款/项 in the first column, when it does and falls
    short in no column; None otherwise, or when the table prints no 款/项 at all (a table of 类 only)."""
    depth = len(parent) + 2
    if not any(len(c) == depth for c in codes):
        return None
    kids = [table.data.index[i] for i, c in enumerate(codes) if len(c) == depth and c.startswith(parent)]
    key = table.data.index[codes.index(parent)]
    gaps = [(table.value(key, c) or 0.0) - sum(table.value(k, c) or 0.0 for k in kids) for c in table.columns]
    tolerance = TOLERANCE * (len(kids) + 1)
    return gaps[0] if gaps[0] > tolerance and min(gaps) >= -tolerance else None


def _orphans(data: pd.DataFrame, keys: list[str], printed: set[str]) -> list[str]:
    """The 款/项 rows from the break on whose 类 (or 款) is not printed, up to the next 类."""
    out = []
    for key in keys:
        code = str(data.at[key, "code"])
        if not code.isdigit() or len(code) <= 3 or code[:3] in printed and code[:-2] in printed:
            break
        out.append(key)
    return out


def _topmost(table: Table, orphans: list[str], printed: set[str]) -> list[float]:
    """What the lost rows carry at least: the first column of each orphan whose own parent is lost."""
    first = table.columns[0]
    return [table.value(k, first) or 0.0 for k in orphans if str(table.data.at[k, "code"])[:-2] not in printed]


def _named(table: Table, key: str) -> str:
    """A row as the evidence quotes it, code and name as printed (208 社会保障和就业支出)."""
    code, name = str(table.data.at[key, "code"] or ""), str(table.data.at[key, "name"])
    return f"{code} {name}".strip()


def _inner_evidence(report: Report, table: Table, last: str, orphans: list[str], printed: set[str],
                    short: tuple[float, float, float] | None, carried: float) -> list[str]:
    """The signs of a gap inside the table, one Chinese clause each, so the auditor can verify
    them on the page: where the rows break, which parents are missing, what 合计 exceeds Σ类 by."""
    parents = sorted({p for k in orphans for code in [str(table.data.at[k, "code"])]
                      for p in (code[:3], code[:-2]) if p not in printed})
    out = [f"{report.where(int(table.data.at[last, 'page']))}末行为“{_named(table, last)}”，表未到合计行",
           f"下一页首行“{_named(table, orphans[0])}”起 {len(orphans)} 行科目的上级科目（{'、'.join(parents)}）"
           f"表中均未列出"]
    if short:
        out.append(f"合计 {short[0]:,.2f} 比各类之和 {short[1]:,.2f} 多 {short[2]:,.2f}，"
                   f"不少于这些科目所含的 {carried:,.2f}")
    return out


def _tail(report: Report, table: Table) -> Gap | None:
    """A table whose 合计 is printed first, cut off at the foot of a full page."""
    data = table.data
    keys = list(data.index)
    if keys[0] != table.spec.total_key or len(keys) < 2:
        return None
    last, page = keys[-1], int(data.at[keys[-1], "page"])
    following = [t for t in report.tables.values() if t.page == page + 1 and t.code != table.code]
    short = _shortfall(table)
    beyond = _classes_beyond(report, table)
    if not following or short is None or not beyond or not _at_foot(report, table, last):
        return None
    others = "、".join(beyond)
    return Gap(table.code, page, None, f"{report.where(page)}之后", [], [
        f"{report.where(page)}末行“{_named(table, last)}”已到页底，下一页起为{following[0].title or following[0].code}",
        f"合计（印在表首）{short[0]:,.2f} 比各类之和 {short[1]:,.2f} 多 {short[2]:,.2f}",
        f"其他表列有本表未列的 {others} 类科目"])


def _classes_beyond(report: Report, table: Table) -> list[str]:
    """The 类 other coded tables print after this table's last code, which it does not print."""
    own = set(_classes(table)["code"].astype(str))
    last = max(own, default="")
    out: set[str] = set()
    for other in report.tables.values():
        if other is not table and other.readable and other.spec.kind == "hierarchy" and "code" in other.data:
            out |= {c for c in _classes(other)["code"].astype(str) if c > last and c not in own}
    return sorted(out)


def _at_foot(report: Report, table: Table, key: str) -> bool:
    """The row stands where a full page ends: within a row's height of the last row another
    table prints before it continues on the next page (tables of one document share their page
    layout; a page size is not in the model)."""
    box = table.boxes.get((key, "name"))
    return box is not None and any(abs(box[4] - foot) <= box[4] - box[2] for foot in _feet(report, table))


def _feet(report: Report, table: Table) -> list[float]:
    """The bottoms of the rows after which the other tables continue on the next page."""
    out = []
    for other in report.tables.values():
        rows = _rows(other) if other is not table and other.readable else None
        if rows is None:
            continue
        pages = [int(p) for p in rows["page"]]
        out += [other.boxes[(k, "name")][4] for k, p, q in zip(rows.index, pages, pages[1:])
                if q == p + 1 and (k, "name") in other.boxes]
    return out
