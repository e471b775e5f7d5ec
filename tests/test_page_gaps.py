"""A page missing inside a table (READ.page, auditlib/rules/pagegaps.py).

Real documents with one page cut out at test time (nothing of the corpus is committed): the
万里街道 2024 budget without page 12 (部门收入预算总表 runs over pages 11–15; page 12 holds
20138 02 … 208 05 01, so page 13's 208 05 02 … stand without their 208 and 20805) and the
普陀区规划和自然资源局 2024 决算 without page 9 (公开02表 收入决算表 prints its 合计 first on page 8
and its 212 and 221 on page 9; page 10 begins 公开03表).  Each cut gives one error naming the table
and the pages, and what the lost page takes with it — 合计 ≠ Σ类, the orphaned codes — are its
symptoms; the whole documents give none.  The budget without page 13 (the rest of 208 and all
of 210) is one such error too: page 14 begins with 212, whose 类 is printed — no orphan — but 208
and 20805 end short of their children at the break and 合计 exceeds Σ类.  A misprinted code at the
top of a page, rows left out of a table as published and a 类 short of its children under a 合计
that holds are the table rules' errors, never a missing page (tools/page_gap_sweep.py sweeps the
corpus and the matrix whole and cut).

A table continued to the right (issue 26: tests/fixtures/wide, Calc without fit-to-width) that
lost the page holding the right-hand columns of one page's rows read `parsed` with those cells
blank: silently (公开04表 without its 合计 … 国有资本经营 for the rows of page 16, 公开02表 without
its 上级补助收入 … 其他收入 for those of page 8) or with a false LOC.candidates (the rows of page
15).  It is one READ.page error too, in both print orders; the whole renderings give none
(test_wide: the findings of the text form).
"""

from __future__ import annotations

import copy
from collections import Counter
from functools import cache

import pytest

from auditlib.ingest import read_report
from auditlib.rules import check
from auditlib.rules.pagegaps import missing_pages
from tests.badpdf import cut
from tests.conftest import CORPUS, ROOT
from tests.rendered import checked, read

# one worker runs all its tests (--dist loadgroup), so its module fixtures are made once, not
# once on each worker that runs some of them (its cut documents read and checked, ~40 s and ~28 s at load 8 on 2 cores)
pytestmark = pytest.mark.xdist_group("page-gaps")

# document, page cut out, its pages, the table, what the finding says of the pages, its page
CUTS = {
    "budget": ("budgets/sh-pt-wanli-2024-yusuan/doc.pdf", 12, 33, "B02", "第 11 页与第 12 页之间", 12),
    # page 13 holds 208 05 02 … and the whole of 210; page 14 begins with 212, printed: no orphan
    "inside": ("budgets/sh-pt-wanli-2024-yusuan/doc.pdf", 13, 33, "B02", "第 12 页与第 13 页之间", 13),
    "final": ("shanghai-putuo-planning-2024/doc.pdf", 9, 30, "T02", "第 8 页之后", 8),
}

# a rendering of tests/fixtures/wide, the page cut out, the table, the page of the rows it continued
# (公开02表's right-hand columns are 0.00 throughout: lost without a failing sum, told by the
# other rows printing every cell of them; 公开06表's right half, labels and figures on pages of
# their own, is no lost continuation)
RIGHT = [("nanchang-bigdata-2021.calc-down", 17, "T04", 15), ("nanchang-bigdata-2021.calc-down", 18, "T04", 16),
         ("nanchang-bigdata-2021.calc-down", 10, "T02", 8), ("nanchang-bigdata-2021.calc-across", 22, "T04", 21)]


@cache
def _read(doc: str):
    return read_report(CORPUS / doc)


def _whole(name: str):
    return _read(CUTS[name][0])


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> dict:
    """Each document's check results whole and cut, and the cut report."""
    folder = tmp_path_factory.mktemp("page-gaps")
    out = {}
    for name, (doc, page, pages, *_rest) in CUTS.items():
        kept = [p for p in range(1, pages + 1) if p != page]
        cut_report = read_report(cut(CORPUS / doc, folder / f"{name}.pdf", kept))
        out[name] = {"whole": check(_whole(name)), "cut": check(cut_report), "cut_report": cut_report}
    return out


def _errors(result) -> Counter:
    return Counter((f.id, f.location) for f in result.findings if f.severity == "error")


@pytest.mark.parametrize("name", CUTS)
def test_a_cut_page_is_one_error_naming_the_table_and_the_pages(results, name):
    *_doc, table, between, page = CUTS[name]
    gaps = [f for f in results[name]["cut"].findings if f.id == "READ.page"]
    assert [(f.severity, f.tables, f.page) for f in gaps] == [("error", [table], page)]
    assert f"可能缺页（{between}）" in gaps[0].message
    assert table in results[name]["cut"].doubtful  # the document is not fully checked


@pytest.mark.parametrize("name", CUTS)
def test_what_the_page_takes_with_it_are_its_symptoms(results, name):
    table = CUTS[name][3]
    cut_result, whole = results[name]["cut"], results[name]["whole"]
    gap = next(f for f in cut_result.findings if f.id == "READ.page")
    assert _errors(cut_result) - _errors(whole) == Counter({("READ.page", gap.location): 1})
    assert not [f for f in cut_result.findings if f.id.startswith("LOC.") and table in f.tables]
    mine = [f for f in cut_result.findings if table in f.tables and f is not gap]
    assert mine and all((f.severity, f.cause) == ("warning", gap.key) for f in mine)
    assert sorted(gap.symptoms) == sorted(f.key for f in mine)


def test_the_orphaned_codes_of_the_budget_are_symptoms_not_errors(results):
    found = [f for f in results["budget"]["cut"].findings if f.id == "META.code_parent"]
    assert sorted(f.actual for f in found) == ["2080502", "2080505", "2080506", "2080599",
                                               "20807", "20816", "20825", "20899"]
    assert {f.cause for f in found} == {"READ.page@B02:11"}


@pytest.mark.parametrize("name", CUTS)
def test_the_whole_documents_have_no_missing_page(results, name):
    assert not [f for f in results[name]["whole"].findings if f.id == "READ.page"]


def test_a_misprinted_code_at_the_top_of_a_page_is_no_missing_page():
    # 2013802 (the first row of 收入预算总表's page 12) printed 2083802: an orphan right after a
    # page break, but 合计 = Σ类 still holds — a misprint loses no amount
    report = copy.deepcopy(_whole("budget"))
    report.tables["B02"].data.at["2013802", "code"] = "2083802"
    assert missing_pages(report) == []
    found = check(report).findings
    assert not [f for f in found if f.id == "READ.page"]
    assert [(f.severity, f.actual) for f in found if f.id == "META.code_parent"] == [("error", "2083802")]


def _the_tables_own_error(report, code: str) -> None:
    """No page is named missing: the shortfall stays the table's own error (hierarchy or total)."""
    assert missing_pages(report) == []
    found = check(report).findings
    assert not [f for f in found if f.id == "READ.page"]
    assert [f for f in found if f.severity == "error" and code in f.tables]


def test_a_page_lost_inside_a_class_names_the_class_short_of_its_children(results):
    # page 12 ends with 208 05 01 and page 13 (page 14 whole) begins with 212: 208 and 20805
    # exceed what is printed under them, and 合计 exceeds Σ类 by 210's 3,223,657.00
    gap = next(f for f in results["inside"]["cut"].findings if f.id == "READ.page")
    assert "“208 社会保障和就业支出”比表中所列下级科目之和多 12,369,094.00" in gap.message
    assert "“20805 行政事业单位养老支出”比表中所列下级科目之和多 6,991,850.00" in gap.message
    assert "下一页首行“212 城乡社区支出”已是另一类" in gap.message
    assert "比各类之和 152,987,466.00 多 3,223,657.00" in gap.message


def test_a_class_short_of_its_children_at_a_break_under_a_total_that_holds_is_no_missing_page(results):
    # the cut 收入预算总表 with its 合计 equal to Σ类 in every column: 208 short of its 款 is then
    # one sign alone (a misprinted 款, rows left out as published) — the hierarchy rule's error
    report = copy.deepcopy(results["inside"]["cut_report"])
    t = report.tables["B02"]
    classes = t.data[t.data["code"].astype(str).str.fullmatch(r"\d{3}")]
    for c in t.columns:
        t.data.at[t.spec.total_key, c] = classes[c].fillna(0.0).sum()
    _the_tables_own_error(report, "B02")


def test_rows_left_out_of_a_table_as_published_are_no_missing_page():
    # 公开02表 without its 210 rows (the last of page 8): 合计 ≠ Σ类, but the table goes on
    # with 212 on page 9 and ends on its last page's last row — the hierarchy rule's error
    report = copy.deepcopy(_whole("final"))
    t02 = report.tables["T02"]
    t02.data = t02.data.drop(index=["210", "21011", "2101101", "2101102"])
    _the_tables_own_error(report, "T02")


def test_rows_left_out_at_the_end_of_a_table_as_published_are_no_missing_page():
    # 公开02表 without its 221 rows (the last of its last page): 合计 ≠ Σ类 and other tables
    # print 221, but the table ends mid-page, not at the foot of a full one
    report = copy.deepcopy(_whole("final"))
    t02 = report.tables["T02"]
    t02.data = t02.data.drop(index=["221", "22102", "2210201", "2210203"])
    assert missing_pages(report) == []


def test_a_total_too_large_at_the_foot_of_a_page_is_no_missing_page(results):
    # the cut 公开02表 once no other table prints a 类 it lacks: its 合计 alone is off (a misprint)
    report = copy.deepcopy(results["final"]["cut_report"])
    for code, t in report.tables.items():
        if code != "T02" and len(t.data) and "code" in t.data:
            t.data = t.data[~t.data["code"].astype(str).str[:3].isin(["212", "220", "221"])]
    assert missing_pages(report) == []


@pytest.fixture(scope="module")
def right_cuts(tmp_path_factory) -> dict:
    """Each rendering of RIGHT with its page cut out, read."""
    folder = tmp_path_factory.mktemp("right")
    out = {}
    for name, page, *_rest in RIGHT:
        src = f"tests/fixtures/wide/{name}.pdf"
        kept = [p for p in range(1, read(src).pages + 1) if p != page]
        out[(name, page)] = read_report(cut(ROOT / src, folder / f"{name}-{page}.pdf", kept))
    return out


@pytest.mark.parametrize("name, page, table, rows", RIGHT, ids=[f"{n}-{p}" for n, p, *_ in RIGHT])
def test_a_lost_continuation_to_the_right_is_one_error_and_its_sums_are_symptoms(right_cuts, name, page, table, rows):
    result = check(right_cuts[(name, page)])
    gaps = [f for f in result.findings if f.id == "READ.page"]
    assert [(f.severity, f.tables, f.page) for f in gaps] == [("error", [table], rows)]
    assert f"可能缺页（第 {rows} 页各行向右的续页）" in gaps[0].message
    assert _errors(result) - _errors(checked(f"tests/fixtures/wide/{name}.pdf")) == \
        Counter({("READ.page", gaps[0].location): 1})
    assert all((f.severity, f.cause) == ("warning", gaps[0].key) for f in result.findings
               if table in f.tables and f is not gaps[0])


def test_a_table_printing_blanks_for_zeros_is_told_by_a_total_among_the_rows(right_cuts):
    # the cut 公开04表 with every 0.00 left blank (as many printers leave it): the other rows no
    # longer print every cell, so what tells the lost page is the 合计 row among the rows without
    # their columns (本年支出合计 on page 16); the rows of page 15 hold none, and are not told
    for (name, page, table, rows), told in ((RIGHT[1], True), (RIGHT[0], False)):
        report = copy.deepcopy(right_cuts[(name, page)])
        t = report.tables[table]
        for c in t.columns:
            t.data.loc[t.data[c] == 0, c] = None
        gaps = [f for f in check(report).findings if f.id == "READ.page"]
        assert [(f.tables, f.page) for f in gaps] == ([([table], rows)] if told else [])
        assert not told or "本年支出合计 行在这些栏也是空的" in gaps[0].message
