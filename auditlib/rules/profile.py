"""What a disclosure of one layout must contain, as data: the profiles (rules/profiles/*.yaml)
and the views of a report's prose that the completeness and claims checks read."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from pathlib import Path

from auditlib.errors import SettingsError
from auditlib.kinds import BUDGET, kind_named, layout_of, spec_of
from auditlib.model import Paragraph, Report
from auditlib.schema import OTHER_TITLES, SPECS, flat
from auditlib.yamlfiles import load

_TEXT = {"type": "string"}
_TEXTS = {"type": "array", "items": _TEXT}
_PATTERN = {"type": "string", "format": "regex", "x-problem": "应为正则表达式"}
_TABLES = {"type": "array", "items": {"enum": list(SPECS)}}
_OTHER = {"enum": list(OTHER_TITLES)}  # a table outside the ten, by its title
_NAMED = {"type": "object", "required": ["name", "pattern"], "additionalProperties": False,
          "properties": {"name": _TEXT, "pattern": _PATTERN, "rows": _TEXTS}}
SCHEMA = {  # a profile (rules/profiles/national.yaml says what each key means)
    "type": "object", "additionalProperties": False,
    "required": ["name", "title", "match", "tables", "sections", "terms", "three_public", "three_public_none",
                 "empty_statement", "empty_conditional", "may_be_empty", "empty_in_narrative", "grades",
                 "publish_within_days"],
    "properties": {
        "name": _TEXT, "title": _TEXT,
        "match": {"type": "object", "additionalProperties": False,
                  "properties": {"department": _PATTERN, "year_from": {"type": "integer"}, "printed": _PATTERN}},
        "tables": _TABLES, "optional_tables": _TABLES, "may_be_empty": _TABLES,
        "other_tables": {"type": "array", "items": {"anyOf": [_OTHER, {"type": "array", "items": _OTHER, "minItems": 1}]}},
        "sections": {"type": "array", "items": _NAMED}, "three_public": {"type": "array", "items": _NAMED},
        "terms": _TEXTS, "terms_advised": _TEXTS, "grades": _TEXTS,
        "three_public_none": _PATTERN, "empty_statement": _PATTERN, "empty_conditional": _PATTERN,
        "empty_in_narrative": {"type": "object", "propertyNames": {"enum": list(SPECS)},
                               "additionalProperties": _PATTERN},
        "publish_within_days": {"type": "integer", "minimum": 0},
    },
}


@cache
def profiles() -> dict[str, dict]:
    """Every profile by name, each validated against SCHEMA when first asked for, so a mistake
    in one is its file and line, not a KeyError half-way through a check."""
    folder = resources.files("auditlib.rules").joinpath("profiles")
    out = {}
    for f in sorted(folder.iterdir(), key=lambda p: p.name):
        if f.name.endswith(".yaml"):
            data = load(Path(str(f)), SCHEMA).data
            out[data["name"]] = data
    return out


def is_profile_file(value: str) -> bool:
    """A profile given as a file (an auditor's own layout), not a bundled profile's name."""
    return str(value).lower().endswith((".yaml", ".yml"))


@cache
def _profile_file(path: str) -> dict:
    return load(Path(path), SCHEMA).data


def named_profile(value: str) -> dict:
    """A bundled profile by name, or an auditor's own profile file (validated like the bundled
    ones: a mistake is its file and line); an unknown name is a ValueError naming the choices."""
    if is_profile_file(value):
        return _profile_file(str(Path(value).expanduser().resolve()))
    layouts = kind_named(BUDGET).layouts
    if value in layouts:
        return _budget_shaped(layouts[value])
    if value not in profiles():
        raise ValueError(f"未知的完整性规则集 {value!r}（可用：{'、'.join([*profiles(), *layouts])}，"
                         f"或一个规则集文件 .yaml）")
    return profiles()[value]


def _budget_shaped(layout: dict) -> dict:
    """A 部门预算's layout (auditlib/budget-tables.yaml `profiles`) in the shape of a 决算
    profile, for the checks of the tables a layout requires and of its empty tables."""
    return {"empty_in_narrative": {}, "ordered": False, **layout, "optional_tables": layout.get("optional", []),
            "empty_conditional": "(?!)"}


def budget_profile(report: Report) -> dict:
    """A 部门预算's layout, the one its displays show too (kinds.layout_of)."""
    return _budget_shaped(kind_named(BUDGET).layouts[layout_of(report)])


def settle_layout(report: Report, params: dict) -> None:
    """An explicit profile (--profile, params `profile`) of a budget names its layout, which
    its completeness checks and displays then follow; a profile of the other kind of document
    is refused in one line (a 决算 rule set says nothing of a budget's tables, nor the reverse)."""
    named = params.get("profile")
    layouts = kind_named(BUDGET).layouts
    if not named or (report.kind != BUDGET and named not in layouts):
        return
    if report.kind != BUDGET:
        raise SettingsError("--profile", 0, f"{named} 是部门预算的格式，不适用于部门决算"
                                            f"（决算可用：{'、'.join(profiles())}，或一个规则集文件 .yaml）")
    if named not in layouts:
        raise SettingsError("--profile", 0, f"{named} 是部门决算的完整性规则集，不适用于部门预算"
                                            f"（预算可用：{'、'.join(layouts)}）")
    report.layout = named


def profile_for(report: Report, params: dict) -> dict:
    """The profile named in params, else the first whose `match` fits (department
    pattern, first year), else the national one; a 部门预算's from its own layouts."""
    if report.kind == BUDGET:
        return budget_profile(report)
    named = params.get("profile")
    if named:
        return named_profile(named)
    for p in profiles().values():
        m = p.get("match") or {}
        if m and re.search(m.get("department", ""), flat(report.department or "")) and (
                report.year or 0) >= m.get("year_from", 0) and _prints(report, m.get("printed")):
            return p
    return profiles()["national"]


def _prints(report: Report, pattern: str | None) -> bool:
    """Whether the report prints a table outside the ten whose title `pattern` finds (a
    province's own tables tell its layout where its departments' names do not)."""
    return pattern is None or any(re.search(pattern, t.title) for t in report.others)


def label(code: str, report: Report | None = None) -> str:
    """How a completeness message names a table: 公开NN表 and its title; a 预算's table by its
    title as printed (else its layout's name for it)."""
    if code in SPECS:
        return f"公开{code[1:]}表 {SPECS[code].title}"
    printed = report.tables[code].title if report is not None and code in report.tables else None
    return printed or spec_of(code).title


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
