"""Hostile and broken inputs (issue 8): every unreadable input ends in exit 2 with
one line on stderr naming the file, nothing on stdout and no traceback; a readable
but odd input gives findings, not a crash; the parsers survive fuzzing."""

from __future__ import annotations

import codecs
import json
import re
import subprocess
import sys
from functools import lru_cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditlib.errors import InputError
from auditlib.ingest import read_report
from auditlib.ingest.build import build_report
from auditlib.ingest.text import read_text_lines
from auditlib.numbers import NotANumber, parse_number
from auditlib.rules import check
from tests import badpdf
from tests.conftest import CORPUS

SOCIALWORK = CORPUS / "shanghai-putuo-socialwork-2024" / "doc.pdf"


def _cli(*args: str, deadline: float = 60) -> subprocess.CompletedProcess:
    """`auditlib ARGS` in a child process; one still running after `deadline` seconds is killed
    (SIGKILL) and fails the test: a hostile input must never hang the reader."""
    return subprocess.run([sys.executable, "-m", "auditlib.cli", *args], capture_output=True, text=True,
                          timeout=deadline)


def _unreadable(path, *extra: str, problem: str) -> None:
    run = _cli("check", str(path), *extra)
    assert run.returncode == 2, run.stderr
    assert run.stdout == ""
    assert run.stderr.count("\n") == 1 and "Traceback" not in run.stderr
    assert str(path) in run.stderr and problem in run.stderr, run.stderr


@pytest.mark.parametrize("make,problem", [
    (lambda d: (d / "zero.pdf").write_bytes(b"") and None or d / "zero.pdf", "empty file"),
    (lambda d: (d / "zero.txt").write_bytes(b"") and None or d / "zero.txt", "empty file"),
    (lambda d: badpdf.truncated(SOCIALWORK, d / "truncated.pdf"), "truncated"),
    (lambda d: badpdf.random_bytes(d / "random.pdf"), "not a PDF"),
    (lambda d: (d / "page.pdf").write_text("<!DOCTYPE html><html><body>决算</body></html>") and None
     or d / "page.pdf", "not a PDF"),
    (lambda d: badpdf.zero_pages(d / "nopages.pdf"), "no pages"),
    (lambda d: badpdf.image_only(badpdf.text_pdf(d / "minutes.pdf", ["Meeting minutes", "Nothing about accounts"]),
                                 d / "scan.pdf"), "no final-accounts table found"),  # a scan, not of a report
    (lambda d: badpdf.blank_scan(d / "blank.pdf"), "OCR found no text"),
    (lambda d: badpdf.text_pdf(d / "minutes.pdf", ["Meeting minutes", "Nothing about accounts here."]),
     "no final-accounts table found"),
    (lambda d: badpdf.encrypted(SOCIALWORK, d / "locked.pdf", "s3cret"), "a password is required"),
    (lambda d: d, "is a folder"),
    (lambda d: d / "absent.txt", "no such file"),
], ids=["zero-pdf", "zero-txt", "truncated", "random", "html", "no-pages", "scan", "blank-scan", "not-report",
        "encrypted", "folder", "absent"])
def test_unreadable_inputs_exit_2_in_one_line(tmp_path, make, problem):
    _unreadable(make(tmp_path), problem=problem)


SAME = "read as the original"  # the damage leaves the report whole: exit 1, the original's findings
MUTATED = {  # name: (how the mutated PDF is made from the Shanghai report, what `check` must do with it)
    **{f"flipped-16-bytes-{seed}": (lambda d, seed=seed: badpdf.flipped(SOCIALWORK, d / "flipped.pdf", seed), None)
       for seed in range(3)},
    "flipped-1-byte": (lambda d: badpdf.flipped(SOCIALWORK, d / "flipped.pdf", 0, count=1), None),
    "xref-removed": (lambda d: badpdf.xref_removed(SOCIALWORK, d / "noxref.pdf"), SAME),
    "xref-garbled": (lambda d: badpdf.xref_garbled(SOCIALWORK, d / "badxref.pdf"), SAME),
    "page-tree-loop-self": (lambda d: badpdf.page_tree_loop(SOCIALWORK, d / "loop.pdf", through_child=False),
                            "第 25 页无法载入（corrupt PDF: page 25 cannot be loaded）"),
    "page-tree-loop-child": (lambda d: badpdf.page_tree_loop(SOCIALWORK, d / "loop.pdf", through_child=True), SAME),
    "count-100000000": (lambda d: badpdf.huge_page_count(SOCIALWORK, d / "count.pdf"), SAME),
    "2001-pages": (lambda d: badpdf.many_pages(SOCIALWORK, d / "long.pdf", 2001), "PDF 有 2001 页，超过上限 2000 页"),
    "content-bomb": (lambda d: badpdf.content_bomb(d / "bomb.pdf"), "PDF 中的数据流 4 0 解压后超过 64 MB，疑为解压炸弹"),
    "image-bomb": (lambda d: badpdf.image_bomb(d / "bomb.pdf"), "PDF 中的图像 5 0 声明 65536×65536 像素"),
}


@lru_cache(maxsize=1)
def _original_findings() -> list:
    run = _cli("check", str(SOCIALWORK))
    assert run.returncode == 1, run.stderr
    return json.loads(run.stdout)["findings"]


@pytest.mark.parametrize("name", sorted(MUTATED))
def test_a_mutated_pdf_is_refused_in_one_line_or_read(tmp_path, name):
    """Damaged and hostile PDFs (badpdf.py): within a minute, either exit 2 with one line on
    stderr naming the file and the problem (Chinese first), nothing on stdout and no
    traceback, or, where the damage leaves a readable report, a normal reading."""
    make, expected = MUTATED[name]
    path = make(tmp_path)
    run = _cli("check", str(path))
    if run.returncode == 2:
        assert run.stdout == "" and "Traceback" not in run.stderr
        assert run.stderr.count("\n") == 1 and run.stderr.startswith(f"auditlib: {path}: ")
        assert re.search(r"[\u4e00-\u9fff]", run.stderr.split("（")[0]), run.stderr  # Chinese first, English in brackets
    else:
        assert run.returncode in (0, 1) and run.stderr == "", run.stderr
        findings = json.loads(run.stdout)["findings"]
    if expected == SAME:
        assert run.returncode == 1 and findings == _original_findings()
    elif expected:
        assert run.returncode == 2 and expected in run.stderr, run.stderr


def test_encrypted_pdf_with_password(tmp_path):
    locked = badpdf.encrypted(SOCIALWORK, tmp_path / "locked.pdf", "s3cret")
    _unreadable(locked, "--password", "wrong", problem="wrong password")
    run = _cli("check", str(locked), "--password", "s3cret")
    assert run.returncode == 1, run.stderr  # read and checked: the six errors of the open file
    data = json.loads(run.stdout)
    assert data["document"]["department"] == "中共上海市普陀区委社会工作部"
    assert data["summary"]["errors"] == 2  # template wording left in, p.15 and p.16 (tests/test_completeness.py)


def test_a_300_page_pdf_is_read(tmp_path):
    long = badpdf.many_pages(SOCIALWORK, tmp_path / "long.pdf", 300)
    report = read_report(long)
    assert report.pages == 300
    assert report.tables["T01"].value("income_total", "amount") == 307.82
    assert any("又印了一次" in n.note for n in report.reading_notes)  # the tables recur: noticed, first one used
    assert check(report).findings


@pytest.mark.parametrize("text,value", [
    ("１,２３４.５６", 1234.56), ("(12.30)", -12.30), ("－", None), ("—", None), ("-", None), ("", None),
    ("12.3万", 12.3), ("1 234.56", 1234.56), ("3,670.49", 3670.49), ("0.00", 0.0), ("５０%", 50.0),
])
def test_numbers_in_odd_forms(text, value):
    assert parse_number(text) == (None if value is None else pytest.approx(value))


@pytest.mark.parametrize("text", ["abc", "1.2.3", "<script>", "12,34,5", "--5"])
def test_words_are_not_numbers(text):
    with pytest.raises(NotANumber):
        parse_number(text)


@given(st.text(max_size=40))
@settings(max_examples=400, deadline=None, derandomize=True, database=None)
def test_fuzz_number_parser(text):
    try:
        value = parse_number(text)
    except NotANumber:
        return
    assert value is None or isinstance(value, float)


HOSTILE = ['<script>alert("x")</script>', "\"quoted\" 'name'", "../../etc/passwd", "局" * 5000,
           "\u202e\x1b[31m\x07", "{{7*7}}${{7*7}}"]


@pytest.mark.parametrize("payload", HOSTILE, ids=["script", "quotes", "traversal", "long", "control", "template"])
def test_hostile_names_and_cells_give_findings_not_crashes(tmp_path, nanchang_text, payload):
    text = (nanchang_text.replace("编制单位：南昌市大数据发展管理局 2021年度", f"编制单位：{payload} 2021年度", 1)
            .replace("\t行政运行\t416.63", f"\t{payload}\t416.63", 1))
    path = tmp_path / "hostile.txt"
    path.write_text(text, encoding="utf-8")
    run = _cli("check", str(path), "--format", "json")
    assert run.returncode == 1, run.stderr
    data = json.loads(run.stdout)
    department = [f for f in data["findings"] if f["id"] == "META.department" and f["tables"] == ["T01"]]
    printed = re.sub(r"\s+", "", department[0]["actual"]) if department else None
    assert printed and printed in re.sub(r"\s+", "", payload)


def _lines_of(text: str) -> list[str]:
    return text.splitlines()


@given(st.data())
@settings(max_examples=60, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
def test_fuzz_text_reader_on_damaged_reports(tmp_path, nanchang_text, data):
    """Delete, duplicate, cut and garble lines of a real report: a Report or an InputError, nothing else."""
    lines = _lines_of(nanchang_text)
    for _ in range(data.draw(st.integers(1, 6))):
        op = data.draw(st.sampled_from(["drop", "dup", "cut", "garble", "shuffle_cells"]))
        i = data.draw(st.integers(0, len(lines) - 1))
        if op == "drop":
            del lines[i:i + data.draw(st.integers(1, 40))]
        elif op == "dup":
            lines[i:i] = lines[i:i + data.draw(st.integers(1, 40))]
        elif op == "cut":
            lines = lines[: max(i, 1)]
        elif op == "garble":
            lines[i] = data.draw(st.text(max_size=60))
        else:
            cells = lines[i].split("\t")
            lines[i] = "\t".join(data.draw(st.permutations(cells)))
        if not lines:
            lines = [""]
    path = tmp_path / "fuzz.txt"
    path.write_text("\n".join(lines), encoding="utf-8", errors="surrogatepass")
    try:
        report = build_report(read_text_lines(path))
    except InputError as exc:
        assert "\n" not in str(exc)
        return
    check(report)  # the rules run on whatever was read


@given(st.text(max_size=300))
@settings(max_examples=200, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_fuzz_text_reader_on_arbitrary_text(tmp_path, text):
    path = tmp_path / "any.txt"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        report = build_report(read_text_lines(path))
    except InputError:
        return
    check(report)


def _read_and_check(path) -> list[str] | None:
    """The lines the text reader reads from `path` after the rules ran on them, or None for an
    InputError (one line); anything else raised is a failure."""
    try:
        doc = read_text_lines(path)
        report = build_report(doc)
    except InputError as exc:
        assert "\n" not in str(exc)
        return None
    check(report)
    return [line.text for line in doc.lines]


@given(st.binary(max_size=3000))
@settings(max_examples=200, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_fuzz_text_reader_on_arbitrary_bytes(tmp_path, data):
    """Any bytes at all: read in some encoding and checked, or one InputError line."""
    path = tmp_path / "any.txt"
    path.write_bytes(data)
    _read_and_check(path)


ENCODED = [("gb18030", b""), ("utf-8", codecs.BOM_UTF8), ("utf-16-le", codecs.BOM_UTF16_LE),
           ("utf-16-be", codecs.BOM_UTF16_BE), ("utf-16-le", b""), ("utf-16-be", b"")]


@given(st.sampled_from(ENCODED), st.data())
@settings(max_examples=60, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
def test_fuzz_text_reader_on_text_in_every_encoding(tmp_path, nanchang_text, encoded, data):
    """Arbitrary text, or a real report with arbitrary lines put in, in each encoding the reader
    knows: never a crash; read, it is read as its UTF-8 form is (a text without a byte-order mark
    in UTF-16 may be read either way round: both are UTF-16 text)."""
    lines = nanchang_text.splitlines()[:200]
    i = data.draw(st.integers(0, len(lines)))
    noise = data.draw(st.text(st.characters(blacklist_categories=("Cs",)), max_size=80))
    text = data.draw(st.sampled_from([noise, "\n".join(lines[:i] + [noise] + lines[i:])]))
    encoding, bom = encoded
    path, plain = tmp_path / "encoded.txt", tmp_path / "plain.txt"
    path.write_bytes(bom + text.encode(encoding))
    plain.write_bytes(text.encode("utf-8"))
    got = _read_and_check(path)
    if got is not None and (bom or encoding == "gb18030"):
        assert got == _read_and_check(plain)
