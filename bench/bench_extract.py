"""Time auditlib's PDF reader against bare tabula and pdftotext.

For each sample PDF (the three Shanghai PDFs from ../shared/corpus, the
Nanchang renderings under tests/fixtures and the twelve renderings of the
matrix, tests/fixtures/matrix) this times, in one process and one JVM:

* ``read_pdf_lines(path)`` (PDFium text layer and ruling lines, the grids
  rebuilt from them, tabula stream mode only for unruled tables, assembly),
* bare ``tabula.read_pdf(path, pages='all', lattice=True)``,
* ``pdftotext -layout path -`` (poppler-utils; skipped with a note if absent),

each the best of 9 rounds after a warm-up round, the three taking turns within
every round (the JIT warms over the first calls).  The JVM is started once, before the first
warm-up, and its start-up time is reported on its own line (it is in no
column).  Ratios are against bare tabula; the target is read_pdf_lines <= 1.2x.

    .venv/bin/python bench/bench_extract.py [PDF ...]
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

from timing import interleaved  # bench/: the script's folder is on sys.path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

CORPUS = REPO.parent / "shared" / "corpus"
SAMPLES = [
    CORPUS / "shanghai-putuo-planning-2024" / "doc.pdf",
    CORPUS / "shanghai-putuo-socialwork-2024" / "doc.pdf",
    CORPUS / "shanghai-template-2024" / "doc.pdf",
    REPO / "tests" / "fixtures" / "nanchang-bigdata-2021.chromium.pdf",
    REPO / "tests" / "fixtures" / "nanchang-bigdata-2021.libreoffice.pdf",
    *sorted((REPO / "tests" / "fixtures" / "matrix").glob("*.pdf")),
]


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or [p for p in SAMPLES if p.exists()]
    import tabula

    from auditlib.ingest.java import start_jvm
    from auditlib.ingest.pdf import read_pdf_lines

    t0 = time.perf_counter()
    start_jvm()
    jvm = time.perf_counter() - t0
    print(f"JVM start (once per process, counted in no column): {jvm:.2f} s")
    pdftotext = shutil.which("pdftotext")
    if not pdftotext:
        print("pdftotext not found (apt-get install -y poppler-utils): its column is skipped")

    head = f"{'sample':48} {'pages':>5} {'lines':>6} {'reader s':>9} {'tabula s':>9} {'ratio':>6}"
    head += f" {'pdftotext s':>12} {'ratio':>6}" if pdftotext else ""
    print(head)
    worst = 0.0
    for path in paths:
        doc = read_pdf_lines(path)
        fns = {"reader": lambda: read_pdf_lines(path),
               "tabula": lambda: tabula.read_pdf(str(path), pages="all", lattice=True, silent=True)}
        if pdftotext:
            fns["pdftotext"] = lambda: subprocess.run([pdftotext, "-layout", str(path), "-"],
                                                      stdout=subprocess.DEVNULL, check=True)
        times = interleaved(fns)
        reader, bare = times["reader"], times["tabula"]
        ratio = reader / bare
        worst = max(worst, ratio)
        name = path.parent.name if path.name == "doc.pdf" else path.name
        line = f"{name[:48]:48} {doc.pages:>5} {len(doc.lines):>6} {reader:>9.3f} {bare:>9.3f} {ratio:>5.2f}x"
        if pdftotext:
            line += f" {times['pdftotext']:>12.3f} {reader / times['pdftotext']:>5.1f}x"
        print(line)
    print(f"worst reader/tabula ratio: {worst:.2f}x (target <= 1.2x)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
