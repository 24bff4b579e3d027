import json

from django.core.management.base import BaseCommand, CommandError

from lapis.plans import changes
from lapis.plans.management.commands._common import plan_named


class Command(BaseCommand):
    help = "Write the plan's change-control register as .xlsx, .csv or JSON."

    def add_arguments(self, parser):
        parser.add_argument("--plan")
        parser.add_argument("--partnership")
        parser.add_argument("--format", choices=["xlsx", "csv", "json"], required=True)
        parser.add_argument("-o", "--output", help="file to write (default: standard output; "
                            "required for xlsx)")

    def handle(self, *args, **options):
        plan = plan_named(options["plan"], options["partnership"])
        fmt, output = options["format"], options["output"]
        if fmt == "xlsx":
            if not output:
                raise CommandError("give -o FILE.xlsx for a workbook")
            changes.to_xlsx(plan, output)
            self.stderr.write(f"Wrote the change-control register of '{plan.name}' to {output}")
            return
        text = (changes.to_csv(plan) if fmt == "csv"
                else json.dumps(changes.to_json(plan), indent=2, ensure_ascii=False))
        if output:
            with open(output, "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
        else:
            self.stdout.write(text, ending="")
