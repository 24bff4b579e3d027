"""What changed between two board-pack snapshots: pure Python, no Django.

Both arguments are the `actions` part of a snapshot (or whole snapshots, whose "actions" key
is read): a mapping of action ref to

    {"ref": "1.1", "description": "...", "status": "On track" | None, "closed": False,
     "due": {"label": "2025-02", "end": "2025-02-28"} | None,
     "progress": [{"id": 7, "date": "2025-01-10" | None, "text": "...",
                   "status_from": "Not started" | None, "status_to": "On track" | None}]}

Changes, in the order an action's rows come out (and actions in natural ref order, "2.10"
after "2.9"):

- added: the action reports to the board now and did not before (nothing else is listed
  for it: everything about it is new).
- removed: it reported before and does not now (it left the board, or was deleted).
- update: a progress entry whose id was not in the previous snapshot, one per entry, in
  date order (undated last), then id order.
- status: the status label differs ({"old", "new"}; either may be None).
- closed / reopened: the change-control closed flag moved.
- slipped: the due date now ends later than it did ({"old", "new", "days"}).
- brought_forward: the due date now ends earlier.
- due_set / due_removed: a due date appeared or went away.

A due date moving between precisions with the same last day ("2025-02" to "2025-02-28") is
not a change. Nothing else (descriptions, leads, progress text edited in place) is compared.
"""

from __future__ import annotations

import datetime as dt
import re

KINDS = ("added", "removed", "update", "status", "closed", "reopened", "slipped",
         "brought_forward", "due_set", "due_removed")


def ref_order(ref: str) -> tuple:
    """'3.11a' sorts after '3.2': numbers compare as numbers, the rest as text."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part.casefold())
                 for part in re.findall(r"\d+|\D+", ref or ""))


def _actions(snapshot) -> dict:
    if snapshot is None:
        return {}
    if "actions" in snapshot and isinstance(snapshot.get("actions"), dict):
        return snapshot["actions"]
    return snapshot


def _end(due) -> dt.date | None:
    return dt.date.fromisoformat(due["end"]) if due else None


def _update_order(entry: dict) -> tuple:
    return (entry.get("date") is None, entry.get("date") or "", entry["id"])


def diff(previous, current) -> list[dict]:
    """Every change from `previous` to `current` (see the module docstring)."""
    before, now = _actions(previous), _actions(current)
    changes = []
    for ref in sorted(set(before) | set(now), key=ref_order):
        old, new = before.get(ref), now.get(ref)
        if old is None:
            changes.append({"kind": "added", "ref": ref, "status": new.get("status"),
                            "description": new.get("description", "")})
            continue
        if new is None:
            changes.append({"kind": "removed", "ref": ref, "status": old.get("status"),
                            "description": old.get("description", "")})
            continue
        changes.extend(_action_changes(ref, old, new))
    return changes


def _action_changes(ref: str, old: dict, new: dict) -> list[dict]:
    found = []
    seen = {entry["id"] for entry in old.get("progress", [])}
    for entry in sorted((e for e in new.get("progress", []) if e["id"] not in seen),
                        key=_update_order):
        found.append({"kind": "update", "ref": ref, "id": entry["id"], "date": entry.get("date"),
                      "text": entry.get("text", ""), "status_from": entry.get("status_from"),
                      "status_to": entry.get("status_to")})
    if old.get("status") != new.get("status"):
        found.append({"kind": "status", "ref": ref, "old": old.get("status"),
                      "new": new.get("status")})
    if bool(old.get("closed")) != bool(new.get("closed")):
        found.append({"kind": "closed" if new.get("closed") else "reopened", "ref": ref})
    was, is_now = old.get("due"), new.get("due")
    if was and is_now:
        days = (_end(is_now) - _end(was)).days
        if days:
            found.append({"kind": "slipped" if days > 0 else "brought_forward", "ref": ref,
                          "old": was["label"], "new": is_now["label"], "days": abs(days)})
    elif is_now:
        found.append({"kind": "due_set", "ref": ref, "new": is_now["label"]})
    elif was:
        found.append({"kind": "due_removed", "ref": ref, "old": was["label"]})
    return found


def summary(changes: list[dict]) -> dict[str, int]:
    """How many changes of each kind, in KINDS order, kinds with none left out."""
    counts = {kind: 0 for kind in KINDS}
    for change in changes:
        counts[change["kind"]] += 1
    return {kind: n for kind, n in counts.items() if n}


def describe(change: dict) -> str:
    """One line of plain English for a change, for the terminal and the PDF."""
    ref, kind = change["ref"], change["kind"]
    if kind == "added":
        return f"{ref} now reports to the board"
    if kind == "removed":
        return f"{ref} no longer reports to the board"
    if kind == "update":
        when = change["date"] or "undated"
        return f"{ref} update ({when}): {change['text']}"
    if kind == "status":
        return f"{ref} status moved from {change['old'] or 'none'} to {change['new'] or 'none'}"
    if kind == "closed":
        return f"{ref} closed through change control"
    if kind == "reopened":
        return f"{ref} reopened"
    if kind == "slipped":
        return f"{ref} due date slipped from {change['old']} to {change['new']} " \
               f"({change['days']} days later)"
    if kind == "brought_forward":
        return f"{ref} due date brought forward from {change['old']} to {change['new']} " \
               f"({change['days']} days earlier)"
    if kind == "due_set":
        return f"{ref} due date set to {change['new']}"
    return f"{ref} due date removed (was {change['old']})"
