"""The batch index of 部门决算 and 部门预算 together (issue 30), from a warehouse written as the
batch writes it, without the notebooks: a department's 决算 and 预算 of one year on one row, side
by side, each with its report and its 错误/警告/信息; a budget alone on its own row with its unread
tables named as it prints them; the 文件类型 filter offering each kind and keeping the rows that
hold it; the warehouse's documents carrying 文件类型 and its tables a budget's printed names.

The pair is the real Shanghai budget of 万里街道 2024 and a generated 决算 of the same department
and year (the corpus holds no 决算 of a budgeted department); the single budget is Jiangsu's
高级人民法院 2018, whose 收支预算总表, 收入预算总表 and 政府采购预算表 are not read yet
(tests/test_budget_reading.py).  Seconds: two budgets read, no notebook."""

from __future__ import annotations

import re

import duckdb
import pytest

from auditlib.batch import warehouse
from auditlib.batch.index import write_index
from auditlib.batch.jobs import discover
from auditlib.ingest import read_report
from auditlib.rules import check
from tests import synth
from tests.conftest import CORPUS
from tests.test_batch_index import index_leaks, table_rows
from tests.test_browser import probed

# one worker runs all its tests (--dist loadgroup), so its module fixtures are made once, not
# once on each worker that runs some of them (the warehouse of two budget PDFs and a 决算, ~13 s at load 8 on 2 cores)
pytestmark = pytest.mark.xdist_group("index-kinds")

BUDGETS = CORPUS / "budgets"
WANLI = "上海市普陀区人民政府万里街道办事处"


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    """DIR/index.html of the pair and the single budget; (DIR, page)."""
    base = tmp_path_factory.mktemp("kinds")
    inputs, out = base / "inputs", base / "out"
    inputs.mkdir()
    out.mkdir()
    synth.generate(1000, department=WANLI, year=2024).write(inputs / "wanli-2024-juesuan.txt")
    for slug, folder in (("wanli-2024-yusuan", "sh-pt-wanli-2024-yusuan"), ("gaoyuan-2018-yusuan", "js-gaoyuan-2018-yusuan")):
        (inputs / f"{slug}.yaml").write_text(f"source: {BUDGETS / folder / 'doc.pdf'}\nslug: {slug}\n", encoding="utf-8")
    pending = warehouse.Pending(batch_id="b", version="v")
    for job in discover([inputs], out):
        pending.success(job, check(read_report(job.source)), [], [])
    warehouse.write(out, pending)
    return out, write_index(out).read_text(encoding="utf-8")


def test_a_departments_budget_and_final_accounts_of_one_year_are_side_by_side(index):
    _, page = index
    rows, links = table_rows(page, "departments")
    assert re.search(r"<th>部门</th><th class=\"num\">年度</th><th>文件类型</th><th>决算</th><th>预算</th>"
                     r"<th>全部核对</th>", page)
    pair = rows["wanli-2024-juesuan"]
    assert pair[:6] == [WANLI, "2024", "决算、预算", "wanli-2024-juesuan 11/2/0", "wanli-2024-yusuan 2/0/1",
                        "是"]
    assert pair[6:10] == ["13", "2", "1", "0"]  # 错误 警告 信息 跨年度 of the two documents
    assert {"wanli-2024-juesuan/report.html", "wanli-2024-yusuan/report.html"} <= set(links)
    assert "<h1>部门决算、预算 批量审核</h1>" in page and "已审核 <b>3</b> 份文件（2 个部门·年度）" in page


def test_a_budget_alone_is_shown_with_its_tables_named_as_printed(index):
    _, page = index
    rows, _ = table_rows(page, "departments")
    alone = rows["gaoyuan-2018-yusuan"]
    assert alone[:6] == ["江苏省高级人民法院", "2018", "预算", "", "gaoyuan-2018-yusuan 1/0/1", "是"]
    # each table a column, a budget's by the name its documents print; no B01 on the page
    head = re.search(r"<thead>(.*?)</thead>", page).group(1)
    assert "<th class=\"num\">“三公”经费、会议费、培训费支出预算表</th>" in head and "<th class=\"num\">情况说明</th>" in head
    assert index_leaks(page, {"wanli", "gaoyuan"}) == []
    assert not re.search(r"\bB\d\d\b", re.sub(r"<[^>]+>", " ", page))


# Runs after the index's own script: picks each 文件类型 and leaves the departments shown in
# <body data-probe> for --dump-dom.
PROBE = """<script>
(function(){
  var t=document.getElementById('departments'),kind=document.querySelector('select[data-col="2"]'),res={};
  function shown(){return Array.prototype.filter.call(t.tBodies[0].rows,function(r){return r.style.display!=='none';})
    .map(function(r){return r.cells[0].textContent;});}
  ['决算','预算',''].forEach(function(v){kind.value=v;kind.dispatchEvent(new Event('change'));res[v||'全部']=shown();});
  document.body.setAttribute('data-probe',JSON.stringify(res));
})();
</script>"""


def test_the_kind_filter_offers_each_kind_and_keeps_the_rows_holding_it_in_a_browser(index, tmp_path):
    """Headless Chromium: 预算 keeps the pair's row (决算、预算) and the budget alone, 决算 the pair."""
    out, page = index
    assert ('文件类型 <select data-col="2" data-contains="1"><option value="">全部</option>'
            '<option value="决算">决算</option><option value="预算">预算</option></select>') in page
    assert probed(page, PROBE, out, tmp_path / "profile") == {
        "决算": [WANLI], "预算": [WANLI, "江苏省高级人民法院"], "全部": [WANLI, "江苏省高级人民法院"]}


def test_the_warehouse_carries_the_kind_and_a_budgets_printed_table_names(index):
    out, _ = index
    con = duckdb.connect(str(out / warehouse.FILE), read_only=True)
    try:
        kinds = dict(con.execute("SELECT document, kind FROM documents").fetchall())
        names = dict(con.execute("SELECT table_code, name FROM tables WHERE document = 'wanli-2024-yusuan' "
                                 "AND status <> 'missing'").fetchall())
        zh = con.execute("SELECT column_zh FROM codebook WHERE object = 'documents' AND column_name = 'kind'").fetchone()
    finally:
        con.close()
    assert kinds == {"wanli-2024-juesuan": "决算", "wanli-2024-yusuan": "预算", "gaoyuan-2018-yusuan": "预算"}
    assert names["B01"] == "部门财务收支预算总表" and names["B07"] == "部门“三公”经费和机关运行经费预算表"
    assert zh == ("文件类型",)
