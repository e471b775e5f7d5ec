"""Scanned reports: image-only PDFs read by OCR into the same model.

The scans are made here from the PDF fixtures (tests/scans.py: 150 dpi, grayscale,
turned by 0.4°, sensor noise), so no image is committed.  Each must give back at
least 99.5 % of the nonzero amounts of its text form, find all ten tables, and give
the same error findings as the text form.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pytest

from auditlib.cli import main
from auditlib.report.fidelity import compare
from auditlib.ingest import read_report
from auditlib.rules import check
from auditlib.rules.runner import OCR_TEXT_TABLES
from tests.cli import auditlib
from tests.conftest import FIXTURES, ROOT
from tests.scans import scan

# one worker OCRs each scan once; whole scans took up to 691 s under load (pyproject.toml: timeout)
pytestmark = [pytest.mark.xdist_group("scans"), pytest.mark.timeout(1800)]

SCANS = {
    # name: (rendering to scan, its text form)
    "nanchang-bigdata-2021": (FIXTURES / "nanchang-bigdata-2021.chromium.pdf",
                              ROOT / "auditlib" / "samples" / "nanchang-bigdata-2021.txt"),
    "synth-000011": (FIXTURES / "matrix" / "synth-000011.chromium.pdf", FIXTURES / "matrix" / "synth-000011.txt"),
    "synth-000012": (FIXTURES / "matrix" / "synth-000012.writer.pdf", FIXTURES / "matrix" / "synth-000012.txt"),
}


@pytest.fixture(scope="session")
def scans_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("scans")


@lru_cache(maxsize=None)
def _scanned(name: str, folder: str):
    pdf, _text = SCANS[name]
    path = scan(pdf, Path(folder) / f"{name}.scan.pdf", seed=len(name))
    report = read_report(path)
    return path, report, check(report)


@lru_cache(maxsize=None)
def _text(name: str):
    report = read_report(SCANS[name][1])
    return report, check(report)


def _nonzero(fidelity, reference) -> tuple[int, int]:
    """(nonzero amounts of the text form, how many of them the scan reads equal)."""
    total = equal = 0
    for t in fidelity:
        wrong = {(row, col) for row, col, _ref, _got in t.differing}
        table = reference.tables[t.code]
        for row in table.data.index:
            for col in table.columns:
                if table.value(row, col):
                    total += 1
                    equal += (str(row), col) not in wrong
    return total, equal


@pytest.mark.parametrize("name", sorted(SCANS))
def test_a_scan_is_read_like_its_text(name, scans_dir):
    _path, report, result = _scanned(name, str(scans_dir))
    text, text_result = _text(name)
    assert report.input_kind == "scan"
    assert not [p for p in report.problems if "转正" in p or "方向" in p]  # upright: no page turned (test_scans_turned)
    total, equal = _nonzero(compare(report, text), text)
    assert total > 200 and equal / total >= 0.995, f"{equal}/{total}"
    assert [c for c, t in report.tables.items() if t.status != "missing"] == list(text.tables)
    # the same error findings: the tables' errors exactly; an error read from OCR'd prose or
    # performance tables stays, as a warning that says the OCR may be wrong (never a new error)

    def errors(r, families=None):
        return sorted((f.id, f.location) for f in r.findings if f.severity == "error"
                      and (families is None or f.tables[0] not in OCR_TEXT_TABLES and not f.id.startswith("COMPL.")))

    assert errors(result) == errors(text_result, families="tables")
    doubted = {(f.id, f.location) for f in result.findings if "扫描件" in f.message}
    found = {(f.id, f.location) for f in result.findings}
    for key in errors(text_result):
        assert key in found, key
        assert key in errors(result) or key in doubted, key


def test_ocr_cells_keep_their_confidence_and_box(scans_dir):
    _path, report, _result = _scanned("synth-000011", str(scans_dir))
    t01 = report.tables["T01"]
    assert t01.confidence and all(0 < v < 1 for v in t01.confidence.values())
    page, x0, top, x1, bottom = t01.boxes[("income_total", "amount")]
    assert page == t01.data.at["income_total", "page"] and x0 < x1 and top < bottom


def test_detection_input_is_rapidocrs_own():
    """The table lookup that replaces RapidOCR's float64 normalisation gives its very values."""
    import numpy as np
    from rapidocr_onnxruntime.ch_ppocr_det.utils import DetPreProcess

    from auditlib.ingest.ocr_engine import engine as _engine

    page = np.random.default_rng(1).integers(0, 256, (300, 200, 3), dtype=np.uint8)
    page[..., 1] = 255 - page[..., 0]  # each channel looked up at its own levels
    ours = _engine().text_det.get_preprocess(300)(page)
    assert ours.dtype == np.float32
    assert np.array_equal(ours, DetPreProcess(736, "min")(page))


def test_openvino_reads_as_onnxruntime():
    """The models run by OpenVINO read a page exactly as onnxruntime runs them: the same
    lines, the same characters, the same boxes within a pixel, confidences within 0.001.
    A faster runtime must not read other figures (precision before speed)."""
    import numpy as np
    import pypdfium2 as pdfium

    from auditlib.ingest.ocr import SETTINGS, render
    from auditlib.ingest.ocr_engine import RUNTIMES
    from auditlib.ingest.ocr_engine import engine as _engine

    doc = pdfium.PdfDocument(str(SCANS["synth-000011"][0]))
    image = np.dstack([render(doc[0], SETTINGS)] * 3)
    doc.close()
    engines = {name: _engine(runtime=name) for name in ("openvino", "onnxruntime")}
    for name, engine in engines.items():  # each really runs on its runtime (no silent fallback)
        assert isinstance(engine.text_det.infer, RUNTIMES[name]) and isinstance(engine.text_rec.session, RUNTIMES[name])
    ours, _t = engines["openvino"](image, use_cls=False)
    reference, _t = engines["onnxruntime"](image, use_cls=False)
    assert len(reference) > 60
    assert [text for _box, text, _score in ours] == [text for _box, text, _score in reference]
    assert np.abs(np.array([b for b, _t, _s in ours]) - np.array([b for b, _t, _s in reference])).max() <= 1
    assert max(abs(float(a[2]) - float(b[2])) for a, b in zip(ours, reference)) < 1e-3


def test_pages_read_in_threads_are_read_the_same(scans_dir):
    """Two threads reading scans at once (a Dask worker with several threads, a notebook)
    share the engine: each call has the runtime to itself (detection gives back its memory
    after each call, which OpenVINO refuses while another call runs)."""
    from concurrent.futures import ThreadPoolExecutor

    path = str(scan(SCANS["synth-000011"][0], scans_dir / "page-three.scan.pdf", pages=[3], seed=3))
    alone = _read_page(path)
    with ThreadPoolExecutor(2) as pool:
        assert list(pool.map(_read_page, [path] * 4)) == [alone] * 4


def _read_page(path: str) -> tuple[str, list[tuple[str, float, float]]]:
    """The runtime this process's OCR runs on, and the runs it reads on page 1 of `path`."""
    import pypdfium2 as pdfium

    from auditlib.ingest import ocr, ocr_engine

    doc = pdfium.PdfDocument(path)
    try:
        runs = ocr.read_page(doc[0], 1).runs
    finally:
        doc.close()
    model = type(ocr_engine.engine().text_rec.session)
    runtime = next(name for name, runtime in ocr_engine.RUNTIMES.items() if runtime is model)
    return runtime, [(r.text, round(r.x0, 1), round(r.top, 1)) for r in runs]


def test_a_spawned_process_reads_a_scan_a_forked_one_refuses(scans_dir):
    """A child process started fresh (spawn) reads a scan as its parent does.  A child
    forked from a process that has read one would inherit the OCR runtimes' locks but
    not their threads and could wait for ever (issue 24: a futex wait, deaf to SIGTERM):
    it refuses in one line naming the file, exit 2, at once.  A child forked before any
    OCR ran is not refused.  Each child is SIGKILLed if it outlives its deadline."""
    from auditlib.errors import ForkedProcessError
    from auditlib.ingest import ocr_engine

    path = str(scan(SCANS["synth-000011"][0], scans_dir / "one-page.scan.pdf", pages=[2], seed=2))
    runtime, here = _read_page(path)
    assert runtime == "openvino" and len(here) > 20
    runtime, child = _in_child("spawn", _read_page, path)
    assert runtime == "openvino"
    assert [text for text, _x, _y in child] == [text for text, _x, _y in here]
    assert all(abs(a[1] - b[1]) <= 0.5 and abs(a[2] - b[2]) <= 0.5 for a, b in zip(child, here))  # a pixel at 150 dpi

    run = _in_child("fork", auditlib, "check", path, deadline=30)
    assert (run.returncode, run.stdout) == (2, "")
    assert run.stderr == f"auditlib: {ForkedProcessError(path)}\n" and "fork" in run.stderr

    assert ocr_engine.PROCESS["ocr_started"] and not ocr_engine.PROCESS["forked_after_ocr"]
    ocr_engine.PROCESS["ocr_started"] = False  # as if this process had not read the scan
    try:
        assert _in_child("fork", _may_start, deadline=30) is True
    finally:
        ocr_engine.PROCESS["ocr_started"] = True


def _may_start() -> bool:
    """Whether this process may run the OCR (and runs it from now on)."""
    from auditlib.ingest import ocr_engine

    ocr_engine.start()
    return True


def _in_child(method: str, fn, *args, deadline: float = 120):
    """`fn(*args)` in a child process started by `method` ("spawn", "fork"); a child still
    running after `deadline` seconds fails the test and is killed (SIGKILL: a child that
    ignores SIGTERM must never be left behind)."""
    import multiprocessing

    ctx = multiprocessing.get_context(method)
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_reply, args=(send, fn, *args))
    child.start()
    send.close()
    try:
        assert receive.poll(deadline), f"the {method} child did not answer within {deadline} s"
        return receive.recv()
    finally:
        receive.close()
        child.join(10)
        if child.is_alive():
            child.kill()
            child.join()


def _reply(send, fn, *args) -> None:
    send.send(fn(*args))
    send.close()


def test_the_cli_reads_a_scan(scans_dir, capsys):
    path, _report, _result = _scanned("synth-000011", str(scans_dir))
    code = main(["check", str(path), "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and data["document"]["input_kind"] == "scan"
    assert data["summary"]["fully_checked"] is True


def test_pages_read_in_parallel_are_read_the_same(scans_dir):
    """Worker processes (opt-in: AUDITLIB_OCR_WORKERS) give exactly what one process gives,
    page by page and in order."""
    from auditlib.ingest.ocr import OcrSettings, read_pages

    path = scan(SCANS["synth-000011"][0], scans_dir / "four-pages.scan.pdf", pages=[1, 2, 3, 4], seed=4)

    def texts(settings):
        return [([(r.text, round(r.x0, 1), round(r.top, 1)) for r in runs], [g.box for g in grids])
                for runs, grids, _quarters in read_pages(path, None, [1, 2, 3, 4], settings)]

    alone = texts(OcrSettings(workers=1))
    assert sum(len(runs) for runs, _grids in alone) > 50
    assert texts(OcrSettings(workers=2, parallel_from=2)) == alone
