"""`lapis import_indicators`: read a file of figures and load it, all or nothing.

Layouts, recognised by their header row:
- catalogue: `key,name,unit,polarity[,definition,source,frequency,owner]`, one indicator a row;
- long: `indicator,period,area_code,area_name,breakdown,value,numerator,denominator,source`,
  one figure a row (the indicator must be in the catalogue or in this import's catalogue);
- targets: `indicator,area_code,breakdown,baseline_value,baseline_date,target_value,
  target_date,milestones,source` (milestones `YYYY-MM-DD:value;...`), for the partnership;
- DfE's published EHC plan files (timeliness_20_week.csv, requests.csv, annual_reviews.csv),
  read by `lapis.scorecard.dfe`, as they come.
Areas are matched by code: an LA by DfE's 3-digit code (810), England by E92000001, a region
by its E12 code, a comparator group by its own code (SN-810). Any problem is named with its
file, row and column, and nothing is written.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from lapis.core.errors import ImportFailed
from lapis.core.spreadsheets import Problem, Problems, open_sheets
from lapis.scorecard import periods
from lapis.scorecard.models import (
    Area,
    Indicator,
    Level,
    Polarity,
    Unit,
)

CATALOGUE = ["key", "name", "unit", "polarity"]
LONG = ["indicator", "period", "area_code", "area_name", "breakdown", "value", "numerator",
        "denominator", "source"]
TARGETS = ["indicator", "area_code", "breakdown", "baseline_value", "baseline_date",
           "target_value", "target_date", "milestones", "source"]
DFE_MARKERS = {"time_period", "time_identifier", "geographic_level"}


@dataclass
class Figure:
    indicator: str
    period: periods.Period
    area_code: str
    area_name: str
    level: str
    breakdown: str
    value: float | None
    numerator: float | None = None
    denominator: float | None = None
    suppressed: str = ""
    source: str = ""
    new_code: str = ""
    region_code: str = ""


@dataclass
class Result:
    file: str
    layout: str = ""
    indicators: list[str] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    targets: int = 0
    dry_run: bool = False
    warnings: list = field(default_factory=list)

    def as_json(self) -> dict:
        return {"file": self.file, "layout": self.layout, "indicators": self.indicators,
                "created": self.created, "updated": self.updated, "unchanged": self.unchanged,
                "targets": self.targets, "dry_run": self.dry_run,
                "warnings": [w.as_json() for w in self.warnings]}


def level_of(code: str) -> str:
    if code == "E92000001":
        return Level.NATIONAL
    if code.startswith("E12"):
        return Level.REGIONAL
    if code.isdigit() and len(code) == 3:
        return Level.LA
    return Level.GROUP


def _number(text, problems, where, column, required=False) -> float | None:
    if text is None or str(text).strip() == "":
        if required:
            problems.append(where(column, "is empty: a number is needed"))
        return None
    try:
        return float(str(text).strip().replace(",", ""))
    except ValueError:
        problems.append(where(column, f"{text!r} is not a number"))
        return None


def _date(text, problems, where, column) -> dt.date | None:
    if isinstance(text, dt.datetime):
        return text.date()
    if isinstance(text, dt.date):
        return text
    try:
        return dt.date.fromisoformat(str(text or "").strip())
    except ValueError:
        problems.append(where(column, f"{text!r} is not a date: use YYYY-MM-DD"))
        return None


def read(path: Path, *, max_bytes: int) -> tuple[str, list]:
    """(layout, rows) where rows are Figures, catalogue dicts or target dicts."""
    if path.suffix.lower() == ".csv" and path.is_file() and path.stat().st_size <= max_bytes:
        # DfE's files run to tens of thousands of rows: recognise them by their header alone.
        with open(path, encoding="utf-8-sig", errors="replace") as handle:
            first = handle.readline().lower().split(",")
        if DFE_MARKERS <= {name.strip().strip('"') for name in first}:
            return _dfe(path)
    holder = Problems(file=path.name)
    sheets = open_sheets(path, holder, max_bytes)
    if sheets is None:
        raise ImportFailed(holder.problems)
    from lapis.scorecard import wide

    if wide.is_wide_layout(path):
        return _wide(path)
    sheet = sheets[0]
    header = [str(v or "").strip().lstrip("\ufeff").lower() for v in
              (sheet.rows[0] if sheet.rows else [])]
    for layout, wanted in (("targets", TARGETS), ("long", LONG), ("catalogue", CATALOGUE)):
        if all(name in header for name in wanted if name not in ("numerator", "denominator",
                                                                  "source", "milestones")):
            columns = {name: header.index(name) for name in header if name}
            return layout, _rows(layout, sheet, columns, path.name)
    raise ImportFailed([Problem(
        "error", "the header row is not one LAPIS knows: expected the catalogue ("
        + ",".join(CATALOGUE) + "), the long layout (" + ",".join(LONG) + "), targets ("
        + ",".join(TARGETS) + ") or one of DfE's EHC plan files", path.name, sheet.title, 1)])


def _dfe(path: Path) -> tuple[str, list]:
    from lapis.scorecard import dfe

    try:
        published = dfe.read_ehc_file(path)
    except dfe.DfeFileError as error:
        raise ImportFailed([Problem("error", p.message, path.name, "", p.row, "",
                                    p.column or "") for p in error.problems]) from error
    source = f"DfE, {published.file_name}"
    return "dfe", [Figure(
        indicator=o.indicator, period=periods.parse(o.period), area_code=o.area_code,
        area_name=o.area_name, level=o.level, breakdown=o.breakdown_key, value=o.value,
        numerator=o.numerator, denominator=o.denominator, suppressed=o.suppression or "",
        source=source, new_code=o.new_la_code or "", region_code=o.region_code or "")
        for o in published.observations]


def _wide(path: Path) -> tuple[str, list]:
    """A SEF's tables (years across); areas named as the document names them are matched to
    the areas already known, by name, then kept by code. Printed GAP rows are checked."""
    from lapis.scorecard import wide

    names = {a.name: a.code for a in Area.objects.all()}
    known = {a.code: a for a in Area.objects.all()}
    try:
        result = wide.read_wide(path, areas=names)
    except wide.WideLayoutError as error:
        raise ImportFailed([Problem("error", p.message, path.name, p.sheet or "", p.row,
                                    p.column or "") for p in error.problems]) from error
    figures = []
    for f in result.figures:
        if f.value is None and not f.suppression:
            continue  # a blank cell: nothing was published
        area = known.get(f.area_code)
        figures.append(Figure(
            indicator=f.indicator, period=periods.parse(f.period), area_code=f.area_code,
            area_name=area.name if area else ("England" if f.area_code == "E92000001"
                                              else f.area_code),
            level=level_of(f.area_code), breakdown=f.breakdown, value=f.value,
            suppressed=f.suppression, source=f.source))
    return "wide", (figures, _gap_warnings(result, path.name))


def _gap_warnings(result, file: str) -> list[Problem]:
    """A printed gap more than 0.1 from the area's figure minus England's is worth a look."""
    values = {(f.indicator, f.period, f.breakdown, f.area_code): f.value
              for f in result.figures}
    warnings = []
    for gap in result.gaps:
        england = values.get((gap.indicator, gap.period, gap.breakdown, "E92000001"))
        mine = [v for (k, p, b, code), v in values.items() if (k, p, b) == (
            gap.indicator, gap.period, gap.breakdown) and code != "E92000001"]
        if gap.value is None or england is None or len(mine) != 1 or mine[0] is None:
            continue
        if abs(mine[0] - england - gap.value) > 0.1 + 1e-9:
            warnings.append(Problem(
                "warning", f"the printed gap {gap.text} is not {mine[0]:g} - {england:g} = "
                f"{mine[0] - england:.1f}", file, gap.sheet or "", gap.row, gap.column))
    return warnings


def _rows(layout, sheet, columns, file):
    problems, out = [], []
    seen = {}
    for index, raw in enumerate(sheet.rows[1:], start=2):
        if all(v is None or str(v).strip() == "" for v in raw):
            continue

        def cell(name, raw=raw):
            i = columns.get(name)
            value = raw[i] if i is not None and i < len(raw) else None
            return value.strip() if isinstance(value, str) else value

        def where(name, message, index=index):
            letter = _letter(columns.get(name, 0))
            return Problem("error", f"{name} {message}", file, sheet.title, index, letter, name)

        if layout == "catalogue":
            row = {name: str(cell(name) or "") for name in
                   ("key", "name", "unit", "polarity", "definition", "source", "frequency",
                    "owner")}
            if not row["key"]:
                problems.append(where("key", "is empty"))
            if row["unit"] not in Unit.values:
                problems.append(where("unit", f"{row['unit']!r} is not one of "
                                      + ", ".join(Unit.values)))
            if row["polarity"] not in Polarity.values:
                problems.append(where("polarity", f"{row['polarity']!r} is not one of "
                                      + ", ".join(Polarity.values)))
            out.append(row)
            continue
        key = str(cell("indicator") or "")
        code = str(cell("area_code") or "").strip()
        breakdown = str(cell("breakdown") or "All")
        if not key:
            problems.append(where("indicator", "is empty"))
        if not code:
            problems.append(where("area_code", "is empty"))
        if layout == "targets":
            milestones = []
            for part in str(cell("milestones") or "").split(";"):
                if part.strip():
                    when, _, value = part.partition(":")
                    day = _date(when, problems, where, "milestones")
                    number = _number(value, problems, where, "milestones", required=True)
                    if day and number is not None:
                        milestones.append((day.isoformat(), number))
            out.append({
                "indicator": key, "area_code": code, "breakdown": breakdown,
                "baseline_value": _number(cell("baseline_value"), problems, where,
                                          "baseline_value", True),
                "baseline_date": _date(cell("baseline_date"), problems, where, "baseline_date"),
                "target_value": _number(cell("target_value"), problems, where, "target_value",
                                        True),
                "target_date": _date(cell("target_date"), problems, where, "target_date"),
                "milestones": milestones, "source": str(cell("source") or "")})
            continue
        try:
            period = periods.parse(str(cell("period") or ""))
        except ValueError:
            problems.append(where("period", f"{cell('period')!r} is not a period: use 2024, "
                                  "2022/23, 2024-25 or 2024-04"))
            continue
        figure = Figure(
            indicator=key, period=period, area_code=code,
            area_name=str(cell("area_name") or code), level=level_of(code),
            breakdown=breakdown,
            value=_number(cell("value"), problems, where, "value", required=True),
            numerator=_number(cell("numerator"), problems, where, "numerator"),
            denominator=_number(cell("denominator"), problems, where, "denominator"),
            source=str(cell("source") or ""))
        identity = (key, period.label, code, breakdown)
        if identity in seen:
            problems.append(where("indicator", f"repeats row {seen[identity]}: the same "
                                  "indicator, period, area and breakdown"))
        seen[identity] = index
        out.append(figure)
    if problems:
        raise ImportFailed(problems)
    return out


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def check(layout: str, rows: list, *, file: str, partnership=None) -> None:
    """Raise ImportFailed when what `read` gave does not fit what is held: targets need a
    partnership, indicators that are in the catalogue, and the partnership's own LA; figures
    need indicators in the catalogue (DfE's own are made on the way). The write itself is
    `lapis.scorecard.actions.import_figures`, which calls this first, in its transaction."""
    if layout == "catalogue":
        return
    if layout == "targets":
        if partnership is None:
            raise ImportFailed([Problem("error", "targets belong to a partnership: name it "
                                        "with --partnership", file)])
        keys = {r["indicator"] for r in rows}
        missing = sorted(keys - set(Indicator.objects.filter(key__in=keys)
                                    .values_list("key", flat=True)))
        if missing:
            raise ImportFailed([Problem("error", f"no indicator {key!r}: load the catalogue "
                                        "first", file, "", None, "", "indicator")
                                for key in missing])
        elsewhere = [r for r in rows if r["area_code"] != partnership.la_code]
        if elsewhere:
            raise ImportFailed([Problem(
                "error", f"area_code {r['area_code']!r}: a target belongs to the partnership's "
                f"own LA ({partnership.la_code or 'not set'}); {partnership.name} cannot hold "
                "another area's target", file, "", None, "", "area_code") for r in elsewhere])
        return
    figures = rows[0] if layout == "wide" else rows
    keys = {r.indicator for r in figures}
    held = set(Indicator.objects.filter(key__in=keys).values_list("key", flat=True))
    if keys & set(DFE_INDICATORS):
        held |= set(DFE_INDICATORS)
    missing = sorted(keys - held)
    if missing:
        raise ImportFailed([Problem("error", f"no indicator {key!r}: load the catalogue (key,"
                                    "name,unit,polarity) first", file, "", None, "",
                                    "indicator") for key in missing])


DFE_INDICATORS = {
    "ehcp_issued_20_weeks": (
        "New EHC plans issued within 20 weeks",
        "Of new EHC plans issued in the calendar year, the percentage issued within 20 weeks "
        "of the request, including cases where an exception applies."),
    "ehcp_issued_20_weeks_ex": (
        "New EHC plans issued within 20 weeks (excluding exceptions)",
        "As above, excluding plans where one of the statutory exceptions to the 20-week time "
        "limit applies."),
    "ehc_requests_decided_6_weeks": (
        "EHC needs assessment requests decided within 6 weeks",
        "Of requests for an EHC needs assessment decided in the year, the percentage decided "
        "within 6 weeks of the request."),
    "ehc_review_decisions_4_weeks": (
        "Annual review decisions within 4 weeks",
        "Of annual reviews of EHC plans held in the year, the percentage where the decision "
        "was made within 4 weeks of the review meeting."),
}
