import json

from django.core.management.base import BaseCommand

from lapis.core.commands import iso_date
from lapis.governance import queries
from lapis.governance.commands import board_named, meeting_of
from lapis.governance.due import spoken


class Command(BaseCommand):
    help = ("List a board's actions due for update before a meeting: no update since its last "
            "meeting, overdue, or with a change request awaiting its decision.")

    def add_arguments(self, parser):
        parser.add_argument("--board", required=True, help="the board's name")
        parser.add_argument("--partnership", help="needed only when two partnerships have a "
                            "board of that name")
        parser.add_argument("--meeting", type=iso_date, help="YYYY-MM-DD, one of the board's "
                            "meetings (default: the next one, today included)")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, **options):
        board = board_named(options["board"], options["partnership"])
        meeting = meeting_of(board, options["meeting"])
        found = queries.due_list(board, meeting)
        if options["format"] == "json":
            self.stdout.write(json.dumps(found.as_json(), indent=2, ensure_ascii=False))
            return
        since = (f"last meeting {spoken(found.previous.date)}" if found.previous
                 else "no earlier meeting")
        self.stdout.write(f"Due for update before the {board.name} meeting on "
                          f"{spoken(meeting.date)} ({since}): {len(found.rows)} action"
                          f"{'' if len(found.rows) == 1 else 's'}")
        for action, item in found.rows:
            people = ", ".join(p.name for p in queries.people_of(action)) or "no SRO or lead"
            self.stdout.write(f"{action.ref:8} {people}")
            for reason in item.reasons:
                self.stdout.write(f"         {reason.text}")
        for letter in found.unsent:
            self.stdout.write(f"Not reminded: no email address: {letter.person.name}")
