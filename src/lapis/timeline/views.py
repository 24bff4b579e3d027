"""The timeline page and the milestone pages: thin shells around queries, rules and actions."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from lapis.core import history as audit
from lapis.core.concurrency import EditConflict
from lapis.partnership.permissions import require
from lapis.plans.models import Action, Plan
from lapis.timeline import access, actions, queries, rules
from lapis.timeline.forms import MilestoneForm, shown
from lapis.timeline.models import Milestone


def _plan(request) -> Plan | None:
    plans = Plan.objects.visible_to(request.user).select_related("partnership")
    wanted = request.GET.get("plan", "")
    if wanted:
        if not wanted.isdigit():
            raise Http404("No such plan")
        return get_object_or_404(plans, pk=int(wanted))
    return plans.first()


def _as_of(request) -> dt.date:
    try:
        return dt.date.fromisoformat(request.GET.get("as_of", ""))
    except ValueError:
        return dt.date.today()


def timeline_page(request):
    plan = _plan(request)
    if plan is None:
        return render(request, "plans/no_plan.html")
    as_of = _as_of(request)
    query = request.GET
    by, first, last, errors = rules.read_range(query.get("by", ""), query.get("from", ""),
                                               query.get("to", ""), as_of)
    priorities = list(plan.priorities.all())
    wanted = request.GET.get("priority", "")
    priority = int(wanted) if wanted.isdigit() and any(
        p.number == int(wanted) for p in priorities) else None
    if wanted and priority is None:
        errors["priority"] = "Choose a priority from the list"
    found = queries.timeline(plan, request.user, by=by, first=first, last=last, as_of=as_of,
                             priority=priority)
    earliest = min((i.current.end() for i in found.overdue_earlier), default=None)
    return render(request, "timeline/timeline.html", {
        "plan": plan,
        "plans": list(Plan.objects.visible_to(request.user)),
        "timeline": found,
        "by": by,
        "period_word": "month" if by == "month" else "term",
        "chosen": {"from": request.GET.get("from") or f"{first:%Y-%m}",
                   "to": request.GET.get("to") or f"{last:%Y-%m}",
                   "priority": priority},
        "errors": errors,
        "priorities": priorities,
        "earliest": f"{earliest:%Y-%m}" if earliest else "",
        "can_add": access.can_edit_plan(request.user, plan),
    }, status=200)


def _visible_milestone(request, pk: int) -> Milestone:
    return get_object_or_404(
        Milestone.objects.visible_to(request.user)
        .select_related("plan__partnership", "action__priority", "action__plan", "priority"),
        pk=pk)


def milestone_detail(request, pk: int):
    milestone = _visible_milestone(request, pk)
    row = rules.row_for(queries.milestone_item(milestone), as_of=dt.date.today(), by="term")
    return render(request, "timeline/milestone_detail.html", {
        "milestone": milestone,
        "plan": milestone.plan,
        "row": row,
        "can_change": access.can_change(request.user, milestone),
        "history": audit.history(milestone).order_by("-at", "-id"),
    })


def _save_errors(form: MilestoneForm, error: ValidationError) -> None:
    for name, found in error.message_dict.items():
        field = name if name in form.fields else None
        if name in ("planned_date", "planned_precision"):
            field = "planned"
        elif name in ("current_date", "current_precision"):
            field = "current"
        for message in found:
            form.add_error(field, message)


def milestone_new(request):
    plan = _plan(request)
    if plan is None:
        raise Http404("No plan")
    action = None
    wanted = request.GET.get("action", "")
    if wanted:
        if not wanted.isdigit():
            raise Http404("No such action")
        action = get_object_or_404(Action.objects.visible_to(request.user)
                                   .select_related("plan", "priority"), pk=int(wanted))
        plan = action.plan
    editor = access.can_edit_plan(request.user, plan)
    require(editor or (action is not None and access.can_add_for_action(request.user, action)),
            "You cannot add milestones to this plan.")
    fixed = None if editor else action
    form = MilestoneForm(request.POST or None, plan=plan, fixed_action=fixed,
                         initial={"action": action.pk if action else None})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                milestone = actions.create_milestone(
                    plan=plan, action=data["action"], priority=data["priority"],
                    title=data["title"], planned=data["planned"], current=data["current"],
                    completed_on=data["completed_on"], by=request.user,
                    source="web")
            except ValidationError as error:
                _save_errors(form, error)
            else:
                messages.success(request, f"Milestone added: {milestone.title}")
                return redirect("timeline:milestone", pk=milestone.pk)
        status = 400
    return render(request, "timeline/milestone_form.html", {
        "form": form, "plan": plan, "action": action, "fixed_action": fixed,
        "heading": "Add a milestone", "button": "Add milestone",
        "cancel": (reverse("plans:action", args=[action.pk]) if action
                   else f"{reverse('timeline:timeline')}?plan={plan.pk}"),
    }, status=status)


def milestone_edit(request, pk: int):
    milestone = _visible_milestone(request, pk)
    require(access.can_change(request.user, milestone), "You cannot change this milestone.")
    editor = access.can_edit_plan(request.user, milestone.plan)
    fixed = None if editor else milestone.action
    if request.method != "POST":
        form = MilestoneForm(plan=milestone.plan, fixed_action=fixed,
                             initial=MilestoneForm.initial_for(milestone))
        return _edit_page(request, milestone, form, fixed)
    form = MilestoneForm(request.POST, plan=milestone.plan, fixed_action=fixed)
    if not form.is_valid():
        return _edit_page(request, milestone, form, fixed, status=400)
    data = form.cleaned_data
    try:
        actions.update_milestone(
            milestone=milestone, expected_version=data["version"] or 0,
            action=data["action"], priority=data["priority"], title=data["title"],
            planned=data["planned"], current=data["current"],
            completed_on=data["completed_on"], by=request.user, source="web")
    except ValidationError as error:
        _save_errors(form, error)
        return _edit_page(request, milestone, form, fixed, status=400)
    except EditConflict as conflict:
        saved = conflict.current
        # Keep everything they typed; carry the saved version so that saving again is a
        # deliberate choice to replace the other person's edit.
        data_copy = request.POST.copy()
        data_copy["version"] = str(saved.version)
        form = MilestoneForm(data_copy, plan=milestone.plan, fixed_action=fixed)
        form.is_valid()
        yours = _compare(form.cleaned_data, fixed)
        theirs = _compare(MilestoneForm.initial_for(saved) | {
            "action": saved.action, "priority": saved.priority}, fixed)
        return _edit_page(request, milestone, form, fixed, status=409, conflict={
            "message": str(conflict), "rows": [
                (label, yours[label], theirs[label]) for label in yours]})
    messages.success(request, f"Milestone saved: {milestone.title}")
    return redirect("timeline:milestone", pk=milestone.pk)


def _compare(values: dict, fixed) -> dict:
    def text(value):
        if value is None or value == "":
            return "Not set"
        if isinstance(value, rules.When | dt.date):
            return shown(value)
        return str(value)

    belongs = fixed or values.get("action")
    return {
        "Belongs to": (f"Action {belongs.ref}" if belongs else
                       f"Priority {values['priority'].number}" if values.get("priority")
                       else "Not set"),
        "Milestone": text(values.get("title")),
        "Planned date": text(values.get("planned")),
        "Current date": text(values.get("current")) if values.get("current")
        else text(values.get("planned")),
        "Completed on": text(values.get("completed_on")),
    }


def _edit_page(request, milestone, form, fixed, status=200, conflict=None):
    return render(request, "timeline/milestone_form.html", {
        "form": form, "plan": milestone.plan, "milestone": milestone, "fixed_action": fixed,
        "heading": "Change a milestone", "button": "Save milestone", "conflict": conflict,
        "cancel": reverse("timeline:milestone", args=[milestone.pk]),
    }, status=status)
