"""The audit working paper (审计工作底稿) as an Excel workbook: what auditors hand in.

Sheets, in the order a reviewer reads them:

- 封面: the department, year, file, when it was checked and with which auditlib, the counts;
- 审核发现: every finding, errors first (the order of `numbered`), with the triage decision
  and its review (状态, 处理人, 复核人 …) as triage.yaml holds them; a frozen, filterable header;
- 覆盖情况: each table's reading status, rows, figures printed and amounts read, and the
  checks that did not run and why — what the findings do *not* cover;
- one sheet per standard table as printed (`layout.parts`: halves side by side), amounts as
  numbers with the decimals they are printed with, every cell a finding rests on filled in
  its worst finding's colour (the HTML report's) with a comment naming the findings
  (`#序号` of the 审核发现 sheet, which links back to the cell).

Everything is in Chinese (表名 · 行名 · 栏名, never an internal key).  `xlsx_bytes` gives the
workbook's bytes; callers write them whole or not at all (`files.atomic_write_bytes`).
"""

from __future__ import annotations

import io
import re
from collections import Counter, defaultdict
from datetime import datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.worksheet import Worksheet

from auditlib.kinds import spec_of, tables_shown
from auditlib.names import INPUT_ZH, SEVERITY_ZH, STATUS_ZH, UNTRIAGED, cell_parts, kind_label, table_heading, table_name
from auditlib.report.layout import counts_things, parts, row_label
from auditlib.rules.findings import SEVERITIES, severity_rank

FINDINGS, COVERAGE, COVER = "审核发现", "覆盖情况", "封面"
WORKING_PAPER = "working-paper.xlsx"  # the name `auditlib run` gives it, beside report.html
COLOURS = {"error": "FFCDD2", "warning": "FFE0B2", "info": "BBDEFB"}  # the HTML report's highlights
FILLS = {s: PatternFill("solid", fgColor=c) for s, c in COLOURS.items()}
HEAD_FILL = PatternFill("solid", fgColor="F2F2F2")
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
COLUMNS = (("序号", 6), ("级别", 6), ("表名", 12), ("位置", 34), ("页码", 9), ("规则", 26), ("应为", 14),
           ("实为", 14), ("差额", 12), ("说明", 60), ("状态", 8), ("处理说明", 28), ("处理人", 10),
           ("处理时间", 20), ("复核人", 10), ("复核意见", 22), ("复核时间", 20))
AMOUNT_COLUMNS = ("应为", "实为", "差额")
SHEET_NAME = re.compile(r"[\[\]:*?/\\]")  # what Excel refuses in a sheet's name (at most 31 characters)
EMPTY = {"missing": "文件中未找到本表", "unread": "本表已找到，但未能读取，其审核规则未执行（见“覆盖情况”）"}


def numbered(findings) -> list[tuple[int, object]]:
    """(序号, finding) in the order every listing has (errors first, by table, a cause before its
    symptoms), so that #n is the same finding in the HTML report, the notebook and the paper."""
    return list(enumerate(findings, start=1))


def put(ws: Worksheet, row: int, column: int, value):
    """Write one cell as text the auditor typed or the document printed, never as anything else:
    control characters (pasted from Word, left by a converter) removed, since openpyxl refuses
    them and the whole paper would be lost; a text starting with "=" kept as text, not turned
    into a formula that Excel shows as #NAME?."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = ws.cell(row, column, value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"
    return cell


def number_format(decimals: int | None, count: bool = False) -> str:
    """Excel's format for a figure printed with `decimals` decimals (unknown: money's two, a
    count's none), with thousands separators as the tables print them."""
    if decimals is None:
        decimals = 0 if count else 2
    return "#,##0" + ("." + "0" * decimals if decimals else "")


def _head(ws: Worksheet, row: int, headers, col: int = 1) -> None:
    """A header row: bold on grey, wrapped."""
    for j, text in enumerate(headers, start=col):
        cell = put(ws, row, j, text)
        cell.font, cell.fill, cell.alignment = BOLD, HEAD_FILL, WRAP


def _printable(ws: Worksheet, title_rows: str) -> None:
    """Printed as working papers are filed: landscape, one page wide, the header repeated."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.print_title_rows = title_rows


def _fit_rows(ws: Worksheet, first: int = 2) -> None:
    """Each row as tall as its longest wrapped text needs (Excel and LibreOffice keep the
    default height of a row written by openpyxl): a CJK character is two units of width."""
    widths = {k: d.width for k, d in ws.column_dimensions.items()}
    for row in ws.iter_rows(min_row=first):
        lines = 1
        for cell in row:
            if isinstance(cell.value, str) and cell.alignment.wrap_text:
                units = sum(2 if ord(ch) > 0x2E7F else 1 for ch in cell.value)
                lines = max(lines, -(-units // max(1, int(widths.get(cell.column_letter, 10)) - 1)))
        if lines > 1:
            ws.row_dimensions[row[0].row].height = 15 * min(lines, 12)


def _number(value) -> float | None:
    """A figure as Excel stores it: a plain float, a blank cell for a blank (NaN) one."""
    if value is None or isinstance(value, str):
        return None
    v = float(value)
    return None if v != v else v


# --------------------------------------------------------------------------- tables as printed


def _marks(numbered_findings) -> dict[tuple[str, str, str], list[tuple[int, object]]]:
    """(table, row key, column) → the findings (with their 序号) that rest on that cell."""
    out = defaultdict(list)
    for n, f in numbered_findings:
        for c in f.cells or []:
            k = (str(c.get("table")), str(c.get("row")), str(c.get("column")))
            if not out[k] or out[k][-1][0] != n:
                out[k].append((n, f))
    return out


def _mark(cell, fs: list[tuple[int, object]]) -> None:
    """Fill a cell in its worst finding's colour, and comment it with every finding on it."""
    worst = min((f.severity for _, f in fs), key=severity_rank)
    cell.fill = FILLS.get(worst, FILLS["info"])
    text = "\n".join(f"{FINDINGS} #{n} {SEVERITY_ZH.get(f.severity, f.severity)}：{f.message}" for n, f in fs)
    comment = Comment(ILLEGAL_CHARACTERS_RE.sub("", text), "auditlib")
    comment.width, comment.height = 420, min(600, 40 + 18 * (len(text) // 28 + len(fs)))
    cell.comment = comment


def _part(ws: Worksheet, table, part, top: int, left: int, marks, places: dict) -> int:
    """One grid of a table at (top, left): header, then a row per printed row.  Records where
    each marked cell went (`places`) so the findings sheet can link to it; returns its width."""
    names = table.spec.column_names
    heads = (["科目编码"] if part.hierarchical else []) + ["项目"] + [names.get(c, c) for c in part.columns]
    _head(ws, top, heads, left)
    first = left + len(heads) - len(part.columns)  # the first value column
    for i, (key, row) in enumerate(part.rows.iterrows(), start=top + 1):
        label = row_label(row, key, part.hierarchical)
        if part.hierarchical:
            put(ws, i, left, row.get("code") or "")
        put(ws, i, first - 1, label).alignment = Alignment(wrap_text=True, vertical="top",
                                                           indent={"款": 1, "项": 2}.get(row.get("level"), 0))
        for j, c in enumerate(part.columns, start=first):
            cell = put(ws, i, j, _number(row.get(c)))
            cell.number_format = number_format(table.decimals.get((key, c)), counts_things(table, label))
            k = (table.code, str(key), c)
            if k in marks:
                _mark(cell, marks[k])
                places[k] = f"#{quote_sheetname(ws.title)}!{cell.coordinate}"
    widths = ([10] if part.hierarchical else []) + [34] + [14] * len(part.columns)
    for j, w in enumerate(widths, start=left):
        ws.column_dimensions[get_column_letter(j)].width = w
    return len(heads)


def sheet_name(report, code: str) -> str:
    """A table's sheet: the table's name (公开01表, a budget's printed title) as Excel allows it."""
    return SHEET_NAME.sub("", table_name(report, code))[:31]


def _table_sheet(ws: Worksheet, table, marks, places: dict, report) -> None:
    """A table as printed, with its title, 编制单位, year, unit, page (and file) and status."""
    put(ws, 1, 1, table_heading(table, report.department)).font = Font(bold=True, size=13)
    where = report.where(table.page, table.line) or None
    put(ws, 2, 1, " · ".join(str(x) for x in (
        f"编制单位：{table.department}" if table.department else None, f"{table.year}年度" if table.year else None,
        f"金额单位：{table.unit}" if table.unit else None, where,
        f"读取状态：{STATUS_ZH.get(table.status, table.status)}") if x))
    data = table.data
    if table.status == "missing" or data is None or not len(data):
        put(ws, 4, 1, EMPTY.get(table.status, "本表未列数据行"))
        return
    left, top = 1, 4
    for part in parts(table):
        left += _part(ws, table, part, top, left, marks, places) + 1
    ws.freeze_panes = ws.cell(top + 1, 1)
    _fit_rows(ws, top + 1)
    _printable(ws, f"{top}:{top}")
    last = top + max(len(p.rows) for p in parts(table)) + 2
    for i, text in enumerate([*table.notes, *(f"读取问题：{p}" for p in dict.fromkeys(table.problems)),
                              *(f"读取说明：{n.note}" for n in table.reading_notes)], start=last):
        put(ws, i, 1, text)


# --------------------------------------------------------------------------- findings


def place(report, f) -> str:
    """Where a finding is, as 表名 · 行名 · 栏名 of the first read cell it rests on; its location
    as the check wrote it when it rests on none, or when it is about the narrative or the
    performance section (the sentence is wrong, not the table cell it is held against)."""
    if not f.tables or f.tables[0] in ("NARR", "PERF") or any(c.get("document") for c in f.cells or []):
        return f.location or ""  # a pair's finding: its location names both documents' cells
    for c in f.cells or []:
        t = report.tables.get(str(c.get("table")))
        if t is not None and t.data is not None and str(c.get("row")) in t.data.index:
            return " · ".join(cell_parts(report, t.code, str(c.get("row")), str(c.get("column"))))
    return f.location or ""


def _triage_values(entry: dict | None) -> list:
    """状态, 处理说明, 处理人, 处理时间, 复核人, 复核意见, 复核时间 as triage.yaml holds them."""
    if not entry:
        return [UNTRIAGED, "", "", "", "", "", ""]
    review = entry.get("review") or {}
    verdict = "：".join(str(x) for x in (review.get("verdict"), review.get("comment")) if x)
    return [entry.get("status"), entry.get("comment") or "", entry.get("by") or "", str(entry.get("at") or ""),
            review.get("by") or "", verdict, str(review.get("at") or "")]


def _finding_values(report, n: int, f, entry: dict | None) -> list:
    page = report.where(f.page, f.line) if report.files else f.page or (f"第 {f.line} 行" if f.line else None)
    return [n, SEVERITY_ZH.get(f.severity, f.severity), "、".join(table_name(report, t) for t in f.tables),
            place(report, f), page, f"{f.id} {f.rule}", f.expected, f.actual, f.difference, f.message,
            *_triage_values(entry)]


def _findings_sheet(ws: Worksheet, result, numbered_findings, triage: dict, places: dict) -> None:
    """Every finding a row, errors first; 位置 links to the cell on its table's sheet."""
    _head(ws, 1, [h for h, _ in COLUMNS])
    amount = {i for i, (h, _) in enumerate(COLUMNS, start=1) if h in AMOUNT_COLUMNS}
    for i, (n, f) in enumerate(numbered_findings, start=2):
        for j, value in enumerate(_finding_values(result.report, n, f, triage.get(f.key)), start=1):
            cell = put(ws, i, j, value)
            cell.alignment = WRAP
            if j in amount and isinstance(value, (int, float)):
                cell.number_format = number_format(2)
        link = next((places[k] for k in ((str(c.get("table")), str(c.get("row")), str(c.get("column")))
                                         for c in f.cells or []) if k in places), None)
        if link:
            ws.cell(i, 4).hyperlink = link
            ws.cell(i, 4).font = Font(color="1565C0", underline="single")
        ws.cell(i, 2).fill = FILLS.get(f.severity, FILLS["info"])
    for j, (_, width) in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(j)].width = width
    ws.freeze_panes = "A2"
    _fit_rows(ws)
    _printable(ws, "1:1")
    ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{max(2, len(numbered_findings) + 1)}"


# --------------------------------------------------------------------------- coverage, cover


def _coverage_sheet(ws: Worksheet, result) -> None:
    """What was read of each table, and what was not checked and why."""
    heads = ["表名", "标题", "读取状态", "位置", "行数", "印出的数字", "读取的金额", "本表审核规则", "读取问题"]
    _head(ws, 1, heads)
    r = result.report
    i = 1
    for i, code in enumerate((c for c in tables_shown(r) if c in r.tables), start=2):
        t = r.tables[code]
        cov = t.coverage or {}
        rules = {"missing": "未执行（未找到本表）", "unread": "未执行（本表未能读取）"}.get(t.status, "已执行")
        where = r.where(t.page, t.line)
        for j, v in enumerate([table_name(r, code), t.title or spec_of(code).title, STATUS_ZH.get(t.status, t.status),
                               where, len(t.data) if t.data is not None else 0, cov.get("figures"),
                               cov.get("amounts"), rules, "；".join(dict.fromkeys(t.problems))], start=1):
            put(ws, i, j, v).alignment = WRAP
    cov = result.coverage
    put(ws, i + 2, 1, f"情况说明中的数字：找到 {cov['found']}，对应到单元格 {cov['mapped']}，已核对 {cov['checked']}")
    put(ws, i + 4, 1, "未执行的审核规则").font = BOLD
    _head(ws, i + 5, ["规则", "规则名称", "原因"])
    for k, item in enumerate(result.not_run, start=i + 6):
        for j, v in enumerate((item.get("id"), item.get("rule"), item.get("reason")), start=1):
            put(ws, k, j, v).alignment = WRAP
    if not result.not_run:
        put(ws, i + 6, 1, "（无）")
    for j, w in enumerate((12, 30, 10, 10, 8, 10, 10, 22, 40), start=1):
        ws.column_dimensions[get_column_letter(j)].width = w
    ws.freeze_panes = "A2"
    _fit_rows(ws)
    _printable(ws, "1:1")


def auditlib_version() -> str:
    try:
        return version("auditlib")
    except PackageNotFoundError:
        return "未安装（源码）"


def _cover_sheet(ws: Worksheet, result, triage: dict, when: datetime) -> None:
    """The working paper's cover: whose report, which file, when and how it was checked."""
    r = result.report
    counts = Counter(f.severity for f in result.findings)
    keys = {f.key for f in result.findings}
    reviewed = sum(1 for k, e in triage.items() if k in keys and e.get("review"))
    kind = INPUT_ZH.get(r.input_kind, r.input_kind)
    rows = [("编制单位", r.department or "（未识别）"), ("年度", r.year), ("金额单位", r.unit),
            ("输入文件", "、".join(Path(p).name for p in r.paths) if r.path else ""),
            ("文件类型", kind_label(r)), ("输入类型", f"{kind}，共 {r.pages} 页" if r.pages else kind),
            ("审核时间", when.strftime("%Y-%m-%d %H:%M")), ("auditlib 版本", auditlib_version()),
            ("执行的审核规则", f"{result.checks_run} 项（未执行 {len(result.not_run)} 项，见“{COVERAGE}”）"),
            ("审核发现", f"{len(result.findings)} 条（" + "，".join(
                f"{SEVERITY_ZH[s]} {counts.get(s, 0)}" for s in SEVERITIES) + "）"),
            ("已处理", f"{sum(1 for k in triage if k in keys)} / {len(result.findings)}"),
            ("已复核", f"{reviewed} / {len(result.findings)}"),
            ("完整性", result.completeness_line or "各表均已读取并审核")]
    put(ws, 1, 1, f"部门{r.kind}公开 审计工作底稿").font = Font(bold=True, size=14)
    for i, (k, v) in enumerate(rows, start=3):
        put(ws, i, 1, k).font = BOLD
        put(ws, i, 2, v).alignment = WRAP
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = 16, 80
    _printable(ws, "1:1")


def working_paper(result, triage: dict | None = None, when: datetime | None = None) -> Workbook:
    """The workbook of one checked report and its triage (`{finding key: decision}`)."""
    triage = triage or {}
    found = numbered(result.findings)
    wb = Workbook()
    cover = wb.active
    cover.title = COVER
    sheets = {name: wb.create_sheet(name) for name in (FINDINGS, COVERAGE)}
    marks, places = _marks(found), {}
    r = result.report
    for code in (c for c in tables_shown(r) if c in r.tables):
        _table_sheet(wb.create_sheet(sheet_name(r, code)), r.tables[code], marks, places, r)
    _findings_sheet(sheets[FINDINGS], result, found, triage, places)
    _coverage_sheet(sheets[COVERAGE], result)
    _cover_sheet(cover, result, triage, when or datetime.now().astimezone())
    return wb


def xlsx_bytes(result, triage: dict | None = None) -> bytes:
    """The working paper as the bytes of an .xlsx file."""
    buffer = io.BytesIO()
    working_paper(result, triage).save(buffer)
    return buffer.getvalue()
