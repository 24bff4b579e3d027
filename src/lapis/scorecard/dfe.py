"""Readers for the Department for Education's published files, as DfE publishes them.

Plain Python (the standard library's csv, and openpyxl for the two workbooks); no Django.

EHC plan files (Explore Education Statistics, "Education, health and care plans", 2025)
---------------------------------------------------------------------------------------
`read_ehc_file(path)` reads one of three files and returns a `DfeFile` of `Observation`s.

1. Text. The file is UTF-8, with or without a byte-order mark (DfE's have one). Fields are
   read with the csv module, so a quoted name holding a comma ("Kingston upon Hull, City of")
   is one field. Every cell is stripped of surrounding spaces. A record with no text in any
   field (a blank line) is skipped. Rows are numbered as a spreadsheet shows them: the header
   is row 1, the first record row 2, blank lines included in the count.
2. Which file. The file is recognised by its columns, never by its name. Column names are
   compared without regard to case (DfE writes `pc_plans_issued_within_20_weeks` beside
   `PC_plans_issued_20_weeks_ex`). Each kind has measure columns (below); the kind sharing
   the most measure columns with the header is the file's kind. If none shares any, or two
   share as many, the file is not one of the three: `UnknownDfeFileError`, naming the
   columns each kind needs.
       timeliness_20_week: pc_plans_issued_within_20_weeks, plans_issued_within_20_weeks,
           plans_issued_den, PC_plans_issued_20_weeks_ex, plans_issued_20_weeks_ex,
           plans_issued_den_ex
       requests: request_outcome_six_weeks_pc, request_outcome_six_weeks,
           request_outcome_over_6_weeks
       annual_reviews: pc_decsion_4weeks, number_decsion_4weeks, number_decision_gt_4weeks
           (DfE's own spelling, "decsion")
   Every kind also needs the identifying columns `time_period, time_identifier,
   geographic_level, country_code, country_name, region_code, region_name, new_la_code,
   old_la_code, la_name, breakdown_topic, breakdown`. Each one missing is a problem.
3. Duplicated column names. A name that appears twice (annual_reviews.csv has
   `review_meeting_prior_24` in columns R and S, identical in every row) is ignored when
   this reader does not use it, and listed in `DfeFile.ignored_duplicate_columns`. When the
   reader does use it, every row's copies must agree; a row where they differ is a problem.
4. Indicators, one `Observation` per indicator per row:
       ehcp_issued_20_weeks: value pc_plans_issued_within_20_weeks, numerator
           plans_issued_within_20_weeks, denominator plans_issued_den
       ehcp_issued_20_weeks_ex (excluding exceptions): value PC_plans_issued_20_weeks_ex,
           numerator plans_issued_20_weeks_ex, denominator plans_issued_den_ex
       ehc_requests_decided_6_weeks: value request_outcome_six_weeks_pc, numerator
           request_outcome_six_weeks, denominator request_outcome_six_weeks +
           request_outcome_over_6_weeks. The guidance names no denominator ("Percentage of
           requests where decision made within 6 weeks"), and DfE's base is not quite this
           sum: England 2023 is published as 84.8 where 111723 / 131586 is 84.9, and in
           small LA breakdowns the gap reaches tens of points (Rochdale 2023, "Any other
           ethnic group": 1 within, 0 over, published 33.3). So the value is always DfE's
           published percentage and the denominator is this sum, a count to show beside it,
           not a base to recompute it from.
       ehc_review_decisions_4_weeks: value pc_decsion_4weeks, numerator
           number_decsion_4weeks, denominator number_decsion_4weeks +
           number_decision_gt_4weeks (reviews whose outcome was communicated within / after
           4 weeks; the published within and after percentages add to 100).
   A denominator made of two columns is None when either is suppressed.
5. Values. The value is the published percentage as a float, never recomputed. A cell
   holding a suppression code (`SUPPRESSION_CODES`: x, z, c, low, u, any case) gives None,
   and the value's code is kept in `suppression` (lower case). Numerators and denominators
   are whole numbers, None when suppressed. A percentage is a plain decimal number from 0
   to 100; a count is a whole number, 0 or more. Anything else (an empty cell, "n/a",
   "1,234", "84.8%", "-3") is a problem naming the row and column.
6. Areas, matched by code, never by name. `geographic_level` "National" -> level
   "national", area code `country_code` (E92000001), name `country_name`; "Regional" ->
   "regional", `region_code` (E12000003), `region_name`; "Local authority" -> "la", the old
   3-digit `old_la_code` (810) as the area code, the 9-character `new_la_code` (E06000010)
   kept in `new_la_code` (None when blank), `la_name`, and the LA's `region_code`. Any other
   level, an old LA code that is not 3 digits, a GSS code that is not a capital letter and 8
   digits, or an empty name is a problem.
7. Period. `time_period` as given ("2024"); its kind is `time_identifier` as given
   ("Calendar year"). A calendar year must be 4 digits.
8. Breakdowns. Every breakdown in the file is read. `breakdown_topic` is kept as the file
   has it; the "All" row (topic and breakdown equal and starting "All ", e.g. "All EHC plans
   issued") gets breakdown "All". Breakdown names repeat across topics ("Unknown" is both a
   Sex and an age in timeliness_20_week.csv), so `Observation.breakdown_key` ("All", or
   "Sex: Unknown") is the name that is unique within an area and period.
9. All or nothing. Every row is checked; a row with more or fewer fields than the header,
   and a row repeating another's indicator, period, area, topic and breakdown, are
   problems too. If there is any problem, `DfeFileError` lists every one (file, row,
   column, what is wrong) and nothing is returned.

Statistical neighbours and LA codes (DfE workbooks)
---------------------------------------------------
`read_statistical_neighbours(path)` reads sn_may_2025.xlsx: its first rows hold column
letters and numbers; the header row is the first (within 20) holding "LA Name" and "SN1".
Each row below gives an LA's old code ("LA num"), name, and in SN1..SN10 its ten neighbours'
codes in DfE's order, each followed by a closeness column all named "SNP" (a duplicated name,
so closeness columns are found by position, not name, and not returned). Rows below a row
reading "Old SNs:" are the groups of former LAs (Dorset, Poole and Bournemouth before 2019,
Northamptonshire, Cumbria); they are left out unless `include_former=True`, but their names
are used for neighbours. A neighbour's name is the name on its own row in the same file.
Problems: a code that is not 3 digits, "LA num" and "LA number" disagreeing, an LA listed
twice, a missing or repeated neighbour, an LA its own neighbour, a neighbour with no row.

`read_la_codes(path)` reads la_code_list.xlsx (header "LA Number, LA Name, Region, Type"):
old code, name, region and type (UA, SC, MD, OLB, ILB). The file has no 9-character codes
(those come with each EHC observation). Rows whose Type is "NA" are England and regional
totals (codes 970-990, 1000) and are left out. Problems: a missing column, a code that is
not 3 digits, a code listed twice, an empty name.

Cells of both workbooks may hold a code as a number (810), a whole float (810.0) or text.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

SUPPRESSION_CODES = {
    "x": "unavailable",
    "z": "not applicable",
    "c": "confidential",
    "low": "rounds to 0 but is not 0",
    "u": "low reliability",
}

ID_COLUMNS = (
    "time_period", "time_identifier", "geographic_level", "country_code", "country_name",
    "region_code", "region_name", "new_la_code", "old_la_code", "la_name", "breakdown_topic",
    "breakdown",
)

LEVELS = {"national": "national", "regional": "regional", "local authority": "la"}

_PERCENT = re.compile(r"\d+(\.\d+)?")
_COUNT = re.compile(r"\d+")
_OLD_LA = re.compile(r"\d{3}")
_GSS = re.compile(r"[A-Z]\d{8}")
_YEAR = re.compile(r"\d{4}")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file, where a data analyst would look for it."""

    file: str
    message: str
    row: int | None = None
    column: str | None = None
    sheet: str | None = None

    def __str__(self) -> str:
        where = [self.file]
        if self.sheet:
            where.append(f"sheet {self.sheet!r}")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column}")
        return ", ".join(where) + ": " + self.message


class DfeFileError(ValueError):
    """The file breaks the layout DfE publishes; `problems` lists every problem found."""

    def __init__(self, problems):
        self.problems = list(problems)
        count = len(self.problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''}:\n"
                         + "\n".join(f"- {p}" for p in self.problems))


class UnknownDfeFileError(DfeFileError):
    """The file is none of the files this reader knows."""


@dataclass(frozen=True)
class Observation:
    """One published figure: an indicator for an area, period and breakdown."""

    indicator: str
    period: str
    period_kind: str
    level: str  # "national", "regional" or "la"
    area_code: str  # E92000001, E12000003, or an LA's old code such as 810
    area_name: str
    breakdown_topic: str
    breakdown: str
    value: float | None
    suppression: str | None
    numerator: int | None
    denominator: int | None
    new_la_code: str | None = None
    region_code: str | None = None
    source_row: int = 0

    @property
    def breakdown_key(self) -> str:
        """"All", or "topic: breakdown": unique within an area and period."""
        if self.breakdown == "All":
            return "All"
        return f"{self.breakdown_topic}: {self.breakdown}"


@dataclass(frozen=True)
class DfeFile:
    file_name: str
    kind: str  # "timeliness_20_week", "requests" or "annual_reviews"
    indicators: tuple[str, ...]
    observations: tuple[Observation, ...]
    ignored_duplicate_columns: tuple[str, ...] = ()

    @cached_property
    def _index(self) -> dict[tuple[str, str, str, str], list[Observation]]:
        index = defaultdict(list)
        for o in self.observations:
            index[(o.indicator, o.period, o.area_code, o.breakdown)].append(o)
        return index

    def get(self, indicator: str, period: str, area_code: str, breakdown: str = "All",
            breakdown_topic: str | None = None) -> Observation | None:
        """The observation for these, or None; ValueError if the breakdown needs its topic."""
        found = [o for o in self._index.get((indicator, period, area_code, breakdown), [])
                 if breakdown_topic is None or o.breakdown_topic == breakdown_topic]
        if len(found) > 1:
            topics = ", ".join(o.breakdown_topic for o in found)
            raise ValueError(f"breakdown {breakdown!r} is under more than one topic ({topics}):"
                             " name the topic")
        return found[0] if found else None


@dataclass(frozen=True)
class _Indicator:
    key: str
    value: str
    numerator: str
    denominator: tuple[str, ...]


@dataclass(frozen=True)
class _Kind:
    name: str
    indicators: tuple[_Indicator, ...]

    @property
    def measures(self) -> tuple[str, ...]:
        names = []
        for i in self.indicators:
            for column in (i.value, i.numerator, *i.denominator):
                if column not in names:
                    names.append(column)
        return tuple(names)


KINDS = (
    _Kind("timeliness_20_week", (
        _Indicator("ehcp_issued_20_weeks", "pc_plans_issued_within_20_weeks",
                   "plans_issued_within_20_weeks", ("plans_issued_den",)),
        _Indicator("ehcp_issued_20_weeks_ex", "PC_plans_issued_20_weeks_ex",
                   "plans_issued_20_weeks_ex", ("plans_issued_den_ex",)),
    )),
    _Kind("requests", (
        _Indicator("ehc_requests_decided_6_weeks", "request_outcome_six_weeks_pc",
                   "request_outcome_six_weeks",
                   ("request_outcome_six_weeks", "request_outcome_over_6_weeks")),
    )),
    _Kind("annual_reviews", (
        _Indicator("ehc_review_decisions_4_weeks", "pc_decsion_4weeks", "number_decsion_4weeks",
                   ("number_decsion_4weeks", "number_decision_gt_4weeks")),
    )),
)


def _letter(position: int) -> str:
    """Spreadsheet column letter of a 0-based position: 0 -> A, 26 -> AA."""
    letters = ""
    position += 1
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _suppressed(cell: str) -> str | None:
    code = cell.lower()
    return code if code in SUPPRESSION_CODES else None


def _codes_text() -> str:
    return ", ".join(SUPPRESSION_CODES)


def _percentage(cell: str) -> tuple[float | None, str | None, str | None]:
    """(value, suppression code, problem)."""
    code = _suppressed(cell)
    if code:
        return None, code, None
    if not _PERCENT.fullmatch(cell):
        return None, None, (f"{cell!r} is not a percentage or a DfE suppression code "
                            f"({_codes_text()})" if cell else
                            f"is empty: DfE marks a missing figure with a code ({_codes_text()})")
    value = float(cell)
    if value > 100:
        return None, None, f"{cell!r} is over 100, so it is not a percentage"
    return value, None, None


def _count(cell: str) -> tuple[int | None, str | None]:
    """(count, problem)."""
    if _suppressed(cell):
        return None, None
    if not _COUNT.fullmatch(cell):
        return None, (f"{cell!r} is not a whole number of 0 or more or a DfE suppression code "
                      f"({_codes_text()})" if cell else
                      f"is empty: DfE marks a missing figure with a code ({_codes_text()})")
    return int(cell), None


def _decode(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise DfeFileError([Problem(path.name, (
            f"is not UTF-8 text (byte {data[error.start]:#04x} at position {error.start}); "
            "download it again from Explore Education Statistics, or save it as "
            "'CSV UTF-8'"))]) from error


def _records(path: Path) -> list[list[str]]:
    try:
        return list(csv.reader(io.StringIO(_decode(path), newline=""), strict=True))
    except csv.Error as error:
        raise DfeFileError([Problem(path.name, f"is not a well-formed CSV file: {error}")]) \
            from error


def _recognise(path: Path, header: list[str]) -> _Kind:
    names = {h.casefold() for h in header}
    scores = [(sum(m.casefold() in names for m in k.measures), k) for k in KINDS]
    best = max(score for score, _ in scores)
    winners = [k for score, k in scores if score == best]
    if best == 0 or len(winners) > 1:
        why = ("it has none of the columns that tell them apart" if best == 0 else
               "it has as many of the columns of " + " as of ".join(k.name for k in winners))
        expected = "; ".join(f"{k.name}.csv: {', '.join(k.measures)}" for k in KINDS)
        raise UnknownDfeFileError([Problem(path.name, (
            "is not one of the DfE EHC plans files this reader knows (20-week timeliness, "
            f"requests, annual reviews): {why}. Expected, besides "
            f"{', '.join(ID_COLUMNS)}, the columns of {expected}. "
            f"Its columns are: {', '.join(header)}"), row=1)])
    return winners[0]


def read_ehc_file(path) -> DfeFile:
    """Read a DfE EHC plans file (timeliness, requests or annual reviews), all or nothing."""
    path = Path(path)
    records = _records(path)
    if not records or not any(f.strip() for f in records[0]):
        raise DfeFileError([Problem(path.name, "is empty: there is no header row", row=1)])
    header = [h.strip().lstrip("\ufeff").strip() for h in records[0]]
    kind = _recognise(path, header)
    positions: dict[str, list[int]] = defaultdict(list)
    for i, name in enumerate(header):
        if name:
            positions[name.casefold()].append(i)
    spelt = {name.casefold(): name for name in reversed(header) if name}
    problems: list[Problem] = []
    for name in (*ID_COLUMNS, *kind.measures):
        if name.casefold() not in positions:
            problems.append(Problem(path.name, f"column {name} is missing from the header",
                                    row=1, column=name))
    if problems:
        raise DfeFileError(problems)
    wanted = {n.casefold() for n in (*ID_COLUMNS, *kind.measures)}
    ignored = tuple(spelt[n] for n, at in positions.items() if len(at) > 1 and n not in wanted)
    width = len(header)
    observations: list[Observation] = []
    seen: dict[tuple, int] = {}
    for rowno, fields in enumerate(records[1:], start=2):
        if not any(f.strip() for f in fields):
            continue
        if len(fields) != width:
            problems.append(Problem(path.name, (
                f"has {len(fields)} fields where the header has {width}: a name with a comma "
                "that is not in quotes, or a missing or extra comma"), row=rowno))
            continue
        cells = [f.strip() for f in fields]
        row_problems: list[Problem] = []

        def cell(name: str, cells=cells, rowno=rowno, row_problems=row_problems) -> str:
            at = positions[name.casefold()]
            first = cells[at[0]]
            for other in at[1:]:
                if cells[other] != first:
                    row_problems.append(Problem(path.name, (
                        f"the columns named {spelt[name.casefold()]} ({_letter(at[0])} and "
                        f"{_letter(other)}) disagree: {first!r} and {cells[other]!r}"),
                        row=rowno, column=spelt[name.casefold()]))
            return first

        def problem(name: str, message: str, rowno=rowno, row_problems=row_problems) -> None:
            row_problems.append(Problem(path.name, message, row=rowno,
                                        column=spelt.get(name.casefold(), name)))

        area = _area(cell, problem)
        period, period_kind = cell("time_period"), cell("time_identifier")
        if not period:
            problem("time_period", "is empty")
        elif period_kind.casefold() == "calendar year" and not _YEAR.fullmatch(period):
            problem("time_period", f"{period!r} is not a calendar year such as 2024")
        if not period_kind:
            problem("time_identifier", "is empty")
        topic, breakdown = cell("breakdown_topic"), cell("breakdown")
        for name, text in (("breakdown_topic", topic), ("breakdown", breakdown)):
            if not text:
                problem(name, "is empty")
        if topic == breakdown and topic.casefold().startswith("all "):
            breakdown = "All"
        for indicator in kind.indicators:
            value, code, wrong = _percentage(cell(indicator.value))
            if wrong:
                problem(indicator.value, wrong)
            numerator, wrong = _count(cell(indicator.numerator))
            if wrong:
                problem(indicator.numerator, wrong)
            parts = []
            for name in indicator.denominator:
                part, wrong = _count(cell(name))
                if wrong:
                    problem(name, wrong)
                parts.append(part)
            denominator = None if None in parts else sum(parts)
            if area is None or row_problems:
                continue
            identity = (indicator.key, period, area["level"], area["area_code"], topic,
                        breakdown)
            if identity in seen:
                problem("breakdown", f"repeats row {seen[identity]}: the same period, area, "
                        "breakdown topic and breakdown")
                continue
            seen[identity] = rowno
            observations.append(Observation(
                indicator=indicator.key, period=period, period_kind=period_kind,
                breakdown_topic=topic, breakdown=breakdown, value=value, suppression=code,
                numerator=numerator, denominator=denominator, source_row=rowno, **area))
        # A row's problems are reported once, however many indicators read the same cell.
        problems.extend(dict.fromkeys(row_problems))
    if problems:
        raise DfeFileError(problems)
    return DfeFile(file_name=path.name, kind=kind.name,
                   indicators=tuple(i.key for i in kind.indicators),
                   observations=tuple(observations), ignored_duplicate_columns=ignored)


def _area(cell, problem) -> dict | None:
    """The area fields of an Observation for this row, or None (with problems noted)."""
    raw = cell("geographic_level")
    level = LEVELS.get(raw.casefold())
    if level is None:
        problem("geographic_level", f"{raw!r} is not one of National, Regional, "
                "Local authority")
        return None
    region = cell("region_code")
    if level == "national":
        code, name = cell("country_code"), cell("country_name")
        code_column, name_column = "country_code", "country_name"
        if not _GSS.fullmatch(code):
            problem(code_column, f"{code!r} is not a country code such as E92000001")
            return None
        fields = {"region_code": None, "new_la_code": None}
    elif level == "regional":
        code, name = region, cell("region_name")
        code_column, name_column = "region_code", "region_name"
        if not _GSS.fullmatch(code):
            problem(code_column, f"{code!r} is not a region code such as E12000003")
            return None
        fields = {"region_code": code, "new_la_code": None}
    else:
        code, name = cell("old_la_code"), cell("la_name")
        code_column, name_column = "old_la_code", "la_name"
        new = cell("new_la_code")
        bad = False
        if not _OLD_LA.fullmatch(code):
            problem(code_column, f"{code!r} is not a 3-digit LA code such as 810")
            bad = True
        if new and not _GSS.fullmatch(new):
            problem("new_la_code", f"{new!r} is not a 9-character LA code such as E06000010")
            bad = True
        if region and not _GSS.fullmatch(region):
            problem("region_code", f"{region!r} is not a region code such as E12000003")
            bad = True
        if bad:
            return None
        fields = {"region_code": region or None, "new_la_code": new or None}
    if not name:
        problem(name_column, "is empty")
        return None
    return {"level": level, "area_code": code, "area_name": name, **fields}


# --- DfE workbooks --------------------------------------------------------------------------

@dataclass(frozen=True)
class LaCode:
    old_code: str
    name: str
    region: str
    la_type: str


def _sheet_rows(path: Path) -> tuple[str, list[tuple]]:
    """(sheet title, rows of values) of the first worksheet."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as error:
        raise DfeFileError([Problem(path.name, f"cannot be opened as an Excel .xlsx workbook "
                                    f"({error})")]) from error
    try:
        sheet = workbook.worksheets[0]
        return sheet.title, [tuple(r) for r in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _find_header(path, title, rows, needed) -> tuple[int, dict[str, list[int]]]:
    for index, row in enumerate(rows[:20]):
        names: dict[str, list[int]] = defaultdict(list)
        for position, value in enumerate(row):
            names[_text(value).casefold()].append(position)
        if all(n.casefold() in names for n in needed):
            return index, names
    raise DfeFileError([Problem(path.name, (
        f"has no header row holding {', '.join(needed)} in its first 20 rows"), sheet=title)])


def read_statistical_neighbours(path, *, include_former: bool = False
                                ) -> dict[str, list[tuple[str, str]]]:
    """{LA old code: its ten statistical neighbours as (code, name), in DfE's order}."""
    path = Path(path)
    title, rows = _sheet_rows(path)
    sn_columns = [f"SN{n}" for n in range(1, 11)]
    top, names = _find_header(path, title, rows, ["LA num", "LA Name", *sn_columns])
    code_at, name_at = names["la num"][0], names["la name"][0]
    check_at = names.get("la number", [None])[0]
    problems: list[Problem] = []

    def problem(rowno, column, message):
        problems.append(Problem(path.name, message, row=rowno, column=column, sheet=title))

    groups: dict[str, list[str]] = {}
    current: list[str] = []
    la_names: dict[str, str] = {}
    first_row: dict[str, int] = {}
    former = False
    for rowno, row in enumerate(rows[top + 1:], start=top + 2):
        cells = [_text(v) for v in row]
        if not any(cells):
            continue
        get = lambda at, cells=cells: cells[at] if at is not None and at < len(cells) else ""  # noqa: E731
        code, name = get(code_at), get(name_at)
        if not code:
            if name.casefold().startswith("old sn"):
                former = True
            else:
                problem(rowno, "LA num", "is empty: each row below the header is one LA")
            continue
        if not _OLD_LA.fullmatch(code):
            problem(rowno, "LA num", f"{code!r} is not a 3-digit LA code such as 810")
            continue
        if check_at is not None and get(check_at) and get(check_at) != code:
            problem(rowno, "LA number", f"{get(check_at)!r} differs from LA num {code!r}")
        if not name:
            problem(rowno, "LA Name", "is empty")
        if code in first_row:
            problem(rowno, "LA num", f"LA {code} is listed again (first on row "
                    f"{first_row[code]})")
            continue
        first_row[code] = rowno
        la_names[code] = name
        neighbours: list[str] = []
        for column in sn_columns:
            neighbour = get(names[column.casefold()][0])
            if not _OLD_LA.fullmatch(neighbour):
                problem(rowno, column, f"{neighbour!r} is not a 3-digit LA code" if neighbour
                        else "is empty: every LA has ten neighbours")
            elif neighbour == code:
                problem(rowno, column, f"LA {code} is named as its own neighbour")
            elif neighbour in neighbours:
                problem(rowno, column, f"LA {neighbour} is already a neighbour of {code}")
            else:
                neighbours.append(neighbour)
        groups[code] = neighbours
        if not former:
            current.append(code)
    for code, neighbours in groups.items():
        for position, neighbour in enumerate(neighbours, start=1):
            if neighbour not in la_names:
                problem(first_row[code], f"SN{position}", (
                    f"neighbour {neighbour} has no row of its own in this file, so its name "
                    "is unknown"))
    if problems:
        raise DfeFileError(problems)
    chosen = groups if include_former else {c: groups[c] for c in current}
    return {code: [(n, la_names[n]) for n in neighbours]
            for code, neighbours in chosen.items()}


def read_la_codes(path) -> dict[str, LaCode]:
    """{old code: LaCode} for every LA in DfE's LA code list, in the file's order."""
    path = Path(path)
    title, rows = _sheet_rows(path)
    columns = ["LA Number", "LA Name", "Region", "Type"]
    top, names = _find_header(path, title, rows, columns)
    at = {c: names[c.casefold()][0] for c in columns}
    problems: list[Problem] = []
    codes: dict[str, LaCode] = {}
    first_row: dict[str, int] = {}
    for rowno, row in enumerate(rows[top + 1:], start=top + 2):
        cells = [_text(v) for v in row]
        if not any(cells):
            continue
        get = {c: (cells[i] if i < len(cells) else "") for c, i in at.items()}
        if get["Type"].upper() == "NA":
            continue
        code = get["LA Number"]
        if not _OLD_LA.fullmatch(code):
            problems.append(Problem(path.name, f"{code!r} is not a 3-digit LA code such as 810"
                                    if code else "is empty", row=rowno, column="LA Number",
                                    sheet=title))
            continue
        if code in first_row:
            problems.append(Problem(path.name, f"LA {code} is listed again (first on row "
                                    f"{first_row[code]})", row=rowno, column="LA Number",
                                    sheet=title))
            continue
        if not get["LA Name"]:
            problems.append(Problem(path.name, "is empty", row=rowno, column="LA Name",
                                    sheet=title))
        first_row[code] = rowno
        codes[code] = LaCode(old_code=code, name=get["LA Name"], region=get["Region"],
                             la_type=get["Type"])
    if problems:
        raise DfeFileError(problems)
    return codes
