"""A budget's tables printed with spaces (auditlib/ingest/spaced.py): a 部门预算's converter text
holds the B01… tables, not the 决算's, so its tables are found by the budget's titles — and only
those whose printed layout the row template (spaced_template) knows are rebuilt: a table coded
by 类/款/项, two halves side by side with the national columns, or labelled rows.  A province's
own layout (Jiangsu's 收支预算总表 in three parts, its grouped 收入预算总表) or a split table
with columns of a variant is left as printed, and so is one printed a cell a line (plain
pdftotext): the builder reports it `unread` with the reason given here.

What is read is read as the PDF reads it or not at all: a table in whole 元 has its amounts
told from codes by its own evidence (spaced_whole); a 款 printed without its 0 ("301 2") is
given it as table_rows gives it; the 三公 table printed as one row of figures is placed by the
one column order its sums allow (`wide_order`); rows whose 合计 is not the sum of their other
columns, or a coded table's row with neither code nor name, are no reading (`doubtful`).  The
document is a budget when kinds.detect says so from its lines (the reader knows no --kind)."""

from __future__ import annotations

import re
from dataclasses import replace

from auditlib.ingest.bare_tables import CLOSES
from auditlib.ingest.lines import SourceLine
from auditlib.ingest.spaced_template import Row, Template
from auditlib.ingest.spaced_tokens import Line, squash
from auditlib.ingest.spaced_whole import as_amounts
from auditlib.ingest.tables import printed_layout
from auditlib.kinds import BUDGET, Kind, detect, kind_named, spec_of
from auditlib.numbers import parse_number
from auditlib.schema import TableSpec, spec_row_name

TEMPLATED = ("hierarchy", "split", "labelled")  # the layouts spaced_template makes a row of


def budget_kind(lines: list[SourceLine]) -> Kind | None:
    """The budget kind when the lines are a 部门预算's (kinds.detect), else None (a 决算)."""
    return kind_named(BUDGET) if detect([line.text for line in lines]).kind == BUDGET else None


# why a budget table of a layout not rebuilt here is not read (when it prints figures)
LAYOUT_UNREAD = ("以空格分隔的文本中，此预算表的版式（{layout}）无法按栏目拆分，本表未读取"
                 "（this budget layout is not rebuilt from space-separated text）")
CELL_A_LINE = ("预算表每格一行印出（pdftotext），其金额无法按行和栏目归位，本表未读取"
               "（a budget table printed a cell a line is not rebuilt）")
LAYOUT_NAMES = {"parts": "收入、支出功能分类、支出用途三部分并列", "grouped": "来源与项目两列标签",
                "split": "左右两半，支出一侧另有细分栏目", "levelled": "按文字缩进分级的行",
                "forms": "每个项目一张表"}


def budget_unread(code: str, region: list[Line]) -> str | None:
    """None when the table `code` printed as `region` (the lines under its title) is rebuilt:
    every 决算 table; a budget table in a layout the row template knows (two halves side by
    side with no variant's columns: the template has none for them).  Else why it is not read
    (LAYOUT_UNREAD), or "" when it prints no figure (the builder tells empty from unread)."""
    if not code.startswith("B"):
        return None
    spec = spec_of(code)
    printed = "".join(re.sub(r"\s+", "", line.text) for line in region)
    layout = printed_layout(spec, region)
    if layout is spec and spec.kind in TEMPLATED and (
            spec.kind != "split" or not any(keyword in printed for keyword, _ in spec.variants)):
        return None
    if not any(line.figures for line in region):
        return ""
    return LAYOUT_UNREAD.format(layout=LAYOUT_NAMES.get(layout.kind, layout.kind))


def budget_region(code: str, region: list[Line]) -> list[Line]:
    """A budget table's lines up to a sentence (bare_tables.CLOSES): a budget's prose may follow
    its last table with no title between ("其他相关情况说明" / "2024年“三公”经费预算数为47.91万元，…"),
    and its figures are no row of the table."""
    if not code.startswith("B"):
        return region
    return region[:next((i for i, line in enumerate(region) if CLOSES.search(line.text)), len(region))]


def budget_line(code: str, line: Line, yuan: bool) -> Line:
    """A budget table's line with its whole numbers that are amounts made figures (`yuan`: a
    table in whole 元, spaced_whole) and a 款 printed without its leading 0 after its 类 given it
    ("301 2 津贴补贴" is 30102, as table_rows reads it in cells); any other line as it is."""
    if not code.startswith("B"):
        return line
    line = as_amounts(line) if yuan else line
    toks = line.tokens
    if len(toks) > 2 and toks[0].kind == "int" and len(toks[0].text) == 3 and toks[1].kind == "int" \
            and re.fullmatch(r"\d", toks[1].text) and toks[2].kind == "text":
        return replace(line, tokens=(toks[0], replace(toks[1], text=toks[1].text.zfill(2)), *toks[2:]))
    return line


# why a budget table whose rows read back do not add up is not read
UNSUMMED = ("以空格分隔的预算表中，读出的行“合计”不等于其各栏之和，金额所属栏目不能确定"
            "（a row's 合计 is not the sum of its other columns as read: which column a figure is in is not certain）")
TOLERANCE = 0.011  # a cent a column, for the rounding of tables in 万元
YUAN_TOLERANCE = 1.0  # a 元 a column, for a table in whole 元 (printed rounded: 94,995,790 of 77,381,546 + 17,614,243)
# why a budget table with a row of figures under no code and no name is not read
UNNAMED = ("以空格分隔的预算表中，有一行金额既无科目编码也无名称（如江苏的支出预算总表只印一行金额），无法按科目表读取"
           "（a row of figures with neither code nor name: the coded table's rows cannot carry it）")


def doubtful(rows: list[Row], tpl: Template, yuan: bool) -> str:
    """Why a budget table's rows as read back are no reading, else "": a coded table's row with
    figures and neither code nor name (Jiangsu's 支出预算总表 is one row under its column names:
    the builder would read its cells shifted), or a row that does not add up (`unsummed`)."""
    at = [k for k, s in enumerate(tpl.slots) if s.role in ("code", "label")]
    if tpl.spec.kind == "hierarchy" and any(not any(row.cells[k] for k in at) for row in rows):
        return UNNAMED
    return unsummed(rows, tpl, yuan)


def unsummed(rows: list[Row], tpl: Template, yuan: bool) -> str:
    """Why a budget table's rows are no reading (UNSUMMED), else "": a row of a half with a 合计
    column and others whose 合计 is not the sum of the others — a figure put in the wrong column
    (-layout's columns drift with the width of the labels beside them; 合计 is printed whenever
    any column of its row is); `yuan`: a table in whole 元, rounded to the 元."""
    slack = YUAN_TOLERANCE if yuan else TOLERANCE
    for half in {s.half for s in tpl.slots}:
        at = {s.key: k for k, s in enumerate(tpl.slots) if s.half == half and s.role == "value"}
        if "total" not in at or len(at) < 2:
            continue
        for row in rows:
            values = {key: parse_number(row.cells[k]) for key, k in at.items()}
            parts = [v for key, v in values.items() if key != "total" and v is not None]
            total = values["total"]
            if parts and (total is None or abs(total - sum(parts)) > slack * len(parts)):
                return UNSUMMED
    return ""


# why a budget's one-row 三公 table is not read
WIDE_UNSURE = ("以空格分隔的预算“三公”经费表只印一行金额，其金额个数或各项之和不能唯一确定各金额所属栏目"
               "（its one row of figures fits no column order, or more than one, by their count and sums）")
# the sums a one-row 三公 table's figures make: 车 = 购置 + 运行; 三公 = 出国 + 车 + 接待
WIDE_SUMS = (("vehicle", ("vehicle_purchase", "vehicle_operation")), ("three_public", ("abroad", "vehicle", "reception")),
             ("total", ("abroad", "vehicle", "reception")))


def wide_line(code: str, body: list[Line], least: int) -> Line | None:
    """The one row of figures (at least `least`, nothing else) of a table that may be printed as
    one: the whole body of a 决算's 公开07表; in a budget's, its one line with a number, among
    words of its head above it (wrapped over lines the split of head and body cannot all
    tell) and of its prose after it."""
    numbered = [line for line in body if any(t.kind in ("fig", "dash", "int") for t in line.tokens)]
    if len(numbered) != 1 or (len(body) != 1 and not code.startswith("B")):
        return None
    line = numbered[0]
    tokens = line.tokens
    return line if len(tokens) >= least and all(t.kind in ("fig", "dash", "int") for t in tokens) else None


def wide_order(spec: TableSpec, head: list[Line], figures: list[str]) -> tuple[str, ...] | None:
    """The one column order of a budget's 三公 table printed as one row of `figures` (blank cells
    absent): one of its orders (the national one, its variants) with a column for every figure,
    whose figures make its sums, where the order with 接待 on the other side of the 车 columns
    does not (Shanghai prints 接待 first: the count alone cannot tell) — and the one the builder
    picks by the header (the head printed, and the names of this order put above its row:
    table_rows.parse_labelled); None when not exactly one, or when the builder would pick
    another order from that header (会议费 printed over seven figures)."""
    values = [parse_number(f) for f in figures]
    orders = [o for o in (spec.wide_order, *(cols for _, cols in spec.variants)) if len(o) == len(figures)]
    holding = {o for o in orders if _sums_hold(dict(zip(o, values)))}
    swapped = {o for o in map(_swapped, orders) if o not in orders and _sums_hold(dict(zip(o, values)))}
    if len(holding) != 1 or swapped:
        return None
    order = holding.pop()
    text = " ".join([*(squash(line.text) for line in head), "".join(wide_names(spec, order))])
    picked = next((cols for keyword, cols in spec.variants if re.search(keyword, text)), spec.wide_order)
    return order if picked == order else None


def wide_names(spec: TableSpec, order: tuple[str, ...]) -> tuple[str, ...]:
    """The column names a one-row table's figures stand under, in `order`."""
    return tuple(spec_row_name(spec, key) for key in order)


def _sums_hold(read: dict[str, float | None]) -> bool:
    """Whether the figures read into columns make the sums of a 三公 table (those whose columns
    it has), one at least."""
    checked = [(key, parts) for key, parts in WIDE_SUMS if key in read and all(p in read for p in parts)]
    checked = [(k, p) for k, p in checked if not (k == "total" and "three_public" in read)]
    return bool(checked) and all(
        abs((read[key] or 0) - sum(read[p] or 0 for p in parts)) <= TOLERANCE * len(parts) for key, parts in checked)


def _swapped(order: tuple[str, ...]) -> tuple[str, ...]:
    """`order` with 接待 moved to the other side of the 车 columns (车, 购置, 运行)."""
    if "reception" not in order or "vehicle" not in order:
        return order
    block = [k for k in order if k in ("vehicle", "vehicle_purchase", "vehicle_operation")]
    rest = [k for k in order if k not in block and k != "reception"]
    at = order.index("vehicle")
    first = order.index("reception") < at
    before = [k for k in rest if order.index(k) < min(at, order.index("reception"))]
    after = [k for k in rest if k not in before]
    middle = [*block, "reception"] if first else ["reception", *block]
    return (*before, *middle, *after)
