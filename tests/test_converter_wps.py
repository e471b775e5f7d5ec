"""WPS's 公开06表 as pdfplumber's `extract_text` leaves it (issue 26): WPS prints the 类 and
the 款 of an economic code in cells of their own, and pdfplumber runs the 款's cell into
its name ("301 01基本工资 191.04").  The two digits are the 款 of the 类 before them, not
words of the name: the table must come back as the PDF reader reads it."""

from __future__ import annotations

import pytest

from auditlib.ingest import read_report
from auditlib.ingest.spaced_tokens import tokens
from tests.test_converter_texts import ROOT, differences, misread
from tools.convert_texts import convert

WPS = ROOT / "tests" / "fixtures" / "wps"


@pytest.mark.parametrize("name", ["nanchang-bigdata-2021.wps", "synth-000011.wps"])
def test_wps_t06_with_its_parts_run_into_their_names_is_read_as_the_pdf(tmp_path, name):
    pdf = WPS / f"{name}.pdf"
    text = tmp_path / f"{name}.plumber.txt"
    text.write_text(convert(pdf, "plumber"), encoding="utf-8")
    assert "301 01基本工资" in text.read_text(encoding="utf-8")  # the form this test is about
    report, reference = read_report(text), read_report(pdf)
    assert differences(report, reference) == {}
    assert misread(report, reference) == {}


def test_two_digits_run_into_a_name_are_a_part_only_after_a_code():
    assert [t.text for t in tokens("301 10个人农业生产补贴 0.00", False)] == ["301", "10", "个人农业生产补贴", "0.00"]
    assert [t.text for t in tokens("30101 02其他 1.00", False)] == ["30101", "02", "其他", "1.00"]
    assert [t.text for t in tokens("208 05 05机关事业单位基本养老保险缴费支出 522,800", False)][:4] == [
        "208", "05", "05", "机关事业单位基本养老保险缴费支出"]
    # without a class code before them the digits stay words of the line (a count, a date)
    assert [t.text for t in tokens("共 12个项目 3.00", False)] == ["共", "12个项目", "3.00"]
    assert [t.text for t in tokens("2080505 10个人 1.00", False)][1] == "10个人"
    assert [t.text for t in tokens("1 23 45其他 1.00", False)][2] == "45其他"  # 行次 and a count: no code
