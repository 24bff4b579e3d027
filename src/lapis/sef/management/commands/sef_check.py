"""lapis sef_check [--partnership NAME] [--format text|json]: exits non-zero on problems."""

import json

from django.core.management.base import BaseCommand, CommandError

from lapis.partnership.models import Partnership
from lapis.sef import checks, queries


def partnership_named(name):
    found = Partnership.objects.filter(name=name).first() if name else (
        Partnership.objects.order_by("pk").first())
    if found is None:
        raise CommandError(f"No partnership {name!r}" if name else "No partnership yet")
    return found


class Command(BaseCommand):
    help = "Check the SEF against the plan and the data; exit 1 when there are problems."

    def add_arguments(self, parser):
        parser.add_argument("--partnership", default="", help="Its name (default: the first)")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, partnership, format, **options):
        report = queries.check(partnership_named(partnership))
        if format == "json":
            self.stdout.write(json.dumps(report.as_json(), indent=2))
        else:
            self.stdout.write(checks.as_text(report))
        if not report.ok:
            raise CommandError(f"{len(report.problems)} problem(s) in the SEF")
