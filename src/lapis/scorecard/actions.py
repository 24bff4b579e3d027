"""Every write to the scorecard goes through here: the import command, the scorecard form, the
commands that name scorecards, link measures and load neighbours, the demo, and the other
apps' feeds of their own figures (cases, quality, voice).

Each action takes who acts (`by`: a user, or a `lapis.core.actors.System` for the server
operator), checks that they may, runs in one transaction and keeps what it changed in the
history (`lapis.core.history.record`) in that transaction. Published figures (DfE's, for every LA)
belong to no partnership: only the server operator loads them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection, transaction

from lapis.core import history as audit
from lapis.core.actors import name_of
from lapis.core.concurrency import hold, lock
from lapis.core.errors import ImportFailed
from lapis.partnership import permissions
from lapis.scorecard import importing, lait
from lapis.scorecard.importing import DFE_INDICATORS, Result
from lapis.scorecard.models import (
    ActionMeasure,
    Area,
    Indicator,
    Level,
    Neighbour,
    Observation,
    Polarity,
    ScorecardItem,
    ScorecardSet,
    Target,
    Unit,
)

EDITORS_ONLY = "Only programme managers and administrators can change the scorecard."


def _require_edit(by, partnership) -> None:
    """An editor of the partnership; published figures (no partnership): the operator only."""
    if partnership is None:
        permissions.require(getattr(by, "is_superuser", False),
                            "Only the server operator can load published figures.")
    else:
        permissions.require(permissions.can_edit(by, partnership.pk), EDITORS_ONLY)


# -- one feed of a partnership's own figures ---------------------------------------------------

@dataclass(frozen=True)
class IndicatorSpec:
    """An indicator a feed writes, made with these details the first time it is needed (an
    indicator already held keeps its own). `source` is also each observation's source."""

    key: str
    name: str
    unit: str = Unit.PERCENT
    polarity: str = Polarity.HIGHER
    frequency: str = ""
    source: str = ""
    definition: str = ""


@dataclass(frozen=True)
class Figure:
    """One figure of a feed: an indicator's value for a period, for the partnership's LA."""

    indicator: str  # the IndicatorSpec's key
    period: str  # as `lapis.scorecard.periods` labels it ("2024", "2024Q2", "2024-04")
    period_start: dt.date
    value: float | None
    numerator: float | None = None
    denominator: float | None = None


def _held(observations) -> dict[int, list[tuple]]:
    out: dict[int, list[tuple]] = defaultdict(list)
    for o in observations:
        out[o.indicator_id].append((o.period, o.period_start, o.breakdown, o.value,
                                    o.numerator, o.denominator, o.source))
    return {k: sorted(v, key=lambda row: (row[0], row[2])) for k, v in out.items()}


@transaction.atomic
def publish_own_figures(*, partnership, by, source: str, indicators: list[IndicatorSpec],
                        figures: list[Figure], retire_prefix: str = "") -> int:
    """Replace the partnership's own observations of these indicators, for its LA, with
    `figures` (breakdown "All"); returns how many were written (0 without an LA code).

    The LA's area and the indicators are made when missing. With `retire_prefix`, the
    partnership's observations of other indicators whose key starts with it are removed too
    (an indicator the feed no longer writes). History: one record per indicator whose figures
    changed, saying how many observations were replaced and how many written."""
    _require_edit(by, partnership)
    if not partnership.la_code:
        return 0
    area, _ = Area.objects.get_or_create(code=partnership.la_code, defaults={
        "name": partnership.name, "level": Level.LA})
    made: dict[str, Indicator] = {}
    specs: dict[str, IndicatorSpec] = {}
    for spec in indicators:
        if spec.key in made:
            continue  # the first spec of a key counts
        made[spec.key], _ = Indicator.objects.get_or_create(key=spec.key, defaults={
            "name": spec.name, "definition": spec.definition, "unit": spec.unit,
            "polarity": spec.polarity, "frequency": spec.frequency, "source": spec.source})
        specs[spec.key] = spec
    stale = []
    if retire_prefix:
        stale = list(Indicator.objects.filter(key__startswith=retire_prefix).exclude(
            pk__in=[i.pk for i in made.values()]))
    earlier = Observation.objects.filter(partnership=partnership, area=area,
                                         indicator__in=[*made.values(), *stale])
    before = _held(earlier)
    earlier.delete()
    rows = [Observation(
        indicator=made[f.indicator], area=area, period=f.period, period_start=f.period_start,
        breakdown="All", value=f.value, numerator=f.numerator, denominator=f.denominator,
        source=specs[f.indicator].source, partnership=partnership) for f in figures]
    Observation.objects.bulk_create(rows, batch_size=2000)
    after = _held(rows)
    for indicator in [*made.values(), *stale]:
        old, new = before.get(indicator.pk, []), after.get(indicator.pk, [])
        if old != new:
            audit.record(by=name_of(by), source=source, partnership_id=partnership.pk,
                         obj=indicator, field="figures",
                         old=f"{len(old)} observations for {area.code}",
                         new=f"{len(new)} observations for {area.code}")
    return len(rows)


# -- areas and indicators made one at a time ---------------------------------------------------

@transaction.atomic
def ensure_area(*, code: str, name: str, level: str, new_code: str = "", by,
                source: str = "command") -> Area:
    """The area with this code, made with these details when missing (an area already held
    keeps its own). Areas are published data: the server operator only. History: "created"."""
    _require_edit(by, None)
    area, created = Area.objects.get_or_create(code=code, defaults={
        "name": name, "level": level, "new_code": new_code})
    if created:
        audit.record(by=name_of(by), source=source, partnership_id=0, obj=area,
                     field="created", new=f"{code}: {name}")
    return area


@transaction.atomic
def ensure_indicator(*, spec: IndicatorSpec, partnership=None, by,
                     source: str = "command") -> Indicator:
    """The indicator with the spec's key, made from the spec when missing (one already held
    keeps its own details); with `partnership`, a new one is the partnership's own.
    History: "created"."""
    _require_edit(by, partnership)
    indicator, created = Indicator.objects.get_or_create(key=spec.key, defaults={
        "name": spec.name, "definition": spec.definition, "unit": spec.unit,
        "polarity": spec.polarity, "frequency": spec.frequency, "source": spec.source,
        "partnership": partnership})
    if created:
        audit.record(by=name_of(by), source=source,
                     partnership_id=partnership.pk if partnership else 0, obj=indicator,
                     field="created", new=spec.name)
    return indicator


# -- imports --------------------------------------------------------------------------------

@transaction.atomic
def import_figures(*, layout: str, rows: list, file: str, by, partnership=None,
                   published: bool = False, dry_run: bool = False) -> Result:
    """Write what `importing.read` gave, all or nothing: an indicator catalogue, figures or
    targets. Published figures have no partnership (everyone sees them). Raises ImportFailed
    (`importing.check`) with nothing written when the rows do not fit what is held. History:
    one record per indicator the import created, updated or set a target for."""
    owner = None if published or layout == "dfe" else partnership
    _require_edit(by, partnership)
    importing.check(layout, rows, file=file, partnership=partnership)
    result = Result(file=file, layout=layout, dry_run=dry_run)
    if layout == "catalogue":
        for row in rows:
            indicator, created = Indicator.objects.update_or_create(
                key=row["key"], defaults={k: v for k, v in row.items() if k != "key"}
                | {"partnership": owner})
            result.indicators.append(indicator.key)
            result.created += created
            result.updated += not created
    elif layout == "targets":
        indicators = {i.key: i for i in Indicator.objects.filter(
            key__in={r["indicator"] for r in rows})}
        for row in rows:
            Target.objects.update_or_create(
                partnership=partnership, indicator=indicators[row["indicator"]],
                breakdown=row["breakdown"], defaults={
                    k: row[k] for k in ("baseline_value", "baseline_date", "target_value",
                                        "target_date", "milestones", "source")})
            result.targets += 1
        result.indicators = sorted(indicators)
    else:
        if layout == "wide":
            rows, result.warnings = rows
        _write_figures(rows, result, owner)
    if result.created or result.updated or result.targets:
        for indicator in Indicator.objects.filter(key__in=result.indicators):
            audit.record(by=name_of(by), source=f"import:{file}", partnership_id=partnership.pk
                         if partnership else 0, obj=indicator, field="figures",
                         new=f"{layout}: {result.created} new, {result.updated} updated, "
                         f"{result.targets} targets")
    if dry_run:
        transaction.set_rollback(True)
    return result


def _write_figures(rows: list[importing.Figure], result: Result, owner) -> None:
    if any(r.indicator in DFE_INDICATORS for r in rows):
        for key, (name, definition) in DFE_INDICATORS.items():
            Indicator.objects.get_or_create(key=key, defaults={
                "name": name, "definition": definition, "unit": Unit.PERCENT,
                "polarity": Polarity.HIGHER, "frequency": "Calendar year",
                "source": "DfE, Education, health and care plans (Explore Education "
                          "Statistics)"})
    keys = {r.indicator for r in rows}
    indicators = {i.key: i for i in Indicator.objects.filter(key__in=keys)}
    areas = _areas(rows)
    existing = {
        (o.indicator_id, o.area_id, o.period, o.breakdown): o
        for o in Observation.objects.filter(indicator__in=indicators.values(),
                                            area__in=areas.values(), partnership=owner)
    }
    new, changed = [], []
    fields = ("value", "numerator", "denominator", "suppressed", "source")
    for row in rows:
        indicator, area = indicators[row.indicator], areas[row.area_code]
        held = existing.get((indicator.pk, area.pk, row.period.label, row.breakdown))
        if held is None:
            new.append(Observation(
                indicator=indicator, area=area, period=row.period.label,
                period_start=row.period.start, breakdown=row.breakdown, value=row.value,
                numerator=row.numerator, denominator=row.denominator,
                suppressed=row.suppressed, source=row.source, partnership=owner))
        elif any(getattr(held, f) != getattr(row, f) for f in fields):
            for f in fields:
                setattr(held, f, getattr(row, f))
            changed.append(held)
        else:
            result.unchanged += 1
    Observation.objects.bulk_create(new, batch_size=2000)
    Observation.objects.bulk_update(changed, fields, batch_size=2000)
    result.created, result.updated = len(new), len(changed)
    result.indicators = sorted(keys)


def _areas(rows: list[importing.Figure]) -> dict[str, Area]:
    """Every area the rows name, created or renamed by code (never matched by name)."""
    wanted = {}
    for row in rows:
        wanted.setdefault(row.area_code, row)
    held = {a.code: a for a in Area.objects.filter(code__in=wanted)}
    for code, row in wanted.items():
        if code not in held:
            held[code] = Area.objects.create(code=code, name=row.area_name, level=row.level,
                                             new_code=row.new_code)
        elif row.new_code and not held[code].new_code:
            held[code].new_code = row.new_code
            held[code].save(update_fields=["new_code"])
    regions = {a.code: a for a in Area.objects.filter(
        code__in={r.region_code for r in rows if r.region_code})}
    for code, row in wanted.items():
        region = regions.get(row.region_code)
        if region and held[code].region_id != region.pk and row.level == Level.LA:
            held[code].region = region
            held[code].save(update_fields=["region"])
    return held


@transaction.atomic
def load_neighbours(*, groups: dict[str, list[tuple[str, str]]], by,
                    source: str = "command") -> int:
    """DfE's statistical neighbour groups (`dfe.read_statistical_neighbours`): each LA's
    neighbours replaced, in DfE's order; areas made by code when missing. Published data, so
    the operator only. History: one record per LA whose neighbours changed (partnership 0,
    as for other published figures). Returns how many LAs were loaded."""
    _require_edit(by, None)
    names = {code: name for members in groups.values() for code, name in members}
    areas = {a.code: a for a in Area.objects.filter(code__in=set(names) | set(groups))}
    for code in set(names) | set(groups):
        if code not in areas:
            areas[code] = Area.objects.create(code=code, name=names.get(code, code),
                                              level=Level.LA)
    before: dict[str, list[str]] = defaultdict(list)
    for area_code, other in (Neighbour.objects.filter(area__code__in=groups)
                             .order_by("area", "position")
                             .values_list("area__code", "neighbour__code")):
        before[area_code].append(other)
    Neighbour.objects.filter(area__code__in=groups).delete()
    Neighbour.objects.bulk_create(
        Neighbour(area=areas[code], neighbour=areas[other], position=i)
        for code, members in groups.items()
        for i, (other, _) in enumerate(members, start=1))
    for code, members in groups.items():
        old, new = ", ".join(before.get(code, [])), ", ".join(other for other, _ in members)
        if old != new:
            audit.record(by=name_of(by), source=source, partnership_id=0, obj=areas[code],
                         field="neighbours", old=old, new=new)
    return len(groups)


# -- named scorecards and impact measures ---------------------------------------------------

_KEEP = object()


@transaction.atomic
def save_scorecard(*, partnership, by, name: str, indicators: list[Indicator],
                   area=_KEEP, scorecard: ScorecardSet | None = None,
                   source: str = "web") -> ScorecardSet:
    """Make or change a named scorecard: its name, its indicators in order and (when given)
    the area whose figures it shows (None: the partnership's own LA). Without `scorecard`,
    the partnership's scorecard of that name is changed, or a new one made. History: its
    indicators ("created" for a new one)."""
    permissions.require(permissions.can_edit(by, partnership.pk),
                        "Only programme managers can change scorecards.")
    # One change to a partnership's scorecards at a time: two saves of one new name make one
    # scorecard, and the indicators "before" are the ones saved now.
    hold(type(partnership), partnership.pk)
    if scorecard is None:
        scorecard = ScorecardSet.objects.filter(partnership=partnership, name=name).first()
    else:
        lock(scorecard)
    created = scorecard is None
    if created:
        scorecard = ScorecardSet(partnership=partnership)
    before = "" if created else ", ".join(
        i.indicator.key for i in scorecard.items.select_related("indicator"))
    scorecard.name = name
    if area is not _KEEP:
        scorecard.area = area
    scorecard.save()
    scorecard.items.all().delete()
    ScorecardItem.objects.bulk_create(
        ScorecardItem(scorecard=scorecard, indicator=indicator, position=i)
        for i, indicator in enumerate(indicators))
    audit.record(by=name_of(by), source=source, partnership_id=partnership.pk, obj=scorecard,
                 field="created" if created else "indicators", old=before,
                 new=", ".join(i.key for i in indicators))
    return scorecard


@transaction.atomic
def add_measure(*, action, indicator: Indicator, breakdown: str = "All", by,
                source: str = "web") -> bool:
    """Make the indicator one of the action's impact measures; False if it already was."""
    partnership_id = action.plan.partnership_id
    permissions.require(permissions.can_edit(by, partnership_id),
                        f"Only programme managers can change action {action.ref}'s measures.")
    _, created = ActionMeasure.objects.get_or_create(action=action, indicator=indicator,
                                                     breakdown=breakdown)
    if created:
        audit.record(by=name_of(by), source=source, partnership_id=partnership_id,
                     obj=action, field="measure", old="", new=indicator.key)
    return created


@transaction.atomic
def remove_measure(*, action, indicator: Indicator, breakdown: str = "All", by,
                   source: str = "web") -> bool:
    """Stop measuring the action by the indicator; False if it was not a measure."""
    partnership_id = action.plan.partnership_id
    permissions.require(permissions.can_edit(by, partnership_id),
                        f"Only programme managers can change action {action.ref}'s measures.")
    deleted, _ = ActionMeasure.objects.filter(action=action, indicator=indicator,
                                              breakdown=breakdown).delete()
    if deleted:
        audit.record(by=name_of(by), source=source, partnership_id=partnership_id,
                     obj=action, field="measure", old=indicator.key, new="")
    return bool(deleted)



# -- LAIT's building data set ------------------------------------------------------------------

LAIT_SOURCE = "DfE Local Authority Interactive Tool (LAIT), building data set"
_MEASURE_FIELDS = ("name", "definition", "unit", "polarity", "source", "frequency", "topic",
                   "dps", "year_type", "methodology", "discontinued", "no_quartile")


@dataclass
class LaitResult:
    file: str
    dry_run: bool = False
    measures: int = 0
    indicators_created: int = 0
    indicators_updated: int = 0
    created: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    skipped: int = 0
    areas_created: int = 0

    def as_json(self) -> dict:
        return dict(self.__dict__)


def _measure_fields(measure) -> dict:
    return {"name": measure.name, "definition": measure.description, "unit": measure.unit,
            "polarity": measure.polarity, "source": measure.source,
            "frequency": measure.year_type, "topic": measure.topic, "dps": measure.dps,
            "year_type": measure.year_type, "methodology": measure.methodology,
            "discontinued": measure.discontinued, "no_quartile": measure.no_quartile}


@transaction.atomic
def import_lait(*, measures: dict, figures: list, file: str, by, skipped: int = 0,
                dry_run: bool = False) -> LaitResult:
    """LAIT's measures (`lait.read_dictionary`) as published indicators keyed by LAIT's code,
    and its figures (`lait.read_rows`) as published observations, all or nothing. Areas are
    made by code when missing (an area already held keeps its name); an LA with no region gets
    LAIT's. A figure held for a LAIT measure that the file no longer has is removed, so a
    newer file replaces a provisional label with its final one. Re-importing the same file
    changes nothing. History: one record per indicator whose details or figures changed."""
    _require_edit(by, None)
    result = LaitResult(file=file, dry_run=dry_run, measures=len(measures), skipped=skipped)
    held = {i.key: i for i in Indicator.objects.filter(key__in=list(measures))}
    changes: dict[str, list[str]] = defaultdict(list)
    new_indicators, changed_indicators = [], []
    for code, measure in measures.items():
        wanted = _measure_fields(measure)
        indicator = held.get(code)
        if indicator is None:
            new_indicators.append(Indicator(key=code, **wanted))
            changes[code].append("created")
        elif indicator.partnership_id is not None:
            problem = lait.LaitProblem(0, "Measure_short", f"{code} is a partnership's own "
                                       "indicator's key: rename that indicator first")
            raise ImportFailed([problem], f"{file}: {problem}")
        else:
            differ = [f for f in _MEASURE_FIELDS if getattr(indicator, f) != wanted[f]]
            if differ:
                for f in differ:
                    setattr(indicator, f, wanted[f])
                changed_indicators.append(indicator)
                changes[code].append("details: " + ", ".join(differ))
    Indicator.objects.bulk_create(new_indicators, batch_size=500)
    Indicator.objects.bulk_update(changed_indicators, _MEASURE_FIELDS, batch_size=500)
    result.indicators_created, result.indicators_updated = (len(new_indicators),
                                                            len(changed_indicators))
    ids = dict(Indicator.objects.filter(key__in=list(measures)).values_list("key", "pk"))
    areas = _lait_areas(figures, result)
    existing = {(i, a, p): (pk, v, s) for pk, i, a, p, v, s in Observation.objects.filter(
        indicator_id__in=list(ids.values()), partnership=None, breakdown="All").values_list(
        "pk", "indicator_id", "area_id", "period", "value", "suppressed").iterator(
        chunk_size=20000)}
    new, changed, counts = [], [], defaultdict(lambda: [0, 0, 0])
    for f in figures:
        indicator_id, area_id = ids[f.measure], areas[f.area_code]
        key = (indicator_id, area_id, f.period.label)
        found = existing.pop(key, None)
        if found is None:
            new.append((indicator_id, area_id, f.period.label, f.period.start.isoformat(), "All",
                        f.value, f.suppressed, LAIT_SOURCE))
            counts[f.measure][0] += 1
        elif (found[1], found[2]) != (f.value, f.suppressed):
            changed.append(Observation(pk=found[0], value=f.value, suppressed=f.suppressed))
            counts[f.measure][1] += 1
        else:
            result.unchanged += 1
    keys = {pk: key for key, pk in ids.items()}
    for (indicator_id, _, _), _found in existing.items():
        counts[keys[indicator_id]][2] += 1
    stale = [found[0] for found in existing.values()]
    for start in range(0, len(stale), 5000):
        Observation.objects.filter(pk__in=stale[start:start + 5000]).delete()
    _insert_observations(new)
    Observation.objects.bulk_update(changed, ["value", "suppressed"], batch_size=2000)
    result.created, result.updated, result.removed = len(new), len(changed), len(stale)
    for code, (made, altered, removed) in counts.items():
        changes[code].append(f"figures: {made} new, {altered} changed, {removed} removed")
    indicators = {i.key: i for i in Indicator.objects.filter(key__in=list(changes))}
    for code, said in changes.items():
        audit.record(by=name_of(by), source=f"import:{file}", partnership_id=0,
                     obj=indicators[code], field="lait", new="; ".join(said))
    if dry_run:
        transaction.set_rollback(True)
    return result


def _insert_observations(rows: list[tuple]) -> None:
    """Published observations (indicator, area, period, start, breakdown, value, suppressed,
    source) in one prepared INSERT: the ORM's bulk_create builds a model instance a row, which
    is most of the time of a 640,000-row import."""
    table = connection.ops.quote_name(Observation._meta.db_table)
    sql = (f"INSERT INTO {table} (indicator_id, area_id, period, period_start, breakdown, "
           "value, suppressed, source, numerator, denominator, partnership_id) "
           "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, NULL, NULL, NULL)")
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 20000):
            cursor.executemany(sql, rows[start:start + 20000])


def _lait_areas(figures: list, result: LaitResult) -> dict[str, int]:
    """Every area the figures name, by code: made when missing, never renamed."""
    wanted = {}
    for f in figures:
        wanted.setdefault(f.area_code, f)
    held = {a.code: a for a in Area.objects.filter(code__in=list(wanted))}
    for level in (Level.NATIONAL, Level.REGIONAL, Level.LA):
        for code, f in wanted.items():
            if f.level == level and code not in held:
                held[code] = Area.objects.create(code=code, name=f.area_name or code,
                                                 level=level)
                result.areas_created += 1
    regions = {a.code: a for a in Area.objects.filter(
        code__in={f.region_code for f in wanted.values() if f.region_code})}
    for code, f in wanted.items():
        region = regions.get(f.region_code)
        if region is not None and held[code].region_id is None:
            held[code].region = region
            held[code].save(update_fields=["region"])
    return {code: area.pk for code, area in held.items()}
