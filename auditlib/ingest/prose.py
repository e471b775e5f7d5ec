"""Read the narrative (第三部分 情况说明, or the parts narrative_parts finds) and the performance
section from the line stream."""

from __future__ import annotations

import re

import pandas as pd

from auditlib.ingest.lines import SourceLine
from auditlib.ingest.narrative_parts import SUB, TOP, narrative_spans
from auditlib.ingest.regions import PART
from auditlib.model import GridTable, Narrative, Paragraph, Performance, ScoreSheet, Section, SelfEvaluation
from auditlib.numbers import NotANumber, is_number, parse_number

SENTENCE_END = re.compile(r"[。！？；：:;!?]$")
WEIGHT = re.compile(r"^(.*?)[(（]?(\d+(?:\.\d+)?)分[)）]?$")
LEVEL1 = {"产出指标", "效益指标", "满意度指标", "决策", "过程", "产出", "效益", "满意度", "项目成本指标"}
GRADE = re.compile(r"(?:checked[^>]*>|[☑√■✓])\s*(优|良|中|差)")
GRADE_WORD = re.compile(r"^[“\"]?(优秀|良好|中等|较差|优|良|中|差)[”\"]?$")
CN = "一二三四五六七八九"


def cn_number(text: str) -> int:
    """一 → 1, 十 → 10, 十一 → 11, 二十三 → 23."""
    if "十" not in text:
        return CN.index(text) + 1 if text in CN else 0
    tens, _, units = text.partition("十")
    return (CN.index(tens) + 1 if tens else 1) * 10 + (CN.index(units) + 1 if units else 0)


def is_heading(text: str) -> bool:
    """A short numbered line: 一、… or （一）…"""
    return bool((TOP.match(text) or SUB.match(text) or PART.match(text)) and len(text) <= 40)


def join_wrapped(lines: list[SourceLine]) -> list[SourceLine]:
    """Join prose lines that a page or column break cut mid-sentence, so each
    paragraph (and each number with its words) is one line again."""
    out: list[SourceLine] = []
    for line in lines:
        prev = out[-1] if out else None
        if (
            prev is not None
            and not prev.is_row
            and not line.is_row
            and len(prev.text) >= 20
            and not SENTENCE_END.search(prev.text)
            and (re.search(r"[，,、]$", prev.text) or not is_heading(prev.text))
            and not (TOP.match(line.text) or SUB.match(line.text) or PART.match(line.text))
        ):
            out[-1] = SourceLine((prev.text + line.text,), prev.line, prev.page)
        else:
            out.append(line)
    return out


def _top_level(lines: list[SourceLine]) -> re.Pattern:
    """How a narrative numbers its sections: 一、 (national), or (一) where it starts so and prints
    no 一、 up to its performance section's heading (浙江's, under its numbered part heading) — a
    绩效自评报告 nested there numbers its own 一、二、…, which are no sections of the narrative."""
    heads = [line.text for line in lines if not line.is_row and is_heading(line.text)]
    if not heads or not SUB.match(heads[0]):
        return TOP
    performance = next((n for n, text in enumerate(heads) if "绩效" in text), len(heads))
    return TOP if any(TOP.match(text) for text in heads[:performance + 1]) else SUB


def split_sections(lines: list[SourceLine]) -> tuple[list[Section], list[SourceLine], str | None]:
    """Narrative sections by top-level heading; the performance section's lines
    (its heading mentions 绩效) are returned apart, ending at the next top-level
    heading numbered after it (nested reports restart at 一、)."""
    sections: list[Section] = []
    perf: list[SourceLine] = []
    perf_number = None
    perf_heading = None
    sub = ""
    top = _top_level(lines)
    for line in lines:
        text = line.text
        m = top.match(text) if not line.is_row else None
        number = cn_number(m.group(1)) if m else 0
        if perf_number is not None:
            if m and number > perf_number and len(text) <= 40:
                perf_number = None
            else:
                perf.append(line)
                continue
        if m and len(text) <= 40:
            if "绩效" in text:
                perf_number, perf_heading = number, text
                continue
            sections.append(Section(text, line=line.line, page=line.page))
            sub = ""
            continue
        if not sections:
            sections.append(Section("", line=line.line, page=line.page))
        if SUB.match(text) and len(text) <= 40:
            sub = text
        heads = (sections[-1].heading, sub) if sub else (sections[-1].heading,)
        sections[-1].paragraphs.append(Paragraph(text, heads, line.line, line.page))
    return sections, perf, perf_heading


def grids(lines: list[SourceLine]) -> list[tuple[str, list[SourceLine]]]:
    """Runs of table rows in prose, each with the short line printed above it."""
    out: list[tuple[str, list[SourceLine]]] = []
    title = ""
    run: list[SourceLine] = []
    for line in lines:
        if line.is_row:
            run.append(line)
            continue
        if run:
            out.append((title, run))
            run = []
        if len(line.text) <= 40:
            title = line.text
    if run:
        out.append((title, run))
    return out


def _num(text: str) -> float | None:
    try:
        return parse_number(text)
    except NotANumber:
        return None


def _weight(label: str) -> tuple[str, float | None]:
    s = re.sub(r"\s+", "", label)
    m = WEIGHT.match(s)
    return (m.group(1), float(m.group(2))) if m else (s, None)


def _levels(cells: list[str], carry: list[str], stated: dict[str, float]) -> list[str]:
    """Assign the 一级/二级 labels found before an indicator, carrying the last
    seen ones down the merged cells, and record the weights they state."""
    level1, level2 = carry
    for cell in cells:
        if not cell:
            continue
        name, w = _weight(cell)
        if w is not None:
            stated[name] = w
        if name in LEVEL1:
            level1, level2 = name, ""
        else:
            level2 = name
    return [level1, level2]


def _trim(cells: list[str]) -> list[str]:
    """Drop trailing blank cells (a PDF keeps them, a text extraction does not)."""
    while len(cells) > 1 and not cells[-1]:
        cells.pop()
    return cells


def _grade(cells: list[str]) -> str | None:
    """The grade a 评价等级 row gives: a ticked box (☑优), or the grade written in a
    cell of its own (优 / 优秀 …, as printed)."""
    m = GRADE.search(" ".join(cells))
    if m:
        return m.group(1)
    return next((GRADE_WORD.match(c.strip()).group(1) for c in cells[1:] if GRADE_WORD.match(c.strip())), None)


def _is_plain(cell: str) -> bool:
    return bool(re.fullmatch(r"-?\d+(?:\.\d+)?", cell.strip()))


def parse_self_evaluation(title: str, rows: list[SourceLine]) -> SelfEvaluation | None:
    """A 项目支出绩效自评表 (right-anchored: 分值 and 得分 are the last two plain numbers)."""
    texts = [_trim([c.strip() for c in r.cells]) for r in rows]
    if not any("项目名称" in c for t in texts for c in t) or not any("年度资金总额" in c for t in texts for c in t):
        return None
    project = ""
    funds: dict[str, float | None] = {}
    items = []
    stated: dict[str, float] = {}
    carry = ["", ""]
    total_weight = total_score = grade = None
    in_indicators = False
    for line, cells in zip(rows, texts):
        nonblank = [c for c in cells if c]
        if not nonblank:
            continue
        if re.sub(r"\s+", "", nonblank[0]) == "评价等级":
            grade = _grade(nonblank)
        elif nonblank[0] == "项目名称" and len(nonblank) > 1:
            project = nonblank[1]
        elif "年度资金总额" in nonblank:
            figures = nonblank[nonblank.index("年度资金总额") + 1 :]
            keys = ("budget_initial", "budget_full", "executed", "weight", "rate", "score")
            funds = {k: _num(v) for k, v in zip(keys, figures)}
        elif re.sub(r"\s+", "", nonblank[0]) == "总分":
            nums = [_num(c) for c in nonblank[1:] if is_number(c)]
            total_weight, total_score = (nums + [None, None])[:2]
        elif any("一级" in c for c in cells) and any("三级" in c for c in cells):
            in_indicators = True
        elif in_indicators:
            pair = next((i for i in range(len(cells) - 2, -1, -1)
                         if _is_plain(cells[i]) and _is_plain(cells[i + 1])), None)
            if pair is None or pair < 3:
                carry = _levels(cells, carry, stated)
                continue
            name_at = pair - 3
            carry = _levels(cells[:name_at], carry, stated)
            items.append({
                "level1": carry[0], "level2": carry[1], "indicator": cells[name_at],
                "target": cells[pair - 2], "actual": cells[pair - 1],
                "weight": float(cells[pair]), "score": float(cells[pair + 1]),
                "reason": " ".join(c for c in cells[pair + 2 :] if c), "line": line.line, "page": line.page,
            })
    return SelfEvaluation(
        project=project, funds=funds, indicators=pd.DataFrame(items), stated_weights=stated,
        total_weight=total_weight, total_score=total_score, line=rows[0].line, page=rows[0].page, grade=grade,
    )


def parse_score_sheet(title: str, rows: list[SourceLine]) -> ScoreSheet | None:
    """A 评分表 with 分值 and 评价得分 columns (right-anchored, trailing blanks are lost),
    or an indicator system (评价指标体系表) with 分值 but no 得分: its labels (10分) are
    still checked against their items."""
    texts = [_trim([c.strip() for c in r.cells]) for r in rows]
    header = next((t for t in texts if any("一级指标" in c for c in t)), None)
    if header is None or any("年度资金总额" in c for t in texts for c in t):
        return None
    scored = any("得分" in c for c in header)
    if not scored and not any(re.search("分值|权重", c) for c in header):
        return None
    items = []
    stated: dict[str, float] = {}
    carry = ["", ""]
    total = grade = None
    for line, cells in zip(rows, texts):
        nonblank = [c for c in cells if c]
        if not nonblank or any("一级指标" in c for c in cells):
            continue
        head = re.sub(r"\s+", "", nonblank[0])
        if head == "总分":
            nums = [_num(c) for c in nonblank[1:] if is_number(c)]
            total = nums[-1] if nums else None
            continue
        if head == "评价等级" or GRADE.search(" ".join(cells)):
            grade = _grade(nonblank) or grade
            continue
        last = len(cells) - 1
        score = float(cells[last]) if (scored and _is_plain(cells[last]) and last >= 2
                                       and not _is_plain(cells[last - 1])) else None
        crit_at = last - 1 if score is not None else last
        weight_at = next((i for i in range(crit_at - (0 if score is None else 0), -1, -1) if _is_plain(cells[i])), None)
        name_at = None if weight_at is None else next(
            (i for i in range(weight_at - 1, -1, -1) if cells[i] and not _is_plain(cells[i])), None)
        if name_at is None:
            carry = _levels([c for c in cells if len(c) <= 20 and not _is_plain(c)], carry, stated)
            continue
        before = cells[:name_at]
        for i, c in enumerate(before):
            if _is_plain(c) and i > 0:
                stated[_weight(before[i - 1])[0] or carry[1]] = float(c)
        carry = _levels([c for c in before if not _is_plain(c)], carry, stated)
        items.append({"level1": carry[0], "level2": carry[1], "indicator": cells[name_at],
                      "weight": float(cells[weight_at]), "score": score, "line": line.line, "page": line.page})
    return ScoreSheet(title=title, items=pd.DataFrame(items), stated_weights=stated, total_score=total,
                      grade=grade, line=rows[0].line, page=rows[0].page)


def build_prose(lines: list[SourceLine], after: int, named: bool = True) -> tuple[Narrative, Performance]:
    """The narrative and performance section from the narrative parts (narrative_spans); a part
    of its own on 绩效 is the performance section whole, under its heading."""
    sections, perf_lines, perf_heading = [], [], None
    for begin, end, performance in narrative_spans(lines, after, named):
        # a part heading inside a part is a page's running head (narrative_parts.part_heads)
        body = join_wrapped([line for line in lines[begin + 1 : end] if not PART.match(line.text)])
        found, perf, heading = ([], body, performance) if performance else split_sections(body)
        sections += found
        perf_lines += perf
        perf_heading = perf_heading or heading
    perf = Performance()
    heads = (perf_heading,) if perf_heading else ()
    for line in perf_lines:
        if not line.is_row:
            perf.paragraphs.append(Paragraph(line.text, heads, line.line, line.page))
    for title, run in grids(perf_lines):
        perf.tables.append(GridTable(title, [r.cells for r in run], [r.line for r in run], [r.page for r in run]))
        evaluation = parse_self_evaluation(title, run)
        if evaluation is not None:
            perf.self_evaluations.append(evaluation)
            continue
        sheet = parse_score_sheet(title, run)
        if sheet is not None:
            perf.score_sheets.append(sheet)
    return Narrative(sections), perf
