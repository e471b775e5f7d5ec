"""A budget's narrative against its tables (issue 30, NARR.budget_*): on the ten dev-set budgets
of ../shared/corpus/budgets, the exact set of errors each one gets (every one checked on the
page: notes/i30-design.md §2.6 and the report of the i30-narr branch) and how many of its claims
were read, found consistent and found wrong (so that recall shows); then planted changes, each
of which one check must find, and an ambiguous claim that must stay unchecked.
"""

from __future__ import annotations

import copy
from functools import cache

import pytest

from auditlib.ingest import read_report
from auditlib.ingest.budget_claims import read_budget_prose
from auditlib.model import Paragraph, Report
from auditlib.rules.runner import check
from tests.conftest import CORPUS

# document → the NARR errors: (rule, page, the figure as the narrative states it)
ERRORS: dict[str, set[tuple[str, int, float]]] = {
    # 住房公积金(项) “350.35万元 … 2024年预算安排352.67万元” (公开05表 3,503,499 元)
    "sh-pt-wanli-2024-yusuan": {("NARR.budget_repeat", 9, 352.67)},
    # 一般公共预算拨款支出预算 0.00 万元 (公开04表 一般公共预算 18,976.76 万元)
    "sh-pt-wanli-2025-yusuan-draft1": {("NARR.budget_amount", 6, 0.0)},
    "sh-pt-wanli-2025-yusuan": set(),
    "sh-pt-wanli-2023-yusuan": {
        ("NARR.budget_rate", 6, 1421.25),  # 政府性基金 0 万元 “比2022年预算增加1421.25万元”
        ("NARR.budget_rate", 6, 314.82),  # 群众团体事务 45.41 against 执行数 11.67 is +289.12 %
        ("NARR.budget_rate", 7, 60.54),  # item 16 (220.63, 执行数 132.59) copies item 15's 60.54 %
        ("NARR.budget_repeat", 7, 441.25),  # … and its 预算安排 441.25
        # “编报绩效目标的项目5个，涉及项目预算资金3328.13万元” against the five 绩效目标表 forms' (p31–35)
        # 年度资金申请总额 4,100,000 + 6,351,000 + 4,563,800 + 7,595,500 + 10,903,043 = 3,351.33 万元
        ("NARR.budget_coverage", 29, 3328.13),
    },
    # 社会福利事业单位(项) 738.66 万元: 公开05表 696.48, 公开03表 958.48
    "sh-pt-fuliyuan-2024-yusuan": {("NARR.budget_amount", 6, 738.66)},
    "js-gaoyuan-2017-yusuan": {("NARR.budget_rate", 22, 79.05)},  # 提租补贴 865.57 / 1,094.42 = 79.09 %
    "js-gaoyuan-2018-yusuan": {("NARR.budget_rate", 19, 5.95)},  # 392.92 / 6,442.89 = 6.10 % (5.95 fits 382.92)
    "js-gaoyuan-2019-yusuan": set(),
    "js-jianchayuan-2017-yusuan": {
        ("NARR.budget_amount", 19, 12323.46),  # 基本支出 (公开03表 12,323.48)
        ("NARR.budget_rate", 22, 129.97),  # 机关运行经费 3,401.59 / 2,630.96 = 129.29 %
        ("NARR.budget_share", 22, 18.85),  # “三公” 110 / 584.35 = 18.82 %
        ("NARR.budget_share", 22, 54.43),  # 317.8 / 584.35 = 54.39 %
        ("NARR.budget_share", 22, 26.72),  # 156.55 / 584.35 = 26.79 %
    },
    "js-jianchayuan-2018-yusuan": {
        ("NARR.budget_rate", 23, 21.95),  # 总计 3,958.67 / 17,996.68 = 22.00 %
        ("NARR.budget_rate", 26, 0.06),  # 一般行政管理事务 21.8 / 3,644.2 = 0.60 %
        ("NARR.budget_rate", 26, 0.66),  # 检察监督 134 / 2,029 = 6.60 %
        ("NARR.budget_repeat", 28, 3958.98),  # 一般公共预算 支出 增加 3,958.98, 收入 增加 3,959.28
    },
}
# document → (claims read, consistent, wrong): what the check reached (the Jiangsu 收支预算总表 and
# 收入预算总表 read: their 收入总计 / 财政拨款 / 其他资金 claims consistent; a 类 the narrative
# names — 公共安全(类)支出 — found in the 一般公共预算支出表; a threshold — 单价100万元(含)以上
# 设备 — is a name, not a claim)
COUNTS: dict[str, tuple[int, int, int]] = {
    "sh-pt-wanli-2023-yusuan": (181, 117, 5),
    "sh-pt-wanli-2024-yusuan": (162, 114, 1),
    "sh-pt-wanli-2025-yusuan": (68, 54, 0),
    "sh-pt-wanli-2025-yusuan-draft1": (93, 50, 1),  # “机关运行经费预算为464.64万” / “元。” joined (p28)
    "sh-pt-fuliyuan-2024-yusuan": (48, 37, 1),
    "js-gaoyuan-2017-yusuan": (113, 75, 2),
    "js-gaoyuan-2018-yusuan": (127, 79, 1),
    "js-gaoyuan-2019-yusuan": (128, 85, 0),
    "js-jianchayuan-2017-yusuan": (76, 54, 6),
    "js-jianchayuan-2018-yusuan": (104, 63, 11),
}


@cache
def _report(document: str) -> Report:
    return read_report(CORPUS / "budgets" / document / "doc.pdf")


def _errors(result) -> set[tuple[str, int, float]]:
    return {(f.id, f.page, f.actual) for f in result.findings if f.id.startswith("NARR") and f.severity == "error"}


def _counts(report: Report, result) -> tuple[int, int, int]:
    verdicts = [result.verdicts.get(c.id) for c in report.claims]
    return (len(report.claims), sum(1 for v in verdicts if v and v.verdict == "ok"),
            sum(1 for v in verdicts if v and v.verdict == "mismatch"))


@pytest.mark.parametrize("document", sorted(ERRORS))
def test_the_narrative_errors_of_each_budget_are_the_ones_checked_by_hand(document):
    report = _report(document)
    result = check(report)
    assert _errors(result) == ERRORS[document]
    assert _counts(report, result) == COUNTS[document]
    for claim in report.claims:  # a claim left unchecked says why
        verdict = result.verdicts.get(claim.id)
        assert verdict is not None and (verdict.verdict != "unchecked" or verdict.reason), claim


def _planted(document: str, old: str, new: str) -> tuple[Report, object]:
    """The budget with one narrative figure rewritten (its text only), read and checked again."""
    report = copy.deepcopy(_report(document))
    hits = [i for i, p in enumerate(report.lines) if old in p.text]
    assert len(hits) == 1, hits
    p = report.lines[hits[0]]
    report.lines[hits[0]] = Paragraph(p.text.replace(old, new, 1), p.headings, p.line, p.page)
    report.prose = read_budget_prose(report)
    return report, check(report)


@pytest.mark.parametrize("document, old, new, rule", [
    # an amount against the table (Shanghai 万元 against 元): 机关运行经费 443.18 → 443.19
    ("sh-pt-wanli-2024-yusuan", "机关运行经费预算为443.18万元", "机关运行经费预算为443.19万元", "NARR.budget_amount"),
    # a 项 (“A（类）B（款）C（项）”) against 公开05表: 购房补贴 320.17 → 320.71, which its 预算安排
    # 320.17 and its rate 0.64 % over 执行数 318.14 no longer fit either
    ("sh-pt-wanli-2024-yusuan", "购房补贴(项)”320.17万元", "购房补贴(项)”320.71万元",
     "NARR.budget_amount NARR.budget_repeat NARR.budget_rate"),
    # a rate against the 执行数 it names: 0.64 % → 0.74 %
    ("sh-pt-wanli-2024-yusuan", "比2023年预算执行数增加0.64%", "比2023年预算执行数增加0.74%", "NARR.budget_rate"),
    # 政府采购 货物 + 工程 + 服务 = 总额: 服务 752.59 → 752.69
    ("sh-pt-wanli-2024-yusuan", "政府采购服务预算 752.59万元", "政府采购服务预算 752.69万元", "NARR.budget_procurement"),
    # Jiangsu: a rate against its amount and change: 6.69 % → 6.96 %
    ("js-gaoyuan-2017-yusuan", "预算总计各增加 1808.29 万元,增长 6.69%", "预算总计各增加 1808.29 万元,增长 6.96%",
     "NARR.budget_rate"),
    # a 项 (法院（款）…（项）) against 公开05表: 行政运行 11786.92 → 11786.29
    ("js-gaoyuan-2017-yusuan", "行政运行(项)支出 11786.92 万元", "行政运行(项)支出 11786.29 万元", "NARR.budget_amount"),
    # a “三公” share against 公开09表: 27.71 % → 27.17 %
    ("js-gaoyuan-2017-yusuan", "占“三公”经费的 27.71%", "占“三公”经费的 27.17%", "NARR.budget_share"),
    # 财政拨款基本支出 against 公开06表 (B13) 合计: 17123.19 → 17123.91
    ("js-gaoyuan-2017-yusuan", "预算17123.19 万元,其中:", "预算17123.91 万元,其中:", "NARR.budget_amount"),
    # 绩效目标 项目个数 against the forms 绩效目标表 prints: 5 → 6
    ("sh-pt-wanli-2023-yusuan", "编报绩效目标的项目5个", "编报绩效目标的项目6个", "NARR.budget_coverage"),
])
def test_a_planted_change_is_found(document, old, new, rule):
    before = _errors(check(_report(document)))
    report, result = _planted(document, old, new)
    found = _errors(result) - before
    assert {f[0] for f in found} == set(rule.split()), found


def test_an_ambiguous_claim_stays_unchecked_with_its_reason():
    """A 项 the tables do not print (its name changed) is neither an error nor passed."""
    report, result = _planted("sh-pt-wanli-2024-yusuan", "购房补贴(项)”320.17万元", "购房津贴(项)”320.17万元")
    assert _errors(result) == ERRORS["sh-pt-wanli-2024-yusuan"]
    claim = next(c for c in report.claims if c.value == 320.17 and "购房津贴" in c.text)
    verdict = result.verdicts[claim.id]
    assert verdict.verdict == "unchecked" and "找不到科目" in verdict.reason


def test_the_performance_funds_equal_to_the_forms_sum_are_consistent():
    """wanli-2023 with its narrative's 3328.13 万元 made the forms' 3,351.33: the coverage error goes,
    the claim is found consistent (against the forms, not 项目支出)."""
    report, result = _planted("sh-pt-wanli-2023-yusuan", "项目预算资金3328.13万元", "项目预算资金3351.33万元")
    assert _errors(result) == ERRORS["sh-pt-wanli-2023-yusuan"] - {("NARR.budget_coverage", 29, 3328.13)}
    claim = next(c for c in report.claims if c.value == 3351.33)
    verdict = result.verdicts[claim.id]
    assert (verdict.verdict, verdict.expected) == ("ok", 3351.33) and "绩效目标填报表 5 个项目" in verdict.target
