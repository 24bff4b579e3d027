"""The voice records over JSON, with the pages' permissions: everyone in the partnership
reads; editors write complaints, compliments, engagement, survey indicators, standards and
"we did"; forum members add "you said" items. Another partnership's record is a 404.

Writes validate through the pages' forms. PUT is a partial update: send the fields to change
and the `version` you read; a stale version is refused with 409 and the saved record.
"""

from __future__ import annotations

import datetime as dt

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Status

from lapis.core import history as audit
from lapis.core.concurrency import EditConflict
from lapis.core.inputs import Input
from lapis.partnership import permissions
from lapis.partnership.models import Partnership
from lapis.plans.public import public_count
from lapis.voice import actions, forms, queries, rules
from lapis.voice.models import Complaint, Compliment, Engagement, Question, Survey, YouSaid

router = Router(tags=["voice"])
ANSWERS = {200: dict, 201: dict, 403: dict, 404: dict, 409: dict, 422: dict}


class ListQuery(Input):
    partnership: int | None = None


def _day(value):
    return value.isoformat() if value else None


def _refs(obj) -> list[str]:
    return [a.ref for a in sorted(obj.actions.all(), key=lambda a: a.ref_key)]


def complaint_json(c: Complaint, as_of: dt.date | None = None) -> dict:
    standard = actions.settings_for(c.partnership).standard(c.stage)
    t = c.timeliness(standard, as_of or dt.date.today())
    return {"id": c.pk, "reference": c.reference, "received": _day(c.received),
            "channel": c.channel, "service": c.service, "themes": list(c.themes),
            "stage": c.stage, "outcome": c.outcome, "responded": _day(c.responded),
            "due": _day(t.due), "working_days": t.days_taken, "within_standard": t.within,
            "overdue": t.overdue, "version": c.version}


def compliment_json(c: Compliment, *_args) -> dict:
    return {"id": c.pk, "received": _day(c.received), "service": c.service,
            "theme": c.theme, "text": c.text, "version": c.version}


def engagement_json(e: Engagement, *_args) -> dict:
    return {"id": e.pk, "group": e.group, "held": _day(e.held), "kind": e.kind,
            "hours": float(e.hours), "participants": e.participants, "topic": e.topic,
            "actions": _refs(e), "version": e.version}


def you_said_json(y: YouSaid, *_args) -> dict:
    return {"id": y.pk, "said": y.said, "source": y.source, "said_on": _day(y.said_on),
            "did": y.did, "did_on": _day(y.did_on), "status": y.status, "publish": y.publish,
            "actions": _refs(y), "version": y.version}


class _Record(Input):
    """Shared by the voice bodies: every field is optional, so that the form (which pages and
    the API share) says what is missing in its own words; PUT sends only what changes."""

    partnership: int | None = Field(None, description="The partnership's id (POST only; "
                                    "your first one when left out)")
    version: int | None = Field(None, description="The version you read (PUT: required)")


_DAY = "A date: 2025-03-31 or 31/03/2025"


class ComplaintIn(_Record):
    reference: str | None = Field(None, description="A pseudonymous reference, never a name")
    received: str | None = Field(None, description=_DAY)
    channel: str | None = Field(None, description=" or ".join(rules.CHANNELS))
    service: str | None = None
    themes: list[str] | None = Field(None, description="Theme keys: "
                                     + ", ".join(rules.THEMES))
    stage: int | None = Field(None, description="1 or 2")
    outcome: str | None = Field(None, description=" or ".join(rules.OUTCOMES))
    responded: str | None = Field(None, description=_DAY + "; blank while open")


class ComplimentIn(_Record):
    received: str | None = Field(None, description=_DAY)
    service: str | None = None
    theme: str | None = None
    text: str | None = Field(None, description="What was said, with no names")


class EngagementIn(_Record):
    group: str | None = None
    held: str | None = Field(None, description=_DAY)
    kind: str | None = None
    hours: float | str | None = Field(None, description="Hours of engagement, such as 2.5")
    participants: int | str | None = Field(None, description="How many took part")
    topic: str | None = None
    actions: list[str] | None = Field(None, description="Linked plan action refs")


class YouSaidIn(_Record):
    said: str | None = Field(None, description="What families, children or young people said")
    source: str | None = None
    said_on: str | None = Field(None, description=_DAY)
    did: str | None = Field(None, description="What we did (editors only)")
    did_on: str | None = Field(None, description=_DAY)
    status: str | None = None
    publish: bool | None = Field(None, description="Show on the public page")
    actions: list[str] | None = Field(None, description="Linked plan action refs")


BODIES = {"complaints": ComplaintIn, "compliments": ComplimentIn, "engagement": EngagementIn,
          "you-said": YouSaidIn}


SPECS = {
    # path: (model, form, to json, what the refusal says, field names the API sends)
    "complaints": (Complaint, forms.ComplaintForm, complaint_json, "complaints"),
    "compliments": (Compliment, forms.ComplimentForm, compliment_json, "compliments"),
    "engagement": (Engagement, forms.EngagementForm, engagement_json, "engagement records"),
    "you-said": (YouSaid, forms.YouSaidForm, you_said_json, '"you said" items'),
}


def _history(obj) -> list[dict]:
    return [{"at": r.at.isoformat(), "by": r.by, "source": r.source, "field": r.field,
             "old": r.old, "new": r.new} for r in audit.history(obj).order_by("at", "id")]


def _form_data(body: dict) -> dict:
    """JSON as form data: action refs as text, booleans as the checkbox sends them."""
    data = {k: v for k, v in body.items() if k not in ("partnership", "actions")}
    if "actions" in body:
        data["action_refs"] = ", ".join(body["actions"] or [])
    for key, value in list(data.items()):
        if isinstance(value, bool):
            if value:
                data[key] = "on"
            else:
                data.pop(key)
        elif value is None:
            data[key] = ""
    return data


def _initial(obj, form_class) -> dict:
    data = {}
    for name in form_class.Meta.fields:
        value = getattr(obj, name)
        data[name] = value.isoformat() if isinstance(value, dt.date) else value
    if hasattr(obj, "actions"):
        data["actions"] = _refs(obj)
    return data


def _errors(form) -> dict:
    return {("actions" if k == "action_refs" else k): "; ".join(v)
            for k, v in form.errors.items()}


def _list(kind):
    model, _, to_json, _ = SPECS[kind]

    def handler(request, query: Query[ListQuery]):
        items = model.objects.visible_to(request.user).select_related("partnership")
        if query.partnership is not None:
            asked = permissions.partnership_asked(request, query.partnership)
            items = items.filter(partnership=asked)
        if hasattr(model, "actions"):
            items = items.prefetch_related("actions")
        today = dt.date.today()
        return [to_json(i, today) for i in items]
    return handler


def _get(kind):
    model, _, to_json, _ = SPECS[kind]

    def handler(request, record_id: int):
        obj = get_object_or_404(model.objects.visible_to(request.user), pk=record_id)
        return {**to_json(obj), "history": _history(obj)}
    return handler


def _create(kind):
    model, form_class, to_json, what = SPECS[kind]

    def handler(request, body):
        body = body.dict(exclude_unset=True)
        pk = body.get("partnership")
        partnership = permissions.partnership_asked(request, pk if isinstance(pk, int) else None)
        allowed = (permissions.can_add_you_said if kind == "you-said"
                   else permissions.can_edit)(request.user, partnership.pk)
        if not allowed:
            return Status(403, {"detail": f"You may not add {what}."})
        extra = {}
        if kind == "you-said":
            extra["forum_only"] = not permissions.can_edit(request.user, partnership.pk)
        form = form_class(_form_data(body), partnership_id=partnership.pk,
                          instance=model(partnership=partnership), **extra)
        if not form.is_valid():
            return Status(422, {"detail": "Not added", "errors": _errors(form)})
        obj = form.save(commit=False)
        obj.partnership = partnership
        actions.create(obj=obj, by=request.user, source="api",
                       links=form.linked if form.links_field else None)
        return Status(201, to_json(obj))
    handler.__annotations__["body"] = BODIES[kind]
    return handler


def _update(kind):
    model, form_class, to_json, what = SPECS[kind]

    def handler(request, record_id: int, body):
        body = body.dict(exclude_unset=True)
        obj = get_object_or_404(model.objects.visible_to(request.user)
                                .select_related("partnership"), pk=record_id)
        if not permissions.can_edit(request.user, obj.partnership_id):
            return Status(403, {"detail": f"Only programme managers and administrators edit "
                                          f"{what}."})
        if not isinstance(body.get("version"), int):
            return Status(422, {"detail": "Not saved", "errors": {
                "version": "Send the version you read"}})
        data = _form_data({**_initial(obj, form_class), **body})
        form = form_class(data, partnership_id=obj.partnership_id, instance=obj)
        if not form.is_valid():
            return Status(422, {"detail": "Not saved", "errors": _errors(form)})
        try:
            changes = actions.update(obj=form.instance, fields=list(form_class.Meta.fields),
                                     expected_version=body["version"],
                                     by=request.user, source="api",
                                     links=form.linked if form.links_field else None)
        except EditConflict as conflict:
            return Status(409, {"detail": str(conflict), "current": to_json(conflict.current)})
        fresh = model.objects.get(pk=obj.pk)
        return Status(200, {**to_json(fresh), "changed": [n for n, _, _ in changes]})
    handler.__annotations__["body"] = BODIES[kind]
    return handler


for _path, _spec in SPECS.items():
    _name = _path.replace("-", "_")
    router.add_api_operation(f"/{_path}", ["GET"], _list(_path),
                             summary=f"The {_spec[3]} you may see", url_name=f"{_name}_list",
                             operation_id=f"voice_{_name}_list")
    router.add_api_operation(f"/{_path}", ["POST"], _create(_path), response=ANSWERS,
                             summary=f"Add one of the {_spec[3]}", url_name=f"{_name}_new",
                             operation_id=f"voice_{_name}_create")
    router.add_api_operation(f"/{_path}/{{record_id}}", ["GET"], _get(_path),
                             summary="One record with its history", url_name=f"{_name}_one",
                             operation_id=f"voice_{_name}_get")
    router.add_api_operation(f"/{_path}/{{record_id}}", ["PUT"], _update(_path),
                             response=ANSWERS, summary="Edit: send the fields to change and "
                             "the version you read", url_name=f"{_name}_edit",
                             operation_id=f"voice_{_name}_update")


# ---------------------------------------------------------------------------------------------
# Surveys, figures, standards, the public list
# ---------------------------------------------------------------------------------------------

def survey_json(survey: Survey, *, free_text: bool) -> dict:
    return {
        "id": survey.pk, "title": survey.title, "audience": survey.audience,
        "period": survey.period, "run_by": survey.run_by,
        "responses": survey.responses.count(),
        "questions": [{
            "id": q.pk, "number": q.number, "text": q.text, "kind": q.kind,
            "indicator_name": q.indicator_name, "answered": r.answered, "blank": r.blank,
            "headline": r.headline,
            "counts": [{"answer": c.answer, "count": c.count, "pct": c.pct}
                       for c in r.counts],
            **({"free_text": free} if free_text and q.kind == "free_text" else {}),
        } for q, r, free in queries.survey_results(survey)],
    }


@router.get("/surveys", summary="Surveys you may see, with results")
def list_surveys(request, query: Query[ListQuery]):
    surveys = Survey.objects.visible_to(request.user)
    if query.partnership is not None:
        asked = permissions.partnership_asked(request, query.partnership)
        surveys = surveys.filter(partnership=asked)
    return [survey_json(s, free_text=False) for s in surveys]


@router.get("/surveys/{survey_id}", summary="A survey's results (free text for editors)")
def get_survey(request, survey_id: int):
    survey = get_object_or_404(Survey.objects.visible_to(request.user), pk=survey_id)
    return {**survey_json(survey, free_text=permissions.can_edit(request.user,
                                                                 survey.partnership_id)),
            "history": _history(survey)}


class IndicatorIn(Input):
    indicator_name: str = Field("", max_length=200)


@router.put("/questions/{question_id}", response=ANSWERS,
            summary="Name a question as a scorecard indicator (blank to stop)")
def set_indicator(request, question_id: int, body: IndicatorIn):
    question = get_object_or_404(Question.objects.select_related("survey"), pk=question_id,
                                 survey__in=Survey.objects.visible_to(request.user))
    if not permissions.can_edit(request.user, question.survey.partnership_id):
        return Status(403, {"detail": "Only programme managers and administrators choose "
                                      "survey indicators."})
    form = forms.IndicatorForm({"indicator_name": body.indicator_name}, instance=question)
    if not form.is_valid():
        return Status(422, {"detail": "Not saved", "errors": _errors(form)})
    actions.set_indicator(question=question, name=form.cleaned_data["indicator_name"],
                          by=request.user, source="api")
    return Status(200, {"id": question.pk, "indicator_name": question.indicator_name})


@router.get("/summary", summary="Complaint themes by quarter, timeliness, engagement totals")
def summary(request, query: Query[ListQuery]):
    partnership = permissions.partnership_asked(request, query.partnership)
    today = dt.date.today()
    complaints = queries.complaints(partnership)
    table = queries.theme_table(complaints)
    return {
        "partnership": partnership.name,
        "quarters": table.quarters,
        "themes": {t: dict(zip(table.quarters, table.row(t), strict=True))
                   for t in table.themes},
        "complaints_per_quarter": table.totals,
        "within_standard": {q.quarter: {"counted": q.counted, "within": q.within,
                                        "pct": q.pct}
                            for q in queries.timeliness_by_quarter(partnership, complaints,
                                                                   today)},
        "engagement": {q.quarter: {"sessions": q.sessions, "meetings": q.meetings,
                                   "hours": float(q.hours), "participants": q.participants}
                       for q in queries.engagement_by_quarter(
                           queries.engagements(partnership))},
    }


class StandardsIn(Input):
    partnership: int | None = None
    stage_1_working_days: int = Field(..., ge=1, le=365)
    stage_2_working_days: int = Field(..., ge=1, le=365)


@router.get("/standards", summary="The complaint response standards, in working days")
def get_standards(request, query: Query[ListQuery]):
    partnership = permissions.partnership_asked(request, query.partnership)
    found = actions.settings_for(partnership)
    return {"stage_1_working_days": found.stage_1_working_days,
            "stage_2_working_days": found.stage_2_working_days,
            "bank_holidays": rules.BANK_HOLIDAYS_SOURCE}


@router.put("/standards", response=ANSWERS, summary="Set the response standards (editors)")
def put_standards(request, body: StandardsIn):
    partnership = permissions.partnership_asked(request, body.partnership)
    if not permissions.can_edit(request.user, partnership.pk):
        return Status(403, {"detail": "Only programme managers and administrators set the "
                                      "standards."})
    found = actions.set_standards(partnership=partnership, stage_1=body.stage_1_working_days,
                                  stage_2=body.stage_2_working_days,
                                  by=request.user, source="api")
    return Status(200, {"stage_1_working_days": found.stage_1_working_days,
                        "stage_2_working_days": found.stage_2_working_days})


@router.get("/public/{partnership_id}", auth=None,
            summary="The public 'you said, we did' list: no names, no count below 5")
def public_list(request, partnership_id: int):
    partnership = get_object_or_404(Partnership, pk=partnership_id, public=True)
    items = list(YouSaid.objects.filter(partnership=partnership, publish=True)
                 .prefetch_related("actions").order_by("-said_on", "pk"))
    return {"partnership": partnership.name, "items_shown": public_count(len(items)),
            "items": [{"said": y.said, "said_in": f"{y.said_on:%B %Y}", "did": y.did,
                       "status": y.get_status_display(), "actions": _refs(y)}
                      for y in items]}
