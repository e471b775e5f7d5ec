"""The clause reader: the figures of one paragraph's sentences, each in the subject group it
is about.

A sentence is read clause by clause: ，；。、： and a parenthetical aside end a clause, 其中
and 含 open a list of parts, and a figure belongs to the subject its own clause names
("其中:本年支出合计 1539.44 万元,结余分配 0.00 万元" — 0.00 is 结余分配's, never 本年支出合计's;
"国内公务接待支出 5.24 万元(含外宾接待支出 0 万元)" — 0 is 外宾接待支出's).  A clause that
names nothing ("决算数为 68.56 万元", "占 98.54%", "增长 4.3%") is about the subject named just
before it.  A list after 其中 / 主要用于以下方面 / 具体构成为 has the subject named before it as
its `head` (the base its parts' shares are of).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from auditlib.claims import Figure, Group
from auditlib.ingest.words import (CLAUSE_END, COUNTED, OPENER, PAIRED, PRIOR, THRESHOLD, closing, figure_matches, kind_of,
                                   name_paren, names, naming, residue, since_list, unit_of, versus_year)
from auditlib.schema import flat

__all__ = ["ParagraphReader"]


@dataclass
class _Clause:
    """A clause being read: its words since the last figure, its group, its frame."""

    nested: bool = False
    part: bool = False
    words: str = ""  # since the clause began or since its last figure
    all_words: str = ""  # since the clause began
    group: int | None = None

    def add(self, words: str, end: int) -> int:
        """Words of the clause (a name's parenthesis, a threshold, one character); `end` back."""
        self.words += words
        self.all_words += words
        return end


@dataclass
class _Scan:
    """One sentence being read: its text, the frames of its open clauses (asides nest), its
    figures and thresholds by where they start, what it has read so far."""

    raw: str
    stack: list[_Clause]
    by_start: dict[int, re.Match]
    mask_end: dict[int, int]
    out: list[Figure] = field(default_factory=list)
    head: int | None = None
    out_end: int = 0  # the end of the last figure read


class ParagraphReader:
    """Reads the sentences of one paragraph in order, keeping the subject groups (and the
    head of an open list) from one sentence to the next."""

    def __init__(self, subjects=None, section: str = "", year: int | None = None,
                 groups: list[Group] | None = None) -> None:
        self.groups: list[Group] = groups if groups is not None else []
        self.subjects = subjects
        self.section = section
        self.year = year
        self.last: int | None = None  # the last top-level group (what a clause naming nothing is about)
        self.history: list[int] = []  # the top-level groups, in the order figures were said of them
        self.head: int | None = None  # the group an open list divides
        self.listing = False  # inside a 其中 list (until the sentence ends with 。)
        self.pending: _Clause | None = None  # a clause naming a subject without a figure, just before

    def _group(self, words: str, clause: _Clause) -> int:
        self.groups.append(Group(words, clause.nested, clause.part, self.head if clause.part else None))
        return len(self.groups) - 1

    def _names(self, words: str, unit: str) -> bool:
        return names(self.subjects or [], self.section, words, unit)

    def _open_list(self, clause: _Clause) -> None:
        """其中 / 主要用于以下方面: the group named so far is the head of the list that follows
        (an aside's 其中 — “(其中外事接待 0 批次)” — opens no list of the sentence)."""
        if clause.nested:
            return
        named = naming(clause.all_words)
        if clause.group is None and self._names(named, "万元"):
            clause.group = self._group(named, clause)
            self.last = clause.group
        self.head = clause.group if clause.group is not None else self.last
        self.listing = True

    def read(self, raw: str) -> tuple[list[Figure], int | None]:
        """The figures of one sentence, each with its kind and group; the list head in it."""
        scan = _Scan(raw, [_Clause(part=self.listing)], {m.start(): m for m in figure_matches(raw)},
                     {m.start(): m.end() for m in THRESHOLD.finditer(raw)})
        self.pending = None
        i = 0
        while i < len(raw):
            i = self._step(scan, i)
        if raw.rstrip().endswith("。"):
            self.listing = False
        return scan.out, scan.head

    def _step(self, scan: _Scan, i: int) -> int:
        """Read on from `i` (a threshold, a figure, a parenthesis, a list opener, the end of a
        clause or one character of its words); where the next step starts."""
        raw, stack, top = scan.raw, scan.stack, scan.stack[-1]
        if i in scan.mask_end:
            return top.add(raw[i:scan.mask_end[i]], scan.mask_end[i])
        if i in scan.by_start:
            m = scan.by_start[i]
            scan.out.append(self._figure(raw, m, top, stack, PAIRED.search(since_list(raw[:i])) is not None,
                                         raw[scan.out_end:m.start()]))
            top.words = ""
            scan.out_end = m.end()
            return m.end()
        ch = raw[i]
        if ch in "(（":
            j = closing(raw, i)
            if j > 0 and name_paren(raw[i + 1:j]):
                return top.add(raw[i:j + 1], j + 1)
            stack.append(_Clause(nested=True, part=top.part or raw[i + 1:].lstrip().startswith("含")))
            return i + 1
        if ch in ")）" and len(stack) > 1:
            stack.pop()
            return i + 1
        opener = OPENER.match(raw, i)
        if opener:
            self._open_list(top)
            scan.head = self.head
            stack[-1] = _Clause(nested=top.nested, part=True)
            return opener.end()
        if ch in CLAUSE_END:
            self._ended(top)
            stack[-1] = _Clause(nested=top.nested, part=top.part)
            return i + 1
        return top.add(ch, i + 1)

    def _figure(self, raw: str, m: re.Match, clause: _Clause, stack: list[_Clause], paired: bool,
                recent: str) -> Figure:
        """One figure: its kind from the words before it, its group from its clause."""
        unit = unit_of(m)
        prefix = raw[:m.start()]
        kind, sign = kind_of(prefix, unit, self.year, recent)
        own = self._assign(clause, stack, unit)
        num = m.group("num")
        base = re.search(r"占([^，,；;]*?)的?\s*$", flat(prefix)) if kind == "share" else None
        prior = PRIOR.search(flat(prefix)) if kind == "change" else None
        value = float(num.replace(",", ""))
        decimals = len(num.split(".")[1]) if "." in num else 0
        if not value and unit in ("万元", "元"):
            decimals = max(decimals, 2)  # “0 万元” is none at all, not anything below 0.5 万元
        return Figure(value, unit, decimals, kind,
                      clause.words, sign, m.start(), explanatory=bool(re.search(r"原因|分别是", since_list(prefix))),
                      versus=versus_year(prefix) if kind in ("change", "growth") else None, part=clause.part,
                      group=clause.group, own=own, base=base.group(1) if base else "",
                      prior=float(prior.group("prior")) if prior else None,
                      prior_decimals=len((prior.group("prior").split(".") + [""])[1]) if prior else 2,
                      adjusted=kind == "budget" and bool(re.search(r"(全年|调整)预算[^，,；;年初]*$", flat(prefix))),
                      paired=paired)

    def _assign(self, clause: _Clause, stack: list[_Clause], unit: str) -> bool:
        """Put the clause (and so its figure) in a subject group: its own words' when they name
        one (True), else the one it goes on with."""
        named = naming(clause.words)
        measure = "count" if unit in COUNTED else "money"
        own = self._names(named, unit) and not self._repeats(named, clause)
        if own:
            clause.group = self._group(named, clause)
        elif clause.group is None and self.pending is not None and not clause.nested:
            clause.group = self._group(naming(self.pending.all_words), self.pending)
        elif clause.group is None:
            clause.group = self._inherited(clause, stack, measure)
        self.pending = None
        self.groups[clause.group].measures.add(measure)
        if not clause.nested:
            self.last = clause.group
            if clause.group in self.history:
                self.history.remove(clause.group)
            self.history.append(clause.group)
        return own

    def _ended(self, clause: _Clause) -> None:
        """A clause ends: one that names a subject and holds no figure (“收入支出总体与上年相比，
        增加 58.21 万元”) is what the next clause naming nothing is about."""
        if clause.group is None and clause.words == clause.all_words and not re.search(r"原因|主要用于|包括",
                                                                                         clause.all_words):
            self.pending = clause if self._names(naming(clause.all_words), "万元") else self.pending
        else:
            self.pending = None

    def _repeats(self, named: str, clause: _Clause) -> bool:
        """A clause repeating part of the subject named just before it is about that subject
        (“外事接待 0 批，累计接待 0 人次”: 接待 is 外事接待's)."""
        last = self.last if clause.group is None else clause.group
        if last is None or (clause.part and not self.groups[last].part):
            return False
        rest = residue(named)
        return bool(rest) and rest in residue(self.groups[last].words)

    def _inherited(self, clause: _Clause, stack: list[_Clause], measure: str) -> int:
        """A clause naming nothing is about the group of the clause that encloses it, else the
        latest top-level group whose figures measure what it does (money, counts: “公务接待
        41 批次，…，支出 0.27 万元” — the 万元 is not the 批次' subject's); a part of a list only
        within the list; nothing fits: its own words are its group."""
        enclosing = next((c.group for c in reversed(stack[:-1]) if c.group is not None), None)
        if clause.nested and enclosing is not None:
            return enclosing
        for g in reversed(self.history):
            group = self.groups[g]
            if clause.part and not group.part:
                break
            if not group.measures or measure in group.measures:
                return g
        return self._group(naming(clause.all_words), clause)
