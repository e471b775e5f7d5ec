"""Bad and odd PDFs made by the tests themselves (nothing hostile is committed)."""

from __future__ import annotations

import os
from pathlib import Path

import pikepdf


def truncated(src: Path, out: Path) -> Path:
    data = src.read_bytes()
    out.write_bytes(data[: len(data) // 2])
    return out


def random_bytes(out: Path, size: int = 4096) -> Path:
    out.write_bytes(os.urandom(size))
    return out


def corrupt(out: Path) -> Path:
    out.write_bytes(b"%PDF-1.7\n" + os.urandom(2000) + b"\n%%EOF\n")
    return out


def zero_pages(out: Path) -> Path:
    pdf = pikepdf.new()
    pdf.save(out)
    return out


def image_only(src: Path, out: Path, page: int = 0) -> Path:
    """A scan of one page of `src` (a picture, no text layer)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(src))
    image = doc[page].render(scale=150 / 72).to_pil().convert("RGB")
    doc.close()
    image.save(out, "PDF", resolution=150.0)
    return out


def encrypted(src: Path, out: Path, password: str) -> Path:
    with pikepdf.open(src) as pdf:
        pdf.save(out, encryption=pikepdf.Encryption(user=password, owner=password + "-owner", R=4))
    return out


def text_pdf(out: Path, lines: list[str]) -> Path:
    """A one-page PDF with a real text layer (Helvetica, ASCII): not a report."""
    pdf = pikepdf.new()
    font = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                BaseFont=pikepdf.Name.Helvetica))
    body = "".join(f"BT /F1 14 Tf 72 {720 - 24 * n} Td ({line}) Tj ET\n" for n, line in enumerate(lines))
    page = pikepdf.Dictionary(Type=pikepdf.Name.Page, MediaBox=[0, 0, 612, 792],
                              Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font)),
                              Contents=pdf.make_stream(body.encode("latin-1")))
    pdf.pages.append(pikepdf.Page(page))
    pdf.save(out)
    return out


def many_pages(src: Path, out: Path, pages: int) -> Path:
    """A long PDF: the report's pages repeated up to `pages`."""
    with pikepdf.open(src) as source:
        pdf = pikepdf.new()
        while len(pdf.pages) < pages:
            for page in source.pages:
                if len(pdf.pages) >= pages:
                    break
                pdf.pages.append(page)
        pdf.save(out)
    return out


def blank_scan(out: Path) -> Path:
    """A scanned sheet with nothing written on it: a grey page with a few specks."""
    from PIL import Image, ImageDraw

    image = Image.new("L", (1240, 1754), 235)
    draw = ImageDraw.Draw(image)
    for x, y in ((200, 300), (900, 1200), (640, 1500)):
        draw.ellipse((x, y, x + 6, y + 6), fill=90)
    image.save(out, "PDF", resolution=150.0)
    return out
