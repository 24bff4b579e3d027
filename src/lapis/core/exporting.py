"""The history of changes as rows, for `lapis export_history` and the API."""

from lapis.core.tables import Table, csv_text

COLUMNS = ["at", "by", "source", "record", "id", "ref", "field", "old", "new"]


# Changes whose values are pseudonymous case-level IDs: shown only to those who may see them
# (the caller decides who: `sees_case_ids` in the partnership permissions).
CASE_LEVEL = frozenset({("quality.Audit", "plan_id")})


def row(record, *, case_ids: bool = True) -> dict:
    hidden = not case_ids and (record.model, record.field) in CASE_LEVEL
    return {"at": record.at.isoformat(timespec="seconds"), "by": record.by,
            "source": record.source, "record": record.model, "id": record.object_id,
            "ref": record.object_ref, "field": record.field,
            "old": "(hidden)" if hidden else record.old,
            "new": "(hidden)" if hidden else record.new}


def to_csv(records) -> str:
    return csv_text(Table("History", COLUMNS, (
        [str(values[name]) for name in COLUMNS] for values in map(row, records))))
