"""Read a pseudonymised EHC case extract (SEN2's modules) and find every problem in it.

No Django here. `CaseFileReader(path, max_bytes=..., today=...)` streams the rows of a folder
of CSV files or of one .xlsx workbook, module by module in the order their references need
(person, requests, assessments, named_plans, reviews, sen_need), and yields batches of valid
rows as plain named tuples. References between modules are carried as ordinals: the position
of the referenced row among the valid rows of its module (person 0, 1, 2, ...), so a loader
keeps one list of database keys per module instead of a dictionary of a million IDs.
Every problem lands in `reader.report`, naming the file (and sheet), the row as a spreadsheet
numbers it (the header is row 1) and the column, by letter and SEN2 name.
`lapis.cases.loading` writes the rows, all or nothing.

The files
---------
A folder holding `person.csv`, `requests.csv`, `assessments.csv`, `named_plans.csv`,
`reviews.csv` and `sen_need.csv`, or one workbook with a sheet per module named the same
without `.csv`. File, sheet and column names are matched ignoring case, spaces, underscores
and hyphens ("Named plans" is `named_plans`; "person id" is `PersonID`). The header is row 1.
CSV is read as UTF-8 (a byte-order mark is allowed), or as Windows-1252 when the file is not
valid UTF-8, as Excel writes both. Wholly blank rows are skipped.

- `person` and `requests` must be there; a missing other module is a warning (none imported).
- A module is refused if a column holding a required value is missing; a missing column of
  optional values is a warning and is read as blank. Extra columns are a warning, ignored.
- Each file, and the workbook, is refused over `max_bytes` (LAPIS_MAX_CASE_IMPORT_BYTES).

Columns and values (R = a value is required)
--------------------------------------------
- person: PersonID (R), BirthMonth (R, YYYY-MM, stored as the 1st of the month; a date cell
  in a workbook gives its year and month), Sex (R, M, F or U for not known).
- requests: RequestID (R), PersonID (R), ReceivedDate (R), RequestSource (text),
  RequestOutcome (Y, N, A, W, H or blank while undecided), RequestOutcomeDate.
- assessments: RequestID (R, at most one assessment per request), AssessmentOutcome (Y, N,
  A, W, H or blank while open), AssessmentOutcomeDate, Week20 (1 when a statutory exception
  applies, 0 or blank when not).
- named_plans: PlanID (R), PersonID (R), RequestID (blank for a plan made before the years
  the file covers), StartDate (R), CeaseDate, CeaseReason (text).
- reviews: PlanID (R), ReviewMeeting (R), ReviewDecisionDate, ReviewOutcome (maintain,
  amend, cease or blank while undecided), AmendmentNoticeDate, AmendedPlanDate,
  PhaseTransferDueDate, PhaseTransferFinalDate.
- sen_need: PersonID (R), SENType (R, one of SEN_TYPES), SENTypeRank (R, a whole number
  from 1).
Codes are read ignoring case. Dates are ISO, YYYY-MM-DD (a date cell in a workbook is taken
as it is). IDs are text of at most 100 characters; free text at most 100.

Hard problems (the import stops; nothing is written)
----------------------------------------------------
- a required value missing; a date that is not YYYY-MM-DD or not a real day;
- a code outside its list (outcomes, Week20, ReviewOutcome, Sex, SENType, SENTypeRank);
- an outcome with no outcome date where the outcome is a decision (RequestOutcome or
  AssessmentOutcome Y or N, any ReviewOutcome), or an outcome date with no outcome;
- the same PersonID, RequestID or PlanID twice in its module; a second assessment of a
  request; a second review of a plan on the same meeting date; a PersonID with two needs of
  the same rank;
- a reference to a PersonID, RequestID or PlanID not in its module;
- a PersonID that looks like a UPN (a letter, 11 digits and a digit or letter): the
  extract must be pseudonymised.
An ID whose row has other hard problems still counts as known, so one bad cell does not
cascade into "unknown PersonID" on every later row.

Soft problems (imported, with a warning)
----------------------------------------
- an outcome before receipt: RequestOutcomeDate, or AssessmentOutcomeDate, before the
  request's ReceivedDate; an AssessmentOutcomeDate before the RequestOutcomeDate;
- a plan issued (AssessmentOutcome Y) whose request's RequestOutcome is not Y;
- a date after `today`;
- an exception flag (Week20 = 1) on a case not issued (AssessmentOutcome not Y);
- a named plan whose request's AssessmentOutcome is not Y (or that has no assessment);
- a named plan whose RequestID belongs to another PersonID, or a request named by two plans;
- a CeaseDate before the StartDate; a ReviewDecisionDate before the ReviewMeeting; an
  AmendedPlanDate before the AmendmentNoticeDate.

At most MAX_PROBLEMS errors and as many warnings are kept; the rest are counted.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import re
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from openpyxl.utils import get_column_letter

from lapis.core.spreadsheets import Problem, refuse_workbook, unreadable

MAX_PROBLEMS = 10_000
MAX_ID = 100
MAX_TEXT = 100
BATCH = 2000

OUTCOMES = frozenset("YNAWH")
DECISIONS = frozenset("YN")  # outcomes that are decisions, so carry their date
SEXES = frozenset("MFU")
REVIEW_OUTCOMES = frozenset({"maintain", "amend", "cease"})
SEN_TYPES = ("ASD", "SLCN", "SEMH", "MLD", "SLD", "PMLD", "SPLD", "HI", "VI", "MSI", "PD",
             "OTH", "NSA")
_SEN_TYPES = frozenset(SEN_TYPES)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_MONTH = re.compile(r"\d{4}-\d{2}", re.ASCII)
_UPN = re.compile(r"[A-Za-z]\d{11}[0-9A-Za-z]", re.ASCII)


@dataclass(frozen=True)
class Module:
    name: str  # the file without .csv, the sheet
    columns: tuple[str, ...]  # SEN2's field names, in SEN2's order
    required: frozenset[str]  # columns whose every value is required
    must_exist: bool  # the import is refused without this module

    @property
    def file(self) -> str:
        return f"{self.name}.csv"


MODULES = (
    Module("person", ("PersonID", "BirthMonth", "Sex"),
           frozenset({"PersonID", "BirthMonth", "Sex"}), True),
    Module("requests", ("RequestID", "PersonID", "ReceivedDate", "RequestSource",
                        "RequestOutcome", "RequestOutcomeDate"),
           frozenset({"RequestID", "PersonID", "ReceivedDate"}), True),
    Module("assessments", ("RequestID", "AssessmentOutcome", "AssessmentOutcomeDate",
                           "Week20"), frozenset({"RequestID"}), False),
    Module("named_plans", ("PlanID", "PersonID", "RequestID", "StartDate", "CeaseDate",
                           "CeaseReason"), frozenset({"PlanID", "PersonID", "StartDate"}),
           False),
    Module("reviews", ("PlanID", "ReviewMeeting", "ReviewDecisionDate", "ReviewOutcome",
                       "AmendmentNoticeDate", "AmendedPlanDate", "PhaseTransferDueDate",
                       "PhaseTransferFinalDate"), frozenset({"PlanID", "ReviewMeeting"}), False),
    Module("sen_need", ("PersonID", "SENType", "SENTypeRank"),
           frozenset({"PersonID", "SENType", "SENTypeRank"}), False),
)
MODULE_NAMES = tuple(m.name for m in MODULES)


class PersonRow(NamedTuple):
    row: int
    person_id: str
    birth_month: dt.date
    sex: str


class RequestRow(NamedTuple):
    row: int
    request_id: str
    person: int  # ordinal of the person row
    received: dt.date
    source: str
    outcome: str
    outcome_date: dt.date | None


class AssessmentRow(NamedTuple):
    row: int
    request: int
    outcome: str
    outcome_date: dt.date | None
    week20: bool


class PlanRow(NamedTuple):
    row: int
    plan_id: str
    person: int
    request: int | None
    start: dt.date
    cease: dt.date | None
    cease_reason: str


class ReviewRow(NamedTuple):
    row: int
    plan: int
    meeting: dt.date
    decision_date: dt.date | None
    outcome: str
    amendment_notice: dt.date | None
    amended_plan: dt.date | None
    phase_transfer_due: dt.date | None
    phase_transfer_final: dt.date | None


class NeedRow(NamedTuple):
    row: int
    person: int
    sen_type: str
    rank: int


@dataclass
class Report:
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(MODULE_NAMES, 0))
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    errors_total: int = 0
    warnings_total: int = 0

    @property
    def ok(self) -> bool:
        return self.errors_total == 0

    def add(self, problem: Problem) -> None:
        if problem.level == "error":
            self.errors_total += 1
            if len(self.errors) < MAX_PROBLEMS:
                self.errors.append(problem)
        else:
            self.warnings_total += 1
            if len(self.warnings) < MAX_PROBLEMS:
                self.warnings.append(problem)


def normalise(name: str) -> str:
    """How file, sheet and column names are compared: "Person ID" == "person_id" == "PersonID"."""
    return re.sub(r"[\s_\-]", "", str(name).replace("\ufeff", "")).lower()


class _Ids:
    """IDs seen in one module: ID -> ordinal among valid rows, or ~row for an invalid row."""

    def __init__(self):
        self.index: dict[str, int] = {}
        self.rows = array("l")  # ordinal -> row number

    def first_row(self, value: int) -> int:
        return self.rows[value] if value >= 0 else ~value


class _Source:
    """Where one module's rows come from: (file, sheet, header, iterator of (row, values))."""

    def __init__(self, file: str, sheet: str, header: list, rows: Iterator[tuple[int, tuple]]):
        self.file, self.sheet, self.header, self.rows = file, sheet, header, rows
        self.index: dict[str, int] = {}  # SEN2 column -> position
        self.letters: dict[str, str] = {}  # SEN2 column -> letter, "C"
        self.failed = ""  # why reading stopped part way, if it did
        self.failed_row: int | None = None


class CaseFileReader:
    def __init__(self, path: Path, *, max_bytes: int, today: dt.date, batch_size: int = BATCH):
        self.path = Path(path)
        self.max_bytes = max_bytes
        self.today = today
        self.today_ordinal = today.toordinal()
        self.batch_size = batch_size
        self.report = Report()
        self.people = _Ids()
        self.requests = _Ids()
        self.plans = _Ids()
        # Per request ordinal: what later modules check against.
        self.received = array("l")
        self.request_outcome = bytearray()
        self.request_outcome_date = array("l")  # 0 when none
        self.request_person = array("l")
        self.assessment_outcome = bytearray()  # 0 when no assessment row
        self.assessed = bytearray()
        self.planned = bytearray()
        self.reviews: dict[int, int] = {}  # plan ordinal * 10**7 + meeting ordinal -> row
        self.needs: dict[tuple[int, int], int] = {}

    # -- problems ------------------------------------------------------------------------

    def _problem(self, level, message, source: _Source | None = None, row=None, column=""):
        file, sheet, letter = self.path.name, "", ""
        if source is not None:
            file, sheet = source.file, source.sheet
            if column:
                letter = source.letters.get(column, "")
        self.report.add(Problem(level, message, file, sheet, row, letter, column))

    def error(self, message, source=None, row=None, column=""):
        self._problem("error", message, source, row, column)

    def warn(self, message, source=None, row=None, column=""):
        self._problem("warning", message, source, row, column)

    # -- the walk ------------------------------------------------------------------------

    def batches(self) -> Iterator[tuple[str, list]]:
        """Yield (module name, valid rows) in batches, module by module."""
        opened = self._open()
        if opened is None:
            return
        sources, close = opened
        try:
            for module in MODULES:
                source = sources.get(module.name)
                if source is None:
                    if module.must_exist:
                        self.error(f"there is no {module.name} module: give {module.file} "
                                   f"(or a sheet called {module.name})")
                    else:
                        self.warn(f"there is no {module.name} module ({module.file}); none "
                                  "imported")
                    continue
                if not self._columns(module, source):
                    continue
                yield from self._module(module, source)
        finally:
            close()

    def read_all(self) -> dict[str, list]:
        """Every valid row, by module: for small files and tests."""
        rows: dict[str, list] = {name: [] for name in MODULE_NAMES}
        for name, batch in self.batches():
            rows[name].extend(batch)
        return rows

    def _columns(self, module: Module, source: _Source) -> bool:
        wanted = {normalise(c): c for c in module.columns}
        for position, text in enumerate(source.header):
            key = normalise(text) if text is not None else ""
            column = wanted.get(key)
            letter = get_column_letter(position + 1)
            if column is not None and column not in source.index:
                source.index[column] = position
                source.letters[column] = letter
            elif column is not None:
                self.warn(f"column {letter} is a second {column} column; ignored", source, 1)
            elif key:
                self.warn(f"column {letter} ('{text}') is not a {module.name} field; ignored",
                          source, 1)
        ok = True
        for column in module.columns:
            if column in source.index:
                continue
            if column in module.required:
                self.error(f"the {column} column is missing (row 1 must name the columns: "
                           f"{', '.join(module.columns)})", source, 1, column)
                ok = False
            else:
                self.warn(f"the {column} column is missing; read as blank", source, 1, column)
        return ok

    def _module(self, module: Module, source: _Source) -> Iterator[tuple[str, list]]:
        check = getattr(self, f"_{module.name}")
        getters = {c: _getter(source.index.get(c)) for c in module.columns}
        batch: list = []
        for row, values in source.rows:
            if not any(v not in (None, "") for v in values):
                continue
            found = check(source, row, values, getters)
            if found is not None:
                self.report.counts[module.name] += 1
                batch.append(found)
                if len(batch) >= self.batch_size:
                    yield module.name, batch
                    batch = []
        if source.failed:
            self.error(source.failed, source, source.failed_row)
        if batch:
            yield module.name, batch

    # -- cells ---------------------------------------------------------------------------

    def _text(self, source, row, values, get, column, *, limit=MAX_TEXT, required=False):
        value = _text(get(values))
        if not value:
            if required:
                self.error(f"{column} is required", source, row, column)
            return value, not required
        if len(value) > limit:
            self.error(f"{column} is longer than {limit} characters", source, row, column)
            return value[:limit], False
        return value, True

    def _date(self, source, row, values, get, column, *, required=False):
        """(date or None, ok). A future date is a warning."""
        raw = get(values)
        if isinstance(raw, dt.datetime):
            value = raw.date()
        elif isinstance(raw, dt.date):
            value = raw
        else:
            text = _text(raw)
            if not text:
                if required:
                    self.error(f"{column} is required", source, row, column)
                    return None, False
                return None, True
            value = None
            if _DATE.fullmatch(text):
                try:
                    value = dt.date.fromisoformat(text)
                except ValueError:
                    value = None
            if value is None:
                self.error(f"'{text}' is not a date: write it as YYYY-MM-DD, e.g. 2024-09-30",
                           source, row, column)
                return None, False
        if value.toordinal() > self.today_ordinal:
            self.warn(f"{column} {value.isoformat()} is in the future (after "
                      f"{self.today.isoformat()})", source, row, column)
        return value, True

    def _code(self, source, row, values, get, column, allowed, *, upper=True, required=False):
        text = _text(get(values))
        if not text:
            if required:
                self.error(f"{column} is required", source, row, column)
            return "", not required
        code = text.upper() if upper else text.lower()
        if code not in allowed:
            self.error(f"'{text}' is not a {column} code: use one of "
                       f"{', '.join(_ordered(allowed))}", source, row, column)
            return "", False
        return code, True

    def _register(self, ids: _Ids, what: str, value: str, source, row, column, ok) -> int:
        """The row's ordinal (>= 0) when it is valid and new; -1 otherwise."""
        held = ids.index.get(value)
        if held is not None:
            self.error(f"{what} {value} is already on row {ids.first_row(held)}", source, row,
                       column)
            return -1
        if not ok:
            ids.index[value] = ~row
            return -1
        ordinal = len(ids.rows)
        ids.index[value] = ordinal
        ids.rows.append(row)
        return ordinal

    def _reference(self, ids: _Ids, what: str, module: str, value: str, source, row, column):
        """Ordinal of the referenced row; -1 for an invalid one; None when unknown."""
        held = ids.index.get(value)
        if held is None:
            self.error(f"{what} {value} is not in {module}", source, row, column)
            return None
        return held if held >= 0 else -1

    # -- modules -------------------------------------------------------------------------

    def _person(self, source, row, values, get):
        person_id, ok = self._text(source, row, values, get["PersonID"], "PersonID",
                                   limit=MAX_ID, required=True)
        if person_id and _UPN.fullmatch(person_id):
            self.error("PersonID looks like a UPN: the extract must be pseudonymised (use the "
                       "case system's pseudonymous ID, never a UPN or name)", source, row,
                       "PersonID")
            ok = False
        birth_month, month_ok = self._month(source, row, values, get["BirthMonth"])
        sex, sex_ok = self._code(source, row, values, get["Sex"], "Sex", SEXES, required=True)
        ok = ok and month_ok and sex_ok
        if not person_id:
            return None
        ordinal = self._register(self.people, "PersonID", person_id, source, row, "PersonID",
                                 ok)
        return PersonRow(row, person_id, birth_month, sex) if ordinal >= 0 else None

    def _month(self, source, row, values, get):
        raw = get(values)
        if isinstance(raw, dt.date):  # a workbook turns "2015-03" into a date
            value = dt.date(raw.year, raw.month, 1)
        else:
            text = _text(raw)
            if not text:
                self.error("BirthMonth is required", source, row, "BirthMonth")
                return None, False
            value = None
            if _MONTH.fullmatch(text):
                try:
                    value = dt.date(int(text[:4]), int(text[5:]), 1)
                except ValueError:
                    value = None
            if value is None:
                self.error(f"'{text}' is not a month: write it as YYYY-MM, e.g. 2015-03 "
                           "(month and year only)", source, row, "BirthMonth")
                return None, False
        if value.toordinal() > self.today_ordinal:
            self.warn(f"BirthMonth {value:%Y-%m} is in the future", source, row, "BirthMonth")
        return value, True

    def _requests(self, source, row, values, get):
        request_id, ok = self._text(source, row, values, get["RequestID"], "RequestID",
                                    limit=MAX_ID, required=True)
        person = self._person_ref(source, row, values, get)
        received, received_ok = self._date(source, row, values, get["ReceivedDate"],
                                           "ReceivedDate", required=True)
        request_source, source_ok = self._text(source, row, values, get["RequestSource"],
                                               "RequestSource")
        outcome, outcome_ok = self._code(source, row, values, get["RequestOutcome"],
                                         "RequestOutcome", OUTCOMES)
        outcome_date, date_ok = self._date(source, row, values, get["RequestOutcomeDate"],
                                           "RequestOutcomeDate")
        paired = self._paired(source, row, outcome, outcome_ok, outcome_date, date_ok,
                              "RequestOutcome", "RequestOutcomeDate", DECISIONS)
        if received and outcome_date and outcome_date < received:
            self.warn(f"the outcome ({outcome_date}) is before the request was received "
                      f"({received})", source, row, "RequestOutcomeDate")
        ok = (ok and person is not None and person >= 0 and received_ok and source_ok
              and outcome_ok and date_ok and paired)
        if not request_id:
            return None
        ordinal = self._register(self.requests, "RequestID", request_id, source, row,
                                 "RequestID", ok)
        if ordinal < 0:
            return None
        self.received.append(received.toordinal())
        self.request_outcome.append(ord(outcome) if outcome else 0)
        self.request_outcome_date.append(outcome_date.toordinal() if outcome_date else 0)
        self.request_person.append(person)
        self.assessment_outcome.append(0)
        self.assessed.append(0)
        self.planned.append(0)
        return RequestRow(row, request_id, person, received, request_source, outcome,
                          outcome_date)

    def _assessments(self, source, row, values, get):
        request_id, ok = self._text(source, row, values, get["RequestID"], "RequestID",
                                    limit=MAX_ID, required=True)
        request = None
        if request_id:
            request = self._reference(self.requests, "RequestID", "requests", request_id,
                                      source, row, "RequestID")
        outcome, outcome_ok = self._code(source, row, values, get["AssessmentOutcome"],
                                         "AssessmentOutcome", OUTCOMES)
        outcome_date, date_ok = self._date(source, row, values, get["AssessmentOutcomeDate"],
                                           "AssessmentOutcomeDate")
        paired = self._paired(source, row, outcome, outcome_ok, outcome_date, date_ok,
                              "AssessmentOutcome", "AssessmentOutcomeDate", DECISIONS)
        flag = _text(get["Week20"](values))
        week20_ok = flag in ("", "0", "1")
        if not week20_ok:
            self.error(f"'{flag}' is not a Week20 code: use 1 when a statutory exception "
                       "applies, 0 when not", source, row, "Week20")
        week20 = flag == "1"
        if week20 and outcome_ok and outcome != "Y":
            self.warn("Week20 = 1 (an exception to the 20-week limit) on a case not issued "
                      f"(AssessmentOutcome {outcome or 'blank'})", source, row, "Week20")
        ok = (ok and request is not None and request >= 0 and outcome_ok and date_ok
              and paired and week20_ok)
        if request is not None and request >= 0:
            if self.assessed[request]:
                self.error(f"RequestID {request_id} already has an assessment (one per request)",
                           source, row, "RequestID")
                return None
            self.assessed[request] = 1
            self.assessment_outcome[request] = ord(outcome) if outcome else 0
            self._assessment_order(source, row, request, outcome, outcome_date)
        return AssessmentRow(row, request, outcome, outcome_date, week20) if ok else None

    def _assessment_order(self, source, row, request, outcome, outcome_date):
        if outcome == "Y" and self.request_outcome[request] != ord("Y"):
            code = chr(self.request_outcome[request]) if self.request_outcome[request] else ""
            self.warn("a plan was issued (AssessmentOutcome Y) but the request's "
                      f"RequestOutcome is {code or 'blank'}, not Y", source, row,
                      "AssessmentOutcome")
        if outcome_date is None:
            return
        day = outcome_date.toordinal()
        received = self.received[request]
        decided = self.request_outcome_date[request]
        if day < received:
            self.warn(f"the assessment outcome ({outcome_date}) is before the request was "
                      f"received ({dt.date.fromordinal(received)})", source, row,
                      "AssessmentOutcomeDate")
        elif decided and day < decided:
            self.warn(f"the assessment outcome ({outcome_date}) is before the decision to "
                      f"assess ({dt.date.fromordinal(decided)})", source, row,
                      "AssessmentOutcomeDate")

    def _named_plans(self, source, row, values, get):
        plan_id, ok = self._text(source, row, values, get["PlanID"], "PlanID", limit=MAX_ID,
                                 required=True)
        person = self._person_ref(source, row, values, get)
        request_id = _text(get["RequestID"](values))
        request = None
        request_ok = True
        if request_id:
            request = self._reference(self.requests, "RequestID", "requests", request_id,
                                      source, row, "RequestID")
            request_ok = request is not None and request >= 0
        start, start_ok = self._date(source, row, values, get["StartDate"], "StartDate",
                                     required=True)
        cease, cease_ok = self._date(source, row, values, get["CeaseDate"], "CeaseDate")
        reason, reason_ok = self._text(source, row, values, get["CeaseReason"], "CeaseReason")
        if start and cease and cease < start:
            self.warn(f"the plan ceased ({cease}) before it started ({start})", source, row,
                      "CeaseDate")
        if request_ok and request is not None:
            self._plan_request(source, row, plan_id, request, request_id, person)
        ok = (ok and person is not None and person >= 0 and request_ok and start_ok
              and cease_ok and reason_ok)
        if not plan_id:
            return None
        ordinal = self._register(self.plans, "PlanID", plan_id, source, row, "PlanID", ok)
        if ordinal < 0:
            return None
        return PlanRow(row, plan_id, person, request, start, cease, reason)

    def _plan_request(self, source, row, plan_id, request, request_id, person):
        outcome = self.assessment_outcome[request]
        if outcome != ord("Y"):
            said = f"AssessmentOutcome {chr(outcome)}" if outcome else "no assessment outcome"
            self.warn(f"plan {plan_id} names request {request_id}, which has {said}, not Y "
                      "(a plan issued)", source, row, "RequestID")
        if person is not None and person >= 0 and self.request_person[request] != person:
            self.warn(f"request {request_id} belongs to another PersonID", source, row,
                      "RequestID")
        if self.planned[request]:
            self.warn(f"request {request_id} is named by another plan too", source, row,
                      "RequestID")
        self.planned[request] = 1

    def _reviews(self, source, row, values, get):
        plan_id, ok = self._text(source, row, values, get["PlanID"], "PlanID", limit=MAX_ID,
                                 required=True)
        plan = None
        if plan_id:
            plan = self._reference(self.plans, "PlanID", "named_plans", plan_id, source, row,
                                   "PlanID")
        dates, fine = {}, {}
        for column in ("ReviewMeeting", "ReviewDecisionDate", "AmendmentNoticeDate",
                       "AmendedPlanDate", "PhaseTransferDueDate", "PhaseTransferFinalDate"):
            dates[column], fine[column] = self._date(source, row, values, get[column], column,
                                                     required=column == "ReviewMeeting")
        ok = ok and all(fine.values())
        outcome, outcome_ok = self._code(source, row, values, get["ReviewOutcome"],
                                         "ReviewOutcome", REVIEW_OUTCOMES, upper=False)
        paired = self._paired(source, row, outcome, outcome_ok, dates["ReviewDecisionDate"],
                              fine["ReviewDecisionDate"], "ReviewOutcome", "ReviewDecisionDate",
                              REVIEW_OUTCOMES)
        meeting, decided = dates["ReviewMeeting"], dates["ReviewDecisionDate"]
        if meeting and decided and decided < meeting:
            self.warn(f"the decision ({decided}) is before the review meeting ({meeting})",
                      source, row, "ReviewDecisionDate")
        notice, amended = dates["AmendmentNoticeDate"], dates["AmendedPlanDate"]
        if notice and amended and amended < notice:
            self.warn(f"the amended plan ({amended}) is before the amendment notice "
                      f"({notice})", source, row, "AmendedPlanDate")
        ok = ok and plan is not None and plan >= 0 and outcome_ok and paired
        if plan is not None and plan >= 0 and meeting:
            key = plan * 10**7 + meeting.toordinal()
            if key in self.reviews:
                self.error(f"plan {plan_id} already has a review meeting on {meeting} (row "
                           f"{self.reviews[key]})", source, row, "ReviewMeeting")
                return None
            self.reviews[key] = row
        if not ok:
            return None
        return ReviewRow(row, plan, meeting, decided, outcome, notice, amended,
                         dates["PhaseTransferDueDate"], dates["PhaseTransferFinalDate"])

    def _sen_need(self, source, row, values, get):
        person = self._person_ref(source, row, values, get)
        sen_type, type_ok = self._code(source, row, values, get["SENType"], "SENType",
                                       _SEN_TYPES, required=True)
        text = _text(get["SENTypeRank"](values))
        rank = int(text) if text.isdigit() and text.isascii() else 0
        if not text:
            self.error("SENTypeRank is required", source, row, "SENTypeRank")
        elif rank < 1:
            self.error(f"'{text}' is not a SENTypeRank: use a whole number, 1 for the primary "
                       "need", source, row, "SENTypeRank")
        if person is not None and person >= 0 and rank >= 1:
            held = self.needs.get((person, rank))
            if held is not None:
                self.error(f"this PersonID already has a need ranked {rank} (row {held})",
                           source, row, "SENTypeRank")
                return None
            self.needs[(person, rank)] = row
        if person is None or person < 0 or not type_ok or rank < 1:
            return None
        return NeedRow(row, person, sen_type, rank)

    def _person_ref(self, source, row, values, get):
        person_id = _text(get["PersonID"](values))
        if not person_id:
            self.error("PersonID is required", source, row, "PersonID")
            return None
        return self._reference(self.people, "PersonID", "person", person_id, source, row,
                               "PersonID")

    def _paired(self, source, row, outcome, outcome_ok, day, day_ok, code_column, date_column,
                needing_date) -> bool:
        """An outcome that is a decision carries its date; a date carries its outcome."""
        if outcome and outcome in needing_date and day is None and day_ok:
            self.error(f"{code_column} {outcome} has no {date_column}", source, row,
                       date_column)
            return False
        if day is not None and not outcome and outcome_ok:
            self.error(f"{date_column} is given but {code_column} is blank", source, row,
                       code_column)
            return False
        return True

    # -- opening -------------------------------------------------------------------------

    def _open(self) -> tuple[dict[str, _Source], Callable[[], None]] | None:
        path = self.path
        if path.is_dir():
            return self._open_folder(path)
        if not path.is_file():
            self.error("there is no such file or folder")
            return None
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            return self._open_workbook(path)
        self.error(f"'{path.name}' is neither a folder of CSV files nor an .xlsx workbook")
        return None

    def _too_big(self, path: Path, file: str) -> bool:
        size = path.stat().st_size
        if size > self.max_bytes:
            self.report.add(Problem(
                "error", f"the file is {size:,} bytes, over the limit of {self.max_bytes:,} "
                "(LAPIS_MAX_CASE_IMPORT_BYTES)", file))
            return True
        return False

    def _open_folder(self, folder: Path):
        wanted = {normalise(m.name): m.name for m in MODULES}
        found: dict[str, Path] = {}
        for entry in sorted(folder.iterdir()):
            if not entry.is_file() or entry.suffix.lower() != ".csv":
                continue
            name = wanted.get(normalise(entry.stem))
            if name is None:
                self.report.add(Problem("warning", "not a case module file; ignored",
                                        entry.name))
            elif name in found:
                self.report.add(Problem("error", f"a second {name} file (the first is "
                                        f"{found[name].name})", entry.name))
            else:
                found[name] = entry
        sources: dict[str, _Source] = {}
        handles = []
        for name, entry in found.items():
            if self._too_big(entry, entry.name):
                continue
            encoding = _csv_encoding(entry)
            if encoding is None:
                self.report.add(Problem("error", "this is not a text .csv file (it contains "
                                        "binary data)", entry.name))
                continue
            handle = open(entry, encoding=encoding, newline="")  # noqa: SIM115 - closed below
            handles.append(handle)
            source = _csv_source(entry.name, handle)
            if source is None:
                self.report.add(Problem("warning", "the file is empty", entry.name))
                continue
            sources[name] = source

        def close():
            for handle in handles:
                handle.close()

        return sources, close

    def _open_workbook(self, path: Path):
        import openpyxl

        if self._too_big(path, path.name):
            return None
        refused = refuse_workbook(path, self.max_bytes, part_factor=10,
                                  otherwise="give a folder of .csv files")
        if refused:
            self.error(refused)
            return None
        # Our own handle, closed with the workbook: openpyxl leaves its zip open when the XML
        # is broken.
        handle = path.open("rb")  # noqa: SIM115 - closed by close() below
        try:
            # defusedxml is installed, so openpyxl refuses entity declarations (XML bombs).
            workbook = openpyxl.load_workbook(handle, data_only=True, read_only=True)
        except Exception as error:  # openpyxl raises many types for malformed files
            handle.close()
            self.error(unreadable(error, path, path.name))
            return None

        def close():
            workbook.close()
            handle.close()

        wanted = {normalise(m.name): m.name for m in MODULES}
        sources: dict[str, _Source] = {}
        for sheet in workbook.worksheets:
            name = wanted.get(normalise(sheet.title.removesuffix(".csv")))
            if name is None:
                self.report.add(Problem("warning", "not a case module sheet; ignored",
                                        path.name, sheet.title))
                continue
            if name in sources:
                self.report.add(Problem("error", f"a second {name} sheet", path.name,
                                        sheet.title))
                continue
            source = _Source(path.name, sheet.title, [], iter(()))
            rows = _sheet_rows(sheet, source, path)
            first = next(rows, None)
            if source.failed:
                self.report.add(Problem("error", source.failed, path.name, sheet.title,
                                        source.failed_row))
                continue
            if first is None:
                self.report.add(Problem("warning", "the sheet is empty", path.name,
                                        sheet.title))
                continue
            source.header, source.rows = list(first[1]), rows
            sources[name] = source
        return sources, close


def _csv_encoding(path: Path) -> str | None:
    """utf-8-sig when the whole file is valid UTF-8, else cp1252; None for binary data."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8 = True
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            if b"\x00" in chunk:
                return None
            if utf8:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    utf8 = False
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8 = False
    return "utf-8-sig" if utf8 else "cp1252"


def _csv_source(file: str, handle) -> _Source | None:
    reader = csv.reader(handle)
    try:
        header = next(reader, None)
    except csv.Error:
        header = None
    if header is None:
        return None
    source = _Source(file, "", header, iter(()))
    source.rows = _csv_rows(reader, source)
    return source


def _csv_rows(reader, source: _Source) -> Iterator[tuple[int, list]]:
    row = 1  # a record, as a spreadsheet numbers it: a quoted line break does not count
    try:
        for values in reader:
            row += 1
            yield row, values
    except csv.Error as error:
        source.failed, source.failed_row = f"the CSV could not be read here: {error}", row + 1


def _sheet_rows(sheet, source: _Source, path: Path) -> Iterator[tuple[int, tuple]]:
    """A read-only sheet's rows, numbered; openpyxl parses as it goes, so invalid XML part way
    stops the sheet with the reason in `source.failed` rather than a traceback."""
    row = 0
    try:
        for values in sheet.iter_rows(values_only=True):
            row += 1
            yield row, values
    except Exception as error:  # openpyxl raises many types for malformed files
        source.failed, source.failed_row = unreadable(error, path, path.name), row + 1


def _getter(position: int | None):
    if position is None:
        return lambda values: None
    return lambda values: values[position] if position < len(values) else None


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # an ID typed into a workbook as a number: "1001", not "1001.0"
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value).strip()


def _ordered(codes) -> list[str]:
    order = {c: i for i, c in enumerate((*"YNAWH", *SEN_TYPES, "M", "F", "U", "maintain",
                                         "amend", "cease"))}
    return sorted(codes, key=lambda c: order.get(c, 99))
