"""What a disclosure of one layout must contain, as data: the profiles (rules/profiles/*.yaml)
and the views of a report's prose that the completeness and claims checks read."""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from importlib import resources

import yaml

from auditlib.model import Paragraph, Report
from auditlib.schema import QUOTES, SPECS


def flat(text: str) -> str:
    """Text as patterns see it: NFKC (（）→ ()), no spaces, no quotes."""
    return QUOTES.sub("", re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or "")))


@cache
def profiles() -> dict[str, dict]:
    folder = resources.files("auditlib.rules").joinpath("profiles")
    out = {}
    for f in sorted(folder.iterdir(), key=lambda p: p.name):
        if f.name.endswith(".yaml"):
            data = yaml.safe_load(f.read_text(encoding="utf-8"))
            out[data["name"]] = data
    return out


def known_profile(name: str) -> str:
    """`name` when it is a profile; else a ValueError whose text is the one line users read."""
    if name not in profiles():
        raise ValueError(f"未知的完整性规则集 {name!r}（可用：{', '.join(profiles())}）")
    return name


def profile_for(report: Report, params: dict) -> dict:
    """The profile named in params, else the first whose `match` fits (department
    pattern, first year), else the national one."""
    named = params.get("profile")
    if named:
        return profiles()[known_profile(named)]
    for p in profiles().values():
        m = p.get("match") or {}
        if m and re.search(m.get("department", ""), flat(report.department or "")) and (
                report.year or 0) >= m.get("year_from", 0):
            return p
    return profiles()["national"]


def label(code: str) -> str:
    return f"公开{code[1:]}表 {SPECS[code].title}"


def prose(report: Report) -> list[Paragraph]:
    """Narrative and performance paragraphs, in order."""
    return [*report.narrative.paragraphs, *report.performance.paragraphs]


def headings(report: Report) -> list[str]:
    """Every section and sub-section heading of 第三部分 (and the performance part)."""
    seen = [s.heading for s in report.narrative.sections]
    seen += [h for p in prose(report) for h in p.headings]
    return [flat(h) for h in seen if h]


def section_text(report: Report, pattern: str) -> list[Paragraph]:
    return [p for p in prose(report) if any(re.search(pattern, flat(h)) for h in p.headings)]
