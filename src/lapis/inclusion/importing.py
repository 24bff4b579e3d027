"""Read inclusion figures (.csv or .xlsx) into plain rows, finding every problem in the file.

One row per school, measure and period, with the columns URN, School, Phase, Trust,
Locality, Pupils, Measure, Period, Count, Denominator (and, optionally, Source). Headers are
matched ignoring case, spaces, underscores and hyphens; the header row is the first of the
first ten rows with a URN column, on every sheet that has one. Nothing here touches the
database: `lapis.inclusion.actions.import_figures` writes, all or nothing.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter

from lapis.inclusion import rules
from lapis.plans.importer import Problem
from lapis.plans.parsing import clean_text, unneutralise

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
    if not path.is_file():
        result.error("no such file")
        return None
    size = path.stat().st_size
    if size > max_bytes:
        result.error(f"the file is {size:,} bytes, over the limit of {max_bytes:,} "
                     "(LAPIS_MAX_IMPORT_BYTES)")
        return None
    suffix = Path(result.file).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _open_xlsx(path, result, max_bytes)
    if suffix == ".csv":
        return _open_csv(path, result)
    result.error(f"'{suffix or result.file}' is not a spreadsheet LAPIS reads: give an .xlsx "
                 "workbook or a .csv file")
    return None


def _open_xlsx(path: Path, result: Read, max_bytes: int):
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                ratio = info.file_size / max(info.compress_size, 1)
                if info.file_size > max_bytes * 5 or ratio > MAX_COMPRESSION_RATIO:
                    result.error(f"part {info.filename!r} expands to {info.file_size:,} "
                                 "bytes; refusing a possible zip bomb")
                    return None
    except zipfile.BadZipFile:
        result.error("this is not an .xlsx workbook (it is not a zip archive); save it from "
                     "Excel as .xlsx, or export .csv")
        return None
    try:
        # defusedxml is installed, so openpyxl refuses entity declarations (XML bombs).
        workbook = openpyxl.load_workbook(path, data_only=True, read_only=True)
    except Exception as error:  # openpyxl raises many types for malformed files
        result.error(f"the workbook could not be read: {error}")
        return None
    sheets = []
    try:
        for ws in workbook.worksheets:
            rows = []
            for values in ws.iter_rows(values_only=True):
                rows.append(list(values))
                if len(rows) > MAX_ROWS:
                    result.error(f"over {MAX_ROWS:,} rows; this is not a file of school "
                                 "figures", ws.title)
                    return None
            sheets.append((ws.title, rows))
    finally:
        workbook.close()
    return sheets


def _open_csv(path: Path, result: Read):
    raw = path.read_bytes()
    if b"\x00" in raw:
        result.error("this is not a text .csv file (it contains binary data)")
        return None
    for encoding in ("utf-8-sig", "cp1252"):  # Excel writes one or the other
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes almost anything
        result.error("the file's text encoding could not be read")
        return None
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        result.error(f"the CSV could not be read: {error}")
        return None
    if len(rows) > MAX_ROWS:
        result.error(f"{len(rows):,} rows is over the limit of {MAX_ROWS:,}")
        return None
    width = max((len(r) for r in rows), default=0)
    return [(Path(result.file).stem, [[(v if v != "" else None) for v in r]
                                      + [None] * (width - len(r)) for r in rows])]
