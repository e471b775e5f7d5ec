"""The rule catalog: YAML files of rules that an auditor reads and extends."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import yaml

SCOPES = ("row", "each_row", "hierarchy", "each_code", "each_column")
KINDS = ("identity", "heuristic", "consistency", "completeness", "claims")
NAMED = ("consistency", "completeness", "claims")  # kinds that name a check function by `check`
GROUPS = {"completeness": "完整性", "claims": "表文"}
OPS = ("=", "<=", ">=", "<", ">")


@dataclass(frozen=True)
class Rule:
    """One catalog entry.  `lhs` is what the document prints, `rhs` what it should be."""

    id: str
    title: str
    tables: tuple[str, ...]
    title_en: str = ""
    kind: str = "identity"
    scope: str = "row"
    table: str = ""
    lhs: str = ""
    rhs: str = ""
    op: str = "="
    rows: str = ""
    columns: tuple[str, ...] = ()
    codes: str = ""
    when: str = ""
    check: str = ""
    no_total: bool = False
    description: str = ""  # what the rule checks and the text it rests on (文件、条款)
    group: str = ""  # 完整性 / 表间 / 表文 / 表内 / 一致性; derived when left out
    params: dict = field(default_factory=dict, compare=False, hash=False)  # a named check's settings
    source: str = field(default="", compare=False)

    @property
    def category(self) -> str:
        """The listing group: what a reviewer reads the rule as."""
        if self.group:
            return self.group
        if self.kind in GROUPS:
            return GROUPS[self.kind]
        if {"NARR", "PERF"} & set(self.tables):
            return "表文"
        if "META" in self.tables:
            return "一致性"
        return "表间" if len(self.tables) > 1 else "表内"


class CatalogError(ValueError):
    """A catalog entry that cannot be used: names the file and the entry."""


def _rule(entry: dict, source: str) -> Rule:
    try:
        rule = Rule(**{**entry, "tables": tuple(entry["tables"]), "columns": tuple(entry.get("columns", ())),
                       "rhs": str(entry.get("rhs", "")), "params": dict(entry.get("params") or {}),
                       "description": " ".join(str(entry.get("description", "")).split()), "source": source})
    except (TypeError, KeyError) as exc:
        raise CatalogError(f"{source}: rule {entry.get('id', '?')}: {exc}") from None
    if rule.kind not in KINDS or rule.scope not in SCOPES or rule.op not in OPS:
        raise CatalogError(f"{source}: rule {rule.id}: unknown kind, scope or op")
    if rule.kind in NAMED and not rule.check:
        raise CatalogError(f"{source}: rule {rule.id}: a {rule.kind} rule names its `check`")
    if rule.kind not in NAMED and rule.scope in ("row", "each_code", "each_column", "each_row") and not (
        rule.lhs and rule.rhs
    ):
        raise CatalogError(f"{source}: rule {rule.id}: needs lhs and rhs")
    return rule


def load_catalog(extra: list[Path] | None = None) -> list[Rule]:
    """The bundled catalog plus any extra YAML files (an auditor's own rules)."""
    files = sorted(p for p in resources.files("auditlib.rules").joinpath("catalog").iterdir()
                   if p.name.endswith(".yaml"))
    rules: list[Rule] = []
    for f in [*files, *(extra or [])]:
        entries = yaml.safe_load(Path(str(f)).read_text(encoding="utf-8")) or []
        rules.extend(_rule(e, Path(str(f)).name) for e in entries)
    ids = [r.id for r in rules]
    dup = {i for i in ids if ids.count(i) > 1}
    if dup:
        raise CatalogError(f"duplicate rule ids: {', '.join(sorted(dup))}")
    return rules
