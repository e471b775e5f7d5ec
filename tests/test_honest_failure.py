"""A reading that failed says so: unread tables, READ.table errors, never a clean report.

The mutation tests break the reader on purpose (every table row flattened into one
line of prose, or every other row lost) and check that `check` then reports the
document as not fully checked, in every output, instead of passing it as clean.
"""

from __future__ import annotations

import json

import pytest

import auditlib.ingest.source as source  # where a document is read, file by file
from auditlib.cli import main
from auditlib.ingest.lines import SourceDocument, SourceLine
from auditlib.ingest.text import read_text_lines
from tests.conftest import NANCHANG_TXT

MONEY_TABLES = ("T01", "T02", "T03", "T04", "T05", "T06", "T08")  # the Nanchang tables with 0.00-style figures


def _flatten_rows(path):
    """A reader that recognises no row: every table row comes out as one prose line."""
    doc = read_text_lines(path)
    lines = [SourceLine(cells=(l.text,), line=l.line) if l.is_row else l for l in doc.lines]
    return SourceDocument(doc.path, doc.input_kind, lines, doc.pages, doc.warnings)


def _every_other_row(path):
    """A reader that recognises only half of the rows that carry figures (the others
    come out as prose, as a misread grid does)."""
    doc = read_text_lines(path)
    lines, n = [], 0
    for l in doc.lines:
        if l.is_row and any(ch.isdigit() for ch in l.text):
            n += 1
            if n % 2:
                l = SourceLine(cells=(l.text,), line=l.line)
        lines.append(l)
    return SourceDocument(doc.path, doc.input_kind, lines, doc.pages, doc.warnings)


def _check(capsys, fmt: str) -> tuple[int, str]:
    code = main(["check", str(NANCHANG_TXT), "--format", fmt])
    return code, capsys.readouterr().out


@pytest.mark.parametrize("reader", [_flatten_rows, _every_other_row])
def test_a_reader_that_loses_rows_never_gives_a_clean_report(monkeypatch, capsys, reader):
    monkeypatch.setattr(source, "read_text_lines", reader)
    code, out = _check(capsys, "json")
    data = json.loads(out)
    assert code == 1
    status = {t["code"]: t for t in data["tables"]}
    for table in MONEY_TABLES:
        assert status[table]["status"] == "unread", table
        cov = status[table]["coverage"]
        assert cov["amounts"] < cov["figures"], table
    read_errors = [f for f in data["findings"] if f["id"] == "READ.table"]
    assert {f["tables"][0] for f in read_errors} >= set(MONEY_TABLES)
    assert all(f["severity"] == "error" for f in read_errors)
    assert data["summary"]["fully_checked"] is False
    assert set(data["summary"]["unread_tables"]) >= set(MONEY_TABLES)
    # no table rule ran on an unread table, so no arithmetic finding rests on one
    for f in data["findings"]:
        if f["id"].split(".")[0] in MONEY_TABLES:
            assert not set(f["tables"]) & set(MONEY_TABLES), f


def test_the_text_summary_opens_with_the_warning(monkeypatch, capsys):
    monkeypatch.setattr(source, "read_text_lines", _flatten_rows)
    code, out = _check(capsys, "text")
    assert code == 1
    first = out.splitlines()[0]
    assert first.startswith("注意：本文件未完整审核") and "公开01表" in first
    assert "READ.table" in out


def test_the_faithful_reader_reads_every_figure(capsys):
    code, out = _check(capsys, "json")
    data = json.loads(out)
    assert data["summary"]["fully_checked"] is True
    assert not [f for f in data["findings"] if f["id"] == "READ.table"]
    for t in data["tables"]:
        assert t["coverage"].get("amounts", 0) >= t["coverage"].get("figures", 0), t
    # T02 of the Nanchang text: 21 rows, 147 figures printed and read (counted by hand: 21 rows × 7 columns)
    t02 = next(t for t in data["tables"] if t["code"] == "T02")
    assert t02["coverage"] == {"rows": 21, "figures": 147, "amounts": 147}


def test_empty_only_when_the_document_prints_nothing(nanchang):
    # 公开09表 of Nanchang prints no figure under its title (本部门无…): empty, not unread
    assert nanchang.tables["T09"].status == "empty"
    assert nanchang.tables["T09"].coverage["figures"] == 0
