#!/usr/bin/env python3
"""Render a consistent national-format 部门预算 as PDFs of several producers, with its truth (issue 30).

Why: the budgets kept aside for issue 30's measure come from producers and provinces the dev set
lacks (Acrobat Distiller, PDFMaker, Excel, WPS professional; the 财政部 national table set; split 文件
+ 表格 pairs), while the national set had only been read as generated text
(tools/make_pair_fixture.py).  This tool prints that budget — the bundled Nanchang 决算's own 预算,
make_pair_fixture's figures — in the shapes real national budgets take (tools/README.md lists the
sources): table numbering (公开01表 on a line of its own, 表一 / 附表1 / 一、 before the title), header
wordings (收入/支出 or 本年收入/本年支出, 预算数 or 2021年预算数), 科目编码 in one cell or split into 类 | 款 |
项 columns, 元 or 万元, the “三公” table as rows or as one wide row, tables continued across pages and
several small tables on one page; and it writes, for each PDF, the truth in the format of the hand
transcriptions (tests/expected/budgets/*.yaml), so the reading is measured the same way.

Producers (each style one PDF): LibreOffice Calc with fit-to-width (`calc-fit`) and without it (A4 landscape,
wide columns at 100 %, long tables continued down with their heads repeated: `calc-nofit`); Writer
.docx tables, several a page, rows breaking across pages, header rows not repeated (`writer`);
headless Chromium HTML, header rows repeated (`chromium`); and a split pair: the 文件 (cover and
narrative, Writer) and the 表格 booklet (Calc), of the `calc-fit` document.

Run with the venv of tools/README.md (python-docx, openpyxl, pikepdf, fonttools):
    /tmp/toolvenv/bin/python tools/make_budget_pdfs.py [--outdir tests/fixtures/budget-pdf] [--styles a,b]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import render_matrix as rm  # noqa: E402  (sibling tool modules)
import render_wide  # noqa: E402
from make_pair_fixture import DEPARTMENT, ECONOMIC, ECONOMIC_CLASSES, ITEMS, THREE_PUBLIC, YEAR, Budget  # noqa: E402
from render_fixtures import convert_soffice, print_chromium, subset_font  # noqa: E402

rm.FONT_SANS = "WenQuanYi Micro Hei"  # TrueType: LibreOffice embeds a subset a third the size of Noto CJK's
CN = "一二三四五六七八九十"
SECTIONS = [  # (code, national title): the 财政部 table set, in its order
    ("B01", "部门收支总表"), ("B02", "部门收入总表"), ("B03", "部门支出总表"), ("B04", "财政拨款收支总表"),
    ("B05", "一般公共预算支出表"), ("B06", "一般公共预算基本支出表"), ("B07", "一般公共预算“三公”经费支出表"),
    ("B08", "政府性基金预算支出表"), ("B09", "国有资本经营预算支出表")]


@dataclass(frozen=True)
class Style:
    """How one producer's document prints the same budget."""

    name: str
    producer: str                  # calc-fit, calc-nofit, writer, chromium
    numbering: str                 # line: 公开01表 above the title; cn: 一、; biao: 表一; fu: 附表1; none
    sides: tuple[str, str] = ("收入", "支出")
    amount: str = "预算数"         # the 预算数 head (2021年预算数 in some)
    split_codes: bool = False      # 科目编码 as 类 | 款 | 项 cells
    yuan: bool = False             # B01–B06 in 元 (B07 stays 万元)
    wide_three: bool = False       # the “三公” table as one row under its items
    department_in_title: bool = False
    national_rows: bool = False    # 收支总表 as the 财政部 template words it: 一般公共预算拨款收入 …,
    #                                本年收入合计 / 上年结转 | 本年支出合计 / 结转下年
    blank_zeros: bool = False      # zero amounts left blank (the “三公” table keeps its 0)
    grouping: bool = True          # thousands separated (29,737,000 or 29737000)
    local_three: bool = False      # the “三公” rows as some cities word and order them: 合计, 因公出国(境)费用,
    #                                公务接待费, 公务用车购置及运行维护费, 其中：运行维护费, 购置 (no 费)


STYLES = [
    Style("calc-fit", "calc-fit", "line"),
    Style("calc-nofit", "calc-nofit", "biao", sides=("本年收入", "本年支出"), split_codes=True, yuan=True,
          local_three=True),
    Style("writer", "writer", "fu", amount=f"{YEAR}年预算数", split_codes=True, department_in_title=True),
    Style("chromium", "chromium", "cn", sides=("本年收入", "本年支出"), wide_three=True),
    Style("writer-national", "writer", "line", national_rows=True, department_in_title=True),
    Style("chromium-plain", "chromium", "none", yuan=True, blank_zeros=True, grouping=False, split_codes=True),
]


@dataclass
class Draft:
    """One table: what it prints (caption, header rows, body rows) and its truth rows."""

    code: str
    title: str
    caption: list[str]
    header: list[list[str]]
    body: list[list[str]]
    truth: list[dict]
    notes: list[str]


def _title(style: Style, n: int, name: str) -> tuple[str, list[str]]:
    """The printed title of table `n` (1-based) and the caption lines above it besides."""
    core = f"{DEPARTMENT}{YEAR}年{name}" if style.department_in_title else f"{YEAR}年{name}"
    prefix = {"cn": f"{CN[n - 1]}、", "biao": f"表{CN[n - 1]} ", "fu": f"附表{n}："}.get(style.numbering, "")
    extra = [f"公开{n:02d}表"] if style.numbering == "line" else []
    return prefix + core, extra


class Printer:
    """The national tables of one budget in one style, as Drafts."""

    def __init__(self, budget: Budget, style: Style):
        self.b, self.s = budget, style

    def n(self, v: float, yuan: bool | None = None) -> str:
        """An amount as printed; the document's own tables (`yuan` None) in its style: zeros blank
        and the thousands unseparated where it says so (the “三公” table keeps its 0 and commas)."""
        if yuan is None and self.s.blank_zeros and round(v, 2) == 0:
            return ""
        sep = "," if yuan is not None or self.s.grouping else ""
        yuan = self.s.yuan if yuan is None else yuan
        return f"{round(v * 10000):{sep}}" if yuan else f"{v:{sep}.2f}"

    def v(self, v: float, yuan: bool | None = None) -> float | None:
        """The truth of a printed amount: in the table's unit; None for a blank."""
        if yuan is None and self.s.blank_zeros and round(v, 2) == 0:
            return None
        yuan = self.s.yuan if yuan is None else yuan
        return float(round(v * 10000)) if yuan else round(v, 2)

    def caption(self, yuan: bool | None = None) -> str:
        """The 编制单位 | 单位 line under a title: the reader takes each table's unit from it."""
        unit = "元" if (self.s.yuan if yuan is None else yuan) else "万元"
        return f"编制单位：{DEPARTMENT}　　单位：{unit}"

    def split_table(self, left: list[tuple[str, float]], right_head: list[str],
                    right: list[tuple[str, list[float]]]) -> tuple[list, list, list]:
        """A 收 | 支 table: header rows, body rows, truth rows; `right` rows with len(right_head) figures."""
        inc, exp = self.s.sides
        head = [[inc, "", exp] + [""] * len(right_head), ["项目", self.s.amount, "项目"] + right_head]
        names = ["预算数"] if len(right_head) == 1 else ["合计", "一般公共预算", "政府性基金预算", "国有资本经营预算"]
        body, truth = [], []
        for i in range(max(len(left), len(right))):
            row = [left[i][0], self.n(left[i][1])] if i < len(left) else ["", ""]
            lab, xs = right[i] if i < len(right) else ("", [])
            row += [lab, *(map(self.n, xs) if xs else [""] * len(right_head))]
            body.append(row)
        truth += [{"half": inc, "label": lab, "cells": {"预算数": self.v(x)}} for lab, x in left]
        truth += [{"half": exp, "label": lab, "cells": dict(zip(names, map(self.v, xs)))} for lab, xs in right if lab]
        return head, body, truth

    def b01(self) -> tuple[list, list, list]:
        """部门收支总表: the 类 as 支出 rows, in the national or the local wording of the 收入 side the style prints."""
        total = sum(self.b.total())
        right = [(f"{CN[i]}、{name}", [b + p]) for i, (name, b, p) in enumerate(self._classes())]
        if self.s.national_rows:
            left = [("一、一般公共预算拨款收入", total), ("二、政府性基金预算拨款收入", 0.0), ("三、国有资本经营预算拨款收入", 0.0),
                    ("四、事业收入", 0.0), ("五、事业单位经营收入", 0.0), ("六、其他收入", 0.0),
                    ("本年收入合计", total), ("上年结转", 0.0)]
            right += [("", [])] * (6 - len(right)) + [("本年支出合计", [total]), ("结转下年", [0.0])]
        else:
            left = [("一、财政拨款收入", total), ("1.一般公共预算资金", total), ("2.政府性基金", 0.0),
                    ("3.国有资本经营预算", 0.0), ("二、事业收入", 0.0), ("三、事业单位经营收入", 0.0), ("四、其他收入", 0.0)]
        head, body, truth = self.split_table(left, [self.s.amount], right)
        return self._closing(head, body, truth, ("收入总计", "支出总计"), [total], [total])

    def b04(self) -> tuple[list, list, list]:
        """财政拨款收支总表: its 支出 rows split by the three budgets, as national budgets print it."""
        total = sum(self.b.total())
        left = [("一、一般公共预算", total), ("二、政府性基金预算", 0.0), ("三、国有资本经营预算", 0.0)]
        right = [(name, [b + p, b + p, 0.0, 0.0]) for name, b, p in self._classes()]
        head, body, truth = self.split_table(left, ["合计", "一般公共预算", "政府性基金预算", "国有资本经营预算"], right)
        return self._closing(head, body, truth, ("收入总计", "支出总计"), [total], [total, total, 0.0, 0.0])

    def _closing(self, head, body, truth, labels, left, right) -> tuple[list, list, list]:
        """The 收入总计 | 支出总计 row of a split table."""
        inc, exp = self.s.sides
        body.append([labels[0], *map(self.n, left), labels[1], *map(self.n, right)])
        names = ["预算数"] if len(right) == 1 else ["合计", "一般公共预算", "政府性基金预算", "国有资本经营预算"]
        truth.append({"half": inc, "label": labels[0], "cells": {"预算数": self.v(left[0])}})
        truth.append({"half": exp, "label": labels[1], "cells": dict(zip(names, map(self.v, right)))})
        return head, body, truth

    def _classes(self) -> list[tuple[str, float, float]]:
        """The 类 rows (name, 基本, 项目): the totals tables list their 支出 by 类, not by code."""
        return [(name, b, p) for code, name, b, p in self.b.rows() if len(code) == 3]

    def _code_cells(self, code: str) -> list[str]:
        """A code as the style prints it: one cell, or 类 | 款 | 项 cells as split-code budgets do."""
        if not self.s.split_codes:
            return [code]
        return [code[:3], code[3:5], code[5:7]]

    def coded(self, heads: list[str], rows: list[tuple[str, str, list[float]]],
              total: list[float]) -> tuple[list, list, list]:
        """A 科目编码 | 科目名称 | figures table, 合计 first; truth keyed by the full code."""
        code_head = [["科目编码", "", "", "科目名称", *heads], ["类", "款", "项", "", *[""] * len(heads)]] \
            if self.s.split_codes else [["科目编码", "科目名称", *heads]]
        blank = [""] * (3 if self.s.split_codes else 1)
        body = [[*blank, "合计", *map(self.n, total)]]
        truth = [{"label": "合计", "cells": dict(zip(heads, map(self.v, total)))}]
        for code, name, figures in rows:
            body.append([*self._code_cells(code), name, *map(self.n, figures)])
            truth.append({"code": code, "label": name, "cells": dict(zip(heads, map(self.v, figures)))})
        return code_head, body, truth

    def function_table(self, heads: list[str], figures) -> tuple[list, list, list]:
        """A table of the 功能分类 codes whose columns `figures(基本, 项目)` makes: B02, B03, B05 share it."""
        basic, project = self.b.total()
        rows = [(c, name, figures(b, p)) for c, name, b, p in self.b.rows()]
        return self.coded(heads, rows, figures(basic, project))

    def b06(self) -> tuple[list, list, list]:
        """一般公共预算基本支出表: the 经济分类 codes, 302 as 公用经费 and the rest as 人员经费, as budgets split them."""
        rows = []
        for cls, name in ECONOMIC_CLASSES.items():
            members = [e for e in ECONOMIC if e[0].startswith(cls)]
            for code, label, v in [(cls, name, round(sum(e[2] for e in members), 2))] + members:
                rows.append((code, label, [v, 0.0 if cls == "302" else v, v if cls == "302" else 0.0]))
        personnel = round(sum(e[2] for e in ECONOMIC if e[0][:3] != "302"), 2)
        public = round(sum(e[2] for e in ECONOMIC if e[0][:3] == "302"), 2)
        return self.coded(["合计", "人员经费", "公用经费"], rows, [personnel + public, personnel, public])

    def b07(self) -> tuple[list, list, list]:
        """The “三公” table in 万元 whatever the style's unit, in the shapes budgets print it (rows, one
        wide row, 重庆's order)."""
        t = self.b.three
        vehicle = t["purchase"] + t["operation"]
        total = t["abroad"] + vehicle + t["reception"]
        n = lambda v: self.n(v, False)  # noqa: E731  (the “三公” table is in 万元)
        items = [("“三公”经费合计", total), ("因公出国（境）费", t["abroad"]), ("公务用车购置及运行费", vehicle),
                 ("公务用车购置费", t["purchase"]), ("公务用车运行费", t["operation"]), ("公务接待费", t["reception"])]
        truth = [{"label": "合计" if k == 0 else lab, "cells": {"预算数": round(v, 2)}} for k, (lab, v) in enumerate(items)]
        if self.s.wide_three:  # one row under the items, the national order: 出国, 车 {小计, 购置, 运行}, 接待
            head = [["合计", "因公出国（境）费", "公务用车购置及运行费", "", "", "公务接待费"],
                    ["", "", "小计", "公务用车购置费", "公务用车运行费", ""]]
            return head, [[n(v) for _lab, v in items]], truth
        if self.s.local_three:  # 重庆江北 2021 (tools/README.md): 接待 before 车, 运行 before 购置
            items = [("合计", total), ("1.因公出国(境)费用", t["abroad"]), ("2.公务接待费", t["reception"]),
                     ("3.公务用车购置及运行维护费", vehicle), ("其中：公务用车运行维护费", t["operation"]),
                     ("公务用车购置", t["purchase"])]
            return [["项目", self.s.amount]], [[lab, n(v)] for lab, v in items], [
                {"label": lab, "cells": {"预算数": round(v, 2)}} for lab, v in items]
        marks = ["", "1.", "2.", "（1）", "（2）", "3."]
        return [["项目", self.s.amount]], [[m + lab, n(v)] for m, (lab, v) in zip(marks, items)], truth

    def empty(self, what: str) -> tuple[list, list, list, list[str]]:
        """An empty table: its head and the statement under it; with `blank_zeros`, a blank 合计 row
        and the other wording real budgets use."""
        heads = ["合计", "基本支出", "项目支出"]
        head, body, truth = self.coded(heads, [], [0.0, 0.0, 0.0])
        if self.s.blank_zeros:
            note = f"说明：本部门{YEAR}年没有使用{what}预算拨款安排的支出，故本表无数据。"
            return head, body, [{"label": "合计", "cells": dict.fromkeys(heads)}], [note]
        return head, [], [], [f"注：本部门{YEAR}年无{what}预算财政拨款安排的支出，故本表为空表。"]

    def drafts(self) -> list[Draft]:
        """The nine national tables in their order, each with its title and caption lines as the style prints them."""
        both = lambda b, p: [b + p, b, p]  # noqa: E731
        made = {
            "B01": self.b01(),
            "B02": self.function_table(["合计", "财政拨款收入", "事业收入", "事业单位经营收入", "其他收入"],
                                       lambda b, p: [b + p, b + p, 0.0, 0.0, 0.0]),
            "B03": self.function_table(["合计", "基本支出", "项目支出"], both),
            "B04": self.b04(),
            "B05": self.function_table(["合计", "基本支出", "项目支出"], both),
            "B06": self.b06(),
            "B07": self.b07(),
            "B08": self.empty("政府性基金"),
            "B09": self.empty("国有资本经营"),
        }
        out = []
        for n, (code, name) in enumerate(SECTIONS, start=1):
            head, body, truth, *notes = made[code]
            title, extra = _title(self.s, n, name)
            caption = [*extra, title, self.caption(False if code == "B07" else None)]
            out.append(Draft(code, title, caption, head, body, truth, notes[0] if notes else []))
        return out


def narrative(budget: Budget) -> list[str]:
    """The cover and the 情况说明, every figure the tables' (万元)."""
    basic, project = budget.total()
    personnel = round(sum(e[2] for e in ECONOMIC if e[0][:3] != "302"), 2)
    t = budget.three
    vehicle = t["purchase"] + t["operation"]
    return [f"{DEPARTMENT}{YEAR}年部门预算", "目录", "第一部分 部门概况", "第二部分 部门预算情况说明",
            "第三部分 部门预算表", "第一部分 部门概况",
            "一、部门主要职能：负责全市大数据发展的统筹规划和协调推进。",
            "第二部分 部门预算情况说明",
            f"一、收支预算总体情况：本部门{YEAR}年收支预算总计{basic + project:.2f}万元，全部为财政拨款收入。",
            f"二、一般公共预算支出情况：一般公共预算支出{basic + project:.2f}万元，其中：基本支出{basic:.2f}万元，"
            f"项目支出{project:.2f}万元。",
            f"三、一般公共预算基本支出情况：基本支出{basic:.2f}万元，其中：人员经费{personnel:.2f}万元，"
            f"公用经费{basic - personnel:.2f}万元。",
            f"四、“三公”经费预算情况：{YEAR}年“三公”经费预算{t['abroad'] + vehicle + t['reception']:.2f}万元，其中："
            f"因公出国（境）费{t['abroad']:.2f}万元，公务用车购置及运行费{vehicle:.2f}万元，公务接待费{t['reception']:.2f}万元。",
            f"五、政府性基金预算支出情况：本部门{YEAR}年无政府性基金预算财政拨款安排的支出。",
            "第三部分 部门预算表"]


def blocks(style: Style) -> tuple[list[object], list[object], list[Draft]]:
    """The document as render_matrix blocks — the 文件 (cover and narrative) and the 表格 — and its Drafts."""
    budget = Budget(ITEMS, THREE_PUBLIC)
    drafts = Printer(budget, style).drafts()
    tables = [rm.Table(d.header + d.body, len(d.header), True, d.caption, d.notes) for d in drafts]
    return list(narrative(budget)), tables, drafts


def truth(name: str, drafts: list[Draft], style: Style) -> dict:
    """The drafts in the hand transcriptions' format (tests/expected/budgets/*.yaml; page left open)."""
    def unit(code: str) -> str:
        """The unit a table states: the “三公” table is in 万元 even in a budget printed in 元."""
        return "元" if style.yuan and code != "B07" else "万元"
    return {"document": name, "tables": [
        {"title": d.title, "page": None, "unit": unit(d.code), **({"statement": d.notes[0]} if d.notes else {}),
         "rows": [{**row, "page": None} for row in d.truth]} for d in drafts]}


def _landscape(wb, table: rm.Table, number: int) -> None:
    """render_wide's sheet (wide columns, 100 %, no fit-to-width, print titles repeated down the
    pages) on A4 landscape, as budgets printed from spreadsheets without fit-to-width are: each
    table as wide as it is, long ones continued on the next page."""
    render_wide._sheet(wb, table, number, across=False)
    wb.worksheets[-1].page_setup.orientation = "landscape"


def render(style: Style, outdir: Path, work: Path, args) -> list[Path]:
    """The style's PDF (and, for calc-fit, the split pair): the paths written."""
    prose, tables, _drafts = blocks(style)
    pdf = (outdir / f"national-{style.name}.pdf").resolve()
    if style.producer.startswith("calc"):
        sheet = _landscape if style.producer == "calc-nofit" else None
        rm.render_calc([*prose, *tables], pdf, work, args.soffice, sheet, "LibreOffice (Calc and Writer parts)")
    elif style.producer == "writer":
        convert_soffice(rm.write_docx([*prose, *tables], work / "doc.docx", repeat_header=False), pdf, args.soffice)
    else:
        text = "\n".join([*prose, *(c for t in tables for r in [t.caption, *t.rows, t.notes] for c in r)])
        font = subset_font(rm.FONT_CHROMIUM, text, work)
        (work / "doc.html").write_text(rm.to_html([*prose, *tables], style.name, font), encoding="utf-8")
        print_chromium(work / "doc.html", pdf, args.chromium)
    written = [pdf]
    if style.name == "calc-fit":  # the same document as a 文件 + 表格 pair
        wenjian, biaoge = outdir / "national-split.wenjian.pdf", outdir / "national-split.biaoge.pdf"
        convert_soffice(rm.write_docx(prose, work / "wenjian.docx"), wenjian.resolve(), args.soffice)
        rm.render_calc([f"{DEPARTMENT}{YEAR}年部门预算表", *tables], biaoge.resolve(), work, args.soffice)
        written += [wenjian, biaoge]
    for path in written:
        rm.compact(path)
    return written


def main(argv: list[str] | None = None) -> int:
    """Write each chosen style's PDFs and truth file; print their page counts and sizes to check the shapes by eye."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--outdir", type=Path, default=Path("tests/fixtures/budget-pdf"))
    ap.add_argument("--styles", default=",".join(s.name for s in STYLES))
    ap.add_argument("--chromium", default="chromium")
    ap.add_argument("--soffice", default="soffice")
    args = ap.parse_args(argv)
    args.outdir.mkdir(parents=True, exist_ok=True)
    wanted = args.styles.split(",")
    for style in (s for s in STYLES if s.name in wanted):
        with tempfile.TemporaryDirectory(prefix="budget-pdfs-") as work:
            written = render(style, args.outdir, Path(work), args)
        _prose, _tables, drafts = blocks(style)
        data = truth(f"national-{style.name}", drafts, style)
        (args.outdir / f"national-{style.name}.yaml").write_text(
            yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=200), encoding="utf-8")
        for path in written:
            print(path, rm.page_count(path), "pages", path.stat().st_size // 1024, "KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
