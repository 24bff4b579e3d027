"""Reads for the inclusion pages, the API, the exports and the command: scoped by
`visible_to`, one query for a view whatever the number of schools, rules applied here.

Who sees which view (a rule of this app, not of `lapis.partnership.permissions`): parent
carer forum members and viewers always get the SHARED view, where counts below 5 are
withheld; council staff (administrators, programme managers, leads, board members) see the
figures as they are, and can ask for the shared view (`?shared=1`) to see or export what a
headteacher or the forum would get.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from lapis.inclusion import rules
from lapis.inclusion.models import School, SchoolFigure
from lapis.partnership import permissions
from lapis.partnership.models import Role

ALWAYS_SHARED = frozenset({Role.FORUM, Role.AUDITOR, Role.VIEWER})


def always_shared(user, partnership_id: int) -> bool:
    return permissions.role(user, partnership_id) in ALWAYS_SHARED


def is_shared(user, partnership_id: int, asked: bool) -> bool:
    return asked or always_shared(user, partnership_id)


def view_words(shared: bool) -> str:
    if shared:
        return ("Shared view: counts of 1 to 4 are shown as \u201cfewer than 5\u201d, and "
                "some other figures are withheld so that they cannot be worked out. This is "
                "the view to share outside the council.")
    return ("Council view: every figure is shown as recorded, including counts below 5. "
            "Do not share it outside the council.")


def periods(user, partnership, measure: str | None = None) -> list[str]:
    found = SchoolFigure.objects.visible_to(user).filter(school__partnership=partnership)
    if measure:
        found = found.filter(measure=measure)
    return sorted(set(found.values_list("period", flat=True)), key=rules.period_key)


def _figure(f: SchoolFigure) -> rules.Figure:
    s = f.school
    return rules.Figure(s.pk, s.name, s.trust, s.locality, f.count, f.denominator)


@dataclass
class Line:
    """One row of a view, as a reader sees it."""

    name: str
    count: str  # as shown: "12", "fewer than 5", "withheld"
    denominator: int | None
    value: float | None
    withheld: str | None
    difference: str
    school: School | None = None
    trust: str = ""
    locality: str = ""
    schools: int = 1


@dataclass
class View:
    measure: rules.Measure
    period: str
    by: str
    shared: bool
    lines: list[Line]
    la: Line | None

    @property
    def words(self) -> str:
        return view_words(self.shared)

    @property
    def everything(self) -> bool:
        """Every figure withheld alike, because the counts would give each other away."""
        return any(line.withheld == rules.ALL for line in self.lines)


def view(user, partnership, *, measure: str, period: str, by: str, shared: bool) -> View:
    figures = list(SchoolFigure.objects.visible_to(user)
                   .filter(school__partnership=partnership, measure=measure, period=period)
                   .select_related("school"))
    schools = {f.school_id: f.school for f in figures}
    rows, la = rules.rows([_figure(f) for f in figures], by, shared)
    la_value = la.value if la else None

    def line(row: rules.Row, compare: bool = True) -> Line:
        return Line(row.name, row.shown_count, row.denominator, row.value, row.withheld,
                    rules.difference(row.value, la_value, measure) if compare else "",
                    schools.get(row.key) if by == "school" else None, row.trust,
                    row.locality, row.schools)

    return View(rules.MEASURES[measure], period, by, shared, [line(r) for r in rows],
                line(la, compare=False) if la else None)


@dataclass
class HistoryLine:
    measure: rules.Measure
    period: str
    count: str
    denominator: int | None
    value: float | None
    withheld: str | None
    la_value: float | None
    difference: str


def school_history(user, school: School, *, shared: bool) -> list[HistoryLine]:
    """The school's figures over the periods, each beside the LA average for its period; in
    a shared view withheld exactly as the shared view of that measure and period withholds
    them. One query: every figure of the partnership."""
    by_slice: dict[tuple[str, str], list[rules.Figure]] = defaultdict(list)
    for f in (SchoolFigure.objects.visible_to(user)
              .filter(school__partnership_id=school.partnership_id).select_related("school")):
        by_slice[f.measure, f.period].append(_figure(f))
    lines = []
    for (measure, period), figures in by_slice.items():
        mine = [f for f in figures if f.key == school.pk]
        if not mine:
            continue
        found = rules.suppress(figures) if shared else rules.Suppression()
        [la] = rules.totals(figures, "la")
        la_value = None if found.total(rules.LA) else la.value
        why = found.cell(school.pk)
        value = None if why else mine[0].value
        count = (rules.FEWER_THAN_5 if why == rules.SMALL else rules.WITHHELD if why
                 else str(mine[0].count))
        lines.append(HistoryLine(rules.MEASURES[measure], period, count,
                                 mine[0].denominator, value, why, la_value,
                                 rules.difference(value, la_value, measure)))
    order = list(rules.MEASURES)
    return sorted(lines, key=lambda h: (order.index(h.measure.key), rules.period_key(h.period)))


def long_table(user, partnership, *, shared: bool, measure: str | None = None,
               period: str | None = None) -> list[dict]:
    """Every school figure (optionally one measure or period) in the layout that
    `lapis import_inclusion` reads, with the value and the LA average added."""
    found = (SchoolFigure.objects.visible_to(user).filter(school__partnership=partnership)
             .select_related("school"))
    if measure:
        found = found.filter(measure=measure)
    if period:
        found = found.filter(period=period)
    by_slice: dict[tuple[str, str], list[SchoolFigure]] = defaultdict(list)
    for f in found:
        by_slice[f.measure, f.period].append(f)
    out = []
    order = list(rules.MEASURES)
    for (m, p) in sorted(by_slice, key=lambda k: (order.index(k[0]), rules.period_key(k[1]))):
        figures = by_slice[m, p]
        plain = [_figure(f) for f in figures]
        hidden = rules.suppress(plain) if shared else rules.Suppression()
        [la] = rules.totals(plain, "la")
        la_value = None if hidden.total(rules.LA) else la.value
        for f in sorted(figures, key=lambda f: (f.school.name.casefold(), f.school.urn)):
            why = hidden.cell(f.school_id)
            s = f.school
            out.append({
                "urn": s.urn, "school": s.name, "phase": s.get_phase_display(),
                "trust": s.trust, "locality": s.locality, "pupils": s.pupils,
                "measure": m, "period": p,
                "count": (rules.FEWER_THAN_5 if why == rules.SMALL else rules.WITHHELD)
                if why else f.count,
                "denominator": f.denominator,
                "value": None if why else _round(f.value),
                "la_average": _round(la_value),
            })
    return out


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)
