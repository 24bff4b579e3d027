"""Reading untrusted spreadsheet cells: dates (to the day or the month), text, and formula
neutralising for what goes back out.

Pure functions, no Django: an importer calls them cell by cell and turns a `CellError` into a
problem naming the sheet, row and column, so every message here is written for the person who
keeps the spreadsheet.
"""

from __future__ import annotations

import calendar
import datetime
import html
import re
from collections.abc import Iterable

import nh3

from lapis.core.dates import MONTH_ABBR, PartialDate, real_date
from lapis.core.errors import CellError
from lapis.core.input_rules import InputError, plausible_date, strip_controls

__all__ = ["AmbiguousDate", "CellError", "FORMULA_TRIGGERS", "PartialDate", "clean_text",
           "infer_order", "neutralise", "order_evidence", "read_date", "unneutralise"]

# ---------------------------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------------------------

# Full names, three-letter abbreviations and "Sept", which people write as often as "Sep".
_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i + 1 for i, name in enumerate(MONTH_ABBR)})
_MONTHS["sept"] = 9

_ORDERS = {"dmy": "day/month/year", "mdy": "month/day/year"}
_NOT_A_DATE = "is not a date; expected a date such as 14/02/2023 or a month such as Feb-23"

# d/m/y or m/d/y with one separator used twice; people type spaces around it ("08.09. 23").
_NUMERIC = re.compile(r"(\d{1,2})\s*([./-])\s*(\d{1,2})\s*\2\s*(\d{4}|\d{2})")
_ISO_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_ISO_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
# "Feb-23", "February 2023", "Sept. 2025"; the year is checked afterwards so that "Feb-2x"
# is reported as a bad date rather than as "not a date".
_MONTH_YEAR = re.compile(r"([a-z]+)\.?[\s/.,-]*(\d\w*)", re.IGNORECASE)
_DAY_MONTH_YEAR = re.compile(
    r"(\d{1,2})(?:st|nd|rd|th)?[\s/.,-]*([a-z]+)\.?[\s/.,-]*(\d{4}|\d{2})", re.IGNORECASE
)
# Quoted text, escaped characters and [..] sections ("[Red]", "[$-809]") of a number format
# are not date tokens.
_FORMAT_LITERALS = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


class AmbiguousDate(CellError):
    """A numeric date that reads as two different real dates."""

    def __init__(self, text: str, candidates: dict[str, PartialDate]):
        self.candidates = candidates
        readings = " or ".join(f"{d} ({_ORDERS[o]})" for o, d in candidates.items())
        super().__init__(f"{text!r} could be {readings}")


def _year(digits: str) -> int:
    # The registers start in the 2020s; a two-digit year is always this century.
    return 2000 + int(digits) if len(digits) == 2 else int(digits)


def _numeric_readings(text: str) -> dict[str, datetime.date] | None:
    """The real dates a numeric d/m/y text can be, by order; None if it is not numeric."""
    match = _NUMERIC.fullmatch(text)
    if not match:
        return None
    first, _, second, year = match.groups()
    readings = {}
    for order, (day, month) in (("dmy", (first, second)), ("mdy", (second, first))):
        try:
            readings[order] = datetime.date(_year(year), int(month), int(day))
        except ValueError:
            pass
    return readings


def _format_shows_day(number_format: str) -> bool:
    """Whether a date cell's number format shows the day (False for 'mmm-yy')."""
    tokens = _FORMAT_LITERALS.sub("", number_format or "").lower()
    # "General" (or any non-date format) hides nothing: only a date format that shows a month
    # or year but no day marks the value as a month.
    return "d" in tokens or not ("m" in tokens or "y" in tokens)


def read_date(value, *, order: str | None = None,
              number_format: str = "General") -> PartialDate | None:
    """Read a date cell: a real date, a month such as 'Feb-23', ISO, or d/m/y text; a date
    outside the input rules' years (`lapis.core.input_rules`) is a CellError."""
    found = _read_date(value, order=order, number_format=number_format)
    if found is not None:
        try:
            plausible_date(found.value)
        except InputError as error:
            raise CellError(f"{value!r}: {error}") from None
    return found


def _read_date(value, *, order: str | None, number_format: str) -> PartialDate | None:
    if order not in (None, *_ORDERS):
        raise ValueError(f"order must be 'dmy', 'mdy' or None, not {order!r}")
    if value is None:
        return None
    if isinstance(value, datetime.date):  # datetime too
        day = value.date() if isinstance(value, datetime.datetime) else value
        if _format_shows_day(number_format):
            return PartialDate(day, "day")
        return PartialDate(day.replace(day=1), "month")
    if not isinstance(value, str):
        raise CellError(f"{value!r} {_NOT_A_DATE}")
    text = " ".join(value.split())
    if not text:
        return None

    readings = _numeric_readings(text)
    if readings is not None:
        return _choose_reading(text, readings, order)
    if match := _ISO_DAY.fullmatch(text):
        year, month, day = map(int, match.groups())
        return PartialDate(real_date(text, year, month, day), "day")
    if match := _ISO_MONTH.fullmatch(text):
        year, month = map(int, match.groups())
        return PartialDate(real_date(text, year, month), "month")
    if (match := _DAY_MONTH_YEAR.fullmatch(text)) and match.group(2).lower() in _MONTHS:
        day, month, year = match.groups()
        return PartialDate(real_date(text, _year(year), _MONTHS[month.lower()], int(day)), "day")
    if (match := _MONTH_YEAR.fullmatch(text)) and match.group(1).lower() in _MONTHS:
        month, year = match.groups()
        if not re.fullmatch(r"\d{2}|\d{4}", year):
            raise CellError(f"{value!r} is not a real date")
        return PartialDate(real_date(text, _year(year), _MONTHS[month.lower()]), "month")
    raise CellError(f"{value!r} {_NOT_A_DATE}")


def _choose_reading(text: str, readings: dict[str, datetime.date],
                    order: str | None) -> PartialDate:
    if not readings:
        raise CellError(f"{text!r} is not a real date")
    if order is not None:
        if order not in readings:
            # Valid only in the other order: the sheet broke its own convention, and guessing
            # would silently put the wrong date on an action.
            other = next(iter(readings))
            raise CellError(
                f"{text!r} is not a real date as {_ORDERS[order]}, the order this register uses"
                f" (as {_ORDERS[other]} it would be {PartialDate(readings[other], 'day')})"
            )
        return PartialDate(readings[order], "day")
    if len(set(readings.values())) > 1:
        raise AmbiguousDate(text, {o: PartialDate(d, "day") for o, d in readings.items()})
    return PartialDate(next(iter(readings.values())), "day")


def order_evidence(text: str) -> str | None:
    """'dmy' or 'mdy' when a numeric date text is a real date in exactly one order."""
    readings = _numeric_readings(" ".join(str(text).split()))
    if readings and len(readings) == 1:
        return next(iter(readings))
    return None


def infer_order(texts: Iterable[str]) -> tuple[str | None, dict[str, int]]:
    """The order most unambiguous date texts follow (None if none, or a tie), and the counts."""
    counts = {"dmy": 0, "mdy": 0}
    for text in texts:
        if (evidence := order_evidence(text)) is not None:
            counts[evidence] += 1
    if counts["dmy"] == counts["mdy"]:
        return None, counts
    return max(counts, key=counts.__getitem__), counts


# ---------------------------------------------------------------------------------------------
# Text
# ---------------------------------------------------------------------------------------------

# Anything html5ever would treat as markup: a tag, closing tag, comment or declaration.
_TAG = re.compile(r"<[a-zA-Z/!?]")
_PARAGRAPH_TAGS = re.compile(
    r"<\s*/?\s*(?:p|div|tr|table|h[1-6]|ul|ol|blockquote)\b[^>]*>", re.IGNORECASE
)
_LINE_TAGS = re.compile(r"<\s*(?:br|li)\b[^>]*>", re.IGNORECASE)
_SPACES = re.compile(r"[^\S\n]+")  # any whitespace but a line break, including nbsp
_BLANK_LINES = re.compile(r"\n{3,}")
_MAX_ROUNDS = 10  # each round peels one layer of escaping; real text needs one or two


def _strip_markup(text: str) -> str:
    """One round: block tags become line breaks, every tag goes, entities are unescaped."""
    text = _PARAGRAPH_TAGS.sub("\n\n", text)
    text = _LINE_TAGS.sub("\n", text)
    # nh3 drops script/style elements with their content, comments and every other tag, and
    # escapes what is left; unescaping gives plain text back.
    return html.unescape(nh3.clean(text, tags=set()))


def clean_text(value) -> str:
    """Untrusted cell content as plain text: paragraphs separated by a blank line."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a number typed into a text column: "3", not "3.0"
    text = strip_controls(str(value)).replace("\r\n", "\n").replace("\r", "\n")
    if _TAG.search(text):
        # In HTML a line break in the source is just a space; the tags say where lines end.
        text = " ".join(text.split())
    # Repeat until nothing changes, so that escaped markup ("&lt;script&gt;") cannot survive
    # as text that becomes markup when someone else unescapes it.
    for _ in range(_MAX_ROUNDS):
        stripped = _strip_markup(text)
        if stripped == text:
            break
        text = stripped
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


# ---------------------------------------------------------------------------------------------
# Formula neutralisation
# ---------------------------------------------------------------------------------------------

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Apostrophes then a trigger: a text neutralise must prefix, so that unneutralise can tell a
# prefix it added from an apostrophe that was already there ("'=1" -> "''=1" -> "'=1").
_NEUTRALISED = re.compile("'*[" + re.escape("".join(FORMULA_TRIGGERS)) + "]")


def neutralise(value: str) -> str:
    """Prefix "'" so a spreadsheet will not run the text as a formula (OWASP CSV injection)."""
    return "'" + value if _NEUTRALISED.match(value) else value


def unneutralise(value: str) -> str:
    """Exact inverse of neutralise."""
    return value[1:] if value.startswith("'") and _NEUTRALISED.match(value, 1) else value
