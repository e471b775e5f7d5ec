"""Where a budget narrative's figure is printed: the cell of a vocabulary key
(auditlib/ingest/budget-subjects.yaml `cells`, first readable choice first) or the 功能分类 row
of the 科目 a paragraph names, in 万元 whatever the table's unit (a Shanghai budget prints its
tables in 元 and its narrative in 万元).  A figure whose table exists but is not read is
unchecked, and says which table (`Located.reason`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from auditlib.ingest.budget_claims import budget_subjects, item_tables
from auditlib.model import Report, Table
from auditlib.names import cell_parts
from auditlib.numbers import half_unit

__all__ = ["BASIC_TABLES", "Located", "locate", "locate_all", "locate_figure", "locate_item", "other_funds"]

WAN = 10000.0
CODE = re.compile(r"\d{3}|\d{5}|\d{7}")  # a 功能分类 code a narrative names a 科目 by
CELL = re.compile(r"^(?P<table>B\d\d|@)\[(?P<rows>[^\]]+)\]\.(?P<column>\w+)$")
# the 基本支出 table a narrative names (人员经费, 公用经费 that follow are its `@` rows)
BASIC_TABLES = {"general_basic": "B06", "fiscal_basic": "B13"}


@dataclass
class Located:
    """A sum the tables print, in 万元, with its rounding allowance and the cells it adds
    (table, row, column); or why there is none (`reason`)."""

    value: float | None = None
    allowance: float = 0.0
    cells: list[tuple[str, str, str]] = field(default_factory=list)
    words: str = ""  # 公开表 B04 支出总计 一般公共预算, as a finding names it
    reason: str = ""
    blank: bool = False  # the row is printed, the cell blank (0 where the narrative says 0)
    fiscal_only: bool = False  # a 类 as the 财政拨款 / 一般公共预算 tables print it (not of all funds)


def _wan(table: Table, report: Report) -> float:
    """元 to 万元: a table's own unit, else the document's (a 绩效目标表 form says 项目资金（元）
    inside its head, not 单位：元)."""
    return 1 / WAN if (table.unit or report.unit) == "元" else 1.0


def _picked(table: Table, rows: str) -> list[str]:
    """The row keys a cell's rows name: `a+b`, or `level=X` every row of that level (each form's
    年度资金申请总额 in a 绩效目标表: `B11[level=annual_total]`)."""
    if rows.startswith("level="):
        data = table.data
        return [str(k) for k in data.index[data["level"] == rows[len("level="):]]] if "level" in data.columns else []
    return rows.split("+")


def _sum(report: Report, table: Table, rows: list[str], column: str) -> Located | None:
    """The rows of `rows` the table prints, added; None when it prints none of them.  Its words
    name the cells as the auditor reads them (表名 行名 栏名), never by their keys."""
    present = [r for r in rows if table.has(r)]
    if table.status == "empty" and column in table.data.columns:
        return Located(0.0, 0.0, [], f"{table.title or table.code}（空表）")
    if not present or column not in table.data.columns:
        return None
    factor = _wan(table, report)
    values = [table.value(r, column) for r in present]
    if all(v is None for v in values):
        return Located(reason="表中该单元格空白", blank=True, words=_words(report, table, present[:1], column))
    allowance = sum(half_unit(table.decimals.get((r, column), 2)) * factor for r in present)
    return Located(sum(v or 0.0 for v in values) * factor, allowance, [(table.code, r, column) for r in present],
                   _words(report, table, present, column))


def _words(report: Report, table: Table, rows: list[str], column: str) -> str:
    """表名 行名(+行名…) 栏名 of the cells a figure was found in."""
    parts = [cell_parts(report, table.code, r, column) for r in rows]
    return f"{table.title or parts[0][0]} {'+'.join(p[1] for p in parts)} {parts[0][2]}"


def _usable(report: Report, code: str, unread: list[str]) -> Table | None:
    """The table to look a figure up in, if it was read; one found but not read is noted in
    `unread` (the reason a claim stays unchecked)."""
    table = report.tables.get(code)
    if table is None or table.status == "missing":
        return None
    if table.status == "unread" or not table.readable:
        unread.append(table.title or code)
        return None
    return table


def locate(report: Report, key: str, basic_table: str) -> Located:
    """The cell a vocabulary key names: its first choice whose table was read and has the row
    and column; else why not (a table not read, or none of them printed)."""
    return locate_all(report, key, basic_table)[0]


def locate_all(report: Report, key: str, basic_table: str) -> list[Located]:
    """Every cell a vocabulary key may name that the tables print, first choice first (基本支出:
    of all funds, of the 一般公共预算, of the 财政拨款 — which one a narrative means its words may
    not say); none printed: one Located, blank or saying why."""
    subject = next((s for s in budget_subjects() if s.key == key), None)
    if subject is None or not subject.cells:
        return [Located(reason="说明中的此项在表中没有对应单元格（只与说明中其他数字核对）")]
    unread, blank, found = [], None, []
    for cell in subject.cells:
        m = CELL.match(cell)
        code = basic_table if m.group("table") == "@" else m.group("table")
        table = _usable(report, code, unread)
        at = _sum(report, table, _picked(table, m.group("rows")), m.group("column")) if table is not None else None
        if at is not None and at.blank:
            blank = blank or at
        elif at is not None:
            found.append(at)
    if found or blank is not None:
        return found or [blank]
    if unread:
        return [Located(reason=f"所对应的表（{'、'.join(unread)}）尚未读出")]
    return [Located(reason="表中没有此项（所列各表均未印出对应行列）")]


def _norm(name: str) -> str:
    return re.sub(r"\s+", "", str(name or "")).replace("（", "(").replace("）", ")")


def _same(said: str, printed: str) -> bool:
    """A 科目 name as the narrative says it and as the table prints it (公共安全 = 公共安全支出), or
    with its words swapped (gaoyuan-2018 says 一般行政事务管理 for 2040502 一般行政管理事务: the
    same characters, no other 科目's)."""
    a, b = _norm(said), _norm(printed)
    return bool(a) and (a == b or a + "支出" == b or a == b + "支出" or (len(a) >= 4 and sorted(a) == sorted(b)))


def _rows(table: Table, item: tuple[str, ...]) -> list[str]:
    """The rows whose name and whose parents' names are the 科目's (类, 款, 项)."""
    data = table.data
    if not len(data) or "code" not in data.columns:
        return []
    if CODE.fullmatch(item[-1]):  # 行政运行(2150101): the row of that code, if it bears that name
        return [str(k) for k in data.index if str(data.at[k, "code"]) == item[-1] and _same(item[0], data.at[k, "name"])]
    level = {1: "类", 2: "款", 3: "项"}[len(item)]
    digits = {"类": 3, "款": 5, "项": 7}
    out = []
    for key in data.index[data["level"] == level]:
        code = str(data.at[key, "code"])
        parents = [code[:digits[lv]] for lv in ("类", "款", "项")[:len(item)]]
        if all(not said or (table.has(p) and _same(said, table.data.at[p, "name"]))
               for said, p in zip(item, parents)):
            out.append(str(key))
    return out


def locate_item(report: Report, item: tuple[str, ...]) -> list[Located]:
    """The 合计 of the 功能分类 row a paragraph names (“A（类）B（款）C（项）”, 法院（款）行政
    运行（项）) in each table that prints it, of those budget-subjects.yaml `item_tables` lists:
    一般公共预算 first, then all funds; a 类 alone is of all funds (收支总表).  None found: one
    Located saying why."""
    unread, found = [], []
    for code in item_tables(len(item)):
        table = _usable(report, code, unread)
        if table is None:
            continue
        rows = _rows(table, item)
        if len(rows) > 1:
            return [Located(reason=f"科目“{''.join(item)}”在{table.title or code}中不止一行")]
        column = "total" if "total" in table.data.columns else "amount"
        if rows:
            found.append(_sum(report, table, rows, column))
            found[-1].fiscal_only = len(item) == 1 and code not in ("B01", "B03")
    if found:
        return found
    if unread:
        return [Located(reason=f"所对应的表（{'、'.join(unread)}）尚未读出")]
    return [Located(reason=f"表中找不到科目“{'·'.join(n for n in item if n)}”")]


def other_funds(report: Report) -> bool:
    """The budget spends more than its 财政拨款 (事业收入, 其他资金…), or it cannot be told: a
    类 the narrative states of all funds may then differ from the 一般公共预算 tables' figure."""
    whole, fiscal = locate(report, "expense_total", ""), locate(report, "fiscal", "")
    return whole.value is None or fiscal.value is None or abs(whole.value - fiscal.value) > 0.01


def locate_figure(report: Report, item: tuple[str, ...], subject: str, basic_table: str) -> tuple[list[Located], str]:
    """The cells a narrative amount may restate, first reading first — its 科目's rows, else its
    vocabulary key's cell — and the 基本支出 table named so far (this figure may name it)."""
    if item:
        return locate_item(report, item), basic_table
    basic_table = BASIC_TABLES.get(subject, basic_table)
    return locate_all(report, subject, basic_table), basic_table
