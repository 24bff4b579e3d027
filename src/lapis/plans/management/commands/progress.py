from django.core.management.base import BaseCommand, CommandError

from lapis.core.commands import iso_date, refusing, user_named
from lapis.plans.actions import add_progress
from lapis.plans.commands import action_by_ref


class Command(BaseCommand):
    help = "Add a dated progress update to an action, optionally changing its status."

    def add_arguments(self, parser):
        parser.add_argument("ref")
        parser.add_argument("--text", required=True)
        parser.add_argument("--status", help="a label of the plan's status scale")
        parser.add_argument("--reason", default="",
                            help="why the status changed (needed when it worsens or completes)")
        parser.add_argument("--date", type=iso_date, help="YYYY-MM-DD (default: today)")
        parser.add_argument("--as", dest="username", required=True)
        parser.add_argument("--plan")
        parser.add_argument("--partnership")

    def handle(self, *args, **options):
        user = user_named(options["username"])
        action = action_by_ref(options["ref"], options["plan"], options["partnership"])
        status = None
        if options["status"]:
            status = action.plan.scale.match(options["status"])
            if status is None:
                labels = "; ".join(s.label for s in action.plan.scale.statuses.all())
                raise CommandError(f"unknown status {options['status']!r}: the plan's scale "
                                   f"'{action.plan.scale.name}' has {labels}")
        with refusing():
            entry = add_progress(action=action, by=user, text=options["text"], status=status,
                                 reason=options["reason"], on=options["date"], source="command")
        moved = f"; status now {entry.status_to.label}" if entry.status_to else ""
        self.stdout.write(f"Update added to {action.ref} on {entry.date.isoformat()}{moved}.")
