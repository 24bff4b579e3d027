"""Write a case extract, all or nothing: the file replaces the partnership's case data.

`import_cases(partnership=..., path=..., by=...)` streams `importing.CaseFileReader` and
writes each batch with `bulk_create` inside one transaction, after deleting the partnership's
case rows (children first, one DELETE per table). At the first hard problem it stops writing
and rolls back, so a broken file leaves the data exactly as it was (and the database is not
held locked while the rest of the file is checked); it then reads on to list every problem and
raises `ImportFailed`. A dry run reads and checks without touching the database. A successful
import records a `CaseImport` (counts and warnings, for the data-quality page) and one history
line through `lapis.core.history.record`, in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from array import array
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from lapis.cases import importing
from lapis.cases.models import (
    CASE_TABLES,
    CaseAssessment,
    CaseImport,
    CaseNeed,
    CasePerson,
    CasePlan,
    CaseRequest,
    CaseReview,
)
from lapis.core import errors
from lapis.core import history as audit

BATCH_SIZE = 2000
MODULE_OF = {CasePerson: "person", CaseRequest: "requests", CaseAssessment: "assessments",
             CasePlan: "named_plans", CaseReview: "reviews", CaseNeed: "sen_need"}


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


class _Stop(Exception):
    """Raised inside the transaction at the first hard problem, to roll it back."""


def import_cases(*, partnership, path: Path, by: str, max_bytes: int,
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
            with transaction.atomic():
                _write(partnership, batches, reader, result, by)
        except _Stop:
            for _ in batches:  # read on to list every problem, outside the transaction
                pass
    if not reader.report.ok:
        raise ImportFailed(reader.report)
    return result


def _write(partnership, batches, reader, result: Imported, by: str) -> None:
    for model in CASE_TABLES:  # children first: one DELETE each (see models.py)
        deleted, _ = model.objects.filter(partnership=partnership).delete()
        result.replaced[MODULE_OF[model]] = deleted
    result.replaced = {name: result.replaced[name] for name in importing.MODULE_NAMES}
    writer = _Writer(partnership.pk)
    for module, rows in batches:
        if not reader.report.ok:
            raise _Stop
        getattr(writer, module)(rows)
    if not reader.report.ok:
        raise _Stop
    report = reader.report
    result.case_import = CaseImport.objects.create(
        partnership=partnership, file_name=result.file[:255], by=by[:150],
        counts=report.counts, warnings=[p.as_json() for p in report.warnings],
        warnings_total=report.warnings_total)
    audit.record(by=by, source=f"import:{result.file}", partnership_id=partnership.pk,
                 obj=result.case_import, field="cases", old=_summary(result.replaced),
                 new=_summary(report.counts) + f"; {report.warnings_total} warnings")


def _summary(counts: dict[str, int]) -> str:
    return ", ".join(f"{name} {count:,}" for name, count in counts.items())


class _Writer:
    """Turns each batch into model rows; keeps the new keys by ordinal for the references."""

    def __init__(self, partnership_id: int):
        self.partnership_id = partnership_id
        self.person_keys = array("q")
        self.request_keys = array("q")
        self.plan_keys = array("q")

    def _create(self, model, objects, keys: array | None = None):
        model.objects.bulk_create(objects, batch_size=BATCH_SIZE)
        if keys is not None:
            keys.extend(o.pk for o in objects)

    def person(self, rows):
        p = self.partnership_id
        self._create(CasePerson, [
            CasePerson(partnership_id=p, person_id=r.person_id, birth_month=r.birth_month,
                       sex=r.sex) for r in rows], self.person_keys)

    def requests(self, rows):
        p, people = self.partnership_id, self.person_keys
        self._create(CaseRequest, [
            CaseRequest(partnership_id=p, request_id=r.request_id, person_id=people[r.person],
                        received=r.received, source=r.source, outcome=r.outcome,
                        outcome_date=r.outcome_date) for r in rows], self.request_keys)

    def assessments(self, rows):
        p, requests = self.partnership_id, self.request_keys
        self._create(CaseAssessment, [
            CaseAssessment(partnership_id=p, request_id=requests[r.request], outcome=r.outcome,
                           outcome_date=r.outcome_date, week20=r.week20) for r in rows])

    def named_plans(self, rows):
        p, people, requests = self.partnership_id, self.person_keys, self.request_keys
        self._create(CasePlan, [
            CasePlan(partnership_id=p, plan_id=r.plan_id, person_id=people[r.person],
                     request_id=None if r.request is None else requests[r.request],
                     start=r.start, cease=r.cease, cease_reason=r.cease_reason)
            for r in rows], self.plan_keys)

    def reviews(self, rows):
        p, plans = self.partnership_id, self.plan_keys
        self._create(CaseReview, [
            CaseReview(partnership_id=p, plan_id=plans[r.plan], meeting=r.meeting,
                       decision_date=r.decision_date, outcome=r.outcome,
                       amendment_notice=r.amendment_notice, amended_plan=r.amended_plan,
                       phase_transfer_due=r.phase_transfer_due,
                       phase_transfer_final=r.phase_transfer_final) for r in rows])

    def sen_need(self, rows):
        p, people = self.partnership_id, self.person_keys
        self._create(CaseNeed, [
            CaseNeed(partnership_id=p, person_id=people[r.person], sen_type=r.sen_type,
                     rank=r.rank) for r in rows])
