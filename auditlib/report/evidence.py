"""The evidence on the page: each finding's cells shown where the PDF prints them.

The PDF reader keeps every cell's box (`Table.boxes`, PDF points, origin at the top left of
the page) and each table-rule finding carries the boxes of the cells it compares
(`cells[i]["box"]`, with `page`).  From them:

* `crops(result, finding)` renders the pages (pypdfium2, ~100 dpi), boxes the cells (Pillow)
  and crops around them, row labels included, as small JPEG data URIs for the
  self-contained HTML report;
* `annotate(result, out)` writes a copy of the PDF with a highlight annotation on every
  finding's cells whose note is the finding's message (pikepdf), for auditors who work in
  their PDF reader.

Nothing here changes a finding: it only shows where the reader found the numbers.
"""

from __future__ import annotations

import base64
import io
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

DPI = 100
PAD = 14  # points of page kept around the boxed cells
MAX_HEIGHT = 520  # points: a tall sum (a 类 and its 款) is cut to its first cells
COLORS = {"error": (198, 40, 40), "warning": (239, 143, 0), "info": (21, 101, 192)}
LABELS = {"error": "错误", "warning": "警告", "info": "信息"}


def boxes_by_page(finding) -> dict[int, list[tuple[float, float, float, float]]]:
    """The boxes of the cells a finding compares, by page (cells without a box are left out)."""
    out: dict[int, list] = defaultdict(list)
    for c in finding.cells or []:
        box, page = c.get("box"), c.get("page")
        if box and page:
            out[int(page)].append(tuple(float(v) for v in box[-4:]))
    return dict(out)


def is_pdf(report) -> bool:
    return getattr(report, "input_kind", "") in ("pdf", "scan") and Path(report.path).exists()  # scan: OCR of a PDF


@lru_cache(maxsize=8)
def _page_image(path: str, page: int, password: str | None = None):
    """One rendered page (PIL image, RGB) and the scale from points to pixels."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path, password=password)
    try:
        img = pdf[page - 1].render(scale=DPI / 72).to_pil().convert("RGB")
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


def crop_jpeg(report, finding, page: int, boxes) -> bytes:
    """A JPEG of the part of `page` that holds `boxes` (and their row labels), boxes drawn."""
    from PIL import ImageDraw

    img, k = _page_image(str(report.path), page)
    every = boxes + _labels(report, finding, page)
    x0 = min(b[0] for b in every) - PAD
    top = min(b[1] for b in every) - PAD
    x1 = max(b[2] for b in every) + PAD
    bottom = min(max(b[3] for b in every) + PAD, top + MAX_HEIGHT)
    region = (max(0, int(x0 * k)), max(0, int(top * k)), min(img.width, int(x1 * k)),
              min(img.height, int(bottom * k)))
    crop = img.crop(region).copy()
    draw = ImageDraw.Draw(crop)
    color = COLORS.get(finding.severity, COLORS["error"])
    for b in boxes:
        draw.rectangle([b[0] * k - region[0] - 2, b[1] * k - region[1] - 2,
                        b[2] * k - region[0] + 2, b[3] * k - region[1] + 2], outline=color, width=3)
    buf = io.BytesIO()
    crop.save(buf, format="JPEG", quality=72, optimize=True)
    return buf.getvalue()


def crops(report, finding) -> list[tuple[int, str]]:
    """(page, data URI) for each page on which the finding's cells are printed; none for a
    text input or a finding without cell boxes."""
    import pypdfium2 as pdfium

    if not is_pdf(report):
        return []
    out = []
    for page, boxes in sorted(boxes_by_page(finding).items()):
        try:
            jpeg = crop_jpeg(report, finding, page, boxes)
        except pdfium.PdfiumError:  # an encrypted PDF (the password is not kept in the model): no crop
            return []
        out.append((page, "data:image/jpeg;base64," + base64.b64encode(jpeg).decode("ascii")))
    return out


def annotate(result, out: str | Path, password: str | None = None) -> int:
    """Write a copy of the checked PDF with one highlight annotation per boxed cell of every
    finding, its note the finding's message.  Returns the number of annotations."""
    import pikepdf

    n = 0
    with pikepdf.open(result.report.path, password=password or "") as pdf:
        for f in result.findings:
            for page, boxes in boxes_by_page(f).items():
                pg = pdf.pages[page - 1]
                mb = [float(v) for v in pg.mediabox]
                for x0, top, x1, bottom in boxes:
                    rect = [mb[0] + x0, mb[3] - bottom, mb[0] + x1, mb[3] - top]
                    annot = pikepdf.Dictionary(
                        Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Highlight, Rect=rect,
                        QuadPoints=[rect[0], rect[3], rect[2], rect[3], rect[0], rect[1], rect[2], rect[1]],
                        C=[v / 255 for v in COLORS.get(f.severity, COLORS["error"])], CA=0.4,
                        T=pikepdf.String("auditlib"), NM=pikepdf.String(f"{f.key}@{n}"),
                        Contents=pikepdf.String(f"【{LABELS.get(f.severity, f.severity)}】{f.message}（{f.id}）"),
                        F=4)
                    if "/Annots" not in pg.obj:
                        pg.obj.Annots = pdf.make_indirect(pikepdf.Array())
                    pg.obj.Annots.append(pdf.make_indirect(annot))
                    n += 1
        pdf.save(str(out))
    return n
