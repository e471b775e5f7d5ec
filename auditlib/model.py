"""The typed model of one department's final-accounts report.

Readers fill it, rules read it, notebooks display it.  Every table is a pandas
DataFrame indexed by a stable row key (a function or economic code such as
"2080505", or a normalized label such as "income_total") with canonical value
columns, plus the columns `code`, `name`, `level`, `side`, `line`, `page` that say
what the row is and where it was printed, so a finding can point at the cell.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from auditlib.kinds import FINAL, spec_of
from auditlib.claims import Claim, ProseReading

__all__ = ["Claim", "FilePart", "GridTable", "Narrative", "Paragraph", "Performance", "Report", "ScoreSheet", "Section",
           "SelfEvaluation", "Table"]

ROW_META = ("code", "name", "level", "side", "label", "line", "page")


@dataclass
class OtherTable:
    """A table the document prints outside its kind's tables (schema.OTHER_TITLES: 云南's
    一般公共预算财政拨款项目支出决算表, 浙江's 收入决算表（分单位）…): where it is, never read."""

    title: str  # as schema.OTHER_TITLES lists it
    page: int | None
    line: int | None


@dataclass
class ReadingNote:
    """What the reader noticed and how it read on (extra cells left out, a row printed twice,
    a label it did not know): worth knowing when a figure looks odd, but no finding about the
    document — the JSON's `reading_notes`, the reports' 读取说明.  `note` is Chinese and names
    the row and column as printed."""

    table: str | None
    page: int | None
    line: int | None
    note: str


@dataclass
class Table:
    """One of the ten standard tables as printed."""

    code: str
    # parsed | partial | empty | unread | missing (names.STATUS_ZH); `unread`: the title was
    # found and figures are printed under it, but the reader could not turn (all of) them
    # into rows; its checks cannot run and the report must say so.
    status: str = "missing"
    title: str | None = None
    label: str | None = None  # the printed 公开NN表 label, if any
    department: str | None = None  # 编制单位
    # the words after a 编制单位 a converter's text may have wrapped onto the next lines
    # (ingest/wrapped_name): the rest of the name is among them, with the cells beside it
    department_pieces: tuple[str, ...] = ()
    year: int | None = None
    unit: str | None = None
    line: int | None = None
    page: int | None = None
    data: pd.DataFrame = field(default_factory=pd.DataFrame)
    notes: list[str] = field(default_factory=list)
    # why the table is `partial`, `unread` or `missing` though its title is printed (Chinese)
    problems: list[str] = field(default_factory=list)
    reading_notes: list[ReadingNote] = field(default_factory=list)
    # how much of what is printed was read: {"rows": read, "figures": printed under the
    # title, "amounts": read}; figures are the decimal amounts seen in the table's lines
    coverage: dict[str, int] = field(default_factory=dict)
    # where each cell was printed (PDF only): (row key, column key) -> (page, x0, top, x1,
    # bottom) in PDF points, origin at the top left of the page; column "name" is the label
    boxes: dict[tuple[str, str], tuple[int, float, float, float, float]] = field(default_factory=dict)
    # the OCR confidence of a scanned cell (absent: read from a text layer, certain)
    confidence: dict[tuple[str, str], float] = field(default_factory=dict)
    # how many decimals each figure is printed with (absent: not known, e.g. a warehouse
    # snapshot): a printed figure stands for every value within half a unit of its last digit
    decimals: dict[tuple[str, str], int] = field(default_factory=dict)

    @property
    def readable(self) -> bool:
        """Whether rules may use this table: present and read (an empty table states zero)."""
        return self.status not in ("missing", "unread")

    @property
    def columns(self) -> list[str]:
        """The value columns (canonical keys) of this table."""
        return [c for c in self.data.columns if c not in ROW_META]

    @property
    def spec(self):
        return spec_of(self.code)

    def has(self, key: str) -> bool:
        return key in self.data.index

    def value(self, key: str, column: str) -> float | None:
        """A printed amount; None when the row or cell is absent or blank."""
        if key not in self.data.index or column not in self.data.columns:
            return None
        v = self.data.at[key, column]
        return None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)

    def where(self, key: str) -> dict:
        """Where a row was printed: line (text form) and page (PDF)."""
        if key not in self.data.index:
            return {"line": self.line, "page": self.page}
        row = self.data.loc[key]
        line, page = row.get("line"), row.get("page")
        return {"line": None if pd.isna(line) else int(line), "page": None if pd.isna(page) else int(page)}

    def amounts(self) -> list[float]:
        """Every printed amount of the table (blank cells left out)."""
        values = self.data[self.columns].to_numpy().ravel() if len(self.data) else []
        return [float(v) for v in values if v is not None and not (isinstance(v, float) and math.isnan(v))]


@dataclass
class Paragraph:
    """A paragraph of prose with the heading path it sits under."""

    text: str
    headings: tuple[str, ...]
    line: int | None = None
    page: int | None = None


@dataclass
class Section:
    heading: str
    paragraphs: list[Paragraph] = field(default_factory=list)
    line: int | None = None
    page: int | None = None


@dataclass
class Narrative:
    """第三部分 情况说明 (without the performance section, kept apart)."""

    sections: list[Section] = field(default_factory=list)

    @property
    def paragraphs(self) -> list[Paragraph]:
        return [p for s in self.sections for p in s.paragraphs]


@dataclass
class GridTable:
    """A table found in prose (project lists, score tables): its rows of cells."""

    title: str
    rows: list[tuple[str, ...]]
    lines: list[int | None]
    pages: list[int | None]


@dataclass
class SelfEvaluation:
    """One 项目支出绩效自评表: the funds block and the indicator block."""

    project: str
    funds: dict[str, float | None]  # budget_initial, budget_full, executed, weight, rate, score
    indicators: pd.DataFrame  # level1, level2, indicator, target, actual, weight, score, reason, line, page
    stated_weights: dict[str, float]  # "产出指标" -> 50, "数量指标" -> 20 … as printed in the labels
    total_weight: float | None
    total_score: float | None
    line: int | None = None
    page: int | None = None
    grade: str | None = None  # the 评价等级 row, when the table prints one


@dataclass
class ScoreSheet:
    """A 评分表 of an evaluation report: indicators with 分值 and 评价得分."""

    title: str
    items: pd.DataFrame  # level1, level2, indicator, weight, score, line, page
    stated_weights: dict[str, float]
    total_score: float | None
    grade: str | None
    line: int | None = None
    page: int | None = None


@dataclass
class Performance:
    """The performance section (预算绩效): prose, project lists, self-evaluations, score sheets."""

    paragraphs: list[Paragraph] = field(default_factory=list)
    tables: list[GridTable] = field(default_factory=list)
    self_evaluations: list[SelfEvaluation] = field(default_factory=list)
    score_sheets: list[ScoreSheet] = field(default_factory=list)


@dataclass(frozen=True)
class FilePart:
    """One file of a document published in several (a narrative 文件 and a table booklet 表格):
    its pages (PDF) or lines (text) are numbered on after those of the files before it, so the
    model keeps one page and one line sequence and a place still tells its file (`Report.locate`)."""

    path: str
    input_kind: str  # text, pdf or scan
    first_page: int = 0  # the document's pages before this file's
    pages: int = 0
    first_line: int = 0  # the document's text lines before this file's
    lines: int = 0

    def holds(self, page: int | None, line: int | None) -> bool:
        """Whether a place (a text line, else a PDF page) of the document is in this file."""
        if line is not None:
            return self.first_line < line <= self.first_line + self.lines
        return page is not None and self.first_page < page <= self.first_page + self.pages


@dataclass
class Report:
    """A department's report: metadata, its kind's tables (决算: the ten), narrative, performance."""

    path: str
    input_kind: str
    department: str | None
    year: int | None
    unit: str | None
    pages: int | None
    tables: dict[str, Table]
    narrative: Narrative
    performance: Performance
    encoding: str | None = None  # a text input's codec: utf-8, utf-8-sig, utf-16-le, utf-16-be, gb18030
    sections_department: str | None = None  # the name printed over the tables section
    problems: list[str] = field(default_factory=list)  # parts of the document that could not be read (Chinese)
    # pages read by OCR (a scan's, a table pasted as a picture): page → the quarter turns
    # anticlockwise OCR read it turned (0: upright; a scan laid sideways 1 or 3). What OCR read
    # may be misread (rules/doubts); boxes stay where the page prints them, evidence is shown turned
    ocr_pages: dict[int, int] = field(default_factory=dict)
    # of those, the text layer's pages OCR read only in the pictures pasted on them: page → (the
    # pictures' boxes, x0 top x1 bottom as cells' are; whether any prints text): the rest is the text layer's
    ocr_pictures: dict[int, tuple] = field(default_factory=dict)
    # every line as read (prose and table rows, in order): for checks over the whole
    # document (template wording, 名词解释, 部门概况) that the parsed parts leave out
    lines: list[Paragraph] = field(default_factory=list)
    kind: str = FINAL  # 决算 or 预算 (auditlib.kinds)
    kind_source: str = "default"  # detected (from the document's cues), option (--kind) or default
    layout: str = ""  # a budget's layout named by --profile (national-budget …); "" chosen by kinds.layout_of
    # what the prose states, read with the rest of the document (auditlib.ingest.claims)
    prose: ProseReading = field(default_factory=ProseReading)
    # the files of a document read from several, in the order given (`path` is the first's);
    # empty for a document in one file, whose places need no file
    files: list[FilePart] = field(default_factory=list)
    # the 决算 tables it prints outside the ten, in printed order (listed, never checked)
    others: list[OtherTable] = field(default_factory=list)

    @property
    def claims(self) -> list[Claim]:
        """Every figure the narrative and performance prose state, in reading order."""
        return self.prose.claims

    def table(self, code: str) -> Table:
        return self.tables[code]

    @property
    def reading_notes(self) -> list[ReadingNote]:
        """Every table's reading notes, in the order of the tables."""
        return [n for t in self.tables.values() for n in t.reading_notes]

    @property
    def meta(self) -> dict:
        """The document as the contract's JSON names it (`encoding` for a text input only, `files`
        for a document read from several)."""
        meta = {"path": self.path, "input_kind": self.input_kind, "kind": self.kind, "kind_source": self.kind_source,
                "department": self.department,
                "year": self.year, "unit": self.unit, "pages": self.pages}
        return (meta | ({"encoding": self.encoding} if self.encoding else {})
                | ({"files": [f.path for f in self.files]} if self.files else {}))

    @property
    def paths(self) -> list[str]:
        """The files the document was read from, in order (one for most)."""
        return [f.path for f in self.files] or [self.path]

    def locate(self, page: int | None, line: int | None = None) -> tuple[int | None, int | None, int | None]:
        """A place of the document as (file index, page, line) in that file; (None, page, line) for a
        document in one file or a place no file holds."""
        for i, part in enumerate(self.files):
            if part.holds(page, line):
                return (i, None if page is None else page - part.first_page,
                        None if line is None else line - part.first_line)
        return None, page, line

    def where(self, page: int | None, line: int | None = None, spaced: bool = True) -> str:
        """A place as a person reads it: 第 N 页 (a PDF), else 第 N 行 (a text), of its file and, in a
        document of several files, with that file's name before it (文件：表格.pdf 第 3 页); "" for
        none.  `spaced=False`: 第3页, as a message says it."""
        index, page, line = self.locate(page, line)
        gap = " " if spaced else ""
        text = f"第{gap}{page}{gap}页" if page else (f"第{gap}{line}{gap}行" if line else "")
        return f"文件：{Path(self.files[index].path).name} {text}" if index is not None and text else text

    def local(self, record: dict) -> dict:
        """A JSON record (finding, cell, table, note, claim) with its `page`, `line` and `box` page
        those of its file, and that file's index as `file` before them (a document in several
        files); the record itself otherwise, so one-file outputs stay as they were."""
        if not self.files:
            return record
        index, page, line = self.locate(record.get("page"), record.get("line"))
        out: dict = {}
        for key, value in record.items():
            if key in ("page", "line"):
                out.setdefault("file", index)
                value = page if key == "page" else line
            out[key] = value
        box = record.get("box")
        if box:
            out["box"] = [self.locate(int(box[0]))[1], *box[1:]]
        return out
