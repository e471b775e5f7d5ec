"""Shared fixtures: the real documents of ../shared/corpus, read once per session; and how a
test that outlives its time limit (pyproject.toml: timeout) is ended."""

from __future__ import annotations

import faulthandler
import os
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


def pytest_configure(config) -> None:
    """Keep a copy of the real stderr (taken with capturing off) for the stacks of a test that
    times out: in an xdist worker it is the terminal's, while the worker's stdout goes nowhere."""
    capture = config.pluginmanager.getplugin("capturemanager")
    with capture.global_and_fixture_disabled():
        config.stash[_STDERR] = os.fdopen(os.dup(2), "w")


_STDERR = pytest.StashKey()


@pytest.hookimpl(optionalhook=True, tryfirst=True)
def pytest_timeout_set_timer(item, settings) -> bool | None:
    """pytest-timeout's "thread" method carried out by faulthandler's watchdog: when the limit
    passes it writes every thread's stack to the real stderr and ends the process (exit 1; xdist
    reports the worker crashed on this test and starts another).  pytest-timeout's own timer
    thread writes to the worker's stdout, which xdist throws away, and needs the GIL, which a
    test stuck in C code may hold; the watchdog is C and needs neither."""
    from pytest_timeout import is_debugging

    if settings.method != "thread" or is_debugging():
        return None
    faulthandler.dump_traceback_later(settings.timeout, exit=True, file=item.config.stash[_STDERR])
    return True


@pytest.hookimpl(optionalhook=True, tryfirst=True)
def pytest_timeout_cancel_timer(item) -> bool:
    faulthandler.cancel_dump_traceback_later()
    return True
