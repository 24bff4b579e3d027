"""Working the plan: progress updates, change requests and board decisions, action edits.

Pages, the API and commands call these functions, so each rule and each permission check is
written once. Every function checks permission first (PermissionDenied), validates
(`Invalid`, with one message per field), then writes in one transaction with its history.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from lapis.core import history as audit
from lapis.core.concurrency import save_versioned
from lapis.core.dates import PartialDate
from lapis.core.errors import Invalid
from lapis.partnership import permissions
from lapis.partnership.models import Board, Person
from lapis.plans import rules
from lapis.plans.models import (
    Action,
    ChangeKind,
    ChangeRequest,
    Decision,
    ProgressEntry,
    Status,
)


def _check(errors: dict[str, str]) -> None:
    if errors:
        raise Invalid(errors)


def add_progress(action: Action, user, *, text: str, status: Status | None = None,
                 reason: str = "", on: dt.date | None = None, source: str = "web"
                 ) -> ProgressEntry:
    """A dated update by a lead (or an editor). Sets last reviewed; may change the status."""
    permissions.require(permissions.can_update_action(user, action),
                        f"You cannot update action {action.ref}: only its leads and the "
                        "programme managers can.")
    on = on or dt.date.today()
    text, reason = (text or "").strip(), (reason or "").strip()
    old = action.status
    errors = {}
    if not text:
        errors["text"] = "Enter what has happened since the last update"
    if on > dt.date.today():
        errors["date"] = "The date of an update cannot be in the future"
    if status is not None and status.scale_id != action.plan.scale_id:
        errors["status"] = "Choose a status from the plan's own scale"
    elif status is not None and status != old and not reason and rules.reason_needed(
            old.family if old else None, status.family):
        errors["reason"] = (f"Say why the status moves from {old.label if old else 'none'} "
                            f"to {status.label}")
    _check(errors)
    changed = status is not None and status != old
    with transaction.atomic():
        position = action.progress.count()
        entry = ProgressEntry.objects.create(
            action=action, date=on, date_precision="day", text=text, position=position,
            recorded_by=user.get_username(), status_from=old if changed else None,
            status_to=status if changed else None, reason=reason if changed else "")
        before_reviewed = action.last_reviewed
        action.last_reviewed = max(on, before_reviewed) if before_reviewed else on
        if changed:
            action.status = status
        action.version += 1
        action.save(update_fields=["last_reviewed", "status", "version", "updated_at"])
        by, pid = user.get_username(), action.plan.partnership_id
        audit.record(by=by, source=source, partnership_id=pid, obj=action, field="progress",
                     new=f"{on.isoformat()}: {text}")
        if action.last_reviewed != before_reviewed:
            audit.record(by=by, source=source, partnership_id=pid, obj=action,
                         field="last_reviewed", old=before_reviewed.isoformat()
                         if before_reviewed else "", new=action.last_reviewed.isoformat())
        if changed:
            audit.record(by=by, source=source, partnership_id=pid, obj=action, field="status",
                         old=old.label if old else "", new=status.label)
    return entry


def raise_change_request(action: Action, user, *, kind: str, reason: str, board: Board,
                         evidence: str = "", new_due: PartialDate | None = None,
                         new_text: str = "", new_owner: Person | None = None,
                         source: str = "web") -> ChangeRequest:
    permissions.require(permissions.can_update_action(user, action),
                        f"You cannot raise a change request on action {action.ref}: only its "
                        "leads and the programme managers can.")
    errors = {}
    if kind not in ChangeKind.values:
        errors["kind"] = "Choose what should change"
    if not (reason or "").strip():
        errors["reason"] = "Enter the rationale for the change"
    if board is None or board.partnership_id != action.plan.partnership_id:
        errors["board"] = "Choose the board that decides"
    if action.closed:
        errors["kind"] = f"Action {action.ref} is already closed"
    if kind == ChangeKind.DUE_DATE and new_due is None:
        errors["new_due"] = "Enter the new due date, as a month (2025-09) or a day (2025-09-30)"
    if kind == ChangeKind.SCOPE and not new_text.strip():
        errors["new_text"] = "Enter the new scope of the action"
    if kind == ChangeKind.BAU and not new_text.strip():
        errors["new_text"] = "Enter where the work now sits as business as usual"
    if kind == ChangeKind.OWNER and (
            new_owner is None or new_owner.partnership_id != action.plan.partnership_id):
        errors["new_owner"] = "Choose the new owner (SRO)"
    _check(errors)
    with transaction.atomic():
        request = ChangeRequest.objects.create(
            action=action, kind=kind, reason=reason.strip(), evidence=evidence.strip(),
            board=board, new_due_date=new_due.value if new_due else None,
            new_due_precision=new_due.precision if new_due else "", new_text=new_text.strip(),
            new_owner=new_owner if kind == ChangeKind.OWNER else None,
            raised_by=user.get_username())
        audit.record(by=user.get_username(), source=source,
                     partnership_id=action.plan.partnership_id, obj=request, field="created",
                     new=f"{request.get_kind_display()} for {board.name}: {request.reason}")
        audit.record(by=user.get_username(), source=source,
                     partnership_id=action.plan.partnership_id, obj=action,
                     field="change_request", new=f"{request.code} raised: "
                     f"{request.get_kind_display()}")
    return request


def decide(request: ChangeRequest, user, *, approve: bool, on: dt.date | None = None,
           note: str = "", source: str = "web") -> ChangeRequest:
    """A board's decision. Approval applies the change to the action and records it."""
    permissions.require(permissions.can_decide(user, request.board),
                        f"Only members of {request.board.name} can decide {request.code}.")
    on = on or dt.date.today()
    errors = {}
    if request.decision != Decision.PENDING:
        errors["decision"] = f"{request.code} was already {request.get_decision_display().lower()}"
    if on > dt.date.today():
        errors["date"] = "The meeting date cannot be in the future"
    if approve and request.action.closed:
        errors["decision"] = f"Action {request.action.ref} is already closed"
    _check(errors)
    by, pid = user.get_username(), request.action.plan.partnership_id
    with transaction.atomic():
        request.decision = Decision.APPROVED if approve else Decision.REJECTED
        request.decided_on, request.decided_by, request.decision_note = on, by, note.strip()
        request.save(update_fields=["decision", "decided_on", "decided_by", "decision_note"])
        audit.record(by=by, source=source, partnership_id=pid, obj=request, field="decision",
                     old=Decision.PENDING, new=f"{request.decision} on {on.isoformat()}")
        action = request.action
        audit.record(by=by, source=source, partnership_id=pid, obj=action,
                     field="change_request", new=f"{request.code} {request.decision} by "
                     f"{request.board.name} on {on.isoformat()}")
        if approve:
            _apply(request, action, by=by, source=source, partnership_id=pid)
    return request


def _apply(request: ChangeRequest, action: Action, **who) -> None:
    kind = request.kind
    if kind in (ChangeKind.CLOSE, ChangeKind.BAU):
        changes = {"closed": (action.closed, True)}
        if kind == ChangeKind.BAU:
            changes["bau_location"] = (action.bau_location, request.new_text)
    elif kind == ChangeKind.DUE_DATE:
        changes = {"due": (action.due, request.new_due)}
    elif kind == ChangeKind.SCOPE:
        changes = {"description": (action.description, request.new_text)}
    else:
        changes = {"sro": (action.sro, request.new_owner)}
    for name, (old, new) in changes.items():
        if name == "due":
            action.due_date, action.due_precision = new.value, new.precision
        else:
            setattr(action, name, new)
        shown = (lambda v: v.iso() if v else "") if name == "due" else (
            lambda v: ("yes" if v else "no") if isinstance(v, bool) else (str(v) if v else ""))
        audit.record(obj=action, field=name, old=shown(old), new=shown(new), **who)
    action.version += 1
    action.save()


EDITABLE = ("description", "pillar", "outcomes", "impact_measures", "dependencies", "sro")


def edit_action(action: Action, user, *, version: int, source: str = "web", **values) -> list:
    """A programme manager's edit of the action's own fields. Refused when stale."""
    permissions.require(permissions.can_edit(user, action.plan.partnership_id),
                        "Only programme managers can edit an action's details.")
    for name, value in values.items():
        if name not in EDITABLE:
            raise ValueError(f"{name} cannot be edited here")
        setattr(action, name, value.strip() if isinstance(value, str) else value)
    if action.sro_id and action.sro.partnership_id != action.plan.partnership_id:
        raise Invalid({"sro": "Choose someone in this partnership"})
    return save_versioned(action, version, list(values), by=user.get_username(), source=source,
                          partnership_id=action.plan.partnership_id)


def add_action(plan, user, *, ref: str, description: str, priority_number: int,
               due_date: dt.date | None = None, outcomes: str = "", source: str = "web"
               ) -> Action:
    """A new action in the plan, for example one raised from a recurring audit theme. It
    starts at the plan scale's first "not started" status. Editors only."""
    from lapis.plans.models import Priority
    from lapis.plans.models import ref_key as key_of

    permissions.require(permissions.can_edit(user, plan.partnership_id),
                        "Only programme managers and administrators add actions to the plan.")
    ref, description = (ref or "").strip(), (description or "").strip()
    errors = {}
    priority = Priority.objects.filter(plan=plan, number=priority_number).first()
    if priority is None:
        errors["priority"] = f"Choose one of the plan's priorities, not {priority_number}"
    if not ref:
        errors["ref"] = "Enter a reference for the action, for example 2.9"
    elif len(ref) > 30:
        errors["ref"] = "The reference must be 30 characters or fewer"
    elif any(key_of(r).casefold() == key_of(ref).casefold()
             for r in plan.actions.values_list("ref", flat=True)):
        errors["ref"] = f"The plan already has an action {ref}: choose another reference"
    if not description:
        errors["description"] = "Enter what the action will do"
    _check(errors)
    status = plan.scale.statuses.filter(family="not_started").order_by("position").first()
    with transaction.atomic():
        action = Action.objects.create(
            plan=plan, priority=priority, ref=ref, description=description,
            outcomes=(outcomes or "").strip(), due_date=due_date,
            due_precision="day" if due_date else "", status=status)
        audit.record(by=user.get_username(), source=source, partnership_id=plan.partnership_id,
                     obj=action, field="created", new=f"{ref}: {description}")
    return action
