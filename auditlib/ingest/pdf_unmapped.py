"""Text layers that do not map to readable text, and pages whose content is not what they
print (`UNPRINTED`: a scan's invisible OCR layer, text drawn as outlines): read from their image.

A PDF's text layer is only as good as its fonts' maps from glyph codes to Unicode.
Some printers' and converters' 决算 PDFs embed fonts without a /ToUnicode map: the
page prints right, but PDFium can only hand back the glyph codes themselves, and
they read as garbage ("ĚđɁƥŪȲȓģƚ̝˒Ƙ", "&'&&" for 0.00).  Read as text such a page
gives no table at all, and the document was refused as "not a 部门决算"; read from
its image (OCR), as a scan is, it gives its tables back.

A page is told by either of two signs, on its characters other than spaces:

* PDFium itself flags at least `UNMAPPED` of them as having no Unicode mapping
  (FPDFText_HasUnicodeMapError) and hands back a code outside printable ASCII: a CID
  font without /ToUnicode, its glyph ids taken for code points — they may even land
  among the CJK ideographs ("30206 ⬉䌍 235.00" where 30206 电费 is printed);
* fewer than `READABLE` of them are readable: CJK ideographs, ASCII letters and
  digits, the punctuation and symbols Chinese reports print (a simple font's subset
  codes 1, 2, 3 … pass PDFium's map unflagged, as control characters and odd ASCII
  punctuation: "&'&&" for 0.00).

Measured on every page with text of ../shared/corpus (*/doc.pdf, budgets/*/doc.pdf: 13
PDFs) and of tests/fixtures (30 PDFs), 1,096 pages: on every real page the flagged share
is 0.0 and the readable share 1.0, so neither sign comes near a real page (precision
first: a real page read by OCR would trade its exact text for a reading).  The same
pages with every font's /ToUnicode removed (tools/make_unmapped.py `stripped`): the
Chromium renderings' 158 pages (CID fonts: the case met in published 决算) are flagged
on 0.81-1.0 of their characters and readable on at most 0.21, all caught; of the 938
pages of the LibreOffice, WPS, Calc and corpus files 875 are caught.  Of the 63 missed, 60
are simple-font subsets whose codes mostly pass for ASCII (readable 0.51-0.93, flagged
at most 0.20), two print 4 characters (`MIN_CHARS`) and one reads right without its
map; they are read as text, where their garbage matches no table's rows
(tests/test_unmapped.py keeps these measures).
"""

from __future__ import annotations

from collections.abc import Iterable

UNMAPPED = 0.2  # share of characters PDFium finds no Unicode for (codes outside ASCII) from which a page is unmapped
READABLE = 0.5  # share of readable characters below which a page is unmapped
MIN_CHARS = 10  # a page printing fewer characters (besides spaces) says too little to judge
SPACES = frozenset({0, 9, 10, 13, 32, 0xA0, 0x3000, 0xFFFE, 0xFFFF})
# the blocks a Chinese report's characters come from: ASCII letters and digits, CJK
# ideographs (Ext. A, compatibility) and radicals, CJK and full-width punctuation,
# general punctuation, number forms (Ⅰ), arrows and maths, circled numbers (①),
# box drawing, shapes and dingbats (□ ■ ✓), enclosed CJK and units (㈠ ㎡)
_RANGES = ((0x30, 0x39), (0x41, 0x5A), (0x61, 0x7A), (0x2010, 0x2027), (0x2030, 0x203B),
           (0x2150, 0x22FF), (0x2460, 0x24FF), (0x2500, 0x27BF), (0x2E80, 0x2FDF), (0x3000, 0x303F),
           (0x3200, 0x33FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0xFF01, 0xFF5E),
           (0xFFE0, 0xFFE6))
# the ASCII and Latin-1 punctuation and signs reports print: . , ; : % ( ) [ ] < > = + - * / " ' ¥ § ° ± · × ÷
_SIGNS = frozenset(map(ord, ".,;:%()[]<>=+-*/\"'\u00a5\u00a7\u00b0\u00b1\u00b7\u00d7\u00f7"))


def _readable_table() -> bytes:
    """One byte per code of the Basic Multilingual Plane, 1 where it is readable: a page's
    characters are looked up, not compared with every range (every page of every PDF is asked)."""
    table = bytearray(0x10000)
    for lo, hi in _RANGES:
        table[lo:hi + 1] = b"\x01" * (hi + 1 - lo)
    for code in _SIGNS:
        table[code] = 1
    return bytes(table)


_READABLE = _readable_table()


def readable_share(codes: Iterable[int]) -> float | None:
    """The share of readable characters among `codes` (spaces left out); None for none."""
    printed = [c for c in codes if c not in SPACES]
    return sum(_READABLE[c] for c in printed if c < 0x10000) / len(printed) if printed else None


def unmapped_share(raw, codes: list[int], pdfium_c) -> float | None:
    """The share of the text page `raw`'s characters (spaces left out) that PDFium found no
    Unicode for and hands back as a code outside printable ASCII; None for none.  A code in
    ASCII is left out: a symbolic font without a map whose codes are ASCII ("0.00" as 0x30 …)
    prints what it reads, and only PDFium's flag would say otherwise."""
    printed = [k for k, c in enumerate(codes) if c not in SPACES]
    if not printed:
        return None
    flagged = pdfium_c.FPDFText_HasUnicodeMapError  # one call a character: asked outside ASCII only
    return sum(bool(flagged(raw, k)) for k in printed if not 0x21 <= codes[k] <= 0x7E) / len(printed)


def unmapped(raw, codes: list[int], pdfium_c) -> bool:
    """Whether the text page `raw`, whose character codes are `codes` (pdf_pages.char_codes),
    does not map to readable text (see the module docstring)."""
    if sum(c not in SPACES for c in codes) < MIN_CHARS:
        return False
    if (readable_share(codes) or 0.0) < READABLE:
        return True
    return (unmapped_share(raw, codes, pdfium_c) or 0.0) >= UNMAPPED


def page_span(numbers: Iterable[int]) -> str:
    """Page numbers as a reader writes them: "3–5、8"."""
    spans: list[list[int]] = []
    for n in sorted(set(numbers)):
        if spans and n == spans[-1][1] + 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    return "、".join(str(a) if a == b else f"{a}–{b}" for a, b in spans)


def unmapped_note(numbers: Iterable[int], failure: str | None = None) -> str:
    """What a report says of its unmapped pages: read by OCR, or (`failure`: why OCR could
    not run) left unread."""
    head = f"第 {page_span(numbers)} 页文字层无法识别（字体缺少 ToUnicode 映射）"
    if failure is None:
        return head + "，已按图像识别（text layer does not map to Unicode: read by OCR）"
    return head + f"，OCR 无法运行，未能读取（text layer does not map to Unicode, OCR failed: {failure}）"


# Pages whose content is not what they print, read from their image as a scan is:
#
# * "layer": a scan run through OCR software (Acrobat, ABBYY, WPS) carries that software's reading
#   as invisible text (render mode 3) over the image, and the table's ruling lines only in the image.
#   Its text is another OCR's reading, never checked against what is printed: a digit it misread
#   (628.66 for 620.66) would be read as printed, a silent misread.  Our OCR reads the image itself
#   (tests/test_text_layers.py: as it reads the plain scan), and the layer is not read.
# * "outlines": a page whose every glyph is drawn as a filled path (转曲) holds no text and no image;
#   it was read as blank.  A page with no text and at least `OUTLINE_PATHS` paths is read as an image.
UNPRINTED = {
    "layer": ("为扫描件，其隐藏文字层（OCR 软件所加）未采用，已按图像识别",
              "a scan's invisible OCR text layer is not read: read by our OCR",
              "为扫描件，其隐藏文字层（OCR 软件所加）未采用，OCR 无法运行，未能读取",
              "a scan's invisible OCR text layer is not read, and OCR failed"),
    "outlines": ("文字为曲线（无文字层），已按图像识别", "text drawn as outlines, no text layer: read by OCR",
                 "文字为曲线（无文字层），OCR 无法运行，未能读取", "text drawn as outlines, no text layer, OCR failed"),
}
HIDDEN = 0.9  # share of a page's characters drawn invisibly from which it is a scan's OCR layer
SAMPLE = 64  # characters asked for their render mode (evenly spread): every page of every PDF is asked
OUTLINE_PATHS = 200  # paths on a page without text or image from which it is text drawn as outlines


def hidden_layer(raw, codes: list[int], pdfium_c) -> bool:
    """Whether the text page `raw`'s characters (`codes`) are drawn invisibly (render mode 3),
    as an OCR program lays its reading over a scan; asked of `SAMPLE` of them."""
    printed = [k for k, c in enumerate(codes) if c not in SPACES]
    if len(printed) < MIN_CHARS:
        return False
    asked = printed[::max(1, len(printed) // SAMPLE)]
    invisible = pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE
    mode, obj_of = pdfium_c.FPDFTextObj_GetTextRenderMode, pdfium_c.FPDFText_GetTextObject
    return sum(mode(obj_of(raw, k)) == invisible for k in asked) >= HIDDEN * len(asked)


def outlined(paths: int) -> bool:
    """Whether a page without text or image, drawing `paths` vector paths, is text drawn as
    outlines: a glyph is a path, a ruled table's lines a few dozen."""
    return paths >= OUTLINE_PATHS


def unprinted_note(why: str, numbers: Iterable[int], failure: str | None = None) -> str:
    """What a report says of pages read from their image for what their content is not
    (`UNPRINTED`): read by OCR, or (`failure`: why OCR could not run) left unread."""
    read, read_en, failed, failed_en = UNPRINTED[why]
    if failure is None:
        return f"第 {page_span(numbers)} 页{read}（{read_en}）"
    return f"第 {page_span(numbers)} 页{failed}（{failed_en}: {failure}）"
