"""`pdftotext -layout`'s positions: each column's place on a page, learnt from the lines that
fit the template one way only and from the header's names, and the placements of the other
lines kept where their words stand nearest (auditlib/ingest/spaced.py)."""

from __future__ import annotations

import re
import statistics

from auditlib.ingest.spaced_template import Template
from auditlib.ingest.spaced_tokens import Line, Token, squash


def _position(token: Token, role: str) -> float:
    """Where a token stands: a figure by its right edge (numbers are right-aligned or
    centred: the edge clusters either way), words by their start."""
    return token.end if role in ("value", "rowno") else token.start


def prune(line_options: list[tuple[int, ...]], line: Line, tpl: Template,
          at: dict[int, float]) -> list[tuple[int, ...]]:
    """The placements of a layout line that put each token in the column nearest to where
    it is printed (`at`: each slot's position on this page, where known).  All of them
    when one would put a figure in a column whose position is not known: a placement that
    avoids the known columns is not nearer for that.  Words in a column whose position is
    not known stand between the known columns either side of it (a label column no line
    fills one way only must not draw the words of every other label column)."""
    if len(line_options) <= 1 or not at:
        return line_options
    scored = []
    for placement in line_options:
        cost = 0.0
        for token, k in zip(line.tokens, placement):
            if k in at:
                cost += abs(_position(token, tpl.slots[k].role) - at[k])
            elif tpl.slots[k].role in ("value", "rowno"):
                return line_options
            else:
                cost += _outside(token.start, k, at)
        scored.append((cost, placement))
    low = min(c for c, _ in scored)
    return [p for c, p in scored if c <= low + 2.0]


def _outside(start: float, k: int, at: dict[int, float]) -> float:
    """How far words starting at `start` stand outside the span between the known columns
    before and after slot `k` (0 inside it, or with no known column that side)."""
    before = max((j for j in at if j < k), default=None)
    after = min((j for j in at if j > k), default=None)
    return max(0.0, at[before] - start if before is not None else 0.0) + \
        max(0.0, start - at[after] if after is not None else 0.0)


def learn_positions(lines: list[Line], options: list[list[tuple[int, ...]]], tpl: Template,
                    head: list[Line], prior: dict[int, float] | None = None) -> dict[int, float]:
    """Each slot's position on one page: from the tokens every placement of their line puts
    in one slot (all of a line that fits the template one way only; the labels of a line
    whose figures may stand in several columns), and, for value columns never filled that
    way, from the page before (`prior`: a page that continues a table without its header
    prints it in the same columns, the page as a whole shifted as far as the columns
    learnt on both are) or else from the header's column names."""
    seen: dict[int, list[float]] = {}
    for line, opts in zip(lines, options):
        for n, token in enumerate(line.tokens):
            slots = {o[n] for o in opts}
            if len(slots) == 1:
                k = slots.pop()
                seen.setdefault(k, []).append(_position(token, tpl.slots[k].role))
    at = {k: statistics.median(v) for k, v in seen.items()}
    if prior:
        both = [k for k in at if k in prior]
        figures = [k for k in both if tpl.slots[k].role in ("value", "rowno")] or both
        shift = statistics.median(at[k] - prior[k] for k in figures) if figures else 0.0
        for k, pos in prior.items():
            at.setdefault(k, pos + shift)
    named = _header_positions(head, tpl)
    for k, pos in named.items():
        at.setdefault(k, pos)
    return at


def _header_positions(head: list[Line], tpl: Template) -> dict[int, float]:
    """The right edge of each value column whose printed name is found in the header once:
    the words of one header cell stand over each other (wrapped, on lines that need not be
    consecutive: a three-line cell beside one-line names leaves its middle line to them),
    so a name is a chain of words on later and later lines, each overlapping the one above."""
    words = [[t for t in line.tokens if t.kind == "text"] for line in head]
    found: dict[int, float] = {}
    for k, slot in enumerate(tpl.slots):
        if slot.role != "value":
            continue
        name = squash(slot.name)
        hits = {max(t.end for t in chain) for n, line in enumerate(words) for token in line
                for chain in _chains(words, n, [token], name)}
        if len(hits) == 1:
            found[k] = hits.pop()
    return found


def _chains(words: list[list[Token]], n: int, chain: list[Token], name: str) -> list[list[Token]]:
    """The chains of stacked words from `chain` (its last word on line `n`) that spell `name`."""
    text = squash("".join(t.text for t in chain))
    if text == name:
        return [chain]
    if not name.startswith(text):
        return []
    last = chain[-1]
    return [found for m in range(n + 1, len(words)) for token in words[m]
            if last.start < token.end and token.start < last.end
            for found in _chains(words, m, [*chain, token], name)]


# --------------------------------------------------------------------------- one table

def is_layout(lines: list[Line], raws: dict[int, str]) -> bool:
    """The layout form: most lines with figures space their words by runs of spaces."""
    rows = [raws[line.index] for line in lines if line.figures]
    wide = [r for r in rows if re.search(r"\S {3,}\S", r.strip())]
    return bool(rows) and len(wide) * 2 > len(rows)
