"""Every write to EHC plan audits goes through here: pages, the API, `lapis import_audits`
and the demo.

Each function takes keyword arguments and `by`, who acts (a user, or a
`lapis.core.actors.System` for a command run without `--as` or the demo), checks permission
first (PermissionDenied: auditors, programme managers and administrators record audits; only
editors raise an improvement action), validates (`Invalid`, with one message per field), then
writes in one transaction with its history, recorded under `name_of(by)`. The history of
an audit's findings and follow-ups is kept on the audit itself, so the audit page shows it all.

A section's grade is either recorded by the auditor or computed from the criteria the auditor
scored, by the framework's thresholds (`lapis.quality.rules`); the plan's overall grade is
recorded, or computed from every criterion scored. The method is stored with each grade.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.db import transaction

from lapis.core import history
from lapis.core.actors import name_of
from lapis.core.cells import clean_text
from lapis.core.concurrency import hold, lock, save_versioned
from lapis.core.errors import ImportFailed
from lapis.partnership import permissions
from lapis.partnership.models import Partnership, Person
from lapis.plans import actions as work
from lapis.plans.actions import Invalid  # the same refusal as the plan's writes: 422 in the API
from lapis.quality import importing, rules, sampling
from lapis.quality.models import (
    Audit,
    AuditGrade,
    AuditImport,
    CriterionScore,
    Finding,
    FindingKind,
    FollowUp,
    FollowUpKind,
    Framework,
    Method,
    Sample,
    SampledPlan,
    Theme,
)

OVERALL = AuditGrade.OVERALL
AUDIT_FIELDS = ("audit_id", "plan_id", "audit_date", "auditor", "agency", "phase", "need",
                "team", "notes")
AUDITORS_ONLY = "Only auditors, programme managers and administrators record audits."
EDITORS_ONLY = "Only programme managers and administrators raise improvement actions."


def _check(errors: dict[str, str]) -> None:
    if errors:
        raise Invalid(errors)


# ---------------------------------------------------------------------------------------------
# Grades: recorded or computed
# ---------------------------------------------------------------------------------------------

@dataclass
class SectionEntry:
    """What the auditor gave one section: a grade (recorded), or criterion scores, or both
    (the recorded grade stands; the scores still count towards a computed overall grade)."""

    grade: str = ""
    scores: dict[int, int] = field(default_factory=dict)  # criterion pk -> position on scale


@dataclass
class GradeResult:
    section: str
    grade: str
    method: str
    score: Fraction | None = None

    @property
    def score_shown(self) -> str:
        return shown_score(self.score)


def shown_score(value) -> str:
    """A score to one decimal place, halves up: 62.5, 70, 66.7."""
    if value is None:
        return ""
    exact = Fraction(value) if not isinstance(value, Fraction) else value
    tenths = Decimal(exact.numerator) * 10 / Decimal(exact.denominator)
    rounded = tenths.quantize(Decimal(1), rounding=ROUND_HALF_UP) / 10
    return f"{rounded:.1f}".removesuffix(".0")


def stored_score(value: Fraction | None) -> Decimal | None:
    if value is None:
        return None
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)


def sections_of(framework: Framework):
    return list(framework.sections.prefetch_related("criteria").order_by("position", "pk"))


def compute_grades(framework: Framework, sections, entries: dict[str, SectionEntry],
                   overall: str = "") -> tuple[list[GradeResult], dict[str, str]]:
    """Each section's grade (recorded, computed or none) and the overall grade, with errors."""
    thresholds = framework.thresholds()
    top = len(framework.scale) - 1
    errors: dict[str, str] = {}
    results: list[GradeResult] = []
    everything: list[rules.Scored] = []
    known = {s.code for s in sections}
    for code in entries:
        if code not in known:
            errors[f"section_{code}"] = f"{framework.name} has no section {code}"
    for section in sections:
        entry = entries.get(section.code) or SectionEntry()
        criteria = {c.pk: c for c in section.criteria.all()}
        scored = []
        for pk, value in entry.scores.items():
            criterion = criteria.get(pk)
            if criterion is None:
                errors[f"score_{pk}"] = f"Section {section.code} has no such criterion"
            elif not isinstance(value, int) or not 0 <= value <= top:
                errors[f"score_{pk}"] = (f"Score {criterion.code} on the scale: "
                                         f"{', '.join(framework.scale)}")
            else:
                scored.append(rules.Scored(Fraction(criterion.weight), value, top))
        everything.extend(scored)
        if entry.grade:
            if entry.grade not in rules.GRADES:
                errors[f"grade_{section.code}"] = (
                    f"Choose a grade for section {section.code}: {', '.join(rules.GRADES)}")
            else:
                results.append(GradeResult(section.code, entry.grade, rules.RECORDED))
        elif scored:
            value = rules.score(scored)
            if value is not None:
                results.append(GradeResult(section.code,
                                           rules.grade_for(value, thresholds),
                                           rules.COMPUTED, value))
    if overall:
        if overall not in rules.GRADES:
            errors["grade_overall"] = f"Choose an overall grade: {', '.join(rules.GRADES)}"
        else:
            results.append(GradeResult(OVERALL, overall, rules.RECORDED))
    else:
        value = rules.score(everything)
        if value is None:
            errors["grade_overall"] = ("Record the overall grade, or score at least one "
                                       "criterion so that it can be computed")
        else:
            results.append(GradeResult(OVERALL, rules.grade_for(value, thresholds),
                                       rules.COMPUTED, value))
    return results, errors


# ---------------------------------------------------------------------------------------------
# Audits
# ---------------------------------------------------------------------------------------------

@dataclass
class AuditInput:
    framework: Framework
    plan_id: str
    audit_date: dt.date
    auditor: str
    agency: str
    audit_id: str = ""
    phase: str = ""
    need: str = ""
    team: str = ""
    notes: str = ""
    sections: dict[str, SectionEntry] = field(default_factory=dict)
    overall: str = ""
    sample: Sample | None = None


def next_audit_id(partnership_id: int, on: dt.date) -> str:
    """The next free audit reference of the year: QA-2024-001, QA-2024-002 ..."""
    prefix = f"QA-{on.year}-"
    taken = {a.casefold() for a in Audit.objects.filter(
        partnership_id=partnership_id, audit_id__istartswith=prefix)
        .values_list("audit_id", flat=True)}
    numbers = [int(m.group(1)) for a in taken if (m := re.fullmatch(r"qa-\d+-(\d+)", a))]
    n = max(numbers, default=0) + 1
    while f"{prefix}{n:03d}".casefold() in taken:
        n += 1
    return f"{prefix}{n:03d}"


def validate_audit(partnership_id: int, data: AuditInput, audit: Audit | None = None
                   ) -> tuple[list[GradeResult], dict[str, str]]:
    errors: dict[str, str] = {}
    framework = data.framework
    if framework is None or (framework.partnership_id not in (None, partnership_id)):
        return [], {"framework": "Choose an audit framework"}
    if audit is not None and framework.pk != audit.framework_id:
        errors["framework"] = "An audit keeps its framework: record a new audit instead"
    audit_id = clean_text(data.audit_id)
    if audit_id:
        if len(audit_id) > 60:
            errors["audit_id"] = "The audit reference must be 60 characters or fewer"
        clash = Audit.objects.filter(partnership_id=partnership_id, audit_id__iexact=audit_id)
        if audit is not None:
            clash = clash.exclude(pk=audit.pk)
        if clash.exists():
            errors["audit_id"] = f"There is already an audit {audit_id}: choose another"
    elif audit is not None:
        errors["audit_id"] = "Enter the audit reference"
    plan_id = clean_text(data.plan_id)
    if not plan_id:
        errors["plan_id"] = "Enter the plan ID, the case system's pseudonymous PlanID"
    elif len(plan_id) > 100:
        errors["plan_id"] = "The plan ID must be 100 characters or fewer"
    if data.audit_date is None:
        errors["audit_date"] = "Enter the date of the audit"
    elif data.audit_date > dt.date.today():
        errors["audit_date"] = "The date of the audit cannot be in the future"
    if not clean_text(data.auditor):
        errors["auditor"] = "Enter the auditor's name"
    elif len(clean_text(data.auditor)) > 150:
        errors["auditor"] = "The auditor's name must be 150 characters or fewer"
    if not clean_text(data.agency):
        errors["agency"] = "Enter the auditor's agency, for example Education"
    elif len(clean_text(data.agency)) > 100:
        errors["agency"] = "The agency must be 100 characters or fewer"
    for name, limit in (("phase", 40), ("need", 60), ("team", 100)):
        if len(clean_text(getattr(data, name))) > limit:
            errors[name] = f"The {name} must be {limit} characters or fewer"
    if data.sample is not None and data.sample.partnership_id != partnership_id:
        errors["sample"] = "The sample belongs to another partnership"
    results, grade_errors = compute_grades(framework, sections_of(framework), data.sections,
                                           data.overall)
    return results, {**errors, **grade_errors}


def _apply(audit: Audit, data: AuditInput) -> None:
    for name in AUDIT_FIELDS:
        value = getattr(data, name)
        setattr(audit, name, clean_text(value) if isinstance(value, str) else value)


def _write_grades(audit: Audit, data: AuditInput, results: list[GradeResult]) -> None:
    audit.grades.all().delete()
    audit.scores.all().delete()
    AuditGrade.objects.bulk_create([
        AuditGrade(audit=audit, section=r.section, grade=r.grade, method=r.method,
                   score=stored_score(r.score)) for r in results])
    CriterionScore.objects.bulk_create([
        CriterionScore(audit=audit, criterion_id=pk, score=value)
        for entry in data.sections.values() for pk, value in entry.scores.items()])


def _grades_text(grades) -> dict[str, str]:
    return {g.section: f"{g.grade} ({g.method}"
            + (f", {shown_score(g.score)})" if g.score is not None else ")") for g in grades}


def create_audit(*, partnership: Partnership, data: AuditInput, by, source: str = "web",
                 moderates: Audit | None = None) -> Audit:
    permissions.require(permissions.can_audit(by, partnership.pk), AUDITORS_ONLY)
    results, errors = validate_audit(partnership.pk, data)
    if moderates is not None:
        errors.update(_moderation_errors(moderates, data))
    _check(errors)
    with transaction.atomic():
        # Two audits created at once would take the same next reference: one at a time.
        hold(Partnership, partnership.pk)
        found = Audit(partnership=partnership, framework=data.framework, sample=data.sample,
                      moderates=moderates, created_by=name_of(by))
        _apply(found, data)
        if not found.audit_id:
            found.audit_id = (_moderation_id(moderates) if moderates is not None
                              else next_audit_id(partnership.pk, data.audit_date))
        found.save()
        _write_grades(found, data, results)
        what = (f"moderation of {moderates.audit_id} by {found.auditor}" if moderates
                else f"{found.audit_id} by {found.auditor} ({found.agency})")
        history.record(by=name_of(by), source=source, partnership_id=partnership.pk, obj=found,
                       field="created", new=what)
        for section, text in _grades_text(found.grades.all()).items():
            history.record(by=name_of(by), source=source, partnership_id=partnership.pk,
                           obj=found, field=f"grade {section}", new=text)
        if moderates is not None:
            history.record(by=name_of(by), source=source, partnership_id=partnership.pk,
                           obj=moderates, field="moderation",
                           new=f"{found.audit_id} by {found.auditor}")
    return found


def update_audit(*, audit: Audit, data: AuditInput, expected_version: int, by,
                 source: str = "web") -> list[tuple[str, str, str]]:
    """Save an edit begun at `expected_version`: the audit's details, its grades and scores.
    Raises Invalid, or EditConflict when someone saved first; either way nothing is written."""
    permissions.require(permissions.can_audit(by, audit.partnership_id), AUDITORS_ONLY)
    results, errors = validate_audit(audit.partnership_id, data, audit)
    if audit.moderates_id is not None:
        errors.update(_moderation_errors(audit.moderates, data))
    _check(errors)
    with transaction.atomic():
        _apply(audit, data)
        changes = save_versioned(audit, expected_version, list(AUDIT_FIELDS), by=name_of(by),
                                 source=source, partnership_id=audit.partnership_id)
        # The audit is claimed (its row held): the grades before are the ones saved now.
        before = _grades_text(audit.grades.all())
        before_scores = dict(audit.scores.values_list("criterion_id", "score"))
        _write_grades(audit, data, results)
        after = _grades_text(audit.grades.all())
        for section in sorted(set(before) | set(after), key=lambda s: (s == OVERALL, s)):
            if before.get(section, "") != after.get(section, ""):
                history.record(by=name_of(by), source=source, partnership_id=audit.partnership_id,
                               obj=audit, field=f"grade {section}",
                               old=before.get(section, ""), new=after.get(section, ""))
                changes.append((f"grade {section}", before.get(section, ""),
                                after.get(section, "")))
        after_scores = dict(audit.scores.values_list("criterion_id", "score"))
        if before_scores != after_scores:
            history.record(by=name_of(by), source=source, partnership_id=audit.partnership_id,
                           obj=audit, field="criterion scores",
                           old=f"{len(before_scores)} scored", new=f"{len(after_scores)} scored")
            changes.append(("criterion scores", "", ""))
    return changes


# ---------------------------------------------------------------------------------------------
# Moderation: a second auditor grades the same plan
# ---------------------------------------------------------------------------------------------

def _moderation_errors(original: Audit, data: AuditInput) -> dict[str, str]:
    errors = {}
    if original.moderates_id is not None:
        errors["moderates"] = "Moderate the original audit, not another moderation"
    if data.framework is not None and data.framework.pk != original.framework_id:
        errors["framework"] = "A moderation uses the framework of the audit it moderates"
    if clean_text(data.plan_id).casefold() != original.plan_id.casefold():
        errors["plan_id"] = f"A moderation grades the same plan, {original.plan_id}"
    if clean_text(data.auditor).casefold() == original.auditor.casefold():
        errors["auditor"] = (f"A moderation is made by a second auditor, not "
                             f"{original.auditor}, who made the audit")
    return errors


def _moderation_id(original: Audit) -> str:
    taken = {a.casefold() for a in Audit.objects.filter(
        partnership_id=original.partnership_id).values_list("audit_id", flat=True)}
    n = 1
    while f"{original.audit_id}-M{n}".casefold() in taken:
        n += 1
    return f"{original.audit_id}-M{n}"


def moderate(*, original: Audit, data: AuditInput, by, source: str = "web") -> Audit:
    """Record a second auditor's grading of the plan `original` audited."""
    data.plan_id = data.plan_id or original.plan_id
    return create_audit(partnership=original.partnership, data=data, by=by, source=source,
                        moderates=original)


@dataclass
class Agreement:
    rows: list[dict]
    agreed: int
    compared: int

    @property
    def pct(self) -> float | None:
        return rules.pct(self.agreed, self.compared)

    @property
    def overall_agrees(self) -> bool | None:
        row = next((r for r in self.rows if r["section"] == OVERALL), None)
        return None if row is None else row["agree"]


def agreement(first: dict[str, str], second: dict[str, str], order: list[str]) -> Agreement:
    """Compare two gradings of a plan, section by section (in `order`, then overall): a row
    for each section either graded; a section counts when both graded it."""
    rows = []
    for code in [*order, OVERALL]:
        a, b = first.get(code), second.get(code)
        if a is None and b is None:
            continue
        rows.append({"section": code, "first": a or "", "second": b or "",
                     "agree": (a == b) if a and b else None})
    compared = [r for r in rows if r["agree"] is not None]
    return Agreement(rows, sum(1 for r in compared if r["agree"]), len(compared))


def agreement_of(original: Audit, moderation: Audit) -> Agreement:
    order = list(original.framework.sections.order_by("position", "pk")
                 .values_list("code", flat=True))
    return agreement(dict(original.grades.values_list("section", "grade")),
                     dict(moderation.grades.values_list("section", "grade")), order)


# ---------------------------------------------------------------------------------------------
# Findings and themes
# ---------------------------------------------------------------------------------------------

def split_names(text: str) -> list[str]:
    """Theme names typed one a line or separated by semicolons."""
    names = []
    for part in re.split(r"[;\n]", text or ""):
        name = clean_text(part)
        if name and name.casefold() not in {n.casefold() for n in names}:
            names.append(name)
    return names


def _theme(partnership_id: int, name: str, by: str, source: str) -> Theme:
    """The partnership's theme of that name, created (with its history) when new; `by` is
    the name history records, for the caller has checked the permission."""
    found = Theme.objects.filter(partnership_id=partnership_id, name__iexact=name).first()
    if found is None:
        found = Theme.objects.create(partnership_id=partnership_id, name=name)
        history.record(by=by, source=source, partnership_id=partnership_id, obj=found,
                       field="created", new=name)
    return found


def create_theme(*, partnership: Partnership, by, name: str, description: str = "",
                 source: str = "web") -> Theme:
    permissions.require(permissions.can_audit(by, partnership.pk), AUDITORS_ONLY)
    name = clean_text(name)
    errors = {}
    if not name:
        errors["name"] = "Enter the theme's name"
    elif len(name) > 150:
        errors["name"] = "The theme's name must be 150 characters or fewer"
    elif Theme.objects.filter(partnership=partnership, name__iexact=name).exists():
        errors["name"] = f"There is already a theme {name}"
    _check(errors)
    with transaction.atomic():
        theme = Theme.objects.create(partnership=partnership, name=name,
                                     description=clean_text(description))
        history.record(by=name_of(by), source=source, partnership_id=partnership.pk, obj=theme,
                       field="created", new=name)
    return theme


def add_finding(*, audit: Audit, by, text: str, kind: str = FindingKind.DEVELOPMENT,
                section: str = "", themes=(), new_themes=(), source: str = "web") -> Finding:
    """A strength or an area for development found in the audit, with its themes: chosen ones
    (the partnership's) and new ones by name (an existing name is reused)."""
    permissions.require(permissions.can_audit(by, audit.partnership_id), AUDITORS_ONLY)
    text, section = clean_text(text), clean_text(section)
    errors = {}
    if not text:
        errors["text"] = "Enter what the audit found"
    if kind not in FindingKind.values:
        errors["kind"] = "Choose a strength or an area for development"
    codes = set(audit.framework.sections.values_list("code", flat=True))
    if section and section not in codes:
        errors["section"] = f"Choose one of the framework's sections, not {section}"
    themes = list(themes)
    if any(t.partnership_id != audit.partnership_id for t in themes):
        errors["themes"] = "Choose this partnership's themes"
    names = [n for n in new_themes if clean_text(n)]
    if any(len(clean_text(n)) > 150 for n in names):
        errors["new_themes"] = "A theme's name must be 150 characters or fewer"
    _check(errors)
    name, pid = name_of(by), audit.partnership_id
    with transaction.atomic():
        finding = Finding.objects.create(audit=audit, section=section, kind=kind, text=text,
                                         created_by=name)
        chosen = {t.pk: t for t in themes}
        for theme_name in names:
            theme = _theme(pid, clean_text(theme_name), name, source)
            chosen[theme.pk] = theme
        finding.themes.set(chosen.values())
        label = FindingKind(kind).label
        where = f" (section {section})" if section else ""
        named = ", ".join(sorted(t.name for t in chosen.values()))
        history.record(by=name, source=source, partnership_id=pid, obj=audit, field="finding",
                       new=f"{label}{where}: {text}" + (f" [themes: {named}]" if named else ""))
    return finding


# ---------------------------------------------------------------------------------------------
# Follow-ups
# ---------------------------------------------------------------------------------------------

def add_follow_up(*, audit: Audit, by, kind: str, description: str, owner: Person | None,
                  due: dt.date | None, source: str = "web") -> FollowUp:
    permissions.require(permissions.can_audit(by, audit.partnership_id), AUDITORS_ONLY)
    description = clean_text(description)
    errors = {}
    if kind not in FollowUpKind.values:
        errors["kind"] = "Choose the follow-up: amend the plan, re-audit, training or other"
    if not description:
        errors["description"] = "Enter what needs to happen"
    if owner is None or owner.partnership_id != audit.partnership_id:
        errors["owner"] = "Choose the owner, someone in this partnership"
    if due is None:
        errors["due"] = "Enter the date it is due"
    _check(errors)
    with transaction.atomic():
        follow_up = FollowUp.objects.create(audit=audit, kind=kind, description=description,
                                            owner=owner, due=due, created_by=name_of(by))
        history.record(by=name_of(by), source=source, partnership_id=audit.partnership_id,
                       obj=audit, field="follow-up",
                       new=f"{follow_up.get_kind_display()}: {description} ({owner.name}, due "
                       f"{due.isoformat()})")
    return follow_up


@transaction.atomic
def complete_follow_up(*, follow_up: FollowUp, by, on: dt.date | None = None,
                       expected_version: int | None = None, source: str = "web") -> FollowUp:
    """Mark a follow-up done (once). `expected_version` guards against a stale page."""
    audit = follow_up.audit
    permissions.require(permissions.can_audit(by, audit.partnership_id), AUDITORS_ONLY)
    on = on or dt.date.today()
    lock(follow_up)  # done once: the second of two at once finds it done
    if follow_up.done is not None:
        raise Invalid({"done": "This follow-up was already marked done on "
                        f"{follow_up.done:%d %B %Y}"})
    errors = {}
    if on > dt.date.today():
        errors["done"] = "The date it was done cannot be in the future"
    _check(errors)
    with transaction.atomic():
        follow_up.done = on
        save_versioned(follow_up, follow_up.version if expected_version is None
                       else expected_version, ["done"], by=name_of(by), source=source,
                       partnership_id=audit.partnership_id)
        history.record(by=name_of(by), source=source, partnership_id=audit.partnership_id,
                       obj=audit, field="follow-up done",
                       new=f"{follow_up.get_kind_display()}: {follow_up.description} "
                       f"(done {on.isoformat()})")
    return follow_up


# ---------------------------------------------------------------------------------------------
# Raising a recurring theme as an improvement plan action
# ---------------------------------------------------------------------------------------------

RECURRING_FROM = 2  # a theme found in this many audits (or more) is recurring


def suggest_ref(plan, priority_number: int) -> str:
    """The next free ref under a priority: after 2.1 .. 2.8 (and 2.8a) comes 2.9."""
    refs = list(plan.actions.values_list("ref", flat=True))
    pattern = re.compile(rf"^{priority_number}\.(\d+)")
    numbers = [int(m.group(1)) for r in refs if (m := pattern.match(r.strip()))]
    taken = {r.strip().casefold() for r in refs}
    n = max(numbers, default=0) + 1
    while f"{priority_number}.{n}".casefold() in taken:
        n += 1
    return f"{priority_number}.{n}"


def theme_audits(theme: Theme) -> int:
    """How many audits (counted ones: not moderations) found the theme."""
    return (Audit.objects.counted().filter(findings__themes=theme).distinct().count())


def suggest_description(theme: Theme) -> str:
    findings = theme.findings.count()
    audits = theme_audits(theme)
    recurring = "recurring " if audits >= RECURRING_FROM else ""
    return (f"Improve the quality of EHC plans on the {recurring}audit theme "
            f"\"{theme.name}\": found in {findings} finding{'s' if findings != 1 else ''} "
            f"across {audits} audit{'s' if audits != 1 else ''}.")


def raise_theme(*, theme: Theme, by, plan, priority_number: int, ref: str,
                description: str, due_date: dt.date | None = None, source: str = "web"):
    """Create an improvement plan action for the theme (through `plans.actions.add_action`) and
    link the theme to it, in one transaction. Editors only; a theme is raised once."""
    permissions.require(permissions.can_edit(by, theme.partnership_id), EDITORS_ONLY)
    with transaction.atomic():
        return _raise_theme(theme=theme, by=by, plan=plan, priority_number=priority_number,
                            ref=ref, description=description, due_date=due_date,
                            source=source)


def _raise_theme(*, theme, by, plan, priority_number, ref, description, due_date, source):
    lock(theme)  # raised once: the second of two at once finds it raised
    errors = {}
    if theme.action_id is not None:
        errors["theme"] = f"{theme.name} was already raised as action {theme.action.ref}"
    if plan is None or plan.partnership_id != theme.partnership_id:
        errors["plan"] = "Choose one of this partnership's plans"
    _check(errors)
    try:
        with transaction.atomic():
            action = work.add_action(plan=plan, by=by, ref=ref, description=description,
                                     priority_number=priority_number, due_date=due_date,
                                     source=source)
            theme.action = action
            theme.save(update_fields=["action"])
            history.record(by=name_of(by), source=source, partnership_id=theme.partnership_id,
                           obj=theme, field="action", new=f"{action.ref} in {plan.name}")
            history.record(by=name_of(by), source=source, partnership_id=theme.partnership_id,
                           obj=action, field="raised from audit theme", new=theme.name)
    except work.Invalid as invalid:
        raise Invalid(invalid.errors) from invalid
    return action


# ---------------------------------------------------------------------------------------------
# Samples
# ---------------------------------------------------------------------------------------------

def create_sample(*, partnership: Partnership, by, framework: Framework, month: dt.date,
                  size: int, phase: str = "", need: str = "", team: str = "",
                  pasted: str = "", seed: int | None = None, source: str = "web") -> Sample:
    """Draw a month's sample at random (stored seed) from the live plans in the case data, or
    from a pasted list of plans, filtered by phase, need and team."""
    permissions.require(permissions.can_audit(by, partnership.pk), AUDITORS_ONLY)
    errors = {}
    if framework is None or framework.partnership_id not in (None, partnership.pk):
        errors["framework"] = "Choose an audit framework"
    if month is None:
        errors["month"] = "Enter the month audited"
    if not isinstance(size, int) or not 1 <= size <= sampling.MAX_SIZE:
        errors["size"] = f"Enter how many plans to sample, from 1 to {sampling.MAX_SIZE}"
    _check(errors)
    month = sampling.month_start(month)
    if clean_text(pasted):
        candidates, problems = sampling.parse_pasted(pasted)
        if problems:
            raise Invalid({"pasted": "; ".join(problems[:10])
                           + (f" (and {len(problems) - 10} more)" if len(problems) > 10
                              else "")})
        origin = "pasted"
    else:
        candidates = sampling.live_plans(partnership.pk, month)
        origin = "cases"
    seed = sampling.new_seed() if seed is None else seed
    chosen = sampling.draw(candidates, size, seed, phase=phase, need=need, team=team)
    if not chosen:
        where = ("in the pasted list" if origin == "pasted"
                 else f"live in {month:%B %Y} in the case data")
        raise Invalid({"size": f"No plans {where} match the filters: nothing to sample"})
    filters = {"phase": phase, "need": need, "team": team, "seed": seed, "from": origin,
               "candidates": len(sampling.matching(candidates, phase=phase, need=need,
                                                   team=team))}
    with transaction.atomic():
        sample = Sample.objects.create(partnership=partnership, framework=framework,
                                       month=month, size=len(chosen), filters=filters,
                                       created_by=name_of(by))
        SampledPlan.objects.bulk_create([
            SampledPlan(sample=sample, plan_id=c.plan_id, phase=c.phase, need=c.need,
                        team=c.team, position=n) for n, c in enumerate(chosen, start=1)])
        history.record(by=name_of(by), source=source, partnership_id=partnership.pk, obj=sample,
                       field="created", new=f"{len(chosen)} plans for {month:%B %Y} "
                       f"({framework.name}), seed {seed}")
    return sample


# ---------------------------------------------------------------------------------------------
# The audit import (`lapis import_audits`)
# ---------------------------------------------------------------------------------------------

@transaction.atomic
def import_audits(*, partnership: Partnership, framework: Framework,
                  rows: importing.AuditRows, by, dry_run: bool = False,
                  publish: bool = True) -> importing.ImportResult:
    """Create or update the audits read by `read_audits`; all or nothing. Raises ImportFailed
    with every problem and writes nothing unless every row is good. After a real import the
    quarterly figures are written to the scorecard (`lapis.quality.feed.publish`). Reading
    and checking are `lapis.quality.importing`'s; the writes, with their history, are here."""
    permissions.require(permissions.can_audit(by, partnership.pk), AUDITORS_ONLY)
    problems = importing.check_audits(rows, partnership, framework)
    if problems:
        raise ImportFailed(problems)
    who = name_of(by)
    source = f"import:{rows.file}"
    result = importing.ImportResult(dry_run=dry_run)
    held = {a.audit_id: a for a in Audit.objects.filter(partnership=partnership)
            .select_related("moderates").prefetch_related("grades")}
    ordered = sorted(rows.audits, key=lambda a: bool(a.moderates))  # originals first
    for found in ordered:
        moderates = held[found.moderates] if found.moderates else None
        values = {"plan_id": found.plan_id, "audit_date": found.audit_date,
                  "auditor": found.auditor, "agency": found.agency, "phase": found.phase,
                  "need": found.need, "team": found.team}
        existing = held.get(found.audit_id)
        if existing is None:
            created = Audit.objects.create(partnership=partnership, framework=framework,
                                           audit_id=found.audit_id, moderates=moderates,
                                           created_by=who, **values)
            AuditGrade.objects.bulk_create([
                AuditGrade(audit=created, section=section, grade=grade,
                           method=Method.RECORDED) for section, grade in found.grades.items()])
            history.record(by=who, source=source, partnership_id=partnership.pk, obj=created,
                           field="created", new=_import_summary(found.grades))
            held[found.audit_id] = created
            result.created.append(found.audit_id)
            continue
        changed = []

        def note(field, old, new, target=existing, changed=changed):
            history.record(by=who, source=source, partnership_id=partnership.pk, obj=target,
                           field=field, old=old, new=new)
            changed.append(field)

        for name, new in values.items():
            old = getattr(existing, name)
            if _import_shown(old) != _import_shown(new):
                note(name, _import_shown(old), _import_shown(new))
                setattr(existing, name, new)
        old_moderates = existing.moderates.audit_id if existing.moderates else ""
        if old_moderates != found.moderates:
            note("moderates", old_moderates, found.moderates)
            existing.moderates = moderates
        grades = {g.section: g for g in existing.grades.all()}
        for section, grade in found.grades.items():
            old = grades.pop(section, None)
            if old is None:
                AuditGrade.objects.create(audit=existing, section=section, grade=grade,
                                          method=Method.RECORDED)
                note(f"grade {section}", "", grade)
            elif old.grade != grade or old.method != Method.RECORDED:
                note(f"grade {section}", f"{old.grade} ({old.method})", grade)
                old.grade, old.method, old.score = grade, Method.RECORDED, None
                old.save()
        for section, old in grades.items():
            note(f"grade {section}", old.grade, "")
            old.delete()
        if changed:
            existing.version += 1
            existing.save()
            result.updated[found.audit_id] = changed
        else:
            result.unchanged.append(found.audit_id)
    AuditImport.objects.create(partnership=partnership, file_name=rows.file[:255], by=who,
                               counts={"rows": rows.rows, "created": len(result.created),
                                       "updated": len(result.updated),
                                       "unchanged": len(result.unchanged),
                                       "framework": framework.key})
    if dry_run:
        transaction.set_rollback(True)
    elif publish:
        from lapis.quality import feed

        result.published = feed.publish(partnership, framework=framework)
    return result


def _import_summary(grades: dict[str, str]) -> str:
    return "; ".join(f"{section} {grade}" for section, grade in grades.items())


def _import_shown(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
