"""One layout per budget (issue 30 review): completeness and every display ask kinds.layout_of —
the layout named (--profile), else the one whose `match` fits the department and year, else
the one the printed tables fit — so they cannot disagree; a 决算 profile for a budget is refused."""

from __future__ import annotations

import copy
from functools import cache

import pytest

from auditlib.errors import SettingsError
from auditlib.ingest import read_report
from auditlib.kinds import layout_of, layout_title, tables_shown
from auditlib.rules.runner import check
from tests.conftest import CORPUS, FIXTURES


@cache
def _gaoyuan_2019():
    return read_report(CORPUS / "budgets" / "js-gaoyuan-2019-yusuan" / "doc.pdf")


def _compl(report, **params) -> list[str]:
    return [f.message for f in check(report, params=params).findings if f.id == "COMPL.budget_tables"]


@pytest.mark.parametrize("change", [{"year": 2020}, {"department": None}])
def test_a_jiangsu_budget_its_match_misses_is_jiangsu_for_completeness_and_display(change):
    report = copy.deepcopy(_gaoyuan_2019())
    for name, value in change.items():
        setattr(report, name, value)
    assert layout_of(report) == "jiangsu-budget"
    assert layout_title(report) == "江苏格式"
    assert _compl(report) == []  # not 国有资本经营预算支出表 未公开 (全国通用格式)


def test_an_explicit_budget_profile_is_followed_by_completeness_and_display():
    report = copy.deepcopy(_gaoyuan_2019())
    assert _compl(report, profile="national-budget") == ["国有资本经营预算支出表 未公开（全国通用格式要求公开此表）"]
    assert layout_title(report) == "全国通用格式"
    assert tables_shown(report)[:9] == ("B01", "B02", "B03", "B04", "B05", "B06", "B07", "B08", "B09")


def test_a_final_accounts_profile_for_a_budget_is_refused_in_one_line():
    with pytest.raises(SettingsError, match=r"^--profile: national 是部门决算的完整性规则集，不适用于部门预算"):
        check(copy.deepcopy(_gaoyuan_2019()), params={"profile": "national"})


def test_a_budget_layout_for_final_accounts_is_refused_in_one_line():
    report = read_report(FIXTURES / "nanchang-bigdata-2021.chromium.pdf")
    with pytest.raises(SettingsError, match=r"^--profile: jiangsu-budget 是部门预算的格式，不适用于部门决算"):
        check(report, params={"profile": "jiangsu-budget"})
