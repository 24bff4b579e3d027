"""Write a view of the scorecard, or every school figure, as CSV, .xlsx or JSON.

A shared export carries the same withheld figures as the shared page, and says so in its
first line; text cells are neutralised so a spreadsheet never runs them as a formula.
"""

from __future__ import annotations

from lapis.core import tables
from lapis.inclusion import rules
from lapis.inclusion.queries import View, view_words

LONG = [("urn", "URN"), ("school", "School"), ("phase", "Phase"), ("trust", "Trust"),
        ("locality", "Locality"), ("pupils", "Pupils"), ("measure", "Measure"),
        ("period", "Period"), ("count", "Count"), ("denominator", "Denominator"),
        ("value", "Value"), ("la_average", "LA average")]


def view_table(found: View) -> tuple[list[str], list[list]]:
    """The page's table as a header and rows (numbers stay numbers)."""
    m = found.measure
    first = rules.BY[found.by]
    header = [first]
    if found.by == "school":
        header += ["URN", "Trust", "Locality"]
    else:
        header += ["Schools"]
    header += [m.count_label, m.denominator_label, m.value_label, "LA average",
               "Compared with the LA average"]
    la_value = found.la.value if found.la else None
    rows = []
    for line in found.lines:
        row = [line.name]
        if found.by == "school":
            row += [line.school.urn if line.school else "", line.trust, line.locality]
        else:
            row += [line.schools]
        row += [_number(line.count), line.denominator, _round(line.value), _round(la_value),
                line.difference]
        rows.append(row)
    if found.la:
        la = found.la
        rows.append([la.name] + (["", "", ""] if found.by == "school" else [la.schools])
                    + [_number(la.count), la.denominator, _round(la.value), _round(la_value),
                       ""])
    return header, rows


def _number(text: str):
    return int(text) if text.isdigit() else text


def _round(value):
    return None if value is None else round(value, 2)


def title(found: View) -> str:
    return (f"{found.measure.name}, {found.period}, by {found.by}: "
            + ("shared view" if found.shared else "council view"))


def table(header: list[str], rows: list[list], note: str, sheet="Inclusion") -> tables.Table:
    """The figures under a first line saying what they are (and what a shared view withholds)."""
    return tables.Table(sheet, header, rows, above=[[note]], freeze="B3")


def to_csv(header: list[str], rows: list[list], note: str) -> str:
    return tables.csv_text(table(header, rows, note))


def to_xlsx(header: list[str], rows: list[list], note: str, stream, sheet="Inclusion") -> None:
    tables.write_xlsx(table(header, rows, note, sheet), stream)


def long_header_rows(table: list[dict]) -> tuple[list[str], list[list]]:
    return [t for _, t in LONG], [[row[k] for k, _ in LONG] for row in table]


def note(shared: bool, what: str) -> str:
    return f"{what}. {view_words(shared)}"
