import json

from django.core.management.base import BaseCommand, CommandError

from lapis.partnership.commands import partnership_named
from lapis.quality import feed, frameworks, reports, rules


class Command(BaseCommand):
    help = ("The quarterly EHC plan audit report: plans audited, overall grades, % good or "
            "better, each section, the change on the previous quarter, moderation agreement, "
            "by agency, phase and need, themes and open follow-ups. A quarter is a calendar "
            "quarter: 2024Q2 is April to June 2024.")

    def add_arguments(self, parser):
        parser.add_argument("--quarter", required=True,
                            help="a calendar quarter, e.g. 2024Q2 (April to June 2024)")
        parser.add_argument("--format", choices=["json", "text", "pdf"], default="text")
        parser.add_argument("--partnership", help="partnership name (default: the only one)")
        parser.add_argument("--framework", default=frameworks.EHC_PLAN_KEY,
                            help=f"the framework key (default {frameworks.EHC_PLAN_KEY})")
        parser.add_argument("--output", "-o", help="file to write (default: standard output; "
                            "required for pdf)")
        parser.add_argument("--publish", action="store_true", help="also write the quarterly "
                            "figures to the scorecard again (an import does this itself)")

    def handle(self, *args, **options):
        try:
            quarter = rules.Quarter.parse(options["quarter"])
        except ValueError as error:
            raise CommandError(str(error)) from None
        partnership = partnership_named(options["partnership"])
        framework = reports.framework_named(options["framework"], partnership)
        if framework is None:
            raise CommandError(f"no audit framework {options['framework']!r}")
        fmt, output = options["format"], options["output"]
        if fmt == "pdf" and not output:
            raise CommandError("give --output FILE.pdf for a PDF")
        if options["publish"]:
            written = feed.publish(partnership, framework=framework)
            self.stderr.write(f"Scorecard: {written} quarterly figures written.")
        report = reports.build(partnership, quarter, framework=framework)
        if fmt == "pdf":
            with open(output, "wb") as handle:
                handle.write(reports.to_pdf(report))
            self.stderr.write(f"Wrote the {quarter} QA report of {partnership.name} to {output}")
            return
        text = (json.dumps(report, indent=2, ensure_ascii=False) + "\n" if fmt == "json"
                else reports.to_text(report))
        if not output:
            self.stdout.write(text, ending="")
            return
        with open(output, "w", encoding="utf-8") as handle:
            handle.write(text)
        self.stderr.write(f"Wrote the {quarter} QA report of {partnership.name} to {output}")
