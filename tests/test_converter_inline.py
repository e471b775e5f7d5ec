"""Plain `pdftotext` of a producer with narrow cells and blank nil cells (the generated
"blankzero" reports, issue 26): labels wrapped over several lines, the header's words one
character a line after the first row's label, codes printed partly beside their rows'
figures and partly in a block after them.

- A labelled table (公开10表) is read from its labels and 行次 once the header's lines are
  left out of its labels' words (auditlib/ingest/spaced_numbered.py).
- A coded table's codes are taken in code order even where the stream puts a block of them
  after codes printed amid the figures; each code printed amid the figures with its name
  must then hold the figure printed right after that name first (spaced_flow._inline).
  Codes printed where their rows are not hold no reading, and the table stays `unread`.
"""

from __future__ import annotations

from auditlib.ingest import read_report
from tests.test_converter_texts import CONVERTED, MATRIX, _edited, _read, _unread_are_reported, differences, left_unread

BLANKZERO = CONVERTED / "synth-000011.blankzero.pdftotext.txt"
T05 = "公开 05 表"


def test_a_narrow_header_amid_the_first_label_is_left_out_of_the_labels():
    text = BLANKZERO.read_text(encoding="utf-8")
    assert "一、车辆数\n\n栏\n次\n\n决\n算\n数\n1\n\n3\n\n\f合计(台、\n辆)" in text  # over a page break too
    got, want = read_report(BLANKZERO), _read(MATRIX / "synth-000011.blankzero.txt")
    assert "T10" not in differences(got, want)
    assert got.tables["T10"].value("vehicle_confidential", "amount") == 2
    assert got.tables["T10"].value("vehicles_total", "amount") == 3


def test_codes_printed_amid_the_figures_and_in_a_block_are_read_in_code_order():
    # 210, 221 and 224 stand amid the figures with their names; 208's rows and 22401's
    # after the last figure, in a block: 224 comes before 208 in the stream
    text = BLANKZERO.read_text(encoding="utf-8")
    region = text[text.index(T05):]
    assert region.index("\n224\n") < region.index("\n208\n") < region.index("\n22401\n")
    got, want = read_report(BLANKZERO), _read(MATRIX / "synth-000011.blankzero.txt")
    assert "T05" not in differences(got, want)
    assert got.tables["T05"].value("210", "basic") == 16.21
    assert got.tables["T05"].value("2240102", "project") == 125.48
    assert got.tables["T05"].value("2240102", "basic") is None


def test_a_code_printed_amid_another_rows_figures_leaves_the_table_unread(tmp_path):
    # 210 and 221 traded: sorted, the codes would read as before, but 221 now stands before
    # 卫生健康支出's figures, which its row does not hold in code order
    text = BLANKZERO.read_text(encoding="utf-8")
    at = text.index(T05)
    region = text[at:].replace("\n210\n", "\nX\n", 1).replace("\n221\n", "\n210\n", 1).replace("\nX\n", "\n221\n", 1)
    path = tmp_path / "traded.txt"
    path.write_text(text[:at] + region, encoding="utf-8")
    got = read_report(path)
    assert got.tables["T05"].status == "unread"
    _unread_are_reported(got)


def test_a_block_of_codes_out_of_order_still_leaves_the_table_unread(tmp_path):
    # 2080506 printed before 2080505 in the block after the figures: nothing anchors them
    got = _edited(tmp_path, BLANKZERO, "208050\n5\n\n208050\n6\n", "208050\n6\n\n208050\n5\n", after=T05)
    left_unread(got, "T05", "科目编码的先后与编码顺序不符")
