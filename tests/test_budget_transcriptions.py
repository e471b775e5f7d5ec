"""The hand transcriptions of 部门预算 in tests/expected/budgets (issue 30), checked on their own.

Each file holds every amount of every table of one budget of ../shared/corpus/budgets, typed from
the page images.  Before a reader is measured against them they must be right: this test checks
that each file is well formed (titles, pages in order and inside the PDF, cells numbers or blank)
and that the identities every budget must satisfy hold on the figures typed — within rounding,
and exactly but for the 尾数 differences a document prints (ROUNDING) — so a typo breaks one.  The identities: a 收支总表's items add up to its totals and 收入总计
equals 支出总计; a 合计 column is the sum of the columns beside it (收入总表 合计 = Σ sources,
支出总表 合计 = 基本 + 项目 (+ 预留)); 类 = Σ款 = Σ项 and 合计 = Σ类 wherever codes are printed; a
group's 小计 is the sum of its items; “三公” = 出国 + 接待 + 车 (购置 + 运行); a 政府采购 line is the
sum of the lines under it; a 绩效目标 form's fund totals are the sums of their parts; a table stated empty (本表为空表) prints no figure.  A failure the
document itself carries is listed in EXPECTED with the file header that describes it; nothing
else may fail.  auditlib's reader is not used.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import takewhile

import pypdfium2
import pytest
import yaml

from tests.conftest import CORPUS, ROOT

EXPECTED_DIR = ROOT / "tests" / "expected" / "budgets"
DOCUMENTS = sorted(p.stem for p in EXPECTED_DIR.glob("*.yaml"))

# The identities the documents themselves break (described with figures in each file's header).
EXPECTED = {
    "sh-pt-wanli-2024-yusuan": {"部门“三公”经费和机关运行经费预算表: 本表为空表 but 7 figures printed"},
    # a 绩效目标 form whose 当年财政拨款 exceeds its 年度资金申请总额
    "sh-pt-wanli-2023-yusuan": {"财政项目支出绩效目标填报表（公共服务设施运行经费）· 年度资金申请总额: 10903043.00 ≠ Σ 11419043.00"},
    # 事业单位医疗 printed under 类 "7" (7 | 11 | 02) in two tables: the 合计 row is not Σ类 as printed
    "sh-pt-fuliyuan-2024-yusuan": {
        "2024年预算单位支出预算总表 · 合计 · 合计: 12121164.00 ≠ Σ 12624888.00",
        "2024年预算单位支出预算总表 · 合计 · 基本支出: 9501164.00 ≠ Σ 10004888.00",
        "2024年预算单位一般公共预算支出功能分类预算表 · 合计 · 合计: 9501164.00 ≠ Σ 10004888.00",
        "2024年预算单位一般公共预算支出功能分类预算表 · 合计 · 基本支出: 9501164.00 ≠ Σ 10004888.00",
    },
}

# The 尾数 differences the documents print (sums of rounded figures; findings of severity warning).
_D25 = "2025年部门"
_W25 = {  # the 2025 budget, draft and published alike: 21201 and 212 one 元 off their parts
    *(f"{_D25}{table} · 21201城乡社区管理事务 · {column}: 94995790.00 ≠ Σ 94995789.00"
      for table, column in (("一般公共预算支出功能分类预算表", "合计"), ("支出预算总表", "合计"),
                            ("收入预算总表", "合计"), ("收入预算总表", "财政拨款收入"))),
    *(f"{_D25}{table} · 212城乡社区支出 · {column}: 154369326.00 ≠ Σ 154369327.00"
      for table, column in (("一般公共预算支出功能分类预算表", "合计"), ("支出预算总表", "合计"),
                            ("收入预算总表", "合计"), ("收入预算总表", "财政拨款收入"))),
}
ROUNDING = {
    "sh-pt-wanli-2025-yusuan": _W25,
    "sh-pt-wanli-2025-yusuan-draft1": _W25 | {
        f"{_D25}财政拨款收支预算总表 · 财政拨款支出 items · 合计: 189767551.46 ≠ Σ 189767551.00",
        f"{_D25}财政拨款收支预算总表 · 财政拨款收入 items · 预算数: 189767551.46 ≠ Σ 189767551.00",
    },
}

ITEM = re.compile(r"^[一二三四五六七八九十]+、")
SUBITEM = re.compile(r"^\d+[.、．]")
TOTAL = re.compile(r"(总计|合计|小计)$")
STEP = {"元": 1.0, "万元": 0.01}


def load(document: str) -> dict:
    """One transcription, parsed by libyaml (the pure-Python loader takes seconds on these files)."""
    return yaml.load((EXPECTED_DIR / f"{document}.yaml").read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)


def value(row: dict, column: str) -> float:
    """A cell as a number; a blank cell counts 0 in a sum, as the budgets print it."""
    return row["cells"].get(column) or 0.0


def mismatch(where: str, total: float, parts: list[float], step: float) -> Iterator[str]:
    """One message when `total` differs from Σ parts by more than the rounding of the parts
    (each printed figure is rounded to `step`, so n of them may drift n/2 steps, plus the total's)."""
    if abs(total - sum(parts)) > step * (len(parts) + 1) / 2 + 1e-6:
        yield f"{where}: {total:.2f} ≠ Σ {sum(parts):.2f}"


def form_errors(document: str, doc: dict) -> Iterator[str]:
    """Well-formedness: the document's PDF exists; tables, and rows of each half, in page order
    inside it; every row labelled; every cell a number or blank; codes digits; units known."""
    pdf = CORPUS / "budgets" / document / "doc.pdf"
    if doc.get("document") != document or not pdf.exists():
        yield f"{document}: document name or PDF missing"
        return
    pages = len(pypdfium2.PdfDocument(pdf))
    last = 0
    for table in doc["tables"]:
        title = table["title"]
        if table["unit"] not in STEP or not table["rows"] or not last <= table["page"] <= pages:
            yield f"{title}: unit, rows or page {table['page']} wrong"
        last = table["page"]
        for row in table["rows"]:
            if not isinstance(row.get("label"), str) or not table["page"] <= row["page"] <= pages:
                yield f"{title} · {row.get('label')}: label or page wrong"
            if "code" in row and not re.fullmatch(r"\d{3,7}", str(row["code"])):
                yield f"{title} · {row['label']}: code {row['code']!r} not digits"
            if not row["cells"] or any(v is not None and not isinstance(v, int | float) for v in row["cells"].values()):
                yield f"{title} · {row['label']}: cells {row['cells']!r}"
        for half in {r.get("half") for r in table["rows"]}:
            pages_of_half = [r["page"] for r in table["rows"] if r.get("half") == half]
            if pages_of_half != sorted(pages_of_half):
                yield f"{title} · {half}: rows not in page order"


def column_sums(table: dict, step: float) -> Iterator[str]:
    """合计 = Σ the other columns of its row, wherever a 合计 column stands beside others."""
    for row in table["rows"]:
        cells = row["cells"]
        if "合计" in cells and len(cells) > 2 and cells["合计"] is not None:
            others = [value(row, c) for c in cells if c != "合计"]
            where = f"{table['title']} · {row.get('code', '')}{row['label']} · 合计"
            yield from mismatch(where, cells["合计"], others, step)


def parent_code(code: str, codes: set[str]) -> str | None:
    """The longest printed code that is a proper prefix of `code`: 款 of a 项, 类 of a 款 (a
    short-printed 经济分类 款 such as '3012' still falls under its 类 '301')."""
    prefixes = [c for c in codes if code.startswith(c) and c != code]
    return max(prefixes, key=len, default=None)


def code_sums(table: dict, step: float) -> Iterator[str]:
    """类 = Σ款 = Σ项 in every column, and the 合计 row = Σ类, where codes are printed."""
    coded = [r for r in table["rows"] if "code" in r]
    if not coded:
        return
    codes = {r["code"] for r in coded}
    children: dict[str | None, list[dict]] = {}
    for row in coded:
        children.setdefault(parent_code(row["code"], codes), []).append(row)
    parents = [(r, children.get(r["code"])) for r in coded]
    parents += [(r, children[None]) for r in table["rows"] if "code" not in r and r["label"] == "合计"]
    for row, kids in parents:
        for column in row["cells"] if kids else ():
            where = f"{table['title']} · {row.get('code', '')}{row['label']} · {column}"
            yield from mismatch(where, value(row, column), [value(k, column) for k in kids], step)


def group_sums(table: dict, step: float) -> Iterator[str]:
    """Two-column labels (group/item): the group's 小计 = Σ its items, the 总计 = Σ 小计."""
    rows = {r["label"]: r for r in table["rows"] if "/" in r["label"] and "三公" not in table["title"]}
    subtotals = {label.rsplit("/", 1)[0]: row for label, row in rows.items() if label.endswith("/小计")}
    for group, subtotal in subtotals.items():
        items = [r for label, r in rows.items() if label.startswith(group + "/") and r is not subtotal
                 and not label.rsplit("/", 1)[1].startswith("其中")]
        for column in subtotal["cells"] if items else ():
            parts = [value(r, column) for r in items]
            yield from mismatch(f"{table['title']} · {group}/小计", value(subtotal, column), parts, step)
    totals = [r for r in table["rows"] if r["label"] == "收入总计"]
    for total, column in ((t, c) for t in totals for c in t["cells"]):
        parts = [value(r, column) for r in subtotals.values()]
        yield from mismatch(f"{table['title']} · 收入总计", value(total, column), parts, step)


def sides(table: dict) -> dict[str, list[dict]]:
    """A 收支总表's rows by side (收入 | 支出), a half such as 支出/功能分类 on its side."""
    out: dict[str, list[dict]] = {}
    for row in table["rows"]:
        out.setdefault(row["half"].split("/")[0], []).append(row)
    return out


def total_rows(rows: list[dict]) -> list[int]:
    """Where a side's totals stand: 小计, 总计, 合计, or the unlabelled total of a LibreOffice table."""
    return [i for i, r in enumerate(rows) if TOTAL.search(r["label"]) or r["label"] == ""]


def balance_side(title: str, rows: list[dict], step: float) -> Iterator[str]:
    """One side: each half's items 一、二、… = the side's first total (小计 | 总计 | 合计 | the
    unlabelled total row); sub-items 1. 2. = their item; the last total = first + the rows between."""
    totals = total_rows(rows)
    first, last = rows[totals[0]], rows[totals[-1]]
    column = next(iter(first["cells"]))
    for half in dict.fromkeys(r["half"] for r in rows):
        items = [r for r in rows if r["half"] == half and ITEM.match(r["label"])]
        if items:
            parts = [value(r, column) for r in items]
            yield from mismatch(f"{title} · {half} items · {column}", value(first, column), parts, step)
        for item in items:
            below = [r for r in rows[rows.index(item) + 1 :] if r["half"] == half]
            subs = [value(r, column) for r in takewhile(lambda r: SUBITEM.match(r["label"]), below)]
            if subs:
                yield from mismatch(f"{title} · {item['label']}", value(item, column), subs, step)
    between = rows[totals[0] + 1 : totals[-1]]
    if between and not any(ITEM.match(r["label"]) for r in between):
        parts = [value(first, column)] + [value(r, column) for r in between]
        yield from mismatch(f"{title} · {last['label']}", value(last, column), parts, step)


def balance(table: dict, step: float) -> Iterator[str]:
    """A 收支总表: each side adds up, and 收入 total = 支出 total (each side's last total)."""
    by_side = sides(table)
    for rows in by_side.values():
        yield from balance_side(table["title"], rows, step)
    income, expense = (rows[total_rows(rows)[-1]] for rows in by_side.values())
    figures = [value(row, next(iter(row["cells"]))) for row in (income, expense)]
    yield from mismatch(f"{table['title']} · {income['label']} = {expense['label']}", figures[0], figures[1:], step)


def sangong_kind(label: str) -> str | None:
    """What a “三公” table column (recorded as a row) holds, from its printed header path."""
    parts = label.split("/")
    name = parts[-2] if parts[-1] == "小计" and len(parts) > 1 else parts[-1]
    for key, kind in (("购置及运行", "car"), ("出国", "abroad"), ("接待", "reception"), ("机关运行", None),
                      ("购置费", "purchase"), ("运行", "running"), ("三公", "sangong"), ("合计", "total"),
                      ("会议费", "meeting"), ("培训费", "training")):
        if key in name:
            return kind
    return None


def sangong(table: dict, step: float) -> Iterator[str]:
    """“三公” = 出国 + 接待 + 车, 车 = 购置 + 运行, and where 会议费 and 培训费 are printed
    beside it, 合计 = “三公” + 会议费 + 培训费."""
    kinds = {sangong_kind(r["label"]): value(r, next(iter(r["cells"]))) for r in table["rows"]}
    three = kinds.get("sangong", kinds["total"])
    title = table["title"]
    yield from mismatch(f"{title} · 三公", three, [kinds["abroad"], kinds["reception"], kinds["car"]], step)
    yield from mismatch(f"{title} · 公务用车", kinds["car"], [kinds["purchase"], kinds["running"]], step)
    if "meeting" in kinds:
        yield from mismatch(f"{title} · 合计", kinds["total"], [three, kinds["meeting"], kinds["training"]], step)


def procurement(table: dict, step: float) -> Iterator[str]:
    """A 政府采购 line of level k = Σ the lines of level k+1 under it."""
    rows = table["rows"]
    for i, row in enumerate(rows):
        kids = []
        for below in rows[i + 1 :]:
            if below["level"] <= row["level"]:
                break
            if below["level"] == row["level"] + 1:
                kids.append(value(below, "总计"))
        if kids:
            yield from mismatch(f"{table['title']} · {row['label']} (p{row['page']})", value(row, "总计"), kids, step)


def project_funds(table: dict, step: float) -> Iterator[str]:
    """A 项目支出绩效目标表's fund block: 项目资金总额 = 财政资金 + 其他资金, 年度资金申请总额 =
    当年财政拨款 + 上年结转资金 + 其他资金 (each half's first line is its total)."""
    for half in dict.fromkeys(r["half"] for r in table["rows"]):
        total, *parts = (r for r in table["rows"] if r["half"] == half)
        where = f"{table['title']}（{table.get('project', '')}）· {total['label']}"
        yield from mismatch(where, value(total, "金额"), [value(r, "金额") for r in parts], step)


def empty_statement(table: dict) -> Iterator[str]:
    """A table that says it is empty (本表为空表) prints no figure."""
    figures = [v for r in table["rows"] for v in r["cells"].values() if v is not None]
    if "空表" in table.get("statement", "") and figures:
        yield f"{table['title']}: 本表为空表 but {len(figures)} figures printed"


def identity_failures(doc: dict, exact: bool = False) -> Iterator[str]:
    """Every identity of every table that does not hold: within the rounding of the printed
    figures, or `exact`ly (which also catches a typo in a last digit)."""
    for table in doc["tables"]:
        step = 0.0 if exact else STEP[table["unit"]]
        yield from empty_statement(table)
        yield from column_sums(table, step)
        if "三公" in table["title"]:
            yield from sangong(table, step)
        elif "采购" in table["title"]:
            yield from procurement(table, step)
        elif "绩效目标" in table["title"]:
            yield from project_funds(table, step)
        elif "half" in table["rows"][0]:
            yield from balance(table, step)
        else:
            yield from code_sums(table, step)
            yield from group_sums(table, step)


@pytest.mark.parametrize("document", DOCUMENTS)
def test_transcription_is_well_formed(document):
    errors = list(form_errors(document, load(document)))
    assert not errors, "\n".join(errors)


@pytest.mark.parametrize("document", DOCUMENTS)
def test_budget_identities_hold_except_the_documents_own(document):
    failures = set(identity_failures(load(document)))
    assert failures == EXPECTED.get(document, set()), "\n".join(sorted(failures ^ EXPECTED.get(document, set())))


@pytest.mark.parametrize("document", DOCUMENTS)
def test_exact_sums_differ_only_where_the_document_rounds(document):
    """Without the rounding allowance the sums still hold, except the 尾数 differences the
    document prints (ROUNDING): a one-元 slip of the typing would show here."""
    expected = EXPECTED.get(document, set()) | ROUNDING.get(document, set())
    failures = set(identity_failures(load(document), exact=True))
    assert failures == expected, "\n".join(sorted(failures ^ expected))


def test_three_producers_are_transcribed():
    """The ground truth spans the producers of the dev set: WPS (Office and 表格), LibreOffice and Word."""
    producers = {pypdfium2.PdfDocument(CORPUS / "budgets" / d / "doc.pdf").get_metadata_dict().get("Creator", "")
                 for d in DOCUMENTS}
    assert {"WPS Office", "WPS 表格", "Calc", "Microsoft® Office Word 2007"} <= producers, producers


def test_a_typo_breaks_an_identity():
    """The check can fail: one figure changed by 100 (a slipped digit) in each transcription."""
    for document in DOCUMENTS:
        doc = load(document)
        table = next(t for t in doc["tables"] if any("code" in r for r in t["rows"]))
        row = next(r for r in table["rows"] if len(r.get("code", "")) > 3)
        column = next(c for c, v in row["cells"].items() if v)
        row["cells"][column] += 100
        assert set(identity_failures(doc)) - EXPECTED.get(document, set()), document
