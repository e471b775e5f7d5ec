"""Golden files: the JSON findings of every fixture and sample, compared whole.

A refactoring of the checks must not change a single finding (id, location, severity,
values, message, cells, order).  tests/fixtures/golden/<name>.json holds what `check`
(and, for the two-year pair, the cross-year checks) gave on each input when the files
were written; the inputs are the bundled sample, the real corpus, every PDF fixture and
the generated inputs of tools/make_golden_inputs.py (one planted error of each kind).

After a change that alters findings on purpose, rewrite them and review the diff:

    AUDITLIB_GOLDEN=update .venv/bin/python -m pytest tests/test_golden.py
"""

from __future__ import annotations

import functools
import json
import os
from pathlib import Path

import pytest

from auditlib.rules.prior import Prior
from auditlib.rules.runner import apply_prior
from auditlib.report.formats import render
from auditlib.ingest import read_report
from auditlib.rules import check
from auditlib.rules.findings import CheckResult
from tests.conftest import CORPUS, FIXTURES, ROOT

GOLDEN = FIXTURES / "golden"
UPDATE = os.environ.get("AUDITLIB_GOLDEN") == "update"
PRIOR = GOLDEN / "inputs" / "pair-2021.txt"


def _inputs() -> dict[str, tuple[Path, dict]]:
    """name -> (input, params); the Shanghai documents also under their own profile."""
    found = {"sample": (ROOT / "auditlib" / "samples" / "nanchang-bigdata-2021.txt", {})}
    for doc in sorted(CORPUS.glob("*/doc.*")):
        found[f"corpus-{doc.parent.name}"] = (doc, {})
        if doc.parent.name.startswith("shanghai"):
            found[f"corpus-{doc.parent.name}-profile"] = (doc, {"profile": "shanghai-2024"})
    for path in sorted([*FIXTURES.glob("*.pdf"), *(FIXTURES / "matrix").glob("*.*"),
                        *(GOLDEN / "inputs").glob("*.txt")]):
        if path.suffix in (".pdf", ".txt"):
            found[f"{path.parent.name}-{path.name}"] = (path, {})
    return found


INPUTS = _inputs()


def on_its_worker(name: str) -> pytest.MarkDecorator:
    """The xdist group of golden input `name`: every test of it (here and in test_user_words.py)
    runs on one worker, which reads and checks it once (`checked`); spread over two workers
    (`--dist loadgroup`), each would read it again."""
    return pytest.mark.xdist_group(f"golden-{name}")


EACH_INPUT = [pytest.param(name, marks=on_its_worker(name)) for name in sorted(INPUTS)]


@functools.lru_cache(maxsize=None)
def checked(name: str) -> CheckResult:
    """What `check` gives on the golden input `name` (read once a session: test_user_words.py
    renders the same results)."""
    path, params = INPUTS[name]
    if not path.exists():
        pytest.fail(f"{path}: missing input (../shared/corpus must be beside the repository)")
    result = check(read_report(path), params=params)
    if path.name == "pair-2022.txt":
        prior = read_report(PRIOR)
        apply_prior(result, {prior.year: Prior(prior, "pair-2021", prior.year)})
    return result


def findings_json(name: str) -> dict:
    """What `auditlib check --format json` prints, with the machine's path made relative."""
    path, _ = INPUTS[name]
    data = json.loads(render(checked(name), "json"))
    base = CORPUS.parent if path.is_relative_to(CORPUS.parent) else ROOT
    data["document"]["path"] = path.relative_to(base).as_posix()
    return data


@pytest.mark.parametrize("name", EACH_INPUT)
def test_findings_are_the_golden_ones(name):
    got = findings_json(name)
    golden = GOLDEN / f"{name}.json"
    if UPDATE:
        golden.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    want = json.loads(golden.read_text(encoding="utf-8"))
    for part in want:
        assert got[part] == want[part], f"{name}: {part} differs from {golden.name}"
    assert set(got) == set(want)


def test_every_family_of_finding_is_in_the_golden_files():
    """The golden files are only a guard if they hold every family the checks can emit."""
    ids = {f["id"] for g in GOLDEN.glob("*.json") for f in json.loads(g.read_text(encoding="utf-8"))["findings"]}
    families = {i.split(".")[0] for i in ids}
    assert {"XY", "NARR", "PERF", "COMPL"} <= families, families
    assert len(ids) > 40, sorted(ids)
