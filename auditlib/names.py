"""The auditor's words for the codes the JSON keeps (docs/findings-contract.md): severities,
triage states, table statuses, table names, and a cell named as 表名 · 行名 · 栏名.

Everything a person reads (HTML report, batch index, text output, messages) takes its words
from here, so that one table is called 公开06表 everywhere and no internal key such as
`T01[opening_balance].amount` reaches a message.
"""

from __future__ import annotations

import re

from auditlib.kinds import is_table, layout_title, short_title, spec_of
from auditlib.schema import row_name, spec_row_name

SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "信息"}
UNTRIAGED = "未处理"
TRIAGE_STATUSES = ("已确认", "已说明", "误报")  # an auditor's decision on a finding, as triage.yaml stores it
TRIAGE_LEGACY = {"confirmed": "已确认", "explained": "已说明", "false alarm": "误报"}  # files written before 0.9
TRIAGE_CSS = {UNTRIAGED: "untriaged", "已确认": "confirmed", "已说明": "explained", "误报": "falsealarm"}
REVIEW_VERDICTS = ("同意", "退回")  # a reviewer's (复核人) answer to a decision
STATUS_ZH = {"parsed": "已读取", "partial": "部分读取", "empty": "空表", "unread": "未读取", "missing": "缺失"}
TABLE_NAMES = {**{f"T{i:02d}": f"公开{i:02d}表" for i in range(1, 11)}, "META": "文件整体", "NARR": "情况说明",
               "PERF": "绩效", "READ": "读取"}
INPUT_ZH = {"pdf": "PDF", "scan": "扫描 PDF（OCR）", "text": "文本"}


def table_name(report, code: str | None) -> str:
    """How a message names a table: 公开NN表 (文件整体 …) for the codes above, else (a budget's
    table) its title as printed (kinds.short_title), or where the report printed none (a missing table, or no
    report at hand: the batch index) its kind's name for it (部门收支总表); empty for none."""
    if not code:
        return ""
    t = report.tables.get(code) if report is not None else None
    if code in TABLE_NAMES:
        return TABLE_NAMES[code]
    if t is not None and t.title:
        return short_title(t.title, report.department)
    return spec_of(code).title if is_table(code) else code


def table_heading(table, department: str | None = None) -> str:
    """A table's heading as a page or a sheet prints it: 公开01表 2021年收入支出决算总表 (a 决算
    table: its label and title), 2024年部门财务收支预算总表 (a budget's: its title as printed)."""
    title = table.title or spec_of(table.code).title
    name = TABLE_NAMES.get(table.code) or short_title(title, department)
    return title if name in title else f"{name} {title}"


def kind_label(report) -> str:
    """文件类型 as a report states it: 部门决算, or 部门预算（上海格式） with its layout."""
    layout = layout_title(report)
    return f"部门{report.kind}" + (f"（{layout}）" if layout else "")


CELL_REF = re.compile(r"\b([TB]\d\d)\[([^\]]+)\]\.(\w+)")


def cell_name(report, text: str | None) -> str:
    """Every internal cell key in `text` (`T01[opening_balance].amount`, alone or inside a
    formula such as `3724.34 / T02[total].total`) as the auditor reads it: 公开01表 年初结转和结余
    决算数 (the row's label as printed, the column's heading)."""
    return CELL_REF.sub(lambda m: _name(report, *m.groups()), text or "")


def cell_parts(report, code: str, row: str, column: str) -> tuple[str, str, str]:
    """(表名, 行名, 栏名) of a cell: the row's label as printed where the table was read, else
    the name its row pattern gives; the column's heading."""
    t = report.tables.get(code) if report is not None else None
    label = spec_row_name(spec_of(code), row) if is_table(code) else row_name(code, row)
    if t is not None and t.data is not None and row in t.data.index:
        r = t.data.loc[row]
        label = r.get("label") or r.get("name") or row
    column_name = spec_of(code).column_names.get(column, column) if is_table(code) else column
    return table_name(report, code), str(label), column_name


def _name(report, code: str, row: str, column: str) -> str:
    return " ".join(cell_parts(report, code, row, column))
