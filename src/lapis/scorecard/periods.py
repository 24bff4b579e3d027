"""Periods as the published figures name them, and their order.

- "2024": a calendar year (starts 1 January).
- "2022/23": an academic year (starts 1 September 2022).
- "2024-25": a financial year (starts 1 April 2024).
- "2024-04": a month.
- "2024/25 Autumn", "2024/25 Spring", "2024/25 Summer": a school term (1 September, 1 January,
  1 April).
- "2024Q2": a calendar quarter (Q1 January to March, Q2 April to June, Q3 July to September,
  Q4 October to December), as the quarterly EHC plan audit reports name them.
- DfE's own six-digit academic years ("202223") are read as "2022/23".
Anything else is not a period: `parse` raises ValueError with the text.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

TERMS = {"autumn": (0, 9), "spring": (1, 1), "summer": (1, 4)}


@dataclass(frozen=True, order=True)
class Period:
    start: dt.date
    label: str
    kind: str  # calendar_year | academic_year | financial_year | month | term | quarter


def parse(text: str) -> Period:
    value = str(text).strip()
    if m := re.fullmatch(r"(\d{4})Q([1-4])", value, re.IGNORECASE):
        return Period(dt.date(int(m[1]), 3 * int(m[2]) - 2, 1), f"{m[1]}Q{m[2]}", "quarter")
    if m := re.fullmatch(r"(\d{4})", value):
        return Period(dt.date(int(m[1]), 1, 1), value, "calendar_year")
    if m := re.fullmatch(r"(\d{4})(\d{2})", value):
        value = f"{m[1]}/{m[2]}"
    if m := re.fullmatch(r"(\d{4})/(\d{2})", value):
        _follows(m, value)
        return Period(dt.date(int(m[1]), 9, 1), value, "academic_year")
    if m := re.fullmatch(r"(\d{4})/(\d{2}) (autumn|spring|summer)", value, re.IGNORECASE):
        _follows(m, value)
        offset, month = TERMS[m[3].lower()]
        label = f"{m[1]}/{m[2]} {m[3].capitalize()}"
        return Period(dt.date(int(m[1]) + offset, month, 1), label, "term")
    if m := re.fullmatch(r"(\d{4})-(\d{2})", value):
        if 1 <= int(m[2]) <= 12:
            return Period(dt.date(int(m[1]), int(m[2]), 1), value, "month")
        _follows(m, value)
        return Period(dt.date(int(m[1]), 4, 1), value, "financial_year")
    raise ValueError(f"{text!r} is not a period: use 2024, 2022/23, 2024-25, 2024-04 or "
                     "2024Q2")


def _follows(match, text: str) -> None:
    if (int(match[1]) + 1) % 100 != int(match[2]):
        raise ValueError(f"{text!r} is not a period: the second year must follow the first")


def end(period: Period) -> dt.date:
    """The last day the period covers."""
    start = period.start
    if period.kind in ("calendar_year", "academic_year", "financial_year"):
        return start.replace(year=start.year + 1) - dt.timedelta(days=1)
    if period.kind == "month":
        following = dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)
        return following - dt.timedelta(days=1)
    if period.kind == "quarter":
        month = start.month + 3
        following = dt.date(start.year + (month > 12), (month - 1) % 12 + 1, 1)
        return following - dt.timedelta(days=1)
    following = {9: (1, 1), 1: (0, 4), 4: (0, 9)}[start.month]  # term
    return dt.date(start.year + following[0], following[1], 1) - dt.timedelta(days=1)


def parse_iso(text: str) -> dt.date:
    return dt.date.fromisoformat(text)
