import json

from django.core.management.base import BaseCommand, CommandError

from lapis.partnership.commands import partnership_named
from lapis.risks import exporting


class Command(BaseCommand):
    help = "Write the risk register as .xlsx, .csv (both re-importable) or JSON."

    def add_arguments(self, parser):
        parser.add_argument("--partnership", help="partnership name (default: the only one)")
        parser.add_argument("--format", choices=["xlsx", "csv", "json"], required=True)
        parser.add_argument("-o", "--output", help="file to write (default: standard output; "
                            "required for xlsx)")

    def handle(self, *args, **options):
        partnership = partnership_named(options["partnership"])
        fmt, output = options["format"], options["output"]
        if fmt == "xlsx":
            if not output:
                raise CommandError("give -o FILE.xlsx for a workbook")
            exporting.to_xlsx(partnership, output)
        else:
            text = (exporting.to_csv(partnership) if fmt == "csv" else
                    json.dumps(exporting.register_json(partnership), indent=2,
                               ensure_ascii=False) + "\n")
            if not output:
                self.stdout.write(text, ending="")
                return
            with open(output, "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
        self.stderr.write(f"Wrote the risk register of {partnership.name} to {output}")
