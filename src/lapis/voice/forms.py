"""The voice forms. Pages and the API both validate through these (the API passes its JSON as
the form's data), so a rule is written once. Text is cleaned of markup when it is saved
(`lapis.voice.actions`)."""

from __future__ import annotations

from django import forms

from lapis.core import inputs
from lapis.core.cells import clean_text
from lapis.risks.actions import refs_text, resolve_refs
from lapis.risks.rules import split_refs
from lapis.scorecard import periods
from lapis.voice import rules
from lapis.voice.models import (
    Complaint,
    Compliment,
    Engagement,
    Question,
    Survey,
    VoiceSettings,
    YouSaid,
)

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
DATE_HINT = "For example 31/03/2025"


def _date(label, required=True, help_text=DATE_HINT):
    return forms.DateField(label=label, required=required, input_formats=DATE_FORMATS,
                           help_text=help_text, error_messages={
                               "required": f"Enter the {label.lower()}",
                               "invalid": f"{label} must be a real date, for example "
                                          "31/03/2025"})


class VoiceForm(inputs.ModelForm):
    """Shared bits: the version for optimistic locking, linked action refs, errors listed."""

    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    links_field = ""  # "actions" when the record links to plan actions

    def __init__(self, *args, partnership_id: int, **kwargs):
        self.partnership_id = partnership_id
        instance = kwargs.get("instance")
        editing = instance is not None and instance.pk
        if editing and "initial" not in kwargs:
            kwargs["initial"] = {"version": instance.version}
            if self.links_field:
                kwargs["initial"]["action_refs"] = refs_text(
                    instance.actions.order_by("ref_key"))
        super().__init__(*args, **kwargs)
        self.editing = bool(editing)
        self.linked = []

    def clean(self):
        data = super().clean()
        if self.links_field:
            self.linked, missing = resolve_refs(self.partnership_id,
                                                split_refs(data.get("action_refs", "")))
            if missing:
                self.add_error("action_refs", "; ".join(missing).capitalize())
        if self.editing and data.get("version") is None:
            raise forms.ValidationError("The form is missing its version: reload the page")
        for name, value in list(data.items()):
            if isinstance(value, str) and name != "action_refs":
                data[name] = clean_text(value)
        return data


ACTION_REFS = forms.CharField(
    label="Linked plan actions", required=False, max_length=500,
    help_text="Action refs from the improvement plan, separated by commas, for example 1.1, 1.4")


class ComplaintForm(VoiceForm):
    received = _date("Date received")
    responded = _date("Response date", required=False,
                      help_text="Leave blank while the complaint is open. " + DATE_HINT)
    themes = forms.TypedMultipleChoiceField(
        choices=list(rules.THEMES.items()), widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one theme"},
        help_text="Choose every theme the complaint raises")
    stage = forms.TypedChoiceField(choices=list(rules.STAGES.items()), coerce=int, initial=1)
    channel = forms.ChoiceField(choices=[("", "Choose"), *rules.CHANNELS.items()],
                                label="How it came in", error_messages={
                                    "required": "Choose how the complaint came in"})

    class Meta:
        model = Complaint
        fields = ["reference", "received", "channel", "service", "themes", "stage", "outcome",
                  "responded"]
        error_messages = {"reference": {"required": "Enter the complaint's reference"}}

    def clean(self):
        data = super().clean()
        reference = clean_text(data.get("reference", ""))
        if reference:
            clash = Complaint.objects.filter(partnership_id=self.partnership_id,
                                             reference__iexact=reference)
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error("reference", f"There is already a complaint {reference}")
        received, responded = data.get("received"), data.get("responded")
        if received and responded and responded < received:
            self.add_error("responded", "The response date must be on or after the date "
                           "received")
        if data.get("outcome") not in (None, "", "open") and not responded:
            self.add_error("responded", "Enter the response date of a closed complaint")
        return data


class ComplimentForm(VoiceForm):
    received = _date("Date received")

    class Meta:
        model = Compliment
        fields = ["received", "service", "theme", "text"]
        labels = {"text": "What was said"}
        error_messages = {"text": {"required": "Enter what was said"}}


class EngagementForm(VoiceForm):
    held = _date("Date")
    action_refs = ACTION_REFS
    links_field = "actions"

    class Meta:
        model = Engagement
        fields = ["group", "held", "kind", "hours", "participants", "topic"]
        labels = {"hours": "Hours", "participants": "Number of participants"}
        help_texts = {"hours": "Hours of engagement, for example 2.5",
                      "participants": "How many took part (a count, no names)"}
        error_messages = {"group": {"required": "Enter the group"},
                          "hours": {"invalid": "Hours must be a number, for example 2.5"},
                          "participants": {"invalid": "Enter the number who took part"}}


class YouSaidForm(VoiceForm):
    """Editors see every field; a forum member adds what families said, nothing else."""

    said_on = _date("Date said")
    did_on = _date("Date done", required=False)
    action_refs = ACTION_REFS
    links_field = "actions"
    FORUM_FIELDS = ("said", "source", "said_on")

    class Meta:
        model = YouSaid
        fields = ["said", "source", "said_on", "did", "did_on", "status", "publish"]
        labels = {"publish": "Publish on the public page"}
        error_messages = {"said": {"required": "Enter what families, children or young "
                                               "people said"}}

    def __init__(self, *args, forum_only: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.forum_only = forum_only
        if forum_only:
            for name in list(self.fields):
                if name not in (*self.FORUM_FIELDS, "version"):
                    del self.fields[name]
            self.links_field = ""

    def clean(self):
        data = super().clean()
        if data.get("status") == "done" and not data.get("did"):
            self.add_error("did", "Say what we did before marking it done")
        return data


class SettingsForm(inputs.ModelForm):
    class Meta:
        model = VoiceSettings
        fields = ["stage_1_working_days", "stage_2_working_days"]
        labels = {"stage_1_working_days": "Stage 1 response standard (working days)",
                  "stage_2_working_days": "Stage 2 response standard (working days)"}


class IndicatorForm(inputs.ModelForm):
    class Meta:
        model = Question
        fields = ["indicator_name"]
        labels = {"indicator_name": "Scorecard indicator name"}

    def clean_indicator_name(self):
        name = clean_text(self.cleaned_data.get("indicator_name", ""))
        if name and self.instance.kind not in ("agree", "yes_no"):
            raise forms.ValidationError("Only an agree-scale or yes/no question can be an "
                                        "indicator")
        if name and not self.instance.survey.period:
            raise forms.ValidationError("Give the survey a period first, so the scorecard "
                                        "knows when it was measured")
        return name


def check_period(text: str) -> str:
    """A survey period as the scorecard names it, or ValueError."""
    if not text:
        return ""
    return periods.parse(text).label


def summary(form) -> list[tuple[str, str]]:
    """(anchor, message) for the error summary, fields in order."""
    out = [("main-content", m) for m in form.non_field_errors()]
    for field in form:
        anchor = field.id_for_label or f"id_{field.name}"
        if isinstance(field.field.widget, forms.CheckboxSelectMultiple):
            anchor = f"id_{field.name}_0"
        out.extend((anchor, m) for m in field.errors)
    return out


__all__ = ["ComplaintForm", "ComplimentForm", "EngagementForm", "YouSaidForm",
           "SettingsForm", "IndicatorForm", "Survey", "check_period", "summary"]
