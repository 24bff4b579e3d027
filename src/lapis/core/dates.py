"""A date known to the day, or only to the month: due dates, milestones, reviews.

A month-precision date ("Feb-25") is stored as the 1st of its month and counts until the last
day of it (`end()`). Pure Python, no Django.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

from lapis.core.errors import CellError

PRECISIONS = ("day", "month")
MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun",
              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def real_date(text: str, year: int, month: int, day: int = 1) -> datetime.date:
    """The date, or a CellError naming `text` when there is no such day."""
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise CellError(f"{text!r} is not a real date") from None


def month_end(day: datetime.date) -> datetime.date:
    """The last day of the month `day` is in."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to the day, or only to the month (then `value` is the 1st)."""

    value: datetime.date
    precision: str = "day"  # "day" or "month"

    def __post_init__(self):
        if self.precision not in PRECISIONS:
            raise ValueError(f"precision must be 'day' or 'month', not {self.precision!r}")
        # datetime is a date subclass but cannot be compared with a date, which would break
        # ordering; keep only the date part.
        if isinstance(self.value, datetime.datetime):
            object.__setattr__(self, "value", self.value.date())
        # Any other day would make two dates for the same month compare unequal.
        if self.precision == "month" and self.value.day != 1:
            raise ValueError("a month-precision date must be the 1st of its month")

    def end(self) -> datetime.date:
        """The last day the date covers: itself, or the last day of its month."""
        return month_end(self.value) if self.precision == "month" else self.value

    def iso(self) -> str:
        """'2023-02' or '2023-02-14'."""
        if self.precision == "month":
            return f"{self.value.year:04d}-{self.value.month:02d}"
        return self.value.isoformat()

    label = iso  # the name drift's facts use

    def words(self) -> str:
        """'February 2025' or '14 February 2025'."""
        month = f"{calendar.month_name[self.value.month]} {self.value.year}"
        return month if self.precision == "month" else f"{self.value.day} {month}"

    @classmethod
    def from_iso(cls, text: str) -> PartialDate:
        """Inverse of iso()."""
        match = re.fullmatch(r"(\d{4})-(\d{2})(?:-(\d{2}))?", text.strip())
        if not match:
            raise CellError(f"{text!r} is not an ISO date such as 2023-02 or 2023-02-14")
        year, month, day = match.groups()
        value = real_date(text, int(year), int(month), int(day or 1))
        return cls(value, "day" if day else "month")

    def __str__(self) -> str:
        month = f"{MONTH_ABBR[self.value.month - 1]} {self.value.year}"
        return month if self.precision == "month" else f"{self.value.day} {month}"
