"""EHC plan audits over JSON: frameworks, samples, audits with their grades, moderations,
findings, follow-ups and themes, and raising a theme as an improvement action.

Reads are scoped by `visible_to` (another partnership's record is a 404); writes follow the
pages' rules: auditors, programme managers and administrators record; only editors raise
actions (403 otherwise, nothing written). An audit's `grades` name the sections the auditor
graded (`{"A": "Good", "overall": "Good"}`); `scores` give criteria by code on the framework's
scale (`{"A1": 2}`). A section or the overall grade left out is computed from the scores.
PUT carries the `version` read; a stale one is refused with 409 and the saved audit.
"""

from __future__ import annotations

import datetime as dt

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Status

from lapis.core import history
from lapis.core.concurrency import EditConflict
from lapis.core.inputs import Input
from lapis.partnership import permissions
from lapis.partnership.models import Person
from lapis.plans.models import Plan
from lapis.quality import actions, exporting
from lapis.quality.models import Audit, FollowUp, Framework, Sample, Theme
from lapis.quality.views import shows_plan_ids, theme_rows, thresholds_in_words

router = Router(tags=["quality"])

ANSWERS = {200: dict, 201: dict, 403: dict, 404: dict, 409: dict, 422: dict}


class PartnershipQuery(Input):
    partnership: int | None = None


class AuditQuery(Input):
    partnership: int | None = None
    moderations: bool | None = Field(None, description="true: only moderations; false: none")


class FollowUpQuery(Input):
    partnership: int | None = None
    open: bool | None = None


class AuditIn(Input):
    audit_id: str = Field("", max_length=60, description="Empty for the next QA-YYYY-NNN")
    plan_id: str = Field("", max_length=100)
    audit_date: dt.date
    auditor: str = Field(..., max_length=150)
    agency: str = Field(..., max_length=100)
    phase: str = ""
    need: str = ""
    team: str = ""
    notes: str = ""
    grades: dict[str, str] = Field(default_factory=dict,
                                   description='Recorded grades: {"A": "Good", "overall": ..}')
    scores: dict[str, int] = Field(default_factory=dict,
                                   description='Criterion scores by code: {"A1": 2}')


class AuditCreate(AuditIn):
    partnership: int
    framework: int
    sample: int | None = None


class AuditUpdate(AuditIn):
    version: int = Field(..., description="The version you read; 409 if it has moved on")


class FindingIn(Input):
    text: str
    kind: str = "development"
    section: str = ""
    themes: list[str] = Field(default_factory=list,
                              description="Theme names; a new name makes a new theme")


class FollowUpIn(Input):
    kind: str
    description: str
    owner: str = Field(..., description="A person's name in the partnership")
    due: dt.date


class DoneIn(Input):
    on: dt.date | None = None
    version: int | None = None


class SampleIn(Input):
    partnership: int
    framework: int
    month: dt.date
    size: int
    phase: str = ""
    need: str = ""
    team: str = ""
    pasted: str = Field("", description="plan_id,phase,need,team lines; empty: case data")
    seed: int | None = None


class RaiseIn(Input):
    plan: int
    priority: int
    ref: str = Field("", description="Empty for the next free ref under the priority")
    description: str = Field("", description="Empty for one made from the theme")
    due_date: dt.date | None = None


def _refused(message):
    return Status(403, {"detail": message})


def _invalid(message, errors, framework=None):
    """422 with one message per field; a form's `score_<id>` and `grade_<code>` are named as
    the API names them: `scores.A1`, `grades.B`, `grades.overall`."""
    if framework is not None:
        codes = {f"score_{c.pk}": f"scores.{c.code}" for s in actions.sections_of(framework)
                 for c in s.criteria.all()}
        errors = {codes.get(k) or (f"grades.{k[6:]}" if k.startswith("grade_") else k): v
                  for k, v in errors.items()}
    return Status(422, {"detail": message, "errors": errors})


def _audits(request):
    return Audit.objects.visible_to(request.user).select_related(
        "framework", "moderates").prefetch_related("grades", "framework__sections")


def _audit(request, pk: int) -> Audit:
    return get_object_or_404(_audits(request), pk=pk)


def _json(request, found: Audit, detail: bool = False) -> dict:
    return exporting.audit_json(found, detail=detail,
                                show_plan_ids=shows_plan_ids(request.user,
                                                             found.partnership_id))


# Frameworks ----------------------------------------------------------------------------------

def framework_json(framework: Framework, detail: bool = False) -> dict:
    data = {"id": framework.pk, "key": framework.key, "name": framework.name,
            "version": framework.version, "shared": framework.partnership_id is None,
            "active": framework.active, "scale": framework.scale,
            "thresholds": {"outstanding": float(framework.outstanding_from),
                           "good": float(framework.good_from),
                           "requires_improvement": float(framework.requires_improvement_from)},
            "thresholds_in_words": thresholds_in_words(framework)}
    if detail:
        data["description"] = framework.description
        data["source"] = framework.source
        data["sections"] = [
            {"code": s.code, "title": s.title, "guidance": s.guidance,
             "criteria": [{"id": c.pk, "code": c.code, "text": c.text, "guidance": c.guidance,
                           "weight": float(c.weight), "contributor": c.contributor}
                          for c in s.criteria.all()]}
            for s in actions.sections_of(framework)]
    return data


@router.get("/frameworks", summary="Audit frameworks: shared ones and your partnership's")
def list_frameworks(request):
    return [framework_json(f) for f in Framework.objects.visible_to(request.user)]


@router.get("/frameworks/{framework_id}", summary="A framework's sections and criteria")
def get_framework(request, framework_id: int):
    framework = get_object_or_404(Framework.objects.visible_to(request.user), pk=framework_id)
    return framework_json(framework, detail=True)


# Audits --------------------------------------------------------------------------------------

@router.get("/audits", summary="Audits you may see, or one partnership's with ?partnership=ID")
def list_audits(request, query: Query[AuditQuery]):
    found = _audits(request)
    if query.partnership is not None:
        found = found.filter(partnership=permissions.partnership_asked(request, query.partnership))
    if query.moderations is True:
        found = found.filter(moderates__isnull=False)
    elif query.moderations is False:
        found = found.filter(moderates__isnull=True)
    return [_json(request, a) for a in found.order_by("-audit_date", "-pk")]


@router.get("/audits/{audit_id}", summary="An audit with its scores, findings and follow-ups")
def get_audit(request, audit_id: int):
    found = _audit(request, audit_id)
    data = _json(request, found, detail=True)
    data["agreement"] = None
    if found.moderates_id:
        result = actions.agreement_of(found.moderates, found)
        data["agreement"] = {"rows": result.rows, "agreed": result.agreed,
                             "compared": result.compared, "pct": result.pct}
    data["history"] = [{"at": r.at.isoformat(), "by": r.by, "source": r.source,
                        "field": r.field, "old": r.old, "new": r.new}
                       for r in history.history(found).order_by("at", "id")]
    return data


def _input(framework: Framework, body: AuditIn, sample=None) -> actions.AuditInput | dict:
    """The write's input with criterion codes resolved, or a dict of errors."""
    errors = {}
    sections = actions.sections_of(framework)
    by_code: dict[str, list] = {}
    for section in sections:
        for criterion in section.criteria.all():
            by_code.setdefault(criterion.code.casefold(), []).append((section, criterion))
    entries = {s.code: actions.SectionEntry() for s in sections}
    for code, value in body.scores.items():
        matches = by_code.get(code.strip().casefold(), [])
        if len(matches) != 1:
            errors[f"scores.{code}"] = (f"{framework.name} has no criterion {code}" if not
                                        matches else f"criterion {code} is ambiguous")
            continue
        section, criterion = matches[0]
        entries[section.code].scores[criterion.pk] = value
    overall = ""
    codes = {s.code.casefold(): s.code for s in sections}
    for code, grade in body.grades.items():
        if code.strip().casefold() == "overall":
            overall = grade
        elif code.strip().casefold() in codes:
            entries[codes[code.strip().casefold()]].grade = grade
        else:
            errors[f"grades.{code}"] = f"{framework.name} has no section {code}"
    if errors:
        return errors
    return actions.AuditInput(
        framework=framework, audit_id=body.audit_id, plan_id=body.plan_id,
        audit_date=body.audit_date, auditor=body.auditor, agency=body.agency,
        phase=body.phase, need=body.need, team=body.team, notes=body.notes,
        sections=entries, overall=overall, sample=sample)


@router.post("/audits", response=ANSWERS, summary="Record an audit (auditors and editors)")
def create_audit(request, body: AuditCreate):
    partnership = permissions.partnership_asked(request, body.partnership)
    if not permissions.can_audit(request.user, partnership.pk):
        return _refused(actions.AUDITORS_ONLY)
    framework = Framework.objects.visible_to(request.user).filter(pk=body.framework).first()
    if framework is None:
        return _invalid("The audit was not recorded", {"framework": "no such framework"})
    sample = None
    if body.sample is not None:
        sample = Sample.objects.filter(partnership=partnership, pk=body.sample).first()
        if sample is None:
            return _invalid("The audit was not recorded", {"sample": "no such sample"})
    data = _input(framework, body, sample)
    if isinstance(data, dict):
        return _invalid("The audit was not recorded", data)
    try:
        found = actions.create_audit(partnership=partnership, data=data, by=request.user,
                                     source="api")
    except actions.Invalid as invalid:
        return _invalid("The audit was not recorded", invalid.errors, framework)
    return Status(201, _json(request, _audit(request, found.pk), detail=True))


@router.put("/audits/{audit_id}", response=ANSWERS, summary="Edit an audit; send the version")
def update_audit(request, audit_id: int, body: AuditUpdate):
    found = _audit(request, audit_id)
    if not permissions.can_audit(request.user, found.partnership_id):
        return _refused(actions.AUDITORS_ONLY)
    data = _input(found.framework, body, found.sample)
    if isinstance(data, dict):
        return _invalid("The audit was not saved", data)
    data.plan_id = data.plan_id or found.plan_id
    data.audit_id = data.audit_id or found.audit_id
    try:
        changes = actions.update_audit(audit=found, data=data, expected_version=body.version,
                                       by=request.user, source="api")
    except actions.Invalid as invalid:
        return _invalid("The audit was not saved", invalid.errors, found.framework)
    except EditConflict as conflict:
        return Status(409, {"detail": str(conflict),
                            "current": _json(request, _audit(request, conflict.current.pk))})
    return Status(200, {**_json(request, _audit(request, found.pk), detail=True),
                        "changed": [name for name, _, _ in changes]})


@router.post("/audits/{audit_id}/moderations", response=ANSWERS,
             summary="A second auditor's grading of the same plan")
def create_moderation(request, audit_id: int, body: AuditIn):
    original = _audit(request, audit_id)
    if not permissions.can_audit(request.user, original.partnership_id):
        return _refused(actions.AUDITORS_ONLY)
    data = _input(original.framework, body)
    if isinstance(data, dict):
        return _invalid("The moderation was not recorded", data)
    try:
        found = actions.moderate(original=original, data=data, by=request.user, source="api")
    except actions.Invalid as invalid:
        return _invalid("The moderation was not recorded", invalid.errors, original.framework)
    result = actions.agreement_of(original, found)
    return Status(201, {**_json(request, _audit(request, found.pk), detail=True),
                        "agreement": {"rows": result.rows, "agreed": result.agreed,
                                      "compared": result.compared, "pct": result.pct}})


# Findings, follow-ups ------------------------------------------------------------------------

@router.get("/audits/{audit_id}/findings", summary="An audit's findings")
def list_findings(request, audit_id: int):
    found = _audit(request, audit_id)
    return [exporting.finding_json(f)
            for f in found.findings.prefetch_related("themes").order_by("pk")]


@router.post("/audits/{audit_id}/findings", response=ANSWERS, summary="Add a finding")
def create_finding(request, audit_id: int, body: FindingIn):
    found = _audit(request, audit_id)
    if not permissions.can_audit(request.user, found.partnership_id):
        return _refused(actions.AUDITORS_ONLY)
    try:
        finding = actions.add_finding(audit=found, by=request.user, text=body.text, kind=body.kind,
                                      section=body.section, new_themes=body.themes,
                                      source="api")
    except actions.Invalid as invalid:
        return _invalid("The finding was not added", invalid.errors)
    return Status(201, exporting.finding_json(finding))


@router.get("/follow-ups", summary="Follow-ups, open ones with ?open=true")
def list_follow_ups(request, query: Query[FollowUpQuery]):
    found = FollowUp.objects.filter(audit__in=Audit.objects.visible_to(request.user)
                                    ).select_related("owner")
    if query.partnership is not None:
        asked = permissions.partnership_asked(request, query.partnership)
        found = found.filter(audit__partnership=asked)
    if query.open is True:
        found = found.filter(done__isnull=True)
    elif query.open is False:
        found = found.filter(done__isnull=False)
    return [exporting.follow_up_json(f) for f in found.order_by("due", "pk")]


@router.post("/audits/{audit_id}/follow-ups", response=ANSWERS, summary="Add a follow-up")
def create_follow_up(request, audit_id: int, body: FollowUpIn):
    found = _audit(request, audit_id)
    if not permissions.can_audit(request.user, found.partnership_id):
        return _refused(actions.AUDITORS_ONLY)
    owner = Person.objects.filter(partnership_id=found.partnership_id,
                                  name__iexact=body.owner.strip()).first()
    if owner is None:
        return _invalid("The follow-up was not added",
                        {"owner": f"no one called {body.owner!r} in this partnership"})
    try:
        follow_up = actions.add_follow_up(audit=found, by=request.user, kind=body.kind,
                                          description=body.description, owner=owner,
                                          due=body.due, source="api")
    except actions.Invalid as invalid:
        return _invalid("The follow-up was not added", invalid.errors)
    return Status(201, exporting.follow_up_json(follow_up))


@router.post("/follow-ups/{follow_up_id}/done", response=ANSWERS, summary="Mark it done")
def mark_done(request, follow_up_id: int, body: DoneIn):
    follow_up = get_object_or_404(
        FollowUp.objects.filter(audit__in=Audit.objects.visible_to(request.user))
        .select_related("audit", "owner"), pk=follow_up_id)
    if not permissions.can_audit(request.user, follow_up.audit.partnership_id):
        return _refused(actions.AUDITORS_ONLY)
    try:
        actions.complete_follow_up(follow_up=follow_up, by=request.user, on=body.on,
                                   expected_version=body.version, source="api")
    except actions.Invalid as invalid:
        return _invalid("The follow-up was not marked done", invalid.errors)
    except EditConflict as conflict:
        return Status(409, {"detail": str(conflict),
                            "current": exporting.follow_up_json(conflict.current)})
    return Status(200, exporting.follow_up_json(follow_up))


# Themes --------------------------------------------------------------------------------------

@router.get("/themes", summary="Themes with their findings, audits and quarters")
def list_themes(request, query: Query[PartnershipQuery]):
    partnership = permissions.partnership_asked(request, query.partnership)
    rows, quarters = theme_rows(partnership.pk)
    return {"partnership": partnership.name, "quarters": quarters,
            "recurring_from": actions.RECURRING_FROM,
            "themes": [{"id": r["theme"].pk, "name": r["theme"].name,
                        "findings": r["findings"], "audits": r["audits"],
                        "recurring": r["recurring"], "by_quarter": r["quarters"],
                        "action": ({"id": r["theme"].action_id, "ref": r["theme"].action.ref}
                                   if r["theme"].action_id else None)} for r in rows]}


@router.post("/themes/{theme_id}/action", response=ANSWERS,
             summary="Raise the theme as an improvement plan action (editors)")
def raise_action(request, theme_id: int, body: RaiseIn):
    theme = get_object_or_404(Theme.objects.visible_to(request.user).select_related("action"),
                              pk=theme_id)
    if not permissions.can_edit(request.user, theme.partnership_id):
        return _refused(actions.EDITORS_ONLY)
    plan = Plan.objects.filter(partnership_id=theme.partnership_id, pk=body.plan).first()
    if plan is None:
        return _invalid("The action was not raised", {"plan": "no such plan"})
    try:
        action = actions.raise_theme(
            theme=theme, by=request.user, plan=plan, priority_number=body.priority,
            ref=body.ref or actions.suggest_ref(plan, body.priority),
            description=body.description or actions.suggest_description(theme),
            due_date=body.due_date, source="api")
    except actions.Invalid as invalid:
        return _invalid("The action was not raised", invalid.errors)
    return Status(201, {"theme": theme.name, "action": {
        "id": action.pk, "ref": action.ref, "plan": plan.name,
        "description": action.description,
        "status": action.status.label if action.status else None,
        "due_date": action.due_date.isoformat() if action.due_date else None}})


# Samples -------------------------------------------------------------------------------------

def sample_json(request, sample: Sample) -> dict:
    show = shows_plan_ids(request.user, sample.partnership_id)
    return {"id": sample.pk, "month": sample.month.isoformat(), "framework": sample.framework_id,
            "size": sample.size, "filters": sample.filters,
            "plans": [{"plan_id": p.plan_id, "phase": p.phase, "need": p.need, "team": p.team}
                      for p in sample.plans.all()] if show else None}


@router.get("/samples/{sample_id}", summary="A sample (plan IDs for auditors only)")
def get_sample(request, sample_id: int):
    sample = get_object_or_404(Sample.objects.visible_to(request.user), pk=sample_id)
    return sample_json(request, sample)


@router.post("/samples", response=ANSWERS, summary="Draw a month's sample of plans")
def create_sample(request, body: SampleIn):
    partnership = permissions.partnership_asked(request, body.partnership)
    if not permissions.can_audit(request.user, partnership.pk):
        return _refused(actions.AUDITORS_ONLY)
    framework = Framework.objects.visible_to(request.user).filter(pk=body.framework).first()
    try:
        sample = actions.create_sample(
            partnership=partnership, by=request.user, framework=framework,
            month=body.month, size=body.size, phase=body.phase, need=body.need,
            team=body.team, pasted=body.pasted, seed=body.seed, source="api")
    except actions.Invalid as invalid:
        return _invalid("The sample was not drawn", invalid.errors)
    return Status(201, sample_json(request, sample))
