from django.core.management.base import BaseCommand, CommandError

from lapis.core.actors import System
from lapis.partnership.commands import partnership_named
from lapis.scorecard import actions
from lapis.scorecard.models import Area, Indicator


class Command(BaseCommand):
    help = "Make or replace a named scorecard: its indicators, in order."

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("--indicator", action="append", required=True,
                            help="an indicator key, in the order shown (repeat)")
        parser.add_argument("--area", help="an LA code whose figures it shows (default: the "
                            "partnership's own LA)")
        parser.add_argument("--partnership")

    def handle(self, *args, **options):
        partnership = partnership_named(options["partnership"])
        found = {i.key: i for i in Indicator.objects.filter(key__in=options["indicator"])}
        missing = [k for k in options["indicator"] if k not in found]
        if missing:
            raise CommandError("no indicator " + ", ".join(map(repr, missing)))
        area = {}
        if options["area"]:
            area["area"] = Area.objects.filter(code=options["area"]).first()
            if area["area"] is None:
                raise CommandError(f"no area with code {options['area']!r}")
        chosen = actions.save_scorecard(
            partnership=partnership, by=System("scorecard_set"), name=options["name"],
            indicators=[found[key] for key in options["indicator"]], source="command", **area)
        self.stdout.write(f"Scorecard {chosen.name!r}: {len(options['indicator'])} indicators.")
