"""What the ten standard tables look like: titles, column keys, row labels.

This is reference data about the national format (see docs/domain.md), kept apart
from the code that reads documents so that a regional variant is a data change.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

# 功能分类 类 codes and their names (政府收支分类科目, 2021–2024 editions).
FUNCTION_CLASSES: dict[str, str] = {
    "201": "一般公共服务支出", "202": "外交支出", "203": "国防支出", "204": "公共安全支出",
    "205": "教育支出", "206": "科学技术支出", "207": "文化旅游体育与传媒支出",
    "208": "社会保障和就业支出", "209": "社会保险基金支出", "210": "卫生健康支出",
    "211": "节能环保支出", "212": "城乡社区支出", "213": "农林水支出", "214": "交通运输支出",
    "215": "资源勘探工业信息等支出", "216": "商业服务业等支出", "217": "金融支出",
    "219": "援助其他地区支出", "220": "自然资源海洋气象等支出", "221": "住房保障支出",
    "222": "粮油物资储备支出", "223": "国有资本经营预算支出", "224": "灾害防治及应急管理支出",
    "227": "预备费", "229": "其他支出", "230": "转移性支出", "231": "债务还本支出",
    "232": "债务付息支出", "233": "债务发行费用支出", "234": "抗疫特别国债安排的支出",
}
# names a 类 had in earlier editions, still printed by some documents (医疗卫生与计划生育支出 before 2019)
FORMER_FUNCTION_NAMES = {"医疗卫生与计划生育支出": "210", "文化体育与传媒支出": "207", "资源勘探信息等支出": "215",
                         "国土海洋气象等支出": "220"}
FUNCTION_CODE_BY_NAME = {name: code for code, name in FUNCTION_CLASSES.items()} | FORMER_FUNCTION_NAMES

# 部门预算支出经济分类 codes of 公开06表 and their names (2018– editions): what tells apart the
# two halves' names where a converter's text wrapped them (ingest/spaced.py).
ECONOMIC_CLASSES: dict[str, str] = {
    "301": "工资福利支出", "30101": "基本工资", "30102": "津贴补贴", "30103": "奖金", "30106": "伙食补助费",
    "30107": "绩效工资", "30108": "机关事业单位基本养老保险缴费", "30109": "职业年金缴费",
    "30110": "职工基本医疗保险缴费", "30111": "公务员医疗补助缴费", "30112": "其他社会保障缴费",
    "30113": "住房公积金", "30114": "医疗费", "30199": "其他工资福利支出",
    "302": "商品和服务支出", "30201": "办公费", "30202": "印刷费", "30203": "咨询费", "30204": "手续费",
    "30205": "水费", "30206": "电费", "30207": "邮电费", "30208": "取暖费", "30209": "物业管理费",
    "30211": "差旅费", "30212": "因公出国(境)费用", "30213": "维修(护)费", "30214": "租赁费",
    "30215": "会议费", "30216": "培训费", "30217": "公务接待费", "30218": "专用材料费",
    "30224": "被装购置费", "30225": "专用燃料费", "30226": "劳务费", "30227": "委托业务费",
    "30228": "工会经费", "30229": "福利费", "30231": "公务用车运行维护费", "30239": "其他交通费用",
    "30240": "税金及附加费用", "30299": "其他商品和服务支出",
    "303": "对个人和家庭的补助", "30301": "离休费", "30302": "退休费", "30303": "退职(役)费",
    "30304": "抚恤金", "30305": "生活补助", "30306": "救济费", "30307": "医疗费补助", "30308": "助学金",
    "30309": "奖励金", "30310": "个人农业生产补贴", "30311": "代缴社会保险费", "30399": "其他对个人和家庭的补助",
    "310": "资本性支出", "31001": "房屋建筑物购建", "31002": "办公设备购置", "31003": "专用设备购置",
    "31005": "基础设施建设", "31006": "大型修缮", "31007": "信息网络及软件购置更新", "31008": "物资储备",
    "31013": "公务用车购置", "31019": "其他交通工具购置", "31021": "文物和陈列品购置", "31022": "无形资产购置",
    "31099": "其他资本性支出",
    "399": "其他支出", "39906": "赠与", "39907": "国家赔偿费用支出",
    "39908": "对民间非营利组织和群众性自治组织补贴", "39999": "其他支出",
}

LEVELS = {3: "类", 5: "款", 7: "项"}

ENUMERATOR = re.compile(
    r"^(?:其中[:：]?|[一二三四五六七八九十]+[、.．丶，,]|\d{1,2}[、.．丶，,](?!\d)|[(（][一二三四五六七八九十\d]+[)）]、?)\s*"
)
UNIT_SUFFIX = re.compile(r"[(（](?:个|人|辆|台|台、辆|台、套|台\(套\)|万元|%)[)）]$")
QUOTES = re.compile(r"[“”\"'‘’「」]")
BOOK_MARKS = re.compile(r"[《》〈〉]")


def flat(text: str) -> str:
    """Text as patterns see it: NFKC (（）→ ()), no spaces, no quotes."""
    return QUOTES.sub("", re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or "")))


def department_key(name: str | None) -> str:
    """A department's name as names are compared (编制单位 against the report, a heading,
    last year's report): NFKC, no spaces, a leading 原 (renamed since) and a trailing 部门 or
    本级 (部门决算 vs 本级决算 of the same body) left out."""
    s = re.sub(r"\s+", "", unicodedata.normalize("NFKC", name or ""))
    return re.sub(r"(部门|本级)$", "", re.sub(r"^原", "", s))


def label_key(text: str) -> str:
    """A row label reduced to what identifies it: no spaces, quotes, enumerators
    (一、 1. （1） 其中：, and 十一丶 十一， as OCR and hasty typing leave 、) or trailing unit notes
    such as （个）."""
    s = re.sub(r"\s+", "", text)
    s = QUOTES.sub("", s)
    while True:
        t = ENUMERATOR.sub("", s)
        if t == s:
            break
        s = t
    s = UNIT_SUFFIX.sub("", s)
    return s.replace("（", "(").replace("）", ")")


def title_key(text: str) -> str:
    """A title reduced for exact comparison: no spaces, quotes or book-title marks (新疆 prints
    九、《国有资本经营预算财政拨款收入支出决算表》)."""
    return BOOK_MARKS.sub("", QUOTES.sub("", re.sub(r"\s+", "", text)))


@dataclass(frozen=True)
class RowLabel:
    """A labelled row: a pattern on `label_key` text and the row key it gets.
    `after` names a key that must already have been read (the sub-rows of
    年初结转和结余 repeat the income labels)."""

    pattern: str
    key: str
    after: str | None = None


@dataclass(frozen=True)
class TableSpec:
    """One standard table: how to find it and how its columns and rows are named."""

    code: str
    title: str
    kind: str  # "hierarchy" (function codes), "split" (two halves side by side), "labelled"
    columns: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    column_names: dict[str, str] = field(default_factory=dict)
    # split tables: the label rows of each half and the value columns of each half
    halves: tuple[tuple[str, tuple[str, ...], tuple[RowLabel, ...]], ...] = ()
    split_marker: str = ""
    rows: tuple[RowLabel, ...] = ()  # labelled tables
    variants: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (header keyword, columns)
    function_rows: bool = False  # split tables whose expense half lists function 类 by name
    total_key: str = "total"
    # labelled tables also printed as one unlabelled row: the row keys in printed order, each
    # taking as many cells as the table has columns (the Shanghai “三公” tables)
    wide_order: tuple[str, ...] = ()
    # how a message names a row the table prints no label for (the one-row layout: its column heads)
    row_names: dict[str, str] = field(default_factory=dict)
    required: tuple[str, ...] = ("total",)  # the rows a complete table has (else: partial)
    # the same table printed in another layout (a province's template): (keyword of its printed
    # text, the spec of that layout); the first whose keyword the table prints is read
    layouts: tuple[tuple[str, TableSpec], ...] = ()
    # grouped tables (two label columns, group | item): each group's label and its items' labels
    groups: tuple[tuple[RowLabel, tuple[RowLabel, ...]], ...] = ()
    # levelled tables: the printed text columns, in order, and the level a row starting in each has
    text_columns: tuple[str, ...] = ()
    text_levels: tuple[int, ...] = ()

    @property
    def titles(self) -> tuple[str, ...]:
        return (self.title, *self.aliases)


_T01_INCOME = (
    RowLabel("一般公共预算财政拨款(收入)?", "inc_general"),
    RowLabel("政府性基金预算财政拨款(收入)?", "inc_gov_fund"),
    RowLabel("国有资本经营预算财政拨款(收入)?", "inc_soe"),
    RowLabel("上级补助收入", "inc_superior"),
    RowLabel("事业收入", "inc_institution"),
    RowLabel("经营收入", "inc_operating"),
    RowLabel("附属单位上缴收入", "inc_affiliated"),
    RowLabel("其他收入", "inc_other"),
    RowLabel("本年收入合计", "income_total"),
    RowLabel("使用非财政拨款结余.*|用事业基金弥补收支差额", "use_nonfiscal_balance"),
    RowLabel("年初结转和结余", "opening_balance"),
    RowLabel("总计", "income_grand_total"),
)
_T01_EXPENSE = (
    RowLabel("本年支出合计", "expense_total"),
    RowLabel("结余分配", "surplus_distribution"),
    RowLabel("年末结转和结余", "closing_balance"),
    RowLabel("总计", "expense_grand_total"),
)
_T04_INCOME = (
    RowLabel("一般公共预算财政拨款(收入)?", "inc_general"),
    RowLabel("政府性基金预算财政拨款(收入)?", "inc_gov_fund"),
    RowLabel("国有资本经营预算财政拨款(收入)?", "inc_soe"),
    RowLabel("本年收入合计", "income_total"),
    RowLabel("年初(财政拨款)?结转和结余", "opening_balance"),
    RowLabel("一般公共预算财政拨款(收入)?", "opening_general", after="opening_balance"),
    RowLabel("政府性基金预算财政拨款(收入)?", "opening_gov_fund", after="opening_balance"),
    RowLabel("国有资本经营预算财政拨款(收入)?", "opening_soe", after="opening_balance"),
    RowLabel("总计", "income_grand_total"),
)
_T04_EXPENSE = (
    RowLabel("本年支出合计", "expense_total"),
    RowLabel("年末(财政拨款)?结转和结余", "closing_balance"),
    RowLabel("总计", "expense_grand_total"),
)
_T06_PERSONNEL = (RowLabel("人员经费合计", "personnel_total"),)
_T06_PUBLIC = (RowLabel("公用(经费|支出)合计", "public_total"),)

_T07_ROWS = (
    RowLabel("三公经费(支出)?(合计)?", "total"),
    RowLabel("因公出国\\(境\\)费(用)?", "abroad"),
    RowLabel("公务用车购置及运行(维护)?费", "vehicle"),
    RowLabel("公务用车购置费", "vehicle_purchase"),
    RowLabel("公务用车运行(维护)?费", "vehicle_operation"),
    RowLabel("公务接待费", "reception"),
    RowLabel("国内接待费", "reception_domestic"),
    RowLabel("外事接待费", "reception_foreign"),
    RowLabel("国\\(境\\)外接待费", "reception_abroad"),
    RowLabel("相关统计数", "statistics"),
    RowLabel("因公出国\\(境\\)团组数", "abroad_groups"),
    RowLabel("因公出国\\(境\\)人次", "abroad_people"),
    RowLabel("公务用车购置数", "vehicles_purchased"),
    RowLabel("公务用车保有量", "vehicles_held"),
    RowLabel("国内公务接待批次", "domestic_batches"),
    RowLabel("外事接待批次", "foreign_batches"),
    RowLabel("国内公务接待人次", "domestic_people"),
    RowLabel("外事接待人次", "foreign_people"),
    RowLabel("国\\(境\\)外公务接待批次", "abroad_batches"),
    RowLabel("国\\(境\\)外公务接待人次", "abroad_reception_people"),
)
# Rows that count things (批次, 人次, 辆), never converted between 元 and 万元.
COUNT_ROWS = {
    "T07": {"abroad_groups", "abroad_people", "vehicles_purchased", "vehicles_held", "domestic_batches",
            "foreign_batches", "domestic_people", "foreign_people", "abroad_batches", "abroad_reception_people"},
}
# The Shanghai one-row layout: (预算数, 决算数) pairs in this order.
T07_WIDE_ORDER = ("total", "abroad", "vehicle", "vehicle_purchase", "vehicle_operation", "reception")
# What the column heads of that one row name (the row itself prints no name): how a message says it.
T07_WIDE_NAMES = {"total": "“三公”经费合计", "abroad": "因公出国(境)费", "vehicle": "公务用车购置及运行维护费",
                  "vehicle_purchase": "公务用车购置费", "vehicle_operation": "公务用车运行维护费", "reception": "公务接待费"}

_T10_ROWS = (
    RowLabel("车辆数合计", "vehicles_total"),
    RowLabel("副部\\(省\\)级(及)?以上领导用车", "vehicle_ministerial"),
    RowLabel("主要领导干部用车", "vehicle_leaders"),
    RowLabel("机要通信用车", "vehicle_confidential"),
    RowLabel("应急保障用车", "vehicle_emergency"),
    RowLabel("执法执勤用车", "vehicle_enforcement"),
    RowLabel("特种专业技术用车", "vehicle_special"),
    RowLabel("离退休干部(服务)?用车", "vehicle_retired"),
    RowLabel("其他用车", "vehicle_other"),
    RowLabel("单价50万元\\(含\\)以上通用设备", "equipment_general_50w"),
    RowLabel("单价100万元\\(含\\)以上专用设备", "equipment_special_100w"),
)
COUNT_ROWS["T10"] = {r.key for r in _T10_ROWS}  # 辆, 台（套): every row of 公开10表 counts

# the halves of the side-by-side tables, as their heads name them
SIDE_NAMES = {"income": "收入", "expense": "支出", "personnel": "人员经费", "public": "公用经费", "purpose": "支出用途",
              "project": "项目资金", "annual": "年度资金"}

_HIER_T08 = ("opening", "income", "expense", "basic", "project", "closing")

SPECS: dict[str, TableSpec] = {
    s.code: s
    for s in (
        TableSpec("T01", "收入支出决算总表", "split", ("amount",), aliases=("收入支出决算表",),
                  halves=(("income", ("amount",), _T01_INCOME), ("expense", ("amount",), _T01_EXPENSE)),
                  split_marker="项目", function_rows=True,
                  column_names={"amount": "决算数"}),
        TableSpec("T02", "收入决算表", "hierarchy",
                  ("total", "fiscal", "superior", "institution", "operating", "affiliated", "other"),
                  aliases=("收入决算总表",),
                  column_names={"total": "本年收入合计", "fiscal": "财政拨款收入", "superior": "上级补助收入",
                                "institution": "事业收入", "operating": "经营收入",
                                "affiliated": "附属单位上缴收入", "other": "其他收入"}),
        TableSpec("T03", "支出决算表", "hierarchy",
                  ("total", "basic", "project", "remit", "business", "subsidiary"), aliases=("支出决算总表",),
                  column_names={"total": "本年支出合计", "basic": "基本支出", "project": "项目支出",
                                "remit": "上缴上级支出", "business": "经营支出",
                                "subsidiary": "对附属单位补助支出"}),
        TableSpec("T04", "财政拨款收入支出决算总表", "split", ("amount", "total", "general", "gov_fund", "soe"),
                  aliases=("财政拨款收入支出决算表",),
                  halves=(("income", ("amount",), _T04_INCOME),
                          ("expense", ("total", "general", "gov_fund", "soe"), _T04_EXPENSE)),
                  split_marker="项目", function_rows=True,
                  column_names={"amount": "金额", "total": "合计", "general": "一般公共预算财政拨款",
                                "gov_fund": "政府性基金预算财政拨款", "soe": "国有资本经营预算财政拨款"}),
        TableSpec("T05", "一般公共预算财政拨款支出决算表", "hierarchy", ("total", "basic", "project"),
                  column_names={"total": "合计", "basic": "基本支出", "project": "项目支出"}),
        TableSpec("T06", "一般公共预算财政拨款基本支出决算表", "split", ("amount",),
                  aliases=("一般公共预算财政拨款基本支出决算明细表",),
                  halves=(("personnel", ("amount",), _T06_PERSONNEL), ("public", ("amount",), _T06_PUBLIC)),
                  split_marker="经济分类", column_names={"amount": "决算数"}),
        TableSpec("T07", "一般公共预算财政拨款三公经费支出决算表", "labelled", ("budget", "actual"),
                  aliases=("财政拨款三公经费支出决算表",), rows=_T07_ROWS, wide_order=T07_WIDE_ORDER, row_names=T07_WIDE_NAMES,
                  column_names={"budget": "年初预算数", "actual": "决算数"}),
        TableSpec("T08", "政府性基金预算财政拨款收入支出决算表", "hierarchy", _HIER_T08,
                  column_names={"opening": "年初结转和结余", "income": "本年收入", "expense": "本年支出",
                                "basic": "基本支出", "project": "项目支出", "closing": "年末结转和结余"}),
        TableSpec("T09", "国有资本经营预算财政拨款支出决算表", "hierarchy", ("total", "basic", "project"),
                  aliases=("国有资本经营预算财政拨款收入支出决算表",),
                  variants=(("年初结转", _HIER_T08),),
                  column_names={"total": "合计", "basic": "基本支出", "project": "项目支出",
                                "opening": "年初结转和结余", "income": "本年收入", "expense": "本年支出",
                                "closing": "年末结转和结余"}),
        TableSpec("T10", "国有资产占用情况表", "labelled", ("amount",), rows=_T10_ROWS,
                  column_names={"amount": "决算数"}),
    )
}

OPTIONAL_PART = re.compile(r"(?<!\\)\([^()]*(?<!\\)\)\?")
FIRST_CHOICE = re.compile(r"(?<!\\)\(([^()|]*)\|[^()]*(?<!\\)\)")


def shown_label(pattern: str) -> str:
    """The label a row pattern stands for, as a report prints it: its first choice, its
    optional parts left out ("公用(经费|支出)合计" → 公用经费合计, "因公出国\\(境\\)费(用)?" →
    因公出国(境)费): what a message calls a row the table does not print."""
    s = FIRST_CHOICE.sub(r"\1", OPTIONAL_PART.sub("", pattern)).split("|")[0]
    return s.replace(".*", "").replace("\\", "")


def row_name(code: str, key: str) -> str:
    """A 决算 row's name as the auditor reads it (spec_row_name); a code of no 决算 table names
    the row by its key."""
    spec = SPECS.get(code)
    return spec_row_name(spec, key) if spec is not None else key.split("@")[0]


def spec_row_name(spec: TableSpec, key: str) -> str:
    """A row's name as the auditor reads it, for a row whether printed or not: its label
    (the one-row layout: what its column heads say), a 科目's name by its code, 合计 for
    a table's total; never the internal key (a repeated row, `key@place`, is named as its key)."""
    key = key.split("@")[0]
    names = {k: v for s in (*(s for _, s in spec.layouts), spec) for k, v in s.row_names.items()}
    if key in names:
        return names[key]
    labels = {r.key: r for s in (spec, *(s for _, s in spec.layouts)) for r in spec_labels(s)}
    if key in labels:
        return shown_label(labels[key].pattern)
    if key.isdigit():
        return (ECONOMIC_CLASSES if spec.code in ("T06", "B06") else FUNCTION_CLASSES).get(key, key)
    if key == spec.total_key:
        return "合计"
    side, _, label = key.rpartition(":")  # a label the reader did not know: `side:label as printed`
    return f"{SIDE_NAMES.get(side, side)}（无行名）" if label == "unlabelled" else label


def spec_labels(spec: TableSpec) -> tuple[RowLabel, ...]:
    """Every labelled row of one layout: its rows, its halves' and its groups' items."""
    return (*spec.rows, *(r for _, _, rows in spec.halves for r in rows), *(r for _, items in spec.groups for r in items))


def spec_row_keys(spec: TableSpec) -> set[str]:
    """The labelled row keys of a table in any of its layouts."""
    return {r.key for s in (spec, *(s for _, s in spec.layouts)) for r in spec_labels(s)} | {spec.total_key}


def spec_column_keys(spec: TableSpec) -> set[str]:
    """Every value column a table may have (its variants' and its layouts' too)."""
    return {c for s in (spec, *(s for _, s in spec.layouts)) for c in (*s.columns, *(c for _, cols in s.variants for c in cols))}


def row_keys(code: str, spec: TableSpec | None = None) -> set[str]:
    """The labelled row keys of a table (codes such as 2080505 or 301 are rows too); `spec`
    for a table of another kind (a budget's B…)."""
    return spec_row_keys(spec or SPECS[code]) | COUNT_ROWS.get(code, set())


def column_keys(code: str, spec: TableSpec | None = None) -> set[str]:
    """Every value column a table may have (its variants' and layouts' too); `spec` as for row_keys."""
    return spec_column_keys(spec or SPECS[code])


TITLE_INDEX: dict[str, str] = {title_key(t): s.code for s in SPECS.values() for t in s.titles}

# Tables other provinces print besides, or instead of, some of the ten, by title (found probing
# public 2022–2024 决算 pages): each heads its own lines, so that its rows are read into none of
# the ten — 浙江 prints 收入决算表 and 支出决算表 twice, 分单位 (rows of units, no 科目) before
# 分科目 (the table of the ten); 云南 prints its 一般公共预算财政拨款收入支出决算表 (opening,
# income, expense and closing balances) where 公开05表 stands, a 项目支出决算表 after 公开06表 and
# its 三公 tables with 机关运行经费 where 公开07表 stands; 四川 a 财政拨款支出决算明细表 and an
# 一般公共预算财政拨款支出决算明细表 (rows of 经济分类 codes, which 公开05表 above would take in); 陕西
# its 三公 table with 会议费 and 培训费 where 公开07表 stands.  Their
# columns are not known well enough to read them: they are listed, never checked (a profile may
# require them: rules/profiles).
OTHER_TITLES = ("收入决算表(分单位)", "支出决算表(分单位)", "一般公共预算财政拨款收入支出决算表",
                "一般公共预算财政拨款项目支出决算表", "财政拨款三公经费、行政参公单位机关运行经费情况表",
                "三公经费、行政参公单位机关运行经费情况表", "一般公共预算财政拨款三公经费情况表",
                "财政拨款支出决算明细表", "一般公共预算财政拨款支出决算明细表", "国有资产使用情况表",
                "一般公共预算财政拨款三公经费及会议费、培训费支出决算表", "财政拨款三公经费及会议费、培训费支出决算表")
