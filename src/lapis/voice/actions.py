"""Every write to the voice records goes through here: forms, the API, imports and the demo.

Each write takes `by`, who acts (a user, or a `lapis.core.actors.System` for a command run
without `--as` or the demo), and checks the permission itself (`PermissionDenied`): editors
(administrators, programme managers) record complaints, compliments, engagement, surveys,
survey indicators, the response standards and "we did"; forum members add "you said" items.
Each write is atomic and records what it changed in the history (`lapis.core.history.record`, under
`name_of(by)`) in the same transaction. Edits are optimistic (`save_versioned`): a stale edit
is refused.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction

from lapis.core import history as audit
from lapis.core.actors import name_of
from lapis.core.cells import clean_text
from lapis.core.concurrency import lock, save_versioned
from lapis.core.errors import ImportFailed
from lapis.partnership import permissions
from lapis.risks.actions import refs_text
from lapis.voice import rules
from lapis.voice.importing import ParsedComplaints, ParsedSurvey
from lapis.voice.models import (
    Answer,
    Complaint,
    Question,
    Survey,
    SurveyResponse,
    VoiceSettings,
    YouSaid,
    YouSaidStatus,
)

EDITORS_ONLY = "Only programme managers and administrators {what}."


def _clean(value):
    return clean_text(value) if isinstance(value, str) else value


def _shown(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _require_editor(by, partnership_id: int, what: str) -> None:
    permissions.require(permissions.can_edit(by, partnership_id),
                        EDITORS_ONLY.format(what=what))


def _require_creator(by, obj, links) -> None:
    """Editors add every kind of record; forum members add "you said" items only, and only
    what was said: what we did, its status, publishing and plan links are the editors'."""
    plural = obj._meta.verbose_name_plural
    if not isinstance(obj, YouSaid):
        permissions.require(permissions.can_edit(by, obj.partnership_id),
                            f"You may not add {plural}.")
        return
    permissions.require(permissions.can_add_you_said(by, obj.partnership_id),
                        f"You may not add {plural}.")
    if not permissions.can_edit(by, obj.partnership_id):
        permissions.require(
            not obj.did and obj.did_on is None and obj.status == YouSaidStatus.LISTENING
            and not obj.publish and not links,
            "Only programme managers and administrators record what we did, publish an item "
            "or link it to the plan.")


@transaction.atomic
def create(*, obj, by, source: str = "web", links=None):
    """Save a new record (partnership set), link its actions and record its creation."""
    _require_creator(by, obj, links)
    name = name_of(by)
    for f in obj._meta.concrete_fields:
        if isinstance(getattr(obj, f.attname, None), str):
            setattr(obj, f.attname, _clean(getattr(obj, f.attname)))
    obj.save()
    if links is not None:
        obj.actions.set(links)
    audit.record(by=name, source=source, partnership_id=obj.partnership_id, obj=obj,
                 field="created", new=obj.ref)
    if links:
        audit.record(by=name, source=source, partnership_id=obj.partnership_id, obj=obj,
                     field="actions", new=refs_text(links))
    return obj


def update(*, obj, fields: list[str], expected_version: int, by, source: str = "web",
           links=None) -> list[tuple[str, str, str]]:
    """Save an edit begun at `expected_version`; raises EditConflict when someone saved
    first, and then nothing is written."""
    _require_editor(by, obj.partnership_id, f"edit {obj._meta.verbose_name_plural}")
    name = name_of(by)
    with transaction.atomic():
        for field in fields:
            value = getattr(obj, field)
            if isinstance(value, str):
                setattr(obj, field, _clean(value))
        changes = save_versioned(obj, expected_version, fields, by=name, source=source,
                                 partnership_id=obj.partnership_id)
        # The record is claimed (its row held): the links before are the saved ones.
        old_links = list(obj.actions.order_by("ref_key")) if links is not None else []
        if links is not None:
            new_links = sorted(links, key=lambda a: a.ref_key)
            if [a.pk for a in old_links] != [a.pk for a in new_links]:
                obj.actions.set(new_links)
                old, new = refs_text(old_links), refs_text(new_links)
                audit.record(by=name, source=source, partnership_id=obj.partnership_id,
                             obj=obj, field="actions", old=old, new=new)
                changes.append(("actions", old, new))
    return changes


def settings_for(partnership) -> VoiceSettings:
    found = VoiceSettings.objects.filter(partnership=partnership).first()
    return found or VoiceSettings(partnership=partnership)


@transaction.atomic
def set_standards(*, partnership, stage_1: int, stage_2: int, by, source: str = "web"):
    _require_editor(by, partnership.pk, "set the standards")
    current = settings_for(partnership)
    if current.pk is not None:
        lock(current)  # compare with, and record, the standards as saved now
    changes = []
    for name, value in (("stage_1_working_days", stage_1), ("stage_2_working_days", stage_2)):
        if value < 1:
            raise rules.RuleError("a response standard must be at least 1 working day")
        if getattr(current, name) != value or current.pk is None:
            changes.append((name, getattr(current, name), value))
            setattr(current, name, value)
    current.save()
    for name, old, new in changes:
        audit.record(by=name_of(by), source=source, partnership_id=partnership.pk,
                     obj=current, field=name, old=old, new=new)
    return current


@transaction.atomic
def set_indicator(*, question: Question, name: str, by, source: str = "web") -> bool:
    _require_editor(by, question.survey.partnership_id, "choose survey indicators")
    name = clean_text(name)
    old = (Question.objects.select_for_update().values_list("indicator_name", flat=True)
           .get(pk=question.pk))
    if old == name:
        question.indicator_name = name
        return False
    question.indicator_name = name
    question.save(update_fields=["indicator_name"])
    audit.record(by=name_of(by), source=source,
                 partnership_id=question.survey.partnership_id, obj=question.survey,
                 field=f"Q{question.number} indicator", old=old, new=name)
    return True


# ---------------------------------------------------------------------------------------------
# Imports
# ---------------------------------------------------------------------------------------------

@dataclass
class SurveyImport:
    survey: Survey | None
    created: bool
    questions: int
    responses: int
    changed: bool
    dry_run: bool = False
    kinds: dict[str, str] = field(default_factory=dict)


def _survey_shape(survey: Survey) -> tuple:
    questions = tuple((q.number, q.text, q.kind) for q in survey.questions.order_by("number"))
    answers = {}
    for a in Answer.objects.filter(response__survey=survey).select_related("question"):
        answers.setdefault(a.response_id, {})[a.question.number] = a.value
    responses = tuple(sorted(
        (r.respondent, r.submitted.isoformat() if r.submitted else "",
         tuple(sorted(answers.get(r.pk, {}).items())))
        for r in survey.responses.all()))
    return questions, responses


def _parsed_shape(parsed: ParsedSurvey) -> tuple:
    questions = tuple((q.number, q.text, q.kind) for q in parsed.questions)
    responses = tuple(sorted(
        (r.respondent, r.submitted.isoformat() if r.submitted else "",
         tuple(sorted(r.answers.items()))) for r in parsed.responses))
    return questions, responses


@transaction.atomic
def import_survey(*, partnership, parsed: ParsedSurvey, title: str, period: str = "",
                  audience: str = "parents", run_by: str = "", by,
                  dry_run: bool = False) -> SurveyImport:
    """Create the survey, or replace its questions and responses when the same title and
    period are imported again (a question's indicator is kept when its text is unchanged).
    Raises ImportFailed with every problem, and writes nothing, unless every row is good."""
    _require_editor(by, partnership.pk, f"load surveys into {partnership.name}")
    if parsed.problems:
        raise ImportFailed(parsed.problems)
    name = name_of(by)
    title = clean_text(title)
    source = f"import:{parsed.file}"
    survey = Survey.objects.filter(partnership=partnership, title__iexact=title,
                                   period=period).first()
    created = survey is None
    kinds = {q.text: q.kind for q in parsed.questions}
    if not created and _survey_shape(survey) == _parsed_shape(parsed):
        return SurveyImport(survey, False, len(parsed.questions), len(parsed.responses),
                            False, dry_run, kinds)
    indicators = {}
    if created:
        survey = Survey.objects.create(partnership=partnership, title=title, period=period,
                                       audience=audience, run_by=clean_text(run_by),
                                       source_file=parsed.file)
        audit.record(by=name, source=source, partnership_id=partnership.pk, obj=survey,
                     field="created", new=survey.ref)
    else:
        indicators = {q.text: q.indicator_name for q in survey.questions.all()}
        old = f"{survey.questions.count()} questions, {survey.responses.count()} responses"
        survey.responses.all().delete()
        survey.questions.all().delete()
        survey.source_file = parsed.file
        survey.save(update_fields=["source_file"])
        audit.record(by=name, source=source, partnership_id=partnership.pk, obj=survey,
                     field="responses", old=old,
                     new=f"{len(parsed.questions)} questions, {len(parsed.responses)} "
                         "responses")
    questions = {q.number: Question.objects.create(
        survey=survey, number=q.number, text=q.text, kind=q.kind,
        indicator_name=indicators.get(q.text, "")) for q in parsed.questions}
    responses = SurveyResponse.objects.bulk_create(
        [SurveyResponse(survey=survey, respondent=r.respondent, submitted=r.submitted)
         for r in parsed.responses], batch_size=1000)
    if not all(r.pk for r in responses):  # a database that does not return keys
        responses = list(survey.responses.order_by("pk"))
    Answer.objects.bulk_create(
        [Answer(response=saved, question=questions[number], value=value)
         for saved, r in zip(responses, parsed.responses, strict=True)
         for number, value in r.answers.items()], batch_size=2000)
    if dry_run:
        transaction.set_rollback(True)
    return SurveyImport(survey, created, len(parsed.questions), len(parsed.responses), True,
                        dry_run, kinds)


@dataclass
class ComplaintImport:
    created: list[str] = field(default_factory=list)
    updated: dict[str, list[str]] = field(default_factory=dict)
    unchanged: list[str] = field(default_factory=list)
    dry_run: bool = False

    def as_json(self) -> dict:
        return dict(self.__dict__)


COMPLAINT_FIELDS = ("reference", "received", "channel", "service", "themes", "stage",
                    "outcome", "responded")


@transaction.atomic
def import_complaints(*, partnership, parsed: ParsedComplaints, by,
                      dry_run: bool = False) -> ComplaintImport:
    """Create or update complaints matched by reference (ignoring case); all or nothing."""
    _require_editor(by, partnership.pk, f"change the complaints of {partnership.name}")
    if parsed.problems:
        raise ImportFailed(parsed.problems)
    name = name_of(by)
    source = f"import:{parsed.file}"
    result = ComplaintImport(dry_run=dry_run)
    existing = {c.reference.casefold(): c for c in
                Complaint.objects.filter(partnership=partnership)}
    for row in parsed.rows:
        complaint = existing.get(row.reference.casefold())
        if complaint is None:
            complaint = Complaint(partnership=partnership,
                                  **{n: getattr(row, n) for n in COMPLAINT_FIELDS})
            complaint.save()
            audit.record(by=name, source=source, partnership_id=partnership.pk, obj=complaint,
                         field="created", new=complaint.reference)
            result.created.append(complaint.reference)
            continue
        changed = []
        for name in COMPLAINT_FIELDS:
            old, new = getattr(complaint, name), getattr(row, name)
            if _shown(old) != _shown(new):
                audit.record(by=name, source=source, partnership_id=partnership.pk,
                             obj=complaint, field=name, old=_shown(old), new=_shown(new))
                setattr(complaint, name, new)
                changed.append(name)
        if changed:
            complaint.version += 1
            complaint.save()
            result.updated[complaint.reference] = changed
        else:
            result.unchanged.append(complaint.reference)
    if dry_run:
        transaction.set_rollback(True)
    return result
