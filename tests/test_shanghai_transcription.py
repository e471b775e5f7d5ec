"""The Shanghai PDFs of ../shared/corpus against a transcription made by hand (issue 26).

tests/expected/<document>.yaml holds every amount of every table of each PDF, typed from the
page images, never from the reader's output.  Each transcribed row and column is mapped once
to the model's row key and column key (a row by its printed code, else by its label through
the row patterns of auditlib.schema; a column by its printed header).  Then every amount must
be read as printed and every blank cell blank; the model must hold no amount the transcription
lacks; in a table with figures the printed rows and the model's rows must be the same; and the
tables printed must be the tables read.  On a mismatch the message lists every disagreement
(表 · 行 · 栏: transcribed vs read), not just the first.
"""

from __future__ import annotations

import math
import re

import pytest
import yaml

from auditlib.ingest import read_report
from auditlib.model import Report, Table
from auditlib.schema import FUNCTION_CODE_BY_NAME, SPECS, TITLE_INDEX, label_key, title_key
from tests.conftest import CORPUS, ROOT

EXPECTED = ROOT / "tests" / "expected"
DOCUMENTS = sorted(p.stem for p in EXPECTED.glob("shanghai-*.yaml"))

# Shanghai wording the schema's labels and column names do not cover: the 三公 table's 合计
# group and its 预算数 columns, the 决算数 column of the 财政拨款收入支出决算总表's 收入 half.
LABELS = {"T07": {"合计": "total"}}
HEADERS = {"T04": {"决算数": "amount"}, "T07": {"预算数": "budget"}}
SUBTOTALS = ("合计", "小计")


def column_key(code: str, header: str) -> str | None:
    """The model's column for a printed header; "本年支出/合计" is the 本年支出 column."""
    names = {label_key(name): key for key, name in SPECS[code].column_names.items()} | HEADERS.get(code, {})
    parts = header.split("/")
    name = parts[-2] if len(parts) > 1 and parts[-1] in SUBTOTALS else parts[-1]
    return names.get(label_key(name))


def row_key(code: str, row: dict, half: int, used: set[str]) -> str | None:
    """The model's row key for a transcribed row: its code; else its label matched, in printed
    order, against the schema's row labels of its half (a label that repeats, such as the
    年初结转 sub-rows of the 财政拨款收入支出决算总表, takes the next key whose `after` is read),
    a 合计 of a coded table, or a 功能分类 类 named in a split table's 支出 half."""
    if row.get("code"):
        return row["code"]
    spec, label = SPECS[code], label_key(row["label"])
    if label in LABELS.get(code, {}):
        return LABELS[code][label]
    if spec.kind == "hierarchy" and label in SUBTOTALS:
        return spec.total_key
    labels = spec.halves[half][2] if spec.halves else spec.rows
    for rl in labels:
        if rl.key not in used and (rl.after is None or rl.after in used) and re.fullmatch(rl.pattern, label):
            return rl.key
    return FUNCTION_CODE_BY_NAME.get(label) if spec.function_rows else None


def _shown(value: float | None) -> str:
    return "blank" if value is None else f"{value:.2f}"


def _read_amounts(table: Table) -> dict[tuple[str, str], tuple[str, float]]:
    """Every amount the model holds: (row key, column key) -> (row name, amount)."""
    out = {}
    for key, row in table.data.iterrows():
        for column in table.columns:
            value = row[column]
            if value is not None and not (isinstance(value, float) and math.isnan(value)):
                out[(str(key), column)] = (str(row.get("name") or key), float(value))
    return out


def table_disagreements(table: Table, expected: dict) -> list[str]:
    """Every disagreement between one transcribed table and the model's table."""
    title, rows = expected["title"], expected.get("rows", [])
    out: list[str] = []
    printed = any(v is not None for row in rows for v in row["cells"].values())
    status = "parsed" if printed else "empty"
    if table.status != status:
        out.append(f"{title} (p{expected['page']}) · status: transcribed {status} vs read {table.status}")
    read = _read_amounts(table)
    used: set[str] = set()
    halves: list[str | None] = []
    for row in rows:
        if row.get("half") not in halves:
            halves.append(row.get("half"))
        where = f"{title} · {' '.join(filter(None, (row.get('code'), row['label'])))} (p{row['page']})"
        key = row_key(table.code, row, halves.index(row.get("half")), used)
        if key is None:
            out.append(f"{where}: row not mapped to the model (test mapping)")
            continue
        used.add(key)
        if printed and not table.has(key):  # a blank row lost now is a row of figures lost next time
            out.append(f"{where}: printed row missing from the model")
        for header, value in row["cells"].items():
            column = column_key(table.code, header)
            if column is None:
                out.append(f"{where} · {header}: column not mapped to the model (test mapping)")
                continue
            got = read.pop((key, column), (None, None))[1]
            if (value is None) != (got is None) or (value is not None and abs(value - got) > 0.005):
                out.append(f"{where} · {header}: transcribed {_shown(value)} vs read {_shown(got)}")
    if printed:
        out += [f"{title} · {row.get('name') or key} [{key}] (p{row.get('page')}): a row of the model, not printed"
                for key, row in table.data.iterrows() if key not in used]
    names = SPECS[table.code].column_names
    out += [f"{title} · {name} [{key}] · {names.get(column, column)}: transcribed nothing vs read {_shown(got)}"
            for (key, column), (name, got) in read.items()]
    return out


def disagreements(report: Report, expected: dict) -> list[str]:
    """Every disagreement of a document: its tables, and tables read that are not printed."""
    out: list[str] = []
    printed = set()
    for table in expected["tables"]:
        code = TITLE_INDEX.get(title_key(table["title"]))
        if code is None:
            out.append(f"{table['title']}: title not in the schema (test mapping)")
            continue
        printed.add(code)
        out += table_disagreements(report.tables[code], table)
    out += [f"{SPECS[code].title}: not printed, read {t.status}"
            for code, t in report.tables.items() if code not in printed and t.status != "missing"]
    return out


@pytest.mark.parametrize("document", DOCUMENTS)
def test_every_amount_equals_the_hand_transcription(document):
    expected = yaml.safe_load((EXPECTED / f"{document}.yaml").read_text(encoding="utf-8"))
    assert expected["document"] == document
    report = read_report(CORPUS / document / "doc.pdf")
    found = disagreements(report, expected)
    assert not found, f"{document}: {len(found)} disagreements with the hand transcription\n" + "\n".join(found)


def test_the_transcriptions_cover_every_shanghai_pdf_of_the_corpus():
    assert DOCUMENTS == sorted(p.parent.name for p in CORPUS.glob("shanghai-*/doc.pdf"))
