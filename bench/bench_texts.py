"""Time reading a converter's text against reading the PDF it was made from.

A text printed with spaces, or a cell a line (plain pdftotext), is rebuilt into tables by
searches bounded by the tables' identities (auditlib/ingest/spaced*.py): a form whose
figures fit many placings costs more than one whose columns the text shows.  For each
generated matrix PDF (tests/fixtures/matrix/manifest.json) and two Shanghai PDFs of
../shared/corpus, this times ``read_report`` on the PDF and on its pdfplumber,
``pdftotext`` and ``pdftotext -layout`` texts (the Shanghai ones converted first, outside
the timing), each the best of a few rounds taking turns (bench/timing.py), and prints each
text's time as a ratio of its PDF's.

    .venv/bin/python bench/bench_texts.py [ROUNDS]
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from timing import interleaved  # bench/: the script's folder is on sys.path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from auditlib.ingest import read_report  # noqa: E402
from tools.convert_texts import FORMS, convert  # noqa: E402

CONVERTED = REPO / "tests" / "fixtures" / "converted"
MATRIX = REPO / "tests" / "fixtures" / "matrix"
CORPUS = REPO.parent / "shared" / "corpus"
SHANGHAI = ("shanghai-putuo-planning-2024", "shanghai-putuo-socialwork-2024")


def _documents(workdir: Path) -> list[tuple[str, Path, dict[str, Path]]]:
    """(name, PDF, form → text) for every matrix PDF and Shanghai PDF."""
    out = []
    for entry in json.loads((MATRIX / "manifest.json").read_text(encoding="utf-8")):
        if "/synth-" not in entry["pdf"]:
            continue
        pdf = REPO / entry["pdf"]
        out.append((pdf.stem, pdf, {form: CONVERTED / f"{pdf.stem}.{form}.txt" for form in FORMS}))
    for doc in SHANGHAI:
        pdf = CORPUS / doc / "doc.pdf"
        texts = {}
        for form in FORMS:
            texts[form] = workdir / f"{doc}.{form}.txt"
            texts[form].write_text(convert(pdf, form), encoding="utf-8")
        out.append((doc, pdf, texts))
    return out


def main(rounds: int = 3) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        print(f"{'document':32} {'PDF s':>7} " + " ".join(f"{form + ' ×PDF':>14}" for form in FORMS))
        for name, pdf, texts in _documents(Path(tmp)):
            fns = {"pdf": lambda p=pdf: read_report(p)}
            fns.update({form: (lambda t=text: read_report(t)) for form, text in texts.items()})
            best = interleaved(fns, rounds)
            ratios = " ".join(f"{best[form] / best['pdf']:>14.2f}" for form in FORMS)
            print(f"{name:32} {best['pdf']:>7.2f} {ratios}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
