"""Forms for working the plan. They only parse and shape input; the rules live in `work`."""

import datetime as dt

from django import forms

from lapis.core import inputs
from lapis.core.dates import PartialDate
from lapis.core.errors import CellError
from lapis.plans.models import ChangeKind


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")


class ProgressForm(inputs.Form):
    date = forms.DateField(label="Date of the update", widget=DateInput(),
                           initial=dt.date.today,
                           error_messages={"required": "Enter the date of the update",
                                           "invalid": "Enter a real date"})
    text = forms.CharField(label="What has happened since the last update",
                           widget=forms.Textarea,
                           error_messages={"required": "Enter what has happened since the last "
                                                       "update"})
    status = forms.TypedChoiceField(label="Status", coerce=int, empty_value=None,
                                    required=False, help_text="Leave as it is unless it changed")
    reason = forms.CharField(label="Why the status changed", widget=forms.Textarea,
                             required=False, help_text="Needed when the status gets worse or "
                             "the action is complete")

    def __init__(self, *args, scale, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.statuses = {s.pk: s for s in scale.statuses.all()}
        self.fields["status"].choices = [("", "No change")] + [
            (pk, s.label + (" (current)" if current and pk == current.pk else ""))
            for pk, s in self.statuses.items()]


class ChangeRequestForm(inputs.Form):
    kind = forms.ChoiceField(label="What should change", choices=ChangeKind.choices)
    reason = forms.CharField(label="Rationale", widget=forms.Textarea,
                             error_messages={"required": "Enter the rationale for the change"})
    evidence = forms.CharField(label="Evidence of impact", widget=forms.Textarea,
                               required=False)
    board = forms.TypedChoiceField(label="Board that decides", coerce=int,
                                   error_messages={"required": "Choose the board that decides"})
    new_due = forms.CharField(label="New due date", required=False,
                              help_text="For a change of due date: a month such as 2025-09, "
                              "or a day such as 2025-09-30")
    new_text = forms.CharField(label="New scope, or where the work now sits",
                               widget=forms.Textarea, required=False,
                               help_text="For a change of scope or a move to business as usual")
    new_owner = forms.TypedChoiceField(label="New owner (SRO)", coerce=int, empty_value=None,
                                       required=False, help_text="For a change of owner")

    def __init__(self, *args, boards, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["board"].choices = [("", "Choose a board")] + [
            (b.pk, b.name) for b in boards]
        self.fields["new_owner"].choices = [("", "No change")] + [
            (p.pk, p.name) for p in people]

    def clean_new_due(self):
        text = self.cleaned_data["new_due"].strip()
        if not text:
            return None
        try:
            return PartialDate.from_iso(text)
        except CellError as error:
            raise forms.ValidationError("Enter the due date as a month such as 2025-09 or a "
                                        "day such as 2025-09-30") from error


class DecisionForm(inputs.Form):
    decision = forms.ChoiceField(label="Decision", choices=[
        ("", "Choose"), ("approve", "Approve"), ("reject", "Reject")],
        error_messages={"required": "Choose approve or reject"})
    date = forms.DateField(label="Meeting date", widget=DateInput(), initial=dt.date.today,
                           error_messages={"required": "Enter the date of the meeting",
                                           "invalid": "Enter a real date"})
    note = forms.CharField(label="Note of the decision", widget=forms.Textarea, required=False)


class ActionForm(inputs.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    description = forms.CharField(label="What we will do", widget=forms.Textarea)
    pillar = forms.CharField(label="SEND reform pillar", required=False)
    outcomes = forms.CharField(label="Intended outcomes and impact", widget=forms.Textarea,
                               required=False)
    impact_measures = forms.CharField(label="Impact measures", widget=forms.Textarea,
                                      required=False)
    dependencies = forms.CharField(label="Inter-dependencies", widget=forms.Textarea,
                                   required=False)
    sro = forms.TypedChoiceField(label="Strategic lead (SRO)", coerce=int, empty_value=None,
                                 required=False)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sro"].choices = [("", "None")] + [(p.pk, p.name) for p in people]
