"""The figures a generated narrative states, printed once for every wording: each restates the
tables, or — for what the tables do not print (budgets, last year, 政府采购) — is invented
consistently.  A planted fault (`Prose.fault`) prints exactly one of them wrong."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from auditlib.rules.intervals import change_ratio
from auditlib.schema import FUNCTION_CLASSES
from tests.synth.amounts import amount
from tests.synth.document import SyntheticReport
from tests.synth.reference import T10_VEHICLES

T02_NAMES = {"fiscal": "财政拨款收入", "superior": "上级补助收入", "institution": "事业收入", "operating": "经营收入",
             "affiliated": "附属单位上缴收入", "other": "其他收入"}
T03_NAMES = {"basic": "基本支出", "project": "项目支出", "business": "经营支出"}
SANGONG = {"abroad": "因公出国（境）费", "vehicle": "公务用车购置及运行维护费", "reception": "公务接待费"}


@dataclass
class Style:
    """How a wording prints figures: percent decimals; amounts with two decimals ("fixed"),
    with thousands separators ("commas") or without trailing zeros ("trim", 164 for 164.00)."""

    pct: int = 2
    amounts: str = "fixed"


@dataclass
class Prose:
    """Prints one wording's figures: `fault` is the planted error kind, if any (its figure is
    printed wrong, every other one right)."""

    style: Style
    fault: str | None
    rng: random.Random

    def wan(self, cents: int, fault: str | None = None) -> str:
        """An amount in 万元 as this wording prints it; the fault adds 1.00."""
        d = (Decimal(cents) / 1_000_000).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        if fault and fault == self.fault:
            d += Decimal("1.00")
        if self.style.amounts == "trim":
            return f"{d.normalize():f}" if d else "0"
        return f"{d:,.2f}" if self.style.amounts == "commas" else f"{d:.2f}"

    def pct(self, num: float, den: float, fault: str | None = None, delta: int = 3,
            span: tuple[float, float] | None = None) -> str:
        """num / den in percent at this wording's decimals; the fault moves it by `delta` points
        (down when up would pass 100%), and further when `span` (the range the printed figures
        allow) would still hold it: a planted error is beyond rounding."""
        q = Decimal(10) ** -self.style.pct
        d = (Decimal(num) / Decimal(den) * 100).quantize(q, rounding=ROUND_HALF_UP)
        if fault and fault == self.fault:
            lo, hi = span or (float(d), float(d))
            step = delta
            while True:
                tries = (d + step, d - step) if d + step <= 100 else (d - step, d + step)
                wrong = next((w for w in tries if w >= 0 and not lo - 1 <= float(w) <= hi + 1), None)
                if wrong is not None:
                    return f"{wrong}"
                step += delta
        return f"{d}"


@dataclass
class Delta:
    """A comparison with last year (invented: the tables hold only this year): the words,
    the change and the rate as printed (rate None when last year was 0)."""

    more: str
    grow: str
    change: str
    rate: str | None
    prior: str


@dataclass
class Item:
    """A 三公 item: budget, actual, completion (None on a zero budget), its change on last
    year, its share of the 三公 total (None when the total is 0)."""

    name: str
    budget: str
    actual: str
    done: str | None
    delta: Delta
    share: str | None
    budget_cents: int
    actual_cents: int
    gap: str  # |决算 − 预算|
    deviation: str | None  # the gap over the budget, in percent (None on a zero budget)


@dataclass
class Values:
    """Every figure a wording may state, printed."""

    y: int
    d: str
    grand: str = ""
    grand_delta: Delta | None = None
    fiscal_grand: str = ""
    fiscal_grand_delta: Delta | None = None
    opening: str = ""
    income: str = ""
    use_nonfiscal: str = ""
    expense_grand: str = ""
    expense: str = ""
    closing: str = ""
    surplus: str = ""
    income_parts: list[tuple[str, str, str]] = field(default_factory=list)
    expense_parts: list[tuple[str, str, str]] = field(default_factory=list)
    # the same parts' shares of the 支出总计 (a base a sentence may imply rather than name)
    expense_parts_of_grand: list[tuple[str, str, str]] = field(default_factory=list)
    fiscal: str = ""
    fiscal_budget: str = ""
    fiscal_done: str = ""
    fiscal_word: str = ""
    fiscal_gap: str = ""
    general: str = ""
    general_share: str = ""
    general_delta: Delta | None = None
    classes: list[tuple[str, str, str]] = field(default_factory=list)
    basic: str = ""
    personnel: str = ""
    public: str = ""
    sangong: dict[str, Item] = field(default_factory=dict)
    purchase: str = ""
    operation: str = ""
    reception_domestic: str = ""
    reception_foreign: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    running: str = ""
    running_delta: Delta | None = None
    procured: str = ""
    cats: list[tuple[str, str, int]] = field(default_factory=list)
    sme: str = ""
    sme_shares: list[tuple[str, str]] = field(default_factory=list)
    vehicles: list[tuple[str, int]] = field(default_factory=list)
    vehicles_all: list[tuple[str, int]] = field(default_factory=list)
    held: int = 0
    general_50w: int = 0
    special_100w: int = 0
    flip: bool = False  # the direction fault: every 大于/小于/持平 is printed wrong

    def word(self, actual: str, budget: str) -> str:
        """The word that relates two printed amounts (flipped under the direction fault)."""
        a, b = (float(x.replace(",", "")) for x in (actual, budget))
        word = "持平" if abs(a - b) < 0.005 else ("大于" if a > b else "小于")
        return {"大于": "小于", "小于": "大于", "持平": "大于"}[word] if self.flip else word


def delta(p: Prose, now: int, before: int, fault: str | None = None) -> Delta:
    """This year against last year's invented amount (both in cents)."""
    up = now >= before
    change, current = p.wan(abs(now - before)), p.wan(now)
    span = change_ratio(float(change.replace(",", "")), _decimals(change), float(current.replace(",", "")),
                        _decimals(current), 1 if up else -1)
    rate = p.pct(abs(now - before), before, fault, span=span) if before else None
    return Delta("增加" if up else "减少", "增长" if up else "下降", change, rate, p.wan(before))


def _decimals(printed: str) -> int:
    return len((printed.split(".") + [""])[1]) if float(printed.replace(",", "")) else 2


def last_year(rng: random.Random, now: int) -> int:
    """Last year's amount: this year's moved by up to a third, in whole 百元."""
    moved = now + rng.choice((-1, 1)) * int(now * rng.uniform(0.05, 0.33)) // 10_000 * 10_000
    return max(moved, 10_000) if now else rng.choice((0, 10_000 * rng.randint(1, 50)))


def values(r: SyntheticReport, p: Prose, lead: str) -> Values:
    """Every figure, printed; `lead` ("T01" or "T04") is the total whose growth carries the
    growth fault (the wording states it in a sentence that can be checked)."""
    rng, T = p.rng, r.truth
    t01, t02, t03, t06, t07 = T["T01"], T["T02"]["total"], T["T03"]["total"], T["T06"], T["T07"]
    v = Values(r.year, r.department, flip=p.fault == "prose_direction")
    grand = t01["income_grand_total"]["amount"]
    v.grand = p.wan(grand)
    v.grand_delta = delta(p, grand, last_year(rng, grand) or 10_000, "prose_growth" if lead == "T01" else None)
    fiscal_grand = T["T04"]["income_grand_total"]["amount"]
    v.fiscal_grand = p.wan(fiscal_grand)
    v.fiscal_grand_delta = delta(p, fiscal_grand, last_year(rng, fiscal_grand) or 10_000,
                                 "prose_growth" if lead == "T04" else None)
    v.opening, v.income = p.wan(t01["opening_balance"]["amount"]), p.wan(t01["income_total"]["amount"], "prose_amount")
    v.use_nonfiscal = p.wan(t01["use_nonfiscal_balance"]["amount"])
    v.expense_grand, v.expense = p.wan(t01["expense_grand_total"]["amount"]), p.wan(t01["expense_total"]["amount"])
    v.closing, v.surplus = p.wan(t01["closing_balance"]["amount"]), p.wan(t01["surplus_distribution"]["amount"])
    income = [(T02_NAMES[c], t02[c]) for c in T02_NAMES if t02[c]]
    v.income_parts = [(n, p.wan(c), p.pct(c, t02["total"], "prose_share" if i == 0 else None))
                      for i, (n, c) in enumerate(income)]
    v.expense_parts = [(n, p.wan(t03[c]), p.pct(t03[c], t03["total"])) for c, n in T03_NAMES.items() if t03[c]]
    v.expense_parts_of_grand = [(n, p.wan(t03[c]), p.pct(t03[c], t01["expense_grand_total"]["amount"]))
                                for c, n in T03_NAMES.items() if t03[c]]
    # 财政拨款支出: the budget is not in the tables (at least 1 万元 away from the actual,
    # so that the direction is beyond rounding)
    actual = T["T04"]["expense_total"]["total"]
    gap = max(actual // 10, 1_000_000) // 10_000 * 10_000
    budget = actual if rng.random() < 0.2 else actual + gap if rng.random() < 0.5 or actual <= gap else actual - gap
    v.fiscal, v.fiscal_budget = p.wan(actual), p.wan(budget)
    v.fiscal_done = p.pct(actual, budget, "prose_completion")
    v.fiscal_word, v.fiscal_gap = v.word(v.fiscal, v.fiscal_budget), p.wan(abs(actual - budget))
    general = T["T05"]["total"]["total"]
    v.general, v.general_share = p.wan(general), p.pct(general, t01["expense_total"]["amount"])
    v.general_delta = delta(p, general, last_year(rng, general) or 10_000)
    classes = [(FUNCTION_CLASSES[c], T["T05"][c]["total"]) for c in sorted(T["T05"]) if len(c) == 3 and T["T05"][c]["total"]]
    v.classes = [(n, p.wan(c), p.pct(c, general, "prose_base_share" if i == 0 else None))
                 for i, (n, c) in enumerate(classes)]
    v.basic = p.wan(T["T05"]["total"]["basic"])
    v.personnel, v.public = p.wan(t06["personnel_total"]["amount"]), p.wan(t06["public_total"]["amount"])
    sangong(v, p, t07)
    v.running = p.wan(t06["public_total"]["amount"])
    v.running_delta = delta(p, t06["public_total"]["amount"], last_year(rng, t06["public_total"]["amount"]))
    procurement(v, p)
    vehicles = [(name, T["T10"][key]["amount"]) for key, name in T10_VEHICLES]
    v.vehicles_all = [(n, c + (1 if p.fault == "prose_vehicles" and i == 0 else 0)) for i, (n, c) in enumerate(vehicles)]
    listed = sorted(vehicles, key=lambda x: -x[1])[:max(2, sum(c > 0 for _, c in vehicles))]
    v.vehicles = [(n, c + (1 if p.fault == "prose_vehicles" and i == 0 else 0)) for i, (n, c) in enumerate(listed)]
    v.held = T["T10"]["vehicles_total"]["amount"]
    v.general_50w, v.special_100w = T["T10"]["equipment_general_50w"]["amount"], T["T10"]["equipment_special_100w"]["amount"]
    return v


def sangong(v: Values, p: Prose, t07: dict) -> None:
    """三公: each item's budget, actual, completion, change on an invented last year, share;
    the part-growth fault on the first item that changed from a last year that was not 0."""
    rng = p.rng
    total = t07["total"]["actual"]
    priors = {k: last_year(rng, t07[k]["actual"]) for k in SANGONG}
    faulty = next((k for k in SANGONG if priors[k] and priors[k] != t07[k]["actual"]), None)
    for key, name in (("total", "“三公”经费"), *SANGONG.items()):
        b, a = t07[key]["budget"], t07[key]["actual"]
        prior = sum(priors.values()) if key == "total" else priors[key]
        v.sangong[key] = Item(name, p.wan(b), p.wan(a), p.pct(a, b) if b else None,
                              delta(p, a, prior, "prose_part_growth" if key == faulty else None),
                              p.pct(a, total) if total and key != "total" else None, b, a, p.wan(abs(a - b)),
                              p.pct(abs(a - b), b) if b else None)
    v.purchase, v.operation = p.wan(t07["vehicle_purchase"]["actual"]), p.wan(t07["vehicle_operation"]["actual"])
    v.reception_domestic = p.wan(t07["reception_domestic"]["actual"])
    v.reception_foreign = p.wan(t07["reception_foreign"]["actual"])
    v.counts = {k: t07[k]["actual"] for k in ("abroad_groups", "abroad_people", "vehicles_purchased", "vehicles_held",
                                              "domestic_batches", "domestic_people", "foreign_batches", "foreign_people")}


def procurement(v: Values, p: Prose) -> None:
    """政府采购 (not in the tables: invented, consistent) and the 中小企业 shares; the SME fault
    on the largest category (10 points off there is beyond any rounding)."""
    rng = p.rng
    cats = [("货物", amount(rng, 1e4, 5e6, 100)), ("工程", rng.choice((0, amount(rng, 1e4, 5e6, 100)))),
            ("服务", amount(rng, 1e4, 5e6, 100))]
    sme = [(n, c * rng.choice((100, 100, 90, 75)) // 100) for n, c in cats]
    largest = max(cats, key=lambda c: c[1])[0]
    v.procured = p.wan(sum(c for _, c in cats))
    v.cats = [(n, p.wan(c), c) for n, c in cats]
    v.sme = p.wan(sum(s for _, s in sme))
    v.sme_shares = [(n, p.pct(s, c, "prose_sme" if n == largest else None, 10) if c else "100")
                    for (n, c), (_, s) in zip(cats, sme)]
