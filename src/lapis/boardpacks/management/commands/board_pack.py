import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from lapis.boardpacks import actions, render
from lapis.core.commands import iso_date, refusing, user_named
from lapis.partnership.commands import partnership_named
from lapis.partnership.models import Board


class Command(BaseCommand):
    help = ("Make and store a board's pack as of a date (roll-up, changes since its last pack, "
            "drift, decisions, scorecard, top risks, due for update) and write it out.")

    def add_arguments(self, parser):
        parser.add_argument("--board", required=True, help="the board's name")
        parser.add_argument("--partnership")
        parser.add_argument("--as-of", type=iso_date, default=None,
                            help="YYYY-MM-DD (default: today)")
        parser.add_argument("--format", choices=["pdf", "html", "json"], default=None,
                            help="default: from the file's extension, else pdf")
        parser.add_argument("-o", "--output", help="file to write (json and html: standard "
                            "output when left out)")
        parser.add_argument("--as", dest="username", help="an administrator or programme "
                            "manager; without it, the server operator")
        parser.add_argument("--governing", action="store_true",
                            help="first mark this board as the one governing the whole plan")

    def handle(self, *args, **options):
        partnership = partnership_named(options["partnership"])
        board = Board.objects.filter(partnership=partnership,
                                     name__iexact=options["board"]).first()
        if board is None:
            names = "; ".join(partnership.boards.values_list("name", flat=True))
            raise CommandError(f"{partnership.name} has no board called {options['board']!r} "
                               f"(there are: {names or 'none'})")
        output = options["output"]
        fmt = options["format"] or next(
            (f for f in ("pdf", "html", "json") if (output or "").lower().endswith("." + f)),
            "pdf")
        if fmt == "pdf" and not output:
            raise CommandError("give -o FILE.pdf for a PDF")
        by = user_named(options["username"]) if options["username"] else actions.OPERATOR
        with refusing():
            if options["governing"]:
                actions.set_governing(board=board, by=by, source="command")
            pack = actions.create_pack(board=board, as_of=options["as_of"] or dt.date.today(),
                                       by=by, source="command")
        if fmt == "pdf":
            with open(output, "wb") as handle:
                handle.write(render.pdf(pack))
        else:
            text = (json.dumps({"id": pack.pk, **pack.snapshot}, indent=2) if fmt == "json"
                    else render.document(pack))
            if output:
                with open(output, "w", encoding="utf-8") as handle:
                    handle.write(text)
            else:
                self.stdout.write(text)
        changes = pack.changes
        summary = ("first pack for this board" if changes is None
                   else f"{len(changes)} change{'s' if len(changes) != 1 else ''} since the "
                   f"pack as of {pack.snapshot['previous']['as_of']}")
        self.stderr.write(f"Stored board pack {pack.pk} for {board.name} as of "
                          f"{pack.as_of.isoformat()} ({summary})"
                          + (f"; wrote {output}" if output else ""))
