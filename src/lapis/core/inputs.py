"""The input rules, in one place, for every way text and dates come in: page forms, the API,
commands and spreadsheet imports.

- Text loses its control characters (all but tab, line feed and carriage return: a spreadsheet
  cannot hold them, so one stray byte would break every export of the register), is trimmed,
  and is refused when longer than its limit.
- A date must lie between 1990-01-01 and 2100-12-31: a complaint received in year 1 or a
  milestone in 9999 is a typing slip, and it breaks the arithmetic (working days, quarters,
  trajectories) of every page that reads it. Rules that are narrower ("not in the future") stay
  with the domain that states them, in its actions.

`clean` and `plausible_date` are pure and raise `InputError` (a ValueError, so pydantic turns it
into a 422 and an importer into a problem naming the cell). `Form` and `ModelForm` apply them to
every field of a Django form; `Input` applies them to every field of an API request body.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django import forms
from ninja import Schema
from pydantic import AfterValidator, field_validator

from lapis.core.input_rules import (  # noqa: F401 (the rules, re-exported for callers)
    EARLIEST,
    LATEST,
    MAX_TEXT,
    InputError,
    clean,
    clean_value,
    plausible_date,
    strip_controls,
)

# ---------------------------------------------------------------------------------------------
# Django forms
# ---------------------------------------------------------------------------------------------

def _label(name: str, field) -> str:
    return str(field.label or name.replace("_", " ")).lower()


def _rule_wrapped(name: str, field):
    """Wrap `field.clean` so the rules run right after the field's own parsing, before any
    `clean_<name>` or `clean` of the form sees the value."""
    parse = field.clean
    limit = getattr(field, "max_length", None) or MAX_TEXT

    def clean_field(value):
        if isinstance(value, str):  # the raw input: drop control characters before parsing
            value = strip_controls(value)
        elif isinstance(value, list | tuple):
            value = [strip_controls(v) if isinstance(v, str) else v for v in value]
        cleaned = parse(value)
        if isinstance(cleaned, str) and getattr(field, "strip", True) is False:
            cleaned = strip_controls(cleaned)  # a password: spaces are part of it
            if len(cleaned) > limit:
                raise forms.ValidationError(f"The {_label(name, field)} is too long")
            return cleaned
        try:
            return clean_value(cleaned, field=_label(name, field), max_length=limit)
        except InputError as error:
            raise forms.ValidationError(str(error), code="input") from error

    return clean_field


class InputRules:
    """Mixin for a Django form: every field's value obeys the input rules."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if not getattr(field, "_input_rules", False):
                field.clean = _rule_wrapped(name, field)
                field._input_rules = True


class Form(InputRules, forms.Form):
    """A Django form whose fields obey the input rules."""


class ModelForm(InputRules, forms.ModelForm):
    """A Django model form whose fields obey the input rules."""


# ---------------------------------------------------------------------------------------------
# API request bodies
# ---------------------------------------------------------------------------------------------

class Input(Schema):
    """An API request body (or query) whose every field obeys the input rules."""

    @field_validator("*", mode="after")
    @classmethod
    def _rules(cls, value, info):
        return clean_value(value, field=(info.field_name or "value").replace("_", " "))


def _plausible(day: dt.date) -> dt.date:
    return plausible_date(day)


# A date parameter of an API route (a query or path parameter, or a body field): refused with a
# 422 outside 1990..2100, like a form's date.
PlausibleDate = Annotated[dt.date, AfterValidator(_plausible)]
