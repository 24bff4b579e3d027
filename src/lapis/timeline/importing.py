"""Read a milestones file (.xlsx or .csv) into plain rows, naming every problem.

Columns (found by header, in any order, on any sheet; case and spacing ignored):
Action ref | Priority | Action ref or priority, Milestone, Planned date, Current date,
Completed. Each row names an action ("4.6") or a priority ("4", "Priority 4"), not both.
Dates are a day (2025-02-14, 14/02/2025) or a month (2025-02, Feb-25), read by
`lapis.core.cells.read_date`, day first. The current date may be left empty (then it is the
planned date); Completed is the day the milestone was met, or empty.

Nothing here touches the database: `lapis.timeline.actions.import_milestones` checks the refs
against the plan and writes, all or nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl.utils import get_column_letter

from lapis.core.cells import clean_text, read_date, unneutralise
from lapis.core.dates import PartialDate
from lapis.core.errors import CellError
from lapis.core.spreadsheets import Problem, Problems, open_sheets
from lapis.plans import parsing

HEADERS = {
    "action ref": "action", "action": "action", "ref": "action", "action reference": "action",
    "priority": "priority", "workstream": "priority", "priority number": "priority",
    "action ref or priority": "either", "action or priority": "either",
    "milestone": "title", "milestone title": "title", "title": "title",
    "planned date": "planned", "planned": "planned", "original date": "planned",
    "current date": "current", "current": "current", "forecast date": "current",
    "forecast": "current", "revised date": "current",
    "completed": "completed", "completed on": "completed", "date completed": "completed",
    "completion date": "completed",
}
LABELS = {"action": "Action ref", "priority": "Priority", "either": "Action ref or priority",
          "title": "Milestone", "planned": "Planned date", "current": "Current date",
          "completed": "Completed"}
_PRIORITY = re.compile(r"(?:priority|workstream|p)?\s*(\d{1,3})", re.IGNORECASE)


@dataclass
class ParsedMilestone:
    sheet: str
    row: int
    columns: dict[str, str]  # field -> column letter, for problems found later
    action_ref: str | None = None
    priority: int | None = None
    title: str = ""
    planned: PartialDate | None = None
    current: PartialDate | None = None
    completed_on: dt.date | None = None


@dataclass
class MilestoneFile:
    file: str
    rows: list[ParsedMilestone] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _header_key(value) -> str | None:
    if not isinstance(value, str):
        return None
    return HEADERS.get(" ".join(value.replace("*", " ").split()).casefold())


def read_priority(value) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    match = _PRIORITY.fullmatch(" ".join(str(value).split()))
    if not match:
        raise CellError(f"{value!r} is not a priority number such as 4 or 'Priority 4'")
    return int(match.group(1))


def _read_either(value, row: ParsedMilestone) -> None:
    text = " ".join(str(value).split())
    if isinstance(value, str) and _PRIORITY.fullmatch(text) and not text.isdigit():
        row.priority = read_priority(value)
    elif isinstance(value, int | float) and float(value).is_integer():
        row.priority = int(value)
    elif text.isdigit():
        row.priority = int(text)
    else:
        row.action_ref = parsing.parse_ref(value)


def read_milestones(path: Path | str, *, max_bytes: int = 20 * 1024 * 1024) -> MilestoneFile:
    path = Path(path)
    result = MilestoneFile(file=path.name)
    holder = Problems(file=path.name)  # collects the file-level problems `_open` finds
    sheets = open_sheets(path, holder, max_bytes)
    result.problems.extend(holder.problems)
    if sheets is None:
        return result
    found_header = False
    for sheet in sheets:
        header_at, columns = None, {}
        for index, values in enumerate(sheet.rows[:10]):
            keys = [_header_key(v) for v in values]
            if "title" in keys and "planned" in keys:
                header_at = index
                for col, key in enumerate(keys):
                    if key and key not in columns:
                        columns[key] = col
                break
        if header_at is None:
            continue
        found_header = True
        if not {"action", "priority", "either"} & columns.keys():
            result.problems.append(Problem(
                "error", "no 'Action ref' or 'Priority' column: each milestone must name its "
                "action or priority", result.file, sheet.title, header_at + 1))
            continue
        for index in range(header_at + 1, len(sheet.rows)):
            _read_row(sheet, index, columns, result)
    if not found_header and not result.problems:
        result.problems.append(Problem(
            "error", "no sheet has a header row with 'Milestone' and 'Planned date' columns",
            result.file))
    return result


def _read_row(sheet, index: int, columns: dict[str, int], result: MilestoneFile) -> None:
    values, formats = sheet.rows[index], sheet.formats[index]
    cells = {key: values[col] if col < len(values) else None for key, col in columns.items()}
    if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells.values()):
        return
    letters = {key: get_column_letter(col + 1) for key, col in columns.items()}
    row = ParsedMilestone(sheet=sheet.title, row=index + 1, columns=letters)
    before = len(result.problems)

    def problem(key: str, message: str) -> None:
        result.problems.append(Problem("error", message, result.file, sheet.title, index + 1,
                                       letters.get(key, ""), LABELS.get(key, "")))

    for key in ("action", "priority", "either"):
        value = cells.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        try:
            if key == "action":
                row.action_ref = parsing.parse_ref(value)
            elif key == "priority":
                row.priority = read_priority(value)
            else:
                _read_either(value, row)
        except CellError as error:
            problem(key, str(error))
    if len(result.problems) == before:
        if row.action_ref and row.priority is not None:
            problem("priority", "give the action ref or the priority, not both")
        elif not row.action_ref and row.priority is None:
            key = "either" if "either" in columns else ("action" if "action" in columns
                                                         else "priority")
            problem(key, "name the action (such as 4.6) or the priority (such as 4)")
    row.title = unneutralise(clean_text(cells.get("title")))
    if not row.title:
        problem("title", "the milestone has no title")
    elif len(row.title) > 300:
        problem("title", f"the title is {len(row.title)} characters; the limit is 300")
    for key in ("planned", "current", "completed"):
        col = columns.get(key)
        try:
            value = read_date(cells.get(key), order="dmy",
                                      number_format=formats[col] if col is not None else "")
        except CellError as error:
            problem(key, str(error))
            continue
        if key == "planned":
            row.planned = value
            if value is None:
                problem(key, "the planned date is missing")
        elif key == "current":
            row.current = value
        elif value is not None:
            if value.precision != "day":
                problem(key, f"{cells.get(key)!r} is a month; give the day it was completed, "
                        "such as 2025-02-14")
            row.completed_on = value.value
    result.rows.append(row)
