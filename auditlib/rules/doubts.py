"""Whether a failed relation on a scan may be the OCR's misreading rather than the document's
error: a cell read with low confidence, or a figure one confusable character away from closing
the relation.  Used by the engine (an error then becomes a doubt) and by localization."""

from __future__ import annotations

from auditlib.model import Report
from auditlib.rules.findings import Cell

__all__ = ["low_confidence", "misreadings", "ocr_cell", "ocr_finding", "ocr_page", "ocr_source", "reading_doubt", "shown_number"]


def shown_number(v: float | None) -> str:
    """A figure as a message prints it: 1,234.56, or 空 for a blank cell."""
    return "空" if v is None else f"{v:,.2f}"


# OCR confusions of digits in printed figures, and the threshold under which an OCR'd
# cell is not evidence enough for an error
CONFUSABLE = {"8": "36", "3": "8", "1": "7", "7": "1", "0": "68", "6": "08", "5": "6", "2": "7"}
LOW_CONFIDENCE = 0.9


def ocr_page(report: Report, page: int | None) -> bool:
    """Whether the words a page prints were read by OCR: every page of a scan (a page not known,
    too), a text PDF's page OCR read whole (`Report.ocr_pages`), and one with text pasted on it
    as a picture — not one whose pictures are tables alone (its words are the text layer's)."""
    if report.input_kind == "scan":
        return True
    pictured = report.ocr_pictures.get(page) if page is not None else None
    return page in report.ocr_pages and (pictured is None or pictured[1])


def ocr_source(report: Report) -> str:
    """What the OCR read, as a doubt names it: a scan, or the tables and text pasted as pictures."""
    return "扫描件" if report.input_kind == "scan" else "图片中的内容"


def ocr_cell(report: Report, c: Cell) -> bool:
    """Whether a cell was read by OCR: its page (`Table.boxes`) was."""
    return _ocr_box(report, c.table, c.key, c.column)


def ocr_finding(report: Report, f) -> bool:
    """Whether a finding may rest on an OCR misreading: its words were read by OCR (its page),
    or a table cell it holds them against was (a table pasted as a picture) and read unsurely,
    or one confusable character away from the figure the words print (`f.actual`)."""
    if ocr_page(report, f.page):
        return True
    return any(_misread_cell(report, c, f.actual) for c in f.cells
               if _ocr_box(report, str(c.get("table")), str(c.get("row")), str(c.get("column"))))


def _misread_cell(report: Report, c: dict, printed) -> bool:
    t = report.tables[str(c.get("table"))]
    score = t.confidence.get((str(c.get("row")), str(c.get("column"))))
    if score is not None and score < LOW_CONFIDENCE:
        return True
    try:
        words = float(printed)
    except (TypeError, ValueError):
        return False
    return isinstance(c.get("value"), (int, float)) and any(abs(alt - words) < 0.005 for alt in misreadings(c["value"]))


def _ocr_box(report: Report, table: str, key: str, column: str) -> bool:
    """Whether a table's cell was read by OCR: a scan's, or one on a page OCR read whole, or
    inside a picture pasted on a text page (`Report.ocr_pictures`; beside it: the text layer's)."""
    if report.input_kind == "scan":
        return True
    t = report.tables.get(table)
    box = t.boxes.get((key, column)) if t is not None else None
    if not box or box[0] not in report.ocr_pages:
        return False
    pictured = report.ocr_pictures.get(box[0])
    x, y = (box[1] + box[3]) / 2, (box[2] + box[4]) / 2
    return pictured is None or any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in pictured[0])


def reading_doubt(report: Report, cells: list[Cell], diff: float, tol: float) -> str | None:
    """Why an OCR'd relation may be a misreading rather than the document's error:
    a cell read with low confidence, or one whose figure with a single confusable
    character changed (8↔3, 1↔7, 0↔6 …, or a lost decimal point) closes the
    relation.  None for cells of a text layer: there what is printed is what was read."""
    cells = [c for c in cells if c.value is not None and ocr_cell(report, c)]
    for c in cells:
        doubt = low_confidence(report, c)
        if doubt:
            return doubt
    for c in cells:
        for alt in misreadings(c.value):
            if min(abs(diff + alt - c.value), abs(diff - alt + c.value)) <= tol:
                return f"疑为识别误差：{c.name} 识别为 {shown_number(c.value)}，若为 {shown_number(alt)} 则相符，须对照原件核对"
    return None


def low_confidence(report: Report, c: Cell) -> str | None:
    """A cell the OCR read with a confidence too low to rest an error on."""
    score = report.tables[c.table].confidence.get((c.key, c.column))
    if score is not None and score < LOW_CONFIDENCE:
        return f"识别置信度低（{c.name} {shown_number(c.value)}，置信度 {score:.2f}），须对照原件核对"
    return None


def misreadings(value: float) -> list[float]:
    """What a figure may really be if one character of it was misread: a confusable
    digit swapped, or a decimal point lost ("153079" for 1530.79)."""
    printed = f"{value:.2f}"
    out = [value / 100]
    for i, ch in enumerate(printed):
        for other in CONFUSABLE.get(ch, ""):
            out.append(float(printed[:i] + other + printed[i + 1:]))
    return [v for v in out if v != value]
