"""Synthetic, internally consistent department reports in the text form.

`generate(seed)` draws one department's final accounts in 元 (integer cents) for
the leaf rows, computes every total, sub-total and cross-table restatement from
its parts, and prints each cell on its own in 万元 with two decimals (ROUND_HALF_UP),
so the 尾数误差 between a printed total and the sum of its printed parts is real,
exactly as in published reports.  The document has the layout of the Nanchang
sample (title, 公开NN表, 编制单位 / 年度 / 金额单位 lines, header rows, tab-separated
data rows, 注), a cover, a table of contents and a short 第三部分 narrative, so it
goes through the real reader (`auditlib.ingest.read_report`) and the real engine.

`inject(report, kind, rng)` plants one error of a known kind and says where.

    python -m auditlib.synth OUTDIR --count 20 --seed 7 [--inject total] [--unit 元]
"""

from __future__ import annotations

import argparse
import copy
import json
import random
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from auditlib.rules.prose.claims import vocabulary
from auditlib.schema import FUNCTION_CLASSES

__all__ = ["generate", "inject", "inject_prose", "KINDS", "PROSE_KINDS", "WORDINGS", "SyntheticReport", "Injection",
           "Ref", "MONEY_TABLES"]

# --------------------------------------------------------------------------- reference data

# 政府收支分类科目 (2021): the 款 and 项 used here, with their real names.
FUNCTION_ITEMS: dict[str, str] = {
    "20101": "人大事务", "2010101": "行政运行", "2010102": "一般行政管理事务", "2010104": "人大会议",
    "20103": "政府办公厅（室）及相关机构事务", "2010301": "行政运行", "2010302": "一般行政管理事务",
    "2010350": "事业运行", "2010399": "其他政府办公厅（室）及相关机构事务支出",
    "20106": "财政事务", "2010601": "行政运行", "2010602": "一般行政管理事务", "2010650": "事业运行",
    "20601": "科学技术管理事务", "2060101": "行政运行", "2060102": "一般行政管理事务",
    "20699": "其他科学技术支出", "2069999": "其他科学技术支出",
    "20701": "文化和旅游", "2070101": "行政运行", "2070102": "一般行政管理事务", "2070109": "群众文化",
    "20805": "行政事业单位养老支出", "2080501": "行政单位离退休", "2080502": "事业单位离退休",
    "2080505": "机关事业单位基本养老保险缴费支出", "2080506": "机关事业单位职业年金缴费支出",
    "21011": "行政事业单位医疗", "2101101": "行政单位医疗", "2101102": "事业单位医疗", "2101103": "公务员医疗补助",
    "21201": "城乡社区管理事务", "2120101": "行政运行", "2120102": "一般行政管理事务", "2120104": "城管执法",
    "21208": "国有土地使用权出让收入安排的支出", "2120801": "征地和拆迁补偿支出",
    "2120899": "其他国有土地使用权出让收入安排的支出",
    "21213": "城市基础设施配套费安排的支出", "2121399": "其他城市基础设施配套费安排的支出",
    "21301": "农业农村", "2130101": "行政运行", "2130102": "一般行政管理事务", "2130104": "事业运行",
    "21501": "资源勘探开发", "2150101": "行政运行", "2150102": "一般行政管理事务", "2150199": "其他资源勘探业支出",
    "21599": "其他资源勘探工业信息等支出", "2159999": "其他资源勘探工业信息等支出",
    "22102": "住房改革支出", "2210201": "住房公积金", "2210202": "提租补贴", "2210203": "购房补贴",
    "22301": "解决历史遗留问题及改革成本支出", "2230105": "国有企业退休人员社会化管理补助支出",
    "22401": "应急管理事务", "2240101": "行政运行", "2240102": "一般行政管理事务",
    "22960": "彩票公益金安排的支出", "2296002": "用于社会福利的彩票公益金支出",
}

# A department's own function 款: (行政运行 项, project 项 …)
MAIN_BRANCHES = {
    "20101": ("2010101", ("2010102", "2010104")),
    "20103": ("2010301", ("2010302", "2010350", "2010399")),
    "20106": ("2010601", ("2010602", "2010650")),
    "20601": ("2060101", ("2060102",)),
    "20701": ("2070101", ("2070102", "2070109")),
    "21201": ("2120101", ("2120102", "2120104")),
    "21301": ("2130101", ("2130102", "2130104")),
    "21501": ("2150101", ("2150102", "2150199")),
    "22401": ("2240101", ("2240102",)),
}
EXTRA_PROJECT_LEAVES = ("2069999", "2159999")
GOV_FUND_LEAVES = ("2120801", "2120899", "2121399", "2296002")
SOE_LEAVES = ("2230105",)

# The function 类 rows of 公开01表 / 公开04表, in print order (as in the Nanchang sample).
T01_CLASSES = ("201", "202", "203", "204", "205", "206", "207", "208", "210", "211", "212", "213", "214", "215",
               "216", "217", "219", "220", "221", "222", "223", "224", "229", "231", "232", "234")
CN_NUM = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]


def cn(n: int) -> str:
    """1 → 一, 10 → 十, 14 → 十四, 26 → 二十六."""
    if n <= 10:
        return CN_NUM[n - 1]
    tens, units = divmod(n, 10)
    return ("" if tens == 1 else CN_NUM[tens - 1]) + "十" + (CN_NUM[units - 1] if units else "")


# 经济分类 for 公开06表: 类 → [(款, name)]
ECON: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {
    "301": ("工资福利支出", (
        ("30101", "基本工资"), ("30102", "津贴补贴"), ("30103", "奖金"), ("30106", "伙食补助费"),
        ("30107", "绩效工资"), ("30108", "机关事业单位基本养老保险缴费"), ("30109", "职业年金缴费"),
        ("30110", "职工基本医疗保险缴费"), ("30111", "公务员医疗补助缴费"), ("30112", "其他社会保险缴费"),
        ("30113", "住房公积金"), ("30114", "医疗费"), ("30199", "其他工资福利支出"))),
    "303": ("对个人和家庭的补助", (
        ("30301", "离休费"), ("30302", "退休费"), ("30303", "退职（役）费"), ("30304", "抚恤金"),
        ("30305", "生活补助"), ("30307", "医疗费补助"), ("30309", "奖励金"), ("30399", "其他对个人和家庭的补助"))),
    "302": ("商品和服务支出", (
        ("30201", "办公费"), ("30202", "印刷费"), ("30203", "咨询费"), ("30204", "手续费"), ("30205", "水费"),
        ("30206", "电费"), ("30207", "邮电费"), ("30208", "取暖费"), ("30209", "物业管理费"), ("30211", "差旅费"),
        ("30212", "因公出国（境）费用"), ("30213", "维修（护）费"), ("30214", "租赁费"), ("30215", "会议费"),
        ("30216", "培训费"), ("30217", "公务接待费"), ("30218", "专用材料费"), ("30224", "被装购置费"),
        ("30225", "专用燃料费"), ("30226", "劳务费"), ("30227", "委托业务费"), ("30228", "工会经费"),
        ("30229", "福利费"), ("30231", "公务用车运行维护费"), ("30239", "其他交通费用"),
        ("30240", "税金及附加费用"), ("30299", "其他商品和服务支出"))),
    "310": ("资本性支出", (
        ("31002", "办公设备购置"), ("31003", "专用设备购置"), ("31007", "信息网络及软件购置更新"),
        ("31099", "其他资本性支出"))),
}

DEPARTMENTS = ("江州市测试局", "云溪县示例中心", "青山区演示办公室", "临川市样本管理局", "白沙市数据服务中心",
               "东湖区城市管理局", "北岭县农业农村局", "南浦市文化广电旅游局")
OTHER_DEPARTMENTS = ("南阳市大禹街道办事处", "XX局", "XXX单位", "某某县财政局", "西山市统计局")

MONEY_TABLES = ("T01", "T02", "T03", "T04", "T05", "T06", "T07", "T08", "T09")
TITLES = {
    "T01": "收入支出决算总表", "T02": "收入决算表", "T03": "支出决算表", "T04": "财政拨款收入支出决算总表",
    "T05": "一般公共预算财政拨款支出决算表", "T06": "一般公共预算财政拨款基本支出决算表",
    "T07": "一般公共预算财政拨款“三公”经费支出决算表", "T08": "政府性基金预算财政拨款收入支出决算表",
    "T09": "国有资本经营预算财政拨款支出决算表", "T10": "国有资产占用情况表",
}
NOTES = {
    "T01": ["注：1. 本表反映部门本年度的总收支和年末结转结余情况。", "2. 本表报表金额单位转换时可能存在尾数误差。"],
    "T02": ["注：本表反映部门本年度取得的各项收入情况。"],
    "T03": ["注：本表反映部门本年度各项支出情况。"],
    "T04": ["注：本表反映部门本年度一般公共预算财政拨款、政府性基金预算财政拨款和国有资本经营预算财政拨款的总收入和年末结转结余情况。"],
    "T05": ["注：本表反映部门本年度一般公共预算财政拨款支出情况。"],
    "T06": ["注：本表反映部门本年度一般公共预算财政拨款基本支出明细情况。"],
    "T07": ["注：本表反映部门本年度“三公”经费支出预决算情况。其中，预算数为“三公”经费年初预算数，"
            "决算数是包括当年一般公共预算财政拨款和以前年度结转资金安排的实际支出。"],
    "T08": ["注：本表反映部门本年度政府性基金预算财政拨款收入、支出及结转和结余情况。"],
    "T09": ["注：本表反映部门本年度国有资本经营预算财政拨款支出情况。"],
    "T10": ["注：本表反映截止{year}年12月31日，部门占用的国有资产情况。"],
}
T02_COLS = ("total", "fiscal", "superior", "institution", "operating", "affiliated", "other")
T03_COLS = ("total", "basic", "project", "remit", "business", "subsidiary")
T05_COLS = ("total", "basic", "project")
T08_COLS = ("opening", "income", "expense", "basic", "project", "closing")
T01_INCOME = (("inc_general", "一般公共预算财政拨款收入"), ("inc_gov_fund", "政府性基金预算财政拨款收入"),
              ("inc_soe", "国有资本经营预算财政拨款收入"), ("inc_superior", "上级补助收入"),
              ("inc_institution", "事业收入"), ("inc_operating", "经营收入"),
              ("inc_affiliated", "附属单位上缴收入"), ("inc_other", "其他收入"))
T10_VEHICLES = (("vehicle_ministerial", "副部(省)级以上领导用车"), ("vehicle_leaders", "主要领导干部用车"),
                ("vehicle_confidential", "机要通信用车"), ("vehicle_emergency", "应急保障用车"),
                ("vehicle_enforcement", "执法执勤用车"), ("vehicle_special", "特种专业技术用车"),
                ("vehicle_retired", "离退休干部用车"), ("vehicle_other", "其他用车"))

KINDS = ("total", "hierarchy", "cross_table", "transposed", "wrong_name", "wrong_year", "unit")


def name_of(code: str) -> str:
    return FUNCTION_CLASSES[code] if len(code) == 3 else FUNCTION_ITEMS[code]


# --------------------------------------------------------------------------- document model

@dataclass(frozen=True)
class Ref:
    """A printed figure: which truth cell it shows.  `count` figures (people, cars)
    are printed as integers and never scaled; `dash` prints “-” (not applicable)."""

    table: str
    row: str
    column: str
    count: bool = False
    dash: bool = False


Cell = str | Ref


@dataclass
class TableDoc:
    code: str
    lines: list[list[Cell]]  # before the note; strings may hold {dept} {year} {unit}


@dataclass
class SyntheticReport:
    """A generated report: `.text` is the document, `.truth` the exact amounts.

    truth[table][row][column] is an int: cents of 元 for money (1 万元 = 1_000_000),
    a plain number for counts.  Row keys and columns are the reader's keys
    (function / economic codes, "total", "income_total", …)."""

    seed: int
    department: str
    year: int
    truth: dict[str, dict[str, dict[str, int]]]
    tables: dict[str, TableDoc]
    head: list[str]
    tail: list[str]
    header_unit: dict[str, str]  # what 金额单位 each table states
    figures_unit: dict[str, str]  # the unit its figures are really printed in
    departments: dict[str, str] = field(default_factory=dict)  # per-table 编制单位 as printed
    years: dict[str, str] = field(default_factory=dict)  # per-table year as printed
    overrides: dict[tuple[str, str, str], str] = field(default_factory=dict)
    style: dict[str, object] = field(default_factory=dict)

    # -- printing ------------------------------------------------------------
    def fmt(self, ref: Ref) -> str:
        key = (ref.table, ref.row, ref.column)
        if key in self.overrides:
            return self.overrides[key]
        if ref.dash:
            return "-"
        value = self.truth[ref.table][ref.row][ref.column]
        if ref.count:
            return str(value)
        if value == 0 and self.style.get("zero") != "0.00" and ref.table in ("T02", "T03", "T05", "T08"):
            return str(self.style["zero"])
        return money(value, self.figures_unit[ref.table], bool(self.style.get("commas", True)))

    def printed(self, table: str, row: str, column: str) -> float | None:
        """The figure as printed (in its printed unit), None for blank or dash."""
        for ref in self.refs(table):
            if (ref.row, ref.column) == (row, column):
                s = self.fmt(ref).replace(",", "")
                return None if s in ("", "-") else float(s)
        raise KeyError((table, row, column))

    def refs(self, table: str | None = None) -> list[Ref]:
        codes = [table] if table else list(self.tables)
        return [c for t in codes for line in self.tables[t].lines for c in line if isinstance(c, Ref)]

    def table_lines(self, code: str) -> list[str]:
        doc = self.tables[code]
        subs = {"dept": self.departments.get(code, self.department), "year": self.years.get(code, str(self.year)),
                "unit": self.header_unit[code]}
        out = [TITLES[code], ""]
        for cells in doc.lines:
            out.append("\t".join(self.fmt(c) if isinstance(c, Ref) else c.format(**subs) for c in cells))
        out.append("")
        out += [n.format(**subs) for n in NOTES[code]]
        out.append("")
        return out

    @property
    def text(self) -> str:
        lines = list(self.head)
        for code in self.tables:
            lines += self.table_lines(code)
        lines += self.tail
        return "\n".join(lines) + "\n"

    def write(self, path: str | Path) -> Path:
        path = Path(path)
        path.write_text(self.text, encoding="utf-8")
        return path

    def truth_json(self) -> dict:
        return {"seed": self.seed, "department": self.department, "year": self.year,
                "figures_unit": self.figures_unit, "truth_cents_or_counts": self.truth}


def money(cents: int, unit: str, commas: bool = True) -> str:
    """Cents of 元 printed in 万元 (two decimals, half-up, on its own) or in 元."""
    if unit == "元":
        d = (Decimal(cents) / 100).quantize(Decimal("0.01"))
    else:
        d = (Decimal(cents) / 1_000_000).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{d:,.2f}" if commas else f"{d:.2f}"


# --------------------------------------------------------------------------- amounts

def split(total: int, n: int, rng: random.Random, zero: float = 0.0, quantum: int = 1) -> list[int]:
    """n non-negative ints summing to `total` (some zero with probability `zero`),
    each a multiple of `quantum` except possibly the largest."""
    if n <= 0:
        return []
    weights = [0.0 if rng.random() < zero else rng.random() ** 2 + 0.01 for _ in range(n)]
    if not any(weights):
        weights[rng.randrange(n)] = 1.0
    s = sum(weights)
    parts = [int(total * w / s) // quantum * quantum for w in weights]
    big = max(range(n), key=lambda i: weights[i])
    parts[big] += total - sum(parts)
    return parts


def amount(rng: random.Random, lo: float, hi: float, quantum: int = 1) -> int:
    """Log-uniform cents between lo and hi 元."""
    v = int(10 ** rng.uniform(__import__("math").log10(lo), __import__("math").log10(hi)) * 100)
    return max(quantum, v // quantum * quantum)


# --------------------------------------------------------------------------- generation

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


# --------------------------------------------------------------------------- layouts

def _hier_rows(table: str, T: dict, cols: tuple[str, ...]) -> list[list[Cell]]:
    data = T[table]
    rows: list[list[Cell]] = []
    codes = sorted(k for k in data if k != "total")
    for code in codes:
        rows.append([code, "", name_of(code), *(Ref(table, code, c) for c in cols)])
    return rows


def layout_hier(table: str, T: dict, cols: tuple[str, ...]) -> TableDoc:
    """公开02/03/05/08/09表, laid out as in the Nanchang sample."""
    n = len(cols)
    if table in ("T02", "T03"):
        names = {"T02": ["本年收入合计", "财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入"],
                 "T03": ["本年支出合计", "基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出"]}[table]
        head = [[f"公开{table[1:]}表"], ["金额单位：{unit}"], [],
                ["项 目", "", "", "{year}年度", *[""] * (n - 1)],
                ["编制单位：{dept}", *[""] * (n + 2)],
                ["支出功能分类科目编码", "科目名称", "", *names],
                ["", "", "", *map(str, range(1, n + 1))],
                ["类", "款", "项", "栏次", *[""] * (n - 1)]]
    elif table == "T08":
        head = [[f"公开{table[1:]}表"], [],
                ["编制单位：{dept} {year}年度 金额单位：{unit}"], [],
                ["项 目", "", "", "", "", "", "", "年末结转和结余"],
                ["支出功能分类 科目编码", "科目名称", "年初结转和结余", "本年收入", "本年支出", "", "", "年末结转和结余"],
                ["", "", "", "", "小计", "基本支出", "项目支出", ""],
                ["类 款 项", "栏次 合计", "1", "2", "3", "4", "5", "6"]]
    else:  # T05, T09
        head = [["编制单位：{dept}"], [], ["{year}年度"], [], [f"公开{table[1:]}表"], ["金额单位：{unit}"], [],
                ["项 目", "", "", "本年支出合计" if table == "T05" else "合计", "基本支出", "项目支出"],
                ["支出功能分类科目编码", "科目名称", "", "", "", ""],
                ["类", "款", "项", "1", "2", "3"]]
    if table == "T09" and len(T[table]) == 0:
        return TableDoc(table, head + [["栏次合计", "", "", "", "", ""]])
    total = ["", "", "合计", *(Ref(table, "total", c) for c in cols)]
    return TableDoc(table, head + [total] + _hier_rows(table, T, cols))


def layout_t01(T: dict) -> TableDoc:
    lines: list[list[Cell]] = [["公开01表"], ["金额单位：{unit}"], [], ["编制单位：{dept} {year}年度"], [],
                               ["收 入", "", "", "支 出", "", ""],
                               ["项 目", "行次", "决算数", "项目（按功能分类）", "行次", "决算数"],
                               ["栏 次", "", "1", "栏 次", "", "2"]]
    n = len(T01_CLASSES)
    for i, cls in enumerate(T01_CLASSES):
        if i < len(T01_INCOME):
            key, name = T01_INCOME[i]
            left: list[Cell] = [f"{cn(i + 1)}、{name}", str(i + 1), Ref("T01", key, "amount")]
        else:
            left = ["", str(i + 1), ""]
        lines.append(left + [f"{cn(i + 1)}、{FUNCTION_CLASSES[cls]}", str(n + 6 + i), Ref("T01", cls, "amount")])
    r, e = n + 1, 2 * n + 6
    lines += [["本年收入合计", str(r), Ref("T01", "income_total", "amount"), "本年支出合计", str(e),
               Ref("T01", "expense_total", "amount")],
              ["使用非财政拨款结余", str(r + 1), Ref("T01", "use_nonfiscal_balance", "amount"), "结余分配", str(e + 1),
               Ref("T01", "surplus_distribution", "amount")],
              ["年初结转和结余", str(r + 2), Ref("T01", "opening_balance", "amount"), "年末结转和结余", str(e + 2),
               Ref("T01", "closing_balance", "amount")],
              ["", str(r + 3), "", "", str(e + 3)],
              ["总计", str(r + 4), Ref("T01", "income_grand_total", "amount"), "总计", str(e + 4),
               Ref("T01", "expense_grand_total", "amount")]]
    return TableDoc("T01", lines)


def layout_t04(T: dict) -> TableDoc:
    cols = ("total", "general", "gov_fund", "soe")
    lines: list[list[Cell]] = [["编制单位：{dept}"], [], ["{year}年度"], [], ["公开04表"], ["金额单位：{unit}"], [],
                               ["收 入", "", "", "支 出", "", "", "", "", ""],
                               ["项 目", "行次", "金 额", "项目（按功能分类）", "行次", "合 计", "一般公共预算财政拨款",
                                "政府性基金预算财政拨款", "国有资本经营预算财政拨款"],
                               ["栏 次", "1", "2", "栏 次", "3", "4", "5", "6", "7"]]
    income = [("inc_general", "一、一般公共预算财政拨款"), ("inc_gov_fund", "二、政府性基金预算财政拨款"),
              ("inc_soe", "三、国有资本经营预算财政拨款")]
    n = len(T01_CLASSES)
    for i, cls in enumerate(T01_CLASSES):
        left: list[Cell] = [income[i][1], str(i + 1), Ref("T04", income[i][0], "amount")] if i < 3 else ["", str(i + 1), ""]
        lines.append(left + [f"{cn(i + 1)}、{FUNCTION_CLASSES[cls]}", str(n + 7 + i), *(Ref("T04", cls, c) for c in cols)])
    r, e = n + 1, 2 * n + 7
    lines += [["本年收入合计", str(r), Ref("T04", "income_total", "amount"), "本年支出合计", str(e),
               *(Ref("T04", "expense_total", c) for c in cols)],
              ["年初财政拨款结转和结余", str(r + 1), Ref("T04", "opening_balance", "amount"), "年末财政拨款结转和结余",
               str(e + 1), *(Ref("T04", "closing_balance", c) for c in cols)],
              ["一、一般公共预算财政拨款", str(r + 2), Ref("T04", "opening_general", "amount"), "", str(e + 2)],
              ["二、政府性基金预算财政拨款", str(r + 3), Ref("T04", "opening_gov_fund", "amount"), "", str(e + 3)],
              ["三、国有资本经营预算财政拨款", str(r + 4), Ref("T04", "opening_soe", "amount"), "", str(e + 4)],
              ["总计", str(r + 5), Ref("T04", "income_grand_total", "amount"), "总计", str(e + 5),
               *(Ref("T04", "expense_grand_total", c) for c in cols)]]
    return TableDoc("T04", lines)


def layout_t06(T: dict, style: dict) -> TableDoc:
    def side(classes: tuple[str, ...]) -> list[list[Cell]]:
        out: list[list[Cell]] = []
        for cls in classes:
            out.append([cls, ECON[cls][0], Ref("T06", cls, "amount")])
            out += [[c, n, Ref("T06", c, "amount")] for c, n in ECON[cls][1]]
        return out

    left, right = side(("301", "303")), side(("302", "310"))
    if style.get("t06_399"):
        right += [["399", "其他支出"], ["39906", "赠与"], ["39907", "国家赔偿费用支出"], ["39999", "其他支出"]]
    lines: list[list[Cell]] = [["编制单位：{dept}", "", "{year}年度", "", "公开06表", ""],
                               ["人员经费", "", "公用经费", "", "金额单位：{unit}", ""],
                               ["经济分类科目编码", "科目名称", "金额", "经济分类科目编码", "科目名称", "金额"]]
    for i in range(max(len(left), len(right))):
        a = left[i] if i < len(left) else ["", "", ""]
        b = right[i] if i < len(right) else []
        lines.append([*a, *b])
    lines.append(["人员经费合计", "", Ref("T06", "personnel_total", "amount"),
                  "公用经费合计", "", Ref("T06", "public_total", "amount")])
    return TableDoc("T06", lines)


def layout_t07() -> TableDoc:
    def r(key: str, budget: bool = True, count: bool = False) -> list[Cell]:
        return [Ref("T07", key, "budget", dash=not budget), Ref("T07", key, "actual", count=count)]

    rows = [("一、“三公”经费支出", r("total")), ("1.因公出国（境）费", r("abroad")),
            ("2.公务用车购置及运行维护费", r("vehicle")), ("（1）公务用车购置费", r("vehicle_purchase")),
            ("（2）公务用车运行维护费", r("vehicle_operation")), ("3.公务接待费", r("reception")),
            ("（1）国内接待费", r("reception_domestic", False)), ("其中：外事接待费", r("reception_foreign", False)),
            ("（2）国（境）外接待费", r("reception_abroad", False)), ("二、相关统计数", ["-", "-"])]
    stats = [("1.因公出国（境）团组数（个）", "abroad_groups"), ("2.因公出国（境）人次（人）", "abroad_people"),
             ("3.公务用车购置数（辆）", "vehicles_purchased"), ("4.公务用车保有量（辆）", "vehicles_held"),
             ("5.国内公务接待批次（个）", "domestic_batches"), ("其中：外事接待批次（个）", "foreign_batches"),
             ("6.国内公务接待人次（人）", "domestic_people"), ("其中：外事接待人次（人）", "foreign_people"),
             ("7.国（境）外公务接待批次（个）", "abroad_batches"), ("8.国（境）外公务接待人次（人）", "abroad_reception_people")]
    rows += [(label, r(key, False, True)) for label, key in stats]
    lines: list[list[Cell]] = [["公开07表"], [], ["编制单位：{dept} {year}年度 金额单位：{unit}"], [],
                               ["项目 行次", "栏次", "年初预算数 1", "决算数 2"]]
    lines += [[label, str(i + 1), *vals] for i, (label, vals) in enumerate(rows)]
    return TableDoc("T07", lines)


def layout_t10() -> TableDoc:
    lines: list[list[Cell]] = [["编制单位：{dept}"], [], ["{year}年度"], [], ["公开10表"], ["单位：{unit}"], [],
                               ["项 目", "栏次", "决算数"],
                               ["一、车辆数合计(台、辆)", "1", Ref("T10", "vehicles_total", "amount", count=True)]]
    lines += [[f"{i + 1}. {name}", str(i + 2), Ref("T10", key, "amount", count=True)]
              for i, (key, name) in enumerate(T10_VEHICLES)]
    lines += [["二、单价50万元(含)以上通用设备(台、套)", "10", Ref("T10", "equipment_general_50w", "amount", count=True)],
              ["三、单价100万元(含)以上专用设备(台、套)", "11", Ref("T10", "equipment_special_100w", "amount", count=True)]]
    return TableDoc("T10", lines)


# --------------------------------------------------------------------------- prose

def cover(r: SyntheticReport) -> list[str]:
    toc = [f"{cn(i + 1)}、{TITLES[c]}" for i, c in enumerate(TITLES)]
    section = f"第二部分 {r.department} {r.year}年度部门决算表" if r.style.get("section_name") else \
        f"第二部分 {r.year}年度部门决算表"
    return [f"{r.department} {r.year} 年度部门决算", "", "目 录", "",
            f"第一部分 {r.department}部门概况", "", f"第二部分 {r.year} 年度部门决算表", "", *toc, "",
            f"第三部分 {r.year} 年度部门决算情况说明", "", "第四部分 名词解释", "",
            f"第一部分 {r.department}部门概况", "", "一、部门主要职责", "",
            f"（一）贯彻执行国家、省、市有关方针政策和法律法规，负责本系统的综合管理工作。", "",
            "二、部门基本情况", "", f"纳入本套部门决算汇编范围的单位共 1 个，即{r.department}本级。", "",
            section, ""]


def narrative(r: SyntheticReport) -> list[str]:
    def w(table: str, row: str, col: str) -> str:
        return money(r.truth[table][row][col], "万元", commas=False)

    y = r.year
    t07 = r.truth["T07"]
    return [
        f"第三部分 {y} 年度部门决算情况说明", "",
        "一、收入决算情况说明", "",
        f"本部门 {y} 年度收入总计 {w('T01', 'income_grand_total', 'amount')} 万元，其中年初结转和结余 "
        f"{w('T01', 'opening_balance', 'amount')} 万元；本年收入合计 {w('T01', 'income_total', 'amount')} 万元。", "",
        "二、支出决算情况说明", "",
        f"本部门 {y} 年度支出总计 {w('T01', 'expense_grand_total', 'amount')} 万元，其中本年支出合计 "
        f"{w('T01', 'expense_total', 'amount')} 万元，年末结转和结余 {w('T01', 'closing_balance', 'amount')} 万元。", "",
        "三、财政拨款支出决算情况说明", "",
        f"本部门 {y} 年度财政拨款本年支出决算数为 {w('T04', 'expense_total', 'total')} 万元。", "",
        "四、一般公共预算财政拨款基本支出决算情况说明", "",
        f"本部门 {y} 年度一般公共预算财政拨款基本支出 {w('T05', 'total', 'basic')} 万元，其中：人员经费 "
        f"{w('T06', 'personnel_total', 'amount')} 万元，公用经费 {w('T06', 'public_total', 'amount')} 万元。", "",
        "五、一般公共预算财政拨款“三公”经费支出决算情况说明", "",
        f"本部门 {y} 年度“三公”经费支出年初预算数为 {w('T07', 'total', 'budget')} 万元，决算数为 "
        f"{w('T07', 'total', 'actual')} 万元。全年国内公务接待 {t07['domestic_batches']['actual']} 批，累计接待 "
        f"{t07['domestic_people']['actual']} 人次。", "",
        "第四部分 名词解释", "",
        "财政拨款收入：指本级财政当年拨付的资金。", "",
        "基本支出：指为保障机构正常运转、完成日常工作任务而发生的人员支出和公用支出。", "",
    ]


# --------------------------------------------------------------------------- phrasing bank

# The wordings the narrative and performance section can be written in: the Nanchang
# 2021 report's, the Shanghai 2024 template's, and a third with other common turns
# (比上年, 存在差异 with no direction word, 折合…元, 预算完成率, commas, two decimals).
WORDINGS = ("nanchang", "shanghai", "plain")
# Errors planted in the prose (`inject_prose`), with the finding that must report each.
PROSE_KINDS = {"prose_amount": "NARR.amount", "prose_share": "NARR.share", "prose_growth": "NARR.growth",
               "prose_completion": "NARR.completion", "prose_direction": "NARR.words", "prose_sme": "NARR.share",
               "prose_vehicles": "NARR.itemised", "prose_yuan": "PERF.yuan", "prose_grade": "PERF.grade",
               "prose_projects": "PERF.count", "prose_table_grade": "PERF.grade", "prose_label": "PERF.level"}
T02_NAMES = {"fiscal": "财政拨款收入", "superior": "上级补助收入", "institution": "事业收入", "operating": "经营收入",
             "affiliated": "附属单位上缴收入", "other": "其他收入"}
T03_NAMES = {"basic": "基本支出", "project": "项目支出", "business": "经营支出"}
PROJECT_KINDS = ("续建项目", "新开工项目", "运维类项目", "专项资金管理费项目")


@dataclass
class Prose:
    """Writes one wording's figures: `fault` is the planted error kind, if any (its
    figure is printed wrong, every other one right)."""

    wording: str
    fault: str | None
    rng: random.Random

    def wan(self, cents: int, fault: str | None = None) -> str:
        """An amount in 万元 as this wording prints it (Nanchang drops trailing zeros)."""
        d = (Decimal(cents) / 1_000_000).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        if fault and fault == self.fault:
            d += Decimal("1.00")
        if self.wording == "nanchang":
            return f"{d.normalize():f}" if d else "0"
        return f"{d:,.2f}" if self.wording == "plain" else f"{d:.2f}"

    def pct(self, num: float, den: float, fault: str | None = None, delta: int = 3) -> str:
        """num / den in percent, at this wording's decimals; the fault moves it by `delta` points."""
        decimals = 1 if self.wording == "nanchang" else 2
        d = (Decimal(num) / Decimal(den) * 100).quantize(Decimal(10) ** -decimals, rounding=ROUND_HALF_UP)
        if fault and fault == self.fault:
            d += delta if d + delta <= 100 or fault != "prose_sme" else -delta
        return f"{d}"

    def direction(self, actual: str, budget: str) -> str:
        """The word that relates two printed amounts; the fault flips it."""
        a, b = (float(x.replace(",", "")) for x in (actual, budget))
        word = "持平" if abs(a - b) < 0.005 else ("大于" if a > b else "小于")
        if self.fault == "prose_direction":
            word = {"大于": "小于", "小于": "大于", "持平": "大于"}[word]
        return word


def _wan(cents: int) -> float:
    return float((Decimal(cents) / 1_000_000).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def prose_sections(r: SyntheticReport, wording: str, fault: str | None = None) -> list[str]:
    """第三部分 in one wording, every figure restating the tables (or, for what the
    tables do not print — budgets, last year, 政府采购, 绩效 — invented consistently)."""
    rng = random.Random(r.seed * 7 + WORDINGS.index(wording))
    p = Prose(wording, fault, rng)
    T, y, d = r.truth, r.year, r.department
    nc, sh = wording == "nanchang", wording == "shanghai"
    t01, t02, t03, t06, t07 = T["T01"], T["T02"]["total"], T["T03"]["total"], T["T06"], T["T07"]
    out = [f"第三部分 {y} 年度部门决算情况说明", ""]

    def para(heading: str, *sentences: str) -> None:
        out.extend([heading, "", "".join(sentences), ""])

    # -- totals, with 增减额 and 增减率 (last year invented: this year − the change)
    grand = t01["income_grand_total"]["amount"]
    change = max(grand // rng.choice((3, 5, 9)), 10_000) // 10_000 * 10_000
    up = rng.random() < 0.6 or change >= grand
    prev = grand - change if up else grand + change
    more, grow = ("增加", "增长") if up else ("减少", "下降")
    growth = p.pct(change, prev, "prose_growth")
    if nc:
        para("一、收入决算情况说明",
             f"本部门 {y} 年度收入总计 {p.wan(grand)} 万元，较 {y - 1} 年{more} {p.wan(change)} 万元，{grow} {growth}%；"
             f"其中年初结转和结余 {p.wan(t01['opening_balance']['amount'])} 万元；本年收入合计 "
             f"{p.wan(t01['income_total']['amount'], 'prose_amount')} 万元，主要原因是：追加的项目经费减少。")
    elif sh:
        para("一、收入支出决算总体情况说明",
             f"{d} {y} 年度收入支出总计 {p.wan(grand)} 万元。与 {y - 1} 年度相比，收入支出总计{more} "
             f"{p.wan(change)} 万元，{grow} {growth}%。主要原因：业务量变化。")
    else:
        para("一、收入支出决算总体情况说明",
             f"本单位 {y} 年度收入总计 {p.wan(grand)} 万元，比上年{more} {p.wan(change)} 万元，{grow} {growth}%，"
             "主要原因是业务量变化。")
    # -- shares of 本年收入 and 本年支出
    income = [(T02_NAMES[c], t02[c]) for c in T02_NAMES if t02[c]]
    spent = [(T03_NAMES[c], t03[c]) for c in T03_NAMES if t03[c]]

    def shares(parts: list[tuple[str, int]], whole: int, faulty: bool) -> str:
        return "；".join(f"{n} {p.wan(v)} 万元，占 {p.pct(v, whole, 'prose_share' if faulty and i == 0 else None)}%"
                        for i, (n, v) in enumerate(parts))

    total_in, total_out = t01["income_total"]["amount"], t01["expense_total"]["amount"]
    if nc:
        para("二、收入决算情况说明", f"本年收入的具体构成为：{shares(income, t02['total'], True)}。")
        para("三、支出决算情况说明",
             f"本部门 {y} 年度支出总计 {p.wan(t01['expense_grand_total']['amount'])} 万元，其中本年支出合计 "
             f"{p.wan(total_out)} 万元，年末结转和结余 {p.wan(t01['closing_balance']['amount'])} 万元。"
             f"本年支出的具体构成为：{shares(spent, t03['total'], False)}。")
    else:
        lead = "本年收入合计" if sh else "本年收入合计为"
        para("二、收入决算情况说明", f"{lead} {p.wan(total_in, 'prose_amount')} 万元，其中：{shares(income, t02['total'], True)}。")
        para("三、支出决算情况说明", f"本年支出合计 {p.wan(total_out)} 万元，其中：{shares(spent, t03['total'], False)}。")
    # -- 年初预算 / 决算 / 完成率 and the direction between them (the budget is not in the tables)
    actual = T["T04"]["expense_total"]["total"]
    # at least 1 万元 away from the actual, so that the direction is beyond rounding
    gap = max(actual // 10, 1_000_000) // 10_000 * 10_000
    budget = actual if rng.random() < 0.2 else actual + gap if rng.random() < 0.5 or actual <= gap else actual - gap
    a_txt, b_txt = p.wan(actual), p.wan(budget)
    done = p.pct(actual, budget, "prose_completion")
    word = p.direction(a_txt, b_txt)
    if nc:
        para("四、财政拨款支出决算情况说明",
             f"本部门 {y} 年度财政拨款本年支出年初预算数为 {b_txt} 万元，决算数为 {a_txt} 万元，完成年初预算的 "
             f"{done}%。决算数{word}年初预算数的主要原因是项目的追加。")
    elif sh:
        para("四、财政拨款支出决算情况说明",
             f"财政拨款支出年初预算为 {b_txt} 万元，支出决算为 {a_txt} 万元，完成年初预算的 {done}%。"
             f"决算数{word}预算数的主要原因：项目调整。")
    else:
        para("四、财政拨款支出决算情况说明",
             f"财政拨款支出年初预算 {b_txt} 万元，实际支出 {a_txt} 万元，预算完成率为 {done}%。"
             f"决算数与年初预算数存在差异的主要原因是项目调整。决算数{word}年初预算数。")
    # -- 基本支出: 人员经费 and 公用经费 (parts after 其中, each its own row)
    para("五、一般公共预算财政拨款基本支出决算情况说明",
         f"本部门 {y} 年度一般公共预算财政拨款基本支出 {p.wan(T['T05']['total']['basic'])} 万元，其中：人员经费 "
         f"{p.wan(t06['personnel_total']['amount'])} 万元，公用经费 {p.wan(t06['public_total']['amount'])} 万元。")
    # -- 三公: amounts, budgets and completion, counts
    tb, ta = t07["total"]["budget"], t07["total"]["actual"]
    items = (("abroad", "因公出国（境）费"), ("vehicle", "公务用车购置及运行维护费"), ("reception", "公务接待费"))

    def done(key: str) -> str:
        b, a = t07[key]["budget"], t07[key]["actual"]
        return f"，完成预算的 {p.pct(a, b)}%" if b else ""

    if sh:  # the template: the items' budgets are left to 公开07表
        listed = "；".join(f"{name}支出决算为 {p.wan(t07[key]['actual'])} 万元{done(key)}" for key, name in items)
        sentences = [f"“三公”经费财政拨款支出年初预算为 {p.wan(tb)} 万元，支出决算为 {p.wan(ta)} 万元{done('total')}，"
                     f"其中：{listed}。{y} 年度“三公”经费支出决算数{p.direction(p.wan(ta), p.wan(tb))}预算数的主要原因："
                     "厉行节约。"]
    else:
        why = "，主要原因是厉行节约。"
        sentences = [f"“三公”经费支出年初预算数为 {p.wan(tb)} 万元，决算数为 {p.wan(ta)} 万元{done('total')}{why}"]
        sentences += [f"{name}支出年初预算数为 {p.wan(t07[key]['budget'])} 万元，决算数为 "
                      f"{p.wan(t07[key]['actual'])} 万元{done(key)}{why}" for key, name in items]
    out.extend(["六、一般公共预算财政拨款“三公”经费支出决算情况说明", ""] + [s for x in sentences for s in (x, "")])
    out += [f"“三公”经费决算数与年初预算数不同的主要原因是厉行节约。其中：因公出国（境）费 "
            f"{p.wan(t07['abroad']['actual'])} 万元，全年因公出国（境）团组 {t07['abroad_groups']['actual']} 个、"
            f"累计 {t07['abroad_people']['actual']} 人次；公务用车购置费 {p.wan(t07['vehicle_purchase']['actual'])} 万元，"
            f"全年购置公务用车 {t07['vehicles_purchased']['actual']} 辆；公务用车运行维护费 "
            f"{p.wan(t07['vehicle_operation']['actual'])} 万元；其中外事接待 {t07['foreign_batches']['actual']} 批，"
            f"累计接待 {t07['foreign_people']['actual']} 人次。", ""]
    counts = t07["domestic_batches"]["actual"], t07["domestic_people"]["actual"], t07["vehicles_held"]["actual"]
    if nc:
        out += [f"全年国内公务接待 {counts[0]} 批，累计接待 {counts[1]} 人次。年末公务用车保有 {counts[2]} 辆。", ""]
    else:
        out += [f"国内公务接待 {counts[0]} 批次、{counts[1]} 人次。{y} 年，公务用车保有量为 {counts[2]} 辆。", ""]
    # -- 机关运行经费 (= 公用经费 of the tables here)
    running = t06["public_total"]["amount"]
    last = running + rng.choice((-1, 1)) * min(running // 4, 5_000_000) // 10_000 * 10_000
    moved = ("增加", "增长") if running >= last else ("减少", "下降")
    trend = (f"，比 {y - 1} 年度{moved[0]} {p.wan(abs(running - last))} 万元，{moved[1]} "
             f"{p.pct(abs(running - last), last)}%" if last else "")
    para("七、机关运行经费支出情况说明", f"本部门 {y} 年度机关运行经费支出 {p.wan(running)} 万元{trend}"
         + ("，主要原因是日常公用经费变化。" if last else "。"))
    # -- 政府采购 and 中小企业 shares (not in the tables: invented, consistent)
    cats = [("货物", amount(rng, 1e4, 5e6, 100)), ("工程", rng.choice((0, amount(rng, 1e4, 5e6, 100)))),
            ("服务", amount(rng, 1e4, 5e6, 100))]
    sme = [(n, v * rng.choice((100, 100, 90, 75)) // 100) for n, v in cats]
    sme_total = sum(v for _, v in sme)
    procured = "、".join(f"政府采购{n}支出 {p.wan(v)} 万元" for n, v in cats)
    largest = max(cats, key=lambda c: c[1])[0]  # a share off by 10 points there is beyond any rounding
    sme_shares = "，".join(f"{n}采购授予中小企业合同金额占{n}支出金额的 "
                          f"{p.pct(s, v, 'prose_sme' if n == largest else None, 10) if v else '100'}%"
                          for (n, v), (_, s) in zip(cats, sme))
    para("八、政府采购支出情况说明",
         f"本部门 {y} 年度政府采购支出总额 {p.wan(sum(v for _, v in cats))} 万元，其中：{procured}。"
         f"授予中小企业合同金额 {p.wan(sme_total)} 万元。{sme_shares}。")
    # -- 国有资产: vehicles listed by category after 其中
    # Nanchang lists the categories it has (at least two), the Shanghai template all eight
    vehicles = [(name, T["T10"][key]["amount"]) for key, name in T10_VEHICLES]
    if not sh:
        vehicles = sorted(vehicles, key=lambda v: -v[1])[:max(2, sum(v > 0 for _, v in vehicles))]
    listed = "、".join(f"{n} {v + (1 if fault == 'prose_vehicles' and i == 0 else 0)} 辆"
                      for i, (n, v) in enumerate(vehicles))
    held = T["T10"]["vehicles_total"]["amount"]
    para("九、国有资产占用情况说明",
         f"截至 {y} 年 12 月 31 日，本部门共有车辆 {held} 辆，其中：{listed}"
         + f"。单价 100 万元（含）以上专用设备 {T['T10']['equipment_special_100w']['amount']} 台（套）。")
    if not any(T["T08"]["total"].values()):  # an empty table is said to be empty (财预〔2016〕143号)
        out += ["本部门无政府性基金预算财政拨款收入支出，故公开08表无数据。", ""]
    if not T["T09"]:
        out += ["本部门无国有资本经营预算财政拨款收入支出，故公开09表无数据。", ""]
    out += performance_section(r, p)
    return out


def grade_of(score: float) -> str:
    """The national 评价等级 of a 总分 (the bands of rules/prose/vocabulary.yaml)."""
    return next(b["grade"] for b in vocabulary()["grade_bands"] if score >= b["floor"])


WRONG_GRADE = {"优": "良", "良": "优", "中": "良", "差": "中"}
BANDS = {"nanchang": "满分 100 分，分数在 90 分(含 90 分)以上评优秀；分数在 80(含 80 分) -90 之间评良好；"
                     "分数在 60(含 60 分) -80 分为中，60 分以下评差。",
         "plain": "90（含）-100分为优、80（含）-90分为良、60（含）-80分为中、60分以下为差。"}


def performance_section(r: SyntheticReport, p: Prose) -> list[str]:
    """十、预算绩效: a project count listed after 其中, a budget in 万元 and 元, a score and
    its grade, the bands (Nanchang's sentence, the table's line, or none: the national
    ones), and a 项目支出绩效自评表 with its (N分) labels and 评价等级 row."""
    rng, y = p.rng, r.year
    parts = [rng.randint(1, 9) for _ in PROJECT_KINDS]
    stated = sum(parts) + (2 if p.fault == "prose_projects" else 0)
    budget = amount(rng, 1e5, 5e6)  # cents
    yuan = Decimal(budget) / 100 + (Decimal(50000) if p.fault == "prose_yuan" else 0)
    score = round(rng.uniform(61, 99.9), 1)
    grade = WRONG_GRADE[grade_of(score)] if p.fault == "prose_grade" else grade_of(score)
    listed = "，".join(f"{k}{n}个" for k, n in zip(PROJECT_KINDS, parts))
    wan = p.wan(budget)
    if p.wording == "nanchang":
        money = f"项目预算资金为 {wan} 万元（{yuan:.2f} 元）"
        graded = f"最终评价结果为 {score} 分，评价等级为{grade}。"
    elif p.wording == "shanghai":
        money = f"绩效自评的 {y} 年度项目涉及预算金额 {wan} 万元（{yuan:.2f}元）"
        graded = f"平均得分 {score} 分，档次“{grade}”。"
    else:
        money = f"全年预算数为 {wan} 万元，折合 {yuan:,.2f} 元"
        graded = f"自评得分为 {score} 分，评价等级为“{grade}”。"
    bands = [BANDS[p.wording], ""] if p.wording in BANDS else []
    return ["十、预算绩效情况说明", "",
            f"最终确定安排项目共 {stated} 个。其中，{listed}。", "",
            f"{money}。{graded}", "", *bands, *self_evaluation_table(r, p, budget),
            "第四部分 名词解释", "", *GLOSSARY]


GLOSSARY = [line for term in (
    "财政拨款收入：指本级财政当年拨付的资金。",
    "基本支出：指为保障机构正常运转、完成日常工作任务而发生的人员支出和公用支出。",
    "项目支出：指为完成特定工作任务在基本支出之外发生的支出。",
    "年初结转和结余：指以前年度尚未完成、结转到本年继续使用的资金。",
    "年末结转和结余：指需延迟到以后年度按规定继续使用的资金。",
    "“三公”经费：指因公出国（境）费、公务用车购置及运行维护费和公务接待费。",
    "机关运行经费：指行政单位使用一般公共预算财政拨款安排的基本支出中的日常公用经费支出。") for line in (term, "")]


def self_evaluation_table(r: SyntheticReport, p: Prose, budget: int) -> list[str]:
    """A 项目支出绩效自评表: funds (zero written 0, blank or —, by wording), indicators
    under (N分) labels, 总分 and 评价等级.  Faults: a wrong label, a wrong grade row."""
    rng = p.rng
    zero = {"nanchang": "—", "shanghai": "0", "plain": ""}[p.wording]
    lost = round(rng.uniform(0.5, 12), 1)  # the points the 效益 indicator loses (its target is not met)
    total = round(100 - lost, 1)
    grade = WRONG_GRADE[grade_of(total)] if p.fault == "prose_table_grade" else grade_of(total)
    label = 25 if p.fault == "prose_label" else 20
    b = p.wan(budget)
    rows = [["项目名称", "信息化运维项目"], ["主管部门", r.department, "", "实施单位", r.department],
            ["项目资金（万元）", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
            ["", "年度资金总额", b, b, b, "10", "100%", "10"],
            ["", "其中：当年财政拨款", b, b, b, "—", "", "—"],
            ["", "上年结转资金", zero, zero, zero, "—", "", "—"],
            ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"],
            ["", "产出指标 (50分)", f"数量指标 ({label}分)", "系统运维数量", ">=10个", "12个", "20", "20"],
            ["", "", "质量指标 (15分)", "故障修复率", ">=95%", "98%", "15", "15"],
            ["", "", "时效指标 (5分)", "故障恢复时限", "<=1天", "0.5天", "5", "5"],
            ["", "", "成本指标 (10分)", "运维成本", f"<={b}万元", f"{b}万元", "10", "10"],
            ["", "效益指标 (30分)", "社会效益指标 (30分)", "业务覆盖率", "=100%", "90%", "30", f"{30 - lost:g}",
             "部分单位尚未接入"],
            ["", "满意度指标 (10分)", "服务对象满意度指标 (10分)", "用户满意度", ">=90%", "95%", "10", "10"],
            ["总分", "", "", "", "", "", "100", f"{total:g}"],
            ["评价等级", grade]]
    return ["项目支出绩效自评表", "", f"（{r.year} 年度）", "", *("\t".join(row) for row in rows), ""]


def inject_prose(report: SyntheticReport, kind: str, wording: str) -> SyntheticReport:
    """A copy of `report` whose 第三部分, written in `wording`, has one error of `kind`
    (see PROSE_KINDS); the tables are unchanged."""
    if kind not in PROSE_KINDS:
        raise ValueError(f"unknown prose error {kind!r}; one of {', '.join(PROSE_KINDS)}")
    r = copy.deepcopy(report)
    r.tail = prose_sections(r, wording, kind)
    return r


# --------------------------------------------------------------------------- injection

@dataclass
class Injection:
    """One planted error.  `printed_value` is what the document now prints at
    (table, row, column): a float in the printed unit for numeric kinds, the
    printed 编制单位 (str) or year (int) for wrong_name / wrong_year.  For `unit`
    it is the printed value of a figure a cross-table rule reads (row, column)."""

    kind: str
    table: str
    row: str | None
    column: str | None
    printed_value: float | int | str
    original_value: float | int | str | None
    report: SyntheticReport

    @property
    def text(self) -> str:
        return self.report.text


def _num(s: str) -> float:
    return float(s.replace(",", ""))


def _fmt_like(value: float, like: str) -> str:
    return f"{value:,.2f}" if "," in like or abs(value) >= 1000 and "," in like else f"{value:.2f}"


def _cells(r: SyntheticReport, tables: tuple[str, ...]) -> list[Ref]:
    return [x for x in r.refs() if x.table in tables and not x.count and not x.dash]


def candidates(r: SyntheticReport, kind: str) -> list[tuple[str, str, str]]:
    """Cells whose printed figure some rule reads as its `actual` (its left side)."""
    T = r.truth
    has_fund = len(T["T08"]) > 1
    has_soe = len(T["T09"]) > 0
    out: list[tuple[str, str, str]] = []
    if kind in ("total", "transposed"):
        out += [("T01", k, "amount") for k in ("income_total", "expense_total", "income_grand_total",
                                               "expense_grand_total")]
        out += [("T02", "total", c) for c in T02_COLS] + [("T03", "total", c) for c in T03_COLS]
        out += [("T05", "total", c) for c in T05_COLS]
        out += [("T04", k, "amount") for k in ("income_total", "opening_balance", "income_grand_total")]
        out += [("T04", k, c) for k in ("expense_total", "expense_grand_total") for c in ("total", "general",
                                                                                          "gov_fund", "soe")]
        out += [("T06", "personnel_total", "amount"), ("T06", "public_total", "amount")]
        out += [("T07", "total", "budget"), ("T07", "total", "actual")]
        if has_fund:
            out += [("T08", "total", c) for c in T08_COLS]
        if has_soe:
            out += [("T09", "total", c) for c in T05_COLS]
    if kind in ("hierarchy", "transposed"):
        for t, cols in (("T02", T02_COLS), ("T03", T03_COLS), ("T05", T05_COLS)):
            out += [(t, code, c) for code in T[t] if code != "total" and len(code) < 7 for c in cols]
    if kind in ("cross_table", "transposed"):
        out += [("T01", "income_total", "amount"), ("T01", "expense_total", "amount"), ("T02", "total", "fiscal"),
                ("T04", "income_total", "amount"), ("T04", "expense_total", "general"),
                ("T04", "expense_total", "gov_fund"), ("T04", "inc_gov_fund", "amount"), ("T05", "total", "basic")]
        out += [("T01", cls, "amount") for cls in T01_CLASSES if cls in T["T03"]]
        out += [("T04", cls, "general") for cls in T01_CLASSES if cls in T["T05"]]
        out += [("T04", cls, "gov_fund") for cls in T01_CLASSES if cls in T["T08"]]
        if has_soe:
            out += [("T04", "expense_total", "soe")]
    if kind == "transposed":  # every row's total column is the left side of a row rule
        out += [(t, code, "total") for t in ("T02", "T03", "T05") for code in T[t]]
    return sorted(set(out))


def _swap(s: str, rng: random.Random) -> str | None:
    """Swap two adjacent, different digits of the integer part (so the change is
    at least 9.00); None when no such pair exists."""
    int_part, _, dec = s.partition(".")
    digits = int_part.replace(",", "")
    pairs = [i for i in range(len(digits) - 1) if digits[i] != digits[i + 1] and not (i == 0 and digits[1] == "0")]
    if not pairs:
        return None
    i = rng.choice(pairs)
    d = list(digits)
    d[i], d[i + 1] = d[i + 1], d[i]
    new = "".join(d)
    if "," in int_part:
        new = f"{int(new):,}"
    return f"{new}.{dec}" if dec else new


def inject(report: SyntheticReport, kind: str, rng: random.Random) -> Injection:
    """Plant one error of `kind` (see KINDS) in a copy of `report`."""
    r = copy.deepcopy(report)
    if kind in ("total", "hierarchy", "cross_table"):
        table, row, col = rng.choice(candidates(r, kind))
        old = r.fmt(Ref(table, row, col))
        value = _num(old) if old not in ("", "-") else 0.0
        delta = round(rng.uniform(1.0, max(1.0, min(500.0, value * 0.3 + 1))), 2)
        new_value = value + delta if value < delta or rng.random() < 0.5 else value - delta
        new = _fmt_like(new_value, old if old not in ("", "-") else ("1,000.00" if r.style.get("commas") else "0.00"))
        r.overrides[(table, row, col)] = new
        return Injection(kind, table, row, col, _num(new), value, r)
    if kind == "transposed":
        cells = candidates(r, kind)
        rng.shuffle(cells)
        for table, row, col in cells:
            old = r.fmt(Ref(table, row, col))
            if old in ("", "-"):
                continue
            new = _swap(old, rng)
            if new is not None:
                r.overrides[(table, row, col)] = new
                return Injection(kind, table, row, col, _num(new), _num(old), r)
        raise ValueError("no figure with two different adjacent digits")
    if kind == "wrong_name":
        table = rng.choice(list(TITLES))
        name = rng.choice([d for d in OTHER_DEPARTMENTS if d != r.department])
        r.departments[table] = name
        return Injection(kind, table, None, None, name, r.department, r)
    if kind == "wrong_year":
        table = rng.choice(list(TITLES))
        year = r.year + rng.choice((-1, 1, -2))
        r.years[table] = str(year)
        return Injection(kind, table, None, None, year, r.year, r)
    if kind == "unit":
        anchors = {"T01": ("income_total", "amount"), "T02": ("total", "fiscal"), "T03": ("total", "total"),
                   "T04": ("income_total", "amount"), "T05": ("total", "basic"), "T06": ("personnel_total", "amount")}
        if len(r.truth["T08"]) > 1:
            anchors["T08"] = ("total", "expense")
        # a table whose figures a cross-table rule compares, and whose amounts are not all zero
        usable = [t for t, (row, col) in anchors.items() if r.truth[t][row][col] >= 1_000_000]
        table = rng.choice(usable)
        row, col = anchors[table]
        old = r.printed(table, row, col)
        r.figures_unit[table] = "元"  # header still says 万元
        return Injection(kind, table, row, col, r.printed(table, row, col), old, r)
    raise ValueError(f"unknown injection kind {kind!r}; one of {', '.join(KINDS)}")


# --------------------------------------------------------------------------- CLI

def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m auditlib.synth", description="Write synthetic 部门决算 reports.")
    p.add_argument("outdir", type=Path)
    p.add_argument("--count", type=int, default=10)
    p.add_argument("--seed", type=int, default=0, help="first seed; report i uses seed + i")
    p.add_argument("--year", type=int, default=2021)
    p.add_argument("--department", default=None)
    p.add_argument("--unit", choices=("万元", "元"), default="万元", help="元: print one table in 元")
    p.add_argument("--yuan-table", default=None, help="the table printed in 元 with --unit 元")
    p.add_argument("--inject", choices=KINDS, default=None, help="plant one error of this kind in each report")
    p.add_argument("--truth", action="store_true", help="also write each report's exact amounts as JSON")
    args = p.parse_args(argv)
    args.outdir.mkdir(parents=True, exist_ok=True)
    manifest = []
    for i in range(args.count):
        seed = args.seed + i
        rep = generate(seed, department=args.department, year=args.year, unit=args.unit, yuan_table=args.yuan_table)
        entry: dict = {"seed": seed, "file": f"synth-{seed:06d}.txt", "department": rep.department,
                       "yuan_table": next((t for t, u in rep.header_unit.items() if u == "元"), None)}
        if args.inject:
            inj = inject(rep, args.inject, random.Random(seed))
            rep = inj.report
            entry["injection"] = {"kind": inj.kind, "table": inj.table, "row": inj.row, "column": inj.column,
                                  "printed_value": inj.printed_value, "original_value": inj.original_value}
        rep.write(args.outdir / entry["file"])
        if args.truth:
            (args.outdir / f"synth-{seed:06d}.truth.json").write_text(
                json.dumps(rep.truth_json(), ensure_ascii=False), encoding="utf-8")
        manifest.append(entry)
    (args.outdir / "manifest.jsonl").write_text(
        "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in manifest), encoding="utf-8")
    print(f"wrote {args.count} reports to {args.outdir}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
