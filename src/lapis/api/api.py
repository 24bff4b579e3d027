"""The JSON API, with its OpenAPI document at /api/openapi.json and docs at /api/docs.

Signed-in sessions only for now; every query goes through `.visible_to(user)`.
"""

from __future__ import annotations

import datetime as dt

from django.shortcuts import get_object_or_404
from ninja import NinjaAPI, Query, Schema
from ninja.security import django_auth

from lapis import audit
from lapis.plans import exporting
from lapis.plans.models import Action, Plan
from lapis.plans.queries import drift_by_ref

api = NinjaAPI(
    title="LAPIS API",
    version="1",
    description="The improvement plan register of a SEND local area partnership.",
    auth=django_auth,
)
api.add_router("/boards", "lapis.governance.api.router")
api.add_router("/risks", "lapis.risks.api.router")
api.add_router("/timeline", "lapis.timeline.api.router")


class PlanSummary(Schema):
    id: int
    name: str
    partnership: str
    scale: str
    actions: int


class DriftQuery(Schema):
    as_of: dt.date | None = None
    stale_days: int = 90
    soon_days: int = 30


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


@api.get("/plans/{plan_id}/actions/{ref}", tags=["plans"])
def get_action(request, plan_id: int, ref: str):
    action = get_object_or_404(
        exporting.plan_actions(get_object_or_404(Plan.objects.visible_to(request.user),
                                                 pk=plan_id)), ref=ref)
    data = exporting.action_json(action)
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
