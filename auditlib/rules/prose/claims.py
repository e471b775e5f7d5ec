"""Find the figures the prose states and what each restates.

A sentence such as "科学技术支出年初预算数为 0 万元，决算数为 68.56 万元，完成年初预算的
146.1%" yields three figures; each gets a `kind` from the words just before it
(年初预算 → budget, 较…增加 → change, 增长 → growth, 占 → share, 完成…预算 → completion,
otherwise the amount itself) and a subject from those words or from the
sentence's subject.  The subject is mapped to a table cell with the catalog in
rules/prose/subjects.yaml.  Figures that map nowhere stay in the list, unchecked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

import yaml

from auditlib.model import Claim, Report
from auditlib.schema import FUNCTION_CLASSES, QUOTES

FIGURE = re.compile(
    r"(?<![\d.])(?P<num>\d+(?:,\d{3})*(?:\.\d+)?)\s*(?P<unit>万元|万|元|%|个|批次|批|人次|人|辆|台\(套\)|台|套)"
)
YEAR = re.compile(r"(?P<year>(?:19|20)\d{2})\s*年")
SENTENCE = re.compile(r"[^。；;]+[。；;]?")
ENUM = re.compile(r"^\s*(?:[(（][一二三四五六七八九十\d]+[)）]|\d+\s*[、.．]|[一二三四五六七八九十]+、)\s*")


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
class Figure:
    """One figure in a sentence, before mapping."""

    value: float
    unit: str
    decimals: int
    kind: str  # amount | budget | change | growth | share | completion | count
    words: str  # the words just before it
    sign: int = 0  # change/growth: +1 增加/增长, -1 减少/下降
    start: int = 0
    context: str = ""  # the words since the last 其中 (what a list item is about)
    explanatory: bool = False  # after 主要原因 / 分别是: an explanation, not a restated cell
    versus: int | None = None  # 较 2020 年: the year a change or growth compares with
    part: bool = False  # listed after 其中: a part, never the sentence subject's total

    @property
    def near(self) -> str:
        """The clause just before the figure."""
        return re.split(r"[，,：:；;]", self.words)[-1]


ITEM = re.compile(r"([^、。，,:：]+?)\(类\)([^。，,]+?)\(款\)([^。，,]+?)\(项\)")


@dataclass
class Sentence:
    text: str
    section: str
    subject: str
    item: tuple[str, str, str] | None = None  # the (类, 款, 项) names it is about
    figures: list[Figure] = field(default_factory=list)
    line: int | None = None
    page: int | None = None


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


def _kind(words: str, unit: str) -> tuple[str, int]:
    w = re.sub(r"\s+", "", words)
    if unit == "%":
        if re.search(r"占[^，,；;]*$", w):
            return "share", 0
        if re.search(r"(完成[^，,；;]*预算|预算完成率|预算执行率)[^，,；;]*$", w):
            return "completion", 0
        m = re.search(r"(增长|下降|降低|上升)(\((增长|下降)\))?[^，,；;\d]*$", w)
        if m:
            return "growth", 1 if m.group(1) in ("增长", "上升") else -1
        return "percent", 0
    m = re.search(r"(增加|减少|增长|下降)(\((增加|减少)\))?[^，,；;\d]*$", w)
    if m and (re.search(r"(较|比|与)", w) or re.search(r"(增加|减少)了?$", w)):
        return "change", 1 if m.group(1) in ("增加", "增长") else -1
    if re.search(r"年初预算[^，,；;]*$", w) or re.search(r"(全年)?预算(数)?为?$", w):
        return "budget", 0
    if unit in ("万元", "万", "元"):
        return "amount", 0
    return "count", 0


def _subject(sentence: str) -> str:
    """The words a sentence is about: up to its first figure or verb-ish word
    (after "本部门 2021 年度" or a department name ending in 年度)."""
    s = ENUM.sub("", sentence)
    s = re.sub(r"^[^，,。]*?\d{4}\s*年度", "", s)
    s = re.split(r"(?:\d|年初预算|决算数|支出决算为|为|较|比|，|,|:|：)", s, maxsplit=1)[0]
    return s


def sentences(report: Report) -> list[Sentence]:
    """Every sentence of the narrative with its figures."""
    out: list[Sentence] = []
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
            previous = ""
            for raw in SENTENCE.findall(tidy(p.text)):
                subject = _subject(raw) or previous
                s = Sentence(raw.strip(), heading, subject, item, line=p.line, page=p.page)
                last_end = 0
                for m in figure_matches(raw):
                    words = raw[last_end:m.start()]
                    unit = unit_of(m)
                    kind, sign = _kind(raw[:m.start()], unit)
                    num = m.group("num")
                    decimals = len(num.split(".")[1]) if "." in num else 0
                    since = _since_qizhong(raw[:m.start()])
                    s.figures.append(Figure(float(num.replace(",", "")), unit, decimals, kind, words, sign,
                                            m.start(), context=_list_item(since),
                                            explanatory=bool(re.search(r"原因|分别是", since)),
                                            versus=_versus(raw[:m.start()]) if kind in ("change", "growth") else None,
                                            part="其中" in raw[:m.start()]))
                    last_end = m.end()
                out.append(s)  # a sentence without figures may still compare them in words
                previous = subject or previous
    return out


def figure_matches(text: str) -> list[re.Match]:
    """The figures of a text, without years and thresholds (单价 50 万元以上)."""
    return [m for m in FIGURE.finditer(text)
            if not YEAR.match(text, m.start()) and not re.match(r"\s*[(（]?(含)?[)）]?以上", text[m.end():])]


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


def _list_item(since: str) -> str:
    """The words of one item of a 、 list (“主要领导干部用车 2 辆、应急保障用车” → 应急保障用车);
    the whole 其中 clause when the item names nothing but a filler of vocabulary.yaml
    (“接待外宾 0 批次、0 人次”, “团组 0 个、累计 0 人次”)."""
    item = since.rsplit("、", 1)[-1]
    named = re.sub("|".join(vocabulary()["list_fillers"]), "", item)
    return item if re.search(r"[\u4e00-\u9fff]{2}", named) else since


def _versus(prefix: str) -> int | None:
    years = re.findall(r"(?:较|比|与)\s*((?:19|20)\d{2})\s*年", prefix)
    return int(years[-1]) if years else None


def _since_qizhong(prefix: str) -> str:
    """The words since the last 其中: what a listed part is about (an item of a
    list 、…、 is cut to its own words by the caller)."""
    return prefix.rsplit("其中", 1)[-1] if "其中" in prefix else prefix


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


def resolve(subjects: list[Subject], section: str, texts: tuple[str, ...],
            unit: str, kind: str, item: str | None = None) -> tuple[Subject, str] | None:
    """The catalog entry and concrete target for a figure: the texts are tried in
    order (the clause before the figure, then wider context); `item` is the 项
    code the sentence is about, if any."""
    if item:
        for sub in subjects:
            if sub.subject == "{item}" and re.search(sub.section, section) and unit in ("万元", "元"):
                return sub, sub.target.replace("{code}", item)
    for text in texts:
        t = QUOTES.sub("", re.sub(r"\s+", "", text))
        if not t:
            continue
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
            elif re.search(sub.subject, t):
                target = sub.target
            else:
                continue
            col = "budget" if kind == "budget" else "actual"
            return sub, target.replace("{col}", col)
    return None


def claim_of(s: Sentence, f: Figure, target: str | None, subject: str, reason: str = "") -> Claim:
    return Claim(text=s.text, section=s.section, subject=subject, kind=f.kind, value=f.value, unit=f.unit,
                 decimals=f.decimals, target=target, versus=f.versus, line=s.line, page=s.page, reason=reason)
