"""The test universe: Hull's real register and its personas, built once per test session.

Building Hull means importing the council's 81-action workbook through `lapis import_plan`
(about 0.5 s and 750 SQL queries); 640 tests need it. So each pytest worker builds it once,
through the same command and actions a user's work goes through, inside a transaction that
is then rolled back, and keeps the rows it wrote. A test that asks for `hull` gets those rows
written back in one bulk insert per table (about 500 rows, a few milliseconds) inside the
test's own transaction, which pytest-django rolls back at the end of the test; a live-server
test (committed data) gets them in the same way before its flush. A test that does not ask
for Hull sees an empty partnership table, as a new installation would.

A layer captures only the rows it added, so layers stack: `personas` (one login per role in
Hull, and an outsider in a second partnership) is captured on top of Hull.
"""

from __future__ import annotations

from collections.abc import Callable

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction


def _models():
    return [m for m in apps.get_models(include_auto_created=True)
            if m._meta.managed and not m._meta.proxy]


def _keys(model) -> set:
    return set(model._base_manager.values_list("pk", flat=True))


class _Rollback(Exception):
    pass


class Layer:
    """Rows that `build` adds to the database, captured once and restored on demand."""

    def __init__(self, build: Callable[[], object], on: Layer | None = None):
        self.build = build
        self.on = on
        self.rows: list[tuple[type, list]] = []
        self.result = None

    def capture(self) -> None:
        """Run `build` in a transaction (on top of the layer below it, if any), keep what it
        added, and roll it back."""
        models = _models()
        try:
            with transaction.atomic():
                if self.on:
                    self.on.restore()
                before = {model: _keys(model) for model in models}
                self.result = self.build()
                for model in models:
                    added = [row for row in model._base_manager.all()
                             if row.pk not in before[model]]
                    if added:
                        self.rows.append((model, added))
                raise _Rollback
        except _Rollback:
            pass

    def restore(self) -> None:
        """Write the captured rows back with their own primary keys. Foreign keys are
        checked when the transaction ends (Django creates them deferrable), so the order of
        tables does not matter."""
        with transaction.atomic():
            for model, rows in self.rows:
                model._base_manager.bulk_create(rows)
            if connection.vendor == "postgresql":
                # Rows written with explicit keys leave the sequences behind: move them on,
                # or the test's own inserts would collide with the universe's rows.
                with connection.cursor() as cursor:
                    for sql in connection.ops.sequence_reset_sql(
                            no_style(), [model for model, _ in self.rows]):
                        cursor.execute(sql)
