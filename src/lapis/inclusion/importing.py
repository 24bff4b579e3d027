"""Read inclusion figures (.csv or .xlsx) into plain rows, finding every problem in the file.

One row per school, measure and period, with the columns URN, School, Phase, Trust,
Locality, Pupils, Measure, Period, Count, Denominator (and, optionally, Source). Headers are
matched ignoring case, spaces, underscores and hyphens; the header row is the first of the
first ten rows with a URN column, on every sheet that has one. Nothing here touches the
database: `lapis.inclusion.actions.import_figures` writes, all or nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl.utils import get_column_letter

from lapis.core.cells import clean_text, unneutralise
from lapis.core.spreadsheets import Problem, Problems, open_sheets
from lapis.inclusion import rules

MAX_ROWS = 50_000  # 200 schools x 6 measures x a few years is under 10,000
MAX_COMPRESSION_RATIO = 100  # xlsx parts compress ~5-20x; far more is a zip bomb

COLUMNS = {  # field -> the header LAPIS writes
    "urn": "URN", "school": "School", "phase": "Phase", "trust": "Trust",
    "locality": "Locality", "pupils": "Pupils", "measure": "Measure", "period": "Period",
    "count": "Count", "denominator": "Denominator", "source": "Source",
}
REQUIRED = ("urn", "school", "phase", "measure", "period", "count")
ALIASES = {"schoolname": "school", "establishmentname": "school", "pupilsonroll": "pupils",
           "nor": "pupils", "numberonroll": "pupils", "academytrust": "trust",
           "trustname": "trust", "area": "locality"}
SCHOOL_FIELDS = ("school", "phase", "trust", "locality", "pupils")


def match_header(value) -> str | None:
    if value is None:
        return None
    text = re.sub(r"[\s_\-]+", "", str(value)).casefold()
    for name, title in COLUMNS.items():
        if text == title.casefold():
            return name
    return ALIASES.get(text)


@dataclass
class Row:
    sheet: str
    row: int
    columns: dict[str, str]  # field -> column letter
    urn: str = ""
    school: str = ""
    phase: str = ""
    trust: str = ""
    locality: str = ""
    pupils: int | None = None
    measure: str = ""
    period: str = ""
    count: int = 0
    denominator: int | None = None
    source: str = ""


@dataclass
class Read:
    file: str
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def error(self, message, sheet="", row=None, column="", header=""):
        self.problems.append(Problem("error", message, self.file, sheet, row, column, header))


def read_figures(path: Path, *, max_bytes: int, name: str | None = None) -> Read:
    """`name` is the file's name to report (an upload's, when `path` is a temporary file)."""
    result = Read(file=name or path.name)
    sheets = _open(path, result, max_bytes)
    if sheets is None:
        return result
    found_header = False
    seen: dict[tuple, Row] = {}
    schools: dict[str, Row] = {}
    for title, rows in sheets:
        header = _header(rows)
        if header is None:
            continue
        found_header = True
        index, columns = header
        missing = [COLUMNS[n] for n in REQUIRED if n not in columns]
        if missing:
            result.error("no " + ", ".join(repr(m) for m in missing) + " column in the header "
                         "row", title, index + 1)
            continue
        for number, values in enumerate(rows[index + 1:], start=index + 2):
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            row = _row(result, title, number, values, columns)
            if row is None:
                continue
            key = (row.urn, row.measure, row.period)
            if key in seen:
                first = seen[key]
                result.error(f"URN {row.urn} already has a {row.measure} figure for "
                             f"{row.period} on sheet '{first.sheet}' row {first.row}",
                             title, number, row.columns["measure"], COLUMNS["measure"])
                continue
            seen[key] = row
            _same_school(result, schools.setdefault(row.urn, row), row)
            result.rows.append(row)
    if not found_header:
        result.error("no header row with a 'URN' column in the first 10 rows of any sheet")
    return result


def _same_school(result: Read, first: Row, row: Row) -> None:
    """A school's details must read the same on every row that names it."""
    if first is row:
        return
    for name in SCHOOL_FIELDS:
        old, new = getattr(first, name), getattr(row, name)
        if name == "school":
            old, new = old.casefold(), new.casefold()
        if name == "pupils" and new is None:
            continue
        if old != new:
            result.error(f"URN {row.urn} has {COLUMNS[name]} {getattr(row, name)!r} here but "
                         f"{getattr(first, name)!r} on sheet '{first.sheet}' row {first.row}",
                         row.sheet, row.row, row.columns.get(name, ""), COLUMNS[name])


def _header(rows):
    for index, values in enumerate(rows[:10]):
        names = [match_header(v) for v in values]
        if "urn" not in names:
            continue
        columns = {}
        for position, name in enumerate(names):
            if name and name not in columns:
                columns[name] = position
        return index, columns
    return None


def _row(result: Read, sheet: str, number: int, values: list, columns: dict[str, int]):
    row = Row(sheet=sheet, row=number,
              columns={n: get_column_letter(i + 1) for n, i in columns.items()})
    before = len(result.problems)

    def cell(name):
        position = columns.get(name)
        value = values[position] if position is not None and position < len(values) else None
        return unneutralise(value) if isinstance(value, str) else value

    def fail(name, message):
        result.error(message, sheet, number, row.columns.get(name, ""), COLUMNS[name])

    urn = cell("urn")
    if isinstance(urn, float) and urn.is_integer():
        urn = int(urn)
    row.urn = clean_text(urn)
    if not row.urn:
        fail("urn", "the URN is missing")
    elif not re.fullmatch(r"\d{5,8}", row.urn):
        fail("urn", f"{row.urn[:20]!r} is not a URN (5 to 8 digits)")
    for name, limit in (("school", 200), ("trust", 200), ("locality", 100), ("source", 300)):
        setattr(row, name, clean_text(cell(name)))
        if len(getattr(row, name)) > limit:
            fail(name, f"longer than {limit} characters")
    if not row.school:
        fail("school", "the school's name is missing")
    for name, reader in (("phase", rules.read_phase), ("measure", rules.read_measure),
                         ("period", rules.read_period)):
        try:
            setattr(row, name, reader(cell(name)))
        except rules.RuleError as error:
            fail(name, str(error))
    for name, what, required in (("pupils", "pupils on roll", False),
                                 ("count", "count", True),
                                 ("denominator", "denominator", False)):
        try:
            setattr(row, name, rules.read_count(cell(name), what, required=required))
        except rules.RuleError as error:
            fail(name, str(error))
    if len(result.problems) > before:
        return None
    if row.denominator is None and row.measure in rules.PUPIL_DENOMINATOR:
        row.denominator = row.pupils or None
    if row.denominator is None and row.measure not in rules.PUPIL_DENOMINATOR:
        fail("denominator", f"give the {rules.MEASURES[row.measure].denominator_label.lower()}"
                            f" for {rules.MEASURES[row.measure].name.lower()}")
        return None
    try:
        rules.check_figure(row.measure, row.count, row.denominator)
    except rules.RuleError as error:
        fail("count" if row.denominator else "denominator", str(error))
        return None
    return row


def _open(path: Path, result: Read, max_bytes: int):
    """The shared opener (size, zip-bomb and encoding checks; merged cells carried down)."""
    holder = Problems(file=path.name)
    sheets = open_sheets(path, holder, max_bytes, MAX_ROWS)
    result.problems.extend(holder.problems)
    if sheets is None:
        return None
    # An upload is saved under a temporary name: a CSV's one sheet is named after the file.
    csv_name = Path(result.file).stem if path.suffix.lower() == ".csv" else None
    return [(csv_name or sheet.title, sheet.rows) for sheet in sheets]
