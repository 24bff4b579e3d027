"""Read a case extract and write it, all or nothing: the file replaces the partnership's
case data.

`import_cases(partnership=..., path=..., by=...)` works in two steps, so that a long import
never holds the database's write lock while it reads (on SQLite one writer at a time: every
web write would wait, then fail with "database is locked"):

1. prepare, outside any transaction: `importing.CaseFileReader` reads and checks the whole
   extract, and its batches of valid rows are spooled to a temporary file (pickled, so memory
   stays bounded at national scale). Any hard problem ends here with `ImportFailed`, listing
   every problem by file, row and column, and nothing touched; a dry run ends here too.
2. apply, in one short transaction: `lapis.cases.actions.replace_case_data` deletes the
   partnership's case rows (children first, one DELETE per table) and inserts the spooled rows
   in large batches (PostgreSQL: `COPY`), then records a `CaseImport` (counts and warnings,
   for the data-quality page) and one history line through `lapis.core.history.record`.
"""

from __future__ import annotations

import datetime as dt
import pickle
import tempfile
import time
from collections.abc import Iterator
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
    applied_seconds: float = 0.0  # how long the writing transaction took

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
    result = Imported(file=path.name, dry_run=dry_run, report=reader.report)
    with _Spool() as spool:
        for module, rows in reader.batches():
            if not dry_run and reader.report.ok:  # after a hard problem, only read on
                spool.add(module, rows)
        if not reader.report.ok:
            raise ImportFailed(reader.report)
        if dry_run:
            return result
        started = time.perf_counter()
        result.case_import, result.replaced = actions.replace_case_data(
            partnership=partnership, by=by, batches=spool.replay(), report=reader.report,
            file=result.file)
        result.applied_seconds = time.perf_counter() - started
    return result


class _Spool:
    """Batches of checked rows parked in a temporary file between reading and writing."""

    def __init__(self):
        self.file = tempfile.TemporaryFile(prefix="lapis-cases-")  # noqa: SIM115 - __exit__

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.file.close()

    def add(self, module: str, rows: list) -> None:
        pickle.dump((module, rows), self.file, protocol=pickle.HIGHEST_PROTOCOL)

    def replay(self) -> Iterator[tuple[str, list]]:
        self.file.flush()
        self.file.seek(0)
        while True:
            try:
                # Our own file, written just above from checked rows: safe to unpickle.
                yield pickle.load(self.file)  # noqa: S301
            except EOFError:
                return
