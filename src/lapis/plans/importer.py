"""Read an improvement-plan register (.xlsx or .csv) into plain data, finding every problem.

Nothing here touches the database: `read_register` returns a `Register` of actions and a list
of problems, each naming the file, sheet, row and column. `lapis.plans.actions.import_plan`
writes it, all or nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter

from lapis.plans import parsing
from lapis.plans.parsing import CellError, LinkToken, LogEntry, PartialDate

MAX_ROWS = 5000  # a register is tens to hundreds of rows; thousands means the wrong file
MAX_COMPRESSION_RATIO = 100  # xlsx parts compress ~5-20x; far more is a zip bomb
TEXT_FIELDS = ("description", "pillar", "outcomes", "impact_measures", "dependencies",
               "bau_location", "objective", "priority")
DATE_FIELDS = ("start", "due", "last_reviewed")
TRUE_WORDS = {"yes", "y", "true", "1", "x", "closed"}


@dataclass(frozen=True)
class Problem:
    level: str  # "error" stops the import; "warning" is reported and imported
    message: str
    file: str
    sheet: str = ""
    row: int | None = None
    column: str = ""  # a letter, "B"
    header: str = ""

    def where(self) -> str:
        parts = [self.file]
        if self.sheet:
            parts.append(f"sheet '{self.sheet}'")
        if self.row:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column}" + (f" ({self.header})" if self.header else ""))
        return ", ".join(parts)

    def __str__(self):
        return f"{self.level.upper()}: {self.where()}: {self.message}"

    def as_json(self) -> dict:
        return {"level": self.level, "message": self.message, "file": self.file,
                "sheet": self.sheet, "row": self.row, "column": self.column,
                "header": self.header}


@dataclass
class ParsedAction:
    ref: str
    sheet: str
    row: int
    closed: bool = False
    priority: str = ""
    objective: str = ""
    description: str = ""
    pillar: str = ""
    outcomes: str = ""
    impact_measures: str = ""
    sro: str = ""
    leads: list[str] = field(default_factory=list)
    start: PartialDate | None = None
    due: PartialDate | None = None
    links: list[LinkToken] = field(default_factory=list)
    dependencies: str = ""
    status: str = ""
    last_reviewed: dt.date | None = None
    boards: list[str] = field(default_factory=list)
    bau_location: str = ""
    progress: list[LogEntry] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # field -> column letter, for errors

    @property
    def priority_number(self) -> int:
        return parsing.priority_number(self.ref)


@dataclass
class Register:
    file: str
    actions: list[ParsedAction] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    date_order: str | None = None
    date_order_reason: str = ""

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "warning"]

    def problem(self, level, message, **where) -> None:
        self.problems.append(Problem(level, message, self.file, **where))


@dataclass
class _Sheet:
    title: str
    rows: list[list]  # values, merged cells carried down
    formats: list[list]  # number formats, same shape (csv: "General")


def read_register(
    path: Path | str,
    *,
    date_order: str | None = None,
    known_boards: set[str] | frozenset[str] = frozenset(),
    max_bytes: int = 20 * 1024 * 1024,
    progress: Callable[[int, int], None] | None = None,
) -> Register:
    """Read a register file. Check `register.errors` before using `register.actions`."""
    path = Path(path)
    register = Register(file=path.name)
    sheets = open_sheets(path, register, max_bytes)
    if sheets is None:
        return register
    tables = []
    for sheet in sheets:
        table = _header(sheet, register)
        if table is not None:
            tables.append(table)
    if not tables:
        register.problem("error", "no column headed 'Ref' was found in the first 10 rows of "
                         "any sheet, so no actions could be read")
        return register
    register.date_order, register.date_order_reason = _date_order(tables, date_order)
    board_cells = [
        sheet.rows[r][columns["boards"]]
        for sheet, header_row, columns in tables if "boards" in columns
        for r in range(header_row + 1, len(sheet.rows))
        if isinstance(sheet.rows[r][columns["boards"]], str)
    ]
    known = set(known_boards) | parsing.known_board_names(board_cells)
    total = sum(len(sheet.rows) - header_row - 1 for sheet, header_row, _ in tables)
    done = 0
    seen: dict[str, ParsedAction] = {}
    for sheet, header_row, columns in tables:
        for index in range(header_row + 1, len(sheet.rows)):
            action = _row(register, sheet, index, columns, known)
            done += 1
            if progress:
                progress(done, total)
            if action is None:
                continue
            if action.ref in seen:
                first = seen[action.ref]
                register.problem("error", f"duplicate ref {action.ref!r}: already used in sheet "
                                 f"'{first.sheet}' row {first.row}", sheet=sheet.title,
                                 row=index + 1, column=action.columns["ref"], header="Ref")
                continue
            seen[action.ref] = action
            register.actions.append(action)
    _check_priorities(register)
    return register


def declares_entities(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """Does this part of a workbook carry a DTD? Excel never writes one. Every importer refuses
    it before openpyxl parses, whichever XML parser openpyxl picks (lxml, when installed, is
    chosen over defusedxml)."""
    if not info.filename.endswith((".xml", ".rels")):
        return False
    with archive.open(info) as part:
        head = part.read(4096)
    return b"<!DOCTYPE" in head or b"<!ENTITY" in head


def open_sheets(path: Path, register: Register, max_bytes: int,
                max_rows: int = MAX_ROWS) -> list[_Sheet] | None:
    """Every sheet of an .xlsx (merged cells carried) or the one of a .csv, as rows of values;
    None, with the reason in `register`, when the file is missing, too big, a zip bomb, not a
    spreadsheet or unreadable. Every importer opens its files here."""
    if not path.is_file():
        register.problem("error", "no such file")
        return None
    size = path.stat().st_size
    if size > max_bytes:
        register.problem("error", f"the file is {size:,} bytes, over the limit of "
                         f"{max_bytes:,} (LAPIS_MAX_IMPORT_BYTES)")
        return None
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _open_xlsx(path, register, max_bytes, max_rows)
    if suffix == ".csv":
        return _open_csv(path, register, max_rows)
    register.problem("error", f"'{path.suffix or path.name}' is not a spreadsheet LAPIS reads: "
                     "give an .xlsx workbook or a .csv file")
    return None


def _open_xlsx(path: Path, register: Register, max_bytes: int,
               max_rows: int) -> list[_Sheet] | None:
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                ratio = info.file_size / max(info.compress_size, 1)
                if info.file_size > max_bytes * 5 or ratio > MAX_COMPRESSION_RATIO:
                    register.problem("error", f"part {info.filename!r} expands to "
                                     f"{info.file_size:,} bytes; refusing a possible zip bomb")
                    return None
                if declares_entities(archive, info):
                    register.problem("error", f"the workbook could not be read: part "
                                     f"{info.filename!r} declares XML entities; refusing "
                                     "a possible XML bomb")
                    return None
    except zipfile.BadZipFile:
        register.problem("error", "this is not an .xlsx workbook (it is not a zip archive); "
                         "save it from Excel as .xlsx, or export .csv")
        return None
    try:
        # defusedxml is installed too: a second line of defence against entity expansion.
        workbook = openpyxl.load_workbook(path, data_only=True)
    except Exception as error:  # openpyxl raises many types for malformed files
        register.problem("error", f"the workbook could not be read: {error}")
        return None
    sheets = []
    for ws in workbook.worksheets:
        if ws.max_row > max_rows:
            register.problem("error", f"{ws.max_row:,} rows is over the limit of {max_rows:,}",
                             sheet=ws.title)
            return None
        rows = [[cell.value for cell in row] for row in ws.iter_rows()]
        formats = [[cell.number_format for cell in row] for row in ws.iter_rows()]
        for merged in ws.merged_cells.ranges:
            # Excel keeps a merged value in the top-left cell only; every row it spans owns it.
            top = rows[merged.min_row - 1][merged.min_col - 1]
            fmt = formats[merged.min_row - 1][merged.min_col - 1]
            for r in range(merged.min_row - 1, merged.max_row):
                for c in range(merged.min_col - 1, merged.max_col):
                    rows[r][c], formats[r][c] = top, fmt
        sheets.append(_Sheet(ws.title, rows, formats))
    return sheets


def _open_csv(path: Path, register: Register, max_rows: int) -> list[_Sheet] | None:
    raw = path.read_bytes()
    if b"\x00" in raw:
        register.problem("error", "this is not a text .csv file (it contains binary data)")
        return None
    for encoding in ("utf-8-sig", "cp1252"):  # Excel writes one or the other
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes almost anything
        register.problem("error", "the file's text encoding could not be read")
        return None
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        register.problem("error", f"the CSV could not be read: {error}")
        return None
    if len(rows) > max_rows:
        register.problem("error", f"{len(rows):,} rows is over the limit of {max_rows:,}")
        return None
    width = max((len(r) for r in rows), default=0)
    rows = [[(v if v != "" else None) for v in r] + [None] * (width - len(r)) for r in rows]
    return [_Sheet(path.stem, rows, [["General"] * width for _ in rows])]


def _header(sheet: _Sheet, register: Register):
    """Find the header row (the first with a Ref column) and map columns to fields."""
    for index, row in enumerate(sheet.rows[:10]):
        fields = [parsing.match_header(v) if isinstance(v, str) else None for v in row]
        if "ref" not in fields:
            continue
        columns: dict[str, int] = {}
        for col, (value, name) in enumerate(zip(row, fields, strict=True)):
            letter = get_column_letter(col + 1)
            if value is None or str(value).strip() == "":
                continue
            if name is None:
                register.problem("warning", f"column {str(value).strip()!r} is not a register "
                                 "column LAPIS knows; it was ignored", sheet=sheet.title,
                                 row=index + 1, column=letter)
            elif name in columns:
                register.problem("warning", f"a second {name!r} column; only column "
                                 f"{get_column_letter(columns[name] + 1)} is read",
                                 sheet=sheet.title, row=index + 1, column=letter)
            else:
                columns[name] = col
        return sheet, index, columns
    if any(any(v is not None for v in row) for row in sheet.rows):
        register.problem("warning", "no 'Ref' column header in the first 10 rows; the sheet "
                         "was not read", sheet=sheet.title)
    return None


def _date_order(tables, given: str | None) -> tuple[str | None, str]:
    if given:
        return given, "given with --date-order"
    texts = []
    for sheet, header_row, columns in tables:
        for name in (*DATE_FIELDS, "progress"):
            if name not in columns:
                continue
            for row in sheet.rows[header_row + 1:]:
                value = row[columns[name]]
                if not isinstance(value, str):
                    continue
                texts.extend(parsing.find_log_dates(value) if name == "progress" else [value])
    order, counts = parsing.infer_order(texts)
    if order is None:
        return None, "no unambiguous text dates to infer day/month order from"
    evidence = ", ".join(f"{n} read only as {o}" for o, n in sorted(counts.items()) if n)
    return order, f"inferred from the workbook's unambiguous text dates ({evidence})"


def _row(register: Register, sheet: _Sheet, index: int, columns: dict[str, int], known):
    values = sheet.rows[index]
    if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
        return None
    where = {"sheet": sheet.title, "row": index + 1}

    def at(name):
        return {**where, "column": get_column_letter(columns[name] + 1),
                "header": parsing.FIELDS.get(name, name)}

    raw_ref = values[columns["ref"]]
    others = [v for c, v in enumerate(values) if c != columns["ref"] and v not in (None, "")]
    try:
        ref = parsing.parse_ref(raw_ref)
    except CellError as error:
        if not others and parsing.is_heading_text(raw_ref):
            return None  # a section heading such as "Priority 2 - closures"
        register.problem("error", str(error), **at("ref"))
        return None
    if ref is None:
        register.problem("error", "this row has content but no ref", **at("ref"))
        return None

    title = sheet.title.lower()
    action = ParsedAction(ref=ref, sheet=sheet.title, row=index + 1,
                          closed="closure" in title or "closed" in title)
    action.columns = {name: get_column_letter(col + 1) for name, col in columns.items()}

    def cell(name):
        return values[columns[name]] if name in columns else None

    for name in TEXT_FIELDS:
        setattr(action, name, _text(cell(name)))
    action.sro = _text(cell("sro"))
    action.leads = parsing.split_people(_text(cell("leads")))
    action.links = parsing.parse_links(_text(cell("links")))
    action.status = _text(cell("status"))
    if "closed" in columns and _text(cell("closed")).lower() in TRUE_WORDS:
        action.closed = True
    if "boards" in columns:
        split = parsing.split_boards(_text(cell("boards")), known)
        action.boards = split.names
        for piece in split.unsplit:
            register.problem("warning", f"could not split {piece!r} into known board names; "
                             "kept as one board", **at("boards"))
    for name in DATE_FIELDS:
        if name not in columns:
            continue
        value = cell(name)
        fmt = sheet.formats[index][columns[name]]
        try:
            parsed = parsing.read_date(value, order=register.date_order, number_format=fmt)
        except parsing.AmbiguousDate as error:
            register.problem("error", f"{error}; give --date-order dmy or mdy", **at(name))
            continue
        except CellError as error:
            register.problem("error", str(error), **at(name))
            continue
        if isinstance(value, str) and parsed and _is_ambiguous(value):
            register.problem("warning", f"{value.strip()!r} could be read either way; read as "
                             f"{parsed} ({register.date_order}: {register.date_order_reason})",
                             **at(name))
        if name == "last_reviewed":
            action.last_reviewed = parsed.value if parsed else None
        else:
            setattr(action, name, parsed)
    if "progress" in columns and cell("progress") is not None:
        try:
            action.progress = parsing.split_progress_log(
                parsing.unneutralise(str(cell("progress"))), order=register.date_order
            )
        except CellError as error:
            register.problem("error", f"progress log: {error}", **at("progress"))
    return action


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return parsing.clean_text(parsing.unneutralise(str(value)))


def _is_ambiguous(text: str) -> bool:
    try:
        parsing.read_date(text, order=None)
    except parsing.AmbiguousDate:
        return True
    except CellError:
        return False
    return False


def _check_priorities(register: Register) -> None:
    texts: dict[int, ParsedAction] = {}
    for action in register.actions:
        if not action.priority:
            continue
        first = texts.setdefault(action.priority_number, action)
        if first.priority != action.priority:
            register.problem("warning", f"priority {action.priority_number} is worded "
                             f"differently from sheet '{first.sheet}' row {first.row}; the "
                             "first wording is kept", sheet=action.sheet, row=action.row,
                             column=action.columns.get("priority", ""))
