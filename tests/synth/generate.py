"""`generate(seed)`: one department's final accounts, every total computed from its parts."""

from __future__ import annotations

import random

from tests.synth.amounts import amount, split
from tests.synth.document import SyntheticReport
from tests.synth.layouts import layout_hier, layout_t01, layout_t04, layout_t06, layout_t07, layout_t10
from tests.synth.prose import cover, narrative, prose_sections
from tests.synth.reference import (DEPARTMENTS, ECON, EXTRA_PROJECT_LEAVES, GOV_FUND_LEAVES, MAIN_BRANCHES,
                                   MONEY_TABLES, SOE_LEAVES, T01_CLASSES, T01_INCOME, T02_COLS, T03_COLS,
                                   T05_COLS, T08_COLS, T10_VEHICLES, TITLES)

def generate(seed: int, *, department: str | None = None, year: int = 2021, unit: str = "万元",
             yuan_table: str | None = None, wording: str | None = None) -> SyntheticReport:
    """One consistent report.  `unit="元"` prints one money table (`yuan_table`, or one
    drawn from the seed) in 元 with a 金额单位：元 header, the others in 万元.  `wording`
    (one of WORDINGS) writes the full 第三部分 of the phrasing bank instead of the short one."""
    rng = random.Random(seed)
    dept = department or rng.choice(DEPARTMENTS)
    # ~30% of reports put many amounts exactly on the 0.005 万元 rounding boundary
    quantum = 5000 if rng.random() < 0.3 else rng.choice((1, 1, 100))
    T: dict[str, dict[str, dict[str, int]]] = {c: {} for c in TITLES}

    # ---- leaves ---------------------------------------------------------------
    main = rng.sample(sorted(MAIN_BRANCHES), rng.choice((1, 1, 2)))
    admin_leaves = [MAIN_BRANCHES[k][0] for k in main]
    project_leaves = [p for k in main for p in rng.sample(MAIN_BRANCHES[k][1], rng.randint(1, len(MAIN_BRANCHES[k][1])))]
    project_leaves += [p for p in EXTRA_PROJECT_LEAVES if rng.random() < 0.3 and p not in project_leaves]
    personnel = ["2080505", "2210201"] + [c for c in ("2080501", "2080502", "2080506", "2101101", "2101102",
                                                     "2101103", "2210202", "2210203") if rng.random() < 0.5]
    fund_leaves = rng.sample(GOV_FUND_LEAVES, rng.randint(1, 2)) if rng.random() < 0.45 else []
    soe_leaves = list(SOE_LEAVES) if rng.random() < 0.15 else []

    # ---- 公开06表: the economic breakdown of general-budget basic expenditure -----
    basic_total = amount(rng, 8e5, 4e7, quantum)
    personnel_share = rng.uniform(0.6, 0.9)
    p_total = int(basic_total * personnel_share) // quantum * quantum
    q_total = basic_total - p_total
    p301 = int(p_total * rng.uniform(0.9, 1.0)) // quantum * quantum
    p303 = p_total - p301
    q310 = int(q_total * rng.choice((0, 0, rng.uniform(0, 0.2)))) // quantum * quantum
    q302 = q_total - q310
    # earmarks inside 302 that 公开07表 restates
    abroad = rng.random() < 0.2
    vehicles_held = rng.choice((0, 0, 0, 1, 2, 3, 5, 8))
    reception = rng.random() < 0.8
    fixed = {"30212": amount(rng, 2e3, 8e4, quantum) if abroad else 0,
             "30231": amount(rng, 5e3, 2e5, quantum) if vehicles_held else 0,
             "30217": amount(rng, 3e2, 8e4, quantum) if reception else 0}
    fixed = {k: min(v, q302 // 4) for k, v in fixed.items()}
    t06 = T["T06"]
    for cls, total in (("301", p301), ("303", p303), ("302", q302), ("310", q310)):
        items = ECON[cls][1]
        free = [c for c, _ in items if c not in fixed]
        rest = total - (sum(fixed.values()) if cls == "302" else 0)
        parts = dict(zip(free, split(rest, len(free), rng, zero=0.45, quantum=quantum)))
        if cls == "302":
            parts.update(fixed)
        t06[cls] = {"amount": total}
        for c, _ in items:
            t06[c] = {"amount": parts[c]}
    t06["personnel_total"] = {"amount": p301 + p303}
    t06["public_total"] = {"amount": q302 + q310}

    # ---- per-leaf expenditure by source of funds --------------------------------
    leaves = sorted(set(admin_leaves + project_leaves + personnel + fund_leaves + soe_leaves))
    zero = {"g_basic": 0, "g_project": 0, "f_basic": 0, "f_project": 0, "s_basic": 0, "s_project": 0,
            "n_basic": 0, "n_project": 0, "n_remit": 0, "n_business": 0, "n_subsidiary": 0}
    L = {leaf: dict(zero) for leaf in leaves}
    basic_leaves = admin_leaves + personnel + [p for p in project_leaves if p.endswith("50") and rng.random() < 0.5]
    for leaf, part in zip(basic_leaves, split(basic_total, len(basic_leaves), rng, quantum=quantum)):
        L[leaf]["g_basic"] = part
    for leaf in project_leaves + ([admin_leaves[0]] if rng.random() < 0.3 else []):
        L[leaf]["g_project"] = amount(rng, 1e4, 3e7, quantum) if rng.random() < 0.9 else 0
    for leaf in fund_leaves:
        L[leaf]["f_project"] = amount(rng, 1e4, 2e7, quantum)
        L[leaf]["f_basic"] = amount(rng, 1e3, 1e5, quantum) if rng.random() < 0.15 else 0
    for leaf in soe_leaves:
        L[leaf]["s_project"] = amount(rng, 1e4, 5e6, quantum)
    nonfiscal = rng.random() < 0.35
    nf_leaves = rng.sample(admin_leaves + project_leaves, k=min(2, len(admin_leaves + project_leaves))) if nonfiscal else []

    # openings, closings, income per fund and leaf:  income = expense + closing − opening ≥ 0
    def flows(expense: int) -> tuple[int, int, int]:
        opening = int(expense * rng.uniform(0, 0.6)) // quantum * quantum if rng.random() < 0.4 else 0
        closing = amount(rng, 1e3, max(2e3, expense / 100 * 0.5), quantum) if expense and rng.random() < 0.3 else 0
        return opening, expense + closing - opening, closing

    F = {}  # leaf -> fund -> (opening, income, expense, closing)
    for leaf in leaves:
        F[leaf] = {}
        for fund, b, p in (("g", "g_basic", "g_project"), ("f", "f_basic", "f_project"), ("s", "s_basic", "s_project")):
            e = L[leaf][b] + L[leaf][p]
            o, i, c = flows(e) if e else (0, 0, 0)
            if fund == "s":
                o, i, c = 0, e, 0
            F[leaf][fund] = (o, i, e, c)

    # non-fiscal money: income by source, expenditure, balances
    NI = {leaf: {s: 0 for s in ("superior", "institution", "operating", "affiliated", "other")} for leaf in leaves}
    for leaf in nf_leaves:
        for s in rng.sample(("institution", "other", "superior", "operating", "affiliated"), rng.randint(1, 2)):
            NI[leaf][s] = amount(rng, 1e3, 5e6, quantum)
    ni_total = sum(sum(v.values()) for v in NI.values())
    n_opening = amount(rng, 1e3, 3e6, quantum) if nonfiscal and rng.random() < 0.6 else 0
    n_use = amount(rng, 1e3, 5e5, quantum) if nonfiscal and rng.random() < 0.3 else 0
    n_dist = min(amount(rng, 1e3, 2e5, quantum), (ni_total + n_opening + n_use) // 4) if nonfiscal and rng.random() < 0.2 else 0
    ne_total = int((ni_total + n_opening + n_use - n_dist) * rng.uniform(0.4, 1.0)) // quantum * quantum
    if nf_leaves and ne_total:
        for leaf, part in zip(nf_leaves, split(ne_total, len(nf_leaves), rng, quantum=quantum)):
            cols = ["n_basic", "n_project"] + (["n_business"] if NI[leaf]["operating"] else []) + \
                   (["n_remit", "n_subsidiary"] if rng.random() < 0.2 else [])
            for c, v in zip(cols, split(part, len(cols), rng, zero=0.2, quantum=quantum)):
                L[leaf][c] += v
    else:
        ne_total = 0
    n_closing = n_opening + ni_total + n_use - ne_total - n_dist
    assert n_closing >= 0

    # ---- hierarchy tables --------------------------------------------------------
    def put(table: str, leaf: str, values: dict[str, int]) -> None:
        for code in (leaf[:3], leaf[:5], leaf, "total"):
            row = T[table].setdefault(code, {c: 0 for c in values})
            for c, v in values.items():
                row[c] += v

    for leaf in leaves:
        x, fl, ni = L[leaf], F[leaf], NI[leaf]
        t03 = {"basic": x["g_basic"] + x["f_basic"] + x["s_basic"] + x["n_basic"],
               "project": x["g_project"] + x["f_project"] + x["s_project"] + x["n_project"],
               "remit": x["n_remit"], "business": x["n_business"], "subsidiary": x["n_subsidiary"]}
        if any(t03.values()):
            put("T03", leaf, {"total": sum(t03.values()), **t03})
        fiscal = sum(fl[f][1] for f in "gfs")
        t02 = {"fiscal": fiscal, **ni}
        if any(t02.values()):
            put("T02", leaf, {"total": sum(t02.values()), **t02})
        if x["g_basic"] + x["g_project"]:
            put("T05", leaf, {"total": x["g_basic"] + x["g_project"], "basic": x["g_basic"], "project": x["g_project"]})
        if fl["f"][2]:
            o, i, e, c = fl["f"]
            put("T08", leaf, {"opening": o, "income": i, "expense": e, "basic": x["f_basic"],
                              "project": x["f_project"], "closing": c})
        if fl["s"][2]:
            put("T09", leaf, {"total": fl["s"][2], "basic": x["s_basic"], "project": x["s_project"]})
    if not T["T08"]:
        T["T08"]["total"] = {c: 0 for c in T08_COLS}
    for table, cols in (("T02", T02_COLS), ("T03", T03_COLS), ("T05", T05_COLS)):
        T[table].setdefault("total", {c: 0 for c in cols})

    # ---- 公开04表 ----------------------------------------------------------------------
    def fund_sum(fund: str, k: int) -> int:
        return sum(F[leaf][fund][k] for leaf in leaves)

    t04 = T["T04"]
    t04["inc_general"], t04["inc_gov_fund"], t04["inc_soe"] = ({"amount": fund_sum(f, 1)} for f in "gfs")
    t04["income_total"] = {"amount": sum(fund_sum(f, 1) for f in "gfs")}
    t04["opening_general"], t04["opening_gov_fund"], t04["opening_soe"] = ({"amount": fund_sum(f, 0)} for f in "gfs")
    t04["opening_balance"] = {"amount": sum(fund_sum(f, 0) for f in "gfs")}
    t04["income_grand_total"] = {"amount": t04["income_total"]["amount"] + t04["opening_balance"]["amount"]}
    for cls in T01_CLASSES:
        g = T["T05"].get(cls, {}).get("total", 0)
        f = T["T08"].get(cls, {}).get("expense", 0)
        s = T["T09"].get(cls, {}).get("total", 0)
        t04[cls] = {"total": g + f + s, "general": g, "gov_fund": f, "soe": s}
    exp = {"general": fund_sum("g", 2), "gov_fund": fund_sum("f", 2), "soe": fund_sum("s", 2)}
    clo = {"general": fund_sum("g", 3), "gov_fund": fund_sum("f", 3), "soe": fund_sum("s", 3)}
    t04["expense_total"] = {"total": sum(exp.values()), **exp}
    t04["closing_balance"] = {"total": sum(clo.values()), **clo}
    t04["expense_grand_total"] = {k: t04["expense_total"][k] + t04["closing_balance"][k] for k in t04["expense_total"]}

    # ---- 公开01表 ----------------------------------------------------------------------
    t01 = T["T01"]
    t02tot = T["T02"]["total"]
    for key, col in zip([k for k, _ in T01_INCOME], ("g", "f", "s", "superior", "institution", "operating",
                                                    "affiliated", "other")):
        t01[key] = {"amount": fund_sum(col, 1) if len(col) == 1 else t02tot[col]}
    t01["income_total"] = {"amount": sum(t01[k]["amount"] for k, _ in T01_INCOME)}
    t01["use_nonfiscal_balance"] = {"amount": n_use}
    t01["opening_balance"] = {"amount": t04["opening_balance"]["amount"] + n_opening}
    t01["income_grand_total"] = {"amount": t01["income_total"]["amount"] + n_use + t01["opening_balance"]["amount"]}
    for cls in T01_CLASSES:
        t01[cls] = {"amount": T["T03"].get(cls, {}).get("total", 0)}
    t01["expense_total"] = {"amount": T["T03"]["total"]["total"]}
    t01["surplus_distribution"] = {"amount": n_dist}
    t01["closing_balance"] = {"amount": t04["closing_balance"]["total"] + n_closing}
    t01["expense_grand_total"] = {"amount": t01["expense_total"]["amount"] + n_dist + t01["closing_balance"]["amount"]}
    assert t01["income_grand_total"] == t01["expense_grand_total"], "T01 does not balance"
    assert t04["income_grand_total"]["amount"] == t04["expense_grand_total"]["total"], "T04 does not balance"

    # ---- 公开07表 (三公) and 公开10表 --------------------------------------------------------
    def more(base: int, p: float = 0.4) -> int:
        return base + (amount(rng, 1e2, 5e4, quantum) if rng.random() < p else 0)

    a_abroad = more(fixed["30212"]) if abroad else 0
    a_purchase = amount(rng, 1e5, 3e5, quantum) if vehicles_held and rng.random() < 0.15 else 0
    a_operation = more(fixed["30231"]) if vehicles_held else 0
    a_reception = more(fixed["30217"]) if reception else 0
    a_rec_abroad = min(amount(rng, 1e2, 1e4, quantum), a_reception // 3) if reception and rng.random() < 0.1 else 0
    a_rec_dom = a_reception - a_rec_abroad
    a_foreign = min(amount(rng, 1e2, 1e4, quantum), a_rec_dom // 3) if a_rec_dom and rng.random() < 0.15 else 0

    def budget(actual: int) -> int:
        if rng.random() < 0.1:
            return 0
        return int(max(actual, 1) * rng.uniform(0.8, 2.5)) // quantum * quantum if actual else \
            (amount(rng, 1e3, 5e4, quantum) if rng.random() < 0.3 else 0)

    b = {k: budget(v) for k, v in (("abroad", a_abroad), ("vehicle_purchase", a_purchase),
                                   ("vehicle_operation", a_operation), ("reception", a_reception))}
    t07 = T["T07"]
    actual = {"abroad": a_abroad, "vehicle_purchase": a_purchase, "vehicle_operation": a_operation,
              "reception": a_reception}
    for k in actual:
        t07[k] = {"budget": b[k], "actual": actual[k]}
    t07["vehicle"] = {c: t07["vehicle_purchase"][c] + t07["vehicle_operation"][c] for c in ("budget", "actual")}
    t07["total"] = {c: t07["abroad"][c] + t07["vehicle"][c] + t07["reception"][c] for c in ("budget", "actual")}
    t07["reception_domestic"] = {"actual": a_rec_dom}
    t07["reception_foreign"] = {"actual": a_foreign}
    t07["reception_abroad"] = {"actual": a_rec_abroad}
    groups = rng.randint(1, 4) if a_abroad else 0
    dom_b = rng.randint(1, 60) if a_rec_dom else 0
    for_b = rng.randint(1, max(1, dom_b // 4)) if a_foreign else 0
    abr_b = rng.randint(1, 3) if a_rec_abroad else 0
    counts = {"abroad_groups": groups, "abroad_people": groups * rng.randint(1, 6),
              "vehicles_purchased": rng.randint(1, max(1, vehicles_held // 2)) if a_purchase else 0,
              "vehicles_held": vehicles_held, "domestic_batches": dom_b, "foreign_batches": for_b,
              "domestic_people": dom_b * rng.randint(1, 9), "foreign_people": for_b * rng.randint(1, 5),
              "abroad_batches": abr_b, "abroad_reception_people": abr_b * rng.randint(1, 5)}
    for k, v in counts.items():
        t07[k] = {"actual": v}
    t10 = T["T10"]
    cats = [k for k, _ in T10_VEHICLES]
    vparts = split(vehicles_held, len(cats), rng, zero=0.6) if vehicles_held else [0] * len(cats)
    for k, v in zip(cats, vparts):
        t10[k] = {"amount": v}
    t10["vehicles_total"] = {"amount": vehicles_held}
    t10["equipment_general_50w"] = {"amount": rng.choice((0, 0, 0, 1, 2, 5))}
    t10["equipment_special_100w"] = {"amount": rng.choice((0, 0, 0, 0, 1, 3))}

    # ---- layout --------------------------------------------------------------------
    style = {"commas": rng.random() < 0.85, "zero": rng.choices(("0.00", "", "-"), (8, 1, 1))[0],
             "t06_399": rng.random() < 0.4, "section_name": rng.random() < 0.5}
    header_unit = {c: "万元" for c in MONEY_TABLES} | {"T10": "台、辆、套"}
    figures_unit = dict(header_unit)
    if unit == "元":
        chosen = yuan_table or rng.choice(("T01", "T02", "T03", "T04", "T05", "T06", "T07", "T08"))
        header_unit[chosen] = figures_unit[chosen] = "元"
    elif unit != "万元":
        raise ValueError(f"unit must be 万元 or 元, not {unit!r}")
    tables = {
        "T01": layout_t01(T), "T02": layout_hier("T02", T, T02_COLS), "T03": layout_hier("T03", T, T03_COLS),
        "T04": layout_t04(T), "T05": layout_hier("T05", T, T05_COLS), "T06": layout_t06(T, style),
        "T07": layout_t07(), "T08": layout_hier("T08", T, T08_COLS), "T09": layout_hier("T09", T, T05_COLS),
        "T10": layout_t10(),
    }
    report = SyntheticReport(seed=seed, department=dept, year=year, truth=T, tables=tables, head=[], tail=[],
                             header_unit=header_unit, figures_unit=figures_unit, style=style)
    report.head = cover(report)
    report.tail = prose_sections(report, wording) if wording else narrative(report)
    return report
