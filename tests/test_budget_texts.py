"""A budget's converter text never reports a printed table as not published (issue 26).

The text reader reads few of a budget's tables from a converter's text (pdfplumber, pdftotext,
-layout): a table whose title and header are printed must then be `unread` with its reason
(READ.table) or, printed with its header alone, `empty` as the PDF reader reads it — never
`missing`, which COMPL.budget_tables reports as 未公开 (not published), an error an auditor trusts.

The generated national budget (tools/make_budget_pdfs.py; its 政府性基金 and 国有资本经营 tables printed
empty) is committed as converter texts (tests/fixtures/converted/national-*.txt, made with
`tools/convert_texts.py --out tests/fixtures/converted tests/fixtures/budget-pdf/national-calc-nofit.pdf
tests/fixtures/budget-pdf/national-chromium-plain.pdf`): amounts in whole 元, row labels 一、… that
close a budget table's region.  Three real budgets of ../shared/corpus are converted at test time.
"""

from __future__ import annotations

import shutil
from functools import lru_cache
from pathlib import Path

import pytest

from auditlib.ingest import read_report
from auditlib.ingest.bare_tables import READ_NONE
from auditlib.ingest.budget_paragraphs import goes_on, paragraphs
from auditlib.model import Report
from auditlib.rules import check
from tests.conftest import CORPUS, ROOT
from tests.test_converter_texts import differences
from tools.convert_texts import FORMS, convert

CONVERTED = ROOT / "tests" / "fixtures" / "converted"
BUDGET_PDF = ROOT / "tests" / "fixtures" / "budget-pdf"
GENERATED = [(style, form) for style in ("national-calc-nofit", "national-chromium-plain") for form in FORMS]


@lru_cache(maxsize=None)
def _pdf(path: Path) -> Report:
    return read_report(path)


def _absent_only_as_in_pdf(text: Report, pdf: Report) -> None:
    """Every table the PDF prints is in the text's reading: the same status, or `unread` with
    its reason; a table the PDF reads empty is empty; nothing read empty that prints amounts."""
    for code, ref in pdf.tables.items():
        got = text.tables[code]
        if ref.status == "missing":
            assert got.status == "missing", code
        elif ref.status == "empty":
            assert got.status == "empty", (code, got.status, got.problems)
        else:
            assert got.status in (ref.status, "unread"), (code, got.status, ref.status)
            assert got.status != "unread" or got.problems, code


def _compl(report: Report) -> list[str]:
    return [f.message for f in check(report).findings if f.id.startswith("COMPL.budget_tables")]


@pytest.mark.parametrize("style,form", GENERATED, ids=[f"{s}-{f}" for s, f in GENERATED])
def test_a_generated_budget_text_publishes_what_its_pdf_does(style, form):
    text = read_report(CONVERTED / f"{style}.{form}.txt")
    pdf = _pdf(BUDGET_PDF / f"{style}.pdf")
    assert (text.tables["B08"].status, text.tables["B09"].status) == ("empty", "empty")
    _absent_only_as_in_pdf(text, pdf)
    assert _compl(text) == [] == _compl(pdf)


def test_a_whole_yuan_table_not_read_is_unread_not_empty():
    """The 收入总表 in whole 元 (`537000`, no decimal point to count): its numbers say it was not read —
    the PDF's 30 amounts of 15 rows and their 32 code cells (3 类 | 4 款 × 2 | 7 项 × 3)."""
    table = read_report(CONVERTED / "national-chromium-plain.plumber.txt").tables["B02"]
    assert table.status == "unread"
    assert table.problems == [READ_NONE.format(n=62)]


CORPUS_CASES = [("js-gaoyuan-2018-yusuan", "pdftotext"), ("js-gaoyuan-2018-yusuan", "layout"),
                ("js-gaoyuan-2019-yusuan", "pdftotext"), ("js-jianchayuan-2017-yusuan", "plumber")]


@pytest.mark.parametrize("doc,form", CORPUS_CASES, ids=[f"{d}-{f}" for d, f in CORPUS_CASES])
def test_a_real_budget_text_publishes_what_its_pdf_does(doc, form, tmp_path):
    """js-gaoyuan-2018: 十、政府性基金预算财政拨款支出预算表 printed with its header and a blank 合计
    row (empty), its 收支总表 and 财政拨款收支总表 whose first row 一、财政拨款 closed their region
    (unread); js-gaoyuan-2019: "公开 10 表" over its 政府性基金 table (B08, not 公开10表's 决算 table);
    js-jianchayuan-2017: pdfplumber's “ ” of the “三公” title on a line of their own.  Each is unread
    with its reason, or read as the PDF reads it."""
    if form != "plumber":
        assert shutil.which("pdftotext"), "pdftotext missing: apt-get install -y poppler-utils (make test does)"
    path = tmp_path / f"{doc}.{form}.txt"
    path.write_text(convert(CORPUS / "budgets" / doc / "doc.pdf", form), encoding="utf-8")
    text = read_report(path)
    assert text.tables["B08"].status == "empty"
    apart = differences(text, _pdf(CORPUS / "budgets" / doc / "doc.pdf"))
    # unread with a reason, or (jianchayuan-2017's one-row 三公 table, spaced_budget.wide_order) read as the PDF
    assert all(text.tables[c].status == "unread" and text.tables[c].problems or c not in apart
               for c in ("B01", "B04", "B07"))
    assert _compl(text) == []


# a procurement sentence wrapped as a converter leaves it: “…万元。其” / “中：…支出” / a page number /
# the last part's figure, its 。 missing before the next part's heading
WRAPPED = ("六、政府采购预算情况：2021 年政府采购预算总额     96.24   万元。其\n"
           "中：拟采购货物支出 26.80     万元、拟购买服务支出\n"
           "                    7\n"
           "{services}   万元\n")
PROCUREMENT = "六、政府采购预算情况:2021 年政府采购预算总额 96.24 万元。其中:拟采购货物支出 26.80 万元、拟购买服务支出{services} 万元"


def _wrapped(tmp_path: Path, services: str) -> Report:
    """The generated budget's -layout text with the wrapped procurement sentence before 第三部分."""
    text = (CONVERTED / "national-calc-nofit.layout.txt").read_text(encoding="utf-8")
    at = text.index("第三部分 部门预算表\n", text.index("第二部分 部门预算情况说明\n"))
    path = tmp_path / "wrapped.layout.txt"
    path.write_text(text[:at] + WRAPPED.format(services=services) + text[at:], encoding="utf-8")
    return read_report(path)


def _procurement(report: Report) -> list[tuple[str, object, object]]:
    """NARR.budget_procurement's findings: severity, the parts' sum, the total stated."""
    return [(f.severity, f.expected, f.actual) for f in check(report).findings if f.id == "NARR.budget_procurement"]


def test_a_sentence_wrapped_across_lines_is_read_whole(tmp_path):
    """Its lines joined (the page number left out), up to the next part's heading: the total
    96.24 is 货物 26.80 + 服务 69.44, and a 服务 figure that does not add up is found."""
    report = _wrapped(tmp_path, "69.44")
    texts = [p.text for p in paragraphs(report)]
    at = texts.index(PROCUREMENT.format(services="69.44"))
    assert texts[at + 1] == "第三部分部门预算表"
    assert _procurement(report) == []
    assert _procurement(_wrapped(tmp_path, "69.54")) == [("error", 96.34, 96.24)]


@pytest.mark.parametrize("paragraph,line,joined", [
    ("2018 年度政府采购支出预算总额 3,096.24 万元。其", "中:拟采购货物支出 268 万元", True),
    ("江苏省人民检察院 2018 年度收入、支出预算总计", "21,955.35 万元,与上年相比", True),  # no sentence starts so
    ("一般公共预算收入 21,940.96 万元,占", "99.94%;", True),
    ("拟购买服务支出 2,828.24 万元。", "十三、其他重要事项说明", False),  # a sentence ended
    ("预算总额 3,096.24 万元", "十三、其他重要事项说明", False),  # a numbered heading
    ("预算总额 3,096.24 万元", "(一)预算绩效目标设置情况说明", False),
    ("预算总额 3,096.24 万元", "公开 12 表:政府采购支出预算表", False),
    ("预算总额 3,096.24 万元", "物业管理服务部门集中采购 330.00", False),  # a table row
    ("公开 12 表:政府采购支出预算表", "采购品目大类", False),  # no prose
])
def test_what_goes_on_a_paragraph(paragraph, line, joined):
    assert goes_on(paragraph, line) is joined


WRAPPED_CORPUS = [("js-jianchayuan-2018-yusuan", "layout"), ("js-jianchayuan-2017-yusuan", "layout")]


@pytest.mark.parametrize("doc,form", WRAPPED_CORPUS, ids=[f"{d}-{f}" for d, f in WRAPPED_CORPUS])
def test_a_real_wrapped_procurement_sentence_adds_up(doc, form, tmp_path):
    """js-jianchayuan-2018: “…总额 3,096.24 万元。其” / “中：拟采购货物支出 268 万元、拟购买服务支出” /
    “2,828.24 万元。”; 2017: “…2889.8 万元。其中” / “拟购买货物 334 万元；…拟购买服务” / “2555.8 万元。”
    — read as the PDF reads them: the parts add up to the total."""
    if form != "plumber":
        assert shutil.which("pdftotext"), "pdftotext missing: apt-get install -y poppler-utils (make test does)"
    path = tmp_path / f"{doc}.{form}.txt"
    path.write_text(convert(CORPUS / "budgets" / doc / "doc.pdf", form), encoding="utf-8")
    report = read_report(path)
    result = check(report)
    totals = [f.claim for f in report.prose.budget if f.subject == "procurement_total"]
    assert [result.verdicts[c].verdict for c in totals] == ["ok"]
    assert _procurement(report) == []


def test_a_share_after_an_amount_run_in_after_its_zhan_is_the_amount_befores(tmp_path):
    """js-jianchayuan-2017 as plain pdftotext leaves it: “基本支出 / 12323.48 万元，占 / 项目支出 /
    5533 万元，占 / 68.48 %； / 30.74 %；” — joined, “基本支出12323.48 万元,占项目支出5533 万元,占68.48%;”.
    An amount printed after 占 (a base named, or two items run together) heads no share: 68.48 % is
    基本支出's 12323.48 of the 17996.68 the list divides, as the PDF says — no false error."""
    assert shutil.which("pdftotext"), "pdftotext missing: apt-get install -y poppler-utils (make test does)"
    path = tmp_path / "js-jianchayuan-2017.pdftotext.txt"
    path.write_text(convert(CORPUS / "budgets" / "js-jianchayuan-2017-yusuan" / "doc.pdf", "pdftotext"), encoding="utf-8")
    report = read_report(path)
    shares = [c for c in check(report).claims if c.kind == "share" and c.value == 68.48]
    assert [(c.verdict, c.expected) for c in shares] == [("ok", 68.476)]
    assert not [f for f in check(report).findings if f.id == "NARR.budget_share" and f.actual == 68.48]
