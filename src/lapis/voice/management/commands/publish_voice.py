import datetime as dt

from django.core.management.base import BaseCommand

from lapis.core.commands import iso_date
from lapis.partnership.commands import partnership_named
from lapis.voice import feed


class Command(BaseCommand):
    help = ("Write the voice figures to the scorecard as the partnership's own observations: "
            "complaints per theme and % answered within the standard (per month and "
            "financial year), and each survey question named as an indicator. Needs the "
            "partnership's LA code.")

    def add_arguments(self, parser):
        parser.add_argument("--partnership", help="partnership name (default: the only one)")
        parser.add_argument("--as-of", type=iso_date, help="YYYY-MM-DD (default: today)")

    def handle(self, *args, **options):
        partnership = partnership_named(options["partnership"])
        if not partnership.la_code:
            self.stderr.write(f"{partnership.name} has no LA code: nothing written")
            return
        written = feed.publish(partnership, as_of=options["as_of"] or dt.date.today())
        self.stdout.write(f"Wrote {written} voice observations for {partnership.name}.")
