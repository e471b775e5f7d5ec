"""Scanned renderings of the PDF fixtures, made by the tests (no committed images).

A scan is each page rasterized at 150 dpi in grayscale, turned by a small angle (a
sheet laid crookedly on the scanner), with sensor noise added, and saved as an
image-only PDF: no text layer, nothing for a text reader to find.  A page may be
laid sideways or upside down besides (`turn`): a landscape table scanned in
portrait, its image turned by a quarter and no /Rotate to set it right.

A searchable scan (`searchable`) is the image under an invisible text layer, as OCR software
(Acrobat, ABBYY, WPS) leaves one: the original's characters where it prints them, or with a few
figures misread.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image


def scan(pdf: Path, out: Path, *, dpi: int = 150, angle: float = 0.4, noise: float = 6.0, seed: int = 0,
         pages: list[int] | None = None, turn: dict[int, int] | None = None) -> Path:
    """Write an image-only PDF of `pdf` (1-based `pages`, default all) to `out`; `turn`: the
    pages (1-based, of `pdf`) whose image is turned, by 90, 180 or 270 degrees
    anticlockwise (the page then takes the turned image's shape)."""
    rng = np.random.default_rng(seed)
    doc = pdfium.PdfDocument(str(pdf))
    images = []
    try:
        for n in pages or range(1, len(doc) + 1):
            page = doc[n - 1]
            img = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
            page.close()
            img = img.rotate(angle * (1 if n % 2 else -1), resample=Image.BILINEAR, fillcolor=255)
            if (turn or {}).get(n, 0) % 360:
                img = img.rotate(turn[n], expand=True)  # by quarters: exact, nothing resampled
            arr = np.asarray(img, dtype=np.float32) + rng.normal(0, noise, (img.height, img.width))
            images.append(Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "L"))
    finally:
        doc.close()
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=dpi)
    return out


CJK_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")  # fonts-noto-cjk, where installed


def searchable(pdf: Path, out: Path, pages: list[int], *, dpi: int = 150, noise: float = 6.0, seed: int = 0,
               misread: dict[int, list[tuple[str, str]]] | None = None) -> Path:
    """Write `pdf`'s `pages` (1-based) as OCR software leaves a scan: each page an image (level, as
    such software deskews it, with sensor noise) under an invisible text layer (render mode 3)
    with each character where the original prints it, in a CJK font (`CJK_FONT`).  `misread`:
    per page, figures the layer reads wrong ("620.66" → "628.66"), as an OCR misreads a digit."""
    import ctypes

    import pypdfium2.raw as pdfium_c

    rng = np.random.default_rng(seed)
    src, new = pdfium.PdfDocument(str(pdf)), pdfium.PdfDocument.new()
    data = CJK_FONT.read_bytes()
    font = pdfium_c.FPDFText_LoadFont(new.raw, (ctypes.c_uint8 * len(data)).from_buffer_copy(data), len(data),
                                      pdfium_c.FPDF_FONT_TRUETYPE, True)
    layers = []
    for n in pages:
        page = src[n - 1]
        w, h = page.get_size()
        img = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
        arr = np.asarray(img, dtype=np.float32) + rng.normal(0, noise, (img.height, img.width))
        image = pdfium.PdfImage.new(new)
        image.set_bitmap(pdfium.PdfBitmap.from_pil(Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "L")))
        image.set_matrix(pdfium.PdfMatrix().scale(w, h))
        target = new.new_page(w, h)
        target.insert_obj(image)
        layers.append(_invisible_layer(page, target, new, font, dict((misread or {}).get(n, []))))
        target.gen_content()
        page.close()
    new.save(str(out))
    src.close()
    _tounicode(out, layers)
    return out


def _invisible_layer(page, target, doc, font, misread: dict[str, str]) -> str:
    """Draw `page`'s characters invisibly on `target` in `font`, each at its origin and size;
    the text drawn, in order (a figure of `misread` drawn as its misreading)."""
    import ctypes

    import pypdfium2.raw as pdfium_c

    tp = page.get_textpage()
    text = tp.get_text_range()
    chars = list(text)
    for figure, wrong in misread.items():
        at = text.index(figure)
        chars[at:at + len(figure)] = wrong
    x, y = ctypes.c_double(), ctypes.c_double()
    drawn = []
    for k, ch in enumerate(chars):
        if ch.isspace() or pdfium_c.FPDFText_IsGenerated(tp.raw, k):
            continue
        pdfium_c.FPDFText_GetCharOrigin(tp.raw, k, x, y)
        obj = pdfium_c.FPDFPageObj_CreateTextObj(doc.raw, font, pdfium_c.FPDFText_GetFontSize(tp.raw, k))
        buf = ctypes.create_string_buffer((ch + "\x00").encode("utf-16-le"))
        pdfium_c.FPDFText_SetText(obj, ctypes.cast(buf, ctypes.POINTER(pdfium_c.FPDF_WCHAR)))
        pdfium_c.FPDFTextObj_SetTextRenderMode(obj, pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE)
        mark = pdfium.PdfObject(obj)
        mark.transform(pdfium.PdfMatrix().translate(x.value, y.value))
        target.insert_obj(mark)
        drawn.append(ch)
    tp.close()
    return "".join(drawn)


def _font_codes(cmap: str) -> dict[str, str]:
    """Character → code (hex) of the layer's font, from the ToUnicode map PDFium wrote for it:
    where that map gives a glyph a compatibility form or a radical (行 as U+FA08, 金 as ⾦), the
    character it stands for (NFKC) is given that glyph too."""
    import unicodedata

    pairs: list[tuple[int, str]] = []
    for body in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
        pairs += [(int(c, 16), u) for c, u in re.findall(r"<([0-9A-F]+)>\s*<([0-9A-F]+)>", body)]
    for body in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
        for a, _b, many in re.findall(r"<([0-9A-F]+)>\s*<([0-9A-F]+)>\s*\[([^\]]*)\]", body):
            pairs += [(int(a, 16) + i, u) for i, u in enumerate(re.findall(r"<([0-9A-F]+)>", many))]
        for a, b, first in re.findall(r"^<([0-9A-F]+)> <([0-9A-F]+)> <([0-9A-F]{4})>$", body, re.M):
            pairs += [(int(a, 16) + i, f"{int(first, 16) + i:04X}") for i in range(int(b, 16) - int(a, 16) + 1)]
    out: dict[str, str] = {}
    for code, uni in pairs:
        if len(uni) == 4:
            out.setdefault(chr(int(uni, 16)), f"{code:04X}")
    for ch, code in list(out.items()):
        out.setdefault(unicodedata.normalize("NFKC", ch), code)
    return out


def _tounicode(path: Path, layers: list[str]) -> None:
    """Draw each character of the layer with its own glyph and map it back to itself: PDFium
    writes a ToUnicode map from the font's own cmap where a glyph shared by two code points
    maps to one of them only, and then draws 六, 度, 老, 金 (read back as another) with one
    glyph (`_font_codes`)."""
    import pikepdf

    with pikepdf.open(path, allow_overwriting_input=True) as out:
        fonts = [f for page in out.pages for f in page.Resources.Font.values()]
        codes = _font_codes(fonts[0].ToUnicode.read_bytes().decode())
        for page, drawn in zip(out.pages, layers):
            chars = iter(drawn)
            page.Contents = out.make_stream(re.sub(rb"\[<([0-9A-F]{4})>\] TJ",
                                                   lambda m: b"[<%s>] TJ" % codes[next(chars)].encode(),
                                                   page.Contents.read_bytes()))
        used = sorted({(codes[ch], ch) for drawn in layers for ch in drawn})
        lines = [f"<{code}> <{ord(ch):04X}>" for code, ch in used]
        chunks = ["%d beginbfchar\n%s\nendbfchar" % (len(part), "\n".join(part))
                  for part in (lines[i:i + 100] for i in range(0, len(lines), 100))]
        cmap = ("/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Layer def /CMapType 2 def\n"
                "1 begincodespacerange <0000> <FFFF> endcodespacerange\n" + "\n".join(chunks) +
                "\nendcmap CMapName currentdict /CMap defineresource pop end end")
        for font in fonts:
            font.ToUnicode = out.make_stream(cmap.encode())
        out.save(path)
