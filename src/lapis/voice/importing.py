"""Read a survey tool's export and a complaints log into plain rows, finding every problem.

Nothing here touches the database; `lapis.voice.actions` writes, all or nothing. Every problem
names the file, sheet, row and column (`lapis.core.spreadsheets.Problem`).

Survey export (.csv or .xlsx, first sheet): the first non-blank row is the header; one row per
respondent, one column per question with the question's text as its header. A column headed
"Respondent ID" (or "Response ID", "ID") gives each respondent's ID, else the row number is
used; a column headed "Timestamp" (or "Submitted", "Date submitted", "Start date", "End date",
"Completed") gives the date. **Personal data is dropped**: a column headed like a name or
contact detail ("Name", "Your name", "First name", "Surname", "Email", "Email address",
"Phone", "Mobile", "Address", "Postcode", "Date of birth", "IP address", "Contact details",
"NHS number", "UPN") is not read, and the import warns naming it; an answer anywhere else that
holds an email address is refused (remove it and import again).

Complaints log (.csv or .xlsx, every sheet with a "Reference" header in its first 10 rows):
columns Reference, Received, Channel, Service, Themes, Stage, Outcome, Response date (headers
matched ignoring case, spaces and underscores; see `COMPLAINT_COLUMNS` for other names).
Themes are separated by commas or semicolons. Name or contact columns are dropped with a
warning, as above.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl.utils import get_column_letter

from lapis.core.cells import clean_text, unneutralise
from lapis.core.spreadsheets import Problem, Problems, open_sheets
from lapis.voice import rules

MAX_SURVEY_ROWS = 20000
MAX_COMPLAINT_ROWS = 20000
MAX_ANSWER = 5000


@dataclass
class Found:
    file: str
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def error(self, message, sheet="", row=None, column="", header=""):
        self.problems.append(Problem("error", message, self.file, sheet, row, column,
                                     str(header)[:80]))

    def warn(self, message, sheet="", row=None, column="", header=""):
        self.warnings.append(Problem("warning", message, self.file, sheet, row, column,
                                     str(header)[:80]))


@dataclass
class ParsedQuestion:
    number: int
    text: str
    kind: str
    column: str


@dataclass
class ParsedResponse:
    respondent: str
    submitted: dt.date | None
    answers: dict[int, str]  # question number -> answer (canonical for scales)


@dataclass
class ParsedSurvey(Found):
    questions: list[ParsedQuestion] = field(default_factory=list)
    responses: list[ParsedResponse] = field(default_factory=list)


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value) -> str:
    if isinstance(value, str):
        value = unneutralise(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return clean_text(value)


def _open(path: Path, found: Found, max_bytes: int, max_rows: int):
    holder = Problems(file=path.name)
    sheets = open_sheets(path, holder, max_bytes, max_rows)
    found.problems.extend(holder.problems)
    return sheets


def read_survey(path: Path, *, max_bytes: int, kinds: dict[str, str] | None = None
                ) -> ParsedSurvey:
    """`kinds` maps a column letter ("C") or a question's exact header text to a kind
    (agree, yes_no, choice, free_text), overriding detection."""
    result = ParsedSurvey(file=path.name)
    sheets = _open(path, result, max_bytes, MAX_SURVEY_ROWS)
    if sheets is None:
        return result
    sheet = next((s for s in sheets if any(not _blank(v) for r in s.rows for v in r)), None)
    if sheet is None:
        result.error("the file is empty")
        return result
    title = sheet.title if path.suffix.lower() != ".csv" else ""
    rows = sheet.rows
    start = next(i for i, r in enumerate(rows) if any(not _blank(v) for v in r))
    header = rows[start]
    chosen = {k.strip().casefold(): v for k, v in (kinds or {}).items()}
    for given in chosen.values():
        if given not in rules.KINDS:
            result.error(f"unknown question kind {given!r}: use one of "
                         f"{', '.join(rules.KINDS)}")
    id_col = time_col = None
    questions: list[tuple[int, str, str]] = []  # (position, letter, text)
    seen_text: dict[str, str] = {}
    width = max(len(r) for r in rows[start:])
    for position in range(width):
        value = header[position] if position < len(header) else None
        letter = get_column_letter(position + 1)
        text = _text(value)
        if not text:
            if any(position < len(r) and not _blank(r[position]) for r in rows[start + 1:]):
                result.error("this column has answers but no question in the header row",
                             title, start + 1, letter)
            continue
        role = rules.header_role(text)
        if role == "personal":
            result.warn("this column looks like personal data (a name or contact detail): "
                        "it was not read and nothing from it is held", title, start + 1,
                        letter, text)
        elif role == "id" and id_col is None:
            id_col = position
        elif role == "timestamp" and time_col is None:
            time_col = position
        elif role in ("id", "timestamp"):
            result.warn("a second ID or timestamp column: ignored", title, start + 1, letter,
                        text)
        else:
            key = text.casefold()
            if key in seen_text:
                result.error(f"the same question is already column {seen_text[key]}", title,
                             start + 1, letter, text)
                continue
            seen_text[key] = letter
            questions.append((position, letter, text))
    if not questions:
        result.error("no question columns in the header row", title, start + 1)
        return result
    body = [(number, values) for number, values in enumerate(rows[start + 1:], start=start + 2)
            if any(not _blank(v) for v in values)]
    if not body:
        result.error("no responses below the header row", title, start + 1)

    def cell(values, position):
        return values[position] if position is not None and position < len(values) else None

    for index, (position, letter, text) in enumerate(questions, start=1):
        answers = [_text(cell(values, position)) for _, values in body]
        kind = chosen.get(letter.casefold()) or chosen.get(text.casefold())
        kind = kind if kind in rules.KINDS else rules.detect_kind(answers)
        result.questions.append(ParsedQuestion(index, text, kind, letter))
    respondents: dict[str, int] = {}
    for number, values in body:
        before = len(result.problems)
        if id_col is not None and not _blank(cell(values, id_col)):
            respondent = _text(cell(values, id_col))[:100]
        else:
            respondent = f"row {number}"
        if rules.holds_email(respondent):
            result.error("the respondent ID looks like an email address: LAPIS holds no "
                         "contact details", title, number, get_column_letter(id_col + 1),
                         _text(header[id_col]))
        elif respondent.casefold() in respondents:
            result.error(f"respondent {respondent!r} is already on row "
                         f"{respondents[respondent.casefold()]}", title, number,
                         get_column_letter(id_col + 1), _text(header[id_col]))
        respondents.setdefault(respondent.casefold(), number)
        submitted = None
        if time_col is not None:
            try:
                submitted = rules.read_date(cell(values, time_col))
            except rules.RuleError as error:
                result.error(str(error), title, number, get_column_letter(time_col + 1),
                             _text(header[time_col]))
        answers = {}
        for question, (position, letter, text) in zip(result.questions, questions,
                                                      strict=True):
            value = _text(cell(values, position))
            if not value:
                continue
            if rules.holds_email(value):
                result.error("the answer holds an email address: LAPIS holds no contact "
                             "details, so remove it and import again", title, number, letter,
                             text)
                continue
            if len(value) > MAX_ANSWER:
                result.error(f"the answer is longer than {MAX_ANSWER} characters", title,
                             number, letter, text)
                continue
            shown = rules.canonical(question.kind, value)
            if shown is None:
                result.error(f"{value[:40]!r} is not an answer on the "
                             f"{rules.KINDS[question.kind].lower()} "
                             f"({', '.join(rules.allowed_answers(question.kind))})", title,
                             number, letter, text)
                continue
            answers[question.number] = shown
        if len(result.problems) == before:
            result.responses.append(ParsedResponse(respondent, submitted, answers))
    return result


# ---------------------------------------------------------------------------------------------
# Complaints
# ---------------------------------------------------------------------------------------------

COMPLAINT_COLUMNS = {
    "reference": "Reference",
    "received": "Received",
    "channel": "Channel",
    "service": "Service",
    "themes": "Themes",
    "stage": "Stage",
    "outcome": "Outcome",
    "responded": "Response date",
}
_REQUIRED = ("reference", "received", "channel")
_ALIASES = {
    "reference": ["reference", "ref", "complaint reference", "complaint ref", "case reference",
                  "complaint id", "id"],
    "received": ["received", "date received", "received date", "received on"],
    "channel": ["channel", "how received", "method", "contact method"],
    "service": ["service", "service area", "team"],
    "themes": ["themes", "theme", "category", "categories", "complaint themes"],
    "stage": ["stage", "complaint stage"],
    "outcome": ["outcome", "result", "decision"],
    "responded": ["response date", "responded", "date responded", "responded on",
                  "date of response", "closed", "date closed"],
}
_HEADER_WORDS = {re.sub(r"[\s_\-]+", "", alias): name for name, aliases in _ALIASES.items()
                 for alias in aliases}
# Columns an export adds for readers: an import knows them and ignores them.
_DERIVED = {"workingdays", "withinstandard", "duedate", "quarter"}


def _header_name(value) -> str | None:
    return _HEADER_WORDS.get(re.sub(r"[\s_\-]+", "", str(value or "").casefold()))


@dataclass
class ParsedComplaint:
    sheet: str
    row: int
    reference: str
    received: dt.date
    channel: str
    service: str
    themes: list[str]
    stage: int
    outcome: str
    responded: dt.date | None


@dataclass
class ParsedComplaints(Found):
    rows: list[ParsedComplaint] = field(default_factory=list)


def read_complaints(path: Path, *, max_bytes: int) -> ParsedComplaints:
    result = ParsedComplaints(file=path.name)
    sheets = _open(path, result, max_bytes, MAX_COMPLAINT_ROWS)
    if sheets is None:
        return result
    found_header = False
    seen: dict[str, tuple[str, int]] = {}
    for sheet in sheets:
        title = sheet.title if path.suffix.lower() != ".csv" else ""
        header_at = next((i for i, r in enumerate(sheet.rows[:10])
                          if "reference" in [_header_name(v) for v in r]), None)
        if header_at is None:
            continue
        found_header = True
        header = sheet.rows[header_at]
        columns: dict[str, int] = {}
        for position, value in enumerate(header):
            letter = get_column_letter(position + 1)
            name = _header_name(value)
            text = _text(value)
            if name and name not in columns:
                columns[name] = position
            elif text and rules.is_personal_header(text):
                result.warn("this column looks like personal data (a name or contact "
                            "detail): it was not read and nothing from it is held", title,
                            header_at + 1, letter, text)
            elif text and re.sub(r"[\s_\-]+", "", text.casefold()) not in _DERIVED:
                result.warn(f"column {text!r} is not one LAPIS reads; it was ignored", title,
                            header_at + 1, letter, text)
        missing = [COMPLAINT_COLUMNS[n] for n in _REQUIRED if n not in columns]
        if missing:
            result.error(f"no {', '.join(repr(m) for m in missing)} column in the header row",
                         title, header_at + 1)
            continue
        letters = {n: get_column_letter(p + 1) for n, p in columns.items()}
        for number, values in enumerate(sheet.rows[header_at + 1:], start=header_at + 2):
            if all(_blank(v) for v in values):
                continue
            parsed = _complaint(result, title, number, values, columns, letters)
            if parsed is None:
                continue
            key = parsed.reference.casefold()
            if key in seen:
                where = seen[key]
                result.error(f"reference {parsed.reference!r} is already used on "
                             f"{'sheet ' + repr(where[0]) + ' ' if where[0] else ''}"
                             f"row {where[1]}", title, number, letters["reference"],
                             COMPLAINT_COLUMNS["reference"])
                continue
            seen[key] = (title, number)
            result.rows.append(parsed)
    if not found_header:
        result.error("no header row with a 'Reference' column in the first 10 rows of any "
                     "sheet")
    return result


_LOOKS_LIKE_NAME = re.compile(r"(Mrs?|Ms|Miss|Dr)?\.? ?[A-Z][a-z'-]+( [A-Z][a-z'-]+)+")


def _complaint(result, title, number, values, columns, letters):
    before = len(result.problems)
    out = {}

    def cell(name):
        position = columns.get(name)
        value = values[position] if position is not None and position < len(values) else None
        return unneutralise(value) if isinstance(value, str) else value

    def fail(name, message):
        result.error(message, title, number, letters.get(name, ""), COMPLAINT_COLUMNS[name])

    reference = clean_text(cell("reference"))
    if not reference:
        fail("reference", "the reference is missing")
    elif len(reference) > 40:
        fail("reference", "the reference is longer than 40 characters")
    elif rules.holds_email(reference) or _LOOKS_LIKE_NAME.fullmatch(reference):
        fail("reference", "the reference looks like a name or email address: use a "
             "pseudonymous reference such as C-2024-017")
    service = clean_text(cell("service"))
    if len(service) > 200:
        fail("service", "the service is longer than 200 characters")
    readers = {
        "received": lambda v: rules.read_date(v, required=True),
        "channel": rules.read_channel,
        "themes": rules.read_themes,
        "stage": rules.read_stage,
        "outcome": rules.read_outcome,
        "responded": rules.read_date,
    }
    for name, reader in readers.items():
        try:
            out[name] = reader(cell(name))
        except rules.RuleError as error:
            fail(name, str(error))
    if len(result.problems) == before:
        if out["responded"] and out["responded"] < out["received"]:
            fail("responded", "the response date is before the date received")
        elif out["outcome"] != "open" and out["responded"] is None:
            fail("responded", f"a complaint with the outcome "
                 f"{rules.OUTCOMES[out['outcome']].lower()} needs its response date")
    if len(result.problems) != before:
        return None
    return ParsedComplaint(title, number, reference, out["received"], out["channel"], service,
                           out["themes"], out["stage"], out["outcome"], out["responded"])
