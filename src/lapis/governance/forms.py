"""Forms for boards and meetings; the templates render them with GOV.UK Frontend markup."""

from __future__ import annotations

import datetime as dt

from django import forms

from lapis.core import inputs
from lapis.governance.models import Meeting
from lapis.partnership.models import Person


class MeetingForm(inputs.Form):
    """A meeting's date as GOV.UK's three-field date input, and its title, notes, minutes."""

    date_day = forms.CharField(label="Day", required=False, max_length=2)
    date_month = forms.CharField(label="Month", required=False, max_length=2)
    date_year = forms.CharField(label="Year", required=False, max_length=4)
    title = forms.CharField(label="Title", required=False, max_length=200)
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea)
    minutes_url = forms.URLField(
        label="Link to the minutes", required=False, max_length=500, assume_scheme="https",
        error_messages={"invalid": "Enter a web address, like https://example.org/minutes"})
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, board, meeting: Meeting | None = None, **kwargs):
        self.board, self.meeting = board, meeting
        if meeting is not None and not kwargs.get("data") and not args:
            kwargs["initial"] = {
                "date_day": meeting.date.day, "date_month": meeting.date.month,
                "date_year": meeting.date.year, "title": meeting.title,
                "notes": meeting.notes, "minutes_url": meeting.minutes_url,
                "version": meeting.version,
            }
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        parts = [str(data.get(f"date_{p}") or "").strip() for p in ("day", "month", "year")]
        if not any(parts):
            self.add_error("date_day", "Enter the date of the meeting")
            return data
        if not all(p.isdigit() for p in parts):
            self.add_error("date_day", "The date of the meeting must include a day, month and "
                           "year, in numbers")
            return data
        try:
            date = dt.date(int(parts[2]), int(parts[1]), int(parts[0]))
        except ValueError:
            self.add_error("date_day", "The date of the meeting must be a real date")
            return data
        if not 2000 <= date.year <= 2100:
            self.add_error("date_day", "The year must be between 2000 and 2100")
            return data
        clash = Meeting.objects.filter(board=self.board, date=date)
        if self.meeting is not None:
            clash = clash.exclude(pk=self.meeting.pk)
        if clash.exists():
            self.add_error("date_day", f"{self.board.name} already has a meeting on "
                           f"{date.day} {date:%B %Y}")
        data["date"] = date
        return data


class BoardForm(inputs.Form):
    terms_of_reference = forms.CharField(label="Terms of reference", required=False,
                                         widget=forms.Textarea(attrs={"rows": 12}))
    members = forms.ModelMultipleChoiceField(
        label="Members", queryset=Person.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple)
    fingerprint = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, board, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = (
            Person.objects.filter(partnership_id=board.partnership_id)
            .select_related("organisation").order_by("name"))
        self.fields["members"].label_from_instance = (
            lambda p: f"{p.name} ({p.organisation.name})" if p.organisation else p.name)
