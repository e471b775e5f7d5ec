"""What the narrative check keeps while it reads a section: the figures said of each subject
(`Said`, `Paragraph`), the figures a rate may be recomputed from (`Value`, `Reading`), what a
figure is about (`Topic`); why a claim stays unchecked (`REASONS`); the 项 rows a sentence
names."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from auditlib.claims import Figure
from auditlib.ingest.vocabulary import class_code
from auditlib.model import Report
from auditlib.rules.intervals import interval_ratio

MONEY = ("万元", "元")


@dataclass
class Said:
    """What the narrative has stated of one subject (a table row, or a subject group that
    maps to none): the figures a rate about it is recomputed from."""

    amount: Figure | None = None
    budget: Figure | None = None  # 年初预算
    adjusted: Figure | None = None  # 全年预算 / 调整预算
    change: Figure | None = None  # 较上年 增减额
    difference: Figure | None = None  # 较预算 增减额
    prior: Figure | None = None  # 上年数


@dataclass
class Reading:
    """One way of taking a rate's figures: numerator and denominator, each with its printed
    decimals, and how a finding says it (本句所列 1,390.17 / 1,410.79)."""

    label: str
    num: float
    num_dec: int
    den: float
    den_dec: int
    span: tuple[float, float] | None = None  # the rate's range, where num and den share a figure
    cells: tuple[str, ...] = ()  # the table cells it reads (a finding lists them)

    def range(self) -> tuple[float, float] | None:
        return self.span or interval_ratio(self.num, self.num_dec, self.den, self.den_dec)


@dataclass
class Value:
    """A figure a reading may use: stated in the narrative or printed in a table."""

    value: float
    decimals: int
    label: str
    target: str = ""  # the table cell it is printed in, when it comes from a table

    def over(self, base: Value) -> Reading:
        """This figure as a share of `base` (占 P%, 完成 P%)."""
        return Reading(f"{self.label} / {base.label}", self.value, self.decimals, base.value, base.decimals,
                       cells=tuple(t for t in (self.target, base.target) if t))


@dataclass
class Topic:
    """What a figure, rate or comparison is about: the words naming it, its subject group in
    the paragraph (-1: none), whether it is a part listed after 其中."""

    words: str
    group: int = -1
    part: bool = False


@dataclass
class Paragraph:
    """What the sentences of one paragraph have said so far, group by group."""

    groups: list = field(default_factory=list)
    last: dict[int, dict[str, Figure]] = field(default_factory=dict)  # group → slot → its latest figure
    order: list[int] = field(default_factory=list)  # the groups in the order figures were said of them



def cells_of(*values: Value) -> tuple[str, ...]:
    """The table cells some figures of a reading are printed in (a finding lists them)."""
    return tuple(v.target for v in values if v.target)


def num(f: Figure) -> str:
    """A stated figure as the narrative prints it (9,746.50 万元, 0.95)."""
    return f"{f.value:,.{f.decimals}f}"


# Why a claim stays unchecked (shown in the coverage of `check`).
REASONS = {
    "no_direction": "无方向词",
    "two_directions": "方向词不唯一（如“大于（小于）”）",
    "subject": "科目未匹配",
    "part": "其中所列部分无对应行",
    "explanatory": "说明性数字（主要原因、分别是）",
    "paired": "成对列举（各是、分别为），未逐一对应",
    "no_budget": "表中无预算数",
    "not_printed": "表中未列示该单元格",
    "unread": "公开{table}表未能读取",
    "base": "缺少比较基数",
    "previous_year": "上年数不在本年表中",
    "procurement": "政府采购金额不在决算表中（另作合计与占比核对）",
    "rounding": "差额在舍入范围内，方向不能确定",
    "candidates": "多于一个候选单元格",
    "adjusted": "全年预算数与表中预算数口径可能不同",
}


def item_codes(report: Report, item: tuple[str, str, str] | None) -> list[str]:
    """The 项 rows a “X（类）Y（款）Z（项）” may name: the rows of that name under the
    class (and under the 款 of that name, when the table prints it), in the first of
    公开05/04/03表 that has any.  More than one is an ambiguity, not a guess."""
    if item is None:
        return []
    cls = class_code(item[0])
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

