import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from lapis.cases import forecast
from lapis.cases.management.commands.forecast import NAMES, case_records
from lapis.cases.timeliness import RuleError
from lapis.partnership.commands import partnership_named

ACTUAL_AFTER_DAYS = 42  # a year's figures are final once every 6-week clock of December ran


def latest_event(found: dict):
    days = [day for req in found["requests"] for day in (req.received, req.outcome_date) if day]
    days += [a.outcome_date for a in found["assessments"] if a.outcome_date]
    days += [day for rev in found["reviews"] for day in (rev.meeting, rev.decision_date) if day]
    return max(days)


class Command(BaseCommand):
    help = ("Replay past years from the stored case events: a forecast as of the 1st of each "
            "month, against the year's actual; the mean absolute error in points and how "
            "often the actual fell inside the 80% interval.")

    def add_arguments(self, parser):
        parser.add_argument("--years", nargs="+", type=int,
                            help="calendar years (default: every year the events cover whose "
                                 "figures are final)")
        parser.add_argument("--partnership")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, **options):
        partnership = partnership_named(options["partnership"])
        found = case_records(partnership)
        years = options["years"]
        if not years:
            last = latest_event(found)
            first = min(req.received for req in found["requests"]) if found["requests"] \
                else min(rev.meeting for rev in found["reviews"])
            years = [year for year in range(first.year + 1, last.year + 1)
                     if (last - dt.date(year, 12, 31)).days
                     >= ACTUAL_AFTER_DAYS]
            if not years:
                raise CommandError("the case events cover no whole past year after their "
                                   "first: give --years")
        try:
            result = forecast.backtest(found["requests"], found["assessments"], found["plans"],
                                       found["reviews"], years=years)
        except RuleError as error:
            raise CommandError(str(error)) from error
        if options["format"] == "json":
            self.stdout.write(json.dumps(result, indent=2))
            return
        self.stdout.write(f"Forecast track record in {partnership.name}, "
                          f"{', '.join(map(str, result['years']))} (as of the 1st of each "
                          "month, against the year's actual)")
        for rule in forecast.RULES:
            cell = result[rule]
            if not cell["forecasts"]:
                self.stdout.write(f"  {NAMES[rule]}: no forecasts to compare")
                continue
            self.stdout.write(f"  {NAMES[rule]}: mean absolute error {cell['mae']} points; "
                              f"actual inside the 80% interval in {cell['coverage']}% of "
                              f"{cell['forecasts']} forecasts")
