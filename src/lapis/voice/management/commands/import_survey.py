import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from lapis.core.actors import System
from lapis.core.commands import import_refused, user_named
from lapis.partnership.commands import acting_as, partnership_named
from lapis.voice import actions, rules
from lapis.voice.forms import check_period
from lapis.voice.importing import read_survey
from lapis.voice.models import Audience


class Command(BaseCommand):
    help = ("Load a survey tool's export (.csv or .xlsx): one row per respondent, one column "
            "per question (the header is the question). All or nothing. Importing the same "
            "title and period again replaces its responses. Name and contact columns are "
            "dropped, never held.")

    def add_arguments(self, parser):
        parser.add_argument("file")
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
        parser.add_argument("--partnership", help="partnership name (default: the only one)")
        parser.add_argument("--dry-run", action="store_true", help="check and report; write "
                            "nothing")
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument("--as", dest="by", help="the user to act as (an administrator or "
                            "programme manager of the partnership); without it, the server "
                            "operator, recorded as import_survey")

    def handle(self, *args, **options):
        path = Path(options["file"])
        partnership = partnership_named(options["partnership"])
        name = acting_as(options["by"], partnership.pk, default="import_survey",
                         what=f"load surveys into {partnership.name}")
        by = user_named(name) if options["by"] else System(name)
        try:
            period = check_period(options["period"].strip())
        except ValueError as error:
            raise CommandError(str(error)) from None
        kinds = {}
        for given in options["kind"]:
            column, _, kind = given.rpartition("=")
            if not column or kind.strip() not in rules.KINDS:
                raise CommandError(f"--kind {given!r}: use COLUMN=KIND, KIND one of "
                                   + ", ".join(rules.KINDS))
            kinds[column.strip()] = kind.strip()
        parsed = read_survey(path, max_bytes=settings.LAPIS_MAX_IMPORT_BYTES, kinds=kinds)
        try:
            result = actions.import_survey(
                partnership=partnership, parsed=parsed, title=options["title"], period=period,
                audience=options["audience"], run_by=options["run_by"], by=by,
                dry_run=options["dry_run"])
        except actions.ImportFailed as failure:
            raise import_refused(self, path.name, failure.problems, parsed.warnings,
                                 options["format"]) from None
        if options["format"] == "json":
            self.stdout.write(json.dumps({
                "ok": True, "survey": result.survey.pk if not result.dry_run else None,
                "created": result.created, "changed": result.changed,
                "questions": result.questions, "responses": result.responses,
                "kinds": result.kinds, "dry_run": result.dry_run,
                "problems": [p.as_json() for p in parsed.warnings]}, indent=2))
            return
        for problem in parsed.warnings:
            self.stderr.write(str(problem))
        verb = "Would import" if result.dry_run else "Imported"
        state = ("new" if result.created else "replaced" if result.changed
                 else "unchanged, nothing written")
        self.stdout.write(f"{verb} {path.name} as the survey {options['title']!r}"
                          f"{' (' + period + ')' if period else ''} of {partnership.name}: "
                          f"{result.questions} questions, {result.responses} responses; "
                          f"{state}.")
        for text, kind in result.kinds.items():
            self.stdout.write(f"  {rules.KINDS[kind]}: {text[:70]}")
