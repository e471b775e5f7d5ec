"""The HTML report in a real browser: Debian's headless Chromium, launched by the test.

The report is made by `auditlib run` from a copy of the bundled sample whose 编制单位 and one
row label carry script payloads (issue 8: every piece of document text is escaped): the page
must show no console message at all (no error, no payload running, no blocked network fetch:
every host name resolves to nothing), have its findings table sorted/filtered by its own
script, show the highlighted cells, and the payload as text. A screenshot is kept in
tests/artifacts/ (gitignored).

Chromium comes from the system (`make setup` installs it: `apt-get install -y chromium`).
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from auditlib.workbench import runner

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "auditlib" / "samples" / "nanchang-bigdata-2021.txt"
ARTIFACTS = ROOT / "tests" / "artifacts"
PAYLOAD = '<script>console.error("PWNED-script")</script><img src=x onerror="console.error(\'PWNED-img\')">"\'&'
LABEL_PAYLOAD = "<b onmouseover=alert(1)>"

pytestmark = pytest.mark.xdist_group("browser")


def chromium() -> str:
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if not exe:
        pytest.fail("headless Chromium is required for this test and was not found on PATH: "
                    "install it with `apt-get install -y chromium` (make setup does)", pytrace=False)
    return exe


def browse(url: str, profile: Path, *extra: str) -> subprocess.CompletedProcess:
    cmd = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
           "--host-resolver-rules=MAP * ~NOTFOUND", "--window-size=1400,2400", *extra, url]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def console(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if "CONSOLE" in line]


def probed(page: str, script: str, folder: Path, profile: Path) -> object:
    """What `script`, added at the end of `page` (run after the page's own script), left in
    <body data-probe> once headless Chromium has run the page (--dump-dom): the JSON it wrote.
    The browser must finish without a console message, and the probe must have run."""
    path = folder / "probed.html"
    path.write_text(page.replace("</body>", f"{script}</body>"), encoding="utf-8")
    proc = browse(path.as_uri(), profile, "--dump-dom")
    assert proc.returncode == 0 and console(proc.stderr) == [], proc.stderr[-2000:]
    found = re.search(r'data-probe="([^"]*)"', proc.stdout)
    assert found, "the probe did not run"
    return json.loads(html.unescape(found.group(1)))


class Dom(HTMLParser):
    """What the browser left in the page (--dump-dom): attributes in any order."""

    def __init__(self, page: str):
        super().__init__()
        self.rows, self.highlighted, self.table, self.count = [], [], None, None
        self._in_count = False
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag == "tr" and "al-row" in classes:
            self.rows.append(a)
        elif tag == "td" and "al-hl" in classes:
            self.highlighted.append(a)
        elif tag == "table" and a.get("id") == "al-findings":
            self.table = a
        self._in_count = a.get("id") == "al-f-count"

    def handle_data(self, data):
        if self._in_count:
            self.count = (self.count or "") + data

    def handle_endtag(self, tag):
        self._in_count = False


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    chromium()
    tmp = tmp_path_factory.mktemp("browser")
    text = SAMPLE.read_text(encoding="utf-8")
    assert "南阳市大禹街道办事处" in text
    text = text.replace("南阳市大禹街道办事处", PAYLOAD, 1)
    text = text.replace("一、一般公共预算财政拨款收入\t1", f"一、一般公共预算财政拨款收入{LABEL_PAYLOAD}\t1", 1)
    doc = tmp / "hostile-nanchang.txt"
    doc.write_text(text, encoding="utf-8")
    out = runner.run(doc, tmp / "reports")
    return out.html


@pytest.fixture(scope="module")
def dom(report, tmp_path_factory) -> tuple[str, str]:
    proc = browse(report.as_uri(), tmp_path_factory.mktemp("profile"), "--dump-dom")
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout, proc.stderr


def test_no_console_message(dom):
    _, stderr = dom
    assert console(stderr) == [], "\n".join(console(stderr))
    assert "PWNED" not in stderr


def test_findings_table_is_live(dom, report):
    d = Dom(dom[0])
    assert d.table is not None, "no findings table"
    assert d.table.get("data-ready") == "1", "the report's own script did not run"
    assert d.rows and all(not r.get("style") for r in d.rows)
    assert d.count == f"显示 {len(d.rows)} / {len(d.rows)} 条"


def test_highlighted_cells_are_there(dom):
    d = Dom(dom[0])
    assert len(d.highlighted) >= 5
    ids = {r["id"] for r in d.rows}
    for td in d.highlighted:
        assert re.search(r"\bal-hl-(error|warning|info)\b", td["class"])
        assert set(td["data-findings"].split()) <= ids  # each points at a row of the findings table


def test_payloads_are_text(dom):
    page, _ = dom
    assert "<script>console.error" not in page and "<img src=\"x\"" not in page and "<b onmouseover" not in page
    assert "&lt;script&gt;console.error(\"PWNED-script\")&lt;/script&gt;" in page
    assert "&lt;b onmouseover=alert(1)&gt;" in page


def test_filter_from_the_address(report, tmp_path):
    proc = browse(report.as_uri() + "#filter:severity=warning", tmp_path / "p", "--dump-dom")
    d = Dom(proc.stdout)
    assert d.rows and any(r["data-severity"] == "warning" for r in d.rows)
    for r in d.rows:
        hidden = "display: none" in (r.get("style") or "")
        assert hidden == (r["data-severity"] != "warning"), r
    assert console(proc.stderr) == []


def test_screenshot(report, tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "report.png"
    shot.unlink(missing_ok=True)
    proc = browse(report.as_uri(), tmp_path / "p", f"--screenshot={shot}")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert shot.exists() and shot.stat().st_size > 20_000
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"



# --------------------------------------------------------------------------- a PDF report in JupyterLab's CSS

PDF = ROOT / "tests" / "fixtures" / "nanchang-bigdata-2021.chromium.pdf"
JUPYTERLAB_CSS = Path(sys.prefix) / "share" / "jupyter" / "nbconvert" / "templates" / "lab" / "static" / "index.css"

# Runs after the report's own script: clicks the first finding that has a cell, measures, and
# leaves the measurements in <body data-probe> for --dump-dom (reads the page, writes no HTML).
# A word broken over two lines shows as one text node whose boxes sit on two lines.
PROBE = """<script>
window.addEventListener('load',function(){setTimeout(function(){
  function inView(el){var r=el.getBoundingClientRect();return r.bottom>0&&r.top<innerHeight&&r.right>0&&r.left<innerWidth;}
  function lines(el){var w=document.createTreeWalker(el,NodeFilter.SHOW_TEXT),n,most=0;
    while((n=w.nextNode())){var rg=document.createRange();rg.selectNodeContents(n);var tops={};
      Array.prototype.forEach.call(rg.getClientRects(),function(r){if(r.width>0)tops[Math.round(r.top)]=1;});
      most=Math.max(most,Object.keys(tops).length);}
    return most;}
  var res={},link=document.querySelector('#al-findings a[data-goto^="al-c"]');
  var cell=document.getElementById(link.dataset.goto.split(' ')[0]);
  window.scrollTo(0,0); res.cellBefore=inView(cell); res.cell=cell.id;
  link.click(); res.cellAfter=inView(cell); res.flash=cell.classList.contains('al-flash');
  res.cellFindings=cell.dataset.findings; res.row=link.closest('tr').id;
  var msg=document.querySelector('#al-findings td.al-msg');
  res.insideJupyterLab=!!msg.closest('.jp-RenderedHTMLCommon');
  res.msgAlign=getComputedStyle(msg).textAlign;
  res.numAlign=getComputedStyle(document.querySelector('#al-findings td.num')).textAlign;
  res.labelAlign=getComputedStyle(document.querySelector('#al-T06 td.name')).textAlign;
  res.broken=[];
  document.querySelectorAll('#al-findings th, #al-findings td.nowrap, #al-findings td[data-sort]').forEach(function(el){
    if(el.textContent.trim()&&lines(el)>1&&res.broken.length<5)res.broken.push(el.textContent.trim());});
  var img=document.querySelector('#al-T06 img.al-crop'); img.scrollIntoView({block:'center'});
  setTimeout(function(){
    res.img={complete:img.complete,w:img.naturalWidth,h:img.naturalHeight,inView:inView(img),alt:img.alt};
    var c=document.createElement('canvas');c.width=img.naturalWidth;c.height=img.naturalHeight;
    var g=c.getContext('2d');g.drawImage(img,0,0);var d=g.getImageData(0,0,c.width,c.height).data,red=0;
    for(var i=0;i<d.length;i+=4){if(d[i]>170&&d[i+1]<90&&d[i+2]<90)red++;}
    res.img.red=red; res.tocTop=document.getElementById('al-toc').getBoundingClientRect().top;
    var th=document.querySelectorAll('#al-findings thead th')[7]; th.click(); th.click();
    res.differences=Array.prototype.map.call(document.querySelectorAll('#al-findings tbody tr'),
      function(r){return r.cells[7].textContent.trim();});
    document.body.setAttribute('data-probe',JSON.stringify(res));
  },300);
},100);});
</script>"""


class Probe(HTMLParser):
    def __init__(self, page: str):
        super().__init__()
        self.data, self.h2, self.th = None, [], []
        self._in = None
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "body" and a.get("data-probe"):
            self.data = json.loads(a["data-probe"])
        self._in = tag if tag in ("h2", "th") else None

    def handle_data(self, data):
        if self._in == "h2":
            self.h2.append(data)
        elif self._in == "th":
            self.th.append(data.strip())

    def handle_endtag(self, tag):
        self._in = None


@pytest.fixture(scope="module")
def pdf_report(tmp_path_factory) -> dict[str, Path]:
    """`auditlib run` on the Chromium-printed Nanchang PDF; the page gets JupyterLab's
    stylesheet once more at its end (so it comes after the report's own) and the probe."""
    chromium()
    tmp = tmp_path_factory.mktemp("pdf-browser")
    out = runner.run(PDF, tmp / "reports")
    page = out.html.read_text(encoding="utf-8")
    assert "jp-RenderedHTMLCommon" in page  # nbconvert's lab template: JupyterLab's classes around each output
    css = JUPYTERLAB_CSS.read_text(encoding="utf-8")
    assert ":not(.jp-RenderedMarkdown).jp-RenderedHTMLCommon td" in css  # the rule that right-aligns text
    probed = tmp / "probed.html"
    probed.write_text(page.replace("</body>", f"<style>{css}</style>{PROBE}</body>"), encoding="utf-8")
    return {"report": out.html, "probed": probed}


@pytest.fixture(scope="module")
def probe(pdf_report, tmp_path_factory) -> Probe:
    proc = browse(pdf_report["probed"].as_uri(), tmp_path_factory.mktemp("profile"), "--window-size=1280,900",
                  "--virtual-time-budget=8000", "--dump-dom")
    assert proc.returncode == 0, proc.stderr[-2000:]
    p = Probe(proc.stdout)
    assert p.data is not None, "the probe did not run: " + "\n".join(console(proc.stderr))
    p.console = console(proc.stderr)
    return p


def test_pdf_report_runs_without_a_console_message(probe):
    assert probe.console == [], "\n".join(probe.console)


def test_pdf_report_heading_and_findings_table_in_chinese(probe):
    assert any("原南昌市大数据发展管理局 2021 年度部门决算 审核报告" in h for h in probe.h2)
    for th in ("序号", "级别", "表", "位置", "页/行", "应为", "列示", "差额", "问题说明", "规则", "处理状态"):
        assert th in probe.th, th
    assert not {"severity", "message", "triage", "expected"} & set(probe.th)


def test_clicking_a_finding_scrolls_its_cell_into_view(probe):
    d = probe.data
    assert d["cellBefore"] is False and d["cellAfter"] is True and d["flash"] is True, d
    assert d["row"] in d["cellFindings"].split()  # and the cell lists that finding


def test_difference_sorts_by_magnitude_under_a_contents_bar_that_stays(probe):
    """Two clicks on 差额: the largest differences first, whatever their sign; the table of
    contents is still at the top of the window after the page scrolled to a cell."""
    shown = [float(d.replace(",", "")) for d in probe.data["differences"] if d]
    assert any(d < 0 for d in shown) and any(d > 0 for d in shown)
    assert [abs(d) for d in shown] == sorted((abs(d) for d in shown), reverse=True)
    assert probe.data["tocTop"] == 0


def test_text_columns_left_aligned_inside_jupyterlab_css(probe):
    d = probe.data
    assert d["insideJupyterLab"] is True
    assert (d["msgAlign"], d["labelAlign"], d["numAlign"]) == ("left", "left", "right"), d
    assert d["broken"] == [], d["broken"]  # headers, #, page, rule id, triage: one line each at 1280 px


def test_page_crop_of_a_finding_is_visible_with_its_box(probe):
    img = probe.data["img"]
    assert img["complete"] and img["inView"] and img["w"] > 100 and img["h"] > 30, img
    assert img["alt"].startswith("第 6 页原貌")
    assert img["red"] > 200, img  # the box drawn around the cells (error red), seen by the browser


def test_pdf_report_screenshot_shows_chinese(pdf_report, tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "report-pdf.png"
    shot.unlink(missing_ok=True)
    proc = browse(pdf_report["report"].as_uri(), tmp_path / "p", "--window-size=1280,1600",
                  "--virtual-time-budget=3000", f"--screenshot={shot}")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert shot.exists() and shot.stat().st_size > 40_000
