import json

from django.core.management.base import BaseCommand, CommandError

from lapis.plans.management.commands._common import plan_named
from lapis.timeline import exporting


class Command(BaseCommand):
    help = "Write a plan's milestones as .csv, .xlsx or JSON (CSV and .xlsx import back)."

    def add_arguments(self, parser):
        parser.add_argument("--plan")
        parser.add_argument("--partnership")
        parser.add_argument("--format", choices=["csv", "xlsx", "json"], required=True)
        parser.add_argument("-o", "--output", help="file to write (default: standard output; "
                            "required for xlsx)")

    def handle(self, *args, **options):
        plan = plan_named(options["plan"], options["partnership"])
        fmt, output = options["format"], options["output"]
        if fmt == "xlsx":
            if not output:
                raise CommandError("give -o FILE.xlsx for a workbook")
            exporting.to_xlsx(plan, output)
        else:
            text = (exporting.to_csv(plan) if fmt == "csv"
                    else json.dumps(exporting.to_json(plan), indent=2, ensure_ascii=False))
            if not output:
                self.stdout.write(text, ending="")
                return
            with open(output, "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
        self.stderr.write(f"Wrote the milestones of '{plan.name}' to {output}")
