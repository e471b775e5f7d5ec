"""Turn a reader's `SourceDocument` into the `Report` model, its prose's claims read."""

from __future__ import annotations

import re
from collections import Counter

from auditlib.errors import InputError
from auditlib.ingest.budget_claims import read_budget_prose
from auditlib.ingest.claims import read_prose
from auditlib.ingest.lines import SourceDocument
from auditlib.ingest.prose import build_prose
from auditlib.ingest.tables import build_tables
from auditlib.ingest.regions import other_tables
from auditlib.ingest.wrapped_name import complete
from auditlib.kinds import BUDGET, FINAL, Detected, detect, kind_named
from auditlib.model import FilePart, Narrative, OtherTable, Paragraph, Performance, Report, Table

COVER = re.compile(r"^(?P<name>.*?)(?P<year>\d{4})年度?(?:部门)?决算")
# "上海市普陀区2024年区级部门预算", or the year first: "2018年度江苏省高级人民法院预算公开"
BUDGET_COVER = re.compile(r"^(?:(?P<year>\d{4})年度?(?P<name>.+?)(?:部门|单位)?预算"
                          r"|(?P<name2>.*?)(?P<year2>\d{4})年度?(?:区级|市级|省级)?(?:部门|单位)?预算)")
NO_TABLE = {"决算": "未找到任何决算公开表（no final-accounts table found: not a 部门决算 report?）",
            "预算": "未找到任何预算公开表（no budget table found: not a 部门预算 report?）"}
SECTION_HEADING = re.compile(r"^(?:第[一二三四五六]部分)?(.*?)(\d{4})年度部门决算表$")


def cover(doc: SourceDocument, pattern: re.Pattern = COVER) -> tuple[str | None, int | None]:
    """Department and year from the cover (the lines before 目录)."""
    head = []
    for line in doc.lines[:12]:
        if re.sub(r"\s+", "", line.text) in ("目录", "目 录"):
            break
        head.append(line.text)
    text = re.sub(r"\s+", "", "".join(head))
    m = pattern.search(text)
    if not m:
        return None, None
    groups = m.groupdict()
    name = re.sub(r"部门$", "", groups.get("name") or groups.get("name2") or "") or None
    return name, int(groups.get("year") or groups["year2"])


def sections_department(doc: SourceDocument) -> str | None:
    """The department named over the tables section ("X 2024 年度部门决算表")."""
    for line in doc.lines:
        m = SECTION_HEADING.match(re.sub(r"\s+", "", line.text))
        if m and m.group(1) and len(line.text) < 60:
            return m.group(1)
    return None


def _department(on_cover: str | None, named: Counter, kind: str) -> str | None:
    """The department: a 决算's cover names it; a budget's cover often names only the
    district ("上海市普陀区2024年区级部门预算"), its tables' 编制部门 the department itself."""
    in_tables = named.most_common(1)[0][0] if named else None
    return (in_tables or on_cover) if kind == BUDGET else (on_cover or in_tables)


def build_report(doc: SourceDocument, kind: str | None = None) -> Report:
    """Assemble the model as a document of `kind` (决算 or 预算; None: told from the document);
    refuse documents that hold none of that kind's tables."""
    detected = detect_kind(doc, kind)
    tables, last = build_tables(doc.lines, doc.unread, kind_named(detected.kind), doc.table_notes)
    return assemble(doc, detected, tables, cover(doc, cover_pattern(detected.kind)), build_prose(doc.lines, last or 0, detected.kind == FINAL))


def detect_kind(doc: SourceDocument, kind: str | None) -> Detected:
    """The kind asked for (`--kind`), else the one the document's lines show."""
    return Detected(kind, "option") if kind else detect([line.text for line in doc.lines])


def cover_pattern(kind: str) -> re.Pattern:
    """How the cover of a document of `kind` names the department and year."""
    return BUDGET_COVER if kind == BUDGET else COVER


def assemble(doc: SourceDocument, detected: Detected, tables: dict[str, Table],
             on_cover: tuple[str | None, int | None], prose: tuple[Narrative, Performance],
             files: list[FilePart] | None = None) -> Report:
    """The model from the document's parts read: its tables, the department and year its cover
    prints, its narrative and performance section; `files`: those it was read from when several."""
    found = [t for t in tables.values() if t.status != "missing"]
    if not found:
        # what the reader could not read may be why (pages whose text layer does not map)
        raise InputError("、".join(f.path for f in files) if files else doc.path,
                         "；".join([NO_TABLE[detected.kind], *doc.warnings]))
    department, year = on_cover
    named = Counter(t.department for t in found if t.department)
    years = Counter(t.year for t in found if t.year)
    units = Counter(t.unit for t in found if t.unit and t.code != "T10")
    narrative, performance = prose
    report = Report(
        path=doc.path,
        input_kind=doc.input_kind,
        department=_department(department, named, detected.kind),
        year=year or (years.most_common(1)[0][0] if years else None),
        unit=units.most_common(1)[0][0] if units else None,
        pages=doc.pages,
        encoding=doc.encoding,
        ocr_pages=dict(doc.ocr_pages),
        ocr_pictures=dict(doc.ocr_pictures),
        tables=tables,
        narrative=narrative,
        performance=performance,
        sections_department=sections_department(doc),
        problems=list(doc.warnings),
        lines=[Paragraph(line.text, (), line.line, line.page) for line in doc.lines],
        kind=detected.kind,
        kind_source=detected.source,
        files=list(files or []),
        others=[OtherTable(title, line.page, line.line) for title, line in other_tables(doc.lines)]
        if detected.kind == FINAL else [],
    )
    complete(tables, report.department)
    report.prose = read_budget_prose(report) if detected.kind == BUDGET else read_prose(report)
    return report
