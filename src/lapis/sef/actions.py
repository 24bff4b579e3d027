"""Every write to the SEF goes through here: keyword-only, atomic, audited in the same transaction.

Views, the demo and tests call these; nothing else creates, edits or deletes SEF rows. Each
takes the acting user (`by`: a user, or a `lapis.core.actors.System` for the server operator)
and checks permission itself: administrators and programme managers edit the SEF. A stale
edit raises `lapis.core.concurrency.EditConflict`.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from lapis.core import history as audit
from lapis.core.actors import name_of
from lapis.core.concurrency import save_versioned
from lapis.partnership import permissions
from lapis.sef.models import Afi, EvidenceItem, Framework, SefArea, SefPriority

EDITORS_ONLY = "Only administrators and programme managers can edit the SEF."


def _require_edit(by, partnership_id: int) -> None:
    permissions.require(permissions.can_edit(by, partnership_id), EDITORS_ONLY)


def current_framework(on: dt.date | None = None) -> Framework:
    """The newest framework in force on the day (today by default)."""
    on = on or dt.date.today()
    found = Framework.objects.filter(valid_from__lte=on).order_by("-valid_from").first()
    return found or Framework.objects.order_by("valid_from").first()


@transaction.atomic
def ensure_areas(*, partnership, framework: Framework | None = None) -> list[SefArea]:
    """One SefArea per framework area, created empty ("no content yet") where missing.

    The one write that takes no actor and records no history: every reader of the SEF (a
    page, `lapis sef`, `lapis sef_check`) lays out the framework's empty areas, which changes
    nothing anyone sees. Two readers racing to lay them out is harmless: a row the other made
    first is skipped (the unique constraint on partnership and area)."""
    framework = framework or current_framework()
    have = set(SefArea.objects.filter(partnership=partnership, area__framework=framework)
               .values_list("area_id", flat=True))
    SefArea.objects.bulk_create([SefArea(partnership=partnership, area=area)
                                 for area in framework.areas.all() if area.pk not in have],
                                ignore_conflicts=True)
    return list(SefArea.objects.filter(partnership=partnership, area__framework=framework)
                .select_related("area"))


AREA_FIELDS = ("big_picture", "judgement")


@transaction.atomic
def edit_area(*, sef_area: SefArea, by, version: int, source: str = "web: SEF area",
              **values) -> list:
    """Save the area's big picture or judgement if nobody saved it since `version`.

    `save_versioned` claims the row with a conditional update on its version, so the check and
    the save cannot be split by another editor."""
    _require_edit(by, sef_area.partnership_id)
    for name, value in values.items():
        if name not in AREA_FIELDS:
            raise ValueError(f"{name} is not editable")
        setattr(sef_area, name, value)
    return save_versioned(sef_area, version, list(values), by=name_of(by), source=source,
                          partnership_id=sef_area.partnership_id)


@transaction.atomic
def add_evidence(*, sef_area: SefArea, by, number: str, text: str, source_kind: str,
                 kind: str = "strength", source: str = "", indicator=None, period: str = "",
                 breakdown: str = "All", figure: float | None = None,
                 origin: str = "web: SEF evidence") -> EvidenceItem:
    _require_edit(by, sef_area.partnership_id)
    item = EvidenceItem.objects.create(
        sef_area=sef_area, kind=kind, number=number, text=text, source_kind=source_kind,
        source=source, indicator=indicator, period=period, breakdown=breakdown or "All",
        figure=figure)
    audit.record(by=name_of(by), source=origin, partnership_id=sef_area.partnership_id,
                 obj=sef_area, field="evidence added", new=f"{number} {text}")
    return item


@transaction.atomic
def remove_evidence(*, item: EvidenceItem, by, origin: str = "web: SEF evidence") -> None:
    sef_area = item.sef_area
    _require_edit(by, sef_area.partnership_id)
    audit.record(by=name_of(by), source=origin, partnership_id=sef_area.partnership_id,
                 obj=sef_area, field="evidence removed", old=f"{item.number} {item.text}")
    item.delete()


@transaction.atomic
def add_priority(*, sef_area: SefArea, by, text: str, actions=(), indicators=(),
                 origin: str = "web: SEF priority") -> SefPriority:
    """A new improvement priority, numbered after the area's last one.

    The area's row is locked before its priorities are counted, so two priorities added at
    once are numbered one after the other."""
    _require_edit(by, sef_area.partnership_id)
    locked = SefArea.objects.select_for_update().get(pk=sef_area.pk)
    position = locked.priorities.count() + 1
    priority = SefPriority.objects.create(sef_area=sef_area, text=text, position=position)
    priority.actions.set(actions)
    priority.indicators.set(indicators)
    refs = ", ".join(a.ref for a in priority.actions.all())
    audit.record(by=name_of(by), source=origin, partnership_id=sef_area.partnership_id,
                 obj=sef_area, field="priority added",
                 new=f"{text}" + (f" (actions {refs})" if refs else ""))
    return priority


@transaction.atomic
def remove_priority(*, priority: SefPriority, by, origin: str = "web: SEF priority"):
    sef_area = priority.sef_area
    _require_edit(by, sef_area.partnership_id)
    audit.record(by=name_of(by), source=origin, partnership_id=sef_area.partnership_id,
                 obj=sef_area, field="priority removed", old=priority.text)
    priority.delete()


@transaction.atomic
def set_afi(*, partnership, by, code: str, text: str, actions=(), indicators=(),
            origin: str = "web: AFI") -> Afi:
    """Create the area for improvement, or bring its text and links up to date.

    A held AFI is read locked, inside the transaction, so its text and actions are compared
    as they are now."""
    _require_edit(by, partnership.pk)
    who = name_of(by)
    afi = Afi.objects.select_for_update().filter(partnership=partnership, code=code).first()
    if afi is None:
        afi = Afi.objects.create(partnership=partnership, code=code, text=text)
        audit.record(by=who, source=origin, partnership_id=partnership.pk, obj=afi,
                     field="created", new=text)
    elif afi.text != text:
        audit.record(by=who, source=origin, partnership_id=partnership.pk, obj=afi,
                     field="text", old=afi.text, new=text)
        afi.text = text
        afi.save(update_fields=["text"])
    old = sorted(a.ref for a in afi.actions.all())
    afi.actions.set(actions)
    afi.indicators.set(indicators)
    new = sorted(a.ref for a in afi.actions.all())
    if old != new:
        audit.record(by=who, source=origin, partnership_id=partnership.pk, obj=afi,
                     field="actions", old=", ".join(old), new=", ".join(new))
    return afi
