"""Meeting dates in and out of spreadsheets: columns Board, Date, Title (Notes, Minutes).

Reading checks every row before anything is written and names file, sheet, row and column
for each problem. Dates are ISO (YYYY-MM-DD) text or real date cells. Writing neutralises any
cell a spreadsheet could run as a formula.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from lapis.core import tables
from lapis.core.cells import unneutralise
from lapis.core.spreadsheets import Problem, Problems, open_sheets
from lapis.governance.actions import MeetingRow
from lapis.governance.models import Meeting
from lapis.partnership.models import Partnership

HEADERS = {"board": "Board", "date": "Date", "title": "Title", "notes": "Notes",
           "minutes": "Minutes"}
REQUIRED = ("board", "date")
MAX_ROWS = 10_000


def _letter(index: int) -> str:
    return openpyxl.utils.get_column_letter(index + 1)


def _sheets(path: Path, problems: list[Problem], max_bytes: int):
    """[(sheet name, rows of values)], or None with a problem added. The file is opened by
    `lapis.core.spreadsheets.open_sheets`, as every importer's is: too big, a zip or XML bomb,
    invalid XML or not a spreadsheet are refused there, naming the file."""
    register = Problems(file=path.name)
    sheets = open_sheets(path, register, max_bytes, MAX_ROWS)
    problems.extend(register.problems)
    if sheets is None:
        return None
    return [(sheet.title, sheet.rows) for sheet in sheets]


def read_meetings(path: Path, partnership: Partnership, *,
                  max_bytes: int = 20 * 1024 * 1024) -> tuple[list[MeetingRow], list[Problem]]:
    """The checked rows of a meetings file, or the problems that stop it (then no rows)."""
    problems: list[Problem] = []
    sheets = _sheets(path, problems, max_bytes)
    if sheets is None:
        return [], problems
    boards = {b.name.casefold(): b for b in partnership.boards.all()}
    rows: list[MeetingRow] = []
    seen: dict[tuple[int, dt.date], str] = {}
    found_any = False
    for sheet, values in sheets:
        if not values or not any(v not in (None, "") for v in values[0]):
            continue
        if len(values) > MAX_ROWS:
            problems.append(Problem("error", f"over {MAX_ROWS:,} rows", path.name, sheet))
            continue
        columns = {}
        for index, header in enumerate(values[0]):
            key = str(header or "").strip().casefold()
            if key in HEADERS:
                columns[key] = index
        missing = [HEADERS[k] for k in REQUIRED if k not in columns]
        if missing:
            problems.append(Problem("error", "no " + " or ".join(missing) + " column in the "
                                    "header row (expected Board, Date, Title)", path.name,
                                    sheet, 1))
            continue
        found_any = True
        for number, row in enumerate(values[1:], start=2):
            if not any(v not in (None, "") for v in row):
                continue

            def cell(key, row=row, columns=columns):
                index = columns.get(key)
                if index is None:
                    return None
                value = row[index] if index < len(row) else None
                if isinstance(value, str):
                    value = unneutralise(value.strip()) or None
                return value

            def problem(key, message, sheet=sheet, number=number, columns=columns):
                problems.append(Problem("error", message, path.name, sheet, number,
                                        _letter(columns[key]), HEADERS[key]))

            name, when, title = cell("board"), cell("date"), cell("title")
            board = boards.get(str(name).strip().casefold()) if name else None
            if not name:
                problem("board", "no board named")
            elif board is None:
                problem("board", f"no board called {str(name)!r} in {partnership.name}")
            date = _date(when)
            if date is None:
                problem("date", f"{when!r} is not a date: use YYYY-MM-DD" if when
                        else "no date")
            title = "" if title is None else str(title)
            if len(title) > 200:
                problem("title", "a title is at most 200 characters")
            minutes = cell("minutes")
            if minutes:
                try:
                    URLValidator(schemes=["http", "https"])(str(minutes))
                except ValidationError:
                    problem("minutes", f"{str(minutes)!r} is not a web address (https://...)")
            if board is None or date is None:
                continue
            key = (board.pk, date)
            if key in seen:
                problem("date", f"{board.name} already has a meeting on {date.isoformat()} "
                        f"at {seen[key]}")
                continue
            seen[key] = f"row {number}"
            rows.append(MeetingRow(
                board=board, date=date, title=title,
                notes=None if "notes" not in columns else str(cell("notes") or ""),
                minutes_url=None if "minutes" not in columns else str(minutes or "")))
    if not found_any and not problems:
        problems.append(Problem("error", "the file has no meetings (expected a header row: "
                                "Board, Date, Title)", path.name))
    return ([] if problems else rows), problems


def _date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10]) if len(value.strip()) in (
                10, 19) else None
        except ValueError:
            return None
    return None


def meetings_json(meetings) -> list[dict]:
    return [{"board": m.board.name, "date": m.date.isoformat(), "title": m.title,
             "notes": m.notes, "minutes": m.minutes_url} for m in meetings]


def to_csv(meetings) -> str:
    return tables.csv_text(tables.Table(
        "Meetings", list(HEADERS.values()),
        [[m.board.name, m.date, m.title, m.notes, m.minutes_url] for m in meetings]),
        lineterminator="\n")


def partnership_meetings(partnership: Partnership):
    return (Meeting.objects.filter(board__partnership=partnership)
            .select_related("board").order_by("board__name", "date"))
