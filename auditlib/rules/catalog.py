"""The rule catalog: YAML files of rules that an auditor reads and extends.

Every id a finding can carry is an entry here, with its Chinese and English title, its
severity, tolerance and parameters.  An auditor's own file (`--rules FILE`) adds entries, and
an entry whose id already exists overrides what it names (severity, tolerance, params …) or
switches the rule off (`enabled: false`).  Entries are validated when loaded — tables, row
keys, columns, check names, expressions — and a mistake is one `SettingsError` naming the file
and the line.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, fields
from functools import cache
from importlib import resources
from pathlib import Path

from auditlib.errors import SettingsError
from auditlib.rules.expressions import Expr, ExpressionError, Ref, parse, parse_condition
from auditlib.rules.findings import SEVERITIES
from auditlib.rules.registry import REGISTRY
from auditlib.rules.rule import KINDS, OPS, PLACES, SCOPES, Rule
from auditlib.kinds import BUDGET, FINAL, kind_named
from auditlib.model import ROW_META
from auditlib.schema import COUNT_ROWS, SPECS, TableSpec, spec_column_keys, spec_row_keys
from auditlib.yamlfiles import load

RULE_FILE_MISSING = "规则文件不存在"


ENTRY_FIELDS = {f.name for f in fields(Rule)} - {"source", "line", "lhs_expr", "rhs_expr", "when_expr",
                                                 "codes_refs"}
_TEXT = {"type": "string"}
_FLAG = {"type": "boolean"}
_TYPED = {
    "id": {"type": "string", "minLength": 1},
    "tables": {"type": ["string", "array"], "items": _TEXT},
    "columns": {"type": "array", "items": _TEXT},
    "lhs": {"type": ["string", "number"]},
    "rhs": {"type": ["string", "number"]},
    "kind": {"enum": list(KINDS)},
    "scope": {"enum": list(SCOPES)},
    "op": {"enum": list(OPS)},
    "severity": {"enum": ["", *SEVERITIES]},
    "enabled": _FLAG,
    "no_total": _FLAG,
    "doubts_reading": _FLAG,
    "tolerance": {"type": ["number", "null"], "minimum": 0, "x-problem": "应为不小于 0 的数字（万元）"},
    "params": {"type": ["object", "null"], "x-problem": "应为 “名称: 值” 的映射"},
    "kinds": {"type": "array", "items": {"enum": ["决算", "预算"]}, "minItems": 1,
              "x-problem": "应为文档类型的列表：[决算]、[预算] 或 [决算, 预算]"},
}
# A rule file: a list of entries, each an id and the fields it sets (an override sets only some)
FILE_SCHEMA = {
    "type": ["array", "null"], "x-problem": "规则文件应为规则条目的列表（每条以 “- id: …” 开始）",
    "items": {"type": "object", "x-problem": "规则文件应为规则条目的列表（每条以 “- id: …” 开始）",
              "required": ["id"], "additionalProperties": False,
              "properties": {name: _TYPED.get(name, _TEXT) for name in sorted(ENTRY_FIELDS)}},
}


@dataclass
class _Entry:
    """A YAML entry as written, with the line of each of its keys."""

    data: dict
    source: str
    line: int
    lines: dict[str, int]

    def at(self, key: str) -> int:
        return self.lines.get(key, self.line)

    def fail(self, key: str, problem: str) -> SettingsError:
        return SettingsError(self.source, self.at(key), problem)


def _entries(path: Path, source: str) -> list[_Entry]:
    """The entries of one YAML file with the line of each key, validated against FILE_SCHEMA."""
    loaded = load(path, FILE_SCHEMA, source)
    return [_Entry(e, source, loaded.line((i,)), {k: loaded.line((i, k)) for k in e})
            for i, e in enumerate(loaded.data or [])]


def _bundled_entries(name: str) -> list[_Entry]:
    """The entries of a bundled catalog file, parsed and validated once a process (a package's
    own file does not change while it runs; every `check` loads the catalog, and parsing its
    YAML took most of a check of a text report).  A copy: `load_catalog`'s callers own theirs."""
    return copy.deepcopy(_parsed_bundled(name))


@cache
def _parsed_bundled(name: str) -> list[_Entry]:
    return _entries(Path(str(resources.files("auditlib.rules").joinpath("catalog", name))), name)


def _spec(code: str) -> TableSpec | None:
    """The table a code names: one of the ten 决算 tables (T01…) or a 预算's (B01…); None if neither."""
    if code in SPECS:
        return SPECS[code]
    return kind_named(BUDGET).specs.get(code)


def _table_label(spec: TableSpec) -> str:
    return f"公开{spec.code[1:]}表 {spec.title}" if spec.code in SPECS else f"{spec.code} {spec.title}"


def _check_refs(entry: _Entry, key: str, refs: tuple[Ref, ...], columns: tuple[str, ...]) -> None:
    """Every reference names a known table, row key and column (`{column}` filled from `columns`;
    `codes:` refs select rows by their `code` column, which is no value column)."""
    for ref in refs:
        for bound in [ref.bind({"column": c}) for c in columns] or [ref]:
            spec = _spec(bound.table)
            if spec is None or (ref.budget and bound.table in SPECS):  # budget.… names a 预算's own table
                raise entry.fail(key, f"未知的表 “{bound.table}”（可用：{'budget.B01–B14' if ref.budget else 'T01–T10、B01–B14'}）")
            name, cols = _table_label(spec), spec_column_keys(spec)
            rows = spec_row_keys(spec) | COUNT_ROWS.get(spec.code, set())
            if key != "codes" and "{" not in bound.column and bound.column not in cols:
                raise entry.fail(key, f"未知的栏 “{bound.column}”（{name} 的栏：{'、'.join(sorted(cols))}）")
            for row in bound.keys():
                row = row.removesuffix(":{n}")  # a row of each group (scope each_group): its key before `:n`
                if "{" not in row and not row.isdigit() and row not in rows:
                    raise entry.fail(key, f"未知的行 “{row}”（{name} 的行：{'、'.join(sorted(rows))}）")


def _check_kinds(entry: _Entry, tables: tuple[str, ...], kinds: tuple[str, ...]) -> None:
    """A rule's tables belong to the kinds of document it applies to (B01… to a 预算, T01… to a
    决算), and a rule that applies to a 预算 cites its source in `description` (文件、条款 or the
    template it rests on): a budget rule without one is refused."""
    for code in tables:
        kind = FINAL if code in SPECS else BUDGET if _spec(code) else None
        if kind is not None and kind not in kinds:
            raise entry.fail("kinds" if "kinds" in entry.data else "tables",
                             f"规则 {entry.data['id']}：表 {code} 属于{kind}，kinds 须包含 {kind}")
    if BUDGET in kinds and not str(entry.data.get("description", "")).strip():
        raise entry.fail("id", f"规则 {entry.data['id']} 适用于{BUDGET}，须在 description 中写明依据（文件、条款或表式）")


def _parsed(entry: _Entry, key: str, parse_it):
    try:
        return parse_it()
    except ExpressionError as exc:
        raise entry.fail(key, f"规则 {entry.data['id']}：{exc}") from None


def _rule(entry: _Entry) -> Rule:
    """A validated Rule from one entry (the bundled one merged with an override, if any)."""
    e = entry.data
    missing = [k for k in ("id", "title", "tables") if not e.get(k)]
    if missing:
        raise entry.fail("id", f"规则 {e.get('id', '?')} 缺少字段 “{missing[0]}”")
    tables = tuple(e["tables"]) if isinstance(e["tables"], (list, tuple)) else (str(e["tables"]),)
    for t in (*tables, *([e["table"]] if e.get("table") else [])):
        if _spec(t) is None and t not in PLACES:
            raise entry.fail("table" if t == e.get("table") else "tables",
                             f"未知的表 “{t}”（可用：T01–T10、B01–B14、META、NARR、PERF）")
    kinds = tuple(e.get("kinds", (FINAL,)))
    _check_kinds(entry, tables, kinds)
    kind, scope = e.get("kind", "identity"), e.get("scope", "row")
    check = e.get("check") or ("relation" if kind in ("identity", "heuristic") else "")
    if check not in REGISTRY:
        raise entry.fail("check", f"规则 {e['id']}：未知的检查 “{check}”（可用：{'、'.join(sorted(REGISTRY))}）")
    if REGISTRY[check].settings is not None:
        REGISTRY[check].settings(dict(e.get("params") or {}))
    columns = tuple(e.get("columns", ()))
    exprs: dict[str, Expr | None] = {"lhs": None, "rhs": None}
    for key in ("lhs", "rhs"):
        if str(e.get(key, "")).strip() == "":
            if check == "relation" and scope not in ("hierarchy", "levels"):
                raise entry.fail("id", f"规则 {e['id']}：缺少 {key}")
            continue
        row_table = e.get("table", "") if scope == "each_row" else ""
        exprs[key] = _parsed(entry, key, lambda k=key: parse(str(e[k]), row_table))
        _check_refs(entry, key, exprs[key].refs, columns)
    when = _parsed(entry, "when", lambda: parse_condition(str(e["when"]))) if e.get("when") else None
    codes = _parsed(entry, "codes", lambda: tuple(r for part in str(e.get("codes", "")).split("|") if part.strip()
                                                  for r in parse(part.strip() + ".code").refs))
    _check_refs(entry, "codes", codes, ())
    if when:
        for side in (when.left, when.right):
            _check_refs(entry, "when", side.refs, columns)
    if scope == "each_row" and (not e.get("table") or (e.get("rows") and e["rows"].split("=")[0] not in ROW_META)):
        raise entry.fail("rows" if e.get("table") else "id", f"规则 {e['id']}：each_row 需要 table，rows 形如 side=expense")
    if scope in ("hierarchy", "levels", "each_group") and _spec(e.get("table", "")) is None:
        raise entry.fail("id", f"规则 {e['id']}：{scope} 需要 table")
    return Rule(**{**e, "tables": tables, "columns": columns, "check": check, "rhs": str(e.get("rhs", "")),
                   "params": dict(e.get("params") or {}), "kinds": kinds,
                   "description": " ".join(str(e.get("description", "")).split()),
                   "tolerance": None if e.get("tolerance") is None else float(e["tolerance"])},
                source=entry.source, line=entry.line, lhs_expr=exprs["lhs"], rhs_expr=exprs["rhs"],
                when_expr=when, codes_refs=codes)


def rule_file(path: str | Path) -> Path:
    """An auditor's rule file, absolute; a missing one is the same line in `check`, `rules`,
    `run` and `batch`."""
    path = Path(path)
    if not path.is_file():
        raise SettingsError(str(path), 0, RULE_FILE_MISSING)
    return path.resolve()


def bundled_files() -> list:
    return sorted((p for p in resources.files("auditlib.rules").joinpath("catalog").iterdir()
                   if p.name.endswith(".yaml")), key=lambda p: p.name)


def load_catalog(extra: list[Path] | None = None) -> list[Rule]:
    """The bundled catalog, then each extra YAML file (an auditor's own rules) in order: a new
    id adds a rule, an existing one overrides the fields it gives (params key by key)."""
    written: dict[str, _Entry] = {}
    for i, f in enumerate([*bundled_files(), *(extra or [])]):
        user = i >= len(bundled_files())
        source = str(f) if user else f.name
        for entry in _entries(rule_file(f), source) if user else _bundled_entries(f.name):
            rule_id = entry.data["id"]
            old = written.get(rule_id)
            if old is not None and (not user or old.source == source):
                raise entry.fail("id", f"规则 id 重复：{rule_id}（另见 {old.source}:{old.line}）")
            if old is not None:
                params = {**(old.data.get("params") or {}), **(entry.data.get("params") or {})}
                entry = _Entry({**old.data, **entry.data, "params": params}, entry.source, entry.line,
                               {**{k: entry.line for k in old.data}, **entry.lines})
            written[rule_id] = entry
    return [_rule(e) for e in written.values()]
