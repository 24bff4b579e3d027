from django.core.management.base import BaseCommand, CommandError

from lapis.partnership.commands import actor
from lapis.plans.commands import action_by_ref
from lapis.scorecard import actions
from lapis.scorecard.models import Indicator


class Command(BaseCommand):
    help = "Make an indicator one of an action's impact measures (or stop, with --remove)."

    def add_arguments(self, parser):
        parser.add_argument("ref")
        parser.add_argument("--indicator", required=True, help="the indicator's key")
        parser.add_argument("--breakdown", default="All")
        parser.add_argument("--remove", action="store_true")
        parser.add_argument("--plan")
        parser.add_argument("--partnership")
        parser.add_argument("--as", dest="username", help="a programme manager or "
                            "administrator (default: the server operator)")

    def handle(self, *args, **options):
        action = action_by_ref(options["ref"], options["plan"], options["partnership"])
        by = actor(options["username"], action.plan.partnership_id,
                         default="link_measure", what=f"change action {action.ref}'s measures")
        indicator = Indicator.objects.filter(key=options["indicator"]).first()
        if indicator is None:
            raise CommandError(f"no indicator {options['indicator']!r}")
        key = {"action": action, "indicator": indicator, "breakdown": options["breakdown"],
               "by": by, "source": "command"}
        if options["remove"]:
            if not actions.remove_measure(**key):
                raise CommandError(f"{indicator.key} is not a measure of {action.ref}")
        elif not actions.add_measure(**key):
            self.stdout.write(f"{indicator.key} already measures {action.ref}.")
            return
        self.stdout.write(f"Action {action.ref}: measure {indicator.key} "
                          + ("removed." if options["remove"] else "added."))
