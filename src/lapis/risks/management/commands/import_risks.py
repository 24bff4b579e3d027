import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from lapis.core.commands import import_refused
from lapis.partnership.commands import actor, partnership_named
from lapis.risks import actions
from lapis.risks.importing import read_risks


class Command(BaseCommand):
    help = ("Load a risk register (.xlsx or .csv): all or nothing; a risk already held (same "
            "Risk ID) is updated and the change kept in its history.")

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--partnership", help="partnership name (default: the only one)")
        parser.add_argument("--dry-run", action="store_true", help="check and report; write "
                            "nothing")
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument("--as", dest="by", help="the user to act as (an administrator or "
                            "programme manager of the partnership) and record in the history; "
                            "without it, the server operator, recorded as import_risks")

    def handle(self, *args, **options):
        path = Path(options["file"])
        partnership = partnership_named(options["partnership"])
        by = actor(options["by"], partnership.pk, default="import_risks",
                       what=f"change the risk register of {partnership.name}")
        rows = read_risks(path, max_bytes=settings.LAPIS_MAX_IMPORT_BYTES)
        try:
            result = actions.import_risks(partnership=partnership, sheet_rows=rows,
                                          file=path.name, by=by,
                                          dry_run=options["dry_run"])
        except actions.ImportFailed as failure:
            raise import_refused(self, path.name, failure.problems, rows.warnings,
                                 options["format"]) from None
        if options["format"] == "json":
            self.stdout.write(json.dumps({"ok": True, **result.as_json(), "problems": [
                p.as_json() for p in rows.warnings]}, indent=2))
            return
        for problem in rows.warnings:
            self.stderr.write(str(problem))
        verb = "Would import" if result.dry_run else "Imported"
        self.stdout.write(
            f"{verb} {path.name} into the risk register of {partnership.name}: "
            f"{len(rows.rows)} risks read; {len(result.created)} new, "
            f"{len(result.updated)} updated, {len(result.unchanged)} unchanged; "
            f"{len(result.people_created)} people new.")
        for code, fields in result.updated.items():
            self.stdout.write(f"  {code}: changed {', '.join(fields)}")
        if result.not_in_file:
            self.stdout.write("Not in this file (kept as they were): "
                              + ", ".join(result.not_in_file))
