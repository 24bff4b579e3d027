import json

from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandError

from lapis.core import tables
from lapis.partnership.models import Partnership
from lapis.scorecard import lait, queries
from lapis.scorecard.models import Area, Indicator, ScorecardSet

COLUMNS = ["indicator", "period", "value", "numerator", "denominator", "england", "region",
           "statistical_neighbours", "gap_england", "rank", "quartile", "target", "status",
           "reason"]


ROUNDED = ("value", "england", "region", "statistical_neighbours", "gap_england")


def _rounded(data: dict, dps: int | None) -> dict:
    """The figures to the measure's decimal places where its dictionary gives them (LAIT's
    `dps`), otherwise as published."""
    if dps is not None:
        for name in ROUNDED:
            data[name] = lait.rounded(data[name], dps)
    return data


class _Operator(AnonymousUser):
    """The server operator at the terminal sees every figure, as a superuser would."""

    is_superuser = True

    @property
    def is_authenticated(self):
        return True


class Command(BaseCommand):
    help = "Print the scorecard: latest value, comparators, gap, rank, quartile and status."

    def add_arguments(self, parser):
        parser.add_argument("--set", dest="set_name", help="a named scorecard")
        parser.add_argument("--indicator", action="append", default=[],
                            help="an indicator key (repeat for several)")
        parser.add_argument("--area", help="an LA code such as 810 (default: the "
                            "partnership's own LA)")
        parser.add_argument("--period", help="e.g. 2024 or 2022/23 (default: the latest)")
        parser.add_argument("--breakdown", default="All")
        parser.add_argument("--partnership")
        parser.add_argument("--format", choices=["json", "csv", "text"], default="text")

    def handle(self, *args, **options):
        partnerships = Partnership.objects.all()
        if options["partnership"]:
            partnerships = partnerships.filter(name=options["partnership"])
        partnership = partnerships.first() if partnerships.count() == 1 else None
        chosen = None
        if options["set_name"]:
            chosen = ScorecardSet.objects.filter(name=options["set_name"]).first()
            if chosen is None:
                raise CommandError(f"no scorecard called {options['set_name']!r}")
        code = options["area"] or (chosen.area.code if chosen and chosen.area else "") or (
            partnership.la_code if partnership else "")
        if not code:
            raise CommandError("give --area CODE (an LA code such as 810), or set the "
                               "partnership's LA code")
        area = Area.objects.filter(code=code).first()
        if area is None:
            raise CommandError(f"no area with code {code!r}: load figures for it first")
        if chosen is not None:
            indicators = [item.indicator for item in chosen.items.select_related("indicator")]
        elif options["indicator"]:
            found = {i.key: i for i in Indicator.objects.filter(key__in=options["indicator"])}
            missing = [k for k in options["indicator"] if k not in found]
            if missing:
                raise CommandError("no indicator " + ", ".join(map(repr, missing)))
            indicators = [found[k] for k in options["indicator"]]
        else:
            indicators = list(Indicator.objects.filter(observations__area=area).distinct())
        lines = queries.scorecard(indicators, area, user=_Operator(), partnership=partnership,
                                  period=options["period"], breakdown=options["breakdown"])
        if options["format"] == "json":
            places = {i.key: i.dps for i in indicators}
            self.stdout.write(json.dumps([_rounded(line.as_json(), places.get(line.indicator))
                                          for line in lines], indent=2))
        elif options["format"] == "csv":
            rows = [[data[name] for name in COLUMNS] for data in (line.as_row() for line in lines)]
            tables.write_csv(tables.Table("Scorecard", COLUMNS, rows), self.stdout)
        else:
            self.stdout.write(f"Scorecard for {area.name} ({area.code}), {options['breakdown']}")
            for line in lines:
                self.stdout.write(queries.describe(line))
