"""Write the 预算 of the bundled sample 决算 (auditlib/samples/nanchang-bigdata-2021.txt) as a text
extraction of the national 预算 tables (auditlib/budget-tables.yaml `national-budget`), so that
`check 决算 --budget 预算` has a pair with known truth (issue 30, notes/contract-pair.md).

The consistent budget states exactly the 决算's 年初预算 figures — 公开07表 预算数 (“三公” 26.95:
出国 18.60, 车 0, 接待 8.35) and the narrative's 财政拨款 年初预算 (2,973.70 in all; per 类: 科学技术
0, 社会保障和就业 53.70, 城乡社区 0, 资源勘探工业信息等 2,831.22, 住房保障 88.78) — and its own
identities hold (收支总表 and 财政拨款收支总表 balance, 合计 = 基本 + 项目, 类 = Σ款 = Σ项, 基本支出 =
人员经费 + 公用经费, “三公” = 出国 + 车 + 接待): `python tools/make_pair_fixture.py` asserts them.
Each variant plants mismatches one pair rule must find, keeping the budget's own sums:

- `t07`:  B07 因公出国(境)费 16.60, 公务接待费 10.35 (合计 still 26.95) — PAIR.t07_budget on both rows,
  PAIR.budget_claim on the two narrative sentences that state them, PAIR.completion on 接待's 33.7%;
- `narr`: B05/B04 科学技术支出 (206 / 20699 / 2069999) 10.00 moved from 215 (2,821.22; total
  unchanged) — PAIR.budget_claim on 206 and 215, PAIR.completion on 215's “完成年初预算的 144.1%”;
- `yuan`: the consistent budget with B01–B06, B08, B09 in 元 (B07 in 万元, as Shanghai prints):
  nothing to find, the units are converted.

It also writes the department's 2022 budget with a Shanghai-style sentence per 项 (“2021年当年预算
执行数为Y万元，2022年预算安排X万元，比2021年预算执行数增加Z%”) whose Y are the sample 决算's 公开05表
本年支出合计 of each 科目 (`execution-consistent`; one 科目 the 决算 does not print), and a variant
with two Y planted off (`execution-planted`: 行政运行 420.00 for 416.63, 住房公积金 76.36 for 76.63),
each rate recomputed so that PAIR.prior_execution alone has something to find.

Usage: python tools/make_pair_fixture.py [--out tests/fixtures/pair]
"""

from __future__ import annotations

import argparse
from pathlib import Path

DEPARTMENT, YEAR = "南昌市大数据发展管理局", 2021
# (code, name, basic, project) of every 项 the budget funds, 万元; 款 and 类 are their sums
ITEMS = [("2080505", "机关事业单位基本养老保险缴费支出", 52.28, 0.0),
         ("2080506", "机关事业单位职业年金缴费支出", 1.42, 0.0),
         ("2150101", "行政运行", 900.00, 0.0),
         ("2150199", "其他资源勘探业支出", 0.0, 331.22),
         ("2159999", "其他资源勘探工业信息等支出", 0.0, 1600.00),
         ("2210201", "住房公积金", 76.63, 0.0),
         ("2210203", "购房补贴", 12.15, 0.0)]
NAMES = {"206": "科学技术支出", "20699": "其他科学技术支出", "2069999": "其他科学技术支出",
         "208": "社会保障和就业支出", "20805": "行政事业单位养老支出", "215": "资源勘探工业信息等支出",
         "21501": "资源勘探开发", "21599": "其他资源勘探工业信息等支出", "221": "住房保障支出", "22102": "住房改革支出"}
# 经济分类 (code, name, amount): 301 and 303 are 人员经费, 302 公用经费
ECONOMIC = [("30101", "基本工资", 300.00), ("30102", "津贴补贴", 250.00), ("30107", "绩效工资", 145.00),
            ("30108", "机关事业单位基本养老保险缴费", 52.28), ("30109", "职业年金缴费", 1.42),
            ("30113", "住房公积金", 76.63), ("30199", "其他工资福利支出", 44.67),
            ("30201", "办公费", 40.00), ("30211", "差旅费", 30.00), ("30217", "公务接待费", 8.35),
            ("30299", "其他商品和服务支出", 80.82),
            ("30305", "生活补助", 1.16), ("30399", "其他对个人和家庭的补助", 12.15)]
ECONOMIC_CLASSES = {"301": "工资福利支出", "302": "商品和服务支出", "303": "对个人和家庭的补助"}
THREE_PUBLIC = {"abroad": 18.60, "purchase": 0.0, "operation": 0.0, "reception": 8.35}
EMPTY = "注：本部门{year}年无{what}预算财政拨款安排的支出，故本表为空表。"


def _num(v: float, yuan: bool) -> str:
    return f"{round(v * 10000):,}" if yuan else f"{v:,.2f}"


class Budget:
    """One budget's figures (万元) and its text in the national table layout; `year` the budget's,
    `economic` its 基本支出 by 经济分类, `narrative` the lines its 情况说明 ends with."""

    def __init__(self, items: list[tuple[str, str, float, float]], three: dict[str, float], yuan: bool = False,
                 year: int = YEAR, economic: list[tuple[str, str, float]] = ECONOMIC, narrative: tuple[str, ...] = ()):
        self.items, self.three, self.yuan = items, three, yuan
        self.year, self.economic, self.narrative = year, economic, narrative

    def rows(self) -> list[tuple[str, str, float, float]]:
        """类, 款 and 项 rows in code order, each (code, name, basic, project)."""
        sums: dict[str, list[float]] = {}
        for code, _name, basic, project in self.items:
            for prefix in (code[:3], code[:5], code):
                s = sums.setdefault(prefix, [0.0, 0.0])
                s[0], s[1] = s[0] + basic, s[1] + project
        names = {**NAMES, **{c: n for c, n, _b, _p in self.items}}
        return [(c, names[c], round(b, 2), round(p, 2)) for c, (b, p) in sorted(sums.items())]

    def total(self) -> tuple[float, float]:
        return round(sum(b for *_x, b, _p in self.items), 2), round(sum(p for *_x, p in self.items), 2)

    def head(self, title: str, yuan: bool | None = None) -> list[str]:
        unit = "元" if (self.yuan if yuan is None else yuan) else "万元"
        return ["", f"{self.year}年{title}", "", f"编制单位：{DEPARTMENT}\t{self.year}年度\t单位：{unit}", ""]

    def n(self, v: float) -> str:
        return _num(v, self.yuan)

    def b01(self) -> list[str]:
        total = sum(self.total())
        income = [("一、财政拨款收入", total), ("1.一般公共预算资金", total), ("2.政府性基金", 0.0),
                  ("3.国有资本经营预算", 0.0), ("二、事业收入", 0.0), ("三、事业单位经营收入", 0.0), ("四、其他收入", 0.0)]
        classes = [(name, b + p) for code, name, b, p in self.rows() if len(code) == 3]
        lines = self.head("部门收支总表") + ["本年收入\t\t本年支出\t", "项目\t预算数\t项目\t预算数"]
        enum = "一二三四五六七八九十"
        for i in range(max(len(income), len(classes))):
            left = f"{income[i][0]}\t{self.n(income[i][1])}" if i < len(income) else "\t"
            right = f"{enum[i]}、{classes[i][0]}\t{self.n(classes[i][1])}" if i < len(classes) else "\t"
            lines.append(f"{left}\t{right}")
        return lines + [f"收入总计\t{self.n(total)}\t支出总计\t{self.n(total)}"]

    def hierarchy(self, title: str, header: str, columns) -> list[str]:
        """A 类/款/项 table: 合计 first, then every row; `columns(basic, project)` its figures."""
        basic, project = self.total()
        lines = self.head(title) + [f"科目编码\t科目名称\t{header}", f"\t合计\t{columns(basic, project)}"]
        return lines + [f"{c}\t{name}\t{columns(b, p)}" for c, name, b, p in self.rows()]

    def b04(self) -> list[str]:
        total = sum(self.total())
        income = [("一、一般公共预算", total), ("二、政府性基金预算", 0.0), ("三、国有资本经营预算", 0.0)]
        classes = [(name, b + p) for code, name, b, p in self.rows() if len(code) == 3]
        lines = self.head("财政拨款收支总表") + ["收入\t\t支出\t\t\t\t",
                                              "项目\t预算数\t项目\t合计\t一般公共预算\t政府性基金预算\t国有资本经营预算"]
        for i in range(max(len(income), len(classes))):
            left = f"{income[i][0]}\t{self.n(income[i][1])}" if i < len(income) else "\t"
            right = (f"{classes[i][0]}\t{self.n(classes[i][1])}\t{self.n(classes[i][1])}\t{self.n(0)}\t{self.n(0)}"
                     if i < len(classes) else "\t\t\t\t")
            lines.append(f"{left}\t{right}")
        t = self.n(total)
        return lines + [f"收入总计\t{t}\t支出总计\t{t}\t{t}\t{self.n(0)}\t{self.n(0)}"]

    def b06(self) -> list[str]:
        personnel = [e for e in self.economic if e[0][:3] in ("301", "303")]
        public = [e for e in self.economic if e[0][:3] == "302"]
        p, q = round(sum(e[2] for e in personnel), 2), round(sum(e[2] for e in public), 2)
        assert abs(p + q - self.total()[0]) < 1e-6, "基本支出 = 人员经费 + 公用经费"
        lines = self.head("一般公共预算基本支出表") + ["科目编码\t科目名称\t合计\t人员经费\t公用经费",
                                                 f"\t合计\t{self.n(p + q)}\t{self.n(p)}\t{self.n(q)}"]
        for cls, name in ECONOMIC_CLASSES.items():
            members = [e for e in self.economic if e[0].startswith(cls)]
            rows = [(cls, name, round(sum(e[2] for e in members), 2))] + members
            for code, label, v in rows:
                pers, pub = (v, 0.0) if cls != "302" else (0.0, v)
                lines.append(f"{code}\t{label}\t{self.n(v)}\t{self.n(pers)}\t{self.n(pub)}")
        return lines

    def b07(self) -> list[str]:
        t = self.three
        vehicle = t["purchase"] + t["operation"]
        total = t["abroad"] + vehicle + t["reception"]
        lines = self.head("一般公共预算“三公”经费支出表", yuan=False) + ["项目\t预算数"]
        rows = [("“三公”经费合计", total), ("1.因公出国（境）费", t["abroad"]), ("2.公务用车购置及运行费", vehicle),
                ("（1）公务用车购置费", t["purchase"]), ("（2）公务用车运行费", t["operation"]), ("3.公务接待费", t["reception"])]
        return lines + [f"{label}\t{_num(v, False)}" for label, v in rows]

    def empty(self, title: str, what: str) -> list[str]:
        return self.head(title) + ["科目编码\t科目名称\t合计\t基本支出\t项目支出", "", EMPTY.format(year=self.year, what=what)]

    def text(self) -> str:
        both = lambda b, p: f"{self.n(b + p)}\t{self.n(b)}\t{self.n(p)}"  # noqa: E731
        lines = [f"{DEPARTMENT}{self.year}年部门预算", "", "目录", "", "第一部分 部门概况", "", "第二部分 部门预算表", ""]
        lines += self.b01()
        lines += self.hierarchy("部门收入总表", "合计\t财政拨款收入\t事业收入\t事业单位经营收入\t其他收入",
                                lambda b, p: f"{self.n(b + p)}\t{self.n(b + p)}\t{self.n(0)}\t{self.n(0)}\t{self.n(0)}")
        lines += self.hierarchy("部门支出总表", "合计\t基本支出\t项目支出", both)
        lines += self.b04()
        lines += self.hierarchy("一般公共预算支出表", "合计\t基本支出\t项目支出", both)
        lines += self.b06()
        lines += self.b07()
        lines += self.empty("政府性基金预算支出表", "政府性基金")
        lines += self.empty("国有资本经营预算支出表", "国有资本经营")
        lines += ["", "第三部分 部门预算情况说明", "",
                  f"本部门{self.year}年收支预算总计{sum(self.total()):.2f}万元。", "", *self.narrative]
        return "\n".join(lines) + "\n"


def variants() -> dict[str, Budget]:
    """The consistent budget and each variant with its planted mismatches (module docstring)."""
    moved = [(c, n, b, p - 10.0 if c == "2159999" else p) for c, n, b, p in ITEMS]
    return {"consistent": Budget(ITEMS, THREE_PUBLIC),
            "t07": Budget(ITEMS, {**THREE_PUBLIC, "abroad": 16.60, "reception": 10.35}),
            "narr": Budget(sorted([*moved, ("2069999", "其他科学技术支出", 0.0, 10.0)]), THREE_PUBLIC),
            "yuan": Budget(ITEMS, THREE_PUBLIC, yuan=True)}


# The department's 2022 budget (issue 30: its 上年 figures against the 2021 决算): every 项 it funds,
# (code, name, basic, project) in 万元, and what it says was spent on each in 2021 (its 执行数) —
# the sample 决算's 公开05表 本年支出合计 of that 科目; 2080501 is a 科目 the 决算 does not print.
ITEMS_2022 = [("2069999", "其他科学技术支出", 0.0, 70.00),
              ("2080501", "行政单位离退休", 6.00, 0.0),
              ("2080505", "机关事业单位基本养老保险缴费支出", 55.00, 0.0),
              ("2080506", "机关事业单位职业年金缴费支出", 1.50, 0.0),
              ("2150101", "行政运行", 950.00, 0.0),
              ("2150199", "其他资源勘探业支出", 0.0, 400.00),
              ("2159999", "其他资源勘探工业信息等支出", 0.0, 1500.00),
              ("2210201", "住房公积金", 80.00, 0.0),
              ("2210203", "购房补贴", 12.50, 0.0)]
EXECUTED_2021 = {"2069999": 68.56, "2080501": 5.00, "2080505": 51.12, "2080506": 1.42, "2150101": 416.63,
                 "2150199": 837.86, "2159999": 2825.61, "2210201": 76.63, "2210203": 12.15}
# the planted variant: these 执行数 differ from the 决算's (the rates follow them: nothing else to find)
PLANTED_2021 = {"2150101": 420.00, "2210201": 76.36}
ECONOMIC_2022 = [("30101", "基本工资", 320.00), ("30102", "津贴补贴", 270.00), ("30107", "绩效工资", 150.00),
                 ("30108", "机关事业单位基本养老保险缴费", 55.00), ("30109", "职业年金缴费", 1.50),
                 ("30113", "住房公积金", 80.00), ("30199", "其他工资福利支出", 50.00),
                 ("30201", "办公费", 40.00), ("30211", "差旅费", 30.00), ("30217", "公务接待费", 8.35),
                 ("30299", "其他商品和服务支出", 81.65),
                 ("30305", "生活补助", 6.00), ("30399", "其他对个人和家庭的补助", 12.50)]
NAMES_2022 = {**NAMES, "20805": "行政事业单位养老支出"}


def execution_sentences(executed: dict[str, float], year: int = 2022) -> tuple[str, ...]:
    """One Shanghai-style sentence per 项: “A（类）B（款）C（项）”X万元 … Y年当年预算执行数为Y万元，
    X年预算安排X万元，比Y年预算执行数增加Z%, Z recomputed from the two so that it holds."""
    lines = ["财政拨款支出主要内容如下：", ""]
    for n, (code, name, basic, project) in enumerate(ITEMS_2022, 1):
        x, y = basic + project, executed[code]
        rate = (x / y - 1) * 100
        word = "增加" if rate >= 0 else "减少"
        lines += [f"{n}. “{NAMES_2022[code[:3]]}（类）{NAMES_2022[code[:5]]}（款）{name}（项）”{x:.2f}万元，主要用于{name}。"
                  f"{year - 1}年当年预算执行数为{y:.2f}万元，{year}年预算安排{x:.2f}万元，"
                  f"比{year - 1}年预算执行数{word}{abs(rate):.2f}%。主要原因是：工作调整。", ""]
    return tuple(lines)


def variants_2022() -> dict[str, Budget]:
    """The 2022 budget whose 执行数 are the 2021 决算's, and one with `PLANTED_2021` instead."""
    return {name: Budget(ITEMS_2022, THREE_PUBLIC, year=2022, economic=ECONOMIC_2022,
                         narrative=execution_sentences(executed))
            for name, executed in (("consistent", EXECUTED_2021), ("planted", {**EXECUTED_2021, **PLANTED_2021}))}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="tests/fixtures/pair")
    out = Path(ap.parse_args().out)
    out.mkdir(parents=True, exist_ok=True)
    written = [(f"nanchang-bigdata-2021-yusuan-{name}.txt", budget) for name, budget in variants().items()]
    for name, budget in written:
        assert abs(sum(budget.total()) - 2973.70) < 1e-6, "收支总计 = the 决算's 年初预算 2,973.70"
    written += [(f"nanchang-bigdata-2022-yusuan-execution-{name}.txt", b) for name, b in variants_2022().items()]
    for name, budget in written:
        path = out / name
        path.write_text(budget.text(), encoding="utf-8")
        print(path)


if __name__ == "__main__":
    main()
