"""The inclusion scorecard's rules: measures, periods, rates, totals and suppression.

Plain Python, no Django: pages, exports, the API and commands all call these functions.

Suppression in views shared outside the council (DfE's practice for published statistics):

- Primary: a count of 1 to 4 is shown as "fewer than 5", and any rate made from it is
  withheld. A count of 0 is shown as 0, as DfE shows it: a zero names nobody, and hiding
  zeros would hide good news about schools that exclude no one.
- Totals are counts too: a trust, locality or LA total of 1 to 4 is withheld the same way.
- Secondary: a shown total minus the shown parts must not give away a withheld count. The
  shared views show school figures, trust totals, locality totals and the LA total, and
  anyone can read all of them, so one suppression pattern is worked out for the whole table
  of schools (trusts and localities cut across each other) and every shared view uses it.
  While some withheld small count could still be worked out exactly, another figure is
  withheld, in this order: the next smallest shown count (5 or more) among the schools of
  the same trust, then of the same locality; then the trust's total, the locality's total,
  the LA total; then the next smallest count anywhere. Zeros are never withheld to protect
  another figure, so a reader knows that a figure withheld for protection is 5 or more and
  one shown as "fewer than 5" is 1 to 4; the check below assumes the reader knows exactly
  that (and these rules), and no more.
- When even withholding every other count and total leaves a small count exposed (the counts
  are so few that, say, four schools of "fewer than 5" in an LA total of "fewer than 5" must
  each be 1), every figure of that measure and period is withheld alike in the shared view.
- The check is exact: the shown figures fix sums over trusts, localities and the LA, which
  is a flow network (schools are arcs from their trust to their locality; withheld totals
  are arcs to a node that the LA total balances). A withheld value can be worked out
  exactly if and only if no cycle of +1/-1 changes through it keeps every shown figure and
  every bound (1 to 4, or 5 and over): a residual-cycle search per withheld small figure.
"""

from __future__ import annotations

import math
import re
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

LOW, HIGH = 1, 4  # a count in this range is withheld in a shared view
FEWER_THAN_5 = "fewer than 5"
WITHHELD = "withheld"
SMALL, SECONDARY, ALL = "small", "secondary", "all"  # why a figure is withheld
MAINTAINED = "Maintained schools (no trust)"
UNKNOWN_LOCALITY = "No locality recorded"


class RuleError(ValueError):
    """A value the rules cannot accept; the message says why, for a person to read."""


@dataclass(frozen=True)
class Measure:
    key: str
    name: str
    unit: str  # "rate" (per 100 pupils) or "%"
    value_label: str  # what the value is, for a column header
    count_label: str
    denominator_label: str
    polarity: str  # "lower" or "higher" is better
    definition: str


MEASURES = {m.key: m for m in [
    Measure("permanent_exclusions", "Permanent exclusions", "rate", "Per 100 pupils",
            "Permanent exclusions", "Pupils on roll", "lower",
            "Permanent exclusions in the period, per 100 pupils on roll."),
    Measure("suspensions", "Suspensions", "rate", "Per 100 pupils", "Suspensions",
            "Pupils on roll", "lower",
            "Suspensions (fixed-period exclusions) in the period, per 100 pupils on roll."),
    Measure("attendance", "Attendance", "%", "% of sessions attended", "Sessions attended",
            "Possible sessions", "higher",
            "Sessions attended as a percentage of possible sessions."),
    Measure("persistent_absence", "Persistent absence", "%", "% of pupils",
            "Pupils persistently absent", "Pupils on roll", "lower",
            "Pupils missing 10% or more of their possible sessions, as a percentage of pupils."),
    Measure("part_time_timetables", "Part-time timetables", "rate", "Per 100 pupils",
            "Pupils on part-time timetables", "Pupils on roll", "lower",
            "Pupils on a part-time timetable in the period (a count; per 100 pupils on roll "
            "to compare schools of different sizes)."),
    Measure("elective_home_education", "Elective home education", "rate", "Per 100 pupils",
            "Pupils leaving for elective home education", "Pupils on roll", "lower",
            "Pupils taken off roll to be educated at home in the period (a count; per 100 "
            "pupils on roll to compare schools of different sizes)."),
]}
PUPIL_DENOMINATOR = frozenset(k for k, m in MEASURES.items()
                              if m.denominator_label == "Pupils on roll")

PHASES = {
    "nursery": "Nursery", "primary": "Primary", "secondary": "Secondary",
    "special": "Special", "all_through": "All-through", "ap": "Alternative provision",
    "post_16": "Post-16",
}
_PHASE_WORDS = {**{k: k for k in PHASES}, **{_v.casefold(): _k for _k, _v in PHASES.items()},
                "allthrough": "all_through", "all-through": "all_through",
                "alternativeprovision": "ap", "pru": "ap", "post16": "post_16",
                "16plus": "post_16", "sixthform": "post_16"}
TERMS = ("Autumn", "Spring", "Summer")
BY = {"school": "School", "trust": "Trust", "locality": "Locality"}


def _squash(text: str) -> str:
    return re.sub(r"[\s_\-]+", "", text).casefold()


def read_phase(value) -> str:
    text = str(value or "").strip()
    if not text:
        raise RuleError("the phase is missing: give one of " + ", ".join(PHASES.values()))
    found = _PHASE_WORDS.get(text.casefold()) or _PHASE_WORDS.get(_squash(text))
    if found is None:
        raise RuleError(f"{text!r} is not a phase: give one of " + ", ".join(PHASES.values()))
    return found


def read_measure(value) -> str:
    text = _squash(str(value or ""))
    for key, measure in MEASURES.items():
        if text in (_squash(key), _squash(measure.name)):
            return key
    raise RuleError(f"{str(value or '').strip()!r} is not a measure: give one of "
                    + ", ".join(MEASURES))


_PERIOD = re.compile(r"^(\d{4})\s*[/-]\s*(\d{2})(?:\s+(autumn|spring|summer)(?:\s+term)?)?$",
                     re.IGNORECASE)


def read_period(value) -> str:
    """An academic year ("2023/24") or a term of one ("2024/25 Autumn"), tidied."""
    text = " ".join(str(value or "").split())
    match = _PERIOD.match(text)
    if not match:
        raise RuleError(f"{text!r} is not a period: write an academic year such as "
                        "2023/24, or a term such as 2024/25 Autumn")
    start, end, term = int(match[1]), int(match[2]), match[3]
    if (start + 1) % 100 != end:
        raise RuleError(f"{text!r} is not an academic year: {start} is followed by "
                        f"{(start + 1) % 100:02d}")
    return f"{start}/{end:02d}" + (f" {term.capitalize()}" if term else "")


def period_key(period: str) -> tuple[int, int]:
    """Chronological order: the terms of a year, then the whole year."""
    year, _, term = period.partition(" ")
    return int(year[:4]), TERMS.index(term) if term in TERMS else len(TERMS)


def read_count(value, what: str, *, required: bool) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise RuleError(f"the {what} is missing")
        return None
    if isinstance(value, bool):
        raise RuleError(f"{value!r} is not a whole number of {what}")
    if isinstance(value, float):
        if not value.is_integer():
            raise RuleError(f"{value:g} is not a whole number of {what}")
        value = int(value)
    if isinstance(value, str):
        text = value.strip().replace(",", "")
        if not re.fullmatch(r"\d+(\.0+)?", text):
            raise RuleError(f"{value.strip()!r} is not a whole number of {what}")
        value = int(float(text))
    if value < 0:
        raise RuleError(f"the {what} cannot be negative")
    return value


def rate(count: int | None, denominator: int | None) -> float | None:
    """The count per 100 of the denominator (a percentage or a rate per 100 pupils)."""
    if count is None or not denominator:
        return None
    return 100 * count / denominator


def check_figure(measure: str, count: int, denominator: int | None) -> None:
    m = MEASURES[measure]
    if denominator is not None and denominator <= 0:
        raise RuleError(f"the {m.denominator_label.lower()} must be more than 0")
    if m.unit == "%" and denominator is not None and count > denominator:
        raise RuleError(f"{count} {m.count_label.lower()} is more than the "
                        f"{denominator} {m.denominator_label.lower()}")


def difference(value: float | None, average: float | None, measure: str) -> str:
    """The value against the LA average, in words (never by colour alone), for a column
    headed "Compared with the LA average"."""
    if value is None or average is None:
        return ""
    m = MEASURES[measure]
    unit = " points" if m.unit == "%" else ""
    gap = round(value - average, 1)
    if gap == 0:
        return "Same"
    better = (gap < 0) == (m.polarity == "lower")
    side = "above" if gap > 0 else "below"
    return f"{abs(gap):.1f}{unit} {side} ({'better' if better else 'worse'})"


# ---------------------------------------------------------------------------------------------
# Figures, totals and suppression
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Figure:
    """One school's figure for one measure and period."""

    key: Hashable
    name: str
    trust: str  # "" for a maintained school
    locality: str
    count: int | None
    denominator: int | None

    @property
    def value(self) -> float | None:
        return rate(self.count, self.denominator)


Group = tuple[str, str]  # ("trust", name) / ("locality", name) / ("la", "")
LA: Group = ("la", "")


def trust_group(figure: Figure) -> Group:
    return ("trust", figure.trust or MAINTAINED)


def locality_group(figure: Figure) -> Group:
    return ("locality", figure.locality or UNKNOWN_LOCALITY)


def groups_of(figure: Figure) -> tuple[Group, Group]:
    return trust_group(figure), locality_group(figure)


@dataclass(frozen=True)
class Total:
    group: Group
    count: int
    denominator: int | None
    schools: int

    @property
    def name(self) -> str:
        return "Local authority" if self.group == LA else self.group[1]

    @property
    def value(self) -> float | None:
        return rate(self.count, self.denominator)


def totals(figures: Iterable[Figure], by: str) -> list[Total]:
    """Pooled totals by trust, by locality or for the whole LA (`by="la"`): the sum of the
    counts over the sum of the denominators, so a big school weighs more than a small one.
    Schools without a count for the period are left out of both sums."""
    sums: dict[Group, list] = {}
    for f in figures:
        if f.count is None:
            continue
        group = LA if by == "la" else trust_group(f) if by == "trust" else locality_group(f)
        entry = sums.setdefault(group, [0, 0, 0, True])
        entry[0] += f.count
        entry[1] += f.denominator or 0
        entry[2] += 1
        entry[3] = entry[3] and f.denominator is not None
    found = [Total(g, c, d if whole and d else None, n) for g, (c, d, n, whole) in sums.items()]
    return sorted(found, key=lambda t: (t.group[1] in (MAINTAINED, UNKNOWN_LOCALITY),
                                        t.group[1].casefold()))


@dataclass
class Suppression:
    """What a shared view withholds: school figures by key and totals by group, each with why
    ("small": 1 to 4; "secondary": withheld so that a small one cannot be worked out)."""

    cells: dict[Hashable, str] = field(default_factory=dict)
    totals: dict[Group, str] = field(default_factory=dict)

    def cell(self, key) -> str | None:
        return self.cells.get(key)

    @property
    def everything(self) -> bool:
        """Every figure withheld alike (see `suppress`)."""
        return ALL in self.cells.values()

    def total(self, group: Group) -> str | None:
        return self.totals.get(group)


def small(count: int | None) -> bool:
    return count is not None and LOW <= count <= HIGH


def suppress(figures: Iterable[Figure]) -> Suppression:
    """The one suppression pattern every shared view of these figures uses (see the module
    docstring). Deterministic: the same figures always give the same pattern."""
    cells = {f.key: f for f in figures if f.count is not None}
    result = Suppression()
    for f in cells.values():
        if small(f.count):
            result.cells[f.key] = SMALL
    sums = _group_sums(cells.values())
    for group, count in sums.items():
        if small(count):
            result.totals[group] = SMALL
    for _ in range(4 * len(cells) + 2 * len(sums) + 4):  # each pass withholds one more figure
        exposed = exposed_figures(cells.values(), result)
        if not exposed:
            return result
        if not _protect(exposed[0], cells, sums, result):
            break
    # Nothing left to withhold and a small count still exposed: the counts are so few that
    # any of them gives the others away (four schools "fewer than 5" and an LA total
    # "fewer than 5" means each is 1). Withhold every figure alike, small or not.
    return Suppression(cells={k: ALL for k in cells}, totals={g: ALL for g in sums})


def _group_sums(figures: Iterable[Figure]) -> dict[Group, int]:
    sums: dict[Group, int] = {}
    for f in figures:
        for group in (*groups_of(f), LA):
            sums[group] = sums.get(group, 0) + f.count
    return sums


def _smallest_cell(cells: dict, result: Suppression, where) -> Hashable | None:
    found = [f for f in cells.values()
             if f.key not in result.cells and f.count > HIGH and where(f)]
    if not found:
        return None
    return min(found, key=lambda f: (f.count, f.name.casefold(), str(f.key))).key


def _smallest_total(sums: dict[Group, int], result: Suppression, kind: str,
                    but: Group | None = None) -> Group | None:
    found = [(c, g) for g, c in sums.items()
             if g[0] == kind and g != but and g not in result.totals and c > HIGH]
    return min(found)[1] if found else None


def _protect(item, cells, sums, result: Suppression) -> bool:
    """Withhold one more figure to protect an exposed one; False if nothing is left."""
    steps = []
    if item[0] == "cell":
        f = cells[item[1]]
        trust, locality = groups_of(f)
        steps = [
            ("cell", _smallest_cell(cells, result, lambda o: trust_group(o) == trust)),
            ("cell", _smallest_cell(cells, result, lambda o: locality_group(o) == locality)),
            *[("total", g if g not in result.totals else None) for g in (trust, locality, LA)],
        ]
    else:
        group = item[1]
        if group == LA:
            steps = [("total", _smallest_total(sums, result, "trust")),
                     ("total", _smallest_total(sums, result, "locality"))]
        else:
            steps = [("total", _smallest_total(sums, result, group[0], but=group)),
                     ("total", LA if LA not in result.totals else None),
                     ("cell", _smallest_cell(cells, result, lambda o: group in groups_of(o)))]
    steps += [("cell", _smallest_cell(cells, result, lambda o: True)),
              ("total", _smallest_total(sums, result, "trust")),
              ("total", _smallest_total(sums, result, "locality"))]
    for kind, target in steps:
        if target is None:
            continue
        (result.cells if kind == "cell" else result.totals)[target] = SECONDARY
        return True
    return False


# The exact check: a flow network over the withheld figures ----------------------------------

_T, _L = ("node", "trusts withheld"), ("node", "localities withheld")


@dataclass(frozen=True)
class _Arc:
    item: tuple  # ("cell", key) or ("total", group)
    tail: Hashable
    head: Hashable
    value: int
    low: int
    high: float


def _arcs(figures: Iterable[Figure], result: Suppression) -> list[_Arc]:
    """Each withheld figure as an arc whose flow is its value, with the bounds a reader knows:
    1 to 4 for "fewer than 5", 5 and over for a figure withheld to protect another. Every
    node's balance is fixed by the shown figures."""
    cells = [f for f in figures if f.count is not None]
    sums = _group_sums(cells)

    def bounds(why):
        return ((LOW, HIGH) if why == SMALL else (0, math.inf) if why == ALL
                else (HIGH + 1, math.inf))

    arcs = []
    for f in cells:
        why = result.cells.get(f.key)
        if why:
            arcs.append(_Arc(("cell", f.key), trust_group(f), locality_group(f), f.count,
                             *bounds(why)))
    for group, why in result.totals.items():
        if group not in sums:
            continue
        if group[0] == "trust":
            arcs.append(_Arc(("total", group), _T, group, sums[group], *bounds(why)))
        elif group[0] == "locality":
            arcs.append(_Arc(("total", group), group, _L, sums[group], *bounds(why)))
        else:
            arcs.append(_Arc(("total", group), _L, _T, sums[group], *bounds(why)))
    return arcs


def _reaches(arcs: list[_Arc], skip: _Arc, start, goal) -> bool:
    """Is there a path from start to goal in the residual network, not using `skip`?"""
    out: dict = {}
    for arc in arcs:
        if arc is skip:
            continue
        if arc.value < arc.high:
            out.setdefault(arc.tail, []).append(arc.head)
        if arc.value > arc.low:
            out.setdefault(arc.head, []).append(arc.tail)
    seen, todo = {start}, [start]
    while todo:
        node = todo.pop()
        if node == goal:
            return True
        for nxt in out.get(node, ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return False


def recoverable(arc: _Arc, arcs: list[_Arc]) -> bool:
    """Can a reader of the shown figures work out this withheld value exactly?"""
    up = arc.value < arc.high and _reaches(arcs, arc, arc.head, arc.tail)
    down = arc.value > arc.low and _reaches(arcs, arc, arc.tail, arc.head)
    return not (up or down)


def exposed_figures(figures: Iterable[Figure], result: Suppression) -> list[tuple]:
    """The small withheld figures (1 to 4) that the shown figures would still give away,
    in a fixed order: schools by name, then totals."""
    figures = list(figures)
    names = {f.key: f.name.casefold() for f in figures}
    arcs = _arcs(figures, result)
    found = [a.item for a in arcs if a.low == LOW and recoverable(a, arcs)]
    return sorted(found, key=lambda i: (i[0] != "cell", names.get(i[1], ""), str(i[1])))


# ---------------------------------------------------------------------------------------------
# Rows for a view: what a reader sees
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Row:
    name: str
    key: Hashable  # the school's key, or the group
    count: int | None
    denominator: int | None
    value: float | None
    withheld: str | None  # None, SMALL or SECONDARY
    trust: str = ""
    locality: str = ""
    schools: int = 1

    @property
    def shown_count(self) -> str:
        if self.withheld == SMALL:
            return FEWER_THAN_5
        if self.withheld:
            return WITHHELD
        return "" if self.count is None else str(self.count)


def rows(figures: list[Figure], by: str, shared: bool) -> tuple[list[Row], Row | None]:
    """The rows of a view (schools, trusts or localities) and the LA row, with the withheld
    counts and rates blanked when the view is shared."""
    found = suppress(figures) if shared else Suppression()

    def blank(row_count, withheld):
        return (None, None) if withheld else (row_count, None)

    out = []
    if by == "school":
        for f in sorted(figures, key=lambda f: f.name.casefold()):
            why = found.cell(f.key)
            count, _ = blank(f.count, why)
            out.append(Row(f.name, f.key, count, f.denominator, None if why else f.value, why,
                           f.trust or MAINTAINED, f.locality or UNKNOWN_LOCALITY))
    else:
        for total in totals(figures, by):
            why = found.total(total.group)
            count, _ = blank(total.count, why)
            out.append(Row(total.name, total.group, count, total.denominator,
                           None if why else total.value, why, schools=total.schools))
    la = totals(figures, "la")
    la_row = None
    if la:
        why = found.total(LA)
        la_row = Row("Local authority average", LA, None if why else la[0].count,
                     la[0].denominator, None if why else la[0].value, why,
                     schools=la[0].schools)
    return out, la_row
