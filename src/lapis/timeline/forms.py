"""The milestone form. Dates are typed as text, as people write them in plans: a day
(14/2/2025, 2025-02-14) or a month (Feb-25, 2025-02), read by the register's own date parser."""

from __future__ import annotations

from django import forms

from lapis.core import inputs
from lapis.core.cells import read_date
from lapis.core.errors import CellError
from lapis.timeline.rules import When

DATE_HINT = "A day, such as 14/2/2025, or a month, such as Feb-25"


class WhenField(forms.CharField):
    def __init__(self, *args, day_only=False, **kwargs):
        self.day_only = day_only
        super().__init__(*args, max_length=40, **kwargs)

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        try:
            read = read_date(text, order="dmy")
        except CellError:
            raise forms.ValidationError(
                f"Enter {self.label.lower()} as a day, such as 14/2/2025"
                + ("" if self.day_only else ", or a month, such as Feb-25")) from None
        if self.day_only:
            if read.precision != "day":
                raise forms.ValidationError(
                    f"Enter the day for {self.label.lower()}, such as 14/2/2025")
            return read.value
        return When(read.value, read.precision)


def shown(when) -> str:
    """How a date goes back into the form: 14/02/2025 or Feb-25."""
    if when is None:
        return ""
    if isinstance(when, When):
        if when.precision == "month":
            return when.value.strftime("%b-%y")
        when = when.value
    return when.strftime("%d/%m/%Y")


class MilestoneForm(inputs.Form):
    action = forms.ModelChoiceField(
        queryset=None, required=False, label="Action",
        empty_label="None: a milestone for the whole priority")
    priority = forms.ModelChoiceField(
        queryset=None, required=False, label="Priority",
        empty_label="None: a milestone for the action")
    title = forms.CharField(label="Milestone", max_length=300,
                            error_messages={"required": "Enter the milestone"})
    planned = WhenField(label="Planned date", help_text=DATE_HINT,
                        error_messages={"required": "Enter the planned date"})
    current = WhenField(label="Current date", required=False,
                        help_text=DATE_HINT + ". Leave empty when it has not moved")
    completed_on = WhenField(label="Completed on", required=False, day_only=True,
                             help_text="The day it was met, such as 14/2/2025. Leave empty "
                             "until then")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, plan, fixed_action=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fixed_action = fixed_action
        if fixed_action is not None:
            # A lead adds and changes milestones of their own action only.
            del self.fields["action"], self.fields["priority"]
        else:
            self.fields["action"].queryset = plan.actions.order_by("ref_key")
            self.fields["action"].label_from_instance = (
                lambda a: f"{a.ref}: {a.description[:70]}" + ("…" if len(a.description) > 70
                                                             else ""))
            self.fields["priority"].queryset = plan.priorities.all()
            self.fields["priority"].label_from_instance = (
                lambda p: f"Priority {p.number}" + (f": {p.text[:60]}" if p.text else ""))

    def clean(self):
        data = super().clean()
        if self.fixed_action is not None:
            data["action"], data["priority"] = self.fixed_action, None
        elif "action" in data and "priority" in data:
            if data["action"] and data["priority"]:
                self.add_error("action", "Choose an action or a priority, not both")
            elif not data["action"] and not data["priority"]:
                self.add_error("action", "Choose the action or the priority this milestone "
                               "belongs to")
        return data

    @classmethod
    def initial_for(cls, milestone) -> dict:
        return {"action": milestone.action_id, "priority": milestone.priority_id,
                "title": milestone.title, "planned": shown(milestone.planned),
                "current": shown(milestone.current), "completed_on": shown(milestone.completed_on),
                "version": milestone.version}
