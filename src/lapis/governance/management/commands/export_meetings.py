import json

from django.core.management.base import BaseCommand

from lapis.governance import meetings_io
from lapis.partnership.commands import partnership_named


class Command(BaseCommand):
    help = "Write a partnership's board meetings as CSV (import_meetings reads it back) or JSON."

    def add_arguments(self, parser):
        parser.add_argument("--partnership", help="partnership name (default: the only one)")
        parser.add_argument("--format", choices=["csv", "json"], required=True)
        parser.add_argument("-o", "--output", help="file to write (default: standard output)")

    def handle(self, *args, **options):
        partnership = partnership_named(options["partnership"])
        meetings = list(meetings_io.partnership_meetings(partnership))
        text = (meetings_io.to_csv(meetings) if options["format"] == "csv"
                else json.dumps(meetings_io.meetings_json(meetings), indent=2,
                                ensure_ascii=False) + "\n")
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
            self.stderr.write(f"Wrote {len(meetings)} meetings to {options['output']}")
        else:
            self.stdout.write(text, ending="")
