"""The one catalog: every id a finding can carry is listed by `auditlib rules`, and an auditor's
own YAML file (`check --rules FILE`) adds a rule, switches one off, re-grades one, and is
rejected at load time, file and line named, when it misspells a row key."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES

GOLDEN = FIXTURES / "golden"

MY_RULES = """\
- id: MY.t07_execution
  title: 公开07表 “三公”经费决算数不低于年初预算数的 80%
  tables: [T07]
  kind: heuristic
  op: ">="
  lhs: T07[total].actual
  rhs: 0.8 * T07[total].budget
- id: T06.hierarchy
  enabled: false
- id: META.code_name
  severity: error
"""


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "auditlib.cli", *args], capture_output=True, text=True)


def _listed(out: str) -> dict[str, str]:
    """id -> listing group, from the text of `auditlib rules`."""
    ids, group = {}, None
    for line in out.splitlines():
        if line.startswith("== "):
            group = line[3:].split("（")[0]
        elif line and not line[0].isspace():
            ids[line.split()[0]] = group
    return ids


def test_every_id_of_every_golden_finding_is_listed_by_auditlib_rules():
    listing = _cli("rules")
    assert listing.returncode == 0, listing.stderr
    listed = _listed(listing.stdout)
    found = {f["id"] for g in GOLDEN.glob("*.json") for f in json.loads(g.read_text(encoding="utf-8"))["findings"]}
    assert len(found) > 40
    assert found - set(listed) == set()
    # grouped by family, as a reviewer reads them
    assert listed["XY.opening_balance"] == "跨年" and listed["PERF.grade"] == "绩效"
    assert listed["NARR.amount"] == "表文" and listed["READ.table"] == "读取"
    assert listed["T06.personnel_total"] == "表内" and listed["X.T05_T06_basic"] == "表间"
    assert listed["COMPL.template"] == "完整性" and listed["META.department"] == "一致性"


@pytest.fixture
def my_rules(tmp_path: Path) -> Path:
    path = tmp_path / "my.yaml"
    path.write_text(MY_RULES, encoding="utf-8")
    return path


def test_an_auditors_rule_file_adds_disables_and_regrades(my_rules: Path):
    plain = json.loads(_cli("check").stdout)
    got = _cli("check", "--rules", str(my_rules))
    assert got.returncode == 1, got.stderr
    data = json.loads(got.stdout)
    mine = [f for f in data["findings"] if f["id"] == "MY.t07_execution"]
    # the sample's 公开07表: “三公”经费 年初预算数 26.95, 决算数 2.81; 26.95 × 0.8 = 21.56
    assert len(mine) == 1
    assert (mine[0]["severity"], mine[0]["actual"], mine[0]["expected"], mine[0]["difference"]) == (
        "warning", 2.81, 21.56, -18.75)
    assert mine[0]["tables"] == ["T07"] and mine[0]["rule"].startswith("公开07表 “三公”经费决算数")
    # switched off: the sample's two T06.hierarchy errors are gone, and their checks with them
    assert [f["id"] for f in plain["findings"]].count("T06.hierarchy") == 2
    assert "T06.hierarchy" not in {f["id"] for f in data["findings"]}
    assert data["summary"]["checks_run"] < plain["summary"]["checks_run"]
    # re-graded: the code-name warning is an error now
    assert {f["severity"] for f in plain["findings"] if f["id"] == "META.code_name"} == {"warning"}
    assert {f["severity"] for f in data["findings"] if f["id"] == "META.code_name"} == {"error"}
    listing = _cli("rules", "--rules", str(my_rules)).stdout
    assert re.search(r"^T06\.hierarchy .*【已停用】", listing, re.M)
    assert re.search(r"^MY\.t07_execution ", listing, re.M)


@pytest.mark.parametrize("wrong, where, says", [
    ("  lhs: T07[totl].actual", 6, "未知的行 “totl”"),
    ("  lhs: T07[total].actuel", 6, "未知的栏 “actuel”"),
    ("  lhs: T17[total].actual", 6, "未知的表 “T17”"),
    ("  lhs: T07[total].actual +* 2", 6, "表达式"),
    ("  lhs: T07[total].actual\n  scope: each_code\n  codes: T99[level=类]", 8, "未知的表 “T99”"),
    ("  lhs: T07[total].actual\n  scope: each_code\n  codes: T04[levle]", 8, "未知的行 “levle”"),
    ("  lhs: T07[total].actual\n  tolerance: abc", 7, "tolerance 应为不小于 0 的数字（万元），现为 'abc'"),
    ("  lhs: T07[total].actual\n  tolerance: -1", 7, "tolerance 应为不小于 0 的数字"),
    ("  lhs: T07[total].actual\n  enabled: \"no\"", 7, "enabled 应为 true 或 false，现为 'no'"),
    ("  lhs: T07[total].actual\n  no_total: 1", 7, "no_total 应为 true 或 false，现为 1"),
    ("  lhs: T07[total].actual\n  params: [a, b]", 7, "params 应为 “名称: 值” 的映射"),
])
def test_a_misspelt_rule_is_rejected_at_load_time_with_file_and_line(tmp_path: Path, wrong, where, says):
    path = tmp_path / "rules.yaml"
    path.write_text(MY_RULES.replace("  lhs: T07[total].actual", wrong), encoding="utf-8")
    got = _cli("check", "--rules", str(path))
    assert got.returncode == 2
    assert got.stdout == ""
    lines = got.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"auditlib: {path}:{where}: "), got.stderr
    assert says in lines[0]


def test_an_unknown_check_name_is_rejected(tmp_path: Path):
    path = tmp_path / "rules.yaml"
    path.write_text("- id: MY.x\n  title: x\n  tables: [META]\n  kind: consistency\n  check: departmnet\n",
                    encoding="utf-8")
    got = _cli("rules", "--rules", str(path))
    assert got.returncode == 2 and got.stdout == ""
    assert got.stderr.startswith(f"auditlib: {path}:5: 规则 MY.x：未知的检查 “departmnet”")
