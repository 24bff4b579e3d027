"""Every write to the case data goes through here: `lapis import_cases`, and the demo, both
through `lapis.cases.loading.import_cases`, which reads and checks the extract.

The action takes who acts (a user, or a `lapis.core.actors.System` for the server operator),
checks that they may (administrators and programme managers), runs in one transaction and
records the import in the history (`lapis.core.history.record`) in that transaction: one record per
import (its counts replaced and written), not one per row.
"""

from __future__ import annotations

from array import array

from django.db import transaction

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
from lapis.core import history as audit
from lapis.core.actors import name_of
from lapis.partnership import permissions

BATCH_SIZE = 2000
MODULE_OF = {CasePerson: "person", CaseRequest: "requests", CaseAssessment: "assessments",
             CasePlan: "named_plans", CaseReview: "reviews", CaseNeed: "sen_need"}


class Stopped(Exception):
    """Raised inside the transaction at the first hard problem, to roll it back."""


@transaction.atomic
def replace_case_data(*, partnership, by, batches, report: importing.Report, file: str,
                      source: str | None = None) -> tuple[CaseImport, dict[str, int]]:
    """Replace the partnership's case data with the rows of `batches` (`CaseFileReader`'s
    `(module, rows)` pairs, which fill `report` as they are read). Raises Stopped, with
    nothing changed, as soon as the report has a hard problem. Returns the `CaseImport`
    recorded and the rows deleted, by module."""
    permissions.require(permissions.can_edit(by, partnership.pk),
                        f"Only administrators and programme managers can import case data "
                        f"for {partnership.name}.")
    replaced = {}
    for model in CASE_TABLES:  # children first: one DELETE each (see models.py)
        deleted, _ = model.objects.filter(partnership=partnership).delete()
        replaced[MODULE_OF[model]] = deleted
    replaced = {name: replaced[name] for name in importing.MODULE_NAMES}
    writer = _Writer(partnership.pk)
    for module, rows in batches:
        if not report.ok:
            raise Stopped
        getattr(writer, module)(rows)
    if not report.ok:
        raise Stopped
    who = name_of(by)
    case_import = CaseImport.objects.create(
        partnership=partnership, file_name=file[:255], by=who[:150],
        counts=report.counts, warnings=[p.as_json() for p in report.warnings],
        warnings_total=report.warnings_total)
    audit.record(by=who, source=source or f"import:{file}", partnership_id=partnership.pk,
                 obj=case_import, field="cases", old=_summary(replaced),
                 new=_summary(report.counts) + f"; {report.warnings_total} warnings")
    return case_import, replaced


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
