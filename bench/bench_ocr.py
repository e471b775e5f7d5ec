"""Time and memory of reading a 40-page scan, against rendering its pages alone.

Makes a 40-page image-only PDF from the Calc rendering of the bundled sample
(tests/scans.py: 150 dpi, grayscale, tilted, noisy), then in child processes (so peak
memory is each one's own): the reader (`read_pdf_lines`: render, deskew, ruling
lines, OCR, grids) and the baseline, PDFium rendering every page at the same dpi and
nothing else.  Reports seconds per page, peak RSS, and the reader ÷ rendering ratio
(goal: ≤ 2 s per page and ≤ 1.5 GB on 2 cores).

    .venv/bin/python bench/bench_ocr.py [--pages 40]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

SOURCE = REPO / "tests" / "fixtures" / "matrix" / "nanchang-bigdata-2021.calc.pdf"

CHILD = r"""
import json, resource, sys, time
path, what = sys.argv[1], sys.argv[2]
t0 = time.perf_counter()
if what == "reader":
    from auditlib.ingest.pdf import read_pdf_lines
    doc = read_pdf_lines(path)
    extra = {"lines": len(doc.lines)}
else:
    import pypdfium2 as pdfium
    pdf = pdfium.PdfDocument(path)
    for i in range(len(pdf)):
        page = pdf[i]
        page.render(scale=150 / 72, grayscale=True).to_pil()
        page.close()
    extra = {}
print(json.dumps({"seconds": time.perf_counter() - t0,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, **extra}))
"""


def child(path: Path, what: str) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, str(path), what], check=True, capture_output=True,
                         text=True, cwd=REPO)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=40)
    args = ap.parse_args(argv)
    from tests.scans import scan

    with tempfile.TemporaryDirectory() as tmp:
        path = scan(SOURCE, Path(tmp) / "scan.pdf", pages=list(range(1, args.pages + 1)))
        render = child(path, "render")
        reader = child(path, "reader")
    n = args.pages
    print(f"{n}-page scan (150 dpi): reader {reader['seconds']:.1f} s = {reader['seconds'] / n:.2f} s/page, "
          f"peak {reader['peak_mb']:.0f} MB; rendering alone {render['seconds']:.1f} s "
          f"({render['seconds'] / n:.2f} s/page, peak {render['peak_mb']:.0f} MB); "
          f"reader / rendering = {reader['seconds'] / render['seconds']:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
