"""The input rules themselves, pure (no Django): text loses its control characters (all but
tab, line feed and carriage return), is trimmed and has a length limit; a date lies between
1990-01-01 and 2100-12-31. `lapis.core.inputs` applies them to forms and API bodies, and
`lapis.core.cells` to spreadsheet cells."""

from __future__ import annotations

import datetime as dt
import re

EARLIEST = dt.date(1990, 1, 1)
LATEST = dt.date(2100, 12, 31)
# A long free-text answer (an action's description, a finding) is a few thousand characters;
# ten times that is still plausible, and a megabyte is not.
MAX_TEXT = 20_000

# C0 controls except tab, line feed and carriage return; DEL; C1 controls. XML 1.0 (and so
# XLSX) cannot hold the C0 ones at all.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class InputError(ValueError):
    """Input a rule refuses; the message is written for the person who typed it."""


def strip_controls(text: str) -> str:
    """`text` without control characters (tab, line feed and carriage return are kept)."""
    return _CONTROL.sub("", text)


def clean(text: str, *, max_length: int | None = MAX_TEXT, field: str = "text") -> str:
    """`text` without control characters and trimmed; InputError when longer than
    `max_length` characters (None: no limit)."""
    text = strip_controls(text).strip()
    if max_length is not None and len(text) > max_length:
        raise InputError(f"The {field} must be {max_length:,} characters or fewer "
                         f"(it has {len(text):,})")
    return text


def plausible_date(day: dt.date, *, field: str = "date",
                   not_after: dt.date | None = None) -> dt.date:
    """`day` itself when it lies between 1990-01-01 and 2100-12-31 (and not after
    `not_after`, when given); InputError otherwise."""
    if isinstance(day, dt.datetime):
        check = day.date()
    else:
        check = day
    if not EARLIEST <= check <= LATEST:
        raise InputError(f"The {field} must be between {EARLIEST:%d/%m/%Y} and "
                         f"{LATEST:%d/%m/%Y} (it is {check.isoformat()})")
    if not_after is not None and check > not_after:
        raise InputError(f"The {field} cannot be after {not_after:%d/%m/%Y}")
    return day


def clean_value(value, *, field: str = "value", max_length: int | None = MAX_TEXT):
    """Apply the rule that fits `value`: text is cleaned, a date checked, a list or dict
    cleaned item by item; anything else is returned as it is."""
    if isinstance(value, str):
        return clean(value, max_length=max_length, field=field)
    if isinstance(value, dt.date):
        return plausible_date(value, field=field)
    if isinstance(value, list | tuple):
        return type(value)(clean_value(v, field=field, max_length=max_length) for v in value)
    if isinstance(value, dict):
        return {clean_value(k, field=field): clean_value(v, field=field, max_length=max_length)
                for k, v in value.items()}
    return value
