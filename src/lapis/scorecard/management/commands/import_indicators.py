import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from lapis.core.errors import ImportFailed
from lapis.partnership.commands import actor
from lapis.partnership.models import Partnership
from lapis.scorecard import actions, importing


class Command(BaseCommand):
    help = ("Load figures: an indicator catalogue, figures in the long layout, targets, or "
            "DfE's published EHC plan files as downloaded. All or nothing.")

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--partnership", help="whose figures and targets these are "
                            "(default: the only partnership)")
        parser.add_argument("--published", action="store_true",
                            help="published statistics, seen by every partnership (DfE's "
                            "files always are)")
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument("--as", dest="username", help="an administrator or programme "
                            "manager to act as (default: the server operator)")

    def handle(self, *args, **options):
        path = Path(options["file"])
        partnership = None
        if options["partnership"]:
            partnership = Partnership.objects.filter(name=options["partnership"]).first()
            if partnership is None:
                raise CommandError(f"no partnership called {options['partnership']!r}")
        elif Partnership.objects.count() == 1:
            partnership = Partnership.objects.get()
        if options["username"] and partnership is None:
            raise CommandError("refused: name the partnership (--partnership) to load figures "
                               "as a user")
        by = actor(options["username"], partnership.pk if partnership else 0,
                         default="import_indicators", what="load figures here")
        try:
            layout, rows = importing.read(path, max_bytes=settings.LAPIS_MAX_IMPORT_BYTES)
            result = actions.import_figures(
                layout=layout, rows=rows, file=path.name, by=by, partnership=partnership,
                published=options["published"], dry_run=options["dry_run"])
        except ImportFailed as failure:
            if options["format"] == "json":
                self.stdout.write(json.dumps({"ok": False, "problems": [
                    p.as_json() for p in failure.problems]}, indent=2))
            else:
                for problem in failure.problems[:200]:
                    self.stderr.write(str(problem))
                if len(failure.problems) > 200:
                    self.stderr.write(f"... and {len(failure.problems) - 200} more")
            raise CommandError(f"{path.name}: {len(failure.problems)} error(s); nothing was "
                               "imported") from None
        if options["format"] == "json":
            self.stdout.write(json.dumps({"ok": True, **result.as_json()}, indent=2))
            return
        for warning in result.warnings:
            self.stderr.write(str(warning))
        verb = "Would import" if result.dry_run else "Imported"
        self.stdout.write(
            f"{verb} {path.name} ({result.layout}): {result.created} new, {result.updated} "
            f"updated, {result.unchanged} unchanged, {result.targets} targets; indicators: "
            + (", ".join(result.indicators) or "none"))
