"""Typical misprints of a printed figure: what the figure may have been meant to be when one
keystroke went wrong — two adjacent digits swapped, one digit wrong, one digit of the integer
part lost or added, the decimal point moved (with the same digits).  Error localization
(`auditlib.rules.suspects`) uses them to read a change the identities imply as a misprint, and
to tell apart cells the identities alone cannot."""

from __future__ import annotations

from functools import lru_cache

MISPRINTS = {"swap": "两位数字颠倒", "digit": "一位数字之误", "lost": "少印一位数字", "extra": "多印一位数字",
             "point": "小数点错位"}


@lru_cache(maxsize=4096)
def misprints_of(value: float, decimals: int) -> tuple[tuple[float, str], ...]:
    """The figures whose typical misprint `value` is: two adjacent digits swapped, one digit
    wrong, one digit of the integer part lost or added, the decimal point moved."""
    text = f"{abs(value):.{decimals}f}"
    sign = -1 if value < 0 else 1
    digits = text.replace(".", "")
    point = len(text.split(".")[0])

    def number(ds: str, at: int) -> float | None:
        if not ds or at <= 0 or at > len(ds):
            return None
        return sign * float(f"{ds[:at]}.{ds[at:]}" if at < len(ds) else ds)

    out: list[tuple[float | None, str]] = []
    for i in range(len(digits) - 1):
        if digits[i] != digits[i + 1]:
            out.append((number(digits[:i] + digits[i + 1] + digits[i] + digits[i + 2:], point), MISPRINTS["swap"]))
    for i in range(len(digits)):
        out += [(number(digits[:i] + d + digits[i + 1:], point), MISPRINTS["digit"]) for d in "0123456789"
                if d != digits[i]]
    for i in range(point + 1):
        out += [(number(digits[:i] + d + digits[i:], point + 1), MISPRINTS["lost"]) for d in "0123456789"]
    for i in range(point):
        out.append((number(digits[:i] + digits[i + 1:], point - 1), MISPRINTS["extra"]))
    out += [(round(value * f, decimals), MISPRINTS["point"]) for f in (10, 100, 0.1, 0.01)
            if abs(round(value * f, decimals) - value * f) < 1e-9]  # the same digits, the point elsewhere
    return tuple((v, kind) for v, kind in out if v is not None and v != value)
