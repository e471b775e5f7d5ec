"""A generated report (tests.synth) completed to the national completeness profile.

The generator writes a short narrative (four sections, two glossary terms): enough for
the arithmetic, not for COMPL.sections, COMPL.glossary or COMPL.three_public.  Tests
that call a generated report consistent and complete add, from its own truth, what a
real report also contains.
"""

from __future__ import annotations

import re

from tests.synth import SyntheticReport, money


def complete(syn: SyntheticReport) -> str:
    """The generated report with what the national profile requires and the generator
    does not write: the 三公 breakdown with its reason, 机关运行经费, 政府采购, 国有资产,
    绩效, the glossary terms and the statements under empty tables, all from its truth."""
    def w(table: str, row: str, col: str) -> str:
        return money(syn.truth[table][row][col], "万元", commas=False)

    t07, y = syn.truth["T07"], syn.year
    three = (f"决算数与年初预算数不同的主要原因是厉行节约。其中：因公出国（境）费 {w('T07', 'abroad', 'actual')} 万元，"
             f"全年因公出国（境）团组 {t07['abroad_groups']['actual']} 个、累计 {t07['abroad_people']['actual']} 人次；"
             f"公务用车购置费 {w('T07', 'vehicle_purchase', 'actual')} 万元，全年购置公务用车 "
             f"{t07['vehicles_purchased']['actual']} 辆；公务用车运行维护费 {w('T07', 'vehicle_operation', 'actual')} 万元，"
             f"年末公务用车保有 {t07['vehicles_held']['actual']} 辆；其中外事接待 {t07['foreign_batches']['actual']} 批，"
             f"累计接待 {t07['foreign_people']['actual']} 人次。")
    empty = []
    if not any(syn.truth["T08"]["total"].values()):
        empty.append("本部门无政府性基金预算财政拨款收入支出。")
    if not syn.truth["T09"]:
        empty.append("本部门无国有资本经营预算财政拨款收入支出。")
    sections = ["六、机关运行经费支出情况说明", "", f"本部门 {y} 年度机关运行经费支出 {w('T06', 'public_total', 'amount')} 万元。",
                "", "七、政府采购支出情况说明", "",
                f"本部门 {y} 年度政府采购支出总额 100.00 万元，其中：政府采购货物支出 60.00 万元、政府采购工程支出 0 万元、"
                "政府采购服务支出 40.00 万元。授予中小企业合同金额 80.00 万元，其中：授予小微企业合同金额 30.00 万元。", "",
                "八、国有资产占用情况说明", "", f"截止 {y} 年 12 月 31 日，本部门共有车辆 "
                f"{syn.truth['T10']['vehicles_total']['amount']} 辆。", "", *[s for e in empty for s in (e, "")],
                "九、预算绩效情况说明", "", "本部门组织对部门预算项目开展绩效自评。", ""]
    glossary = ["“三公”经费：指因公出国（境）费、公务用车购置及运行维护费和公务接待费。", "",
                "机关运行经费：指行政单位使用一般公共预算财政拨款安排的基本支出中的日常公用经费支出。", "",
                "项目支出：指为完成特定工作任务在基本支出之外发生的支出。", "",
                "年初结转和结余：指以前年度尚未完成、结转到本年继续使用的资金。", "",
                "年末结转和结余：指需延迟到以后年度按规定继续使用的资金。", ""]
    tail = list(syn.tail)
    # after the 三公 paragraph (else its heading); the sections before 第四部分 (else at the end)
    three_public = [i for i, line in enumerate(tail) if "三公" in line]
    at = next((i for i in three_public if re.search(r"\d", line_of(tail, i))), three_public[-1] if three_public else -1)
    tail[at + 1:at + 1] = ["", three]
    glossary_at = next((i for i, line in enumerate(tail) if re.match(r"^第四部分\s*名词解释", line)), None)
    if glossary_at is None:
        tail += ["", "第四部分 名词解释", ""]
        glossary_at = len(tail) - 2
    tail[glossary_at:glossary_at + 2] = [*sections, tail[glossary_at], "", *glossary]
    syn.tail = tail
    return syn.text


def line_of(lines: list[str], i: int) -> str:
    """A line without its enumerator (五、…), so a heading's numbering is not a figure."""
    return re.sub(r"^[一二三四五六七八九十]+、", "", lines[i])
