"""Every settings file kind (rule catalog, params, profile, triage, prose vocabulary) is read
one way (auditlib/yamlfiles.py): a mistake in one is one line `FILE:LINE: what is wrong` and
exit 2, before any document is read; a bug in auditlib is said to be one, with its traceback
and exit 3, never blamed on the input."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditlib import cli
from auditlib.rules import registry
from auditlib.rules.profile import SCHEMA as PROFILE_SCHEMA
from auditlib.workbench.params import SAMPLE
from auditlib.yamlfiles import load

ROOT = Path(__file__).resolve().parents[1]
PROFILES = ROOT / "auditlib" / "rules" / "profiles"


def _run(capsys, *argv) -> tuple[int, list[str], str]:
    """`auditlib ARGV` in this process: exit status, stderr lines, stdout."""
    status = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, err.strip().splitlines(), out


def _typo(path: Path, text: str, old: str, new: str) -> Path:
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _profile_with_typo(tmp_path: Path) -> tuple[Path, int]:
    text = (PROFILES / "national.yaml").read_text(encoding="utf-8")
    line = text[: text.index("publish_within_days")].count("\n") + 1
    return _typo(tmp_path / "my-profile.yaml", text, "publish_within_days: 20", "publish_within_dayz: 20"), line


def test_a_typo_in_a_rule_file(tmp_path, capsys):
    bad = tmp_path / "rules.yaml"
    bad.write_text("- id: MY.x\n  title: x\n  tables: [T07]\n  lhs: T07[total].actual\n  rhs: 0\n  severty: error\n",
                   encoding="utf-8")
    status, err, out = _run(capsys, "check", SAMPLE, "--rules", bad)
    assert (status, out) == (2, "")
    assert err == [f"auditlib: {bad}:6: 未知的键 “severty”（可用：check、codes、columns、description、doubts_reading、enabled、group、"
                   "id、kind、kinds、lhs、no_total、op、params、rhs、rows、scope、severity、table、tables、title、title_en、"
                   "tolerance、when）"]


def test_a_typo_in_a_params_file(tmp_path, capsys):
    params = tmp_path / "dept.yaml"
    params.write_text(f"source: {SAMPLE}\ntolerence: 0.01\n", encoding="utf-8")
    status, err, out = _run(capsys, "run", params, "--out", tmp_path / "out")
    assert (status, out) == (2, "")
    assert len(err) == 1 and err[0].startswith(f"auditlib: {params}:2: 未知的键 “tolerence”（可用：")
    assert not (tmp_path / "out").exists()  # stopped before anything was written


def test_a_typo_in_a_profile_file(tmp_path, capsys):
    profile, line = _profile_with_typo(tmp_path)
    status, err, out = _run(capsys, "check", SAMPLE, "--profile", profile)
    assert (status, out) == (2, "")
    assert len(err) == 1 and err[0].startswith(f"auditlib: {profile}:{line}: 未知的键 “publish_within_dayz”")


def test_a_profile_file_of_an_auditors_is_used_like_a_bundled_one(tmp_path, capsys):
    own = tmp_path / "my-profile.yaml"
    text = (PROFILES / "national.yaml").read_text(encoding="utf-8")
    _typo(own, text, "terms: [三公经费, 机关运行经费]", "terms: [三公经费, 机关运行经费, 本省特有经费]")
    status, err, out = _run(capsys, "check", SAMPLE, "--profile", own, "--format", "text")
    assert status == 1 and "本省特有经费" in out and "本省特有经费" not in _run(capsys, "check", SAMPLE, "--format", "text")[2]


@pytest.mark.parametrize("old, new, says", [
    ("pattern: \"团组\"", "pattern: \"团组(\"", "pattern 应为正则表达式，现为 '团组('"),
    ("tables: [T01, T02", "tables: [T11, T02", "不能是 'T11'"),
    ("publish_within_days: 20", "publish_within_days: 二十", "publish_within_days 应为整数，现为 '二十'"),
])
def test_every_bundled_profile_is_checked_by_its_schema(tmp_path, old, new, says):
    """The bundled profiles pass; a broken regular expression, an unknown table or a word for a
    number in one is its line."""
    for f in PROFILES.glob("*.yaml"):
        assert load(f, PROFILE_SCHEMA).data["name"]
    text = (PROFILES / "national.yaml").read_text(encoding="utf-8")
    bad = _typo(tmp_path / "p.yaml", text, old, new)
    with pytest.raises(Exception) as info:
        load(bad, PROFILE_SCHEMA)
    line = text[: text.index(old)].count("\n") + 1
    assert str(info.value).startswith(f"{bad}:{line}: ") and says in str(info.value)


def test_a_typo_in_a_triage_file(tmp_path, capsys):
    out = tmp_path / "out"
    triage = out / "nanchang-bigdata-2021" / "triage.yaml"
    triage.parent.mkdir(parents=True)
    triage.write_text("T01.income_total@T01:income_total:amount:\n  status: confirmd\n  comment: 已核实\n",
                      encoding="utf-8")
    status, err, stdout = _run(capsys, "run", SAMPLE, "--out", out)
    assert (status, stdout) == (2, "")
    assert err == [f"auditlib: {triage}:2: status 应为 已确认、已说明、误报 之一，现为 'confirmd'"]
    assert triage.read_text(encoding="utf-8").count("confirmd") == 1  # the auditors' file is untouched


def _subjects_with_typo(tmp_path: Path) -> tuple[Path, int]:
    """The bundled subject vocabulary with one key misspelt (`targt`), and that key's line."""
    text = (ROOT / "auditlib" / "ingest" / "subjects.yaml").read_text(encoding="utf-8")
    old = 'subject: "一般公共预算财政拨款支出", target:'
    line = text[: text.index(old)].count("\n") + 1
    return _typo(tmp_path / "my-subjects.yaml", text, old, old.replace("target", "targt")), line


def test_a_typo_in_a_vocabulary_file(tmp_path, capsys):
    """An auditor's own subject vocabulary (NARR.amount `subjects`, set in a rule file) is read
    when the catalog is: a misspelt key is its file and line, exit 2, before the document."""
    subjects, line = _subjects_with_typo(tmp_path)
    rules = tmp_path / "rules.yaml"
    rules.write_text(f"- id: NARR.amount\n  params:\n    subjects: {subjects}\n", encoding="utf-8")
    for argv in (("check", SAMPLE), ("rules",)):  # `rules` reads no document: the catalog reads the file
        status, err, out = _run(capsys, *argv, "--rules", rules)
        assert (status, out) == (2, "")
        assert len(err) == 1 and err[0].startswith(f"auditlib: {subjects}:{line}: 未知的键 “targt”（可用："), err


def test_an_auditors_own_vocabulary_file_is_used(tmp_path, capsys):
    """The same file without the typo maps the narrative's subjects as the bundled one does."""
    subjects = tmp_path / "my-subjects.yaml"
    subjects.write_text((ROOT / "auditlib" / "ingest" / "subjects.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    rules = tmp_path / "rules.yaml"
    rules.write_text(f"- id: NARR.amount\n  params:\n    subjects: {subjects}\n", encoding="utf-8")
    own = _run(capsys, "check", SAMPLE, "--rules", rules)
    assert own[0] == 1 and own[2] == _run(capsys, "check", SAMPLE)[2]


@pytest.mark.parametrize("name,old,new,says", [
    ("vocabulary.yaml", "  大于: 1\n", "  大于: 2\n", "大于 不能是 2（可用：-1、0、1）"),
    ("vocabulary.yaml", "listing_nouns:", "listing_noun:", "未知的键 “listing_noun”"),
    ("vocabulary.yaml", "  - {grade: 良, floor: 80}", "  - {grade: 良, floor: -80}", "floor 不能是 -80（至少为 0）"),
    # the tables a budget paragraph's 科目 is looked up in are data too (rules/prose/budget_cells.py)
    ("budget-subjects.yaml", "  item: [B05, B12, B03]", "  item: [B05, B12, 3]", "item 应为文字，现为 3"),
    ("budget-subjects.yaml", "  class: [B01, B03, B05, B12]", "  classes: [B01, B03, B05, B12]", "未知的键 “classes”"),
])
def test_the_bundled_vocabularies_are_checked_by_their_schemas(tmp_path, name, old, new, says):
    from auditlib.errors import SettingsError
    from auditlib.ingest.budget_claims import BUDGET_SUBJECTS_SCHEMA
    from auditlib.ingest.vocabulary import VOCABULARY_SCHEMA

    schema = {"vocabulary.yaml": VOCABULARY_SCHEMA, "budget-subjects.yaml": BUDGET_SUBJECTS_SCHEMA}[name]
    text = (ROOT / "auditlib" / "ingest" / name).read_text(encoding="utf-8")
    load(ROOT / "auditlib" / "ingest" / name, schema)
    bad = _typo(tmp_path / name, text, old, new)
    with pytest.raises(SettingsError) as info:
        load(bad, schema)
    assert str(info.value).startswith(f"{bad}:{text[: text.index(old)].count(chr(10)) + 1}: {says}"), str(info.value)


def test_broken_yaml_is_its_line(tmp_path, capsys):
    bad = tmp_path / "rules.yaml"
    bad.write_text("- id: MY.x\n  title: [x\n", encoding="utf-8")
    status, err, _ = _run(capsys, "rules", "--rules", bad)
    assert status == 2 and len(err) == 1 and err[0].startswith(f"auditlib: {bad}:3: YAML 格式错误（")


def test_a_bug_in_a_check_is_a_bug_not_an_unreadable_input(capsys, monkeypatch):
    """A check that raises is auditlib's fault: the traceback is kept, the exit status is 3,
    and the line says so — the input is not blamed."""
    def broken(ctx, rule):
        raise ZeroDivisionError("deliberate")

    check = registry.REGISTRY["relation"]
    monkeypatch.setitem(registry.REGISTRY, "relation", registry.Check(check.name, broken, check.stage, check.once))
    status, err, out = _run(capsys, "check", SAMPLE)
    assert (status, out) == (3, "")
    assert err[0] == "Traceback (most recent call last):" and "ZeroDivisionError: deliberate" in err
    assert err[-1].startswith("auditlib: check: 内部错误——这是 auditlib 的缺陷，不是输入的问题")
    assert not any("无法读取" in line for line in err)


def test_format_choices_are_the_renderers(capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(["check", str(SAMPLE), "--format", "yaml"])
    from auditlib.report.formats import FORMATS

    choices = ", ".join(repr(f) for f in FORMATS)  # the renderers and the binary formats (xlsx)
    assert "xlsx" in FORMATS
    assert info.value.code == 2 and f"invalid choice: 'yaml' (choose from {choices})" in capsys.readouterr().err
