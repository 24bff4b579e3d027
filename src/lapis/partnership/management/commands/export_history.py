import json

from django.core.management.base import BaseCommand

from lapis.core import exporting
from lapis.core.commands import iso_date
from lapis.core.models import ChangeRecord
from lapis.partnership.commands import partnership_named


class Command(BaseCommand):
    help = "Write the history of changes (who, when, what, from, to) as CSV or JSON."

    def add_arguments(self, parser):
        parser.add_argument("--partnership")
        parser.add_argument("--record", help="a kind of record, e.g. plans.Action, "
                            "plans.ChangeRequest, risks.Risk")
        parser.add_argument("--ref", help="one record by its reference, e.g. 4.6")
        parser.add_argument("--since", type=iso_date, help="YYYY-MM-DD")
        parser.add_argument("--format", choices=["csv", "json"], default="csv")
        parser.add_argument("-o", "--output")

    def handle(self, *args, **options):
        partnership = partnership_named(options["partnership"])
        records = ChangeRecord.objects.filter(partnership_id=partnership.pk)
        if options["record"]:
            records = records.filter(model__iexact=options["record"])
        if options["ref"]:
            records = records.filter(object_ref=options["ref"])
        if options["since"]:
            records = records.filter(at__date__gte=options["since"])
        records = records.order_by("at", "id")
        text = (exporting.to_csv(records) if options["format"] == "csv"
                else json.dumps([exporting.row(r) for r in records], indent=2,
                                ensure_ascii=False))
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
            self.stderr.write(f"Wrote {records.count()} changes to {options['output']}")
        else:
            self.stdout.write(text, ending="")
