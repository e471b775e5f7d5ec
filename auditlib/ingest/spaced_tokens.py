"""The words of a converter's text line, with their kinds: figures, whole numbers (codes,
行次, counts), dashes and words — and, in `pdftotext -layout`'s form, the columns each word
covers.  The first step of reading a table printed with spaces (auditlib/ingest/spaced.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from auditlib.ingest.lines import normalize_text
from auditlib.ingest.pdf_text import is_wide

# a printed amount (the figure a money column holds), an accounting negative, a dash for "none"
FIG = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)\.\d+|\((?:\d{1,3}(?:,\d{3})+|\d+)\.\d+\)")
DASH = re.compile(r"[-—–－―/]{1,2}")
INT = re.compile(r"\d+")
# a figure glued to the words after or before it ("1,500.85二、外交支出")
PIECES = re.compile(rf"({FIG.pattern})(?=\D|$)|(?<=[^\d,.])({FIG.pattern})")
GLUED_CODE = re.compile(r"^(\d{3}|\d{5}|\d{7})(?=[^\x00-\x7f（(])(?![万亿千百元年月日个人次辆台套项])")
# a 款 or 项 of its own cell glued to its name after the 类's ("301 01基本工资": WPS's 公开06表)
# (no unit word is ruled out after the digits: the code before them says what they are — "303 10个人农业生产补贴")
GLUED_PART = re.compile(r"^(\d{2})(?=[^\x00-\x7f（(])")
UNIT_WORD = re.compile(r"[万亿千]?元|年度|%")
ELLIPSIS = re.compile(r"[.…。·]{2,}|…")


@dataclass(frozen=True)
class Token:
    """One word of a line: `kind` fig, int, dash or text; `start`/`end` the columns it covers
    in a layout line (a wide character counts two), -1 without positions."""

    text: str
    kind: str
    start: int = -1
    end: int = -1


@dataclass(frozen=True)
class Line:
    """One line under a table's title."""

    index: int  # position in the document's lines
    number: int  # 1-based line of the file
    page: int  # form feeds before it (pdftotext ends each page with one)
    text: str  # normalized
    tokens: tuple[Token, ...]
    more: tuple[int, ...] = ()  # the other lines it was joined from (pdftotext's cells, one a line)

    @property
    def figures(self) -> int:
        return sum(t.kind == "fig" for t in self.tokens)


def tokens(raw: str, layout: bool, chars: bool = False) -> tuple[Token, ...]:
    """The words of a raw line with their kinds (and columns, in the layout form: a wide
    character counts two columns, or one when `chars` — pdftotext may put every character
    in one column of its grid, as it does with WPS's prints)."""
    measure = len if chars else width
    out: list[Token] = []
    for m in re.finditer(r"\S+", raw):
        col = measure(raw[: m.start()])
        for text in _pieces(normalize_text(m.group())):
            size = measure(text)
            if ELLIPSIS.fullmatch(text):
                col += size
                continue  # a template's "... ..." rows
            out.append(Token(text, _kind(text), col if layout else -1, col + size if layout else -1))
            col += size
    return _with_units(_parts_apart(out))


def _parts_apart(out: list[Token]) -> list[Token]:
    """A two-digit 款 or 项 glued to its name is cut from it where the code so far stands just
    before it (the 类, the 类 and 款 in one cell or two): pdfplumber runs WPS's separate code
    cells together ("301 01基本工资", "208 05 05机关事业单位…"), and the name would else read
    "01基本工资" under the 类's code."""
    cut: list[Token] = []
    for token in out:
        part = GLUED_PART.match(token.text) if token.kind == "text" else None
        if part and len(_code_so_far(cut)) in (3, 5):
            mid = token.start + 2 if token.start >= 0 else -1
            cut += [Token(part.group(1), "int", token.start, mid), Token(token.text[2:], "text", mid, token.end)]
        else:
            cut.append(token)
    return cut


def _code_so_far(cut: list[Token]) -> str:
    """The whole numbers just before the end of `cut` run together, when they make a code
    begun by a 类 ("301", "30101", "208" "05"); else ""."""
    run: list[str] = []
    for token in reversed(cut):
        if token.kind != "int":
            break
        run.insert(0, token.text)
    return "".join(run) if run and len(run[0]) in (3, 5) and all(len(t) == 2 for t in run[1:]) else ""


def _with_units(out: list[Token]) -> tuple[Token, ...]:
    """A whole number spaced from the unit after it ("50 万元(含)以上", "2021 年度") is words."""
    merged: list[Token] = []
    for token in out:
        last = merged[-1] if merged else None
        if last and last.kind == "int" and token.kind == "text" and UNIT_WORD.match(token.text):
            merged[-1] = Token(last.text + token.text, "text", last.start, token.end)
        else:
            merged.append(token)
    return tuple(merged)


def _pieces(word: str) -> list[str]:
    """A word cut where a figure is glued to words ("1,500.85二、外交支出") or a code to its
    name ("30101基本工资")."""
    if not word:
        return []
    code = GLUED_CODE.match(word)
    if code:
        return [code.group(1), *_pieces(word[code.end(1):])]
    if FIG.fullmatch(word) or not re.search(r"\d\.\d", word):
        return [word]
    parts = [p for p in re.split(rf"({FIG.pattern})", word) if p]
    # keep figures only where they stand apart from digits around them
    if any(not FIG.fullmatch(p) and (p[0].isdigit() or p[-1].isdigit()) for p in parts):
        return [word]
    return parts


def _kind(text: str) -> str:
    if FIG.fullmatch(text):
        return "fig"
    if INT.fullmatch(text):
        return "int"
    if DASH.fullmatch(text):
        return "dash"
    return "text"


def width(text: str) -> int:
    return sum(2 if is_wide(c) else 1 for c in text)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text).replace("（", "(").replace("）", ")")


Placed = tuple[Line, Token]  # a token with the line it is printed on


def words(lines: list[Line]) -> str:
    """The text tokens of `lines` run together and squashed: a table printed a cell a line
    wraps its labels over lines, so names are looked for in this, not line by line."""
    return squash("".join(t.text for line in lines for t in line.tokens if t.kind == "text"))
