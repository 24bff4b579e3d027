"""The risk form: GOV.UK markup is in the templates; the rules are in `actions.validate`."""

from __future__ import annotations

import datetime as dt

from django import forms

from lapis.core import inputs
from lapis.partnership.models import Person
from lapis.risks import actions, rules

LIKELIHOOD_CHOICES = [("", "Choose")] + [(n, f"{n} – {label}")
                                         for n, label in rules.LIKELIHOOD_LABELS.items()]
IMPACT_CHOICES = [("", "Choose")] + [(n, f"{n} – {label}")
                                     for n, label in rules.IMPACT_LABELS.items()]

# Error summary order, and where each message links to.
ANCHORS = {
    "code": "id_code", "title": "id_title", "description": "id_description",
    "owner": "id_owner", "inherent_likelihood": "id_inherent_likelihood",
    "inherent_impact": "id_inherent_impact", "residual_likelihood": "id_residual_likelihood",
    "residual_impact": "id_residual_impact", "response": "id_response", "trend": "id_trend",
    "review_date": "id_review_day", "actions": "id_actions", "measures": "id_measures",
    "status": "id_status", "__all__": "id_code",
}


def _level(label, choices, message):
    return forms.TypedChoiceField(label=label, choices=choices, coerce=int,
                                  error_messages={"required": message,
                                                  "invalid_choice": message})


class RiskForm(inputs.Form):
    code = forms.CharField(label="Risk ID", max_length=20, help_text="For example, R9",
                           error_messages={"required": "Enter a risk ID, for example R1"})
    title = forms.CharField(max_length=200,
                            error_messages={"required": "Enter the risk's title"})
    description = forms.CharField(required=False, widget=forms.Textarea,
                                  help_text="The cause, the event and its effect on children "
                                  "and families")
    owner = forms.ModelChoiceField(queryset=Person.objects.none(), required=False,
                                   empty_label="Not set")
    inherent_likelihood = _level("Likelihood", LIKELIHOOD_CHOICES,
                                 "Choose the inherent likelihood, from 1 to 5")
    inherent_impact = _level("Impact", IMPACT_CHOICES, "Choose the inherent impact, from 1 to 5")
    residual_likelihood = _level("Likelihood", LIKELIHOOD_CHOICES,
                                 "Choose the residual likelihood, from 1 to 5")
    residual_impact = _level("Impact", IMPACT_CHOICES, "Choose the residual impact, from 1 to 5")
    response = forms.ChoiceField(choices=list(rules.RESPONSES.items()), widget=forms.RadioSelect,
                                 error_messages={"required": "Choose a response"})
    trend = forms.ChoiceField(choices=list(rules.TRENDS.items()), initial="stable")
    review_day = forms.IntegerField(required=False, min_value=1, max_value=31)
    review_month = forms.IntegerField(required=False, min_value=1, max_value=12)
    review_year = forms.IntegerField(required=False, min_value=2000, max_value=2100)
    actions = forms.CharField(label="Linked actions", required=False, max_length=500,
                              help_text="Action refs from the plan, separated by commas, "
                              "for example 4.5, 4.6")
    measures = forms.CharField(label="Measures in place", required=False, widget=forms.Textarea)
    status = forms.ChoiceField(choices=list(rules.STATUSES.items()), initial="open")
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, partnership_id: int, risk=None, **kwargs):
        self.partnership_id = partnership_id
        self.risk = risk
        if risk is not None and "initial" not in kwargs:
            kwargs["initial"] = initial_for(risk)
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Person.objects.filter(partnership_id=partnership_id)
        self.linked = []

    def clean(self):
        data = super().clean()
        parts = [data.get(f"review_{p}") for p in ("day", "month", "year")]
        review_errors = [f"review_{p}" for p in ("day", "month", "year") if f"review_{p}"
                         in self.errors]
        for name in review_errors:
            del self.errors[name]
        data["review_date"] = None
        if review_errors:
            self._date_error("Review date must be a real date, for example 31 3 2027")
        elif any(p is not None for p in parts):
            if not all(p is not None for p in parts):
                self._date_error("Review date must include a day, month and year")
            else:
                try:
                    data["review_date"] = dt.date(parts[2], parts[1], parts[0])
                except ValueError:
                    self._date_error("Review date must be a real date, for example 31 3 2027")
        self.linked, missing = actions.resolve_refs(
            self.partnership_id, rules.split_refs(data.get("actions", "")))
        if missing:
            self.add_error("actions", "; ".join(missing).capitalize())
        if self.risk is not None and data.get("version") is None:
            raise forms.ValidationError("The form is missing its version: reload the page")
        if not self.errors:
            for name, message in actions.validate(self.partnership_id, self.risk_input(),
                                                  self.risk).items():
                self.add_error(name, message)
        return data

    def _date_error(self, message):
        self.errors.setdefault("review_date", self.error_class()).append(message)

    def risk_input(self) -> actions.RiskInput:
        data = self.cleaned_data
        return actions.RiskInput(
            code=data["code"], title=data["title"], description=data.get("description", ""),
            owner=data.get("owner"), inherent_likelihood=data["inherent_likelihood"],
            inherent_impact=data["inherent_impact"],
            residual_likelihood=data["residual_likelihood"],
            residual_impact=data["residual_impact"], response=data["response"],
            trend=data.get("trend") or "stable", review_date=data.get("review_date"),
            measures=data.get("measures", ""), status=data.get("status") or "open",
            actions=self.linked)

    def summary(self) -> list[tuple[str, str]]:
        """(anchor, message) for the error summary, in the order the fields appear."""
        order = list(ANCHORS)
        keys = sorted(self.errors, key=lambda k: order.index(k) if k in order else len(order))
        return [(ANCHORS.get(key, "id_code"), message)
                for key in keys for message in self.errors[key]]


def initial_for(risk) -> dict:
    review = risk.review_date
    return {
        "code": risk.code, "title": risk.title, "description": risk.description,
        "owner": risk.owner_id, "inherent_likelihood": risk.inherent_likelihood,
        "inherent_impact": risk.inherent_impact,
        "residual_likelihood": risk.residual_likelihood,
        "residual_impact": risk.residual_impact, "response": risk.response,
        "trend": risk.trend, "review_day": review.day if review else None,
        "review_month": review.month if review else None,
        "review_year": review.year if review else None,
        "actions": actions.refs_text(risk.actions.order_by("ref_key")),
        "measures": risk.measures, "status": risk.status, "version": risk.version,
    }
