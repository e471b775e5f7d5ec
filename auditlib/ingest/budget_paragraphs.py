"""A budget's lines joined into the paragraphs its claims are read from (issues 26, 30).

A PDF's reader has joined its wrapped lines already; a converter's text (pdfplumber, pdftotext,
-layout) leaves one line per printed line, so a sentence wrapped as “…3,096.24 万元。其” /
“中：拟采购货物支出 268 万元、拟购买服务支出” / “2,828.24 万元。” comes in three pieces.  A line
goes on the paragraph above when that paragraph does not end a sentence (no 。；： at its end) and
either is prose or the line starts where no sentence starts (“万元，与上年相比…”, “28849.38 万元，…”,
“%；”); never when the line starts an item of its own (a numbered heading, 第四部分, 公开12表 …) or
is a table row (a bare amount, no clause mark).  A page number between a sentence's lines is left
out.  Else a claim is read with the wrong figure, or a table's figure with a sentence's words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from auditlib.ingest.pdf_assemble import MARKER
from auditlib.ingest.pdf_text import PAGE_NUMBER
from auditlib.ingest.prose import SENTENCE_END
from auditlib.ingest.words import CLAUSE_END, tidy
from auditlib.model import Report

__all__ = ["BudgetParagraph", "goes_on", "paragraphs"]

# prose, not a table row or title: a clause mark after a word, an amount in 万元 (a converter
# leaves “3,096.24 万元” spaced), or a sentence that ended with more after it (“…万元。其”)
PROSE = re.compile(r"[\u4e00-\u9fff][,，]|\d\s*万元|[。；;](?=.)")
# how no sentence starts: a clause mark, a unit, or an amount with its unit (the rest of a sentence)
MID_SENTENCE = re.compile(r"[,，。；;、:：%)）]|万?元|\d[\d,.]*\s*(?:万?元|%)")
UNIT_FIRST = re.compile(r"万?元|%")
# an amount as a table prints it (decimals or thousands grouped) with no unit after it
BARE_AMOUNT = re.compile(r"(?<![\d.,])(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+)(?![\d.,]|\s*(?:万|元|%|亿))")


@dataclass
class BudgetParagraph:
    """A paragraph as the budget reader takes it: the lines of one sentence run joined."""

    text: str
    page: int | None
    line: int | None


def _unspaced(text: str) -> str:
    """A line with its letter spacing undone (一 般 公 共 预 算 → 一般公共预算, 1 1,257.35 →
    11,257.35, 5.3 % → 5.3%): a figure keeps one space before its unit."""
    text = re.sub(r"(?<=[^\d\s.,]) +(?=[^\d\s.,%])", "", tidy(text).strip())
    return re.sub(r"(?<=\d) +(?=%)", "", text)


def goes_on(paragraph: str, line: str) -> bool:
    """Whether `line` goes on `paragraph`: the paragraph ends no sentence and is prose or the line
    starts mid-sentence; the line starts no item of its own (一、 （一） 1． 第四部分 公开12表 …) and
    is no table row (a bare amount and no clause mark)."""
    if SENTENCE_END.search(paragraph) or MARKER.match(line.replace(" ", "")):  # “公开 12 表” as “公开12表”
        return False
    if BARE_AMOUNT.search(line) and not CLAUSE_END.intersection(line):
        return False
    return bool(PROSE.search(paragraph) or MID_SENTENCE.match(line))


def _page_number(paragraph: str, line: str, after: str) -> bool:
    """A page's number between a sentence's lines (“增加 40” / “24” / “万元，增长…”): a number alone
    after prose that ends no sentence, unless it is its figure (“…购置预算支出” / “50” / “万元”)."""
    if SENTENCE_END.search(paragraph) or not PAGE_NUMBER.match(line) or not PROSE.search(paragraph):
        return False
    return paragraph[-1].isdigit() or not UNIT_FIRST.match(after)


def _glued(paragraph: str, line: str) -> str:
    """Two lines as one: figures at the seam stay apart (“2.31” and “309.03 万元”)."""
    return paragraph + (" " if paragraph[-1].isdigit() and line[0].isdigit() else "") + line


def paragraphs(report: Report) -> list[BudgetParagraph]:
    """The document's lines, letter spacing undone, joined where a break cut a sentence."""
    lines = [(text, p) for p in report.lines if (text := _unspaced(p.text))]
    out: list[BudgetParagraph] = []
    for i, (text, p) in enumerate(lines):
        after = lines[i + 1][0] if i + 1 < len(lines) else ""
        if out and _page_number(out[-1].text, text, after):
            continue
        if out and goes_on(out[-1].text, text):
            out[-1].text = _glued(out[-1].text, text)
        else:
            out.append(BudgetParagraph(text, p.page, p.line))
    return out
