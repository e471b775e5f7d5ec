"""Renderings of a check result and of the model (JSON, text, CSV, HTML, the evidence
crops, exports, the rule catalog's listing): what people and other tools read.

`render(result, fmt)` gives `auditlib check --format FMT` (RENDERERS); `render_catalog(rules)`
the `auditlib rules` listing.  The HTML report (`html`, `page`, `templates/`), where each
finding is printed (`places`), the evidence crops and annotated PDFs (`evidence`), the Excel
and JSON exports (`export`) and the fidelity measure (`fidelity`) are imported from their
modules.
"""

from __future__ import annotations

from auditlib.report.catalog import render_catalog
from auditlib.report.formats import RENDERERS, render

__all__ = ["RENDERERS", "render", "render_catalog"]
