"""The text-form reader on the real Nanchang 2021 report (values checked by hand
against ../shared/corpus/nanchang-bigdata-2021/doc.txt)."""

from __future__ import annotations

import codecs
import json
import random
import re
from collections import Counter
from dataclasses import replace
from functools import lru_cache

import pytest

from auditlib.errors import InputError
from auditlib.ingest import read_report
from auditlib.ingest.build import build_report
from auditlib.ingest.regions import find_anchors
from auditlib.ingest.text import read_text_lines
from auditlib.schema import SPECS
from auditlib.workbench.params import SAMPLE
from tests.cli import auditlib
from tests.conftest import NANCHANG_TXT

AMOUNT = re.compile(r"^-?\d{1,3}(?:,\d{3})*\.\d{2}$")


def test_document_metadata(nanchang):
    assert nanchang.department == "原南昌市大数据发展管理局"
    assert nanchang.year == 2021
    assert nanchang.unit == "万元"
    assert nanchang.input_kind == "text"
    assert nanchang.problems == []


def test_all_ten_tables_found_by_title_and_label(nanchang):
    statuses = {c: t.status for c, t in nanchang.tables.items()}
    assert statuses == {**{f"T{n:02d}": "parsed" for n in range(1, 11)}, "T09": "empty"}
    for code, table in nanchang.tables.items():
        assert table.label == f"公开{code[1:]}表"
        assert table.year == 2021
        assert table.title.replace("“", "").replace("”", "") == SPECS[code].title.replace("三公", "三公")


def test_row_counts(nanchang):
    counts = {c: len(t.data) for c, t in nanchang.tables.items()}
    assert counts == {"T01": 42, "T02": 21, "T03": 22, "T04": 38, "T05": 19, "T06": 62, "T07": 20,
                      "T08": 4, "T09": 0, "T10": 11}


@pytest.mark.parametrize("code,key,column,value", [
    ("T01", "inc_general", "amount", 3670.49),
    ("T01", "inc_gov_fund", "amount", 53.85),
    ("T01", "income_total", "amount", 3724.34),
    ("T01", "opening_balance", "amount", 620.66),
    ("T01", "215", "amount", 4080.10),
    ("T01", "expense_grand_total", "amount", 4344.99),
    ("T02", "total", "fiscal", 3724.34),
    ("T02", "208", "total", 52.28),
    ("T02", "2210203", "total", 12.13),
    ("T03", "total", "basic", 1038.94),
    ("T03", "2150199", "project", 358.04),
    ("T03", "2080506", "total", 1.42),
    ("T04", "expense_total", "general", 4291.15),
    ("T04", "212", "gov_fund", 53.85),
    ("T04", "opening_general", "amount", 620.66),
    ("T05", "total", "project", 3252.20),
    ("T05", "21501", "basic", 896.46),
    ("T06", "301", "amount", 871.29),
    ("T06", "30113", "amount", 109.23),
    ("T06", "30217", "amount", 2.81),
    ("T06", "personnel_total", "amount", 872.80),
    ("T06", "public_total", "amount", 160.08),
    ("T07", "total", "budget", 26.95),
    ("T07", "reception", "actual", 2.81),
    ("T07", "domestic_people", "actual", 99),
    ("T07", "domestic_batches", "actual", 15),
    ("T08", "2121399", "project", 53.85),
    ("T08", "total", "closing", 0.0),
    ("T10", "equipment_general_50w", "amount", 5),
])
def test_cells(nanchang, code, key, column, value):
    assert nanchang.tables[code].value(key, column) == pytest.approx(value)


def test_codes_are_strings_split_into_levels(nanchang):
    t03 = nanchang.tables["T03"].data
    assert t03.loc["2080505", "code"] == "2080505"
    assert t03.loc["2080505", "level"] == "项"
    assert t03.loc["20805", "level"] == "款"
    assert t03.loc["208", "level"] == "类"
    assert nanchang.tables["T06"].data.loc["30101", "level"] == "款"


def test_provenance_points_at_the_printed_line(nanchang, nanchang_text):
    lines = nanchang_text.splitlines()
    where = nanchang.tables["T06"].where("personnel_total")
    assert lines[where["line"] - 1].startswith("人员经费合计\t\t872.80")
    where = nanchang.tables["T02"].where("2080505")
    assert "51.12" in lines[where["line"] - 1]


def test_side_by_side_halves_become_rows(nanchang):
    t01 = nanchang.tables["T01"].data
    assert t01.loc["income_total", "side"] == "income"
    assert t01.loc["expense_total", "side"] == "expense"
    assert t01.loc["income_total", "line"] == t01.loc["expense_total", "line"]
    t06 = nanchang.tables["T06"].data
    assert t06.loc["302", "side"] == "public" and t06.loc["301", "side"] == "personnel"
    # 399 rows are printed one cell to the right, with no amounts: still read by code
    assert t06.loc["399", "name"] == "其他支出"


def test_metadata_per_table_keeps_what_is_printed(nanchang):
    assert nanchang.tables["T06"].department == "南阳市大禹街道办事处"  # printed so: a real error
    assert nanchang.tables["T01"].department == "南昌市大数据发展管理局"
    assert nanchang.tables["T10"].unit == "台、辆、套"
    assert nanchang.tables["T01"].notes[0].startswith("注:1. 本表反映部门本年度的总收支")


def _text_amounts(text: str, start: int, end: int) -> Counter:
    found = Counter()
    for line in text.splitlines()[start - 1 : end - 1]:
        if line.startswith("注") or "\t" not in line:
            continue
        for cell in line.split("\t"):
            cell = cell.strip()
            if AMOUNT.match(cell) and float(cell.replace(",", "")) != 0:
                found[round(float(cell.replace(",", "")), 2)] += 1
    return found


def test_every_nonzero_amount_of_every_money_table(nanchang, nanchang_text):
    codes = [f"T{n:02d}" for n in range(1, 11)]
    for n, code in enumerate(codes[:-1]):
        table = nanchang.tables[code]
        expected = _text_amounts(nanchang_text, table.line, nanchang.tables[codes[n + 1]].line)
        parsed = Counter(round(v, 2) for v in table.amounts() if v != 0)
        if code == "T07":  # T07 also holds counts (15 批次, 99 人次), printed as integers
            parsed -= Counter({15.0: 1, 99.0: 1})
        assert parsed == expected, code
    assert sum(len(_text_amounts(nanchang_text, 1, 400)) for _ in [0]) > 60


def test_narrative_sections_and_paragraphs(nanchang):
    headings = [s.heading for s in nanchang.narrative.sections]
    assert headings == [
        "一、收入决算情况说明", "二、支出决算情况说明", "三、财政拨款支出决算情况说明",
        "四、一般公共预算财政拨款基本支出决算情况说明", "五、一般公共预算财政拨款“三公”经费支出决算情况说明",
        "六、机关运行经费支出情况说明", "七、政府采购支出情况说明", "八、国有资产占用情况说明。",
    ]
    paragraphs = {p.text for p in nanchang.narrative.paragraphs}
    assert "本年支出的具体构成为: 基本支出 1038.94 万元, 占 23.9%; 项目支出 3306.05 万元, 占 76.1%。" in paragraphs
    first = nanchang.narrative.sections[0].paragraphs[0]
    assert first.text.startswith("本部门 2021 年度收入总计 4344.99 万元,其中年初结转和结余 0 万元")
    assert first.line == 418
    # a sentence broken over two lines by the page is one paragraph again
    sangong = nanchang.narrative.sections[4].paragraphs[2].text
    assert "决算数为 2.81 万元,完成预算的 33.7%" in sangong
    assert any("机关运行经费支出 166.08 万元" in p.text for p in nanchang.narrative.sections[5].paragraphs)


def test_performance_self_evaluations(nanchang):
    evaluations = nanchang.performance.self_evaluations
    assert [e.project for e in evaluations] == ["党政信息网络建设", "中国南昌政务门户网运行维护费"]
    first, second = evaluations
    assert first.funds == {"budget_initial": 108.83, "budget_full": 108.83, "executed": 108.83,
                           "weight": 10.0, "rate": 100.0, "score": 10.0}
    assert (first.total_weight, first.total_score) == (100, 95)
    assert (second.total_weight, second.total_score) == (100, 94.7)
    assert len(first.indicators) == 19 and len(second.indicators) == 15
    bandwidth = first.indicators.set_index("indicator").loc["政务外网互联网出口带宽"]
    assert (bandwidth.weight, bandwidth.score, bandwidth.target, bandwidth.actual) == (3, 0, ">=70000兆", "7000兆")
    assert bandwidth.reason == "出口带宽因年度指标值调整"
    assert first.indicators.weight.sum() + first.funds["weight"] == 100
    assert first.indicators.score.sum() + first.funds["score"] == 95
    assert second.indicators.score.sum() + second.funds["score"] == pytest.approx(94.7)
    assert first.stated_weights["产出指标"] == 50 and first.stated_weights["数量指标"] == 20
    rate = second.indicators.set_index("indicator").loc["全市政府网站政务公开好评率"]
    assert (rate.level1, rate.level2, rate.score) == ("效益指标", "社会效益指标", 12.7)


def test_performance_score_sheets(nanchang):
    sheets = nanchang.performance.score_sheets
    assert [s.title for s in sheets] == ["2、评价指标体系", "三、综合评价情况及评价结论", "项目支出绩效评分表"]
    system, detail, form = sheets
    # the 评价指标体系表 (line 1144) prints 分值 and no 得分: its (10分) labels are checked too
    assert system.total_score is None and system.items.weight.sum() == 100
    assert system.stated_weights["社会效益"] == 10 and system.stated_weights["效益"] == 25
    assert detail.total_score == 95 and form.total_score == 95 and form.grade == "优"
    assert detail.items.weight.sum() == 100 and detail.items.score.sum() == 95
    social = detail.items.set_index("indicator").loc["减少网络分散 重复建设率"]
    assert (social.level1, social.level2, social.weight, social.score) == ("效益", "社会效益", 12.5, 10.5)
    assert detail.stated_weights["社会效益"] == 10  # printed (10分) over items of 12.5: a real slip
    assert form.stated_weights["效益"] == 25
    assert form.items.weight.sum() == 100 and form.items.score.sum() == 95
    project_list = nanchang.performance.tables[0]
    assert project_list.title.startswith("南昌市大数据发展管理局 2021 年度项目安排一览表")
    assert any("10552.78" in row for row in project_list.rows)


# ---- damaged texts -------------------------------------------------------------


def _write(tmp_path, name: str, text: str | bytes):
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def test_table_cut_off_at_end_of_text(tmp_path, nanchang_text):
    cut = nanchang_text[: nanchang_text.index("2150199\t\t其他资源勘探工业信息支出\t837.86")]
    report = read_report(_write(tmp_path, "cut.txt", cut))
    t03 = report.tables["T03"]
    assert t03.status == "partial"
    assert t03.problems == ["文件在本表中结束，本表可能被截断"]
    assert report.tables["T04"].status == "missing"
    assert report.tables["T02"].status == "parsed"


def test_title_with_no_table(tmp_path, nanchang_text):
    start = nanchang_text.index("项 目\t\t\t2021年度\t\t\t\t\t\t\n编制单位")
    end = nanchang_text.index("注：本表反映部门本年度取得的各项收入情况。")
    report = read_report(_write(tmp_path, "notable.txt", nanchang_text[:start] + nanchang_text[end:]))
    assert report.tables["T02"].status == "missing"
    assert report.tables["T02"].problems == ["只有标题，其后没有表格"]
    assert report.tables["T03"].status == "parsed"


def test_lines_edited_in_place_are_read_anew():
    """The last document's table anchors are kept (regions.find_anchors) with its lines: a line
    replaced in the same list (a title corrected in a notebook) is read anew, not with the
    anchors of the lines as they were."""
    lines = read_text_lines(NANCHANG_TXT).lines
    t02 = next(a for a in find_anchors(lines) if a.code == "T02")
    lines[t02.index] = replace(lines[t02.index], cells=("收入情况",))
    anchors = find_anchors(lines)
    assert (t02.index, "T02") not in [(a.index, a.code) for a in anchors]
    assert anchors == find_anchors(list(lines))


def test_duplicated_table(tmp_path, nanchang_text):
    start = nanchang_text.index("\n一般公共预算财政拨款支出决算表\n")
    end = nanchang_text.index("\n一般公共预算财政拨款基本支出决算表\n")
    block = nanchang_text[start:end]
    report = read_report(_write(tmp_path, "dup.txt", nanchang_text[:end] + block + nanchang_text[end:]))
    # noticed, first one used: a reading note of 公开05表 where the repeat is printed, no finding
    [note] = report.tables["T05"].reading_notes
    assert note.note == "“一般公共预算财政拨款支出决算表”又印了一次（此处），采用第一次印出的表"
    assert note.line > report.tables["T05"].line and report.problems == []
    assert report.tables["T05"].value("total", "total") == 4291.15
    assert report.tables["T06"].status == "parsed"


def test_bytes_that_are_not_utf8(tmp_path, nanchang_text):
    data = nanchang_text.encode("utf-8")
    path = _write(tmp_path, "bad.txt", data[:500] + b"\xff\xfe\xfa" + data[500:])
    with pytest.raises(InputError, match=r"bad\.txt: 无法识别的文本编码：不是 UTF-8、UTF-16 或 GB18030 文本（unknown text "
                                         r"encoding: not UTF-8, UTF-16 or GB18030; first byte that is not UTF-8 at offset 49\d）"):
        read_report(path)


@lru_cache(maxsize=1)
def _sample_checked() -> dict:
    run = auditlib("check", SAMPLE)
    assert run.returncode == 1, run.stderr
    return json.loads(run.stdout)


@pytest.mark.parametrize("encoding,bom,reported", [
    ("gb18030", b"", "gb18030"),  # what "ANSI" means in an editor on Chinese Windows (GBK's superset)
    ("utf-8", codecs.BOM_UTF8, "utf-8-sig"),  # Notepad's UTF-8
    ("utf-16-le", codecs.BOM_UTF16_LE, "utf-16-le"),  # Notepad's "Unicode"
    ("utf-16-be", codecs.BOM_UTF16_BE, "utf-16-be"),
    ("utf-16-le", b"", "utf-16-le"),
    ("utf-16-be", b"", "utf-16-be"),
], ids=["gb18030", "utf-8-bom", "utf-16-le-bom", "utf-16-be-bom", "utf-16-le", "utf-16-be"])
def test_the_sample_in_another_encoding_gives_the_same_findings(tmp_path, encoding, bom, reported):
    """A copy of the Nanchang text in another encoding is read as the UTF-8 original: every
    finding the same (the whole list), and the encoding it was read in reported."""
    copy = tmp_path / "nanchang.txt"
    copy.write_bytes(bom + SAMPLE.read_text(encoding="utf-8").encode(encoding))
    run = auditlib("check", copy)
    assert run.returncode == 1, run.stderr
    got, want = json.loads(run.stdout), _sample_checked()
    assert (want["document"]["encoding"], got["document"]["encoding"]) == ("utf-8", reported)
    assert len(want["findings"]) == 31 and got["findings"] == want["findings"]
    header = auditlib("check", copy, "--format", "text").stdout.splitlines()[0]
    assert header == f"原南昌市大数据发展管理局 2021 年度部门决算（文本，编码 {reported.upper()}：{copy}）"


@pytest.mark.parametrize("data", [
    # Latin-1 French: GB18030 decodes it (as 閚-like mojibake), charset-normalizer finds it incoherent
    "Compte général\tRecettes\tDépenses 2021 année exécutée\n".encode("latin-1") * 20,
    random.Random(24).randbytes(4096),  # binary, NUL bytes included (UTF-16 would be the guess)
    random.Random(24).randbytes(4096).replace(b"\0", b"a"),  # binary without NUL bytes (GB18030 would be)
], ids=["latin-1", "binary", "binary-without-nul"])
def test_text_in_no_known_encoding_is_one_line_exit_2(tmp_path, data):
    path = _write(tmp_path, "garbage.txt", data)
    run = auditlib("check", path)
    assert (run.returncode, run.stdout) == (2, "")
    assert run.stderr.startswith(f"auditlib: {path}: 无法识别的文本编码：不是 UTF-8、UTF-16 或 GB18030 文本（")
    assert run.stderr.count("\n") == 1 and "Traceback" not in run.stderr


def test_text_with_no_report(tmp_path):
    with pytest.raises(InputError, match="no final-accounts table found"):
        read_report(_write(tmp_path, "note.txt", "会议纪要\n今天天气很好。\n"))


def test_kangxi_radicals_and_fullwidth_digits_are_normalized(tmp_path, nanchang_text):
    odd = nanchang_text.replace("收入支出决算总表\n", "收⼊⽀出决算总表\n", 1).replace(
        "一、一般公共预算财政拨款收入\t1\t3,670.49", "一、一般公共预算财政拨款收入\t1\t３,６７０.４９")
    doc = read_text_lines(_write(tmp_path, "kangxi.txt", odd))
    report = build_report(doc)
    assert report.tables["T01"].value("inc_general", "amount") == 3670.49


GLUED_T04 = ("\t15\t\t十五、商业服务业等支出\t47\t0.00\t0.00\t0.00\t0.00\n"
             "\t16\t\t十六、金融支出\t48\t0.00\t0.00\t0.00\t0.00\n")


@pytest.mark.parametrize("glued,rows", [
    ("十五、商业服务业等支出十六、金融支出", {"216", "217"}),  # two rows of the table: two blank rows
    ("十五、商业服务业等支出十六、金融服务", set()),  # 金融服务 is no row: left out, and said so
])
def test_two_labels_stacked_without_figures_are_two_rows_or_a_reading_problem(tmp_path, nanchang_text, glued, rows):
    # two rows in one band with no rule between them and no figure (WPS, 公开04表 of the Shanghai
    # PDFs): the glued label is no row of the table, and must never vanish without a word
    assert GLUED_T04 in nanchang_text
    report = read_report(_write(tmp_path, "glued.txt", nanchang_text.replace(GLUED_T04, f"\t\t\t{glued}\t\t\t\t\t\n")))
    t04 = report.tables["T04"]
    assert {k for k in t04.data.index if k in ("216", "217")} == rows
    assert all(t04.value(k, c) is None for k in rows for c in t04.columns)
    noted = [(n.line, n.note) for n in t04.reading_notes if glued in n.note]
    assert noted == ([] if rows else [(225, f"行名“{glued}”含 2 个行名，并非都是本表的行，未读取")])
    assert t04.status == "parsed"


def test_two_labelled_rows_stacked_without_figures_are_two_rows(tmp_path, nanchang_text):
    lines = "1.因公出国（境）团组数（个）\t11\t-\t0\n2.因公出国（境）人次（人）\t12\t-\t0\n"
    assert lines in nanchang_text
    glued = "1.因公出国（境）团组数（个）2.因公出国（境）人次（人）\t\t-\t-\n"  # figures not printed
    t07 = read_report(_write(tmp_path, "glued.txt", nanchang_text.replace(lines, glued))).tables["T07"]
    assert {"abroad_groups", "abroad_people"} <= set(t07.data.index)
    assert t07.problems == []


@pytest.mark.parametrize("mark", ["丶", "，"])
def test_a_row_enumerated_with_a_stray_mark_is_its_row(tmp_path, mark):
    """十一丶城乡社区支出 (PP-OCR reads 、 as 丶) and 十一，… (typed in haste) are the row 十一、城乡社区支出:
    it was kept as a row of no known name, 公开01表's 本年支出合计 then summed without it — a false
    warning and a false LOC error."""
    from auditlib.rules import check
    from auditlib.workbench.params import SAMPLE

    text = SAMPLE.read_text(encoding="utf-8")
    row = "\t十一、城乡社区支出\t"  # 公开01表's and 公开04表's row (the narrative names the 类 too)
    assert text.count(row) == 2
    path = tmp_path / "report.txt"
    path.write_text(text.replace(row, f"\t十一{mark}城乡社区支出\t"), encoding="utf-8")
    report, plain = read_report(path), read_report(SAMPLE)
    for code in ("T01", "T04"):
        assert report.tables[code].reading_notes == plain.tables[code].reading_notes
        assert report.tables[code].data.index.tolist() == plain.tables[code].data.index.tolist()
    found = lambda r: sorted((f.id, f.severity, f.message) for f in check(r).findings)  # noqa: E731
    assert found(report) == found(plain)


def test_a_coded_row_without_a_name_keeps_its_blank_first_figure_in_its_column(tmp_path):
    # 2069999 of 公开02表 printed without its name and with its 合计 blank: the blank cells after
    # the code are passed over looking for the name, and the figures must not move one column early
    sample = SAMPLE
    text = sample.read_text(encoding="utf-8")
    row = "2069999\t\t其他科学技术支出\t68.56\t68.56\t0.00"
    assert text.count(row) == 1
    edited = tmp_path / "nameless.txt"
    edited.write_text(text.replace(row, "2069999\t\t\t\t68.56\t0.00"), encoding="utf-8")
    t02 = read_report(edited).tables["T02"].data
    assert t02.loc["2069999", "total"] != t02.loc["2069999", "total"]  # blank (NaN)
    assert t02.loc["2069999", "fiscal"] == 68.56
    assert read_report(sample).tables["T02"].data.loc["2069999", "fiscal"] == 68.56
