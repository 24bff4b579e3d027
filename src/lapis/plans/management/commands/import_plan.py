import json
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from lapis.core.actors import System
from lapis.partnership.commands import partnership_named
from lapis.partnership.models import Board, Partnership
from lapis.plans import actions
from lapis.plans.importer import read_register


class Command(BaseCommand):
    help = "Load an improvement-plan register (.xlsx or .csv): all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--plan", help="plan name (default: the file's name)")
        parser.add_argument("--partnership", help="partnership name (default: the only one)")
        parser.add_argument("--scale", help="status scale for a new plan (default: the one "
                            "that has every status in the file)")
        parser.add_argument("--date-order", choices=["dmy", "mdy"],
                            help="how to read text dates such as 12/09/2025")
        parser.add_argument("--dry-run", action="store_true", help="check and report; write "
                            "nothing")
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument("--as", dest="by", default="import_plan",
                            help="who to record in the history")

    def handle(self, *args, **options):
        path = Path(options["file"])
        # --as is a name to record in the history, not a login: the operator imports.
        by = System(options["by"])
        # A partnership the file is for is made only by an import that succeeds and is not a
        # dry run, in the import's own transaction; the file is read before that transaction,
        # so the database is not held while it is.
        partnership = _existing_partnership(options["partnership"])
        known = set() if partnership is None else set(
            Board.objects.filter(partnership=partnership).values_list("name", flat=True))
        show_progress = options["format"] == "text" and sys.stderr.isatty()

        def progress(done, total):
            if show_progress and (done == total or done % 25 == 0):
                sys.stderr.write(f"\rReading rows: {done}/{total}")
                if done == total:
                    sys.stderr.write("\n")

        register = read_register(
            path, date_order=options["date_order"], known_boards=known,
            max_bytes=settings.LAPIS_MAX_IMPORT_BYTES, progress=progress,
        )
        plan_name = options["plan"] or path.stem.replace("-", " ").replace("_", " ").capitalize()
        try:
            with transaction.atomic():
                if partnership is None:
                    partnership = partnership_named(options["partnership"], create=True, by=by)
                result = actions.import_plan(
                    partnership=partnership, register=register, plan_name=plan_name,
                    by=by, scale_name=options["scale"], dry_run=options["dry_run"],
                )
                if options["dry_run"]:
                    transaction.set_rollback(True)  # the partnership too, if it was new
        except actions.ImportFailed as failure:
            if options["format"] == "json":
                self.stdout.write(json.dumps({"ok": False, "problems": [
                    p.as_json() for p in failure.problems + register.warnings]}, indent=2))
            else:
                for problem in failure.problems + register.warnings:
                    self.stderr.write(str(problem))
            raise CommandError(f"{path.name}: {len(failure.problems)} error(s); nothing was "
                               "imported") from None
        if options["format"] == "json":
            self.stdout.write(json.dumps({
                "ok": True, **result.as_json(), "date_order": register.date_order,
                "problems": [p.as_json() for p in register.warnings]}, indent=2))
            return
        for problem in register.warnings:
            self.stderr.write(str(problem))
        verb = "Would import" if result.dry_run else "Imported"
        self.stdout.write(
            f"{verb} {path.name} into plan '{result.plan_name}' (scale '{result.scale}'): "
            f"{len(register.actions)} actions read; {len(result.created)} new, "
            f"{len(result.updated)} updated, {len(result.unchanged)} unchanged; "
            f"{result.progress_added} progress entries added; "
            f"{len(result.people_created)} people and {len(result.boards_created)} boards new."
        )
        if register.date_order:
            self.stdout.write(f"Text dates read as {register.date_order}: "
                              f"{register.date_order_reason}.")
        for ref, fields in result.updated.items():
            self.stdout.write(f"  {ref}: changed {', '.join(fields)}")
        if result.not_in_file:
            self.stdout.write("Not in this file (kept as they were): "
                              + ", ".join(result.not_in_file))
        if register.warnings:
            self.stdout.write(f"{len(register.warnings)} warning(s), listed above.")


def _existing_partnership(name: str | None) -> Partnership | None:
    """The partnership the command names (or the only one); None when the import would make it
    (a name not yet used, or no partnership at all). Several and no name is refused."""
    if name:
        return Partnership.objects.filter(name=name).first()
    if not Partnership.objects.exists():
        return None
    return partnership_named(None)
