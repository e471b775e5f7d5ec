"""Plain `pdftotext` of WPS's planning report (issue 26): 公开01表, 公开02表 and 公开04表 each
left with several readings its own identities keep, read together
(auditlib/ingest/spaced_joint.py).  Each test converts the PDF of ../shared/corpus as a user
would and compares with the PDF reader's model — or edits one figure and asserts the three
tables are left unread exactly as they are read one at a time.
"""

from __future__ import annotations

import pytest

from auditlib.ingest import spaced, spaced_joint
from auditlib.ingest.spaced_bind import bound_note
from auditlib.model import Report
from tests.test_converter_blanks import PLANNING, _pdf, _read
from tests.test_converter_texts import _unread_are_reported, differences

JOINT = ("T01", "T02", "T04")
T01 = "收入支出决算总表\n单位"  # where each table starts (its title in the list of tables has no 单位 after it)
T02 = "收入决算表\n单位"
T04 = "财政拨款收入支出决算总表\n单位"


def test_tables_each_left_several_readings_are_read_together(tmp_path):
    # 公开04表's 9746.50 is 本年收入 or 年初结转和结余 (its splits alone too many to follow),
    # each row of 公开02表 prints its total and one equal part: only 公开01表's
    # 一般公共预算财政拨款收入 9746.50 (printed after its label, in every reading of it) tells
    # them — 公开04表's 财政拨款 income rows are 公开01表's, 公开02表's 合计 row its income rows
    got = _read(tmp_path, PLANNING)
    pdf = _pdf(PLANNING)
    assert "T02" not in differences(got, pdf) and "T04" not in differences(got, pdf)
    t04 = got.tables["T04"]
    assert (t04.value("inc_general", "amount"), t04.value("income_total", "amount")) == (9746.50, 9746.50)
    assert t04.value("opening_general", "amount") is None and t04.value("expense_total", "general") == 9746.50
    assert (got.tables["T02"].value("total", "fiscal"), got.tables["T02"].value("total", "superior")) == (9746.50, None)
    notes = {(n.table, n.note) for n in got.reading_notes}
    assert ("T02", bound_note(("T01", "T04"))) in notes
    assert ("T04", bound_note(("T01", "T02", "T05"))) in notes
    # 公开01表's 112.88 (使用非财政拨款结余 or 年初结转和结余) and 100.00 (结余分配 or 年末结转和结余)
    # keep four readings with every relation to the others: it stays unread, with its reason
    assert got.tables["T01"].status == "unread"
    assert any(p.startswith("公开01表") and "没有唯一一种把金额放回各行的读法" in p for p in got.problems)
    _unread_are_reported(got)


def _alone(monkeypatch, tmp_path, old: str, new: str, after: str) -> tuple[Report, Report]:
    """The edited text read with the tables read together, and read one at a time (as before)."""
    together = _read(tmp_path, PLANNING, old, new, after)
    monkeypatch.setattr(spaced, "read_jointly", lambda *args: False)
    return together, _read(tmp_path, PLANNING, old, new, after)


def _as_before(together: Report, alone: Report) -> None:
    """公开01/02/04表 unread, with the reasons the tables read one at a time give."""
    for code in JOINT:
        assert together.tables[code].status == alone.tables[code].status == "unread"
    name = tuple(f"公开{code[1:]}表" for code in JOINT)
    assert sorted(p for p in together.problems if p.startswith(name)) == \
        sorted(p for p in alone.problems if p.startswith(name))
    _unread_are_reported(together)


@pytest.mark.parametrize("old,new,after", [
    ("结余分配\n112.88", "结余分配\n112.58", T01),  # 公开01表's 年初结转和结余: its sums hold no placing
    ("54.53\n\n54.53", "54.53\n\n54.35", T02),  # a row of 公开02表 that does not add up
    ("本年收入合计\n\n9746.50", "本年收入合计\n\n9746.05", T04),  # 公开04表's 本年收入合计
], ids=["T01", "T02", "T04"])
def test_a_misprinted_figure_leaves_the_tables_unread(monkeypatch, tmp_path, old, new, after):
    # one figure edited in one of the three: no choice of readings keeps every relation
    # (or the coded table reads no way), and none is picked
    _as_before(*_alone(monkeypatch, tmp_path, old, new, after))


def test_more_readings_than_listed_leave_the_tables_unread(monkeypatch, tmp_path):
    # 公开01表's four readings over a cap of three: not read together, nothing picked
    monkeypatch.setattr(spaced_joint, "MOST", 3)
    _as_before(*_alone(monkeypatch, tmp_path, "", "", ""))


def test_more_choices_than_followed_leave_the_tables_unread(monkeypatch, tmp_path):
    # 公开01表's four readings, each with 公开04表's one: four choices over a cap of three
    monkeypatch.setattr(spaced_joint, "COMBINATIONS", 3)
    _as_before(*_alone(monkeypatch, tmp_path, "", "", ""))

