"""The text that PDF converters leave, read like the PDF (issue 26).

pdfplumber's `extract_text`, poppler's `pdftotext` and `pdftotext -layout` print a table row
as words separated by spaces, a blank cell as nothing, a wrapped label on lines of its own
(auditlib/ingest/spaced*.py).  Each converter's text of a PDF must give the model the PDF
gives — same tables, same rows, every amount — or leave a table `unread` with its READ.table
error: a table read differently from its PDF is a silent misreading and fails.

Texts of the generated matrix reports (synth-000011/12, four producers) are committed under
tests/fixtures/converted/ (tools/convert_texts.py); the Shanghai PDFs of ../shared/corpus are
real documents, converted at test time into a temporary folder (pdfplumber is a dependency,
pdftotext comes with poppler-utils, which `make test` installs).
"""

from __future__ import annotations

import io
import json
import shutil
from functools import lru_cache
from pathlib import Path

import openpyxl
import pytest
from markupsafe import escape

from auditlib.ingest import read_report
from auditlib.ingest.spaced_bind import BOUND
from auditlib.model import Report
from auditlib.report import html
from auditlib.report.fidelity import compare
from auditlib.report.formats import render
from auditlib.report.xlsx import xlsx_bytes
from auditlib.rules import check
from tests.conftest import CORPUS, ROOT
from tools.convert_texts import FORMS, convert

MATRIX = ROOT / "tests" / "fixtures" / "matrix"
CONVERTED = ROOT / "tests" / "fixtures" / "converted"
MANIFEST = [e for e in json.loads((MATRIX / "manifest.json").read_text(encoding="utf-8"))
            if "/synth-" in e["pdf"]]
SHANGHAI = ("shanghai-putuo-planning-2024", "shanghai-putuo-socialwork-2024", "shanghai-template-2024")


def differences(candidate: Report, reference: Report) -> dict[str, list[str]]:
    """Per table, how `candidate` differs from `reference`: status, row keys, and every
    amount either side prints (the fidelity comparison run both ways).  Empty: the same."""
    out: dict[str, list[str]] = {}
    there = {t.code: t for t in compare(candidate, reference)}
    back = {t.code: t for t in compare(reference, candidate)}
    for code, ref in reference.tables.items():
        cand = candidate.tables[code]
        found = []
        if cand.status != ref.status:
            found.append(f"status {cand.status}, expected {ref.status}")
        if set(cand.data.index) != set(ref.data.index):
            found.append(f"rows {sorted(set(cand.data.index) ^ set(ref.data.index), key=str)[:6]}")
        found += [f"{row}.{col}: expected {want}, read {got}" for row, col, want, got in there[code].differing[:3]]
        found += [f"{row}.{col}: read {want}, not printed" for row, col, want, _ in back[code].differing[:3]]
        if found:
            out[code] = found
    return out


def misread(candidate: Report, reference: Report) -> dict[str, list[str]]:
    """The tables `candidate` reads differently from `reference` without saying so: every
    difference is allowed only in a table it reports `unread` (READ.table)."""
    return {code: d for code, d in differences(candidate, reference).items()
            if candidate.tables[code].status != "unread" or reference.tables[code].status == "unread"}


@lru_cache(maxsize=None)
def _read(path: Path) -> Report:
    return read_report(path)


def _unread_are_reported(report: Report) -> None:
    errors = {f.tables[0] for f in check(report).findings if f.id == "READ.table"}
    assert errors == {c for c, t in report.tables.items() if t.status == "unread"}


# --------------------------------------------------------------------------- the comparison itself

def test_the_comparison_sees_a_changed_amount_a_lost_row_and_a_status():
    reference = _read(MATRIX / "synth-000011.txt")
    candidate = read_report(MATRIX / "synth-000011.txt")
    assert differences(candidate, reference) == {}
    t05 = candidate.tables["T05"]
    t05.data.iat[0, t05.data.columns.get_loc("total")] += 0.01
    t03 = candidate.tables["T03"]
    t03.data = t03.data.iloc[:-1]
    candidate.tables["T07"].status = "unread"
    found = differences(candidate, reference)
    assert set(found) == {"T03", "T05", "T07"}
    assert any("expected" in d for d in found["T05"]) and any(d.startswith("rows") for d in found["T03"])
    assert set(misread(candidate, reference)) == {"T03", "T05"}  # T07 says it is unread


# --------------------------------------------------------------------------- the generated reports

# (tables read as the PDF is, amounts equal to the PDF's) per (report, producer) and form;
# every other table is `unread` with its READ.table error, never read differently
READ = {
    "synth-000011.calc": {"plumber": (10, 669), "pdftotext": (7, 444), "layout": (10, 669)},
    "synth-000011.writer": {"plumber": (10, 669), "pdftotext": (7, 444), "layout": (10, 669)},
    "synth-000011.chromium": {"plumber": (10, 669), "pdftotext": (7, 444), "layout": (10, 669)},
    "synth-000011.blankzero": {"plumber": (7, 215), "pdftotext": (0, 0), "layout": (6, 144)},
    "synth-000012.calc": {"plumber": (10, 771), "pdftotext": (7, 546), "layout": (10, 771)},
    "synth-000012.writer": {"plumber": (10, 771), "pdftotext": (6, 521), "layout": (10, 771)},
    "synth-000012.chromium": {"plumber": (10, 771), "pdftotext": (6, 521), "layout": (10, 771)},
    "synth-000012.blankzero": {"plumber": (7, 271), "pdftotext": (1, 12), "layout": (6, 155)},
}
CASES = [(e, form) for e in MANIFEST for form in FORMS]


def measured(candidate: Report, reference: Report) -> tuple[int, int]:
    """(tables equal to the reference's, amounts of the reference read equal)."""
    return (sum(c not in differences(candidate, reference) for c in reference.tables),
            sum(t.equal for t in compare(candidate, reference)))


def _name(entry: dict) -> str:
    return Path(entry["pdf"]).stem


@pytest.mark.parametrize("entry,form", CASES, ids=[f"{_name(e)}-{f}" for e, f in CASES])
def test_matrix_text_reads_as_the_pdf(entry, form):
    text = CONVERTED / f"{_name(entry)}.{form}.txt"
    candidate, reference = read_report(text), _read(ROOT / entry["reference"])
    assert _read(ROOT / entry["pdf"]).tables.keys() == reference.tables.keys()
    assert misread(candidate, reference) == {}
    assert measured(candidate, reference) == READ[_name(entry)][form]
    _unread_are_reported(candidate)


def test_the_committed_texts_are_what_the_converters_leave(tmp_path):
    # one of them converted again: the fixtures follow tools/convert_texts.py
    pdf = ROOT / MANIFEST[0]["pdf"]
    assert convert(pdf, "plumber") == (CONVERTED / f"{pdf.stem}.plumber.txt").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- the Shanghai PDFs

SHANGHAI_READ = {  # of 308, 205 and 0 amounts
    "shanghai-putuo-planning-2024": {"plumber": (9, 233), "pdftotext": (4, 75), "layout": (10, 308)},
    "shanghai-putuo-socialwork-2024": {"plumber": (10, 205), "pdftotext": (4, 0), "layout": (10, 205)},
    "shanghai-template-2024": {"plumber": (10, 0), "pdftotext": (4, 0), "layout": (10, 0)},
}
SHANGHAI_CASES = [(doc, form) for doc in SHANGHAI for form in FORMS]


@pytest.mark.parametrize("doc,form", SHANGHAI_CASES, ids=[f"{d}-{f}" for d, f in SHANGHAI_CASES])
def test_shanghai_text_reads_as_the_pdf(doc, form, tmp_path):
    if form != "plumber":
        assert shutil.which("pdftotext"), "pdftotext missing: apt-get install -y poppler-utils (make test does)"
    pdf = CORPUS / doc / "doc.pdf"
    text = tmp_path / f"{doc}.{form}.txt"
    text.write_text(convert(pdf, form), encoding="utf-8")
    candidate, reference = read_report(text), _read(pdf)
    assert misread(candidate, reference) == {}
    assert measured(candidate, reference) == SHANGHAI_READ[doc][form]
    _unread_are_reported(candidate)


# --------------------------------------------------------------------------- blank cells absent

BLANKZERO = CONVERTED / "synth-000011.blankzero.plumber.txt"


def test_blank_cells_are_bound_by_the_tables_identities():
    # 公开05表 prints "224.13 224.13" for 208: 合计 and 基本支出, or 合计 and 项目支出?  Only one
    # choice over all rows makes 合计 = Σ类, 类 = Σ款 = Σ项 and 合计 = 基本 + 项目 hold
    got, want = read_report(BLANKZERO), _read(MATRIX / "synth-000011.blankzero.txt")
    found = differences(got, want)
    assert "T05" not in found and "T08" not in found
    assert got.tables["T05"].value("208", "basic") == 224.13 and got.tables["T05"].value("208", "project") is None
    # 公开02表: 16.34, 232.73 and 0.19 stand in three of six source columns, blank in every
    # other row: any three make its own identities hold; 公开01表's income rows (事业收入 16.34,
    # 经营收入 232.73, 附属单位上缴收入 0.19, 上级补助/其他收入 blank) leave one
    assert "T02" not in found
    assert [got.tables["T02"].value("total", c) for c in ("institution", "operating", "affiliated")] == [16.34, 232.73, 0.19]
    # 公开04表: 年末结转和结余 "13.22 1.05 12.17" — two of three funds; each fund's opening +
    # income = expenditure + closing (across the halves) leaves one
    assert "T04" not in found
    assert got.tables["T04"].value("closing_balance", "general") == 1.05
    assert got.tables["T04"].value("closing_balance", "soe") is None


def test_a_table_its_identities_bound_says_so_in_every_output():
    """The tables whose figures the identities placed carry a reading note saying those checks
    cannot catch an error in them: in the JSON, the text, the HTML overview and table, the
    working paper's sheet — and it is no finding (none counted, none says it)."""
    result = check(read_report(BLANKZERO))
    r = result.report
    assert [(n.table, n.line) for n in r.reading_notes if n.note == BOUND] == [
        ("T02", 107), ("T04", 270), ("T05", 365), ("T08", 546)]
    data = json.loads(render(result, "json"))
    assert {n["table"] for n in data["reading_notes"] if n["note"] == BOUND} == {"T02", "T04", "T05", "T08"}
    assert not [f for f in data["findings"] if "勾稽关系确定" in f["message"]]
    assert data["summary"]["errors"] + data["summary"]["warnings"] + data["summary"]["infos"] == len(data["findings"])
    assert f"  公开05表 第 365 行：{BOUND}" in render(result, "text").splitlines()
    assert str(escape(BOUND)) in html.overview(result).html
    assert str(escape(BOUND)) in html.table_view(r.tables["T05"], result.findings, report=r).html
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(result)))
    sheet = next(ws for ws in book.worksheets if ws.title.startswith("公开05表"))
    assert f"读取说明：{BOUND}" in [c.value for row in sheet.iter_rows() for c in row]


def _changed(tmp_path: Path, old: str, new: str) -> Report:
    """The blank-cell fixture with one printed line changed."""
    text = BLANKZERO.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path = tmp_path / "changed.txt"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return read_report(path)


def test_other_tables_bind_only_what_they_print(tmp_path):
    # 公开01表 without its 事业收入 figure: 16.34 may stand in no column of 公开02表's 合计 row
    # any more (公开01表 says each is blank), so 公开02表 is not read — never bound anyway
    got = _changed(tmp_path, "五、事业收 5 16.34 五、教育支 36", "五、事业收 5 五、教育支 36")
    assert got.tables["T02"].status == "unread"
    assert any(p.startswith("公开02表") and "没有一种金额与栏目的对应" in p for p in got.problems)
    _unread_are_reported(got)


def test_a_fund_that_does_not_balance_leaves_t04_unread(tmp_path):
    # 年初 一般公共预算 2.70 instead of 2.07: no fund of 13.22's parts makes the general fund
    # balance (2.70 + 756.57 = 757.59 + 1.05 + 0.63), so 公开04表 is not read
    got = _changed(tmp_path, "一、一般公 29 2.07 61", "一、一般公 29 2.70 61")
    assert got.tables["T04"].status == "unread"
    assert any(p.startswith("公开04表") and "没有一种金额与栏目的对应" in p for p in got.problems)
    _unread_are_reported(got)


def test_the_total_row_binds_its_classes_where_it_stands(tmp_path):
    # 公开05表 with its 合计 row printed last (as WPS prints it): still 合计 = Σ类
    text = BLANKZERO.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith("合计 757.59 632.11 125.48"))
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("注"))
    moved = lines[:start] + lines[start + 1:end] + [lines[start]] + lines[end:]
    path = tmp_path / "last.txt"
    path.write_text("".join(moved), encoding="utf-8")
    got, want = read_report(path), _read(MATRIX / "synth-000011.blankzero.txt")
    assert "T05" not in differences(got, want)


def test_a_binding_no_identity_allows_is_not_read(tmp_path):
    # 20805 printed 224.31 instead of 224.13: no choice of columns makes 208 = Σ款 hold any
    # more, and a misprint cannot be told from a misbinding, so 公开05表 is unread
    text = BLANKZERO.read_text(encoding="utf-8").replace("20805 行政事业单 224.13 224.13", "20805 行政事业单 224.31 224.31")
    assert text != BLANKZERO.read_text(encoding="utf-8")
    path = tmp_path / "misprint.txt"
    path.write_text(text, encoding="utf-8")
    got = read_report(path)
    assert got.tables["T05"].status == "unread"
    assert any(p.startswith("公开05表") and "没有一种金额与栏目的对应" in p for p in got.problems)
    _unread_are_reported(got)


# --------------------------------------------------------------------------- plain pdftotext's flow

WRITER = CONVERTED / "synth-000011.writer.pdftotext.txt"
CALC = CONVERTED / "synth-000011.calc.pdftotext.txt"
T05 = "一般公共预算财政拨款支出决算表\n编制单位"  # where Writer's 公开05表 starts
T05_CODES = "20805\n208050\n2\n208050\n5\n"  # and the codes of its page 1, in a block


def _edited(tmp_path: Path, source: Path, old: str, new: str, after: str = "") -> Report:
    """`source` with the first `old` after `after` replaced by `new`, read."""
    text = source.read_text(encoding="utf-8")
    at = text.index(old, text.index(after) if after else 0)
    path = tmp_path / "edited.txt"
    path.write_text(text[:at] + new + text[at + len(old):], encoding="utf-8")
    return read_report(path)


def test_a_coded_table_is_read_from_its_streams_of_codes_and_figures():
    # Writer's 公开05表 without -layout: its codes in a block above the header, wrapped
    # ("208050" / "2"), its names in another, its figures row by row after both — the rows
    # are the 合计 and the codes in code order, the figures fill them row by row, and only
    # that reading makes 合计 = Σ类, 类 = Σ款 = Σ项 and 合计 = 基本 + 项目 hold
    text = WRITER.read_text(encoding="utf-8")
    assert text.index(T05) < text.index(T05_CODES, text.index(T05)) < text.index("757.59", text.index(T05))
    got, want = read_report(WRITER), _read(MATRIX / "synth-000011.txt")
    assert "T05" not in differences(got, want)
    assert got.tables["T05"].value("2080505", "basic") == 14.47
    assert got.tables["T05"].value("total", "project") == 125.48


def test_codes_of_one_parent_printed_out_of_order_leave_the_table_unread(tmp_path):
    # 2080505 printed before 2080502: the rows may not be in code order, and nothing else
    # tells which of two sibling rows a run of figures is
    got = _edited(tmp_path, WRITER, T05_CODES, "20805\n208050\n5\n208050\n2\n", after=T05)
    assert got.tables["T05"].status == "unread"
    assert any(p.startswith("公开05表") and "科目编码的先后与编码顺序不符" in p for p in got.problems)
    _unread_are_reported(got)


def test_a_figure_no_order_of_the_stream_agrees_with_leaves_the_table_unread(tmp_path):
    # 2080505's 基本支出 printed 14.74: 20805 = Σ项 holds under no order of the figures
    got = _edited(tmp_path, WRITER, "14.47", "14.74", after=T05)
    assert got.tables["T05"].status == "unread"
    assert any(p.startswith("公开05表") and "金额按行或按栏排列都不能唯一地" in p for p in got.problems)
    _unread_are_reported(got)


def test_a_table_of_counts_printed_a_cell_a_line_is_read_by_its_rows():
    got, want = read_report(CALC), _read(MATRIX / "synth-000011.txt")
    assert "T10" not in differences(got, want)
    assert got.tables["T10"].value("vehicle_confidential", "amount") == 2


def test_rows_whose_numbers_do_not_run_in_order_are_not_read(tmp_path):
    # 4. 应急保障用车 with 行次 9: the rows read back number 1 … 4, 9, 6 …: not certain
    got = _edited(tmp_path, CALC, "4. 应急保障用车\n\n5\n", "4. 应急保障用车\n\n9\n")
    assert got.tables["T10"].status == "unread"
    assert any(p.startswith("公开10表") and "行次不连续递增" in p for p in got.problems)
    _unread_are_reported(got)


# --------------------------------------------------------------------------- a table over a page break

WRITER12 = CONVERTED / "synth-000012.writer.pdftotext.txt"
T02 = "收入决算表\n公开 02 表"  # where Writer's 公开02表 starts
T03 = "支出决算表\n公开 03 表"
CUT = "22401\n224010\n\n\f"  # 2240101's head at the foot of page 2 …
RESUMED = "\n\n1\n224010\n2\n\n"  # … its tail "1" on page 3, above 2240102's "224010" / "2"


def test_a_code_cut_by_a_page_break_is_read_as_one_code():
    # Writer's 公开02表 without -layout: row 2240101 broken over the page break, its code
    # wrapped as "224010" (page 2) / "1" (page 3, after the repeated header); read as one
    # code, its figures (printed on page 2) its own
    text = WRITER.read_text(encoding="utf-8")
    start = text.index(T02)
    assert text.index(CUT, start) < text.index(RESUMED, start) < text.index(T03)
    got, want = read_report(WRITER), _read(MATRIX / "synth-000011.txt")
    assert "T02" not in differences(got, want)
    assert got.tables["T02"].value("2240101", "total") == 129.90
    assert got.tables["T02"].value("2240101", "institution") == 16.34


def test_a_code_tail_two_lines_could_be_leaves_the_table_unread(tmp_path):
    # a second lone "1" above a code on page 3: which one ends 224010 cannot be told, so
    # some row's code is not known (dropping the head would read 2240101's figures as
    # 2240102's and 2240102's as 2240103's, every identity holding): 公开02表 is unread
    got = _edited(tmp_path, WRITER, RESUMED, "\n\n1\n224010\n2\n\n1\n224010\n3\n\n", after=T02)
    assert got.tables["T02"].status == "unread"
    assert any(p.startswith("公开02表") and "有科目编码被截断" in p for p in got.problems)
    _unread_are_reported(got)


def test_a_page_printed_right_hand_columns_first_is_read_by_its_rows_sums():
    # Writer's 公开03表, last page: 2240102's row printed "0.00 145.62 0.00" (上缴上级支出,
    # 经营支出, 对附属单位补助支出) before "276.47 2.78 128.07"; as printed the row does not
    # add up, and only the two blocks swapped make every identity hold
    text = WRITER.read_text(encoding="utf-8")
    page = text[text.index(RESUMED, text.index(T03)):text.index("注：本表反映部门本年度各项支出情况")]
    assert page.index("0.00\n\n145.62\n\n0.00") < page.index("276.47\n\n2.78\n\n128.07")
    got, want = read_report(WRITER), _read(MATRIX / "synth-000011.txt")
    assert "T03" not in differences(got, want)
    assert [got.tables["T03"].value("2240102", c) for c in ("total", "basic", "project", "business")] == [
        276.47, 2.78, 128.07, 145.62]


def test_a_class_printed_with_the_next_table_is_a_row_of_its_own():
    # synth-12's Writer 公开02表: its last page shares the page with 公开03表, and pdftotext
    # prints 229 其他支出 after 公开03表's title; 22960 and 2296002 need their 类, and only
    # with it do the figures fill the rows and every identity hold
    text = WRITER12.read_text(encoding="utf-8")
    assert "\n229\n" not in text[text.index(T02):text.index(T03)]
    got, want = read_report(WRITER12), _read(MATRIX / "synth-000012.txt")
    assert "T02" not in differences(got, want)
    assert got.tables["T02"].value("229", "total") == 28.99


def test_a_class_printed_twice_counts_where_it_stands_among_the_rows():
    # and 公开03表 prints that 229 after its title, above its own first figure, then its own
    # 229 among its rows: the first is the other table's, and 公开03表 reads as the PDF
    text = WRITER12.read_text(encoding="utf-8")
    region = text[text.index(T03):text.index("注：本表反映部门本年度各项支出情况")]
    assert region.index("\n229\n") < region.index("898.43") < region.rindex("\n229\n")
    got, want = read_report(WRITER12), _read(MATRIX / "synth-000012.txt")
    assert "T03" not in differences(got, want)
    assert got.tables["T03"].value("229", "basic") == 0.64


# --------------------------------------------------------------------------- rows numbered by 行次

BLOCK = "\n9\n10\n\n0\n5\n"  # Writer's 公开10表: two rows' 行次 in one block, their counts in the next


def test_labels_in_blocks_are_read_by_their_rows_numbers():
    # Writer's 公开07表 and 公开10表 without -layout: several rows' labels in one block,
    # then each row's 行次 and figures — or, in 公开10表, 行次 9 and 10 together, then their
    # counts; 单价100万元(含)以上专用设备 broken by the page's repeated header
    assert BLOCK in WRITER.read_text(encoding="utf-8")
    got, want = read_report(WRITER), _read(MATRIX / "synth-000011.txt")
    assert "T07" not in differences(got, want) and "T10" not in differences(got, want)
    assert got.tables["T07"].value("reception_domestic", "actual") == 3.87
    assert got.tables["T07"].value("vehicle_purchase", "budget") == 19.01
    assert got.tables["T10"].value("vehicle_other", "amount") == 0
    assert got.tables["T10"].value("equipment_general_50w", "amount") == 5


def test_a_row_whose_label_is_not_printed_leaves_the_numbered_table_unread(tmp_path):
    # 5. 执法执勤用车 printed as another label: the 行次 still run 1 … 11, but which row
    # is which is no longer certain, and 公开10表 stays unread with its reason
    got = _edited(tmp_path, WRITER, "5. 执法执勤", "5. 其他公务", after="国有资产占用情况表\n编制单位")
    assert got.tables["T10"].status == "unread"
    assert any(p.startswith("公开10表") and "本表未读取" in p for p in got.problems)
    _unread_are_reported(got)


def test_a_figure_too_many_leaves_the_numbered_table_unread(tmp_path):
    # a count more after the last row's: the stream parses as 行次 1 … 11 with one count
    # each no way (not with one left over)
    got = _edited(tmp_path, WRITER, "\n11\n\n0\n", "\n11\n\n0\n\n2\n", after=BLOCK)
    assert got.tables["T10"].status == "unread"
    _unread_are_reported(got)


def test_numbers_that_split_into_rows_two_ways_leave_the_table_unread(tmp_path):
    # "9 10 11 5 11 0": 行次 9–11 then 5, 11, 0 — or 行次 9, 10 then 11, 5, and 行次 11 then 0:
    # whether 其他用车 is 5 and 通用设备 11, or the other way round, cannot be told
    got = _edited(tmp_path, WRITER, "\n9\n10\n\n0\n5\n\n11\n\n0\n", "\n9\n10\n11\n\n5\n11\n0\n")
    assert got.tables["T10"].status == "unread"
    assert any(p.startswith("公开10表") and "行次与金额的先后不能唯一地分成各行" in p for p in got.problems)
    _unread_are_reported(got)
