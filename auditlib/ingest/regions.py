"""Where each table is in the document: its title (and 公开NN表 label) found among the
lines, the region of lines under it, and a region continued after a page break (the title
printed again over the rest of the same table) joined to its start."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from auditlib.ingest.lines import SourceLine
from auditlib.ingest.table_rows import is_seq_row
from auditlib.numbers import is_number
from auditlib.kinds import BUDGET, FINAL, Kind, kind_named, other_title
from auditlib.schema import title_key

LABEL = re.compile(r"公开\s*0?(\d{1,2})\s*表")
QUOTES = re.compile(r"[“”‘’\"'\s]+")  # a line of a title's quote marks alone
PART = re.compile(r"^第\s*([一二三四五六])\s*部分")
PROSE_PARTS = ("三", "四", "五", "六")  # a 决算's parts after its tables (情况说明, 名词解释, 附件 …)
# where a 决算's tables give way to prose: a part heading, or in a report with no parts (浙江: 一、概况 /
# 二、…决算公开表 / 三、2024年度部门决算情况说明) the numbered heading of its narrative
FINAL_END = re.compile(PART.pattern + r"|^[一二三四五六七八九十]+[、.．]\s*\S{0,30}?情况说明\s*$")
# a line under a title that says something of its table (a note, a sentence: 本表为空表。): a
# 目录 prints none between its entries, only page numbers
SAID = re.compile(r"^(?:注|说明)\s*[:：\d]|[。；]|空表|无数据")
SUFFIX_LINE = re.compile(r"[(（]分单位[)）]")  # a 浙江 title's suffix wrapped onto a line of its own
# what a table prints among the first lines under its title (HEAD_LINES of them), in cells or
# (a converter's text) in words: its 编制单位, its unit of amounts, its header's rows
HEAD_LINES = 6
TABLE_HEAD = re.compile(r"编制单位|单位\s*[:：]\s*万?元")


@dataclass
class Anchor:
    """Where a table starts: the line index of its title (or label)."""

    index: int
    code: str
    title: str
    duplicate: bool = False
    # a budget's 公开NN表 number, printed in its title or on the line above it (None: none
    # printed); a 决算's is looked for under its title (ingest.tables.build_table)
    number: int | None = None


@dataclass
class Region:
    """The lines of one table between its title and the next table or part."""

    anchor: Anchor
    lines: list[SourceLine]
    at_end: bool = False  # the document ends inside this region


def title_of(line: SourceLine, kind: Kind | None = None) -> tuple[str, str] | None:
    """The table code and printed title if this line is a table title of `kind` (default 决算)."""
    kind = kind or kind_named(FINAL)
    for cell in (*line.cells, line.text):
        text = LABEL.sub("", cell).strip("()（） ") if kind.name == FINAL else cell
        code = kind.title(text)
        if code is not None:
            return code, (_named(text, kind) if kind.name == FINAL else cell.strip())
    return None


def other_of(line: SourceLine, kind: Kind) -> tuple[str, str] | None:
    """("", the title as listed) if this line titles a 决算 table outside the ten
    (schema.OTHER_TITLES): its anchor ends the table above it and heads no table."""
    if kind.name != FINAL:
        return None
    title = next((t for cell in (*line.cells, line.text) if (t := other_title(cell))), None)
    return ("", title) if title else None


def other_tables(lines: list[SourceLine]) -> list[tuple[str, SourceLine]]:
    """The 决算 tables outside the ten a document prints: each one's title as listed and the line
    of its first title with a table's head under it (a row, a 编制单位 or unit line among the next
    HEAD_LINES lines).  A title with none prints no table — a 目录's entry, a prose heading or a
    sentence wrapped at the name — and listing it would tell a layout (rules/profile
    `match.printed`) from a mention: a national report given 云南's, its tables then required."""
    printed: dict[str, SourceLine] = {}
    for region in regions(lines, find_anchors(lines)):
        if not region.anchor.code and region.anchor.title not in printed and \
                any(line.is_row or TABLE_HEAD.search(line.text) for line in region.lines[:HEAD_LINES]):
            printed[region.anchor.title] = lines[region.anchor.index]
    return list(printed.items())


def wrapped_suffix(lines: list[SourceLine], i: int, kind: Kind) -> tuple[str, str] | None:
    """浙江's title over two lines, its suffix alone on the second ("…收入决算表" / "（分单位）"):
    the table outside the ten, not 公开02表 — whose own title, printed next, would be dropped as the
    table printed again, and its units read as its rows."""
    if i + 1 >= len(lines) or not SUFFIX_LINE.fullmatch(_squashed(lines[i + 1])):
        return None
    line = lines[i]
    return other_of(SourceLine((line.text + lines[i + 1].text.strip(),), line.line, line.page), kind)


def _named(text: str, kind: Kind) -> str:
    """A 决算 title as printed, less what its line prints before the table's name (一、 表七：
    2021年度 …), so that every message names the table alike however its page titled it."""
    text = text.strip()
    for start in range(len(text)):
        if title_key(text[start:]) in kind.titles:
            return text[start:].strip()
    # a closing bracket the label's were stripped with: 收入决算表（分科目）
    return text + ")" if text.count("(") > text.count(")") else text + "）" if text.count("（") > text.count("）") else text


# the last document's anchors: a 决算's are asked twice, for its ten tables (tables.build_tables)
# and for those outside them (other_tables), and finding them is a tenth of reading the document.
# Kept with the lines they were found in (each one by identity: a list edited in place, a title
# corrected in a notebook, is read anew)
_LAST: list[tuple[str, tuple[SourceLine, ...], tuple[Anchor, ...]]] = []


def find_anchors(lines: list[SourceLine], kind: Kind | None = None) -> list[Anchor]:
    """Every table title of `kind` (default 决算; a 决算 table also by a bare 公开NN表 label
    with no title near it: the 决算 labels number the ten tables)."""
    kind = kind or kind_named(FINAL)
    if _LAST and _LAST[0][0] == kind.name and len(_LAST[0][1]) == len(lines) \
            and all(a is b for a, b in zip(_LAST[0][1], lines)):
        return list(_LAST[0][2])
    anchors = _find_anchors(lines, kind)
    _LAST[:] = [(kind.name, tuple(lines), tuple(anchors))]
    return anchors


def _find_anchors(lines: list[SourceLine], kind: Kind) -> list[Anchor]:
    anchors: list[Anchor] = []
    seen: set[str] = set()
    headed: set[int] = set()  # the 决算 titles printed after an enumerator, year or department
    part = ""  # the part the line is in (its last 第N部分 heading): a 决算's tables are in 第二部分
    for i, line in enumerate(lines):
        part = m.group(1) if (m := PART.match(line.text)) else part
        found = (wrapped_suffix(lines, i, kind) or title_of(line, kind) or wrapped_title(lines, i, kind)
                 or other_of(line, kind))
        if found is not None and kind.name == FINAL and not _bare(line, kind):
            # in 第三部分 and after, a line ending in the name of a table already found is a sentence
            # wrapped there (本部门公开的…局2021年度收入支出决算总表 / 中，…), not a title (a table not
            # found yet keeps it: the part may be the last a 目录 listed, the body printing none)
            found = None if part in PROSE_PARTS and (found[0] or found[1]) in seen else found
            headed.add(i)
        if found is None and kind.name == FINAL and len(line.text) <= 20:
            m = LABEL.search(line.text)
            recent = anchors and i - anchors[-1].index <= 8
            if m and not recent and 1 <= int(m.group(1)) <= 10 and not labels_other_table(lines, i, int(m.group(1))):
                found = (f"T{int(m.group(1)):02d}", "")
        if found is None:
            continue
        code, title = found
        number = None if kind.name == FINAL else number_above(lines, i)
        anchors.append(Anchor(i, code, title, duplicate=(code or title) in seen, number=number))
        seen.add(code or title)
    # a 目录 of bare titles keeps its anchors (the later title takes over); of the others three in
    # a row make a 目录 — two may be an empty table's title, its one-line note and the next title
    if kind.name == FINAL:
        return contents_dropped(lines, anchors, lambda a: a.index in headed, run=3)
    return contents_dropped(lines, anchors)


def _bare(line: SourceLine, kind: Kind) -> bool:
    """Whether the line prints a 决算 title alone (its 公开NN表 label aside)."""
    return any(title_key(LABEL.sub("", c).strip("()（） ")) in kind.titles for c in (*line.cells, line.text))


def labels_other_table(lines: list[SourceLine], i: int, number: int) -> bool:
    """Whether the 公开NN表 label at line `i` heads a budget table that is not the 决算 table
    `number`'s counterpart: a budget title on one of the next three lines whose table the national
    set does not number so (Jiangsu 2019 prints "公开 10 表" over its 政府性基金预算财政拨款支出预算表,
    B08; a national 公开04表 heads B04, read as 公开04表 is).  Reading such a table as the 决算 table
    would join its lines, its title among them, into one row of another table's."""
    budget = kind_named(BUDGET)
    for j, line in enumerate(lines[i + 1:i + 4], start=i + 1):
        found = title_of(line, budget) or wrapped_title(lines, j, budget)
        if found:
            return found[0] != f"B{number:02d}"
    return False


def wrapped_title(lines: list[SourceLine], i: int, kind: Kind) -> tuple[str, str] | None:
    """A budget title wrapped in its cell over two lines (a narrow table's merged title cell:
    "2021年一般公共预算“三" / "公”经费支出表"): line `i` and the short line after it read as one.
    Only for budgets, whose titles are found by their names alone (a 决算's are fixed).  A line of
    quote marks alone between them is passed over: pdfplumber prints the “ ” of “三公” so."""
    j = i + 2 if i + 2 < len(lines) and QUOTES.fullmatch(lines[i + 1].text) else i + 1
    if kind.name == FINAL or j >= len(lines):
        return None
    head, tail = lines[i], lines[j]
    if head.is_row or tail.is_row or len(tail.text) > 20 or title_of(tail, kind):
        return None
    return title_of(SourceLine((head.text + tail.text,), head.line, head.page), kind)


def number_above(lines: list[SourceLine], i: int) -> int | None:
    """The 公开NN表 number of the budget table titled at line `i`: in its title (公开01表：收支预算总表)
    or on a short line of its own right above it (Jiangsu 2019) — never one further down, which
    is the next table's, printed above that one's title."""
    for line in (lines[i], *lines[max(i - 1, 0):i]):
        m = LABEL.search(re.sub(r"\s+", "", line.text))  # 公开 1 1 表 (jianchayuan-2018) is 公开11表
        if m and (line is lines[i] or len(line.text.strip()) <= 20):
            return int(m.group(1))
    return None


def contents_dropped(lines: list[SourceLine], anchors: list[Anchor], may_list=lambda a: True,
                     run: int = 2) -> list[Anchor]:
    """The anchors less those of a 目录 printed without page numbers: `run` or more titles each
    one or two lines after the one before, with no table row or note between them, list the tables,
    they do not head them (only titles `may_list` holds of).  (The duplicate marks are set again
    on what is left.)"""
    def listed(a: Anchor, b: Anchor) -> bool:
        return (may_list(a) and may_list(b) and b.index - a.index <= 2
                and not any(line.is_row or SAID.search(line.text) for line in lines[a.index + 1 : b.index]))

    near: set[int] = set()
    group: list[Anchor] = anchors[:1]
    for a, b in zip(anchors, anchors[1:]):
        if not listed(a, b):
            near |= {id(x) for x in group} if len(group) >= run else set()
            group = []
        group.append(b)
    near |= {id(x) for x in group} if len(group) >= run else set()
    kept: list[Anchor] = []
    seen: set[str] = set()
    for a in anchors:
        if id(a) not in near:
            kept.append(replace(a, duplicate=(a.code or a.title) in seen))
            seen.add(a.code or a.title)
    return kept


# where a budget's tables give way to prose: the next part's heading (六、其他相关情况说明,
# 第三部分 …) printed as a line of its own
BUDGET_END = re.compile(r"^(?:第\s*[一二三四五六]\s*部分|[一二三四五六七八九十]+[、.．]\S|其他相关情况说明|项目经费情况说明)")


def regions(lines: list[SourceLine], anchors: list[Anchor], end_at: re.Pattern = PART) -> list[Region]:
    """Cut the line stream into one region per anchor; a line matching `end_at` (not a table
    row) closes the region."""
    out = []
    for n, anchor in enumerate(anchors):
        end = anchors[n + 1].index if n + 1 < len(anchors) else len(lines)
        body = []
        at_end = end == len(lines)
        for line in lines[anchor.index + 1 : end]:
            if end_at.match(line.text) and not (line.is_row and len(line.cells) > 1):
                at_end = False
                break
            body.append(line)
        out.append(Region(anchor, body, at_end=at_end))
    return out


def _squashed(line: SourceLine) -> str:
    return re.sub(r"\s+", "", line.text)


def _head(region: Region) -> list[SourceLine]:
    """The lines above a region's first row of figures: title, 编制单位, header rows."""
    at = next((i for i, line in enumerate(region.lines) if has_figures(line)), len(region.lines))
    return region.lines[:at]


def _continues(prev: Region, region: Region) -> bool:
    """A second title of the same table right after the first is the table carried
    over to the next page with its title repeated (print titles in Excel, repeated
    header rows in Word) unless its rows repeat rows already printed: that is the
    table printed twice."""
    if not region.anchor.duplicate or prev.anchor.code != region.anchor.code:
        return False
    seen = {_squashed(line) for line in prev.lines if has_figures(line)}
    rows = [line for line in region.lines if has_figures(line)]
    return not rows or _squashed(rows[0]) not in seen


def continued(found: list[Region]) -> list[Region]:
    """Join each continuation to the region it continues, dropping the lines it
    repeats from the table's head (title, 编制单位/单位 line, header rows)."""
    out: list[Region] = []
    for region in found:
        at = _continued_at(out, region)
        if at is not None:
            prev = out[at]
            repeated = {_squashed(line) for line in _head(prev)}
            head = _head(region)
            kept = [line for line in head if _squashed(line) not in repeated and not LABEL.fullmatch(_squashed(line))]
            out[at] = Region(prev.anchor, prev.lines + kept + region.lines[len(head):], at_end=region.at_end)
            continue
        out.append(region)
    return out


def _continued_at(out: list[Region], region: Region) -> int | None:
    """Where in `out` the region `region` continues: the last table of the ten's, past the tables
    outside the ten printed after it (their pages between two of its own, as spaced._tables
    joins it) — else its rest would be dropped as the table printed twice, the table cut short."""
    at = next((k for k in range(len(out) - 1, -1, -1) if out[k].anchor.code), None)
    return at if at is not None and _continues(out[at], region) else None


def has_figures(line: SourceLine) -> bool:
    return line.is_row and any(is_number(c) for c in line.cells) and not is_seq_row(line.cells)
