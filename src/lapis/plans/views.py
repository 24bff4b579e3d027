"""The register, action and drift pages: thin shells around queries and the pure rules."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from lapis.core import history as audit
from lapis.partnership import permissions
from lapis.plans import drift, panels
from lapis.plans.models import Action, Plan
from lapis.plans.queries import drift_by_ref

FLAG_LABELS = {
    "overdue": "Overdue",
    "due_soon": "Due within 30 days",
    "stale": "Not reviewed recently",
    "incomplete": "Incomplete",
    "slipped": "Slipped",
}


def _plan(request) -> Plan | None:
    plans = Plan.objects.visible_to(request.user).select_related("scale", "partnership")
    wanted = request.GET.get("plan", "")
    if wanted:
        if not wanted.isdigit():
            raise Http404("No such plan")
        return get_object_or_404(plans, pk=int(wanted))
    return plans.first()


def _int(value, default: int, low: int = 0, high: int = 3650) -> int:
    try:
        return min(max(int(value), low), high)
    except (TypeError, ValueError):
        return default


def _as_of(request) -> dt.date:
    try:
        return dt.date.fromisoformat(request.GET.get("as_of", ""))
    except ValueError:
        return dt.date.today()


def _actions(plan: Plan, user) -> list[Action]:
    return list(
        Action.objects.visible_to(user).filter(plan=plan)
        .select_related("priority", "objective", "status", "sro")
        .prefetch_related("lead_links__person", "board_links__board", "progress__status_to")
        .order_by("ref_key")
    )


def register(request):
    plan = _plan(request)
    if plan is None:
        return render(request, "plans/no_plan.html")
    actions = _actions(plan, request.user)
    as_of = dt.date.today()
    flagged = drift_by_ref(actions, as_of=as_of)
    statuses = list(plan.scale.statuses.all())
    priorities = list(plan.priorities.all())
    people = sorted({p for a in actions for p in [a.sro, *a.ordered_leads()] if p},
                    key=lambda p: p.name)
    boards = sorted({b for a in actions for b in a.ordered_boards()}, key=lambda b: b.name)
    chosen = {key: request.GET.get(key, "") for key in
              ("priority", "status", "sro", "lead", "board", "flag")}

    def keep(action: Action) -> bool:
        flags = flagged[action.ref].flags if action.ref in flagged else []
        return all([
            not chosen["priority"] or str(action.priority.number) == chosen["priority"],
            not chosen["status"] or str(action.status_id or "none") == chosen["status"],
            not chosen["sro"] or str(action.sro_id) == chosen["sro"],
            not chosen["lead"] or chosen["lead"] in {str(p.pk) for p in action.ordered_leads()},
            not chosen["board"] or chosen["board"] in {str(b.pk) for b in action.ordered_boards()},
            not chosen["flag"] or chosen["flag"] in flags,
        ])

    shown = [a for a in actions if keep(a)]
    challenged = panels.challenges(actions, user=request.user, partnership=plan.partnership)
    counts = Counter((a.priority_id, a.status_id) for a in actions)
    summary = [
        {"priority": p,
         "cells": [counts[(p.pk, s.pk)] for s in statuses] + [counts[(p.pk, None)]],
         "total": sum(1 for a in actions if a.priority_id == p.pk)}
        for p in priorities
    ]
    return render(request, "plans/register.html", {
        "plan": plan,
        "plans": Plan.objects.visible_to(request.user),
        "rows": [(a, flagged.get(a.ref), challenged.get(a.pk, [])) for a in shown],
        "total": len(actions),
        "statuses": statuses,
        "priorities": priorities,
        "people": people,
        "boards": boards,
        "chosen": chosen,
        "filtered": any(chosen.values()),
        "summary": summary,
        "status_totals": [sum(row["cells"][i] for row in summary)
                          for i in range(len(statuses) + 1)],
        "flag_labels": FLAG_LABELS,
        "as_of": as_of,
    })


def action_detail(request, pk: int):
    action = get_object_or_404(
        Action.objects.visible_to(request.user)
        .select_related("plan__scale", "priority", "objective", "status", "sro")
        .prefetch_related("lead_links__person", "board_links__board", "progress__status_to",
                          "progress__status_from"),
        pk=pk,
    )
    flagged = drift_by_ref([action], as_of=dt.date.today()).get(action.ref)
    return render(request, "plans/action_detail.html", {
        "action": action,
        "plan": action.plan,
        "flagged": flagged,
        "flag_labels": FLAG_LABELS,
        "history": audit.history(action).order_by("-at", "-id"),
        "change_requests": action.change_requests.select_related("board"),
        "may_update": permissions.can_update_action(request.user, action),
        "may_edit": permissions.can_edit(request.user, action.plan.partnership_id),
    })


def drift_page(request):
    plan = _plan(request)
    if plan is None:
        return render(request, "plans/no_plan.html")
    as_of = _as_of(request)
    stale_days = _int(request.GET.get("stale_days"), 90)
    actions = _actions(plan, request.user)
    flagged = drift_by_ref(actions, as_of=as_of, stale_days=stale_days)
    by_ref = {a.ref: a for a in actions}
    return render(request, "plans/drift.html", {
        "plan": plan,
        "as_of": as_of,
        "stale_days": stale_days,
        "rows": [(by_ref[ref], item) for ref, item in flagged.items()],
        "counts": drift.summarise(flagged.values()),
        "flag_labels": FLAG_LABELS,
        "total": len(actions),
    })


@login_not_required
def public_plan(request, pk: int):
    """The friendly view of a partnership's plan, for children, young people and families."""
    from lapis.partnership.models import Partnership
    from lapis.plans import public

    partnership = get_object_or_404(Partnership, pk=pk, public=True)
    plan = partnership.plans.select_related("scale").first()
    if plan is None:
        raise Http404("No plan")
    actions = list(Action.objects.filter(plan=plan).select_related("priority", "status", "sro"))
    return render(request, "plans/public.html", {
        "partnership": partnership, "plan": plan,
        "priorities": public.build(actions, names=partnership.public_names),
    })
