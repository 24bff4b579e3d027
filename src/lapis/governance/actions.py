"""Every write to boards and meetings goes through here (views, commands, the API, the demo).

Each function is keyword-only and atomic, takes the acting user (`by`: a user, or a
`lapis.core.actors.System` for the server operator), checks permission itself (boards and
meetings are edited by administrators and programme managers) and records what it changed in
the history in the same transaction. A stale edit raises `lapis.core.concurrency.EditConflict`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction

from lapis.core import history as audit
from lapis.core.actors import name_of
from lapis.core.concurrency import EditConflict, save_versioned
from lapis.governance.models import Meeting
from lapis.governance.queries import DueList, board_fingerprint
from lapis.partnership import permissions
from lapis.partnership.models import Board, Partnership

MEETING_FIELDS = ("date", "title", "notes", "minutes_url")
EDITORS_ONLY = "Only administrators and programme managers can change boards and meetings."


def _require_edit(by, partnership_id: int) -> None:
    permissions.require(permissions.can_edit(by, partnership_id), EDITORS_ONLY)


@transaction.atomic
def add_board(*, partnership: Partnership, name: str, by, source: str) -> Board:
    """A new board of the partnership, with no terms of reference or members yet."""
    _require_edit(by, partnership.pk)
    board = Board.objects.create(partnership=partnership, name=name)
    audit.record(by=name_of(by), source=source, partnership_id=partnership.pk, obj=board,
                 field="created", new=name)
    return board


@transaction.atomic
def add_meeting(*, board: Board, date: dt.date, title: str = "", notes: str = "",
                minutes_url: str = "", by, source: str) -> Meeting:
    _require_edit(by, board.partnership_id)
    meeting = Meeting.objects.create(board=board, date=date, title=title, notes=notes,
                                     minutes_url=minutes_url)
    audit.record(by=name_of(by), source=source, partnership_id=board.partnership_id,
                 obj=meeting, field="created", new=f"{date.isoformat()} {title}".strip())
    return meeting


@transaction.atomic
def edit_meeting(*, meeting: Meeting, version: int, by, source: str, **values):
    """Save new values if nobody saved the meeting since `version`; returns the changes.

    `save_versioned` claims the row with a conditional update on its version, so the check and
    the save cannot be split by another editor."""
    _require_edit(by, meeting.board.partnership_id)
    for name, value in values.items():
        if name not in MEETING_FIELDS:
            raise ValueError(f"a meeting has no editable field {name!r}")
        setattr(meeting, name, value)
    return save_versioned(meeting, version, list(values), by=name_of(by), source=source,
                          partnership_id=meeting.board.partnership_id)


@transaction.atomic
def edit_board(*, board: Board, fingerprint: str, terms_of_reference: str, members, by,
               source: str) -> list[str]:
    """Save the terms of reference and members if they are as the editor saw them.

    Board has no version field, so the form carries a hash of the fields it showed; the row is
    locked while the hash is compared, so two editors cannot both pass the check.
    """
    _require_edit(by, board.partnership_id)
    current = Board.objects.select_for_update().get(pk=board.pk)
    if board_fingerprint(current) != fingerprint:
        raise EditConflict(current)
    changed = []
    if current.terms_of_reference != terms_of_reference:
        audit.record(by=name_of(by), source=source, partnership_id=current.partnership_id,
                     obj=current, field="terms_of_reference", old=current.terms_of_reference,
                     new=terms_of_reference)
        current.terms_of_reference = terms_of_reference
        current.save(update_fields=["terms_of_reference"])
        changed.append("terms_of_reference")
    old = sorted(current.members.all(), key=lambda p: p.name)
    new = sorted(members, key=lambda p: p.name)
    if [p.pk for p in old] != [p.pk for p in new]:
        audit.record(by=name_of(by), source=source, partnership_id=current.partnership_id,
                     obj=current, field="members", old="; ".join(p.name for p in old),
                     new="; ".join(p.name for p in new))
        current.members.set(new)
        changed.append("members")
    board.terms_of_reference = current.terms_of_reference
    return changed


@dataclass
class Reminded:
    sent: list[str] = field(default_factory=list)  # "Name <email>"
    not_reminded: list[str] = field(default_factory=list)  # names with no email address
    dry_run: bool = False


def send_reminders(*, due: DueList, by, source: str, dry_run: bool = False) -> Reminded:
    """Email each lead or SRO concerned once, listing their actions and reasons; record it.

    With dry_run nothing is sent or recorded. Raises what the mail backend raises, in which
    case nothing is recorded either.
    """
    _require_edit(by, due.board.partnership_id)
    result = Reminded(
        sent=[f"{letter.person.name} <{letter.person.email}>" for letter in due.send],
        not_reminded=[letter.person.name for letter in due.unsent],
        dry_run=dry_run,
    )
    if dry_run:
        return result
    messages = [
        EmailMessage(letter.subject, letter.body, settings.DEFAULT_FROM_EMAIL,
                     [letter.person.email])
        for letter in due.send
    ]
    with transaction.atomic():
        if messages:
            get_connection(fail_silently=False).send_messages(messages)
        text = f"emailed {len(result.sent)}: " + ("; ".join(result.sent) or "nobody")
        if result.not_reminded:
            text += "; not reminded (no email address): " + "; ".join(result.not_reminded)
        audit.record(by=name_of(by), source=source, partnership_id=due.board.partnership_id,
                     obj=due.meeting, field="reminders", new=text)
    return result


@dataclass
class MeetingRow:
    """One row of a meetings file, already checked."""

    board: Board
    date: dt.date
    title: str
    notes: str | None = None  # None: the file has no such column, keep what is held
    minutes_url: str | None = None


@dataclass
class MeetingsImported:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    dry_run: bool = False


@transaction.atomic
def import_meetings(*, rows: list[MeetingRow], by, source: str,
                    dry_run: bool = False) -> MeetingsImported:
    """Create or update meetings (matched on board and date). Rows must be checked first.

    Each held meeting is read locked, inside the transaction, so what is compared and the
    version the edit names are the row as it is now."""
    for partnership_id in sorted({row.board.partnership_id for row in rows}):
        _require_edit(by, partnership_id)
    result = MeetingsImported(dry_run=dry_run)
    for row in rows:
        name = f"{row.board.name} {row.date.isoformat()}"
        meeting = (Meeting.objects.select_for_update()
                   .filter(board=row.board, date=row.date).first())
        if meeting is None:
            add_meeting(board=row.board, date=row.date, title=row.title,
                        notes=row.notes or "", minutes_url=row.minutes_url or "", by=by,
                        source=source)
            result.created.append(name)
            continue
        values = {"title": row.title}
        if row.notes is not None:
            values["notes"] = row.notes
        if row.minutes_url is not None:
            values["minutes_url"] = row.minutes_url
        if all(getattr(meeting, k) == v for k, v in values.items()):
            result.unchanged.append(name)
            continue
        edit_meeting(meeting=meeting, version=meeting.version, by=by, source=source, **values)
        result.updated.append(name)
    if dry_run:
        transaction.set_rollback(True)
    return result
