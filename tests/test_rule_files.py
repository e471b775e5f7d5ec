"""An auditor's rule file through `auditlib run` and `auditlib batch` (issue 13): `--rules FILE`
on both commands and `rules:` in a params file (relative to the params file's folder) add a
rule to the bundled catalog; its finding reaches findings.json, the HTML report and the
warehouse; a changed rule file re-runs the departments of a batch.

The rule compares two cells of the bundled sample that differ, checked by hand in
auditlib/samples/nanchang-bigdata-2021.txt: 公开01表 line 98 prints 六、科学技术支出 68.56,
line 100 八、社会保障和就业支出 53.70 (68.56 − 53.70 = 14.86), and 十一、城乡社区支出 53.85 on
line 103 (68.56 − 53.85 = 14.71).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from tests.cli import auditlib

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "auditlib" / "samples" / "nanchang-bigdata-2021.txt"
RULE_ID = "USER.T01.science_social"
RULE = """\
- id: {id}
  title: 公开01表 科学技术支出 = 社会保障和就业支出（审核人员自定）
  title_en: T01 science and technology equals social security and employment (user rule)
  tables: [T01]
  lhs: T01[206].amount
  rhs: T01[{rhs}].amount
"""

pytestmark = pytest.mark.xdist_group("rule-files")



def write_rule(path: Path, rhs: str = "208", rule_id: str = RULE_ID) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(RULE.format(id=rule_id, rhs=rhs), encoding="utf-8")
    return path


def user_findings(folder: Path, rule_id: str = RULE_ID) -> list[dict]:
    data = json.loads((folder / "findings.json").read_text(encoding="utf-8"))
    return [f for f in data["findings"] if f["id"] == rule_id]


def assert_science_vs(f: dict, row: str, expected: float, difference: float, line: int) -> None:
    assert f["severity"] == "error"
    assert f["actual"] == 68.56 and f["expected"] == expected and f["difference"] == pytest.approx(difference)
    assert f["line"] == 98 and f["location"] == "公开01表 六、科学技术支出 决算数"
    assert [(c["row"], c["value"], c["line"]) for c in f["cells"]] == [("206", 68.56, 98), (row, expected, line)]


def test_run_adds_the_rule_of_a_params_file_and_of_the_command_line(tmp_path):
    params = tmp_path / "params" / "dept.yaml"
    write_rule(tmp_path / "params" / "rules" / "mine.yaml")
    params.write_text(f"source: {SAMPLE}\nslug: dept\nrules: rules/mine.yaml\n", encoding="utf-8")
    proc = auditlib("run", params, "--out", tmp_path / "out")
    assert proc.returncode == 1, proc.stderr
    [f] = user_findings(tmp_path / "out" / "dept")
    assert_science_vs(f, "208", 53.70, 14.86, 100)
    assert RULE_ID in (tmp_path / "out" / "dept" / "report.html").read_text(encoding="utf-8")

    # --rules on the command line adds to the params file's rules
    later = write_rule(tmp_path / "elsewhere.yaml", rhs="212", rule_id="USER.T01.science_urban")
    proc = auditlib("run", params, "--out", tmp_path / "out", "--rules", later)
    assert proc.returncode == 1, proc.stderr
    [f] = user_findings(tmp_path / "out" / "dept")
    assert_science_vs(f, "208", 53.70, 14.86, 100)
    [f] = user_findings(tmp_path / "out" / "dept", "USER.T01.science_urban")
    assert_science_vs(f, "212", 53.85, 14.71, 103)

    # without any rule file the sample has no such finding
    proc = auditlib("run", SAMPLE, "--out", tmp_path / "bare")
    assert proc.returncode == 1 and user_findings(tmp_path / "bare" / "nanchang-bigdata-2021") == []


def test_run_rejects_a_missing_rule_file_in_one_line(tmp_path):
    params = tmp_path / "dept.yaml"
    params.write_text(f"source: {SAMPLE}\nrules: [nowhere.yaml]\n", encoding="utf-8")
    proc = auditlib("run", params, "--out", tmp_path / "out")
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.strip().splitlines() == [f"auditlib: {params}:2: 规则文件不存在：nowhere.yaml"]
    missing = tmp_path / "missing.yaml"
    for command in (["check", SAMPLE], ["rules"], ["run", SAMPLE, "--out", tmp_path / "out"],
                    ["batch", SAMPLE, "--out", tmp_path / "out", "--no-progress"]):
        proc = auditlib(*command, "--rules", missing)  # the same line from every command
        assert proc.returncode == 2 and proc.stdout == ""
        assert proc.stderr.strip().splitlines() == [f"auditlib: {missing}: 规则文件不存在"], command
    assert not (tmp_path / "out").exists()


def test_batch_adds_the_rule_and_reruns_when_it_changes(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(SAMPLE, inputs / "dept.txt")
    rules = write_rule(tmp_path / "mine.yaml")
    out = tmp_path / "out"

    def batch() -> str:
        proc = auditlib("batch", inputs, "--out", out, "--rules", rules, "--workers", 1, "--no-progress")
        assert proc.returncode == 0, proc.stderr
        return proc.stderr

    def stored() -> list[tuple]:
        con = duckdb.connect(str(out / "audit.duckdb"), read_only=True)
        try:
            return con.execute("SELECT document, expected, actual, round(difference, 2) FROM findings "
                               "WHERE id = ?", [RULE_ID]).fetchall()
        finally:
            con.close()

    assert "审核 1 个部门" in batch()
    [f] = user_findings(out / "dept")
    assert_science_vs(f, "208", 53.70, 14.86, 100)
    assert stored() == [("dept", 53.70, 68.56, 14.86)]
    assert "未变化跳过 1 个" in batch()  # nothing changed
    write_rule(rules, rhs="212")  # the auditor edits the rule: every department re-runs
    assert "审核 1 个部门" in batch()
    assert stored() == [("dept", 53.85, 68.56, 14.71)]


def test_batch_takes_the_rules_of_each_params_file(tmp_path):
    params = tmp_path / "params"
    write_rule(params / "rules" / "mine.yaml")
    write_rule(params / "rules" / "unused.yaml", rule_id="USER.unused")  # named by no params file: not a department
    (params / "dept.yaml").write_text(f"source: {SAMPLE}\nslug: dept\nrules: [rules/mine.yaml]\n"
                                      "approved_on: 2022-08-20\npublished_on: 2022-09-30\n", encoding="utf-8")
    proc = auditlib("batch", params, "--out", tmp_path / "out", "--workers", 1, "--no-progress")
    assert proc.returncode == 0, proc.stderr
    assert "审核 1 个部门，未变化跳过 0 个，失败 0 个" in proc.stderr
    [f] = user_findings(tmp_path / "out" / "dept")
    assert_science_vs(f, "208", 53.70, 14.86, 100)
    [late] = user_findings(tmp_path / "out" / "dept", "COMPL.timeliness")  # the params file's dates: 41 days
    assert (late["severity"], late["expected"], late["actual"]) == ("error", 20.0, 41.0)


@pytest.mark.parametrize("command", ["run", "batch"])
@pytest.mark.parametrize("given", ["--rules", "params rules:"])
def test_a_misspelt_row_key_stops_run_and_batch_in_one_line(tmp_path, command, given):
    """The rule file is validated when loaded, before any department is read: one line naming
    the file and the line (`T01[20b]`: no such row in 公开01表), exit 2, no output folder
    created — whether it comes from `--rules` or from a params file's `rules:`."""
    bad = tmp_path / "mine.yaml"
    bad.write_text(RULE.format(id=RULE_ID, rhs="20b"), encoding="utf-8")
    inputs = tmp_path / "in"
    inputs.mkdir()
    if given == "--rules":
        shutil.copy(SAMPLE, inputs / "dept.txt")
        target, rules = inputs / "dept.txt", ["--rules", bad]
    else:
        (inputs / "dept.yaml").write_text(f"source: {SAMPLE}\nrules: {bad}\n", encoding="utf-8")
        target, rules = inputs / "dept.yaml", []
    extra = ["--no-progress"] if command == "batch" else []
    proc = auditlib(command, target if command == "run" else inputs, "--out", tmp_path / "out", *rules, *extra)
    assert proc.returncode == 2 and proc.stdout == "", proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"auditlib: {bad}:6: "), proc.stderr
    assert "未知的行 “20b”" in lines[0]
    assert not (tmp_path / "out").exists()

def test_a_changed_completeness_profile_changes_the_batch_fingerprint(tmp_path, monkeypatch):
    """A profile decides the COMPL findings, so editing one re-runs every department."""
    from auditlib.batch import jobs

    package = tmp_path / "auditlib"
    shutil.copytree(ROOT / "auditlib" / "rules", package / "rules")
    monkeypatch.setattr(jobs, "PACKAGE", package)
    before = jobs.fingerprint()
    assert jobs.fingerprint() == before
    profile = package / "rules" / "profiles" / "national.yaml"
    profile.write_text(profile.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert jobs.fingerprint() != before
