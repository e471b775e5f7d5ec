"""决算 against its own 预算 (issue 30): the bundled sample 决算 paired with the budget
tools/make_pair_fixture.py writes from its 年初预算 figures (tests/fixtures/pair/), consistent and
with planted mismatches, through `check --budget`, `run` (params `budget:`) and `batch`: every
planted mismatch found — rule, cells of both documents, both values — and nothing on the
consistent pair; a budget file that cannot be used is one line and exit 2."""

from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl
import pytest

from auditlib.batch.runner import run_batch
from auditlib.workbench.params import SAMPLE
from auditlib.workbench.runner import run
from tests.cli import auditlib
from tests.conftest import CORPUS, FIXTURES

PAIR = FIXTURES / "pair"


def budget(variant: str) -> Path:
    return PAIR / f"nanchang-bigdata-2021-yusuan-{variant}.txt"


def cells(f: dict) -> tuple:
    return tuple((c["document"], c["table"], c["row"], c["column"], c["value"]) for c in f["cells"])


def pair_findings(result: dict) -> set[tuple]:
    """(rule, cells of both documents with their values, the 决算's figure, the budget's)."""
    return {(f["id"], cells(f), f["actual"], f["expected"]) for f in result["findings"] if f["id"].startswith("PAIR")}


T07 = ("决算", "T07"), ("预算", "B07")
# what each variant plants (tools/make_pair_fixture.py) and must be found, nothing more
PLANTED = {
    "consistent": set(),
    "yuan": set(),  # B01–B06 in 元, B07 in 万元: converted to the 决算's 万元, nothing to find
    "t07": {
        ("PAIR.t07_budget", ((*T07[0], "abroad", "budget", 18.6), (*T07[1], "abroad", "budget", 16.6)), 18.6, 16.6),
        ("PAIR.t07_budget", ((*T07[0], "reception", "budget", 8.35), (*T07[1], "reception", "budget", 10.35)), 8.35, 10.35),
        ("PAIR.budget_claim", (("预算", "B07", "abroad", "budget", 16.6),), 18.6, 16.6),
        ("PAIR.budget_claim", (("预算", "B07", "reception", "budget", 10.35),), 8.35, 10.35),
        # 完成预算的 33.7% = 2.81 / 8.35; over the budget's 10.35 it is 27.15%
        ("PAIR.completion", (("决算", "T07", "reception", "actual", 2.81), ("预算", "B07", "reception", "budget", 10.35)),
         33.7, 27.15),
    },
    "narr": {  # 10.00 moved from 215 to 206 (which the budget did not list before)
        ("PAIR.budget_claim", (("预算", "B04", "206", "total", 10.0),), 0.0, 10.0),
        ("PAIR.budget_claim", (("预算", "B04", "215", "total", 2821.22),), 2831.22, 2821.22),
        # 完成年初预算的 144.1% = 4,080.10 / 2,831.22; over 2,821.22 it is 144.62%
        ("PAIR.completion", (("决算", "T04", "215", "total", 4080.1), ("预算", "B04", "215", "total", 2821.22)),
         144.1, 144.62),
    },
}


@pytest.fixture(scope="module")
def alone() -> dict:
    done = auditlib("check", SAMPLE)
    return json.loads(done.stdout)


@pytest.mark.parametrize("variant", sorted(PLANTED))
def test_check_budget_finds_every_planted_mismatch_and_nothing_else(variant, alone):
    done = auditlib("check", SAMPLE, "--budget", budget(variant))
    result = json.loads(done.stdout)
    assert pair_findings(result) == PLANTED[variant]
    assert result["budget"] == {"path": str(budget(variant)), "kind": "预算", "department": "南昌市大数据发展管理局",
                                "year": 2021, "unit": "元" if variant == "yuan" else "万元"}
    # the 决算's own findings are those of the 决算 alone; the pair rules compared something
    assert [f for f in result["findings"] if not f["id"].startswith("PAIR")] == alone["findings"]
    # 6 公开07表 rows, 11 年初预算 figures, 7 completion rates (the two on 0 budgeted have none), PAIR.match
    assert result["summary"]["checks_run"] == alone["summary"]["checks_run"] + 6 + 11 + 7 + 1
    assert "budget" not in alone and not any("document" in c for f in alone["findings"] for c in f["cells"])


def test_every_output_names_the_document_of_each_cell(tmp_path):
    args = ("check", SAMPLE, "--budget", budget("t07"))
    text = auditlib(*args, "--format", "text").stdout
    assert ("决算 · 公开07表 · 因公出国(境)费 · 年初预算数 18.60 ≠ "
            "预算 · 2021年一般公共预算“三公”经费支出表 · 因公出国(境)费 · 预算数 16.60") in text
    assert "决算说明的年初预算数 8.35万元 ≠ 预算 · 2021年一般公共预算“三公”经费支出表 · 公务接待费 · 预算数 10.35" in text
    out = tmp_path / "底稿.xlsx"
    assert auditlib(*args, "--format", "xlsx", "--out", out).returncode == 1
    rows = list(openpyxl.load_workbook(io.BytesIO(out.read_bytes()))["审核发现"].values)
    places = {r[3] for r in rows[1:] if str(r[5]).startswith("PAIR.t07_budget")}
    assert places == {f"决算 · 公开07表 · {row} · 年初预算数 ↔ 预算 · 2021年一般公共预算“三公”经费支出表 · {row} · 预算数"
                      for row in ("因公出国(境)费", "公务接待费")}


def test_a_budget_of_another_year_is_said_first(tmp_path):
    other = tmp_path / "2022.txt"
    other.write_text(budget("narr").read_text(encoding="utf-8").replace("2021年", "2022年"), encoding="utf-8")
    result = json.loads(auditlib("check", SAMPLE, "--budget", other).stdout)
    assert [(f["id"], f["severity"], f["message"]) for f in result["findings"] if f["id"].startswith("PAIR")] == [
        ("PAIR.match", "error", "所给部门预算不是本决算的同一部门同一年度：年度：决算为 2021，预算为 2022")]
    # the planted mismatches of the narr budget are not reported: every other pair rule is not run, saying why
    assert {n["id"]: n["reason"] for n in result["not_run"] if n["id"].startswith("PAIR")} == dict.fromkeys(
        ("PAIR.t07_budget", "PAIR.budget_claim", "PAIR.completion"),
        "预算与决算不是同一部门同一年度（the budget is not of the same department and year）")


JIANGSU = CORPUS / "budgets" / "js-gaoyuan-2019-yusuan" / "doc.pdf"


def test_a_jiangsu_budget_is_compared_where_it_prints_the_cells(tmp_path):
    """Jiangsu's 财政拨款收支预算总表 prints one 预算数 column and no 科目 rows (its 财政拨款支出预算表
    B12 lists them): the targets' Jiangsu cells are compared, never a 科目 read as 0 from B04.
    The budget is another department's: PAIR.match is switched off so that the rules run."""
    rules = tmp_path / "rules.yaml"
    rules.write_text("- id: PAIR.match\n  enabled: false\n", encoding="utf-8")
    result = json.loads(auditlib("check", SAMPLE, "--budget", JIANGSU, "--rules", rules).stdout)
    claimed = {cells(f): f["actual"] for f in result["findings"] if f["id"] == "PAIR.budget_claim"}
    assert claimed[(("预算", "B04", "expense_grand_total", "amount", 37188.34),)] == 2973.7
    assert claimed[(("预算", "B12", "208", "total", 2355.65),)] == 53.7
    # a 科目 B12 does not list is compared as 0, and said so (not a blank cell: 空)
    unlisted = next(f for f in result["findings"] if f["id"] == "PAIR.budget_claim" and f["actual"] == 2831.22)
    assert cells(unlisted) == (("预算", "B12", "215", "total", None),)
    assert "≠ 预算 · 财政拨款支出预算表(功能科目) · 215 · 金额（预算表未列此科目，按 0 核对）：" in unlisted["message"]
    assert not [c for f in result["findings"] if f["id"].startswith("PAIR") for c in f["cells"]
                if c["table"] == "B04" and c["row"].isdigit()]
    # a target the budget has no column for: the rule is not run, saying which
    rules.write_text(rules.read_text(encoding="utf-8") + "- id: PAIR.budget_claim\n  params:\n    targets:\n"
                     "      'T04[{code}].total': budget.B04[{code}].total\n", encoding="utf-8")
    result = json.loads(auditlib("check", SAMPLE, "--budget", JIANGSU, "--rules", rules).stdout)
    assert not [f for f in result["findings"] if f["id"] == "PAIR.budget_claim"]
    assert [n["reason"] for n in result["not_run"] if n["id"] == "PAIR.budget_claim"] == [
        "预算财政拨款收支预算总表未列“合计”栏"]


@pytest.mark.parametrize("path, problem", [
    ("missing-yusuan.txt", "文件不存在"),
    (SAMPLE, "未找到任何预算公开表"),  # a 决算 given as the budget
])
def test_a_budget_that_cannot_be_used_is_one_line_and_exit_2(tmp_path, path, problem):
    path = tmp_path / path if isinstance(path, str) else path
    done = auditlib("check", SAMPLE, "--budget", path)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.count("\n") == 1 and f"{path}: 预算文件无法使用" in done.stderr and problem in done.stderr


def test_a_pair_rule_is_catalog_data(tmp_path):
    """An auditor's rule file adds a pair rule: no new function."""
    rules = tmp_path / "rules.yaml"
    rules.write_text("- id: PAIR.basic_total\n  title: 决算基本支出 ≤ 年初预算基本支出\n  tables: [T05]\n"
                     "  check: pair_relation\n  kind: heuristic\n  op: '<='\n  lhs: T05[total].basic\n"
                     "  rhs: budget.B05[total].basic\n", encoding="utf-8")
    result = json.loads(auditlib("check", SAMPLE, "--budget", budget("consistent"), "--rules", rules).stdout)
    assert pair_findings(result) == set()  # 1,038.94 ≤ 1,042.48
    rules.write_text(rules.read_text(encoding="utf-8").replace("'<='", "'>='"), encoding="utf-8")
    result = json.loads(auditlib("check", SAMPLE, "--budget", budget("consistent"), "--rules", rules).stdout)
    assert pair_findings(result) == {("PAIR.basic_total", (("决算", "T05", "total", "basic", 1038.94),
                                                           ("预算", "B05", "total", "basic", 1042.48)), 1038.94, 1042.48)}
    rules.write_text(rules.read_text(encoding="utf-8").replace("budget.B05", "budget.T05"), encoding="utf-8")
    done = auditlib("rules", "--rules", rules)  # a budget reference names a 预算's own table
    assert done.returncode == 2 and "未知的表 “T05”（可用：budget.B01–B14）" in done.stderr


def params(folder: Path, name: str, **keys) -> Path:
    path = folder / f"{name}.yaml"
    path.write_text("".join(f"{k}: {v}\n" for k, v in keys.items()), encoding="utf-8")
    return path


@pytest.mark.timeout(900)
def test_run_holds_the_decision_against_the_params_budget(tmp_path):
    out = run(params(tmp_path, "nanchang", source=SAMPLE, budget=budget("narr")), tmp_path / "reports")
    result = json.loads(out.findings.read_text(encoding="utf-8"))
    assert pair_findings(result) == PLANTED["narr"] and result["budget"]["path"] == str(budget("narr"))
    assert "决算 · 情况说明 · 三、财政拨款支出决算情况说明 ↔ 预算 · 2021年财政拨款收支总表 · 资源勘探工业信息等支出 · 合计" in \
        out.html.read_text(encoding="utf-8")


def test_run_refuses_a_budget_it_cannot_use(tmp_path):
    missing = tmp_path / "none.txt"
    done = auditlib("run", params(tmp_path, "nanchang", source=SAMPLE, budget=missing), "--out", tmp_path / "r")
    assert (done.returncode, done.stdout) == (2, "") and done.stderr.count("\n") == 1 and str(missing) in done.stderr
    done = auditlib("run", params(tmp_path, "typo", source=SAMPLE, budget=3), "--out", tmp_path / "r")
    assert done.returncode == 2 and "budget" in done.stderr and "预算文件的路径" in done.stderr


@pytest.mark.timeout(1800)
def test_batch_pairs_the_budget_and_the_decision_of_one_department_and_year(tmp_path):
    folder = tmp_path / "params"
    folder.mkdir()
    params(folder, "juesuan", source=SAMPLE, slug="nanchang-2021")
    params(folder, "yusuan", source=budget("t07"), slug="nanchang-2021-yusuan")
    copy = tmp_path / "copy.txt"  # a batch reads one source once: the failing department has its own
    copy.write_bytes(SAMPLE.read_bytes())
    params(folder, "broken", source=copy, slug="broken", budget=tmp_path / "none.txt")
    wrong = tmp_path / "wrong.txt"  # a 预算 given a `budget:` of its own: refused as `check --budget` refuses it
    wrong.write_bytes(budget("consistent").read_bytes())
    params(folder, "wrong", source=wrong, slug="wrong", budget=budget("narr"))
    summary = run_batch([folder], tmp_path / "out", progress=False)
    failed = {o.slug: o.reason for o in summary.failed}
    assert sorted(failed) == ["broken", "wrong"]
    assert str(tmp_path / "none.txt") in failed["broken"] and "预算文件无法使用" in failed["broken"]
    assert f"{wrong}: {REFUSED}" in failed["wrong"]
    assert sorted(o.slug for o in summary.ok) == ["nanchang-2021", "nanchang-2021-yusuan"]
    result = json.loads((tmp_path / "out" / "nanchang-2021" / "findings.json").read_text(encoding="utf-8"))
    assert pair_findings(result) == PLANTED["t07"] and result["budget"]["path"] == str(budget("t07"))
    budget_result = json.loads((tmp_path / "out" / "nanchang-2021-yusuan" / "findings.json").read_text(encoding="utf-8"))
    assert "budget" not in budget_result and not pair_findings(budget_result)


def test_out_never_overwrites_the_budget(tmp_path):
    kept = tmp_path / "budget.txt"
    kept.write_bytes(budget("consistent").read_bytes())
    done = auditlib("check", SAMPLE, "--budget", kept, "--out", kept)
    assert (done.returncode, done.stdout) == (2, "") and "不能覆盖被审核的文件" in done.stderr
    assert kept.read_bytes() == budget("consistent").read_bytes()


REFUSED = "是预算，预算（--budget 或参数文件的 budget:）只用于以预算核对决算"


def test_a_budget_checked_with_budget_is_one_line_and_exit_2():
    done = auditlib("check", budget("consistent"), "--budget", budget("t07"))
    assert (done.returncode, done.stdout) == (2, "") and done.stderr.count("\n") == 1
    assert f"{budget('consistent')}: {REFUSED}" in done.stderr


def test_run_refuses_a_params_budget_beside_a_budget_as_check_does(tmp_path):
    """`run` with a params file whose source is a 预算 and which names `budget:`: the same one
    line as `check --budget`, nothing written under the report's folder."""
    done = auditlib("run", params(tmp_path, "yusuan", source=budget("consistent"), budget=budget("t07")),
                    "--out", tmp_path / "r")
    assert (done.returncode, done.stdout) == (2, "") and done.stderr.count("\n") == 1
    assert f"{budget('consistent')}: {REFUSED}" in done.stderr
    assert not any(p.is_file() for p in (tmp_path / "r").rglob("*"))


def test_the_notebook_opened_from_a_params_file_holds_its_budget(tmp_path):
    """The notebook opened by hand (`params_file` in its parameters cell) checks against the
    params file's budget, as `auditlib run` does."""
    from auditlib.workbench import walkthrough

    audit = walkthrough.open_audit(params(tmp_path, "nanchang", source=SAMPLE, budget=budget("t07")),
                                   triage_path=tmp_path / "triage.yaml")
    assert audit.result.budget is not None and audit.result.budget.path == str(budget("t07"))
    assert pair_findings(audit.result.to_json()) == PLANTED["t07"]


@pytest.mark.timeout(1800)
def test_a_batch_pairs_a_skipped_decision_when_its_budget_turns_up_or_changes(tmp_path):
    """A 决算 checked alone, then its budget added to the batch as a bare file whose name says
    nothing of its kind: once read as the 决算's budget, the skipped 决算 is re-opened and paired;
    the budget changed: re-run again, the PAIR findings those of the new budget."""
    folder, out = tmp_path / "params", tmp_path / "out"
    folder.mkdir()
    params(folder, "juesuan", source=SAMPLE, slug="nanchang-2021")
    run_batch([folder], out, progress=False)
    copy = folder / "nanchang-b.txt"
    copy.write_bytes(budget("t07").read_bytes())

    def findings() -> dict:
        return json.loads((out / "nanchang-2021" / "findings.json").read_text(encoding="utf-8"))

    summary = run_batch([folder], out, progress=False)
    assert sorted(o.slug for o in summary.ok) == ["nanchang-2021", "nanchang-b"] and not summary.skipped
    assert pair_findings(findings()) == PLANTED["t07"] and findings()["budget"]["path"] == str(copy)
    # a batch stopped after the budget's report, before the re-opened 决算's: the next run pairs them
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    manifest["departments"]["nanchang-2021"]["budget"] = None
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    summary = run_batch([folder], out, progress=False)
    assert sorted(o.slug for o in summary.ok) == ["nanchang-2021", "nanchang-b"] and not summary.skipped
    assert findings()["budget"]["path"] == str(copy)
    assert [o.slug for o in run_batch([folder], out, progress=False).skipped] == ["nanchang-2021", "nanchang-b"]
    copy.write_bytes(budget("narr").read_bytes())
    assert "nanchang-2021" in [o.slug for o in run_batch([folder], out, progress=False).ok]
    assert pair_findings(findings()) == PLANTED["narr"]


@pytest.mark.timeout(900)
def test_a_pairing_that_fails_is_recorded_with_its_reason_and_not_retried_in_every_batch(tmp_path, monkeypatch):
    """The checks against the 预算 raising for one department (a fault planted in the pair stage):
    its 决算 is checked without them — the cross-year checks kept, every pair rule listed as not
    run with the reason, a Chinese line in the batch's warnings — the other departments go on,
    and the next batch skips all three: a failed pairing is recorded with its budget and retried
    when the 预算 or the 决算 changes (then paired), not re-read in every batch."""
    from auditlib.rules import runner

    stage = runner._stage

    def failing(ctx, name):
        if name == "pair" and ctx.budget is not None:  # the checks against a 预算, as a batch runs them
            raise ValueError("预算表无法比对")
        return stage(ctx, name)

    monkeypatch.setattr(runner, "_stage", failing)
    folder, out = tmp_path / "params", tmp_path / "out"
    folder.mkdir()
    params(folder, "juesuan", source=SAMPLE, slug="nanchang-2021")
    kept = tmp_path / "yusuan.txt"
    kept.write_bytes(budget("t07").read_bytes())
    params(folder, "yusuan", source=kept, slug="nanchang-2021-yusuan")
    params(folder, "other", source=FIXTURES / "matrix" / "synth-000011.txt", slug="nanpu-2021")
    summary = run_batch([folder], out, progress=False)
    slugs = ["nanchang-2021", "nanchang-2021-yusuan", "nanpu-2021"]
    assert sorted(o.slug for o in summary.ok) == slugs
    assert [w for w in summary.warnings if "预算" in w] == [
        f"nanchang-2021: 与预算 {kept} 的核对未进行：出错（ValueError: 预算表无法比对）；预算或决算改动后再核对"]
    result = json.loads((out / "nanchang-2021" / "findings.json").read_text(encoding="utf-8"))
    assert not pair_findings(result) and "budget" not in result
    reasons = {n["id"]: n["reason"] for n in result["not_run"] if n["id"].startswith("PAIR.")}
    assert sorted(reasons) == ["PAIR.budget_claim", "PAIR.completion", "PAIR.match", "PAIR.t07_budget"]
    assert set(reasons.values()) == {"与预算的核对未进行：出错（ValueError: 预算表无法比对）"}
    entry = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["departments"]["nanchang-2021"]
    assert entry["budget"]["slug"] == "nanchang-2021-yusuan" and entry["budget"]["failed"] == "出错（ValueError: 预算表无法比对）"
    again = run_batch([folder], out, progress=False)
    assert sorted(o.slug for o in again.skipped) == slugs and not again.ok
    monkeypatch.undo()  # the fault gone and the budget changed: the pair is checked again, and holds
    kept.write_bytes(budget("narr").read_bytes())
    again = run_batch([folder], out, progress=False)
    assert sorted(o.slug for o in again.ok) == slugs[:2] and not again.warnings
    assert pair_findings(json.loads((out / "nanchang-2021" / "findings.json").read_text(encoding="utf-8"))) == \
        PLANTED["narr"]
