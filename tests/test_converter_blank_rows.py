"""Plain `pdftotext`'s flow of tables printed without their blank cells (LibreOffice Calc's
"blank for zero", synth-0000NN.blankzero): rows with fewer figures than columns, placed by
the table's identities — or left unread with the reason (issue 26).

Every value asserted here is the PDF's (tests/fixtures/matrix/synth-000012.blankzero.txt,
the PDF reader's reading; pdftotext -bbox-layout shows where each figure stands).
"""

from __future__ import annotations

from pathlib import Path

from auditlib.ingest import read_report
from auditlib.ingest.spaced_bind import BOUND, NONE, SEVERAL
from auditlib.ingest.spaced_flow_blanks import under_numbers
from auditlib.ingest.spaced_numbered_blanks import UNCUT
from auditlib.ingest.spaced_tokens import Line, tokens
from auditlib.model import Report
from tests.conftest import ROOT
from tests.test_converter_texts import differences, left_unread

CONVERTED = ROOT / "tests" / "fixtures" / "converted"
MATRIX = ROOT / "tests" / "fixtures" / "matrix"
S11 = CONVERTED / "synth-000011.blankzero.pdftotext.txt"
S12 = CONVERTED / "synth-000012.blankzero.pdftotext.txt"


def _edited(tmp_path: Path, source: Path, old: str, new: str) -> Report:
    """`source` with its one `old` replaced by `new`, read."""
    text = source.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path = tmp_path / "edited.txt"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return read_report(path)


def test_t07_rows_with_blank_cells_are_placed_by_its_sums():
    # the flow "2" / "3" / "0.75" / "4" / "0.75" / "5": rows 2 and 5 printed empty, rows 3 and 4
    # one figure each, 年初预算数 or 决算数; “三公” 6.01 = 0.75 + 5.26 (and 3.18 = 3.18) and
    # 公务用车 = 购置 + 运行维护 leave 年初预算数 (the PDF: 0.75 under 年初预算数, 决算数 blank)
    got = read_report(S12)
    want = read_report(MATRIX / "synth-000012.blankzero.txt")
    assert "T07" not in differences(got, want)
    t07 = got.tables["T07"]
    assert t07.status == "parsed"
    assert (t07.value("vehicle", "budget"), t07.value("vehicle", "actual")) == (0.75, None)
    assert (t07.value("vehicle_purchase", "budget"), t07.value("vehicle_purchase", "actual")) == (0.75, None)
    assert (t07.value("reception_domestic", "budget"), t07.value("reception_domestic", "actual")) == (None, 3.16)
    assert t07.value("abroad", "budget") is None and t07.value("abroad", "actual") is None
    assert ("T07", BOUND) in {(n.table, n.note) for n in got.reading_notes}  # its sums placed them: said


def test_a_misprinted_t07_figure_leaves_it_unread(tmp_path):
    # 公务接待费 printed 5.62: no column of row 3's 0.75 makes “三公” = Σ hold, and a misprint
    # cannot be told from a misplacing: 公开07表 is not read
    got = _edited(tmp_path, S12, "\n5.26\n", "\n5.62\n")
    left_unread(got, "T07", NONE)


def test_a_t07_figure_set_apart_from_its_row_is_not_placed():
    # synth-000011: pdftotext prints 公务接待's and 国内接待费's 决算数 3.87 after row 10 (its
    # column's blocks below row 6 come after the left column's): which rows they left (国内 or
    # 国（境）外 hold 3.87 alike) the text does not say, and the table is not read
    left_unread(read_report(S11), "T07", UNCUT)


def test_a_figure_under_its_column_number_places_the_total_row(tmp_path):
    # synth-000011's 公开09表 prints "1" / "79.73" / "" / "2" / "" / "3" / "79.73": 合计's figures
    # in one block with the 栏次 numbers above them (pdftotext -bbox-layout: a block "3 79.73" at
    # x 249–273, under 项目支出), so 合计 holds 79.73 in 合计 and 项目支出, 基本支出 blank — and 类 = Σ款 = Σ项
    # places every row's second 79.73 in 项目支出 too (the PDF: 79.73 / blank / 79.73 throughout)
    got = read_report(S11)
    want = read_report(MATRIX / "synth-000011.blankzero.txt")
    assert "T09" not in differences(got, want)
    t09 = got.tables["T09"]
    assert t09.status == "parsed"
    assert [(t09.value(k, "project"), t09.value(k, "basic")) for k in ("total", "223", "22301", "2230105")] == \
        [(79.73, None)] * 4
    # the same figure in a block of its own (a blank line before it): 79.73 may be 基本支出 or
    # 项目支出 in every row alike, and 公开03表 (not read) says nothing: not read
    left_unread(_edited(tmp_path, S11, "\n3\n79.73\n", "\n3\n\n79.73\n"), "T09", SEVERAL)
    # 2230105 printed 79.37: 22301 = Σ项 holds in no column: not read
    left_unread(_edited(tmp_path, S11, "支出\n\n79.73\n\n79.73\n\n注", "支出\n\n79.37\n\n79.37\n\n注"), "T09", NONE)


def _lines(texts: list[str]) -> tuple[list[Line], list[bool]]:
    """Lines of a plain pdftotext flow ("" a blank line) and, by index, whether a blank line
    stands before each."""
    lines, gaps, gap = [], [], False
    for text in texts:
        if not text:
            gap = True
            continue
        lines.append(Line(len(gaps), len(gaps) + 1, 0, text, tokens(text, False)))
        gaps.append(gap)
        gap = False
    return lines, gaps


def test_only_a_run_of_column_numbers_places_a_figure():
    lines, gaps = _lines(["1", "79.73", "", "2", "", "3", "79.73"])
    assert under_numbers(lines, gaps) == {1: 1, 4: 3}
    # a code's tail over a figure ("223010" / "5" / "79.73"), a figure in a block of its own
    # ("4" / "" / "1742.75"), numbers out of order: nothing
    for texts in (["223010", "5", "79.73"], ["2", "", "3", "", "4", "", "1742.75"], ["3", "79.73", "", "2", "5.00"]):
        assert under_numbers(*_lines(texts)) == {}
    # the header a later page repeats stands over that page's first row: only the first run
    lines, gaps = _lines(["1", "79.73", "", "2", "", "3", "79.73", "", "208", "", "1", "", "2", "5.00"])
    assert under_numbers(lines, gaps) == {1: 1, 4: 3}
