"""Optimistic locking: an edit names the version it started from; a stale edit is refused.

A model that takes part has `version = PositiveIntegerField(default=1)`. A form carries the
version it showed in a hidden field; `save_versioned` saves only when nobody has saved since,
raises `EditConflict` (holding the record as it now is, so the page can show both) otherwise,
and writes one history line per changed field, in the same transaction.

Every other read-decide-write (is the request still pending? what is the status now? which
position does the next entry take?) decides on the row as it is inside the writing
transaction: `lock(instance)` re-reads it with `SELECT ... FOR UPDATE` (PostgreSQL), so a
second writer waits for the first to commit and then sees its work. SQLite has no row locks;
there the settings open every transaction with `BEGIN IMMEDIATE`, which takes the database's
write lock at once, so the re-read inside the transaction is just as fresh.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from lapis.core import history
from lapis.core.errors import Invalid


class EditConflict(Exception):
    """Someone saved the record after this edit began. `current` is the record as saved;
    `expected` the version the edit began from (None when the caller did not say)."""

    def __init__(self, current, expected: int | None = None):
        self.current = current
        self.expected = expected
        super().__init__(
            f"{current._meta.verbose_name.capitalize()} was changed by someone else while you "
            "were editing it. Your changes have not been saved: compare the two versions below."
        )


class Conflict(Invalid):
    """The record moved on while the request was in flight (a change request decided by
    someone else a moment before): refused, nothing written. An `Invalid`, so forms and
    commands report it as they report any refusal; the API answers 409."""


def lock(instance):
    """Re-read `instance` from its row, in place, holding the row until the transaction ends.

    Call inside `transaction.atomic()`; decide on what it returns, never on a copy read
    before the transaction began. Cached relations whose key changed are dropped, so
    `instance.status` is the status now saved.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("lock() outside a transaction locks nothing")
    # refresh_from_db drops every cached relation; keep those whose key did not change, so
    # the caller's `action.plan` (say) stays the object it already holds.
    cached = {f: (getattr(instance, f.attname), f.get_cached_value(instance))
              for f in instance._meta.concrete_fields if f.is_relation and f.is_cached(instance)}
    instance.refresh_from_db(from_queryset=type(instance)._base_manager.select_for_update())
    for field, (key, value) in cached.items():
        if getattr(instance, field.attname) == key and not field.is_cached(instance):
            field.set_cached_value(instance, value)
    return instance


def hold(model, pk) -> None:
    """Take the row's lock (until the transaction ends) without reading it into an object:
    for example the partnership's, so that two writers picking the next free reference in it
    go one after the other."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("hold() outside a transaction locks nothing")
    list(model._base_manager.select_for_update().filter(pk=pk).values_list("pk", flat=True))


def _shown(value) -> str:
    return "" if value is None else str(value)


def save_versioned(instance, expected_version: int, fields: list[str], *, by: str,
                   source: str, partnership_id: int) -> list[tuple[str, str, str]]:
    """Save `fields` of `instance` if its row is still at `expected_version`.

    Returns the (field, old, new) changes recorded; raises EditConflict when stale.
    """
    model = type(instance)
    with transaction.atomic():
        # Claim the row: a conditional UPDATE that moves the version on only if nobody has.
        # A concurrent claim waits on the row (PostgreSQL) or the write lock (SQLite) and then
        # matches nothing, so exactly one of two edits from the same version wins.
        claimed = model._base_manager.filter(pk=instance.pk, version=expected_version).update(
            version=F("version") + 1
        )
        # The row as saved (and now ours until commit): the "old" side of each change.
        current = model._base_manager.get(pk=instance.pk)
        if not claimed:
            raise EditConflict(current, expected_version)
        changes = []
        for name in fields:
            attname = model._meta.get_field(name).attname
            if getattr(current, attname) != getattr(instance, attname):
                changes.append((name, _shown(getattr(current, name)),
                                _shown(getattr(instance, name))))
        instance.version = current.version
        instance.save(update_fields=[*fields, "version"] + (
            ["updated_at"] if any(f.name == "updated_at" for f in model._meta.fields) else []))
        for name, old, new in changes:
            history.record(by=by, source=source, partnership_id=partnership_id, obj=instance,
                         field=name, old=old, new=new)
    return changes
