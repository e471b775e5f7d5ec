#!/usr/bin/env python3
"""Render text-form reports with their wide tables continued to the right (issue 26).

Why: spreadsheets printed without fit-to-width put the columns that do not fit
on the following page(s): 公开04表's 一般公共预算 / 政府性基金 / 国有资本经营
columns, the right half of 公开02表 or 公开08表.  The label columns may be
repeated on those pages or not; a table may print across then down or down then
across.  This tool prints the same text form (``render_fixtures.parse``, grouped
by ``render_matrix.build``) so that the PDF reader can be held to the text
reader's model:

* ``calc-down``: every 公开NN表 table to .xlsx (one sheet each, wide columns, no
  fit-to-width, 100 %), page order *down then across* (Calc's default), the
  caption and header rows repeated on every page (print titles), the label
  columns NOT repeated: a right-hand page holds figures only;
* ``calc-across``: the same, page order *across then down*, the label columns
  (everything left of the first figure column) repeated on every page;
* ``chromium``: HTML printed by headless Chromium; a 公开NN表 table wider than the
  page is cut into a left and a right table, the right one on the next page
  with only the 行次 column (when the table has one) or the label columns
  repeated to align its rows, its header rows repeated (a print stylesheet
  that splits wide tables).

Prose and the other tables go through Writer (.docx) as in render_matrix.  Run
with the venv of tools/README.md (python-docx, openpyxl, pikepdf, fonttools).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from html import escape
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import render_matrix as rm  # noqa: E402  (sibling tool module)
from render_fixtures import display_len, parse, print_chromium, subset_font  # noqa: E402

PRODUCERS = ("calc-down", "calc-across", "chromium")
rm.FONT_SANS = "WenQuanYi Micro Hei"  # TrueType: LibreOffice embeds a subset a third the size of Noto CJK's Type 1
LABEL_MM = 48.0      # a label column as spreadsheets print it: one line for most labels
FIGURE_MM = 27.0     # a figure column: 9 pt figures with room to spare
PAGE_MM = 180.0      # A4 portrait minus the margins
ROW_PT = 24.0        # generous rows (Calc): the longer tables run over two pages down as well


def key_columns(table: rm.Table) -> list[int]:
    """The columns left of the first figure column (codes, labels, 行次): what
    a reader needs to align a row continued on another page."""
    body = table.rows[table.header:] or table.rows
    for j in range(len(table.rows[0])):
        if any(rm._DECIMAL.match(r[j].strip()) for r in body):
            return list(range(j))
    return [0]


def widths_mm(table: rm.Table) -> list[float]:
    """Wide columns: labels on one line where they fit, figures comfortably wide,
    so that tables of more than five or six figure columns run off the page."""
    body = table.rows[table.header:] or table.rows
    out = []
    for j in range(len(table.rows[0])):
        cells = [r[j].strip() for r in body if r[j].strip()]
        text = [c for c in cells if not rm._NUMERIC.match(c)]
        if text and max(map(display_len, text)) >= 8:
            out.append(LABEL_MM)
        elif any(rm._DECIMAL.match(c) for c in cells):
            out.append(FIGURE_MM)
        else:
            out.append(max(12.0, min(max((display_len(c) for c in cells), default=2), 14) * 1.8 + 4))
    return out


# --------------------------------------------------------------------------- Calc

def _sheet(wb, table: rm.Table, number: int, across: bool) -> None:
    """One 公开NN表 table on one sheet, printed at 100 % without fit-to-width."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties

    ws = wb.create_sheet(f"表{number:02d}")
    widths = widths_mm(table)
    for j, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = rm.xlsx_width(w)
    font = Font(name=rm.FONT_SANS, size=rm.TABLE_PT)
    # the title, 编制单位 and 年度 over the columns of the first page (with room to spare);
    # 公开NN表 and 金额单位 right-aligned in the last column, as report templates place them
    span = max(next((s for s in range(1, len(widths) + 1) if sum(widths[:s]) > PAGE_MM - 15), len(widths) + 1) - 1, 1)
    r = 1
    for k, line in enumerate(table.caption):
        pt = rm.TITLE_PT if k == 0 else rm.TABLE_PT
        right = k > 0 and ("表" in line or ("单位" in line and not line.startswith("编制")))
        cell = ws.cell(r, len(widths) if right else 1, line)
        cell.font = Font(name=rm.FONT_SANS, size=pt)
        cell.alignment = Alignment(horizontal="right" if right else ("center" if k == 0 else "left"), vertical="center")
        if span > 1 and not right:
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=span)
        ws.row_dimensions[r].height = round(pt * 1.6, 1)
        r += 1
    first_table_row = r
    r = rm.write_rows(ws, table, r, widths, min_height=ROW_PT)
    for line in table.notes:
        ws.cell(r, 1, line).font = font
        r += 1
    ws.print_title_rows = f"1:{first_table_row + table.header - 1}"
    if across:
        keys = key_columns(table)
        ws.print_title_cols = f"A:{get_column_letter(keys[-1] + 1)}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait"
    ws.page_setup.scale = 100
    ws.page_setup.pageOrder = "overThenDown" if across else "downThenOver"
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=False)
    ws.page_margins.left = ws.page_margins.right = 0.6


# --------------------------------------------------------------------------- Chromium

def split_columns(table: rm.Table) -> tuple[list[int], list[int]] | None:
    """The columns of the left and the right table when `table` is wider than the
    page: the right one starts with its alignment key (the last 行次 column left
    of the cut, else the label columns)."""
    widths = widths_mm(table)
    if not table.main or sum(widths) <= PAGE_MM:
        return None
    cut = next(s for s in range(1, len(widths) + 1) if sum(widths[:s]) > PAGE_MM) - 1
    head = " ".join(" ".join(r) for r in table.rows[:table.header])
    seq = [j for j in range(cut) if any("行次" in r[j].replace(" ", "") for r in table.rows[:table.header])]
    key = [seq[-1]] if seq and "行次" in head else key_columns(table)
    return list(range(cut)), key + list(range(cut, len(widths)))


def to_html(blocks: list[object], title: str, font_file: Path | None) -> str:
    """render_matrix's page, a 公开NN表 table wider than the page cut into a left and a
    right table, the right one on the next page (any other table fitted to the page)."""
    out = rm.html_head(title, font_file, rm.CSS % rm.FONT_CHROMIUM + ".cont { break-before: page; }\n")
    for block in blocks:
        if isinstance(block, str):
            out.append(f"<p>{escape(block)}</p>")
            continue
        out.extend(f"<p>{escape(line)}</p>" for line in block.caption)
        widths = widths_mm(block) if block.main else rm.column_mm(block)
        halves = split_columns(block)
        if halves is None:
            rm.html_table(block, list(range(len(block.rows[0]))), widths, out)
        else:
            rm.html_table(block, halves[0], widths, out)
            out.append('<div class="cont"></div>')
            rm.html_table(block, halves[1], widths, out)
        out.extend(f"<p>{escape(line)}</p>" for line in block.notes)
    out.append("</body></html>")
    return "\n".join(out)


# --------------------------------------------------------------------------- driver

def render(doc: Path, name: str, producer: str, outdir: Path, work: Path, args) -> Path:
    text = doc.read_bytes().decode("utf-8-sig")
    blocks = rm.build(parse(text))
    pdf = (outdir / f"{name}.{producer}.pdf").resolve()
    if producer.startswith("calc"):
        across = producer == "calc-across"
        rm.render_calc(blocks, pdf, work, args.soffice, lambda wb, table, n: _sheet(wb, table, n, across),
                       "LibreOffice (Calc and Writer parts, joined with pikepdf)")
    else:
        font_file = None if args.no_subset else subset_font(rm.FONT_CHROMIUM, text, work)
        src = work / f"{name}.html"
        src.write_text(to_html(blocks, name, font_file), encoding="utf-8")
        print_chromium(src, pdf, args.chromium)
    rm.compact(pdf)
    return pdf


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("docs", nargs="+", help="NAME=TEXTFILE: fixture stem and text form (repo-relative)")
    ap.add_argument("--outdir", type=Path, default=Path("tests/fixtures/wide"))
    ap.add_argument("--producers", default=",".join(PRODUCERS))
    ap.add_argument("--no-subset", action="store_true", help="embed the whole Chromium font")
    ap.add_argument("--chromium", default="chromium")
    ap.add_argument("--soffice", default="soffice")
    args = ap.parse_args(argv)
    args.outdir.mkdir(parents=True, exist_ok=True)
    manifest = rm.read_manifest(args.outdir)
    for spec in args.docs:
        name, textfile = spec.split("=")
        for producer in [p for p in args.producers.split(",") if p]:
            with tempfile.TemporaryDirectory(prefix="render-wide-") as work:
                pdf = render(Path(textfile), name, producer, args.outdir, Path(work), args)
            entry = {"pdf": str(args.outdir / pdf.name), "reference": textfile, "document": name,
                     "producer": producer, "pages": rm.page_count(pdf)}
            manifest = rm.with_entry(manifest, entry, pdf)
    rm.write_manifest(args.outdir, manifest, PRODUCERS)
    return 0


if __name__ == "__main__":
    sys.exit(main())
