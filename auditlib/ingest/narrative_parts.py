"""Which parts of a report are its narrative (情况说明) or its performance section, as line spans
for prose.build_prose.  The national 决算 prints the narrative in 第三部分 after its tables; others
print it under other part numbers (四川's and 湖北's 第二部分 …情况说明 before the tables, 云南's
第四部分 其他重要事项 after them), or under a numbered heading with no 第N部分 at all (浙江).  A part
is read only where its heading names a narrative and prose is printed under it, so that a 目录's
entries, a 概况, a 名词解释 and an attachment's own parts are never read as the narrative: every
sentence read there would be checked against the tables."""

from __future__ import annotations

import re
from typing import NamedTuple

from auditlib.ingest.lines import SourceLine
from auditlib.ingest.regions import PART, title_of

TOP = re.compile(r"^([一二三四五六七八九十]+)\s*[、.．]")
SUB = re.compile(r"^[(（]([一二三四五六七八九十]+)[)）]")
# what a part's heading names when the part is narrative: 情况说明 (the national 第三部分; 四川's
# 第二部分, printed before its tables in 第五部分 附表), 其他重要事项 (云南's 第四部分: 机关运行经费,
# 国有资产, 政府采购, 绩效) — never 名词解释, 概况 (…局基本情况, 主要职责, 机构设置: 第一部分's long
# sentences are not the narrative's), the tables or 附件
NARRATIVE_PART = re.compile(r"情况说明|其他重要事项")
NO_NARRATIVE = re.compile(r"名词解释|概况|(?<!决算)基本情况|主要职[责能]|机构设置|决算表|公开表|报表|附表|附件")
# a part of its own on 绩效 (…预算绩效情况说明) holds the performance section whole: its numbered
# headings (二、单位自评工作组织开展情况 …) are no narrative sections
PERFORMANCE_PART = re.compile(r"绩效")
# what ends a narrative under a numbered heading (浙江: 四、名词解释, 五、附件): not a 概况's words,
# which a 绩效自评报告 inside it prints under its own 一、基本情况
NUMBERED_END = re.compile(r"名词解释|附件|附表")
LEADERS = re.compile(r"[.…·．_\-—－]*\d*$")  # a 目录 entry's dotted leader and page number


class Span(NamedTuple):
    """A part read as prose: its body is lines[begin + 1:end] (begin: its heading, or the heading's
    rest wrapped onto the next line); `performance`: the part's heading, where the part is the
    performance section whole ("" where it is narrative)."""

    begin: int
    end: int
    performance: str = ""


def part_range(lines: list[SourceLine], heads: list[int], start_after: int) -> tuple[int, int] | None:
    """The lines of 第三部分 (after the tables), up to the next part or the end — unless that part
    is not the narrative (四川's 第三部分 名词解释, the heading a narrative 文件 is read from)."""
    at = next((n for n, i in enumerate(heads) if i >= start_after and PART.match(lines[i].text).group(1) == "三"), None)
    if at is None or NO_NARRATIVE.search(_title(lines, heads[at])[0]):
        return None
    return heads[at], heads[at + 1] if at + 1 < len(heads) else len(lines)


def part_heads(lines: list[SourceLine]) -> list[int]:
    """The indexes of the part headings (第N部分 …), less a page's running head: the heading printed
    again with no other part between, which goes on with the part (its lines read as one)."""
    heads: list[int] = []
    for i, line in enumerate(lines):
        if not line.is_row and PART.match(line.text):
            if not heads or _key(lines[heads[-1]]) != _key(line):
                heads.append(i)
    return heads


def _key(line: SourceLine) -> str:
    """A part heading as a 目录 and the body both print it: no spaces, dotted leader or page number."""
    return LEADERS.sub("", re.sub(r"\s+", "", line.text))


def narrative_spans(lines: list[SourceLine], after: int, named: bool = True) -> list[Span]:
    """The parts read as prose, in order: 第三部分 after the tables (its heading may wrap before
    情况说明: 上海's "第三部分 …2024 年度部门决算"), and with `named` (a 决算) every part whose
    heading names a narrative and under which prose is printed — a 目录's part holds headings
    only — before the tables or after (one before them ends at their first title), but none of
    an attachment's own parts."""
    heads = part_heads(lines)
    third = part_range(lines, heads, after)
    skipped = _in_annex(lines, heads)
    skipped |= _listed(lines, [i for i in heads if i not in skipped])
    spans = []
    for n, i in enumerate(heads):
        end = heads[n + 1] if n + 1 < len(heads) else len(lines)
        title, begin = _title(lines, i)
        if third and i == third[0] and i not in skipped:
            spans.append(Span(*third))
        elif named and i not in skipped and NARRATIVE_PART.search(title) and not NO_NARRATIVE.search(title):
            end = next((j for j in range(begin + 1, end) if j <= after and title_of(lines[j])), end)
            performance = lines[i].text if PERFORMANCE_PART.search(title) and "其他重要事项" not in title else ""
            spans += [Span(begin, end, performance)] if has_prose(lines[begin + 1:end]) else []
    return spans or ([] if heads or not named else _numbered_span(lines, after))


def _title(lines: list[SourceLine], i: int) -> tuple[str, int]:
    """What the part heading at `i` names, less 第N部分 and spaces, and the index its body starts
    after: a heading that names nothing the parts are told by goes on over a short line after it
    ("第二部分 2021年度单位决算" / "情况说明"), which is then no line of the body."""
    title = PART.sub("", re.sub(r"\s+", "", lines[i].text))
    told = (NARRATIVE_PART, NO_NARRATIVE, PERFORMANCE_PART)
    if i + 1 < len(lines) and not any(p.search(title) for p in told):
        rest = lines[i + 1]
        text = re.sub(r"\s+", "", rest.text)
        if not rest.is_row and len(text) <= 20 and not (PART.match(text) or TOP.match(text) or SUB.match(text)):
            return title + text, i + 1
    return title, i


def _listed(lines: list[SourceLine], heads: list[int]) -> set[int]:
    """A 目录's part entries: headings printed again further on (page numbers and dotted leaders
    aside) after the parts start over — a part numbered lower between (the body's 第一部分).  Prose
    after an entry is not the part's (a preface after a 目录 whose last entry is the narrative); a
    heading printed again with no other part between is a page's running head (part_heads)."""
    keys = [_key(lines[i]) for i in heads]
    numbers = [_number(lines[i]) for i in heads]

    def listed(n: int) -> bool:
        again = next((m for m in range(n + 1, len(heads)) if keys[m] == keys[n]), None)
        return again is not None and any(numbers[m] < numbers[n] for m in range(n + 1, again))

    return {heads[n] for n in range(len(heads)) if listed(n)}


def _in_annex(lines: list[SourceLine], heads: list[int]) -> set[int]:
    """The part headings of an attachment's own (附件1：…部门整体支出绩效评价报告 / 第一部分 … /
    第二部分 …情况说明): those after the last 附件 part with anything printed under it that are
    numbered no higher than it.  (A 目录's 附件 entry is followed by the next entry at once, or by
    the body's own 附件 part, the last.)"""
    titled = [_title(lines, i) for i in heads]
    annexes = [n for n, (title, begin) in enumerate(titled) if "附件" in title
               and (heads[n + 1] if n + 1 < len(heads) else len(lines)) > begin + 1]
    if not annexes:
        return set()
    at = annexes[-1]
    return {i for i in heads[at + 1:] if _number(lines[i]) <= _number(lines[heads[at]])}


def _number(line: SourceLine) -> int:
    """A part heading's number (第三部分 → 3)."""
    return "一二三四五六".index(PART.match(line.text).group(1)) + 1


def _numbered_span(lines: list[SourceLine], after: int) -> list[Span]:
    """A narrative under a numbered heading after the tables, in a report with no 第N部分 (浙江:
    一、概况 / 二、2024年度部门决算公开表 / 三、2024年度部门决算情况说明 with (一)(二)… under it), up
    to a numbered heading of 名词解释 or 附件 (or the end)."""
    def numbered(i: int, pattern: re.Pattern) -> bool:
        text = re.sub(r"\s+", "", lines[i].text)
        return not lines[i].is_row and len(text) <= 40 and bool(TOP.match(text)) and bool(pattern.search(text))

    begin = next((i for i in range(after + 1, len(lines)) if numbered(i, NARRATIVE_PART)), None)
    if begin is None:
        return []
    end = next((i for i in range(begin + 1, len(lines)) if numbered(i, NUMBERED_END)), len(lines))
    return [Span(begin, end)] if has_prose(lines[begin + 1:end]) else []


def has_prose(lines: list[SourceLine]) -> bool:
    """Whether sentences are printed among `lines` (not only headings, as in a 目录)."""
    return any(not line.is_row and len(line.text) >= 30 and re.search(r"[。，,；;]", line.text) for line in lines)
