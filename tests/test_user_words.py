"""No internal key reaches a person: every output of every golden input (tests/test_golden.py)
— text, CSV, the HTML report's blocks and the JSON's `message` and `location` — is scanned
for the model's own row keys, column keys, halves, table statuses and severities.

The forbidden words come from the model (auditlib/schema.py, auditlib/names.py), never from a
hand list, so a key added to the schema is guarded at once.  Keys may stay where machines read
them: the JSON's `id`, `key`, `cause`, `cells[].row`; the CSV's 规则编号 and 问题键 columns;
rule ids (`T06.personnel_total`, printed as the rule's reference); HTML attributes other than
`title` (the tooltip a person reads)."""

from __future__ import annotations

import argparse
import copy
import csv
import dataclasses
import io
import json
import re
from html.parser import HTMLParser

import pytest

from auditlib.cli import parser
from auditlib.names import SEVERITY_ZH, STATUS_ZH, cell_name
from auditlib.report import html
from auditlib.report.formats import render
from auditlib.rules.catalog import load_catalog
from auditlib.rules.engine import Engine
from auditlib.schema import SIDE_NAMES, SPECS, column_keys, label_key, row_keys, shown_label
from tests.test_golden import EACH_INPUT, INPUTS, checked, on_its_worker

FORBIDDEN = frozenset().union(*(row_keys(c) | column_keys(c) for c in SPECS), SIDE_NAMES, STATUS_ZH, SEVERITY_ZH)
WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
MACHINE_CSV = ("规则编号", "问题键", "起因问题键")


def leaks(text: str, allowed: set[str]) -> list[str]:
    """The internal keys in `text` once the identifiers a person may read (rule ids, the input's
    path) are taken out."""
    for word in sorted(allowed, key=len, reverse=True):
        text = text.replace(word, " ")
    return sorted({w for w in WORD.findall(text) if w in FORBIDDEN})


class Visible(HTMLParser):
    """The text a person sees in an HTML block: text outside <script>/<style>, and tooltips."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        self.hidden += tag in ("script", "style")
        self.parts += [v for k, v in attrs if k == "title" and v]

    def handle_endtag(self, tag):
        self.hidden -= tag in ("script", "style")

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible(page: str) -> str:
    parser = Visible()
    parser.feed(page)
    return "\n".join(parser.parts)


def html_blocks(result) -> str:
    """Every block of the HTML report (no page crops: images hold no words)."""
    r = result.report
    blocks = [html.overview(result), html.findings_table(result),
              *(html.table_view(t, result.findings) for t in r.tables.values()),
              html.other_findings(result.findings), html.claims_view(result), html.performance_view(result)]
    return "\n".join(visible(b.html) + "\n" + b.text for b in blocks)


def csv_text(result) -> str:
    rows = list(csv.DictReader(io.StringIO(render(result, "csv").lstrip("\ufeff"))))
    return "\n".join(v or "" for row in rows for k, v in row.items() if k not in MACHINE_CSV)


RULE_IDS = {r.id for r in load_catalog()}


@pytest.mark.parametrize("name", EACH_INPUT)
def test_no_internal_key_in_what_a_person_reads(name):
    result = checked(name)
    allowed = RULE_IDS | {f.id for f in result.findings} | {result.report.path, INPUTS[name][0].name}
    data = json.loads(render(result, "json"))
    outputs = {
        "json": "\n".join(f"{f['location']}\n{f['message']}" for f in data["findings"]),
        "text": render(result, "text"),
        "csv": csv_text(result),
        "html": html_blocks(result),
    }
    found = {kind: leaks(text, allowed) for kind, text in outputs.items()}
    assert found == {kind: [] for kind in outputs}


def test_the_scan_sees_a_key():
    """The scan is no formality: a row key, a column key and a status in a message are found."""
    assert leaks("公开01表 expense_total (空) + 结余分配 (空)", set()) == ["expense_total"]
    assert leaks("列示 missing；栏 budget", set()) == ["budget", "missing"]
    assert leaks("规则 T06.personnel_total：人员经费合计", {"T06.personnel_total"}) == []


def _subparsers(p: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    return next(a.choices for a in p._actions if isinstance(a, argparse._SubParsersAction))


@pytest.mark.parametrize("command", [None, *_subparsers(parser())])
def test_help_is_chinese_with_the_english_after_it(command):
    p = parser() if command is None else _subparsers(parser())[command]
    text = p.format_help()
    assert text.startswith("用法（usage）：auditlib") and "选项（options）:" in text
    assert not re.search(r"^(usage|options|positional arguments):", text, re.M)
    helps = [a.help for a in p._actions if a.help and a.help != argparse.SUPPRESS]
    helps += [a.help for a in p._actions if isinstance(a, argparse._SubParsersAction) for a in a._choices_actions]
    odd = [h for h in helps if not (re.search(r"[\u4e00-\u9fff]", h) and re.search(r"（[^（）]*[A-Za-z]{3,}[^（）]*）$", h))]
    assert odd == []


def test_a_row_not_printed_is_named_as_printed(nanchang):
    """A row a table does not print is named by its label in messages and 对应单元格, never by
    its key (公开01表 without 本年收入合计)."""
    report = copy.deepcopy(nanchang)
    t01 = report.tables["T01"]
    t01.data = t01.data.drop(index=["income_total", "surplus_distribution"])
    assert cell_name(report, "T01[income_total].amount") == "公开01表 本年收入合计 决算数"
    side = Engine(report).side("T01[income_total].amount + T01[surplus_distribution].amount")
    assert side.text == "本年收入合计 (空) + 结余分配 (空)"


@on_its_worker("fixtures-nanchang-bigdata-2021.unruled.pdf")
def test_reader_notes_are_no_findings():
    """The reader's notes of the unruled PDF (18: two halves assumed, figures with no name,
    extra cells) are listed apart, in Chinese, under 读取说明, and counted nowhere."""
    result = checked("fixtures-nanchang-bigdata-2021.unruled.pdf")
    data = json.loads(render(result, "json"))
    notes = data["reading_notes"]
    assert len(notes) == 18 and set(notes[0]) == {"table", "page", "line", "note"}
    assert notes[0] == {"table": "T01", "page": 2, "line": None,
                        "note": "表头中没有分开左右两部分的“项目”，按每行前 3 个单元格属于收入部分读取"}
    assert "“公共安全支出”一行印有 5 个数值单元格，本表此处只有 4 栏，多出的未读取" in {n["note"] for n in notes}
    assert not any(n["note"] in f["message"] for n in notes for f in data["findings"])
    summary = data["summary"]
    assert summary["errors"] + summary["warnings"] + summary["infos"] == len(data["findings"])
    text = render(result, "text")
    assert text.rstrip().splitlines()[-1] == ("  公开06表 第 5 页：表头中没有分开左右两部分的“经济分类”，"
                                              "按每行前 3 个单元格属于人员经费部分读取")
    assert "== 读取说明（18 条，不是审核发现）" in text
    page = html.overview(result)
    assert '<details class="al-reading" id="al-reading"><summary>读取说明（18 条）' in page.html
    assert "读取说明：18 条（不是审核发现）" in page.text


@on_its_worker("sample")
def test_the_severity_chart_scales():
    """One table with 150 信息 findings: its bar is the longest and fits the chart; the others
    keep their proportion (and a bar of one finding stays visible)."""
    result = copy.copy(checked("sample"))
    info = next(f for f in result.findings if f.tables == ["META"])
    result.findings = result.findings + [dataclasses.replace(info, severity="info", key=f"x{i}") for i in range(150)]
    page = html.overview(result).html
    widths = [[int(w) for w in re.findall(r'style="width:(\d+)px"', row)] for row in page.split("<tr>")]
    # the longest row fills the chart (less what rounding down loses, plus the visible minimum)
    assert html.BAR_WIDTH - 3 <= max(sum(w) for w in widths) <= html.BAR_WIDTH + 2 * 3
    assert min(w for row in widths for w in row) >= 2
    meta = next(row for row in page.split("<tr>") if "文件整体" in row)
    assert re.findall(r'al-bar al-(\w+)" style="width:\d+px" title="信息 (\d+)"', meta) == [("info", "150")]


@pytest.mark.parametrize("code", sorted(SPECS))
def test_a_row_label_shown_is_one_its_pattern_reads(code):
    """The name a message gives a row the table does not print is a label the reader would
    take for that row (so it is what reports print), never regex or a key."""
    spec = SPECS[code]
    for label in (*spec.rows, *(r for _, _, rows in spec.halves for r in rows)):
        shown = shown_label(label.pattern)
        assert re.fullmatch(label.pattern, label_key(shown)) and not WORD.search(shown), (label, shown)
