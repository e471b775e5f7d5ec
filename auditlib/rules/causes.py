"""Error localization in the auditor's words: the findings of `auditlib.rules.suspects`'
verdict, and the links that make the failing identities' own findings its symptoms.

`LOC.cell` names a cause (a cell, or cells printing the same wrong figure), its printed value
and the value the identities imply; `LOC.candidates` lists the equally small sets the
identities cannot tell apart; `LOC.scale` a table off by a unit factor; `READ.doubtful` a table
read so far from adding up that the reading is in doubt.  A symptom is a `warning` whose
`cause` is the key of the finding that explains it, listed in that finding's `symptoms`; a
narrative figure that restates a cause cell with the implied value is one too.
"""

from __future__ import annotations

from collections import defaultdict

from auditlib.names import table_name
from auditlib.rules.context import Context
from auditlib.rules.doubts import low_confidence, misreadings, ocr_cell, ocr_source
from auditlib.rules.engine import Identity
from auditlib.rules.findings import Cell, Finding, finding
from auditlib.rules.pagegaps import Gap
from auditlib.rules.suspects import (PRINTED_HALF_UNIT, Cause, Component, Key, Slot, Suspects, Verdict, key_of,
                                     tables_of)

CANDIDATE_SETS = 40  # equally small sets listed cell by cell in a finding's `candidates`


class Writer:
    """The findings of one verdict; each catalog entry that is switched off gives none."""

    def __init__(self, ctx: Context, suspects: Suspects) -> None:
        self.ctx = ctx
        self.report = ctx.report
        self.engine = ctx.evaluator
        self.suspects = suspects
        self.cell_rule, self.candidates_rule = ctx.rule("LOC.cell"), ctx.rule("LOC.candidates")
        self.doubt_rule, self.scale_rule = ctx.rule("READ.doubtful"), ctx.rule("LOC.scale")
        self.page_rule = ctx.rule("READ.page")

    def findings(self, verdict: Verdict) -> list[Finding]:
        """In the order the symptoms are linked: a unit error, a doubtful table, the causes,
        what stays open; what is left of a component goes to its first cause (an identity
        over two changed cells); a component not solved within the limits keeps its symptoms."""
        out = [self.scale_finding(t, factor, verdict.components) for t, factor in verdict.scaled.items()
               if self.scale_rule]
        out += self.doubtful_findings(verdict.remaining, verdict.doubtful)
        by_cell = self.cell_findings(verdict.causes)
        out += list({id(f): f for f in by_cell.values()}.values())
        out += [f for component, rest, complete in verdict.unsure
                for f in self.candidates_finding(component, rest, complete)]
        for cause in verdict.causes:
            if key_of(cause.cell) in by_cell:
                self.link(cause.component.identities, by_cell[key_of(cause.cell)])
        return out

    def gap_findings(self, gaps: list[Gap]) -> list[Finding]:
        """One error per table that lost a page, with the evidence; the failing identities over
        the table, its orphaned rows' META.code_parent and the narrative figures restating what
        the page held are its symptoms (they follow from the lost page, not the document's figures)."""
        out = []
        for gap in gaps:
            t = self.report.tables[gap.table]
            name = self._table_place(gap.table)
            codes = "和科目编码" if gap.orphans else ""
            f = finding(self.page_rule, "error", name,
                        f"{name} 可能缺页（{gap.place}）：{'；'.join(gap.evidence)}。缺页中的数字未能读取，"
                        f"本表的勾稽关系{codes}无从核对，须取得完整原件", f"{gap.table}:{gap.before}",
                        tables=[gap.table], page=gap.after or gap.before, line=t.line, expected=None,
                        actual=None, difference=None)
            self.link([i for i in self.engine.identities if gap.table in tables_of(i)], f)
            for other in self.ctx.findings:
                if other.cause is None and self._lost_with(gap, other):
                    self._symptom(other, f)
            out.append(f)
        return out

    def _lost_with(self, gap: Gap, other: Finding) -> bool:
        """A finding the lost page explains: an orphaned code's META.code_parent, or the narrative
        restating a cell of the table that the page held (its row or figure is not there) or
        that it put in doubt."""
        t = self.report.tables[gap.table]
        if other.id == "META.code_parent":
            return gap.table in other.tables and other.actual in {str(t.data.at[k, "code"]) for k in gap.orphans}
        return self.ctx.family(other) == "表文" and bool(other.cells) and all(
            c["table"] == gap.table and (t.value(c["row"], c["column"]) is None or
                                         (c["row"], c["column"]) in gap.doubted) for c in other.cells)

    def scale_finding(self, table: str, factor: float, components: list[Component]) -> Finding:
        mine = [i for c in components for i in c.identities if table in tables_of(i)]
        name = self._table_place(table)
        times = f"{1 / factor:,.0f} 倍" if factor < 1 else f"1/{factor:,.0f}"
        cells = [c for i in mine for _, c in i.terms if c.table == table]
        f = finding(self.scale_rule, "error", name,
                    f"{name} 的数字是其他表同项数字的 {times}：疑为金额单位有误（如表头为万元，数字按元填列）；"
                    f"按 {factor:g} 换算后，本表与他表的 {len(mine)} 项不成立的勾稽关系全部成立",
                    f"{table}:scale", tables=[table], page=self.report.tables[table].page,
                    line=self.report.tables[table].line, expected=None, actual=None, difference=None,
                    cells=[self.engine.record(c) for c in {key_of(c): c for c in cells}.values()])
        self.link(mine, f)
        self._link_narrative(f, lambda c, v: c["table"] == table and bool(c["value"]) and
                             abs(v - c["value"] * factor) <= PRINTED_HALF_UNIT * 2)
        for relation in self.engine.unmet:  # a heuristic or ≥ over the table that holds once it is scaled
            if relation.finding.cause is None and table in tables_of(relation) and holds_scaled(relation, table, factor):
                self._symptom(relation.finding, f)
        return f

    def doubtful_findings(self, components: list[Component], doubtful: dict[str, int]) -> list[Finding]:
        if not self.doubt_rule:
            return []
        out = []
        for table, needed in sorted(doubtful.items()):
            t = self.report.tables[table]
            mine = [i for c in components for i in c.identities if table in tables_of(i)]
            counts: dict[str, int] = defaultdict(int)
            for i in mine:
                counts[i.rule.title] += 1
            listed = "；".join(f"{title}（{n} 处）" for title, n in sorted(counts.items(), key=lambda x: -x[1]))
            name = self._table_place(table)
            f = finding(self.doubt_rule, "error", name,
                        f"{name}：{len(mine)} 项勾稽关系不成立，要使其全部成立至少须改动 {needed} 个单元格"
                        f"（本表已填 {self.suspects.filled(table)} 格），远多于报表通常的差错：疑为读取有误（缺列、错行或"
                        f"表格右半未读），本表结论须对照原件核对；各项不符列为警告。不成立的关系：{listed}",
                        table, tables=[table], page=t.page, line=t.line, expected=None, actual=needed, difference=None)
            out.append(f)
            self.link(mine, f)
        return out

    def cell_findings(self, causes: list[Cause]) -> dict[Key, Finding]:
        """One finding per cause: cells printing the same figure where the same value is
        implied (and by the same misprint) are one cause in several places.  {cell: its finding}"""
        if not self.cell_rule:
            return {}
        groups: dict[tuple, list[Cause]] = defaultdict(list)
        for cause in causes:
            groups[(round(cause.cell.value or 0.0, 6), cause.implied, cause.misprint)].append(cause)
        out = {}
        for members in groups.values():
            f = self._cell_finding(members)
            keys = {key_of(m.cell) for m in members}
            self.link([i for m in members for i in m.component.identities if keys & {key_of(c) for _, c in i.terms}], f)
            spans = {key_of(m.cell): m.span for m in members if m.span}
            self._link_narrative(f, lambda c, v, spans=spans: (
                (span := spans.get((c["table"], c["row"], c["column"]))) is not None and span[0] <= v <= span[1]))
            out.update({k: f for k in keys})
        return out

    def _cell_finding(self, members: list[Cause]) -> Finding:
        first = members[0]
        cell, implied = first.cell, first.implied
        factor = self.suspects.factor(cell)
        printed = (cell.value or 0.0) / factor  # in the table's own unit, as the auditor finds it printed
        components = list({id(m.component): m.component for m in members}.values())
        keys = {key_of(m.cell) for m in members}
        mine = [i for c in components for i in c.identities if keys & {key_of(x) for _, x in i.terms}]
        where = "、".join(self._place(m.cell) for m in members) + (f" {len(members)} 处均" if len(members) > 1 else "")
        unit = f" {self.report.tables[cell.table].unit}" if factor != 1 else ""
        if implied is None:
            said = f"{where}列示 {_num(printed)}{unit}，须与同一关系中的其他单元格一并改动"
        else:
            said = f"{where}列示 {_num(printed)}{unit}，按勾稽关系应为 {_num(implied)}{unit}" + (
                f"（{first.misprint}）" if first.misprint else "") + (
                f"，情况说明亦作 {_num(first.stated)}" if first.stated is not None else "")
        titles = "；".join(dict.fromkeys(i.rule.title for i in mine))
        said += (f"：改动{'此处' if len(members) == 1 else '这几处'}即可使 {len(mine)} 项不成立的关系全部成立，"
                 f"且不破坏其余 {sum(c.holding for c in components)} 项已成立的关系（{titles}）")
        if first.alternatives:
            others = sum(len(s.cells) for slots in first.alternatives for s in slots) - len(members)
            why = "情况说明所列之数与此相符" if first.stated is not None else "差异是常见的录入错误"
            said += f"；另有 {others} 处改动同样可使关系成立，但只有此处的{why}"
        doubt = self._ocr_doubt(cell, implied, mine)
        f = finding(self.cell_rule, "warning" if doubt else "error", self._place(cell),
                    said + (f"；{doubt}" if doubt else ""), "|".join(":".join(k) for k in sorted(keys)),
                    tables=sorted({m.cell.table for m in members}), page=cell.page, line=cell.line,
                    expected=_in(implied, factor), actual=cell.value, cells=[self.engine.record(m.cell) for m in members])
        f.implied = f.expected  # in the document's unit, as every finding's numbers
        if first.alternatives:
            f.candidates = self._candidate_records(first.alternatives, first.component)
        return f

    def candidates_finding(self, component: Component, sets: list[list[Slot]], complete: bool) -> list[Finding]:
        if not self.candidates_rule:
            return []
        open_identities = [i for i in component.identities if i.finding and i.finding.cause is None]
        tables = component.tables_by_failures(open_identities)
        first = next((i for i in open_identities if i.finding.tables[0] == tables[0]), open_identities[0]) \
            if open_identities else component.identities[0]
        size = len(sets[0])
        options = "；".join(f"{_circled(n)} " + "、".join(self._slot_text(s) for s in slots)
                           for n, slots in enumerate(sets))
        more = "" if complete else "；可能还有其他同样少的改法"
        again = "还" if len(open_identities) < len(component.identities) else ""
        typical = [f"{self._row(c.cell)}（{_num((c.cell.value or 0.0) / self.suspects.factor(c.cell))}"
                   f" → {_num(c.implied)}，{c.misprint}）"
                   for slots in sets for s in slots for c in (self.suspects.cause(x, s, component) for x in s.cells)
                   if c.misprint]
        message = (f"{len(open_identities)} 项勾稽关系不成立，要使其全部成立{again}须改动至少 {size} 处，"
                   f"勾稽关系无法确定是哪{'一' if size == 1 else '几'}处。可能的改法：{options}{more}")
        if typical:
            message += f"。其中差异为常见录入错误的：{'、'.join(dict.fromkeys(typical))}"
        f = finding(self.candidates_rule, "error", self._table_place(tables[0]), message,
                    first.finding.key.split("@", 1)[-1], tables=tables, page=first.finding.page,
                    line=first.finding.line, expected=None, actual=None, difference=None,
                    cells=[self.engine.record(c) for c in {key_of(c): c for slots in sets for s in slots
                                                           for c in s.cells}.values()])
        f.candidates = self._candidate_records(sets, component)
        self.link(open_identities, f)
        return [f]

    def _candidate_records(self, sets: list[list[Slot]], component: Component) -> list[list[dict]]:
        """Each smallest set as cell records (with the value implied, where it is); a change
        any of several cells may carry gives one set per cell (at most `CANDIDATE_SETS`, those
        that are typical misprints first)."""
        out = []
        for slots in sets:
            for choice in _product([s.cells for s in slots], limit=CANDIDATE_SETS):
                causes = [self.suspects.cause(c, s, component) for c, s in zip(choice, slots)]
                out.append((not all(c.misprint for c in causes),
                            [{**self.engine.record(c.cell), "implied": _in(c.implied, self.suspects.factor(c.cell))}
                             for c in causes]))
        return [records for _, records in sorted(out, key=lambda x: x[0])][:CANDIDATE_SETS]  # misprints first

    def link(self, identities: list[Identity], cause: Finding) -> None:
        """The identities' findings not yet explained become symptoms of `cause`: warnings
        listed under it."""
        for identity in identities:
            if identity.finding is not None and identity.finding.cause is None:
                self._symptom(identity.finding, cause)

    def _symptom(self, symptom: Finding, cause: Finding) -> None:
        symptom.cause = cause.key
        symptom.severity = "warning"
        cause.symptoms.append(symptom.key)

    def _link_narrative(self, cause: Finding, allows) -> None:
        """A narrative figure restating a cause's cell with a value the cause allows for it
        (`allows`: cell record, value → bool) is a symptom too: the narrative confirms that
        the table misprints."""
        for f in self.ctx.findings:
            if self.ctx.family(f) == "表文" and f.cause is None and isinstance(f.actual, (int, float)) and \
                    any(allows(c, f.actual) for c in f.cells):
                self._symptom(f, cause)

    def _ocr_doubt(self, cell: Cell, implied: float | None, identities: list[Identity]) -> str | None:
        """On a scan (or a table pasted as a picture), a cell read with low confidence, or whose figure one confusable
        character turns into the implied value, is a misreading to check, not the document's
        error; so is a cause whose identities the reading already put in doubt (a failing
        identity's finding that the OCR's doubt made a warning: another of its cells may be
        the one misread)."""
        if not ocr_cell(self.report, cell):
            return None
        doubt = low_confidence(self.report, cell)
        if doubt:
            return doubt
        factor = self.suspects.factor(cell)
        if implied is not None and any(abs(alt / factor - implied) < 0.005 for alt in misreadings(cell.value or 0.0)):
            return (f"疑为识别误差：{cell.name} 识别为 {_num((cell.value or 0.0) / factor)}，"
                    f"若为 {_num(implied)} 则相符，须对照原件核对")
        doubted = [i for i in identities if i.finding is not None and i.finding.severity == "warning"]
        if doubted:
            return f"{ocr_source(self.report)}：其中 {len(doubted)} 项关系所涉单元格的识别存疑（见各项），须对照原件核对"
        return None

    def _place(self, cell: Cell) -> str:
        """表名 · 行名 · 栏名, the row's code first when it has one."""
        t = self.report.tables[cell.table]
        return f"{t.label or table_name(self.report, cell.table)} {self._row(cell)} {t.spec.column_names.get(cell.column, cell.column)}"

    def _row(self, cell: Cell) -> str:
        t = self.report.tables[cell.table]
        code = t.data.at[cell.key, "code"] if t.has(cell.key) and "code" in t.data.columns else ""
        return f"{code} {cell.name}" if code and code != cell.name else cell.name

    def _table_place(self, code: str) -> str:
        t = self.report.tables[code]
        name = t.label or table_name(self.report, code)  # a budget's table: its printed title alone
        return f"{name} {t.title if t.title and t.title != name else ''}".strip()

    def _slot_text(self, slot: Slot) -> str:
        """A change as the auditor reads it: its cell, or the cells any one of which may carry
        it (named by their common parent row when they are its 款 or 项)."""
        if len(slot.cells) == 1:
            return self._place(slot.cells[0])
        parent = self._parent(slot.cells)
        if parent:
            return f"{parent} 所属 {len(slot.cells)} 行中的某一行"
        names = [self._place(c) for c in slot.cells]
        return f"{'、'.join(names[:3])}{' 等' if len(names) > 3 else ''} {len(names)} 处中的某一处"

    def _parent(self, cells: list[Cell]) -> str | None:
        """`公开06表 301 工资福利支出 决算数` when every cell is a row under that code, in one column."""
        c0 = cells[0]
        if any((c.table, c.column) != (c0.table, c0.column) for c in cells):
            return None
        codes = {c.key for c in cells}
        prefix = min(codes, key=len)[:-2] if all(k.isdigit() for k in codes) else ""
        t = self.report.tables[c0.table]
        if not prefix or not t.has(prefix) or not all(k.startswith(prefix) and len(k) == len(prefix) + 2 for k in codes):
            return None
        return self._place(Cell(c0.table, prefix, c0.column, None, str(t.data.at[prefix, "name"]), None, None, 0.0))


def _product(choices: list[list[Cell]], limit: int) -> list[tuple[Cell, ...]]:
    out: list[tuple[Cell, ...]] = [()]
    for options in choices:
        out = [(*prefix, c) for prefix in out for c in options][:limit]
    return out


def _circled(n: int) -> str:
    return "①②③④⑤⑥⑦⑧⑨"[n] if n < 9 else f"({n + 1})"


def _in(value: float | None, factor: float) -> float | None:
    """A value of a table's own unit in the document's (a 元 table inside a 万元 report)."""
    return None if value is None else round(value * factor, 6)


def _num(v: float) -> str:
    return f"{v:,.2f}"


def holds_scaled(relation: Identity, table: str, factor: float) -> bool:
    """Whether a relation holds once the figures of `table` are multiplied by `factor` (its
    failure then follows from the table's unit error)."""
    residual = relation.residual + sum(coef * (cell.value or 0.0) * (factor - 1)
                                       for coef, cell in relation.terms if cell.table == table)
    slack = relation.tolerance
    return {"=": abs(residual) <= slack, ">=": residual >= -slack, ">": residual > -slack,
            "<=": residual <= slack, "<": residual < slack}[relation.rule.op]
