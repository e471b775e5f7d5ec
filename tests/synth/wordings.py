"""The phrasing bank: the wording families a generated 第三部分 can be written in, each drawn
from real 部门决算情况说明 of one province and years (paraphrased into templates, the figures
the generator's), each with the turns of phrase the narrative checks must read right:

- nanchang   江西·南昌 2021: 较 2020 年增加…增长; 具体构成为; 年初预算数为/决算数为/完成年初预算的;
             一项一句的“三公”; 分别是; 截至…共有车辆…其中.
- shanghai   上海 2024 模板 (嘉定 2017 同式): 与 2023 年度相比; 占本年支出合计的; 主要用于以下方面
             …(类); “三公”其中:…支出决算减少…下降; 国内公务接待支出 X 万(含外宾接待支出 Y 万元);
             单价 100 万元(含)以上设备(不含车辆).
- plain      各地通用: 比上年; 存在差异(无方向词); 预算完成率; 折合…元; 千分位.
- sichuan    四川 2020/2022 县级: 收、支总计各是 A,B 万元…各增长 P%、Q% (成对列举); 财政拨款收入总计
             与上年相比; 一般公共预算财政拨款增加(省去“支出”); 完成预算 P%(无“的”); 日常公用经费.
- xinjiang   新疆·乌鲁木齐 2023: 收入总计…其中:本年收入合计…使用非财政拨款结余…; 支出总计…其中:
             本年支出合计…结余分配 0.00 万元…; 收入支出总体与上年相比.
- anhui      安徽 2019–2023: “三公”支出预算为/支出决算为/完成预算的…较上年减少…下降; 支出决算中…占;
             与预算相比增加…增长(对预算的增减); 国内公务接待共 N 批次(其中外事接待 0 批次).
- hubei      湖北 2018: 较上年 2.08 减少 0.03 万元,减少了 1.44%(写出上年数); 占“三公”经费的;
             年初预算为…差值为; 公务接待 N 批次, M 人次, 支出….
- gansu      甘肃 2017: 本单位收入为…其中…占; 本单位支出为…其中…占 P% (P of the 支出总计, which the
             sentence implies but does not name: consistent by another reading); 与上年相比减少…降低;
             决算数大于预算数 N 万元; 单位价值 50 万元以上通用设备.
- central    中央部门 2014 式: 预算执行比例为; 团组 N 个, 总计 M 人次; 接待人数; 较年初预算减少 P%.

Each family is a function of the printed figures (tests.synth.figures.Values) that returns the
narrative's lines; `FAMILIES` says for each its figure style and which total's growth it states
in a sentence that can be checked (where the growth fault goes)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from tests.synth.figures import Delta, Item, Style, Values


def _lines(*paragraphs: str) -> list[str]:
    out: list[str] = []
    for p in paragraphs:
        out += [p, ""]
    return out


def _vs(d: Delta, year: int | str, pattern: str = "较 {y} 年{more} {change} 万元，{grow} {rate}%", same: str = "与 {y} 年持平",
        unit: str = "万元") -> str:
    """A comparison with last year in one wording: the change and rate, or 持平 when nothing
    changed (no rate is written where last year was 0)."""
    if float(d.change.replace(",", "")) == 0:
        return same.format(y=year)
    text = pattern.format(y=year, more=d.more, grow=d.grow, change=d.change, rate=d.rate, prior=d.prior)
    if d.rate is None:
        text = text.split("，")[0].split(",")[0]
    return text


def _items(v: Values) -> list[Item]:
    return [v.sangong[k] for k in ("abroad", "vehicle", "reception")]


# --------------------------------------------------------------------------- shared turns

def _word(v: Values) -> str:
    """The direction between the 三公 total's printed actual and budget."""
    return v.word(v.sangong["total"].actual, v.sangong["total"].budget)


def _procurement(v: Values, lead: str, cat: str = "政府采购{n}支出 {a} 万元") -> str:
    """政府采购: the total and the three categories, the 中小企业 amount, each category's share."""
    cats = "、".join(cat.format(n=n, a=a) for n, a, _ in v.cats)
    shares = "，".join(f"{n}采购授予中小企业合同金额占{n}支出金额的 {s}%" for n, s in v.sme_shares)
    return lead.format(y=v.y, d=v.d, total=v.procured, cats=cats) + f"授予中小企业合同金额 {v.sme} 万元。{shares}。"


def _vehicles(vehicles: list[tuple[str, int]], space: str = " ") -> str:
    return "、".join(f"{n}{space}{c}{space}辆" for n, c in vehicles)


def _shares(parts: list[tuple[str, str, str]], item: str = "{n} {a} 万元，占 {p}%", sep: str = "；") -> str:
    return sep.join(item.format(n=n, a=a, p=p) for n, a, p in parts)


def _counts(v: Values, text: str) -> str:
    """The 三公 counts and the 公务用车 split, in a family's words (keys of `Values.counts`,
    `purchase`, `operation`)."""
    return text.format(purchase=v.purchase, operation=v.operation, **v.counts)


# --------------------------------------------------------------------------- the families

def nanchang(v: Values) -> list[str]:
    y, y1 = v.y, v.y - 1
    g, s3 = v.grand_delta, v.sangong
    per_item = [f"（{'一二三'[i]}）{it.name}支出年初预算数为 {it.budget} 万元，决算数为 {it.actual} 万元"
                + (f"，完成预算的 {it.done}%" if it.done else "") + f"，决算数{_vs(it.delta, y1)}，主要原因是厉行节约。"
                for i, it in enumerate(_items(v))]
    return _lines(
        f"第三部分 {y} 年度部门决算情况说明",
        "一、收入决算情况说明",
        f"本部门 {y} 年度收入总计 {v.grand} 万元，较 {y1} 年{g.more} {g.change} 万元，{g.grow} {g.rate}%；"
        f"其中年初结转和结余 {v.opening} 万元；本年收入合计 {v.income} 万元，主要原因是：追加的项目经费减少。",
        f"本年收入的具体构成为：{_shares(v.income_parts)}。",
        "二、支出决算情况说明",
        f"本部门 {y} 年度支出总计 {v.expense_grand} 万元，其中本年支出合计 {v.expense} 万元，年末结转和结余 "
        f"{v.closing} 万元。本年支出的具体构成为：{_shares(v.expense_parts)}。",
        "三、财政拨款支出决算情况说明",
        f"本部门 {y} 年度财政拨款本年支出年初预算数为 {v.fiscal_budget} 万元，决算数为 {v.fiscal} 万元，完成年初预算的 "
        f"{v.fiscal_done}%。决算数{v.fiscal_word}年初预算数的主要原因是项目的追加。",
        f"本部门 {y} 年度一般公共预算财政拨款支出 {v.general} 万元，主要用于以下方面：{_shares(v.classes)}。",
        "四、一般公共预算财政拨款基本支出决算情况说明",
        f"本部门 {y} 年度一般公共预算财政拨款基本支出 {v.basic} 万元，其中：人员经费 {v.personnel} 万元，公用经费 "
        f"{v.public} 万元。",
        "五、一般公共预算财政拨款“三公”经费支出决算情况说明",
        f"本部门 {y} 年度一般公共预算财政拨款“三公”经费支出年初预算数为 {s3['total'].budget} 万元，决算数为 "
        f"{s3['total'].actual} 万元" + (f"，完成预算的 {s3['total'].done}%" if s3["total"].done else "")
        + f"，决算数{_vs(s3['total'].delta, y1)}，主要原因是厉行节约。其中：",
        *per_item,
        _counts(v, "全年因公出国（境）团组 {abroad_groups} 个、累计 {abroad_people} 人次；公务用车购置费 {purchase} 万元，"
                   "全年购置公务用车 {vehicles_purchased} 辆；公务用车运行维护费 {operation} 万元，年末公务用车保有 "
                   "{vehicles_held} 辆。全年国内公务接待 {domestic_batches} 批，累计接待 {domestic_people} 人次；"
                   "其中外事接待 {foreign_batches} 批，累计接待 {foreign_people} 人次。"),
        "六、机关运行经费支出情况说明",
        f"本部门 {y} 年度机关运行经费支出 {v.running} 万元，较上年决算数"
        + _vs(v.running_delta, y1, "{more} {change} 万元，{grow} {rate}%", "持平") + "，主要原因是日常公用经费变化。",
        "七、政府采购支出情况说明", _procurement(v, "本部门 {y} 年度政府采购支出总额 {total} 万元，其中：{cats}。"),
        "八、国有资产占用情况说明",
        f"截至 {y} 年 12 月 31 日，本部门共有车辆 {v.held} 辆，其中：{_vehicles(v.vehicles)}；单位价值 50 万元以上通用设备 "
        f"{v.general_50w} 台（套）；单位价值 100 万元以上专用设备 {v.special_100w} 台（套）。")


def shanghai(v: Values) -> list[str]:
    y, y1, d = v.y, v.y - 1, v.d
    g, f, gen, s3 = v.grand_delta, v.fiscal_grand_delta, v.general_delta, v.sangong
    done = "；".join(f"{it.name}{'决算为' if i == 0 else '支出决算为'} {it.actual} 万元"
                    + (f"，完成预算的 {it.done}%" if it.done else "") for i, it in enumerate(_items(v)))
    versus = "；".join(f"{it.name}支出" + _vs(it.delta, y1, "决算{more} {change} 万元，{grow} {rate}%", "与上一年度持平")
                       for it in _items(v))
    shares = _shares([(f"{it.name}支出决算", it.actual, it.share) for it in _items(v)]) \
        if s3["abroad"].share is not None else ""
    return _lines(
        f"第三部分 {d} {y} 年度部门决算情况说明",
        "一、收入支出决算总体情况说明",
        f"{d} {y} 年度收入支出总计 {v.grand} 万元。与 {y1} 年度相比，收入支出总计{g.more} {g.change} 万元，"
        f"{g.grow} {g.rate}%。主要原因：业务量变化。",
        "二、收入决算情况说明", f"本年收入合计 {v.income} 万元，其中：{_shares(v.income_parts)}。",
        "三、支出决算情况说明", f"本年支出合计 {v.expense} 万元，其中：{_shares(v.expense_parts)}。",
        "四、财政拨款收入支出决算总体情况说明",
        f"{d} {y} 年度财政拨款收入支出总计 {v.fiscal_grand} 万元。与 {y1} 年度相比，财政拨款收入支出总计{f.more} "
        f"{f.change} 万元，{f.grow} {f.rate}%。主要原因：项目调整。",
        "五、一般公共预算财政拨款支出决算情况说明",
        "（一）一般公共预算财政拨款支出决算总体情况",
        f"一般公共预算财政拨款支出 {v.general} 万元，占本年支出合计的 {v.general_share}%。与 {y1} 年度相比，一般公共预算"
        f"财政拨款支出{gen.more} {gen.change} 万元，{gen.grow} {gen.rate}%。主要原因：项目调整。",
        "（二）一般公共预算财政拨款支出决算结构情况",
        f"一般公共预算财政拨款支出 {v.general} 万元，主要用于以下方面：{_shares(v.classes, '{n}（类）{a} 万元，占 {p}%')}。",
        "（三）一般公共预算财政拨款支出决算具体情况",
        f"财政拨款支出年初预算为 {v.fiscal_budget} 万元，支出决算为 {v.fiscal} 万元，完成年初预算的 {v.fiscal_done}%。"
        f"决算数{v.fiscal_word}预算数的主要原因：项目调整。",
        "六、一般公共预算财政拨款基本支出决算情况说明",
        f"一般公共预算财政拨款基本支出 {v.basic} 万元。其中：人员经费 {v.personnel} 万元，主要包括：基本工资、津贴补贴、"
        f"奖金、绩效工资；公用经费 {v.public} 万元，主要包括：办公费、印刷费、邮电费、差旅费。",
        "七、财政拨款“三公”经费支出决算情况说明",
        "（一）“三公”经费财政拨款支出决算总体情况说明。",
        f"“三公”经费财政拨款支出年初预算为 {s3['total'].budget} 万元，支出决算为 {s3['total'].actual} 万元"
        + (f"，完成预算的 {s3['total'].done}%" if s3["total"].done else "") + f"，其中：{done}。{y} 年度“三公”经费支出"
        f"决算数{_word(v)}预算数的主要原因：厉行节约。",
        f"{y} 年度“三公”经费财政拨款支出决算数比 {y1} 年度"
        + _vs(s3["total"].delta, y1, "{more} {change} 万元，{grow} {rate}%", "持平") + f"，其中：{versus}。"
        "增减变化的主要原因是严格落实中央八项规定。",
        "（二）“三公”经费财政拨款支出决算具体情况说明。",
        *([f"“三公”经费财政拨款支出决算中，{shares}。具体情况如下："] if shares else []),
        _counts(v, "1、因公出国（境）费支出 " + s3["abroad"].actual + " 万元。全年安排因公出国（境）团组 {abroad_groups} 个、"
                   "累计 {abroad_people} 人次。"),
        f"2、公务用车购置及运行维护费支出 {s3['vehicle'].actual} 万元。其中：",
        _counts(v, "公务用车购置支出为 {purchase} 万元，购置公务用车 {vehicles_purchased} 辆。"),
        _counts(v, "公务用车运行维护支出 {operation} 万元。" + f"{y} 年，{d}所属各预算单位开支财政拨款的公务用车保有量为 "
                   "{vehicles_held} 辆。"),
        f"3、公务接待费支出 {s3['reception'].actual} 万元。其中：",
        _counts(v, f"国内公务接待支出 {v.reception_domestic} 万（含外宾接待支出 {v.reception_foreign} 万元）。主要用于接待"
                   "上级部门调研，公务接待 {domestic_batches} 批次、{domestic_people} 人次，其中：接待外宾 "
                   "{foreign_batches} 批次、{foreign_people} 人次。"),
        "十一、其他重要事项的情况说明",
        "（一）机关运行经费支出情况",
        f"机关运行经费支出 {v.running} 万元，比 {y1} 年度" + _vs(v.running_delta, y1, "{more} {change} 万元，{grow} {rate}%",
                                                            "持平") + "。主要原因是日常公用经费变化。",
        "（二）政府采购支出情况",
        _procurement(v, "{d} {y} 年度政府采购金额（以合同签订为准）为 {total} 万元，其中：{cats}。", "{n}采购金额 {a} 万元"),
        "（三）国有资产占有使用情况说明",
        f"截至 {y} 年 12 月 31 日，{d}共有车辆 {v.held} 辆，其中：{_vehicles(v.vehicles_all)}。单价 100 万元（含）以上"
        f"设备（不含车辆）{v.special_100w} 台（套）。")


def plain(v: Values) -> list[str]:
    y, y1 = v.y, v.y - 1
    g, s3 = v.grand_delta, v.sangong
    return _lines(
        f"第三部分 {y} 年度部门决算情况说明",
        "一、收入支出决算总体情况说明",
        f"本单位 {y} 年度收入总计 {v.grand} 万元，比上年{g.more} {g.change} 万元，{g.grow} {g.rate}%，主要原因是业务量变化。",
        "二、收入决算情况说明", f"本年收入合计为 {v.income} 万元，其中：{_shares(v.income_parts)}。",
        "三、支出决算情况说明", f"本年支出合计 {v.expense} 万元，其中：{_shares(v.expense_parts)}。",
        "四、财政拨款支出决算情况说明",
        f"财政拨款支出年初预算 {v.fiscal_budget} 万元，实际支出 {v.fiscal} 万元，预算完成率为 {v.fiscal_done}%。"
        f"决算数与年初预算数存在差异的主要原因是项目调整。决算数{v.fiscal_word}年初预算数。",
        f"一般公共预算财政拨款支出 {v.general} 万元，主要用于以下方面：{_shares(v.classes)}。",
        "五、一般公共预算财政拨款基本支出决算情况说明",
        f"本单位 {y} 年度一般公共预算财政拨款基本支出 {v.basic} 万元，其中：人员经费 {v.personnel} 万元，公用经费 "
        f"{v.public} 万元。",
        "六、一般公共预算财政拨款“三公”经费支出决算情况说明",
        *[f"{it.name}支出年初预算数为 {it.budget} 万元，决算数为 {it.actual} 万元"
          + (f"，完成预算的 {it.done}%" if it.done else "") + "，"
          + _vs(it.delta, y1, "比上年{more} {change} 万元，{grow} {rate}%", "与上年持平") + "，主要原因是厉行节约。"
          for it in (s3["total"], *_items(v))],
        _counts(v, "全年因公出国（境）团组 {abroad_groups} 个、{abroad_people} 人次；公务用车购置费 {purchase} 万元，购置公务用车 "
                   "{vehicles_purchased} 辆；公务用车运行维护费 {operation} 万元。国内公务接待 {domestic_batches} 批次、"
                   "{domestic_people} 人次，其中外事接待 {foreign_batches} 批次、{foreign_people} 人次。"
                   + f"{y} 年，公务用车保有量为 " + "{vehicles_held} 辆。"),
        "七、机关运行经费支出情况说明",
        f"本单位 {y} 年度机关运行经费支出 {v.running} 万元，"
        + _vs(v.running_delta, y1, "比 {y} 年度{more} {change} 万元，{grow} {rate}%", "与 {y} 年度持平") + "，主要原因是日常公用经费变化。",
        "八、政府采购支出情况说明", _procurement(v, "本单位 {y} 年度政府采购支出总额 {total} 万元，其中：{cats}。"),
        "九、国有资产占用情况说明",
        f"截至 {y} 年 12 月 31 日，本单位共有车辆 {v.held} 辆，其中：{_vehicles(v.vehicles)}。单价 100 万元（含）以上专用设备 "
        f"{v.special_100w} 台（套）。")


def sichuan(v: Values) -> list[str]:
    y, y1 = v.y, v.y - 1
    g, f, gen, s3 = v.grand_delta, v.fiscal_grand_delta, v.general_delta, v.sangong
    change = g.change.replace(",", "")
    vs = lambda d: _vs(d, y1, "较上年{more}{change}万元，{grow}{rate}%", "与上年持平")  # noqa: E731
    return _lines(
        f"第三部分 {y}年度单位决算情况说明",
        "一、收入支出决算总体情况说明",
        f"{y}年度收、支总计各是{v.grand.replace(',', '')},{v.expense_grand.replace(',', '')}万元。与{y1}年相比，收、支"
        f"总计各{g.more}{change},{change}万元，各{g.grow}{g.rate}%、{g.rate}%。主要变动原因是项目收入变化。",
        "二、收入决算情况说明", f"{y}年本年收入合计{v.income}万元，其中：{_shares(v.income_parts, '{n}{a}万元，占{p}%')}。",
        "三、支出决算情况说明", f"{y}年本年支出合计{v.expense}万元，其中：{_shares(v.expense_parts, '{n}{a}万元，占{p}%')}。",
        "四、财政拨款收入支出决算总体情况说明",
        f"{y}年财政拨款收入总计{v.fiscal_grand}万元，与{y1}年相比{f.more}{f.change}万元，{f.grow}{f.rate}%。"
        "主要变动原因是项目资金变化。",
        "五、一般公共预算财政拨款支出决算情况说明",
        "（一）一般公共预算财政拨款支出决算总体情况",
        f"{y}年一般公共预算财政拨款支出{v.general}万元，占本年支出合计的{v.general_share}%。与{y1}年相比，一般公共预算"
        f"财政拨款{gen.more}{gen.change}万元，{gen.grow}{gen.rate}%。主要原因是项目调整。",
        "（二）一般公共预算财政拨款支出决算结构情况",
        f"{y}年一般公共预算财政拨款支出{v.general}万元，主要用于以下方面：{_shares(v.classes, '{n}{a}万元，占{p}%')}。",
        "（三）一般公共预算财政拨款支出决算具体情况",
        f"{y}年财政拨款支出年初预算为{v.fiscal_budget}万元，决算数为{v.fiscal}万元，完成预算{v.fiscal_done}%。"
        f"决算数{v.fiscal_word}预算数的主要原因是年中追加项目。",
        "六、一般公共预算财政拨款基本支出决算情况说明",
        f"{y}年一般公共预算财政拨款基本支出{v.basic}万元，其中：人员经费{v.personnel}万元，主要包括基本工资、津贴补贴；"
        f"日常公用经费{v.public}万元，主要包括办公费、水电费。",
        "七、财政拨款“三公”经费支出决算情况说明",
        "（一）“三公”经费财政拨款支出决算总体情况说明",
        f"{y}年“三公”经费财政拨款支出年初预算{s3['total'].budget}万元，决算为{s3['total'].actual}万元"
        + (f"，完成预算的{s3['total'].done}%" if s3["total"].done else "") + f"，{vs(s3['total'].delta)}。"
        f"决算数{_word(v)}预算数的主要原因是厉行节约。",
        "（二）“三公”经费财政拨款支出决算具体情况说明",
        _counts(v, "1.因公出国（境）经费：全年安排因公出国（境）团组{abroad_groups}个，累计{abroad_people}人次。")
        + f"因公出国（境）经费支出决算{s3['abroad'].actual}万元，{vs(s3['abroad'].delta)}，主要原因是出访减少。",
        f"2.公务用车购置及运行维护费{s3['vehicle'].actual}万元，{vs(s3['vehicle'].delta)}，主要原因是车辆减少。"
        + _counts(v, "其中：公务用车购置费{purchase}万元，购置公务用车{vehicles_purchased}辆；公务用车运行维护费{operation}万元。"
                     + f"截至{y}年12月底，单位开支财政拨款的公务用车保有量为" + "{vehicles_held}辆。"),
        f"3.公务接待费{s3['reception'].actual}万元，{vs(s3['reception'].delta)}，主要原因是接待减少。"
        + _counts(v, "国内公务接待{domestic_batches}批次，{domestic_people}人次，其中外事接待{foreign_batches}批次，"
                     "{foreign_people}人次。"),
        "八、其他重要事项的情况说明",
        "（一）机关运行经费支出情况",
        f"{y}年度，本单位机关运行经费支出{v.running}万元，"
        + _vs(v.running_delta, y1, "比上年{more}{change}万元，{grow}{rate}%", "与上年持平") + "。主要原因是日常公用经费变化。",
        "（二）政府采购支出情况",
        _procurement(v, "{y}年度，本单位政府采购支出总额{total}万元，其中：{cats}。", "政府采购{n}支出{a}万元"),
        "（三）国有资产占用情况",
        f"截至{y}年12月31日，本单位共有车辆{v.held}辆，其中：{_vehicles(v.vehicles, '')}。单价50万元以上通用设备"
        f"{v.general_50w}台，单价100万元以上专用设备{v.special_100w}台。")


def xinjiang(v: Values) -> list[str]:
    y, y1 = v.y, v.y - 1
    g, gen, s3 = v.grand_delta, v.general_delta, v.sangong
    items = "；".join(f"{it.name}支出{it.actual}万元" + (f"，占“三公”经费支出的{it.share}%" if it.share is not None else "")
                     + "，" + _vs(it.delta, y1, "较上年{more}{change}万元，{grow}{rate}%", "与上年持平") for it in _items(v))
    return _lines(
        f"第三部分 {y}年度部门决算情况说明",
        "一、收入支出决算总体情况说明",
        f"{y}年度收入总计{v.grand}万元，其中：本年收入合计{v.income}万元，使用非财政拨款结余{v.use_nonfiscal}万元，"
        f"年初结转和结余{v.opening}万元。",
        f"{y}年度支出总计{v.expense_grand}万元，其中：本年支出合计{v.expense}万元，结余分配{v.surplus}万元，年末结转和结余"
        f"{v.closing}万元。",
        f"收入支出总体与上年相比，{g.more}{g.change}万元，{g.grow}{g.rate}%，主要原因是人员和业务经费变化。",
        "二、收入决算情况说明", f"本年收入合计{v.income}万元，其中：{_shares(v.income_parts, '{n}{a}万元，占{p}%')}。",
        "三、支出决算情况说明", f"本年支出合计{v.expense}万元，其中：{_shares(v.expense_parts, '{n}{a}万元，占{p}%')}。",
        "四、财政拨款支出决算情况说明",
        f"财政拨款支出年初预算为{v.fiscal_budget}万元，支出决算为{v.fiscal}万元，完成年初预算的{v.fiscal_done}%，"
        f"决算数{v.fiscal_word}年初预算数的主要原因是年中追加。",
        "五、一般公共预算财政拨款支出决算情况说明",
        f"一般公共预算财政拨款支出{v.general}万元，占本年支出合计的{v.general_share}%，比上年{gen.more}{gen.change}万元，"
        f"{gen.grow}{gen.rate}%，主要原因是项目调整。",
        f"一般公共预算财政拨款支出{v.general}万元，主要用于以下方面：{_shares(v.classes, '{n}（类）{a}万元，占{p}%')}。",
        "六、一般公共预算财政拨款基本支出决算情况说明",
        f"一般公共预算财政拨款基本支出{v.basic}万元，其中：人员经费{v.personnel}万元，公用经费{v.public}万元。",
        "七、财政拨款“三公”经费支出决算情况说明",
        f"“三公”经费财政拨款支出预算为{s3['total'].budget}万元，支出决算为{s3['total'].actual}万元"
        + (f"，完成预算的{s3['total'].done}%" if s3["total"].done else "") + "，"
        + _vs(s3["total"].delta, y1, "较上年{more}{change}万元，{grow}{rate}%", "与上年持平")
        + f"。决算数{_word(v)}预算数的主要原因是厉行节约。",
        f"其中：{items}。增减变化的主要原因是厉行节约。",
        _counts(v, "因公出国（境）团组{abroad_groups}个、{abroad_people}人次；公务用车购置费{purchase}万元，购置公务用车"
                   "{vehicles_purchased}辆，公务用车运行维护费{operation}万元，公务用车保有量{vehicles_held}辆；全年国内公务接待"
                   "{domestic_batches}批次{domestic_people}人次（其中外事接待{foreign_batches}批次{foreign_people}人次）。"),
        "八、机关运行经费支出情况说明",
        f"本部门机关运行经费支出{v.running}万元，"
        + _vs(v.running_delta, y1, "比上年{more}{change}万元，{grow}{rate}%", "与上年持平") + "，主要原因是日常公用经费变化。",
        "九、政府采购支出情况说明", _procurement(v, "本部门政府采购支出总额{total}万元，其中：{cats}。", "政府采购{n}支出{a}万元"),
        "十、国有资产占用情况说明",
        f"截至{y}年12月31日，本部门共有车辆{v.held}辆，其中：{_vehicles(v.vehicles, '')}。单价50万元（含）以上通用设备"
        f"{v.general_50w}台（套），单价100万元（含）以上专用设备{v.special_100w}台（套）。")


def anhui(v: Values) -> list[str]:
    y, y1 = v.y, v.y - 1
    g, gen, s3 = v.grand_delta, v.general_delta, v.sangong
    total = s3["total"]
    shares = _shares([(f"{it.name}支出决算", it.actual, it.share) for it in _items(v)], "{n}{a}万元，占{p}%") \
        if s3["abroad"].share is not None else ""
    against = []
    for i, it in enumerate(_items(v)):
        line = f"{i + 1}.{it.name}支出{it.actual}万元，" + _vs(it.delta, y1, "与{y}年度决算相比，{more}{change}万元，"
                                                            "{grow}{rate}%", "与{y}年度决算持平")
        if it.budget_cents and it.actual_cents != it.budget_cents:
            more, grow = ("增加", "增长") if it.actual_cents > it.budget_cents else ("减少", "下降")
            line += f"，与{y}年度预算相比，{more}{it.gap}万元，{grow}{it.deviation}%"
        against.append(line + "，主要原因是严格执行中央八项规定。")
    return _lines(
        f"第三部分 {y}年度部门决算情况说明",
        "一、收入支出决算总体情况说明",
        f"{y}年度收入总计{v.grand}万元，与{y1}年度相比，收入总计{g.more}{g.change}万元，{g.grow}{g.rate}%。主要原因是业务经费变化。",
        "二、收入决算情况说明", f"本年收入合计{v.income}万元，其中：{_shares(v.income_parts, '{n}{a}万元，占{p}%')}。",
        "三、支出决算情况说明", f"本年支出合计{v.expense}万元，其中：{_shares(v.expense_parts, '{n}{a}万元，占{p}%')}。",
        "四、财政拨款支出决算情况说明",
        f"财政拨款支出年初预算为{v.fiscal_budget}万元，支出决算为{v.fiscal}万元，完成年初预算的{v.fiscal_done}%。"
        f"决算数{v.fiscal_word}预算数的主要原因是年中追加项目。",
        f"一般公共预算财政拨款支出{v.general}万元，占本年支出合计的{v.general_share}%。与{y1}年度相比，一般公共预算财政拨款"
        f"支出{gen.more}{gen.change}万元，{gen.grow}{gen.rate}%，主要原因是项目调整。主要用于以下方面："
        f"{_shares(v.classes, '{n}{a}万元，占{p}%')}。",
        "五、一般公共预算财政拨款基本支出决算情况说明",
        f"一般公共预算财政拨款基本支出{v.basic}万元，其中：人员经费{v.personnel}万元；公用经费{v.public}万元。",
        "六、一般公共预算财政拨款“三公”经费支出决算情况说明",
        "（一）一般公共预算财政拨款“三公”经费支出决算总体情况说明。",
        f"{v.d}{y}年度一般公共预算财政拨款“三公”经费支出预算为{total.budget}万元，支出决算为{total.actual}万元"
        + (f"，完成预算的{total.done}%" if total.done else "") + "，"
        + _vs(total.delta, y1, "较上年{more}{change}万元，{grow}{rate}%", "与上年持平")
        + f"。决算数{_word(v)}预算数的主要原因是厉行节约。",
        "（二）一般公共预算财政拨款“三公”经费支出决算具体情况说明。",
        *([f"{v.d}{y}年度一般公共预算财政拨款“三公”经费支出决算中，{shares}。具体情况如下："] if shares else []),
        *against,
        _counts(v, f"{y}年{v.d}因公出国（境）团组" + "{abroad_groups}次，累计出国（境）{abroad_people}人次。公务用车购置费"
                   "{purchase}万元，购置公务用车{vehicles_purchased}辆；公务用车运行维护费{operation}万元，公务用车保有量"
                   "{vehicles_held}辆。国内公务接待共{domestic_batches}批次（其中外事接待{foreign_batches}批次），"
                   "{domestic_people}人次（其中外事接待{foreign_people}人次）。"),
        "七、机关运行经费支出情况说明",
        f"{y}年度{v.d}机关运行经费支出{v.running}万元，"
        + _vs(v.running_delta, y1, "比上年{more}{change}万元，{grow}{rate}%", "与上年持平") + "，主要原因是日常公用经费变化。",
        "八、政府采购支出情况说明",
        _procurement(v, "{y}年度{d}政府采购支出总额{total}万元，其中：{cats}。", "政府采购{n}支出{a}万元"),
        "九、国有资产占用情况说明",
        f"截至{y}年12月31日，{v.d}共有车辆{v.held}辆，其中：{_vehicles(v.vehicles, '')}；单价50万元以上通用设备"
        f"{v.general_50w}台（套），单价100万元以上专用设备{v.special_100w}台（套）。")


def hubei(v: Values) -> list[str]:
    y, y1 = v.y, v.y - 1
    g, s3 = v.grand_delta, v.sangong
    total = s3["total"]
    parts = "；".join(f"{it.name}支出{it.actual}万元" + (f"，占“三公”经费的{it.share}%" if it.share is not None else "")
                     for it in _items(v))
    vs = lambda d: _vs(d, y1, "较上年{prior}{more}{change}万元，{more}了{rate}%", "较上年无变化")  # noqa: E731
    return _lines(
        f"第三部分 {y}年度部门决算情况说明",
        "一、收入支出决算总体情况说明",
        f"{y}年度收入总计{v.grand}万元，比上年{g.more}{g.change}万元，{g.grow}{g.rate}%，主要原因是业务量变化；支出总计"
        f"{v.expense_grand}万元。",
        "二、收入决算情况说明",
        f"本年收入合计{v.income}万元，其中：{_shares(v.income_parts, '{n}{a}万元，占{p}%')}。",
        "三、支出决算情况说明",
        f"本年支出合计{v.expense}万元，其中：{_shares(v.expense_parts, '{n}{a}万元，占{p}%')}。",
        "四、财政拨款支出决算情况说明",
        f"财政拨款支出年初预算为{v.fiscal_budget}万元，支出决算为{v.fiscal}万元，完成年初预算的{v.fiscal_done}%，"
        f"决算数{v.fiscal_word}年初预算数，主要原因是年中追加。",
        f"一般公共预算财政拨款支出{v.general}万元，主要用于以下方面：{_shares(v.classes, '{n}{a}万元，占{p}%')}。",
        "五、一般公共预算财政拨款基本支出决算情况说明",
        f"一般公共预算财政拨款基本支出{v.basic}万元，其中：人员经费{v.personnel}万元，公用经费{v.public}万元。",
        "六、一般公共预算“三公”经费支出情况",
        "（一）“三公”经费财政拨款支出总体情况说明。",
        f"{y}年度本部门一般公共预算财政拨款安排的“三公”经费支出{total.actual}万元"
        + (f"，{vs(total.delta)}" if total.delta.rate is not None else "")
        + f"，原因为严格落实中央八项规定精神；其中：{parts}。",
        *[f"（{i + 1}）{it.name}支出情况。本部门本年度{it.name}支出{it.actual}万元"
          + (f"，{vs(it.delta)}" if it.delta.rate is not None else "") + "，原因为厉行节约。" for i, it in enumerate(_items(v))],
        _counts(v, "全年因公出国（境）团组{abroad_groups}个，{abroad_people}人次；公务用车购置费{purchase}万元，购置公务用车"
                   "{vehicles_purchased}辆，公务用车运行维护费{operation}万元，公务用车保有量{vehicles_held}辆。"
                   + f"{y}年公务接待" + "{domestic_batches}批次，{domestic_people}人次，其中外事接待{foreign_batches}批次，"
                   "{foreign_people}人次，" + f"支出{s3['reception'].actual}万元。"),
        "（二）“三公”经费财政拨款支出与年初预算对比情况。",
        f"{y}年度本部门“三公”经费支出{total.actual}万元，年初预算为{total.budget}万元，差值为{total.gap}万元，"
        f"决算数{_word(v)}预算数，原因为厉行节约。",
        "七、机关运行经费支出情况说明",
        f"本部门{y}年度机关运行经费支出{v.running}万元"
        + (f"，{vs(v.running_delta)}" if v.running_delta.rate is not None else "") + "，主要原因是日常公用经费变化。",
        "八、政府采购支出情况说明", _procurement(v, "本部门{y}年度政府采购支出总额{total}万元，其中：{cats}。", "政府采购{n}支出{a}万元"),
        "九、国有资产占用情况说明",
        f"截至{y}年12月31日，本部门共有车辆{v.held}辆，其中：{_vehicles(v.vehicles, '')}。单位价值50万元以上通用设备"
        f"{v.general_50w}台（套），单位价值100万元以上专用设备{v.special_100w}台（套）。")


def gansu(v: Values) -> list[str]:
    y, y1 = v.y, v.y - 1
    f, gen, s3 = v.fiscal_grand_delta, v.general_delta, v.sangong
    total = s3["total"]
    lower = lambda d: "降低" if d.grow == "下降" else "增长"  # noqa: E731
    gap = f"，决算数{v.fiscal_word}预算数{v.fiscal_gap}万元" \
        if float(v.fiscal_gap.replace(",", "")) else f"，决算数与预算数{v.fiscal_word}"
    return _lines(
        f"第三部分 {v.d}{y}年度部门决算情况说明",
        "一、收入决算情况说明",
        f"{y}年度，本单位收入为{v.income}万元，其中：{_shares(v.income_parts, '{n}{a}万元，占{p}%')}。",
        "二、支出决算情况说明",
        f"{y}年度，本单位支出为{v.expense}万元。其中：{_shares(v.expense_parts_of_grand, '{n}{a}万元，占{p}%')}。",
        "三、财政拨款支出决算情况说明",
        f"{y}年度，本单位财政拨款收入总计{v.fiscal_grand}万元，与上年相比{f.more}{f.change}万元，{lower(f)}{f.rate}%，"
        "主要原因是项目资金变化。",
        f"{y}年度，本单位一般公共预算财政拨款支出总计{v.general}万元，与上年相比{gen.more}{gen.change}万元，"
        f"{lower(gen)}{gen.rate}%，主要原因是项目调整。其中：{_shares(v.classes, '{n}{a}万元，占{p}%')}。",
        f"本单位财政拨款支出年初预算{v.fiscal_budget}万元，决算{v.fiscal}万元，完成年初预算{v.fiscal_done}%{gap}，"
        "主要原因是年中追加项目。",
        "四、一般公共预算财政拨款基本支出决算情况说明",
        f"{y}年度，本单位一般公共预算财政拨款基本支出{v.basic}万元，其中：人员经费{v.personnel}万元，公用经费{v.public}万元。",
        "五、“三公”经费支出决算情况说明",
        f"{y}年度，本单位“三公”经费年初预算{total.budget}万元，实际支出{total.actual}万元"
        + (f"，完成年初预算的{total.done}%" if total.done else "") + "，"
        + _vs(total.delta, y1, "与上年相比{more}{change}万元，{grow}{rate}%", "与上年持平") + "，主要原因是厉行节约。"
        + "其中：" + "；".join(f"{it.name}{it.actual}万元，" + _vs(it.delta, y1, "与上年相比{more}{change}万元，{grow}{rate}%",
                                                               "与上年持平") for it in _items(v)) + "。",
        _counts(v, "因公出国（境）团组{abroad_groups}个、{abroad_people}人次；公务用车购置费{purchase}万元，购置公务用车"
                   "{vehicles_purchased}辆，公务用车运行维护费{operation}万元，公务用车保有量{vehicles_held}辆；国内公务接待"
                   "{domestic_batches}批次、{domestic_people}人次，其中外事接待{foreign_batches}批次、{foreign_people}人次。"),
        "六、机关运行经费支出情况说明",
        f"{y}年度，本单位机关运行经费支出{v.running}万元，"
        + _vs(v.running_delta, y1, "与上年相比{more}{change}万元，{grow}{rate}%", "与上年持平") + "，主要原因是日常公用经费变化。",
        "七、政府采购支出情况说明",
        _procurement(v, "{y}年度，本单位政府采购支出总额{total}万元，其中：{cats}。", "政府采购{n}支出{a}万元"),
        "八、国有资产占用情况说明",
        f"截至{y}年12月31日，本单位共有车辆{v.held}辆，其中：{_vehicles(v.vehicles, '')}；单位价值50万元以上通用设备"
        f"{v.general_50w}台（套），单位价值100万元以上专用设备{v.special_100w}台（套）。")


def central(v: Values) -> list[str]:
    y, y1 = v.y, v.y - 1
    g, s3 = v.grand_delta, v.sangong
    total = s3["total"]
    executed = "；".join(f"{it.name}{it.actual}万元" + (f"，预算执行比例为{it.done}%" if it.done else "") + "，"
                        + _vs(it.delta, y1, "比{y}年度{more}{change}万元，{grow}{rate}%", "与{y}年度持平")
                        for it in _items(v))
    against = ""
    if total.budget_cents and total.actual_cents != total.budget_cents:
        against = f"“三公”经费决算数较年初预算{'增加' if total.actual_cents > total.budget_cents else '减少'}{total.deviation}%，"
    return _lines(
        f"第三部分 {y}年度部门决算情况说明",
        "一、收入支出决算总体情况说明",
        f"{y}年度收入、支出决算总计均为{v.grand}万元。与{y1}年度相比，收入总计{g.more}{g.change}万元，{g.grow}{g.rate}%，"
        "主要原因是业务量变化。",
        "二、收入决算情况说明",
        f"{y}年度本年收入合计{v.income}万元，其中：{_shares(v.income_parts, '{n}{a}万元，占{p}%')}。",
        "三、支出决算情况说明",
        f"{y}年度本年支出合计{v.expense}万元，其中：{_shares(v.expense_parts, '{n}{a}万元，占{p}%')}。",
        "四、财政拨款支出决算情况说明",
        f"{y}年度财政拨款支出年初预算为{v.fiscal_budget}万元，支出决算为{v.fiscal}万元，预算执行比例为{v.fiscal_done}%。"
        f"决算数{v.fiscal_word}年初预算数的主要原因是年中追加。",
        f"{y}年度一般公共预算财政拨款支出{v.general}万元，占本年支出合计的{v.general_share}%，主要用于以下方面："
        f"{_shares(v.classes, '{n}{a}万元，占{p}%')}。",
        "五、一般公共预算财政拨款基本支出决算情况说明",
        f"{y}年度一般公共预算财政拨款基本支出{v.basic}万元，其中：人员经费{v.personnel}万元，公用经费{v.public}万元。",
        "六、一般公共预算财政拨款“三公”经费支出决算情况说明",
        f"{y}年度“三公”经费财政拨款支出年初预算为{total.budget}万元，支出决算为{total.actual}万元"
        + (f"，预算执行比例为{total.done}%" if total.done else "") + f"。其中：{executed}。{against}主要原因是厉行节约。",
        _counts(v, f"{y}年度因公出国（境）团组" + "{abroad_groups}个，总计{abroad_people}人次；公务用车购置费{purchase}万元，"
                   "购置公务用车{vehicles_purchased}辆，公务用车运行维护费{operation}万元，公务用车保有量{vehicles_held}辆；"
                   "公务接待共{domestic_batches}批次，接待人数{domestic_people}人次，其中外事接待{foreign_batches}批次、"
                   "{foreign_people}人次。"),
        "七、机关运行经费支出情况说明",
        f"{y}年度机关运行经费支出{v.running}万元，"
        + _vs(v.running_delta, y1, "比{y}年度{more}{change}万元，{grow}{rate}%", "与{y}年度持平") + "，主要原因是日常公用经费变化。",
        "八、政府采购支出情况说明", _procurement(v, "{y}年度政府采购支出总额{total}万元，其中：{cats}。", "政府采购{n}支出{a}万元"),
        "九、国有资产占用情况说明",
        f"截至{y}年12月31日，共有车辆{v.held}辆，其中：{_vehicles(v.vehicles, '')}；单价50万元（含）以上通用设备"
        f"{v.general_50w}台，单价100万元（含）以上专用设备{v.special_100w}台。")


@dataclass(frozen=True)
class Family:
    """One wording: the function writing it, how it prints figures, which total's growth
    it states checkably ("T01" 收入总计 or "T04" 财政拨款收入总计), its performance wording."""

    write: Callable[[Values], list[str]]
    style: Style
    lead: str = "T01"
    performance: str = "plain"


FAMILIES: dict[str, Family] = {
    "nanchang": Family(nanchang, Style(1, "trim"), performance="nanchang"),
    "shanghai": Family(shanghai, Style(2, "fixed"), performance="shanghai"),
    "plain": Family(plain, Style(2, "commas"), performance="plain"),
    "sichuan": Family(sichuan, Style(2, "fixed"), lead="T04", performance="sichuan"),
    "xinjiang": Family(xinjiang, Style(2, "fixed"), performance="xinjiang"),
    "anhui": Family(anhui, Style(2, "fixed"), performance="anhui"),
    "hubei": Family(hubei, Style(2, "fixed"), performance="hubei"),
    "gansu": Family(gansu, Style(2, "trim"), lead="T04", performance="gansu"),
    "central": Family(central, Style(2, "commas"), performance="central"),
}
