"""How faithfully one reading of a report reproduces another: cell by cell.

`auditlib fidelity doc.pdf doc.txt` reads both forms of the same report and, per
table, counts the printed amounts of the reference whose cell (row key, column)
holds the same value in the other reading.  This is how a PDF reader is judged:
one misread cell is a false finding or a missed one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from auditlib.model import Report


@dataclass
class TableFidelity:
    code: str
    status: tuple[str, str]  # (candidate, reference)
    cells: int  # printed amounts in the reference
    equal: int  # of those, equal in the candidate
    differing: list[tuple[str, str, float, float | None]]  # row, column, reference, candidate

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
        out.append(TableFidelity(code, (cand.status, ref.status), cells, equal, differing))
    return out


def render(results: list[TableFidelity], limit: int = 5) -> str:
    lines = [f"{'table':6} {'status':18} {'amounts':>8} {'equal':>6} {'share':>8}"]
    for r in results:
        lines.append(f"{r.code:6} {r.status[0] + '/' + r.status[1]:18} {r.cells:>8} {r.equal:>6} {r.share:>7.1%}")
        for row, column, want, got in r.differing[:limit]:
            lines.append(f"         {row}.{column}: expected {want:,.2f}, read {'—' if got is None else f'{got:,.2f}'}")
    total = sum(r.cells for r in results)
    same = sum(r.equal for r in results)
    lines.append(f"{'all':6} {'':18} {total:>8} {same:>6} {(same / total if total else 1):>7.1%}")
    return "\n".join(lines) + "\n"
