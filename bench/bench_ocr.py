"""Time and memory of reading a 40-page scan, against rendering its pages alone.

Makes a 40-page image-only PDF from the Calc rendering of the bundled sample
(tests/scans.py: 150 dpi, grayscale, tilted, noisy), then in child processes (so peak
memory is each one's own, its OCR workers included): the reader (`read_pdf_lines`:
render, deskew, ruling lines, OCR, grids) in one process (AUDITLIB_OCR_WORKERS=1, the
default) and with its pages read by one worker per core; the same reader with its
models run by onnxruntime (`ocr_engine.Session`, as the reader had them before OpenVINO);
and the baseline, PDFium rendering every page at the same dpi and nothing else.
Reports seconds per page, peak RSS of the process tree, the ratios (goal: ≤ 2 s per
page and ≤ 1.5 GB on 2 cores), and how many of the lines the two runtimes read alike.

    .venv/bin/python bench/bench_ocr.py [--pages 40]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

SOURCE = REPO / "tests" / "fixtures" / "matrix" / "nanchang-bigdata-2021.calc.pdf"

CHILD = r"""
import json, sys, threading, time
import psutil
path, what = sys.argv[1], sys.argv[2]
me, peak, done = psutil.Process(), [0], threading.Event()

def sample():  # the whole tree's RSS: the reader's worker processes count too
    while not done.is_set():
        try:
            rss = me.memory_info().rss + sum(c.memory_info().rss for c in me.children(recursive=True))
        except psutil.Error:
            continue
        peak[0] = max(peak[0], rss)
        done.wait(0.2)

threading.Thread(target=sample, daemon=True).start()
t0 = time.perf_counter()
if what.startswith("reader"):
    from auditlib.ingest import ocr_engine
    from auditlib.ingest.pdf import read_pdf_lines
    if what == "reader-onnxruntime":  # the same reader, its models run by onnxruntime
        ocr_engine.RUNTIMES["openvino"] = ocr_engine.RUNTIMES["onnxruntime"]
    doc = read_pdf_lines(path)
    extra = {"lines": [line.text for line in doc.lines]}
else:
    import pypdfium2 as pdfium
    pdf = pdfium.PdfDocument(path)
    for i in range(len(pdf)):
        page = pdf[i]
        page.render(scale=150 / 72, grayscale=True).to_pil()
        page.close()
    extra = {}
seconds = time.perf_counter() - t0
done.set()
print(json.dumps({"seconds": seconds, "peak_mb": peak[0] / 2**20, **extra}))
"""


def child(path: Path, what: str, workers: int = 0) -> dict:
    env = {**os.environ, "AUDITLIB_OCR_WORKERS": str(workers)}
    out = subprocess.run([sys.executable, "-c", CHILD, str(path), what], check=True, capture_output=True,
                         text=True, cwd=REPO, env=env)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=40)
    args = ap.parse_args(argv)
    from tests.scans import scan

    with tempfile.TemporaryDirectory() as tmp:
        path = scan(SOURCE, Path(tmp) / "scan.pdf", pages=list(range(1, args.pages + 1)))
        render = child(path, "render")
        runs = {"one process": child(path, "reader", workers=1),
                "pages in parallel": child(path, "reader", workers=0),
                "on onnxruntime": child(path, "reader-onnxruntime", workers=1)}
    n = args.pages
    print(f"{n}-page scan (150 dpi, {os.cpu_count()} cores); rendering alone {render['seconds']:.1f} s "
          f"({render['seconds'] / n:.2f} s/page, peak {render['peak_mb']:.0f} MB)")
    for name, r in runs.items():
        print(f"  reader, {name}: {r['seconds']:.1f} s = {r['seconds'] / n:.2f} s/page, peak {r['peak_mb']:.0f} MB "
              f"(whole process tree); reader / rendering = {r['seconds'] / render['seconds']:.0f}x")
    one, par, ort = runs["one process"], runs["pages in parallel"], runs["on onnxruntime"]
    print(f"  parallel / one process = {par['seconds'] / one['seconds']:.2f}x; same lines: {one['lines'] == par['lines']}")
    alike = sum((Counter(one["lines"]) & Counter(ort["lines"])).values())  # a line missing early shifts none
    print(f"  OpenVINO / onnxruntime = {one['seconds'] / ort['seconds']:.2f}x; lines read alike: {alike} of "
          f"{len(ort['lines'])} (OpenVINO read {len(one['lines'])})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
