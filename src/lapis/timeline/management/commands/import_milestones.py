import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from lapis.partnership.commands import actor
from lapis.plans.commands import plan_named
from lapis.timeline import actions
from lapis.timeline.importing import read_milestones


class Command(BaseCommand):
    help = ("Load milestones from .csv or .xlsx (columns: Action ref or Priority, Milestone, "
            "Planned date, Current date, Completed): all or nothing.")

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--plan", help="plan name (default: the only one)")
        parser.add_argument("--partnership", help="partnership name")
        parser.add_argument("--dry-run", action="store_true", help="check and report; write "
                            "nothing")
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument("--as", dest="by", help="the user to act as and record in the "
                            "history (must be able to edit the plan)")

    def handle(self, *args, **options):
        path = Path(options["file"])
        plan = plan_named(options["plan"], options["partnership"])
        by = actor(options["by"], plan.partnership_id, default="import_milestones",
                       what=f"edit milestones in {plan.partnership.name}; nothing was imported")
        read = read_milestones(path, max_bytes=settings.LAPIS_MAX_IMPORT_BYTES)
        try:
            result = actions.import_milestones(plan=plan, read=read, by=by,
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
        self.stdout.write(
            f"{verb} {path.name} into plan '{plan.name}': {len(read.rows)} milestones read; "
            f"{len(result.created)} new, {len(result.updated)} updated, "
            f"{len(result.unchanged)} unchanged.")
        for label in result.updated:
            self.stdout.write(f"  updated {label}")
