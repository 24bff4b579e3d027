"""lapis sef --format docx|pdf|html -o FILE [--partnership NAME]: the SEF document."""

from pathlib import Path

from django.core.management.base import BaseCommand

from lapis.sef import document
from lapis.sef.management.commands.sef_check import partnership_named


class Command(BaseCommand):
    help = "Write the SEF, one section per framework area, from the live records."

    def add_arguments(self, parser):
        parser.add_argument("--partnership", default="", help="Its name (default: the first)")
        parser.add_argument("--format", choices=["docx", "pdf", "html"], default="html")
        parser.add_argument("-o", "--output", required=True, help="The file to write")

    def handle(self, *args, partnership, format, output, **options):
        doc = document.content(partnership_named(partnership))
        if format == "html":
            data = document.to_html(doc).encode()
        elif format == "pdf":
            data = document.to_pdf(doc)
        else:
            data = document.to_docx(doc)
        Path(output).write_bytes(data)
        self.stdout.write(f"Wrote {output}: the SEF for {doc.partnership}, "
                          f"{len(doc.sections)} areas, {format.upper()}")
