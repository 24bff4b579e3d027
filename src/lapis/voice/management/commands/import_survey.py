from django.conf import settings
from django.core.management.base import CommandError

from lapis.partnership.commands import PartnershipImportCommand
from lapis.voice import actions, rules
from lapis.voice.forms import check_period
from lapis.voice.importing import read_survey
from lapis.voice.models import Audience


class Command(PartnershipImportCommand):
    help = ("Load a survey tool's export (.csv or .xlsx): one row per respondent, one column "
            "per question (the header is the question). All or nothing. Importing the same "
            "title and period again replaces its responses. Name and contact columns are "
            "dropped, never held.")

    def add_options(self, parser):
        parser.add_argument("--title", required=True)
        parser.add_argument("--period", default="", help="a scorecard period: 2024, 2024/25, "
                            "2024-25, 2024-04, '2024/25 Spring'")
        parser.add_argument("--audience", choices=[a.value for a in Audience],
                            default=Audience.PARENTS.value)
        parser.add_argument("--run-by", default="", help="for example, the parent carer forum")
        parser.add_argument("--kind", action="append", default=[], metavar="COLUMN=KIND",
                            help="a question's kind instead of detecting it: COLUMN is the "
                            "column letter (C) or the header text; KIND one of "
                            + ", ".join(rules.KINDS) + ". Repeat for more.")

    def refusal(self, partnership):
        return f"load surveys into {partnership.name}"

    def read(self, path, options):
        try:
            self.period = check_period(options["period"].strip())
        except ValueError as error:
            raise CommandError(str(error)) from None
        kinds = {}
        for given in options["kind"]:
            column, _, kind = given.rpartition("=")
            if not column or kind.strip() not in rules.KINDS:
                raise CommandError(f"--kind {given!r}: use COLUMN=KIND, KIND one of "
                                   + ", ".join(rules.KINDS))
            kinds[column.strip()] = kind.strip()
        return read_survey(path, max_bytes=settings.LAPIS_MAX_IMPORT_BYTES, kinds=kinds)

    def apply(self, *, scope, parsed, by, path, dry_run, options):
        return actions.import_survey(
            partnership=scope, parsed=parsed, title=options["title"], period=self.period,
            audience=options["audience"], run_by=options["run_by"], by=by, dry_run=dry_run)

    def as_json(self, result, parsed):
        return {"survey": result.survey.pk if not result.dry_run else None,
                "created": result.created, "changed": result.changed,
                "questions": result.questions, "responses": result.responses,
                "kinds": result.kinds, "dry_run": result.dry_run}

    def report(self, *, verb, path, scope, parsed, result, options):
        state = ("new" if result.created else "replaced" if result.changed
                 else "unchanged, nothing written")
        period = self.period
        self.stdout.write(f"{verb} {path.name} as the survey {options['title']!r}"
                          f"{' (' + period + ')' if period else ''} of {scope.name}: "
                          f"{result.questions} questions, {result.responses} responses; "
                          f"{state}.")
        for text, kind in result.kinds.items():
            self.stdout.write(f"  {rules.KINDS[kind]}: {text[:70]}")
