"""政府采购 in the narrative, which the tables do not print: 货物 + 工程 + 服务 = 总额, and the
中小企业 shares of each category adding up to the 中小企业 total (each figure within its rounding)."""

from __future__ import annotations

import re
from typing import Protocol

from auditlib.claims import Figure, Sentence
from auditlib.numbers import half_unit as half
from auditlib.rules.findings import Judged
from auditlib.rules.intervals import ONE


class NarrativeChecker(Protocol):
    """What these checks need of the narrative's checker (rules/prose/narrative.py), which
    calls them: each figure's claim and how it records a verdict."""

    def of(self, f: Figure) -> Judged: ...

    def allowance(self, rule: str) -> float: ...

    def ok(self, claim: Judged, expected: float | None = None) -> None: ...

    def finding(self, claim: Judged, rule: str, severity: str, expected, actual, why: str, tables=()) -> None: ...


def check(checker: NarrativeChecker, found: list[Sentence]) -> None:
    """政府采购: 货物 + 工程 + 服务 = 总额; 中小企业 ≤ 总额; 小微 ≤ 中小."""
    named: dict[str, Figure] = {}
    for s in found:
        if "采购" not in s.section + s.text:
            continue
        for f in s.figures:
            if f.kind != "amount":
                continue
            w = re.sub(r"\s+", "", f.words)
            for key, pattern in (("货物", "货物"), ("工程", "工程"), ("服务", "服务"), ("小微", "小微"),
                                 ("中小", "中小企业"), ("总额", "总额|采购金额|采购支出")):
                if re.search(pattern, w) and key not in named:
                    named[key] = f
                    break
    sme_shares(checker, found, named)
    if not {"总额", "货物", "工程", "服务"} <= set(named):
        return
    parts = named["货物"].value + named["工程"].value + named["服务"].value
    total = named["总额"]
    claim = checker.of(total)
    claim.target, claim.reason = "货物 + 工程 + 服务", ""
    if abs(total.value - parts) <= 4 * checker.allowance("procurement") + ONE:
        checker.ok(claim, parts)
        for key in ("货物", "工程", "服务"):
            checked_by(checker, named[key], "政府采购支出总额 = 货物 + 工程 + 服务")
    else:
        checker.finding(claim, "procurement", "error", parts, None, "政府采购货物、工程、服务之和与总额不符")

def checked_by(checker: NarrativeChecker, f: Figure, target: str) -> None:
    """A figure the tables do not print, found right by a check among the prose's own figures."""
    claim = checker.of(f)
    if claim.verdict == "unchecked":
        claim.target, claim.reason = target, ""
        checker.ok(claim)

def sme_shares(checker: NarrativeChecker, found: list[Sentence], named: dict[str, Figure]) -> None:
    """货物/工程/服务采购授予中小企业合同金额占该类支出的 P%: the shares times the
    category amounts add up to the 中小企业 total (each figure within its rounding)."""
    shares: dict[str, Figure] = {}
    for s in found:
        for f in s.figures:
            m = re.search(r"(货物|工程|服务)[^，,]*中小企业[^，,]*占[^，,]*\1", re.sub(r"\s+", "", f.words))
            if f.kind == "share" and m and "采购" in s.section + s.text:
                shares[m.group(1)] = f
    if not shares:
        return
    missing = [c for c in ("货物", "工程", "服务") if c not in named or (c not in shares and named[c].value)]
    if "中小" not in named or missing:
        return
    total = named["中小"]
    lo = hi = 0.0
    for category, f in shares.items():
        amount = named[category]
        lo += max(f.value - half(f.decimals), 0) / 100 * max(amount.value - half(amount.decimals), 0)
        hi += min(f.value + half(f.decimals), 100) / 100 * (amount.value + half(amount.decimals))
    if lo - ONE <= total.value + half(total.decimals) and total.value - half(total.decimals) <= hi + ONE:
        for f in [*shares.values(), total]:
            checked_by(checker, f, "中小企业合同金额 = Σ 各类采购金额 × 中小企业占比")
        return
    last = list(shares)[-1]  # the figure left to pin it on: the others are used as printed
    others = sum(f.value / 100 * named[c].value for c, f in shares.items() if c != last)
    base = named[last].value
    expected = (total.value - others) / base * 100 if base else 0.0
    claim = checker.of(shares[last])
    claim.target, claim.reason = "中小企业合同金额 / 各类采购金额", ""
    listed = "、".join(f"{c} {named[c].value:g} 万元 × {f.value:g}%" for c, f in shares.items() if c != last)
    checker.finding(claim, "share", "error", round(expected, 2), None,
                 f"{last}采购授予中小企业的占比 {shares[last].value:g}% 与中小企业合同金额 {total.value:g} 万元及"
                 f"{listed} 不符（按所列数字应为 {expected:.2f}%）")
