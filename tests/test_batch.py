"""Batch runs (issue 7) and their robustness (issue 8): one batch over the bundled params samples,
50 generated departments (6 of them with two years, 3 of those made inconsistent with the prior
year) and a truncated PDF, run ONCE with 2 local workers (module fixture); then a re-run that skips
everything unchanged, and a Dask LocalCluster on a small subset.  Faults (workers killed, time
limits, interrupted batches …): tests/test_batch_faults.py.

Every department goes through papermill (full notebook): ~60 notebook runs, ~2 min on 2 cores.
"""

from __future__ import annotations

import json
import re
import shutil
import time
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest

from tests import synth
from auditlib.batch.runner import run_batch
from tests.synth import money

ROOT = Path(__file__).resolve().parents[1]
PARAMS = ROOT / "params"
CHROMIUM_PDF = ROOT / "tests" / "fixtures" / "nanchang-bigdata-2021.chromium.pdf"

pytestmark = [pytest.mark.xdist_group("batch"), pytest.mark.timeout(900)]  # the batch fixtures: 279 s under load

SINGLES = 44
PAIRS_OK = 3
PAIRS_BAD = 3


def printed(r, table, row, col) -> float:
    return float(money(r.truth[table][row][col], "万元", commas=False))


def balances(r):
    return {"T01o": printed(r, "T01", "opening_balance", "amount"), "T01c": printed(r, "T01", "closing_balance", "amount"),
            "T04o": printed(r, "T04", "opening_balance", "amount"), "T04c": printed(r, "T04", "closing_balance", "total")}


def first_seed(start: int, year: int, dept: str, want) -> synth.SyntheticReport:
    seed = start
    while True:
        r = synth.generate(seed, department=dept, year=year)
        if want(balances(r)):
            return r
        seed += 1


def add_yoy(cur, prior_income: float) -> None:
    """A 较上年 sentence in this year's narrative, computed from `prior_income` (last year's
    本年收入合计 as the narrative believes it)."""
    x = printed(cur, "T01", "income_total", "amount")
    y = round(x - prior_income, 2)
    z = y / prior_income * 100
    up = y >= 0
    line = (f"本部门 {cur.year} 年度本年收入合计 {x:.2f} 万元，较{cur.year - 1}年{'增加' if up else '减少'} "
            f"{abs(y):.2f} 万元，{'增长' if up else '下降'} {abs(z):.2f}%。")
    i = cur.tail.index("二、支出决算情况说明")
    cur.tail[i:i] = [line, ""]


def make_inputs(folder: Path) -> dict:
    """50 generated departments; returns {slug: set of expected XY finding ids}."""
    folder.mkdir(parents=True)
    expected: dict[str, set] = {}
    for i in range(SINGLES):
        synth.generate(1000 + i, department=f"临川市第{i}样本局", year=2022).write(folder / f"single-{i:02d}.txt")
        expected[f"single-{i:02d}"] = set()
    for k in range(PAIRS_OK + PAIRS_BAD):
        dept = f"江州市第{k}测试局"
        bad = k >= PAIRS_OK
        if bad:  # last year's report disagrees: balances carried over and the 较上年 figures
            prior = first_seed(5000 + 100 * k, 2021, dept, lambda b: b["T01c"] > 0)
            cur = first_seed(7000 + 100 * k, 2022, dept, lambda b: True)
            add_yoy(cur, printed(prior, "T01", "income_total", "amount") + 37.5)
            bp, bc = balances(prior), balances(cur)
            expected[f"pair-{k}-2022"] = {"XY.change", "XY.growth"} | (
                {"XY.opening_balance"} if bc["T01o"] != bp["T01c"] else set()) | (
                {"XY.fiscal_opening_balance"} if bc["T04o"] != bp["T04c"] else set())
        else:  # consistent: nothing carried over, the 较上年 figures from last year's table
            prior = first_seed(5000 + 100 * k, 2021, dept, lambda b: b["T01c"] == 0 and b["T04c"] == 0)
            cur = first_seed(7000 + 100 * k, 2022, dept, lambda b: b["T01o"] == 0 and b["T04o"] == 0)
            add_yoy(cur, printed(prior, "T01", "income_total", "amount"))
            expected[f"pair-{k}-2022"] = set()
        prior.write(folder / f"pair-{k}-2021.txt")
        cur.write(folder / f"pair-{k}-2022.txt")
        expected[f"pair-{k}-2021"] = set()
    data = CHROMIUM_PDF.read_bytes()
    (folder / "broken.pdf").write_bytes(data[: len(data) // 2])  # a truncated PDF among good ones
    return expected


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    base = tmp_path_factory.mktemp("batch")
    inputs = base / "inputs"
    expected = make_inputs(inputs)
    out = base / "out"
    t0 = time.perf_counter()
    summary = run_batch([PARAMS, inputs], out, workers=2, progress=False)
    return {"summary": summary, "out": out, "inputs": inputs, "expected": expected,
            "seconds": time.perf_counter() - t0}


def sql(out: Path, query: str, variables: dict | None = None):
    con = duckdb.connect(str(out / "audit.duckdb"), read_only=True)
    try:
        for k, v in (variables or {}).items():
            con.execute(f"SET VARIABLE {k} = ?", [v])
        return con.execute(query).fetchall()
    finally:
        con.close()


def test_batch_completes_with_every_good_report(batch):
    s, out = batch["summary"], batch["out"]
    slugs = {o.slug for o in s.outcomes}
    assert set(batch["expected"]) <= slugs
    assert {p.stem for p in PARAMS.glob("*.yaml")} <= slugs
    assert len(slugs) >= 50 + 5 + 1
    failed = {o.slug: o.reason for o in s.failed}
    assert set(failed) == {"broken"}, _whole_reasons(out, failed)
    assert "broken.pdf" in failed["broken"] and "\n" not in failed["broken"]
    for o in s.ok:
        folder = out / o.slug
        assert all((folder / f).exists() for f in ("report.html", "findings.json", "working-paper.xlsx")), o.slug
    # the notebook was handed the worker's result: it extracted nothing itself
    nb = (out / "pair-0-2022" / "audit.ipynb").read_text(encoding="utf-8")
    assert "审核结果由 auditlib run 交来" in nb


def _whole_reasons(out: Path, failed: dict) -> str:
    """Each unexpected failure with its whole reason and error.log, so that a failure seen once
    (under load, in CI) can be diagnosed from the test's output alone."""
    def evidence(slug: str) -> str:
        log, nb = out / slug / "error.log", out / slug / "audit.failed.ipynb"
        text = log.read_text(encoding="utf-8") if log.exists() else ""
        if nb.exists():
            cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
            text += "\n".join("\n".join(o.get("traceback", [])) for c in cells for o in c.get("outputs", [])
                              if o.get("output_type") == "error")
        return text

    return "\n".join(f"{slug}: {reason}\n{evidence(slug)}" for slug, reason in failed.items() if slug != "broken")


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.external, self.text = [], [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for k in ("href", "src"):
            if a.get(k):
                (self.external if re.match(r"^[a-z]+:", a[k]) else self.links).append(a[k])

    def handle_data(self, data):
        self.text.append(data)


def test_index_lists_every_department_and_failure(batch):
    s, out = batch["summary"], batch["out"]
    page = (out / "index.html").read_text(encoding="utf-8")
    p = Links()
    p.feed(page)
    assert not p.external, p.external[:3]
    for o in s.ok:
        assert f"{o.slug}/report.html" in p.links, o.slug
    text = " ".join(p.text)
    assert "broken" in text and "truncated or corrupt PDF" in text
    assert "<svg" in page and "<script>" in page and "sortable" in page
    assert "临川市第0样本局" in text


def test_warehouse_answers_the_readme_queries(batch):
    out = batch["out"]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sql\n(.*?)```", readme[readme.index("## Batch runs"):], re.S)
    assert len(blocks) == 3
    worst, rules, years = blocks
    rows = sql(out, worst)
    assert rows and rows[0][3] >= rows[-1][3]
    assert any(r[2].startswith("pair-") and r[2].endswith("2022") and r[3] > 0 for r in rows)
    rows = sql(out, rules)
    assert rows and {"XY.change", "XY.growth"} <= {r[0] for r in sql(out, rules.replace("LIMIT 20", ""))}
    statements = [x for x in years.split(";") if x.strip()]
    query = statements[-1]
    rows = sql(out, query, {"department": "江州市第4测试局"})
    assert [r[0] for r in rows] == [2021, 2022]
    assert rows[1][-1] >= 2 and rows[0][-1] == 0 and rows[0][4] is not None
    # counts per table and the other tables are there
    n_cells = sql(out, "SELECT count(*) FROM cells WHERE document = 'pair-0-2021'")[0][0]
    assert n_cells > 100
    assert sql(out, "SELECT status, reason FROM documents WHERE document = 'broken'")[0][0] == "failed"
    assert sql(out, "SELECT count(*) FROM triage")[0][0] >= 0


def test_cross_year_findings_exactly_where_injected(batch):
    out = batch["out"]
    got: dict[str, set] = {}
    for doc, fid in sql(out, "SELECT document, id FROM findings WHERE cross_year"):
        got.setdefault(doc, set()).add(fid)
    want = {k: v for k, v in batch["expected"].items() if v}
    assert got == want
    assert sum(bool(v) for v in want.values()) == PAIRS_BAD
    # they are in the department's own findings.json and report too, naming both years
    data = json.loads((out / "pair-4-2022" / "findings.json").read_text(encoding="utf-8"))
    xy = [f for f in data["findings"] if f["id"].startswith("XY.")]
    assert {f["id"] for f in xy} == want["pair-4-2022"]
    change = next(f for f in xy if f["id"] == "XY.change")
    assert change["tables"] == ["NARR", "T01"] and "2022" in change["location"] and "2021" in change["location"]
    assert abs(change["difference"] - (-37.5)) < 0.02
    assert "XY.change" in (out / "pair-4-2022" / "report.html").read_text(encoding="utf-8")


def test_rerun_skips_unchanged_departments(batch):
    out = batch["out"]
    before = sql(out, "SELECT count(*) FROM findings")[0][0]
    # one department changed: only it (and the broken input) run again
    changed = batch["inputs"] / "single-00.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    t0 = time.perf_counter()
    s = run_batch([PARAMS, batch["inputs"]], out, workers=2, progress=False)
    took = time.perf_counter() - t0
    assert {o.slug for o in s.ok} == {"single-00"}
    assert {o.slug for o in s.failed} == {"broken"}
    assert len(s.skipped) == len(batch["summary"].outcomes) - 2
    assert sql(out, "SELECT count(*) FROM findings")[0][0] == before
    assert took < batch["seconds"] / 3


def test_dask_local_cluster_gives_the_same_results(batch, tmp_path):
    from distributed import LocalCluster

    subset = tmp_path / "in"
    subset.mkdir()
    names = ["pair-4-2021.txt", "pair-4-2022.txt", "single-01.txt"]
    for n in names:
        shutil.copy(batch["inputs"] / n, subset / n)
    out = tmp_path / "out"
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        s = run_batch([subset], out, scheduler=cluster.scheduler_address, progress=False)
    assert {o.slug for o in s.ok} == {n[:-4] for n in names}
    q = "SELECT document, id, key, severity FROM findings ORDER BY ALL"
    mine = sql(out, q)
    theirs = [r for r in sql(batch["out"], q) if r[0] in {n[:-4] for n in names}]
    assert mine == theirs
    assert any(r[1].startswith("XY.") for r in mine)
