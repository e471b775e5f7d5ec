"""The evidence on the page and the auditor's language (issue 16).

* `auditlib annotate` writes a copy of a PDF whose highlight annotations (read back with
  pikepdf) sit on the cells of the findings: the words printed under each annotation are the
  cell's value.
* The page crop of a finding shows its cells boxed.
* No message of the JSON, the text output or the HTML blocks names an internal key.
* A path that does not exist is exit 2 with nothing written.
"""

from __future__ import annotations

import base64
import copy
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pdfplumber
import pikepdf
import pytest
from PIL import Image

from auditlib.report import evidence
from auditlib.report.places import cell_boxes
from auditlib.report import html as render
from auditlib.report.text import render_text
from auditlib.ingest import read_report
from auditlib.rules import check

# one worker runs all its tests (--dist loadgroup), so its module fixtures are made once, not
# once on each worker that runs some of them (its annotated PDF, ~6 s at load 8 on 2 cores)
pytestmark = pytest.mark.xdist_group("evidence")

ROOT = Path(__file__).resolve().parents[1]
PDF = ROOT / "tests" / "fixtures" / "nanchang-bigdata-2021.chromium.pdf"
MATRIX = ROOT / "tests" / "fixtures" / "matrix" / "synth-000011.calc.pdf"
SAMPLE = ROOT / "auditlib" / "samples" / "nanchang-bigdata-2021.txt"
INTERNAL_KEY = re.compile(r"T\d\d\[|\[[a-z_0-9]+\]\.")


def cli(*args, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "auditlib.cli", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, timeout=300, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})


@pytest.fixture(scope="module")
def pdf_result():
    return check(read_report(PDF))


def _red(img: Image.Image) -> int:
    rgb = np.asarray(img.convert("RGB")).astype(int)
    return int(((rgb[..., 0] > 170) & (rgb[..., 1] < 90) & (rgb[..., 2] < 90)).sum())


def test_annotate_puts_a_highlight_on_every_cell_of_every_table_finding(tmp_path, pdf_result):
    out = tmp_path / "annotated.pdf"
    proc = cli("annotate", PDF, "--out", out)
    assert proc.returncode == 1, proc.stderr  # the sample has error findings: exit 1 like `check`
    boxed = {f.key: f for f in pdf_result.findings if cell_boxes(f) and not f.id.startswith("NARR.")}
    # checked by hand on p.6: 公用支出合计 160.08 (T06.public_total) and 人员经费合计 872.80 are boxed
    assert {f.id for f in boxed.values()} >= {"T06.public_total", "T06.personnel_total", "T06.hierarchy",
                                              "X.T05_T06_basic"}
    assert "31 条审核发现中 31 条已标注（32 处标注）" in proc.stderr  # X.T05_T06_basic: on p.5 and p.6
    with pikepdf.open(out) as pdf, pdfplumber.open(out) as plumb:
        annots = [(i + 1, a) for i, page in enumerate(pdf.pages) for a in page.obj.get("/Annots", [])
                  if a.get("/Subtype") == "/Highlight" and str(a.NM).rsplit("|p", 1)[0] in boxed]
        assert len(annots) == sum(len(cell_boxes(f)) for f in boxed.values())  # one per finding and page
        for page_no, a in annots:
            finding = boxed[str(a.NM).rsplit("|p", 1)[0]]
            q = [float(v) for v in a.QuadPoints]
            assert len(q) == 8 * len(cell_boxes(finding)[page_no])  # one quadrilateral per cell
            page = plumb.pages[page_no - 1]
            values = {round(float(c["value"]), 2) for c in finding.cells if c.get("value") is not None}
            for x0, y1, x1, y0 in ((q[i], q[i + 1], q[i + 2], q[i + 5]) for i in range(0, len(q), 8)):
                words = page.crop((x0, page.height - y1, x1, page.height - y0), strict=False).extract_text().split()
                printed = {round(float(w.replace(",", "")), 2) for w in words if re.fullmatch(r"-?[\d,]+\.\d\d", w)}
                assert printed and printed <= values, (finding.message, words)  # on a compared cell
            assert str(a.Contents).startswith(("【错误】", "【警告】", "【信息】"))
        public_total = [a for _, a in annots if "公用支出合计 160.08" in str(a.Contents)]
        assert public_total and any(abs(float(a.Rect[1]) - (842 - 742.9)) < 1 for a in public_total)


def test_annotate_refuses_text_input_and_a_missing_file(tmp_path):
    assert cli("annotate", SAMPLE, "--out", tmp_path / "x.pdf").returncode == 2
    proc = cli("annotate", tmp_path / "nosuch.pdf", "--out", tmp_path / "x.pdf")
    assert proc.returncode == 2 and proc.stdout == ""
    assert not list(tmp_path.iterdir())


def test_page_crop_shows_the_cells_boxed(pdf_result):
    f = next(f for f in pdf_result.findings if f.id == "T06.public_total")
    f = copy.copy(f)
    f.severity = "error"  # a symptom of the 公开06表 cause is boxed in orange; red is the colour to look for
    (page, uri), = evidence.crops(pdf_result.report, f)
    assert page == 6 and uri.startswith("data:image/jpeg;base64,")
    crop = Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1])))
    assert 100 < crop.width < 800 and crop.height <= 760  # a crop around the cells, not the whole page
    assert len(uri) < 120_000
    page_img, _ = evidence._page_image(str(PDF), 6)
    assert _red(page_img) == 0  # the page itself prints nothing red: the red is the drawn box
    assert _red(crop) > 2 * (crop.width // 4)


def test_no_crop_for_a_text_input():
    result = check(read_report(SAMPLE))
    assert all(evidence.crops(result.report, f) == [] for f in result.findings)


def test_every_pdf_finding_has_a_page(pdf_result):
    assert [f.id for f in pdf_result.findings if not f.page] == []


def _messages(result) -> list[str]:
    data = json.loads(json.dumps(result.to_json(), ensure_ascii=False))
    blocks = [render.overview(result), render.findings_table(result), render.claims_view(result),
              render.performance_view(result), render.other_findings(result.findings, ("META",))]
    blocks += [render.table_view(t, result.findings, {}, result.report) for t in result.report.tables.values()]
    html = "".join(b.html + b.text for b in blocks)
    html = re.sub(r"<(script|style)>.*?</\1>", "", html, flags=re.S)
    html = re.sub(r'(data-[a-z]+|id|href)="[^"]*"', "", html)  # keys stay in attributes for the script
    return [f["message"] for f in data["findings"]] + [render_text(result), html]


@pytest.mark.parametrize("path", [SAMPLE, MATRIX], ids=["nanchang-text", "synth-matrix-pdf"])
def test_no_message_names_an_internal_key(path):
    result = check(read_report(path))
    found = [m[:200] for m in _messages(result) if INTERNAL_KEY.search(m)]
    assert found == []


def test_batch_of_a_missing_path_writes_nothing(tmp_path):
    out = tmp_path / "reports"
    proc = cli("batch", tmp_path / "nosuch", "--out", out, "--no-progress")
    assert proc.returncode == 2 and "路径不存在" in proc.stderr
    assert not out.exists()


def test_years_are_not_formatted_as_money():
    # 一、收入决算情况说明 (doc.txt line 418): "较 2020 年减少 177.76 万元" — a year, not 2,020.00
    html = render.claims_view(check(read_report(SAMPLE))).html
    assert '<td class="num">2020 年</td>' in html
    assert not re.search(r"\b2,0\d\d\.00\b", html)


def test_encrypted_pdf_annotated_with_its_password_and_shown_without_crops(tmp_path):
    from tests import badpdf

    locked = badpdf.encrypted(PDF, tmp_path / "locked.pdf", "s3cret")
    result = check(read_report(locked, password="s3cret"))
    assert result.errors == 15  # as the text form (tests/test_rules.py)
    assert all(evidence.crops(result.report, f) == [] for f in result.findings)  # the model keeps no password
    out = tmp_path / "locked.annotated.pdf"
    assert cli("annotate", locked, "--password", "s3cret", "--out", out).returncode == 1
    with pikepdf.open(out, password="s3cret") as pdf:
        n = sum(1 for p in pdf.pages for a in p.obj.get("/Annots", []) if a.get("/Subtype") == "/Highlight")
    assert n == 32  # as the unlocked file: every finding on its cells or sentence


@pytest.mark.parametrize("path", [SAMPLE, PDF], ids=["text", "pdf"])
def test_performance_rows_named_by_a_finding_are_highlighted(path):
    # doc.txt l.1008 (减少网络分散重复建设率 13/15, no reason), l.1041 (好评率 85% ≥ 80% yet 12.7/15),
    # l.1224/1226 (评分表 社会效益 / 可持续效益: stated 10, items 12.5) and the same labels in the
    # 评价指标体系表, l.1169/1171
    html = render.performance_view(check(read_report(path))).html
    marked = re.findall(r'<tr><td class="[^"]*al-hl-(\w+)"[^>]*>([^<]*)</td><td[^>]*>([^<]*)</td><td[^>]*>([^<]*)</td>', html)
    assert sorted((sev, l2 if l1 == "效益" else l3) for sev, l1, l2, l3 in marked) == [
        ("error", "可持续效益"), ("error", "可持续效益"), ("error", "社会效益"), ("error", "社会效益"),
        ("warning", "全市政府网站政务公开好评率"),
        ("warning", "减少网络分散重复建设率")]
    assert "<table><tr></tr></table>" not in html  # every 评分表 printed with its items
