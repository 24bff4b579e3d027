import smtplib

from django.core.management.base import BaseCommand, CommandError

from lapis.core.commands import iso_date, user_named
from lapis.governance import actions, queries
from lapis.governance.commands import board_named, meeting_of
from lapis.governance.due import spoken
from lapis.partnership import permissions


class Command(BaseCommand):
    help = ("Email each lead and SRO with actions due for update before a board meeting, once, "
            "listing their actions and why (the same emails as the page's button).")

    def add_arguments(self, parser):
        parser.add_argument("--board", required=True, help="the board's name")
        parser.add_argument("--partnership", help="needed only when two partnerships have a "
                            "board of that name")
        parser.add_argument("--meeting", type=iso_date, help="YYYY-MM-DD (default: the next "
                            "meeting, today included)")
        parser.add_argument("--as", dest="username", required=True,
                            help="who sends them: an administrator or programme manager")
        parser.add_argument("--dry-run", action="store_true", help="list who would be "
                            "emailed; send and record nothing")

    def handle(self, *args, **options):
        user = user_named(options["username"])
        board = board_named(options["board"], options["partnership"])
        if not permissions.can_edit(user, board.partnership_id):
            raise CommandError(f"{user.username} may not send reminders for {board.name}: "
                               "only an administrator or programme manager may")
        meeting = meeting_of(board, options["meeting"])
        found = queries.due_list(board, meeting)
        try:
            done = actions.send_reminders(due=found, by=user, source="command:remind",
                                          dry_run=options["dry_run"])
        except (OSError, smtplib.SMTPException) as error:
            raise CommandError(f"the reminders could not be sent: {error}") from None
        verb = "Would email" if done.dry_run else "Emailed"
        self.stdout.write(f"{verb} {len(done.sent)} lead{'' if len(done.sent) == 1 else 's'} "
                          f"about {len(found.rows)} action{'' if len(found.rows) == 1 else 's'} "
                          f"due for update before the {board.name} meeting on "
                          f"{spoken(meeting.date)}.")
        for letter in found.send:
            refs = ", ".join(item.ref for item in letter.items)
            self.stdout.write(f"  {letter.person.name} <{letter.person.email}>: {refs}")
        for letter in found.unsent:
            refs = ", ".join(item.ref for item in letter.items)
            self.stdout.write(f"  Not reminded: no email address: {letter.person.name}: {refs}")
