"""`auditlib annotate` marks every finding that has a place, each on the right cell or sentence
(issue 29).

Checked on the three Shanghai PDFs (../shared/corpus) and on the rendering matrix
(tests/fixtures/matrix, made by tools/render_matrix.py: the bundled sample printed by Calc,
Writer, Chromium and blank-for-zero, two generated reports) by reading the annotated copy back:
pikepdf gives each highlight's quadrilaterals and note, PDFium the text printed under each
quadrilateral, which must be

* for a finding that quotes printed text (a narrative or performance claim, a template line
  kept): exactly the quoted text — and a narrative claim's figure is among its numbers;
* for a table finding: a figure that is the value of one of the cells it compares;
* otherwise the text value it names or the last word of its location (an indicator's row, a
  section heading).

Every finding with a page is annotated (one highlight per page it is printed on); only
document-wide ones (META, no page) are not, and the CLI says so in Chinese.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest

from auditlib.cli import main
from auditlib.ingest import read_report
from auditlib.report import evidence
from auditlib.report.html import claims_view
from auditlib.report.places import squash
from auditlib.rules import check
from tests.conftest import CORPUS, ROOT

MATRIX = ROOT / "tests" / "fixtures" / "matrix"
SHANGHAI = [CORPUS / name / "doc.pdf" for name in
            ("shanghai-putuo-planning-2024", "shanghai-putuo-socialwork-2024", "shanghai-template-2024")]
# every producer of the sample (table, narrative and performance findings); a generated report
# where a section's heading ends the page before its text (synth-000012 by Writer); and the
# sample with another department's name on 公开06表 (tests/test_evidence.py)
MATRIX_PDFS = [MATRIX / f"nanchang-bigdata-2021.{p}.pdf" for p in ("calc", "writer", "chromium", "blankzero")] + [
    MATRIX / "synth-000012.writer.pdf"]
PDFS = SHANGHAI + MATRIX_PDFS + [ROOT / "tests" / "fixtures" / "nanchang-bigdata-2021.chromium.pdf"]
NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?")


def _id(path: Path) -> str:
    return path.parent.name if path.name == "doc.pdf" else f"{path.parent.name}/{path.stem}"


@pytest.fixture(scope="module")
def annotated(tmp_path_factory):
    """path → (check result, annotated copy, what annotate reports): one read per PDF."""
    done: dict[Path, tuple] = {}

    def get(path: Path):
        if path not in done:
            result = check(read_report(path))
            out = tmp_path_factory.mktemp("annotated") / "annotated.pdf"
            done[path] = (result, out, evidence.annotate(result, out))
        return done[path]
    return get


def _highlights(out: Path) -> list[tuple[str, int, str, list[str]]]:
    """(finding key, page, note, text under each quadrilateral) of every highlight of `out`."""
    found = []
    doc = pdfium.PdfDocument(str(out))
    with pikepdf.open(out) as pdf:
        for n, page in enumerate(pdf.pages, start=1):
            textpage = doc[n - 1].get_textpage()
            for a in page.obj.get("/Annots", []):
                if a.get("/Subtype") != "/Highlight":
                    continue
                q = [float(v) for v in a.QuadPoints]
                under = [textpage.get_text_bounded(q[i + 4], q[i + 5], q[i + 2], q[i + 3]) for i in range(0, len(q), 8)]
                found.append((str(a.NM).rsplit("|p", 1)[0], n, str(a.Contents), under))
    doc.close()
    return found


def _figures(text: str) -> list[float]:
    return [float(m.replace(",", "")) for m in NUMBER.findall(text)]


def _on_sentence(f, under: str) -> bool:
    """The highlighted text is the whole text the message quotes (`…：“text”`)."""
    return bool(under) and squash(f.message).endswith(squash("：“") + under + "”")


def _on_cells(f, quads: list[str]) -> bool:
    """Every highlighted quadrilateral holds one figure, the value of a cell the finding compares."""
    values = {round(float(c["value"]), 2) for c in f.cells if c.get("value") is not None}
    return all(len(_figures(q)) == 1 and round(_figures(q)[0], 2) in values for q in quads)


def _on_label(f, under: str) -> bool:
    """The highlighted text is the text value the finding names or its location's last word."""
    named = [str(f.actual)] if isinstance(f.actual, str) else []
    return under in {squash(t) for t in named + (f.location or "").split()[-1:]}


@pytest.mark.parametrize("path", PDFS, ids=_id)
def test_every_finding_with_a_place_is_annotated_once_per_page(annotated, path):
    result, out, marked = annotated(path)
    highlights = _highlights(out)
    placed = {f.key for f in result.findings if f.page or any(c.get("box") for c in f.cells)}
    assert {key for key, *_ in highlights} == placed
    assert marked.findings == len(placed) and marked.annotations == len(highlights)
    assert len({(key, page) for key, page, *_ in highlights}) == len(highlights)  # one per finding and page
    # only document-wide findings have no place, and those are named so
    assert all(f.page is None and not f.cells for f in result.findings if f.key not in placed)
    assert marked.total == len(result.findings) and dict(marked.unplaced) == (
        {"涉及整份文件，没有页码": len(result.findings) - len(placed)} if len(placed) < len(result.findings) else {})


@pytest.mark.parametrize("path", PDFS, ids=_id)
def test_each_annotation_sits_on_its_sentence_or_cells(annotated, path):
    result, out, _ = annotated(path)
    by_key = {f.key: f for f in result.findings}
    quads: dict[str, list[str]] = {}
    for key, _page, note, under in _highlights(out):
        assert by_key[key].message in note and note.startswith(("【错误】", "【警告】", "【信息】"))
        quads.setdefault(key, []).extend(under)
    wrong = []
    for key, texts in quads.items():
        f, under = by_key[key], squash("".join(texts))
        if f.id.startswith("NARR."):  # a narrative claim's finding on its sentence, the claim's figure in it
            ok = _on_sentence(f, under) and (not isinstance(f.actual, float) or
                                             any(abs(v - f.actual) < 0.005 for v in _figures(under)))
        else:
            ok = _on_sentence(f, under) or (f.cells and _on_cells(f, texts)) or _on_label(f, under)
        if not ok:
            wrong.append((f.id, f.message[:60], texts))
    assert wrong == []


def test_the_shanghai_counts_and_what_the_cli_says(tmp_path, capsys):
    # 普陀区规划和自然资源局: 10 findings, 8 with a page (its two narrative errors, p.24, among
    # them); the two META findings (the tables' title names another department; no 公开10表)
    # concern the whole document
    out = tmp_path / "planning.annotated.pdf"
    assert main(["annotate", str(SHANGHAI[0]), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "10 条审核发现中 8 条已标注（8 处标注）；其余 2 条未标注：2 条涉及整份文件，没有页码" in err
    narrative = [(page, under) for key, page, _n, under in _highlights(out) if key.startswith("NARR.amount")]
    assert (24, ["一般公共预算财政拨款基本支出 5377.64 万元。"]) in narrative


def test_a_sentence_cut_by_the_page_break_is_marked_on_both_pages(annotated):
    # Writer prints the 自评表 row 减少网络分散重复建设率 over the break of p.34/35
    result, out, _ = annotated(MATRIX / "nanchang-bigdata-2021.writer.pdf")
    marks = [(page, squash("".join(under))) for key, page, _n, under in _highlights(out) if key.startswith("PERF.reason")]
    assert marks == [(34, "减少网络分散"), (35, "重复建设率")]


@pytest.mark.parametrize("path", [SHANGHAI[0], MATRIX / "synth-000012.writer.pdf",
                                  MATRIX / "nanchang-bigdata-2021.writer.pdf"], ids=_id)
def test_side_by_side_halves_keep_their_own_boxes(annotated, path):
    # 总计 (and 合计) printed on both halves of 公开01表 / 公开04表: each half's cells are boxed
    # on its own side of the page
    report = annotated(path)[0].report
    for code in ("T01", "T04"):
        t = report.tables[code]
        side = t.data["side"].to_dict()
        for page in {b[0] for b in t.boxes.values()}:
            income = [b for (key, _c), b in t.boxes.items() if b[0] == page and side.get(key) == "income"]
            expense = [b for (key, _c), b in t.boxes.items() if b[0] == page and side.get(key) == "expense"]
            if income and expense:
                assert max(b[3] for b in income) <= min(b[1] for b in expense) + 0.5, (code, page)


def test_the_expense_total_check_marks_the_expense_side(annotated, tmp_path):
    # a wrong 支出 总计 planted in 公开01表 of the Shanghai planning report (p.7, where both
    # halves print 总计 9,859.38): its cell is the 总计 right of the 支出 half's label, and so
    # is its highlight
    result, _out, _ = annotated(SHANGHAI[0])
    report = copy.deepcopy(result.report)
    report.tables["T01"].data.at["expense_grand_total", "amount"] += 1
    f = next(f for f in check(report).findings if any(c["row"] == "expense_grand_total" for c in f.cells))
    box = next(c["box"] for c in f.cells if c["row"] == "expense_grand_total")
    income_label, expense_label = _positions(SHANGHAI[0], 7, "总计")
    assert box[0] == 7 and box[1] > expense_label > income_label
    out = tmp_path / "planted.pdf"
    evidence.annotate(type(result)(report, [f], 1), out)
    (_key, page, _n, under), = _highlights(out)
    with pikepdf.open(out) as pdf:
        q = [float(v) for v in pdf.pages[page - 1].obj.Annots[0].QuadPoints]
    lefts = {round(x, 1) for x in q[0::8]}
    assert page == 7 and round(box[1], 1) in lefts and [_figures(q) for q in under] == [[9859.38]]


def _positions(path: Path, page: int, text: str) -> list[float]:
    """The left x of each occurrence of `text` on `page` (PDFium's own search), left to right."""
    doc = pdfium.PdfDocument(str(path))
    textpage = doc[page - 1].get_textpage()
    searcher = textpage.search(text)
    out = []
    while (hit := searcher.get_next()) is not None:
        out.append(textpage.get_charbox(hit[0])[0])
    doc.close()
    return sorted(out)


def test_a_narrative_finding_gets_a_crop_of_its_sentence(annotated):
    result, _out, _ = annotated(SHANGHAI[0])
    f = next(f for f in result.findings if f.id == "NARR.amount" and "5377.64" in f.message)
    (page, uri), = evidence.crops(result.report, f)
    assert page == 24 and uri.startswith("data:image/jpeg;base64,")
    # the cell it compares (公开05表 合计 基本支出 5,364.75) keeps its box in the JSON, as a table finding's do
    (cell,) = f.cells
    assert (cell["table"], cell["value"], cell["box"][0]) == ("T05", 5364.75, cell["page"])
    # the report's 情况说明 section shows each narrative finding with its crop (6 with a place)
    assert claims_view(result).html.count('class="al-crop"') == sum("NARR" in g.tables for g in result.findings) == 6


def test_a_wrong_department_name_is_marked_where_it_is_printed(annotated):
    # the sample's 公开06表 printed with another department's name (南阳市大禹街道办事处, p.6)
    _result, out, _ = annotated(PDFS[-1])
    marks = [(page, squash("".join(under))) for key, page, _n, under in _highlights(out)
             if key.startswith("META.department")]
    assert marks == [(6, "南阳市大禹街道办事处")]


def test_a_finding_whose_text_its_page_does_not_print_is_left_unmarked_and_said_so(annotated, tmp_path):
    # the 5377.64 sentence (p.24) told to be on the cover page, without its cells
    result, _out, _ = annotated(SHANGHAI[0])
    f = copy.copy(next(f for f in result.findings if f.id == "NARR.amount" and "5377.64" in f.message))
    f.page, f.cells = 1, []
    marked = evidence.annotate(type(result)(result.report, [f], 1), tmp_path / "moved.pdf")
    assert str(marked) == "1 条审核发现中 0 条已标注（0 处标注）；其余 1 条未标注：1 条所在页上找不到其所述文字或单元格"
    assert _highlights(tmp_path / "moved.pdf") == []
