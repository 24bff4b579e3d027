"""Every write to the SEF goes through here: keyword-only, atomic, audited in the same transaction.

Views, the demo and tests call these; nothing else creates, edits or deletes SEF rows.
A stale edit raises `lapis.core.concurrency.EditConflict`.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from lapis.core import history as audit
from lapis.core.concurrency import save_versioned
from lapis.sef.models import Afi, EvidenceItem, Framework, SefArea, SefPriority


def current_framework(on: dt.date | None = None) -> Framework:
    """The newest framework in force on the day (today by default)."""
    on = on or dt.date.today()
    found = Framework.objects.filter(valid_from__lte=on).order_by("-valid_from").first()
    return found or Framework.objects.order_by("valid_from").first()


@transaction.atomic
def ensure_areas(*, partnership, framework: Framework | None = None) -> list[SefArea]:
    """One SefArea per framework area, created empty ("no content yet") where missing."""
    framework = framework or current_framework()
    have = set(SefArea.objects.filter(partnership=partnership, area__framework=framework)
               .values_list("area_id", flat=True))
    SefArea.objects.bulk_create([SefArea(partnership=partnership, area=area)
                                 for area in framework.areas.all() if area.pk not in have])
    return list(SefArea.objects.filter(partnership=partnership, area__framework=framework)
                .select_related("area"))


AREA_FIELDS = ("big_picture", "judgement")


def edit_area(sef_area: SefArea, *, by: str, version: int, source: str = "web: SEF area",
              **values) -> list:
    for name, value in values.items():
        if name not in AREA_FIELDS:
            raise ValueError(f"{name} is not editable")
        setattr(sef_area, name, value)
    return save_versioned(sef_area, version, list(values), by=by, source=source,
                          partnership_id=sef_area.partnership_id)


def _record_created(obj, *, by, source, partnership_id, what):
    audit.record(by=by, source=source, partnership_id=partnership_id, obj=obj,
                 field="created", new=what)


@transaction.atomic
def add_evidence(*, sef_area: SefArea, by: str, number: str, text: str, source_kind: str,
                 kind: str = "strength", source: str = "", indicator=None, period: str = "",
                 breakdown: str = "All", figure: float | None = None,
                 origin: str = "web: SEF evidence") -> EvidenceItem:
    item = EvidenceItem.objects.create(
        sef_area=sef_area, kind=kind, number=number, text=text, source_kind=source_kind,
        source=source, indicator=indicator, period=period, breakdown=breakdown or "All",
        figure=figure)
    audit.record(by=by, source=origin, partnership_id=sef_area.partnership_id, obj=sef_area,
                 field="evidence added", new=f"{number} {text}")
    return item


@transaction.atomic
def remove_evidence(*, item: EvidenceItem, by: str, origin: str = "web: SEF evidence") -> None:
    sef_area = item.sef_area
    audit.record(by=by, source=origin, partnership_id=sef_area.partnership_id, obj=sef_area,
                 field="evidence removed", old=f"{item.number} {item.text}")
    item.delete()


@transaction.atomic
def add_priority(*, sef_area: SefArea, by: str, text: str, actions=(), indicators=(),
                 origin: str = "web: SEF priority") -> SefPriority:
    position = sef_area.priorities.count() + 1
    priority = SefPriority.objects.create(sef_area=sef_area, text=text, position=position)
    priority.actions.set(actions)
    priority.indicators.set(indicators)
    refs = ", ".join(a.ref for a in priority.actions.all())
    audit.record(by=by, source=origin, partnership_id=sef_area.partnership_id, obj=sef_area,
                 field="priority added", new=f"{text}" + (f" (actions {refs})" if refs else ""))
    return priority


@transaction.atomic
def remove_priority(*, priority: SefPriority, by: str, origin: str = "web: SEF priority"):
    sef_area = priority.sef_area
    audit.record(by=by, source=origin, partnership_id=sef_area.partnership_id, obj=sef_area,
                 field="priority removed", old=priority.text)
    priority.delete()


@transaction.atomic
def set_afi(*, partnership, by: str, code: str, text: str, actions=(), indicators=(),
            origin: str = "web: AFI") -> Afi:
    afi, created = Afi.objects.get_or_create(partnership=partnership, code=code,
                                             defaults={"text": text})
    if created:
        audit.record(by=by, source=origin, partnership_id=partnership.pk, obj=afi,
                     field="created", new=text)
    elif afi.text != text:
        audit.record(by=by, source=origin, partnership_id=partnership.pk, obj=afi,
                     field="text", old=afi.text, new=text)
        afi.text = text
        afi.save(update_fields=["text"])
    old = sorted(a.ref for a in afi.actions.all())
    afi.actions.set(actions)
    afi.indicators.set(indicators)
    new = sorted(a.ref for a in afi.actions.all())
    if old != new:
        audit.record(by=by, source=origin, partnership_id=partnership.pk, obj=afi,
                     field="actions", old=", ".join(old), new=", ".join(new))
    return afi
