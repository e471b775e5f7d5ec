"""The prose vocabularies, as data: `vocabulary.yaml` (direction words, grade bands and
synonyms, list nouns, share bases) and `subjects.yaml` (the words that name a table cell), each
read through auditlib.yamlfiles against its schema, so a mistake in one is its file and line.

The reader (auditlib.ingest.claims) uses the bundled subjects to tell a clause that names a
subject from one that names nothing; the narrative check maps the subjects to cells with the
catalog's (NARR.amount `subjects`: the bundled file or an auditor's own).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from auditlib.schema import FUNCTION_CLASSES, flat
from auditlib.yamlfiles import load

__all__ = ["Subject", "candidates", "class_code", "load_subjects", "resolve", "vocabulary"]

BUNDLED_SUBJECTS = "subjects.yaml"
_TEXT = {"type": "string"}
_PATTERN = {"type": "string", "format": "regex", "x-problem": "应为正则表达式"}
_CELL = {"type": "string", "pattern": r"^T\d\d\[[^\]]+\]\.(\w+|{col})$", "x-problem": "应为表中单元格，如 T01[income_total].amount"}
SUBJECTS_SCHEMA = {  # subjects.yaml: its opening comment says what each key means
    "type": "array", "x-problem": "科目词表应为条目的列表（每条 {section, subject, target}）",
    "items": {"type": "object", "required": ["section", "subject", "target"], "additionalProperties": False,
              "properties": {"section": _PATTERN, "subject": _PATTERN, "target": _CELL, "share_of": _CELL,
                             "unit": {"enum": ["个", "批", "人次", "辆", "台"]},
                             "kind": {"enum": ["identity", "heuristic"]}}},
}
VOCABULARY_SCHEMA = {  # vocabulary.yaml: its comments say what each key means
    "type": "object", "additionalProperties": False,
    "required": ["directions", "grade_bands", "grade_synonyms", "listing_nouns", "list_fillers", "share_bases"],
    "properties": {
        "directions": {"type": "object", "additionalProperties": {"enum": [-1, 0, 1]}},
        "grade_bands": {"type": "array", "items": {
            "type": "object", "required": ["grade", "floor"], "additionalProperties": False,
            "properties": {"grade": _TEXT, "floor": {"type": "number", "minimum": 0}}}},
        "grade_synonyms": {"type": "object", "additionalProperties": _TEXT},
        "listing_nouns": {"type": "object", "additionalProperties": {"type": "array", "items": _TEXT}},
        "list_fillers": {"type": "array", "items": _TEXT},
        "share_bases": {"type": "object", "additionalProperties": False,
                        "properties": {"income": {"type": "array", "items": _CELL},
                                       "expense": {"type": "array", "items": _CELL}}},
    },
}


@dataclass(frozen=True)
class Subject:
    """An entry of the subject vocabulary: the words (`subject`, a pattern) that name a cell
    (`target`) in a section of the narrative."""

    section: str
    subject: str
    target: str
    share_of: str = ""
    unit: str = ""
    kind: str = "identity"


def _bundled(name: str) -> Path:
    return Path(str(resources.files("auditlib.ingest").joinpath(name)))


def load_subjects(path: str | Path | None = None) -> tuple[Subject, ...]:
    """The subject vocabulary: a file bundled in auditlib/ingest/ (subjects.yaml) or an
    auditor's own file, validated (a mistake is a SettingsError at its line)."""
    name = str(path or BUNDLED_SUBJECTS)
    bundled = _bundled(name)
    return _subjects(str(bundled if not Path(name).is_absolute() and bundled.is_file() else Path(name)))


@cache
def _subjects(path: str) -> tuple[Subject, ...]:
    return tuple(Subject(**e) for e in load(path, SUBJECTS_SCHEMA).data)


@cache
def vocabulary() -> dict:
    """ingest/vocabulary.yaml: direction words, list nouns and fillers, grade bands and synonyms."""
    return load(_bundled("vocabulary.yaml"), VOCABULARY_SCHEMA).data


def class_code(text: str) -> str | None:
    """The 功能分类 类 code whose name the text mentions (the longest name wins)."""
    t = re.sub(r"\s+", "", text)
    best = None
    for code, name in FUNCTION_CLASSES.items():
        if name in t and (best is None or len(name) > len(FUNCTION_CLASSES[best])):
            best = code
    return best


def _fits(sub: Subject, section: str, unit: str) -> bool:
    """An entry that may name a figure of this unit in this section."""
    if sub.section and not re.search(sub.section, section):
        return False
    if sub.unit:
        return sub.unit == unit
    return unit in ("万元", "元", "%")


def _match(sub: Subject, t: str) -> tuple[str, tuple[int, int]] | None:
    """The target an entry gives the words `t`, and where in them it is named."""
    if sub.subject == "{class}":
        if "(类)" in t and ("(款)" in t or "(项)" in t):
            return None  # an item below the class: not the class row
        code = class_code(t)
        if code is None:
            return None
        at = t.find(FUNCTION_CLASSES[code])
        return sub.target.replace("{code}", code), (at, at + len(FUNCTION_CLASSES[code]))
    m = re.search(sub.subject, t)
    return (sub.target, m.span()) if m else None


def candidates(subjects, section: str, texts: tuple[str, ...], unit: str, kind: str,
               item: str | None = None) -> list[tuple[Subject, str]]:
    """Every vocabulary entry (and concrete target) that fits a figure, first the one the
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
            found = _match(sub, t) if sub.subject != "{item}" and _fits(sub, section, unit) else None
            if found is None:
                continue
            hit = (sub, found[0].replace("{col}", col))
            if hit[1] not in {h[1] for h in hits}:
                hits.append(hit)
                spans.append(found[1])
        if hits:  # the vocabulary's first, then entries reading the same words (or more) as another cell
            first = spans[0]
            return [h for h, span in zip(hits, spans) if span[0] <= first[0] and first[1] <= span[1]
                    and (kind != "budget" or h[1].endswith(".budget") or h is hits[0])]
    return []


def resolve(subjects, section: str, texts: tuple[str, ...], unit: str, kind: str,
            item: str | None = None) -> tuple[Subject, str] | None:
    """The vocabulary entry and concrete target for a figure: the first of `candidates`."""
    found = candidates(subjects, section, texts, unit, kind, item)
    return found[0] if found else None
