"""The 部门预算 of ../shared/corpus/budgets read by auditlib against their hand transcriptions
(tests/expected/budgets/<folder>.yaml, issue 30): every table found, every amount read as printed,
through the comparison of the 决算 transcriptions (tests/transcription.py).

`KNOWN` lists, per budget, the disagreements left (each explained); a budget not yet read
table by table is not listed in `DOCUMENTS` (see the issue's report).
"""

from __future__ import annotations

import pytest
import yaml

from auditlib.ingest import read_report
from auditlib.kinds import BUDGET, kind_named
from tests.conftest import CORPUS, ROOT
from tests.transcription import Mapping, disagreements

EXPECTED = ROOT / "tests" / "expected" / "budgets"

# the one-row 三公 table's 合计 column (its printed header, under 2024年“三公”经费预算数)
MAPPING = Mapping(kind_named(BUDGET), labels={"B07": {"合计": "total"}})

# what the reader does not read yet, as the comparison words it (each one a known limit)
KNOWN: dict[str, list[str]] = {
    "sh-pt-wanli-2024-yusuan": [],
    "sh-pt-wanli-2025-yusuan": [],
    "sh-pt-wanli-2025-yusuan-draft1": [],  # LibreOffice: its unlabelled .46 row read too
    "sh-pt-fuliyuan-2024-yusuan": [],  # WPS 表格: the 7 | 11 | 02 row read as printed
    # its five 财政项目支出绩效目标填报表 (B11, project forms) have no spec yet
    "sh-pt-wanli-2023-yusuan": ["财政项目支出绩效目标填报表: title not in the schema (test mapping)"] * 5,
}
DOCUMENTS = sorted(KNOWN)


def _read(document: str):
    expected = yaml.safe_load((EXPECTED / f"{document}.yaml").read_text(encoding="utf-8"))
    assert expected["document"] == document
    return expected, read_report(CORPUS / "budgets" / document / "doc.pdf")


@pytest.mark.parametrize("document", DOCUMENTS)
def test_every_amount_of_the_budget_equals_the_hand_transcription(document):
    expected, report = _read(document)
    assert (report.kind, report.kind_source) == ("预算", "detected")
    found = disagreements(MAPPING, report, expected)
    assert found == KNOWN[document], f"{document}: {len(found)} disagreements\n" + "\n".join(found)
