"""The words of the prose: where its figures are, what kind each is, and what words name a
subject — the pieces the clause reader (auditlib.ingest.paragraphs) is built from.

Each figure gets a `kind` from the words just before it (年初预算 → budget, 较…增加 → change,
增长 → growth, 占 → share, 完成…预算 → completion, 决算数大于预算数 N → difference, 较年初预算
增长 P% → deviation, otherwise the amount itself).  A threshold inside a category's name
(单价 50 万元(含)以上通用设备) is part of the name, never an amount.
"""

from __future__ import annotations

import re

from auditlib.claims import Listing, Restatement
from auditlib.ingest.vocabulary import resolve, vocabulary
from auditlib.schema import flat

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
# 比去年 / 较上年 / 与 2020 年相比: a comparison with the year before (no 预算 in its clause)
VERSUS_PRIOR = re.compile(r"(?:较|比|与|对比)\s*(?:去年|上年|上年度|上一年度|同期|(?:19|20)\d{2}\s*年度?)(?![^，,；;]*预算)")


def versus_budget(recent: str) -> bool:
    """Whether the comparison said last in `recent` is with the budget: 比预算无增减变化，比去年增加
    1.05 万元 compares 1.05 with last year, though the budget was named before it."""
    budget = [m.end() for m in VERSUS_BUDGET.finditer(recent)]
    prior = [m.end() for m in VERSUS_PRIOR.finditer(recent)]
    return bool(budget) and (not prior or budget[-1] > prior[-1])


def tidy(text: str) -> str:
    """Undo a PDF's letter spacing inside numbers (1 133.95, 28.1 1) and fold spaces."""
    text = re.sub(r"(?<=\d) (?=[\d.])|(?<=\.) (?=\d)", "", text)
    return re.sub(r"\s+", " ", text)


def kind_of(words: str, unit: str, year: int | None = None, recent: str = "") -> tuple[str, int]:
    """What a figure is, from the sentence's words before it; `recent` (the words since the
    sentence's figure before it) tells a comparison with the budget (与年初预算相比增加)."""
    w = re.sub(r"\s+", "", words)
    clause = re.split(r"[，,；;：:、]", w)[-1]
    recent = re.sub(r"\s+", "", recent)
    if unit == "%":
        if re.search(r"占[^，,；;]*$", w):
            return "share", 0
        if re.search(r"(完成[^，,；;]*预算|预算完成率|预算执行率|预算执行比例|执行比例|执行率|为(年初|全年|调整)?预算数?的)"
                     r"[^，,；;]*$", w):  # 决算数为年初预算的 P%: a completion too
            return "completion", 0
        m = re.search(r"(增长|下降|降低|上升|增加|减少)了?(\((增长|下降)\))?[^，,；;\d]*$", w)
        if m:
            sign = 1 if m.group(1) in ("增长", "上升", "增加") else -1
            return ("deviation" if versus_budget(recent) else "growth"), sign
        return "percent", 0
    if re.search(r"(大于|小于|高于|低于|超过|少于|多于|超出|节约)(年初|全年|调整)?预算数?$|差(值|额)为?$", w):
        return "difference", 0
    m = re.search(r"(增加|减少|增长|下降)(\((增加|减少)\))?[^，,；;\d]*$", w)
    if m and (re.search(r"(较|比|与)", w) or re.search(r"(增加|减少)了?$", w)):
        sign = 1 if m.group(1) in ("增加", "增长") else -1
        return ("difference" if versus_budget(recent) else "change"), sign
    if re.search(r"年初预算[^，,；;]*$", w) or re.search(r"(全年|调整)?预算(数)?为?$", w):
        return "budget", 0
    stated = re.search(r"(?:上年|上年度|上一年度|(?P<year>(?:19|20)\d{2})\s*年度?)(?:同期)?(?:决算数?|实际支出)?(?:为|是)$",
                       clause)
    if stated and (not stated.group("year") or (year and int(stated.group("year")) < year)):
        return "prior", 0
    if unit in ("万元", "万", "元"):
        return "amount", 0
    return "count", 0


def subject_of(sentence: str) -> str:
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


def residue(words: str) -> str:
    """What is left of a clause's words once the words every clause may hold are taken out."""
    return GENERIC.sub("", re.sub(r"[^\u4e00-\u9fff\d]", "", words))


def _generic(words: str) -> bool:
    """Whether a clause's words name nothing of their own (fewer than two characters left)."""
    return len(residue(words)) < 2


def names(subjects, section: str, words: str, unit: str = "万元") -> bool:
    """Whether a clause's words name a subject: they map to a cell, or hold more than the
    words every clause may hold."""
    words = naming(words)
    if not words:
        return False
    return not _generic(words) or resolve(subjects, section, (words,), unit, "amount") is not None


def since_list(prefix: str) -> str:
    """The words since the sentence began or its last 其中: an explanation or a pair list
    before 其中 is over (“分别是 … 8 人，其中外事接待 0 批” — the 0 restates its cell)."""
    return re.split("。|其中", prefix)[-1]


def closing(text: str, start: int) -> int:
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


def name_paren(inner: str) -> bool:
    """A parenthesis that belongs to a name — (境) (类) (含) (套) (维护) — not an aside."""
    return not re.search(r"\d", inner) and len(inner.strip()) <= 3


def figure_matches(text: str) -> list[re.Match]:
    """The figures of a text, without years and thresholds (单价 50 万元(含)以上)."""
    masks = [m.span() for m in THRESHOLD.finditer(text)]
    return [m for m in FIGURE.finditer(text)
            if not YEAR.match(text, m.start()) and not any(s <= m.start() < e for s, e in masks)]


def unit_of(m: re.Match) -> str:
    """A figure's unit, folded: 万 → 万元, 批次 → 批, 人 → 人次, 台（套）/套 → 台."""
    return {"万": "万元", "批次": "批", "人": "人次", "台(套)": "台", "套": "台"}.get(m.group("unit"), m.group("unit"))


def versus_year(prefix: str) -> int | None:
    """The year a change compares with (较 2020 年增加 → 2020), if the words name one."""
    years = re.findall(r"(?:较|比|与)\s*((?:19|20)\d{2})\s*年", prefix)
    return int(years[-1]) if years else None


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


def restatements(text: str) -> list[Restatement]:
    """Every amount the text writes in 万元 and in 元 side by side."""
    text = tidy(text)
    out = []
    for pattern in RESTATED:
        for m in pattern.finditer(text):
            wan = m.group("wan")
            out.append(Restatement(float(wan.replace(",", "")), len((wan.split(".") + [""])[1]),
                                   float(m.group("yuan").replace(",", "")), m.group(0)))
    return out
