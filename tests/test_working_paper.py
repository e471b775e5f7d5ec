"""The Excel working paper (审计工作底稿, `check --format xlsx`, `run`'s working-paper.xlsx),
opened with openpyxl as an auditor's Excel would: its findings sheet with Chinese headers and
the triage decisions and reviews as triage.yaml holds them, each table as printed with every
cell a finding rests on filled and commented, and the coverage sheet.

Checked on the bundled sample (through the command line) and on a real PDF of the corpus.
Each cell is found on its sheet by what a reader sees — the row's printed label, the column's
heading, the printed figure — not by where the writer put it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import openpyxl
import pytest

from auditlib.ingest import read_report
from auditlib.names import TABLE_NAMES
from auditlib.report.xlsx import COLOURS, xlsx_bytes
from auditlib.rules import check
from auditlib.rules.findings import severity_rank
from auditlib.schema import SPECS
from auditlib.workbench.params import SAMPLE
from auditlib.workbench.triage import read_triage, review_triage, set_triage

from tests.cli import auditlib

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
PUTUO = CORPUS / "shanghai-putuo-planning-2024" / "doc.pdf"
HEADERS = ["序号", "级别", "表名", "位置", "页码", "规则", "应为", "实为", "差额", "说明", "状态", "处理说明", "处理人",
           "处理时间", "复核人", "复核意见", "复核时间"]


def decide(path: Path, findings) -> dict:
    """The auditors' work on three findings with cells: one confirmed and signed off, one
    explained and sent back, one marked a false alarm and not yet reviewed."""
    first, second, third = [f for f in findings if f.cells][:3]
    set_triage(path, first, "已确认", "与单位核实，确为差错", by="张三")
    review_triage(path, first.key, "同意", "核对无误", by="李四")
    set_triage(path, second, "已说明", "单位已说明口径", by="张三")
    review_triage(path, second.key, "退回", "请附说明文件", by="李四")
    set_triage(path, third, "误报", by="王五")
    return read_triage(path)


def findings_rows(wb) -> list[dict]:
    ws = wb["审核发现"]
    head = [c.value for c in ws[1]]
    return [dict(zip(head, row)) for row in ws.iter_rows(min_row=2, values_only=True)]


def printed_cells(ws) -> dict[tuple[str, str], list]:
    """(row label, column heading) → the value cells of a table's sheet: each value column
    belongs to the nearest 项目 column on its left (halves side by side)."""
    head = {c.column: c.value for c in ws[4] if c.value}
    out = defaultdict(list)
    for row in ws.iter_rows(min_row=5):
        label_col = None
        for cell in row:
            heading = head.get(cell.column)
            if heading == "项目":
                label_col = cell.column
            elif heading not in (None, "科目编码") and label_col is not None:
                out[(ws.cell(cell.row, label_col).value, heading)].append(cell)
    return out


def label(report, table: str, row: str) -> str:
    r = report.tables[table].data.loc[row]
    return r["name"] if SPECS[table].kind == "hierarchy" and r["name"] else (r["label"] or r["name"])


def assert_working_paper(wb, result, triage: dict) -> int:
    """The workbook tells what `result` found and the auditors decided; returns how many
    table cells it marks."""
    rows = findings_rows(wb)
    assert [c.value for c in wb["审核发现"][1]] == HEADERS
    assert wb["审核发现"].freeze_panes == "A2" and wb["审核发现"].auto_filter.ref.startswith("A1:Q")
    assert sorted(r["说明"] for r in rows) == sorted(f.message for f in result.findings)
    assert [(r["序号"], r["说明"]) for r in rows] == [(n, f.message) for n, f in enumerate(result.findings, 1)]
    # numbered as the HTML report and the notebook number them: errors first, a symptom under its cause
    assert [severity_rank(f.severity) for f in result.findings if not f.cause] \
        == sorted(severity_rank(f.severity) for f in result.findings if not f.cause)
    number = {r["说明"]: r["序号"] for r in rows}
    links = 0
    for row in wb["审核发现"].iter_rows(min_row=2):
        assert row[9].alignment.wrap_text  # 说明 wraps
        if row[3].hyperlink:  # 位置 links to the cell, which names this finding
            sheet, ref = re.fullmatch(r"#'([^']+)'!([A-Z]+\d+)", row[3].hyperlink.target).groups()
            assert f"#{row[0].value} " in wb[sheet][ref].comment.text
            links += 1
    assert links == sum(1 for f in result.findings if any(
        result.report.tables.get(c["table"]) is not None and result.report.tables[c["table"]].has(str(c["row"]))
        and c["column"] in result.report.tables[c["table"]].columns for c in f.cells))
    for f in result.findings:
        row = next(r for r in rows if r["序号"] == number[f.message])
        entry = triage.get(f.key)
        if entry is None:
            assert row["状态"] == "未处理" and not row["处理人"]
            continue
        assert (row["状态"], row["处理人"], row["处理时间"]) == (entry["status"], entry["by"], entry["at"])
        review = entry.get("review") or {}
        assert (row["复核人"] or None, row["复核时间"] or None) == (review.get("by"), review.get("at"))
        if review:
            assert row["复核意见"].startswith(review["verdict"]) and review["comment"] in row["复核意见"]
    marked = 0
    for code, table in result.report.tables.items():
        cells = printed_cells(wb[TABLE_NAMES[code]])
        mine = [(f, c) for f in result.findings for c in f.cells if c["table"] == code and table.has(str(c["row"]))
                and c["column"] in table.columns]
        for f, c in mine:
            heading = SPECS[code].column_names.get(c["column"], c["column"])
            there = [x for x in cells[(label(result.report, code, str(c["row"])), heading)]
                     if x.comment and f"#{number[f.message]} " in x.comment.text]
            assert len(there) == 1, (f.key, c)
            assert there[0].value == pytest.approx(c["value"]) if c["value"] is not None else there[0].value is None
            worst = min((g.severity for g in result.findings for d in g.cells
                         if (d["table"], d["row"], d["column"]) == (code, c["row"], c["column"])), key=severity_rank)
            assert there[0].fill.fgColor.rgb.endswith(COLOURS[worst]), (f.key, c)
        filled = [x for xs in cells.values() for x in xs if x.comment]
        assert all(x.fill.fgColor.rgb[-6:] in COLOURS.values() for x in filled)
        assert len(filled) == len({(c["row"], c["column"]) for _, c in mine})  # nothing else is marked
        marked += len(filled)
    return marked


def test_check_writes_the_working_paper_of_the_sample(tmp_path):
    """`auditlib check --format xlsx --out F --triage T` on the bundled sample."""
    result = check(read_report(SAMPLE))
    triage = decide(tmp_path / "triage.yaml", result.findings)
    out = tmp_path / "底稿.xlsx"
    proc = auditlib("check", "--format", "xlsx", "--out", out, "--triage", tmp_path / "triage.yaml")
    assert proc.returncode == 1 and proc.stdout == "", proc.stderr  # the sample has errors: exit 1 as ever
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["封面", "审核发现", "覆盖情况", *(f"公开{i:02d}表" for i in range(1, 11))]
    assert assert_working_paper(wb, result, triage) >= 40
    t06 = wb["公开06表"]
    assert t06["A1"].value == "公开06表 一般公共预算财政拨款基本支出决算表"
    cover = {r[0]: r[1] for r in wb["封面"].iter_rows(min_row=3, values_only=True) if r[0]}
    assert cover["编制单位"] == "原南昌市大数据发展管理局" and cover["年度"] == 2021
    assert cover["审核发现"] == "31 条（错误 15，警告 16，信息 0）" and cover["已处理"] == "3 / 31"
    assert cover["已复核"] == "2 / 31"
    coverage = list(wb["覆盖情况"].iter_rows(values_only=True))
    assert coverage[2][:8] == ("公开02表", "收入决算表", "已读取", "第 128 行", 21, 147, 147, "已执行")
    assert ("COMPL.timeliness", "部门决算在批复后 20 日内公开",
            "未提供 published_on（公开日期）和 approved_on（批复日期）") in [r[:3] for r in coverage]


@pytest.mark.skipif(not PUTUO.exists(), reason="the corpus is not beside the checkout")
def test_working_paper_of_a_real_pdf(tmp_path):
    """上海市普陀区规划和自然资源局 2024 (Word PDF): page numbers, 公开10表 not found, the
    narrative's misstatements marked on the 公开05/06表 cells they restate."""
    result = check(read_report(PUTUO))
    triage = decide(tmp_path / "triage.yaml", result.findings)
    out = tmp_path / "putuo.xlsx"
    out.write_bytes(xlsx_bytes(result, triage))
    wb = openpyxl.load_workbook(out)
    assert assert_working_paper(wb, result, triage) >= 4
    rows = findings_rows(wb)
    # the narrative misstates the table: its place is the narrative's section, not the table cell it restates
    t05 = next(r for r in rows if r["位置"] == "六、一般公共预算财政拨款基本支出决算情况说明")
    assert (t05["级别"], t05["页码"], t05["应为"], t05["实为"], t05["差额"]) == ("错误", 24, 5364.75, 5377.64, 12.89)
    cell = next(x for x in printed_cells(wb["公开05表"])[("合计", "基本支出")])
    assert cell.value == 5364.75 and cell.number_format == "#,##0.00" and cell.fill.fgColor.rgb.endswith("FFCDD2")
    coverage = {r[0]: r for r in wb["覆盖情况"].iter_rows(values_only=True) if r[0]}
    assert coverage["公开10表"][2:3] + coverage["公开10表"][7:8] == ("缺失", "未执行（未找到本表）")
    assert coverage["公开06表"][3:7] == ("第 16 页", 67, 67, 67)


@pytest.mark.parametrize("args, says", [
    (["--format", "xlsx"], "不能写到标准输出，请用 --out 指定文件"),
    (["--format", "json", "--triage", "t.yaml"], "--triage 只用于 --format xlsx"),
    (["--format", "xlsx", "--out", "no/such/folder/x.xlsx"], "所在文件夹不存在"),
    (["--format", "xlsx", "--out", "x.xlsx", "--triage", "missing.yaml"], "missing.yaml: 文件不存在"),
    (["--format", "xlsx", "--out", "."], ".: 是文件夹"),
])
def test_a_working_paper_that_cannot_be_written_is_said_before_reading(tmp_path, monkeypatch, args, says):
    monkeypatch.chdir(tmp_path)
    proc = auditlib("check", *args)
    assert proc.returncode == 2 and proc.stdout == "" and says in proc.stderr, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and not list(tmp_path.iterdir())  # nothing written


def test_check_out_writes_a_text_format_to_the_file(tmp_path):
    """`--out` works for every format: the file holds what stdout would."""
    proc = auditlib("check", "--format", "text", "--out", tmp_path / "findings.txt")
    assert proc.returncode == 1 and proc.stdout == ""
    assert (tmp_path / "findings.txt").read_text(encoding="utf-8") == auditlib("check", "--format", "text").stdout


def test_what_auditors_type_stays_text(tmp_path):
    """A note pasted from Word with a control character, or starting with "=", is written as the
    text it is: openpyxl would refuse the character (the whole paper lost) and Excel would take
    "=…" for a formula (#NAME?)."""
    result = check(read_report(SAMPLE))
    path = tmp_path / "triage.yaml"
    set_triage(path, result.findings[0], "已说明", "=核实无误\x0b见附件", by="张三")
    (tmp_path / "p.xlsx").write_bytes(xlsx_bytes(result, read_triage(path)))
    wb = openpyxl.load_workbook(tmp_path / "p.xlsx")
    note = wb["审核发现"]["L2"]
    assert (note.value, note.data_type) == ("=核实无误见附件", "s")
