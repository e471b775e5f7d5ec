#!/usr/bin/env python3
"""Render a report's text extraction (doc.txt) as PDF test fixtures.

Why: auditlib reads a report either from its text extraction (prose lines,
table rows as tab-separated cells) or from a PDF.  To test the PDF reader we
need PDFs whose content is known exactly.  This tool lays out the text form
faithfully -- every non-table line a paragraph of its own, every run of
tab-separated lines one table, one text line = one table row, one tab cell =
one table cell (empty cells kept) -- and prints it with real PDF producers, so
a correct PDF reader must give back the same cells as the text reader:

* ``chromium``: an HTML file with ruled cells, printed by headless Chromium
  (Skia/PDF producer);
* ``libreoffice``: the same content as a flat ODF text document (.fodt, plain
  XML written with the standard library) with bordered cells, converted by
  ``soffice --headless --convert-to pdf`` (LibreOffice producer);
* ``unruled``: the Chromium rendering with no cell borders at all (harder:
  a reader must find the table from text positions alone).

Only two things are changed from the text: ``<p>``/``</p>`` fragments inside
cells are replaced by a space (runs of spaces folded, cell stripped), as
auditlib's own normalize_text does; and short table rows are padded with
trailing empty cells to the table's widest row so that every cell of the grid
is ruled (the text reader drops trailing empty cells, so this is neutral).
Blank lines are not content: blank lines between two table rows do not end
the table (they mark page breaks of the original), so such a table may run
over several pages here too.  Nothing is repeated across pages (no <thead>).

Standard library only.  Needs ``chromium`` and ``soffice`` on PATH (Debian:
``apt-get install -y chromium fonts-noto-cjk libreoffice-writer``).
"""

from __future__ import annotations

import argparse
import html
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

_P_TAGS = re.compile(r"</?p>", re.IGNORECASE)
_SPACES = re.compile(r" {2,}")

# TrueType-outline CJK fonts (Debian: fonts-arphic-uming, fonts-wqy-microhei).
# Not Noto CJK: its OpenType/CFF outlines come out of Chromium as Type 3 fonts
# (every glyph a vector path, which lattice table finders take for ruling
# lines; ToUnicode maps some glyphs to CJK radical code points) and out of
# LibreOffice as Type 1 subsets with Ascent 0 (PDFBox/tabula then sees glyphs
# ~2.9 em tall that fit in no cell).
FONT_CHROMIUM = "AR PL UMing CN"
FONT_LIBREOFFICE = "WenQuanYi Micro Hei"


# --------------------------------------------------------------------------
# parsing
# --------------------------------------------------------------------------

def clean_cell(cell: str) -> str:
    """Strip <p> fragments (joined by a space); keep everything else as is."""
    if "<" not in cell:
        return cell
    return _SPACES.sub(" ", _P_TAGS.sub(" ", cell)).strip()


def parse(text: str) -> list[tuple[str, object]]:
    """Return items in order: ("p", str) for a paragraph, ("table", rows) for a
    table (rows: list of lists of cells, padded to equal width)."""
    items: list[tuple[str, object]] = []
    table: list[list[str]] | None = None
    for raw in text.splitlines():
        if "\t" in raw:
            if table is None:
                table = []
                items.append(("table", table))
            table.append([clean_cell(c) for c in raw.split("\t")])
        elif raw.strip():
            table = None
            items.append(("p", raw.strip()))
        # blank line: neither ends nor starts anything
    for kind, rows in items:
        if kind == "table":
            width = max(len(r) for r in rows)
            for r in rows:
                r.extend([""] * (width - len(r)))
    return items


def display_len(s: str) -> int:
    """Width estimate: East Asian wide chars count 2."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def table_font_pt(rows: list[list[str]]) -> float:
    ncols = len(rows[0])
    if ncols >= 9:
        return 7.0
    if ncols >= 7:
        return 7.5
    longest = max(display_len(c) for r in rows for c in r)
    if longest > 600:
        return 7.5
    return 9.0


def column_weights(rows: list[list[str]]) -> list[float]:
    """Relative column widths from content (capped so long text wraps)."""
    ncols = len(rows[0])
    weights = []
    for j in range(ncols):
        longest = max((display_len(r[j]) for r in rows), default=0)
        # short columns by their length, long text columns grow slowly
        weights.append(min(max(longest, 4), 24) + 2.0 * max(longest - 24, 0) ** 0.5)
    return weights


# --------------------------------------------------------------------------
# HTML (Chromium)
# --------------------------------------------------------------------------

CSS_COMMON = """
@page {{ size: A4 portrait; margin: 15mm 12mm 15mm 12mm; }}
html {{ -webkit-print-color-adjust: exact; }}
body {{ font-family: "{font}"; font-size: 10pt; line-height: 1.45; margin: 0; }}
p {{ margin: 0 0 2.5pt 0; text-align: left; }}
table {{ border-collapse: collapse; table-layout: fixed; margin: 3pt 0 6pt 0; }}
tr {{ break-inside: avoid; page-break-inside: avoid; }}
td {{ padding: 1.5pt 2.5pt; vertical-align: middle; line-height: 1.3;
     word-break: break-all; overflow-wrap: anywhere; }}
"""
HTML_TEXT_W_PX = 700  # A4 width 210mm - 2 x 12mm margins = 186mm = 703 CSS px
GRID_PX = 10          # 7.5 pt


def min_widths_px(rows: list[list[str]]) -> list[int]:
    """Narrowest width (CSS px) that lets a short column's longest cell (up
    to 8 half-width units, e.g. 行次, 100%) sit on one line with padding:
    text overflowing its cell is lost to a lattice reader."""
    pt = table_font_pt(rows)
    out = []
    for j in range(len(rows[0])):
        need = min(max((display_len(r[j]) for r in rows), default=0), 8)
        out.append(int((need * pt / 2 + 8) / 0.75) + 1)
    return out


def grid_widths(weights: list[float], minimum: list[int] | None = None) -> list[int]:
    """Column widths in whole multiples of GRID_PX under a fixed layout.

    Why: tabula (lattice) snaps ruling end points that lie closer than about
    a character width to each other across the whole page.  When two tables
    on one page have vertical borders 1-4 pt apart, the lower table gains an
    extra, empty, 3 pt wide column.  On a 7.5 pt grid every vertical border
    on a page either coincides with another one or is >= 7.5 pt away."""
    total = sum(weights)
    minimum = minimum or [0] * len(weights)
    floor = [max(2 * GRID_PX, -(-m // GRID_PX) * GRID_PX) for m in minimum]
    px = [max(f, round(HTML_TEXT_W_PX * w / total / GRID_PX) * GRID_PX)
          for w, f in zip(weights, floor)]
    while sum(px) > HTML_TEXT_W_PX:
        shrinkable = [i for i in range(len(px)) if px[i] - GRID_PX >= floor[i]]
        if not shrinkable:
            break
        i = max(shrinkable, key=lambda k: px[k])
        px[i] -= GRID_PX
    return px

CSS_RULED = "td { border: 1px solid #000; }\n"
CSS_UNRULED = "td { border: none; padding: 1.5pt 5pt; }\n"


def to_html(items, title: str, ruled: bool = True, font: str = FONT_CHROMIUM,
            font_file: Path | None = None) -> str:
    face = ""
    if font_file is not None:
        face = (f'@font-face {{ font-family: "{font}"; '
                f'src: url("{font_file.resolve().as_uri()}") format("truetype"); }}\n')
    out = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        f"<title>{html.escape(title)}</title>",
        "<style>" + face + CSS_COMMON.format(font=font) + (CSS_RULED if ruled else CSS_UNRULED) + "</style>",
        "</head><body>",
    ]
    for kind, obj in items:
        if kind == "p":
            out.append(f"<p>{html.escape(obj)}</p>")
            continue
        rows = obj
        pt = table_font_pt(rows)
        weights = column_weights(rows)
        px = grid_widths(weights, min_widths_px(rows))
        out.append(f'<table style="font-size:{pt}pt; width:{sum(px)}px">')
        out.append("<colgroup>" + "".join(
            f'<col style="width:{w}px">' for w in px) + "</colgroup>")
        out.append("<tbody>")
        for r in rows:
            out.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>")
        out.append("</tbody></table>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def subset_font(family: str, text: str, workdir: Path) -> Path | None:
    """Subset the system font for `family` to the characters of `text` with
    fontTools (if installed) and return the .ttf path, else None.

    Why: Skia embeds big CJK TrueType fonts nearly whole (AR PL UMing: 11 MB
    PDF); loading a pre-subset copy through @font-face keeps the PDF small.
    The text is unchanged either way."""
    try:
        from fontTools import subset as ft_subset
        from fontTools.ttLib import TTFont
    except ImportError:
        print("note: fontTools not installed; embedding the whole system font",
              file=sys.stderr)
        return None
    try:
        found = subprocess.run(["fc-match", "-f", "%{file}\t%{index}", family],
                               check=True, capture_output=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    file, _, index = found.partition("\t")
    font = TTFont(file, fontNumber=int(index or 0), lazy=False)
    options = ft_subset.Options()
    options.hinting = False          # drop TrueType instructions (size)
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    chars = set(text) | {chr(c) for c in range(0x20, 0x7F)}
    sub = ft_subset.Subsetter(options)
    sub.populate(unicodes=[ord(c) for c in chars if not c.isspace() or c == " "])
    sub.subset(font)
    out = workdir / "fixture-cjk-subset.ttf"
    font.save(str(out))
    return out


def print_chromium(html_path: Path, pdf_path: Path, chromium: str) -> None:
    profile = tempfile.mkdtemp(prefix="render-fixtures-chromium-")
    try:
        cmd = [
            chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--disable-component-update",
            "--disable-sync", f"--user-data-dir={profile}",
            f"--print-to-pdf={pdf_path}", "--no-pdf-header-footer",
            html_path.resolve().as_uri(),
        ]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       timeout=300)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    if not pdf_path.exists():
        raise SystemExit(f"chromium did not write {pdf_path}")


# --------------------------------------------------------------------------
# Flat ODF text (LibreOffice)
# --------------------------------------------------------------------------

PAGE_W_MM, MARGIN_MM = 210.0, 12.0
TEXT_W_MM = PAGE_W_MM - 2 * MARGIN_MM


def _x(s: str) -> str:
    return xml_escape(s, {'"': "&quot;"})


def to_fodt(items, title: str, font: str = FONT_LIBREOFFICE) -> str:
    sizes = sorted({table_font_pt(obj) for kind, obj in items if kind == "table"})
    auto = []  # automatic styles
    body = []
    for pt in sizes:
        name = f"C{str(pt).replace('.', '_')}"
        auto.append(
            f'<style:style style:name="{name}" style:family="paragraph" '
            f'style:parent-style-name="Cell">'
            f'<style:text-properties fo:font-size="{pt}pt" style:font-size-asian="{pt}pt"/>'
            f"</style:style>")
    tno = 0
    for kind, obj in items:
        if kind == "p":
            body.append(f'<text:p text:style-name="Body">{_x(obj)}</text:p>')
            continue
        tno += 1
        rows = obj
        pstyle = f"C{str(table_font_pt(rows)).replace('.', '_')}"
        # same 7.5 pt column grid as the HTML (see grid_widths)
        mm = [w * TEXT_W_MM / HTML_TEXT_W_PX for w in grid_widths(column_weights(rows), min_widths_px(rows))]
        weights = mm
        total = sum(mm)
        tname = f"T{tno}"
        auto.append(
            f'<style:style style:name="{tname}" style:family="table">'
            f'<style:table-properties style:width="{total:.2f}mm" table:align="left" '
            f'fo:margin-top="1mm" fo:margin-bottom="2mm" '
            f'style:may-break-between-rows="true"/></style:style>')
        for j, w in enumerate(weights):
            auto.append(
                f'<style:style style:name="{tname}.C{j}" style:family="table-column">'
                f'<style:table-column-properties style:column-width="{w:.2f}mm"/>'
                # no rel-column-width: LibreOffice 7.4 then ignores the widths
                '</style:style>')
        body.append(f'<table:table table:name="Table{tno}" table:style-name="{tname}">')
        for j in range(len(weights)):
            body.append(f'<table:table-column table:style-name="{tname}.C{j}"/>')
        for r in rows:
            # rows that could never fit a page are allowed to split
            long_row = sum(display_len(c) for c in r) > 1200
            body.append(f'<table:table-row table:style-name="{"RowSplit" if long_row else "Row"}">')
            for c in r:
                body.append(
                    '<table:table-cell table:style-name="Cell" office:value-type="string">'
                    f'<text:p text:style-name="{pstyle}">{_x(c)}</text:p></table:table-cell>')
            body.append("</table:table-row>")
        body.append("</table:table>")

    return f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
<office:meta><dc:title>{_x(title)}</dc:title></office:meta>
<office:font-face-decls>
 <style:font-face style:name="{font}" svg:font-family="&apos;{font}&apos;" style:font-family-generic="swiss" style:font-pitch="variable"/>
</office:font-face-decls>
<office:styles>
 <style:default-style style:family="paragraph">
  <style:paragraph-properties fo:orphans="2" fo:widows="2"/>
  <style:text-properties style:font-name="{font}" style:font-name-asian="{font}" style:font-name-complex="{font}"
   fo:font-size="10pt" style:font-size-asian="10pt" fo:language="zh" fo:country="CN"
   style:language-asian="zh" style:country-asian="CN"/>
 </style:default-style>
 <style:style style:name="Standard" style:family="paragraph"/>
 <style:style style:name="Body" style:family="paragraph" style:parent-style-name="Standard">
  <style:paragraph-properties fo:margin-top="0mm" fo:margin-bottom="1mm" fo:line-height="135%"/>
 </style:style>
 <style:style style:name="Cell" style:family="paragraph" style:parent-style-name="Standard">
  <style:paragraph-properties fo:margin-top="0mm" fo:margin-bottom="0mm" fo:orphans="0" fo:widows="0"/>
 </style:style>
</office:styles>
<office:automatic-styles>
 <style:page-layout style:name="PL">
  <style:page-layout-properties fo:page-width="210mm" fo:page-height="297mm" style:print-orientation="portrait"
   fo:margin-top="15mm" fo:margin-bottom="15mm" fo:margin-left="{MARGIN_MM}mm" fo:margin-right="{MARGIN_MM}mm"/>
 </style:page-layout>
 <style:style style:name="Row" style:family="table-row">
  <style:table-row-properties fo:keep-together="always"/>
 </style:style>
 <style:style style:name="RowSplit" style:family="table-row">
  <style:table-row-properties fo:keep-together="auto"/>
 </style:style>
 <style:style style:name="Cell" style:family="table-cell">
  <style:table-cell-properties fo:border="0.5pt solid #000000" fo:padding="0.6mm" style:vertical-align="middle"/>
 </style:style>
 {chr(10).join(auto)}
</office:automatic-styles>
<office:master-styles>
 <style:master-page style:name="Standard" style:page-layout-name="PL"/>
</office:master-styles>
<office:body><office:text>
{chr(10).join(body)}
</office:text></office:body>
</office:document>
"""


def convert_soffice(src: Path, pdf_path: Path, soffice: str,
                    export_filter: str = "pdf:writer_pdf_Export") -> None:
    """Convert `src` to `pdf_path` with a throw-away LibreOffice profile.
    `export_filter`: "pdf:writer_pdf_Export" for text documents,
    "pdf:calc_pdf_Export" for spreadsheets."""
    profile = tempfile.mkdtemp(prefix="render-fixtures-lo-")
    outdir = tempfile.mkdtemp(prefix="render-fixtures-out-")
    try:
        cmd = [soffice, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless",
               "--norestore", "--convert-to", export_filter, "--outdir", outdir, str(src)]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       timeout=600)
        produced = Path(outdir) / (src.stem + ".pdf")
        if not produced.exists():
            raise SystemExit(f"soffice did not convert {src}")
        shutil.move(str(produced), pdf_path)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
        shutil.rmtree(outdir, ignore_errors=True)


# --------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("doc", type=Path, help="the text extraction (doc.txt)")
    ap.add_argument("--name", required=True, help="fixture stem, e.g. nanchang-bigdata-2021")
    ap.add_argument("--outdir", type=Path, default=Path("tests/fixtures"))
    ap.add_argument("--variants", default="chromium,libreoffice,unruled",
                    help="comma list of chromium, libreoffice, unruled")
    ap.add_argument("--keep-sources", action="store_true",
                    help="also keep the intermediate .html/.fodt next to the PDFs")
    ap.add_argument("--font-chromium", default=FONT_CHROMIUM)
    ap.add_argument("--font-libreoffice", default=FONT_LIBREOFFICE)
    ap.add_argument("--no-subset", action="store_true",
                    help="do not pre-subset the Chromium font with fontTools")
    ap.add_argument("--chromium", default="chromium")
    ap.add_argument("--soffice", default="soffice")
    args = ap.parse_args(argv)

    text = args.doc.read_bytes().decode("utf-8-sig")
    items = parse(text)
    title = next((o for k, o in items if k == "p"), args.name)
    args.outdir.mkdir(parents=True, exist_ok=True)
    variants = [v.strip() for v in args.variants.split(",") if v.strip()]
    work = Path(tempfile.mkdtemp(prefix="render-fixtures-"))
    font_file = None
    try:
        for v in variants:
            pdf = (args.outdir / f"{args.name}.{v}.pdf").resolve()
            if v in ("chromium", "unruled"):
                if font_file is None and not args.no_subset:
                    font_file = subset_font(args.font_chromium, text, work) or False
                src = work / f"{args.name}.{v}.html"
                src.write_text(to_html(items, title, ruled=(v == "chromium"),
                                       font=args.font_chromium,
                                       font_file=font_file or None), encoding="utf-8")
                print_chromium(src, pdf, args.chromium)
            elif v == "libreoffice":
                src = work / f"{args.name}.{v}.fodt"
                src.write_text(to_fodt(items, title, font=args.font_libreoffice), encoding="utf-8")
                convert_soffice(src, pdf, args.soffice)
            else:
                ap.error(f"unknown variant {v!r}")
            if args.keep_sources:
                shutil.copy(src, args.outdir / src.name)
            print(f"{v}: {pdf}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
