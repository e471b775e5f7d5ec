"""How faithfully one reading of a report reproduces another: cell by cell.

`auditlib fidelity doc.pdf doc.txt` reads both forms of the same report and, per
table, counts the printed amounts of the reference whose cell (row key, column)
holds the same value in the other reading.  This is how a PDF reader is judged:
one misread cell is a false finding or a missed one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from auditlib.model import Report
from auditlib.kinds import spec_of
from auditlib.names import STATUS_ZH, table_name
from auditlib.schema import row_name


@dataclass
class TableFidelity:
    code: str
    status: tuple[str, str]  # (candidate, reference)
    cells: int  # printed amounts in the reference
    equal: int  # of those, equal in the candidate
    differing: list[tuple[str, str, float, float | None]]  # row, column, reference, candidate
    labels: dict[str, str] = field(default_factory=dict)  # row key → the row as the reference prints it

    @property
    def share(self) -> float:
        return 1.0 if self.cells == 0 else self.equal / self.cells


def compare(candidate: Report, reference: Report) -> list[TableFidelity]:
    """Per table: the reference's printed amounts and whether the candidate has them."""
    out = []
    for code, ref in reference.tables.items():
        cand = candidate.tables[code]
        cells = equal = 0
        differing = []
        for key in ref.data.index:
            for column in ref.columns:
                value = ref.value(key, column)
                if value is None:
                    continue
                cells += 1
                got = cand.value(key, column)
                if got is not None and math.isclose(got, value, abs_tol=1e-9):
                    equal += 1
                else:
                    differing.append((str(key), column, value, got))
        labels = {str(k): " ".join(dict.fromkeys(str(x) for x in (ref.data.at[k, "code"], ref.data.at[k, "name"]) if x))
                  for k in {d[0] for d in differing}}
        out.append(TableFidelity(code, (cand.status, ref.status), cells, equal, differing, labels))
    return out


def render(results: list[TableFidelity], limit: int = 5) -> str:
    """Per table: its status in both readings, the reference's amounts, how many are equal;
    the first cells that differ, named as the table prints them."""
    lines = ["表        读取状态（被评/参照）    金额    相同      比例"]
    for r in results:
        status = f"{STATUS_ZH.get(r.status[0], r.status[0])}/{STATUS_ZH.get(r.status[1], r.status[1])}"
        lines.append(f"{table_name(None, r.code):8} {status:16} {r.cells:>8} {r.equal:>6} {r.share:>7.1%}")
        names = spec_of(r.code).column_names
        for row, column, want, got in r.differing[:limit]:
            lines.append(f"         {r.labels.get(row) or row_name(r.code, row)} {names.get(column, column)}：应为 {want:,.2f}，"
                         f"读出 {'—' if got is None else f'{got:,.2f}'}")
    total = sum(r.cells for r in results)
    same = sum(r.equal for r in results)
    lines.append(f"{'合计':8} {'':16} {total:>8} {same:>6} {(same / total if total else 1):>7.1%}")
    return "\n".join(lines) + "\n"
