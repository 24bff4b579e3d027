import datetime as dt
import json

from django.core.management.base import BaseCommand

from lapis.core.commands import iso_date
from lapis.plans import drift
from lapis.plans.commands import plan_named
from lapis.plans.exporting import plan_actions
from lapis.plans.queries import drift_by_ref


class Command(BaseCommand):
    help = "List the actions that are overdue, due soon, stale, incomplete or slipped."

    def add_arguments(self, parser):
        parser.add_argument("--plan")
        parser.add_argument("--partnership")
        parser.add_argument("--as-of", type=iso_date, default=None, help="YYYY-MM-DD "
                            "(default: today)")
        parser.add_argument("--stale-days", type=int, default=90)
        parser.add_argument("--soon-days", type=int, default=30)
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, **options):
        plan = plan_named(options["plan"], options["partnership"])
        as_of = options["as_of"] or dt.date.today()
        flagged = list(drift_by_ref(
            list(plan_actions(plan)), as_of=as_of, stale_days=options["stale_days"],
            soon_days=options["soon_days"]).values())
        if options["format"] == "json":
            self.stdout.write(json.dumps([f.as_json() for f in flagged], indent=2))
            return
        counts = drift.summarise(flagged)
        self.stdout.write(f"Drift and delay in '{plan.name}' as of {as_of.isoformat()}: "
                          f"{len(flagged)} actions flagged ("
                          + ", ".join(f"{n} {flag.replace('_', ' ')}"
                                      for flag, n in counts.items()) + ")")
        for item in flagged:
            self.stdout.write(f"{item.ref:8} {', '.join(item.flags)}")
            for line in drift.explain(item):
                self.stdout.write(f"         {line}")
