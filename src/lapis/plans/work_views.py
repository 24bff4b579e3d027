"""Pages for working the plan: updates, change requests, decisions, edits, the roll-up.

Thin: forms parse, `lapis.plans.actions` decides and writes. A refusal is PermissionDenied (403).
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render

from lapis.core import history as audit
from lapis.core import tables
from lapis.core.concurrency import EditConflict
from lapis.partnership import permissions
from lapis.partnership.models import Board, Person
from lapis.plans import actions, changes
from lapis.plans.forms import ActionForm, ChangeRequestForm, DecisionForm, ProgressForm
from lapis.plans.models import Action, ChangeRequest, Decision
from lapis.plans.queries import plan_rollup
from lapis.plans.views import _actions, _plan


def _action(request, pk: int) -> Action:
    return get_object_or_404(
        Action.objects.visible_to(request.user).select_related("plan__scale", "status", "sro"),
        pk=pk)


def _fail(form, error: actions.Invalid) -> None:
    for name, message in error.errors.items():
        form.add_error(name if name in form.fields else None, message)


def progress_new(request, pk: int):
    action = _action(request, pk)
    permissions.require(permissions.can_update_action(request.user, action),
                        f"Only the leads of {action.ref} and programme managers can update it.")
    form = ProgressForm(request.POST or None, scale=action.plan.scale, current=action.status)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.add_progress(action=action, by=request.user, text=data["text"],
                                 status=form.statuses.get(data["status"]),
                                 reason=data["reason"], on=data["date"])
        except actions.Invalid as error:
            _fail(form, error)
        else:
            messages.success(request, f"Your update to {action.ref} has been added.")
            return redirect("plans:action", pk=action.pk)
    return render(request, "plans/progress_form.html", {"action": action, "form": form},
                  status=400 if form.errors else 200)


def change_new(request, pk: int):
    action = _action(request, pk)
    permissions.require(permissions.can_update_action(request.user, action),
                        f"Only the leads of {action.ref} and programme managers can raise a "
                        "change request on it.")
    partnership = action.plan.partnership_id
    boards = {b.pk: b for b in Board.objects.filter(partnership_id=partnership)}
    people = {p.pk: p for p in Person.objects.filter(partnership_id=partnership)}
    form = ChangeRequestForm(request.POST or None, boards=boards.values(),
                             people=people.values(),
                             initial={"board": next((b.pk for b in action.ordered_boards()),
                                                    None)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            change = actions.raise_change_request(
                action=action, by=request.user, kind=data["kind"], reason=data["reason"],
                board=boards.get(data["board"]), evidence=data["evidence"],
                new_due=data["new_due"], new_text=data["new_text"],
                new_owner=people.get(data["new_owner"]))
        except actions.Invalid as error:
            _fail(form, error)
        else:
            messages.success(request, f"Change request {change.code} has gone to "
                             f"{change.board.name}.")
            return redirect("plans:change", pk=change.pk)
    return render(request, "plans/change_form.html", {"action": action, "form": form},
                  status=400 if form.errors else 200)


def change_detail(request, pk: int):
    change = get_object_or_404(
        ChangeRequest.objects.visible_to(request.user)
        .select_related("action__plan", "board", "new_owner"), pk=pk)
    may_decide = (change.decision == Decision.PENDING
                  and permissions.can_decide(request.user, change.board))
    form = DecisionForm(request.POST or None)
    if request.method == "POST":
        permissions.require(permissions.can_decide(request.user, change.board),
                            f"Only members of {change.board.name} can decide {change.code}.")
        if form.is_valid():
            data = form.cleaned_data
            try:
                actions.decide(request=change, by=request.user,
                               approve=data["decision"] == "approve", on=data["date"],
                               note=data["note"])
            except actions.Invalid as error:
                _fail(form, error)
            else:
                messages.success(request, f"{change.code} {change.get_decision_display().lower()}"
                                 f" on {change.decided_on:%-d %B %Y}.")
                return redirect("plans:change", pk=change.pk)
    return render(request, "plans/change_detail.html", {
        "change": change, "action": change.action, "form": form, "may_decide": may_decide,
        "proposed": changes.proposed(change),
        "history": audit.history(change).order_by("-at", "-id"),
    }, status=400 if form.errors else 200)


def change_register(request):
    plan = _plan(request)
    if plan is None:
        return render(request, "plans/no_plan.html")
    fmt = request.GET.get("format", "")
    if fmt in ("csv", "xlsx"):
        return tables.download(changes.table(plan), fmt, "change-control")
    rows = changes.register(plan, ChangeRequest.objects.visible_to(request.user))
    chosen = request.GET.get("decision", "")
    if chosen in Decision.values:
        rows = rows.filter(decision=chosen)
    return render(request, "plans/change_register.html", {
        "plan": plan, "rows": [(r, changes.proposed(r)) for r in rows], "chosen": chosen,
        "decisions": Decision.choices,
    })


def action_edit(request, pk: int):
    action = _action(request, pk)
    permissions.require(permissions.can_edit(request.user, action.plan.partnership_id),
                        "Only programme managers can edit an action's details.")
    people = {p.pk: p for p in Person.objects.filter(partnership_id=action.plan.partnership_id)}
    initial = {name: getattr(action, name) for name in actions.EDITABLE if name != "sro"}
    initial |= {"sro": action.sro_id, "version": action.version}  # a dict: the form's initial
    form = ActionForm(request.POST or None, people=people.values(), initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        data["sro"] = people.get(data["sro"])
        try:
            changed = actions.edit_action(action=action, by=request.user, version=version,
                                          **data)
        except EditConflict as error:
            conflict = error
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Action {action.ref} saved: "
                             f"{len(changed)} field(s) changed.")
            return redirect("plans:action", pk=action.pk)
    comparison = []
    if conflict:
        saved = conflict.current
        for name in actions.EDITABLE:
            yours, theirs = getattr(action, name), getattr(saved, name)
            comparison.append((form[name].label, str(yours or ""), str(theirs or "")))
    status = 409 if conflict else 400 if form.errors else 200
    return render(request, "plans/action_form.html", {
        "action": action, "form": form, "conflict": conflict and conflict.current,
        "comparison": comparison,
    }, status=status)


def rollup_page(request):
    plan = _plan(request)
    if plan is None:
        return render(request, "plans/no_plan.html")
    as_of = dt.date.today()
    rows, total = plan_rollup(_actions(plan, request.user), as_of=as_of)
    return render(request, "plans/rollup.html", {
        "plan": plan, "rows": rows, "total": total, "as_of": as_of,
    })
