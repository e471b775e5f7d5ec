"""Bad and odd PDFs made by the tests themselves (nothing hostile is committed)."""

from __future__ import annotations

import os
import random
import re
import zlib
from pathlib import Path

import pikepdf


def cut(src: Path, out: Path, pages: list[int]) -> Path:
    """A PDF of `pages` (1-based) of `src`."""
    import pypdfium2 as pdfium

    doc, new = pdfium.PdfDocument(src), pdfium.PdfDocument.new()
    try:
        new.import_pages(doc, [p - 1 for p in pages])
        new.save(out)
    finally:
        new.close()
        doc.close()
    return out


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


def flipped(src: Path, out: Path, seed: int, count: int = 16) -> Path:
    """`src` with `count` bytes changed at random places (a damaged download, a bad disk)."""
    rng = random.Random(seed)
    data = bytearray(src.read_bytes())
    for _ in range(count):
        data[rng.randrange(len(data))] ^= rng.randrange(1, 256)
    out.write_bytes(bytes(data))
    return out


def _xref_table(data: bytes) -> tuple[int, int]:
    """Where the last classic cross-reference table starts ("xref") and ends ("trailer")."""
    end = data.rindex(b"trailer")
    return data.rindex(b"xref", 0, end), end


def xref_removed(src: Path, out: Path) -> Path:
    """`src` without its cross-reference table (startxref points at nothing useful)."""
    data = src.read_bytes()
    start, end = _xref_table(data)
    out.write_bytes(data[:start] + data[end:])
    return out


def xref_garbled(src: Path, out: Path, seed: int = 0) -> Path:
    """`src` with every offset of its cross-reference table replaced by random digits."""
    rng = random.Random(seed)
    data = src.read_bytes()
    start, end = _xref_table(data)
    table = re.sub(rb"(?m)^\d{10}(?= \d{5} n)", lambda _m: b"%010d" % rng.randrange(len(data)), data[start:end])
    out.write_bytes(data[:start] + table + data[end:])
    return out


def _amended(src: Path, out: Path, objects: dict[int, bytes]) -> Path:
    """`src` with `objects` (number -> dictionary) written in an incremental update, as an editor
    appends a change (the original bytes stay; qpdf would repair a page tree it rewrites)."""
    data = src.read_bytes()
    trailer = data[data.rindex(b"trailer"):]
    root = re.search(rb"/Root\s+(\d+ \d+ R)", trailer).group(1)
    size = max(int(re.search(rb"/Size\s+(\d+)", trailer).group(1)), max(objects) + 1)
    prev = int(re.findall(rb"startxref\s+(\d+)", data)[-1])
    update, xref = bytearray(b"\n"), bytearray(b"xref\n")
    for number, body in sorted(objects.items()):
        xref += b"%d 1\n%010d 00000 n \n" % (number, len(data) + len(update))
        update += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    start = len(data) + len(update)
    out.write_bytes(data + update + xref + b"trailer\n<< /Size %d /Root %s /Prev %d >>\nstartxref\n%d\n%%%%EOF\n"
                    % (size, root, prev, start))
    return out


def _root_pages(src: Path) -> tuple[int, list[bytes]]:
    """The object number of the root Pages node of `src` and its Kids as references."""
    with pikepdf.open(src) as pdf:
        root = pdf.Root.Pages
        return root.objgen[0], [b"%d %d R" % kid.objgen for kid in root.Kids]


def page_tree_loop(src: Path, out: Path, *, through_child: bool) -> Path:
    """`src` whose page tree is a loop: the root Pages node lists itself among its Kids, or
    (`through_child`) a Pages node of its own whose Kids hold the root again."""
    number, kids = _root_pages(src)
    size = int(re.findall(rb"/Size\s+(\d+)", src.read_bytes())[-1])
    if through_child:
        loop = {number: b"<< /Type /Pages /Kids [%s %d 0 R] /Count %d >>" % (b" ".join(kids), size, len(kids) + 1),
                size: b"<< /Type /Pages /Parent %d 0 R /Kids [%d 0 R] /Count 1 >>" % (number, number)}
    else:
        loop = {number: b"<< /Type /Pages /Kids [%s %d 0 R] /Count %d >>" % (b" ".join(kids), number, len(kids) + 1)}
    return _amended(src, out, loop)


def huge_page_count(src: Path, out: Path, count: int = 100_000_000) -> Path:
    """`src` whose page tree declares `count` pages."""
    number, kids = _root_pages(src)
    return _amended(src, out, {number: b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), count)})


def _adler32_combine(a1: int, a2: int, len2: int) -> int:
    """The Adler-32 of two byte strings end to end from theirs (zlib's adler32_combine)."""
    base = 65521
    rem = len2 % base
    s1 = a1 & 0xFFFF
    s2 = (rem * s1) % base
    s1 = (s1 + (a2 & 0xFFFF) + base - 1) % base
    s2 = (s2 + ((a1 >> 16) & 0xFFFF) + ((a2 >> 16) & 0xFFFF) + base - rem) % base
    return s1 | (s2 << 16)


def bomb(byte: bytes, gib: int = 4) -> bytes:
    """A zlib stream of `gib` GiB of `byte`, deflated once more: about 10 KB that inflate twice to
    gigabytes.  Made without holding the gigabytes: after a full flush, deflate writes the same
    block for every MiB of the same byte, and the checksum is combined MiB by MiB."""
    mib = byte * (1 << 20)
    z = zlib.compressobj(9)
    head = z.compress(mib) + z.flush(zlib.Z_FULL_FLUSH)
    block = z.compress(mib) + z.flush(zlib.Z_FULL_FLUSH)
    end = z.flush()[:-4]  # the final empty block, without the checksum
    one, check = zlib.adler32(mib), zlib.adler32(mib)
    for _ in range(gib * 1024 - 1):
        check = _adler32_combine(check, one, len(mib))
    return zlib.compress(head + block * (gib * 1024 - 1) + end + check.to_bytes(4, "big"), 9)


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF of `objects` (object 1 the catalog), with a correct cross-reference table."""
    out, offsets = bytearray(b"%PDF-1.7\n"), []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _stream(attrs: bytes, data: bytes) -> bytes:
    return b"<< %s /Length %d >>\nstream\n" % (attrs, len(data)) + data + b"\nendstream"


def content_bomb(out: Path, gib: int = 4) -> Path:
    """One page whose content stream (FlateDecode twice, ~10 KB) inflates to `gib` GiB of spaces."""
    out.write_bytes(_pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                          b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                          b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
                          _stream(b"/Filter [/FlateDecode /FlateDecode]", bomb(b" ", gib))]))
    return out


def image_bomb(out: Path, gib: int = 4) -> Path:
    """One page that draws one grey image of 65536 x (gib x 16384) pixels (FlateDecode twice,
    ~10 KB, `gib` GiB decoded): a scan, as far as the reader can tell."""
    side = 1 << 16
    out.write_bytes(_pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                          b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                          b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
                          b"/Resources << /XObject << /Im0 5 0 R >> >> >>",
                          _stream(b"", b"q 595 0 0 842 0 0 cm /Im0 Do Q"),
                          _stream(b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
                                  b"/BitsPerComponent 8 /Filter [/FlateDecode /FlateDecode]" % (side, gib * side // 4),
                                  bomb(b"\xff", gib))]))
    return out
