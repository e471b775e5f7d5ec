"""A checked department's facts as warehouse rows (dicts keyed by column name, see `codebook`;
`warehouse.row` brings each value to its column's type): how each table was read, the 三公
counts, the findings, the figures of the prose with their verdicts, the performance scores.

Counts come from 公开07表's 相关统计数 rows (the long-form cells, so a row printed blank stays
blank); a count the table does not print (the Shanghai one-row layout prints none) is taken
from the narrative's figure for that cell, with its source said.
"""

from __future__ import annotations

from auditlib.batch.codebook import COUNT_NAMES
from auditlib.model import Performance
from auditlib.names import CELL_REF, STATUS_ZH, TABLE_NAMES, table_name
from auditlib.rules.findings import CheckResult, Judged

KIND = "决算"  # what a report is when it does not say (a report of before issue 30)


def claims_of(result: CheckResult) -> list[Judged]:
    """The figures the prose states (read in ingest) with the verdicts of this check: the one
    place the warehouse reads them."""
    return list(result.claims)


def document_facts(result: CheckResult) -> dict:
    """The columns of `documents` a checked result decides beyond its counts."""
    return {"kind": getattr(result.report, "kind", None) or KIND, "fully_checked": result.fully_checked,
            "unread_tables": result.unread, "doubtful_tables": result.doubtful}


def table_rows(result: CheckResult) -> list[dict]:
    """Each table of the report's kind (a 决算's ten, a budget's, named by their printed
    titles): its reading status and how much of what is printed was read."""
    doubtful = set(result.doubtful)
    return [{"table_code": code, "name": table_name(result.report, code), "title": t.title, "status": t.status,
             "status_zh": STATUS_ZH.get(t.status, t.status), "rows": t.coverage.get("rows"),
             "figures": t.coverage.get("figures"), "amounts": t.coverage.get("amounts"),
             "doubtful": code in doubtful, "page": t.page}
            for code, t in result.report.tables.items()]


def _cross_year(result, f) -> bool:
    """A finding of a cross-year rule (its catalog entry's listing group 跨年)."""
    rule = result.rule_of(f)
    return rule is not None and rule.category == "跨年"


def finding_rows(result: CheckResult) -> list[dict]:
    """Every finding; a value that is no number is kept as text (`expected_text` …) only."""
    return [{"id": f.id, "rule": f.rule, "severity": f.severity, "tables": list(f.tables or []),
             "table_code": f.tables[0] if f.tables else None, "location": f.location, "page": f.page,
             "line": f.line, "expected": f.expected, "actual": f.actual, "expected_text": f.expected,
             "actual_text": f.actual, "difference": f.difference, "message": f.message, "key": f.key,
             "cross_year": _cross_year(result, f), "cause": f.cause, "implied": f.implied}
            for f in result.findings]


def _target(claim: Judged) -> tuple[str | None, str | None, str | None]:
    """(table, row key, column key) of the one cell a claim is checked against, when it is one."""
    m = CELL_REF.fullmatch(claim.target or "")
    return (m.group(1), m.group(2), m.group(3)) if m else (None, None, None)


def count_rows(cells: list[tuple], claims: list[Judged]) -> list[dict]:
    """公开07表's counts: the rows the table prints (`cells` in long form: table, row, column,
    value, page, line …), then the narrative's figure for each count the table does not print."""
    rows: dict[str, dict] = {}
    for table, key, column, value, page, line, *_ in cells:
        if table == "T07" and column == "actual" and key in COUNT_NAMES and key not in rows:
            rows[key] = {"item": key, "name": COUNT_NAMES[key], "value": value, "blank": value is None,
                         "source": TABLE_NAMES["T07"], "page": page, "line": line}
    for c in claims:
        table, key, column = _target(c)
        if c.kind == "count" and table == "T07" and column == "actual" and key in COUNT_NAMES and key not in rows:
            rows[key] = {"item": key, "name": COUNT_NAMES[key], "value": c.value, "blank": False,
                         "source": TABLE_NAMES["NARR"], "page": c.page, "line": c.line}
    return list(rows.values())


def claim_rows(claims: list[Judged]) -> list[dict]:
    """Every figure of the prose with what it was checked against and the verdict."""
    rows = []
    for c in claims:
        table, key, column = _target(c)
        rows.append({"section": c.section, "text": c.text, "subject": c.subject, "kind": c.kind, "value": c.value,
                     "unit": c.unit, "target": c.target, "table_code": table, "row_key": key, "column_key": column,
                     "expected": c.expected, "status": c.verdict, "rule": c.rule, "reason": c.reason or None,
                     "reading": c.reading or None, "page": c.page, "line": c.line})
    return rows


def score_rows(performance: Performance) -> list[dict]:
    """Every indicator of the self-evaluations (自评表) and score sheets (评分表)."""
    sheets = [("自评表", s.project, s.indicators) for s in performance.self_evaluations]
    sheets += [("评分表", s.title, s.items) for s in performance.score_sheets]
    fields = ("level1", "level2", "indicator", "target", "actual", "weight", "score", "page", "line")
    return [{"sheet": sheet, "project": project, **{f: item.get(f) for f in fields}}
            for sheet, project, frame in sheets for item in frame.to_dict("records")]
