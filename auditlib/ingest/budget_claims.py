"""Read the claims of a budget's narrative (预算编制说明, 其他相关情况说明, 预算情况说明): every
figure in 万元 or % with what its words say it is (issue 30; notes/i30-design.md §1.3).

A budget prints its narrative around its tables (Shanghai before and after them, Jiangsu after),
so the reader walks every line of the document, joins the sentences a page or a line break cut
(auditlib.ingest.budget_paragraphs), and reads sentence by sentence.
A figure's kind comes from the words just before it: 占 → share, 增长/减少 … % → rate, 与上年相比
增加 … 万元 → change, 执行数为 → prior, 预算安排 → again (the amount restated), else an amount named
by the clause (budget-subjects.yaml) or by the 科目 the paragraph is about (“A（类）B（款）C（项）”,
法院（款）行政运行（项）).  Figures after 主要原因 / 主要是 or in parentheses explain, never restate:
they are claims too, left unchecked.  Which cell a claim restates is the budget narrative
check's business (auditlib.rules.prose.budget).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from auditlib.claims import BudgetFigure, Claim, ProseReading
from auditlib.ingest.budget_paragraphs import BudgetParagraph, paragraphs
from auditlib.ingest.words import FIGURE, THRESHOLD
from auditlib.model import Report
from auditlib.yamlfiles import load

__all__ = ["BUDGET_SUBJECTS_SCHEMA", "BudgetSubject", "budget_subjects", "item_tables", "read_budget_prose"]

_CODES = {"type": "array", "minItems": 1, "items": {"type": "string", "pattern": r"^B\d\d$"}}
_SUBJECT = {"type": "object", "required": ["key", "words"], "additionalProperties": False,
            "properties": {"key": {"type": "string"}, "words": {"type": "string", "format": "regex"},
                           "cells": {"type": "array", "items": {"type": "string",
                                                                "pattern": r"^(B\d\d|@)\[[^\]]+\]\.\w+$"}}}}
BUDGET_SUBJECTS_SCHEMA = {
    "type": "object", "required": ["item_tables", "subjects"], "additionalProperties": False,
    "properties": {
        "item_tables": {"type": "object", "required": ["class", "item"], "additionalProperties": False,
                        "properties": {"class": _CODES, "item": _CODES}},
        "subjects": {"type": "array", "items": _SUBJECT},
    },
}
# “一般公共服务支出（类）统计信息事务（款）专项普查活动（项）” / 法院(款)行政运行(项)
_NAME = r"([^“”\d,，。;；:：()、.．\s]+?)"
ITEM = re.compile(rf"(?:{_NAME}\(类\))?(?:{_NAME}\(款\))?{_NAME}\(项\)")
CLASS = re.compile(rf"{_NAME}\(类\)")
SEGMENT = re.compile(rf"{_NAME}\(款\)")
EXPLAINS = re.compile(r"主要原因|主要是|主要用于|原因是|用于")
CHANGE = re.compile(r"(增加|减少|小于|大于)(上年预算数|上年数)?了?$")
RATE = re.compile(r"(增长|增加|减少|下降|降幅|降低|减幅|增幅)了?$")
DOWN = ("减少", "下降", "降幅", "降低", "减幅", "小于", "少")
LIST_OPENER = re.compile(r"(其中|包括)[:：]?$")
# what a change is compared with (比2023年预算数, 较上年, 与上年相比, 同口径比2020年): not its subject
VERSUS = re.compile(r"(?:同口径)?(?:比|较|与|同比)(?:上年|上年度|(?:19|20)\d{2}年度?)?(?:年初)?(?:预算执行数|预算数?|执行数)?"
                    r"(?:相比)?$")
# an amount that is last year's, written in the comparison: 较2020年的30.00万元减少…, 比上年 28 万元增加…
PRIOR = re.compile(r"(?:比|较|与)(?:上年|上年度|(?:19|20)\d{2}年度?)(?:年初)?(?:预算数?)?的?$")
# a 类 named as such without “（类）”: 社会保障和就业支出预算, 文化旅游体育与传媒支出类科目
CLASS_NAMED = re.compile(r"(?P<name>[\u4e00-\u9fff]{2,}?支出)(?:类科目|类|预算数?)?")
# a 科目 named with its code: 行政运行(2150101), 住房公积金（2210201）预算数
CODED = re.compile(r"(?P<name>[\u4e00-\u9fff]{2,}?)[(（](?P<code>\d{3}|\d{5}|\d{7})[)）](?:科目)?(?:预算数?)?")
# what names nothing before a clause's subject: an enumeration mark, the body (本部门, or its name:
# 江苏省高级人民法院, …街道办事处 — a name ends in 院/局/处…, a 类 name never does) and the year
_BODY = r"[\u4e00-\u9fff]{2,}?(?:院|局|处|委员会|委|中心|厅|办|所|站|馆|校|园|队|社|室|部|府)(?=本年|当年|(?:19|20)\d{2}|收|支|基本|项目)"
LEAD = re.compile(r"^(?:\s*[(（]?[一二三四五六七八九十\d]+[)）、.．]\s*)?"
                  rf"(?:[、:：\s]|其中|本部门|本单位|我单位|我部门|部门|单位|{_BODY}|(?:19|20)\d{{2}}\s*年度?|本年度?|当年|全年|经汇总)*")


@dataclass(frozen=True)
class BudgetSubject:
    """What a clause names (`words`) and where the tables print it (`cells`, first choice first)."""

    key: str
    words: re.Pattern
    cells: tuple[str, ...] = ()


@cache
def _vocabulary() -> dict:
    """The bundled budget vocabulary (ingest/budget-subjects.yaml), validated."""
    return load(str(resources.files("auditlib.ingest").joinpath("budget-subjects.yaml")), BUDGET_SUBJECTS_SCHEMA).data


@cache
def budget_subjects() -> tuple[BudgetSubject, ...]:
    """What a clause names and where the tables print it (budget-subjects.yaml `subjects`)."""
    return tuple(BudgetSubject(e["key"], re.compile(e["words"]), tuple(e.get("cells", ())))
                 for e in _vocabulary()["subjects"])


def item_tables(depth: int) -> tuple[str, ...]:
    """The tables a paragraph's 科目 of `depth` names (1: a 类 alone, else 款 / 项) is looked up
    in, first choice first (budget-subjects.yaml `item_tables`)."""
    return tuple(_vocabulary()["item_tables"]["class" if depth == 1 else "item"])


def naming(clause: str) -> str:
    """A clause without what names nothing of its own: an enumeration mark, who and when
    (其中、本部门 2024 年、本年) before, 为 / 是 / 的 / 安排 / 数 after — what is left is matched
    whole by the generic sums (“支出预算”, “基本支出”), within by the rest."""
    words = re.sub(r"(为|是|的|了|共|约|达|安排|数)+$", "", clause)
    return LEAD.sub("", words)


def subject_key(clause: str) -> str:
    """The vocabulary key a clause names ('' for none): its first entry whose words it contains."""
    words = naming(clause)
    return next((s.key for s in budget_subjects() if s.words.search(words)), "")


class _Reader:
    """The claims of one budget narrative, read in order; what the paragraphs so far are about."""

    def __init__(self) -> None:
        self.prose = ProseReading()
        self.klass = self.segment = ""  # the 类 and 款 last named (Jiangsu names them in headings)
        self.item: tuple[str, ...] = ()
        self.head = -1  # the amount the figures that follow are about
        self.change = self.prior = -1
        self.list_head = -1  # the total a list after 其中 divides
        self.listing = 0
        self.list_open = False  # the list goes on in the next paragraph
        self.carry = False  # the paragraph before named a 科目: its 执行数 sentence may follow apart
        self.paragraphs = 0  # paragraphs read: the shares of one paragraph with a named base are one list
        self.sentences = 0  # sentences read, and the one the amount `head` is in
        self.head_sentence = -1
        self.said: dict[int, int] = {}  # sentence → the amounts it says (one alone is what the next one's change is of)
        self.first = 0

    def claim(self, p: BudgetParagraph, sentence: str, role: str, kind: str, value: float, unit: str, decimals: int,
              words: str, **fields) -> BudgetFigure:
        """A claim (what its words say it is) and what it is as the budget check reads it."""
        claim = Claim(len(self.prose.claims), sentence.strip(), "预算说明", words, kind, value, unit, decimals,
                      line=p.line, page=p.page)
        self.prose.claims.append(claim)
        figure = BudgetFigure(claim.id, role, **fields)
        self.prose.budget.append(figure)
        return figure

    def paragraph(self, p: BudgetParagraph) -> None:
        """A paragraph: the 科目 it names, then its sentences."""
        self.paragraphs += 1
        self.first = len(self.prose.claims)  # the paragraph's first claim
        if not self.list_open:
            self.list_head = -1  # the list a paragraph ending 其中： opened is over
        named = ITEM.search(p.text)
        klass, segment = CLASS.search(p.text), SEGMENT.search(p.text)
        if klass:
            self.klass, self.segment = klass.group(1).strip(), ""
        if segment:
            self.segment = segment.group(1).strip()
        if named:
            self.item = (self.klass, self.segment, named.group(3).strip())
        elif segment:
            self.item = (self.klass, self.segment)
        elif klass:
            self.item = (self.klass,)
        else:
            self.item = ()
        if not self.carry or named or re.match(r"^\s*[(（]?[一二三四五六七八九十\d]+[)）、.．]", p.text):
            self.head = -1  # a paragraph's figures are about its own amounts (a 科目's go on in the next)
        self.carry = bool(named)
        self.change = self.prior = -1
        for sentence in re.findall(r"[^。；;]+[。；;]?", p.text):
            self.sentence(p, sentence)
        if LIST_OPENER.search(p.text.rstrip("。 ")) and self.head >= 0:
            self.list_head, self.listing = self.head, self.listing + 1
            self.list_open = True
        else:  # its parts go on in the paragraphs that end in ；
            self.list_open = self.list_open and p.text.rstrip()[-1:] in (";", "；", ",", "，")

    def sentence(self, p: BudgetParagraph, sentence: str) -> None:
        """Each figure of one sentence, by the words before it."""
        explaining = False
        last = 0
        self.sentences += 1
        thresholds = [t.span() for t in THRESHOLD.finditer(sentence)]  # 50万元以上的项目: a name, not an amount
        for m in FIGURE.finditer(sentence):
            if any(a <= m.start() < b for a, b in thresholds):
                continue
            unit = "万元" if m.group("unit") in ("万元", "万") else m.group("unit")
            if unit == "个":
                self.projects(p, sentence, m)
            if unit not in ("万元", "%"):
                continue
            before = sentence[last:m.start()]
            last = m.end()
            if "其中" in before and self.head >= self.first:  # X 万元，其中：A 万元，占 P%: a list of X
                self.list_head, self.listing = self.head, self.listing + 1
            explaining = explaining or bool(EXPLAINS.search(before))
            inside = sentence[:m.start()].count("(") > sentence[:m.start()].count(")")
            num = m.group("num").replace(",", "")
            value, decimals = float(num), len(num.split(".")[1]) if "." in num else 0
            clause = re.split(r"[,，;；:：]", before)[-1].strip()
            if explaining or inside:
                self.claim(p, sentence, "explains", "amount" if unit == "万元" else "rate", value, unit, decimals,
                           clause or "说明中的数字")
            elif unit == "%":
                self.percent(p, sentence, before, clause, value, decimals)
            else:
                self.amount(p, sentence, before, clause, value, decimals)

    def projects(self, p: BudgetParagraph, sentence: str, m: re.Match) -> None:
        """The number of projects with 绩效目标 (编报绩效目标的项目5个, 共 6 个项目实行绩效目标管理):
        a count claim, held against the 绩效目标表's forms where they are printed."""
        if "绩效目标" in sentence and (re.search(r"项目\s*$", sentence[:m.start()]) or
                                       re.match(r"\s*项目", sentence[m.end():])):
            self.claim(p, sentence, "count", "count", float(m.group("num").replace(",", "")), "个", 0,
                       "绩效目标项目个数", subject="performance_projects")

    def percent(self, p: BudgetParagraph, sentence: str, before: str, clause: str, value: float, decimals: int) -> None:
        """占 P% (of the base it names, else of the total the list after 其中 divides), or a rate
        of the amount last said (over its change, else the 执行数 the sentence names)."""
        share = re.search(r"占(?P<base>[^,，;；]*?)的?$", before.strip())
        if share:
            base = share.group("base")
            key = subject_key(base) if base else ""
            self.claim(p, sentence, "share", "share", value, "%", decimals, f"占{base}" if base else "占比",
                       subject=key, head=self.head, base=-1 if key else self.list_head,
                       listing=-self.paragraphs if key else self.listing)
            return
        rate = RATE.search(before.strip())
        sign = -1 if rate and rate.group(1) in DOWN else 1
        self.claim(p, sentence, "rate" if rate else "other", "growth", value, "%", decimals, clause or "增减率",
                   sign=sign, head=self.head, base=self.change if self.change >= 0 else self.prior)

    def amount(self, p: BudgetParagraph, sentence: str, before: str, clause: str, value: float, decimals: int) -> None:
        """A 万元 figure: a change (比上年增加, 公务接待费减少), a 上年 or 执行数 figure, the amount
        said again (预算安排), the 绩效目标 funds, else an amount of the 科目 the paragraph names or
        of what its clause names (a 类 by its name: 住房保障支出预算)."""
        stripped = before.strip()
        changed = CHANGE.search(stripped)
        if changed:  # an amount said as 增加 / 减少 is never the cell itself
            sign = -1 if changed.group(1) in DOWN else 1
            self.head = self.changed_head(stripped[:changed.start()])
            self.change = self.claim(p, sentence, "change", "change", value, "万元", decimals,
                                     clause or "比上年增减", sign=sign, head=self.head).claim
            return
        if re.search(r"执行数为?$|上年[:：]?$", stripped) or PRIOR.search(stripped):
            self.prior = self.claim(p, sentence, "prior", "prior", value, "万元", decimals, clause,
                                    head=self.head).claim
            return
        if re.search(r"预算安排$", stripped) and self.head >= 0:
            self.claim(p, sentence, "again", "amount", value, "万元", decimals, clause, head=self.head)
            return
        item, self.item = self.item, ()  # the 科目 the paragraph names is its first amount's
        key = "" if item else subject_key(clause)
        if key == "performance_funds":
            self.claim(p, sentence, "coverage", "amount", value, "万元", decimals, clause, subject=key)
            return
        if not (item or key):
            item = class_named(clause)
        figure = self.claim(p, sentence, "amount", "amount", value, "万元", decimals, clause or "金额",
                            subject=key, item=item)
        if re.match(r"占", clause):
            return  # 占项目支出 5533 万元: a base named, or two items the converter ran together — no share's head
        self.head, self.change, self.prior = figure.claim, -1, -1
        self.head_sentence = self.sentences
        self.said[self.sentences] = self.said.get(self.sentences, 0) + 1

    def changed_head(self, words: str) -> int:
        """The amount a change is of: the one of this paragraph its words name (其中因公出国(境)费
        增加 → the 因公出国(境)费 amount), else — naming nothing — the amount said before it in the
        same sentence, or alone in the sentence before (Jiangsu: “… X 万元。与上年相比增加 …”); -1
        when neither (同口径比2020年减少 after a list: of the list's total or its
        last part, which the words do not say)."""
        named = VERSUS.sub("", re.sub(r"\s+", "", re.split(r"[,，;；:：]", words)[-1]))
        key, item = (subject_key(named), class_named(named)) if named else ("", ())
        if key or item:
            return next((f.claim for f in reversed(self.prose.budget) if f.claim >= self.first and f.role == "amount"
                         and (f.subject, f.item) == (key, item)), -1)
        if naming(named):
            return -1  # it names something the paragraph gave no amount of
        alone = self.head_sentence == self.sentences - 1 and self.said[self.head_sentence] == 1
        return self.head if self.head_sentence == self.sentences or alone else -1


def class_named(clause: str) -> tuple[str, ...]:
    """A 科目 a clause names without “（类）”: with its code (行政运行(2150101): (name, code), the
    row of that code and name) or a 类 by its name alone (社会保障和就业支出预算, 文化旅游体育与传媒支出
    类科目: a 科目 of one level) — which the check finds in the tables or leaves unchecked."""
    words = naming(clause)
    coded = CODED.fullmatch(words)
    if coded:
        return coded.group("name"), coded.group("code")
    m = CLASS_NAMED.fullmatch(words)
    return (m.group("name"),) if m and not subject_key(m.group("name")) else ()


def read_budget_prose(report: Report) -> ProseReading:
    """Every claim of a budget's narrative, in reading order (`ProseReading.budget` says what
    each is; the 决算 readings stay empty)."""
    reader = _Reader()
    for p in paragraphs(report):
        if "万元" in p.text or "%" in p.text or "(类)" in p.text or "(款)" in p.text:
            reader.paragraph(p)
    return reader.prose
