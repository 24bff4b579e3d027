import datetime as dt
import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from lapis.cases import feed, loading
from lapis.partnership.commands import actor, partnership_named

SHOWN_WARNINGS = 50
SHOWN_ERRORS = 1000


class Command(BaseCommand):
    help = ("Load a pseudonymised EHC case extract (SEN2's modules: a folder of person.csv, "
            "requests.csv, assessments.csv, named_plans.csv, reviews.csv, sen_need.csv, or "
            "one .xlsx with a sheet per module). It replaces the partnership's case data; "
            "all or nothing.")

    def add_arguments(self, parser):
        parser.add_argument("path", metavar="DIR_OR_XLSX")
        parser.add_argument("--partnership", help="partnership name (default: the only one)")
        parser.add_argument("--dry-run", action="store_true",
                            help="check and report; write nothing")
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument("--as", dest="by", metavar="USERNAME",
                            help="the user to act as (an administrator or programme manager "
                            "of the partnership), recorded in the history; without it, the "
                            "server operator, recorded as import_cases")

    def handle(self, *args, **options):
        path = Path(options["path"])
        partnership = partnership_named(options["partnership"])
        by = actor(options["by"], partnership.pk, default="import_cases",
                         what=f"import case data for {partnership.name} (only its "
                         "administrators and programme managers can)")
        json_out = options["format"] == "json"
        try:
            result = loading.import_cases(partnership=partnership, path=path, by=by,
                                          max_bytes=settings.LAPIS_MAX_CASE_IMPORT_BYTES,
                                          dry_run=options["dry_run"])
        except loading.ImportFailed as failure:
            report = failure.report
            if json_out:
                self.stdout.write(json.dumps({
                    "ok": False, "dry_run": options["dry_run"], "file": path.name,
                    "counts": report.counts,
                    "warnings": [p.as_json() for p in report.warnings],
                    "warnings_total": report.warnings_total,
                    "errors": [p.as_json() for p in report.errors],
                    "errors_total": report.errors_total}, indent=2))
            else:
                for problem in report.errors[:SHOWN_ERRORS]:
                    self.stderr.write(str(problem))
                if report.errors_total > SHOWN_ERRORS:
                    self.stderr.write(f"... and {report.errors_total - SHOWN_ERRORS:,} more")
            raise CommandError(f"{path.name}: {report.errors_total:,} error(s); nothing was "
                               "imported") from None
        published = 0
        if not result.dry_run:
            published = feed.publish(partnership, as_of=dt.date.today())
        if json_out:
            self.stdout.write(json.dumps(result.as_json(), indent=2))
            return
        report = result.report
        verb = "Would import" if result.dry_run else "Imported"
        self.stdout.write(f"{verb} {path.name} into the case data of {partnership.name}"
                          + ("" if result.dry_run else ", replacing what was there") + ":")
        for name, count in report.counts.items():
            self.stdout.write(f"  {name}: {count:,}")
        self.stdout.write(f"{report.warnings_total:,} warning(s)"
                          + (f"; the first {SHOWN_WARNINGS}:"
                             if report.warnings_total > SHOWN_WARNINGS else
                             (":" if report.warnings_total else ".")))
        for problem in report.warnings[:SHOWN_WARNINGS]:
            self.stdout.write(f"  {problem}")
        if published:
            self.stdout.write(f"{published:,} timeliness figures written to the scorecard "
                              "(indicators cases_*).")
