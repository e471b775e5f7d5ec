"""The prose as read: every figure the narrative and the performance section state (`Claim`),
and the reading each comes from — the sentences with their figures and subject groups, the 其中
lists, the amounts restated in 元, the grades named — which the checks judge.

Read once, when the document is read (auditlib.ingest.claims), so a `Report` carries its claims
before any check runs.  A check never changes them: what it concludes of a claim (its verdict,
the cell it compared, why it stayed unchecked) is its result's (auditlib.rules.findings.Verdict).
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["BudgetFigure", "Claim", "Figure", "Graded", "Group", "Listing", "ProseReading", "Restatement", "Sentence"]


@dataclass(frozen=True)
class Claim:
    """A figure the narrative or performance prose states, as read: what it is about (`subject`),
    what kind of figure it is, its value at its printed precision.  `id` is its place in the
    report's list of claims, the key of its verdict in a check's result."""

    id: int
    text: str  # the sentence, as printed
    section: str  # NARR heading or 绩效
    subject: str  # what the sentence says the figure is (年初结转和结余, 完成年初预算 …)
    kind: str  # amount | budget | share | completion | growth | deviation | change | count | year | words …
    value: float | None  # as printed, in `unit`
    unit: str  # 万元, 元, %, 人次, 批, 年 …
    decimals: int  # printed precision: compare at this precision
    versus: int | None = None  # the year a change or growth is compared with (较 2020 年)
    line: int | None = None
    page: int | None = None


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
    """One figure in a sentence, with what the words around it say it is."""

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
    claim: int = -1  # its claim's id


@dataclass
class Sentence:
    """A sentence of the narrative with its figures, and the claims read from it beside them:
    the years it names (claim id, the year its wording means: this year's or last year's), its
    itemised list (claim id, the sum of the items), its 决算数/预算数 comparison in words."""

    text: str
    section: str
    subject: str
    item: tuple[str, str, str] | None = None  # the (类, 款, 项) names it is about
    figures: list[Figure] = field(default_factory=list)
    line: int | None = None
    page: int | None = None
    groups: list[Group] = field(default_factory=list)  # the paragraph's subject groups (shared)
    head: int | None = None  # the group a list in this sentence divides (其中, 主要用于以下方面)
    years: list[tuple[int, int]] = field(default_factory=list)
    itemised: list[tuple[int, int]] = field(default_factory=list)
    comparison: int | None = None

    def words(self, f: Figure) -> str:
        """The words that name what a figure is about: its own clause's or its group's."""
        return self.groups[f.group].words if 0 <= f.group < len(self.groups) else ""


@dataclass
class Listing:
    """A stated count and the parts listed after 其中 in its unit: “安排项目共 40 个。
    其中，续建项目 13 个，…，专项资金管理费项目 8 个” (the parts must add up)."""

    total: float
    unit: str
    parts: list[float]
    text: str  # the sentences of the total and the list
    claim: int = -1


@dataclass
class Restatement:
    """An amount given in 万元 and in 元 side by side."""

    wan: float
    decimals: int  # of the 万元 figure
    yuan: float
    text: str
    claim: int = -1

    @property
    def holds(self) -> bool:
        """The 元 figure rounds to the 万元 figure at the 万元 figure's precision."""
        return abs(self.yuan / 10000 - self.wan) <= 0.5 * 10 ** (-self.decimals) + 1e-9


@dataclass
class Graded:
    """A 评价等级 given to a score: in the prose (`text`, “自评得分 95 分，评价等级为优”) or in a
    自评表 / 评分表 (`where`, the table's title); `grade` in the vocabulary's spelling."""

    claim: int
    score: float
    grade: str
    where: str
    what: str  # 说明中的评价等级 | 表中评价等级
    line: int | None = None
    page: int | None = None
    text: str = ""


@dataclass
class ProseReading:
    """Everything read from the prose, in reading order: the claims (ids are their places), the
    narrative's sentences and 其中 lists, the performance section's lists, the 万元/元
    restatements of both, the grades."""

    claims: list[Claim] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    listed: list[Listing] = field(default_factory=list)
    performance_listed: list[Listing] = field(default_factory=list)
    restated: list[Restatement] = field(default_factory=list)
    grades: list[Graded] = field(default_factory=list)
    budget: list[BudgetFigure] = field(default_factory=list)  # a 预算's narrative (empty for a 决算)


@dataclass
class BudgetFigure:
    """A figure of a budget's narrative (预算编制说明 / 预算情况说明), with what its words say
    it is: `role` amount (a sum the tables print: `subject` is its vocabulary key, `item` the
    科目 names it is about), change (比上年 增减: `sign`), rate (增减 %), share (占 %), prior
    (上年执行数), again (the amount restated: 2024年预算安排 X), coverage (绩效目标 资金).
    `head` is the claim id of the amount a change, rate, share or restatement is about;
    `base` the claim id of the total a share divides (else `subject` names it); `listing` numbers
    the shares of one list (a list forced to add up to 100 % is rounded on purpose)."""

    claim: int
    role: str
    subject: str = ""
    item: tuple[str, ...] = ()
    sign: int = 0
    head: int = -1
    base: int = -1
    listing: int = -1
