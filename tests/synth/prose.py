"""The prose of a generated report: cover, a short 第三部分, and the phrasing bank (`WORDINGS`)
that writes a full narrative and performance section, with one planted prose fault."""

from __future__ import annotations

import copy
import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from auditlib.rules.prose.claims import vocabulary
from tests.synth.amounts import amount
from tests.synth.document import SyntheticReport, money
from tests.synth.reference import T10_VEHICLES, TITLES, cn

def cover(r: SyntheticReport) -> list[str]:
    toc = [f"{cn(i + 1)}、{TITLES[c]}" for i, c in enumerate(TITLES)]
    section = f"第二部分 {r.department} {r.year}年度部门决算表" if r.style.get("section_name") else \
        f"第二部分 {r.year}年度部门决算表"
    return [f"{r.department} {r.year} 年度部门决算", "", "目 录", "",
            f"第一部分 {r.department}部门概况", "", f"第二部分 {r.year} 年度部门决算表", "", *toc, "",
            f"第三部分 {r.year} 年度部门决算情况说明", "", "第四部分 名词解释", "",
            f"第一部分 {r.department}部门概况", "", "一、部门主要职责", "",
            "（一）贯彻执行国家、省、市有关方针政策和法律法规，负责本系统的综合管理工作。", "",
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
