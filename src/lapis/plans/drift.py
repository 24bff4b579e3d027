"""Drift and delay: which improvement-plan actions the board must look at.

Pure Python, no Django: callers turn their rows into `ActionFacts` and get back `Flagged`
results (or None) that are ready to render or serialise as JSON.

Rules, all judged against an `as_of` date:

- An action that is `closed`, or whose status family is "closed", is never flagged: it left the
  plan through change control, so the board no longer owns it.
- An action is *open* when its status family is not in DONE_FAMILIES ("complete", "embedded",
  "closed"). An action with no status at all counts as open: nobody has said it is done.
- A due date of month precision ("Feb-25") is due at the END of that month, so it is compared
  through `DueDate.end()`, never through its stored 1st-of-month value.
- overdue: open, has a due date, and due.end() < as_of.
  Facts: {"due": label, "days_overdue": (as_of - due.end()).days}.
- due_soon: open, not overdue, and as_of <= due.end() <= as_of + soon_days.
  Facts: {"due": label, "days_left": (due.end() - as_of).days}.
- stale: open, and never reviewed, or reviewed more than stale_days before as_of
  ((as_of - last_reviewed).days > stale_days). A review dated after as_of counts as a review,
  so it is not stale. Facts: {"last_reviewed": ISO date or None, "days_since": int or None,
  "stale_days": stale_days}.
- incomplete: any of no SRO, no improvement lead, no due date, no status family, no impact
  measure. Applies to done actions too (the board still needs to know who owned one).
  Facts: {"missing": a subset of ["sro", "lead", "due", "status", "impact_measure"], in that
  order}.
- slipped: the due date ended up later than it started. With the due changes sorted by
  `changed_on`, the original due date is the `old` of the first change whose `old` is set (no
  such change: no slip) and the current due date is the action's `due` (none: no slip).
  Flagged when current.end() - original.end() > 0 days, so a date moved later and back again
  has not slipped. Applies to done actions too. Facts: {"original_due", "current_due",
  "slippage_days", "moves_later": how many changes moved a date later}.
- An action with no flag gives None. Flags come out in FLAGS order.

`stale_days` and `soon_days` must be >= 0 and a precision must be "day" or "month"; anything
else raises ValueError.
"""

from __future__ import annotations

import calendar
import copy
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from lapis.core.dates import PartialDate

FLAGS = ("overdue", "due_soon", "stale", "incomplete", "slipped")  # output order of flags
DONE_FAMILIES = frozenset({"complete", "embedded", "closed"})
MISSING = ("sro", "lead", "due", "status", "impact_measure")  # order of facts["missing"]


# A due date is the one partial date of `lapis.core.dates`: to the day, or to the month.
DueDate = PartialDate


@dataclass(frozen=True)
class DueChange:
    """One change of an action's due date; None stands for "no due date"."""

    changed_on: date
    old: DueDate | None
    new: DueDate | None


@dataclass(frozen=True)
class ActionFacts:
    """What drift needs to know about one action, already read from the plan."""

    ref: str
    status_label: str | None
    status_family: str | None
    closed: bool  # closed through change control (a "Closures" row)
    due: DueDate | None
    last_reviewed: date | None
    has_sro: bool
    has_lead: bool
    has_impact_measure: bool
    due_changes: tuple[DueChange, ...] = ()


@dataclass(frozen=True)
class Flagged:
    """An action the board must look at, with the facts behind each flag."""

    ref: str
    flags: list[str]  # in FLAGS order
    facts: dict  # JSON-ready: one key per flag present
    status: str | None = None  # the action's status label, echoed in as_json()

    def as_json(self) -> dict:
        # Deep copy so a caller editing the JSON cannot change this (frozen) result.
        return {
            "ref": self.ref,
            "flags": list(self.flags),
            "status": self.status,
            **copy.deepcopy(self.facts),
        }


def _check_windows(stale_days: int, soon_days: int) -> None:
    if stale_days < 0:
        raise ValueError(f"stale_days must be >= 0, not {stale_days!r}")
    if soon_days < 0:
        raise ValueError(f"soon_days must be >= 0, not {soon_days!r}")


def _overdue(action: ActionFacts, as_of: date) -> dict | None:
    if action.due is None or action.due.end() >= as_of:
        return None
    return {"due": action.due.label(), "days_overdue": (as_of - action.due.end()).days}


def _due_soon(action: ActionFacts, as_of: date, soon_days: int) -> dict | None:
    # Only reached when not overdue, so due.end() >= as_of already holds when due is set.
    if action.due is None:
        return None
    days_left = (action.due.end() - as_of).days
    if not 0 <= days_left <= soon_days:
        return None
    return {"due": action.due.label(), "days_left": days_left}


def _stale(action: ActionFacts, as_of: date, stale_days: int) -> dict | None:
    reviewed = action.last_reviewed
    if reviewed is None:
        return {"last_reviewed": None, "days_since": None, "stale_days": stale_days}
    days_since = (as_of - reviewed).days
    # A review dated after as_of is still a review; stale_days >= 0 keeps it unflagged.
    if days_since <= stale_days:
        return None
    return {"last_reviewed": reviewed.isoformat(), "days_since": days_since,
            "stale_days": stale_days}


def _incomplete(action: ActionFacts) -> dict | None:
    present = {
        "sro": action.has_sro,
        "lead": action.has_lead,
        "due": action.due is not None,
        "status": action.status_family is not None,
        "impact_measure": action.has_impact_measure,
    }
    missing = [name for name in MISSING if not present[name]]
    return {"missing": missing} if missing else None


def _slipped(action: ActionFacts) -> dict | None:
    # sorted() is stable, so same-day changes keep the order the caller recorded them in.
    changes = sorted(action.due_changes, key=lambda change: change.changed_on)
    original = next((c.old for c in changes if c.old is not None), None)
    current = action.due
    if original is None or current is None:
        return None
    slippage = (current.end() - original.end()).days
    if slippage <= 0:
        return None
    moves_later = sum(
        1 for c in changes
        if c.old is not None and c.new is not None and c.new.end() > c.old.end()
    )
    return {"original_due": original.label(), "current_due": current.label(),
            "slippage_days": slippage, "moves_later": moves_later}


def assess(
    action: ActionFacts, *, as_of: date, stale_days: int = 90, soon_days: int = 30
) -> Flagged | None:
    """The flags that apply to one action on `as_of`, or None when none do."""
    _check_windows(stale_days, soon_days)
    if action.closed or action.status_family == "closed":
        return None
    is_open = action.status_family not in DONE_FAMILIES
    facts: dict = {}
    if is_open:
        facts["overdue"] = _overdue(action, as_of)
        if facts["overdue"] is None:
            facts["due_soon"] = _due_soon(action, as_of, soon_days)
        facts["stale"] = _stale(action, as_of, stale_days)
    facts["incomplete"] = _incomplete(action)
    facts["slipped"] = _slipped(action)
    flags = [name for name in FLAGS if facts.get(name) is not None]
    if not flags:
        return None
    return Flagged(
        ref=action.ref,
        flags=flags,
        facts={name: facts[name] for name in flags},
        status=action.status_label,
    )


def assess_all(
    actions: Iterable[ActionFacts], *, as_of: date, stale_days: int = 90, soon_days: int = 30
) -> list[Flagged]:
    """The flagged actions, in input order; unflagged ones are left out."""
    # Check up front so bad windows fail even when there are no actions to assess.
    _check_windows(stale_days, soon_days)
    results = (
        assess(action, as_of=as_of, stale_days=stale_days, soon_days=soon_days)
        for action in actions
    )
    return [result for result in results if result is not None]


def summarise(flagged: Iterable[Flagged]) -> dict[str, int]:
    """How many actions carry each flag; every flag is present, in FLAGS order."""
    counts = dict.fromkeys(FLAGS, 0)
    for result in flagged:
        for name in result.flags:
            counts[name] += 1
    return counts


MISSING_WORDS = {"sro": "SRO", "lead": "improvement lead", "due": "due date",
                 "status": "status", "impact_measure": "impact measure"}


def _spoken(label: str) -> str:
    """'2025-10' -> 'October 2025'; '2025-10-03' -> '3 October 2025'."""
    parts = [int(p) for p in label.split("-")]
    month = f"{calendar.month_name[parts[1]]} {parts[0]}"
    return f"{parts[2]} {month}" if len(parts) == 3 else month


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def explain(flagged: Flagged) -> list[str]:
    """One plain-English sentence per flag, in FLAGS order, for pages and the terminal."""
    facts, lines = flagged.facts, []
    if f := facts.get("overdue"):
        lines.append(f"Due {_due_words(f['due'])}: {_days(f['days_overdue'])} overdue.")
    if f := facts.get("due_soon"):
        lines.append(f"Due {_due_words(f['due'])}: {_days(f['days_left'])} left.")
    if f := facts.get("stale"):
        if f["last_reviewed"] is None:
            lines.append("Never reviewed.")
        else:
            lines.append(f"Last reviewed {_spoken(f['last_reviewed'])}, "
                         f"{_days(f['days_since'])} ago (more than {f['stale_days']}).")
    if f := facts.get("incomplete"):
        lines.append("Missing: " + ", ".join(MISSING_WORDS[m] for m in f["missing"]) + ".")
    if f := facts.get("slipped"):
        moves = f["moves_later"]
        lines.append(f"Due date moved from {_spoken(f['original_due'])} to "
                     f"{_spoken(f['current_due'])}: {_days(f['slippage_days'])} later"
                     + (f", in {moves} moves." if moves > 1 else "."))
    return lines


def _due_words(label: str) -> str:
    return ("by the end of " if label.count("-") == 1 else "on ") + _spoken(label)
