"""Read the claims of a report's prose: every figure of the narrative (第三部分 情况说明) with what
it is about and what kind of figure it is, the years its wording names, its itemised and 其中
lists, its 决算数/预算数 comparisons in words, the amounts written in 万元 and 元, the grades of
the performance section — in the order the checks judge them (`read_prose`).

The reading needs no table and no rule: the subject groups come from the clause reader
(auditlib.ingest.paragraphs) and the bundled subject vocabulary; which cell a claim restates is
the narrative check's business (auditlib.rules.prose).
"""

from __future__ import annotations

import re

from auditlib.claims import Claim, Figure, Graded, ProseReading, Sentence
from auditlib.ingest.paragraphs import ParagraphReader
from auditlib.ingest.vocabulary import load_subjects, vocabulary
from auditlib.ingest.words import (ENUM, SENTENCE, YEAR, listings, names, naming, restatements, subject_of,
                                   tidy)
from auditlib.model import Report

__all__ = ["COMPARISON", "GRADED", "compared_words", "read_prose", "sentences"]

ITEM = re.compile(r"([^、。，,:：]+?)\(类\)([^。，,]+?)\(款\)([^。，,]+?)\(项\)")
# 决算数 … 预算数: `mid` and `after` hold the direction words, if any.
COMPARISON = re.compile(r"决算数?(?P<mid>[^，,。；;\d]{0,12}?)(?:年初)?预算数?(?P<after>[^，,。；;\d]{0,6})")
GRADE = r"(?P<grade>优秀|良好|中等|较差|优|良|中|差)"
# A score and the grade given to it: 最终评价结果为 95 分,评价等级为优 / 平均得分94.61分，档次“优”
GRADED = re.compile(r"(?:得分|评分|结果|总分|分数)\s*(?:为|是|:|：)?\s*(?P<score>\d+(?:\.\d+)?)\s*分"
                    r"[^。；;（(其]{0,12}?(?:评价等级|等级|档次|评级)\s*(?:为|是|:|：)?\s*[“\"「]?" + GRADE
                    + r"(?![^，,。；;]{0,3}项目)")
RATES = ("share", "completion", "growth", "deviation")


def sentences(report: Report, subjects=None) -> list[Sentence]:
    """Every sentence of the narrative with its figures, each figure in its subject group."""
    subjects = load_subjects() if subjects is None else subjects
    out: list[Sentence] = []
    reader = None
    for section in report.narrative.sections:
        item = None
        for p in section.paragraphs:
            text = tidy(p.text)
            named = ITEM.search(text)
            if named:
                item = tuple(re.sub(r"\s+", "", g) for g in named.groups())
            elif ENUM.match(text):
                item = None
            heading = " ".join(h for h in p.headings if h)
            if not (reader and reader.section == heading and continues(text, subjects, heading)):
                reader = ParagraphReader(subjects, heading, report.year)
            previous = ""
            for raw in SENTENCE.findall(text):
                figures, head = reader.read(raw)
                subject = subject_of(raw) or previous or ("{}(类){}(款){}(项)".format(*item) if item else "")
                out.append(Sentence(raw.strip(), heading, subject, item, figures, p.line, p.page, reader.groups, head))
                previous = subject or previous
    return out


def continues(text: str, subjects, section: str) -> bool:
    """A paragraph that opens naming nothing (“完成年初预算的 100.00%。”, “决算数同预算数持平。”)
    goes on with the paragraph before it: a page break cut it there."""
    first = re.split(r"[,，。;；:：]|\d", text, maxsplit=1)[0]
    return not ENUM.match(text) and bool(first.strip()) and not names(subjects, section, first)


def compared_words(text: str) -> tuple[str, set[int]] | None:
    """A 决算数/预算数 comparison in words: the words before it and the directions it names
    (vocabulary.yaml `directions`: +1 大于, -1 小于, 0 持平); None when the sentence makes none."""
    m = COMPARISON.search(re.sub(r"\s+", "", text))
    if not m:
        return None
    said = {v for w, v in vocabulary()["directions"].items() if w in m.group("mid") + m.group("after")}
    return m.string[:m.start()], said


class _Reading:
    """The claims being read, numbered in order."""

    def __init__(self) -> None:
        self.prose = ProseReading()

    def claim(self, **fields) -> int:
        claim = Claim(len(self.prose.claims), **fields)
        self.prose.claims.append(claim)
        return claim.id

    def said(self, s: Sentence, **fields) -> int:
        """A claim of a narrative sentence."""
        return self.claim(text=s.text, section=s.section, line=s.line, page=s.page, **fields)


def read_prose(report: Report) -> ProseReading:
    """Every claim of the report's prose, in the order the checks judge them: sentence by
    sentence (its years, its itemised list, its figures, its comparison in words), the
    narrative's 其中 lists, then the performance section's grades and lists and the 万元/元
    restatements of both."""
    reading = _Reading()
    reading.prose.sentences = sentences(report)
    _narrative(reading, report.year)
    for section in report.narrative.sections:
        for p in section.paragraphs:
            for item in listings(p.text):
                item.claim = reading.claim(
                    text=item.text, section=" ".join(h for h in p.headings if h), subject=f"其中所列各项之和（{item.unit}）",
                    kind="count", value=item.total, unit=item.unit, decimals=0, line=p.line, page=p.page)
                reading.prose.listed.append(item)
    _performance(reading, report)
    return reading.prose


def _narrative(reading: _Reading, year: int | None) -> None:
    """The claims of each sentence, in the order the narrative check judges them."""
    delta: dict[int, str] = {}  # group → the kind of the latest comparison said of it (change, difference)
    groups = None
    for s in reading.prose.sentences:
        if s.groups is not groups:
            groups, delta = s.groups, {}
        for stated, meant in _years(s.text, year):
            s.years.append((reading.said(s, subject="年份", kind="year", value=float(stated), unit="年", decimals=0),
                            meant))
        for what, stated, total in _itemised(s.text):
            s.itemised.append((reading.said(s, subject=f"逐项列举合计（{what}）", kind="count", value=float(stated),
                                            unit=what, decimals=0), total))
        for f in s.figures:
            if f.kind in ("change", "difference"):
                delta[f.group] = f.kind
            elif f.kind == "growth" and not (f.explanatory or f.paired) and delta.get(f.group) == "difference":
                f.kind = "deviation"  # 与年初预算相比增加 N 万元，增长 P%: of the budget, not last year
            f.claim = reading.said(s, subject=_subject(s, f), kind=f.kind, value=f.value, unit=f.unit,
                                   decimals=f.decimals, versus=f.versus)
        if compared_words(s.text) is not None:
            s.comparison = reading.said(s, subject="决算数与预算数比较", kind="words", value=None, unit="", decimals=0)


def _subject(s: Sentence, f: Figure) -> str:
    """What a figure's claim says it is about: an amount's subject group (else the sentence's
    subject), a rate's or a comparison's own words."""
    if f.kind in ("amount", "budget", "count", "prior"):
        return (naming(s.words(f)) or s.subject).strip(" ，,：:。为是")
    if f.kind == "difference" or f.kind in RATES:
        return f.words.strip(" ，,：:")
    return f.words.strip(" ，,")


def _years(text: str, year: int | None) -> list[tuple[int, int]]:
    """The years a sentence's wording ties to the report's (printed, meant): 与 2021 年度预算相比
    is this year's budget, 较 2020 年 last year, 截至 2021 年 12 月 31 日 this year's end."""
    if year is None:
        return []
    out = []
    for m in YEAR.finditer(text):
        before = text[max(0, m.start() - 4):m.start()]
        after = text[m.end():m.end() + 8]
        if re.search(r"(较|比|与)\s*$", before) and re.match(r"\s*年?度?\s*(年初|全年|调整)?预算", after):
            out.append((int(m.group("year")), year))
        elif re.search(r"(较|比|与)\s*$", before):
            out.append((int(m.group("year")), year - 1))
        elif re.search(r"(截止|截至|截止到)\s*$", before) and re.match(r"\s*12\s*月\s*31", after):
            out.append((int(m.group("year")), year))
    return out


def _itemised(text: str) -> list[tuple[str, int, int]]:
    """An itemised list (分别是 … 4 人、… 7 人): (人次 or 批, the figure stated before it, what
    the items add up to: the sum of their 人, the number of items)."""
    text = re.sub(r"\s+", " ", text)
    if "分别是" not in text:
        return []
    head, items = text.split("分别是", 1)
    items = re.split(r"，?其中", items)[0]
    people = [int(n) for n in re.findall(r"(\d+)\s*人(?!次)", items)]
    stated_people = re.search(r"(\d+)\s*人次", head)
    stated_batches = re.search(r"(\d+)\s*批", head)
    return [(what, int(stated.group(1)), total)
            for stated, total, what in ((stated_people, sum(people), "人次"), (stated_batches, len(people), "批"))
            if stated and people]


def _performance(reading: _Reading, report: Report) -> None:
    """The performance section's claims: the grades its prose gives, its 其中 lists, the
    万元/元 restatements (of the narrative too), the grades of its tables."""
    perf = report.performance
    for p in perf.paragraphs:
        for raw in SENTENCE.findall(tidy(p.text)):
            for m in GRADED.finditer(raw):
                _grade(reading, Graded(-1, float(m.group("score")), m.group("grade"), "绩效说明", "说明中的评价等级",
                                       p.line, p.page, raw.strip()))
    for p in perf.paragraphs:
        for item in listings(p.text):
            item.claim = reading.claim(text=item.text, section="绩效", subject=f"其中所列各项之和（{item.unit}）",
                                       kind="count", value=item.total, unit=item.unit, decimals=0, line=p.line,
                                       page=p.page)
            reading.prose.performance_listed.append(item)
    for p in report.narrative.paragraphs + perf.paragraphs:
        for r in restatements(p.text):
            r.claim = reading.claim(text=r.text, section=" ".join(h for h in p.headings if h) or "绩效",
                                    subject="万元与元", kind="yuan", value=r.yuan, unit="元", decimals=2, line=p.line,
                                    page=p.page)
            reading.prose.restated.append(r)
    for e in perf.self_evaluations:
        _grade(reading, Graded(-1, e.total_score, e.grade, f"项目支出绩效自评表 {e.project}", "表中评价等级",
                               e.line, e.page))
    for sheet in perf.score_sheets:
        _grade(reading, Graded(-1, sheet.total_score, sheet.grade, sheet.title or "评分表", "表中评价等级",
                               sheet.line, sheet.page))


def _grade(reading: _Reading, graded: Graded) -> None:
    """A grade given to a score (none without both), in the vocabulary's spelling (优秀 → 优)."""
    if graded.score is None or not graded.grade:
        return
    graded.grade = vocabulary()["grade_synonyms"].get(graded.grade, graded.grade)
    graded.claim = reading.claim(text=graded.text or graded.where, section="绩效", subject="评价等级", kind="grade",
                                 value=graded.score, unit="分", decimals=0, line=graded.line, page=graded.page)
    reading.prose.grades.append(graded)
