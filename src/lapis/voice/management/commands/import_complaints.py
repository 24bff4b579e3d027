import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from lapis.core.actors import System
from lapis.core.commands import import_refused, user_named
from lapis.partnership.commands import acting_as, partnership_named
from lapis.voice import actions
from lapis.voice.importing import read_complaints


class Command(BaseCommand):
    help = ("Load a complaints log (.csv or .xlsx; columns Reference, Received, Channel, "
            "Service, Themes, Stage, Outcome, Response date): all or nothing; a complaint "
            "already held (same reference) is updated and the change kept in its history.")

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--partnership", help="partnership name (default: the only one)")
        parser.add_argument("--dry-run", action="store_true", help="check and report; write "
                            "nothing")
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument("--as", dest="by", help="the user to act as (an administrator or "
                            "programme manager of the partnership); without it, the server "
                            "operator, recorded as import_complaints")

    def handle(self, *args, **options):
        path = Path(options["file"])
        partnership = partnership_named(options["partnership"])
        name = acting_as(options["by"], partnership.pk, default="import_complaints",
                         what=f"change the complaints of {partnership.name}")
        by = user_named(name) if options["by"] else System(name)
        parsed = read_complaints(path, max_bytes=settings.LAPIS_MAX_IMPORT_BYTES)
        try:
            result = actions.import_complaints(partnership=partnership, parsed=parsed, by=by,
                                               dry_run=options["dry_run"])
        except actions.ImportFailed as failure:
            raise import_refused(self, path.name, failure.problems, parsed.warnings,
                                 options["format"]) from None
        if options["format"] == "json":
            self.stdout.write(json.dumps({"ok": True, **result.as_json(), "problems": [
                p.as_json() for p in parsed.warnings]}, indent=2))
            return
        for problem in parsed.warnings:
            self.stderr.write(str(problem))
        verb = "Would import" if result.dry_run else "Imported"
        self.stdout.write(
            f"{verb} {path.name} into the complaints of {partnership.name}: "
            f"{len(parsed.rows)} complaints read; {len(result.created)} new, "
            f"{len(result.updated)} updated, {len(result.unchanged)} unchanged.")
        for reference, fields in result.updated.items():
            self.stdout.write(f"  {reference}: changed {', '.join(fields)}")
