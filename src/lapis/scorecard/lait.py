"""DfE's Local Authority Interactive Tool (LAIT): its building data set and data dictionary,
read as LAIT publishes them (plain Python, no Django).

- `read_dictionary(rows)`: one `Measure` per `Measure_short`; polarity `High` is "higher",
  `Low` is "lower", anything else ("-", "NA") is "neither" (no rank, no band); `dps` is the
  decimal places or None ("NA"); a `Table_status` starting "DISCONTINUED" marks a
  discontinued measure; `No_Quartile` = "N" means LAIT shows no quartile band. When the
  dictionary lists a code twice, the row that is not discontinued wins, else the first, and
  the measure shows no quartile if either row says so (CINPermAbsent_3Term is listed with
  `NA` and with `N`).
- `read_rows(rows, measures)`: the building data set's rows (dicts with LAIT's column names,
  numbered from 2 as in a spreadsheet with its header) as `Figure`s. A value `-`, `c`, `x`,
  `..` or blank is no figure (`c`, `x`, `..` are kept as the suppression mark); a number may
  be in exponent form. Rows with the placeholder period `0` and no figure are skipped (LAIT
  publishes them for one measure); every other problem is a `LaitProblem` naming the row and
  column, and the caller writes nothing.
- `parse_period(label)`: the published label kept as it is, with a start date for ordering:
  `2024` (calendar), `2023/24` (academic, 1 September), `2024-25` (financial, 1 April),
  `2014-16` (three calendar years, from 1 January 2014), `2013/14-15/16` (three academic
  years, from 1 September 2013). A qualifier in brackets (`2018 (Rev)`, `2020 (Final)`,
  `2025 (prov)`, `2016-17 (OT)`) stays in the label and sorts with the period it qualifies.
- `area_code(number)`: LAIT's 3-digit number as LAPIS's area code: LAs keep theirs ("810"),
  England (970) is E92000001, the regions 980-990 are their E12 codes, inner and outer London
  (987, 988) keep LAIT's numbers. Matched by code, never by name.
- `rounded(value, dps)`: half away from zero to `dps` places (None: as published).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

from lapis.scorecard.periods import Period

ENGLAND = "E92000001"
REGIONS = {970: ENGLAND, 980: "E12000001", 981: "E12000002", 982: "E12000003",
           983: "E12000004", 984: "E12000005", 985: "E12000006", 986: "E12000007",
           987: "987", 988: "988", 989: "E12000008", 990: "E12000009"}
# The region an LA belongs to, from the fixed vocabulary of LAIT's `Region` column (LAIT
# spells it differently from its own region rows, so it is read as a label, not matched to an
# area's name). Inner and outer London LAs are in London, as DfE's other files place them.
REGION_LABELS = {"north east": 980, "north west": 981, "yorkshire and the humber": 982,
                 "east midlands": 983, "west midlands": 984, "east of england": 985,
                 "london": 986, "inner london": 986, "outer london": 986, "south east": 989,
                 "south west": 990}
NO_FIGURE = {"", "-", "c", "x", "..", "na", "nan"}
HIGHER, LOWER, NEITHER = "higher", "lower", "neither"
BDS_COLUMNS = ("Short Desc", "Years", "LA and Regions", "Values", "LA Number", "Region")
DICTIONARY_COLUMNS = ("Measure_short", "Topic", "Measure", "Polarity", "dps", "Year_Type")


@dataclass(frozen=True)
class LaitProblem:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column!r}: {self.message}"

    def as_json(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


class LaitError(ValueError):
    def __init__(self, file: str, problems: list[LaitProblem]):
        self.file, self.problems = file, problems
        shown = "; ".join(str(p) for p in problems[:10])
        more = f" (and {len(problems) - 10} more)" if len(problems) > 10 else ""
        super().__init__(f"{file}: {shown}{more}")


@dataclass(frozen=True)
class Measure:
    code: str
    name: str
    topic: str
    polarity: str
    dps: int | None
    year_type: str
    description: str = ""
    methodology: str = ""
    source: str = ""
    unit: str = "rate"
    discontinued: bool = False
    no_quartile: bool = False


@dataclass(frozen=True)
class Figure:
    measure: str
    period: Period
    area_code: str
    area_name: str
    level: str  # national | regional | la
    region_code: str
    value: float | None
    suppressed: str = ""


def _text(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def _missing(columns, wanted, file) -> None:
    absent = [c for c in wanted if c not in columns]
    if absent:
        raise LaitError(file, [LaitProblem(1, c, "this column is missing") for c in absent])


def polarity_of(text: str) -> str:
    return {"high": HIGHER, "low": LOWER}.get(_text(text).lower(), NEITHER)


def unit_of(axis: str) -> str:
    axis = _text(axis).lower()
    if "%" in axis or "percent" in axis:
        return "%"
    return "count" if axis.startswith(("number", "count")) else "rate"


def read_dictionary(rows, file: str = "dictionary") -> dict[str, Measure]:
    rows = list(rows)
    if rows:
        _missing(rows[0].keys(), DICTIONARY_COLUMNS, file)
    measures: dict[str, Measure] = {}
    problems = []
    for number, row in enumerate(rows, start=2):
        code = _text(row.get("Measure_short"))
        if not code:
            problems.append(LaitProblem(number, "Measure_short", "no measure code"))
            continue
        dps_text = _text(row.get("dps"))
        dps = None
        if dps_text and dps_text.upper() != "NA":
            if not re.fullmatch(r"\d{1,2}", dps_text):
                problems.append(LaitProblem(number, "dps", f"{dps_text!r} is not a number of "
                                            "decimal places"))
                continue
            dps = int(dps_text)
        owner = _text(row.get("Data Owner (DO) /Supplier and Contact Details"))
        measure = Measure(
            code=code, name=_text(row.get("Measure"))[:200] or code,
            topic=_text(row.get("Topic"))[:100], polarity=polarity_of(row.get("Polarity")),
            dps=dps, year_type=_text(row.get("Year_Type"))[:40],
            description=_text(row.get("Description")),
            methodology=_text(row.get("Methodology")),
            source=("DfE LAIT" + (f": {owner}" if owner and owner != "NA" else ""))[:300],
            unit=unit_of(row.get("y_axis_name")),
            discontinued=_text(row.get("Table_status")).upper().startswith("DISCONTINUED"),
            no_quartile=_text(row.get("No_Quartile")).upper() == "N")
        held = measures.get(code)
        if held is None or (held.discontinued and not measure.discontinued):
            measures[code] = measure
        if held is not None and (held.no_quartile or measure.no_quartile):
            measures[code] = replace(measures[code], no_quartile=True)
    if problems:
        raise LaitError(file, problems)
    return measures


_YEAR = r"(\d{4})"


def parse_period(label: str) -> Period:
    """The published label with a start date to sort by; ValueError for anything else."""
    text = _text(label)
    m = re.fullmatch(r"(.+?)\s*\(([A-Za-z]+)\)", text)
    base = m[1] if m else text
    kind, start = _base_period(base)
    if kind is None:
        raise ValueError(f"{label!r} is not a LAIT period (2024, 2023/24, 2024-25, 2014-16, "
                         "2013/14-15/16, optionally with (Rev), (Final), (prov) ...)")
    return Period(start, text, kind)


def _base_period(text: str):
    if m := re.fullmatch(_YEAR, text):
        return "calendar_year", dt.date(int(m[1]), 1, 1)
    if m := re.fullmatch(_YEAR + r"/(\d{2})", text):
        if _next(m[1], m[2], 1):
            return "academic_year", dt.date(int(m[1]), 9, 1)
    if m := re.fullmatch(_YEAR + r"-(\d{2})", text):
        if _next(m[1], m[2], 1):
            return "financial_year", dt.date(int(m[1]), 4, 1)
        if _next(m[1], m[2], 2):
            return "calendar_years", dt.date(int(m[1]), 1, 1)
    if m := re.fullmatch(_YEAR + r"/(\d{2})-(\d{2})/(\d{2})", text):
        if _next(m[1], m[2], 1) and _next(m[1], m[3], 2) and _next(m[1], m[4], 3):
            return "academic_years", dt.date(int(m[1]), 9, 1)
    return None, None


def _next(year: str, short: str, step: int) -> bool:
    return (int(year) + step) % 100 == int(short)


def read_value(text) -> tuple[float | None, str]:
    """(the number, "") or (None, the suppression mark); ValueError for anything else."""
    raw = _text(text)
    if raw.lower() in NO_FIGURE:
        return None, "" if raw in ("", "-") or raw.lower() in ("na", "nan") else raw
    number = float(raw)  # "7.0000000000000007E-2" too
    if not math.isfinite(number):
        raise ValueError(raw)
    return number, ""


def area_code(number) -> tuple[str, str]:
    """(LAPIS's area code, its level) for LAIT's `LA Number`; ValueError if it is none."""
    text = _text(number)
    value = float(text)
    if value != int(value) or not 100 <= value <= 999:
        raise ValueError(text)
    code = int(value)
    if code in REGIONS:
        return REGIONS[code], "national" if code == 970 else "regional"
    return str(code), "la"


def read_rows(rows, measures: dict[str, Measure], file: str = "bds") -> tuple[list[Figure], int]:
    """Every row as a Figure, and how many placeholder rows were skipped; LaitError (every
    problem, each naming its row and column) when any row is wrong."""
    figures, problems, skipped = [], [], 0
    seen: dict[tuple, int] = {}
    periods: dict[str, Period] = {}
    for number, row in enumerate(rows, start=2):
        if number == 2:
            _missing(row.keys(), BDS_COLUMNS, file)
        code = _text(row.get("Short Desc"))
        label = _text(row.get("Years"))
        try:
            value, suppressed = read_value(row.get("Values"))
        except ValueError:
            problems.append(LaitProblem(number, "Values", f"{_text(row.get('Values'))!r} is "
                                        "not a number, '-', 'c', 'x' or '..'"))
            continue
        if label == "0" and value is None:
            skipped += 1
            continue
        if code not in measures:
            problems.append(LaitProblem(number, "Short Desc", f"{code!r} is not a measure in "
                                        "the dictionary"))
            continue
        period = periods.get(label)
        if period is None:
            try:
                period = periods[label] = parse_period(label)
            except ValueError as error:
                problems.append(LaitProblem(number, "Years", str(error)))
                continue
        try:
            area, level = area_code(row.get("LA Number"))
        except ValueError:
            problems.append(LaitProblem(number, "LA Number", f"{_text(row.get('LA Number'))!r} "
                                        "is not a 3-digit LA or region number"))
            continue
        region = ""
        if level == "la":
            region_number = REGION_LABELS.get(_text(row.get("Region")).lower())
            region = REGIONS[region_number] if region_number else ""
        key = (code, label, area)
        if key in seen:
            problems.append(LaitProblem(number, "LA Number", f"a second figure for {code} "
                                        f"{label} area {area} (the first is row {seen[key]})"))
            continue
        seen[key] = number
        figures.append(Figure(code, period, area, _text(row.get("LA and Regions"))[:120],
                              level, region, value, suppressed))
    if problems:
        raise LaitError(file, problems)
    return _shown(figures), skipped


STANDING = {"final": 3, "rev": 2, "prov": 0}


def standing(label: str) -> int:
    """Which label's figure is shown when a period is published more than once: final over
    revised over the plain label over provisional."""
    m = re.search(r"\(([A-Za-z]+)\)$", label)
    return STANDING.get(m[1].lower(), 1) if m else 1


def _shown(figures: list[Figure]) -> list[Figure]:
    best: dict[tuple, Figure] = {}
    for f in figures:
        key = (f.measure, f.period.kind, f.period.start, f.area_code)
        held = best.get(key)
        if held is None or standing(f.period.label) > standing(held.period.label):
            best[key] = f
    if len(best) == len(figures):
        return figures
    return list(best.values())


def rounded(value: float | None, dps: int | None) -> float | None:
    if value is None or dps is None:
        return value
    number = Decimal(repr(value)).quantize(Decimal(1).scaleb(-dps), rounding=ROUND_HALF_UP)
    return int(number) if dps == 0 else float(number)
