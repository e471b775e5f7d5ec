#!/usr/bin/env python3
"""Render text-form reports as PDFs the way real reports are printed (issue 11).

Why: the PDF reader was only ever tested on tidy renderings (one line per
cell, nothing repeated across pages).  Published reports are printed from
Excel or Word: label cells wrap onto two or three lines, the 编制单位 line
wraps inside a merged cell, long tables continue on the next page with or
without their header rows, zeros are printed as blank cells.  This tool
renders each input (the text form: prose lines, table rows as tab-separated
cells, parsed by ``render_fixtures.parse``) with four producers/layouts:

* ``calc``: every 公开NN表 table written to .xlsx with openpyxl (one sheet per
  table, title / 编制单位 / 单位 lines as merged cells above the header, the
  编制单位 cell narrow and wrapped, label columns narrow and wrapped, print
  title rows, A4 fit-to-width only, so long tables split across pages) and
  converted by LibreOffice Calc; the prose and the other tables go through
  Writer from .docx; the parts are concatenated in document order (pikepdf);
* ``writer``: everything in one .docx (python-docx): real Word tables with
  borders, narrow wrapped label columns, header rows marked repeating
  (w:tblHeader), rows allowed to break across pages; converted by Writer;
* ``chromium``: HTML with ruled cells and <thead> header rows (repeated on
  every page) printed by headless Chromium;
* ``blankzero``: like ``writer`` but zero amounts are blank cells, there are
  no thousands separators and header rows are NOT repeated.  Its reference
  text (the transformed text) is written next to the PDF.

LibreOffice renderings use Noto Sans CJK SC (OpenType/CFF, as in the
real world); Chromium uses a fontTools subset of WenQuanYi Micro Hei (TrueType).
Run with a venv holding python-docx, openpyxl, pikepdf and fonttools (see
tools/README.md).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from render_fixtures import (  # noqa: E402  (sibling tool module)
    column_weights, convert_soffice, display_len, parse, print_chromium, subset_font)

FONT_CHROMIUM = "WenQuanYi Micro Hei"   # TrueType; its subset is ~3x smaller than AR PL UMing's
PRODUCERS = ("calc", "writer", "chromium", "blankzero")
FONT_SANS = "Noto Sans CJK SC"
TABLE_PT = 9.0
PROSE_PT = 10.5
TITLE_PT = 14.0
TEXT_W_MM = 170.0        # A4 minus 20 mm margins
LABEL_MM = 20.0          # ~6 CJK characters at 9 pt: 七、附属单位上缴收入 takes two lines

_CAPTION = re.compile(r"^(公开\s*\d+\s*表|(金额)?单位[：:]|编制单位|[(（]?\s*\d{4}\s*年度\s*[)）]?$)|表$")
_PUBLIC = re.compile(r"公开\s*\d+\s*表")
_NOTE = re.compile(r"^(注|说明)[：:]|^\d+[.．、]\s*\S")
_NUMERIC = re.compile(r"^[-+]?[\d,]*\d(\.\d+)?%?$|^-$")
_DECIMAL = re.compile(r"^-?[\d,]*\d\.\d+$")
_ZERO = re.compile(r"^-?0+\.0+$")
_THOUSANDS = re.compile(r"^(-?\d{1,3}(?:,\d{3})+)(\.\d+)?$")


# --------------------------------------------------------------------------- document model

@dataclass
class Table:
    """A table of the text form with what the layouts need to know about it."""

    rows: list[list[str]]
    header: int                                        # header rows (repeated on later pages)
    main: bool                                         # a 公开NN表 table (Calc renders these)
    caption: list[str] = field(default_factory=list)   # title / 公开NN表 / 编制单位 / 单位 lines
    notes: list[str] = field(default_factory=list)     # 注 / 说明 lines right after the table


def header_rows(rows: list[list[str]], main: bool) -> int:
    """Rows before the first row holding a decimal amount (at most 6); 1 when
    the table has no decimal amounts or is not a 公开NN表 table."""
    if main:
        for i, row in enumerate(rows[:7]):
            if any(_DECIMAL.match(c.strip()) for c in row):
                return max(i, 1)
    return 1


def build(items: list[tuple[str, object]]) -> list[object]:
    """Turn parse() items into paragraphs (str) and Tables, moving the caption
    lines before a 公开NN表 table and the note lines after it into the Table."""
    out: list[object] = []
    i = 0
    while i < len(items):
        kind, obj = items[i]
        if kind == "p":
            out.append(obj)
            i += 1
            continue
        caption = []
        while out and isinstance(out[-1], str) and len(out[-1]) <= 60 and _CAPTION.search(out[-1]):
            caption.insert(0, out.pop())
            if caption[0].endswith("表") and not _PUBLIC.fullmatch(caption[0]):
                break                                    # the title: the caption starts here
        # 公开NN表 in the caption or, as in some 公开06表, in the table's first rows
        main = bool(caption) and any(_PUBLIC.search(c) for c in caption + [c for r in obj[:3] for c in r])
        if not main:
            out.extend(caption)
            caption = []
        table = Table(obj, header_rows(obj, main), main, caption)
        i += 1
        while main and i < len(items) and items[i][0] == "p" and _NOTE.search(items[i][1]):
            table.notes.append(items[i][1])
            i += 1
        out.append(table)
    return out


def blank_zero_text(text: str) -> str:
    """The blankzero variant's text form: in table rows, zero amounts become
    empty cells and thousands separators are dropped; prose is unchanged."""
    def cell(c: str) -> str:
        s = c.strip()
        if _ZERO.match(s):
            return ""
        m = _THOUSANDS.match(s)
        return m.group(1).replace(",", "") + (m.group(2) or "") if m else c
    return "\n".join("\t".join(cell(c) for c in line.split("\t")) if "\t" in line else line
                     for line in text.split("\n"))


# --------------------------------------------------------------------------- column widths

MIN_COLUMN_MM = 11.0


def column_mm(table: Table, text_w: float = TEXT_W_MM) -> list[float]:
    """Column widths in mm.  公开NN表 tables: text columns (labels) narrow so
    they wrap, number and code columns just wide enough for their longest
    figure.  Other tables: render_fixtures' content weights over the text width."""
    ncols = len(table.rows[0])
    if not table.main:
        # every column wide enough for a short figure ("100%", "10"), the rest of the
        # width by content: Writer clips text that does not fit a cell's width
        w = column_weights(table.rows)
        floor = min(MIN_COLUMN_MM, text_w / ncols)
        spare = text_w - floor * ncols
        return [floor + spare * x / sum(w) for x in w]
    body = table.rows[table.header:] or table.rows
    half_mm = TABLE_PT * 0.3528 * 0.55
    widths = []
    for j in range(ncols):
        cells = [r[j].strip() for r in body if r[j].strip()]
        text = [c for c in cells if not _NUMERIC.match(c)]
        if text and len(text) * 2 >= len(cells) and max(map(display_len, text)) >= 8:
            widths.append(LABEL_MM)
        else:
            longest = max((display_len(c) for c in cells), default=2)
            widths.append(max(10.0, min(longest, 14) * half_mm + 3.5))
    if sum(widths) > text_w:
        widths = [w * text_w / sum(widths) for w in widths]
    return widths


# --------------------------------------------------------------------------- Word (.docx)

def _docx_table(doc, table: Table, repeat_header: bool) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    widths = column_mm(table)
    t = doc.add_table(rows=len(table.rows), cols=len(widths))
    t.style = "Table Grid"
    t.autofit = False
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    t._tbl.tblPr.append(layout)
    for j, col in enumerate(t.columns):
        col.width = Mm(widths[j])
    for i, (row, cells) in enumerate(zip(t.rows, table.rows)):
        if repeat_header and i < table.header:
            flag = OxmlElement("w:tblHeader")
            flag.set(qn("w:val"), "true")
            row._tr.get_or_add_trPr().append(flag)
        for j, (cell, value) in enumerate(zip(row.cells, cells)):
            cell.width = Mm(widths[j])
            para = cell.paragraphs[0]
            para.paragraph_format.space_after = Pt(0)
            if value and _NUMERIC.match(value.strip()) and i >= table.header:
                para.alignment = 2                           # right
            run = para.add_run(value)
            run.font.size = Pt(TABLE_PT)
            run.font.name = FONT_SANS
            run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT_SANS)


def _docx_paragraph(doc, text: str) -> None:
    from docx.shared import Pt
    para = doc.add_paragraph(text)
    para.paragraph_format.space_after = Pt(2)


def new_docx():
    """A python-docx document: A4, 20 mm margins, Noto Sans CJK SC throughout
    (one font family: each family costs ~300 KB of Type 1 subsets per PDF)."""
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(20))
    normal = doc.styles["Normal"]
    normal.font.name = FONT_SANS
    normal.font.size = Pt(PROSE_PT)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT_SANS)
    return doc


def write_docx(blocks: list[object], path: Path, repeat_header: bool = True) -> Path:
    """Paragraphs and tables (captions and notes as paragraphs) into one .docx."""
    doc = new_docx()
    for block in blocks:
        if isinstance(block, str):
            _docx_paragraph(doc, block)
            continue
        for line in block.caption:
            _docx_paragraph(doc, line)
        _docx_table(doc, block, repeat_header)
        for line in block.notes:
            _docx_paragraph(doc, line)
    doc.save(str(path))
    return path


# --------------------------------------------------------------------------- Calc (.xlsx)

def xlsx_width(mm: float) -> float:
    """openpyxl column width (Calibri 11 digits: 7 px each plus 5 px) for `mm`."""
    return round((mm / 0.2646 - 5) / 7, 2)


def text_lines(text: str, mm: float, pt: float) -> int:
    """Lines `text` takes in a wrapped cell `mm` wide: CJK 1 em, others 0.55 em."""
    room = max(mm - 1.5, 1.0) / 0.3528 / pt          # em per line
    lines, used = 1, 0.0
    for ch in text:
        w = 1.0 if display_len(ch) == 2 else 0.55
        if used + w > room:
            lines, used = lines + 1, 0.0
        used += w
    return lines


def row_height(texts: list[tuple[str, float]], pt: float) -> float:
    """Row height (pt) for cells (text, width mm).  Why explicit: LibreOffice
    does not re-fit the heights of .xlsx rows on load, so wrapped text would
    overflow its row; this is the height Calc's optimal row height gives."""
    lines = max((text_lines(t, mm, pt) for t, mm in texts if t), default=1)
    return round(lines * pt * 1.45 + 2.5, 1)


def _sheet(wb, table: Table, number: int) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(f"表{number:02d}")
    widths = column_mm(table, 180.0)
    title_mm = display_len(table.caption[0]) / 2 * TITLE_PT * 0.3528 + 6 if table.caption else 0
    if sum(widths) < title_mm:                       # the title stays on one line
        widths = [w * title_mm / sum(widths) for w in widths]
    ncols = len(widths)
    for j, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = xlsx_width(w)

    def merged_line(r: int, text: str, span: int, align: str, title: bool = False) -> None:
        """One caption/note line in a merged, wrapped cell."""
        pt = TITLE_PT if title else TABLE_PT
        ws.cell(r, 1, text).font = Font(name=FONT_SANS, size=pt)
        ws.cell(r, 1).alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)
        if span > 1:
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=span)
        ws.row_dimensions[r].height = row_height([(text, sum(widths[:span]))], pt)

    r = 1
    for k, line in enumerate(table.caption):
        if k == 0:
            merged_line(r, line, ncols, "center", title=True)
        elif line.startswith("编制单位"):
            span = next((s for s in range(1, ncols + 1) if sum(widths[:s]) >= 28), ncols)
            merged_line(r, line, span, "left")        # narrow: the unit's name wraps
        else:
            merged_line(r, line, ncols, "right" if "表" in line or "单位" in line else "center")
        r += 1
    first_table_row = r
    r = write_rows(ws, table, r, widths)
    for line in table.notes:
        merged_line(r, line, ncols, "left")
        r += 1
    ws.print_title_rows = f"1:{first_table_row + table.header - 1}"
    fit_to_width(ws)


def write_rows(ws, table: Table, r: int, widths: list[float], bare: frozenset[int] = frozenset(),
               min_height: float = 0.0) -> int:
    """`table`'s rows on sheet rows `r`…: amounts as numbers in their printed format,
    right-aligned, header rows centred, every cell wrapped and ruled except the rule
    under the rows of `bare` (and so over the row after each); each row as high as its
    wrapped text (at least `min_height` pt).  The next free sheet row."""
    from openpyxl.styles import Alignment, Border, Font, Side

    font = Font(name=FONT_SANS, size=TABLE_PT)
    thin = Side(style="thin", color="000000")
    for i, cells in enumerate(table.rows):
        for j, value in enumerate(cells, start=1):
            s = value.strip()
            cell = ws.cell(r, j)
            if i >= table.header and _DECIMAL.match(s):
                cell.value = float(s.replace(",", ""))
                cell.number_format = "#,##0.00" if "," in s or abs(cell.value) < 1000 else "0.00"
            else:
                cell.value = value if value else None
            numeric = bool(s) and _NUMERIC.match(s) and i >= table.header
            cell.alignment = Alignment(horizontal="right" if numeric else ("center" if i < table.header else "left"),
                                       vertical="center", wrap_text=True)
            cell.font = font
            cell.border = Border(left=thin, right=thin, top=None if i - 1 in bare else thin,
                                 bottom=None if i in bare else thin)
        ws.row_dimensions[r].height = max(min_height, row_height(list(zip(cells, widths)), TABLE_PT))
        r += 1
    return r


def fit_to_width(ws) -> None:
    """A4 portrait, the columns fitted to the page width and not the height (long tables
    split across pages), centred."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0                      # height does not fit: long tables split
    ws.page_margins.left = ws.page_margins.right = 0.6
    ws.print_options.horizontalCentered = True


def write_xlsx(tables: list[Table], path: Path, first_number: int, sheet=None) -> Path:
    """`tables` as one workbook, a sheet each (`sheet(wb, table, number)`; this module's by
    default), numbered from `first_number`."""
    from openpyxl import Workbook
    wb = Workbook()
    wb.remove(wb.active)
    for k, table in enumerate(tables):
        (sheet or _sheet)(wb, table, first_number + k)
    wb.save(str(path))
    return path


def calc_parts(blocks: list[object]) -> list[tuple[str, list[object]]]:
    """Split the document into consecutive parts: ("xlsx", [Table...]) for runs
    of 公开NN表 tables, ("docx", [blocks...]) for everything else."""
    parts: list[tuple[str, list[object]]] = []
    for block in blocks:
        kind = "xlsx" if isinstance(block, Table) and block.main else "docx"
        if not parts or parts[-1][0] != kind:
            parts.append((kind, []))
        parts[-1][1].append(block)
    return parts


def render_calc(blocks: list[object], pdf: Path, work: Path, soffice: str, sheet=None,
                producer: str = "LibreOffice 7.4 (Calc and Writer parts, joined with pikepdf)",
                xmp: bool = True, object_streams: bool = False) -> None:
    """The document as Calc parts (runs of 公开NN表 tables, a sheet each: `sheet`, as
    `write_xlsx` takes it) and Writer parts (the rest), converted by LibreOffice and joined
    in document order, `producer` named in the document info (and its XMP, with `xmp`)."""
    import pikepdf

    pieces = []
    sheets = 0
    for n, (kind, content) in enumerate(calc_parts(blocks)):
        if kind == "xlsx":
            src = write_xlsx(content, work / f"part{n:02d}.xlsx", sheets + 1, sheet)
            sheets += len(content)
            export = "pdf:calc_pdf_Export"
        else:
            src = write_docx(content, work / f"part{n:02d}.docx")
            export = "pdf:writer_pdf_Export"
        out = work / f"part{n:02d}.pdf"
        convert_soffice(src, out, soffice, export)
        pieces.append(out)
    merged = pikepdf.Pdf.new()
    opened = [pikepdf.Pdf.open(p) for p in pieces]
    for part in opened:
        merged.pages.extend(part.pages)
    if xmp:
        with merged.open_metadata(set_pikepdf_as_editor=False) as meta:
            meta["pdf:Producer"] = producer
    merged.docinfo["/Producer"] = pikepdf.String(producer)
    if object_streams:
        merged.save(str(pdf), object_stream_mode=pikepdf.ObjectStreamMode.generate, compress_streams=True)
    else:
        merged.save(str(pdf))
    for part in opened:
        part.close()


# --------------------------------------------------------------------------- HTML (Chromium)

CSS = """
@page { size: A4 portrait; margin: 15mm 20mm 15mm 20mm; }
body { font-family: "%s"; font-size: 10.5pt; line-height: 1.45; margin: 0; }
p { margin: 0 0 2.5pt 0; }
table { border-collapse: collapse; table-layout: fixed; margin: 3pt 0 6pt 0; font-size: 9pt; }
tr { break-inside: avoid; }
td, th { border: 1px solid #000; padding: 1.5pt 2.5pt; vertical-align: middle; line-height: 1.3;
         font-weight: normal; word-break: break-all; overflow-wrap: anywhere; text-align: left; }
td.n { text-align: right; }
"""


def html_head(title: str, font_file: Path | None, css: str) -> list[str]:
    """The page's head: its title, the Chromium font (`font_file`, a subset, when given) and `css`."""
    face = ""
    if font_file is not None:
        face = (f'@font-face {{ font-family: "{FONT_CHROMIUM}"; '
                f'src: url("{font_file.resolve().as_uri()}") format("truetype"); }}\n')
    return ['<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">',
            f"<title>{escape(title)}</title><style>{face}{css}</style></head><body>"]


def html_table(table: Table, cols: list[int], widths: list[float], out: list[str]) -> None:
    """`table`'s columns `cols` as one ruled HTML table (`widths`: every column's, mm), its
    header rows in <thead> (repeated on every page), figures right-aligned."""
    out.append(f'<table style="width:{sum(widths[j] for j in cols):.1f}mm"><colgroup>'
               + "".join(f'<col style="width:{widths[j]:.1f}mm">' for j in cols) + "</colgroup><thead>")
    for i, row in enumerate(table.rows):
        if i == table.header:
            out.append("</thead><tbody>")
        tag = "th" if i < table.header else "td"
        out.append("<tr>" + "".join(
            f'<{tag}{" class=n" if tag == "td" and row[j] and _NUMERIC.match(row[j].strip()) else ""}>'
            f"{escape(row[j])}</{tag}>" for j in cols) + "</tr>")
    out.append("</tbody></table>" if table.header < len(table.rows) else "</thead></table>")


def to_html(blocks: list[object], title: str, font_file: Path | None) -> str:
    out = html_head(title, font_file, CSS % FONT_CHROMIUM)
    for block in blocks:
        if isinstance(block, str):
            out.append(f"<p>{escape(block)}</p>")
            continue
        out.extend(f"<p>{escape(line)}</p>" for line in block.caption)
        html_table(block, list(range(len(block.rows[0]))), column_mm(block), out)
        out.extend(f"<p>{escape(line)}</p>" for line in block.notes)
    out.append("</body></html>")
    return "\n".join(out)


# --------------------------------------------------------------------------- driver

# What each layout puts on the page (checked by eye on pdftoppm renderings, see
# tools/README.md).  wrapped_department: the 编制单位 cell inside 公开02/03/06表
# sits in a narrow code column in every layout; calc also wraps the 编制单位
# caption line in its merged cell.  split_rows: a row may break across pages.
FEATURES = {
    "calc": {"wrapped_labels": True, "wrapped_department": True, "split_tables": True,
             "repeated_headers": True, "blank_zeros": False, "split_rows": False},
    "writer": {"wrapped_labels": True, "wrapped_department": True, "split_tables": True,
               "repeated_headers": True, "blank_zeros": False, "split_rows": True},
    "chromium": {"wrapped_labels": True, "wrapped_department": True, "split_tables": True,
                 "repeated_headers": True, "blank_zeros": False, "split_rows": False},
    "blankzero": {"wrapped_labels": True, "wrapped_department": True, "split_tables": True,
                  "repeated_headers": False, "blank_zeros": True, "split_rows": True},
}


def compact(pdf: Path) -> None:
    """Rewrite `pdf` with object streams (qpdf via pikepdf); pages and text
    unchanged.  Why: Chromium writes a tagged PDF whose uncompressed structure
    tree makes up two thirds of the file (1.1 MB -> 0.34 MB for Nanchang)."""
    import pikepdf
    with pikepdf.open(pdf, allow_overwriting_input=True) as doc:
        doc.save(pdf, object_stream_mode=pikepdf.ObjectStreamMode.generate, compress_streams=True)


def page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def render(doc: Path, name: str, producer: str, outdir: Path, work: Path, args) -> Path:
    """Render one input with one producer; return the PDF path."""
    text = doc.read_bytes().decode("utf-8-sig")
    if producer == "blankzero":
        text = blank_zero_text(text)
        (outdir / f"{name}.blankzero.txt").write_text(text, encoding="utf-8")
    blocks = build(parse(text))
    pdf = (outdir / f"{name}.{producer}.pdf").resolve()
    if producer == "calc":
        render_calc(blocks, pdf, work, args.soffice)
    elif producer in ("writer", "blankzero"):
        src = write_docx(blocks, work / f"{name}.{producer}.docx", repeat_header=producer == "writer")
        convert_soffice(src, pdf, args.soffice)
    else:
        font_file = None if args.no_subset else subset_font(FONT_CHROMIUM, text, work)
        src = work / f"{name}.html"
        src.write_text(to_html(blocks, name, font_file), encoding="utf-8")
        print_chromium(src, pdf, args.chromium)
    compact(pdf)
    return pdf


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("docs", nargs="+", help="NAME=TEXTFILE[=REFERENCE]: fixture stem, text form, and the "
                                              "repo-relative reference path to record (default: TEXTFILE)")
    ap.add_argument("--outdir", type=Path, default=Path("tests/fixtures/matrix"))
    ap.add_argument("--producers", default=",".join(PRODUCERS))
    ap.add_argument("--no-subset", action="store_true", help="embed the whole Chromium font")
    ap.add_argument("--chromium", default="chromium")
    ap.add_argument("--soffice", default="soffice")
    args = ap.parse_args(argv)
    args.outdir.mkdir(parents=True, exist_ok=True)
    manifest = read_manifest(args.outdir)
    producers = [p for p in args.producers.split(",") if p]
    for spec in args.docs:
        name, textfile, *ref = spec.split("=")
        for producer in producers:
            with tempfile.TemporaryDirectory(prefix="render-matrix-") as work:
                pdf = render(Path(textfile), name, producer, args.outdir, Path(work), args)
            reference = (str(args.outdir / f"{name}.blankzero.txt") if producer == "blankzero"
                         else (ref[0] if ref else textfile))
            entry = {"pdf": str(args.outdir / pdf.name), "reference": reference, "document": name,
                     "producer": producer, "features": FEATURES[producer], "pages": page_count(pdf)}
            manifest = with_entry(manifest, entry, pdf)
    write_manifest(args.outdir, manifest, PRODUCERS)
    return 0


def read_manifest(outdir: Path) -> list[dict]:
    """The fixtures `outdir`'s manifest.json lists (none before the first)."""
    path = outdir / "manifest.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else []


def with_entry(manifest: list[dict], entry: dict, pdf: Path) -> list[dict]:
    """`manifest` with `entry` in place of the one for the same PDF, said on the console."""
    print(f"{entry['producer']}: {pdf} ({entry['pages']} pages, {pdf.stat().st_size // 1024} KB)")
    return [e for e in manifest if e["pdf"] != entry["pdf"]] + [entry]


def write_manifest(outdir: Path, manifest: list[dict], producers: tuple[str, ...]) -> None:
    """The manifest by document, then in the order of `producers`."""
    manifest.sort(key=lambda e: (e["document"], producers.index(e["producer"])))
    (outdir / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n",
                                          encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
