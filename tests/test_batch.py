"""Batch runs (issue 7) and their robustness (issue 8): one batch over the bundled params samples,
50 generated departments (6 of them with two years, 3 of those made inconsistent with the prior
year), a converter's text whose 公开03表 cannot be read and a truncated PDF, run ONCE with 2 local
workers (module fixture), whose warehouse answers the README's queries (issue 29); then a re-run that skips
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
from auditlib.batch import warehouse
from auditlib.batch.runner import run_batch
from tests.synth import money
from tests.test_batch_index import index_leaks, table_rows

ROOT = Path(__file__).resolve().parents[1]
PARAMS = ROOT / "params"
CHROMIUM_PDF = ROOT / "tests" / "fixtures" / "nanchang-bigdata-2021.chromium.pdf"
# pdfplumber's text of generated report 11 printed with blanks for zeros: its 公开07表 (and 公开02/03/04/09表,
# whose columns the identities cannot tell apart without the zeros) cannot be read (issue 26's fixtures)
CONVERTED = ROOT / "tests" / "fixtures" / "converted" / "synth-000011.blankzero.plumber.txt"

# a hang guard, not a speed test: the batch fixture takes ~5 min on 2 idle cores, over 15 at load 8–16
pytestmark = [pytest.mark.xdist_group("batch"), pytest.mark.timeout(1800)]

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


def reception_people(r) -> int:
    """公开07表's 公务接待人次 of a generated report: 国内 + 国（境）外."""
    return r.truth["T07"]["domestic_people"]["actual"] + r.truth["T07"]["abroad_reception_people"]["actual"]


def make_inputs(folder: Path) -> tuple[dict, dict]:
    """50 generated departments and a converter's text of another; returns {slug: set of
    expected XY finding ids} and {slug: 公务接待人次} of the generated ones."""
    folder.mkdir(parents=True)
    expected: dict[str, set] = {}
    people: dict[str, int] = {}
    for i in range(SINGLES):
        r = synth.generate(1000 + i, department=f"临川市第{i}样本局", year=2022)
        r.write(folder / f"single-{i:02d}.txt")
        expected[f"single-{i:02d}"] = set()
        people[f"single-{i:02d}"] = reception_people(r)
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
        people[f"pair-{k}-2021"], people[f"pair-{k}-2022"] = reception_people(prior), reception_people(cur)
    data = CHROMIUM_PDF.read_bytes()
    (folder / "broken.pdf").write_bytes(data[: len(data) // 2])  # a truncated PDF among good ones
    shutil.copy(CONVERTED, folder / "converted.txt")
    expected["converted"] = set()
    return expected, people


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    base = tmp_path_factory.mktemp("batch")
    inputs = base / "inputs"
    expected, people = make_inputs(inputs)
    out = base / "out"
    t0 = time.perf_counter()
    summary = run_batch([PARAMS, inputs], out, workers=2, progress=False)
    return {"summary": summary, "out": out, "inputs": inputs, "expected": expected, "people": people,
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
    # issue 29: each working paper linked and there; 全部核对 and 文件类型; the failure by its file's name
    papers = sorted(link for link in p.links if link.endswith("/working-paper.xlsx"))
    assert papers == sorted(f"{o.slug}/working-paper.xlsx" for o in s.ok) and all((out / x).is_file() for x in papers)
    rows, _ = table_rows(page, "departments")
    assert rows["converted"][:3] == ["南浦市文化广电旅游局", "2021", "决算"]
    assert rows["converted"][5] == "否：未能读取 公开03表"
    assert rows["single-00"][:6] == ["临川市第0样本局", "2022", "决算", "single-00 审计工作底稿 6/3/0", "", "是"]
    failures, _ = table_rows(page, "failures")
    assert failures["broken"][:4] == ["broken （名称取自文件名）", "broken", "决算", "否（审核失败）"]
    assert "PDF 文件不完整或已损坏" in failures["broken"][5]
    sources = {source for (source,) in sql(out, "SELECT source FROM documents")}
    assert index_leaks(page, {o.slug for o in s.outcomes} | sources) == []


def test_warehouse_answers_the_readme_queries(batch):
    out = batch["out"]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sql\n(.*?)```", readme[readme.index("## Batch runs"):], re.S)
    assert len(blocks) == 5
    worst, rules, years = blocks[:3]
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


def readme_query(n: int) -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```sql\n(.*?)```", readme[readme.index("## Batch runs"):], re.S)[n]


# 公务接待人次 of the real reports, read by hand: Nanchang's 公开07表 rows 6 and 8 (99 + 0, doc.txt lines
# 345, 348); the Putuo planning bureau's one-row table prints no counts, its narrative does (“接待 2 批次、
# 26 人次”, page 25); the social work department prints an empty table (“本年度没有财政拨款“三公”经费支出，
# 故本表无数据”) and the template XX; generated report 11's 公开07表, read from this converter's text
# with its blank cells bound by the table's sums, prints 国内 45 批 / 360 人次 (the truth; 国（境）外 0).
REAL_RECEPTION = {"nanchang-bigdata-2021": (99, 15, "公开07表", "parsed"),
                  "nanchang-bigdata-2021-chromium": (99, 15, "公开07表", "parsed"),
                  "converted": (360, 45, "公开07表", "parsed"),
                  "shanghai-putuo-planning-2024": (26, 2, "情况说明", "parsed"),
                  "shanghai-putuo-socialwork-2024": (None, None, None, "empty"),
                  "shanghai-template-2024": (None, None, None, "empty")}


def test_warehouse_ranks_departments_by_reception_people(batch):
    """The README's ranking by 三公 公务接待人次: every checked department, the real reports at
    their hand-read values, the generated ones at their truth, blanks last."""
    rows = sql(batch["out"], readme_query(3))
    got = {r[6]: (r[2], r[3], r[4], r[5]) for r in rows}
    assert {d: got[d] for d in REAL_RECEPTION} == REAL_RECEPTION
    assert {d: got[d][0] for d in batch["people"]} == batch["people"]
    assert {d for d, v in got.items() if v[2] == "公开07表"} == set(batch["people"]) | {
        "nanchang-bigdata-2021", "nanchang-bigdata-2021-chromium", "converted"}
    people = [r[2] for r in rows]
    ranked = [p for p in people if p is not None]
    assert ranked == sorted(ranked, reverse=True) and people == ranked + [None] * (len(people) - len(ranked))
    assert "broken" not in got and len(rows) == len(batch["summary"].ok)


def test_warehouse_lists_departments_not_fully_checked(batch):
    """The README's list of departments not fully checked: the converter's text whose 公开03表
    could not be read, and the truncated PDF that failed, named after its file."""
    rows = sql(batch["out"], readme_query(4))
    assert [r[:5] for r in rows] == [("南浦市文化广电旅游局", 2021, "converted", "ok", ["T03"]),
                                     ("broken", None, "broken", "failed", None)]
    assert rows[0][5] == [] and rows[0][6] is None and "broken.pdf" in rows[1][6]
    assert sql(batch["out"], "SELECT department_from FROM documents WHERE document = 'broken'") == [("文件名",)]
    assert sql(batch["out"], "SELECT status, rows, figures, amounts FROM tables WHERE document = 'converted' "
                             "AND table_code = 'T03'") == [("unread", 13, 60, 0)]


def test_warehouse_keeps_blanks_claims_and_scores(batch):
    """A blank cell is NULL and `blank`, not 0 and not absent; the prose's figures with their
    verdicts and the performance scores are there, as printed in Nanchang's doc.txt."""
    out, doc = batch["out"], "nanchang-bigdata-2021"
    cell = ("SELECT value, blank FROM cells WHERE document = ? AND table_code = 'T07' AND row_key = 'domestic_people' "
            "AND column_key = ?")
    con = duckdb.connect(str(out / "audit.duckdb"), read_only=True)
    try:
        assert con.execute(cell, [doc, "budget"]).fetchall() == [(None, True)]  # “-” (line 345)
        assert con.execute(cell, [doc, "actual"]).fetchall() == [(99.0, False)]
        assert con.execute("SELECT count(*) FROM cells WHERE document = 'shanghai-putuo-socialwork-2024' AND "
                           "table_code = 'T07'").fetchall() == [(0,)]  # printed empty: no row, no cell
        # line 418: “其中年初结转和结余 0 万元” against 公开01表's 620.66 (line 121)
        assert con.execute("SELECT value, unit, expected, status, rule, table_code, row_key, column_key FROM claims "
                           "WHERE document = ? AND subject = '年初结转和结余' AND line = 418", [doc]).fetchall() == \
            [(0.0, "万元", 620.66, "mismatch", "NARR.amount", "T01", "opening_balance", "amount")]
        assert con.execute("SELECT status, reason FROM claims WHERE document = ? AND line = 418 AND kind = 'change' "
                           "AND value = 177.76", [doc]).fetchall() == [("unchecked", "上年数不在本年表中")]
        # line 994: 党政信息网络建设 自评表, 政务外网互联网出口带宽 分值 3 得分 0
        assert con.execute("SELECT sheet, level1, level2, target, actual, weight, score FROM scores WHERE document = ? "
                           "AND project = '党政信息网络建设' AND indicator = '政务外网互联网出口带宽'", [doc]).fetchall() == \
            [("自评表", "产出指标", "数量指标", ">=70000兆", "7000兆", 3.0, 0.0)]
        assert con.execute("SELECT kind, fully_checked, unread_tables FROM documents WHERE document = ?",
                           [doc]).fetchall() == [("决算", True, [])]
    finally:
        con.close()


def test_warehouse_codebook_names_every_column_in_chinese(tmp_path):
    """Every column of every table and view of a fresh warehouse has a Chinese name in the
    codebook, and each one's Chinese view has exactly those names, in order."""
    warehouse.write(tmp_path, warehouse.Pending())
    layout: dict[str, list[str]] = {}
    for table, column in sql(tmp_path, "SELECT table_name, column_name FROM information_schema.columns "
                                       "ORDER BY table_name, ordinal_position"):
        layout.setdefault(table, []).append(column)
    book = sql(tmp_path, "SELECT object, object_zh, column_name, column_zh FROM codebook ORDER BY rowid")
    assert sql(tmp_path, "SELECT count(*) FROM 字段说明 WHERE 中文栏名 IS NOT NULL AND 含义 IS NOT NULL") == [(len(book),)]
    assert {(t, c) for t, _, c, _ in book} == {(t, c) for t in layout if t.isascii() for c in layout[t]}
    assert all(re.search(r"[\u4e00-\u9fff]", zh) for *_, zh in book)
    views = {t: v for t, v, _, _ in book}
    assert set(layout) == set(views) | set(views.values())
    for table, view in views.items():
        assert layout[view] == [zh for t, _, _, zh in book if t == table], table


def test_warehouse_names_a_failed_department_as_well_as_the_batch_can(tmp_path):
    """A failed department keeps a name and says where it comes from: its params file, its
    last successful run (the manifest's), or its input's name (the folder's when the file's is
    not Chinese); with its reason, as not fully checked."""
    from auditlib.batch.jobs import Job
    from auditlib.workbench.params import resolve_params

    pending = warehouse.Pending(batch_id="b", version="v")
    planning = PARAMS / "shanghai-putuo-planning-2024.yaml"
    pending.failure(Job(slug="a", origin=str(planning), params=resolve_params(planning)), "读不出")
    pending.failure(Job(slug="b", origin="in/b.pdf"), "读不出", known="上海市普陀区某某局")
    pending.failure(Job(slug="c", origin="in/上海市普陀区某某街道/doc.pdf"), "读不出")
    pending.failure(Job(slug="d", origin="in/2024年度部门决算（某某中心）.pdf"), "读不出")
    warehouse.write(tmp_path, pending)
    assert sql(tmp_path, "SELECT document, department, department_from, year, reason, fully_checked, kind "
                         "FROM documents ORDER BY document") == [
        ("a", "上海市普陀区规划和自然资源局", "参数文件", 2024, "读不出", False, "决算"),
        ("b", "上海市普陀区某某局", "上次审核", None, "读不出", False, "决算"),
        ("c", "上海市普陀区某某街道", "文件名", None, "读不出", False, "决算"),
        ("d", "2024年度部门决算（某某中心）", "文件名", None, "读不出", False, "决算")]


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
