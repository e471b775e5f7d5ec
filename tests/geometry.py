"""The same PDF as other tools leave it, made by the tests (no committed PDFs): each page placed
on a new one as a form XObject, scaled to fit (merging and printing tools do this), its placement
written as the form's own /Matrix, turned a quarter as a printer turns a landscape sheet onto a
portrait one (with /Rotate to show it upright, or without: viewed sideways, either way), upside
down, given a /Rotate alone; or a watermark drawn over its text (slanted across the page, or level and translucent);
or some pages pasted in as pictures; pictures that hold no table (a chart, an emblem); a
searchable scan's text hidden over its image by opacity; or its text drawn as outlines (转曲).
"""

from __future__ import annotations

import ctypes
import re
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

PLACINGS = ("scaled", "matrix", "turned", "sideways", "sideways-left", "upside-down", "rotate-only")


def place(pdf: Path, out: Path, how: str) -> Path:
    """Write `pdf` with every page placed as `how` (one of PLACINGS) says."""
    src, new = pdfium.PdfDocument(str(pdf)), pdfium.PdfDocument.new()
    for i in range(len(src)):
        w, h = src[i].get_size()
        form = src.page_as_xobject(i, new).as_pageobject()
        if how in ("scaled", "matrix"):
            form.transform(pdfium.PdfMatrix().scale(0.9, 0.9).translate(0.05 * w, 0.05 * h))
        elif how in ("turned", "sideways"):  # a quarter clockwise onto a sheet of the other shape
            form.transform(pdfium.PdfMatrix().rotate(90).translate(0, w))
            w, h = h, w
        elif how == "sideways-left":  # a quarter counter-clockwise
            form.transform(pdfium.PdfMatrix().rotate(270).translate(h, 0))
            w, h = h, w
        elif how == "upside-down":
            form.transform(pdfium.PdfMatrix().rotate(180).translate(w, h))
        page = new.new_page(w, h)
        page.insert_obj(form)
        page.gen_content()
        page.set_rotation({"turned": 270, "rotate-only": 90}.get(how, 0))
    new.save(str(out))
    if how == "matrix":
        _placement_as_matrix(out)
    return out


def _placement_as_matrix(path: Path) -> None:
    """Move each page's `cm` before its form into the form's /Matrix (how other tools write it)."""
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        for page in pdf.pages:
            data = page.Contents.read_bytes()
            m = re.search(rb"q ([-\d. ]+) cm /(\w+) Do Q", data)
            page.Resources.XObject["/" + m.group(2).decode()].Matrix = pikepdf.Array(
                [float(v) for v in m.group(1).split()])
            page.Contents = pdf.make_stream(data.replace(m.group(0), b"q /" + m.group(2) + b" Do Q"))
        pdf.save(path)


def watermark(pdf: Path, out: Path, text: str, angle: float, opacity: int = 255) -> Path:
    """Write `pdf` with `text` (Latin, digits) drawn three times down every page at `angle`
    degrees (counter-clockwise), grey, of fill opacity `opacity` (0–255), over the tables."""
    doc = pdfium.PdfDocument(str(pdf))
    for i in range(len(doc)):
        page = doc[i]
        w, h = page.get_size()
        for row in range(3):
            obj = pdfium_c.FPDFPageObj_NewTextObj(doc.raw, b"Helvetica", 28.0)
            chars = ctypes.create_string_buffer((text + "\x00").encode("utf-16-le"))
            pdfium_c.FPDFText_SetText(obj, ctypes.cast(chars, ctypes.POINTER(pdfium_c.FPDF_WCHAR)))
            pdfium_c.FPDFPageObj_SetFillColor(obj, 160, 160, 160, opacity)
            mark = pdfium.PdfObject(obj)
            mark.transform(pdfium.PdfMatrix().rotate(angle, ccw=True).translate(w * 0.15, h * (0.2 + 0.3 * row)))
            page.insert_obj(mark)
        page.gen_content()
    doc.save(str(out))
    return out


def pasted(pdf: Path, out: Path, pages: set[int], dpi: int = 150) -> Path:
    """Write `pdf` with `pages` (1-based) as a word processor leaves a table pasted in as a
    picture: the page's image (at `dpi`), and its page number drawn as text below."""
    src, new = pdfium.PdfDocument(str(pdf)), pdfium.PdfDocument.new()
    for i in range(len(src)):
        if i + 1 not in pages:
            new.import_pages(src, [i])
            continue
        w, h = src[i].get_size()
        page = new.new_page(w, h)
        image = pdfium.PdfImage.new(new)
        image.set_bitmap(pdfium.PdfBitmap.from_pil(src[i].render(scale=dpi / 72).to_pil().convert("RGB")))
        image.set_matrix(pdfium.PdfMatrix().scale(w, h))
        page.insert_obj(image)
        number = pdfium_c.FPDFPageObj_NewTextObj(new.raw, b"Helvetica", 9.0)
        chars = ctypes.create_string_buffer(f"- {i + 1} -\x00".encode("utf-16-le"))
        pdfium_c.FPDFText_SetText(number, ctypes.cast(chars, ctypes.POINTER(pdfium_c.FPDF_WCHAR)))
        text = pdfium.PdfObject(number)
        text.transform(pdfium.PdfMatrix().translate(w / 2 - 10, 20))
        page.insert_obj(text)
        page.gen_content()
    new.save(str(out))
    return out


def outline(pdf: Path, out: Path, pages: list[int]) -> Path:
    """Write `pdf`'s `pages` (1-based) with their text drawn as outlines (转曲, as print shops
    and some publishing tools leave a PDF): each character its glyph's outline, a filled path
    where it is printed, and the text objects removed (no text layer left)."""
    doc = pdfium.PdfDocument(str(pdf))
    keep = set(pages)
    for i in reversed(range(len(doc))):
        if i + 1 not in keep:
            doc.del_page(i)
    for i in range(len(doc)):
        page = doc[i]
        tp = page.get_textpage()
        glyphs = [_glyph(doc, tp, k) for k in range(tp.count_chars())]
        tp.close()
        for k in reversed(range(pdfium_c.FPDFPage_CountObjects(page.raw))):
            obj = pdfium_c.FPDFPage_GetObject(page.raw, k)
            if pdfium_c.FPDFPageObj_GetType(obj) == pdfium_c.FPDF_PAGEOBJ_TEXT:
                pdfium_c.FPDFPage_RemoveObject(page.raw, obj)
                pdfium_c.FPDFPageObj_Destroy(obj)
        for path in glyphs:
            if path is not None:
                pdfium_c.FPDFPage_InsertObject(page.raw, path)
        page.gen_content()
    doc.save(str(out))
    return out


def _glyph(doc, tp, k: int):
    """Character `k` of the text page `tp` as a filled path object (None for a space): its
    font's glyph at its size, through the character's matrix, at its origin."""
    code = pdfium_c.FPDFText_GetUnicode(tp.raw, k)
    if chr(code).isspace() or pdfium_c.FPDFText_IsGenerated(tp.raw, k):
        return None
    obj = pdfium_c.FPDFText_GetTextObject(tp.raw, k)
    size, m = ctypes.c_float(), pdfium_c.FS_MATRIX()
    pdfium_c.FPDFTextObj_GetFontSize(obj, size)
    pdfium_c.FPDFText_GetMatrix(tp.raw, k, m)
    ox, oy = ctypes.c_double(), ctypes.c_double()
    pdfium_c.FPDFText_GetCharOrigin(tp.raw, k, ox, oy)
    glyph = pdfium_c.FPDFFont_GetGlyphPath(pdfium_c.FPDFTextObj_GetFont(obj), code, size.value)
    if not glyph:
        return None
    x, y = ctypes.c_float(), ctypes.c_float()

    def at(seg) -> tuple[float, float]:
        pdfium_c.FPDFPathSegment_GetPoint(seg, x, y)  # in ems: PDFium hints the glyph at `size` only
        gx, gy = x.value * size.value, y.value * size.value
        return m.a * gx + m.c * gy + ox.value, m.b * gx + m.d * gy + oy.value

    path = pdfium_c.FPDFPageObj_CreateNewPath(*at(pdfium_c.FPDFGlyphPath_GetGlyphPathSegment(glyph, 0)))
    segs = [pdfium_c.FPDFGlyphPath_GetGlyphPathSegment(glyph, j)
            for j in range(1, pdfium_c.FPDFGlyphPath_CountGlyphSegments(glyph))]
    curve: list[float] = []
    for seg in segs:
        kind = pdfium_c.FPDFPathSegment_GetType(seg)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
            pdfium_c.FPDFPath_MoveTo(path, *at(seg))
        elif kind == pdfium_c.FPDF_SEGMENT_LINETO:
            pdfium_c.FPDFPath_LineTo(path, *at(seg))
        else:
            curve += at(seg)
            if len(curve) == 6:
                pdfium_c.FPDFPath_BezierTo(path, *curve)
                curve = []
        if pdfium_c.FPDFPathSegment_GetClose(seg):
            pdfium_c.FPDFPath_Close(path)
    pdfium_c.FPDFPageObj_SetFillColor(path, 0, 0, 0, 255)
    pdfium_c.FPDFPath_SetDrawMode(path, pdfium_c.FPDF_FILLMODE_WINDING, False)
    return path


def _chart(size: tuple[int, int]):
    """A bar chart (PIL image) labelled with figures, as reports paste beside their narrative."""
    from PIL import Image, ImageDraw, ImageFont

    im = Image.new("RGB", size, "white")
    draw, font = ImageDraw.Draw(im), ImageFont.load_default(size=size[1] // 18)
    base, step = size[1] * 0.85, size[0] // 4
    for k, (label, value) in enumerate([("2019", 0.45), ("2020", 0.7), ("2021", 0.6)]):
        x = step * k + step // 2
        draw.rectangle((x, base - value * size[1] * 0.7, x + step // 2, base), fill=(60, 110, 200))
        draw.text((x, base + 8), label, fill="black", font=font)
        draw.text((x, base - value * size[1] * 0.7 - size[1] // 12), f"{value * 5000:.2f}", fill="black", font=font)
    return im


def _emblem(size: tuple[int, int]):
    """A round emblem (PIL image), as a cover prints above the department's name."""
    from PIL import Image, ImageDraw

    im = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(im)
    draw.ellipse((10, 10, size[0] - 10, size[1] - 10), fill=(200, 30, 30))
    draw.regular_polygon((size[0] / 2, size[1] / 2, size[0] / 3), 5, fill=(250, 220, 0))
    return im


def illustrated(pdf: Path, out: Path, pictures: dict[int, tuple[str, tuple[float, float, float, float]]]) -> Path:
    """Write `pdf` with a picture that holds no table drawn where its page has no text: page
    number → ("chart" or "emblem", (left, bottom, width, height) in points)."""
    doc = pdfium.PdfDocument(str(pdf))
    for number, (kind, (x, y, w, h)) in pictures.items():
        page = doc[number - 1]
        image = pdfium.PdfImage.new(doc)
        drawn = (_chart if kind == "chart" else _emblem)((int(w * 2), int(h * 2)))
        image.set_bitmap(pdfium.PdfBitmap.from_pil(drawn))
        image.set_matrix(pdfium.PdfMatrix().scale(w, h).translate(x, y))
        page.insert_obj(image)
        page.gen_content()
    doc.save(str(out))
    return out


def invisible(pdf: Path, out: Path, pages: set[int], dpi: int = 100) -> Path:
    """Write `pdf` with `pages` (1-based) as a searchable scan whose OCR tool hides its text by
    opacity: the page's image, and over it the page drawn at fill and stroke opacity 0."""
    src = pdfium.PdfDocument(str(pdf))
    images = {n: src[n - 1].render(scale=dpi / 72).to_pil().convert("RGB") for n in pages}
    with pikepdf.open(pdf) as doc:
        for n, image in images.items():
            page = doc.pages[n - 1]
            state = pikepdf.Dictionary(Type=pikepdf.Name.ExtGState, ca=0, CA=0)
            hidden = page.add_resource(state, pikepdf.Name.ExtGState)
            picture = pikepdf.Stream(doc, image.tobytes(), Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Image,
                                     Width=image.width, Height=image.height, BitsPerComponent=8,
                                     ColorSpace=pikepdf.Name.DeviceRGB)
            scan = page.add_resource(picture, pikepdf.Name.XObject)
            w, h = (float(v) for v in page.mediabox[2:])
            page.contents_add(doc.make_stream(f"q {w} 0 0 {h} 0 0 cm {scan} Do Q q {hidden} gs\n".encode()), prepend=True)
            page.contents_add(doc.make_stream(b"\nQ"))
        doc.save(out)
    return out
