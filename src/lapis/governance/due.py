"""Due for update: which of a board's actions need a fresh update before its next meeting.

Pure Python, no Django: callers turn their rows into `DueFacts` and get back `DueItem`s (and
reminder letters) ready to render, email or serialise as JSON.

Rules, for the meeting on `meeting` whose board last met on `previous` (None: no earlier
meeting is recorded):

- An *update* is a dated progress entry or the action's last-reviewed date (the Hull register
  records its reviews in that column). A month-precision entry ("Sep-25") is dated the 1st of
  its month, the earliest it can have been written, so it never counts as newer than it may be.
  An update dated after the meeting did not exist before it and does not count, so a past
  meeting's list is the list as it stood on the day.
- "no update since the last meeting": no update dated after `previous` and on or before the
  meeting. Never updated counts as no update. With no previous meeting, the window is the
  WINDOW_DAYS (90) days before the meeting: no update with 0 <= (meeting - date) <= 90 days.
- "overdue": the drift rule (`lapis.plans.drift`) judged on the meeting day: open (status
  family not in DONE_FAMILIES; no status counts as open), has a due date, and its end
  (a month-precision due date ends on the last day of its month) is before the meeting.
- "pending change request CR-N": one reason per change request sent to this board that is
  still awaiting a decision, in the order given.
- Closed actions and actions in a done family (complete, embedded, closed) are left out, except
  for their pending change requests, which the board still has to decide.
- Reasons come out in that order; actions keep their input order; an action with no reason is
  left out. `previous` must be before `meeting`, and `window_days` at least 1, or ValueError.
"""

from __future__ import annotations

import calendar
import copy
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from lapis.plans import drift

WINDOW_DAYS = 90  # with no earlier meeting: an update in the 90 days before counts
REASONS = ("no_update", "overdue", "change_request")  # output order of reasons


@dataclass(frozen=True)
class DueFacts:
    """What the rules need to know about one action of the board."""

    ref: str
    people: tuple[int, ...]  # the SRO then the improvement leads, as person ids
    updates: tuple[date, ...]  # progress-entry dates and the last-reviewed date
    due: drift.DueDate | None
    status_family: str | None
    closed: bool
    pending_change_requests: tuple[int, ...] = ()  # change request ids (CR-<id>)


@dataclass(frozen=True)
class Reason:
    kind: str  # one of REASONS
    text: str  # plain English, for pages, emails and the terminal
    facts: dict  # JSON-ready


@dataclass(frozen=True)
class DueItem:
    ref: str
    reasons: tuple[Reason, ...]  # in REASONS order
    people: tuple[int, ...]

    def as_json(self) -> dict:
        return {
            "ref": self.ref,
            "reasons": [{"kind": r.kind, "text": r.text, **copy.deepcopy(r.facts)}
                        for r in self.reasons],
        }


def spoken(day: date) -> str:
    """2025-09-09 -> '9 September 2025'."""
    return f"{day.day} {calendar.month_name[day.month]} {day.year}"


def _check(meeting: date, previous: date | None, window_days: int) -> None:
    if previous is not None and previous >= meeting:
        raise ValueError(f"the previous meeting ({previous}) must be before {meeting}")
    if window_days < 1:
        raise ValueError(f"window_days must be at least 1, not {window_days!r}")


def _no_update(action: DueFacts, meeting: date, previous: date | None,
               window_days: int) -> Reason | None:
    before = [d for d in action.updates if d <= meeting]
    last = max(before, default=None)
    if previous is not None:
        if last is not None and last > previous:
            return None
        text = f"no update since the last meeting on {spoken(previous)}"
        since = previous
    else:
        if last is not None and (meeting - last).days <= window_days:
            return None
        text = f"no update in the {window_days} days before the meeting (no earlier meeting)"
        since = date.fromordinal(meeting.toordinal() - window_days)
    return Reason("no_update", text, {"since": since.isoformat(),
                                      "last_update": last.isoformat() if last else None})


def _overdue(action: DueFacts, meeting: date) -> Reason | None:
    # Ask drift itself, on the meeting day, so "overdue" means exactly what it means there.
    facts = drift.ActionFacts(
        ref=action.ref, status_label=None, status_family=action.status_family,
        closed=action.closed, due=action.due, last_reviewed=meeting, has_sro=True,
        has_lead=True, has_impact_measure=True)
    flagged = drift.assess(facts, as_of=meeting)
    found = flagged.facts.get("overdue") if flagged else None
    if found is None:
        return None
    due = action.due
    words = (f"by the end of {calendar.month_name[due.value.month]} {due.value.year}"
             if due.precision == "month" else f"on {spoken(due.value)}")
    return Reason("overdue", f"overdue: due {words}", dict(found))


def assess(action: DueFacts, *, meeting: date, previous: date | None,
           window_days: int = WINDOW_DAYS) -> DueItem | None:
    """Why one action is due for update before the meeting, or None when it is not."""
    _check(meeting, previous, window_days)
    reasons: list[Reason] = []
    done = action.closed or action.status_family in drift.DONE_FAMILIES
    if not done:
        for reason in (_no_update(action, meeting, previous, window_days),
                       _overdue(action, meeting)):
            if reason is not None:
                reasons.append(reason)
    for pk in action.pending_change_requests:
        reasons.append(Reason("change_request", f"pending change request CR-{pk}",
                              {"change_request": f"CR-{pk}"}))
    if not reasons:
        return None
    return DueItem(ref=action.ref, reasons=tuple(reasons), people=action.people)


def due_for_update(actions: Iterable[DueFacts], *, meeting: date, previous: date | None,
                   window_days: int = WINDOW_DAYS) -> list[DueItem]:
    """The actions due for update before the meeting, in input order."""
    _check(meeting, previous, window_days)
    found = (assess(a, meeting=meeting, previous=previous, window_days=window_days)
             for a in actions)
    return [item for item in found if item is not None]


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    email: str


@dataclass(frozen=True)
class Letter:
    """One reminder: a person and every due action they lead, with the reasons."""

    person: Person
    items: tuple[DueItem, ...]
    subject: str
    body: str


def letters(items: Iterable[DueItem], people: dict[int, Person], *, board: str,
            meeting: date, titles: dict[str, str] | None = None
            ) -> tuple[list[Letter], list[Letter]]:
    """(to send, not reminded: no email address), one letter per person concerned.

    People come in the order they are first met (an action's SRO before its leads); each gets
    one letter however many actions they lead. `titles` maps a ref to a short description.
    """
    titles = titles or {}
    grouped: dict[int, list[DueItem]] = {}
    for item in items:
        for pk in dict.fromkeys(item.people):
            grouped.setdefault(pk, []).append(item)
    send, unsent = [], []
    subject = f"Update needed before the {board} meeting on {spoken(meeting)}"
    for pk, theirs in grouped.items():
        person = people[pk]
        lines = [f"Dear {person.name},", "",
                 f"Before the {board} meeting on {spoken(meeting)}, please bring these "
                 "actions up to date in LAPIS:", ""]
        for item in theirs:
            title = titles.get(item.ref, "")
            lines.append(f"- {item.ref}" + (f" {title}" if title else ""))
            lines.extend(f"    {reason.text}" for reason in item.reasons)
        lines += ["", "Thank you."]
        letter = Letter(person, tuple(theirs), subject, "\n".join(lines) + "\n")
        (send if person.email.strip() else unsent).append(letter)
    return send, unsent
