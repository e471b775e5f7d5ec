"""The Shanghai PDFs of ../shared/corpus against a transcription made by hand (issue 26).

tests/expected/<document>.yaml holds every amount of every table of each PDF, typed from the
page images, never from the reader's output.  Each transcribed row and column is mapped once
to the model's row key and column key (a row by its printed code, else by its label through
the row patterns of auditlib.schema; a column by its printed header).  Then every amount must
be read as printed and every blank cell blank; the model must hold no amount the transcription
lacks; in a table with figures the printed rows and the model's rows must be the same; and the
tables printed must be the tables read.  On a mismatch the message lists every disagreement
(表 · 行 · 栏: transcribed vs read), not just the first (tests/transcription.py).
"""

from __future__ import annotations

import pytest
import yaml

from auditlib.ingest import read_report
from auditlib.kinds import FINAL, kind_named
from tests.conftest import CORPUS, ROOT
from tests.transcription import Mapping, disagreements

EXPECTED = ROOT / "tests" / "expected"
DOCUMENTS = sorted(p.stem for p in EXPECTED.glob("shanghai-*.yaml"))

# Shanghai wording the schema's labels and column names do not cover: the 三公 table's 合计
# group and its 预算数 columns, the 决算数 column of the 财政拨款收入支出决算总表's 收入 half.
MAPPING = Mapping(kind_named(FINAL), labels={"T07": {"合计": "total"}},
                  headers={"T04": {"决算数": "amount"}, "T07": {"预算数": "budget"}})


@pytest.mark.parametrize("document", DOCUMENTS)
def test_every_amount_equals_the_hand_transcription(document):
    expected = yaml.safe_load((EXPECTED / f"{document}.yaml").read_text(encoding="utf-8"))
    assert expected["document"] == document
    report = read_report(CORPUS / document / "doc.pdf")
    found = disagreements(MAPPING, report, expected)
    assert not found, f"{document}: {len(found)} disagreements with the hand transcription\n" + "\n".join(found)


def test_the_transcriptions_cover_every_shanghai_pdf_of_the_corpus():
    assert DOCUMENTS == sorted(p.parent.name for p in CORPUS.glob("shanghai-*/doc.pdf"))
