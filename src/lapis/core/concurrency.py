"""Optimistic locking: an edit names the version it started from; a stale edit is refused.

A model that takes part has `version = PositiveIntegerField(default=1)`. A form carries the
version it showed in a hidden field; `save_versioned` saves only when nobody has saved since,
raises `EditConflict` (holding the record as it now is, so the page can show both) otherwise,
and writes one history line per changed field, in the same transaction.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from lapis.core import history


class EditConflict(Exception):
    """Someone saved the record after this edit began. `current` is the record as saved."""

    def __init__(self, current):
        self.current = current
        super().__init__(
            f"{current._meta.verbose_name.capitalize()} was changed by someone else while you "
            "were editing it. Your changes have not been saved: compare the two versions below."
        )


def _shown(value) -> str:
    return "" if value is None else str(value)


def save_versioned(instance, expected_version: int, fields: list[str], *, by: str,
                   source: str, partnership_id: int) -> list[tuple[str, str, str]]:
    """Save `fields` of `instance` if its row is still at `expected_version`.

    Returns the (field, old, new) changes recorded; raises EditConflict when stale.
    """
    model = type(instance)
    with transaction.atomic():
        claimed = model.objects.filter(pk=instance.pk, version=expected_version).update(
            version=F("version") + 1
        )
        current = model.objects.get(pk=instance.pk)
        if not claimed:
            raise EditConflict(current)
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
