"""Document kinds (issue 30): which kind a document is, told from what it prints; `--kind`; the
budget titles looked up; and `check` on a budget, whose rules are not in the catalog yet, says so
instead of passing the budget off as checked or reporting 决算 errors."""

from __future__ import annotations

import json

import pytest

from auditlib.ingest import read_report
from auditlib.ingest.pdf import read_pdf_lines
from auditlib.ingest.text import read_text_lines
from auditlib.kinds import BUDGET, FINAL, detect, kind_named
from tests.cli import auditlib
from tests.conftest import CORPUS, NANCHANG_TXT

BUDGETS = sorted(p.name for p in (CORPUS / "budgets").iterdir() if (p / "doc.pdf").exists())
WANLI = CORPUS / "budgets" / "sh-pt-wanli-2024-yusuan" / "doc.pdf"


@pytest.mark.parametrize("folder", BUDGETS)
def test_every_dev_set_budget_is_detected_as_a_budget(folder):
    lines = [line.text for line in read_pdf_lines(CORPUS / "budgets" / folder / "doc.pdf").lines]
    found = detect(lines)
    assert (found.kind, found.source) == (BUDGET, "detected")
    assert found.scores[1] >= found.scores[0] + 10  # titles and cover, not a near thing


def test_a_final_accounts_report_is_detected_as_one():
    found = detect([line.text for line in read_text_lines(NANCHANG_TXT).lines])
    assert (found.kind, found.source) == (FINAL, "detected")
    assert found.scores[0] > found.scores[1]


def test_no_cue_keeps_the_default_kind():
    assert (detect(["部门主要职能", "机构设置"]).kind, detect(["部门主要职能"]).source) == (FINAL, "default")


def test_the_kind_cues_are_data_an_auditor_extends(tmp_path, monkeypatch):
    """The cues are budget-tables.yaml's `kind_cues`, checked by its schema: a cover word added
    there tells a document the bundled cues leave at the default; a broken pattern is its line."""
    from auditlib import kinds
    from auditlib.errors import SettingsError

    text = kinds.DATA.read_text(encoding="utf-8")
    cover = ["某某局2025年部门预决算草案", "一、部门主要职能"]
    assert (detect(cover).kind, detect(cover).source) == (FINAL, "default")
    extended = tmp_path / "budget-tables.yaml"
    extended.write_text(text.replace("预算: \"部门预算|", "预算: \"预决算草案|部门预算|"), encoding="utf-8")
    monkeypatch.setattr(kinds, "DATA", extended)
    kinds._data.cache_clear(), kinds._cues.cache_clear()
    try:
        assert (detect(cover).kind, detect(cover).source, detect(cover).scores) == (BUDGET, "detected", (0, 3))
        extended.write_text(text.replace("决算: \"决算(总)?表$\"", "决算: \"决算(总?表$\""), encoding="utf-8")
        kinds._data.cache_clear(), kinds._cues.cache_clear()
        with pytest.raises(SettingsError) as info:
            detect(cover)
        line = text[: text.index("  title_end: {")].count("\n") + 1
        assert str(info.value).startswith(f"{extended}:{line}: 决算 应为正则表达式"), str(info.value)
    finally:
        kinds._data.cache_clear(), kinds._cues.cache_clear()


@pytest.mark.parametrize("title, code", [
    ("2024年部门财务收支预算总表", "B01"),
    ("一、2017 年度江苏省高级人民法院部门收支预算总表", "B01"),
    ("四、2018 年度江苏省高级人民法院财政拨款收支预算总表", "B04"),  # the longest form wins
    ("2024年预算单位一般公共预算基本支出部门预算经济分类预算表", "B06"),
    ("部门“三公”经费和机关运行经费预算表", "B07"),
    ("单位“三公”经费和机关运行经费预算表", "B07"),
    ("详见2024年部门财务收支预算总表", None),  # a sentence that names a table
    ("1. 2024年部门财务收支预算总表 ... ... 10", None),  # a 目录 line
    ("收入支出决算总表", None),
])
def test_budget_titles(title, code):
    assert kind_named(BUDGET).title(title) == code


def test_kind_option_overrides_detection():
    report = read_report(WANLI, kind=BUDGET)
    assert (report.kind, report.kind_source) == (BUDGET, "option")
    done = auditlib("extract", WANLI, "--kind", FINAL)
    assert done.returncode == 2 and not done.stdout
    assert "未找到任何决算公开表" in done.stderr


def test_check_on_a_budget_runs_the_budget_rules():
    done = auditlib("check", WANLI)
    assert done.returncode == 1, done.stderr  # the 三公 table prints figures under "故本表为空表"; 352.67 ≠ 350.35
    result = json.loads(done.stdout)
    assert result["document"]["kind"] == BUDGET and result["document"]["kind_source"] == "detected"
    assert result["document"]["department"] == "上海市普陀区人民政府万里街道办事处"
    assert sorted((f["id"], f["severity"]) for f in result["findings"]) == [
        ("COMPL.budget_empty_table", "error"), ("NARR.budget_coverage", "info"), ("NARR.budget_repeat", "error")]
    assert result["summary"]["fully_checked"] is True and result["summary"]["errors"] == 2
    assert result["summary"]["checks_run"] > 500  # every budget identity, row by row
    assert [t["code"] for t in result["tables"] if t["status"] != "missing"] == [f"B0{n}" for n in range(1, 10)]
    text = auditlib("check", WANLI, "--format", "text").stdout
    assert not text.startswith("注意") and "规则 COMPL.budget_empty_table" in text


def test_a_final_accounts_check_runs_no_budget_rule():
    result = json.loads(auditlib("check", NANCHANG_TXT).stdout)
    assert result["document"]["kind"] == FINAL
    assert "READ.kind" not in {f["id"] for f in result["findings"]}


@pytest.mark.parametrize("folder, department, year", [
    ("js-gaoyuan-2018-yusuan", "江苏省高级人民法院", 2018),  # cover: "2018 年度江苏省高级 / 人民法院预算公开"
    ("sh-pt-fuliyuan-2024-yusuan", "上海市普陀区社会福利院", 2024),  # cover names the district; 编制单位 the unit
])
def test_a_budgets_department_and_year(folder, department, year):
    report = read_report(CORPUS / "budgets" / folder / "doc.pdf")
    assert (report.department, report.year) == (department, year)
