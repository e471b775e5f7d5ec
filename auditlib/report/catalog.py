"""The rule catalog as a reviewer reads it (`auditlib rules`): grouped 表内 / 表间 / 定位 / 表文 /
绩效 / 跨年 / 完整性 / 一致性 / 读取, each rule's id and title, then its English title, tables,
the kinds of document it applies to (when not only 决算), severity, tolerance and source, its
parameters and the text it rests on (依据: for a 预算 rule always given, the catalog requires it)."""

from __future__ import annotations

import json

from auditlib.kinds import FINAL
from auditlib.names import SEVERITY_ZH, table_name
from auditlib.rules.rule import FAMILIES, Rule

__all__ = ["render_catalog"]


def render_catalog(rules: list[Rule]) -> str:
    """The listing of `rules`, group by group in FAMILIES order (an auditor's own groups last)."""
    def rank(group: str) -> tuple:
        return (FAMILIES.index(group) if group in FAMILIES else len(FAMILIES), group)

    lines: list[str] = []
    for group in sorted({r.category for r in rules}, key=rank):
        mine = [r for r in rules if r.category == group]
        lines.append(f"== {group}（{len(mine)} 条）")
        for rule in mine:
            lines.append(f"{rule.id:<34} {rule.title}{'' if rule.enabled else '  【已停用】'}")
            lines.append(f"{'':<34} {_facts(rule)}")
            if rule.description:
                lines.append(f"{'':<34} 依据：{rule.description}")
            if rule.params:
                lines.append(f"{'':<34} 参数：{json.dumps(rule.params, ensure_ascii=False)}")
        lines.append("")
    return "".join(line + "\n" for line in lines)


def _facts(rule: Rule) -> str:
    """English title · 表 · 适用 (a rule not only for 决算) · 等级 · 容差 · 来源."""
    severity = SEVERITY_ZH.get(rule.severity, "按结果")
    tolerance = f"{rule.tolerance:g}" if rule.tolerance is not None else "半个末位"
    tables = "、".join(table_name(None, t) for t in rule.tables)
    kinds = "" if rule.kinds == (FINAL,) else f" · 适用 {'、'.join(rule.kinds)}"
    return f"{rule.title_en} · {tables}{kinds} · 等级 {severity} · 容差 {tolerance} · {rule.source}:{rule.line}"
