"""Every write to the case data goes through here: `lapis import_cases`, and the demo, both
through `lapis.cases.loading.import_cases`, which reads and checks the extract.

The action takes who acts (a user, or a `lapis.core.actors.System` for the server operator),
checks that they may (administrators and programme managers), runs in one transaction and
records the import in the history (`lapis.core.history.record`) in that transaction: one record per
import (its counts replaced and written), not one per row.
"""

from __future__ import annotations

from array import array

from django.db import connection, transaction

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
    recorded and the rows deleted, by module.

    The transaction holds the database's write lock (on SQLite, the only one) from its first
    statement, so give it rows already read and checked (`lapis.cases.loading` spools them):
    then it only deletes and inserts, briefly."""
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
    """Inserts each batch, with its keys assigned here, and keeps the new keys by ordinal for
    the references. The rows were checked before the transaction began, so this is plain
    inserting, as fast as the database takes it: many rows a statement (`executemany`), or
    `COPY` on PostgreSQL, with no model instances. Keys: on SQLite the next after the table's
    largest (the transaction holds the only write lock); on PostgreSQL drawn from the table's
    own sequence, so other writers never collide."""

    def __init__(self, partnership_id: int):
        self.partnership_id = partnership_id
        self.person_keys = array("q")
        self.request_keys = array("q")
        self.plan_keys = array("q")
        self.vendor = connection.vendor
        self.next_key: dict[type, int] = {}

    def _keys(self, model, count: int) -> list[int]:
        table = model._meta.db_table
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) "
                               "FROM generate_series(1, %s)", [table, count])
                return [key for (key,) in cursor.fetchall()]
            if model not in self.next_key:
                # After the largest ever given (AUTOINCREMENT's sqlite_sequence), as SQLite
                # would: keys of deleted rows are never reused.
                cursor.execute(f"SELECT MAX(id) FROM {connection.ops.quote_name(table)}")
                largest = cursor.fetchone()[0] or 0
                cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
                given = cursor.fetchone()
                self.next_key[model] = max(largest, given[0] if given else 0) + 1
        first = self.next_key[model]
        self.next_key[model] = first + count
        return list(range(first, first + count))

    def _insert(self, model, columns: tuple[str, ...], rows: list[tuple],
                keys: array | None = None) -> None:
        """Insert `rows` (values for `columns`, after the key and the partnership)."""
        if not rows:
            return
        ids = self._keys(model, len(rows))
        if keys is not None:
            keys.extend(ids)
        p = self.partnership_id
        names = ("id", "partnership_id", *columns)
        quote = connection.ops.quote_name
        table = quote(model._meta.db_table)
        fields = ", ".join(quote(n) for n in names)
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({fields}) FROM STDIN") as copy:
                    for key, row in zip(ids, rows, strict=True):
                        copy.write_row((key, p, *row))
                return
            # Dates go as they are: Django's SQLite backend registers their adapter.
            marks = ", ".join(["%s"] * len(names))
            cursor.executemany(f"INSERT INTO {table} ({fields}) VALUES ({marks})",
                               [(key, p, *row) for key, row in zip(ids, rows, strict=True)])

    def person(self, rows):
        self._insert(CasePerson, ("person_id", "birth_month", "sex"), [
            (r.person_id, r.birth_month, r.sex) for r in rows], self.person_keys)

    def requests(self, rows):
        people = self.person_keys
        self._insert(CaseRequest, ("request_id", "person_id", "received", "source", "outcome",
                                   "outcome_date"), [
            (r.request_id, people[r.person], r.received, r.source, r.outcome, r.outcome_date)
            for r in rows], self.request_keys)

    def assessments(self, rows):
        requests = self.request_keys
        self._insert(CaseAssessment, ("request_id", "outcome", "outcome_date", "week20"), [
            (requests[r.request], r.outcome, r.outcome_date, r.week20) for r in rows])

    def named_plans(self, rows):
        people, requests = self.person_keys, self.request_keys
        self._insert(CasePlan, ("plan_id", "person_id", "request_id", "start", "cease",
                                "cease_reason"), [
            (r.plan_id, people[r.person], None if r.request is None else requests[r.request],
             r.start, r.cease, r.cease_reason) for r in rows], self.plan_keys)

    def reviews(self, rows):
        plans = self.plan_keys
        self._insert(CaseReview, ("plan_id", "meeting", "decision_date", "outcome",
                                  "amendment_notice", "amended_plan", "phase_transfer_due",
                                  "phase_transfer_final"), [
            (plans[r.plan], r.meeting, r.decision_date, r.outcome, r.amendment_notice,
             r.amended_plan, r.phase_transfer_due, r.phase_transfer_final) for r in rows])

    def sen_need(self, rows):
        people = self.person_keys
        self._insert(CaseNeed, ("person_id", "sen_type", "rank"), [
            (people[r.person], r.sen_type, r.rank) for r in rows])
