import json

from django.core.management.base import BaseCommand, CommandError

from lapis.inclusion import exporting, queries, rules
from lapis.partnership.commands import partnership_named


class _Operator:
    """The server operator reads every figure (as a superuser would)."""

    is_authenticated = True
    is_superuser = True


class Command(BaseCommand):
    help = ("Write every school's inclusion figures (the columns import_inclusion reads, with "
            "the value and the LA average) as .xlsx, .csv or JSON; --shared withholds counts "
            "below 5 exactly as the shared pages do.")

    def add_arguments(self, parser):
        parser.add_argument("--partnership", help="partnership name (default: the only one)")
        parser.add_argument("--format", choices=["xlsx", "csv", "json"], required=True)
        parser.add_argument("--shared", action="store_true",
                            help="the view to share outside the council: counts below 5 "
                            "withheld")
        parser.add_argument("--measure", choices=list(rules.MEASURES))
        parser.add_argument("--period", help='one period, e.g. "2024/25 Autumn"')
        parser.add_argument("-o", "--output", help="file to write (default: standard output; "
                            "required for xlsx)")

    def handle(self, *args, **options):
        partnership = partnership_named(options["partnership"])
        fmt, output, shared = options["format"], options["output"], options["shared"]
        period = options["period"]
        if period:
            try:
                period = rules.read_period(period)
            except rules.RuleError as error:
                raise CommandError(str(error)) from None
        table = queries.long_table(_Operator(), partnership, shared=shared,
                                   measure=options["measure"], period=period)
        note = exporting.note(shared, f"Inclusion figures of {partnership.name}")
        header, rows = exporting.long_header_rows(table)
        if fmt == "xlsx":
            if not output:
                raise CommandError("give -o FILE.xlsx for a workbook")
            exporting.to_xlsx(header, rows, note, output)
        else:
            text = (exporting.to_csv(header, rows, note) if fmt == "csv" else
                    json.dumps({"partnership": partnership.name, "shared": shared,
                                "view": queries.view_words(shared), "figures": table},
                               indent=2, ensure_ascii=False) + "\n")
            if not output:
                self.stdout.write(text, ending="")
                return
            with open(output, "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
        self.stderr.write(f"Wrote {len(table)} inclusion figures of {partnership.name} "
                          f"({'shared' if shared else 'council'} view) to {output}")
