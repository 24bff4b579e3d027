import datetime as dt
import json

from django.core.management.base import BaseCommand

from lapis.cases import queries
from lapis.core.commands import iso_date
from lapis.partnership.commands import partnership_named


class Command(BaseCommand):
    help = "Every open request and assessment with its next statutory deadline and days left."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", type=iso_date, help="YYYY-MM-DD (default: today)")
        parser.add_argument("--soon-days", type=int, default=14)
        parser.add_argument("--partnership")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, **options):
        partnership = partnership_named(options["partnership"])
        found = queries.at_risk(partnership, as_of=options["as_of"] or dt.date.today(),
                                soon_days=options["soon_days"])
        if options["format"] == "json":
            self.stdout.write(json.dumps(found, indent=2, default=str))
            return
        self.stdout.write(f"Open cases as of {found['as_of']}: {len(found['open'])}")
        for row in found["open"]:
            self.stdout.write(f"  {row['case']:<12} {row['stage']:<11} {row['rule']:<22} due "
                              f"{row['deadline']} ({row['days_left']} days left): "
                              f"{row['state']}")
        self.stdout.write(f"Reviews overdue: {len(found['reviews_overdue'])}; due in the next "
                          f"30 days: {len(found['reviews_due_soon'])}")
