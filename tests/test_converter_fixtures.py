"""The converters' texts of every other fixture PDF read like the PDF (issue 26).

tests/test_converter_texts.py holds the generated matrix reports (synth-*) and the Shanghai
PDFs to it; here the rest: the Nanchang renderings of the matrix, the top-level fixtures
(Chromium, LibreOffice, unruled), WPS's and the wide tables' (Calc printing down or across).
Each PDF × form (FORMS) is converted at test time into a temporary folder, once a session
(the Nanchang document is not the project's: no text of it is committed), and must read as
the PDF does — same tables and amounts — or leave a table `unread` with its READ.table error,
adding no finding the PDF does not give.  The unruled PDF's own reading is thin (the PDF
reader finds few tables without rules): its texts are held to the truth instead, the
transcription auditlib/samples/nanchang-bigdata-2021.txt.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from auditlib.ingest import read_report
from auditlib.ingest.lines import SourceLine
from auditlib.ingest.spaced import NO_FIGURES
from auditlib.ingest.spaced_cut import CONTINUED, MIXED
from auditlib.ingest.tables import _department, _unit
from auditlib.rules import check
from tests.test_converter_texts import (MATRIX, ROOT, _nothing_the_pdf_does_not_say, _read, _unread_are_reported,
                                        left_unread, measured, misread)
from tools.convert_texts import FORMS, convert

FIXTURES = ROOT / "tests" / "fixtures"
PDFS = [*sorted(MATRIX.glob("nanchang-bigdata-2021.*.pdf")), *sorted(FIXTURES.glob("*.pdf")),
        *sorted((FIXTURES / "wps").glob("*.pdf")), *sorted((FIXTURES / "wide").glob("*.pdf"))]
TRUTH = {"nanchang-bigdata-2021.unruled": ROOT / "auditlib" / "samples" / "nanchang-bigdata-2021.txt"}

# (tables read as the reference is, amounts equal to the reference's) per PDF and form; every
# other table is `unread` with its READ.table error, never read differently
READ = {
    "matrix/nanchang-bigdata-2021.blankzero": {"plumber": (9, 227), "pdftotext": (3, 53), "layout": (7, 157)},
    "matrix/nanchang-bigdata-2021.calc": {"plumber": (10, 620), "pdftotext": (9, 563), "layout": (10, 620)},
    "matrix/nanchang-bigdata-2021.chromium": {"plumber": (10, 620), "pdftotext": (9, 563), "layout": (10, 620)},
    "matrix/nanchang-bigdata-2021.writer": {"plumber": (10, 620), "pdftotext": (9, 563), "layout": (10, 620)},
    "nanchang-bigdata-2021.chromium": {"plumber": (10, 620), "pdftotext": (9, 563), "layout": (10, 620)},
    "nanchang-bigdata-2021.libreoffice": {"plumber": (10, 620), "pdftotext": (9, 563), "layout": (10, 620)},
    "nanchang-bigdata-2021.unruled": {"plumber": (8, 363), "pdftotext": (6, 264), "layout": (8, 363)},
    "wps/nanchang-bigdata-2021.wps": {"plumber": (10, 620), "pdftotext": (9, 563), "layout": (10, 620)},
    "wps/synth-000011.wps": {"plumber": (10, 669), "pdftotext": (6, 400), "layout": (10, 669)},
    "wide/nanchang-bigdata-2021.calc-across": {"plumber": (2, 11), "pdftotext": (1, 11), "layout": (2, 11)},
    "wide/nanchang-bigdata-2021.calc-down": {"plumber": (3, 36), "pdftotext": (3, 161), "layout": (3, 36)},
    "wide/synth-000011.calc-across": {"plumber": (1, 11), "pdftotext": (1, 11), "layout": (1, 11)},
    "wide/synth-000011.calc-down": {"plumber": (2, 36), "pdftotext": (3, 161), "layout": (2, 36)},
    "wide/synth-000011.chromium": {"plumber": (4, 113), "pdftotext": (4, 96), "layout": (4, 113)},
}


def _name(pdf: Path) -> str:
    return str(pdf.relative_to(FIXTURES).with_suffix(""))


CASES = [pytest.param(pdf, form, id=f"{_name(pdf)}-{form}", marks=pytest.mark.xdist_group(f"converted-{_name(pdf)}"))
         for pdf in PDFS for form in FORMS]


@pytest.fixture(scope="session")
def converted(tmp_path_factory):
    """The text of a PDF in one form, converted once a session (a worker's: `--dist loadgroup`
    keeps one PDF's cases on one worker)."""
    folder = tmp_path_factory.mktemp("converted")
    done: dict[tuple[Path, str], Path] = {}

    def text(pdf: Path, form: str) -> Path:
        if (pdf, form) not in done:
            path = folder / f"{_name(pdf).replace('/', '-')}.{form}.txt"
            path.write_text(convert(pdf, form), encoding="utf-8")
            done[pdf, form] = path
        return done[pdf, form]

    return text


def test_every_pdf_has_its_counts():
    # a fixture PDF added to those folders needs its counts measured, as READ's say
    assert set(READ) == {_name(pdf) for pdf in PDFS}


@pytest.mark.parametrize("pdf,form", CASES)
def test_fixture_text_reads_as_the_pdf(pdf, form, converted):
    reference_path = TRUTH.get(pdf.stem, pdf)
    candidate, reference = _read(converted(pdf, form)), _read(reference_path)
    assert misread(candidate, reference) == {}
    assert measured(candidate, reference) == READ[_name(pdf)][form]
    _unread_are_reported(candidate)
    _nothing_the_pdf_does_not_say(candidate, reference_path)


# --------------------------------------------------------------------------- what was misread


def test_t06_printed_a_cell_a_line_is_read_from_its_halves_streams_only(converted):
    # Chromium's Nanchang 公开06表 in plain pdftotext: each joined line one half's cells; read as
    # lines, every 公用经费 row stood under 人员经费, "人员经费合计 872.80" ran into 39999's row, and
    # the 公用支出合计 160.08 pdftotext prints under 公开07表's title was lost — a false
    # 说明 error (公用支出合计 表中未列示) followed.  Its streams give no single placing: unread
    report = _read(converted(FIXTURES / "nanchang-bigdata-2021.chromium.pdf", "pdftotext"))
    left_unread(report, "T06", "人员经费、公用经费两部分的金额没有唯一一种排列能使本表勾稽关系成立")
    assert not [f for f in check(report).findings if "公用支出合计" in f.message]


CUT = [("synth-000011.calc-down", "plumber", CONTINUED), ("synth-000011.calc-down", "layout", CONTINUED),
       ("nanchang-bigdata-2021.calc-down", "layout", MIXED)]


@pytest.mark.parametrize("pdf,form,why", CUT, ids=[f"{pdf}-{form}" for pdf, form, _ in CUT])
def test_a_table_continued_where_it_is_not_joined_is_not_read_in_part(pdf, form, why, converted):
    # Calc's wide 公开06表 printed down: the right half's first page (302 … 30229) after the
    # left half's note, under a bare 公开06表 (CONTINUED); read without it, 公开06表 was
    # `partial`, every 302 row missing and the 公用经费合计 it printed said missing.  In
    # Nanchang's -layout text the 公用经费 codes stand on one page, their figures a cell a line
    # on the next (MIXED): joined, those lines' words have no places, and read by places the
    # figures were lost (`partial`, and a false LOC error on 301)
    left_unread(_read(converted(FIXTURES / "wide" / f"{pdf}.pdf", form)), "T06", why)


def test_an_empty_table_printed_a_cell_a_line_is_read_empty(converted, tmp_path):
    # Calc's Nanchang 公开09表 in plain pdftotext: header words, 栏次 numbers 2 3 … 1 and
    # 栏次合计, no figure, dash or code: empty with its blank 合计 row, as the PDF reads it
    # (it was unread: "每格一行印出…且没有金额")
    text = converted(MATRIX / "nanchang-bigdata-2021.calc.pdf", "pdftotext")
    report = _read(text)
    assert report.tables["T09"].status == "empty"
    assert list(report.tables["T09"].data.index) == ["total"]
    # a whole number among its cells that is no 栏次 number may be an amount printed without
    # decimals: no longer certainly empty, not read
    lines = text.read_text(encoding="utf-8").split("\n")
    at = lines.index("栏次合计", lines.index("公开09表"))
    changed = tmp_path / "amount.txt"
    changed.write_text("\n".join([*lines[:at + 1], "", "12", *lines[at + 1:]]), encoding="utf-8")
    got = read_report(changed)
    assert got.tables["T09"].status == "unread" and NO_FIGURES in got.tables["T09"].problems
    _unread_are_reported(got)


def test_an_empty_table_keeps_no_header_words_as_a_row(converted):
    # WPS's Nanchang 公开09表 in plain pdftotext: its header words ran together into a row
    # ("支出功能分类科目编码科目名称类款栏次合计", noted as a row printed twice) and the header's 合计
    # became one: only its 合计 row is a row
    report = _read(converted(FIXTURES / "wps" / "nanchang-bigdata-2021.wps.pdf", "pdftotext"))
    assert report.tables["T09"].status == "empty"
    assert list(report.tables["T09"].data.index) == ["total"]
    assert not [n for n in report.reading_notes if n.table == "T09"]


def _head(*texts: str) -> list[SourceLine]:
    return [SourceLine(cells=(text,)) for text in texts]


def test_the_fields_beside_a_wrapped_department_are_not_its_name():
    # WPS's 公开07表 in pdfplumber's text: 金额单位：万元 wrapped in its cell beside the name
    assert _department(_head("编制单位：南昌市大数据发展管理局 位：万", "度"))[0] == "南昌市大数据发展管理局"
    # … in plain pdftotext: the 度 of 2021年度, and a column's 合计 right under the name
    assert _department(_head("编制单位：南昌市大数据发展管理局", "度"))[0] == "南昌市大数据发展管理局"
    assert _department(_head("编制单位：南昌市大数据发展管理局", "合计"))[0] == "南昌市大数据发展管理局"
    assert _department(_head("编制单位：南昌市大数据发展管", "理局"))[0] == "南昌市大数据发展管理局"  # as before


def test_a_wrapped_department_leaves_no_unit():
    # WPS's synth 公开04表 in plain pdftotext: "编制" / "单位：柳" / "州市文化…" before 金额单位：万元
    assert _unit(["单位：柳", "州市文化", "公开04表", "编制", "金额单位：万元"]) == "万元"
    assert _unit(["单位：台、辆、套"]) == "台、辆、套"
    assert _unit(["金额单位：美元"]) == "美元"  # an odd unit is still read (META.unit reports it)
