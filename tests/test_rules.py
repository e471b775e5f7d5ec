"""The rule catalog and engine on the real Nanchang report.

Every finding asserted here was checked by hand against
../shared/corpus/nanchang-bigdata-2021/doc.txt (line numbers in the comments).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from auditlib.ingest import read_report
from auditlib.errors import SettingsError
from auditlib.rules import check, load_catalog
from tests.conftest import NANCHANG_TXT

# (rule id, severity, location, expected, actual) — verified by hand:
# The five T06 relations below fail together; error localization (issue 25) reports them as one
# cause (LOC.candidates, see test_localize.py for why at least five cells must be wrong and the
# relations cannot tell which), each of them a warning under it.
REAL = {
    # 公开05表 line 258 prints 基本支出 1,038.94; 公开06表 line 318: 872.80 + 160.08 = 1,032.88
    ("X.T05_T06_basic", "warning", "公开05表 栏次合计 基本支出", 1032.88, 1038.94),
    # 公开06表 line 280: 编制单位：南阳市大禹街道办事处 (another department's name)
    ("META.department", "error", "公开06表 编制单位", "原南昌市大数据发展管理局", "南阳市大禹街道办事处"),
    # 公开06表 301 工资福利支出 871.29, its 款 lines 286–298 add up to 841.75
    ("T06.hierarchy", "warning", "公开06表 工资福利支出 决算数", 841.75, 871.29),
    # 302 商品和服务支出 164.00, its 款 lines 286–312 add up to 148.19
    ("T06.hierarchy", "warning", "公开06表 商品和服务支出 决算数", 148.19, 164.00),
    # 人员经费合计 872.80 ≠ 871.29 + 1.61 = 872.90 (the contract's own example)
    ("T06.personnel_total", "warning", "公开06表 人员经费合计 决算数", 872.90, 872.80),
    # 公用支出合计 160.08 ≠ 302 164.00 (+ 310, 399 not printed)
    ("T06.public_total", "warning", "公开06表 公用支出合计 决算数", 164.00, 160.08),
    # the five above: at least five cells of 公开06表 are wrong, which the relations cannot tell
    ("LOC.candidates", "error", "公开06表 一般公共预算财政拨款基本支出决算表", None, None),
    # 2150199 is 其他资源勘探工业信息支出 in T02/T03 but 其他资源勘探业支出 in T05 (line 270)
    ("META.code_name", "warning", "科目 2150199", None, None),
}
# The narrative and performance section (issue 5), verified by hand:
REAL_PROSE = {
    # line 418: 年初结转和结余 0 万元, but 公开01表 prints 620.66
    ("NARR.amount", "error", "一、收入决算情况说明", 620.66, 0.0),
    # line 446: 工资福利支出 871.25 万元, 公开06表 301 prints 871.29
    ("NARR.amount", "error", "四、一般公共预算财政拨款基本支出决算情况说明", 871.29, 871.25),
    # line 446: 增加 29.17 → 增长 29.17 / (871.25 − 29.17) = 3.46%, printed 3.2%
    ("NARR.growth", "error", "四、一般公共预算财政拨款基本支出决算情况说明", 3.46, 3.2),
    # line 452: 资本性支出 2.09 万元, but 公开06表 has no 310 row at all
    ("NARR.absent", "warning", "四、一般公共预算财政拨款基本支出决算情况说明", None, 2.09),
    # line 470: 机关运行经费 166.08 against 公开06表 公用经费 160.08 (a definition may differ: warning)
    ("NARR.amount", "warning", "六、机关运行经费支出情况说明", 160.08, 166.08),
    # line 478: 50 万元以上通用设备 0 台, 公开10表 prints 5
    ("NARR.amount", "error", "八、国有资产占用情况说明。", 5.0, 0.0),
    # lines 1224/1226: 社会效益 (10分) and 可持续效益 (10分) over items of 12.5 each
    ("PERF.level", "error", "三、综合评价情况及评价结论 社会效益", 12.5, 10.0),
    ("PERF.level", "error", "三、综合评价情况及评价结论 可持续效益", 12.5, 10.0),
    # lines 1169/1171: the same labels in the 评价指标体系表 (no 得分 column)
    ("PERF.level", "error", "2、评价指标体系 社会效益", 12.5, 10.0),
    ("PERF.level", "error", "2、评价指标体系 可持续效益", 12.5, 10.0),
    # line 474: 中小企业 448.25 − 货物 42.26 × 100% − 工程 0 = 405.99 of 服务 459.08 = 88.44%, printed 88.6%
    ("NARR.share", "error", "七、政府采购支出情况说明", 88.44, 88.6),
    # line 580: 安排项目共40个, 其中 13 + 3 + 2 + 3 + 9 + 8 = 38
    ("PERF.count", "error", "绩效说明", 38.0, 40.0),
    # line 1041: 好评率 85% meets >=80% yet scores 12.7 of 15
    ("PERF.met_not_full", "warning",
     "项目支出绩效自评表 中国南昌政务门户网运行维护费 全市政府网站政务公开好评率", 15.0, 12.7),
    # line 1008: 减少网络分散重复建设率 95% against =100%, 13 of 15, no 偏差原因
    ("PERF.reason", "warning", "项目支出绩效自评表 党政信息网络建设 减少网络分散重复建设率", None, 13.0),
}

# Completeness, template wording and zero-base rates (issue 14; details in test_completeness.py):
SANGONG = "五、一般公共预算财政拨款“三公”经费支出决算情况说明"
REAL_COMPLETENESS = {
    # line 464: 增加（减少）… 增长（下降） left from the template
    ("COMPL.template", "error", "模板文字", None, "增加(减少)、增长(下降)"),
    # line 1363: the template's instruction to the compiler kept above the glossary
    ("COMPL.template", "error", "模板文字", None, "可在此基础上结合部门实际情况适当细化、口径必需予以说明"),
    # line 464: 增加（减少）0 万元，增长（下降）100%
    ("NARR.zero_base", "error", SANGONG, None, 100.0),
    # line 464 (twice): 年初预算数为 0 万元，决算数为 0 万元，完成预算的 100%
    ("NARR.zero_base", "warning", SANGONG, None, 100.0),
    # line 474: 工程支出 0 万元, "占工程支出金额的 100%"
    ("NARR.zero_base", "warning", "七、政府采购支出情况说明", None, 100.0),
    # line 458: 因公出国 budget 18.60, actual 0, no reason
    ("COMPL.reasons", "warning", SANGONG, None, None),
    # lines 456–466: no 团组数 / 人次 (公开07表 lines 339–340 print them)
    ("COMPL.three_public", "warning", SANGONG, None, None),
    # line 484: 涉及资金 6378.55 against 公开03表 项目支出 3,306.05
    ("PERF.summary", "warning", "九、预算绩效情况说明", 3306.05, 6378.55),
}


@pytest.fixture(scope="module")
def result(nanchang):
    return check(nanchang)


def test_real_inconsistencies_of_nanchang(result):
    found = {(f.id, f.severity, f.location, f.expected, f.actual) for f in result.findings}
    assert found == REAL | REAL_PROSE | REAL_COMPLETENESS
    assert result.errors == 15 and result.warnings == 16
    assert result.checks_run > 300


def test_no_error_that_rounding_explains(result, nanchang):
    # T01 收入总计: 3,724.34 + 0.00 + 620.66 = 4,345.00 against a printed 4,344.99 (尾数误差)
    t01 = nanchang.tables["T01"]
    assert t01.value("income_total", "amount") + t01.value("opening_balance", "amount") == pytest.approx(4345.00)
    assert t01.value("income_grand_total", "amount") == 4344.99
    assert not [f for f in result.findings if f.id.startswith("T01")]


def test_dash_cells_are_not_compared(result):
    # 公开07表 公务接待费 年初预算数 8.35 with 国内/国外 printed as "-": nothing to compare
    assert not [f for f in result.findings if f.id.startswith("T07")]


def test_findings_point_at_cells(result):
    f = next(f for f in result.findings if f.id == "T06.personnel_total")
    assert f.line == 318 and f.tables == ["T06"] and f.difference == pytest.approx(-0.10)
    assert f.message.startswith("人员经费合计 872.80 ≠ 工资福利支出 871.29 + 对个人和家庭补助 1.61")
    assert {(c["table"], c["row"]) for c in f.cells} == {("T06", "personnel_total"), ("T06", "301"), ("T06", "303")}
    cross = next(f for f in result.findings if f.id == "X.T05_T06_basic")
    assert cross.tables == ["T05", "T06"] and cross.line == 258


def test_catalog_is_data_and_complete():
    rules = load_catalog()
    ids = {r.id for r in rules}
    for table in ("T01", "T02", "T03", "T04", "T05", "T06", "T07", "T08", "T09", "T10"):
        assert any(r.tables[0] == table for r in rules), table
    assert {"X.T01_T02_income", "X.T01_T03_class", "X.T04_T05_class", "X.T04_T08_expense",
            "X.T04_T09_expense", "X.T05_T06_basic", "X.T06_T07_reception", "X.T03_covers_funds",
            "META.department", "META.year", "META.unit", "META.code_name"} <= ids


def test_an_auditor_adds_a_rule_in_yaml(tmp_path, nanchang):
    extra = tmp_path / "mine.yaml"
    extra.write_text(
        "- id: MY.t07_budget_cap\n"
        "  title: 三公经费决算数不超过年初预算的 5%\n"
        "  tables: [T07]\n"
        "  kind: heuristic\n"
        "  lhs: T07[total].actual\n"
        "  op: \"<=\"\n"
        "  rhs: T07[total].budget * 0.05\n", encoding="utf-8")
    result = check(nanchang, extra=[extra])
    mine = [f for f in result.findings if f.id == "MY.t07_budget_cap"]
    assert len(mine) == 1 and mine[0].severity == "warning"
    assert mine[0].actual == 2.81 and mine[0].expected == pytest.approx(1.35, abs=0.005)


def test_rule_expressions_cannot_run_code(tmp_path, nanchang):
    extra = tmp_path / "evil.yaml"
    extra.write_text("- id: EVIL\n  title: x\n  tables: [T01]\n  lhs: T01[income_total].amount\n"
                     "  rhs: __import__('os').getcwd()\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="evil.yaml:5: 规则 EVIL：表达式中不允许“Call”"):
        check(nanchang, extra=[extra])  # rejected when the catalog is loaded, before any evaluation


def _in_yuan(text: str, title: str, next_title: str) -> str:
    """The same report with one table printed in 元 (every figure × 10000)."""
    start, end = text.index(f"\n{title}\n"), text.index(f"\n{next_title}\n")
    block = text[start:end].replace("金额单位：万元", "金额单位：元")
    block = re.sub(r"(?<![\d.])(\d{1,3}(?:,\d{3})*\.\d{2})(?![\d.])",
                   lambda m: f"{round(float(m.group(1).replace(',', '')) * 10000):,.2f}", block)
    return text[:start] + block + text[end:]


def test_a_table_in_yuan_is_converted_not_a_flood(tmp_path, nanchang_text, result):
    path = tmp_path / "yuan.txt"
    path.write_text(_in_yuan(nanchang_text, "支出决算表", "财政拨款收入支出决算总表"), encoding="utf-8")
    report = read_report(path)
    assert report.tables["T03"].unit == "元" and report.tables["T03"].value("total", "total") == 43449900.0
    converted = check(report)
    unit = [f for f in converted.findings if f.id == "META.unit"]
    assert len(unit) == 1 and unit[0].tables == ["T03"] and unit[0].actual == "元"
    # cross-table relations of T03 (with T01, T05) compare after conversion: no new finding.
    # (Inside T03 the 元 figures here are 万元 roundings × 10000, so its own sums keep the
    # 万元 rounding slips that a real 元 table would not have; those — and where localization
    # places them — are not asserted.)
    others = {(f.id, f.location) for f in converted.findings if f.id != "META.unit" and not f.id.startswith("T03.")
              and not (f.id.startswith("LOC.") and f.tables == ["T03"])}
    assert others == {(f.id, f.location) for f in result.findings}
    assert not [f for f in converted.findings if f.id.startswith("X.") and "T03" in f.tables]


# 公开02表's 编制单位 (line 134) as a converter's text leaves a name wrapped in its cell
WRAPPED_T02 = "编制单位：南昌市大 2021\n数据发展 年度\n管理局"


@pytest.mark.parametrize("printed,read,errors,noted", [
    (WRAPPED_T02, "原南昌市大数据发展管理局", 0, False),  # the pieces spell the rest: read whole
    ("编制单位：南昌市大数据", "南昌市大数据", 0, True),  # the rest lost: read in part, not another's
    ("编制单位：南昌市财政局", "南昌市财政局", 1, False),  # another department's name: the error stays
])
def test_a_wrapped_department_is_read_whole_or_in_part_never_taken_for_another(
        tmp_path, nanchang_text, printed, read, errors, noted):
    path = tmp_path / "wrapped.txt"
    path.write_text(nanchang_text.replace("编制单位：南昌市大数据发展管理局\t", printed + "\t", 1), encoding="utf-8")
    report = read_report(path)
    t02 = report.tables["T02"]
    assert t02.department == read and t02.status == "parsed"
    found = [f for f in check(report).findings if f.id == "META.department" and f.tables == ["T02"]]
    assert len(found) == errors and all(f.severity == "error" for f in found)
    assert any("编制单位折行" in n.note for n in t02.reading_notes) == noted


def test_a_parents_name_on_a_table_is_a_warning_not_an_error(tmp_path, nanchang_text):
    # the report of a body under the bureau (every name + 信息中心) whose 公开02表 prints the
    # bureau's own name: the start of the report's, ending like a body's — maybe the parent's,
    # maybe a wrap read in part, so a warning that says both
    text = nanchang_text.replace("南昌市大数据发展管理局", "南昌市大数据发展管理局信息中心")
    text = text.replace("编制单位：南昌市大数据发展管理局信息中心\t", "编制单位：南昌市大数据发展管理局\t", 1)
    path = tmp_path / "parent.txt"
    path.write_text(text, encoding="utf-8")
    found = [f for f in check(read_report(path)).findings if f.id == "META.department" and f.tables == ["T02"]]
    assert [(f.severity, f.actual) for f in found] == [("warning", "南昌市大数据发展管理局")]
    assert "可能是上级单位的名称，也可能是折行未读全" in found[0].message


# ---- the command line ----------------------------------------------------------


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "auditlib.cli", *args], capture_output=True, text=True)


def test_cli_check_json_contract_and_exit_1():
    run = _cli("check", str(NANCHANG_TXT), "--format", "json")
    assert run.returncode == 1
    data = json.loads(run.stdout)
    assert set(data) >= {"document", "tables", "findings", "summary"}
    assert data["document"]["department"] == "原南昌市大数据发展管理局" and data["document"]["year"] == 2021
    assert [t["code"] for t in data["tables"]] == [f"T{n:02d}" for n in range(1, 11)]
    assert data["tables"][8]["status"] == "empty"
    for f in data["findings"]:
        assert set(f) >= {"id", "rule", "severity", "tables", "location", "page", "expected", "actual",
                          "difference", "message", "cause", "symptoms", "implied", "candidates"}
    keys = {f["key"] for f in data["findings"]}
    assert all(f["cause"] in keys for f in data["findings"] if f["cause"])  # the solver's run printed nothing
    assert data["summary"]["errors"] == 15 and data["summary"]["doubtful_tables"] == []
    assert data["summary"]["claims"]["found"] >= 120 and data["claims"][0]["verdict"] in ("ok", "mismatch", "unchecked")
    assert all(c["reason"] for c in data["claims"] if c["verdict"] == "unchecked")


def test_cli_exit_0_without_errors(tmp_path):
    from tests.synth import generate
    from tests.completed import complete

    path = tmp_path / "consistent.txt"
    path.write_text(complete(generate(0)), encoding="utf-8")
    run = _cli("check", str(path), "--format", "json")
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["summary"]["errors"] == 0


def test_cli_text_and_csv():
    text = _cli("check", str(NANCHANG_TXT), "--format", "text").stdout
    assert "-- 公开06表 一般公共预算财政拨款基本支出决算表" in text and "第 318 行" in text
    # errors first, then warnings, then infos (none here): each under its heading
    assert text.index("== 错误（15 条，其下另列由此引起的 5 条）") < text.index("== 警告（11 条）") and "== 信息" not in text
    csv_out = _cli("check", str(NANCHANG_TXT), "--format", "csv").stdout.splitlines()
    assert csv_out[0].startswith("\ufeff规则编号,级别,表,位置") and len(csv_out) == 32
    assert csv_out[0].endswith(",问题键,起因问题键") and csv_out[1].split(",")[1] == "错误"
    assert "执行审核规则 747 项，发现问题 31 条：错误 15，警告 16，信息 0" in text
    # the five 公开06表 relations are listed under the one cause that explains them
    assert text.count("↳ 由此引起") == 5
    assert re.search(r"情况说明与绩效中的数字：找到 \d+ 处，对应到表中单元格 \d+ 处，已核对 \d+ 处", text)


@pytest.mark.parametrize("content,problem", [
    (b"", "empty file"),
    (b"\xff\xfe\x00garbage!", "无法识别的文本编码"),  # a UTF-16 mark on an odd number of bytes
    ("随便写的一段话。\n".encode(), "no final-accounts table found"),
])
def test_cli_unreadable_input_exit_2(tmp_path, content, problem):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    run = _cli("check", str(path))
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr.count("\n") == 1 and str(path) in run.stderr and problem in run.stderr


def test_cli_missing_file_and_fake_pdf(tmp_path):
    run = _cli("extract", str(tmp_path / "nope.pdf"))
    assert run.returncode == 2 and "no such file" in run.stderr
    fake = tmp_path / "page.pdf"
    fake.write_text("<html><body>not a pdf</body></html>")
    run = _cli("check", str(fake))
    assert run.returncode == 2 and "not a PDF" in run.stderr and run.stdout == ""


def test_cli_extract_json_and_xlsx(tmp_path):
    run = _cli("extract", str(NANCHANG_TXT))
    data = json.loads(run.stdout)
    t02 = data["tables"]["T02"]
    assert t02["columns"][:3] == ["key", "code", "name"]
    row = next(r for r in t02["rows"] if r[0] == "2080505")
    assert row[1] == "2080505" and row[5] == 51.12
    out = tmp_path / "r.xlsx"
    assert _cli("extract", str(NANCHANG_TXT), "--format", "xlsx", "--out", str(out)).returncode == 0
    import pandas as pd

    sheets = pd.read_excel(out, sheet_name=None)
    assert set(sheets) == {"tables", *(f"T{n:02d}" for n in range(1, 11))}
    assert sheets["T06"].set_index("key").loc["personnel_total", "amount"] == 872.80


def test_cli_rules_lists_catalog():
    run = _cli("rules")
    assert run.returncode == 0 and "T06.personnel_total" in run.stdout and "X.T05_T06_basic" in run.stdout


def test_an_empty_table_states_zero_against_t04(tmp_path, nanchang_text):
    # 公开04表 reports 53.85 of 政府性基金 expenditure; print 公开08表 empty instead
    start = nanchang_text.index("\t\t0.00\t53.85\t53.85\t0.00\t53.85\t0.00\n")
    end = nanchang_text.index("注：本表反映部门本年度政府性基金预算财政拨款收入")
    path = tmp_path / "t08empty.txt"
    path.write_text(nanchang_text[:start] + nanchang_text[end:], encoding="utf-8")
    report = read_report(path)
    assert report.tables["T08"].status == "empty"
    found = {(f.id, f.actual, f.expected) for f in check(report).findings if f.id.startswith("X.T04_T08")}
    assert ("X.T04_T08_expense", 53.85, 0.0) in found and ("X.T04_T08_income", 53.85, 0.0) in found


@pytest.mark.parametrize("name,found,unread", [
    ("其他科学技术", False, False),  # 公开05表's name cut short: the same name
    ("其他科学技术服务", True, False),  # another name: the finding stands
    ("其他科学技术服务", False, True),  # 公开05表 not read: its rows are guesses
])
def test_a_code_name_cut_short_is_the_same_name(tmp_path, nanchang_text, name, found, unread):
    """2069999 其他科学技术支出 (公开05表, line 261) against the other tables' name."""
    path = tmp_path / "names.txt"
    lines = nanchang_text.split("\n")
    assert lines[260] == "2069999\t\t其他科学技术支出\t68.56\t0.00\t68.56"
    lines[260] = lines[260].replace("其他科学技术支出", name)
    path.write_text("\n".join(lines), encoding="utf-8")
    report = read_report(path)
    if unread:
        report.tables["T05"].status = "unread"
    said = [f.message for f in check(report).findings if f.id == "META.code_name" and "2069999" in f.message]
    assert bool(said) == found, said
