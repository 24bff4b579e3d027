from django.conf import settings

from lapis.partnership.commands import PartnershipImportCommand, actor
from lapis.plans.commands import plan_named
from lapis.timeline import actions
from lapis.timeline.importing import read_milestones


class Command(PartnershipImportCommand):
    help = ("Load milestones from .csv or .xlsx (columns: Action ref or Priority, Milestone, "
            "Planned date, Current date, Completed): all or nothing.")

    lists_problems = False
    scope_help = "partnership name"
    as_help = "must be able to edit the plan"

    def add_options(self, parser):
        parser.add_argument("--plan", help="plan name (default: the only one)")

    def scope(self, options):
        return plan_named(options["plan"], options["partnership"])

    def acting(self, username, plan):
        return actor(username, plan.partnership_id, default=self.name,
                     what=f"edit milestones in {plan.partnership.name}; nothing was imported")

    def read(self, path, options):
        return read_milestones(path, max_bytes=settings.LAPIS_MAX_IMPORT_BYTES)

    def warnings(self, parsed):
        return []

    def apply(self, *, scope, parsed, by, path, dry_run, options):
        return actions.import_milestones(plan=scope, read=parsed, by=by, dry_run=dry_run)

    def report(self, *, verb, path, scope, parsed, result, options):
        self.stdout.write(
            f"{verb} {path.name} into plan '{scope.name}': {len(parsed.rows)} milestones read; "
            f"{len(result.created)} new, {len(result.updated)} updated, "
            f"{len(result.unchanged)} unchanged.")
        for label in result.updated:
            self.stdout.write(f"  updated {label}")
