"""The history of changes as rows, for `lapis export_history` and the API."""

import csv
import io

from lapis.plans.parsing import neutralise

COLUMNS = ["at", "by", "source", "record", "id", "ref", "field", "old", "new"]


def row(record) -> dict:
    return {"at": record.at.isoformat(timespec="seconds"), "by": record.by,
            "source": record.source, "record": record.model, "id": record.object_id,
            "ref": record.object_ref, "field": record.field, "old": record.old,
            "new": record.new}


def to_csv(records) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for record in records:
        values = row(record)
        writer.writerow([neutralise(str(values[name])) for name in COLUMNS])
    return out.getvalue()
