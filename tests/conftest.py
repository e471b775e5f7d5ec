"""Shared fixtures: the real documents of ../shared/corpus, read once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
NANCHANG_TXT = CORPUS / "nanchang-bigdata-2021" / "doc.txt"
FIXTURES = ROOT / "tests" / "fixtures"


@pytest.fixture(scope="session")
def nanchang():
    from auditlib.ingest import read_report

    return read_report(NANCHANG_TXT)


@pytest.fixture(scope="session")
def nanchang_text() -> str:
    return NANCHANG_TXT.read_text(encoding="utf-8")
