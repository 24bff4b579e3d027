import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from lapis.cases import queries
from lapis.cases.timeliness import RuleError
from lapis.core import tables
from lapis.core.commands import iso_date
from lapis.partnership.commands import partnership_named

RULES = ["six_week", "twenty_week", "sixteen_week", "review_decisions", "amended_plans"]
NAMES = {"six_week": "Decisions to assess within 6 weeks",
         "twenty_week": "Final plans within 20 weeks",
         "sixteen_week": "Notices not to issue within 16 weeks",
         "review_decisions": "Review decisions within 4 weeks",
         "amended_plans": "Final amended plans within 8 weeks"}


def period_of(options) -> tuple[dt.date, dt.date]:
    if options["period"]:
        if not options["period"].isdigit() or len(options["period"]) != 4:
            raise CommandError("--period is a calendar year such as 2024")
        year = int(options["period"])
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    if options["from"] and options["to"]:
        if options["from"] > options["to"]:
            raise CommandError("--from must not be after --to")
        return options["from"], options["to"]
    raise CommandError("give --period YEAR, or --from DATE and --to DATE")


class Command(BaseCommand):
    help = ("Statutory EHC timeliness from the case events: 6 weeks, 20 weeks (with and without "
            "exceptions), 16 weeks, review decisions, amended plans and reviews overdue.")

    def add_arguments(self, parser):
        parser.add_argument("--period", help="a calendar year, e.g. 2024")
        parser.add_argument("--from", type=iso_date)
        parser.add_argument("--to", type=iso_date)
        parser.add_argument("--as-of", type=iso_date, help="YYYY-MM-DD (default: today)")
        parser.add_argument("--by", choices=["month", "quarter", "need", "age"])
        parser.add_argument("--partnership")
        parser.add_argument("--format", choices=["text", "json", "csv"], default="text")

    def handle(self, *args, **options):
        start, end = period_of(options)
        partnership = partnership_named(options["partnership"])
        try:
            result = queries.timeliness(partnership, start=start, end=end,
                                        as_of=options["as_of"] or dt.date.today(),
                                        by=options["by"])
        except RuleError as error:
            raise CommandError(str(error)) from error
        if options["format"] == "json":
            self.stdout.write(json.dumps(result, indent=2, default=str))
            return
        if options["format"] == "csv":
            rows = [[group["group"], rule, group[rule].get("decided", group[rule].get("issued")),
                     group[rule]["within"], group[rule]["rate"]]
                    for group in [{"group": "All", **result}, *result["breakdown"]]
                    for rule in RULES]
            tables.write_csv(tables.Table("Timeliness", ["group", "measure", "decided",
                                                         "within", "rate"], rows), self.stdout)
            return
        self.stdout.write(f"EHC timeliness in {partnership.name}, {start} to {end} "
                          f"(as of {result['period']['as_of']})")
        for rule in RULES:
            cell = result[rule]
            total = cell.get("decided", cell.get("issued"))
            rate = "no cases" if cell["rate"] is None else f"{cell['rate']}%"
            self.stdout.write(f"  {NAMES[rule]}: {cell['within']} of {total} ({rate})")
            if rule == "twenty_week":
                rate = "no cases" if cell["rate_ex"] is None else f"{cell['rate_ex']}%"
                self.stdout.write(f"    excluding exceptions: {cell['within_ex']} of "
                                  f"{cell['issued_ex']} ({rate})")
        self.stdout.write(f"  Reviews overdue: {result['reviews_overdue']}; withdrawn "
                          f"requests: {result['withdrawn']}; undecided, not yet due: "
                          f"{result['undecided']}")
