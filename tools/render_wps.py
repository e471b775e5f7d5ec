#!/usr/bin/env python3
"""Render a text-form report the way the WPS-printed Shanghai reports lay it out (issue 26).

Why: a real 2024 report printed by WPS broke the grid reader.  Its 公开01表 printed
"本年收入合计" and "使用非财政拨款结余" (and 本年支出合计 / 结余分配) in one band with no
rule between them, so the two rows came back as one; 公开02/03表 lost figures the same
way; its 公开06表 printed the 类 and 款 of each economic code in separate columns
("301" | "01" | 基本工资), and the 款 codes were read as amounts.  Reports of that kind
also print the 编制单位 in a plain spreadsheet cell that wraps ("编制单位：柳州市文化广" /
"电新闻出版旅游局"), with 年度 and 单位 in other cells of the same row, vertically
centred, and wrap the longer labels in their column.  This tool prints a text form
(``render_fixtures.parse``, grouped by ``render_matrix.build``) with those features,
with LibreOffice Calc (the 公开NN表 tables, one sheet each, fit to the page width) and
Writer (the rest):

* the rule between 公开01表's 本年收入合计 and 使用非财政拨款结余 rows left out, and in
  公开02表 and 公开03表 the rule under the first 类 row;
* 公开06表's codes as 类 | 款 columns under a merged 经济分类科目编码 header; the text
  form written beside the PDF (``NAME.wps.txt``) has the same columns, so the PDF
  reader is held to the text reader on the same cells;
* the 编制单位 of the tables whose first column holds labels in a plain wrapped cell of
  that column (about 40 mm: a long unit name takes two lines), 年度 and 单位 in cells
  of their own on the same row.

Run with the venv of tools/README.md (python-docx, openpyxl, pikepdf).
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import render_matrix as rm  # noqa: E402  (sibling tool module)
from render_fixtures import parse  # noqa: E402

rm.FONT_SANS = "WenQuanYi Micro Hei"  # TrueType: LibreOffice embeds a subset a third the size of Noto CJK's Type 1
LABEL_MM = 40.0
T06_TITLE = "一般公共预算财政拨款基本支出决算表"
_CODE = re.compile(r"^(\d{3})(\d{2})?$")
_YEAR = re.compile(r"\s*(\d{4}\s*年度)\s*")
_UNIT = re.compile(r"\s*((?:金额)?单位[：:]\S+)\s*$")


# --------------------------------------------------------------------------- the text form

def split_t06_codes(text: str) -> str:
    """公开06表 with each half's code as 类 | 款 cells ("30101" -> "301", "01"; a 类 row
    leaves 款 blank), a "类 | 款" row under the header, other rows given a blank cell."""
    lines = text.split("\n")
    i = next(i for i, ln in enumerate(lines) if ln.strip() == T06_TITLE)
    while "\t" not in lines[i]:
        i += 1
    out = lines[:i]
    while i < len(lines) and ("\t" in lines[i] or not lines[i].strip()):
        line, i = lines[i], i + 1
        if "\t" not in line:
            out.append(line)
            continue
        cells = line.split("\t")
        cells += [""] * (6 - len(cells))
        new: list[str] = []
        for half in (cells[:3], cells[3:6]):
            m = _CODE.match(half[0].strip())
            new += ([m.group(1), m.group(2) or ""] if m else [half[0], ""]) + half[1:]
        out.append("\t".join(new).rstrip("\t"))
        if cells[0].startswith("经济分类科目编码"):
            out.append("\t".join(["类", "款", "", "", "类", "款"]))
    return "\n".join(out + lines[i:])


def rename_department(text: str, name: str) -> str:
    """The department named by the first 编制单位 line renamed everywhere (cover, prose,
    every table's 编制单位), so a fixture with a long name is still a clean report."""
    old = re.search(r"编制单位[：:]\s*(\S+?)(?=\s|$)", text).group(1)
    return text.replace(old, name)


# --------------------------------------------------------------------------- Calc

def _widths(table: rm.Table) -> list[float]:
    """render_matrix's widths, the label columns wider (40 mm: most labels on one line,
    the longest wrap), scaled to the page when they do not fit."""
    widths = [LABEL_MM if w == rm.LABEL_MM else w for w in rm.column_mm(table, 180.0)]
    return [w * 180.0 / sum(widths) for w in widths] if sum(widths) > 180.0 else widths


def _no_rule_after(table: rm.Table) -> set[int]:
    """The table rows whose bottom rule is left out: 公开01表's 本年收入合计 row, the
    first 类 row of 公开02/03表 (the row after 合计)."""
    out = set()
    for i, row in enumerate(table.rows):
        if row[0].strip() == "本年收入合计" and "本年支出合计" in row:
            out.add(i)
        if any(c.strip() == "合计" for c in row[:3]) and any(rm._DECIMAL.match(c.strip()) for c in row) \
                and any("收入决算表" == c or "支出决算表" == c for c in table.caption):
            out.add(i + 1)
    return out


def _caption(ws, r: int, line: str, ncols: int, widths: list[float], label_first: bool) -> None:
    """One caption line: the title merged and centred; 编制单位 in a plain wrapped cell
    of the first column when that column holds labels, 年度 and 单位 in cells of their
    own; other lines as render_matrix writes them."""
    from openpyxl.styles import Alignment, Font

    font = Font(name=rm.FONT_SANS, size=rm.TABLE_PT)
    if line.startswith("编制单位") and label_first:
        unit = _UNIT.search(line)
        rest = line[:unit.start()] if unit else line
        year = _YEAR.search(rest)
        name = (rest[:year.start()] + rest[year.end():]).strip() if year else rest.strip()
        cells = [(1, name, "left")]
        if year:
            cells.append((max(2, ncols // 2), year.group(1), "center"))
        if unit:
            cells.append((ncols, unit.group(1), "right"))
        for col, text, align in cells:
            ws.cell(r, col, text).font = font
            ws.cell(r, col).alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)
        ws.row_dimensions[r].height = rm.row_height([(name, widths[0])], rm.TABLE_PT)
        return
    title = r == 1
    pt = rm.TITLE_PT if title else rm.TABLE_PT
    ws.cell(r, 1, line).font = Font(name=rm.FONT_SANS, size=pt)
    align = "center" if title else ("right" if "表" in line or "单位" in line else "left")
    ws.cell(r, 1).alignment = Alignment(horizontal=align, vertical="center")
    if ncols > 1:
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncols)
    ws.row_dimensions[r].height = round(pt * 1.6, 1)


def _sheet(wb, table: rm.Table, number: int) -> None:
    """One 公开NN表 table on one sheet, fitted to the page width, with the WPS report's
    features: rules left out (`_no_rule_after`), 公开06表's 类 | 款 header merged, the
    编制单位 in a plain cell (`_caption`)."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(f"表{number:02d}")
    widths = _widths(table)
    ncols = len(widths)
    for j, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = rm.xlsx_width(w)
    label_first = widths[0] >= LABEL_MM * 0.9
    r = 1
    for line in table.caption:
        _caption(ws, r, line, ncols, widths, label_first)
        r += 1
    first_table_row = r
    r = rm.write_rows(ws, table, r, widths, bare=frozenset(_no_rule_after(table)))
    if T06_TITLE in table.caption:
        for i, cells in enumerate(table.rows):
            if cells[0].startswith("经济分类科目编码"):
                for j in (1, 5):  # 经济分类科目编码 over 类 | 款
                    ws.merge_cells(start_row=first_table_row + i, start_column=j,
                                   end_row=first_table_row + i, end_column=j + 1)
    for line in table.notes:
        ws.cell(r, 1, line).font = Font(name=rm.FONT_SANS, size=rm.TABLE_PT)
        r += 1
    ws.print_title_rows = f"1:{first_table_row + table.header - 1}"
    rm.fit_to_width(ws)


def render(text: str, pdf: Path, work: Path, soffice: str) -> None:
    rm.render_calc(rm.build(parse(text)), pdf, work, soffice, _sheet,
                   "LibreOffice (Calc and Writer parts, joined with pikepdf)", xmp=False, object_streams=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("doc", help="NAME=TEXTFILE: fixture stem and text form")
    ap.add_argument("--outdir", type=Path, default=Path("tests/fixtures/wps"))
    ap.add_argument("--soffice", default="soffice")
    ap.add_argument("--department", help="rename the department everywhere (a long name wraps in its 编制单位 cell)")
    args = ap.parse_args(argv)
    name, textfile = args.doc.split("=")
    args.outdir.mkdir(parents=True, exist_ok=True)
    text = split_t06_codes(Path(textfile).read_bytes().decode("utf-8-sig"))
    if args.department:
        text = rename_department(text, args.department)
    (args.outdir / f"{name}.wps.txt").write_text(text, encoding="utf-8")
    pdf = (args.outdir / f"{name}.wps.pdf").resolve()
    with tempfile.TemporaryDirectory(prefix="render-wps-") as work:
        render(text, pdf, Path(work), args.soffice)
    print(f"{pdf} ({rm.page_count(pdf)} pages, {pdf.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
