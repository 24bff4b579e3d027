import sys

from django.core.management.base import BaseCommand, CommandError

from lapis.core.actors import System
from lapis.partnership.actions import AccountError, create_login, new_password
from lapis.partnership.commands import partnership_named
from lapis.partnership.models import Board, Role

ROLES = {
    "admin": Role.ADMIN, "programme_manager": Role.PROGRAMME_MANAGER, "lead": Role.LEAD,
    "board_member": Role.BOARD_MEMBER, "forum": Role.FORUM, "auditor": Role.AUDITOR,
    "viewer": Role.VIEWER,
}


class Command(BaseCommand):
    help = ("Create a login with a role in a partnership. The password is read from standard "
            "input when it is piped in; otherwise a new one is generated and printed once.")
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=list(ROLES))
        parser.add_argument("--person", default="", help="who this login is in the plan (a "
                            "lead's name); created if new")
        parser.add_argument("--board", action="append", default=[],
                            help="a board this person sits on (repeat for several)")
        parser.add_argument("--email", default="")
        parser.add_argument("--partnership")

    def handle(self, *args, **options):
        partnership = partnership_named(options["partnership"])
        boards = []
        for name in options["board"]:
            board = Board.objects.filter(partnership=partnership, name__iexact=name).first()
            if board is None:
                known = "; ".join(partnership.boards.values_list("name", flat=True)[:20])
                raise CommandError(f"no board called {name!r} (there are: {known})")
            boards.append(board)
        stdin = options.get("stdin", sys.stdin)
        piped = "" if stdin is None or stdin.isatty() else stdin.readline().strip()
        role, password = ROLES[options["role"]], piped or new_password()
        try:
            membership = create_login(
                partnership=partnership, username=options["username"], role=role,
                person=options["person"], boards=boards, email=options["email"],
                password=password, by=System("createuser"), source="command")
        except AccountError as error:
            if error.field == "password":
                raise CommandError(f"the password from standard input is not good enough: "
                                   f"{error}") from error
            raise CommandError(f"--{error.field}: {error}") from error
        person = membership.person
        self.stdout.write(f"Created {membership.user.username!r}, {role.label.lower()} in "
                          f"{partnership.name}" + (f", as {person.name}" if person else "") + ".")
        if not piped:
            self.stdout.write(f"Password (shown once): {password}")
