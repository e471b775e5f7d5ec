"""What the warehouse holds, in one place: every table and column with its type, its Chinese
name and what it means.  `schema()` creates the tables from it, `views()` the per-document
三公 counts (`sangong`) and a view with Chinese column names over every table (`部门文件` over
`documents` …), and `codebook_rows()` the `codebook` table (view `字段说明`) an auditor reads to
know what a column is, so the codebook cannot drift from the tables it describes.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    zh: str  # the column's name in the Chinese view
    meaning: str = ""


@dataclass(frozen=True)
class Entity:
    """A table (or view) of the warehouse: its Chinese view's name, what one row is, its columns."""

    zh: str
    meaning: str
    columns: tuple[Column, ...]


def _cols(*specs: tuple) -> tuple[Column, ...]:
    return tuple(Column(*s) for s in specs)


DOC = ("document", "VARCHAR", "文件编号", "部门的输出文件夹名（DIR/<文件编号>/），各表以此与 documents 关联")
WHERE = (("page", "INTEGER", "页码", "PDF 页码（文本输入为空）"), ("line", "INTEGER", "行号", "文本输入的行号（PDF 为空）"))

TABLES: dict[str, Entity] = {
    "documents": Entity("部门文件", "每个部门（每份文件）一行：最近一次审核的结果，失败的部门也在其中", _cols(
        (*DOC[:1], "VARCHAR PRIMARY KEY", *DOC[2:]),
        ("department", "VARCHAR", "部门", "部门名称：读自文件；失败的部门取自参数文件、上次审核或文件名（见 部门名称来源）"),
        ("department_from", "VARCHAR", "部门名称来源", "文件 | 参数文件 | 上次审核 | 文件名"),
        ("department_key", "VARCHAR", "部门键", "部门名称归一化后的键（去空格、去“原”），跨年比对用"),
        ("year", "INTEGER", "年度", "决算或预算的年度（同一部门同一年度的 预算 与 决算 同年）"),
        ("kind", "VARCHAR", "文件类型", "决算（部门决算）| 预算（部门预算）：读自文件或 --kind"),
        ("status", "VARCHAR", "状态", "ok 已审核 | failed 失败"),
        ("reason", "VARCHAR", "失败原因", "失败的部门：一行中文原因"),
        ("source", "VARCHAR", "输入文件", "读取的 PDF 或文本文件"),
        ("input_kind", "VARCHAR", "输入类型", "pdf | scan（扫描件，OCR）| text"),
        ("unit", "VARCHAR", "金额单位", "文件的金额单位（万元）；cells 中的金额均为此单位"),
        ("pages", "INTEGER", "页数", "PDF 页数"),
        ("sha256", "VARCHAR", "文件指纹", "输入文件的 SHA-256"),
        ("params_hash", "VARCHAR", "参数指纹", "决定审核结果的参数的摘要"),
        ("version", "VARCHAR", "审核版本", "auditlib 版本及规则、笔记本的摘要"),
        ("batch", "VARCHAR", "批次", "写入此行的批量审核编号"),
        ("finished", "TIMESTAMP", "完成时间", "UTC"),
        ("seconds", "DOUBLE", "用时秒数", "读取、审核和笔记本的用时"),
        ("errors", "INTEGER", "错误数", "严重程度为 错误 的发现数"),
        ("warnings", "INTEGER", "提示数", "严重程度为 提示 的发现数"),
        ("infos", "INTEGER", "信息数", "严重程度为 信息 的发现数"),
        ("checks_run", "INTEGER", "已执行核对数", "执行的核对条数"),
        ("claims_found", "INTEGER", "文字数字数", "情况说明和绩效部分中找到的数字（见 claims）"),
        ("claims_mapped", "INTEGER", "已对应单元格数", "其中对应到表中单元格的"),
        ("claims_checked", "INTEGER", "已核对数字数", "其中已核对（相符或不符）的"),
        ("fully_checked", "BOOLEAN", "完整审核", "true：每张表都已读取且读取无疑；false：有表未能读取、读取存疑，或审核失败"),
        ("unread_tables", "VARCHAR[]", "未能读取的表", "已找到但未能读取的表（表号），其核对未执行"),
        ("doubtful_tables", "VARCHAR[]", "读取存疑的表", "读取存疑的表（表号，见 READ.doubtful）"),
        ("report", "VARCHAR", "报告", "HTML 报告（相对 DIR）"),
        ("failed_notebook", "VARCHAR", "失败的笔记本", "失败时保留的笔记本（相对 DIR）"),
        ("cells_skipped", "INTEGER", "未写入单元格数", "模型中无法写入的单元格数（见 notes）"),
        ("error_log", "VARCHAR", "错误日志", "意外错误的回溯（相对 DIR）"))),
    "tables": Entity("表格读取", "每个部门的每张表一行：读取状态与读取覆盖", _cols(
        DOC, ("table_code", "VARCHAR", "表号", "决算 T01…T10（公开01表…公开10表）；预算 B01…（见 budget-tables.yaml）"),
        ("name", "VARCHAR", "表名", "决算：公开01表…公开10表；预算：文件印出的表名（去掉序号、年度和部门名）"), ("title", "VARCHAR", "标题", "文件中印出的表标题"),
        ("status", "VARCHAR", "读取状态", "parsed 已读取 | partial 不完整 | empty 空表 | unread 未能读取 | missing 未找到"),
        ("status_zh", "VARCHAR", "读取状态中文", "读取状态的中文"),
        ("rows", "INTEGER", "读取行数", "读成行的行数"),
        ("figures", "INTEGER", "印出数字数", "表标题下印出的金额个数"),
        ("amounts", "INTEGER", "读取金额数", "读取到的金额个数"),
        ("doubtful", "BOOLEAN", "读取存疑", "读取存疑（READ.doubtful）"), WHERE[0])),
    "cells": Entity("单元格", "各表（决算十张表，预算各表）的每个印出的单元格一行（长表），空白单元格也在其中", _cols(
        DOC, ("table_code", "VARCHAR", "表号", "T01…T10（决算）| B01…（预算）"), ("row_key", "VARCHAR", "行键", "科目编码或行的规范键"),
        ("column_key", "VARCHAR", "栏键", "栏的规范键（amount、budget、actual …）"),
        ("value", "DOUBLE", "数值", "金额（文件的金额单位）或数量（批次、人次、辆）；空白单元格为 NULL"),
        ("blank", "BOOLEAN", "空白", "true：该行已印出而此格空白或为“-”（不同于 0，也不同于未读取的表）"),
        *WHERE, ("code", "VARCHAR", "科目编码", "功能或经济分类科目编码"), ("name", "VARCHAR", "行名", "印出的行名"),
        ("level", "VARCHAR", "级次", "类 | 款 | 项"))),
    "counts": Entity("三公数量", "公开07表 的每个相关统计数一行（表中未印出时取自情况说明）", _cols(
        DOC, ("item", "VARCHAR", "项目键", "abroad_groups、domestic_people …"), ("name", "VARCHAR", "项目", "统计数的中文名"),
        ("value", "DOUBLE", "数量", "个、人次、辆；空白为 NULL"), ("blank", "BOOLEAN", "空白", "表中该行已印出而数量空白"),
        ("source", "VARCHAR", "来源", "公开07表 | 情况说明（表中未印出该行时）"), *WHERE)),
    "findings": Entity("审核发现", "每条审核发现一行", _cols(
        DOC, ("id", "VARCHAR", "规则编号", "发现的规则编号（如 T01.balance、NARR.amount）"),
        ("rule", "VARCHAR", "规则", "规则的中文说明"), ("severity", "VARCHAR", "严重程度", "error 错误 | warning 提示 | info 信息"),
        ("tables", "VARCHAR[]", "涉及的表", "表号列表"), ("table_code", "VARCHAR", "表号", "第一张涉及的表"),
        ("location", "VARCHAR", "位置", "表名 · 行名 · 栏名"), *WHERE,
        ("expected", "DOUBLE", "应为", "按勾稽关系应有的数"), ("actual", "DOUBLE", "列示", "文件列示的数"),
        ("expected_text", "VARCHAR", "应为文字", "应为（非数字时的文字）"), ("actual_text", "VARCHAR", "列示文字", "列示（非数字时的文字）"),
        ("difference", "DOUBLE", "差额", "列示 − 应为"), ("message", "VARCHAR", "说明", "发现的中文说明"),
        ("key", "VARCHAR", "发现键", "发现的唯一键（处理记录以此关联）"), ("cross_year", "BOOLEAN", "跨年", "跨年核对的发现"),
        ("cause", "VARCHAR", "原因发现", "解释此发现的发现键（差错定位）"), ("implied", "DOUBLE", "推算值", "勾稽关系推算的单元格值"))),
    "claims": Entity("文字数字", "情况说明和绩效部分中的每个数字一行，及其核对结果", _cols(
        DOC, ("section", "VARCHAR", "所在部分", "情况说明的标题或 绩效"), ("text", "VARCHAR", "原文", "所在句子"),
        ("subject", "VARCHAR", "所指", "句中数字所指的事项"),
        ("kind", "VARCHAR", "数字类型", "amount 金额 | share 占比 | completion 完成率 | growth 增长率 | change 增减额 | count 数量 | year 年份 | words 文字"),
        ("value", "DOUBLE", "数字", "印出的数字"), ("unit", "VARCHAR", "单位", "万元、%、人次、批 …"),
        ("target", "VARCHAR", "核对对象", "所核对的单元格或算式"),
        ("table_code", "VARCHAR", "表号", "所核对单元格的表号"), ("row_key", "VARCHAR", "行键", "所核对单元格的行键"),
        ("column_key", "VARCHAR", "栏键", "所核对单元格的栏键"), ("expected", "DOUBLE", "表中数", "表中的数（按此核对）"),
        ("status", "VARCHAR", "核对结果", "ok 相符 | mismatch 不符 | unchecked 未核对"),
        ("rule", "VARCHAR", "规则编号", "不符时发现的规则编号"), ("reason", "VARCHAR", "未核对原因", "未核对的原因"),
        ("reading", "VARCHAR", "另一读法", "使句子成立的另一读法"), *WHERE)),
    "scores": Entity("绩效评分", "绩效自评表和评分表的每个指标一行", _cols(
        DOC, ("sheet", "VARCHAR", "表类", "自评表 | 评分表"), ("project", "VARCHAR", "项目", "项目名称（评分表为其标题）"),
        ("level1", "VARCHAR", "一级指标", ""), ("level2", "VARCHAR", "二级指标", ""), ("indicator", "VARCHAR", "三级指标", ""),
        ("target", "VARCHAR", "指标值", "年度指标值（自评表）"), ("actual", "VARCHAR", "实际完成值", "实际完成值（自评表）"),
        ("weight", "DOUBLE", "分值", "指标的分值（权重）"), ("score", "DOUBLE", "得分", "评价得分"), *WHERE)),
    "notes": Entity("读取说明", "模型中未写入或存疑之处，每处一行", _cols(
        DOC, ("table_code", "VARCHAR", "表号", ""), ("row_key", "VARCHAR", "行键", ""), ("column_key", "VARCHAR", "栏键", ""),
        ("note", "VARCHAR", "说明", "中文说明"))),
    "triage": Entity("处理记录", "审核人员对发现的处理（来自 DIR/<文件编号>/triage.yaml）", _cols(
        DOC, ("key", "VARCHAR", "发现键", "findings.key"), ("status", "VARCHAR", "处理状态", "已确认、已说明、误报 …"),
        ("comment", "VARCHAR", "处理说明", ""), ("rule", "VARCHAR", "规则编号", ""), ("location", "VARCHAR", "位置", ""),
        ("by_user", "VARCHAR", "处理人", ""), ("triaged_at", "VARCHAR", "处理时间", ""),
        ("review_verdict", "VARCHAR", "复核意见", "同意 | 退回；未复核为空"), ("reviewer", "VARCHAR", "复核人", ""),
        ("reviewed_at", "VARCHAR", "复核时间", ""), ("review_comment", "VARCHAR", "复核说明", ""))),
    "codebook": Entity("字段说明", "仓库中每张表、每个视图的每一栏一行：中文名与含义", _cols(
        ("object", "VARCHAR", "表或视图", ""), ("object_zh", "VARCHAR", "中文视图", "以中文栏名查看同一内容的视图"),
        ("object_meaning", "VARCHAR", "一行是什么", ""), ("column_name", "VARCHAR", "栏", ""),
        ("column_zh", "VARCHAR", "中文栏名", ""), ("type", "VARCHAR", "类型", ""), ("meaning", "VARCHAR", "含义", ""))),
}

# 公开07表's 相关统计数 (schema.COUNT_ROWS["T07"]) as the table prints them
COUNT_NAMES = {"abroad_groups": "因公出国（境）团组数", "abroad_people": "因公出国（境）人次",
               "vehicles_purchased": "公务用车购置数", "vehicles_held": "公务用车保有量",
               "domestic_batches": "国内公务接待批次", "foreign_batches": "其中：外事接待批次",
               "domestic_people": "国内公务接待人次", "foreign_people": "其中：外事接待人次",
               "abroad_batches": "国（境）外公务接待批次", "abroad_reception_people": "国（境）外公务接待人次"}

SANGONG = Entity("三公统计", "每个部门一行：公开07表 的相关统计数（接待 = 国内 + 国（境）外）", _cols(
    DOC, ("department", "VARCHAR", "部门", ""), ("year", "INTEGER", "年度", ""), ("status", "VARCHAR", "状态", "ok | failed"),
    ("t07_status", "VARCHAR", "公开07表读取状态", "parsed | partial | empty | unread | missing；NULL：审核失败"),
    ("source", "VARCHAR", "来源", "公开07表 | 情况说明 | 公开07表、情况说明（逐项以表中印出的为先）；NULL：无统计数"),
    ("abroad_groups", "DOUBLE", "因公出国团组数", "个"), ("abroad_people", "DOUBLE", "因公出国人次", "人次"),
    ("vehicles_purchased", "DOUBLE", "公务用车购置数", "辆"), ("vehicles_held", "DOUBLE", "公务用车保有量", "辆"),
    ("reception_batches", "DOUBLE", "公务接待批次", "国内公务接待批次 + 国（境）外公务接待批次"),
    ("reception_people", "DOUBLE", "公务接待人次", "国内公务接待人次 + 国（境）外公务接待人次")))

SANGONG_SQL = """
SELECT d.document, d.department, d.year, d.status, t.status AS t07_status,
       string_agg(DISTINCT c.source, '、' ORDER BY c.source DESC) AS source,
       max(c.value) FILTER (WHERE c.item = 'abroad_groups') AS abroad_groups,
       max(c.value) FILTER (WHERE c.item = 'abroad_people') AS abroad_people,
       max(c.value) FILTER (WHERE c.item = 'vehicles_purchased') AS vehicles_purchased,
       max(c.value) FILTER (WHERE c.item = 'vehicles_held') AS vehicles_held,
       sum(c.value) FILTER (WHERE c.item IN ('domestic_batches', 'abroad_batches')) AS reception_batches,
       sum(c.value) FILTER (WHERE c.item IN ('domestic_people', 'abroad_reception_people')) AS reception_people
FROM documents d
LEFT JOIN tables t ON t.document = d.document AND t.table_code = 'T07'
LEFT JOIN counts c ON c.document = d.document
GROUP BY ALL"""

VIEWS: dict[str, tuple[Entity, str]] = {"sangong": (SANGONG, SANGONG_SQL)}


def columns(table: str) -> tuple[tuple[str, str], ...]:
    """(name, SQL type) of a table's columns, in order."""
    return tuple((c.name, c.type) for c in TABLES[table].columns)


def schema() -> str:
    """CREATE TABLE statements, and the columns a warehouse of an earlier version lacks."""
    creates = [f"CREATE TABLE IF NOT EXISTS {t} ({', '.join(f'{c.name} {c.type}' for c in e.columns)});"
               for t, e in TABLES.items()]
    added = [f"ALTER TABLE {t} ADD COLUMN IF NOT EXISTS {c.name} {c.type};" for t, e in TABLES.items()
             for c in e.columns if "PRIMARY" not in c.type]
    return "\n".join(creates + added)


def _chinese_view(name: str, entity: Entity) -> str:
    names = ", ".join(f'{c.name} AS "{c.zh}"' for c in entity.columns)
    return f'CREATE OR REPLACE VIEW "{entity.zh}" AS SELECT {names} FROM {name};'


def views() -> str:
    """The derived views, then a view with Chinese column names over every table and view."""
    derived = [f"CREATE OR REPLACE VIEW {name} AS {sql};" for name, (_, sql) in VIEWS.items()]
    entities = {**TABLES, **{name: entity for name, (entity, _) in VIEWS.items()}}
    return "\n".join(derived + [_chinese_view(name, e) for name, e in entities.items()])


def codebook_rows() -> list[tuple]:
    """One row per column of every table and view (`codebook`)."""
    entities = {**TABLES, **{name: entity for name, (entity, _) in VIEWS.items()}}
    return [(name, e.zh, e.meaning, c.name, c.zh, c.type.split()[0], c.meaning)
            for name, e in entities.items() for c in e.columns]
