"""The JSON API, with its OpenAPI document at /api/openapi.json and docs at /api/docs.

Signed-in sessions only for now; every query goes through `.visible_to(user)`.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Field, NinjaAPI, Query, Schema
from ninja.errors import HttpError
from ninja.responses import Status
from ninja.security import django_auth
from pydantic import BaseModel, ConfigDict, field_validator

from lapis.api import edges
from lapis.core import exporting as history
from lapis.core import history as audit
from lapis.core.concurrency import Conflict, EditConflict
from lapis.core.dates import PartialDate
from lapis.core.errors import CellError
from lapis.core.inputs import Input, InputError, PlausibleDate, plausible_date
from lapis.core.models import ChangeRecord
from lapis.partnership import permissions
from lapis.partnership.models import Board, Person
from lapis.partnership.permissions import visible_ids
from lapis.plans import actions, changes, exporting
from lapis.plans.models import Action, ChangeRequest, Plan
from lapis.plans.queries import drift_by_ref, plan_rollup

api = NinjaAPI(
    title="LAPIS API",
    version="1",
    description="The improvement plan register of a SEND local area partnership.",
    auth=django_auth,
)
edges.install(api)
api.add_router("/boards", "lapis.governance.api.router")
api.add_router("/risks", "lapis.risks.api.router")
api.add_router("/timeline", "lapis.timeline.api.router")
api.add_router("/scorecard", "lapis.scorecard.api.router")
api.add_router("/inclusion", "lapis.inclusion.api.router")
api.add_router("/cases", "lapis.cases.api.router")
api.add_router("/sef", "lapis.sef.api.router")
api.add_router("/board-packs", "lapis.boardpacks.api.router")
api.add_router("/quality/reports", "lapis.quality.report_api.router")
api.add_router("/quality", "lapis.quality.api.router")
api.add_router("/voice", "lapis.voice.api.router")


class PlanSummary(Schema):
    id: int
    name: str
    partnership: str
    scale: str
    actions: int


class DriftQuery(Input):
    as_of: PlausibleDate | None = None
    stale_days: int = Field(90, ge=0, le=3650)
    soon_days: int = Field(30, ge=0, le=3650)


@api.get("/plans", response=list[PlanSummary], tags=["plans"])
def list_plans(request):
    plans = Plan.objects.visible_to(request.user).select_related("partnership", "scale")
    return [
        {"id": p.pk, "name": p.name, "partnership": p.partnership.name, "scale": p.scale.name,
         "actions": p.actions.count()}
        for p in plans
    ]


@api.get("/plans/{plan_id}", tags=["plans"], summary="A plan and all its actions, as "
         "`lapis export_plan --format json` writes it")
def get_plan(request, plan_id: int):
    plan = get_object_or_404(Plan.objects.visible_to(request.user), pk=plan_id)
    return exporting.plan_json(plan)


class _Open(BaseModel):
    """A documented part of an answer whose other keys pass through unchanged (a plain
    pydantic model: ninja's Schema reads only the fields it declares)."""

    model_config = ConfigDict(extra="allow")


class ActionOut(_Open):
    """An action as `lapis export_plan --format json` writes it, with its history."""

    version: int = Field(..., description="The version to send back with an edit (PATCH); "
                         "an edit from an older version is refused with 409")
    history: list[dict]


class SavedAction(_Open):
    """The action as saved now, in the shape of GET .../actions/{ref}, without history."""

    version: int = Field(..., description="The version saved now")


class EditConflictOut(Schema):
    detail: str
    current: SavedAction = Field(..., description="The action as someone else saved it")
    yours: dict = Field(..., description="Your edit, refused: the `version` you sent and "
                        "the fields you sent")


class DecisionOut(_Open):
    """The request as `lapis export_changes --format json` lists it, with its `pk`."""

    pk: int


class DecisionConflictOut(Schema):
    detail: str = Field(..., description="Why the decision was refused, for example "
                        "\"CR-3 was already approved\"")
    errors: dict[str, str]
    current: DecisionOut = Field(..., description="The request as now decided")


@api.get("/plans/{plan_id}/actions/{ref}", tags=["plans"], response={200: ActionOut})
def get_action(request, plan_id: int, ref: str):
    action = get_object_or_404(
        exporting.plan_actions(get_object_or_404(Plan.objects.visible_to(request.user),
                                                 pk=plan_id)), ref=ref)
    data = exporting.action_json(action)
    data["version"] = action.version
    data["history"] = [
        {"at": r.at.isoformat(), "by": r.by, "source": r.source, "field": r.field,
         "old": r.old, "new": r.new}
        for r in audit.history(action)
    ]
    return data


@api.get("/plans/{plan_id}/drift", tags=["drift"], summary="Flagged actions, as `lapis drift "
         "--format json` prints them")
def get_drift(request, plan_id: int, query: Query[DriftQuery]):
    plan = get_object_or_404(Plan.objects.visible_to(request.user), pk=plan_id)
    actions = list(Action.objects.visible_to(request.user).filter(plan=plan)
                   .select_related("status", "sro").prefetch_related("lead_links")
                   .order_by("ref_key"))
    flagged = drift_by_ref(actions, as_of=query.as_of or dt.date.today(),
                           stale_days=query.stale_days, soon_days=query.soon_days)
    return [item.as_json() for item in flagged.values()]


@api.exception_handler(PermissionDenied)
def _refused(request, error):
    return api.create_response(request, {"detail": str(error) or "Forbidden"}, status=403)


@api.exception_handler(actions.Invalid)
def _invalid(request, error):
    return api.create_response(request, {"detail": "invalid", "errors": error.errors},
                               status=422)


def _saved(action: Action) -> dict:
    saved = exporting.plan_actions(action.plan).get(pk=action.pk)
    return exporting.action_json(saved) | {"version": saved.version}


@api.exception_handler(EditConflict)
def _conflict(request, error):
    return api.create_response(request, {
        "detail": str(error), "current": _saved(error.current),
        "yours": {"version": error.expected}}, status=409)


@api.exception_handler(Conflict)
def _moved_on(request, error):
    return api.create_response(request, {"detail": str(error), "errors": error.errors},
                               status=409)


def _action(request, plan_id: int, ref: str) -> Action:
    plan = get_object_or_404(Plan.objects.visible_to(request.user), pk=plan_id)
    return get_object_or_404(Action.objects.select_related("plan", "status", "sro"),
                             plan=plan, ref=ref)


class ProgressIn(Input):
    text: str
    status: str | None = None
    reason: str = ""
    date: dt.date | None = None


@api.post("/plans/{plan_id}/actions/{ref}/progress", tags=["updates"], response={201: dict},
          summary="Add a progress update (leads of the action and programme managers)")
def post_progress(request, plan_id: int, ref: str, payload: ProgressIn):
    action = _action(request, plan_id, ref)
    status = None
    if payload.status:
        status = action.plan.scale.match(payload.status)
        if status is None:
            raise actions.Invalid({"status": f"unknown status {payload.status!r}"})
    entry = actions.add_progress(action=action, by=request.user, text=payload.text,
                                 status=status, reason=payload.reason, on=payload.date,
                                 source="api")
    return Status(201, {"date": entry.date.isoformat(), "text": entry.text,
                        "status": action.status.label if action.status else None})


class ActionEdit(Input):
    version: int
    description: str | None = None
    pillar: str | None = None
    outcomes: str | None = None
    impact_measures: str | None = None
    dependencies: str | None = None
    sro: str | None = None

    @field_validator("description")
    @classmethod
    def _described(cls, value):
        # Only sro may be cleared with null; the description may not be cleared at all.
        if not value:
            raise ValueError("Enter what the action will do")
        return value

    @field_validator("pillar", "outcomes", "impact_measures", "dependencies")
    @classmethod
    def _text(cls, value):
        if value is None:
            raise ValueError("Send text (an empty string clears it), not null")
        return value


@api.patch("/plans/{plan_id}/actions/{ref}", tags=["plans"],
           response={200: dict, 409: EditConflictOut},
           summary="Edit an action's details (programme managers); 409 when `version` is stale")
def patch_action(request, plan_id: int, ref: str, payload: ActionEdit):
    action = _action(request, plan_id, ref)
    values = payload.dict(exclude_unset=True)
    sent = dict(values)
    version = values.pop("version")
    if "sro" in values:
        name = values["sro"]
        values["sro"] = Person.objects.filter(partnership_id=action.plan.partnership_id,
                                              name__iexact=name).first() if name else None
        if name and values["sro"] is None:
            raise actions.Invalid({"sro": f"no person called {name!r}"})
    try:
        changed = actions.edit_action(action=action, by=request.user, version=version,
                                      source="api", **values)
    except EditConflict as error:
        # Both versions, as the edit page shows them: the saved action and the edit refused.
        return Status(409, {"detail": str(error), "current": _saved(error.current),
                            "yours": sent})
    return {"version": action.version, "changed": [name for name, _, _ in changed]}


class ChangeRequestIn(Input):
    kind: str
    reason: str
    board: str
    evidence: str = ""
    due: str | None = None
    text: str = ""
    owner: str | None = None


@api.post("/plans/{plan_id}/actions/{ref}/change-requests", tags=["change control"],
          response={201: dict})
def post_change_request(request, plan_id: int, ref: str, payload: ChangeRequestIn):
    action = _action(request, plan_id, ref)
    pid = action.plan.partnership_id
    board = Board.objects.filter(partnership_id=pid, name__iexact=payload.board).first()
    owner = (Person.objects.filter(partnership_id=pid, name__iexact=payload.owner).first()
             if payload.owner else None)
    try:
        due = PartialDate.from_iso(payload.due) if payload.due else None
        if due:
            plausible_date(due.value, field="due date")
    except (CellError, InputError) as error:
        raise actions.Invalid({"due": str(error)}) from error
    created = actions.raise_change_request(
        action=action, by=request.user, kind=payload.kind, reason=payload.reason, board=board,
        evidence=payload.evidence, new_due=due, new_text=payload.text, new_owner=owner,
        source="api")
    return Status(201, changes.row(created) | {"pk": created.pk})


@api.get("/plans/{plan_id}/change-requests", tags=["change control"],
         summary="The change-control register, as `lapis export_changes --format json`")
def list_change_requests(request, plan_id: int):
    plan = get_object_or_404(Plan.objects.visible_to(request.user), pk=plan_id)
    return [changes.row(r) | {"pk": r.pk}
            for r in changes.register(plan, ChangeRequest.objects.visible_to(request.user))]


class DecisionIn(Input):
    approve: bool
    date: dt.date | None = None
    note: str = ""


@api.post("/change-requests/{pk}/decision", tags=["change control"],
          response={200: DecisionOut, 409: DecisionConflictOut},
          summary="A board member records the board's decision; approval applies the change. "
          "409 when the request was decided already (by someone else a moment before)")
def post_decision(request, pk: int, payload: DecisionIn):
    change = get_object_or_404(
        ChangeRequest.objects.visible_to(request.user).select_related("action__plan", "board"),
        pk=pk)
    try:
        actions.decide(request=change, by=request.user, approve=payload.approve,
                       on=payload.date, note=payload.note, source="api")
    except Conflict as error:
        return Status(409, {"detail": str(error), "errors": error.errors,
                            "current": changes.row(change) | {"pk": change.pk}})
    return changes.row(change) | {"pk": change.pk}


@api.get("/plans/{plan_id}/rollup", tags=["plans"],
         summary="Counts by status family, % complete, overdue and realised-on-time, "
         "per priority and for the plan")
def get_rollup(request, plan_id: int, as_of: PlausibleDate | None = None):
    plan = get_object_or_404(Plan.objects.visible_to(request.user), pk=plan_id)
    actions = list(Action.objects.visible_to(request.user).filter(plan=plan)
                   .select_related("status", "priority")
                   .prefetch_related("progress__status_to").order_by("ref_key"))
    rows, total = plan_rollup(actions, as_of=as_of or dt.date.today())
    return {"priorities": [r.as_json() for r in rows], "plan": total.as_json()}


@api.get("/history", tags=["history"], summary="Changes (who, when, what, from, to) in the "
         "partnerships you belong to, newest first; filter by record kind, ref or date")
def get_history(request, record: str | None = None, ref: str | None = None,
                since: PlausibleDate | None = None, limit: int = 500):
    if limit < 0:
        raise HttpError(422, "limit must be 0 or more")
    records = ChangeRecord.objects.filter(partnership_id__in=visible_ids(request.user))
    if record:
        records = records.filter(model__iexact=record)
    if ref:
        records = records.filter(object_ref=ref)
    if since:
        records = records.filter(at__date__gte=since)
    records = list(records.order_by("-at", "-id")[:min(limit, 5000)])
    allowed = {pid: permissions.sees_case_ids(request.user, pid)
               for pid in {r.partnership_id for r in records}}
    return [history.row(r, case_ids=allowed[r.partnership_id]) for r in records]
