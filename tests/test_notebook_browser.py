"""The audit notebook in JupyterLab, driven by Chromium (Playwright on the system's Chromium)
at 1,280 px with the file browser open: the walkthrough's sections render, clicking a finding
and saving a status changes its row and triage.yaml, the review step records the reviewer.

One JupyterLab server and one browser page for the module: the notebook is run once, the
tests then act on it in order (triage before review).  The notebook is a copy whose parameters
cell names a params file (`params_file = "params/dept.yaml"`, `auditor: 张审计`), in a folder
laid out as a checkout (notebooks/, params/); triage goes to AUDITLIB_REPORTS of the test.
Screenshots are kept in tests/artifacts/ (gitignored).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest
import yaml

from tests.test_browser import ARTIFACTS, SAMPLE, chromium

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "audit.ipynb"
AUDITOR, REVIEWER = "张审计", "李复核"
WIDTH = 1280

pytestmark = [pytest.mark.xdist_group("notebook-browser"), pytest.mark.timeout(600)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def checkout(root: Path) -> None:
    """notebooks/audit.ipynb whose parameters cell names params/dept.yaml, as in a checkout."""
    (root / "notebooks").mkdir(parents=True)
    (root / "params").mkdir()
    (root / "params" / "dept.yaml").write_text(f"source: {SAMPLE}\nslug: dept\nauditor: {AUDITOR}\n", encoding="utf-8")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    assert cell.source.startswith("# 参数") and "params_file = None" in cell.source
    cell.source = cell.source.replace("params_file = None", 'params_file = "params/dept.yaml"', 1)
    nbformat.write(nb, root / "notebooks" / "audit.ipynb")


def wait_for(url: str, proc: subprocess.Popen, seconds: float = 90) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if proc.poll() is not None:
            pytest.fail(f"JupyterLab exited ({proc.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"JupyterLab did not answer at {url} in {seconds} s")


def stop(proc: subprocess.Popen) -> None:
    """End the server and what it started (its kernels: the same process group)."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            break
        try:
            proc.wait(20)
            break
        except subprocess.TimeoutExpired:
            continue
    proc.wait()


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server on a free port, no token, its settings and workspaces in the test's
    folder; stopped (its process group: kernels included) at the end of the module."""
    chromium()
    tmp = tmp_path_factory.mktemp("lab")
    root = tmp / "checkout"
    checkout(root)
    (tmp / "config" / "labconfig").mkdir(parents=True)  # no "get notified about Jupyter news?" over the page
    (tmp / "config" / "labconfig" / "page_config.json").write_text(
        '{"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": true}}', encoding="utf-8")
    settings = tmp / "settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)  # every cell laid out (no windowing), so heights are measured, not estimated
    (settings / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}', encoding="utf-8")
    port = free_port()
    env = {**os.environ, "AUDITLIB_REPORTS": str(tmp / "reports"), "JUPYTER_CONFIG_DIR": str(tmp / "config"),
           "JUPYTERLAB_SETTINGS_DIR": str(tmp / "settings"), "JUPYTERLAB_WORKSPACES_DIR": str(tmp / "workspaces"),
           "JUPYTER_RUNTIME_DIR": str(tmp / "runtime"), "IPYTHONDIR": str(tmp / "ipython")}
    proc = subprocess.Popen([sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}",
                             "--ServerApp.ip=127.0.0.1", "--IdentityProvider.token=", "--ServerApp.password=",
                             f"--ServerApp.root_dir={root}", "--LabApp.expose_app_in_browser=True",
                             "--LabApp.news_url=None",
                             "--LabApp.extension_manager=readonly", "--allow-root"],
                            env=env, stdout=subprocess.DEVNULL, stderr=open(tmp / "lab.log", "wb"),
                            start_new_session=True)
    try:
        wait_for(f"http://127.0.0.1:{port}/lab", proc)
        yield {"url": f"http://127.0.0.1:{port}", "triage": tmp / "reports" / "dept" / "triage.yaml", "log": tmp / "lab.log"}
    finally:
        stop(proc)


@pytest.fixture(scope="module")
def page(lab):
    """The notebook opened at 1,280 × 900 with the file browser open, every cell run."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium(), args=["--no-sandbox", "--disable-gpu"])
        try:
            p = browser.new_page(viewport={"width": WIDTH, "height": 900}, locale="zh-CN")
            p.goto(f"{lab['url']}/lab/tree/notebooks/audit.ipynb", wait_until="domcontentloaded")
            p.wait_for_function("() => window.jupyterapp && document.querySelector('.jp-Notebook .jp-Cell')",
                                timeout=60_000)
            p.wait_for_function("() => window.jupyterapp.shell.currentWidget?.sessionContext?.session?.kernel"
                                "?.status === 'idle'", timeout=60_000)
            if not p.locator("#jp-left-stack").is_visible():
                p.evaluate("() => window.jupyterapp.commands.execute('filebrowser:activate')")
            p.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
            p.wait_for_selector(".al-list tbody tr", timeout=180_000)
            p.wait_for_selector("#al-PERF", state="attached", timeout=180_000)
            yield p
        finally:
            browser.close()


def shot(p, name: str, **kw) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"notebook-{name}.png"
    p.screenshot(path=str(path), **kw)
    assert path.stat().st_size > 20_000
    return path


def test_walkthrough_sections_render(page):
    """A heading per table (公开NN表 and the national titles, from the one cell that walks the
    document's tables), the summary first with what was not checked, the narrative and the
    performance section after the tables."""
    headings = page.eval_on_selector_all(".jp-MarkdownOutput h2, .jp-MarkdownOutput h3, h3.al-section",
                                         "hs => hs.map(h => h.textContent.replace('¶', '').trim())")
    tables = [h for h in headings if h.startswith("公开")]
    assert [t[:5] for t in tables] == [f"公开{i:02d}表" for i in range(1, 11)], headings
    assert "公开06表 一般公共预算财政拨款基本支出决算表" in tables
    order = [headings.index(h) for h in ("概览", "问题清单", "各表", tables[0], "文件整体", "情况说明", "绩效")]
    assert order == sorted(order), headings
    scope = page.locator(".jp-OutputArea-output h3", has_text="审核范围").locator("xpath=..").text_content()
    assert "已读取的表：10 / 10" in scope and "情况说明中未核对的数字：44 处" in scope
    assert page.locator("#al-PERF h3").text_content() == "绩效"
    assert page.locator("#al-T06 td.al-hl").count() >= 5  # the table with findings is open, its cells marked
    closed = page.locator("details:has(#al-T02)")
    assert closed.count() == 1 and closed.get_attribute("open") is None  # a table without findings: one line
    assert "无问题（点击展开原表）" in closed.locator("summary").text_content()
    for heading, name in (("概览", "summary"), ("公开06表", "table-T06"), ("情况说明", "narrative")):
        page.locator(".jp-MarkdownOutput :is(h2, h3), h3.al-section", has_text=heading).first.evaluate(
            "h => h.scrollIntoView()")
        shot(page, name)


def test_findings_list_usable_at_1280_px_with_the_sidebar_open(page):
    box = page.locator("#jp-left-stack").bounding_box()
    assert box and box["width"] > 200  # the file browser takes its share of the 1,280 px
    lst = page.locator(".al-list")
    lst.scroll_into_view_if_needed()
    m = lst.evaluate("""el => {
      const w = s => el.querySelector(s).getBoundingClientRect().width;
      const st = [...el.querySelectorAll('td.st, th.st')];
      return {width: el.getBoundingClientRect().width, height: el.clientHeight, scroll: el.scrollHeight,
              overflowX: el.scrollWidth - el.clientWidth, loc: w('th.loc'), msg: w('th.msg'),
              font: parseFloat(getComputedStyle(el).fontSize),
              cut: st.filter(c => c.scrollWidth > c.clientWidth).map(c => c.textContent)};
    }""")
    assert m["width"] < WIDTH - box["width"]
    assert m["overflowX"] <= 0 and m["cut"] == [], m  # 处理状态 never cut off, nothing to scroll sideways
    assert m["loc"] >= 8 * m["font"] and m["msg"] >= 12 * m["font"], m  # 位置 keeps at least 8 characters
    assert m["height"] <= 370 and m["scroll"] > m["height"], m  # a fixed height that scrolls
    tops = [page.locator(s).first.bounding_box()["y"] for s in
            (".widget-dropdown:has(label:text-is('级别'))", ".al-list", "button:has-text('保存处理结果')",
             "button:has-text('保存复核')")]
    assert tops == sorted(tops), tops  # filters → list → triage → review
    assert page.locator(".widget-dropdown:has(label:text-is('级别'))").count() == 1  # one filter bar
    shot(page, "findings-list")


def row(page, rule: str):
    return page.locator(f".al-list tbody tr[data-key^='{rule}@']").first


def test_triage_by_clicking_a_row(page, lab):
    r = row(page, "T06.public_total")
    assert r.locator("td.st").inner_text() == "未处理"
    r.click()
    assert "al-selected" in r.get_attribute("class")
    page.locator(".widget-toggle-buttons button", has_text="已确认").first.click()
    page.locator(".widget-textarea:has(label:text-is('说明')) textarea").fill("已与单位核实")
    by = page.locator(".widget-text:has(label:text-is('处理人')) input")
    assert by.input_value() == AUDITOR  # from the params file's auditor:
    page.locator("button", has_text="保存处理结果").click()
    page.wait_for_function("""() => { const r = document.querySelector(".al-list tr[data-key^='T06.public_total@']");
                                      return r && r.querySelector('td.st').textContent === '已确认'; }""", timeout=30_000)
    saved = yaml.safe_load(lab["triage"].read_text(encoding="utf-8"))
    [(key, entry)] = saved.items()
    assert key.startswith("T06.public_total@")
    assert (entry["status"], entry["comment"], entry["by"]) == ("已确认", "已与单位核实", AUDITOR)
    shot(page, "triage", full_page=False)


def test_review_records_the_reviewer(page, lab):
    row(page, "T06.public_total").click()
    page.locator(".widget-text:has(label:text-is('复核人')) input").fill(REVIEWER)
    page.locator(".widget-toggle-buttons button", has_text="同意").first.click()
    page.locator(".widget-textarea:has(label:text-is('复核说明')) textarea").fill("同意处理意见")
    page.locator("button", has_text="保存复核").click()
    page.wait_for_function("""() => { const r = document.querySelector(".al-list tr[data-key^='T06.public_total@']");
                                      return r && r.querySelector('td.st').textContent.includes('复核同意'); }""",
                           timeout=30_000)
    [entry] = yaml.safe_load(lab["triage"].read_text(encoding="utf-8")).values()
    review = entry["review"]
    assert (review["verdict"], review["by"], review["comment"]) == ("同意", REVIEWER, "同意处理意见") and review["at"]
    assert entry["by"] == AUDITOR and entry["status"] == "已确认"
    shot(page, "review")


def test_notebook_is_short(page):
    """Every cell laid out at 1,280 px: the whole notebook under 20,000 px (the one that printed
    every table and figure open was 86,000 px); the narrative's 135 figures are one folded line."""
    height = page.evaluate("() => document.querySelector('.jp-NotebookPanel .jp-WindowedPanel-outer').scrollHeight")
    assert height < 20_000, height
    fold = page.locator("details:has(#al-NARR)")
    assert fold.get_attribute("open") is None and "点击展开每个数字的核对" in fold.locator("summary").text_content()
    assert page.locator(".al h3", has_text="情况说明中的问题").count() == 1
