"""Every search of plain pdftotext's flow stays bounded on odd input: the readers give up
(the table stays unread) rather than try ways without end.  Built flows, not documents:
what is tested is the bound, which no report of ../shared/corpus comes near."""

from __future__ import annotations

from auditlib.ingest import spaced_flow_blanks, spaced_numbered
from auditlib.ingest.spaced_tokens import Line, Token


def _flow(pages: list[list[str]]) -> list:
    """Each figure a line of its own, page by page."""
    out, n = [], 0
    for page, figures in enumerate(pages):
        for text in figures:
            line = Line(n, n + 1, page, text, (Token(text, "fig"),))
            out.append((line, line.tokens[0]))
            n += 1
    return out


def test_figures_set_apart_are_looked_for_within_one_budget_a_round():
    # rows of a total and one part ("9 9", "5 5"): page 0's last 9 put back beside the
    # first fixes page 0 in 2 × 41 ways (any of its 41 trailing 9s), and each of those
    # orders leaves page 1 to fix in ~40 ways: 3,000 moves in the second round, under
    # MAX_ORDERS each order's — over it all together, so the figures are not looked for
    # (one order at a time the round's work grew with the orders the first left)
    page0 = ["9", *["5"] * 10, *["9"] * 41]
    page1 = ["7", *["3"] * 20, "7"]
    figures = _flow([page0, page1])
    first = spaced_flow_blanks._put_back(figures, 1, frozenset(), spaced_flow_blanks.MAX_ORDERS)
    assert first is not None and first[1] <= spaced_flow_blanks.MAX_ORDERS and len(first[0]) > 40
    assert spaced_flow_blanks.displaced(figures, 1) == []
    # a page 1 of a few figures: the second round fits, and the orders that cut are found
    figures = _flow([page0, ["7", "3", "3", "7"]])
    assert spaced_flow_blanks.displaced(figures, 1)


def test_figures_under_headers_on_many_pages_are_not_all_tried():
    # a header cell ending in its 栏次 ("决算数2") on each of eight pages, a figure under
    # each: 2 ** 8 choices of them taken apart are more than MAX_PARSES — none is parsed
    lines, n = [], 0
    for page in range(8):
        for text, kind in (("决算数2", "text"), ("6.01", "fig")):
            lines.append(Line(n, n + 1, page, text, (Token(text, kind),)))
            n += 1
    assert spaced_numbered._parses(lines, ["决算数"], 1, 2) is None
    assert spaced_numbered._parses(lines[:4], ["决算数"], 1, 2) is not None


def test_labels_cut_by_many_page_breaks_are_not_all_tried():
    # words after the last number of each of eight pages: 2 ** 7 ways of putting them back
    # are more than MAX_PARSES — none is tried (the labels are then not found)
    lines, n = [], 0
    for page in range(8):
        for text, kind in (("基本工资", "text"), ("1", "int"), ("津贴补贴", "text")):
            lines.append(Line(n, n + 1, page, text, (Token(text, kind),)))
            n += 1
    assert spaced_numbered._tails_up(lines, []) == []
    assert len(spaced_numbered._tails_up(lines[:9], [])) == 3
