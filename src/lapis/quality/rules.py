"""The grading rule of an audit framework, with no database: pure functions over numbers.

A framework scores each criterion on its scale (0 is the lowest level, `len(scale) - 1` the
highest) and gives it a weight. A section's score is the weighted share of the highest
possible score its scored criteria could have had, as an exact fraction of 100; the plan's
overall score is the same over every scored criterion. The framework states its thresholds
(the lowest score for Outstanding, Good and Requires improvement); a score exactly on a
threshold gets the higher grade. Anything below the last threshold is Inadequate.

Fractions, not floats: 70 must be 70, so that a score on the threshold is graded the same on
every machine.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

OUTSTANDING = "Outstanding"
GOOD = "Good"
REQUIRES_IMPROVEMENT = "Requires improvement"
INADEQUATE = "Inadequate"
GRADES = (OUTSTANDING, GOOD, REQUIRES_IMPROVEMENT, INADEQUATE)  # best first
GOOD_OR_BETTER = frozenset({OUTSTANDING, GOOD})

RECORDED = "recorded"  # the auditor chose the grade
COMPUTED = "computed"  # the framework worked it out from the weighted criteria


@dataclass(frozen=True)
class Thresholds:
    """The lowest score (0-100) that earns each grade."""

    outstanding: Fraction
    good: Fraction
    requires_improvement: Fraction

    def __post_init__(self):
        if not 0 <= self.requires_improvement <= self.good <= self.outstanding <= 100:
            raise ValueError("thresholds must rise from Requires improvement to Outstanding, "
                             "within 0 to 100")

    @classmethod
    def of(cls, outstanding, good, requires_improvement) -> Thresholds:
        return cls(_exact(outstanding), _exact(good), _exact(requires_improvement))


@dataclass(frozen=True)
class Scored:
    """One criterion's score: `score` on a scale whose top is `top` (len(scale) - 1)."""

    weight: Fraction
    score: int
    top: int


def _exact(value) -> Fraction:
    if isinstance(value, float):
        value = Decimal(str(value))
    return Fraction(value)


def score(scored: Iterable[Scored]) -> Fraction | None:
    """The weighted score out of 100, or None when nothing (or only weight 0) was scored."""
    got = possible = Fraction(0)
    for item in scored:
        if not 0 <= item.score <= item.top:
            raise ValueError(f"a score of {item.score} is off the scale 0-{item.top}")
        weight = _exact(item.weight)
        got += weight * item.score
        possible += weight * item.top
    if possible == 0:
        return None
    return got * 100 / possible


def grade_for(value: Fraction | None, thresholds: Thresholds) -> str | None:
    if value is None:
        return None
    if value >= thresholds.outstanding:
        return OUTSTANDING
    if value >= thresholds.good:
        return GOOD
    if value >= thresholds.requires_improvement:
        return REQUIRES_IMPROVEMENT
    return INADEQUATE


def good_or_better(grade: str | None) -> bool:
    return grade in GOOD_OR_BETTER


def pct(part: int, whole: int) -> float | None:
    """A percentage to one decimal place, rounding halves up (7/8 -> 87.5, 1/6 -> 16.7)."""
    if not whole:
        return None
    tenths = Fraction(part * 1000, whole)
    rounded, rest = divmod(tenths.numerator, tenths.denominator)
    if rest * 2 >= tenths.denominator:
        rounded += 1
    return rounded / 10


# ---------------------------------------------------------------------------------------------
# Grading an audit from its criterion scores
# ---------------------------------------------------------------------------------------------

OVERALL = "overall"


@dataclass(frozen=True)
class Computed:
    grade: str
    score: Fraction


def compute_grades(scored: Iterable[tuple[str, Scored]],
                   thresholds: Thresholds) -> dict[str, Computed]:
    """Each section's grade from its own scored criteria, and the plan's ("overall") from
    every scored criterion together (not an average of the section grades). A section with
    nothing scored (or only weight 0) has no grade."""
    by_section: dict[str, list[Scored]] = {}
    for section, item in scored:
        by_section.setdefault(section, []).append(item)
    result = {}
    for section, items in by_section.items():
        value = score(items)
        if value is not None:
            result[section] = Computed(grade_for(value, thresholds), value)
    overall = score(item for items in by_section.values() for item in items)
    if overall is not None:
        result[OVERALL] = Computed(grade_for(overall, thresholds), overall)
    return result


# ---------------------------------------------------------------------------------------------
# Quarters
# ---------------------------------------------------------------------------------------------

_QUARTER = re.compile(r"\s*(\d{4})\s*-?\s*Q([1-4])\s*", re.IGNORECASE)
_QUARTER_FIRST = re.compile(r"\s*Q([1-4])\s*-?\s*(\d{4})\s*", re.IGNORECASE)


@dataclass(frozen=True, order=True)
class Quarter:
    """A calendar quarter: 2024Q1 is January to March 2024, Q2 April to June, Q3 July to
    September, Q4 October to December."""

    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """"2024Q2" (also "2024-Q2", "2024 q2", "Q2 2024"); ValueError otherwise."""
        value = str(text)
        if m := _QUARTER.fullmatch(value):
            return cls(int(m[1]), int(m[2]))
        if m := _QUARTER_FIRST.fullmatch(value):
            return cls(int(m[2]), int(m[1]))
        raise ValueError(f"{text!r} is not a quarter: write it like 2024Q2 (calendar quarter "
                         "April to June 2024)")

    @classmethod
    def of(cls, day: dt.date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def label(self) -> str:
        return f"{self.year}Q{self.number}"

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> dt.date:
        following = self.next()
        return following.start - dt.timedelta(days=1)

    @property
    def months(self) -> str:
        first = self.start.strftime("%B")
        last = self.end.strftime("%B")
        return f"{first} to {last} {self.year}"

    def previous(self) -> Quarter:
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year,
                                                                           self.number - 1)

    def next(self) -> Quarter:
        return Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year,
                                                                          self.number + 1)

    def __contains__(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def __str__(self) -> str:
        return self.label


# ---------------------------------------------------------------------------------------------
# The quarterly report, over plain records
# ---------------------------------------------------------------------------------------------

NOT_RECORDED = "Not recorded"


@dataclass(frozen=True)
class AuditRecord:
    """One audit as the report needs it: `grades` maps a section code or "overall" to a
    grade; `moderates` is the audit_id of the audit a moderation grades again."""

    audit_id: str
    plan_id: str
    audit_date: dt.date
    grades: dict
    agency: str = ""
    phase: str = ""
    need: str = ""
    moderates: str | None = None
    themes: tuple[str, ...] = ()


@dataclass(frozen=True)
class FollowUpRecord:
    audit_id: str
    plan_id: str
    audit_date: dt.date
    kind: str
    description: str
    owner: str
    due: dt.date
    done: dt.date | None = None


def latest_by_plan(audits: Iterable[AuditRecord], quarter: Quarter) -> list[AuditRecord]:
    """The audits a quarter counts: moderations left out, and for each plan only its latest
    audit in the quarter (by audit date, then audit_id), ordered by plan ID."""
    latest: dict[str, AuditRecord] = {}
    for record in audits:
        if record.moderates or record.audit_date not in quarter:
            continue
        held = latest.get(record.plan_id)
        if held is None or (record.audit_date, record.audit_id) > (held.audit_date,
                                                                   held.audit_id):
            latest[record.plan_id] = record
    return [latest[plan] for plan in sorted(latest)]


def _share(records: list[AuditRecord], section: str) -> dict:
    graded = [r for r in records if r.grades.get(section) in GRADES]
    good = sum(1 for r in graded if good_or_better(r.grades[section]))
    return {"audits": len(graded), "good_or_better": good,
            "good_or_better_pct": pct(good, len(graded))}


def figures(audits: Iterable[AuditRecord], quarter: Quarter, sections: Iterable[str]) -> dict:
    """The required shape for one quarter: plans audited, overall grade counts (all four,
    zeros included), % good or better, and each section's audits and % good or better."""
    counted = latest_by_plan(audits, quarter)
    overall = {grade: 0 for grade in GRADES}
    for record in counted:
        grade = record.grades.get(OVERALL)
        if grade in overall:
            overall[grade] += 1
    graded = sum(overall.values())
    good = overall[OUTSTANDING] + overall[GOOD]
    return {
        "quarter": quarter.label,
        "audits": len(counted),
        "overall": overall,
        "good_or_better": good,
        "good_or_better_pct": pct(good, graded),
        "sections": {code: _share(counted, code) for code in sections},
    }


def change_points(now: float | None, before: float | None) -> float | None:
    """The change in percentage points between two one-decimal percentages, as shown."""
    if now is None or before is None:
        return None
    return float(Decimal(str(now)) - Decimal(str(before)))


def agreement(audits: Iterable[AuditRecord], quarter: Quarter) -> dict:
    """Moderation: of the audits dated in the quarter that a second auditor graded again, the
    share whose moderator gave the same overall grade (the latest moderation of each, by
    date then audit_id)."""
    audits = list(audits)
    originals = {r.audit_id: r for r in audits if not r.moderates and r.audit_date in quarter}
    latest: dict[str, AuditRecord] = {}
    for record in audits:
        if record.moderates in originals:
            held = latest.get(record.moderates)
            if held is None or (record.audit_date, record.audit_id) > (held.audit_date,
                                                                       held.audit_id):
                latest[record.moderates] = record
    agreed = sum(1 for audit_id, moderation in latest.items()
                 if moderation.grades.get(OVERALL) is not None
                 and moderation.grades.get(OVERALL) == originals[audit_id].grades.get(OVERALL))
    return {"moderated": len(latest), "agreed": agreed,
            "agreement_pct": pct(agreed, len(latest))}


def breakdown(audits: Iterable[AuditRecord], quarter: Quarter, field: str) -> dict:
    """The counted plans by agency, phase or need: {value: {audits, good_or_better,
    good_or_better_pct}}, sorted by value. Empty when no audit records the field; plans
    without it are under "Not recorded" when some others have it."""
    counted = latest_by_plan(audits, quarter)
    if not any(getattr(r, field) for r in counted):
        return {}
    groups: dict[str, list[AuditRecord]] = {}
    for record in counted:
        groups.setdefault(getattr(record, field) or NOT_RECORDED, []).append(record)
    order = sorted(k for k in groups if k != NOT_RECORDED)
    if NOT_RECORDED in groups:
        order.append(NOT_RECORDED)
    return {key: _share(groups[key], OVERALL) for key in order}


def themes(audits: Iterable[AuditRecord], quarter: Quarter) -> list[dict]:
    """The themes of findings on the audits dated in the quarter (every audit, including an
    earlier audit of a plan audited again, but not moderations), with the number of audits
    each was found in, this quarter and the one before. A theme is recurring when it was
    found in two or more audits this quarter, or this quarter and the one before. Most found
    first, then by name."""
    audits = [r for r in audits if not r.moderates]
    before = quarter.previous()
    now_counts: dict[str, int] = {}
    then_counts: dict[str, int] = {}
    for record in audits:
        target = (now_counts if record.audit_date in quarter
                  else then_counts if record.audit_date in before else None)
        if target is None:
            continue
        for theme in set(record.themes):
            target[theme] = target.get(theme, 0) + 1
    rows = [{"theme": theme, "audits": count, "previous_audits": then_counts.get(theme, 0),
             "recurring": count >= 2 or then_counts.get(theme, 0) > 0}
            for theme, count in now_counts.items()]
    return sorted(rows, key=lambda row: (-row["audits"], row["theme"].casefold()))


def follow_ups(items: Iterable[FollowUpRecord], quarter: Quarter, as_of: dt.date) -> dict:
    """The follow-ups of the audits dated in the quarter: how many, how many done, and the
    open ones (not done) as of `as_of`, with those past their due date overdue. Due first."""
    mine = [f for f in items if f.audit_date in quarter]
    still_open = sorted((f for f in mine if f.done is None or f.done > as_of),
                        key=lambda f: (f.due, f.audit_id, f.description))
    return {
        "total": len(mine),
        "done": len(mine) - len(still_open),
        "open": len(still_open),
        "overdue": sum(1 for f in still_open if f.due < as_of),
        "as_of": as_of.isoformat(),
        "items": [{"audit_id": f.audit_id, "plan_id": f.plan_id, "kind": f.kind,
                   "description": f.description, "owner": f.owner, "due": f.due.isoformat(),
                   "overdue": f.due < as_of} for f in still_open],
    }


def quarter_report(audits: Iterable[AuditRecord], quarter: Quarter, sections: Iterable[str],
                   *, follow_up_items: Iterable[FollowUpRecord] = (),
                   as_of: dt.date | None = None) -> dict:
    """The whole quarterly report: `figures` for the quarter and the one before
    ("previous"), the change in percentage points, moderation agreement, breakdowns by
    agency, phase and need, themes and open follow-ups."""
    audits = list(audits)
    sections = list(sections)
    as_of = as_of or dt.date.today()
    now = figures(audits, quarter, sections)
    before = figures(audits, quarter.previous(), sections)
    return {
        **now,
        "period": {"start": quarter.start.isoformat(), "end": quarter.end.isoformat()},
        "previous": before,
        "change": {
            "audits": now["audits"] - before["audits"],
            "good_or_better_points": change_points(now["good_or_better_pct"],
                                                   before["good_or_better_pct"]),
            "sections": {code: change_points(now["sections"][code]["good_or_better_pct"],
                                             before["sections"][code]["good_or_better_pct"])
                         for code in sections},
        },
        "agreement": agreement(audits, quarter),
        "by_agency": breakdown(audits, quarter, "agency"),
        "by_phase": breakdown(audits, quarter, "phase"),
        "by_need": breakdown(audits, quarter, "need"),
        "themes": themes(audits, quarter),
        "follow_ups": follow_ups(follow_up_items, quarter, as_of),
    }


def change_in_words(points: float | None, previous_label: str,
                    previous_pct: float | None) -> str:
    """"Up 14.0 percentage points on 2024Q1 (50.0%)", for pages and text reports."""
    if previous_pct is None:
        return f"No audits in {previous_label} to compare with."
    if points is None:
        return f"No audits this quarter to compare with {previous_label} ({previous_pct}%)."
    if points == 0:
        return f"The same as {previous_label} ({previous_pct}%)."
    direction = "Up" if points > 0 else "Down"
    return (f"{direction} {abs(points):.1f} percentage points on {previous_label} "
            f"({previous_pct}%).")
