"""The prose of a generated report: cover, a short 第三部分, and the phrasing bank (`WORDINGS`)
that writes a full narrative and performance section, with one planted prose fault."""

from __future__ import annotations

import copy
import random
from dataclasses import dataclass
from decimal import Decimal

from auditlib.ingest.vocabulary import vocabulary
from tests.synth.amounts import amount
from tests.synth.document import SyntheticReport, money
from tests.synth.figures import Prose, values
from tests.synth.reference import TITLES, cn
from tests.synth.wordings import FAMILIES

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

# The wordings the narrative and performance section can be written in (tests.synth.wordings:
# nine families from real reports of several provinces and years).
WORDINGS = tuple(FAMILIES)
# Errors planted in the prose (`inject_prose`), with the finding that must report each.
PROSE_KINDS = {"prose_amount": "NARR.amount", "prose_share": "NARR.share", "prose_growth": "NARR.growth",
               "prose_completion": "NARR.completion", "prose_direction": "NARR.words", "prose_sme": "NARR.share",
               "prose_vehicles": "NARR.itemised", "prose_base_share": "NARR.share", "prose_part_growth": "NARR.growth",
               "prose_yuan": "PERF.yuan", "prose_grade": "PERF.grade", "prose_projects": "PERF.count",
               "prose_table_grade": "PERF.grade", "prose_label": "PERF.level"}
PROJECT_KINDS = ("续建项目", "新开工项目", "运维类项目", "专项资金管理费项目")


def prose_sections(r: SyntheticReport, wording: str, fault: str | None = None) -> list[str]:
    """第三部分 in one wording, every figure restating the tables (or, for what the
    tables do not print — budgets, last year, 政府采购, 绩效 — invented consistently)."""
    family = FAMILIES[wording]
    p = Prose(family.style, fault, random.Random(r.seed * 7 + WORDINGS.index(wording)))
    out = family.write(values(r, p, family.lead))
    if not any(r.truth["T08"]["total"].values()):  # an empty table is said to be empty (财预〔2016〕143号)
        out += ["本部门无政府性基金预算财政拨款收入支出，故公开08表无数据。", ""]
    if not r.truth["T09"]:
        out += ["本部门无国有资本经营预算财政拨款收入支出，故公开09表无数据。", ""]
    return out + performance_section(r, p, family.performance)


def grade_of(score: float) -> str:
    """The national 评价等级 of a 总分 (the bands of ingest/vocabulary.yaml)."""
    return next(b["grade"] for b in vocabulary()["grade_bands"] if score >= b["floor"])


WRONG_GRADE = {"优": "良", "良": "优", "中": "良", "差": "中"}

@dataclass(frozen=True)
class PerformanceWording:
    """How a family writes its 预算绩效 section: the project list, the budget in 万元 and 元,
    the score and grade, the bands (None: the national ones), a zero in the 自评表."""

    projects: str
    money: str
    graded: str
    bands: str | None
    zero: str


PERFORMANCE = {
    "nanchang": PerformanceWording("最终确定安排项目共 {n} 个。其中，{listed}。", "项目预算资金为 {wan} 万元（{yuan:.2f} 元）",
                                   "最终评价结果为 {score} 分，评价等级为{grade}。",
                                   "满分 100 分，分数在 90 分(含 90 分)以上评优秀；分数在 80(含 80 分) -90 之间评良好；"
                                   "分数在 60(含 60 分) -80 分为中，60 分以下评差。", "—"),
    "shanghai": PerformanceWording("最终确定安排项目共 {n} 个。其中，{listed}。",
                                   "绩效自评的 {y} 年度项目涉及预算金额 {wan} 万元（{yuan:.2f}元）",
                                   "平均得分 {score} 分，档次“{grade}”。", None, "0"),
    "plain": PerformanceWording("最终确定安排项目共 {n} 个。其中，{listed}。", "全年预算数为 {wan} 万元，折合 {yuan:,.2f} 元",
                                "自评得分为 {score} 分，评价等级为“{grade}”。",
                                "90（含）-100分为优、80（含）-90分为良、60（含）-80分为中、60分以下为差。", ""),
    "sichuan": PerformanceWording("本单位共实施项目{n}个，其中：{listed}。", "项目年初预算数{wan}万元（{yuan:.2f}元）",
                                  "项目自评得分{score}分，自评等级为“{grade}”。", None, "0"),
    "xinjiang": PerformanceWording("纳入绩效自评的项目共{n}个。其中：{listed}。", "项目资金总额{wan}万元，折合人民币{yuan:.2f}元",
                                   "项目自评得分{score}分，评价等级为{grade}。", None, "0.00"),
    "anhui": PerformanceWording("全年安排项目共{n}个，其中，{listed}。", "项目预算资金{wan}万元（{yuan:.2f}元）",
                                "综合评分{score}分，评价等级为{grade}。",
                                "综合评分90（含）-100分为优，80（含）-90分为良，60（含）-80分为中，60分以下为差。", "—"),
    "hubei": PerformanceWording("本部门开展绩效自评的项目共{n}个，其中{listed}。", "项目全年预算数{wan}万元（{yuan:.2f}元）",
                                "自评总分{score}分，评价等级“{grade}”。", None, ""),
    "gansu": PerformanceWording("最终确定实施项目共{n}个。其中，{listed}。", "项目预算资金{yuan:.2f}元（{wan}万元）",
                                "评价结果为{score}分，等级为“{grade}”。", None, "—"),
    "central": PerformanceWording("组织对{n}个项目开展绩效自评。其中，{listed}。", "项目预算数为{wan}万元，折合{yuan:,.2f}元",
                                  "绩效自评总分为{score}分，评级为{grade}。", None, "0"),
}


def performance_section(r: SyntheticReport, p: Prose, wording: str) -> list[str]:
    """十、预算绩效: a project count listed after 其中, a budget in 万元 and 元, a score and
    its grade, the bands (the family's own sentence, or none: the national ones), and a
    项目支出绩效自评表 with its (N分) labels and 评价等级 row."""
    w = PERFORMANCE[wording]
    rng, y = p.rng, r.year
    parts = [rng.randint(1, 9) for _ in PROJECT_KINDS]
    stated = sum(parts) + (2 if p.fault == "prose_projects" else 0)
    budget = amount(rng, 1e5, 5e6)  # cents
    yuan = Decimal(budget) / 100 + (Decimal(50000) if p.fault == "prose_yuan" else 0)
    score = round(rng.uniform(61, 99.9), 1)
    grade = WRONG_GRADE[grade_of(score)] if p.fault == "prose_grade" else grade_of(score)
    listed = "，".join(f"{k}{n}个" for k, n in zip(PROJECT_KINDS, parts))
    money = w.money.format(wan=p.wan(budget), yuan=yuan, y=y)
    return ["十、预算绩效情况说明", "", w.projects.format(n=stated, listed=listed), "",
            f"{money}。{w.graded.format(score=score, grade=grade)}", "", *([w.bands, ""] if w.bands else []),
            *self_evaluation_table(r, p, budget, w.zero), "第四部分 名词解释", "", *GLOSSARY]


GLOSSARY = [line for term in (
    "财政拨款收入：指本级财政当年拨付的资金。",
    "基本支出：指为保障机构正常运转、完成日常工作任务而发生的人员支出和公用支出。",
    "项目支出：指为完成特定工作任务在基本支出之外发生的支出。",
    "年初结转和结余：指以前年度尚未完成、结转到本年继续使用的资金。",
    "年末结转和结余：指需延迟到以后年度按规定继续使用的资金。",
    "“三公”经费：指因公出国（境）费、公务用车购置及运行维护费和公务接待费。",
    "机关运行经费：指行政单位使用一般公共预算财政拨款安排的基本支出中的日常公用经费支出。") for line in (term, "")]


def self_evaluation_table(r: SyntheticReport, p: Prose, budget: int, zero: str) -> list[str]:
    """A 项目支出绩效自评表: funds (zero written 0, blank or —, by wording), indicators
    under (N分) labels, 总分 and 评价等级.  Faults: a wrong label, a wrong grade row."""
    rng = p.rng
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
