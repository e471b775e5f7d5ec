"""The audit notebook (package data, so an installed package and a Dask worker find it):
its digest, a kernel nobody else can reach, its HTML rendering and the refresh of its
stored outputs.

The notebook lives at auditlib/workbench/audit.ipynb; notebooks/audit.ipynb of a checkout
is a link to it (the path the README, JupyterLab and nbval use): one file, two names.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path

from auditlib.files import atomic_write_text
from auditlib.report.contents import with_contents

NOTEBOOK = Path(__file__).resolve().parent / "audit.ipynb"

HTML_TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block extra_css -%}<meta name="generator" content="auditlib">{%- endblock extra_css -%}
"""


def kernel_manager_class(folder: Path):
    """A kernel manager whose kernel talks over Unix sockets in `folder` (a private temp
    folder) instead of TCP on localhost: nothing else on the machine can reach the kernel.
    The kernel is a fresh process (jupyter_client starts it by exec, never a bare fork of
    this one, whose OCR or JVM may run threads: issue 24)."""
    from jupyter_client.manager import AsyncKernelManager

    class IPCKernelManager(AsyncKernelManager):
        def __init__(self, **kw):
            kw.setdefault("transport", "ipc")
            kw.setdefault("ip", str(Path(folder) / "kernel"))
            super().__init__(**kw)

    return IPCKernelManager


def export_html(nb, title: str | None = None, workbook: str | None = None) -> str:
    """The executed notebook as one offline HTML page without code cells (nbconvert's lab
    template with every script and stylesheet that would come from the internet removed),
    opened by its table of contents, which links to the Excel working paper `workbook` (an
    address relative to the page) when one is written beside it."""
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = HTMLExporter(template_name="lab", extra_loaders=[DictLoader({"auditlib.html.j2": HTML_TEMPLATE})],
                            template_file="auditlib.html.j2", exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True, embed_images=True, language_code="zh")
    exporter.register_preprocessor(TagRemovePreprocessor(remove_cell_tags={"workbench-interactive"}), enabled=True)
    if title:
        nb.metadata["title"] = title
    body, _ = exporter.from_notebook_node(nb)
    body = body.replace('<html lang="zh">', '<html lang="zh-CN">', 1)  # nbconvert knows ISO 639-1 codes only
    return with_contents(body, workbook)


def notebook_digest(path: Path = NOTEBOOK) -> str:
    """A digest of what in the notebook decides a report: its cells' type, tags and source.
    Outputs, execution counts and metadata (JupyterLab's autosave, a re-execution) are left
    out, so they do not make a batch re-run every department."""
    cells = json.loads(Path(path).read_text(encoding="utf-8")).get("cells", [])
    h = hashlib.sha256()
    for c in cells:
        src = c.get("source", "")
        h.update(json.dumps([c.get("cell_type"), sorted(c.get("metadata", {}).get("tags", [])),
                             "".join(src) if isinstance(src, list) else src], ensure_ascii=False).encode())
    return h.hexdigest()


def refresh_notebook(path: Path = NOTEBOOK, timeout: int = 600) -> None:
    """Re-execute the audit notebook in place with its default parameters (the bundled
    sample), so its stored outputs — what nbval compares — follow the current rules.
    Run it (`make notebook-outputs`) after a change that alters findings on purpose.  A link
    (notebooks/audit.ipynb) is followed: its target is rewritten, the link stays."""
    import nbformat
    from nbclient import NotebookClient

    path = Path(path).resolve()
    nb = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory(prefix="auditlib-kernel-") as private:
        NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False, store_widget_state=True,
                       kernel_manager_class=kernel_manager_class(Path(private)),
                       resources={"metadata": {"path": str(path.parent)}}).execute()
    nb.metadata.pop("widgets", None)
    nb.metadata.pop("papermill", None)
    atomic_write_text(path, nbformat.writes(nb) + "\n")
