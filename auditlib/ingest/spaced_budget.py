"""A budget's tables printed with spaces (auditlib/ingest/spaced.py): a 部门预算's converter text
holds the B01… tables, not the 决算's, so its tables are found by the budget's titles — and only
those whose printed layout the row template (spaced_template) knows are rebuilt: a table coded
by 类/款/项, two halves side by side with the national columns, or labelled rows.  A province's
own layout (Jiangsu's 收支预算总表 in three parts, its grouped 收入预算总表) or a split table
with columns of a variant is left as printed (the builder reports it `unread`)."""

from __future__ import annotations

import re

from auditlib.ingest.lines import SourceLine
from auditlib.ingest.spaced_template import Row, Template
from auditlib.ingest.spaced_tokens import Line
from auditlib.ingest.tables import printed_layout
from auditlib.kinds import BUDGET, Kind, detect, kind_named, spec_of
from auditlib.numbers import parse_number

TEMPLATED = ("hierarchy", "split", "labelled")  # the layouts spaced_template makes a row of


def budget_kind(lines: list[SourceLine]) -> Kind | None:
    """The budget kind when the lines are a 部门预算's (kinds.detect), else None (a 决算)."""
    return kind_named(BUDGET) if detect([line.text for line in lines]).kind == BUDGET else None


def budget_readable(code: str, region: list[Line]) -> bool:
    """Whether the table `code` printed as `region` (the lines under its title) is rebuilt: every
    决算 table; a budget table in a layout the row template knows, with no variant's columns."""
    if not code.startswith("B"):
        return True
    spec = spec_of(code)
    printed = "".join(re.sub(r"\s+", "", line.text) for line in region)
    if printed_layout(spec, region) is not spec or spec.kind not in TEMPLATED:
        return False
    return spec.kind == "hierarchy" or not any(keyword in printed for keyword, _ in spec.variants)


# why a budget table whose rows read back do not add up is not read
UNSUMMED = ("以空格分隔的预算表中，读出的行“合计”不等于其各栏之和，金额所属栏目不能确定"
            "（a row's 合计 is not the sum of its other columns as read: which column a figure is in is not certain）")
TOLERANCE = 0.011  # a cent a column, for the rounding of tables in 万元


def unsummed(rows: list[Row], tpl: Template) -> str:
    """Why a budget table's rows are no reading (UNSUMMED), else "": a row of a half with a 合计
    column and others whose 合计 is not the sum of the others — a figure put in the wrong column
    (-layout's columns drift with the width of the labels beside them; 合计 is printed whenever
    any column of its row is)."""
    for half in {s.half for s in tpl.slots}:
        at = {s.key: k for k, s in enumerate(tpl.slots) if s.half == half and s.role == "value"}
        if "total" not in at or len(at) < 2:
            continue
        for row in rows:
            values = {key: parse_number(row.cells[k]) for key, k in at.items()}
            parts = [v for key, v in values.items() if key != "total" and v is not None]
            total = values["total"]
            if parts and (total is None or abs(total - sum(parts)) > TOLERANCE * len(parts)):
                return UNSUMMED
    return ""
