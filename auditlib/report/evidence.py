"""The evidence on the page: each finding shown where the PDF prints it.

Each finding's place — the cells it compares (the reader keeps every cell's box), or the
sentence or words it quotes, found on its page — is `places.places(report, finding)`.  From it:

* `crops(report, finding)` renders the pages (pypdfium2, ~100 dpi), boxes the place (Pillow)
  and crops around it, the cells' row labels included, as small JPEG data URIs for the
  self-contained HTML report;
* `annotate(result, out)` writes a copy of the PDF with one highlight annotation per finding
  and page over its place, whose note is the finding's message (pikepdf), for auditors who
  work in their PDF reader.

Nothing here changes a finding: it only shows where the reader found what it says.
"""

from __future__ import annotations

import base64
import io
from collections import Counter
from contextlib import ExitStack
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from auditlib.report.places import Place, file_page, page_frame, places, unplaced_reason

DPI = 100
PAD = 14  # points of page kept around the boxed cells
MAX_HEIGHT = 520  # points: a tall sum (a 类 and its 款) is cut to its first cells
COLORS = {"error": (198, 40, 40), "warning": (239, 143, 0), "info": (21, 101, 192)}
LABELS = {"error": "错误", "warning": "警告", "info": "信息"}


def is_pdf(report) -> bool:
    """Whether the document's pages can be shown: a PDF (or a scan, OCR of a PDF) still there; of
    a document in several files, any of them (a text file's findings have no page)."""
    return getattr(report, "input_kind", "") in ("pdf", "scan") and all(Path(p).exists() for p in report.paths)


@lru_cache(maxsize=8)
def _page_image(path: str, page: int, password: str | None = None):
    """One rendered page (PIL image, RGB) and the scale from points to pixels."""
    import pypdfium2 as pdfium

    from auditlib.ingest.pdf_frame import upright

    pdf = pdfium.PdfDocument(path, password=password)
    try:
        pg = pdf[page - 1]
        turn = upright(pg).view_rotation(pg.get_rotation())  # shown as the reader reads it
        img = pg.render(scale=DPI / 72, rotation=turn).to_pil().convert("RGB")
    finally:
        pdf.close()
    return img, DPI / 72


def _labels(report, finding, page: int) -> list[tuple[float, float, float, float]]:
    """Boxes of the row labels of the finding's cells on `page`: the crop shows what the row is."""
    out = []
    for c in finding.cells or []:
        t = report.tables.get(str(c.get("table")))
        box = t.boxes.get((str(c.get("row")), "name")) if t is not None else None
        if box and box[0] == page:
            out.append(tuple(float(v) for v in box[1:]))
    return out


def _cut(box: tuple[float, float, float, float], quarters: int) -> tuple[float, float, float, float]:
    """`box` cut to MAX_HEIGHT down from its top as the page is read: on a page read turned
    anticlockwise by `quarters`, the top of the table is the page's right side (1), its
    bottom (2) or its left side (3)."""
    x0, top, x1, bottom = box
    q = quarters % 4
    if q == 1:
        return max(x0, x1 - MAX_HEIGHT), top, x1, bottom
    if q == 2:
        return x0, max(top, bottom - MAX_HEIGHT), x1, bottom
    if q == 3:
        return x0, top, min(x1, x0 + MAX_HEIGHT), bottom
    return x0, top, x1, min(bottom, top + MAX_HEIGHT)


def crop_jpeg(report, finding, place: Place) -> bytes:
    """A JPEG of the part of the page that holds the place (and the row labels of its cells),
    the place boxed — turned upright where OCR read the page turned (`Report.ocr_pages`: a scan
    laid sideways is shown as the auditor reads the table, not as it lies)."""
    from PIL import ImageDraw

    img, k = _page_image(*file_page(report, place.page)[:2])
    boxes = list(place.boxes)
    every = boxes + (_labels(report, finding, place.page) if place.kind == "cell" else [])
    quarters = report.ocr_pages.get(place.page, 0)
    x0, top, x1, bottom = _cut((min(b[0] for b in every) - PAD, min(b[1] for b in every) - PAD,
                                max(b[2] for b in every) + PAD, max(b[3] for b in every) + PAD), quarters)
    region = (max(0, int(x0 * k)), max(0, int(top * k)), min(img.width, int(x1 * k)),
              min(img.height, int(bottom * k)))
    crop = img.crop(region).copy()
    draw = ImageDraw.Draw(crop)
    color = COLORS.get(finding.severity, COLORS["error"])
    for b in boxes:
        draw.rectangle([b[0] * k - region[0] - 2, b[1] * k - region[1] - 2,
                        b[2] * k - region[0] + 2, b[3] * k - region[1] + 2], outline=color, width=3)
    crop = crop.rotate(90 * quarters, expand=True)  # PIL turns anticlockwise, as OCR did
    buf = io.BytesIO()
    crop.save(buf, format="JPEG", quality=72, optimize=True)
    return buf.getvalue()


def crops(report, finding) -> list[tuple[int, str]]:
    """(page, data URI) for each page of the finding's place; none for a text input or a
    finding without a place."""
    import pypdfium2 as pdfium

    if not is_pdf(report):
        return []
    try:
        return [(place.page, "data:image/jpeg;base64," + base64.b64encode(crop_jpeg(report, finding, place)).decode("ascii"))
                for place in places(report, finding)]
    except pdfium.PdfiumError:  # an encrypted PDF (the password is not kept in the model): no crop
        return []


@dataclass
class Marked:
    """What `annotate` marked: annotations written (one per finding and page), findings marked
    of all findings, and the findings left unmarked counted by why they have no place."""

    annotations: int = 0
    findings: int = 0
    total: int = 0
    unplaced: Counter = field(default_factory=Counter)

    def __str__(self) -> str:
        text = f"{self.total} 条审核发现中 {self.findings} 条已标注（{self.annotations} 处标注）"
        if self.unplaced:
            text += "；其余 {} 条未标注：{}".format(
                sum(self.unplaced.values()), "，".join(f"{n} 条{why}" for why, n in self.unplaced.most_common()))
        return text


def _highlight(pdf, frame, finding, place: Place) -> None:
    """One highlight annotation over the boxes of a place (one quadrilateral each), its note
    the finding's message; boxes are measured from the top left of the page as the reader
    reads it (`frame`: its upright frame, `auditlib.ingest.pdf_frame`), annotations in user space."""
    import pikepdf

    pg = pdf.pages[place.page - 1]
    quads = [frame.user_box(box) for box in place.boxes]
    rect = [min(q[0] for q in quads), min(q[1] for q in quads), max(q[2] for q in quads), max(q[3] for q in quads)]
    annot = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Highlight, Rect=rect,
        QuadPoints=[v for x0, y0, x1, y1 in quads for v in (x0, y1, x1, y1, x0, y0, x1, y0)],
        C=[v / 255 for v in COLORS.get(finding.severity, COLORS["error"])], CA=0.4,
        T=pikepdf.String("auditlib"), NM=pikepdf.String(f"{finding.key}|p{place.page}"),
        Contents=pikepdf.String(f"【{LABELS.get(finding.severity, finding.severity)}】{finding.message}（{finding.id}）"),
        F=4)
    if "/Annots" not in pg.obj:
        pg.obj.Annots = pdf.make_indirect(pikepdf.Array())
    pg.obj.Annots.append(pdf.make_indirect(annot))


def annotate(result, out: str | Path | list, password: str | None = None) -> Marked:
    """Write a copy of the checked PDF with a highlight over the place of every finding that
    has one (one annotation per finding and page), its note the finding's message; of a document
    in several PDF files, `out` lists one copy per file, in their order."""
    import pikepdf

    report = result.report
    outs = list(out) if isinstance(out, (list, tuple)) else [out]
    marked = Marked(total=len(result.findings))
    with ExitStack() as stack:
        pdfs = [stack.enter_context(pikepdf.open(p, password=password or "")) for p in report.paths]
        for f in result.findings:
            found = places(report, f, password)
            if not found:
                marked.unplaced[unplaced_reason(f)] += 1
                continue
            for place in found:
                index, page, _line = report.locate(place.page)
                frame = page_frame(str(report.paths[index or 0]), page, password)
                _highlight(pdfs[index or 0], frame, f, Place(page, place.boxes, place.kind, place.text))
            marked.findings += 1
            marked.annotations += len(found)
        for pdf, path in zip(pdfs, outs):
            pdf.save(str(path))
    return marked
