"""Reader for PDF reports: reduces a PDF to the same `SourceLine` stream as the
text reader.

* Text runs with positions come from PDFium (pypdfium2), character by character.
* Ruled tables are rebuilt from what each page draws (auditlib.ingest.grid): the
  ruling lines of PDFium's path objects give the grid (spanned cells where a rule
  is missing), the characters give each cell's text, so a wrapped label is joined
  inside its cell and every cell keeps its page and box.  tabula's lattice mode is
  not used: it loses the cell text of common CJK fonts and gives no page numbers.
* Pages whose text looks like a table but that draw no grid (no ruling lines) get
  one tabula stream call per block, with area and column positions taken from the
  text runs: there tabula is the table engine.

Prose lines outside tables become one-cell lines (wrapped paragraph lines are
joined when the previous line runs to the right margin and the next one is not
indented nor starts a new numbered item; page numbers in the margins dropped),
table rows multi-cell lines, all merged into reading order by page and vertical
position.  A table continued on the next page is stitched on: its repeated header
rows are dropped and a row cut by the page break is glued back together.

The steps live in modules of their own: `pdf_guard` (what a hostile file may ask:
pages, inflated stream sizes), `pdf_pages` (PDFium: the file, the text layer, ruling
lines, OCR of image-only pages and of those whose text layer does not map to Unicode:
`pdf_unmapped`), `pdf_text` (the pieces, the text
joins and every threshold, `PdfSettings`), `pdf_stream` (tabula stream mode) and
`pdf_assemble` (paragraphs, tables stitched across pages); this one runs them.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from auditlib.errors import InputError
from auditlib.ingest.lines import SourceDocument, SourceLine, normalize_text
from auditlib.ingest.ocr_turn import page_box, turn_notes
from auditlib.ingest.pdf_pictures import picture_note
from auditlib.ingest.pdf_assemble import join_paragraphs, stitch
from auditlib.ingest.pdf_columns import join_columns
from auditlib.ingest.pdf_pages import has_paths, load_pages, ocr_pages, open_pdf, read_pages
from auditlib.ingest.pdf_stream import stream_blocks, stream_pieces
from auditlib.ingest.pdf_text import SETTINGS, Line, Page, PdfSettings, Piece, Seg, furniture, glue, group_lines, join_wrapped_head
from auditlib.ingest.pdf_unmapped import UNPRINTED, unmapped_note, unprinted_note

__all__ = ["read_pdf_lines"]

SCANNED = "仅含图像的扫描件：OCR 在任何一页上都没有识别出文字（image-only (scanned) PDF: OCR found no text on any page）"


def _grid_piece(grid, page: Page, method: str = "grid") -> Piece | None:
    """One ruled table filled with its characters, every band kept (to align a table
    continued to the right); None when it holds no text."""
    rows = grid.rows(glue, keep_empty=True)
    if not any(any(cells) for _t, _u, cells, _b, _s in rows):
        return None
    x0, top, x1, bottom = grid.box
    return Piece(top=top, left=x0, bottom=bottom, right=x1, page=page.number, method=method,
                 rows=[(t, tuple(normalize_text(c) for c in cells)) for t, _u, cells, _b, _s in rows],
                 boxes=[b for *_r, b, _s in rows], scores=[sc for *_r, sc in rows],
                 bottoms=[u for _t, u, *_r in rows], xs=tuple(grid.xs), pages=(page.number,))


def _grid_pieces(page: Page) -> tuple[list[Piece], list[Seg]]:
    """The page's ruled tables filled with its characters, and the text runs left
    outside every table (prose).  A ruled single column is a `column` piece besides:
    its text stays prose unless it continues a table to the right
    (`pdf_columns`)."""
    free: list[Seg] = []
    for seg in page.segs:
        grid = next((g for g in page.grids if g.holds(seg.cx, seg.cy)), None)
        if grid is None:
            free.append(seg)
            continue
        grid.place(seg.xs, seg.text, seg.cy, seg.top, seg.bottom, seg.score)
    for seg in free:
        column = next((g for g in page.narrow if g.holds(seg.cx, seg.cy)), None)
        if column is not None:
            column.place(seg.xs, seg.text, seg.cy, seg.top, seg.bottom, seg.score)
    pieces = [_grid_piece(g, page) for g in page.grids] + [_grid_piece(g, page, "column") for g in page.narrow]
    return [pc for pc in pieces if pc is not None], free


def _page_content(path: Path, p: Page, password: str | None, cfg: PdfSettings) -> tuple[list[Line], list[Piece]]:
    """A page's prose lines (page numbers dropped) and table pieces: its ruled tables,
    and tabula's stream tables where text stands in columns without a grid."""
    mine, free = _grid_pieces(p)
    free = join_wrapped_head(free, min((g.ys[0] for g in p.grids), default=0.0), p.width, cfg)
    lines = [ln for ln in group_lines(p.number, free, cfg) if not furniture(ln, p, cfg)]
    blocks = stream_blocks(p, lines, cfg) if not p.ocr else []  # tabula reads the text layer: none, or garbage
    if blocks:
        extra = stream_pieces(path, Page(p.number, p.width, p.height, free), blocks, password)
        if extra:
            mine = mine + extra
            lines = [ln for ln in lines
                     if not any(pc.holds((ln.x0 + ln.x1) / 2, (ln.top + ln.bottom) / 2) for pc in extra)]
    return lines, mine


def _reading_warnings(path: Path, pages: list[Page], failure: str | None) -> list[str]:
    """What the reading could not read as printed: the pages whose text layer does not map and
    those whose content is not what they print (`pdf_unmapped.UNPRINTED`) — read by OCR, or left
    unread when the OCR failed: `failure` — and the image-only pages OCR found nothing on.  A PDF
    that gives no text at all is refused, with the reason."""
    garbled = [p.number for p in pages if p.unmapped]
    notes = [unmapped_note(garbled, failure)] if garbled else []
    for why in UNPRINTED:
        numbers = [p.number for p in pages if p.unprinted == why]
        notes += [unprinted_note(why, numbers, failure)] if numbers else []
    if sum(p.chars for p in pages) == 0:
        if notes:
            raise InputError(path, "；".join(notes) if failure else "；".join(notes) + "；OCR 没有识别出文字（OCR found no text）")
        if any(p.images for p in pages):
            raise InputError(path, SCANNED)
        raise InputError(path, "没有文字层：PDF 中没有文字（no text layer: the PDF holds no text）")
    for text in (False, True):  # pictures of tables (any picture, unread), of text
        pictured = [p for p in pages if (len(p.texts) if text else len(p.pictures) > len(p.texts))]
        if pictured:
            notes.append(picture_note([p.number for p in pictured], None if all(p.ocr for p in pictured) else failure, text))
    notes += turn_notes({p.number: p.quarters for p in pages if p.ocr and p.quarters != 0})
    return notes + [f"第 {p.number} 页只有图像，未能从中读出文字" for p in pages
                    if p.chars == 0 and p.images and not p.unprinted]


def _where_printed(lines: list[SourceLine], pages: list[Page]) -> list[SourceLine]:
    """The lines of pages read turned upright (`Page.quarters`) with their cells' boxes put back
    where the page prints them, so a finding is marked on the PDF where its cell is."""
    turned = {p.number: p for p in pages if p.ocr and p.quarters}
    out = []
    for ln in lines:
        p = turned.get(ln.page or 0)
        if p is None or not ln.boxes:
            out.append(ln)
            continue
        size = (p.height, p.width) if p.quarters in (1, 3) else (p.width, p.height)  # the page as it lies
        boxes = tuple(b and tuple(round(v, 1) for v in page_box(b, p.quarters or 0, *size)) for b in ln.boxes)
        out.append(replace(ln, boxes=boxes))
    return out


def read_pdf_lines(path: str | Path, password: str | None = None, cfg: PdfSettings = SETTINGS) -> SourceDocument:
    """Read a PDF report into `SourceLine`s (see the module docstring); `cfg`: the
    reader's thresholds."""
    path = Path(path)
    doc = open_pdf(path, password)
    try:
        import pypdfium2.raw as pdfium_c

        opened = load_pages(path, doc)
        # only pages that draw vector paths can hold ruled tables
        ruled = {n + 1 for n, page in enumerate(opened) if has_paths(page, pdfium_c)}
        pages = read_pages(ruled, opened, cfg)
    finally:
        doc.close()
    warnings = _reading_warnings(path, pages, ocr_pages(path, password, pages))
    content = [_page_content(path, p, password, cfg) for p in pages]
    join_columns(content)
    items: list[tuple[int, float, object, float]] = []
    for p, (lines, mine) in zip(pages, content):
        page_items: list[tuple[float, int, object]] = [(ln.top, 0, ln) for ln in lines]
        for pc in mine:
            for r, (top, cells) in enumerate(pc.rows):
                page_items.append((top, 1, (pc, r, cells)))
        page_items.sort(key=lambda t: (t[0], t[1]))
        items.extend((p.number, top, obj, p.width) for top, _kind, obj in page_items)

    joined = join_paragraphs(items, cfg)

    out = _where_printed(stitch(joined), pages)
    kind = "scan" if any(p.ocr and not p.pictures for p in pages) else "pdf"  # a picture in a text PDF: still a PDF
    return SourceDocument(path=str(path), input_kind=kind, lines=out, pages=len(pages),
                          warnings=warnings, ocr_pages={p.number: p.quarters or 0 for p in pages if p.ocr},
                          ocr_pictures={p.number: (tuple(map(tuple, p.pictures)), bool(p.texts))
                                        for p in pages if p.ocr and p.pictures})
