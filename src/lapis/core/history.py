"""History of changes. Call `record` inside the transaction that makes the change."""


def record(*, by: str, source: str, partnership_id: int, obj, field: str, old="", new=""):
    from lapis.core.models import ChangeRecord

    return ChangeRecord.objects.create(
        by=by,
        source=source[:300],
        partnership_id=partnership_id,
        model=obj._meta.label,
        object_id=obj.pk,
        object_ref=getattr(obj, "ref", "") or str(obj)[:60],
        field=field,
        old="" if old is None else str(old),
        new="" if new is None else str(new),
    )


def history(obj):
    from lapis.core.models import ChangeRecord

    return ChangeRecord.objects.filter(model=obj._meta.label, object_id=obj.pk)
