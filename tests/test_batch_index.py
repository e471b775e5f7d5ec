"""The batch index (issue 29) from a warehouse written as the batch writes it, without the
notebooks: a generated department checked whole, with its working paper; the converter's text
whose 公开02/03/04/07/09表 cannot be read, without one; two truncated PDFs that fail, one
named by its params file, one by its Chinese-named folder.  What the auditor sees in index.html: the names, 文件类型, 全部核对 with the
tables named, the Excel link where the file exists, the failure's Chinese reason, the filter
bar, and no internal key or English status.  Seconds: no notebook runs."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from auditlib.batch import warehouse
from auditlib.batch.index import write_index
from auditlib.batch.jobs import discover, failure_reason
from auditlib.ingest import read_report
from auditlib.report.xlsx import WORKING_PAPER, xlsx_bytes
from auditlib.rules import check
from auditlib.rules.catalog import load_catalog
from tests import synth
from tests.test_browser import probed
from tests.test_user_words import FORBIDDEN, WORD, visible

# one worker runs all its tests (--dist loadgroup), so its module fixtures are made once, not
# once on each worker that runs some of them (the warehouse of its departments, ~33 s at load 8 on 2 cores)
pytestmark = pytest.mark.xdist_group("batch-index")

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_PDF = ROOT / "tests" / "fixtures" / "nanchang-bigdata-2021.chromium.pdf"
CONVERTED = ROOT / "tests" / "fixtures" / "converted" / "synth-000011.blankzero.plumber.txt"
# what the index must not show beside the model's keys: table codes and the warehouse's statuses
INTERNAL = FORBIDDEN | {f"T{i:02d}" for i in range(1, 11)} | {"META", "NARR", "PERF", "ok", "failed"}


class Rows(HTMLParser):
    """The text of each cell of each row of the table with id `table`, and every link (href)."""

    def __init__(self, table: str) -> None:
        super().__init__()
        self.table, self.inside, self.rows, self.links = table, False, [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table":
            self.inside = a.get("id") == self.table
        elif self.inside and tag == "tr":
            self.rows.append([])
        elif self.inside and tag == "td":
            self.rows[-1].append("")
        if tag == "a":
            self.links.append(a["href"])

    def handle_endtag(self, tag):
        if tag == "table":
            self.inside = False

    def handle_data(self, data):
        if self.inside and self.rows and self.rows[-1]:
            self.rows[-1][-1] += data


def table_rows(page: str, table: str) -> tuple[dict[str, list[str]], list[str]]:
    """{the row's 文件编号 (of a department·year: its 决算's, else its 预算's link text; of a
    failure: its own cell): its cells' text} and the page's links."""
    p = Rows(table)
    p.feed(page)
    rows = [[" ".join(c.split()) for c in r] for r in p.rows if r]
    if table != "departments":
        return {r[1].split()[0]: r for r in rows}, p.links
    return {(r[3] or r[4]).split()[0]: r for r in rows}, p.links


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    """DIR/index.html of the three departments; (DIR, page)."""
    base = tmp_path_factory.mktemp("index")
    inputs, out = base / "inputs", base / "out"
    (inputs / "上海市某某局").mkdir(parents=True)
    synth.generate(1000, department="临川市第0样本局", year=2022).write(inputs / "whole.txt")
    (inputs / "converted.txt").write_bytes(CONVERTED.read_bytes())
    data = CHROMIUM_PDF.read_bytes()
    (inputs / "上海市某某局" / "doc.pdf").write_bytes(data[: len(data) // 2])  # named after its folder
    (base / "elsewhere").mkdir()
    (base / "elsewhere" / "doc.pdf").write_bytes(data[: len(data) // 3])  # named by its params file
    (inputs / "broken.yaml").write_text(f"source: {base / 'elsewhere' / 'doc.pdf'}\nslug: broken\n"
                                        "department: 上海市普陀区某某局\n", encoding="utf-8")
    pending = warehouse.Pending(batch_id="b", version="v")
    for job in discover([inputs], out):
        try:
            result = check(read_report(job.source))
        except Exception as exc:  # the truncated PDF: failed as the batch fails it
            pending.failure(job, failure_reason(exc, "read"))
            continue
        pending.success(job, result, [], [])
        if job.slug == "whole":
            (out / job.slug).mkdir(parents=True)
            (out / job.slug / WORKING_PAPER).write_bytes(xlsx_bytes(result))
    warehouse.write(out, pending)
    return out, write_index(out).read_text(encoding="utf-8")


def test_each_department_is_named_with_its_kind_and_whether_it_was_fully_checked(index):
    _, page = index
    rows, _ = table_rows(page, "departments")
    assert set(rows) == {"whole", "converted"}
    whole, converted = rows["whole"], rows["converted"]
    assert whole[:3] == ["临川市第0样本局", "2022", "决算"] and whole[4] == "" and whole[5] == "是"  # no 预算
    assert converted[:3] == ["南浦市文化广电旅游局", "2021", "决算"]
    assert converted[5] == "否：未能读取 公开03表"
    assert "注意：1 个部门未完整审核" in page and "：南浦市文化广电旅游局</p>" in page
    # the filter bar: 全部核对 and 文件类型 by the columns they filter
    assert re.search(r'全部核对 <select data-col="5"><option value="">全部</option><option value="是">是</option>'
                     r'<option value="否">否</option></select>', page)
    assert ('文件类型 <select data-col="2" data-contains="1"><option value="">全部</option>'
            '<option value="决算">决算</option></select>') in page


def test_the_working_paper_is_linked_where_its_file_exists(index):
    out, page = index
    rows, links = table_rows(page, "departments")
    assert rows["whole"][3] == "whole 审计工作底稿 6/3/0" and re.fullmatch(r"converted \d+/\d+/\d+", rows["converted"][3])
    papers = [link for link in links if link.endswith(".xlsx")]
    assert papers == [f"whole/{WORKING_PAPER}"] and (out / papers[0]).is_file()
    assert {"whole/report.html", "converted/report.html"} <= set(links)


def test_a_failed_department_is_named_and_says_why_in_chinese(index):
    _, page = index
    rows, _ = table_rows(page, "failures")
    assert set(rows) == {"broken", "上海市某某局"}
    assert rows["broken"][:4] == ["上海市普陀区某某局 （名称取自参数文件）", "broken", "决算", "否（审核失败）"]
    assert rows["上海市某某局"][:4] == ["上海市某某局 （名称取自文件名）", "上海市某某局", "决算", "否（审核失败）"]
    for slug, folder in (("broken", "elsewhere"), ("上海市某某局", "上海市某某局")):
        source, reason = rows[slug][4:]
        assert source.endswith(f"{folder}/doc.pdf")
        assert reason.startswith(f"{source}: PDF 文件不完整或已损坏（truncated or corrupt PDF")


def index_leaks(page: str, allowed: set[str]) -> list[str]:
    """The internal words in what a person reads of an index (text and tooltips) once the
    `allowed` ones (slugs, input paths) and the rule ids (READ.table) are taken out."""
    text = visible(page)
    for word in sorted(allowed | {r.id for r in load_catalog()}, key=len, reverse=True):
        text = text.replace(word, " ")
    return sorted({w for w in WORD.findall(text) if w in INTERNAL})


def test_no_internal_key_or_english_status_in_the_index(index):
    """No row or column key, table code, reading status, severity or document status."""
    out, page = index
    assert index_leaks(page, {"whole", "converted", "broken", str(out.parent)}) == []
    assert index_leaks("<p>公开07表 T07 ok parsed</p>", set()) == ["T07", "ok", "parsed"]  # the scan sees them


# Runs after the index's own script: filters and sorts as an auditor clicks, and leaves what is
# shown in <body data-probe> for --dump-dom (reads the page, writes no HTML).
PROBE = """<script>
(function(){
  var t=document.getElementById('departments'),bar=document.querySelector('[data-filter-for=departments]'),res={};
  function shown(){return Array.prototype.filter.call(t.tBodies[0].rows,function(r){return r.style.display!=='none';})
    .map(function(r){return r.cells[0].textContent;});}
  function set(el,v,ev){el.value=v;el.dispatchEvent(new Event(ev));}
  var checked=bar.querySelector('select[data-col="5"]'),q=bar.querySelector('input');
  res.all=bar.querySelector('.al-count').textContent;
  set(checked,'否','change'); res.no=shown(); res.count=bar.querySelector('.al-count').textContent;
  set(checked,'是','change'); res.yes=shown(); set(checked,'','change');
  set(q,'临川','input'); res.search=shown(); set(q,'','input');
  var th=t.tHead.rows[0].cells[5]; th.click(); res.asc=shown(); th.click(); res.desc=shown();
  document.body.setAttribute('data-probe',JSON.stringify(res));
})();
</script>"""


def test_the_index_filters_and_sorts_by_fully_checked_in_a_browser(index, tmp_path):
    """Headless Chromium: the filter bar keeps the departments 全部核对 否 (or 是, or those the
    search finds) and the 全部核对 header sorts, by the index's own script."""
    out, page = index
    assert probed(page, PROBE, out, tmp_path / "profile") == {"all": "显示 2 / 2 个部门", "no": ["南浦市文化广电旅游局"], "count": "显示 1 / 2 个部门",
                   "yes": ["临川市第0样本局"], "search": ["临川市第0样本局"],
                   "asc": ["南浦市文化广电旅游局", "临川市第0样本局"], "desc": ["临川市第0样本局", "南浦市文化广电旅游局"]}
