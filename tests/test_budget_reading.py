"""The 部门预算 of ../shared/corpus/budgets read by auditlib against their hand transcriptions
(tests/expected/budgets/<folder>.yaml, issue 30): every table found, every amount read as printed,
through the comparison of the 决算 transcriptions (tests/transcription.py).

Every amount of every table of the ten is read as printed (`KNOWN`: no disagreement left) —
Jiangsu's three-part 收支预算总表, group | item 收入预算总表 and levelled 政府采购预算表 and
wanli-2023's five 绩效目标表 forms included; `COUNTS` pins how many tables and amounts that is,
so that a transcription or a reading that loses any fails here.
"""

from __future__ import annotations

import re
from functools import cache

import pytest
import yaml

from auditlib.ingest import read_report
from tests.conftest import CORPUS, ROOT
from tests.transcription import amounts, budget_mapping, disagreements

EXPECTED = ROOT / "tests" / "expected" / "budgets"

MAPPING = budget_mapping()

# the disagreements left per budget, as the comparison words them: none
KNOWN: dict[str, list[str]] = {document.stem: [] for document in sorted(EXPECTED.glob("*.yaml"))}
DOCUMENTS = sorted(KNOWN)
# per budget: (tables printed, amounts printed) — every one found, read and equal
COUNTS = {
    "js-gaoyuan-2017-yusuan": (12, 202), "js-gaoyuan-2018-yusuan": (12, 208), "js-gaoyuan-2019-yusuan": (12, 216),
    "js-jianchayuan-2017-yusuan": (12, 187), "js-jianchayuan-2018-yusuan": (12, 194),
    "sh-pt-fuliyuan-2024-yusuan": (9, 185), "sh-pt-wanli-2023-yusuan": (14, 673), "sh-pt-wanli-2024-yusuan": (9, 875),
    "sh-pt-wanli-2025-yusuan": (9, 875), "sh-pt-wanli-2025-yusuan-draft1": (9, 529),
}


@cache
def _read(document: str):
    expected = yaml.safe_load((EXPECTED / f"{document}.yaml").read_text(encoding="utf-8"))
    assert expected["document"] == document
    return expected, read_report(CORPUS / "budgets" / document / "doc.pdf")


@pytest.mark.parametrize("document", DOCUMENTS)
def test_every_amount_of_the_budget_equals_the_hand_transcription(document):
    expected, report = _read(document)
    assert (report.kind, report.kind_source) == ("预算", "detected")
    codes = {MAPPING.kind.title(t["title"]) for t in expected["tables"]}
    assert (len(expected["tables"]), amounts(expected)) == COUNTS[document]
    assert all(report.tables[code].status in ("parsed", "empty") for code in codes)  # found and read, none unread
    found = disagreements(MAPPING, report, expected)
    assert found == KNOWN[document], f"{document}: {len(found)} disagreements\n" + "\n".join(found)


def test_jiangsu_three_part_grouped_and_levelled_tables_are_keyed_as_printed():
    """收支预算总表's three parts (收入 | 支出·功能分类 | 支出·支出用途, the 支出 totals spanning both
    支出 parts), 收入预算总表's group | item rows and 政府采购预算表's three levels, on gaoyuan-2018."""
    _, report = _read("js-gaoyuan-2018-yusuan")
    b01, b02, b10 = (report.tables[c] for c in ("B01", "B02", "B10"))
    assert b01.value("expense_subtotal", "amount") == b01.value("expense_grand_total", "amount") == 33172.15
    assert [b01.value(k, "amount") for k in ("exp_basic", "exp_project", "exp_reserve", "204", "208", "221")] == [
        18570.82, 11343.27, 3258.06, 26200.88, 2254.76, 4716.51]
    assert set(b01.data.loc[["exp_basic", "221", "expense_subtotal"], "side"]) == {"purpose", "expense"}
    assert b02.value("general_subtotal", "total") == b02.value("general_appropriation", "total") == 33172.15
    assert b02.data.at["general_special", "name"] == "一般公共预算资金·专项收入"
    assert [(k, b10.value(k, "total")) for k in ("total", "L1", "L1.1", "L1.1.1", "L3", "L3.17", "L3.17.2")] == [
        ("total", 4641.62), ("L1", 962.86), ("L1.1", 676.0), ("L1.1.1", 676.0), ("L3", 3139.76),
        ("L3.17", 470.0), ("L3.17.2", 40.0)]
    assert b10.data.at["L3.17.2", "name"] == "其他服务 · 分散自行组织"


def test_project_forms_are_one_table_with_each_projects_amounts():
    """wanli-2023's five 财政项目支出绩效目标填报表: one B11 table, each form's amounts keyed by its
    place, its project named; the five 年度资金申请总额 total 33,513,343 元 (the narrative says 3328.13万元)."""
    _, report = _read("sh-pt-wanli-2023-yusuan")
    b11 = report.tables["B11"]
    annual = b11.data[b11.data["level"] == "annual_total"]
    assert list(annual["label"]) == ["新建万里街道社区公共服务中心", "就业援助基地补贴", "社区环境整治和建设经费",
                                     "各类工作经费", "公共服务设施运行经费"]
    assert annual["amount"].sum() == 33513343
    assert (b11.value("annual_fiscal:5", "amount"), b11.value("annual_total:5", "amount")) == (11419043, 10903043)


def test_two_rows_glued_at_a_page_break_are_read_apart_with_a_note():
    """gaoyuan-2017 收入预算总表: 其他资金 | 小计 ends p12 and | 事业收入 starts p13; the page-break
    join takes the second for the rest of the first ("小计事业收入"): read as the two rows, said."""
    _, report = _read("js-gaoyuan-2017-yusuan")
    b02 = report.tables["B02"]
    assert {"other_funds_subtotal", "other_funds_institution"} <= set(b02.data.index)
    assert any("小计事业收入" in n.note for n in b02.reading_notes)


def test_a_budget_is_read_with_chinese_reading_notes_and_rows_named_as_printed():
    """A budget's reading notes say in Chinese what the reader noticed, at the row as printed
    (the WPS 表格 7 | 11 | 02 row), and the one-row 三公 layout names its rows by their column
    heads, never by internal keys."""
    _, report = _read("sh-pt-fuliyuan-2024-yusuan")
    notes = [(n.table, n.page, n.note) for n in report.reading_notes]
    assert ("B03", 9, "功能分类科目编码印为“7 | 11 | 02”，其类编码有误，按印出的编码读取") in notes
    assert not [n for n in notes if re.search(r"[A-Za-z_]{3,}", n[2])]
    wide = report.tables["B07"].data
    assert list(wide["name"]) == ["“三公”经费合计", "因公出国(境)费", "公务接待费", "公务用车购置及运行费",
                                  "公务用车购置费", "公务用车运行费", "机关运行经费"]
