"""Write a PDF whose text layer does not map to Unicode: pages of a rendered fixture with
every font's /ToUnicode map removed (auditlib/ingest/pdf_unmapped.py).

Some published 决算 PDFs embed their fonts without /ToUnicode: they print right, but
PDFium hands back glyph codes ("ĚđɁƥŪȲȓģƚ̝˒Ƙ"), and the reader must read those pages
from their image.  Removing the maps from a Chromium rendering (CID fonts, Identity-H)
gives exactly that, on content whose tables are known.

The fixture: pages 13–14 of tests/fixtures/matrix/nanchang-bigdata-2021.chromium.pdf
(公开08表 政府性基金 and 公开09表 国有资本经营, empty, with their titles; 公开10表 国有资产占用,
its title on page 13 and its rows on 14), 119 KB: the matrix rendering embeds smaller font
subsets than nanchang-bigdata-2021.chromium.pdf (one page of that one is 264 KB).  Written
deterministically (the same bytes each run).  pikepdf is in the project's environment.

Usage: python tools/make_unmapped.py [--out tests/fixtures/unmapped/nanchang-bigdata-2021.unmapped.pdf]
"""

from __future__ import annotations

import argparse
import io
from pathlib import Path

import pikepdf

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "tests" / "fixtures" / "matrix" / "nanchang-bigdata-2021.chromium.pdf"
PAGES = (13, 14)  # 1-based
OUT = ROOT / "tests" / "fixtures" / "unmapped" / "nanchang-bigdata-2021.unmapped.pdf"


def strip_maps(pdf: pikepdf.Pdf) -> pikepdf.Pdf:
    """`pdf` with the /ToUnicode map of every font its pages use removed."""
    for page in pdf.pages:
        for _name, font in page.obj.get("/Resources", {}).get("/Font", {}).items():
            if "/ToUnicode" in font:
                del font["/ToUnicode"]
    return pdf


def stripped(path: Path) -> bytes:
    """The PDF at `path` with no /ToUnicode maps, as bytes (the measures of pdf_unmapped)."""
    out = io.BytesIO()
    with pikepdf.open(path) as pdf:
        strip_maps(pdf).save(out)
    return out.getvalue()


def write(source: Path, pages: tuple[int, ...], out: Path) -> Path:
    """Write `pages` of `source`, their fonts' maps removed, to `out`."""
    with pikepdf.open(source) as src, pikepdf.new() as pdf:
        for n in pages:
            pdf.pages.append(src.pages[n - 1])
        strip_maps(pdf).save(out, compress_streams=True, object_stream_mode=pikepdf.ObjectStreamMode.generate,
                             deterministic_id=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    path = write(SOURCE, PAGES, args.out)
    print(f"{path}: {path.stat().st_size // 1000} KB")


if __name__ == "__main__":
    main()
