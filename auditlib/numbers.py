"""Parse the amounts printed in reports.

Published cells come as `3,670.49`, `0.00`, `-`, `—`, blank, full-width `１,２３４.５６`,
accounting negatives `(12.30)`, thin-space groups `1 234.56`, and in prose with a unit
(`12.3万`).  Blank and dash mean "no figure", not zero: the caller decides what a
missing figure means for a rule.
"""

from __future__ import annotations

import re
import unicodedata

_DASHES = {"-", "—", "–", "－", "―", "--", "——", "/", "—-", "－－"}
_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
_UNITS = {"万元": 1.0, "万": 1.0, "元": 1.0, "%": 1.0}


class NotANumber(ValueError):
    """A cell that holds words where a figure was expected."""


def clean(text: str) -> str:
    """NFKC-normalize and drop every kind of space inside a figure."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"[\s\u00a0\u2009\u202f]+", "", text)


def parse_number(text: str | None) -> float | None:
    """The value of a printed figure; None for a blank or dash cell.

    Raises NotANumber when the cell holds anything else, so a shifted column is
    noticed instead of read as zero.
    """
    if text is None:
        return None
    s = clean(str(text))
    if not s or s in _DASHES:
        return None
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1]
    for unit in _UNITS:
        if s.endswith(unit) and len(s) > len(unit):
            s = s[: -len(unit)]
            break
    s = s.replace("－", "-").replace("−", "-")
    if not _NUMBER.fullmatch(s):
        raise NotANumber(text)
    value = float(s.replace(",", ""))
    return -value if negative else value


def is_number(text: str | None) -> bool:
    """True when the cell is a figure (not blank, not a dash, not words)."""
    try:
        return parse_number(text) is not None
    except NotANumber:
        return False


def is_blank(text: str | None) -> bool:
    """True for a blank or dash cell."""
    try:
        return parse_number(text) is None
    except NotANumber:
        return False


def decimals(text: str) -> int:
    """How many decimals a figure is printed with (its precision)."""
    s = clean(text)
    m = re.search(r"\.(\d+)", s)
    return len(m.group(1)) if m else 0


def plain(value):
    """Plain Python values for JSON and pickles: numpy scalars (from pandas cells) become
    Python numbers, NaN becomes None, tuples become lists, recursively."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    return value


def half_unit(decimals: int) -> float:
    """Half a unit of the last printed digit: what rounding to `decimals` may hide."""
    return 0.5 * 10 ** (-decimals)
