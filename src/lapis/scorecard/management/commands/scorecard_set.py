from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from lapis.core import history as audit
from lapis.partnership.commands import partnership_named
from lapis.scorecard.models import Area, Indicator, ScorecardItem, ScorecardSet


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
        with transaction.atomic():
            chosen, created = ScorecardSet.objects.get_or_create(
                partnership=partnership, name=options["name"])
            if options["area"]:
                chosen.area = Area.objects.filter(code=options["area"]).first()
                if chosen.area is None:
                    raise CommandError(f"no area with code {options['area']!r}")
                chosen.save(update_fields=["area"])
            chosen.items.all().delete()
            ScorecardItem.objects.bulk_create(
                ScorecardItem(scorecard=chosen, indicator=found[key], position=i)
                for i, key in enumerate(options["indicator"]))
            audit.record(by="scorecard_set", source="command", partnership_id=partnership.pk,
                         obj=chosen, field="created" if created else "indicators",
                         new=", ".join(options["indicator"]))
        self.stdout.write(f"Scorecard {chosen.name!r}: {len(options['indicator'])} indicators.")
