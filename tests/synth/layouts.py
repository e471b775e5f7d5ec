"""The tables of a generated report as printed: header rows and data rows of `Ref`s, in the
layouts of the national format (side-by-side halves of 公开01/04/06表, 类/款/项 hierarchies)."""

from __future__ import annotations

from auditlib.schema import FUNCTION_CLASSES
from tests.synth.document import Cell, Ref, TableDoc
from tests.synth.reference import ECON, T01_CLASSES, T01_INCOME, T10_VEHICLES, cn, name_of

def _hier_rows(table: str, T: dict, cols: tuple[str, ...]) -> list[list[Cell]]:
    data = T[table]
    rows: list[list[Cell]] = []
    codes = sorted(k for k in data if k != "total")
    for code in codes:
        rows.append([code, "", name_of(code), *(Ref(table, code, c) for c in cols)])
    return rows


def layout_hier(table: str, T: dict, cols: tuple[str, ...]) -> TableDoc:
    """公开02/03/05/08/09表, laid out as in the Nanchang sample."""
    n = len(cols)
    if table in ("T02", "T03"):
        names = {"T02": ["本年收入合计", "财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入"],
                 "T03": ["本年支出合计", "基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出"]}[table]
        head = [[f"公开{table[1:]}表"], ["金额单位：{unit}"], [],
                ["项 目", "", "", "{year}年度", *[""] * (n - 1)],
                ["编制单位：{dept}", *[""] * (n + 2)],
                ["支出功能分类科目编码", "科目名称", "", *names],
                ["", "", "", *map(str, range(1, n + 1))],
                ["类", "款", "项", "栏次", *[""] * (n - 1)]]
    elif table == "T08":
        head = [[f"公开{table[1:]}表"], [],
                ["编制单位：{dept} {year}年度 金额单位：{unit}"], [],
                ["项 目", "", "", "", "", "", "", "年末结转和结余"],
                ["支出功能分类 科目编码", "科目名称", "年初结转和结余", "本年收入", "本年支出", "", "", "年末结转和结余"],
                ["", "", "", "", "小计", "基本支出", "项目支出", ""],
                ["类 款 项", "栏次 合计", "1", "2", "3", "4", "5", "6"]]
    else:  # T05, T09
        head = [["编制单位：{dept}"], [], ["{year}年度"], [], [f"公开{table[1:]}表"], ["金额单位：{unit}"], [],
                ["项 目", "", "", "本年支出合计" if table == "T05" else "合计", "基本支出", "项目支出"],
                ["支出功能分类科目编码", "科目名称", "", "", "", ""],
                ["类", "款", "项", "1", "2", "3"]]
    if table == "T09" and len(T[table]) == 0:
        return TableDoc(table, head + [["栏次合计", "", "", "", "", ""]])
    total = ["", "", "合计", *(Ref(table, "total", c) for c in cols)]
    return TableDoc(table, head + [total] + _hier_rows(table, T, cols))


def layout_t01(T: dict) -> TableDoc:
    lines: list[list[Cell]] = [["公开01表"], ["金额单位：{unit}"], [], ["编制单位：{dept} {year}年度"], [],
                               ["收 入", "", "", "支 出", "", ""],
                               ["项 目", "行次", "决算数", "项目（按功能分类）", "行次", "决算数"],
                               ["栏 次", "", "1", "栏 次", "", "2"]]
    n = len(T01_CLASSES)
    for i, cls in enumerate(T01_CLASSES):
        if i < len(T01_INCOME):
            key, name = T01_INCOME[i]
            left: list[Cell] = [f"{cn(i + 1)}、{name}", str(i + 1), Ref("T01", key, "amount")]
        else:
            left = ["", str(i + 1), ""]
        lines.append(left + [f"{cn(i + 1)}、{FUNCTION_CLASSES[cls]}", str(n + 6 + i), Ref("T01", cls, "amount")])
    r, e = n + 1, 2 * n + 6
    lines += [["本年收入合计", str(r), Ref("T01", "income_total", "amount"), "本年支出合计", str(e),
               Ref("T01", "expense_total", "amount")],
              ["使用非财政拨款结余", str(r + 1), Ref("T01", "use_nonfiscal_balance", "amount"), "结余分配", str(e + 1),
               Ref("T01", "surplus_distribution", "amount")],
              ["年初结转和结余", str(r + 2), Ref("T01", "opening_balance", "amount"), "年末结转和结余", str(e + 2),
               Ref("T01", "closing_balance", "amount")],
              ["", str(r + 3), "", "", str(e + 3)],
              ["总计", str(r + 4), Ref("T01", "income_grand_total", "amount"), "总计", str(e + 4),
               Ref("T01", "expense_grand_total", "amount")]]
    return TableDoc("T01", lines)


def layout_t04(T: dict) -> TableDoc:
    cols = ("total", "general", "gov_fund", "soe")
    lines: list[list[Cell]] = [["编制单位：{dept}"], [], ["{year}年度"], [], ["公开04表"], ["金额单位：{unit}"], [],
                               ["收 入", "", "", "支 出", "", "", "", "", ""],
                               ["项 目", "行次", "金 额", "项目（按功能分类）", "行次", "合 计", "一般公共预算财政拨款",
                                "政府性基金预算财政拨款", "国有资本经营预算财政拨款"],
                               ["栏 次", "1", "2", "栏 次", "3", "4", "5", "6", "7"]]
    income = [("inc_general", "一、一般公共预算财政拨款"), ("inc_gov_fund", "二、政府性基金预算财政拨款"),
              ("inc_soe", "三、国有资本经营预算财政拨款")]
    n = len(T01_CLASSES)
    for i, cls in enumerate(T01_CLASSES):
        left: list[Cell] = [income[i][1], str(i + 1), Ref("T04", income[i][0], "amount")] if i < 3 else ["", str(i + 1), ""]
        lines.append(left + [f"{cn(i + 1)}、{FUNCTION_CLASSES[cls]}", str(n + 7 + i), *(Ref("T04", cls, c) for c in cols)])
    r, e = n + 1, 2 * n + 7
    lines += [["本年收入合计", str(r), Ref("T04", "income_total", "amount"), "本年支出合计", str(e),
               *(Ref("T04", "expense_total", c) for c in cols)],
              ["年初财政拨款结转和结余", str(r + 1), Ref("T04", "opening_balance", "amount"), "年末财政拨款结转和结余",
               str(e + 1), *(Ref("T04", "closing_balance", c) for c in cols)],
              ["一、一般公共预算财政拨款", str(r + 2), Ref("T04", "opening_general", "amount"), "", str(e + 2)],
              ["二、政府性基金预算财政拨款", str(r + 3), Ref("T04", "opening_gov_fund", "amount"), "", str(e + 3)],
              ["三、国有资本经营预算财政拨款", str(r + 4), Ref("T04", "opening_soe", "amount"), "", str(e + 4)],
              ["总计", str(r + 5), Ref("T04", "income_grand_total", "amount"), "总计", str(e + 5),
               *(Ref("T04", "expense_grand_total", c) for c in cols)]]
    return TableDoc("T04", lines)


def layout_t06(T: dict, style: dict) -> TableDoc:
    def side(classes: tuple[str, ...]) -> list[list[Cell]]:
        out: list[list[Cell]] = []
        for cls in classes:
            out.append([cls, ECON[cls][0], Ref("T06", cls, "amount")])
            out += [[c, n, Ref("T06", c, "amount")] for c, n in ECON[cls][1]]
        return out

    left, right = side(("301", "303")), side(("302", "310"))
    if style.get("t06_399"):
        right += [["399", "其他支出"], ["39906", "赠与"], ["39907", "国家赔偿费用支出"], ["39999", "其他支出"]]
    lines: list[list[Cell]] = [["编制单位：{dept}", "", "{year}年度", "", "公开06表", ""],
                               ["人员经费", "", "公用经费", "", "金额单位：{unit}", ""],
                               ["经济分类科目编码", "科目名称", "金额", "经济分类科目编码", "科目名称", "金额"]]
    for i in range(max(len(left), len(right))):
        a = left[i] if i < len(left) else ["", "", ""]
        b = right[i] if i < len(right) else []
        lines.append([*a, *b])
    lines.append(["人员经费合计", "", Ref("T06", "personnel_total", "amount"),
                  "公用经费合计", "", Ref("T06", "public_total", "amount")])
    return TableDoc("T06", lines)


def layout_t07() -> TableDoc:
    def r(key: str, budget: bool = True, count: bool = False) -> list[Cell]:
        return [Ref("T07", key, "budget", dash=not budget), Ref("T07", key, "actual", count=count)]

    rows = [("一、“三公”经费支出", r("total")), ("1.因公出国（境）费", r("abroad")),
            ("2.公务用车购置及运行维护费", r("vehicle")), ("（1）公务用车购置费", r("vehicle_purchase")),
            ("（2）公务用车运行维护费", r("vehicle_operation")), ("3.公务接待费", r("reception")),
            ("（1）国内接待费", r("reception_domestic", False)), ("其中：外事接待费", r("reception_foreign", False)),
            ("（2）国（境）外接待费", r("reception_abroad", False)), ("二、相关统计数", ["-", "-"])]
    stats = [("1.因公出国（境）团组数（个）", "abroad_groups"), ("2.因公出国（境）人次（人）", "abroad_people"),
             ("3.公务用车购置数（辆）", "vehicles_purchased"), ("4.公务用车保有量（辆）", "vehicles_held"),
             ("5.国内公务接待批次（个）", "domestic_batches"), ("其中：外事接待批次（个）", "foreign_batches"),
             ("6.国内公务接待人次（人）", "domestic_people"), ("其中：外事接待人次（人）", "foreign_people"),
             ("7.国（境）外公务接待批次（个）", "abroad_batches"), ("8.国（境）外公务接待人次（人）", "abroad_reception_people")]
    rows += [(label, r(key, False, True)) for label, key in stats]
    lines: list[list[Cell]] = [["公开07表"], [], ["编制单位：{dept} {year}年度 金额单位：{unit}"], [],
                               ["项目 行次", "栏次", "年初预算数 1", "决算数 2"]]
    lines += [[label, str(i + 1), *vals] for i, (label, vals) in enumerate(rows)]
    return TableDoc("T07", lines)


def layout_t10() -> TableDoc:
    lines: list[list[Cell]] = [["编制单位：{dept}"], [], ["{year}年度"], [], ["公开10表"], ["单位：{unit}"], [],
                               ["项 目", "栏次", "决算数"],
                               ["一、车辆数合计(台、辆)", "1", Ref("T10", "vehicles_total", "amount", count=True)]]
    lines += [[f"{i + 1}. {name}", str(i + 2), Ref("T10", key, "amount", count=True)]
              for i, (key, name) in enumerate(T10_VEHICLES)]
    lines += [["二、单价50万元(含)以上通用设备(台、套)", "10", Ref("T10", "equipment_general_50w", "amount", count=True)],
              ["三、单价100万元(含)以上专用设备(台、套)", "11", Ref("T10", "equipment_special_100w", "amount", count=True)]]
    return TableDoc("T10", lines)
