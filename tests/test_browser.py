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

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from auditlib import workbench

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
    out = workbench.run(doc, tmp / "reports")
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
    assert d.count == f"{len(d.rows)} / {len(d.rows)}"


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
