"""Convert PDFs to text the way people do, for the text reader's converter tests (issue 26).

Three forms of the same PDF:

    plumber     pdfplumber's `page.extract_text()`, pages joined by a newline
    pdftotext   poppler's `pdftotext` (reading order; each page ends in a form feed)
    layout      poppler's `pdftotext -layout` (words kept where they stand on the line)

    python tools/convert_texts.py                               # the generated reports -> tests/fixtures/converted/
    python tools/convert_texts.py --out /tmp/conv A.pdf B.pdf   # any PDFs (the corpus: never into the repository)
    python tools/convert_texts.py tests/fixtures/budget-pdf/national-calc-nofit.pdf \
        tests/fixtures/budget-pdf/national-chromium-plain.pdf   # the generated budgets' texts (test_budget_texts)

Without arguments it converts the generated reports of the rendering matrix
(tests/fixtures/matrix/synth-*.pdf: two reports, four producers) with every converter and
writes `<pdf name>.<form>.txt` into tests/fixtures/converted/.  The corpus PDFs
(../shared/corpus) are not the project's: tests convert them at run time into a temporary
folder.  pdftotext comes from poppler-utils (`apt-get install -y --no-install-recommends
poppler-utils`; `make test` installs it); pdfplumber is a dependency.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MATRIX = ROOT / "tests" / "fixtures" / "matrix"
OUT = ROOT / "tests" / "fixtures" / "converted"
FORMS = ("plumber", "pdftotext", "layout")


def plumber_text(pdf: Path) -> str:
    """What pdfplumber's `extract_text` leaves, page after page (as a user's loop writes it)."""
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        return "\n".join(page.extract_text() or "" for page in doc.pages) + "\n"


def poppler_text(pdf: Path, layout: bool = False) -> str:
    """What poppler's pdftotext leaves (UTF-8), with or without -layout."""
    if shutil.which("pdftotext") is None:
        raise FileNotFoundError("pdftotext not found: apt-get install -y --no-install-recommends poppler-utils")
    args = ["pdftotext", "-enc", "UTF-8", *(["-layout"] if layout else []), str(pdf), "-"]
    return subprocess.run(args, check=True, capture_output=True, timeout=300).stdout.decode("utf-8")


def convert(pdf: Path, form: str) -> str:
    """The text of `pdf` in one of FORMS."""
    if form == "plumber":
        return plumber_text(pdf)
    return poppler_text(pdf, layout=form == "layout")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdfs", nargs="*", type=Path, help="PDFs to convert (default: the matrix's generated reports)")
    parser.add_argument("--out", type=Path, default=OUT, help=f"folder for the texts (default {OUT.relative_to(ROOT)})")
    parser.add_argument("--forms", default=",".join(FORMS), help=f"comma list of {', '.join(FORMS)}")
    args = parser.parse_args(argv)
    forms = args.forms.split(",")
    unknown = set(forms) - set(FORMS)
    if unknown:
        parser.error(f"unknown forms: {', '.join(sorted(unknown))}")
    args.out.mkdir(parents=True, exist_ok=True)
    for pdf in args.pdfs or sorted(MATRIX.glob("synth-*.pdf")):
        for form in forms:
            try:
                text = convert(pdf, form)
            except FileNotFoundError as exc:
                sys.exit(str(exc))
            target = args.out / f"{pdf.stem}.{form}.txt"
            target.write_text(text, encoding="utf-8")
            print(f"{target}  {len(text.encode()) // 1024} KB")


if __name__ == "__main__":
    main()
