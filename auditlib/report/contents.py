"""The report page's table of contents: a bar kept at the top of the window that links to
every section of the page — 概览, 问题清单, each table, 情况说明, 绩效, whatever else a block
marks — and to the Excel working paper when one was written beside the page.

A section is any element with `id` and `data-toc` (its label), in the order of the page, so
a block added to the notebook enters the contents by carrying the two attributes; nothing
here knows the notebook's cells.  The page's HTML is only read (html.parser) to find them;
the bar itself comes from an autoescaped template.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from auditlib.report.page import TEMPLATES

BODY = re.compile(r"<body\b[^>]*>", re.IGNORECASE)


class _Sections(HTMLParser):
    """(id, label) of every element marked `data-toc`, first occurrence of each id."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sections: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id") and a.get("data-toc"):
            self.sections.setdefault(a["id"], a["data-toc"])


def sections(page: str) -> list[tuple[str, str]]:
    """The page's sections as (anchor id, label), in page order."""
    parser = _Sections()
    parser.feed(page)
    parser.close()
    return list(parser.sections.items())


def with_contents(page: str, workbook: str | None = None) -> str:
    """`page` with its table of contents opening the body; `workbook` the relative address
    of the Excel working paper written beside it (None: none was)."""
    found = sections(page)
    if not found and not workbook:
        return page
    bar = TEMPLATES.get_template("contents.html.j2").render(sections=found, workbook=workbook)
    return BODY.sub(lambda m: m.group(0) + bar, page, count=1)
