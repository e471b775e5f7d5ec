"""The text that PDF converters leave, read like the PDF (issue 26).

pdfplumber's `extract_text`, poppler's `pdftotext` and `pdftotext -layout` print a table row
as words separated by spaces, a blank cell as nothing, a wrapped label on lines of its own
(auditlib/ingest/spaced*.py).  Each converter's text of a PDF must give the model the PDF
gives — same tables, same rows, every amount — or leave a table `unread` with its READ.table
error: a table read differently from its PDF is a silent misreading and fails.

Texts of the generated matrix reports (synth-000011/12, four producers) are committed under
tests/fixtures/converted/ (tools/convert_texts.py); the Shanghai PDFs of ../shared/corpus are
real documents, converted at test time into a temporary folder (pdfplumber is a dependency,
pdftotext comes with poppler-utils, which `make test` installs).  Every other fixture PDF is held
to it in tests/test_converter_fixtures.py, with the helpers here.
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
from auditlib.ingest.text import read_text_lines
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
        # a table empty on both sides prints no amount: its amountless rows (the 栏次合计 the PDF
        # reads as a 合计 row, a text prints on the page of a table's other part) hold nothing
        # a rule reads (an empty table is judged by its status)
        if set(cand.data.index) != set(ref.data.index) and not cand.status == ref.status == "empty":
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


def left_unread(report: Report, code: str, why: str) -> None:
    """Table `code` is unread, a problem under its name saying `why`, and every unread
    table is reported."""
    assert report.tables[code].status == "unread"
    assert any(p.startswith(f"公开{code[1:]}表") and why in p for p in report.problems)
    _unread_are_reported(report)


def judged(report: Report) -> set[tuple[str, str, tuple[str, ...]]]:
    """What the rules say about a document, apart from how it was read: (rule, severity,
    tables) of every error and warning but READ.* and the tables-present list."""
    return {(f.id, f.severity, tuple(f.tables)) for f in check(report).findings
            if f.severity in ("error", "warning") and not f.id.startswith("READ.") and f.id != "META.tables_present"}


@lru_cache(maxsize=None)
def _judged_pdf(path: Path) -> frozenset:
    return frozenset(judged(_read(path)))


def _nothing_the_pdf_does_not_say(candidate: Report, pdf: Path) -> None:
    """A converter's text may leave tables unread, never add an error or a warning: a 编制单位
    wrapped onto the next lines, a name cut short or a table not read is not a finding.  An
    error of the PDF may come back a warning (a table it rests on not read: less is certain)."""
    said = _judged_pdf(pdf) | {(rule, "warning", tables) for rule, severity, tables in _judged_pdf(pdf)}
    assert judged(candidate) - said == set()


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
    "synth-000011.calc": {"plumber": (10, 669), "pdftotext": (10, 669), "layout": (10, 669)},
    "synth-000011.writer": {"plumber": (10, 669), "pdftotext": (9, 611), "layout": (10, 669)},
    "synth-000011.chromium": {"plumber": (10, 669), "pdftotext": (10, 669), "layout": (10, 669)},
    "synth-000011.blankzero": {"plumber": (9, 243), "pdftotext": (3, 54), "layout": (8, 183)},
    "synth-000012.calc": {"plumber": (10, 771), "pdftotext": (10, 771), "layout": (10, 771)},
    "synth-000012.writer": {"plumber": (10, 771), "pdftotext": (9, 713), "layout": (10, 771)},
    "synth-000012.chromium": {"plumber": (10, 771), "pdftotext": (10, 771), "layout": (10, 771)},
    "synth-000012.blankzero": {"plumber": (10, 326), "pdftotext": (5, 158), "layout": (10, 326)},
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
    _nothing_the_pdf_does_not_say(candidate, ROOT / entry["pdf"])


def test_the_committed_texts_are_what_the_converters_leave(tmp_path):
    # one of them converted again: the fixtures follow tools/convert_texts.py
    pdf = ROOT / MANIFEST[0]["pdf"]
    assert convert(pdf, "plumber") == (CONVERTED / f"{pdf.stem}.plumber.txt").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- the Shanghai PDFs

SHANGHAI_READ = {  # of 308, 205 and 0 amounts
    "shanghai-putuo-planning-2024": {"plumber": (10, 308), "pdftotext": (7, 217), "layout": (10, 308)},
    "shanghai-putuo-socialwork-2024": {"plumber": (10, 205), "pdftotext": (9, 138), "layout": (10, 205)},
    "shanghai-template-2024": {"plumber": (10, 0), "pdftotext": (10, 0), "layout": (10, 0)},
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
    _nothing_the_pdf_does_not_say(candidate, pdf)


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
        ("T02", 107), ("T04", 270), ("T05", 365), ("T07", 484), ("T08", 546), ("T09", 581)]
    data = json.loads(render(result, "json"))
    assert {n["table"] for n in data["reading_notes"] if n["note"] == BOUND} == {"T02", "T04", "T05", "T07", "T08", "T09"}
    assert not [f for f in data["findings"] if "勾稽关系确定" in f["message"]]
    assert data["summary"]["errors"] + data["summary"]["warnings"] + data["summary"]["infos"] == len(data["findings"])
    assert f"  公开05表 第 365 行：{BOUND}" in render(result, "text").splitlines()
    assert str(escape(BOUND)) in html.overview(result).html
    assert str(escape(BOUND)) in html.table_view(r.tables["T05"], result.findings, report=r).html
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(result)))
    sheet = next(ws for ws in book.worksheets if ws.title.startswith("公开05表"))
    assert f"读取说明：{BOUND}" in [c.value for row in sheet.iter_rows() for c in row]


def _changed(tmp_path: Path, old: str, new: str, source: Path = BLANKZERO) -> Report:
    """A blank-cell fixture with one printed line changed."""
    text = source.read_text(encoding="utf-8")
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


def _edited(tmp_path: Path, source: Path, old: str, new: str, after: str = "") -> Report:
    """`source` with the first `old` after `after` replaced by `new`, read."""
    text = source.read_text(encoding="utf-8")
    at = text.index(old, text.index(after) if after else 0)
    path = tmp_path / "edited.txt"
    path.write_text(text[:at] + new + text[at + len(old):], encoding="utf-8")
    return read_report(path)


def test_what_every_binding_of_a_table_not_read_holds_binds_others(tmp_path):
    # 公开03表 is not read: 145.62 fits 经营支出 and 对附属单位补助支出 alike (nothing else tells
    # them apart).  Every binding leaves 2230105's 基本支出 blank (合计 基本支出 635.30 is the
    # other classes'), so 公开09表's "79.73 79.73" is 合计 and 项目支出
    got, want = read_report(BLANKZERO), _read(MATRIX / "synth-000011.blankzero.txt")
    assert got.tables["T03"].status == "unread"
    assert any(p.startswith("公开03表") and "多种对应" in p for p in got.problems)
    assert "T09" not in differences(got, want)
    assert got.tables["T09"].value("2230105", "project") == 79.73 and got.tables["T09"].value("2230105", "basic") is None
    # 公开03表's 2230105 printed 79.37: no binding of 公开03表 holds (22301 = Σ项), it says
    # nothing for certain, and 公开09表 stays not read, with its reason
    text = BLANKZERO.read_text(encoding="utf-8")
    before, t03 = text.split("\n公开03表\n", 1)
    t03, after = t03.split("\n财政拨款收入支出决算总表\n", 1)
    assert t03.count("223010 国有企业退 79.73 79.73") == 1
    t03 = t03.replace("223010 国有企业退 79.73 79.73", "223010 国有企业退 79.37 79.37")
    path = tmp_path / "misprint.txt"
    path.write_text(f"{before}\n公开03表\n{t03}\n财政拨款收入支出决算总表\n{after}", encoding="utf-8")
    got = read_report(path)
    assert got.tables["T03"].status == "unread" and got.tables["T09"].status == "unread"
    assert any(p.startswith("公开09表") and "多种对应" in p for p in got.problems)
    _unread_are_reported(got)


BLANKZERO_12 = CONVERTED / "synth-000012.blankzero.plumber.txt"


def test_other_tables_read_whole_bind_the_funds_tables():
    # 公开08表's 合计 "33.53 31.68 0.64 31.04 1.85": 33.53 is 年初结转和结余 or 本年收入 (年末 =
    # 年初 + 收入 − 支出 either way); 公开04表's 政府性基金 income row prints 33.53: 本年收入.
    # 公开09表 "441.59 441.59": 基本 or 项目支出; 公开03表 (read once 公开05/08表 bound it)
    # prints 2230105's 441.59 as 项目支出 and no 基本支出: 公开09表 holds no more than it
    got, want = read_report(BLANKZERO_12), _read(MATRIX / "synth-000012.blankzero.txt")
    found = differences(got, want)
    assert "T08" not in found and "T09" not in found and "T03" not in found
    assert got.tables["T08"].value("total", "income") == 33.53 and got.tables["T08"].value("total", "opening") is None
    assert got.tables["T09"].value("2230105", "project") == 441.59 and got.tables["T09"].value("2230105", "basic") is None
    assert misread(got, want) == {}


def test_the_funds_tables_follow_what_the_others_print(tmp_path):
    # 公开04表 printing 政府性基金's 33.53 as opening balance, not income: 公开08表 follows it
    text = BLANKZERO_12.read_text(encoding="utf-8")
    moved = text.replace("二、政府性 2 33.53 二、外交支 34", "二、政府性 2 二、外交支 34").replace(
        "二、政府性 30 62", "二、政府性 30 33.53 62")
    assert moved.count("33.53 62") == 1 and "二、政府性 2 33.53 二、外交支 34" not in moved
    path = tmp_path / "opening.txt"
    path.write_text(moved, encoding="utf-8")
    got = read_report(path)
    assert got.tables["T08"].value("total", "opening") == 33.53 and got.tables["T08"].value("total", "income") is None
    # 33.35 instead: 公开04表's 政府性基金 does not balance and is not read, so nothing settles 公开08表
    got = _changed(tmp_path, "二、政府性 2 33.53 二、外交支 34", "二、政府性 2 33.35 二、外交支 34", BLANKZERO_12)
    assert got.tables["T04"].status == "unread" and got.tables["T08"].status == "unread"
    assert any(p.startswith("公开08表") and "多种对应" in p for p in got.problems)
    _unread_are_reported(got)


def test_t07_figures_are_bound_by_its_sums(tmp_path):
    # 公开07表 prints "2.公务用车 3 0.75": 年初预算数 or 决算数?  “三公” = 因公出国 + 公务用车 +
    # 公务接待 (6.01 = 0.75 + 5.26; 3.18 = 3.18) leaves 年初预算数; a lone "-" (其中：外事接待费)
    # stands in either column alike: no amount, and no column said
    got, want = read_report(BLANKZERO_12), _read(MATRIX / "synth-000012.blankzero.txt")
    assert "T07" not in differences(got, want)
    t07 = got.tables["T07"]
    assert (t07.value("vehicle", "budget"), t07.value("vehicle", "actual")) == (0.75, None)
    assert (t07.value("vehicle_purchase", "budget"), t07.value("vehicle_purchase", "actual")) == (0.75, None)
    rows = [line.cells for line in read_text_lines(BLANKZERO_12).lines if line.cells]
    assert ("其中:外事接待费", "8", "", "") in rows and ("(1)国内接待费", "7", "-", "3.16") in rows
    # 公务接待费 printed 5.62: no column of 0.75 makes the sum hold, 公开07表 is not read
    got = _changed(tmp_path, "3.公务接待 6 5.26 3.18", "3.公务接待 6 5.62 3.18", BLANKZERO_12)
    assert got.tables["T07"].status == "unread"
    assert any(p.startswith("公开07表") and "没有一种金额与栏目的对应" in p for p in got.problems)
    _unread_are_reported(got)


def _zeros_text(total_row: str) -> str:
    """A small report as pdfplumber leaves one printing zeros (0.00) where a column has
    figures, blank cells elsewhere (Shanghai's 公开03表): 公开03表, with `total_row` as its 合计
    row, and 公开05表, whose 基本/项目支出 bound 公开03表's from below."""
    rows = ("208 社会保障和就业支出 200.00 200.00 0.00\n20805 行政事业单位养老支出 200.00 200.00 0.00\n"
            "2080501 行政单位离退休 200.00 200.00 0.00\n212 城乡社区支出 100.00 0.00 100.00\n"
            "21201 城乡社区管理事务 100.00 0.00 100.00\n2120101 行政运行 100.00 0.00 100.00\n")
    return ("南浦市测试局 2024 年度部门决算\n支出决算表\n公开03表\n单位：万元\n"
            "科目编码 科目名称 本年支出合计 基本支出 项目支出 上缴上级支出 经营支出 对附属单位补助支出\n"
            f"{total_row}\n{rows}注：本表反映部门本年度各项支出情况。\n"
            "一般公共预算财政拨款支出决算表\n公开05表\n单位：万元\n科目编码 科目名称 合计 基本支出 项目支出\n"
            f"合计 300.00 200.00 100.00\n{rows}注：本表反映部门本年度一般公共预算财政拨款支出情况。\n")


def test_a_printed_zero_stands_where_its_total_prints_a_figure(tmp_path):
    # 208 prints "200.00 200.00 0.00": the 0.00 fits 项目支出 or any of the three columns no
    # row fills, and every sum holds alike; the 合计 row prints 项目支出 (100.00, bound by
    # 公开05表) and nothing in the others, and a producer that prints zeros prints their sum:
    # 项目支出.  212's "100.00 0.00 100.00" puts its 0.00 in 基本支出 the same way
    path = tmp_path / "zeros.txt"
    path.write_text(_zeros_text("合计 300.00 200.00 100.00"), encoding="utf-8")
    got = read_report(path)
    t03 = got.tables["T03"]
    assert t03.status == "parsed"
    for code in ("208", "20805", "2080501"):
        assert [t03.value(code, c) for c in ("basic", "project", "remit", "business", "subsidiary")] == \
            [200.0, 0.0, None, None, None]
    assert [t03.value("2120101", c) for c in ("basic", "project", "remit")] == [0.0, 100.0, None]
    # the 合计 row printing a 0.00 of its own (no total above it): 上缴上级支出, 经营支出 or
    # 对附属单位补助支出 alike, so 公开03表 is not read
    path.write_text(_zeros_text("合计 300.00 200.00 100.00 0.00"), encoding="utf-8")
    got = read_report(path)
    assert got.tables["T03"].status == "unread"
    assert any(p.startswith("公开03表") and "多种对应" in p for p in got.problems)
    _unread_are_reported(got)


def _cancelling_text() -> str:
    """A small report as pdfplumber leaves one without its blank cells: 公开03表 whose 2120101 and
    2120102 print 5.00 and -5.00 in a column their 款 leaves blank, and 公开05表 down to the 款."""
    totals = ("合计 200.00 100.00 100.00\n212 城乡社区支出 200.00 100.00 100.00\n"
              "21201 城乡社区管理事务 200.00 100.00 100.00\n")
    return ("南浦市测试局 2024 年度部门决算\n支出决算表\n公开03表\n单位：万元\n"
            "科目编码 科目名称 本年支出合计 基本支出 项目支出 上缴上级支出 经营支出 对附属单位补助支出\n"
            f"{totals}2120101 行政运行 105.00 100.00 5.00\n2120102 一般行政管理事务 -5.00 -5.00\n"
            "2120199 其他城乡社区管理事务支出 100.00 100.00\n注：本表反映部门本年度各项支出情况。\n"
            "一般公共预算财政拨款支出决算表\n公开05表\n单位：万元\n科目编码 科目名称 合计 基本支出 项目支出\n"
            f"{totals}注：本表反映部门本年度一般公共预算财政拨款支出情况。\n")


def test_figures_that_cancel_out_are_not_placed_by_where_their_total_prints(tmp_path):
    # 21201 prints 基本支出 and 项目支出 (公开05表 bounds them so).  2120101's 100.00 and 5.00 may stand
    # in 项目支出 and 上缴上级支出 (or 经营支出 …), 2120102's -5.00 in the same column, 2120199's 100.00 in
    # 基本支出 — or 2120101 in 基本支出 and 项目支出, the others in 项目支出, all where 21201 prints.
    # Only a 0.00 stands where its total prints a figure (spaced_printed): several readings, not read
    path = tmp_path / "cancelling.txt"
    path.write_text(_cancelling_text(), encoding="utf-8")
    got = read_report(path)
    assert got.tables["T05"].status == "parsed"
    assert got.tables["T03"].status == "unread"
    _unread_are_reported(got)


LAYOUT_BLANKZERO = CONVERTED / "synth-000011.blankzero.layout.txt"


def test_layout_positions_and_identities_bind_blank_cells():
    # -layout prints 公开09表's 合计 row "79.73  79.73": the second figure stands under 项目支出,
    # the first between 合计 and 基本支出 (3 and 4 columns off); 合计 = 基本 + 项目 leaves 合计
    got, want = read_report(LAYOUT_BLANKZERO), _read(MATRIX / "synth-000011.blankzero.txt")
    found = differences(got, want)
    assert "T09" not in found and "T04" not in found
    assert got.tables["T09"].value("total", "total") == 79.73
    assert got.tables["T09"].value("2230105", "project") == 79.73
    assert got.tables["T09"].value("2230105", "basic") is None
    # 公开04表 is placed when columns are counted in characters (pdftotext's grid): counted in
    # display widths, a row with a longer label stands columns right of its neighbours
    assert got.tables["T04"].value("closing_balance", "general") == 1.05
    assert got.tables["T04"].value("closing_balance", "soe") is None
    assert misread(got, want) == {}


def test_a_layout_figure_no_placing_allows_leaves_the_table_unread(tmp_path):
    # 公开09表's 合计 printed 79.37 beside 79.73: 79.37 as 合计 or as 基本支出, no identity holds
    text = LAYOUT_BLANKZERO.read_text(encoding="utf-8")
    old = "合计          79.73          79.73"
    assert text.count(old) == 1
    path = tmp_path / "misprint.layout.txt"
    path.write_text(text.replace(old, "合计          79.37          79.73"), encoding="utf-8")
    got = read_report(path)
    assert got.tables["T09"].status == "unread"
    assert any(p.startswith("公开09表") and "没有一种金额与栏目的对应" in p for p in got.problems)
    _unread_are_reported(got)
