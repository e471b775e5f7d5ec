"""The workbench (issue 6): `auditlib run` writes the executed notebook, findings.json and an
offline HTML report that keeps every finding of `auditlib check`; triage is carried into later
runs; nbval keeps the notebook honest and fails when a finding changes.

One `auditlib run` (papermill) is shared by the tests of this module (xdist group "workbench");
the two nbval runs are subprocesses of their own.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest

from auditlib.files import atomic_write_text, slugify
from auditlib.workbench.explorer import explorer
from auditlib.workbench.notebook import notebook_digest
from auditlib.errors import RunError, SettingsError
from auditlib.workbench.params import resolve_params, safe_child
from auditlib.workbench.results import load_result
from auditlib.workbench.runner import run, sweep_private_folders
from auditlib.workbench.triage import read_triage, review_triage, set_triage, write_triage

from tests.cli import auditlib

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "audit.ipynb"
SANITIZE = ROOT / "notebooks" / "nbval-sanitize.cfg"
PARAMS = ROOT / "params" / "nanchang-bigdata-2021.yaml"
SLUG = "nanchang-bigdata-2021"

pytestmark = pytest.mark.xdist_group("workbench")



class Rows(HTMLParser):
    """Rows of the findings table and highlighted cells of the report."""

    def __init__(self):
        super().__init__()
        self.rows, self.highlighted, self.ids = [], [], []
        self._row = None
        self._td = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "tr" and "al-row" in (a.get("class") or ""):
            self._row = {**{k[5:]: v for k, v in a.items() if k.startswith("data-")}, "id": a.get("id"), "cells": [],
                         "sorts": []}
        elif tag == "td" and self._row is not None:
            self._td = []
            self._row["sorts"].append(a.get("data-sort"))
        if tag == "td" and "al-hl" in (a.get("class") or "").split():
            self.highlighted.append(a.get("data-findings", "").split())

    def handle_data(self, data):
        if self._td is not None:
            self._td.append(data)

    def handle_endtag(self, tag):
        if tag == "td" and self._row is not None and self._td is not None:
            self._row["cells"].append("".join(self._td).strip())
            self._td = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    """`auditlib run params/nanchang-bigdata-2021.yaml --out TMP`, with a triage file from an
    earlier session already in place (one decision on a current finding, one stale entry)."""
    out = tmp_path_factory.mktemp("reports")
    folder = out / SLUG
    folder.mkdir()
    from auditlib.ingest import read_report
    from auditlib.rules import check

    params = resolve_params(PARAMS)
    first = check(read_report(params.source)).findings[0]
    path = folder / "triage.yaml"
    set_triage(path, first, "已说明", "known <b>issue</b>, see letter 2022-17", by="张三")
    review_triage(path, first.key, "同意", "核对无误", by="李四")
    tri = read_triage(path)
    tri["RETIRED.rule@gone"] = {"status": "误报", "comment": "old"}
    write_triage(path, tri)
    before = path.read_text(encoding="utf-8")
    proc = auditlib("run", PARAMS, "--out", out)
    assert proc.returncode == 1, proc.stderr  # the sample has errors: exit 1 like `check`
    assert proc.stdout == ""
    return {"out": out, "folder": folder, "first": first, "triage_before": before, "stderr": proc.stderr}


@pytest.fixture(scope="module")
def check_json():
    source = resolve_params(PARAMS).source
    proc = auditlib("check", source, "--format", "json")
    assert proc.returncode == 1
    return json.loads(proc.stdout)


@pytest.fixture(scope="module")
def html_rows(run_dir):
    p = Rows()
    p.feed((run_dir["folder"] / "report.html").read_text(encoding="utf-8"))
    return p


def test_run_writes_the_three_outputs(run_dir):
    folder = run_dir["folder"]
    for name in ("audit.ipynb", "findings.json", "report.html", "triage.yaml"):
        assert (folder / name).is_file(), name
    assert not [p for p in folder.iterdir() if p.name.endswith(".tmp") or p.name.startswith(".")]
    assert not (folder / "audit.failed.ipynb").exists()
    nb = nbformat.read(folder / "audit.ipynb", as_version=4)
    assert nb.metadata["papermill"]["parameters"]["interactive"] is False
    printed = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert "审核结果由 auditlib run 交来（本内核未重新读取文件）" in printed


def test_findings_json_is_the_contract_of_check(run_dir, check_json):
    data = json.loads((run_dir["folder"] / "findings.json").read_text(encoding="utf-8"))
    for k in ("document", "tables", "findings", "summary"):
        assert data[k] == check_json[k], k
    assert run_dir["first"].key in data["triage"]


def test_html_keeps_every_finding_of_check(html_rows, check_json):
    want = sorted((f["key"], f["id"], f["severity"], " ".join(f["tables"]), f["message"]) for f in check_json["findings"])
    got = sorted((r["key"], r["rule"], r["severity"], r["tables"], r["cells"][8]) for r in html_rows.rows)
    assert check_json["findings"], "the sample has findings"
    assert got == want


def test_html_highlights_every_compared_cell(run_dir, html_rows, check_json):
    from auditlib.ingest import read_report

    report = read_report(resolve_params(PARAMS).source)
    key_of = {r["id"]: r["key"] for r in html_rows.rows}
    marked = {key_of[i] for ids in html_rows.highlighted for i in ids}
    assert html_rows.highlighted, "no highlighted cell"
    for f in check_json["findings"]:
        shown = [c for c in f["cells"] if c["table"] in report.tables and report.tables[c["table"]].has(str(c["row"]))
                 and c["column"] in report.tables[c["table"]].columns]
        if shown:
            assert f["key"] in marked, f["key"]
    for code in [f"T{i:02d}" for i in range(1, 11)]:
        assert f"al-{code}" in html_rows.ids


def test_html_is_offline_and_without_code(run_dir):
    page = (run_dir["folder"] / "report.html").read_text(encoding="utf-8")
    low = page.lower()
    for bad in ('src="http', "src='http", 'href="http', "href='http", "@import", "url(http", "src=\"//", "cdn"):
        assert bad not in low, bad
    assert "load_result(" not in page and "from auditlib.report import html" not in page
    assert "display(render" not in page and "if interactive:" not in page
    assert "interactive = False" not in page  # the widget cell is left out of the report


def test_triage_is_carried_into_the_run_and_shown(run_dir, html_rows):
    first = run_dir["first"]
    row = next(r for r in html_rows.rows if r["key"] == first.key)
    assert row["triage"] == "已说明"
    assert "known <b>issue</b>" in row["cells"][10]  # escaped: it is text, not markup
    page = (run_dir["folder"] / "report.html").read_text(encoding="utf-8")
    assert "known &lt;b&gt;issue&lt;/b&gt;" in page
    assert "RETIRED.rule@gone" in page  # a decision on a finding no longer reported is listed, not lost
    assert (run_dir["folder"] / "triage.yaml").read_text(encoding="utf-8") == run_dir["triage_before"]
    assert "（处理人：张三" in row["cells"][10] and "复核：同意（复核人：李四" in row["cells"][10]


def test_the_report_opens_with_its_contents_and_the_working_paper(run_dir, html_rows):
    """A table of contents at the top links to every section of the page — and each link
    arrives — and to the Excel working paper written beside it, whose 审核发现 carry the
    decision and its review as triage.yaml holds them."""
    import openpyxl

    from auditlib.report.contents import sections

    page = (run_dir["folder"] / "report.html").read_text(encoding="utf-8")
    nav = page[page.index('<nav class="al al-toc"'):page.index("</nav>")]
    assert page.index("<nav") < page.index('id="al-summary"')  # first in the body
    links = [(h, t) for h, t in re.findall(r'<a href="#([^"]+)">([^<]+)</a>', nav)]
    assert [t for _, t in links] == ["概览", "问题清单", *(f"公开{i:02d}表" for i in range(1, 11)), "文件整体",
                                     "情况说明", "绩效"]
    assert links == sections(page) and all(h in html_rows.ids for h, _ in links)
    assert 'href="working-paper.xlsx"' in nav and (run_dir["folder"] / "working-paper.xlsx").is_file()
    wb = openpyxl.load_workbook(run_dir["folder"] / "working-paper.xlsx")
    head = [c.value for c in wb["审核发现"][1]]
    rows = [dict(zip(head, r)) for r in wb["审核发现"].iter_rows(min_row=2, values_only=True)]
    saved = read_triage(run_dir["folder"] / "triage.yaml")[run_dir["first"].key]
    mine = next(r for r in rows if r["说明"] == run_dir["first"].message)
    assert (mine["状态"], mine["处理人"], mine["复核人"], mine["复核意见"]) == ("已说明", "张三", "李四", "同意：核对无误")
    assert (mine["处理时间"], mine["复核时间"]) == (saved["at"], saved["review"]["at"])
    assert {r["状态"] for r in rows if r is not mine} == {"未处理"}


def test_findings_sort_by_the_magnitude_of_their_difference(html_rows, check_json):
    """差额 sorts by its absolute value (−2,961 is a bigger difference than 0.08): each cell's
    sort key is |差额|, and the sorter compares such keys as numbers."""
    from auditlib.report.page import script

    difference = {f["key"]: f["difference"] for f in check_json["findings"]}
    page_keys = {r["key"]: r["sorts"][7] for r in html_rows.rows}  # the 差额 column
    assert any(d is not None and d < 0 for d in difference.values())
    for key, d in difference.items():
        assert (None if page_keys[key] is None else float(page_keys[key])) == (None if d is None else abs(d)), key
    assert "NUMBER.test(x)&&NUMBER.test(y))?parseFloat(x)-parseFloat(y)" in script()


def test_triage_file_round_trip(tmp_path):
    from auditlib.rules.findings import Finding

    f = Finding(id="T06.x", rule="r", severity="error", tables=["T06"], location="公开06表 人员经费合计", page=None,
                expected=1.0, actual=2.0, difference=1.0, message="m", key="T06.x@T06:personnel_total:amount")
    path = tmp_path / "triage.yaml"
    set_triage(path, f, "已确认", "右边差 0.10", by="张三")
    text = path.read_text(encoding="utf-8")
    assert "T06.x@T06:personnel_total:amount" in text and "右边差 0.10" in text  # readable, diffable
    assert "status: 已确认" in text and "by: 张三" in text  # the auditor's words, not codes
    assert read_triage(path)[f.key]["status"] == "已确认"
    with pytest.raises(ValueError):
        set_triage(path, f, "maybe")
    with pytest.raises(ValueError):
        set_triage(path, f, "confirmed")  # the English codes of old files are read, not written
    set_triage(path, f, None)
    assert read_triage(path) == {}
    path.write_text("{{ not yaml", encoding="utf-8")
    with pytest.raises(SettingsError, match=r"triage\.yaml:1: YAML 格式错误"):
        read_triage(path)  # a broken file is said, at its line, never read as no decisions


def test_a_review_signs_off_a_decision_and_lapses_when_it_changes(tmp_path):
    """复核: the reviewer, time and verdict are kept with the decision; a changed decision
    drops the review (it signed off something else); an unrecorded one cannot be reviewed."""
    from auditlib.rules.findings import Finding

    f = Finding(id="T06.x", rule="r", severity="error", tables=["T06"], location="公开06表 人员经费合计", page=None,
                expected=1.0, actual=2.0, difference=1.0, message="m", key="T06.x@a")
    path = tmp_path / "triage.yaml"
    with pytest.raises(ValueError, match="尚无处理结果"):
        review_triage(path, f.key, "同意", by="李四")
    set_triage(path, f, "误报", "表内口径不同", by="张三")
    review_triage(path, f.key, "退回", "请附说明文件", by="李四")
    review = read_triage(path)[f.key]["review"]
    assert (review["verdict"], review["by"], review["comment"]) == ("退回", "李四", "请附说明文件") and review["at"]
    with pytest.raises(ValueError):
        review_triage(path, f.key, "ok", by="李四")
    set_triage(path, f, "误报", "表内口径不同", by="张三")  # saved again unchanged: the review stands
    assert read_triage(path)[f.key]["review"]["verdict"] == "退回"
    set_triage(path, f, "已确认", "核实后确认", by="张三")
    assert "review" not in read_triage(path)[f.key]
    path.write_text(f"{f.key}:\n  status: 已确认\n  review:\n    verdict: 可以\n", encoding="utf-8")
    with pytest.raises(SettingsError, match=r"triage\.yaml:4"):
        read_triage(path)  # a misspelt verdict is said at its line


def test_a_triage_file_of_an_earlier_version_is_read_in_chinese(tmp_path):
    path = tmp_path / "triage.yaml"
    path.write_text("a@b:\n  status: false alarm\nc@d:\n  status: confirmed\n", encoding="utf-8")
    assert {k: e["status"] for k, e in read_triage(path).items()} == {"a@b": "误报", "c@d": "已确认"}


def test_triage_saved_from_the_widgets_is_read_by_the_next_run(tmp_path, monkeypatch):
    """The notebook's widgets with no triage_path set (JupyterLab out of the box) save next to
    the report, and the next `auditlib run` carries the decision into findings.json."""
    out = tmp_path / "reports"
    monkeypatch.setenv("AUDITLIB_REPORTS", str(out))
    result, _ = load_result(None)  # the notebook's defaults: the bundled sample
    ex = explorer(result, auditor="张三")
    finding = next(f for f in result.findings if f.id == "T06.public_total")  # 公用支出合计 160.08 ≠ 商品和服务支出 164.00
    ex.list.selected = finding.key  # what a click on its row does
    ex.status.value = "已确认"
    ex.comment.value = "已与单位核实"
    ex.save.click()
    assert next(r["st"] for r in ex.list.rows if r["key"] == finding.key) == "已确认"
    path = out / SLUG / "triage.yaml"
    assert read_triage(path)[finding.key]["status"] == "已确认"
    proc = auditlib("run", PARAMS, "--out", out)
    assert proc.returncode == 1, proc.stderr
    data = json.loads((out / SLUG / "findings.json").read_text(encoding="utf-8"))
    assert data["triage"][finding.key]["status"] == "已确认"
    assert data["triage"][finding.key]["comment"] == "已与单位核实"
    assert "已确认：已与单位核实" in (out / SLUG / "report.html").read_text(encoding="utf-8")


def test_notebook_parameters_from_a_params_file(tmp_path, monkeypatch):
    """`params_file` in the notebook's parameters cell: read and validated as `auditlib run` reads
    it (relative to the kernel's folder or its parent, the checkout), the cell's own values win,
    `auditor` fills 处理人 (else the login name), a wrong key stops at its line."""
    from auditlib.workbench import walkthrough

    sample = ROOT / "auditlib" / "samples" / "nanchang-bigdata-2021.txt"
    (tmp_path / "params").mkdir()
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "params" / "dept.yaml").write_text(
        f"source: {sample}\nslug: dept\nyear: 2021\ntolerance: 0.5\nauditor: 张三\nreviewer: 李四\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path / "notebooks")
    p = walkthrough.parameters("params/dept.yaml", tolerance=None, year=2020)
    assert (p["source"], p["slug"], p["tolerance"], p["year"]) == (str(sample), "dept", 0.5, 2020)
    assert (p["auditor"], p["reviewer"]) == ("张三", "李四")
    monkeypatch.setenv("USER", "login")
    assert walkthrough.Audit(None, "", tmp_path, {"auditor": None}).auditor == "login"
    (tmp_path / "params" / "bad.yaml").write_text(f"source: {sample}\nauditer: 张三\n", encoding="utf-8")
    with pytest.raises(SettingsError, match=r"bad\.yaml:2: 未知的键 “auditer”"):
        walkthrough.parameters("params/bad.yaml")


def test_explorer_filters_and_review(tmp_path):
    """The one filter bar (级别, 表, 处理状态, text) narrows the list; a review needs a reviewer and a
    verdict and is refused on a finding not yet decided; a decision saved shows as 待复核 until reviewed."""
    result, _ = load_result(None)
    ex = explorer(result, tmp_path / "triage.yaml", auditor="张三")
    total = len(result.findings)
    assert ex.count.value == f"显示 {total} / {total} 条"
    ex.filters["severity"].value = "error"
    assert {r["sev"] for r in ex.list.rows} == {"错误"} and len(ex.list.rows) == result.errors
    ex.filters["table"].value = "T06"
    assert ex.list.rows and all("公开06表" in r["tab"] for r in ex.list.rows)
    ex.filters["severity"].value = ex.filters["table"].value = "全部"
    ex.filters["text"].value = "公用支出合计"
    assert 0 < len(ex.list.rows) < total and all("公用支出合计" in x["loc"] + x["msg"] for x in ex.list.rows)
    r = next(x for x in ex.list.rows if x["key"].startswith("T06.public_total@"))
    ex.list.selected = r["key"]
    ex.reviewer.value, ex.verdict.value = "李四", "同意"
    ex.review.click()
    assert "尚无处理结果" in ex.message.value and not (tmp_path / "triage.yaml").exists()
    ex.comment.value = "表内口径不同"  # a note typed before a status is chosen: refused, never dropped unsaid
    ex.save.click()
    assert "请先选择处理状态" in ex.message.value and not (tmp_path / "triage.yaml").exists()
    ex.status.value = "误报"
    ex.save.click()
    assert read_triage(tmp_path / "triage.yaml")[r["key"]]["comment"] == "表内口径不同"
    ex.filters["text"].value = ""
    ex.filters["status"].value = "待复核"
    assert [x["key"] for x in ex.list.rows] == [r["key"]]
    ex.reviewer.value = ""
    ex.review.click()
    assert "须填写复核人" in ex.message.value
    ex.reviewer.value, ex.verdict.value = "李四", "退回"
    ex.review.click()
    assert ex.list.rows == []  # no longer waiting for review
    ex.filters["status"].value = "已退回"
    [x] = ex.list.rows
    assert x["st"] == "误报\n复核退回"
    entry = read_triage(tmp_path / "triage.yaml")[r["key"]]
    assert (entry["by"], entry["review"]["by"], entry["review"]["verdict"]) == ("张三", "李四", "退回")
    ex.status.value, ex.comment.value = "未处理", ""  # an explicit withdrawal says that its review goes too
    ex.save.click()
    assert "已撤销处理结果及其复核" in ex.message.value and read_triage(tmp_path / "triage.yaml") == {}


def test_walkthrough_of_a_pdf_shows_page_crops(tmp_path):
    """For a PDF the table sections carry the page crops of their findings' cells, the explorer
    shows the clicked finding with its crop, and a table without findings is folded; the summary
    says what was not checked."""
    from auditlib.workbench import walkthrough

    pdf = ROOT / "tests" / "fixtures" / "nanchang-bigdata-2021.chromium.pdf"
    audit = walkthrough.open_audit(source=str(pdf), triage_path=tmp_path / "triage.yaml")
    t06 = walkthrough.table_section(audit, "T06")
    assert t06.html.count('class="al-crop"') >= 3 and "第 6 页原貌" in t06.html
    assert not t06.html.startswith("<details>")
    t02 = walkthrough.table_section(audit, "T02")
    assert t02.html.startswith("<details><summary>公开02表：已读取，") and "无问题（点击展开原表）" in t02.html
    summary = walkthrough.summary(audit).text
    assert "审核范围：\n  已读取的表：10 / 10" in summary and "未执行的规则" in summary
    ex = walkthrough.findings_section(audit, interactive=True)
    boxed = next(f for f in audit.result.findings if "T06" in f.tables and any(c.get("box") for c in f.cells or []))
    ex.list.selected = boxed.key
    assert "data:image/jpeg;base64," in ex.detail.value and boxed.message in ex.detail.value.replace("&#34;", '"')
    static = walkthrough.findings_section(audit, interactive=False)
    assert static.text.startswith("问题清单：")


def test_private_folders_of_dead_runs_are_removed(tmp_path, monkeypatch):
    """A worker killed mid-run leaves its private folder (model pickle, kernel sockets) behind;
    the next run removes it, and only folders of processes that no longer exist."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True).stdout.strip()
    left = tmp_path / f"auditlib-run-{dead}-abc"
    mine = tmp_path / f"auditlib-run-{os.getpid()}-def"
    for d in (left, mine):
        d.mkdir()
        (d / "model.pkl").write_bytes(b"x")
    (tmp_path / f"auditlib-run-{os.getpid()}-gone").symlink_to(tmp_path / "removed meanwhile")
    sweep_private_folders()  # a folder another run removed between the listing and the look is skipped
    assert not left.exists() and mine.exists()


def test_notebook_digest_ignores_outputs_and_autosave_metadata(tmp_path):
    """The batch cache keys on the notebook's cells: a re-executed or autosaved copy (other
    outputs, execution counts, metadata) is the same notebook, a changed code cell is not."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    for c in nb.cells:
        if c.cell_type == "code":
            c.outputs, c.execution_count = [], None
    nb.metadata["widgets"] = {"state": {}}
    saved = tmp_path / "saved.ipynb"
    nbformat.write(nb, saved)
    assert notebook_digest(saved) == notebook_digest(NOTEBOOK)
    next(c for c in nb.cells if c.cell_type == "code").source += "\nx = 1"
    nbformat.write(nb, saved)
    assert notebook_digest(saved) != notebook_digest(NOTEBOOK)


def test_failed_notebook_keeps_the_previous_report(run_dir, tmp_path):
    """A notebook that fails leaves the last good report untouched and keeps the failed notebook."""
    nb = nbformat.v4.new_notebook()
    p = nbformat.v4.new_code_cell("source = None\nslug = None\ntolerance = 0.005\nmodel_path = None")
    p.metadata["tags"] = ["parameters"]
    nb.cells = [p, nbformat.v4.new_code_cell("raise RuntimeError('boom')")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    bad = tmp_path / "bad.ipynb"
    nbformat.write(nb, bad)
    folder = run_dir["folder"]
    before = {n: (folder / n).read_bytes() for n in ("report.html", "findings.json", "audit.ipynb", "triage.yaml")}
    with pytest.raises(RunError, match="boom"):
        run(PARAMS, run_dir["out"], notebook=bad)
    assert {n: (folder / n).read_bytes() for n in before} == before
    assert (folder / "audit.failed.ipynb").exists()
    (folder / "audit.failed.ipynb").unlink()


# --------------------------------------------------------------------------- params and paths


def test_every_bundled_params_file_resolves():
    files = sorted((ROOT / "params").glob("*.yaml"))
    assert len(files) >= 5
    for f in files:
        p = resolve_params(f)
        assert p.source.exists(), f
        assert p.slug == f.stem


def test_params_from_an_input_path():
    p = resolve_params(ROOT.parent / "shared" / "corpus" / "shanghai-template-2024" / "doc.pdf")
    assert p.slug == "shanghai-template-2024" and p.tolerance is None  # printed precision, as `check`
    p = resolve_params(ROOT / "auditlib" / "samples" / "nanchang-bigdata-2021.txt", tolerance=0.01)
    assert p.slug == "nanchang-bigdata-2021" and p.tolerance == 0.01


def test_bad_params_file(tmp_path):
    f = tmp_path / "x.yaml"
    f.write_text("department: x\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="x.yaml:1: 缺少 “source”"):
        resolve_params(f)
    proc = auditlib("run", f, "--out", tmp_path)
    assert proc.returncode == 2 and proc.stdout == "" and len(proc.stderr.strip().splitlines()) == 1
    proc = auditlib("run", tmp_path / "missing.pdf", "--out", tmp_path)
    assert proc.returncode == 2 and "no such file" in proc.stderr


@pytest.mark.parametrize("name", ["../../etc", "..", ".", "/etc/passwd", "a/../../b", "<script>alert(1)</script>",
                                  "南昌市 大数据/局", "x" * 500, "", "..\\..\\win", "\x00nul"])
def test_output_folder_cannot_leave_out(tmp_path, name):
    slug = slugify(name)
    assert slug and "/" not in slug and "\\" not in slug and not slug.startswith(".") and len(slug) <= 80
    target = safe_child(tmp_path, name)
    assert target.parent == tmp_path.resolve()


def test_atomic_write_replaces_whole_files(tmp_path):
    p = tmp_path / "a" / "f.txt"
    atomic_write_text(p, "one")
    atomic_write_text(p, "two")
    assert p.read_text() == "two" and [x.name for x in p.parent.iterdir()] == ["f.txt"]


# --------------------------------------------------------------------------- nbval


def nbval(notebook: Path, cwd: Path) -> subprocess.CompletedProcess:
    (cwd / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")  # none of the repository's addopts
    # the notebook's default triage file lies under AUDITLIB_REPORTS: none of the checkout's
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "AUDITLIB_REPORTS": str(cwd / "reports")}
    return subprocess.run([sys.executable, "-m", "pytest", "--nbval", str(notebook), "--nbval-sanitize-with",
                           str(SANITIZE), "-q", "-p", "no:cacheprovider", "-p", "no:xdist", "--rootdir", str(cwd)],
                          capture_output=True, text=True, cwd=cwd, env=env, timeout=600)


@pytest.mark.xdist_group("nbval-pass")
def test_nbval_passes_on_the_audit_notebook(tmp_path):
    """`pytest --nbval notebooks/audit.ipynb` (run on a byte-identical copy, so a triage file
    or report lying around the checkout cannot change what it sees)."""
    nb = tmp_path / "nb" / "audit.ipynb"
    nb.parent.mkdir()
    shutil.copy(NOTEBOOK, nb)
    proc = nbval(nb, tmp_path)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert " passed" in proc.stdout


@pytest.mark.xdist_group("nbval-fail")
def test_nbval_fails_when_a_finding_changes(tmp_path):
    """A copy of the notebook whose parameters set a looser tolerance loses findings: nbval fails
    on the finding counts."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    assert "tolerance = None" in cell.source
    cell.source = cell.source.replace("tolerance = None", "tolerance = 5.0", 1)
    path = tmp_path / "nb" / "audit.ipynb"
    path.parent.mkdir()
    nbformat.write(nb, path)
    proc = nbval(path, tmp_path)
    assert proc.returncode == 1, proc.stdout[-4000:]
    assert "Cell outputs differ" in proc.stdout
    assert "发现的问题" in proc.stdout and "walkthrough.summary(audit)" in proc.stdout  # the summary's counts


def test_stored_notebook_is_clean():
    """The committed notebook: first cell tagged parameters after the title, outputs stored (nbval
    compares them), no widget state, no papermill metadata, no absolute paths in outputs."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "parameters" in code[0].metadata.get("tags", [])
    assert all(c.outputs for c in code[1:])
    assert "widgets" not in nb.metadata and "papermill" not in nb.metadata
    text = NOTEBOOK.read_text(encoding="utf-8")
    assert str(ROOT) not in text


def test_run_checks_at_printed_precision_like_check(tmp_path):
    """Without a `tolerance:` a run allows what `auditlib check` allows (half a unit of each
    cell's last printed digit); a number in the params file replaces it; a word is refused."""
    sample = ROOT / "auditlib" / "samples" / "nanchang-bigdata-2021.txt"
    f = tmp_path / "p.yaml"
    f.write_text(f"source: {sample}\ntolerance: 0.5\n", encoding="utf-8")
    assert resolve_params(f).tolerance == 0.5
    f.write_text(f"source: {sample}\ntolerance: 半个\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="tolerance 应为不小于 0 的数字"):
        resolve_params(f)
    from auditlib.ingest import read_report
    from auditlib.rules import check
    from auditlib.workbench.results import check_run

    report = read_report(sample)
    ours, theirs = check_run(report, resolve_params(sample).tolerance), check(report)
    assert [(x.id, x.location, x.severity) for x in ours.findings] == \
        [(x.id, x.location, x.severity) for x in theirs.findings]


def test_params_file_profile_and_dates_reach_the_checks(tmp_path):
    """`profile`, `published_on` and `approved_on` of a params file are what `check --profile
    --published-on --approved-on` gives: the sample approved 2022-08-20, published 2022-09-30
    is 41 days late (over 20); under shanghai-2024 six of its eleven sections are missing; the
    notebook takes the runner's result (the pickle matches them too)."""
    sample = ROOT / "auditlib" / "samples" / "nanchang-bigdata-2021.txt"
    f = tmp_path / "dept.yaml"
    f.write_text(f"source: {sample}\nslug: dept\nprofile: shanghai-2024\npublished_on: 2022-09-30\n"
                 "approved_on: '2022-08-20'\n", encoding="utf-8")
    assert resolve_params(f).check_params == {"profile": "shanghai-2024", "published_on": "2022-09-30",
                                              "approved_on": "2022-08-20"}
    proc = auditlib("run", f, "--out", tmp_path / "out")
    assert proc.returncode == 1, proc.stderr
    data = json.loads((tmp_path / "out" / "dept" / "findings.json").read_text(encoding="utf-8"))
    [late] = [x for x in data["findings"] if x["id"] == "COMPL.timeliness"]
    assert (late["severity"], late["expected"], late["actual"]) == ("error", 20.0, 41.0)
    assert data["summary"]["not_run"] == 0 and data["not_run"] == []
    assert len([x for x in data["findings"] if x["id"] == "COMPL.sections"]) == 6
    nb = nbformat.read(tmp_path / "out" / "dept" / "audit.ipynb", as_version=4)
    [loaded] = [c for c in nb.cells if "open_audit(" in c.source]
    assert "审核结果由 auditlib run 交来" in loaded.outputs[0]["text"]


@pytest.mark.parametrize("line, says", [
    ("profil: national", ":2: 未知的键 “profil”（可用：approved_on、auditor、budget、department、files、password、profile、"
                         "published_on、reviewer、rules、slug、source、timeout、tolerance、year）"),
    ("profile: nope", ":2: profile：未知的完整性规则集 'nope'（可用：national、shaanxi、shanghai-2024、sichuan、yunnan、national-budget、shanghai-budget、jiangsu-budget，或一个规则集文件 .yaml）"),
    ("published_on: 2022/09/30", ":2: published_on 应为日期 YYYY-MM-DD，现为 '2022/09/30'"),
    ("published_on: 2022-13-01", ": YAML 格式错误（month must be in 1..12）"),
    ("timeout: soon", ":2: timeout 应为秒数（0 表示不限时），现为 'soon'"),
    ("timeout: -5", ":2: timeout 应为秒数（0 表示不限时），现为 -5"),
    ("tolerance: 半个", ":2: tolerance 应为不小于 0 的数字（万元），现为 '半个'"),
    ("rules: [a.yaml, 3]", ":2: rules 应为规则文件的路径或路径列表，现为 3"),
    ("year: 二〇二一", ":2: year 应为整数，现为 '二〇二一'"),
    ("slug: [a, b", ":3: YAML 格式错误（expected ',' or ']', but got '<stream end>'）"),
])
def test_a_wrong_params_key_or_value_stops_run_in_one_line(tmp_path, line, says):
    f = tmp_path / "dept.yaml"
    f.write_text(f"source: {ROOT / 'auditlib' / 'samples' / 'nanchang-bigdata-2021.txt'}\n{line}\n", encoding="utf-8")
    proc = auditlib("run", f, "--out", tmp_path / "out")
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.strip().splitlines() == [f"auditlib: {f}{says}"]
    assert not (tmp_path / "out").exists()
