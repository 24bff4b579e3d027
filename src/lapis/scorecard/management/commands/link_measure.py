from django.core.management.base import BaseCommand, CommandError

from lapis.core import history as audit
from lapis.partnership.commands import acting_as
from lapis.plans.commands import action_by_ref
from lapis.scorecard.models import ActionMeasure, Indicator


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
        by = acting_as(options["username"], action.plan.partnership_id,
                       default="link_measure", what=f"change action {action.ref}'s measures")
        indicator = Indicator.objects.filter(key=options["indicator"]).first()
        if indicator is None:
            raise CommandError(f"no indicator {options['indicator']!r}")
        key = {"action": action, "indicator": indicator, "breakdown": options["breakdown"]}
        if options["remove"]:
            deleted, _ = ActionMeasure.objects.filter(**key).delete()
            if not deleted:
                raise CommandError(f"{indicator.key} is not a measure of {action.ref}")
            field, old, new = "measure", indicator.key, ""
        else:
            _, created = ActionMeasure.objects.get_or_create(**key)
            if not created:
                self.stdout.write(f"{indicator.key} already measures {action.ref}.")
                return
            field, old, new = "measure", "", indicator.key
        audit.record(by=by, source="command", partnership_id=action.plan.partnership_id,
                     obj=action, field=field, old=old, new=new)
        self.stdout.write(f"Action {action.ref}: measure {indicator.key} "
                          + ("removed." if options["remove"] else "added."))
