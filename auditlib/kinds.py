"""Document kinds as data: a 部门决算 (final accounts, tables T01…T10 of auditlib.schema) or a
部门预算 (budget, tables B01… read from budget-tables.yaml), each kind's table set per
layout, and which kind a document is, told from what it prints (notes/i30-design.md §2).

The kind decides which titles the reader looks for and which tables it builds; every 决算 path
is the default and stays as it was.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import combinations
from pathlib import Path

from auditlib.schema import OTHER_TITLES, SPECS, TITLE_INDEX, RowLabel, TableSpec, flat, shown_label, title_key
from auditlib.yamlfiles import load

__all__ = ["BUDGET", "FINAL", "KINDS", "Detected", "Kind", "detect", "is_table", "kind_named", "layout_of", "layout_title",
           "short_title", "spec_of", "tables_shown"]

FINAL, BUDGET = "决算", "预算"
DATA = Path(__file__).with_name("budget-tables.yaml")

_ROWS = {"type": "array", "items": {"type": "object", "required": ["pattern", "key"], "additionalProperties": False,
                                    "properties": {"pattern": {"type": "string"}, "key": {"type": "string"},
                                                   "after": {"type": "string"}}}}
_NAMES = {"type": "array", "items": {"type": "string"}, "minItems": 1}
_GROUPS = {"type": "array", "items": {"type": "object", "required": ["pattern", "key", "rows"], "additionalProperties": False,
                                      "properties": {"pattern": {"type": "string"}, "key": {"type": "string"},
                                                     "rows": _ROWS}}}
# how a table is printed: hierarchy (功能/经济 codes), split (two halves side by side), parts (three
# or more: Jiangsu's 收支预算总表), labelled rows, grouped (group | item label columns), levelled
# (rows nested by the text column they start in: 政府采购), forms (one form per project: 绩效目标表)
_SHAPE = {
    "layout": {"enum": ["hierarchy", "split", "parts", "labelled", "grouped", "levelled", "forms"]}, "columns": _NAMES,
    "split_marker": {"type": "string"}, "function_rows": {"type": "boolean"}, "rows": _ROWS,
    "halves": {"type": "array", "minItems": 2, "maxItems": 3, "items": {
        "type": "object", "required": ["side", "columns", "rows"], "additionalProperties": False,
        "properties": {"side": {"type": "string"}, "columns": _NAMES, "rows": _ROWS}}},
    "column_names": {"type": "object", "additionalProperties": {"type": "string"}},
    "row_names": {"type": "object", "additionalProperties": {"type": "string"}},
    "wide_order": _NAMES, "required": {"type": "array", "items": {"type": "string"}}, "groups": _GROUPS,
    "text_columns": _NAMES, "text_levels": {"type": "array", "items": {"type": "integer"}},
    "variants": {"type": "array", "items": {
        "type": "object", "required": ["keyword", "columns"], "additionalProperties": False,
        "properties": {"keyword": {"type": "string"}, "columns": _NAMES}}},
}
_LAYOUT = {"type": "object", "required": ["keyword", "layout"], "additionalProperties": False,
           "properties": {"keyword": {"type": "string"}, **_SHAPE}}
_TABLE = {"type": "object", "required": ["titles", "layout", "column_names"], "additionalProperties": False,
          "properties": {"titles": _NAMES, **_SHAPE, "layouts": {"type": "array", "items": _LAYOUT}}}
_CODES = {"type": "array", "items": {"pattern": "^B\\d{2}$"}}
_REGEX = {"type": "string", "format": "regex", "x-problem": "应为正则表达式"}
_PROFILE = {
    "type": "object", "required": ["title", "tables", "may_be_empty", "empty_statement"], "additionalProperties": False,
    "properties": {
        "title": {"type": "string"}, "tables": _CODES, "optional": _CODES, "may_be_empty": _CODES,
        "ordered": {"type": "boolean"}, "empty_statement": _REGEX,
        "empty_in_narrative": {"type": "object", "propertyNames": {"pattern": "^B\\d{2}$"}, "additionalProperties": _REGEX},
        "match": {"type": "object", "additionalProperties": False, "properties": {
            "department": _REGEX, "year_from": {"type": "integer"}, "year_to": {"type": "integer"}}},
    },
}
_BY_KIND = {"type": "object", "propertyNames": {"enum": [FINAL, BUDGET]}, "additionalProperties": _REGEX}
_CUES = {"type": "object", "required": ["funds", "title_end", "cover", "column"], "additionalProperties": False,
         "properties": {"funds": _REGEX, "title_end": _BY_KIND, "cover": _BY_KIND, "column": _BY_KIND}}
SCHEMA = {
    "type": "object", "required": ["tables", "profiles", "kind_cues"], "additionalProperties": False,
    "properties": {
        "tables": {"type": "object", "propertyNames": {"pattern": "^B\\d{2}$"}, "additionalProperties": _TABLE},
        "profiles": {"type": "object", "additionalProperties": _PROFILE},
        "kind_cues": _CUES,
    },
}


@dataclass(frozen=True)
class Kind:
    """One kind of document: its name, its tables and how their titles are looked up."""

    name: str
    specs: dict[str, TableSpec]
    titles: dict[str, str]  # title_key of every printed form -> table code
    profiles: dict[str, tuple[str, ...]]  # layout name -> its tables in printed order
    # layout name -> what it must print (budget-tables.yaml `profiles`: tables, empty statements)
    layouts: dict[str, dict] = field(default_factory=dict)

    @property
    def optional(self) -> dict[str, tuple[str, ...]]:
        """Layout name -> the tables it may print besides its own."""
        return {name: tuple(p.get("optional", ())) for name, p in self.layouts.items()}

    @property
    def profile_titles(self) -> dict[str, str]:
        """Layout name -> how a report names it (上海格式 …)."""
        return {name: p["title"] for name, p in self.layouts.items() if "title" in p}

    def title(self, text: str) -> str | None:
        """The code of the table this line titles, or None.  A 决算 title printed with an
        enumerator, year or department before it (一、… 表七：… 2021年度… 南漳县XX局2021年度…, as
        reports published as web pages print them) is its table's as a budget's is."""
        if self.name == FINAL:
            return self.titles.get(title_key(text)) or budget_title(text, self.titles)
        return budget_title(text, self.titles)

    def _tables(self, layout: str) -> tuple[str, ...]:
        """A layout's tables, required then optional, in its order."""
        return self.profiles[layout] + self.optional.get(layout, ())

    def profile_of(self, printed: Sequence[str]) -> str:
        """The layout a document follows, from the tables it prints (codes in printed order):
        the one that holds most of them, then the one that misses fewest of its own, then the
        one whose order agrees best with theirs — the national and the Shanghai budget print
        the same nine tables in different orders."""
        def score(layout: str) -> tuple[int, int, int]:
            order = {c: i for i, c in enumerate(self._tables(layout))}
            known = [c for c in printed if c in order]
            agree = sum(order[a] < order[b] for a, b in combinations(known, 2))
            return len(known), -len(set(self.profiles[layout]) - set(printed)), agree

        return max(self.profiles, key=score)

    def numbering(self, printed: Sequence[str]) -> dict[str, int]:
        """The 公开NN表 number of each table in the layout the printed tables fit: its place
        in the layout's order, from 1 (budget-tables.yaml `profiles`)."""
        return {code: n for n, code in enumerate(self._tables(self.profile_of(printed)), 1)}

    def shown(self, printed: Sequence[str], layout: str | None = None) -> tuple[str, ...]:
        """The tables an audit of the document goes through, in order: its layout's tables (an
        optional one only when printed, a required one also when missing, so the gap shows),
        then any other table it prints."""
        layout = layout or self.profile_of(printed)
        own = self.profiles[layout] + tuple(c for c in self.optional.get(layout, ()) if c in printed)
        return own + tuple(c for c in printed if c not in own)


# what a budget title may print around the table's name: the enumerator (一、 1. 公开01表： 表一
# 附表1： （七）), the year, and before the name the department (江苏省高级人民法院, 部门, 预算单位), which a
# national title prints before its year (南昌市大数据发展管理局2021年部门收支总表)
_TITLE_HEAD = re.compile(r"^(?:公开\d{1,2}表[:：]?|附?表(?:\d{1,2}|[一二三四五六七八九十]+)[:：、.．-]?"
                         r"|[一二三四五六七八九十]+[、.．]|\d{1,2}[、.．]|[(（]?[一二三四五六七八九十\d]{1,3}[)）])?(?:\d{4}年度?)?")
_OWNER = re.compile(r"^(?:|[^\d，。：:、；;见]{0,24}?(?:部门|单位)|[^\d，。：:、；;见]{2,24}?[省市区县][^\d，。：:、；;见]{0,20}?)"
                    r"(?:\d{4}年度?(?:部门|单位)?)?$")

# what no department's name holds: a fund's name or 财政拨款, or at its end a table name's words — a
# title printing them before a shorter table's name is another table's worded short
# (…局政府性基金收入支出决算表 is no 收入支出决算表, nor 支出决算表)
_NO_OWNER = re.compile(r"政府性基金|国有资本经营|一般公共预算|财政拨款|(?:收入|支出|预算|基金)$")


# what a title prints after the name: Jiangsu 2019's budgets （功能科目）, （经济科目）; 浙江's 决算
# (分科目), the table of the ten where its (分单位) twin lists units (schema.OTHER_TITLES)
_SUFFIX = re.compile(r"[(（](?:功能|经济|分)科目[)）]?$")
_PARENS = str.maketrans("（）", "()")
# 云南 prints its 三公 table's title with 财政拨款 bracketed: （财政拨款）“三公”经费、行政参公单位…
_BRACKETED = re.compile(r"\((财政拨款)\)")


def budget_title(text: str, titles: dict[str, str]) -> str | None:
    """A budget title's code: the longest printed form that ends the line once the enumerator
    and the year are cut off, with only a department (or 部门, 单位) before it — so that a
    sentence naming a table ("详见…预算总表") is no title, nor a fund's table worded short
    (…局政府性基金收入支出决算表) another table's."""
    key = _TITLE_HEAD.sub("", _SUFFIX.sub("", title_key(text).strip("()（）")))
    best = None
    for form, code in titles.items():
        owner = key[: len(key) - len(form)]
        if key.endswith(form) and _OWNER.match(owner) and not _NO_OWNER.search(owner) \
                and (best is None or len(form) > len(best[0])):
            best = (form, code)
    return best[1] if best else None


_OTHER_FORMS = {title_key(t).strip("()"): t for t in OTHER_TITLES}


def other_title(text: str) -> str | None:
    """The table outside the ten (schema.OTHER_TITLES, as listed there) this line titles, with
    what a title may print around its name (enumerator, year, department), or None."""
    return budget_title(_BRACKETED.sub(r"\1", text.translate(_PARENS)), _OTHER_FORMS)


def short_title(title: str, department: str | None = None) -> str:
    """A budget table's printed title as a list names it: the enumerator (一、 公开01表：), the
    year and the department's own name cut off — 部门财务收支预算总表, 收支预算总表."""
    text = _TITLE_HEAD.sub("", re.sub(r"\s+", "", title))
    own = re.sub(r"\s+", "", department or "")
    return text[len(own):] if own and text.startswith(own) and len(text) > len(own) else text


def _rows(items: list[dict]) -> tuple[RowLabel, ...]:
    return tuple(RowLabel(r["pattern"], r["key"], r.get("after")) for r in items)


def _spec(code: str, data: dict) -> TableSpec:
    """One budget table's entry of budget-tables.yaml as the reader's TableSpec; each of its
    `layouts` a spec of its own, with the table's titles and column names besides its own."""
    halves = tuple((h["side"], tuple(h["columns"]), _rows(h["rows"])) for h in data.get("halves", ()))
    variants = tuple((v["keyword"], tuple(v["columns"])) for v in data.get("variants", ()))
    columns = tuple(data.get("columns") or dict.fromkeys(c for _s, cols, _r in halves for c in cols))
    titles = data["titles"]
    groups = tuple((RowLabel(g["pattern"], g["key"]), _rows(g["rows"])) for g in data.get("groups", ()))
    # a group's item is named with its group (一般公共预算资金·小计): 小计 alone names no row
    names = {r.key: f"{shown_label(g.pattern)}·{shown_label(r.pattern)}" for g, items in groups for r in items}
    layouts = tuple((e["keyword"], _spec(code, {"titles": titles, **e, "column_names": data["column_names"]
                                                | e.get("column_names", {})})) for e in data.get("layouts", ()))
    return TableSpec(code, titles[0], data["layout"], columns, aliases=tuple(titles[1:]),
                     column_names=dict(data["column_names"]), halves=halves,
                     split_marker=data.get("split_marker", ""), rows=_rows(data.get("rows", ())),
                     function_rows=data.get("function_rows", False), wide_order=tuple(data.get("wide_order", ())),
                     required=tuple(data.get("required", ("total",))), variants=variants,
                     row_names=names | data.get("row_names", {}), layouts=layouts, groups=groups,
                     text_columns=tuple(data.get("text_columns", ())), text_levels=tuple(data.get("text_levels", ())))


@cache
def _data() -> dict:
    """budget-tables.yaml, validated: the budget tables, their layouts and the kind cues."""
    return load(DATA, SCHEMA).data


@cache
def _budget() -> Kind:
    data = _data()
    specs = {code: _spec(code, entry) for code, entry in data["tables"].items()}
    titles = {title_key(t): s.code for s in specs.values() for t in s.titles}
    layouts = data["profiles"]
    return Kind(BUDGET, specs, titles, {name: tuple(p["tables"]) for name, p in layouts.items()},
                {name: {"name": name, **p} for name, p in layouts.items()})


def _final() -> Kind:
    return Kind(FINAL, SPECS, TITLE_INDEX, {"national": tuple(SPECS)})


KINDS = (FINAL, BUDGET)


def kind_named(name: str) -> Kind:
    """The kind called `name` (决算 or 预算)."""
    if name not in KINDS:
        raise ValueError(f"未知的文档类型 {name!r}：应为 决算 或 预算（unknown document kind）")
    return _final() if name == FINAL else _budget()


def spec_of(code: str) -> TableSpec:
    """The spec of any table code, 决算 (T…) or 预算 (B…)."""
    return SPECS[code] if code in SPECS else _budget().specs[code]


def is_table(code: str | None) -> bool:
    """Whether `code` is a table of some kind (T01…, B01…), not a part such as META or NARR."""
    return code in SPECS or code in _budget().specs


def _printed(report) -> list[str]:
    """The codes of the tables a report prints, in printed order (page, then line)."""
    found = [t for t in report.tables.values() if t.status != "missing"]
    return [t.code for t in sorted(found, key=lambda t: (t.page or 0, t.line or 0))]


def tables_shown(report) -> tuple[str, ...]:
    """The tables a report's audit goes through, in order (Kind.shown): a 决算's ten, a budget's
    layout's tables and whatever else it prints."""
    return kind_named(report.kind).shown(_printed(report), layout_of(report))


def layout_of(report) -> str:
    """The layout a report follows, the one answer its completeness checks and every display
    (tables shown, their order, 上海格式 …) share: the one named (--profile, `Report.layout`),
    else the first whose `match` fits its department and year — what the finance bureau
    requires of that department, so a table left out shows as a gap rather than moving the
    layout — else, with no department or year read or none that a layout names, the one its
    printed tables fit best (Kind.profile_of)."""
    kind = kind_named(report.kind)
    if report.layout:
        return report.layout
    for name, layout in kind.layouts.items():
        m = layout.get("match") or {}
        if m and report.year and re.search(m.get("department", ""), flat(report.department or "")) and (
                m.get("year_from", 0) <= report.year <= m.get("year_to", 9999)):
            return name
    return kind.profile_of(_printed(report))


def layout_title(report) -> str | None:
    """How a report's layout is named (上海格式 …), for a kind whose layouts have names; None
    for a 决算 (its layouts are the completeness rules' profiles)."""
    kind = kind_named(report.kind)
    return kind.profile_titles.get(layout_of(report)) if kind.profile_titles else None


@dataclass(frozen=True)
class Detected:
    """The kind a document was read as, and why: `detected` (its cues), `option` (--kind) or
    `default` (no cue either way: 决算, the tool's first kind)."""

    kind: str
    source: str
    scores: tuple[int, int] = (0, 0)  # (决算 cues, 预算 cues)


@cache
def _cues() -> dict:
    """The kind cues of budget-tables.yaml (`kind_cues`) compiled: `funds` one pattern, the others
    one pattern per kind that has that cue."""
    cues = _data()["kind_cues"]
    return {"funds": re.compile(cues["funds"]),
            **{part: {kind: re.compile(p) for kind, p in cues[part].items()} for part in ("title_end", "cover", "column")}}


def _title_cues(lines: list[str]) -> dict[str, int]:
    """Lines that end like a table title of each kind once the fund names are cut (一般公共预算
    财政拨款支出决算表 is a 决算's); a title is short: a sentence is no cue."""
    cues, found = _cues(), dict.fromkeys(KINDS, 0)
    for text in lines:
        key = cues["funds"].sub("", title_key(text))
        if len(key) <= 60:
            for kind, end in cues["title_end"].items():
                found[kind] += bool(end.search(key))
    return found


def _said(cue: dict[str, re.Pattern], kind: str, texts) -> bool:
    """Whether one of `texts` (spaces removed) prints the kind's cue; a kind without it never does."""
    return kind in cue and any(cue[kind].search(re.sub(r"\s+", "", t)) for t in texts)


def detect(lines: list[str], cover: int = 15) -> Detected:
    """The kind of a document from its lines, by the cues of budget-tables.yaml (`kind_cues`):
    table titles ending like a kind's (two points each), the first `cover` lines' words (部门预算,
    决算公开 …: three points), a column head only one kind prints (决算数: two points).  A tie is
    the default 决算."""
    cues, titles = _cues(), _title_cues(lines)
    head = "".join(lines[:cover])
    score = {kind: 2 * titles[kind] + 3 * _said(cues["cover"], kind, [head]) + 2 * _said(cues["column"], kind, lines)
             for kind in KINDS}
    final, budget = score[FINAL], score[BUDGET]
    if final == budget:
        return Detected(FINAL, "default", (final, budget))
    return Detected(FINAL if final > budget else BUDGET, "detected", (final, budget))
