"""A generated report as a document: printed figures (`Ref`) that point at exact amounts
(`truth`), laid out in tables, printed in the text form."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from tests.synth.reference import NOTES, TITLES

@dataclass(frozen=True)
class Ref:
    """A printed figure: which truth cell it shows.  `count` figures (people, cars)
    are printed as integers and never scaled; `dash` prints “-” (not applicable)."""

    table: str
    row: str
    column: str
    count: bool = False
    dash: bool = False


Cell = str | Ref


@dataclass
class TableDoc:
    code: str
    lines: list[list[Cell]]  # before the note; strings may hold {dept} {year} {unit}


@dataclass
class SyntheticReport:
    """A generated report: `.text` is the document, `.truth` the exact amounts.

    truth[table][row][column] is an int: cents of 元 for money (1 万元 = 1_000_000),
    a plain number for counts.  Row keys and columns are the reader's keys
    (function / economic codes, "total", "income_total", …)."""

    seed: int
    department: str
    year: int
    truth: dict[str, dict[str, dict[str, int]]]
    tables: dict[str, TableDoc]
    head: list[str]
    tail: list[str]
    header_unit: dict[str, str]  # what 金额单位 each table states
    figures_unit: dict[str, str]  # the unit its figures are really printed in
    departments: dict[str, str] = field(default_factory=dict)  # per-table 编制单位 as printed
    years: dict[str, str] = field(default_factory=dict)  # per-table year as printed
    overrides: dict[tuple[str, str, str], str] = field(default_factory=dict)
    style: dict[str, object] = field(default_factory=dict)

    # -- printing ------------------------------------------------------------
    def fmt(self, ref: Ref) -> str:
        key = (ref.table, ref.row, ref.column)
        if key in self.overrides:
            return self.overrides[key]
        if ref.dash:
            return "-"
        value = self.truth[ref.table][ref.row][ref.column]
        if ref.count:
            return str(value)
        if value == 0 and self.style.get("zero") != "0.00" and ref.table in ("T02", "T03", "T05", "T08"):
            return str(self.style["zero"])
        return money(value, self.figures_unit[ref.table], bool(self.style.get("commas", True)))

    def printed(self, table: str, row: str, column: str) -> float | None:
        """The figure as printed (in its printed unit), None for blank or dash."""
        for ref in self.refs(table):
            if (ref.row, ref.column) == (row, column):
                s = self.fmt(ref).replace(",", "")
                return None if s in ("", "-") else float(s)
        raise KeyError((table, row, column))

    def refs(self, table: str | None = None) -> list[Ref]:
        codes = [table] if table else list(self.tables)
        return [c for t in codes for line in self.tables[t].lines for c in line if isinstance(c, Ref)]

    def table_lines(self, code: str) -> list[str]:
        doc = self.tables[code]
        subs = {"dept": self.departments.get(code, self.department), "year": self.years.get(code, str(self.year)),
                "unit": self.header_unit[code]}
        out = [TITLES[code], ""]
        for cells in doc.lines:
            out.append("\t".join(self.fmt(c) if isinstance(c, Ref) else c.format(**subs) for c in cells))
        out.append("")
        out += [n.format(**subs) for n in NOTES[code]]
        out.append("")
        return out

    @property
    def text(self) -> str:
        lines = list(self.head)
        for code in self.tables:
            lines += self.table_lines(code)
        lines += self.tail
        return "\n".join(lines) + "\n"

    def write(self, path: str | Path) -> Path:
        path = Path(path)
        path.write_text(self.text, encoding="utf-8")
        return path

    def truth_json(self) -> dict:
        return {"seed": self.seed, "department": self.department, "year": self.year,
                "figures_unit": self.figures_unit, "truth_cents_or_counts": self.truth}


def money(cents: int, unit: str, commas: bool = True) -> str:
    """Cents of 元 printed in 万元 (two decimals, half-up, on its own) or in 元."""
    if unit == "元":
        d = (Decimal(cents) / 100).quantize(Decimal("0.01"))
    else:
        d = (Decimal(cents) / 1_000_000).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{d:,.2f}" if commas else f"{d:.2f}"
