"""Interval arithmetic over printed figures: a figure printed with d decimals stands for
every value within half a unit of its last digit, so a rate recomputed from printed figures
is a range, and a printed percentage is judged against that range at its own precision."""

from __future__ import annotations

from auditlib.numbers import half_unit

ONE = 1e-9  # float noise


def ratio_span(num: float, num_tol: float, den: float, den_tol: float) -> tuple[float, float] | None:
    """The range of num/den × 100 when num and den may each be off by their tolerance;
    None when the denominator may be zero."""
    lo_d, hi_d = den - den_tol, den + den_tol
    if lo_d <= 0:
        return None
    lo_n, hi_n = max(num - num_tol, 0.0), num + num_tol
    return lo_n / hi_d * 100, hi_n / lo_d * 100


def interval_ratio(num: float, num_dec: int, den: float, den_dec: int) -> tuple[float, float] | None:
    """The range of num/den × 100 when both were rounded to their printed decimals."""
    return ratio_span(num, half_unit(num_dec), den, half_unit(den_dec))


def change_ratio(change: float, change_dec: int, current: float, current_dec: int,
                 sign: int) -> tuple[float, float] | None:
    """The range of a change over last year's amount × 100, last year's being this year's less
    the change (`sign` +1 an increase, −1 a decrease): the two share the change, so its rounding
    moves both (this year 0 and a decrease of C is a decline of exactly 100%, whatever C's
    rounding).  None when last year's amount may be zero."""
    hc, hn = half_unit(change_dec), half_unit(current_dec)

    def rate(c: float, n: float) -> float | None:
        before = n - sign * c
        return c / before * 100 if before > 0 else None

    lo, hi = rate(max(change - hc, 0.0), current + hn), rate(change + hc, max(current - hn, 0.0))
    return None if lo is None or hi is None else (lo, hi)


def percent_verdict(printed: float, decimals: int, span: tuple[float, float]) -> str | None:
    """None when the printed percentage is in reach of the range (at its printed precision),
    else the severity: a `warning` one unit of its last digit beyond, an `error` further."""
    lo, hi = span[0] - half_unit(decimals) - ONE, span[1] + half_unit(decimals) + ONE
    if lo <= printed <= hi:
        return None
    step = 10 ** (-decimals)
    return "warning" if lo - step <= printed <= hi + step else "error"


def beyond(diff: float, tolerance: float) -> str | None:
    """An equality of printed figures: None within the rounding allowance, a `warning`
    within twice it, else an `error`."""
    tol = tolerance + ONE
    if abs(diff) <= tol:
        return None
    return "error" if abs(diff) > 2 * tol else "warning"
