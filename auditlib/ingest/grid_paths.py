"""The ruling lines a PDF page draws, from PDFium's path objects: axis-aligned line segments
(stroked lines and thin filled rectangles) merged into one rule per drawn line — the first step
of rebuilding its ruled tables (auditlib.ingest.grid)."""

from __future__ import annotations

import ctypes

import pypdfium2.raw as pdfium_c

from auditlib.ingest.grid import SETTINGS, GridSettings, Rule, merge_rules
from auditlib.ingest.pdf_frame import IDENTITY, Frame, Matrix, apply, compose

def matrix_of(obj) -> Matrix | None:
    """A page object's own matrix (into the space of the page or form holding it)."""
    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, m):
        return None
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _points(obj, frame: Frame, outer: Matrix) -> list[list[tuple[float, float]]]:
    """The subpaths of a path object as point lists in the page's upright frame (curves end
    a subpath); `outer`: the matrix of the forms it is drawn in."""
    own = matrix_of(obj)
    if own is None:
        return []
    m = frame.matrix(compose(own, outer))
    x, y = ctypes.c_float(), ctypes.c_float()
    subpaths: list[list[tuple[float, float]]] = []
    for k in range(pdfium_c.FPDFPath_CountSegments(obj)):
        seg = pdfium_c.FPDFPath_GetPathSegment(obj, k)
        kind = pdfium_c.FPDFPathSegment_GetType(seg)
        pdfium_c.FPDFPathSegment_GetPoint(seg, x, y)
        pt = apply(m, x.value, y.value)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO or not subpaths:
            subpaths.append([pt])
        elif kind == pdfium_c.FPDF_SEGMENT_LINETO:
            subpaths[-1].append(pt)
        else:  # a curve: rules are straight
            subpaths.append([pt])
        if pdfium_c.FPDFPathSegment_GetClose(seg) and len(subpaths[-1]) > 1:
            subpaths[-1].append(subpaths[-1][0])
    return subpaths


def _rules_of(points: list[tuple[float, float]], filled: bool, stroked: bool, s: GridSettings) -> list[Rule]:
    """Rules drawn by one subpath: a thin filled box is one rule (its centre line), a
    stroked outline gives its straight axis-aligned edges."""
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    w, h = max(xs) - min(xs), max(ys) - min(ys)
    if filled and len(points) >= 4 and min(w, h) <= s.thin:
        if w >= s.min_rule and h <= s.thin:
            return [Rule(True, (max(ys) + min(ys)) / 2, min(xs), max(xs))]
        if h >= s.min_rule and w <= s.thin:
            return [Rule(False, (max(xs) + min(xs)) / 2, min(ys), max(ys))]
        return []
    if not stroked:
        return []  # a shaded cell or a glyph drawn as a path
    out = []
    for (ax, ay), (bx, by) in zip(points, points[1:]):
        if abs(ay - by) < 0.5 and abs(ax - bx) >= s.min_rule:
            out.append(Rule(True, (ay + by) / 2, min(ax, bx), max(ax, bx)))
        elif abs(ax - bx) < 0.5 and abs(ay - by) >= s.min_rule:
            out.append(Rule(False, (ax + bx) / 2, min(ay, by), max(ay, by)))
    return out


def page_objects(page, depth: int = 4):
    """(type, handle, outer) of every object a page draws, inside form XObjects too (nested
    up to `depth`); `outer` maps the space it is drawn in onto the page's (the matrices of
    the forms holding it: a page placed on another and scaled to fit draws in a form)."""
    stack = [(page.raw, pdfium_c.FPDFPage_CountObjects, pdfium_c.FPDFPage_GetObject, 0, IDENTITY)]
    while stack:
        handle, count, get, level, outer = stack.pop()
        for k in range(count(handle)):
            obj = get(handle, k)
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind == pdfium_c.FPDF_PAGEOBJ_FORM and level < depth:
                inner = compose(matrix_of(obj) or IDENTITY, outer)
                stack.append((obj, pdfium_c.FPDFFormObj_CountObjects, pdfium_c.FPDFFormObj_GetObject, level + 1, inner))
            else:
                yield kind, obj, outer


def page_rules(page, frame: Frame, s: GridSettings = SETTINGS) -> list[Rule]:
    """Every rule a page draws, in top-down coordinates of its upright frame (y grows
    downwards), form XObjects included."""
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    box = [ctypes.c_float() for _ in range(4)]
    rules: list[Rule] = []
    for kind, obj, outer in page_objects(page):
        if kind != pdfium_c.FPDF_PAGEOBJ_PATH or not pdfium_c.FPDFPath_GetDrawMode(obj, fill, stroke):
            continue
        if not pdfium_c.FPDFPageObj_GetBounds(obj, *box):
            continue
        left, bottom, right, top = frame.box(tuple(v.value for v in box), outer)
        if min(right - left, top - bottom) <= s.thin:  # one line or a thin bar: its bounds say it all
            if right - left >= s.min_rule:
                rules.append(Rule(True, (top + bottom) / 2, left, right))
            elif top - bottom >= s.min_rule:
                rules.append(Rule(False, (left + right) / 2, bottom, top))
            continue
        for pts in _points(obj, frame, outer):  # a stroked outline, or many filled rules drawn as one object
            if len(pts) >= 2:
                rules.extend(_rules_of(pts, fill.value != 0, bool(stroke.value), s))
    cx0, _cy0, _cx1, cy1 = frame.crop
    for r in rules:  # to top-down coordinates, like the text runs
        if r.horizontal:
            r.at, r.a, r.b = cy1 - r.at, r.a - cx0, r.b - cx0
        else:
            r.at, r.a, r.b = r.at - cx0, cy1 - r.b, cy1 - r.a
    return merge_rules(rules, s)


