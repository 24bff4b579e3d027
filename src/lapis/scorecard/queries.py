"""The scorecard, read from the database in a fixed number of queries and judged by `rules`.

For each indicator, for the chosen area (the partnership's LA) and breakdown:
- the period shown is the one asked for, else the latest with a value for the area;
- England is the published national row (E92000001), never a sum of LA rows;
- region is the area's region's row; statistical neighbours is the comparator group's own row
  ("SN-810", as a SEF prints it) where one is loaded, else the mean of the ten neighbours'
  values for the period (those with a value);
- rank and quartile band are computed among all LAs' values for the period, only when at
  least MIN_LAS_FOR_BENCHMARK LAs have one (otherwise a band would mislead);
- a LAIT measure (`lapis import_lait`: it has a year type) is benchmarked as LAIT does: the
  period shown is the measure's latest (even where the area has no figure for it), rank and
  band over however many LAs have a figure, no band where LAIT shows none (`no_quartile`);
- status against the partnership's target is judged on the last day of the period.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field

from lapis.scorecard import dfe, edges, periods, rules
from lapis.scorecard.models import Area, Level, Neighbour, Observation, Target

ENGLAND = "E92000001"
MIN_LAS_FOR_BENCHMARK = 100


@dataclass
class Line:
    indicator: str
    name: str
    unit: str
    polarity: str
    period: str | None
    value: float | None
    numerator: float | None = None
    denominator: float | None = None
    england: float | None = None
    region: float | None = None
    statistical_neighbours: float | None = None
    statistical_neighbours_count: int | None = None  # how many of the neighbours had a figure
    statistical_neighbours_of: int | None = None  # how many neighbours the area has
    gap_england: float | None = None
    rank: int | None = None
    of: int | None = None
    quartile: str | None = None
    previous: float | None = None
    previous_period: str | None = None
    target: float | None = None
    target_date: str | None = None
    status: str | None = None
    reason: str = ""
    series: list = field(default_factory=list)  # [(period, value, england)], oldest first
    suppressed: str | None = None  # DfE's code when the value is withheld ("x", "c" ...)
    withheld: dict = field(default_factory=dict)  # {period: code} in the series
    break_since: edges.Break | None = None  # a series break between previous and period

    @property
    def shown_value(self) -> str | None:
        """The value as a table cell shows it when it is not a number."""
        return f"withheld ({self.suppressed})" if self.suppressed else None

    def as_json(self) -> dict:
        data = asdict(self)
        data.pop("series")
        data.pop("name"), data.pop("unit"), data.pop("polarity"), data.pop("of")
        data.pop("previous"), data.pop("previous_period"), data.pop("target_date")
        data.pop("suppressed"), data.pop("withheld"), data.pop("break_since")
        if self.statistical_neighbours_count is None:  # no neighbours loaded: today's shape
            data.pop("statistical_neighbours_count"), data.pop("statistical_neighbours_of")
        return {key: edges.tidy(value) for key, value in data.items()}

    def as_row(self) -> dict:
        """as_json for a CSV or spreadsheet row: a withheld value reads "withheld (x)"."""
        data = self.as_json()
        if self.suppressed:
            data["value"] = self.shown_value
        return data


def scorecard(indicators, area: Area, *, user, partnership=None, period: str | None = None,
              breakdown: str = "All") -> list[Line]:
    indicators = list(indicators)
    neighbours = list(Neighbour.objects.filter(area=area).values_list("neighbour_id",
                                                                      flat=True))
    group = Area.objects.filter(code=f"SN-{area.code}").first()
    rows = (Observation.objects.visible_to(user)
            .filter(indicator__in=indicators, breakdown=breakdown)
            .values_list("indicator_id", "area_id", "area__level", "period", "period_start",
                         "value", "numerator", "denominator", "suppressed"))
    england = Area.objects.filter(code=ENGLAND).values_list("pk", flat=True).first()
    by_indicator = defaultdict(list)
    for row in rows:
        by_indicator[row[0]].append(row)
    targets = {}
    if partnership is not None:
        targets = {t.indicator_id: t for t in Target.objects.filter(
            partnership=partnership, indicator__in=indicators, breakdown=breakdown)}
    return [_line(indicator, by_indicator[indicator.pk], area, england, neighbours, group,
                  targets.get(indicator.pk), period) for indicator in indicators]


def _line(indicator, rows, area, england_id, neighbours, group, target, wanted) -> Line:
    line = Line(indicator=indicator.key, name=indicator.name, unit=indicator.unit,
                polarity=indicator.polarity, period=None, value=None)
    by_period = defaultdict(dict)
    starts = {}
    withheld = {}
    for _, area_id, level, period, start, value, numerator, denominator, code in rows:
        by_period[period][area_id] = (level, value, numerator, denominator)
        starts[period] = start
        if area_id == area.pk and value is None and code:
            withheld[period] = code
    # A withheld figure is a figure: the period is shown, saying it is withheld.
    mine = sorted((p for p in by_period if area.pk in by_period[p]
                   and (by_period[p][area.pk][1] is not None or p in withheld)),
                  key=starts.get)
    # Every period from the area's first to its last, so a missing year is a gap.
    spanned = sorted((p for p in by_period if mine and starts[mine[0]] <= starts[p]
                      <= starts[mine[-1]]), key=starts.get)
    line.series = [(p, (by_period[p].get(area.pk) or (None, None))[1],
                    (by_period[p].get(england_id) or (None, None))[1]) for p in spanned]
    line.withheld = {p: withheld[p] for p in spanned if p in withheld}
    if target is not None:
        line.target, line.target_date = target.target_value, target.target_date.isoformat()
    if wanted and wanted not in by_period:
        line.period = wanted  # asked for a period with no figures: say so, never another's
        return line
    if getattr(indicator, "year_type", ""):  # a LAIT measure: the measure's latest period
        latest = max(by_period, key=starts.get) if by_period else None
        chosen = wanted or latest
    else:
        chosen = wanted or (mine[-1] if mine else None)
    if chosen is None:
        return line
    cells = by_period[chosen]
    line.period = chosen
    _, line.value, line.numerator, line.denominator = cells.get(area.pk, (None,) * 4)
    if line.value is None and chosen in withheld:
        line.suppressed = withheld[chosen]
        meaning = dfe.SUPPRESSION_CODES.get(line.suppressed.lower(), "")
        line.reason = f"withheld ({line.suppressed})" + (f": {meaning}" if meaning else "")
    line.england = (cells.get(england_id) or (None, None))[1]
    if area.region_id:
        line.region = (cells.get(area.region_id) or (None, None))[1]
    if group is not None and group.pk in cells:
        line.statistical_neighbours = cells[group.pk][1]
    elif neighbours:
        present = [cells[n][1] for n in neighbours if n in cells and cells[n][1] is not None]
        line.statistical_neighbours = rules.mean(present)
        line.statistical_neighbours_count = len(present)
        line.statistical_neighbours_of = len(neighbours)
    line.gap_england = edges.gap(line.value, line.england)
    las = {area_id: cell[1] for area_id, cell in cells.items() if cell[0] == Level.LA}
    present = [v for v in las.values() if v is not None]
    lait_measure = bool(getattr(indicator, "year_type", ""))  # LAIT sets no minimum
    if (lait_measure or len(present) >= MIN_LAS_FOR_BENCHMARK) and line.value is not None:
        line.rank = rules.rank(line.value, present, indicator.polarity)
        if not getattr(indicator, "no_quartile", False):
            line.quartile = rules.quartile_band(line.value, present, indicator.polarity)
        line.of = len(present)
    earlier = [p for p in mine if starts[p] < starts[chosen] and p not in withheld]
    if earlier:
        line.break_since = edges.break_between(indicator.key, earlier[-1], chosen)
        if line.break_since is None:  # never compare across a series break
            line.previous_period = earlier[-1]
            line.previous = by_period[earlier[-1]][area.pk][1]
    if target is not None and line.value is not None and indicator.polarity != "neither":
        parsed = periods.parse(chosen)
        verdict = rules.status(
            rules.Trajectory(target.baseline_value, target.baseline_date, target.target_value,
                             target.target_date, [(periods.parse_iso(d), v)
                                                  for d, v in target.milestones]),
            line.value, periods.end(parsed), indicator.polarity, target.tolerance,
            unit=indicator.unit, period=None if parsed.kind == "month" else chosen)
        line.status, line.reason = verdict.kind, verdict.reason
    return line


def shown(value, unit: str) -> str:
    if value is None:
        return "no value"
    if isinstance(value, str):
        return value
    if unit == "count":
        return f"{value:,.0f}"
    if unit == "score":
        return f"{value:.2f}"
    text = f"{value:,.1f}".rstrip("0").rstrip(".") if unit != "%" else f"{value:.1f}"
    return text + ("%" if unit == "%" else f" {unit}" if unit in ("weeks",) else "")


def describe(line: Line) -> str:
    """One line of plain text for the terminal."""
    if line.period is None:
        return f"{line.name}: no figures for this area"
    parts = [f"{line.name}, {line.period}: "
             f"{line.reason if line.suppressed else shown(line.value, line.unit)}"]
    if line.england is not None:
        places = 2 if line.unit == "score" else 1
        parts.append(f"England {shown(line.england, line.unit)}" + (
            "" if line.gap_england is None else f", gap {line.gap_england:+.{places}f}"))
    if line.region is not None:
        parts.append(f"region {shown(line.region, line.unit)}")
    if line.statistical_neighbours is not None:
        parts.append(f"statistical neighbours {shown(line.statistical_neighbours, line.unit)}")
    if line.rank is not None:
        parts.append(f"rank {line.rank} of {line.of}, quartile {line.quartile}")
    if line.status:
        parts.append(f"{line.status.replace('_', ' ')}: {line.reason}")
    if line.break_since is not None:
        parts.append(line.break_since.sentence.rstrip("."))
    return "; ".join(parts)
