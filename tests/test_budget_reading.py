"""The 部门预算 of ../shared/corpus/budgets read by auditlib against their hand transcriptions
(tests/expected/budgets/<folder>.yaml, issue 30): every table found, every amount read as printed,
through the comparison of the 决算 transcriptions (tests/transcription.py).

`KNOWN` lists, per budget, the disagreements left (each explained); Jiangsu's three tables
without a reader yet (NOT_READ_YET) are left out of the comparison but must be `unread`.
"""

from __future__ import annotations

import re

import pytest
import yaml

from auditlib.ingest import read_report
from tests.conftest import CORPUS, ROOT
from tests.transcription import budget_mapping, disagreements

EXPECTED = ROOT / "tests" / "expected" / "budgets"

MAPPING = budget_mapping()

# what the reader does not read yet, as the comparison words it (each one a known limit)
KNOWN: dict[str, list[str]] = {
    "sh-pt-wanli-2024-yusuan": [],
    "sh-pt-wanli-2025-yusuan": [],
    "sh-pt-wanli-2025-yusuan-draft1": [],  # LibreOffice: its unlabelled .46 row read too
    "sh-pt-fuliyuan-2024-yusuan": [],  # WPS 表格: the 7 | 11 | 02 row read as printed
    # its five 财政项目支出绩效目标填报表 (B11, project forms) have no spec yet
    "sh-pt-wanli-2023-yusuan": ["财政项目支出绩效目标填报表: title not in the schema (test mapping)"] * 5,
    # Word/WPS, several tables a page: all but 收支预算总表 (three parts), 收入预算总表 (group | item
    # labels) and 政府采购预算表 (three levels), whose readers are not written yet (`unread`)
    "js-gaoyuan-2017-yusuan": [
        # "110.00" comes out of the text layer as "1 10.00" on a line of its own: left unread
        "十、2017 年度江苏省高级人民法院部门一般公共预算机关运行经费支出预算表 (p16) · status: transcribed parsed vs read unread",
        "十、2017 年度江苏省高级人民法院部门一般公共预算机关运行经费支出预算表 · 30229 福利费 (p17) · 机关运行经费支出: "
        "transcribed 110.00 vs read blank"],
    "js-gaoyuan-2018-yusuan": [],
    "js-gaoyuan-2019-yusuan": [
        # "合 计 | | 0": a row whose one figure is 0 passes for a 栏次 row (is_seq_row)
        "政府性基金预算财政拨款支出预算表 (p14) · status: transcribed parsed vs read empty",
        "政府性基金预算财政拨款支出预算表 · 合计 (p14): printed row missing from the model",
        "政府性基金预算财政拨款支出预算表 · 合计 (p14) · 金额: transcribed 0.00 vs read blank"],
    "js-jianchayuan-2017-yusuan": [],
    "js-jianchayuan-2018-yusuan": [],
}
DOCUMENTS = sorted(KNOWN)
NOT_READ_YET = {"B01", "B02", "B10"}  # Jiangsu layouts without a reader; Shanghai's B01 is read


def _read(document: str):
    expected = yaml.safe_load((EXPECTED / f"{document}.yaml").read_text(encoding="utf-8"))
    assert expected["document"] == document
    return expected, read_report(CORPUS / "budgets" / document / "doc.pdf")


@pytest.mark.parametrize("document", DOCUMENTS)
def test_every_amount_of_the_budget_equals_the_hand_transcription(document):
    expected, report = _read(document)
    assert (report.kind, report.kind_source) == ("预算", "detected")
    found = disagreements(MAPPING, report, expected)
    if document.startswith("js-"):
        found = [d for d in found if MAPPING.kind.title(d.split(" · ")[0].split(" (p")[0].split(":")[0]) not in NOT_READ_YET]
        assert all(report.tables[code].status == "unread" for code in NOT_READ_YET)  # never passed off as read
    assert found == KNOWN[document], f"{document}: {len(found)} disagreements\n" + "\n".join(found)


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
