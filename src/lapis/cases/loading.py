"""Read a case extract and write it, all or nothing: the file replaces the partnership's
case data.

`import_cases(partnership=..., path=..., by=...)` streams `importing.CaseFileReader` into
`lapis.cases.actions.replace_case_data`, which writes each batch with `bulk_create` inside one
transaction, after deleting the partnership's case rows (children first, one DELETE per
table). At the first hard problem it stops writing and rolls back, so a broken file leaves the
data exactly as it was (and the database is not held locked while the rest of the file is
checked); it then reads on to list every problem and raises `ImportFailed`. A dry run reads and
checks without touching the database. A successful import records a `CaseImport` (counts and
warnings, for the data-quality page) and one history line through
`lapis.core.history.record`, in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from django.utils import timezone

from lapis.cases import actions, importing
from lapis.cases.actions import BATCH_SIZE
from lapis.cases.models import CaseImport
from lapis.core import errors


class ImportFailed(errors.ImportFailed):
    """A refused case import: carries the whole report (counts, and problems capped at
    MAX_PROBLEMS per level) as well as its problems."""

    def __init__(self, report: importing.Report):
        self.report = report
        super().__init__(report.errors + report.warnings,
                         f"{report.errors_total} problem(s); nothing was imported")


@dataclass
class Imported:
    file: str
    dry_run: bool
    report: importing.Report
    case_import: CaseImport | None = None
    replaced: dict[str, int] = field(default_factory=dict)  # rows deleted, by module

    @property
    def counts(self) -> dict[str, int]:
        return self.report.counts

    def as_json(self) -> dict:
        return {"ok": True, "dry_run": self.dry_run, "file": self.file,
                "counts": self.counts,
                "warnings": [p.as_json() for p in self.report.warnings],
                "warnings_total": self.report.warnings_total, "errors": []}


def import_cases(*, partnership, path: Path, by, max_bytes: int,
                 today: dt.date | None = None, dry_run: bool = False,
                 batch_size: int = BATCH_SIZE) -> Imported:
    """Read, check and (unless a dry run) write the extract; raise ImportFailed on any hard
    problem, with nothing changed."""
    path = Path(path)
    today = today or timezone.localdate()
    reader = importing.CaseFileReader(path, max_bytes=max_bytes, today=today,
                                      batch_size=batch_size)
    batches = reader.batches()
    result = Imported(file=path.name, dry_run=dry_run, report=reader.report)
    if dry_run:
        for _ in batches:
            pass
    else:
        try:
            result.case_import, result.replaced = actions.replace_case_data(
                partnership=partnership, by=by, batches=batches, report=reader.report,
                file=result.file)
        except actions.Stopped:
            for _ in batches:  # read on to list every problem, outside the transaction
                pass
    if not reader.report.ok:
        raise ImportFailed(reader.report)
    return result
