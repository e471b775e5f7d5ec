"""Scanned pages laid sideways or upside down (auditlib/ingest/ocr_turn.py): a landscape table
scanned in portrait, with no /Rotate to set it right, is read as if it were upright.

The scans are made here (tests/scans.py `turn`): four table pages of the Nanchang LibreOffice
rendering (公开01表 over the first two, 02/03表, 04表's end and 05表, 06/07表), scanned upright
and scanned with the first two turned a quarter each way and the third upside down.  Each OCR'd
page costs seconds: two scans of four pages, and one page to see a direction that cannot be told.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from PIL import Image

from auditlib.errors import InputError
from auditlib.ingest import ocr_turn, read_report
from auditlib.ingest.ocr_turn import page_box
from auditlib.report import evidence
from auditlib.report.evidence import crop_jpeg
from auditlib.report.places import Place
from tests.conftest import FIXTURES
from tests.scans import scan

pytestmark = [pytest.mark.xdist_group("scans"), pytest.mark.timeout(1800)]

SOURCE = FIXTURES / "nanchang-bigdata-2021.libreoffice.pdf"
PAGES = [2, 3, 5, 6]
TURN = {2: 90, 3: 270, 5: 180}  # anticlockwise; page 6 stays upright
SIDEWAYS = "第 1–2 页为横向扫描，已转正后识别（scanned sideways: turned upright before OCR）"
UPSIDE_DOWN = "第 3 页为倒置扫描，已转正后识别（scanned upside down: turned upright before OCR）"


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> str:
    return str(tmp_path_factory.mktemp("turned"))


@lru_cache(maxsize=None)
def _read(folder: str, turned: bool):
    name = "turned" if turned else "upright"
    return read_report(scan(SOURCE, Path(folder) / f"{name}.scan.pdf", pages=PAGES, seed=7,
                            turn=TURN if turned else None))


def test_turned_pages_read_the_amounts_of_the_upright_scan(folder):
    """Every table has the status and the very amounts, row by row, of the same pages scanned
    upright, and the report says which pages were turned, and how."""
    upright, turned = _read(folder, False), _read(folder, True)
    assert turned.input_kind == "scan"
    read = [c for c, t in upright.tables.items() if t.status in ("parsed", "partial")]
    assert read == ["T01", "T02", "T05", "T06", "T07"]
    assert sum(len(upright.tables[c].amounts()) for c in read) > 300
    for code, table in upright.tables.items():
        assert turned.tables[code].status == table.status, code
        assert turned.tables[code].amounts() == table.amounts(), code
    notes = [p for p in turned.problems if "转正" in p or "方向" in p]
    assert notes == [SIDEWAYS, UPSIDE_DOWN]


def test_an_upright_scan_says_nothing_of_turns(folder):
    assert not [p for p in _read(folder, False).problems if "转正" in p or "方向" in p]


def _as_scanned(box, degrees: int, width: float, height: float):
    """Where a box of the upright page (`width` × `height`) lands on its scan turned
    anticlockwise by `degrees` (PIL's `rotate(degrees, expand=True)`)."""
    x0, top, x1, bottom = box
    return {90: (top, width - x1, bottom, width - x0),
            180: (width - x1, height - bottom, width - x0, height - top),
            270: (height - bottom, x0, height - top, x1)}[degrees]


def test_cells_of_turned_pages_are_placed_where_the_scan_prints_them(folder):
    """A cell read on a turned page keeps its place on the page as scanned (a finding is marked
    there): the upright scan's box of the same cell, turned as the page was, within 3 points."""
    upright, turned = _read(folder, False), _read(folder, True)
    width, height = 595.3, 841.9
    checked = 0
    for code in ("T01", "T02", "T05"):
        for cell, (page, *box) in upright.tables[code].boxes.items():
            degrees = TURN.get(PAGES[page - 1])
            if degrees is None or cell not in turned.tables[code].boxes:
                continue
            got_page, *got = turned.tables[code].boxes[cell]
            want = _as_scanned(box, degrees, width, height)
            assert got_page == page and max(abs(a - b) for a, b in zip(got, want)) <= 3, (code, cell, got, want)
            checked += 1
    assert checked > 100


@pytest.mark.parametrize("quarters", [1, 2, 3])
def test_a_box_put_back_is_where_it_lies(quarters):
    """`page_box` undoes `np.rot90`: a rectangle found on the turned image is put back where it
    lies on the image as scanned."""
    scanned = np.zeros((70, 50), dtype=np.uint8)  # 50 wide, 70 tall
    scanned[10:20, 5:35] = 1  # x 5..35, y 10..20
    ys, xs = np.nonzero(np.rot90(scanned, quarters))
    box = (xs.min(), ys.min(), xs.max() + 1, ys.max() + 1)
    assert page_box(box, quarters, 50, 70) == (5, 10, 35, 20)


def test_a_direction_that_cannot_be_told_is_said_and_nothing_is_guessed(folder, monkeypatch):
    """A sideways page whose lines read no surer one way than the other is read as it lies (no
    table) and the refusal says why, instead of only “no table found”."""
    monkeypatch.setattr(ocr_turn, "_sureness", lambda *_args: 0.5)
    path = scan(SOURCE, Path(folder) / "untold.scan.pdf", pages=[6], turn={6: 90})
    with pytest.raises(InputError) as raised:
        read_report(path)
    assert raised.value.problem.startswith("未找到任何决算公开表")
    assert "第 1 页文字方向不正（横向或倒置扫描）且无法判断，按原样识别" in raised.value.problem



def _crop(report, page: int, box) -> Image.Image:
    """The evidence crop of one cell as the HTML report shows it (grey levels)."""
    finding = SimpleNamespace(severity="error", cells=[])
    return Image.open(io.BytesIO(crop_jpeg(report, finding, Place(page, (tuple(box),), "cell", "")))).convert("L")


def _likeness(a: Image.Image, b: Image.Image) -> float:
    """Correlation of two crops' grey levels, each shrunk to 24 × 12 (a scan's noise and a
    pixel's offset weigh little)."""
    small = [np.asarray(im.resize((24, 12), Image.BOX), dtype=float).ravel() for im in (a, b)]
    return float(np.corrcoef(*small)[0, 1])


def test_evidence_of_turned_pages_is_shown_upright(folder):
    """The report records how OCR turned each page, and a cell's crop in the HTML report is
    shown as the table reads, like the upright scan's crop of the same cell: the same size
    within 2 pixels, and liker to it than the crop turned back as the page lies."""
    upright, turned = _read(folder, False), _read(folder, True)
    assert turned.ocr_pages == {1: 3, 2: 1, 3: 2, 4: 0} and upright.ocr_pages == {1: 0, 2: 0, 3: 0, 4: 0}
    margins = []
    for code in ("T01", "T02", "T05"):
        for cell, (page, *box) in upright.tables[code].boxes.items():
            if not turned.ocr_pages.get(page) or cell[1] == "name" or cell not in turned.tables[code].boxes:
                continue
            shown, want = _crop(turned, page, turned.tables[code].boxes[cell][1:]), _crop(upright, page, box)
            assert abs(shown.width - want.width) <= 2 and abs(shown.height - want.height) <= 2, (code, cell)
            lying = shown.rotate(-90 * turned.ocr_pages[page], expand=True)
            margins.append(_likeness(shown, want) - _likeness(lying, want))
    assert len(margins) > 200 and min(margins) > 0 and np.mean(margins) > 0.5


@pytest.mark.parametrize("quarters,kept", [(0, (0, 0, 900, 520)), (1, (380, 0, 900, 900)),
                                           (2, (0, 380, 900, 900)), (3, (0, 0, 520, 900))])
def test_a_tall_place_is_cut_from_its_top_as_the_page_reads(quarters, kept):
    """A place taller than MAX_HEIGHT (520 points) keeps its top as the table reads: on a page read
    turned, the side of the page that is the table's top."""
    assert evidence._cut((0, 0, 900, 900), quarters) == kept
