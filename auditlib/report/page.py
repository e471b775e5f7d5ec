"""What every HTML page of the package shares (the notebook's blocks, the report, the batch
index): the Jinja2 templates (package data, autoescaped), the one stylesheet and the one
script, and `Block`, a rich display whose plain text is what nbval compares.

Each block is shown in the notebook through `Block`, which carries the HTML and a plain-text
summary: the HTML sits between `<!-- auditlib:html -->` markers that the sanitize file
(notebooks/nbval-sanitize.cfg) blanks out.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import jinja2
from markupsafe import Markup

from auditlib.kinds import is_table
from auditlib.names import SEVERITY_ZH, TABLE_NAMES, TRIAGE_CSS, TRIAGE_STATUSES, UNTRIAGED, table_name
from auditlib.rules.findings import SEVERITIES
MARK_OPEN, MARK_CLOSE = "<!-- auditlib:html -->", "<!-- /auditlib:html -->"

TEMPLATES = jinja2.Environment(loader=jinja2.PackageLoader("auditlib.report", "templates"),
                               autoescape=jinja2.select_autoescape(["html", "j2"]), trim_blocks=False)


@lru_cache(maxsize=None)
def stylesheet() -> str:
    """The one stylesheet of the report and the batch index (package data)."""
    return (resources.files("auditlib.report") / "templates" / "auditlib.css").read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def script() -> str:
    """The one script of the report and the batch index (package data)."""
    return (resources.files("auditlib.report") / "templates" / "auditlib.js").read_text(encoding="utf-8")


def table_names(report=None) -> dict[str, str]:
    """Every table code a page may name -> its name (names.table_name): 公开NN表, and the
    tables of `report`'s kind, a budget's by its printed titles."""
    return TABLE_NAMES | ({c: table_name(report, c) for c in report.tables} if report is not None else {})


def template_args(report=None) -> dict:
    """What every template is given; `report` names its tables (a budget's by their titles)."""
    names = table_names(report)
    return {"severity_zh": SEVERITY_ZH, "triage_css": TRIAGE_CSS, "untriaged": UNTRIAGED, "table_names": names,
            "linked": {c for c in names if is_table(c)},  # the codes whose section a finding links to
            "severities": list(SEVERITIES), "triage_states": [UNTRIAGED, *TRIAGE_STATUSES], "script": Markup(script())}


@dataclass
class Block:
    """A rich display: HTML for people and the report, plain text for nbval."""

    html: str
    text: str

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/html": f"{MARK_OPEN}{self.html}{MARK_CLOSE}", "text/plain": self.text}

    def __repr__(self) -> str:
        return self.text



def assets() -> str:
    """The stylesheet (once per page; repeated copies are harmless)."""
    return f"<style>{stylesheet()}</style>"
