import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from lapis.cases import forecast, queries
from lapis.cases.timeliness import RuleError
from lapis.core.commands import iso_date
from lapis.partnership.commands import partnership_named

NAMES = {"twenty_week": "Final plans within 20 weeks",
         "twenty_week_ex": "Final plans within 20 weeks, excluding exceptions",
         "six_week": "Decisions to assess within 6 weeks",
         "review_decisions": "Review decisions within 4 weeks"}


def year_of(text: str) -> int:
    if not text.isdigit() or len(text) != 4:
        raise CommandError("--period is a calendar year such as 2024")
    return int(text)


def case_records(partnership) -> dict:
    """The partnership's case events, or a CommandError saying there are none."""
    found = queries.records(partnership)
    if not (found["requests"] or found["reviews"]):
        raise CommandError(f"{partnership.name} has no case events: import an SEN2 extract "
                           "with lapis import_cases first")
    return found


def percent(value) -> str:
    return "no cases" if value is None else f"{value}%"


class Command(BaseCommand):
    help = ("Forecast a calendar year's statutory EHC rates (20 weeks with and without "
            "exceptions, 6 weeks, review decisions) from the case events as of a date: an "
            "expected rate with an 80% interval and the cases it rests on.")

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="a calendar year, e.g. 2024")
        parser.add_argument("--as-of", type=iso_date, help="YYYY-MM-DD (default: today)")
        parser.add_argument("--partnership")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, **options):
        year = year_of(options["period"])
        partnership = partnership_named(options["partnership"])
        found = case_records(partnership)
        as_of = options["as_of"] or dt.date.today()
        try:
            result = forecast.forecast(found["requests"], found["assessments"], found["plans"],
                                       found["reviews"], year=year, as_of=as_of)
        except RuleError as error:
            raise CommandError(str(error)) from error
        if options["format"] == "json":
            self.stdout.write(json.dumps(result, indent=2))
            return
        self.stdout.write(f"Forecast of {year} in {partnership.name}, as of {as_of}")
        for rule in forecast.RULES:
            cell = result[rule]
            line = f"  {NAMES[rule]}: expected {percent(cell['expected'])}"
            if cell["expected"] is not None:
                line += f" (80% interval {cell['low']}-{cell['high']}%)"
            self.stdout.write(f"{line}; so far {cell['within_so_far']} of "
                              f"{cell['issued_so_far']}, {cell['open_cases']} open, "
                              f"{cell['still_to_come']:.1f} still to come")
        self.stdout.write("The 80% interval: in 8 years out of 10 like the last twelve months, "
                          "the year's rate falls between its two ends.")
