"""One document in two files (a narrative 文件 and a table booklet 表格): real PDFs of the corpus cut in
two at test time (never committed), read as a pair in either order, must give the one-file read's
tables, amounts, claims and findings, each place in the file and page that prints it."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pytest

from auditlib.cli import main
from auditlib.errors import InputError
from auditlib.ingest import read_report
from auditlib.rules import check
from auditlib.rules.findings import CheckResult
from tests.badpdf import cut

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
# (document, its narrative pages, its table pages), as printed.  gaoyuan-2018's 第三部分 heading
# stands on p16 under the last table's tail: p16 goes in both files, as a 文件 has its own heading.
CUTS = {
    "budget": ("budgets/js-gaoyuan-2018-yusuan/doc.pdf", [*range(1, 9), *range(16, 26)], list(range(9, 17))),
    "final": ("shanghai-putuo-planning-2024/doc.pdf", [*range(1, 7), *range(20, 31)], list(range(7, 20))),
}
PLACE = re.compile(r"(?:文件：\S+ )?第\s*\d+\s*[页行]")
PLACE_KEYS = ("file", "page", "line", "box", "key", "cause", "symptoms", "path", "pages", "files")


@pytest.fixture(scope="module")
def pieces(tmp_path_factory) -> dict[str, tuple[Path, Path, Path]]:
    """For each cut: the whole document, its narrative file and its table file."""
    folder = tmp_path_factory.mktemp("two-files")
    out = {}
    for name, (doc, narrative, tables) in CUTS.items():
        src = CORPUS / doc
        out[name] = (src, cut(src, folder / f"{name}-文件.pdf", narrative), cut(src, folder / f"{name}-表格.pdf", tables))
    return out


# the tests that compare with the one-file read run on one worker, which reads each document once
ON_ONE_WORKER = pytest.mark.xdist_group("two-files-whole")


@lru_cache(maxsize=None)
def checked_whole(path: Path) -> CheckResult:
    """The one-file read of a document, checked: the reference every pair read of it is compared
    with (read once, not once per order of its two files)."""
    return check(read_report(path))


def unplaced(value):
    """A JSON value without its places (file, page, line, box; keys that embed them) and with
    the places its messages name (第9页 / 文件：x.pdf 第1页) blanked."""
    if isinstance(value, dict):
        return {k: unplaced(v) for k, v in value.items() if k not in PLACE_KEYS}
    if isinstance(value, list):
        return [unplaced(v) for v in value]
    return PLACE.sub("第…页", value) if isinstance(value, str) else value


def places(value) -> list[tuple]:
    """Every (file, page, box page) of a JSON value, in order."""
    if isinstance(value, dict):
        own = [(value.get("file"), value["page"], (value.get("box") or [None])[0])] if "page" in value else []
        return own + [p for v in value.values() for p in places(v)]
    if isinstance(value, list):
        return [p for v in value for p in places(v)]
    return []


def mapped(page: int | None, order: list[list[int]]) -> set[tuple]:
    """The (file, page in it) a page of the whole document may be, the files cut as `order`."""
    if page is None:
        return {(None, None)}
    return {(i, pages.index(page) + 1) for i, pages in enumerate(order) if page in pages}


@pytest.mark.parametrize("name", sorted(CUTS))
@pytest.mark.parametrize("tables_first", [False, True])
@ON_ONE_WORKER
def test_pair_reads_as_the_whole(pieces, name, tables_first):
    src, narrative, tables = pieces[name]
    files = [tables, narrative] if tables_first else [narrative, tables]
    order = [CUTS[name][2], CUTS[name][1]] if tables_first else [CUTS[name][1], CUTS[name][2]]
    whole, pair = checked_whole(src), check(read_report(files))
    for code, table in whole.report.tables.items():
        other = pair.report.tables[code]
        assert (table.status, table.title, table.coverage) == (other.status, other.title, other.coverage)
        assert table.data.drop(columns=["line", "page"], errors="ignore").equals(
            other.data.drop(columns=["line", "page"], errors="ignore"))
    assert sum(len(t.amounts()) for t in pair.report.tables.values()) == sum(
        len(t.amounts()) for t in whole.report.tables.values()) > 100
    a, b = whole.to_json(), pair.to_json()
    assert b["document"]["files"] == [str(f) for f in files] and b["document"]["path"] == str(files[0])
    assert "files" not in a["document"]
    for key in ("document", "tables", "findings", "reading_notes", "claims", "summary", "not_run"):
        assert unplaced(a[key]) == unplaced(b[key]), key
    assert len(a["claims"]) > 100 and a["findings"]
    for key in ("tables", "findings", "reading_notes", "claims"):
        for one, two in zip(places(a[key]), places(b[key])):
            assert one[0] is None and (two[0], two[1]) in mapped(one[1], order), (key, one, two)
            if one[2] is not None:
                assert (two[0], two[2]) in mapped(one[2], order), (key, one, two)
    if name == "final":  # the budget's findings on this branch are READ.* alone, on no cell
        cells = [c for f in b["findings"] for c in f["cells"] if c.get("box")]
        assert cells and all(c["file"] == 1 - tables_first and c["box"][0] == c["page"] for c in cells)
        assert {f["file"] for f in b["findings"] if f["tables"] == ["META"] and f["page"]} == {int(tables_first)}


def test_text_pair_numbers_lines_on(tmp_path):
    """Two text files: the second's lines are its own in every place, its file named."""
    text = (CORPUS / "nanchang-bigdata-2021" / "doc.txt").read_text(encoding="utf-8").splitlines(keepends=True)
    at = [i for i, line in enumerate(text) if line.startswith("第三部分")][-1]  # the first is the 目录's
    head, tail = tmp_path / "表格.txt", tmp_path / "文件.txt"
    head.write_text("".join(text[:at]), encoding="utf-8")
    tail.write_text("".join(text[at:]), encoding="utf-8")
    whole, pair = check(read_report(CORPUS / "nanchang-bigdata-2021" / "doc.txt")), check(read_report([head, tail]))
    a, b = whole.to_json(), pair.to_json()
    assert unplaced(a["findings"]) == unplaced(b["findings"]) and unplaced(a["claims"]) == unplaced(b["claims"])
    for key in ("findings", "claims"):
        lines = [(x["file"], x["line"]) for x in b[key] if x["line"]]
        expected = [(0, x["line"]) if x["line"] <= at else (1, x["line"] - at) for x in a[key] if x["line"]]
        assert lines == expected and (1, 5) in expected, key
    assert (0, 318) in [(f["file"], f["line"]) for f in b["findings"]]  # 公开06表 人员经费合计, in the first file


@ON_ONE_WORKER
def test_json_of_one_file_has_no_file_fields(pieces):
    result = checked_whole(pieces["final"][0]).to_json()
    assert "files" not in result["document"]
    assert not any("file" in c for f in result["findings"] for c in f["cells"])
    assert not any("file" in f for f in result["findings"])


@pytest.mark.parametrize("name", sorted(CUTS))
def test_cli_names_the_file(pieces, name, capsys):
    """The text output names each finding's file and page: the narrative findings of either
    document in its 文件 (the budget's 5.95 %, the 决算's sections)."""
    _src, narrative, tables = pieces[name]
    assert main(["check", str(narrative), str(tables), "--format", "text"]) == 1
    out = capsys.readouterr().out
    assert f"PDF：{narrative}、{tables}）" in out
    named = narrative
    assert re.search(f"文件：{re.escape(named.name)} 第 \\d+ 页\n", out)
    assert main(["check", str(narrative), str(tables), "--format", "csv"]) == 1
    head, first = capsys.readouterr().out.splitlines()[:2]
    assert "位置,文件,页,行," in head and f",{named.name}," in first


def test_same_file_twice(pieces, capsys):
    _src, narrative, _tables = pieces["final"]
    assert main(["check", str(narrative), str(narrative)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "同一个文件" in err


def test_missing_second_file(pieces, tmp_path, capsys):
    assert main(["check", str(pieces["final"][1]), str(tmp_path / "表格.pdf")]) == 2
    err = capsys.readouterr()
    assert err.out == "" and err.err.strip() == f"auditlib: {tmp_path / '表格.pdf'}: 文件不存在（no such file）"


def test_files_of_two_departments(pieces, tmp_path, capsys):
    other = cut(CORPUS / "shanghai-putuo-socialwork-2024" / "doc.pdf", tmp_path / "社工部表格.pdf", list(range(5, 17)))
    narrative = pieces["final"][1]
    assert main(["check", str(narrative), str(other)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and str(narrative) in err and str(other) in err
    assert "上海市普陀区规划和自然资源局" in err and "中共上海市普陀区委社会工作部" in err


def test_files_of_two_years(tmp_path):
    narrative = cut(CORPUS / "budgets/sh-pt-wanli-2024-yusuan/doc.pdf", tmp_path / "2024文件.pdf", list(range(1, 10)))
    tables = cut(CORPUS / "budgets/sh-pt-wanli-2025-yusuan/doc.pdf", tmp_path / "2025表格.pdf", list(range(9, 30)))
    with pytest.raises(InputError, match=r"2024文件.pdf 为 .* 2024 年，2025表格.pdf 为 .*万里街道办事处 2025 年"):
        read_report([narrative, tables])


def test_params_file_lists_both(pieces, tmp_path):
    """A params file's `files` (relative to it) reads the pair; a batch takes the folder that holds
    it and both files for one department, and runs it again when either file changes."""
    from auditlib.batch.jobs import discover
    from auditlib.workbench.params import resolve_params
    from auditlib.workbench.results import read_once

    folder = tmp_path / "dept"
    folder.mkdir()
    for src, name in ((pieces["final"][1], "文件.pdf"), (pieces["final"][2], "表格.pdf")):
        (folder / name).write_bytes(src.read_bytes())
    (folder / "规划局.yaml").write_text("files: [文件.pdf, 表格.pdf]\nyear: 2024\n", encoding="utf-8")
    params = resolve_params(folder / "规划局.yaml")
    assert params.inputs == [folder / "文件.pdf", folder / "表格.pdf"] and params.source == folder / "文件.pdf"
    report = read_once(params.document)
    assert [Path(f.path).name for f in report.files] == ["文件.pdf", "表格.pdf"] and report.tables["T01"].status == "parsed"
    jobs = discover([folder], out=tmp_path / "reports")
    assert [(j.slug, j.error) for j in jobs] == [("规划局", None)]
    before = jobs[0].sha256
    (folder / "表格.pdf").write_bytes(pieces["final"][2].read_bytes() + b"\n")
    assert discover([folder], out=tmp_path / "reports")[0].sha256 != before


def test_params_source_must_be_the_first_file(tmp_path):
    from auditlib.errors import SettingsError
    from auditlib.workbench.params import resolve_params

    for name in ("a.pdf", "b.pdf"):
        (tmp_path / name).write_bytes(b"%PDF-1.4\n")
    (tmp_path / "p.yaml").write_text("source: b.pdf\nfiles: [a.pdf, b.pdf]\n", encoding="utf-8")
    with pytest.raises(SettingsError, match=r"p.yaml:1: source 应为 files 中的第一个文件"):
        resolve_params(tmp_path / "p.yaml")
    (tmp_path / "q.yaml").write_text("files: [a.pdf]\n", encoding="utf-8")
    with pytest.raises(SettingsError, match=r"q.yaml:1: files 应为一份文档的各个文件（至少两个）的路径列表"):
        resolve_params(tmp_path / "q.yaml")
    (tmp_path / "r.yaml").write_text("year: 2024\n", encoding="utf-8")
    with pytest.raises(SettingsError, match=r"r.yaml:1: 缺少 “source”（或 “files”"):
        resolve_params(tmp_path / "r.yaml")


def test_annotate_marks_each_file(pieces, tmp_path, capsys):
    """`annotate 文件.pdf 表格.pdf --out DIR`: one annotated copy of each file, every mark where the
    one-file copy has it (page mapped)."""
    import pikepdf

    src, narrative, tables = pieces["final"]
    assert main(["annotate", str(src), "--out", str(tmp_path / "one.pdf")]) == 1
    assert main(["annotate", str(narrative), str(tables), "--out", str(tmp_path)]) == 1
    assert "8 条已标注" in capsys.readouterr().err

    def marks(path: Path, pages: list[int]) -> list[tuple]:
        with pikepdf.open(path) as pdf:
            return [(pages[n], str(a.NM).split("@")[0], [round(float(v), 1) for v in a.Rect])
                    for n, page in enumerate(pdf.pages) for a in page.obj.get("/Annots", [])]

    whole = marks(tmp_path / "one.pdf", list(range(1, 31)))
    pair = (marks(tmp_path / f"{narrative.stem}.annotated.pdf", CUTS["final"][1])
            + marks(tmp_path / f"{tables.stem}.annotated.pdf", CUTS["final"][2]))
    assert len(whole) == 8 and sorted(whole) == sorted(pair)


def test_working_paper_names_the_files(pieces, tmp_path):
    import openpyxl

    _src, narrative, tables = pieces["final"]
    assert main(["check", str(narrative), str(tables), "--format", "xlsx", "--out", str(tmp_path / "底稿.xlsx")]) == 1
    wb = openpyxl.load_workbook(tmp_path / "底稿.xlsx")
    cover = {row[0]: row[1] for row in wb["封面"].iter_rows(values_only=True) if row and row[0]}
    assert cover["输入文件"] == f"{narrative.name}、{tables.name}"
    coverage = {row[0]: row[3] for row in wb["覆盖情况"].iter_rows(values_only=True)}
    assert coverage["公开01表"] == f"文件：{tables.name} 第 1 页" and coverage["公开06表"] == f"文件：{tables.name} 第 10 页"
    findings = [row[4] for row in wb["审核发现"].iter_rows(values_only=True)]
    assert f"文件：{narrative.name} 第 12 页" in findings


def test_no_table_in_either_file(tmp_path):
    src = CORPUS / "shanghai-putuo-planning-2024" / "doc.pdf"
    front, back = cut(src, tmp_path / "前.pdf", list(range(1, 7))), cut(src, tmp_path / "后.pdf", list(range(20, 31)))
    with pytest.raises(InputError, match=f"^{re.escape(str(front))}、{re.escape(str(back))}: 未找到任何决算公开表"):
        read_report([front, back])


def test_text_narrative_with_pdf_tables(pieces, tmp_path):
    """Any mix: the narrative as pdftotext leaves it, the tables as a PDF — the narrative's places
    are lines of the text file, the tables' pages of the PDF."""
    import shutil
    import subprocess

    assert shutil.which("pdftotext"), "pdftotext missing: apt-get install -y poppler-utils (make test does)"
    _src, narrative, tables = pieces["final"]
    text = tmp_path / "文件.txt"
    subprocess.run(["pdftotext", "-layout", str(narrative), str(text)], check=True)
    result = check(read_report([text, tables])).to_json()
    assert result["document"]["files"] == [str(text), str(tables)] and result["document"]["pages"] == 13
    assert result["summary"]["fully_checked"] and result["summary"]["claims"]["found"] > 100
    assert {(c["file"], c["page"]) for c in result["claims"]} == {(0, None)}
    assert {(t["file"], t["line"]) for t in result["tables"] if t["status"] != "missing"} == {(1, None)}
    assert [t["page"] for t in result["tables"]][:6] == [1, 2, 4, 6, 8, 10]


def halves(tmp_path: Path, src: Path) -> tuple[Path, Path]:
    """A text 决算 cut at its narrative's 第三部分 heading: its tables file and its narrative file."""
    text = src.read_text(encoding="utf-8").splitlines(keepends=True)
    at = [i for i, line in enumerate(text) if line.startswith("第三部分")][-1]  # the first is the 目录's
    head, tail = tmp_path / "表格.txt", tmp_path / "文件.txt"
    head.write_text("".join(text[:at]), encoding="utf-8")
    tail.write_text("".join(text[at:]), encoding="utf-8")
    return head, tail


def test_budget_cells_keep_the_budgets_places(tmp_path, capsys):
    """A 决算 in two files paired with its budget: the budget's cells are places of the budget
    file (no 决算 file index, the budget's own lines), the 决算's of their file."""
    import json

    from auditlib.workbench.params import SAMPLE

    budget = Path(__file__).parent / "fixtures" / "pair" / "nanchang-bigdata-2021-yusuan-t07.txt"
    main(["check", str(SAMPLE), "--budget", str(budget), "--format", "json"])
    whole = json.loads(capsys.readouterr().out)
    main(["check", *map(str, halves(tmp_path, SAMPLE)), "--budget", str(budget), "--format", "json"])
    split = json.loads(capsys.readouterr().out)

    def places(result: dict) -> list[tuple]:
        return [(c["document"], c.get("file"), c["line"]) for f in result["findings"] if f["id"] == "PAIR.t07_budget"
                for c in f["cells"]]

    assert [p for p in places(split) if p[0] == "预算"] == [p for p in places(whole) if p[0] == "预算"]
    assert {p[1] for p in places(split) if p[0] == "预算"} == {None}
    assert {p[1] for p in places(split) if p[0] == "决算"} == {0} and len(places(split)) == 4


def test_a_decision_and_its_budget_are_not_one_document(tmp_path, capsys):
    from auditlib.workbench.params import SAMPLE

    budget = Path(__file__).parent / "fixtures" / "pair" / "nanchang-bigdata-2021-yusuan-consistent.txt"
    assert main(["check", str(SAMPLE), str(budget)]) == 2
    err = capsys.readouterr()
    assert err.out == "" and err.err.count("\n") == 1
    assert f"{SAMPLE.name} 为决算，{budget.name} 为预算" in err.err and "--budget" in err.err


def test_two_files_of_one_name_are_named_by_their_paths(tmp_path):
    """Two doc.pdf of the corpus: the error tells them apart."""
    narrative = cut(CORPUS / "budgets/sh-pt-wanli-2024-yusuan/doc.pdf", (tmp_path / "a").mkdir() or tmp_path / "a" / "doc.pdf",
                    list(range(1, 10)))
    tables = cut(CORPUS / "budgets/sh-pt-wanli-2025-yusuan/doc.pdf", (tmp_path / "b").mkdir() or tmp_path / "b" / "doc.pdf",
                 list(range(9, 30)))
    with pytest.raises(InputError, match=f"{re.escape(str(narrative))} 为 .* 2024 年，{re.escape(str(tables))} 为 .* 2025 年"):
        read_report([narrative, tables])
