"""The audit forms: GOV.UK markup is in the templates; the rules are in `quality.actions`.

Dates are GOV.UK date inputs (day, month, year boxes); `DateParts` turns them into a date and
one error message. The audit form grows a grade field for each section of its framework
(`grade_A`), a score field for each criterion (`score_<id>`) and `grade_overall`.
"""

from __future__ import annotations

import datetime as dt

from django import forms

from lapis.cases.models import SENType
from lapis.core import inputs
from lapis.partnership.models import Person
from lapis.plans.models import Plan
from lapis.quality import actions, rules, sampling
from lapis.quality.models import FindingKind, FollowUpKind, Framework, Theme

GRADE_CHOICES = [(g, g) for g in rules.GRADES]
PHASE_CHOICES = [("", "Not known")] + [(p, p) for p in sampling.PHASES]
NEED_CHOICES = [("", "Not known")] + [(c, f"{c}: {label}") for c, label in SENType.choices]


class DateParts:
    """A date typed in three boxes `<prefix>_day`, `_month`, `_year`."""

    def __init__(self, prefix: str, label: str, *, required: bool = True, day: bool = True):
        self.prefix, self.label, self.required, self.day = prefix, label, required, day

    def fields(self) -> dict:
        found = {f"{self.prefix}_month": forms.CharField(required=False, max_length=2),
                 f"{self.prefix}_year": forms.CharField(required=False, max_length=4)}
        if self.day:
            found = {f"{self.prefix}_day": forms.CharField(required=False, max_length=2),
                     **found}
        return found

    def initial(self, value: dt.date | None) -> dict:
        if value is None:
            return {}
        found = {f"{self.prefix}_month": value.month, f"{self.prefix}_year": value.year}
        if self.day:
            found[f"{self.prefix}_day"] = value.day
        return found

    def clean(self, data: dict) -> tuple[dt.date | None, str]:
        names = ["day", "month", "year"] if self.day else ["month", "year"]
        parts = [(data.get(f"{self.prefix}_{n}") or "").strip() for n in names]
        example = "for example 14 6 2024" if self.day else "for example 6 2024"
        if not any(parts):
            return None, (f"Enter {self.label.lower()}" if self.required else "")
        if not all(parts):
            missing = [n for n, p in zip(names, parts, strict=True) if not p]
            return None, f"{self.label} must include a {' and '.join(missing)}"
        if not all(p.isdigit() for p in parts):
            return None, f"{self.label} must be a real date, {example}"
        numbers = [int(p) for p in parts]
        if not self.day:
            numbers = [1, *numbers]
        try:
            return dt.date(numbers[2], numbers[1], numbers[0]), ""
        except ValueError:
            return None, f"{self.label} must be a real date, {example}"

    @property
    def anchor(self) -> str:
        return f"id_{self.prefix}_{'day' if self.day else 'month'}"


class QualityForm(inputs.Form):
    """Error summary in field order, each message linking to its control."""

    dates: tuple[DateParts, ...] = ()

    def _clean_dates(self, data):
        for parts in self.dates:
            value, message = parts.clean(self.data)
            data[parts.prefix] = value
            if message:
                self.errors.setdefault(parts.prefix, self.error_class()).append(message)

    def anchor(self, key: str) -> str:
        for parts in self.dates:
            if parts.prefix == key:
                return parts.anchor
        if key in self.fields:
            return f"id_{key}"
        return "main-content"

    def summary(self) -> list[tuple[str, str]]:
        order = [*self.fields, *(p.prefix for p in self.dates)]
        keys = sorted(self.errors, key=lambda k: order.index(k) if k in order else -1)
        return [(self.anchor(k), message) for k in keys for message in self.errors[k]]

    def add_errors(self, errors: dict[str, str]) -> None:
        for name, message in errors.items():
            if name in self.fields or any(p.prefix == name for p in self.dates):
                self.errors.setdefault(name, self.error_class()).append(message)
            else:
                self.add_error(None, message)


# ---------------------------------------------------------------------------------------------
# An audit (and a moderation)
# ---------------------------------------------------------------------------------------------

class AuditForm(QualityForm):
    audit_id = forms.CharField(label="Audit reference", required=False, max_length=60,
                               help_text="Leave empty for the next one, for example "
                               "QA-2024-007")
    plan_id = forms.CharField(label="Plan ID", max_length=100,
                              help_text="The case system's pseudonymous PlanID, never a name",
                              error_messages={"required": "Enter the plan ID"})
    auditor = forms.CharField(max_length=150,
                              error_messages={"required": "Enter the auditor's name"})
    agency = forms.CharField(max_length=100, help_text="Education, health, social care ...",
                             error_messages={"required": "Enter the auditor's agency"})
    phase = forms.ChoiceField(choices=PHASE_CHOICES, required=False)
    need = forms.ChoiceField(label="Primary need", choices=NEED_CHOICES, required=False)
    team = forms.CharField(required=False, max_length=100)
    notes = forms.CharField(required=False, widget=forms.Textarea)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    sample = forms.IntegerField(required=False, widget=forms.HiddenInput)

    dates = (DateParts("audit_date", "Date of the audit"),)

    def __init__(self, *args, framework: Framework, partnership, audit=None, moderates=None,
                 **kwargs):
        self.framework, self.partnership = framework, partnership
        self.audit, self.moderates = audit, moderates
        self.sections = actions.sections_of(framework)
        if audit is not None and "initial" not in kwargs:
            kwargs["initial"] = initial_for(audit)
        super().__init__(*args, **kwargs)
        for name, item in self.dates[0].fields().items():
            self.fields[name] = item
        scale = [("", "Not scored")] + [(str(n), label) for n, label in
                                        enumerate(framework.scale)]
        for section in self.sections:
            self.fields[f"grade_{section.code}"] = forms.ChoiceField(
                label=f"Grade for section {section.code}", required=False,
                choices=[("", "Not recorded: compute it from the scores")] + GRADE_CHOICES)
            for criterion in section.criteria.all():
                self.fields[f"score_{criterion.pk}"] = forms.ChoiceField(
                    label=f"{criterion.code}: {criterion.text}", required=False,
                    choices=scale)
        self.fields["grade_overall"] = forms.ChoiceField(
            label="Overall grade of the plan", required=False,
            choices=[("", "Not recorded: compute it from every criterion scored")]
            + GRADE_CHOICES)
        if moderates is not None:
            self.fields["plan_id"].disabled = True
            self.fields["plan_id"].required = False

    def section_rows(self):
        """Each section with its bound grade field and its criteria's score fields."""
        return [{"section": s, "grade": self[f"grade_{s.code}"],
                 "criteria": [(c, self[f"score_{c.pk}"]) for c in s.criteria.all()]}
                for s in self.sections]

    def clean(self):
        data = super().clean()
        self._clean_dates(data)
        if self.audit is not None and data.get("version") is None:
            raise forms.ValidationError("The form is missing its version: reload the page")
        if not self.errors:
            _, errors = actions.validate_audit(self.partnership.pk, self.audit_input(),
                                               self.audit)
            if self.moderates is not None:
                errors.update(actions._moderation_errors(self.moderates, self.audit_input()))
            self.add_errors(errors)
        return data

    def audit_input(self) -> actions.AuditInput:
        data = self.cleaned_data
        entries = {}
        for section in self.sections:
            scores = {}
            for criterion in section.criteria.all():
                value = data.get(f"score_{criterion.pk}")
                if value not in (None, ""):
                    scores[criterion.pk] = int(value)
            entries[section.code] = actions.SectionEntry(
                grade=data.get(f"grade_{section.code}") or "", scores=scores)
        sample = None
        if data.get("sample"):
            from lapis.quality.models import Sample

            sample = Sample.objects.filter(partnership=self.partnership,
                                           pk=data["sample"]).first()
        plan_id = (self.moderates.plan_id if self.moderates is not None
                   else data.get("plan_id", ""))
        return actions.AuditInput(
            framework=self.framework, audit_id=data.get("audit_id", ""), plan_id=plan_id,
            audit_date=data.get("audit_date"), auditor=data.get("auditor", ""),
            agency=data.get("agency", ""), phase=data.get("phase", ""),
            need=data.get("need", ""), team=data.get("team", ""),
            notes=data.get("notes", ""), sections=entries,
            overall=data.get("grade_overall") or "", sample=sample)

    def anchor(self, key: str) -> str:
        if key == "framework":
            return "id_plan_id"
        return super().anchor(key)


def initial_for(audit) -> dict:
    found = {name: getattr(audit, name) for name in actions.AUDIT_FIELDS if name != "audit_date"}
    found.update(DateParts("audit_date", "").initial(audit.audit_date))
    found["version"] = audit.version
    found["sample"] = audit.sample_id
    for grade in audit.grades.all():
        if grade.method == rules.RECORDED:
            found[f"grade_{grade.section}"] = grade.grade
    for score in audit.scores.all():
        found[f"score_{score.criterion_id}"] = str(score.score)
    return found


# ---------------------------------------------------------------------------------------------
# A sample
# ---------------------------------------------------------------------------------------------

class SampleForm(QualityForm):
    framework = forms.ModelChoiceField(queryset=Framework.objects.none(), empty_label=None,
                                       error_messages={"required": "Choose a framework"})
    size = forms.IntegerField(label="Number of plans", min_value=1, max_value=sampling.MAX_SIZE,
                              error_messages={"required": "Enter how many plans to sample",
                                              "invalid": "Enter a whole number of plans",
                                              "min_value": "Sample at least 1 plan",
                                              "max_value": f"Sample at most {sampling.MAX_SIZE}"
                                              " plans"})
    phase = forms.ChoiceField(choices=[("", "Any phase")] + PHASE_CHOICES[1:], required=False)
    need = forms.ChoiceField(label="Primary need",
                             choices=[("", "Any need")] + NEED_CHOICES[1:], required=False)
    team = forms.CharField(required=False, max_length=100,
                           help_text="Only a pasted list names teams")
    pasted = forms.CharField(label="Or paste the plans to draw from", required=False,
                             widget=forms.Textarea, max_length=200_000,
                             help_text="One plan a line: plan_id,phase,need,team (only the "
                             "plan ID is needed). Leave empty to draw from the plans live in "
                             "the month in the case data.")

    dates = (DateParts("month", "Month audited", day=False),)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        for name, item in self.dates[0].fields().items():
            self.fields[name] = item
        self.fields["framework"].queryset = Framework.objects.visible_to(user).filter(
            active=True)

    def clean(self):
        data = super().clean()
        self._clean_dates(data)
        return data


# ---------------------------------------------------------------------------------------------
# Findings, follow-ups, raising a theme
# ---------------------------------------------------------------------------------------------

class FindingForm(QualityForm):
    kind = forms.ChoiceField(label="What kind of finding", choices=FindingKind.choices,
                             widget=forms.RadioSelect, initial=FindingKind.DEVELOPMENT,
                             error_messages={"required": "Choose a strength or an area for "
                                             "development"})
    section = forms.ChoiceField(label="Section", required=False)
    text = forms.CharField(label="Finding", widget=forms.Textarea,
                           error_messages={"required": "Enter what the audit found"})
    themes = forms.ModelMultipleChoiceField(queryset=Theme.objects.none(), required=False,
                                            widget=forms.CheckboxSelectMultiple)
    new_themes = forms.CharField(label="New themes", required=False, max_length=1000,
                                 help_text="Names separated by semicolons, for example "
                                 "Health advice not specific; Outcomes not SMART")

    def __init__(self, *args, audit, **kwargs):
        super().__init__(*args, **kwargs)
        self.audit = audit
        self.fields["section"].choices = [("", "The plan as a whole")] + [
            (s.code, f"{s.code}: {s.title}") for s in actions.sections_of(audit.framework)]
        self.fields["themes"].queryset = Theme.objects.filter(
            partnership_id=audit.partnership_id).order_by("name")


class FollowUpForm(QualityForm):
    kind = forms.ChoiceField(label="Follow-up", choices=FollowUpKind.choices,
                             widget=forms.RadioSelect,
                             error_messages={"required": "Choose the follow-up"})
    description = forms.CharField(label="What needs to happen", widget=forms.Textarea,
                                  error_messages={"required": "Enter what needs to happen"})
    owner = forms.ModelChoiceField(queryset=Person.objects.none(), empty_label="Choose",
                                   error_messages={"required": "Choose the owner"})

    dates = (DateParts("due", "Due date"),)

    def __init__(self, *args, audit, **kwargs):
        super().__init__(*args, **kwargs)
        for name, item in self.dates[0].fields().items():
            self.fields[name] = item
        self.fields["owner"].queryset = Person.objects.filter(
            partnership_id=audit.partnership_id).order_by("name")

    def clean(self):
        data = super().clean()
        self._clean_dates(data)
        return data


class RaiseForm(QualityForm):
    plan = forms.ModelChoiceField(queryset=Plan.objects.none(), empty_label=None,
                                  error_messages={"required": "Choose the plan"})
    priority = forms.TypedChoiceField(label="Priority", coerce=int,
                                      error_messages={"required": "Choose the priority"})
    ref = forms.CharField(label="Action reference", max_length=30,
                          error_messages={"required": "Enter a reference for the action"})
    description = forms.CharField(label="What the action will do", widget=forms.Textarea,
                                  error_messages={"required": "Enter what the action will do"})

    dates = (DateParts("due", "Due date", required=False),)

    def __init__(self, *args, theme, **kwargs):
        super().__init__(*args, **kwargs)
        for name, item in self.dates[0].fields().items():
            self.fields[name] = item
        plans = Plan.objects.filter(partnership_id=theme.partnership_id).order_by("name")
        self.fields["plan"].queryset = plans
        self.fields["priority"].choices = priority_choices(plans)

    def clean(self):
        data = super().clean()
        self._clean_dates(data)
        return data


def priority_choices(plans) -> list[tuple[int, str]]:
    """Every priority number in the plans (a ref belongs to a plan's own priority)."""
    from lapis.plans.models import Priority

    numbers = {}
    for priority in Priority.objects.filter(plan__in=plans).order_by("number"):
        text = (priority.text or "").strip()
        numbers.setdefault(priority.number, f"{priority.number}" + (
            f": {text[:80]}" if text else ""))
    return list(numbers.items())
