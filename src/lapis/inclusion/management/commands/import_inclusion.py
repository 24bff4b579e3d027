import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from lapis.core.actors import System
from lapis.core.commands import user_named
from lapis.inclusion import actions
from lapis.inclusion.importing import read_figures
from lapis.partnership.commands import acting_as, partnership_named


class Command(BaseCommand):
    help = ("Load schools' inclusion figures (.csv or .xlsx: URN, School, Phase, Trust, "
            "Locality, Pupils, Measure, Period, Count, Denominator): all or nothing; a figure "
            "already held is updated and the change kept in its history.")

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--partnership", help="partnership name (default: the only one)")
        parser.add_argument("--dry-run", action="store_true",
                            help="check and report; write nothing")
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument("--as", dest="by", help="the user to act as (an administrator or "
                            "programme manager of the partnership) and record in the history; "
                            "without it, the server operator, recorded as import_inclusion")

    def handle(self, *args, **options):
        path = Path(options["file"])
        partnership = partnership_named(options["partnership"])
        name = acting_as(options["by"], partnership.pk, default="import_inclusion",
                         what=f"load inclusion figures for {partnership.name}")
        by = user_named(name) if options["by"] else System(name)
        read = read_figures(path, max_bytes=settings.LAPIS_MAX_IMPORT_BYTES)
        try:
            result = actions.import_figures(partnership=partnership, read=read, by=by,
                                            dry_run=options["dry_run"])
        except actions.ImportFailed as failure:
            if options["format"] == "json":
                self.stdout.write(json.dumps({"ok": False, "problems": [
                    p.as_json() for p in failure.problems]}, indent=2))
            else:
                for problem in failure.problems:
                    self.stderr.write(str(problem))
            raise CommandError(f"{path.name}: {len(failure.problems)} error(s); nothing was "
                               "imported") from None
        if options["format"] == "json":
            self.stdout.write(json.dumps({"ok": True, **result.as_json()}, indent=2))
            return
        verb = "Would import" if result.dry_run else "Imported"
        self.stdout.write(f"{verb} {path.name} into the inclusion scorecard of "
                          f"{partnership.name}: {len(read.rows)} rows read; "
                          f"{result.summary()}.")
        for urn, fields in result.schools_updated.items():
            self.stdout.write(f"  URN {urn}: changed {', '.join(fields)}")
