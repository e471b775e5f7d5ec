"""Scanned renderings of the PDF fixtures, made by the tests (no committed images).

A scan is each page rasterized at 150 dpi in grayscale, turned by a small angle (a
sheet laid crookedly on the scanner), with sensor noise added, and saved as an
image-only PDF: no text layer, nothing for a text reader to find.  A page may be
laid sideways or upside down besides (`turn`): a landscape table scanned in
portrait, its image turned by a quarter and no /Rotate to set it right.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image


def scan(pdf: Path, out: Path, *, dpi: int = 150, angle: float = 0.4, noise: float = 6.0, seed: int = 0,
         pages: list[int] | None = None, turn: dict[int, int] | None = None) -> Path:
    """Write an image-only PDF of `pdf` (1-based `pages`, default all) to `out`; `turn`: the
    pages (1-based, of `pdf`) whose image is turned, by 90, 180 or 270 degrees
    anticlockwise (the page then takes the turned image's shape)."""
    rng = np.random.default_rng(seed)
    doc = pdfium.PdfDocument(str(pdf))
    images = []
    try:
        for n in pages or range(1, len(doc) + 1):
            page = doc[n - 1]
            img = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
            page.close()
            img = img.rotate(angle * (1 if n % 2 else -1), resample=Image.BILINEAR, fillcolor=255)
            if (turn or {}).get(n, 0) % 360:
                img = img.rotate(turn[n], expand=True)  # by quarters: exact, nothing resampled
            arr = np.asarray(img, dtype=np.float32) + rng.normal(0, noise, (img.height, img.width))
            images.append(Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "L"))
    finally:
        doc.close()
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=dpi)
    return out
