"""Narrative claims read by clause, rates from their own sentence, and other readings before an
error (issue 27).  Every example of the issue is here: first the sentence itself through the
clause reader (what each figure is about), then in a generated report whose tables it restates,
through the real reader and checks."""

from __future__ import annotations

import pytest

from auditlib.ingest import read_report
from auditlib.rules import check
from auditlib.ingest.paragraphs import ParagraphReader
from auditlib.ingest.vocabulary import load_subjects
from auditlib.ingest.words import SENTENCE, tidy
from tests.synth import generate

SUBJECTS = load_subjects()


def _read(text: str, section: str = "") -> list[tuple[float, str, str, bool]]:
    """(value, kind, the words naming its subject, whether its own clause names them) of each figure."""
    reader = ParagraphReader(SUBJECTS, section, 2021)
    out = []
    for raw in SENTENCE.findall(tidy(text)):
        figures, _ = reader.read(raw)
        out += [(f.value, f.kind, reader.groups[f.group].words, f.own) for f in figures]
    return out


# ----------------------------------------------------------------------- the clause reader, on the sentences

def test_a_figure_belongs_to_the_subject_of_its_own_clause():
    read = _read("其中:本年支出合计1539.44万元,结余分配0.00万元,年末结转和结余68.12万元")
    assert [(v, w) for v, _, w, _ in read] == [(1539.44, "本年支出合计"), (0.0, "结余分配"), (68.12, "年末结转和结余")]


def test_an_aside_in_parentheses_is_its_own_subject():
    read = _read("国内公务接待支出5.24万元(含外宾接待支出0万元)")
    assert [(v, w) for v, _, w, _ in read] == [(5.24, "国内公务接待支出"), (0.0, "含外宾接待支出")]


def test_a_threshold_is_part_of_the_category_name():
    read = _read("单位价值50万元(含)以上通用设备5台(套),单位价值100万元(含)以上专用设备0台(套)")
    assert [(v, k, w) for v, k, w, _ in read] == [(5.0, "count", "单位价值50万元(含)以上通用设备"),
                                                  (0.0, "count", "单位价值100万元(含)以上专用设备")]
    assert [v for v, *_ in _read("单价50万元以上(含50万元)通用设备3台")] == [3.0]


def test_a_list_after_zhuyao_yongyu_has_the_named_total_as_head():
    reader = ParagraphReader(SUBJECTS, "五、一般公共预算财政拨款支出决算情况说明", 2021)
    figures, head = reader.read("一般公共预算财政拨款支出1890.06万元,主要用于以下方面:一般公共服务支出(类)1591.22万元,占84.19%;")
    share = figures[-1]
    assert share.kind == "share" and reader.groups[share.group].words == "一般公共服务支出(类)"
    assert reader.groups[reader.groups[share.group].head].words == "一般公共预算财政拨款支出" == reader.groups[head].words


def test_a_growth_clause_naming_nothing_is_about_the_subject_before_it():
    read = _read("本年收入与2020年度相比增加61.62万元,增长4.3%。")
    assert [(v, k, w) for v, k, w, _ in read] == [(61.62, "change", "本年收入"), (4.3, "growth", "本年收入")]
    read = _read("2024 年度“三公”经费财政拨款支出决算数比 2023 年度减少 8.19 万元,下降 30.1%,其中:因公出国(境)费支出决算"
                 "减少1.57万元,下降20.36%;公务用车购置及运行维护费支出决算减少6.62万元,下降100.00%。")
    assert [(v, w) for v, _, w, _ in read][2:] == [(1.57, "因公出国(境)费"), (20.36, "因公出国(境)费"),
                                                  (6.62, "公务用车购置及运行维护费"), (100.0, "公务用车购置及运行维护费")]


def test_clauses_repeating_or_leaving_out_the_subject():
    # 累计接待 repeats part of 外事接待: the same subject; a 万元 after 批次/人次 is not theirs
    assert [w for _, _, w, _ in _read("其中外事接待 0 批,累计接待 0 人次。")] == ["外事接待", "外事接待"]
    read = _read("2021年公务接待41批次,287人次,其中外事接待0批次,0人次,支出0.27万元。")
    assert read[-1][2] != "外事接待" and read[-1][0] == 0.27
    # a clause naming the subject without a figure: the next clause's subject (收入支出总体 与上年相比)
    assert [w for _, _, w, _ in _read("收入支出总体与上年相比,增加58.21万元,增长15.46%。")] == ["收入支出总体"] * 2


def test_a_pair_list_or_an_explanation_ends_at_qizhong():
    """“分别是 … 8 人，其中外事接待 0 批，累计接待 0 人次” (Nanchang 2021): the list is over, the 0s
    restate 外事接待's cells; a name ending in 本年支出 keeps its 支出 before 决算数为."""
    reader = ParagraphReader(SUBJECTS, "三公", 2021)
    figures, _ = reader.read("全年国内公务接待 2 批,累计接待 12 人次,分别是接待甲 4 人、接待乙 8 人,其中外事接待 0 批,累计接待 0 人次。")
    assert [(f.value, f.explanatory or f.paired) for f in figures] == [
        (2, False), (12, False), (4, True), (8, True), (0, False), (0, False)]
    assert [w for _, _, w, _ in _read("本部门 2021 年度财政拨款本年支出决算数为 2937.66 万元。")] == [
        "本部门2021年度财政拨款本年支出"]


def test_comparisons_with_the_budget_and_stated_prior_amounts():
    reader = ParagraphReader(SUBJECTS, "三公", 2021)
    figures, _ = reader.read("公务接待费支出16.3万元,与2020年度预算相比,增加1.5万元,增长10.14%,主要原因是检查增加。")
    assert [f.kind for f in figures] == ["amount", "difference", "growth"]
    figures, _ = reader.read("“三公”经费支出2.05万元,较上年2.08减少0.03万元,减少了1.44%,原因为厉行节约。")
    assert [(f.kind, f.prior, f.sign) for f in figures] == [("amount", None, 0), ("change", 2.08, -1), ("growth", None, -1)]
    figures, _ = reader.read("完成年初预算100%,决算数大于预算数55.93万元,主要原因:职工工资调标。")
    assert [f.kind for f in figures] == ["completion", "difference"]


# ----------------------------------------------------------------------- generated reports with the sentences

def _check(tmp_path, seed: int, *paragraphs: str, overrides: dict | None = None):
    """A generated report whose 第三部分 is the given (heading, text) paragraphs."""
    r = generate(seed)
    r.overrides.update(overrides or {})
    lines = [f"第三部分 {r.year} 年度部门决算情况说明", ""]
    for heading, text in zip(paragraphs[::2], paragraphs[1::2]):
        lines += [heading, "", text, ""]
    r.tail = lines + ["第四部分 名词解释", "", "“三公”经费：指因公出国（境）费、公务用车购置及运行维护费和公务接待费。", ""]
    return r, check(read_report(r.write(tmp_path / f"r{seed}.txt")))


def _w(r, table: str, row: str, col: str) -> str:
    return f"{r.printed(table, row, col):.2f}"


def _narr(result, severity: str = "error") -> list:
    return [(f.id, f.message) for f in result.findings if f.id.startswith("NARR") and f.severity == severity]


def _claim(result, value: float, kind: str = "amount"):
    [claim] = [c for c in result.claims if c.value == value and c.kind == kind]
    return claim


def test_a_figure_after_qizhong_restates_its_own_cell(tmp_path):
    r = generate(5)
    text = (f"{r.year}年度支出总计{_w(r, 'T01', 'expense_grand_total', 'amount')}万元，其中：本年支出合计"
            f"{_w(r, 'T01', 'expense_total', 'amount')}万元，结余分配{_w(r, 'T01', 'surplus_distribution', 'amount')}万元，"
            f"年末结转和结余{_w(r, 'T01', 'closing_balance', 'amount')}万元。")
    r, result = _check(tmp_path, 5, "一、收入支出决算总体情况说明", text)
    claims = {c.target: c.verdict for c in result.claims if c.kind == "amount"}
    assert claims == {"T01[expense_grand_total].amount": "ok", "T01[expense_total].amount": "ok",
                      "T01[surplus_distribution].amount": "ok", "T01[closing_balance].amount": "ok"}
    assert not _narr(result) and not _narr(result, "warning")


def test_an_aside_and_a_threshold_restate_their_own_cells(tmp_path):
    r = generate(10)
    domestic, foreign = _w(r, "T07", "reception_domestic", "actual"), _w(r, "T07", "reception_foreign", "actual")
    general, special = r.truth["T10"]["equipment_general_50w"]["amount"], r.truth["T10"]["equipment_special_100w"]["amount"]
    assert (float(foreign), general, special) == (0.0, 5, 0) and float(domestic) > 0
    r, result = _check(tmp_path, 10, "五、“三公”经费支出决算情况说明", f"国内公务接待支出{domestic}万元（含外宾接待支出{foreign}万元）。",
                       "八、国有资产占用情况说明",
                       f"单位价值50万元（含）以上通用设备{general}台（套），单位价值100万元（含）以上专用设备{special}台（套）。")
    assert (_claim(result, float(foreign)).target, _claim(result, float(foreign)).verdict) == (
        "T07[reception_foreign].actual", "ok")
    counts = {(c.value, c.target, c.verdict) for c in result.claims if c.unit == "台"}
    assert counts == {(5.0, "T10[equipment_general_50w].amount", "ok"), (0.0, "T10[equipment_special_100w].amount", "ok")}
    assert not [c for c in result.claims if c.value in (50.0, 100.0) and c.unit == "万元"]
    assert not _narr(result)


def test_a_share_in_a_list_is_of_the_total_named_before_it(tmp_path):
    r = generate(3)
    general = r.printed("T05", "total", "total")
    cls = next(c for c in sorted(r.truth["T05"]) if len(c) == 3)
    part = r.printed("T05", cls, "total")
    from auditlib.schema import FUNCTION_CLASSES

    text = (f"一般公共预算财政拨款支出{general:.2f}万元，主要用于以下方面：{FUNCTION_CLASSES[cls]}（类）{part:.2f}万元，"
            f"占{part / general * 100:.2f}%。")
    r, result = _check(tmp_path, 3, "五、一般公共预算财政拨款支出决算情况说明", text)
    share = _claim(result, round(part / general * 100, 2), "share")
    assert share.verdict == "ok" and share.target == f"所列 {part:,.2f} / 所列一般公共预算财政拨款支出 {general:,.2f}"


def test_a_growth_rate_is_of_its_own_subject_not_the_last_amount(tmp_path):
    """“本年收入与 2020 年度相比增加 C 万元，增长 P%” after 财政拨款收入 F 万元: P is of 本年收入,
    never C / (F − C) (the issue's 应为 110.55%)."""
    r = generate(0)
    income, fiscal = r.printed("T01", "income_total", "amount"), r.printed("T02", "total", "fiscal")
    change = round(income / 5, 2)
    rate = change / (income - change) * 100
    text = (f"本年收入合计{income:.2f}万元，其中：财政拨款收入{fiscal:.2f}万元。本年收入与{r.year - 1}年度相比增加{change:.2f}万元，"
            f"增长{rate:.2f}%，主要原因是项目增加。")
    r, result = _check(tmp_path, 0, "二、收入决算情况说明", text)
    growth = _claim(result, round(rate, 2), "growth")
    assert growth.verdict == "ok" and f"所列 {income:,.2f}" in growth.target
    assert abs(change / (fiscal - change) * 100 - rate) > 1  # the old reading: an error
    assert not _narr(result)


def test_a_part_growth_is_of_its_own_row(tmp_path):
    """“其中：因公出国（境）费支出决算减少 C 万元，下降 P%；公务用车购置及运行维护费支出决算减少 …，下降 100.00%”:
    each item against its own row of 公开07表, never the 三公 total's."""
    r = generate(26)
    t07 = r.truth["T07"]
    abroad, total = t07["abroad"]["actual"] / 1e6, t07["total"]["actual"] / 1e6
    assert t07["vehicle"]["actual"] == 0 and abroad > 0
    c_abroad, c_total = 0.57, 1.23
    lines = (f"“三公”经费财政拨款支出年初预算为{_w(r, 'T07', 'total', 'budget')}万元，支出决算为{total:.2f}万元。",
             f"{r.year}年度“三公”经费财政拨款支出决算数比{r.year - 1}年度减少{c_total:.2f}万元，下降"
             f"{c_total / (total + c_total) * 100:.2f}%，其中：因公出国（境）费支出决算减少{c_abroad:.2f}万元，下降"
             f"{c_abroad / (abroad + c_abroad) * 100:.2f}%；公务用车购置及运行维护费支出决算减少6.62万元，下降100.00%。"
             "减少的主要原因是厉行节约。")
    r, result = _check(tmp_path, 26, "七、财政拨款“三公”经费支出决算情况说明", lines[0], "（一）“三公”经费支出决算总体情况", lines[1])
    growths = {c.value: (c.verdict, c.target) for c in result.claims if c.kind == "growth"}
    assert growths[round(c_abroad / (abroad + c_abroad) * 100, 2)][0] == "ok"
    assert f"{abroad:,.2f}" in growths[round(c_abroad / (abroad + c_abroad) * 100, 2)][1]
    assert growths[100.0][0] == "ok"
    assert not _narr(result)


def test_a_budget_the_table_leaves_blank_is_the_finding_not_the_words(tmp_path):
    """Shanghai 2024: “三公”经费年初预算为 0.95 万元，支出决算为 0.00 万元 … 决算数小于预算数, the table's
    budget blank: the sentence's own pair says 小于 (right); the finding is 0.95 against the blank."""
    r = generate(5)
    assert r.truth["T07"]["total"]["actual"] == 0
    text = (f"“三公”经费财政拨款支出年初预算为 0.95 万元，支出决算为 0.00 万元，完成预算的 0.00%。{r.year} 年度“三公”经费支出"
            "决算数小于预算数的主要原因：厉行节约。")
    r, result = _check(tmp_path, 5, "七、财政拨款“三公”经费支出决算情况说明", text, overrides={("T07", "total", "budget"): ""})
    assert result.report.tables["T07"].value("total", "budget") is None and result.report.tables["T07"].has("total")
    [(fid, message)] = _narr(result)
    assert fid == "NARR.unprinted" and "说明列出 0.95万元" in message and "表中未列示" in message
    [words] = [c for c in result.claims if c.kind == "words"]
    assert (words.verdict, words.target) == ("ok", "决算数 − 年初预算数")
    assert (_claim(result, 0.0, "completion").verdict, _claim(result, 0.0).verdict) == ("ok", "ok")


def test_completing_a_zero_initial_budget_is_a_warning_not_another_reading(tmp_path):
    """Shanghai 2024 (社会工作部): 年初预算为 0 万元，全年预算为 A 万元 … 完成年初预算的 P%, P right of A:
    the 全年预算 is no other reading of the 年初预算 the sentence names 0 — a warning (NARR.zero_base)."""
    r = generate(3)
    spent = r.printed("T05", "total", "total")
    whole = round(spent * 1.04, 2)
    text = (f"一般公共预算财政拨款支出年初预算为 0 万元，全年预算为 {whole:.2f} 万元，支出决算为 {spent:.2f} 万元，"
            f"完成年初预算的 {spent / whole * 100:.2f}%。")
    r, result = _check(tmp_path, 3, "五、一般公共预算财政拨款支出决算情况说明", text)
    [(fid, message)] = _narr(result, "warning")
    assert fid == "NARR.zero_base" and f"实为对 {whole:g} 万元的完成比例" in message and not _narr(result)
    r, result = _check(tmp_path, 3, "五、一般公共预算财政拨款支出决算情况说明", text.replace("完成年初预算", "完成全年预算"))
    assert _claim(result, round(spent / whole * 100, 2), "completion").verdict == "ok" and not _narr(result, "warning")


def test_a_share_is_recomputed_from_its_own_sentence_first(tmp_path):
    """本年收入合计 I 万元，其中：财政拨款收入 F 万元，占 P%, where the table's 本年收入合计 (公开02表) is
    misprinted: P is right of the sentence's own I (the issue's 98.54%, reported as 应为 77.92%)."""
    r = generate(3)
    income, fiscal = r.printed("T01", "income_total", "amount"), r.printed("T02", "total", "fiscal")
    rate = fiscal / income * 100
    text = f"本年收入合计 {income:.2f} 万元，其中：财政拨款收入 {fiscal:.2f} 万元，占 {rate:.2f}%。"
    wrong = f"{income * 1.25:,.2f}"
    r, result = _check(tmp_path, 3, "二、收入决算情况说明", text, overrides={("T02", "total", "total"): wrong})
    share = _claim(result, round(rate, 2), "share")
    assert share.verdict == "ok" and share.target == f"所列 {fiscal:,.2f} / 所列本年收入合计 {income:,.2f}" and not share.reading
    assert not [f for f in result.findings if f.id == "NARR.share"]


def test_a_share_of_another_total_the_sentence_implies_is_consistent_and_says_so(tmp_path):
    r = generate(0)
    basic, grand = r.printed("T03", "total", "basic"), r.printed("T01", "expense_grand_total", "amount")
    assert abs(basic / grand - basic / r.printed("T01", "expense_total", "amount")) * 100 > 1
    text = f"本年支出的具体构成为：基本支出 {basic:.2f} 万元，占 {basic / grand * 100:.2f}%。"
    r, result = _check(tmp_path, 0, "三、支出决算情况说明", text)
    share = _claim(result, round(basic / grand * 100, 2), "share")
    assert share.verdict == "ok" and share.reading.startswith("按所列") and "总计" in share.reading
    assert not _narr(result) and not _narr(result, "warning")


def test_an_error_names_its_reading_and_the_others_tried(tmp_path):
    r = generate(3)
    basic, total = r.printed("T03", "total", "basic"), r.printed("T01", "expense_total", "amount")
    wrong = round(basic / total * 100 + 7, 2)
    r, result = _check(tmp_path, 3, "三、支出决算情况说明",
                       f"本年支出合计 {total:.2f} 万元，其中：基本支出 {basic:.2f} 万元，占 {wrong:.2f}%。")
    [(fid, message)] = _narr(result)
    assert fid == "NARR.share"
    assert f"按所列 {basic:,.2f} / 所列本年支出合计 {total:,.2f} 应为 {basic / total * 100:.2f}%" in message
    assert "另按" in message and "总计" in message and "亦不符" in message


@pytest.mark.parametrize("sentence,year_error", [
    ("公务接待费支出 5.00 万元，与 2021 年度预算相比，增加 1.00 万元，增长 25.00%。", False),  # this year's budget
    ("公务接待费支出 5.00 万元，与 2021 年度决算相比，增加 1.00 万元，增长 25.00%。", True),  # last year is 2020
])
def test_a_comparison_with_this_years_budget_names_this_year(tmp_path, sentence, year_error):
    r, result = _check(tmp_path, 3, "五、“三公”经费支出决算情况说明", sentence)
    assert bool([f for f in result.findings if f.id == "NARR.year"]) == year_error


def test_the_comparison_said_last_tells_a_change_from_a_difference():
    """“比预算无增减变化，比去年增加 1.05 万元，增长 35.8%” (a Guangxi 2020 决算): the figures
    compare with last year, though the budget was named before them in the sentence."""
    reader = ParagraphReader(SUBJECTS, "三公", 2021)
    figures, _ = reader.read("公务用车运行维护费支出决算比预算无增减变化,比去年增加 1.05 万元,增长 35.8%,原因是检测任务增加。")
    assert [(f.kind, f.value) for f in figures] == [("change", 1.05), ("growth", 35.8)]
    figures, _ = reader.read("公务接待费支出决算比去年增加 0.5 万元,与年初预算相比增加 0.2 万元。")
    assert [f.kind for f in figures] == ["change", "difference"]


def test_a_change_after_a_budget_comparison_is_no_difference(tmp_path):
    """The year-on-year change said after a comparison with the budget in words is a change and
    its rate a growth (what last year's report, in a batch, is held to), not a difference from
    the budget and a deviation (as they were read: both left unchecked, 缺少比较基数)."""
    r = generate(10)
    actual, budget = (float(_w(r, "T07", "total", c)) for c in ("actual", "budget"))
    change = round(actual / 4, 2)
    assert actual != budget
    text = (f"“三公”经费支出决算{actual:.2f}万元，比预算有所{'增加' if actual > budget else '减少'}，"
            f"比去年增加{change:.2f}万元，增长{change / (actual - change) * 100:.2f}%。")
    r, result = _check(tmp_path, 10, "七、财政拨款“三公”经费支出决算情况说明", text)
    assert [c.kind for c in result.claims] == ["amount", "change", "growth"]
    assert not _narr(result)
