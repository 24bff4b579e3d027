"""Read an improvement-plan register (.xlsx or .csv) into plain data, finding every problem.

Nothing here touches the database: `read_register` returns a `Register` of actions and a list
of problems, each naming the file, sheet, row and column. `lapis.plans.actions.import_plan`
writes it, all or nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl.utils import get_column_letter

from lapis.core import cells
from lapis.core.dates import PartialDate
from lapis.core.errors import CellError
from lapis.core.spreadsheets import Problems, Sheet, open_sheets
from lapis.plans import parsing
from lapis.plans.parsing import LinkToken, LogEntry

TEXT_FIELDS = ("description", "pillar", "outcomes", "impact_measures", "dependencies",
               "bau_location", "objective", "priority")
DATE_FIELDS = ("start", "due", "last_reviewed")
TRUE_WORDS = {"yes", "y", "true", "1", "x", "closed"}


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
class Register(Problems):
    actions: list[ParsedAction] = field(default_factory=list)
    date_order: str | None = None
    date_order_reason: str = ""


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


def _header(sheet: Sheet, register: Register):
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
    order, counts = cells.infer_order(texts)
    if order is None:
        return None, "no unambiguous text dates to infer day/month order from"
    evidence = ", ".join(f"{n} read only as {o}" for o, n in sorted(counts.items()) if n)
    return order, f"inferred from the workbook's unambiguous text dates ({evidence})"


def _row(register: Register, sheet: Sheet, index: int, columns: dict[str, int], known):
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
            parsed = cells.read_date(value, order=register.date_order, number_format=fmt)
        except cells.AmbiguousDate as error:
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
                cells.unneutralise(str(cell("progress"))), order=register.date_order
            )
        except CellError as error:
            register.problem("error", f"progress log: {error}", **at("progress"))
    return action


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return cells.clean_text(cells.unneutralise(str(value)))


def _is_ambiguous(text: str) -> bool:
    try:
        cells.read_date(text, order=None)
    except cells.AmbiguousDate:
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
