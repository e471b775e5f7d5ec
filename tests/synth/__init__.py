"""Synthetic, internally consistent department reports in the text form (test support: not
part of the shipped package).

`generate(seed)` draws one department's final accounts in 元 (integer cents) for
the leaf rows, computes every total, sub-total and cross-table restatement from
its parts, and prints each cell on its own in 万元 with two decimals (ROUND_HALF_UP),
so the 尾数误差 between a printed total and the sum of its printed parts is real,
exactly as in published reports.  The document has the layout of the Nanchang
sample (title, 公开NN表, 编制单位 / 年度 / 金额单位 lines, header rows, tab-separated
data rows, 注), a cover, a table of contents and a short 第三部分 narrative, so it
goes through the real reader (`auditlib.ingest.read_report`) and the real engine.

`inject(report, kind, rng)` plants one error of a known kind and says where;
`localization` measures how well `check` names the cell of one planted table error.

    python -m tests.synth OUTDIR --count 20 --seed 7 [--inject total] [--unit 元]   # from the checkout

One job a module: `reference` (classification items, titles, notes), `document` (printed
figures and the text form), `amounts`, `generate`, `layouts` (the tables), `prose` (cover,
narrative, the phrasing bank), `inject` (planted errors), `cli`, `localization` (the measurement
of issue 25: `python -m tests.synth.localization --count 120`).
"""

from tests.synth.cli import main
from tests.synth.document import Ref, SyntheticReport, money
from tests.synth.generate import generate
from tests.synth.inject import Injection, inject
from tests.synth.prose import PROSE_KINDS, WORDINGS, inject_prose
from tests.synth.reference import KINDS, LOCALIZATION_KINDS, MONEY_TABLES, TABLE_ERROR_KINDS

__all__ = ["generate", "inject", "inject_prose", "KINDS", "LOCALIZATION_KINDS", "TABLE_ERROR_KINDS", "PROSE_KINDS",
           "WORDINGS", "SyntheticReport", "Injection", "Ref", "MONEY_TABLES", "money", "main"]
