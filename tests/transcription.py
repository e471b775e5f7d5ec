"""Compare a document read by auditlib with its hand transcription (tests/expected/…yaml): the
one comparison of the 决算 transcriptions (test_shanghai_transcription) and the 预算 ones
(test_budget_reading).

Each transcribed row and column is mapped once to the model's row key and column key (a row by
its printed code, else by its label through the row patterns of its table's spec; a column by its
printed header).  Then every amount must be read as printed and every blank cell blank; the model
must hold no amount the transcription lacks; in a table with figures the printed rows and the
model's rows must be the same; and the tables printed must be the tables read.  Every
disagreement is listed (表 · 行 · 栏: transcribed vs read), not just the first.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field

from auditlib.kinds import Kind
from auditlib.model import Report, Table
from auditlib.schema import FUNCTION_CODE_BY_NAME, TableSpec, label_key

SUBTOTALS = ("合计", "小计")


@dataclass(frozen=True)
class Mapping:
    """How a transcription's titles, labels and headers name the model's tables, rows and
    columns: the kind's specs and titles, plus the wording its specs do not cover
    (`labels[code][label]`, `headers[code][header]`)."""

    kind: Kind
    labels: dict[str, dict[str, str]] = field(default_factory=dict)
    headers: dict[str, dict[str, str]] = field(default_factory=dict)

    def column_key(self, code: str, header: str) -> str | None:
        """The model's column for a printed header; "本年支出/合计" is the 本年支出 column."""
        spec = self.kind.specs[code]
        names = {label_key(name): key for key, name in spec.column_names.items()} | self.headers.get(code, {})
        parts = header.split("/")
        name = parts[-2] if len(parts) > 1 and parts[-1] in SUBTOTALS else parts[-1]
        return names.get(label_key(name))

    def spec(self, code: str, table: dict) -> TableSpec:
        """The spec of the layout a transcribed table is printed in: the first of its layouts
        whose keyword the transcription holds (支出用途 in a half, 小计 in a label)."""
        spec = self.kind.specs[code]
        printed = json.dumps(table, ensure_ascii=False)
        return next((alt for keyword, alt in spec.layouts if keyword in printed), spec)

    def row_key(self, spec: TableSpec, row: dict, half: int, used: set[str]) -> str | None:
        """The model's row key for a transcribed row: its code (a 款 cell printed as one digit,
        "301 | 2", is 30102); else its label matched, in printed order, against the spec's row
        labels of its half (a label that repeats takes the next key whose `after` is read), a 合计
        of a coded table, a 功能分类 类 named in a split table's 支出 half, or a group/item label
        of a grouped table."""
        if row.get("code"):
            return re.sub(r"^(\d{3})(\d)$", r"\g<1>0\2", row["code"])
        code, label = spec.code, label_key(row["label"])
        if label in self.labels.get(code, {}):
            return self.labels[code][label]
        if spec.groups:
            return _grouped_key(spec, row["label"], used)
        if spec.kind == "hierarchy" and label in SUBTOTALS:
            return spec.total_key
        if spec.halves and half < len(spec.halves) and not label:
            return f"{spec.halves[half][0]}:unlabelled"
        if spec.halves and half >= len(spec.halves):
            return None  # a third part (Jiangsu's 收支预算总表) the spec has no rows for
        rows = spec.halves[half][2] if spec.halves else spec.rows
        key = _matched(rows, label, used)
        return key or (FUNCTION_CODE_BY_NAME.get(label) if spec.function_rows else None)


def _matched(rows, label: str, used: set[str]) -> str | None:
    return next((rl.key for rl in rows if rl.key not in used and (rl.after is None or rl.after in used)
                 and re.fullmatch(rl.pattern, label)), None)


def _grouped_key(spec: TableSpec, label: str, used: set[str]) -> str | None:
    """A grouped table's row as transcribed, "group/item" (一般公共预算资金/小计) or one label
    spanning both columns (收入总计)."""
    group, _, item = label.rpartition("/")
    if not group:
        return _matched(spec.rows, label_key(item), used)
    items = next((rows for g, rows in spec.groups if re.fullmatch(g.pattern, label_key(group))), ())
    return _matched(items, label_key(item), used)


def _level_key(path: list[int], level: int) -> str:
    """A levelled table's row key from its transcribed level (0 the 合计): its place in the
    nesting, as the reader keys it (L2.1.3), counted here independently of the reader."""
    if level == 0:
        return "total"
    del path[level:]
    path.extend([0] * (level - len(path)))
    path[level - 1] += 1
    return "L" + ".".join(map(str, path))


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


def _row_disagreements(mapping: Mapping, table: Table, row: dict, key: str, read: dict, where: str) -> list[str]:
    out = []
    for header, value in row["cells"].items():
        column = mapping.column_key(table.code, header)
        if column is None:
            out.append(f"{where} · {header}: column not mapped to the model (test mapping)")
            continue
        got = read.pop((key, column), (None, None))[1]
        if (value is None) != (got is None) or (value is not None and abs(value - got) > 0.005):
            out.append(f"{where} · {header}: transcribed {_shown(value)} vs read {_shown(got)}")
    return out


def _half_index(halves: list[str | None], half: str | None) -> int:
    """The place of a row's half among the halves met so far; a half named as the parent of one
    met ("支出" after "支出/功能分类": the rows spanning both 支出 parts) is that one."""
    for n, met in enumerate(halves):
        if met == half or (met and half and met.startswith(half + "/")):
            return n
    halves.append(half)
    return len(halves) - 1


def table_disagreements(mapping: Mapping, table: Table, expected: dict, form: int | None = None) -> list[str]:
    """Every disagreement between one transcribed table and the model's table; `form`: the
    place of a transcribed project form among the table's forms (its rows are keyed `…:n`)."""
    title, rows = expected["title"], expected.get("rows", [])
    out: list[str] = []
    printed = any(v is not None for row in rows for v in row["cells"].values())
    status = "parsed" if printed else "empty"
    if table.status != status:
        out.append(f"{title} (p{expected['page']}) · status: transcribed {status} vs read {table.status}")
    suffix = f":{form}" if form else ""
    read = {k: v for k, v in _read_amounts(table).items() if k[0].endswith(suffix)}
    used: set[str] = set()
    halves: list[str | None] = []
    path: list[int] = []
    spec = mapping.spec(table.code, expected)
    for row in rows:
        where = f"{title} · {' '.join(filter(None, (row.get('code'), row['label'])))} (p{row['page']})"
        if spec.text_columns:
            key = _level_key(path, row["level"])
        else:
            key = mapping.row_key(spec, row, _half_index(halves, row.get("half")), used)
        if key is None:
            out.append(f"{where}: row not mapped to the model (test mapping)")
            continue
        used.add(key)
        key += suffix
        used.add(key)
        if printed and not table.has(key):  # a blank row lost now is a row of figures lost next time
            out.append(f"{where}: printed row missing from the model")
        out += _row_disagreements(mapping, table, row, key, read, where)
    if printed:
        out += [f"{title} · {row.get('name') or key} [{key}] (p{row.get('page')}): a row of the model, not printed"
                for key, row in table.data.iterrows() if key not in used and str(key).endswith(suffix)]
    names = spec.column_names
    out += [f"{title} · {name} [{key}] · {names.get(column, column)}: transcribed nothing vs read {_shown(got)}"
            for (key, column), (name, got) in read.items()]
    return out


def disagreements(mapping: Mapping, report: Report, expected: dict) -> list[str]:
    """Every disagreement of a document: its tables, and tables read that are not printed."""
    out: list[str] = []
    printed: list[str] = []
    for table in expected["tables"]:
        code = mapping.kind.title(table["title"])
        if code is None:
            out.append(f"{table['title']}: title not in the schema (test mapping)")
            continue
        printed.append(code)
        form = printed.count(code) if table.get("project") else None  # one form per project, in order
        out += table_disagreements(mapping, report.tables[code], table, form)
    out += [f"{mapping.kind.specs[code].title}: not printed, read {t.status}"
            for code, t in report.tables.items() if code not in printed and t.status != "missing"]
    return out


def amounts(expected: dict) -> int:
    """How many amounts a transcription holds (printed figures, 0 included; blanks not)."""
    return sum(v is not None for t in expected["tables"] for row in t.get("rows", []) for v in row["cells"].values())


def budget_mapping() -> Mapping:
    """The budget transcriptions' wording the budget specs do not name: the one-row 三公 table's 合计
    column, Jiangsu's one 金额 column (基本支出 in 2019's 公开08表) and its 支出预算总表's unlabelled row."""
    from auditlib.kinds import BUDGET, kind_named

    amount = {"金额": "total"}
    three = {"合计": "total", "三公经费/小计": "three_public", "三公经费/因公出国(境)费": "abroad",
             "三公经费/公务用车购置及运行维护费/小计": "vehicle", "三公经费/公务接待费": "reception",
             "三公经费/公务用车购置及运行维护费/公务用车购置费": "vehicle_purchase",
             "三公经费/公务用车购置及运行维护费/公务用车运行维护费": "vehicle_operation"}
    return Mapping(kind_named(BUDGET), labels={"B07": three, "B03": {"": "total"}},
                   headers={"B01": {"金额": "amount"}, "B02": amount, "B04": {"金额": "amount"}, "B05": amount,
                            "B06": amount | {"基本支出": "total"}, "B07": {"金额": "budget"}, "B08": amount,
                            "B12": amount, "B13": amount})
