from django.core.management.base import BaseCommand, CommandError

from lapis.core.commands import refusing, user_named
from lapis.core.dates import PartialDate
from lapis.core.errors import CellError
from lapis.partnership.models import Board, Person
from lapis.plans.actions import raise_change_request
from lapis.plans.commands import action_by_ref
from lapis.plans.models import ChangeKind


class Command(BaseCommand):
    help = "Raise a change request on an action for a board to decide; prints its ID."

    def add_arguments(self, parser):
        parser.add_argument("ref")
        parser.add_argument("--kind", required=True, choices=ChangeKind.values)
        parser.add_argument("--reason", required=True)
        parser.add_argument("--board", required=True)
        parser.add_argument("--due", help="the new due date for --kind due_date: YYYY-MM "
                            "or YYYY-MM-DD")
        parser.add_argument("--text", default="", help="the new scope (scope) or where the "
                            "work now sits (bau)")
        parser.add_argument("--owner", help="the new SRO's name (owner)")
        parser.add_argument("--evidence", default="")
        parser.add_argument("--as", dest="username", required=True)
        parser.add_argument("--plan")
        parser.add_argument("--partnership")

    def handle(self, *args, **options):
        user = user_named(options["username"])
        action = action_by_ref(options["ref"], options["plan"], options["partnership"])
        partnership = action.plan.partnership_id
        board = Board.objects.filter(partnership_id=partnership,
                                     name__iexact=options["board"]).first()
        if board is None:
            raise CommandError(f"no board called {options['board']!r}")
        owner = None
        if options["owner"]:
            owner = Person.objects.filter(partnership_id=partnership,
                                          name__iexact=options["owner"]).first()
            if owner is None:
                raise CommandError(f"no person called {options['owner']!r}")
        due = None
        if options["due"]:
            try:
                due = PartialDate.from_iso(options["due"])
            except CellError as error:
                raise CommandError(f"--due: {error}") from error
        with refusing():
            request = raise_change_request(
                action=action, by=user, kind=options["kind"], reason=options["reason"], board=board,
                evidence=options["evidence"], new_due=due, new_text=options["text"],
                new_owner=owner, source="command")
        self.stdout.write(str(request.pk))
