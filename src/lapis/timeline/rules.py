"""Milestones and the timeline: periods, slippage and status. Pure Python, no Django.

Callers turn actions and milestones into `Item`s and get back `Group`s of `Row`s, one group per
period, ready to render as tables or to serialise as JSON.

Rules:

- A date is a `When`: a day, or a month ("Feb-25") stored as the 1st of the month. A month
  counts at the END of its month everywhere here (`When.end()`): "due Feb-25" is met by
  28 Feb 2025, so it is not overdue on 10 Feb, and it sits in the period of 28 Feb.
- Periods are calendar months ("2025-03", "March 2025") or English school terms:
  Autumn = 1 Sep to 31 Dec, Spring = 1 Jan to 31 Mar, Summer = 1 Apr to 31 Aug, labelled
  "Autumn 2024" with the academic year "2024/25" (1 Sep to 31 Aug). Real term dates follow
  Easter and each council's calendar; these fixed boundaries approximate them so that every
  date falls in exactly one term and a plan reads the same everywhere. The summer holiday
  counts as part of the summer term.
- Slippage is current.end() - planned.end() in days: positive = later than planned,
  negative = earlier, 0 = on plan. In words it counts whole months when both dates are
  months, days below 60 days, and "about N months" (N = round(days / 30.4375)) beyond.
- Status on an as-of date: "done" when the item is done (an action in a done status family or
  closed; a milestone completed on or before as-of); else "overdue" when current.end() is
  before as-of; else "due" when current.end() falls in the same period as as-of; else
  "future".
- A timeline puts every item in the period of its current date, keeps the periods that overlap
  the range asked for (empty ones too, so the table says "nothing due"), and orders rows by
  current date, then planned date, then kind (due dates before milestones), ref and title.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from lapis.core.dates import PartialDate, month_end

BY = ("month", "term")
KINDS = {"due": "Due date", "milestone": "Milestone"}
STATUSES = ("done", "overdue", "due", "future")
STATUS_LABELS = {
    "done": "Done",
    "overdue": "Overdue",
    "due": {"month": "Due this month", "term": "Due this term"},
    "future": "Not due yet",
}
TERMS = ("Spring", "Summer", "Autumn")  # in calendar order within a year
MAX_PERIODS = 240  # 20 years of months: a bound on the work one request can ask for


# A milestone's date is the one partial date of `lapis.core.dates` (precision "day" unless
# given).
When = PartialDate


@dataclass(frozen=True, order=True)
class Period:
    """A month or a school term. Periods of one kind sort by `start`."""

    start: date
    end: date
    key: str  # "2025-03" or "2024-autumn"
    label: str  # "March 2025" or "Autumn 2024"
    academic_year: str  # "2024/25": the school year the period falls in (1 Sep to 31 Aug)

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def as_json(self) -> dict:
        return {"key": self.key, "label": self.label, "academic_year": self.academic_year,
                "start": self.start.isoformat(), "end": self.end.isoformat()}


def academic_year(day: date) -> str:
    """'2024/25' for any day from 1 Sep 2024 to 31 Aug 2025."""
    first = day.year if day.month >= 9 else day.year - 1
    return f"{first}/{(first + 1) % 100:02d}"


def month_period(day: date) -> Period:
    start = day.replace(day=1)
    return Period(start, month_end(day), f"{day.year:04d}-{day.month:02d}",
                  f"{calendar.month_name[day.month]} {day.year}", academic_year(day))


def term_period(day: date) -> Period:
    if day.month >= 9:
        name, start, end = "Autumn", date(day.year, 9, 1), date(day.year, 12, 31)
    elif day.month >= 4:
        name, start, end = "Summer", date(day.year, 4, 1), date(day.year, 8, 31)
    else:
        name, start, end = "Spring", date(day.year, 1, 1), date(day.year, 3, 31)
    return Period(start, end, f"{day.year:04d}-{name.lower()}", f"{name} {day.year}",
                  academic_year(day))


def period_of(day: date, by: str) -> Period:
    if by == "month":
        return month_period(day)
    if by == "term":
        return term_period(day)
    raise ValueError(f"by must be 'month' or 'term', not {by!r}")


def periods_between(first: date, last: date, by: str) -> list[Period]:
    """Every period overlapping first..last, in order. Raises ValueError when last < first
    or when that is more than MAX_PERIODS periods."""
    if last < first:
        raise ValueError("the end of the range is before its start")
    periods = [period_of(first, by)]
    while periods[-1].end < last:
        if len(periods) >= MAX_PERIODS:
            raise ValueError(f"the range is more than {MAX_PERIODS} periods")
        periods.append(period_of(periods[-1].end + datetime.timedelta(days=1), by))
    return periods


def slippage_days(planned: When, current: When) -> int:
    """Days between the planned and the current date: positive = later than planned."""
    return (current.end() - planned.end()).days


def _count(n: int, unit: str) -> str:
    return f"{n} {unit}" if n == 1 else f"{n} {unit}s"


def describe_slippage(planned: When, current: When) -> str:
    """'On plan', 'moved 3 months later', 'moved 12 days earlier',
    'moved about 4 months later (122 days)'."""
    days = slippage_days(planned, current)
    if planned.precision == current.precision == "month":
        months = ((current.value.year - planned.value.year) * 12
                  + current.value.month - planned.value.month)
        if months == 0:
            return "On plan"
        way = "later" if months > 0 else "earlier"
        return f"moved {_count(abs(months), 'month')} {way}"
    if days == 0:
        return "On plan"
    way = "later" if days > 0 else "earlier"
    if abs(days) < 60:
        return f"moved {_count(abs(days), 'day')} {way}"
    months = round(abs(days) / 30.4375)
    return f"moved about {_count(months, 'month')} {way} ({abs(days)} days)"


def status_of(*, current: When, done: bool, as_of: date, by: str) -> str:
    """'done', 'overdue', 'due' (in the same period as as_of) or 'future'."""
    if done:
        return "done"
    end = current.end()
    if end < as_of:
        return "overdue"
    if period_of(end, by) == period_of(as_of, by):
        return "due"
    return "future"


def status_label(status: str, by: str) -> str:
    label = STATUS_LABELS[status]
    return label[by] if isinstance(label, dict) else label


def original_due(changes: Iterable, current: When | None) -> When | None:
    """The first due date an action had: the `old` of its earliest recorded due-date change
    that had one (changes carry `changed_on` and `old`, as `lapis.plans.drift.DueChange`), or
    its current due date when none was recorded. The same rule the drift page uses."""
    ordered = sorted(changes, key=lambda change: change.changed_on)
    first = next((c.old for c in ordered if c.old is not None), None)
    if first is None:
        return current
    return When(first.value, first.precision)


@dataclass(frozen=True)
class Item:
    """One dated thing on the timeline: an action's due date or a milestone."""

    kind: str  # "due" | "milestone"
    id: int  # the action's or the milestone's id
    title: str
    planned: When
    current: When
    done: bool = False
    action_id: int | None = None
    action_ref: str = ""
    priority: int | None = None  # the priority number
    completed_on: date | None = None

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {self.kind!r}")


@dataclass(frozen=True)
class Row:
    item: Item
    slippage_days: int
    slippage: str  # in words
    status: str
    status_label: str

    def as_json(self) -> dict:
        item = self.item
        return {
            "kind": item.kind,
            "id": item.id,
            "title": item.title,
            "action_id": item.action_id,
            "action_ref": item.action_ref or None,
            "priority": item.priority,
            "planned": item.planned.iso(),
            "current": item.current.iso(),
            "completed_on": item.completed_on.isoformat() if item.completed_on else None,
            "slippage_days": self.slippage_days,
            "slippage": self.slippage,
            "status": self.status,
            "status_label": self.status_label,
        }


@dataclass
class Group:
    period: Period
    rows: list[Row] = field(default_factory=list)

    def as_json(self) -> dict:
        return {**self.period.as_json(), "rows": [row.as_json() for row in self.rows]}


def row_for(item: Item, *, as_of: date, by: str) -> Row:
    status = status_of(current=item.current, done=item.done, as_of=as_of, by=by)
    return Row(item, slippage_days(item.planned, item.current),
               describe_slippage(item.planned, item.current), status, status_label(status, by))


def _order(row: Row):
    item = row.item
    return (item.current.end(), item.planned.end(), item.kind != "due",
            _ref_key(item.action_ref), item.priority or 0, item.title, item.id)


def _ref_key(ref: str) -> tuple:
    """Sort refs as people read them: '3.2b' before '3.11a' (numbers compare as numbers)."""
    parts, number, text = [], "", ""
    for char in ref:
        if char.isdigit():
            if text:
                parts.append((1, 0, text))
                text = ""
            number += char
        else:
            if number:
                parts.append((0, int(number), ""))
                number = ""
            text += char
    if number:
        parts.append((0, int(number), ""))
    if text:
        parts.append((1, 0, text))
    return tuple(parts)


def build(items: Iterable[Item], *, by: str, first: date, last: date,
          as_of: date) -> list[Group]:
    """The timeline from `first` to `last`: one group per period, rows in date order."""
    groups = {p.key: Group(p) for p in periods_between(first, last, by)}
    for item in items:
        key = period_of(item.current.end(), by).key
        if key in groups:
            groups[key].rows.append(row_for(item, as_of=as_of, by=by))
    for group in groups.values():
        group.rows.sort(key=_order)
    return list(groups.values())


def overdue_before(items: Iterable[Item], *, before: date, as_of: date) -> list[Item]:
    """Open items whose current date is before `before` (the first period's start) and
    before as_of: overdue work a range starting later would otherwise hide."""
    return [i for i in items if not i.done and i.current.end() < min(before, as_of)]


def parse_month(text: str) -> date:
    """'2025-03' -> 1 March 2025. Raises ValueError with a message for a person."""
    parts = text.strip().split("-")
    if len(parts) != 2 or not (len(parts[0]) == 4 and len(parts[1]) in (1, 2)) or not all(
            p.isdigit() for p in parts):
        raise ValueError(f"{text!r} is not a month: use YYYY-MM, such as 2025-03")
    year, month = int(parts[0]), int(parts[1])
    if not 1 <= month <= 12 or year < 1900:
        raise ValueError(f"{text!r} is not a real month")
    return date(year, month, 1)


def add_months(day: date, months: int) -> date:
    """The 1st of the month `months` after (or before) the month of `day`."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def default_range(today: date, by: str) -> tuple[date, date]:
    """Around today: 3 months back to 8 ahead by month; the term before this one to three
    terms ahead by term."""
    if by == "month":
        return add_months(today, -3), month_end(add_months(today, 8))
    current = term_period(today)
    before = term_period(current.start - datetime.timedelta(days=1))
    after = current
    for _ in range(3):
        after = term_period(after.end + datetime.timedelta(days=1))
    return before.start, after.end


def read_range(by_text: str, from_text: str, to_text: str, today: date):
    """(by, first, last, errors) from a page's, the API's or a command's range: `by` and two
    optional YYYY-MM months. Errors are keyed "by", "from" or "to", written for a person; on
    any error the range falls back to the default around today."""
    errors = {}
    by = by_text if by_text in BY else "month"
    if by_text and by_text not in BY:
        errors["by"] = "Choose month or school term"
    first, last = default_range(today, by)
    if from_text:
        try:
            first = parse_month(from_text)
        except ValueError:
            errors["from"] = "Enter the first month as year and month, such as 2025-03"
    if to_text:
        try:
            last = month_end(parse_month(to_text))
        except ValueError:
            errors["to"] = "Enter the last month as year and month, such as 2026-08"
    if not errors and last < first:
        errors["to"] = "The last month must be the same as or after the first month"
    if not errors:
        try:
            periods_between(first, last, by)
        except ValueError as error:
            errors["to"] = f"Choose a shorter range: {error}"
    if errors:
        first, last = default_range(today, by)
    return by, first, last, errors
