"""The timeline and milestones in JSON. Reads go through `.visible_to(user)`; writes ask
`lapis.timeline.access` and answer 403, 400 for bad input and 409 for a stale version."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Status

from lapis.core import history as audit
from lapis.core.concurrency import EditConflict
from lapis.core.dates import PartialDate
from lapis.core.errors import CellError
from lapis.core.inputs import Input
from lapis.plans.models import Action, Plan
from lapis.timeline import access, actions, queries, rules
from lapis.timeline.models import Milestone

router = Router(tags=["timeline"])


class TimelineQuery(Input):
    by: str = Field("month", description="month or term")
    first: str = Field("", alias="from", description="first month, YYYY-MM")
    to: str = Field("", description="last month, YYYY-MM")
    priority: int | None = None
    as_of: dt.date | None = Field(None, description="status as of this day (default today)")


class MilestoneIn(Input):
    plan: int = Field(description="the plan's id")
    action: str | None = Field(None, description="the action's ref, such as 4.6")
    priority: int | None = Field(None, description="the priority number, for a milestone of "
                                 "a whole priority (give action or priority, not both)")
    title: str
    planned: str = Field(description="YYYY-MM-DD, or YYYY-MM for a month")
    current: str | None = Field(None, description="YYYY-MM-DD or YYYY-MM; default: planned")
    completed_on: dt.date | None = None


class MilestoneUpdate(MilestoneIn):
    version: int = Field(description="the version you read; a stale one is refused with 409")


class ListQuery(Input):
    plan: int | None = None
    action: int | None = Field(None, description="the action's id")


def milestone_json(milestone: Milestone) -> dict:
    action = milestone.action
    return {
        "id": milestone.pk,
        "plan_id": milestone.plan_id,
        "action": action.ref if action else None,
        "action_id": milestone.action_id,
        "priority": action.priority.number if action else milestone.priority.number,
        "title": milestone.title,
        "planned": milestone.planned.iso(),
        "current": milestone.current.iso(),
        "completed_on": milestone.completed_on.isoformat() if milestone.completed_on else None,
        "slippage_days": rules.slippage_days(milestone.planned, milestone.current),
        "slippage": rules.describe_slippage(milestone.planned, milestone.current),
        "version": milestone.version,
    }


def _visible(request):
    return (Milestone.objects.visible_to(request.user)
            .select_related("plan", "action__priority", "action__plan", "priority"))


@router.get("/plans/{plan_id}", summary="The timeline of a plan, as `lapis timeline --format "
            "json` prints it", response={200: dict, 400: dict})
def get_timeline(request, plan_id: int, query: Query[TimelineQuery]):
    plan = get_object_or_404(Plan.objects.visible_to(request.user), pk=plan_id)
    as_of = query.as_of or dt.date.today()
    by, first, last, errors = rules.read_range(query.by, query.first, query.to, as_of)
    if errors:
        return Status(400, {"detail": "; ".join(errors.values()), "errors": errors})
    return queries.timeline(plan, request.user, by=by, first=first, last=last, as_of=as_of,
                            priority=query.priority).as_json()


@router.get("/milestones", summary="Milestones you can see, in date order")
def list_milestones(request, query: Query[ListQuery]):
    found = _visible(request)
    if query.plan is not None:
        found = found.filter(plan_id=query.plan)
    if query.action is not None:
        found = found.filter(action_id=query.action)
    return [milestone_json(m) for m in found]


@router.get("/milestones/{milestone_id}", summary="A milestone and its history")
def get_milestone(request, milestone_id: int):
    milestone = get_object_or_404(_visible(request), pk=milestone_id)
    return {**milestone_json(milestone), "history": [
        {"at": r.at.isoformat(), "by": r.by, "source": r.source, "field": r.field,
         "old": r.old, "new": r.new} for r in audit.history(milestone)]}


class _Bad(Exception):
    def __init__(self, errors: dict):
        self.errors = errors


def _resolve(request, body: MilestoneIn) -> dict:
    """The body's plan, action, priority and dates; 404 for a plan not visible, _Bad else."""
    plan = get_object_or_404(Plan.objects.visible_to(request.user), pk=body.plan)
    errors, values = {}, {"title": body.title, "completed_on": body.completed_on}
    values["action"] = values["priority"] = None
    if body.action:
        values["action"] = (Action.objects.filter(plan=plan, ref__iexact=body.action.strip())
                            .select_related("plan", "priority").first())
        if values["action"] is None:
            errors["action"] = [f"there is no action {body.action} in plan '{plan.name}'"]
    if body.priority is not None:
        values["priority"] = plan.priorities.filter(number=body.priority).first()
        if values["priority"] is None:
            errors["priority"] = [f"there is no priority {body.priority} in plan '{plan.name}'"]
    for name in ("planned", "current"):
        text = getattr(body, name)
        if not text:
            values[name] = None
            continue
        try:
            partial = PartialDate.from_iso(text)
        except CellError as error:
            errors[name] = [str(error)]
        else:
            values[name] = rules.When(partial.value, partial.precision)
    if errors:
        raise _Bad(errors)
    if values["planned"] is None:
        raise _Bad({"planned": ["give the planned date"]})
    return {"plan": plan, **values}


def _bad(errors: dict) -> Status:
    return Status(400, {"detail": "; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()),
                        "errors": errors})


@router.post("/milestones", response={201: dict, 400: dict, 403: dict},
             summary="Add a milestone (editors; leads for the actions they lead)")
def create_milestone(request, body: MilestoneIn):
    try:
        values = _resolve(request, body)
    except _Bad as bad:
        return _bad(bad.errors)
    plan, action = values.pop("plan"), values["action"]
    allowed = access.can_edit_plan(request.user, plan) or (
        action is not None and values["priority"] is None
        and access.can_add_for_action(request.user, action))
    if not allowed:
        return Status(403, {"detail": "You cannot add this milestone."})
    try:
        milestone = actions.create_milestone(plan=plan, by=request.user,
                                             source="api", **values)
    except ValidationError as error:
        return _bad(error.message_dict)
    return Status(201, milestone_json(milestone))


@router.put("/milestones/{milestone_id}", response={200: dict, 400: dict, 403: dict, 409: dict},
            summary="Change a milestone; give the version you read")
def update_milestone(request, milestone_id: int, body: MilestoneUpdate):
    milestone = get_object_or_404(_visible(request), pk=milestone_id)
    if not access.can_change(request.user, milestone):
        return Status(403, {"detail": "You cannot change this milestone."})
    try:
        values = _resolve(request, body)
    except _Bad as bad:
        return _bad(bad.errors)
    if values.pop("plan").pk != milestone.plan_id:
        return _bad({"plan": ["a milestone cannot move to another plan"]})
    if not access.can_edit_plan(request.user, milestone.plan) and (
            values["action"] != milestone.action or values["priority"] is not None):
        return Status(403, {"detail": "You can change the milestones of your own action, "
                                      "not move them to another action or priority."})
    try:
        actions.update_milestone(milestone=milestone, expected_version=body.version,
                                 by=request.user, source="api", **values)
    except ValidationError as error:
        return _bad(error.message_dict)
    except EditConflict as conflict:
        return Status(409, {"detail": str(conflict),
                            "current": milestone_json(conflict.current)})
    return Status(200, milestone_json(milestone))
