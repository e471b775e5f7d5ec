"""Find the figures the prose states, what each is about, and what each restates.

A sentence is read clause by clause: ，；。、： and a parenthetical aside end a clause, 其中
and 含 open a list of parts, and a figure belongs to the subject its own clause names
("其中:本年支出合计 1539.44 万元,结余分配 0.00 万元" — 0.00 is 结余分配's, never 本年支出合计's;
"国内公务接待支出 5.24 万元(含外宾接待支出 0 万元)" — 0 is 外宾接待支出's).  A clause that
names nothing ("决算数为 68.56 万元", "占 98.54%", "增长 4.3%") is about the subject named just
before it.  A threshold inside a category's name (单价 50 万元(含)以上通用设备) is part of the
name, never an amount.  A list after 其中 / 主要用于以下方面 / 具体构成为 has the subject named
before it as its `head` (the base its parts' shares are of).

Each figure gets a `kind` from the words just before it (年初预算 → budget, 较…增加 → change,
增长 → growth, 占 → share, 完成…预算 → completion, 决算数大于预算数 N → difference, 较年初预算
增长 P% → deviation, otherwise the amount itself); rules/prose/subjects.yaml maps a subject
to the table cell it restates.  Figures that map nowhere stay in the list, unchecked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

import yaml

from auditlib.model import Claim, Report
from auditlib.rules.profile import flat
from auditlib.schema import FUNCTION_CLASSES

FIGURE = re.compile(
    r"(?<![\d.])(?P<num>\d+(?:,\d{3})*(?:\.\d+)?)\s*(?P<unit>万元|万|元|%|个|批次|批|人次|人|辆|台\(套\)|台|套)"
)
YEAR = re.compile(r"(?P<year>(?:19|20)\d{2})\s*年")
SENTENCE = re.compile(r"[^。；;]+[。；;]?")
ENUM = re.compile(r"^\s*(?:[(（][一二三四五六七八九十\d]+[)）]|\d+\s*[、.．]|[一二三四五六七八九十]+、)\s*")
_AMOUNT = r"\d+(?:\.\d+)?\s*万?元"
# A category named by a value threshold: 50 万元(含)以上, 50万元以上(含50万元), 100 万元（含）以上
THRESHOLD = re.compile(rf"{_AMOUNT}\s*(?:[(（]\s*含\s*(?:{_AMOUNT})?\s*[)）]\s*)?(?:及)?以上"
                       rf"(?:\s*[(（]\s*含\s*(?:{_AMOUNT})?\s*[)）])?")
CLAUSE_END = set("，,；;。、：:")
COUNTED = ("个", "批", "人次", "辆", "台")  # units of counts (folded by `unit_of`); the rest measure money
# Words after which a list of parts follows, whose base is the subject named before them.
OPENER = re.compile(r"其中|主要用于以下方面|具体构成为|构成为|构成如下|情况如下|支出决算中|决算中(?=[,，:：])")
# Words that name nothing by themselves: a clause holding only these is about the subject
# named before it ("决算数为", "较 2020 年增加", "占", "累计").
GENERIC = re.compile(
    r"本单位|本部门|我单位|我部门|本局|单位|部门|决算数?|预算数?|年初|全年|本年度?|当年|上年度?|上一年度|实际|支出|收入|"
    r"金额|总额|合计|总计|共计|累计|共|计|约|达到?|为|是|了|的|数|其中|含|分别|各|相比|较|比|与|同比|对比|增加|减少|"
    r"增长|下降|降低|上升|持平|大于|小于|高于|低于|超过|超出|少于|多于|完成|执行|比例|差值|差额|占|主要|全部|年度|年|月|日|万元|元|"
    r"截至|截止|到|\d+")
# 较上年 2.08 减少 0.03 万元: the prior year's amount written inside the comparison
PRIOR = re.compile(r"(?:较|比)\s*(?:上年|上年度|上一年度|(?:19|20)\d{2}\s*年度?)(?:同期)?(?:决算数?)?\s*"
                   r"(?P<prior>\d+(?:\.\d+)?)\s*(?:万元)?\s*(?:增加|减少|增长|下降)了?\s*$")
# 各是 A、B 万元 / 分别为 …: figures listed in pairs with their subjects, which this reader does not pair up
PAIRED = re.compile(r"各(?:是|为|减少|增加|下降|增长)|分别(?:为|是|减少|增加|下降|增长)")
VERSUS_BUDGET = re.compile(r"(?:较|比|与|对比)\s*(?:(?:19|20)\d{2}\s*年度?)?\s*(?:年初|全年|调整)?预算数?")


@dataclass
class Subject:
    """An entry of the subject vocabulary: the words (`subject`, a pattern) that name a cell
    (`target`) in a section of the narrative."""

    section: str
    subject: str
    target: str
    share_of: str = ""
    unit: str = ""
    kind: str = "identity"


@dataclass
class Group:
    """What a run of figures is about: the words of the clause that names it, whether that
    clause is an aside in parentheses (`nested`) or a part listed after 其中 / 含 (`part`),
    and the group whose total a listed part is a share of (`head`)."""

    words: str
    nested: bool = False
    part: bool = False
    head: int | None = None
    measures: set[str] = field(default_factory=set)  # what its figures measure: money, count


@dataclass
class Figure:
    """One figure in a sentence, before mapping."""

    value: float
    unit: str
    decimals: int
    kind: str  # amount | budget | change | growth | share | completion | count | difference | deviation | prior
    words: str  # the words of its clause just before it
    sign: int = 0  # change/growth: +1 增加/增长, -1 减少/下降
    start: int = 0
    explanatory: bool = False  # after 主要原因 / 分别是: an explanation, not a restated cell
    versus: int | None = None  # 较 2020 年: the year a change or growth compares with
    part: bool = False  # listed after 其中 / 含: a part, never the total named before the list
    group: int = -1  # the paragraph's subject group it is about (`Sentence.groups`)
    own: bool = False  # its own clause names its subject (else it is about the subject named before)
    base: str = ""  # 占 X 的 P%: X, the base the share names
    prior: float | None = None  # 较上年 2.08 减少 0.03 万元: the prior amount the sentence states
    prior_decimals: int = 2
    adjusted: bool = False  # a 全年预算 / 调整预算 (not the 年初预算)
    paired: bool = False  # in a 各是 / 分别为 pair list: which figure is whose is not read


@dataclass
class Sentence:
    text: str
    section: str
    subject: str
    item: tuple[str, str, str] | None = None  # the (类, 款, 项) names it is about
    figures: list[Figure] = field(default_factory=list)
    line: int | None = None
    page: int | None = None
    groups: list[Group] = field(default_factory=list)  # the paragraph's subject groups (shared)
    head: int | None = None  # the group a list in this sentence divides (其中, 主要用于以下方面)

    def words(self, f: Figure) -> str:
        """The words that name what a figure is about: its own clause's or its group's."""
        return self.groups[f.group].words if 0 <= f.group < len(self.groups) else ""


def load_subjects(path: str | Path | None = None) -> list[Subject]:
    """The subject vocabulary (NARR.amount's `subjects`): a path inside auditlib/rules/ (the
    bundled prose/subjects.yaml) or an auditor's own file."""
    name = str(path or "prose/subjects.yaml")
    bundled = resources.files("auditlib.rules").joinpath(name)
    source = bundled if not Path(name).is_absolute() and bundled.is_file() else Path(name)
    return [Subject(**e) for e in yaml.safe_load(source.read_text(encoding="utf-8"))]


@cache
def vocabulary() -> dict:
    """rules/prose/vocabulary.yaml: direction words, list nouns and fillers, grade synonyms."""
    text = resources.files("auditlib.rules").joinpath("prose/vocabulary.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def tidy(text: str) -> str:
    """Undo a PDF's letter spacing inside numbers (1 133.95, 28.1 1) and fold spaces."""
    text = re.sub(r"(?<=\d) (?=[\d.])|(?<=\.) (?=\d)", "", text)
    return re.sub(r"\s+", " ", text)


def _kind(words: str, unit: str, year: int | None = None, recent: str = "") -> tuple[str, int]:
    """What a figure is, from the sentence's words before it; `recent` (the words since the
    sentence's figure before it) tells a comparison with the budget (与年初预算相比增加)."""
    w = re.sub(r"\s+", "", words)
    clause = re.split(r"[，,；;：:、]", w)[-1]
    recent = re.sub(r"\s+", "", recent)
    if unit == "%":
        if re.search(r"占[^，,；;]*$", w):
            return "share", 0
        if re.search(r"(完成[^，,；;]*预算|预算完成率|预算执行率|预算执行比例|执行比例|执行率)[^，,；;]*$", w):
            return "completion", 0
        m = re.search(r"(增长|下降|降低|上升|增加|减少)了?(\((增长|下降)\))?[^，,；;\d]*$", w)
        if m:
            sign = 1 if m.group(1) in ("增长", "上升", "增加") else -1
            return ("deviation" if VERSUS_BUDGET.search(recent) else "growth"), sign
        return "percent", 0
    if re.search(r"(大于|小于|高于|低于|超过|少于|多于|超出|节约)(年初|全年|调整)?预算数?$|差(值|额)为?$", w):
        return "difference", 0
    m = re.search(r"(增加|减少|增长|下降)(\((增加|减少)\))?[^，,；;\d]*$", w)
    if m and (re.search(r"(较|比|与)", w) or re.search(r"(增加|减少)了?$", w)):
        sign = 1 if m.group(1) in ("增加", "增长") else -1
        return ("difference" if VERSUS_BUDGET.search(recent) else "change"), sign
    if re.search(r"年初预算[^，,；;]*$", w) or re.search(r"(全年|调整)?预算(数)?为?$", w):
        return "budget", 0
    stated = re.search(r"(?:上年|上年度|上一年度|(?P<year>(?:19|20)\d{2})\s*年度?)(?:同期)?(?:决算数?|实际支出)?(?:为|是)$",
                       clause)
    if stated and (not stated.group("year") or (year and int(stated.group("year")) < year)):
        return "prior", 0
    if unit in ("万元", "万", "元"):
        return "amount", 0
    return "count", 0


def _subject(sentence: str) -> str:
    """The words a sentence is about: up to its first figure or verb-ish word
    (after "本部门 2021 年度" or a department name ending in 年度)."""
    s = ENUM.sub("", sentence)
    s = re.sub(r"^[^，,。]*?\d{4}\s*年度", "", s)
    s = re.split(r"(?:\d|年初预算|决算数|支出决算为|为|较|比|，|,|:|：)", s, maxsplit=1)[0]
    return "" if re.match(r"主要(?:用于|原因|包括)", s) else s  # an explanation names no subject


def naming(words: str) -> str:
    """The words of a clause that name its subject: without an enumeration mark, a year,
    the comparison (较 2020 年增加, 与 2023 年度相比) or the figure's kind (年初预算数为, 占 … 的,
    支出决算为 — but 本年支出 and 财政拨款支出 keep their 支出: it is part of the name)."""
    w = ENUM.sub("", flat(words))
    w = re.sub(r"^[(（][^)）]*[)）]", "", w)
    w = re.sub(r"(?:较|比|与)(?:上年|上年度|上一年度|(?:19|20)\d{2}年度?)(?:决算数?)?(?:相比)?", "", w)
    w = VERSUS_BUDGET.sub("", w)
    w = re.sub(r"占[^，,]*$|完成[^，,]*$|(?:预算)?(?:执行|完成)(?:比例|率)[^，,]*$|(?:增加|减少|增长|下降|降低|上升)了?$",
               "", w)
    w = re.sub(r"(?:年初|全年|调整)?预算数?为?$|(?:(?<!本年|拨款)支出)?决算数?为?$|差(?:值|额)为?$|(?:为|是|达到?|共计|合计为|累计|的)$", "",
               w)
    return w


def _residue(words: str) -> str:
    """What is left of a clause's words once the words every clause may hold are taken out."""
    return GENERIC.sub("", re.sub(r"[^\u4e00-\u9fff\d]", "", words))


def _generic(words: str) -> bool:
    """Whether a clause's words name nothing of their own (fewer than two characters left)."""
    return len(_residue(words)) < 2


def names(subjects: list[Subject], section: str, words: str, unit: str = "万元") -> bool:
    """Whether a clause's words name a subject: they map to a cell, or hold more than the
    words every clause may hold."""
    words = naming(words)
    if not words:
        return False
    return not _generic(words) or resolve(subjects, section, (words,), unit, "amount") is not None


def _since_list(prefix: str) -> str:
    """The words since the sentence began or its last 其中: an explanation or a pair list
    before 其中 is over (“分别是 … 8 人，其中外事接待 0 批” — the 0 restates its cell)."""
    return re.split("。|其中", prefix)[-1]


def _closing(text: str, start: int) -> int:
    """The index of the parenthesis closing the one at `start` (-1 when none)."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] in "(（":
            depth += 1
        elif text[i] in ")）":
            depth -= 1
            if depth == 0:
                return i
    return -1


def _name_paren(inner: str) -> bool:
    """A parenthesis that belongs to a name — (境) (类) (含) (套) (维护) — not an aside."""
    return not re.search(r"\d", inner) and len(inner.strip()) <= 3


@dataclass
class _Clause:
    """A clause being read: its words since the last figure, its group, its frame."""

    nested: bool = False
    part: bool = False
    words: str = ""  # since the clause began or since its last figure
    all_words: str = ""  # since the clause began
    group: int | None = None


class ParagraphReader:
    """Reads the sentences of one paragraph in order, keeping the subject groups (and the
    head of an open list) from one sentence to the next."""

    def __init__(self, subjects: list[Subject] | None = None, section: str = "", year: int | None = None,
                 groups: list[Group] | None = None) -> None:
        self.groups: list[Group] = groups if groups is not None else []
        self.subjects = subjects
        self.section = section
        self.year = year
        self.last: int | None = None  # the last top-level group (what a clause naming nothing is about)
        self.history: list[int] = []  # the top-level groups, in the order figures were said of them
        self.head: int | None = None  # the group an open list divides
        self.listing = False  # inside a 其中 list (until the sentence ends with 。)
        self.pending: _Clause | None = None  # a clause naming a subject without a figure, just before

    def _group(self, words: str, clause: _Clause) -> int:
        self.groups.append(Group(words, clause.nested, clause.part, self.head if clause.part else None))
        return len(self.groups) - 1

    def _names(self, words: str, unit: str) -> bool:
        return names(self.subjects or [], self.section, words, unit)

    def _open_list(self, clause: _Clause) -> None:
        """其中 / 主要用于以下方面: the group named so far is the head of the list that follows
        (an aside's 其中 — “(其中外事接待 0 批次)” — opens no list of the sentence)."""
        if clause.nested:
            return
        named = naming(clause.all_words)
        if clause.group is None and self._names(named, "万元"):
            clause.group = self._group(named, clause)
            self.last = clause.group
        self.head = clause.group if clause.group is not None else self.last
        self.listing = True

    def read(self, raw: str) -> tuple[list[Figure], int | None]:
        """The figures of one sentence, each with its kind and group; the list head in it."""
        masks = [m.span() for m in THRESHOLD.finditer(raw)]
        figures = [m for m in FIGURE.finditer(raw) if not YEAR.match(raw, m.start())
                   and not any(s <= m.start() < e for s, e in masks)]
        by_start = {m.start(): m for m in figures}
        mask_end = dict(masks)
        stack = [_Clause(part=self.listing)]
        self.pending = None
        out: list[Figure] = []
        head = None
        i = out_end = 0
        while i < len(raw):
            top = stack[-1]
            if i in mask_end:
                top.words += raw[i:mask_end[i]]
                top.all_words += raw[i:mask_end[i]]
                i = mask_end[i]
                continue
            if i in by_start:
                m = by_start[i]
                out.append(self._figure(raw, m, top, stack, PAIRED.search(_since_list(raw[:i])) is not None,
                                        raw[out_end:m.start()]))
                top.words = ""
                out_end = m.end()
                i = m.end()
                continue
            ch = raw[i]
            if ch in "(（":
                j = _closing(raw, i)
                if j > 0 and _name_paren(raw[i + 1:j]):
                    top.words += raw[i:j + 1]
                    top.all_words += raw[i:j + 1]
                    i = j + 1
                    continue
                inner = raw[i + 1:].lstrip()
                stack.append(_Clause(nested=True, part=top.part or inner.startswith("含")))
                i += 1
                continue
            if ch in ")）" and len(stack) > 1:
                stack.pop()
                i += 1
                continue
            opener = OPENER.match(raw, i)
            if opener:
                self._open_list(top)
                head = self.head
                stack[-1] = _Clause(nested=top.nested, part=True)
                i = opener.end()
                continue
            if ch in CLAUSE_END:
                self._ended(top)
                stack[-1] = _Clause(nested=top.nested, part=top.part)
                i += 1
                continue
            top.words += ch
            top.all_words += ch
            i += 1
        if raw.rstrip().endswith("。"):
            self.listing = False
        return out, head

    def _figure(self, raw: str, m: re.Match, clause: _Clause, stack: list[_Clause], paired: bool,
                recent: str) -> Figure:
        unit = unit_of(m)
        prefix = raw[:m.start()]
        kind, sign = _kind(prefix, unit, self.year, recent)
        named = naming(clause.words)
        measure = "count" if unit in COUNTED else "money"
        if self._names(named, unit) and not self._repeats(named, clause):
            clause.group = self._group(named, clause)
            own = True
        else:
            own = False
            if clause.group is None and self.pending is not None and not clause.nested:
                clause.group = self._group(naming(self.pending.all_words), self.pending)
            elif clause.group is None:
                clause.group = self._inherited(clause, stack, measure)
        self.pending = None
        self.groups[clause.group].measures.add(measure)
        if not clause.nested:
            self.last = clause.group
            if clause.group in self.history:
                self.history.remove(clause.group)
            self.history.append(clause.group)
        num = m.group("num")
        base = re.search(r"占([^，,；;]*?)的?\s*$", flat(prefix)) if kind == "share" else None
        prior = PRIOR.search(flat(prefix)) if kind == "change" else None
        since = _since_list(prefix)
        value = float(num.replace(",", ""))
        decimals = len(num.split(".")[1]) if "." in num else 0
        if not value and unit in ("万元", "元"):
            decimals = max(decimals, 2)  # “0 万元” is none at all, not anything below 0.5 万元
        return Figure(value, unit, decimals, kind,
                      clause.words, sign, m.start(), explanatory=bool(re.search(r"原因|分别是", since)),
                      versus=_versus(prefix) if kind in ("change", "growth") else None, part=clause.part,
                      group=clause.group, own=own, base=base.group(1) if base else "",
                      prior=float(prior.group("prior")) if prior else None,
                      prior_decimals=len((prior.group("prior").split(".") + [""])[1]) if prior else 2,
                      adjusted=kind == "budget" and bool(re.search(r"(全年|调整)预算[^，,；;年初]*$", flat(prefix))),
                      paired=paired)

    def _ended(self, clause: _Clause) -> None:
        """A clause ends: one that names a subject and holds no figure (“收入支出总体与上年相比，
        增加 58.21 万元”) is what the next clause naming nothing is about."""
        if clause.group is None and clause.words == clause.all_words and not re.search(r"原因|主要用于|包括",
                                                                                         clause.all_words):
            self.pending = clause if self._names(naming(clause.all_words), "万元") else self.pending
        else:
            self.pending = None

    def _repeats(self, named: str, clause: _Clause) -> bool:
        """A clause repeating part of the subject named just before it is about that subject
        (“外事接待 0 批，累计接待 0 人次”: 接待 is 外事接待's)."""
        last = self.last if clause.group is None else clause.group
        if last is None or (clause.part and not self.groups[last].part):
            return False
        rest = _residue(named)
        return bool(rest) and rest in _residue(self.groups[last].words)

    def _inherited(self, clause: _Clause, stack: list[_Clause], measure: str) -> int:
        """A clause naming nothing is about the group of the clause that encloses it, else the
        latest top-level group whose figures measure what it does (money, counts: “公务接待
        41 批次，…，支出 0.27 万元” — the 万元 is not the 批次' subject's); a part of a list only
        within the list; nothing fits: its own words are its group."""
        enclosing = next((c.group for c in reversed(stack[:-1]) if c.group is not None), None)
        if clause.nested and enclosing is not None:
            return enclosing
        for g in reversed(self.history):
            group = self.groups[g]
            if clause.part and not group.part:
                break
            if not group.measures or measure in group.measures:
                return g
        return self._group(naming(clause.all_words), clause)


def sentences(report: Report, subjects: list[Subject] | None = None) -> list[Sentence]:
    """Every sentence of the narrative with its figures, each figure in its subject group."""
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
            if not (reader and reader.section == heading and continues(text, subjects or [], heading)):
                reader = ParagraphReader(subjects, heading, report.year)
            previous = ""
            for raw in SENTENCE.findall(text):
                figures, head = reader.read(raw)
                subject = _subject(raw) or previous or ("{}(类){}(款){}(项)".format(*item) if item else "")
                s = Sentence(raw.strip(), heading, subject, item, figures, p.line, p.page, reader.groups, head)
                out.append(s)  # a sentence without figures may still compare them in words
                previous = subject or previous
    return out


ITEM = re.compile(r"([^、。，,:：]+?)\(类\)([^。，,]+?)\(款\)([^。，,]+?)\(项\)")


def continues(text: str, subjects: list[Subject], section: str) -> bool:
    """A paragraph that opens naming nothing (“完成年初预算的 100.00%。”, “决算数同预算数持平。”)
    goes on with the paragraph before it: a page break cut it there."""
    first = re.split(r"[,，。;；:：]|\d", text, maxsplit=1)[0]
    return not ENUM.match(text) and bool(first.strip()) and not names(subjects, section, first)


def figure_matches(text: str) -> list[re.Match]:
    """The figures of a text, without years and thresholds (单价 50 万元(含)以上)."""
    masks = [m.span() for m in THRESHOLD.finditer(text)]
    return [m for m in FIGURE.finditer(text)
            if not YEAR.match(text, m.start()) and not any(s <= m.start() < e for s, e in masks)]


def unit_of(m: re.Match) -> str:
    """A figure's unit, folded: 万 → 万元, 批次 → 批, 人 → 人次, 台（套）/套 → 台."""
    return {"万": "万元", "批次": "批", "人": "人次", "台(套)": "台", "套": "台"}.get(m.group("unit"), m.group("unit"))


@dataclass
class Listing:
    """A stated count and the parts listed after 其中 in its unit: “安排项目共 40 个。
    其中，续建项目 13 个，…，专项资金管理费项目 8 个” (the parts must add up)."""

    total: float
    unit: str
    parts: list[float]
    text: str  # the sentences of the total and the list


def listings(text: str) -> list[Listing]:
    """Each 其中 list of two or more counts in one unit, with the last figure of that
    unit before 其中 in the same or the previous sentence as its total, when the total
    and every part name the unit's noun (vocabulary.yaml `listing_nouns`: 项目 for 个,
    车 for 辆): “共有车辆 6 辆，其中…用车 2 辆”, never 团组 N 个 beside 项目.  The list
    ends at the sentence's end or at a nested 其中.  Money is left out: a 其中 list of
    amounts often names only some of the parts."""
    text = tidy(text)
    found = figure_matches(text)
    nouns = vocabulary()["listing_nouns"]
    out = []
    for q in re.finditer("其中", text):
        ends = [i for i in (text.find("。", q.end()), text.find("其中", q.end())) if i >= 0]
        end = min(ends) if ends else len(text)
        previous = text.rfind("。", 0, q.start())  # the end of the sentence before 其中's
        start = text.rfind("。", 0, previous) + 1 if previous > 0 else 0
        parts: dict[str, list[re.Match]] = {}
        for m in found:
            if q.end() <= m.start() < end and unit_of(m) in nouns:
                parts.setdefault(unit_of(m), []).append(m)
        for unit, items in parts.items():
            before = [m for m in found if start <= m.start() < q.start() and unit_of(m) == unit]
            named = [_clause(text, m) for m in before[-1:] + items]
            values = [float(m.group("num").replace(",", "")) for m in items]
            if len(values) >= 2 and before and all(any(n in w for n in nouns[unit]) for w in named):
                total = before[-1]
                out.append(Listing(float(total.group("num").replace(",", "")), unit, values,
                                   text[start:end + 1].strip()))
    return out


def _clause(text: str, m: re.Match) -> str:
    """The words of the clause a figure is in (共计安排 4 个项目, 续建项目 13 个)."""
    cut = r"[、，,；;：:。]"
    return re.split(cut, text[:m.start()])[-1] + re.split(cut, text[m.end():])[0]


NUM = r"\d+(?:,\d{3})*(?:\.\d+)?"
# One amount written twice: 130.68万元（1036751.35元）, 130.68万元，折合1306800.00元,
# 1306800.00元（130.68万元）, 1306800.00元，折合130.68万元.
RESTATED = (
    re.compile(rf"(?P<wan>{NUM})\s*万元\s*(?:[（(]\s*(?:折合|约合|合|即)?|[，,]?\s*(?:折合|约合))\s*(?:人民币)?\s*"
               rf"(?P<yuan>{NUM})\s*元"),
    re.compile(rf"(?P<yuan>{NUM})\s*元\s*(?:[（(]\s*(?:折合|约合|合|即)?|[，,]?\s*(?:折合|约合))\s*(?:人民币)?\s*"
               rf"(?P<wan>{NUM})\s*万元"),
)


@dataclass
class Restatement:
    """An amount given in 万元 and in 元 side by side."""

    wan: float
    decimals: int  # of the 万元 figure
    yuan: float
    text: str

    @property
    def holds(self) -> bool:
        """The 元 figure rounds to the 万元 figure at the 万元 figure's precision."""
        return abs(self.yuan / 10000 - self.wan) <= 0.5 * 10 ** (-self.decimals) + 1e-9


def restatements(text: str) -> list[Restatement]:
    text = tidy(text)
    out = []
    for pattern in RESTATED:
        for m in pattern.finditer(text):
            wan = m.group("wan")
            out.append(Restatement(float(wan.replace(",", "")), len((wan.split(".") + [""])[1]),
                                   float(m.group("yuan").replace(",", "")), m.group(0)))
    return out


def _versus(prefix: str) -> int | None:
    years = re.findall(r"(?:较|比|与)\s*((?:19|20)\d{2})\s*年", prefix)
    return int(years[-1]) if years else None


def _class_code(text: str) -> str | None:
    """The 功能分类 类 code whose name the text mentions (the longest name wins)."""
    t = re.sub(r"\s+", "", text)
    best = None
    for code, name in FUNCTION_CLASSES.items():
        if name in t and (best is None or len(name) > len(FUNCTION_CLASSES[best])):
            best = code
    return best


def item_codes(report: Report, item: tuple[str, str, str] | None) -> list[str]:
    """The 项 rows a “X（类）Y（款）Z（项）” may name: the rows of that name under the
    class (and under the 款 of that name, when the table prints it), in the first of
    公开05/04/03表 that has any.  More than one is an ambiguity, not a guess."""
    if item is None:
        return []
    cls = _class_code(item[0])
    if not cls:
        return []
    for table in ("T05", "T04", "T03"):
        data = report.tables[table].data
        if not len(data):
            continue
        rows = list(zip((str(c) for c in data["code"]), (re.sub(r"\s+", "", n) for n in data["name"]), data["level"]))
        branches = [c for c, n, lv in rows if lv == "款" and c.startswith(cls) and n == item[1]]
        hits = [c for c, n, lv in rows if lv == "项" and c.startswith(cls) and n == item[2]
                and (not branches or any(c.startswith(b) for b in branches))]
        if hits:
            return hits
    return []


def candidates(subjects: list[Subject], section: str, texts: tuple[str, ...], unit: str, kind: str,
               item: str | None = None) -> list[tuple[Subject, str]]:
    """Every catalog entry (and concrete target) that fits a figure, first the one the
    vocabulary's order gives: the texts are tried in order and the first that names any
    entry gives them all; `item` is the 项 code the sentence is about, if any."""
    col = "budget" if kind == "budget" else "actual"
    if item:
        hits = [(sub, sub.target.replace("{code}", item)) for sub in subjects
                if sub.subject == "{item}" and re.search(sub.section, section) and unit in ("万元", "元")]
        if hits:
            return hits[:1]
    for text in texts:
        t = flat(text)
        if not t:
            continue
        hits, spans = [], []
        for sub in subjects:
            if sub.subject == "{item}":
                continue
            if sub.section and not re.search(sub.section, section):
                continue
            if sub.unit and sub.unit != unit:
                continue
            if not sub.unit and unit not in ("万元", "元", "%"):
                continue
            if sub.subject == "{class}":
                if "(类)" in t and ("(款)" in t or "(项)" in t):
                    continue  # an item below the class: not the class row
                code = _class_code(t)
                if code is None:
                    continue
                target = sub.target.replace("{code}", code)
                at = t.find(FUNCTION_CLASSES[code])
                span = (at, at + len(FUNCTION_CLASSES[code]))
            elif m := re.search(sub.subject, t):
                target, span = sub.target, m.span()
            else:
                continue
            hit = (sub, target.replace("{col}", col))
            if hit[1] not in {h[1] for h in hits}:
                hits.append(hit)
                spans.append(span)
        if hits:  # the vocabulary's first, then entries reading the same words (or more) as another cell
            first = spans[0]
            return [h for h, span in zip(hits, spans) if span[0] <= first[0] and first[1] <= span[1]
                    and (kind != "budget" or h[1].endswith(".budget") or h is hits[0])]
    return []


def resolve(subjects: list[Subject], section: str, texts: tuple[str, ...],
            unit: str, kind: str, item: str | None = None) -> tuple[Subject, str] | None:
    """The catalog entry and concrete target for a figure: the first of `candidates`."""
    found = candidates(subjects, section, texts, unit, kind, item)
    return found[0] if found else None


def claim_of(s: Sentence, f: Figure, target: str | None, subject: str, reason: str = "") -> Claim:
    return Claim(text=s.text, section=s.section, subject=subject, kind=f.kind, value=f.value, unit=f.unit,
                 decimals=f.decimals, target=target, versus=f.versus, line=s.line, page=s.page, reason=reason)
