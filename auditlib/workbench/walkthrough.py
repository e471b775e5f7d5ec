"""The audit notebook as a walkthrough: its parameters (from the cell, or a params YAML), the
document read once, and what each section shows — the summary with what was and was not
checked, one section per table of the document's kind (a 决算's ten, a budget's tables of its
layout, each headed by its printed title; collapsed when it has nothing to say), the narrative
and the performance section.

The notebook's cells stay one line each (`display(*walkthrough.table_sections(audit))`);
what a section shows is decided here, from the report's own views (`auditlib.report.html`), so
the HTML report and the notebook show the same thing.  Each section is a `page.Block`: HTML for
people, a plain-text summary for nbval.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import escape

from auditlib import environment
from auditlib.kinds import spec_of, tables_shown
from auditlib.names import INPUT_ZH, STATUS_ZH, TABLE_NAMES, table_heading, table_name
from auditlib.report import html as render
from auditlib.report.page import Block, assets
from auditlib.workbench.params import resolve_params
from auditlib.workbench.results import load_result
from auditlib.workbench.triage import default_triage_path, read_triage

# the parameters cell's names that a params file can give (notebook_parameters' keys)
PARAMETERS = ("source", "slug", "department", "year", "tolerance", "password", "rules", "check_params",
              "auditor", "reviewer", "budget")


@dataclass
class Audit:
    """One department's audit as the notebook holds it: the checked report, where its
    decisions are kept, and the parameters in force (the cell's over the params file's)."""

    result: object
    how: str
    triage_path: Path
    params: dict = field(default_factory=dict)

    @property
    def triage(self) -> dict[str, dict]:
        """The decisions as saved now (the widgets write the file; every section reads it)."""
        return read_triage(self.triage_path)

    @property
    def auditor(self) -> str:
        """处理人: the params' `auditor`, else the login name."""
        return self.params.get("auditor") or environment.user()

    @property
    def reviewer(self) -> str:
        """复核人: the params' `reviewer` ('' until one is typed in the notebook)."""
        return self.params.get("reviewer") or ""


def params_path(params_file: str | Path) -> Path:
    """A params file as written in the cell: relative to the kernel's folder (notebooks/), or to
    its parent, the project root that holds params/."""
    path = Path(params_file).expanduser()
    root = Path.cwd().parent / path
    return root if not path.is_absolute() and not path.exists() and root.exists() else path


def parameters(params_file: str | Path | None = None, **given) -> dict:
    """The parameters in force: the params file's (read and validated as `auditlib run` reads
    it: a wrong key stops here, at its line), replaced by every value the cell sets (not None)."""
    values = resolve_params(params_path(params_file)).notebook_parameters() if params_file else {}
    unknown = set(given) - set(PARAMETERS)
    if unknown:
        raise TypeError(f"未知的参数：{'、'.join(sorted(unknown))}")
    return values | {k: v for k, v in given.items() if v is not None}


def open_audit(params_file: str | Path | None = None, model_path: str | Path | None = None,
               triage_path: str | Path | None = None, **given) -> Audit:
    """The notebook's audit: the parameters resolved, the document read and checked once (or
    the runner's result taken over), the triage file next to the report unless one is named."""
    p = parameters(params_file, **given)
    result, how = load_result(p.get("source"), p.get("tolerance"), model_path=model_path,
                              password=p.get("password"), rules=p.get("rules"), check_params=p.get("check_params"),
                              budget=p.get("budget"))
    path = Path(triage_path) if triage_path else default_triage_path(result.report.path, p.get("slug"))
    return Audit(result=result, how=how, triage_path=path, params=p)


def describe(audit: Audit) -> str:
    """The first lines the notebook prints: the input, how it was read, tolerance, triage file."""
    r, tol = audit.result.report, audit.params.get("tolerance")
    return (f"输入文件：{'、'.join(Path(f).name for f in r.paths)}（{INPUT_ZH.get(r.input_kind, r.input_kind)}）；{audit.how}\n"
            f"容差：{'按印刷精度（半个末位）' if tol is None else f'{tol} 万元'}；"
            f"处理记录：{len(audit.triage)} 条（{audit.triage_path.name}）；处理人：{audit.auditor or '（未填）'}")


# --------------------------------------------------------------------------- summary


def not_checked(result) -> list[str]:
    """What this audit did not check, one line each: tables not found or not read, readings in
    doubt, rules that could not run, narrative figures left unchecked."""
    report = result.report
    tables = report.tables
    lines = []
    for status in ("missing", "unread"):
        codes = [c for c in tables_shown(report) if c in tables and tables[c].status == status]
        if codes:
            lines.append(f"{STATUS_ZH[status]}的表：{'、'.join(table_name(report, c) for c in codes)}（其审核规则未执行）")
    if result.doubtful:
        lines.append(f"读取存疑的表：{'、'.join(table_name(report, c) for c in result.doubtful)}（须对照原件核对）")
    reasons = Counter(item["reason"] for item in result.not_run)
    lines += [f"未执行的规则 {n} 项：{reason}" for reason, n in sorted(reasons.items())]
    unchecked = result.coverage["found"] - result.coverage["checked"]
    if unchecked:
        lines.append(f"情况说明中未核对的数字：{unchecked} 处（见“情况说明”一节）")
    return lines


def summary(audit: Audit) -> Block:
    """概览 and 审核范围: the report's overview, then which tables were read and what was not
    checked (an audit that leaves something out says so here, first)."""
    result = audit.result
    tables, shown = result.report.tables, tables_shown(result.report)
    read = [c for c in shown if c in tables and tables[c].status in ("parsed", "partial", "empty")]
    done = f"无：{len(shown)} 张表均已读取，所有规则均已执行。"
    gaps = not_checked(result) or [done if result.fully_checked else result.completeness_line]
    lines = [f"已读取的表：{len(read)} / {len(shown)}", *gaps]
    overview = render.overview(result, audit.params, audit.triage)
    scope = ("<div class='al'><h3>审核范围</h3><ul>" + "".join(f"<li>{escape(x)}</li>" for x in lines)
             + "</ul></div>")
    return Block(overview.html + scope, overview.text + "\n审核范围：\n" + "\n".join(f"  {x}" for x in lines))


# --------------------------------------------------------------------------- sections


def heading(report, code: str) -> str:
    """A table's section heading: 公开06表 一般公共预算财政拨款基本支出决算表 (a 决算 table: its
    label and the national title), 2024年部门财务收支预算总表 (a budget's: its title as printed,
    else its kind's name for it)."""
    if code in TABLE_NAMES:
        return f"{TABLE_NAMES[code]} {spec_of(code).title}"
    table = report.tables.get(code)
    return (table.title if table is not None and table.title else None) or table_name(report, code)


def table_sections(audit: Audit) -> list[Block]:
    """Every table of the document's kind in its layout's order (kinds.tables_shown), each
    under its heading: the notebook's one cell for the tables, whatever the kind."""
    report = audit.result.report
    out = []
    for code in tables_shown(report):
        title = heading(report, code)
        table = report.tables.get(code)
        # the table's own heading (its printed title) only where it says more than the section's
        section = table_section(audit, code, headed=table is None or table_heading(table, report.department) != title)
        out.append(Block(f"<h3 class='al-section'>{escape(title)}</h3>{section.html}", f"### {title}\n{section.text}"))
    return out


def table_section(audit: Audit, code: str, headed: bool = True) -> Block:
    """One standard table as printed, its findings beside it with their page crops (PDF input).
    A table without findings is collapsed to one line that opens on a click, so the notebook
    stays short; a table with findings is open, so 定位单元格 finds its cells."""
    result = audit.result
    report = result.report
    table = report.tables.get(code)
    name = table_name(report, code)
    if table is None:
        return Block(f"<p class='al-empty'>文件中未找到{escape(name)}。</p>", f"{heading(report, code)}：未找到")
    view = render.table_view(table, result.findings, audit.triage, result.report, headed)
    mine = sum(1 for f in result.findings if code in f.tables
               or any(str(c.get("table")) == code for c in f.cells or []))
    if mine:
        return view
    rows = 0 if table.data is None else len(table.data)
    line = f"{name}：{STATUS_ZH.get(table.status, table.status)}，{rows} 行，无问题（点击展开原表）"
    return Block(f"<details><summary>{escape(line)}</summary>{view.html}</details>", view.text)


def narrative_section(audit: Audit) -> Block:
    """情况说明: its findings first, then every figure of the narrative with the cell it restates
    and the verdict, folded (135 figures of the sample were 42,000 px of the notebook)."""
    result, triage = audit.result, audit.triage
    view = render.claims_view(result, triage)
    ids = render.cell_ids(result.findings)
    cards = [render.finding_card(f, i, triage, ids) for i, f in enumerate(result.findings) if "NARR" in f.tables]
    head = (f"<div class='al'><h3>情况说明中的问题（{len(cards)} 条）</h3>"
            + ("".join(cards) or "<p class='al-empty'>无。</p>") + "</div>")
    fold = f"<details><summary>{escape(view.text)}（点击展开每个数字的核对）</summary>{view.html}</details>"
    return Block(assets() + head + fold, view.text)


def performance_section(audit: Audit) -> Block:
    """绩效: the self-evaluations and score sheets, the rows a finding names marked."""
    return render.performance_view(audit.result, audit.triage)


def findings_section(audit: Audit, interactive: bool):
    """问题清单: in JupyterLab the explorer (one filter bar, a list to click, triage and review
    below it); in the HTML report (`interactive = False`) the report's sortable table."""
    if not interactive:
        return render.findings_table(audit.result, audit.triage)
    from auditlib.workbench.explorer import explorer

    p = audit.params
    return explorer(audit.result, audit.triage_path, p.get("tolerance"), p.get("rules"), p.get("check_params"),
                    auditor=audit.auditor, reviewer=audit.reviewer)


def whole_document_section(audit: Audit) -> Block:
    """文件整体: findings about the document as a whole (its template, codes and names)."""
    result = audit.result
    return render.other_findings(result.findings, ("META",), "文件整体", audit.triage, result.report)
