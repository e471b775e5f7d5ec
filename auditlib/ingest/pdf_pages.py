"""The PDF's pages as PDFium holds them: opening the file (one line naming what is
wrong with a bad one, `pdf_guard` before any page is loaded), the text layer read character by character into runs, the
ruling lines of pages that draw paths, and OCR for pages that are only an image, whose text layer does
not map to Unicode, or whose content is not what they print (`pdf_unmapped`: a scan's invisible OCR layer,
text drawn as outlines)."""

from __future__ import annotations

from operator import itemgetter
from pathlib import Path

from auditlib.errors import InputError
from auditlib.ingest.grid import page_grids
from auditlib.ingest.grid_paths import page_objects, page_rules
from auditlib.ingest.pdf_frame import Frame, upright_text
from auditlib.ingest.pdf_marks import Marks
from auditlib.ingest.pdf_guard import guard
from auditlib.ingest.pdf_pictures import merged, pictures, tables_pictured
from auditlib.ingest.pdf_text import SETTINGS, Page, PdfSettings, Seg
from auditlib.ingest.pdf_unmapped import hidden_layer, outlined, unmapped


def open_pdf(path: Path, password: str | None):
    import pypdfium2 as pdfium

    try:
        with path.open("rb") as fh:
            head = fh.read(1024)
            size = fh.seek(0, 2)
            fh.seek(max(0, size - 4096))
            tail = fh.read()
    except OSError as exc:
        raise InputError(path, f"无法读取文件（cannot read file: {exc.strerror}）") from None
    if size == 0:
        raise InputError(path, "空文件（empty file）")
    if b"%PDF-" not in head:
        raise InputError(path, "不是 PDF 文件（not a PDF file: no %PDF- header）")
    if b"%%EOF" not in tail:
        raise InputError(path, "PDF 文件不完整或已损坏（truncated or corrupt PDF: no %%EOF end marker）")
    try:
        doc = pdfium.PdfDocument(str(path), password=password)
    except pdfium.PdfiumError as exc:
        msg = str(exc)
        if "password" in msg.lower() and not _declares_encryption(path):
            msg = "unknown"  # PDFium's last error, left over from an encrypted file read before: not this file's
        if "password" in msg.lower():
            if password is None:
                raise InputError(path, "PDF 已加密，需要密码（encrypted PDF: a password is required）") from None
            raise InputError(path, "PDF 已加密，密码错误（encrypted PDF: wrong password）") from None
        detail = msg.split("(PDFium:")[-1].strip(" .)") if "PDFium" in msg else msg
        if detail.lower() == "success":  # PDFium's word for a document with an empty page tree
            raise InputError(path, "PDF 没有页面（PDF has no pages）") from None
        raise InputError(path, f"PDF 已损坏，无法解析（corrupt PDF: cannot be parsed: {detail}）") from None
    try:
        if len(doc) == 0:
            raise InputError(path, "PDF 没有页面（PDF has no pages）")
        guard(path, password, len(doc))
    except InputError:
        doc.close()
        raise
    return doc


def load_pages(path: Path, doc) -> list:
    """Every page of `doc`, loaded; one PDFium cannot load (a page tree that loops, a damaged
    page object) is an InputError naming it."""
    import pypdfium2 as pdfium

    pages = []
    for i in range(len(doc)):
        try:
            pages.append(doc[i])
        except pdfium.PdfiumError:
            for page in pages:
                page.close()
            raise InputError(path, f"PDF 已损坏：第 {i + 1} 页无法载入（corrupt PDF: page {i + 1} cannot be loaded）") from None
    return pages


def _count_objects(page, pdfium_c) -> tuple[int, int]:
    """(vector paths, images) drawn on a page, form XObjects included."""
    kinds = [kind for kind, _obj, _outer in page_objects(page)]
    return kinds.count(pdfium_c.FPDF_PAGEOBJ_PATH), kinds.count(pdfium_c.FPDF_PAGEOBJ_IMAGE)


def char_codes(raw, pdfium_c) -> list[int]:
    """The code of every character of a text page: one call for the whole page, or
    one per character where the page holds characters outside the BMP (their
    UTF-16 surrogate pairs would shift the indices)."""
    import ctypes

    n = pdfium_c.FPDFText_CountChars(raw)
    buf = ctypes.create_string_buffer(4 * (n + 1))  # room for surrogate pairs, so a shift shows
    got = pdfium_c.FPDFText_GetText(raw, 0, n, ctypes.cast(buf, ctypes.POINTER(ctypes.c_ushort)))
    codes = list(memoryview(buf.raw[:2 * max(got - 1, 0)]).cast("H"))
    if len(codes) != n:
        codes = [pdfium_c.FPDFText_GetUnicode(raw, k) for k in range(n)]
    return codes


def _clip_box(obj, pdfium_c) -> tuple[float, float, float, float] | None:
    """The bounding box (page space: left, bottom, right, top) of the region a text
    object's clip path lets through, None when it is not clipped."""
    import ctypes

    clip = pdfium_c.FPDFPageObj_GetClipPath(obj)
    if not clip:
        return None
    x, y = ctypes.c_float(), ctypes.c_float()
    box = None
    for i in range(pdfium_c.FPDFClipPath_CountPaths(clip)):
        pts = []
        for j in range(pdfium_c.FPDFClipPath_CountPathSegments(clip, i)):
            if pdfium_c.FPDFPathSegment_GetPoint(pdfium_c.FPDFClipPath_GetPathSegment(clip, i, j), x, y):
                pts.append((x.value, y.value))
        if not pts:
            continue
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        one = (min(xs), min(ys), max(xs), max(ys))
        box = one if box is None else (max(box[0], one[0]), max(box[1], one[1]), min(box[2], one[2]), min(box[3], one[3]))
    return box


def _overlapping(boxes: list[tuple[float, float, float, float]]) -> bool:
    """Whether two characters are drawn over each other (left, right, bottom, top
    boxes): text printed over text, one of them hidden by a clip."""
    ordered = sorted(boxes, key=itemgetter(2, 0))  # by baseline, then left to right
    for (l1, r1, b1, t1), (l2, r2, b2, t2) in zip(ordered, ordered[1:]):
        width = min(r1 - l1, r2 - l2)
        if min(r1, r2) - max(l1, l2) > 0.5 * width and min(t1, t2) - max(b1, b2) > 0.5 * min(t1 - b1, t2 - b2):
            return True
    return False


def _clipped(raw, indices: list[int], boxes: list[tuple[float, float, float, float]], frame: Frame,
             pdfium_c) -> set[int]:
    """The characters (text page indices) whose centre lies outside the clip of their
    text object: a cell's text cut at its border, a caption repeated over print-title
    columns.  Asked only of a page where text overlaps text (`_overlapping`): every
    object's clip costs a dozen calls, and elsewhere nothing is hidden."""
    import ctypes

    clips: dict[int, tuple[float, float, float, float] | None] = {}
    out = set()
    for k, (l, r, b, t) in zip(indices, boxes):
        obj = pdfium_c.FPDFText_GetTextObject(raw, k)
        key = ctypes.cast(obj, ctypes.c_void_p).value or 0
        if key not in clips:
            clip = _clip_box(obj, pdfium_c) if key else None
            clips[key] = None if clip is None else frame.box(clip)
        box, x, y = clips[key], (l + r) / 2, (b + t) / 2
        if box is not None and not (box[0] - 0.5 <= x <= box[2] + 0.5 and box[1] - 0.5 <= y <= box[3] + 0.5):
            out.add(k)
    return out


def _char_stream(raw, frame: Frame, codes: list[int], marks: Marks | None,
                 pdfium_c) -> list[tuple[int, int, tuple[float, float, float, float] | None]]:
    """Each character of a text page as (index, code, box in the upright frame): the box None
    for a space or a line break, for a character drawn off the page (outside the crop box), and
    for a watermark's (`Marks`: read as a space)."""
    import ctypes

    cx0, cy0, cx1, cy1 = frame.crop
    turned = bool(frame.degrees)
    get_box = pdfium_c.FPDFText_GetCharBox
    cl, cr, cb, ct = (ctypes.c_double() for _ in range(4))
    refs = (ctypes.byref(cl), ctypes.byref(cr), ctypes.byref(cb), ctypes.byref(ct))
    stream: list[tuple[int, int, tuple[float, float, float, float] | None]] = []  # (index, code, box)
    for k, code in enumerate(codes):
        if code in (10, 13, 0xFFFE, 0xFFFF, 32, 9, 0xA0, 0x3000):
            stream.append((k, code, None))
            continue
        if marks is not None and marks.watermark(k):
            stream.append((k, 32, None))
            continue
        get_box(raw, k, *refs)
        l, b, r, t = frame.box((cl.value, cb.value, cr.value, ct.value)) if turned else (cl.value, cb.value, cr.value, ct.value)
        on_page = r > l and cx0 <= (l + r) / 2 <= cx1 and cy0 <= (b + t) / 2 <= cy1
        stream.append((k, code, (l, r, b, t) if on_page else None))
    return stream


def _text_runs(textpage, frame: Frame, codes: list[int], marks: Marks | None = None,
               cfg: PdfSettings = SETTINGS) -> list[Seg]:
    """The text layer as runs of characters that touch on one line, read char by
    char in one pass (PDFium's own runs are per glyph in WPS files, and asking
    for each run's text separately costs more than reading the characters).
    Only printed characters are read: not those drawn off the page (`crop`: its
    crop box; a spreadsheet printed across pages draws each page's neighbours' text
    there), nor those hidden by a clip (`_clipped`)."""
    import pypdfium2.raw as pdfium_c

    cx0, _cy0, _cx1, cy1 = frame.crop
    raw = textpage.raw
    stream = _char_stream(raw, frame, codes, marks, pdfium_c)
    drawn = [box for _k, _code, box in stream if box is not None]
    hidden = _clipped(raw, [k for k, _code, box in stream if box is not None], drawn, frame, pdfium_c) \
        if _overlapping(drawn) else set()
    runs: list[list] = []  # [left, bottom, right, top, chars]
    cur: list | None = None
    pending_space = False
    for k, code, box in stream:
        if code in (10, 13, 0xFFFE, 0xFFFF):
            cur, pending_space = None, False
            continue
        if box is None or k in hidden:  # a space, or a character not printed
            pending_space = cur is not None
            continue
        l, r, b, t = box
        if cur is not None:
            pb, pr, pt = cur[1], cur[2], cur[3]
            lo, hi = (b if b > pb else pb), (t if t < pt else pt)
            h1, h2 = t - b, pt - pb
            small = h1 if h1 < h2 else h2
            big = h1 if h1 > h2 else h2
            big = big if big > 1.0 else 1.0
            gap = l - pr
            widest = cfg.run_gap_after_space if pending_space else cfg.run_gap[1]
            if hi - lo >= cfg.run_overlap * (small if small > 1.0 else 1.0) and cfg.run_gap[0] * big <= gap <= widest * big:
                cur[1], cur[2], cur[3] = (b if b < pb else pb), (r if r > pr else pr), (t if t > pt else pt)
                if pending_space:
                    cur[4].append(" ")
                    cur[5].append((pr + l) / 2 - cx0)
                cur[4].append(chr(code))
                cur[5].append((l + r) / 2 - cx0)
                pending_space = False
                continue
        cur = [l, b, r, t, [chr(code)], [(l + r) / 2 - cx0]]
        pending_space = False
        runs.append(cur)
    return [Seg(l - cx0, r - cx0, cy1 - t, cy1 - b, "".join(chars), tuple(xs)) for l, b, r, t, chars, xs in runs]


def has_paths(page, pdfium_c) -> bool:
    """Whether a page draws any vector path (a ruled table needs them)."""
    raw = page.raw
    for k in range(pdfium_c.FPDFPage_CountObjects(raw)):
        kind = pdfium_c.FPDFPageObj_GetType(pdfium_c.FPDFPage_GetObject(raw, k))
        if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            return True
        if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            return _count_objects(page, pdfium_c)[0] > 0
    return False


def _text_layer(page, info: Page, cfg: PdfSettings, pdfium_c) -> Frame | None:
    """Read a page's text layer into `info` (its character count, whether it maps to Unicode,
    its runs and its size as its text reads); the page's upright frame, None when there is no
    text to read."""
    frame, tp = upright_text(page)
    try:
        info.chars = tp.count_chars()
        codes = char_codes(tp.raw, pdfium_c)
        info.unmapped = unmapped(tp.raw, codes, pdfium_c)
        info.unprinted = "layer" if not info.unmapped and hidden_layer(tp.raw, codes, pdfium_c) else ""
        if not info.chars or info.unmapped or info.unprinted:
            return None
        info.width, info.height = frame.size
        info.segs = _text_runs(tp, frame, codes, Marks(tp.raw, pdfium_c, codes, frame.degrees), cfg)
        return frame
    finally:
        tp.close()


def _no_text_read(page, info: Page, pdfium_c) -> None:
    """What a page with no text layer to read draws (`info`): paths and images (a scan), text
    drawn as outlines (转曲); an invisible text layer over nothing prints nothing."""
    info.paths, info.images = _count_objects(page, pdfium_c)
    if info.unprinted == "layer" and not info.images:
        info.unprinted, info.chars = "", 0
    elif not info.chars and not info.images and outlined(info.paths):
        info.unprinted = "outlines"


def read_pages(ruled: set[int], opened: list, cfg: PdfSettings = SETTINGS) -> list[Page]:
    """Text runs, grids and object counts of every page (`opened`: the loaded pages,
    closed here), each in its upright frame (`pdf_frame`); pages that are only an image (a
    scan), those whose text layer does not map to Unicode (their runs would be garbage) or is
    not what they print, and the pictures of tables on text pages are left for `ocr_pages`."""
    import pypdfium2.raw as pdfium_c

    pages: list[Page] = []
    for i, page in enumerate(opened):
        try:
            info = Page(i + 1, *page.get_size())
            pages.append(info)
            shown = page.get_rotation()
            frame = _text_layer(page, info, cfg, pdfium_c)
            if frame is None:
                _no_text_read(page, info, pdfium_c)
                continue
            if not frame.view_rotation(shown):  # OCR reads the page as shown: the text's frame
                info.pictures = pictures(page, frame, info.segs)
            if i + 1 in ruled:
                info.paths = 1
                grids = page_grids(info.number, page_rules(page, frame), columns=1)
                info.grids = [g for g in grids if len(g.xs) > 2]
                info.narrow = [g for g in grids if len(g.xs) == 2]
        finally:
            page.close()
    return pages


# how the OCR fails when it cannot be loaded (a wheel, a model file, a shared library missing)
# or its runtime gives up: pages whose text layer does not map then stay unread, with why;
# anything else is a bug and propagates, as does every failure on a scan (nothing else to read)
OCR_FAILURES = (ImportError, OSError, RuntimeError)


def ocr_pages(path: Path, password: str | None, pages: list[Page]) -> str | None:
    """Fill from OCR the runs and grids of the pages that are only an image, of those whose
    text layer does not map to Unicode (`Page.unmapped`) and of those whose content is not what
    they print (`Page.unprinted`), with a progress bar on a terminal (tqdm disables itself
    elsewhere).  Where the OCR fails (`OCR_FAILURES`) on such pages alone (a scan apart), they
    are left empty (their garbage is never read) and the failure is returned;
    None when the OCR ran or was not needed."""
    scanned = [p for p in pages if p.unmapped or p.unprinted or p.pictures or (not p.chars and p.images)]
    if not scanned:
        return None
    try:
        _ocr(path, password, scanned)
    except OCR_FAILURES as exc:
        if not all(p.unmapped or p.unprinted or p.pictures for p in scanned):
            raise
        for info in scanned:  # a pictured page keeps its text layer
            if info.unmapped or info.unprinted:
                info.chars, info.segs, info.grids, info.ocr = 0, [], [], False
        return f"{type(exc).__name__}: {exc}"
    return None


def _ocr(path: Path, password: str | None, scanned: list[Page]) -> None:
    from tqdm import tqdm

    from auditlib.ingest import ocr

    with tqdm(total=len(scanned), desc="OCR", unit="page", disable=None, leave=False) as progress:
        for info, read in zip(scanned, ocr.read_pages(path, password, [p.number for p in scanned])):
            runs = [Seg(r.x0, r.x1, r.top, r.bottom, r.text, r.xs, r.score) for r in read.runs]
            if info.pictures and not tables_pictured(info, read):  # an emblem, a chart, a photo
                progress.update()
                continue
            if info.pictures and read.quarters == 0:
                info.segs, info.grids = merged(info, runs, read.grids)
                info.ocr = True
                progress.update()
                continue
            info.pictures = []  # a page OCR turned is read from its image alone
            info.grids, info.ocr, info.quarters = read.grids, True, read.quarters
            if read.quarters in (1, 3):  # read sideways: the upright page is as wide as the scan is tall
                info.width, info.height = info.height, info.width
            info.segs = runs
            info.chars = sum(len(r.text) for r in read.runs)
            progress.update()


def _declares_encryption(path: Path) -> bool:
    """Whether the file's trailer (or its cross-reference stream) names an /Encrypt
    dictionary, in its last megabyte: PDFium reports the last error of the process, and a
    file that fails to load for another reason after an encrypted one did is no encrypted file."""
    with path.open("rb") as fh:
        fh.seek(max(0, fh.seek(0, 2) - (1 << 20)))
        return b"/Encrypt" in fh.read()
