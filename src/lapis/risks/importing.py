"""Read a risk register (.xlsx or .csv) into plain rows, finding every problem in the file.

Nothing here touches the database: `read_risks` returns the rows and a list of problems,
each naming the file, sheet, row and column. `lapis.risks.actions.import_risks` checks the
action refs against the plan and writes, all or nothing.

The header row is the first of the first ten rows that has a "Risk ID" column; headers are
matched ignoring case, spaces, underscores and hyphens. A workbook's every sheet with such a
header is read; other sheets (a cover sheet, a key to the matrix) are skipped.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl.utils import get_column_letter

from lapis.core.cells import clean_text, unneutralise
from lapis.core.spreadsheets import Problem, Problems, open_sheets
from lapis.risks import rules

MAX_ROWS = 5000  # a risk register is tens of rows; thousands means the wrong file
MAX_COMPRESSION_RATIO = 100  # xlsx parts compress ~5-20x; far more is a zip bomb


@dataclass
class ParsedRisk:
    sheet: str
    row: int
    columns: dict[str, str] = field(default_factory=dict)  # field -> column letter
    code: str = ""
    title: str = ""
    description: str = ""
    owner: str = ""
    inherent_likelihood: int = 0
    inherent_impact: int = 0
    residual_likelihood: int = 0
    residual_impact: int = 0
    response: str = ""
    trend: str = "stable"
    review_date: dt.date | None = None
    actions: list[str] = field(default_factory=list)
    measures: str = ""
    status: str = "open"


@dataclass
class SheetRows:
    file: str
    rows: list[ParsedRisk] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def error(self, message, sheet="", row=None, column="", header=""):
        self.problems.append(Problem("error", message, self.file, sheet, row, column, header))

    def warn(self, message, sheet="", row=None, column="", header=""):
        self.warnings.append(Problem("warning", message, self.file, sheet, row, column, header))


def read_risks(path: Path, *, max_bytes: int) -> SheetRows:
    result = SheetRows(file=path.name)
    sheets = _open(path, result, max_bytes)
    if sheets is None:
        return result
    seen: dict[str, tuple[str, int]] = {}
    found_header = False
    for title, rows in sheets:
        header = _header(rows)
        if header is None:
            continue
        found_header = True
        index, columns, unknown = header
        for column, text in unknown:
            result.warn(f"column {text!r} is not one LAPIS reads; it was ignored", title,
                        index + 1, column, text)
        missing = [rules.COLUMNS[name] for name in rules.REQUIRED if name not in columns]
        if missing:
            result.error(f"no {', '.join(repr(m) for m in missing)} column in the header row",
                         title, index + 1)
            continue
        for number, values in enumerate(rows[index + 1:], start=index + 2):
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            risk = _row(result, title, number, values, columns)
            if risk is None:
                continue
            key = risk.code.casefold()
            if key in seen:
                where = seen[key]
                result.error(f"risk ID {risk.code!r} is already used on sheet '{where[0]}' "
                             f"row {where[1]}", title, number, risk.columns["code"],
                             rules.COLUMNS["code"])
                continue
            seen[key] = (title, number)
            result.rows.append(risk)
    if not found_header:
        result.error("no header row with a 'Risk ID' column in the first 10 rows of any sheet")
    return result


def _header(rows):
    for index, values in enumerate(rows[:10]):
        names = [rules.match_header(v) for v in values]
        if "code" not in names:
            continue
        columns, unknown = {}, []
        for position, (name, text) in enumerate(zip(names, values, strict=True)):
            letter = get_column_letter(position + 1)
            if name and name not in columns:
                columns[name] = position
            elif name is None and text not in (None, "") and not rules.is_derived_header(text):
                unknown.append((letter, str(text)))
        return index, columns, unknown
    return None


def _row(result: SheetRows, sheet: str, number: int, values: list, columns: dict[str, int]):
    risk = ParsedRisk(sheet=sheet, row=number,
                      columns={n: get_column_letter(i + 1) for n, i in columns.items()})
    before = len(result.problems)

    def cell(name):
        position = columns.get(name)
        value = values[position] if position is not None and position < len(values) else None
        return unneutralise(value) if isinstance(value, str) else value

    def fail(name, message):
        result.error(message, sheet, number, risk.columns.get(name, ""), rules.COLUMNS[name])

    for name in ("code", "title", "description", "owner", "measures"):
        setattr(risk, name, clean_text(cell(name)))
    if not risk.code:
        fail("code", "the Risk ID is missing")
    elif len(risk.code) > 20:
        fail("code", f"the Risk ID {risk.code[:30]!r} is longer than 20 characters")
    if not risk.title:
        fail("title", "the title is missing")
    elif len(risk.title) > 200:
        fail("title", "the title is longer than 200 characters: put the rest in Description")
    for name in ("inherent_likelihood", "inherent_impact", "residual_likelihood",
                 "residual_impact"):
        try:
            setattr(risk, name, rules.read_level(cell(name), rules.COLUMNS[name]))
        except rules.RuleError as error:
            fail(name, str(error))
    for name, reader in (("response", rules.read_response), ("trend", rules.read_trend),
                         ("status", rules.read_status), ("review_date", rules.read_date)):
        try:
            setattr(risk, name, reader(cell(name)))
        except rules.RuleError as error:
            fail(name, str(error))
    if len(risk.owner) > 200:
        fail("owner", "the owner's name is longer than 200 characters")
    risk.actions = rules.split_refs(cell("actions"))
    return risk if len(result.problems) == before else None


def _open(path: Path, result: SheetRows, max_bytes: int):
    """The shared opener (size, zip-bomb and encoding checks; merged cells carried down)."""
    holder = Problems(file=path.name)
    sheets = open_sheets(path, holder, max_bytes, MAX_ROWS)
    result.problems.extend(holder.problems)
    return None if sheets is None else [(sheet.title, sheet.rows) for sheet in sheets]
