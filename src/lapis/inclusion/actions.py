"""Every write of schools and their figures goes through here: the command, the upload page
and the demo. Each action takes who acts (a user, or a `lapis.core.actors.System` for the
server operator) and checks that they may; all or nothing, and every change is kept in the
history in the same transaction (`lapis.core.history.record`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from lapis.core import history as audit
from lapis.core.actors import name_of
from lapis.core.errors import ImportFailed
from lapis.inclusion.importing import Read
from lapis.inclusion.models import School, SchoolFigure
from lapis.partnership import permissions
from lapis.partnership.models import Partnership


@dataclass
class ImportResult:
    schools_created: list[str] = field(default_factory=list)
    schools_updated: dict[str, list[str]] = field(default_factory=dict)
    figures_created: int = 0
    figures_updated: int = 0
    figures_unchanged: int = 0
    dry_run: bool = False

    def as_json(self) -> dict:
        return dict(self.__dict__)

    def summary(self) -> str:
        return (f"{len(self.schools_created)} schools new, {len(self.schools_updated)} "
                f"updated; {self.figures_created} figures new, {self.figures_updated} "
                f"updated, {self.figures_unchanged} unchanged")


def _text(value) -> str:
    return "" if value is None else str(value)


@transaction.atomic
def import_figures(*, partnership: Partnership, read: Read, by,
                   dry_run: bool = False) -> ImportResult:
    """Create or update schools (by URN) and their figures (by measure and period) from
    rows read by `lapis.inclusion.importing.read_figures`. Raises ImportFailed with every
    problem, writing nothing, unless every row is good."""
    permissions.require(permissions.can_edit(by, partnership.pk),
                        "Only programme managers and administrators load inclusion figures.")
    if read.problems:
        raise ImportFailed(read.problems)
    source = f"import:{read.file}"
    by = name_of(by)  # as history records it
    result = ImportResult(dry_run=dry_run)
    schools = {s.urn: s for s in School.objects.filter(partnership=partnership)}
    figures = {(f.school_id, f.measure, f.period): f for f in
               SchoolFigure.objects.filter(school__partnership=partnership)}
    for row in read.rows:
        school = schools.get(row.urn)
        wanted = {"name": row.school, "phase": row.phase, "trust": row.trust,
                  "locality": row.locality}
        if row.pupils is not None or school is None:
            wanted["pupils"] = row.pupils
        if school is None:
            school = schools[row.urn] = School.objects.create(
                partnership=partnership, urn=row.urn, **wanted)
            audit.record(by=by, source=source, partnership_id=partnership.pk, obj=school,
                         field="created", new=school.name)
            result.schools_created.append(row.urn)
        else:
            changed = [n for n, v in wanted.items() if getattr(school, n) != v]
            for name in changed:
                audit.record(by=by, source=source, partnership_id=partnership.pk,
                             obj=school, field=name, old=_text(getattr(school, name)),
                             new=_text(wanted[name]))
                setattr(school, name, wanted[name])
            if changed:
                school.save()
                fields = result.schools_updated.setdefault(row.urn, [])
                fields.extend(n for n in changed if n not in fields)
        figure = figures.get((school.pk, row.measure, row.period))
        source_text = row.source or read.file
        if figure is None:
            figure = SchoolFigure.objects.create(
                school=school, measure=row.measure, period=row.period, count=row.count,
                denominator=row.denominator, source=source_text)
            audit.record(by=by, source=source, partnership_id=partnership.pk, obj=figure,
                         field="created", new=f"{row.count} of {_text(row.denominator)}")
            result.figures_created += 1
            continue
        changed = [n for n in ("count", "denominator")
                   if getattr(figure, n) != getattr(row, n)]
        for name in changed:
            audit.record(by=by, source=source, partnership_id=partnership.pk, obj=figure,
                         field=name, old=_text(getattr(figure, name)),
                         new=_text(getattr(row, name)))
            setattr(figure, name, getattr(row, name))
        if changed:
            figure.source = source_text
            figure.save()
            result.figures_updated += 1
        else:
            result.figures_unchanged += 1
    if dry_run:
        transaction.set_rollback(True)
    return result
