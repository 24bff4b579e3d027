"""The input rules (lapis.core.inputs), exhaustively, and that every form obeys them."""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import pkgutil

import pytest
from django import forms
from pydantic import ValidationError

import lapis
from lapis.core import inputs
from lapis.core.inputs import InputError, clean, clean_value, plausible_date, strip_controls

CONTROLS = [chr(c) for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F,
                             *range(0x80, 0xA0)]]


@pytest.mark.parametrize("char", CONTROLS)
def test_every_control_character_is_removed(char):
    assert clean(f"a{char}b") == "ab"
    assert strip_controls(f"a{char}b") == "ab"


@pytest.mark.parametrize("char", ["\t", "\n", "\r"])
def test_tab_newline_and_carriage_return_are_kept_inside(char):
    assert clean(f"a{char}b") == f"a{char}b"


def test_the_probe_text_is_cleaned():
    assert clean("x\x01\x1b") == "x"


def test_text_is_trimmed_and_other_characters_kept():
    assert clean("  \n Café — “quoted” 😀 \t") == "Café — “quoted” 😀"
    assert clean("\x00\x01  ") == ""


def test_length_limit():
    assert clean("a" * 10, max_length=10) == "a" * 10
    with pytest.raises(InputError, match="10 characters or fewer"):
        clean("a" * 11, max_length=10)
    # The limit counts what is left after cleaning.
    assert clean("  " + "a" * 10 + "\x01  ", max_length=10) == "a" * 10
    assert clean("a" * 100_000, max_length=None) == "a" * 100_000


def test_the_default_limit_refuses_two_megabytes():
    with pytest.raises(InputError, match="description must be 20,000 characters"):
        clean("a" * 2_000_000, field="description")
    assert clean("a" * inputs.MAX_TEXT) == "a" * inputs.MAX_TEXT


def test_input_error_is_a_value_error():
    assert issubclass(InputError, ValueError)


@pytest.mark.parametrize("day", [dt.date(1990, 1, 1), dt.date(2025, 6, 30),
                                 dt.date(2100, 12, 31)])
def test_plausible_dates(day):
    assert plausible_date(day) == day


@pytest.mark.parametrize("day", [dt.date(1, 1, 1), dt.date(24, 5, 1), dt.date(1989, 12, 31),
                                 dt.date(2101, 1, 1), dt.date(9999, 12, 1),
                                 dt.date(9999, 12, 31)])
def test_implausible_dates_are_refused_with_the_field_named(day):
    with pytest.raises(InputError, match=r"The date received must be between 01/01/1990 and "
                                         r"31/12/2100"):
        plausible_date(day, field="date received")


def test_datetimes_are_checked_by_their_date():
    moment = dt.datetime(2025, 1, 1, 12, 0)
    assert plausible_date(moment) is moment
    with pytest.raises(InputError):
        plausible_date(dt.datetime(1, 1, 1))


def test_not_after():
    today = dt.date(2025, 6, 30)
    assert plausible_date(today, not_after=today) == today
    with pytest.raises(InputError, match="cannot be after 30/06/2025"):
        plausible_date(today + dt.timedelta(days=1), field="audit date", not_after=today)


def test_clean_value_by_kind():
    assert clean_value(" a\x01 ") == "a"
    assert clean_value(dt.date(2025, 1, 1)) == dt.date(2025, 1, 1)
    assert clean_value(["a\x01", " b"]) == ["a", "b"]
    assert clean_value(("a\x01",)) == ("a",)
    assert clean_value({"k\x01": " v\x02"}) == {"k": "v"}
    assert clean_value(3) == 3 and clean_value(None) is None and clean_value(True) is True
    with pytest.raises(InputError):
        clean_value([dt.date(1, 1, 1)])
    with pytest.raises(InputError):
        clean_value("abc", max_length=2)


# --- forms -----------------------------------------------------------------------------------

class Example(inputs.Form):
    text = forms.CharField(required=False)
    short = forms.CharField(required=False, max_length=5)
    day = forms.DateField(required=False, input_formats=["%Y-%m-%d", "%d/%m/%Y"])
    password = forms.CharField(required=False, strip=False)
    seen = forms.CharField(required=False)

    def clean_seen(self):
        # A clean_<field> method sees the value after the rules.
        assert "\x01" not in self.cleaned_data["seen"]
        return self.cleaned_data["seen"]


def test_a_form_cleans_text():
    form = Example(data={"text": " x\x01\x1b ", "seen": "a\x01"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["text"] == "x"
    assert form.cleaned_data["seen"] == "a"


def test_a_form_applies_the_field_length_after_cleaning():
    assert Example(data={"short": "abcde\x01\x02"}).is_valid()
    assert not Example(data={"short": "abcdef"}).is_valid()


def test_a_form_refuses_a_long_text():
    form = Example(data={"text": "a" * 2_000_000})
    assert not form.is_valid()
    assert "20,000 characters or fewer" in form.errors["text"][0]


@pytest.mark.parametrize("typed", ["0001-01-01", "01/05/0024", "9999-12-31"])
def test_a_form_refuses_an_implausible_date(typed):
    form = Example(data={"day": typed})
    assert not form.is_valid()
    assert "must be between 01/01/1990 and 31/12/2100" in form.errors["day"][0]


def test_a_password_keeps_its_spaces():
    form = Example(data={"password": " secret \x01"})
    assert form.is_valid()
    assert form.cleaned_data["password"] == " secret "


def _form_classes():
    for info in pkgutil.walk_packages(lapis.__path__, "lapis."):
        if info.name.endswith(".forms"):
            module = importlib.import_module(info.name)
            for _, cls in inspect.getmembers(module, inspect.isclass):
                if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                    yield cls


def test_every_form_of_lapis_obeys_the_input_rules():
    found = list(_form_classes())
    assert len(found) > 20
    outside = [f"{c.__module__}.{c.__name__}" for c in found
               if not issubclass(c, inputs.InputRules)]
    assert outside == [], "forms not built on lapis.core.inputs.Form/ModelForm"


# --- API bodies ------------------------------------------------------------------------------

class Body(inputs.Input):
    text: str = ""
    day: dt.date | None = None
    items: list[str] = []
    note: str | None = None


def test_an_api_body_is_cleaned():
    body = Body(text=" x\x01\x1b ", items=["a\x02"], note=None)
    assert body.text == "x" and body.items == ["a"] and body.note is None


@pytest.mark.parametrize("payload", [{"day": "0001-01-01"}, {"day": "9999-12-31"},
                                     {"text": "a" * 2_000_000}])
def test_an_api_body_refuses_implausible_input(payload):
    with pytest.raises(ValidationError):
        Body(**payload)


# --- commands and spreadsheet cells ----------------------------------------------------------

def test_a_command_date_option_obeys_the_rules():
    from django.core.management.base import CommandError

    from lapis.core.commands import iso_date

    assert iso_date("2025-03-31") == dt.date(2025, 3, 31)
    for text in ("0001-01-01", "9999-12-31"):
        with pytest.raises(CommandError, match="between 01/01/1990 and 31/12/2100"):
            iso_date(text)


def test_a_cell_obeys_the_rules():
    from lapis.core.cells import clean_text, read_date
    from lapis.core.errors import CellError

    assert clean_text("x\x01\x1b") == "x"
    assert read_date("2025-03").iso() == "2025-03"
    for value in ("0001-01-01", "9999-12", dt.date(1, 1, 1)):
        with pytest.raises(CellError, match="between 01/01/1990"):
            read_date(value)
