"""The risk register over JSON: reads scoped by `visible_to`, writes for editors only.

A risk is the shape `lapis export_risks --format json` writes. PUT carries the `version` it
read; a stale version is refused with 409 and the saved risk, so nothing is overwritten.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Status

from lapis.core import history as audit
from lapis.core.concurrency import EditConflict
from lapis.core.inputs import Input
from lapis.partnership import permissions
from lapis.partnership.models import Person
from lapis.risks import actions, exporting, rules
from lapis.risks.models import Risk

router = Router(tags=["risks"])

Level = Field(..., ge=1, le=5)
ANSWERS = {200: dict, 201: dict, 403: dict, 404: dict, 409: dict, 422: dict}


class RiskIn(Input):
    code: str = Field(..., max_length=20)
    title: str = Field(..., max_length=200)
    description: str = ""
    owner: str | None = Field(None, description="A person's name in the partnership")
    inherent_likelihood: int = Level
    inherent_impact: int = Level
    residual_likelihood: int = Level
    residual_impact: int = Level
    response: Literal["tolerate", "treat", "transfer", "terminate"]
    trend: Literal["rising", "stable", "falling"] = "stable"
    review_date: dt.date | None = None
    actions: list[str] = Field(default_factory=list, description='Action refs, ["4.6"]')
    measures: str = ""
    status: Literal["open", "closed"] = "open"


class RiskCreate(RiskIn):
    partnership: int


class RiskUpdate(RiskIn):
    version: int = Field(..., description="The version you read; 409 if it has moved on")


class ListQuery(Input):
    partnership: int | None = None


class HeatmapQuery(Input):
    partnership: int | None = None
    kind: Literal["inherent", "residual"] = "residual"


def _risks(request):
    return Risk.objects.visible_to(request.user).select_related("owner").prefetch_related(
        "actions").order_by("partnership_id", "code_key")


@router.get("", summary="Risks you may see, or one partnership's with ?partnership=ID")
def list_risks(request, query: Query[ListQuery]):
    risks = _risks(request)
    if query.partnership is not None:
        risks = risks.filter(partnership=permissions.partnership_asked(request, query.partnership))
    today = dt.date.today()
    return [exporting.risk_json(r, today) for r in risks]


@router.get("/heatmap", summary="Open risks counted by likelihood and impact (5x5)")
def heatmap(request, query: Query[HeatmapQuery]):
    partnership = permissions.partnership_asked(request, query.partnership)
    risks = [r for r in _risks(request).filter(partnership=partnership) if not r.closed]
    pairs = [(r.residual_likelihood, r.residual_impact) if query.kind == "residual"
             else (r.inherent_likelihood, r.inherent_impact) for r in risks]
    grid = rules.heat_map(pairs)
    return {
        "partnership": partnership.name,
        "kind": query.kind,
        "total": grid.total,
        "by_rating": {rules.BANDS_BY_KEY[k].label: n for k, n in grid.by_band().items()},
        "rows": [{"impact": row.impact, "cells": [
            {"likelihood": c.likelihood, "impact": c.impact, "count": c.count,
             "score": c.score, "rating": c.band.label} for c in row.cells]}
            for row in grid.rows],
    }


@router.get("/{risk_id}")
def get_risk(request, risk_id: int):
    risk = get_object_or_404(_risks(request), pk=risk_id)
    data = exporting.risk_json(risk)
    data["history"] = [
        {"at": r.at.isoformat(), "by": r.by, "source": r.source, "field": r.field,
         "old": r.old, "new": r.new}
        for r in audit.history(risk)
    ]
    return data


def _input(partnership_id: int, body: RiskIn) -> actions.RiskInput | dict:
    """The write's input with names resolved, or a dict of errors."""
    errors = {}
    owner = None
    if body.owner:
        owner = Person.objects.filter(partnership_id=partnership_id,
                                      name__iexact=body.owner.strip()).first()
        if owner is None:
            errors["owner"] = f"no one called {body.owner!r} in this partnership"
    linked, missing = actions.resolve_refs(partnership_id, body.actions)
    if missing:
        errors["actions"] = "; ".join(missing)
    if errors:
        return errors
    return actions.RiskInput(
        code=body.code, title=body.title, description=body.description, owner=owner,
        inherent_likelihood=body.inherent_likelihood, inherent_impact=body.inherent_impact,
        residual_likelihood=body.residual_likelihood, residual_impact=body.residual_impact,
        response=body.response, trend=body.trend, review_date=body.review_date,
        measures=body.measures, status=body.status, actions=linked)


def _refused(message):
    return Status(403, {"detail": message})


@router.post("", response=ANSWERS, summary="Add a risk (programme managers and administrators)")
def create_risk(request, body: RiskCreate):
    partnership = permissions.partnership_asked(request, body.partnership)
    if not permissions.can_edit(request.user, partnership.pk):
        return _refused("Only programme managers and administrators add risks.")
    data = _input(partnership.pk, body)
    if isinstance(data, dict):
        return Status(422, {"detail": "The risk was not added", "errors": data})
    try:
        risk = actions.create_risk(partnership=partnership, data=data,
                                   by=request.user, source="api")
    except actions.RiskInvalid as invalid:
        return Status(422, {"detail": "The risk was not added", "errors": invalid.errors})
    return Status(201, exporting.risk_json(risk))


@router.put("/{risk_id}", response=ANSWERS, summary="Edit a risk; send the version you read")
def update_risk(request, risk_id: int, body: RiskUpdate):
    risk = get_object_or_404(_risks(request), pk=risk_id)
    if not permissions.can_edit(request.user, risk.partnership_id):
        return _refused("Only programme managers and administrators edit risks.")
    data = _input(risk.partnership_id, body)
    if isinstance(data, dict):
        return Status(422, {"detail": "The risk was not saved", "errors": data})
    try:
        changes = actions.update_risk(risk=risk, data=data, expected_version=body.version,
                                      by=request.user, source="api")
    except actions.RiskInvalid as invalid:
        return Status(422, {"detail": "The risk was not saved", "errors": invalid.errors})
    except EditConflict as conflict:
        return Status(409, {"detail": str(conflict),
                            "current": exporting.risk_json(conflict.current)})
    risk = _risks(request).get(pk=risk.pk)
    return Status(200, {**exporting.risk_json(risk),
                        "changed": [name for name, _, _ in changes]})
