"""`lapis import_audits`: EHC plan audit grades from a spreadsheet, one row per grade.

Columns (the header row is the first of the first ten rows with an `audit_id` column; headers
match ignoring case, spaces, underscores and hyphens):

- required: `audit_id, plan_id, audit_date, auditor, agency, section, grade`;
- optional: `phase, need, team` (to break the reports down), `moderates` (the audit_id of the
  audit this one grades again, for moderation).

`section` is a section code of the framework (for the EHC plan framework `A`..`K`, `H1`,
`H2`) or `overall`; `grade` is Outstanding, Good, Requires improvement or Inadequate (any
case). Every audit must have an `overall` grade: the reports count the plan's grade, and LAPIS
does not invent one from the sections. An audit's rows must agree on its plan, date, auditor,
agency, phase, need, team and moderates. Dates are real days (a date cell, 2024-05-14 or
14/05/2024), not in the future.

Reading (`read_audits`) touches no table; `check_audits` checks the audits named by
`moderates` against those held; `lapis.quality.actions.import_audits` then writes all or
nothing: a new audit is created, one already held (same audit_id in the partnership) is
updated with every change kept in its history, and grades imported are "recorded" (the
auditor's own).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl.utils import get_column_letter

from lapis.core.cells import clean_text, read_date, unneutralise
from lapis.core.errors import CellError
from lapis.core.spreadsheets import Problem, Problems, open_sheets
from lapis.quality import rules
from lapis.quality.models import Audit, Framework

MAX_ROWS = 20000  # a year of monthly audits of 12 sections is a few thousand rows
REQUIRED = ("audit_id", "plan_id", "audit_date", "auditor", "agency", "section", "grade")
OPTIONAL = ("phase", "need", "team", "moderates")
COLUMNS = REQUIRED + OPTIONAL
# The fields every row of one audit must agree on.
AUDIT_FIELDS = ("plan_id", "audit_date", "auditor", "agency", "phase", "need", "team",
                "moderates")
LIMITS = {"audit_id": 60, "plan_id": 100, "auditor": 150, "agency": 100, "phase": 40,
          "need": 60, "team": 100, "moderates": 60}
GRADE_WORDS = {grade.casefold(): grade for grade in rules.GRADES}


def _squash(text) -> str:
    return re.sub(r"[\s_\-]+", "", str(text)).casefold()


HEADERS = {_squash(name): name for name in COLUMNS}


@dataclass
class Row:
    sheet: str
    row: int
    letters: dict[str, str]
    values: dict[str, object]


@dataclass
class ParsedAudit:
    audit_id: str
    plan_id: str
    audit_date: dt.date
    auditor: str
    agency: str
    phase: str = ""
    need: str = ""
    team: str = ""
    moderates: str = ""
    grades: dict[str, str] = field(default_factory=dict)
    sheet: str = ""
    row: int = 0  # its first row
    letters: dict[str, str] = field(default_factory=dict)


@dataclass
class AuditRows:
    file: str
    audits: list[ParsedAudit] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    rows: int = 0

    def error(self, message, sheet="", row=None, column="", header=""):
        self.problems.append(Problem("error", message, self.file, sheet, row, column, header))

    def warn(self, message, sheet="", row=None, column="", header=""):
        self.warnings.append(Problem("warning", message, self.file, sheet, row, column, header))


def section_codes(framework: Framework) -> list[str]:
    return list(framework.sections.order_by("position").values_list("code", flat=True))


def read_audits(path: Path, *, sections: list[str], max_bytes: int,
                today: dt.date | None = None) -> AuditRows:
    """Read every sheet with an audit_id header; find every problem, naming its cell."""
    today = today or dt.date.today()
    result = AuditRows(file=path.name)
    holder = Problems(file=path.name)
    sheets = open_sheets(path, holder, max_bytes, MAX_ROWS)
    result.problems.extend(holder.problems)
    if sheets is None:
        return result
    codes = {code.casefold(): code for code in sections}
    codes[rules.OVERALL] = rules.OVERALL
    found_header = False
    parsed: dict[str, ParsedAudit] = {}
    where_grade: dict[tuple[str, str], tuple[str, int]] = {}
    for sheet in sheets:
        header = _header(sheet.rows)
        if header is None:
            continue
        found_header = True
        index, columns, unknown = header
        for letter, text in unknown:
            result.warn(f"column {text!r} is not one LAPIS reads; it was ignored",
                        sheet.title, index + 1, letter, text)
        missing = [name for name in REQUIRED if name not in columns]
        if missing:
            result.error(f"no {', '.join(repr(m) for m in missing)} column in the header row",
                         sheet.title, index + 1)
            continue
        letters = {name: get_column_letter(i + 1) for name, i in columns.items()}
        for number, values in enumerate(sheet.rows[index + 1:], start=index + 2):
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            result.rows += 1
            cells = {name: (values[i] if i < len(values) else None)
                     for name, i in columns.items()}
            formats = sheet.formats[number - 1] if number - 1 < len(sheet.formats) else []
            fmt = formats[columns["audit_date"]] if columns["audit_date"] < len(formats) \
                else "General"
            _row(result, Row(sheet.title, number, letters, cells), fmt, codes, today, parsed,
                 where_grade)
    if not found_header:
        result.error("no header row with an 'audit_id' column in the first 10 rows of any "
                     "sheet")
        return result
    for found in parsed.values():
        if rules.OVERALL not in found.grades:
            result.error(f"audit {found.audit_id!r} has no overall grade: add a row with "
                         "section 'overall' (the reports count the plan's overall grade)",
                         found.sheet, found.row, found.letters["section"], "section")
        if found.moderates and found.moderates == found.audit_id:
            result.error(f"audit {found.audit_id!r} cannot moderate itself", found.sheet,
                         found.row, found.letters.get("moderates", ""), "moderates")
    result.audits = list(parsed.values())
    return result


def _header(rows):
    for index, values in enumerate(rows[:10]):
        names = [HEADERS.get(_squash(v)) if isinstance(v, str) else None for v in values]
        if "audit_id" not in names:
            continue
        columns, unknown = {}, []
        for position, (name, text) in enumerate(zip(names, values, strict=True)):
            if name and name not in columns:
                columns[name] = position
            elif name is None and text not in (None, ""):
                unknown.append((get_column_letter(position + 1), str(text)))
        return index, columns, unknown
    return None


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a numeric ID typed into Excel
    if isinstance(value, str):
        value = unneutralise(value)
    return clean_text(value)


def _row(result: AuditRows, row: Row, fmt: str, codes: dict, today: dt.date,
         parsed: dict[str, ParsedAudit], where_grade: dict) -> None:
    before = len(result.problems)

    def fail(name, message):
        result.error(message, row.sheet, row.row, row.letters.get(name, ""), name)

    text = {name: _text(row.values.get(name)) for name in COLUMNS if name != "audit_date"}
    for name in REQUIRED:
        if name != "audit_date" and not text[name]:
            fail(name, f"the {name} is missing")
    for name, limit in LIMITS.items():
        if len(text.get(name, "")) > limit:
            fail(name, f"the {name} is longer than {limit} characters")
    day = None
    raw = row.values.get("audit_date")
    try:
        read = read_date(raw, order="dmy", number_format=fmt)
        if read is None:
            fail("audit_date", "the audit_date is missing")
        elif read.precision != "day":
            fail("audit_date", f"{raw!r} is a month, not a day: give the audit's date")
        elif read.value > today:
            fail("audit_date", f"the audit date {read.value.isoformat()} is in the future")
        else:
            day = read.value
    except CellError as error:
        fail("audit_date", f"the audit_date {error}")
    section = None
    if text["section"]:
        section = codes.get(text["section"].casefold())
        if section is None:
            fail("section", f"{text['section']!r} is not a section of this framework: use "
                 f"{', '.join(c for c in codes.values() if c != rules.OVERALL)} or overall")
    grade = None
    if text["grade"]:
        grade = GRADE_WORDS.get(" ".join(text["grade"].split()).casefold())
        if grade is None:
            fail("grade", f"{text['grade']!r} is not a grade: use Outstanding, Good, "
                 "Requires improvement or Inadequate")
    if len(result.problems) != before:
        return
    audit_id = text["audit_id"]
    values = {name: text[name] for name in AUDIT_FIELDS if name != "audit_date"}
    values["audit_date"] = day
    found = parsed.get(audit_id)
    if found is None:
        found = parsed[audit_id] = ParsedAudit(audit_id=audit_id, sheet=row.sheet, row=row.row,
                                               letters=row.letters, **values)
    else:
        for name in AUDIT_FIELDS:
            if getattr(found, name) != values[name]:
                shown = getattr(found, name)
                shown = shown.isoformat() if isinstance(shown, dt.date) else shown
                fail(name, f"audit {audit_id!r} has {name} {shown!r} on sheet "
                     f"'{found.sheet}' row {found.row}: every row of one audit must agree")
        if len(result.problems) != before:
            return
    key = (audit_id, section)
    if key in where_grade:
        sheet, first = where_grade[key]
        fail("section", f"audit {audit_id!r} already has a grade for section {section!r} on "
             f"sheet '{sheet}' row {first}")
        return
    where_grade[key] = (row.sheet, row.row)
    found.grades[section] = grade


# ---------------------------------------------------------------------------------------------
# Checking against the audits held (the writes are `lapis.quality.actions.import_audits`)
# ---------------------------------------------------------------------------------------------

@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    updated: dict[str, list[str]] = field(default_factory=dict)
    unchanged: list[str] = field(default_factory=list)
    dry_run: bool = False
    published: int = 0

    def as_json(self) -> dict:
        return dict(self.__dict__)


def _check_moderates(result: AuditRows, partnership, framework: Framework) -> list[Problem]:
    problems = []
    in_file = {a.audit_id: a for a in result.audits}
    held = {a.audit_id: a for a in Audit.objects.filter(partnership=partnership)}
    for found in result.audits:
        existing = held.get(found.audit_id)
        if existing is not None and existing.framework_id != framework.pk:
            problems.append(Problem(
                "error", f"audit {found.audit_id!r} is already held under the framework "
                f"{existing.framework}; import it with --framework {existing.framework.key}",
                result.file, found.sheet, found.row, found.letters["audit_id"], "audit_id"))
        if not found.moderates:
            continue
        target = in_file.get(found.moderates) or held.get(found.moderates)
        column = found.letters.get("moderates", "")
        if target is None:
            problems.append(Problem(
                "error", f"audit {found.audit_id!r} moderates {found.moderates!r}, which is "
                "neither in this file nor held", result.file, found.sheet, found.row, column,
                "moderates"))
            continue
        if target.moderates:
            target_of = (target.moderates if isinstance(target, ParsedAudit)
                         else target.moderates_id)
            if target_of:
                problems.append(Problem(
                    "error", f"audit {found.audit_id!r} moderates {found.moderates!r}, which "
                    "is itself a moderation: moderate the original audit", result.file,
                    found.sheet, found.row, column, "moderates"))
                continue
        if target.plan_id != found.plan_id:
            problems.append(Problem(
                "error", f"audit {found.audit_id!r} is of plan {found.plan_id!r} but moderates "
                f"{found.moderates!r}, an audit of plan {target.plan_id!r}", result.file,
                found.sheet, found.row, column, "moderates"))
    return problems


def check_audits(rows: AuditRows, partnership, framework: Framework) -> list[Problem]:
    """Every problem that stops `rows` being imported into the partnership: those found in
    reading, else those against the audits held (framework, moderations). Writes nothing."""
    return list(rows.problems) or _check_moderates(rows, partnership, framework)
