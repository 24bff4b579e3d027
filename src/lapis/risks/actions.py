"""Every write to the risk register goes through here: forms, the API, imports and the demo.

Each function is keyword-only and atomic, takes the acting user (`by`: a user, or a
`lapis.core.actors.System`), checks permission itself, and records what it changed in the
history in the same transaction. Linked actions must belong to the risk's own partnership.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction

from lapis.core import history as audit
from lapis.core.actors import name_of
from lapis.core.cells import clean_text
from lapis.core.concurrency import save_versioned
from lapis.core.errors import ImportFailed
from lapis.core.spreadsheets import Problem
from lapis.partnership import permissions
from lapis.partnership.models import Partnership, Person
from lapis.plans.models import Action
from lapis.risks import rules
from lapis.risks.models import Risk

# The fields of a risk that a form, the API or an import sets (linked actions apart).
FIELDS = ("code", "title", "description", "owner", "inherent_likelihood", "inherent_impact",
          "residual_likelihood", "residual_impact", "response", "trend", "review_date",
          "measures", "status")


@dataclass
class RiskInput:
    code: str
    title: str
    inherent_likelihood: int
    inherent_impact: int
    residual_likelihood: int
    residual_impact: int
    response: str
    description: str = ""
    owner: Person | None = None
    trend: str = "stable"
    review_date: dt.date | None = None
    measures: str = ""
    status: str = "open"
    actions: list[Action] = field(default_factory=list)


class RiskInvalid(Exception):
    """The input breaks a rule; `errors` maps a field name to a message for the user."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def partnership_actions(partnership_id: int):
    return Action.objects.filter(plan__partnership_id=partnership_id).select_related("plan")


def resolve_refs(partnership_id: int, refs: list[str]) -> tuple[list[Action], list[str]]:
    """The partnership's actions with these refs (case-insensitive), and a message for each
    ref that names no action or more than one (two plans with the same ref)."""
    wanted = {ref.casefold() for ref in refs}
    found: dict[str, list[Action]] = {}
    for action in partnership_actions(partnership_id).order_by("ref_key"):
        key = action.ref.casefold()
        if key in wanted:
            found.setdefault(key, []).append(action)
    actions, problems = [], []
    for ref in refs:
        matches = found.get(ref.casefold(), [])
        if not matches:
            problems.append(f"no action {ref!r} in this partnership's plans")
        elif len(matches) > 1:
            plans = ", ".join(a.plan.name for a in matches)
            problems.append(f"action {ref!r} is in more than one plan ({plans})")
        elif matches[0] not in actions:
            actions.append(matches[0])
    return actions, problems


def refs_text(actions) -> str:
    return ", ".join(a.ref for a in actions)


def validate(partnership_id: int, data: RiskInput, risk: Risk | None = None) -> dict[str, str]:
    errors = {}
    code = clean_text(data.code)
    if not code:
        errors["code"] = "Enter a risk ID, for example R1"
    else:
        clash = Risk.objects.filter(partnership_id=partnership_id, code__iexact=code)
        if risk is not None:
            clash = clash.exclude(pk=risk.pk)
        if clash.exists():
            errors["code"] = f"There is already a risk {code}: choose another ID"
    if not clean_text(data.title):
        errors["title"] = "Enter the risk's title"
    for name in ("inherent_likelihood", "inherent_impact", "residual_likelihood",
                 "residual_impact"):
        try:
            rules.check_level(getattr(data, name), name.replace("_", " "))
        except rules.RuleError as error:
            errors[name] = str(error).capitalize()
    if data.response not in rules.RESPONSES:
        errors["response"] = "Choose a response: tolerate, treat, transfer or terminate"
    if data.trend not in rules.TRENDS:
        errors["trend"] = "Choose a trend: rising, stable or falling"
    if data.status not in rules.STATUSES:
        errors["status"] = "Choose open or closed"
    if data.owner is not None and data.owner.partnership_id != partnership_id:
        errors["owner"] = "The owner must be someone in this partnership"
    strangers = [a.ref for a in data.actions if a.plan.partnership_id != partnership_id]
    if strangers:
        errors["actions"] = f"Not this partnership's actions: {', '.join(strangers)}"
    return errors


def _apply(risk: Risk, data: RiskInput) -> None:
    """Set the fields; text from a form or the API is untrusted, so markup is stripped as an
    import strips it (`clean_text` is idempotent, so an imported value is unchanged)."""
    for name in FIELDS:
        value = getattr(data, name)
        setattr(risk, name, clean_text(value) if isinstance(value, str) else value)


def _require_editor(by, partnership_id: int) -> None:
    permissions.require(permissions.can_edit(by, partnership_id),
                        "Only administrators and programme managers change the risk register.")


@transaction.atomic
def create_risk(*, partnership: Partnership, data: RiskInput, by, source: str) -> Risk:
    _require_editor(by, partnership.pk)
    by = name_of(by)
    errors = validate(partnership.pk, data)
    if errors:
        raise RiskInvalid(errors)
    risk = Risk(partnership=partnership)
    _apply(risk, data)
    risk.save()
    risk.actions.set(data.actions)
    audit.record(by=by, source=source, partnership_id=partnership.pk, obj=risk,
                 field="created", new=risk.code)
    return risk


@transaction.atomic
def update_risk(*, risk: Risk, data: RiskInput, expected_version: int, by,
                source: str) -> list[tuple[str, str, str]]:
    """Save an edit begun at `expected_version`. Raises RiskInvalid, or EditConflict (from
    save_versioned) when someone saved first; either way nothing is written."""
    _require_editor(by, risk.partnership_id)
    by = name_of(by)
    errors = validate(risk.partnership_id, data, risk)
    if errors:
        raise RiskInvalid(errors)
    with transaction.atomic():
        _apply(risk, data)
        changes = save_versioned(risk, expected_version, list(FIELDS), by=by, source=source,
                                 partnership_id=risk.partnership_id)
        # The risk is claimed (its row held): the linked actions before are the saved ones.
        old_actions = list(risk.actions.order_by("ref_key"))
        new_actions = sorted(data.actions, key=lambda a: a.ref_key)
        if [a.pk for a in old_actions] != [a.pk for a in new_actions]:
            risk.actions.set(new_actions)
            old, new = refs_text(old_actions), refs_text(new_actions)
            audit.record(by=by, source=source, partnership_id=risk.partnership_id, obj=risk,
                         field="actions", old=old, new=new)
            changes.append(("actions", old, new))
    return changes


# ---------------------------------------------------------------------------------------------
# Import
# ---------------------------------------------------------------------------------------------

@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    updated: dict[str, list[str]] = field(default_factory=dict)
    unchanged: list[str] = field(default_factory=list)
    not_in_file: list[str] = field(default_factory=list)
    people_created: list[str] = field(default_factory=list)
    dry_run: bool = False

    def as_json(self) -> dict:
        return dict(self.__dict__)


def _shown(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


@transaction.atomic
def import_risks(*, partnership: Partnership, sheet_rows, file: str, by,
                 dry_run: bool = False) -> ImportResult:
    """Create or update risks (matched by Risk ID, ignoring case) from rows read by
    `lapis.risks.importing.read_risks`. Checks everything first; raises ImportFailed with
    every problem and writes nothing unless every row is good."""
    _require_editor(by, partnership.pk)
    by = name_of(by)
    problems = list(sheet_rows.problems)
    resolved = {}
    for row in sheet_rows.rows:
        actions, missing = resolve_refs(partnership.pk, row.actions)
        for message in missing:
            problems.append(Problem("error", message, file, row.sheet, row.row,
                                    row.columns.get("actions", ""), rules.COLUMNS["actions"]))
        resolved[row.row, row.sheet] = actions
    if problems:
        raise ImportFailed(problems)

    source = f"import:{file}"
    result = ImportResult(dry_run=dry_run)
    people = {p.name.casefold(): p for p in Person.objects.filter(partnership=partnership)}
    existing = {r.code.casefold(): r for r in
                Risk.objects.filter(partnership=partnership).select_related("owner")
                .prefetch_related("actions")}
    for row in sheet_rows.rows:
        owner = None
        if row.owner:
            owner = people.get(row.owner.casefold())
            if owner is None:
                owner = people[row.owner.casefold()] = Person.objects.create(
                    partnership=partnership, name=row.owner)
                result.people_created.append(row.owner)
        data = RiskInput(
            code=row.code, title=row.title, description=row.description, owner=owner,
            inherent_likelihood=row.inherent_likelihood, inherent_impact=row.inherent_impact,
            residual_likelihood=row.residual_likelihood, residual_impact=row.residual_impact,
            response=row.response, trend=row.trend, review_date=row.review_date,
            measures=row.measures, status=row.status, actions=resolved[row.row, row.sheet])
        risk = existing.get(row.code.casefold())
        if risk is None:
            risk = Risk(partnership=partnership)
            _apply(risk, data)
            risk.save()
            risk.actions.set(data.actions)
            audit.record(by=by, source=source, partnership_id=partnership.pk, obj=risk,
                         field="created", new=risk.code)
            result.created.append(risk.code)
            continue
        changed = []
        for name in FIELDS:
            old, new = getattr(risk, name), getattr(data, name)
            if _shown(old) != _shown(new):
                audit.record(by=by, source=source, partnership_id=partnership.pk, obj=risk,
                             field=name, old=_shown(old), new=_shown(new))
                setattr(risk, name, new)
                changed.append(name)
        old_actions = sorted(risk.actions.all(), key=lambda a: a.ref_key)
        new_actions = sorted(data.actions, key=lambda a: a.ref_key)
        if [a.pk for a in old_actions] != [a.pk for a in new_actions]:
            audit.record(by=by, source=source, partnership_id=partnership.pk, obj=risk,
                         field="actions", old=refs_text(old_actions),
                         new=refs_text(new_actions))
            risk.actions.set(new_actions)
            changed.append("actions")
        if changed:
            risk.version += 1  # an edit form opened before the import is now stale
            risk.save()
            result.updated[risk.code] = changed
        else:
            result.unchanged.append(risk.code)
    in_file = {row.code.casefold() for row in sheet_rows.rows}
    result.not_in_file = [r.code for r in sorted(existing.values(), key=lambda r: r.code_key)
                          if r.code.casefold() not in in_file]
    if dry_run:
        transaction.set_rollback(True)
    return result
