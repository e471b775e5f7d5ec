"""The per-科目 lines of the narrative — “X（类）Y（款）Z（项）。年初预算为 A 万元，支出决算为 B 万元，
完成年初预算的 C%” and the wordings real reports use for them — are checked: B against the 科目's
row of the table the section is about (公开05表 for 一般公共预算财政拨款支出, 公开04表 for 财政拨款支出),
C against B / A at the precision C is printed in (the tables print no 年初预算: A itself is not
checkable).  Errors planted in a generated report and in the Nanchang report are each found once;
the unplanted documents give no narrative finding on these lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditlib.ingest import read_report
from auditlib.rules import check
from tests.synth import generate

# The wordings of the line (Shanghai 2024; 江西 2021; a terse one; 全年预算 where 年初预算 is 0)
WORDINGS = ("年初预算为 {a} 万元，支出决算为 {b} 万元，完成年初预算的 {c}%。",
            "年初预算数为 {a} 万元，决算数为 {b} 万元，完成年初预算的 {c}%。",
            "年初预算 {a} 万元，支出决算 {b} 万元，完成年初预算 {c}%。",
            "全年预算为 {a} 万元，支出决算为 {b} 万元，完成全年预算数的 {c}%。")
SECTION = "六、一般公共预算财政拨款支出决算情况说明"


def _items_report(tmp_path: Path, plant: dict[int, tuple[str, float]] | None = None) -> tuple[Path, list]:
    """A generated report with a section of per-科目 lines, one per 项 of its 公开05表 (the
    budget A drawn above B, C = B / A at two decimals); `plant` {line: (b | c, printed value)}
    writes a wrong figure into a line.  The 项 rows (code, B) in line order come with it."""
    path = generate(5).write(tmp_path / "generated.txt")
    data = read_report(path).tables["T05"].data
    names = dict(zip(data["code"].astype(str), data["name"]))
    rows = [(c, n, t) for c, n, lv, t in zip(data["code"].astype(str), data["name"], data["level"], data["total"])
            if lv == "项"]
    lines = [SECTION, ""]
    for i, (code, name, spent) in enumerate(rows):
        budget = round(spent * 1.07 + 2, 2)
        figures = {"a": f"{budget:.2f}", "b": f"{spent:.2f}", "c": f"{spent / budget * 100:.2f}"}
        if plant and i in plant:
            figures[plant[i][0]] = f"{plant[i][1]:.2f}"
        said = WORDINGS[i % len(WORDINGS)].format(**figures).rstrip("。")
        lines += [f"（{i + 1}）{names[code[:3]]}（类）{names[code[:5]]}（款）{name}（项）。{said}，主要原因是项目按进度支付。", ""]
    text = path.read_text(encoding="utf-8").split("\n")
    glossary = max(i for i, line in enumerate(text) if line.strip() == "第四部分 名词解释")
    text[glossary:glossary] = lines
    path.write_text("\n".join(text), encoding="utf-8")
    return path, rows


def _narrative(result) -> list:
    return [f for f in result.findings if f.id.startswith("NARR.") and f.severity != "info"]


def test_every_item_line_of_a_generated_report_is_checked(tmp_path):
    path, rows = _items_report(tmp_path)
    result = check(read_report(path))
    mine = [c for c in result.claims if c.section == SECTION]
    assert len(rows) == 11 and len(mine) == 3 * len(rows)
    assert [(c.kind, c.verdict) for c in mine if c.kind != "budget"] == [("amount", "ok"), ("completion", "ok")] * 11
    assert [c.target for c in mine if c.kind == "amount"] == [f"T05[{code}].total" for code, _, _ in rows]
    assert {(c.verdict, c.reason) for c in mine if c.kind == "budget"} == {("unchecked", "表中无预算数")}
    assert _narrative(result) == []


def test_a_wrong_amount_and_a_wrong_rate_in_item_lines_are_found(tmp_path):
    _, rows = _items_report(tmp_path)
    spent = rows[1][2]
    rate = rows[5][2] / round(rows[5][2] * 1.07 + 2, 2) * 100
    path, _ = _items_report(tmp_path, {1: ("b", spent + 10), 5: ("c", rate + 1.5)})
    found = sorted((f.id, f.severity, f.expected, f.actual) for f in _narrative(check(read_report(path))))
    assert found == [("NARR.amount", "error", round(spent, 2), round(spent + 10, 2)),
                     ("NARR.completion", "error", round(rate, 2), round(rate + 1.5, 2))]


@pytest.mark.parametrize("old,new,planted", [
    ("社会保障和就业支出年初预算数为 53.70 万元, 决算数为 53.70 万元", "社会保障和就业支出年初预算数为 53.70 万元, 决算数为 63.70 万元",
     ("NARR.amount", "error", 53.7, 63.7)),
    ("住房保障支出年初预算数为 88.78 万元，决算数为 88.78 万元，完成年初预算的 100%", "住房保障支出年初预算数为 88.78 万元，决算数为 88.78 万元，完成年初预算的 110%",
     ("NARR.completion", "error", 100.0, 110.0)),
])
def test_a_planted_error_in_a_nanchang_item_line_is_found_alone(tmp_path, nanchang, nanchang_text, old, new, planted):
    """The real lines hold (公开04表's 类 rows, rates at their printed precision); the planted
    figure is the one narrative finding more than the real document has."""
    real = {(f.id, f.severity, f.expected, f.actual) for f in _narrative(check(nanchang))}
    assert planted not in real and old in nanchang_text
    path = tmp_path / "nanchang.txt"
    path.write_text(nanchang_text.replace(old, new, 1), encoding="utf-8")
    got = {(f.id, f.severity, f.expected, f.actual) for f in _narrative(check(read_report(path)))}
    assert got - real == {planted} and real <= got
