"""Every write to the plan register goes through here (views, commands, the API and tests):
the import of a register, and working the plan (progress updates, change requests and board
decisions, action edits, new actions).

Each function is keyword-only, takes the acting user (`by`: a user, or a
`lapis.core.actors.System` for the server operator), checks permission first
(PermissionDenied), validates (`Invalid`, with one message per field), then writes in one
transaction with its history. What a write decides on (the status now, whether a request is
still pending, the version) is read again inside that transaction with the row locked
(`lapis.core.concurrency.lock`), never taken from the object the caller read before it: two
people working the same action at the same moment are served one after the other.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction

from lapis.core import history as audit
from lapis.core.actors import name_of
from lapis.core.concurrency import Conflict, lock, save_versioned
from lapis.core.dates import PartialDate
from lapis.core.errors import ImportFailed, Invalid
from lapis.core.spreadsheets import Problem
from lapis.partnership import permissions
from lapis.partnership.models import Board, Partnership, Person
from lapis.plans import parsing, rules
from lapis.plans.importer import ParsedAction, Register
from lapis.plans.models import (
    Action,
    ActionBoard,
    ActionLead,
    ChangeKind,
    ChangeRequest,
    Decision,
    Objective,
    Plan,
    Priority,
    ProgressEntry,
    Status,
    StatusScale,
)
from lapis.plans.scales import SCALES

# The fields compared on re-import, in the register's column order.
TRACKED = ("priority", "objective", "description", "pillar", "outcomes", "impact_measures",
           "sro", "leads", "start", "due", "links", "dependencies", "status", "last_reviewed",
           "boards", "bau_location", "closed")


@dataclass
class ImportResult:
    plan_name: str
    scale: str
    created: list[str] = field(default_factory=list)
    updated: dict[str, list[str]] = field(default_factory=dict)
    unchanged: list[str] = field(default_factory=list)
    progress_added: int = 0
    not_in_file: list[str] = field(default_factory=list)
    people_created: list[str] = field(default_factory=list)
    boards_created: list[str] = field(default_factory=list)
    dry_run: bool = False

    def as_json(self) -> dict:
        return dict(self.__dict__)


def snapshot_parsed(item: ParsedAction) -> dict[str, str]:
    """The tracked fields of an action read from a file, as comparable strings."""
    return {
        "priority": str(item.priority_number),
        "objective": item.objective,
        "description": item.description,
        "pillar": item.pillar,
        "outcomes": item.outcomes,
        "impact_measures": item.impact_measures,
        "sro": item.sro,
        "leads": " / ".join(item.leads),
        "start": item.start.iso() if item.start else "",
        "due": item.due.iso() if item.due else "",
        "links": parsing.format_links(item.links),
        "dependencies": item.dependencies,
        "status": item.status,
        "last_reviewed": item.last_reviewed.isoformat() if item.last_reviewed else "",
        "boards": "; ".join(item.boards),
        "bau_location": item.bau_location,
        "closed": "yes" if item.closed else "no",
    }


def snapshot(action: Action) -> dict[str, str]:
    """The same fields of a stored action (related rows should be prefetched)."""
    return {
        "priority": str(action.priority.number),
        "objective": action.objective.text if action.objective else "",
        "description": action.description,
        "pillar": action.pillar,
        "outcomes": action.outcomes,
        "impact_measures": action.impact_measures,
        "sro": action.sro.name if action.sro else "",
        "leads": " / ".join(p.name for p in action.ordered_leads()),
        "start": action.start.iso() if action.start else "",
        "due": action.due.iso() if action.due else "",
        "links": parsing.format_links(
            [parsing.LinkToken(t["kind"], t["code"]) for t in action.links]
        ),
        "dependencies": action.dependencies,
        "status": action.status.label if action.status else "",
        "last_reviewed": action.last_reviewed.isoformat() if action.last_reviewed else "",
        "boards": "; ".join(b.name for b in action.ordered_boards()),
        "bau_location": action.bau_location,
        "closed": "yes" if action.closed else "no",
    }


def _same(a: str, b: str, name: str) -> bool:
    if name == "status":
        return parsing.clean_text(a).casefold() == parsing.clean_text(b).casefold()
    return a == b


def choose_scale(labels: set[str]) -> StatusScale | None:
    """The first shipped scale (then any other) that has every status label used."""
    scales = sorted(StatusScale.objects.prefetch_related("statuses"),
                    key=lambda s: (s.name not in SCALES, list(SCALES).index(s.name)
                                   if s.name in SCALES else 0, s.name))
    for scale in scales:
        if all(scale.match(label) for label in labels):
            return scale
    return None


@transaction.atomic
def import_plan(*, partnership: Partnership, register: Register, plan_name: str, by,
                scale_name: str | None = None, dry_run: bool = False) -> ImportResult:
    """Create or update a plan from a read register. Raises ImportFailed, writing nothing."""
    permissions.require(permissions.can_edit(by, partnership.pk),
                        "Only administrators and programme managers import the plan.")
    by = name_of(by)  # as history records it
    problems = list(register.errors)
    plan = Plan.objects.filter(partnership=partnership, name=plan_name).first()
    labels = {a.status for a in register.actions if a.status}
    if plan:
        scale = plan.scale
    elif scale_name:
        scale = StatusScale.objects.filter(name=scale_name).first()
        if scale is None:
            names = ", ".join(StatusScale.objects.values_list("name", flat=True))
            problems.append(Problem("error", f"no status scale called {scale_name!r} "
                                    f"(there are: {names})", register.file))
    else:
        scale = choose_scale(labels)
        if scale is None and labels:
            scale = StatusScale.objects.filter(name=next(iter(SCALES))).first()
    if scale is not None:
        for item in register.actions:
            if item.status and scale.match(item.status) is None:
                allowed = "; ".join(s.label for s in scale.statuses.all())
                problems.append(Problem(
                    "error", f"unknown status {item.status!r}: the plan's scale "
                    f"'{scale.name}' has {allowed}", register.file, item.sheet, item.row,
                    item.columns.get("status", ""), "Status"))
    if problems:
        raise ImportFailed(problems)

    source = f"import:{register.file}"
    result = ImportResult(plan_name=plan_name, scale=scale.name, dry_run=dry_run)
    if plan is None:
        plan = Plan.objects.create(partnership=partnership, name=plan_name, scale=scale)
        audit.record(by=by, source=source, partnership_id=partnership.pk, obj=plan,
                     field="created", new=plan_name)
    people = _Names(Person, partnership, result.people_created)
    boards = _Names(Board, partnership, result.boards_created)
    priorities = {p.number: p for p in plan.priorities.all()}
    existing = {
        a.ref: a for a in plan.actions.select_related("priority", "objective", "status", "sro")
        .prefetch_related("lead_links__person", "board_links__board", "progress")
    }
    for item in register.actions:
        priority = priorities.get(item.priority_number)
        if priority is None:
            priority = priorities[item.priority_number] = Priority.objects.create(
                plan=plan, number=item.priority_number, text=item.priority)
        elif item.priority and not priority.text:
            priority.text = item.priority
            priority.save(update_fields=["text"])
        action = existing.get(item.ref)
        new = snapshot_parsed(item)
        if action is None:
            action = Action(plan=plan, ref=item.ref)
            changed = list(TRACKED)
            result.created.append(item.ref)
        else:
            old = snapshot(action)
            changed = [name for name in TRACKED if not _same(old[name], new[name], name)]
            for name in changed:
                audit.record(by=by, source=source, partnership_id=partnership.pk, obj=action,
                             field=name, old=old[name], new=new[name])
            if changed:
                result.updated[item.ref] = changed
            else:
                result.unchanged.append(item.ref)
        if changed:
            _apply(action, item, plan, priority, scale, people, boards, changed)
            if item.ref in result.created:
                audit.record(by=by, source=source, partnership_id=partnership.pk, obj=action,
                             field="created", new=item.ref)
        result.progress_added += _add_progress(action, item, by)
    in_file = {a.ref for a in register.actions}
    result.not_in_file = sorted((ref for ref in existing if ref not in in_file),
                                key=parsing.ref_sort_key)
    if dry_run:
        transaction.set_rollback(True)
    return result


class _Names:
    """People or boards of a partnership by case-insensitive name, created on first use."""

    def __init__(self, model, partnership, created: list[str]):
        self.model, self.partnership, self.created = model, partnership, created
        self.by_key = {o.name.casefold(): o for o in model.objects.filter(partnership=partnership)}

    def get(self, name: str):
        key = name.casefold()
        if key not in self.by_key:
            self.by_key[key] = self.model.objects.create(partnership=self.partnership, name=name)
            self.created.append(name)
        return self.by_key[key]


def _apply(action, item, plan, priority, scale, people, boards, changed):
    action.priority = priority
    action.objective = (
        Objective.objects.get_or_create(priority=priority, text=item.objective)[0]
        if item.objective else None
    )
    for name in ("description", "pillar", "outcomes", "impact_measures", "dependencies",
                 "bau_location", "closed", "last_reviewed"):
        setattr(action, name, getattr(item, name))
    action.sro = people.get(item.sro) if item.sro else None
    action.start_date, action.start_precision = _split(item.start)
    action.due_date, action.due_precision = _split(item.due)
    action.links = [{"kind": t.kind, "code": t.code} for t in item.links]
    action.status = scale.match(item.status) if item.status else None
    if action.pk:
        action.version += 1  # an edit begun before this import is now stale
    action.save()
    if "leads" in changed:
        action.lead_links.all().delete()
        ActionLead.objects.bulk_create(
            ActionLead(action=action, person=people.get(name), position=i)
            for i, name in enumerate(item.leads)
        )
    if "boards" in changed:
        action.board_links.all().delete()
        ActionBoard.objects.bulk_create(
            ActionBoard(action=action, board=boards.get(name), position=i)
            for i, name in enumerate(item.boards)
        )


def _split(partial):
    return (partial.value, partial.precision) if partial else (None, "")


def _add_progress(action: Action, item: ParsedAction, by: str) -> int:
    """Add the log entries not already held. Entries are never edited or removed by an import."""
    held = {(e.date, e.text) for e in action.progress.all()} if action.pk else set()
    position = len(held)
    new = []
    for entry in item.progress:
        key = (entry.date.value if entry.date else None, entry.text)
        if key in held:
            continue
        held.add(key)
        new.append(ProgressEntry(
            action=action, date=key[0], date_precision=entry.date.precision if entry.date else "",
            text=entry.text, position=position, recorded_by=by))
        position += 1
    ProgressEntry.objects.bulk_create(new)
    return len(new)


# ---------------------------------------------------------------------------------------------
# Working the plan: progress updates, change requests and board decisions, action edits
# ---------------------------------------------------------------------------------------------

def _check(errors: dict[str, str]) -> None:
    if errors:
        raise Invalid(errors)


@transaction.atomic
def add_progress(*, action: Action, by, text: str, status: Status | None = None,
                 reason: str = "", on: dt.date | None = None, source: str = "web"
                 ) -> ProgressEntry:
    """A dated update by a lead (or an editor). Sets last reviewed; may change the status."""
    permissions.require(permissions.can_update_action(by, action),
                        f"You cannot update action {action.ref}: only its leads and the "
                        "programme managers can.")
    on = on or dt.date.today()
    text, reason = (text or "").strip(), (reason or "").strip()
    lock(action)  # the status, last reviewed date, version and entries as saved, held
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
        position = ProgressEntry.objects.filter(action=action).count()
        entry = ProgressEntry.objects.create(
            action=action, date=on, date_precision="day", text=text, position=position,
            recorded_by=name_of(by), status_from=old if changed else None,
            status_to=status if changed else None, reason=reason if changed else "")
        before_reviewed = action.last_reviewed
        action.last_reviewed = max(on, before_reviewed) if before_reviewed else on
        if changed:
            action.status = status
        action.version += 1
        action.save(update_fields=["last_reviewed", "status", "version", "updated_at"])
        by, pid = name_of(by), action.plan.partnership_id
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


@transaction.atomic
def raise_change_request(*, action: Action, by, kind: str, reason: str, board: Board,
                         evidence: str = "", new_due: PartialDate | None = None,
                         new_text: str = "", new_owner: Person | None = None,
                         source: str = "web") -> ChangeRequest:
    permissions.require(permissions.can_update_action(by, action),
                        f"You cannot raise a change request on action {action.ref}: only its "
                        "leads and the programme managers can.")
    lock(action)  # not closed by a decision a moment ago
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
            raised_by=name_of(by))
        audit.record(by=name_of(by), source=source,
                     partnership_id=action.plan.partnership_id, obj=request, field="created",
                     new=f"{request.get_kind_display()} for {board.name}: {request.reason}")
        audit.record(by=name_of(by), source=source,
                     partnership_id=action.plan.partnership_id, obj=action,
                     field="change_request", new=f"{request.code} raised: "
                     f"{request.get_kind_display()}")
    return request


@transaction.atomic
def decide(*, request: ChangeRequest, by, approve: bool, on: dt.date | None = None,
           note: str = "", source: str = "web") -> ChangeRequest:
    """A board's decision. Approval applies the change to the action and records it."""
    permissions.require(permissions.can_decide(by, request.board),
                        f"Only members of {request.board.name} can decide {request.code}.")
    on = on or dt.date.today()
    # Decide on the request and its action as saved, both held until commit: of two members
    # deciding at once, the second waits and then finds the request decided.
    lock(request)
    lock(request.action)
    if request.decision != Decision.PENDING:
        message = f"{request.code} was already {request.get_decision_display().lower()}"
        raise Conflict({"decision": message})
    errors = {}
    if on > dt.date.today():
        errors["date"] = "The meeting date cannot be in the future"
    if approve and request.action.closed:
        errors["decision"] = f"Action {request.action.ref} is already closed"
    _check(errors)
    by, pid = name_of(by), request.action.plan.partnership_id
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
            _apply_change(request, action, by=by, source=source, partnership_id=pid)
    return request


def _apply_change(request: ChangeRequest, action: Action, **who) -> None:
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
    action.version += 1  # `action` is locked (see decide): this is the saved version plus one
    action.save(update_fields=[*(("due_date", "due_precision") if "due" in changes else
                                 changes), "version", "updated_at"])


EDITABLE = ("description", "pillar", "outcomes", "impact_measures", "dependencies", "sro")


@transaction.atomic
def edit_action(*, action: Action, by, version: int, source: str = "web", **values) -> list:
    """A programme manager's edit of the action's own fields. Refused when stale."""
    permissions.require(permissions.can_edit(by, action.plan.partnership_id),
                        "Only programme managers can edit an action's details.")
    lock(action)  # compare with, and record the old values of, the action as saved
    for name, value in values.items():
        if name not in EDITABLE:
            raise ValueError(f"{name} cannot be edited here")
        setattr(action, name, value.strip() if isinstance(value, str) else value)
    if action.sro_id and action.sro.partnership_id != action.plan.partnership_id:
        raise Invalid({"sro": "Choose someone in this partnership"})
    return save_versioned(action, version, list(values), by=name_of(by), source=source,
                          partnership_id=action.plan.partnership_id)


@transaction.atomic
def add_action(*, plan: Plan, by, ref: str, description: str, priority_number: int,
               due_date: dt.date | None = None, outcomes: str = "", source: str = "web"
               ) -> Action:
    """A new action in the plan, for example one raised from a recurring audit theme. It
    starts at the plan scale's first "not started" status. Editors only."""
    from lapis.plans.models import ref_key as key_of

    permissions.require(permissions.can_edit(by, plan.partnership_id),
                        "Only programme managers and administrators add actions to the plan.")
    lock(plan)  # two new actions with one ref at once: the second sees the first
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
        audit.record(by=name_of(by), source=source, partnership_id=plan.partnership_id,
                     obj=action, field="created", new=f"{ref}: {description}")
    return action
