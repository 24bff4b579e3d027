import secrets
import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from lapis import audit
from lapis.partnership.models import Board, Membership, Person, Role
from lapis.plans.management.commands._common import partnership_named

ROLES = {
    "admin": Role.ADMIN, "programme_manager": Role.PROGRAMME_MANAGER, "lead": Role.LEAD,
    "board_member": Role.BOARD_MEMBER, "forum": Role.FORUM, "viewer": Role.VIEWER,
}


class Command(BaseCommand):
    help = ("Create a login with a role in a partnership. The password is read from standard "
            "input when it is piped in; otherwise a new one is generated and printed once.")
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=list(ROLES))
        parser.add_argument("--person", help="who this login is in the plan (a lead's name); "
                            "created if new")
        parser.add_argument("--board", action="append", default=[],
                            help="a board this person sits on (repeat for several)")
        parser.add_argument("--email", default="")
        parser.add_argument("--partnership")

    def handle(self, *args, **options):
        partnership = partnership_named(options["partnership"])
        username, role = options["username"], ROLES[options["role"]]
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            raise CommandError(f"there is already a user called {username!r}")
        if role in (Role.LEAD, Role.BOARD_MEMBER) and not options["person"]:
            raise CommandError(f"a {role.label.lower()} needs --person: the name they have "
                               "in the plan")
        if options["board"] and not options["person"]:
            raise CommandError("--board needs --person: boards have people as members")
        boards = []
        for name in options["board"]:
            board = Board.objects.filter(partnership=partnership, name__iexact=name).first()
            if board is None:
                known = "; ".join(partnership.boards.values_list("name", flat=True)[:20])
                raise CommandError(f"no board called {name!r} (there are: {known})")
            boards.append(board)
        stdin = options.get("stdin", sys.stdin)
        piped = "" if stdin is None or stdin.isatty() else stdin.readline().strip()
        password = piped or secrets.token_urlsafe(12)
        try:
            validate_password(password, User(username=username))
        except ValidationError as error:
            raise CommandError("the password from standard input is not good enough: "
                               + " ".join(error.messages)) from error
        with transaction.atomic():
            user = User.objects.create_user(username, email=options["email"], password=password)
            person = None
            if options["person"]:
                person = Person.objects.filter(partnership=partnership,
                                               name__iexact=options["person"]).first()
                if person is None:
                    person = Person.objects.create(partnership=partnership,
                                                   name=options["person"])
                if options["email"] and not person.email:
                    person.email = options["email"]
                    person.save(update_fields=["email"])
            membership = Membership.objects.create(user=user, partnership=partnership,
                                                   role=role, person=person)
            for board in boards:
                board.members.add(person)
            audit.record(by="createuser", source="command", partnership_id=partnership.pk,
                         obj=membership, field="created",
                         new=f"{username}: {role.label}" + (f" as {person.name}" if person else "")
                         + "".join(f"; member of {b.name}" for b in boards))
        self.stdout.write(f"Created {username!r}, {role.label.lower()} in {partnership.name}"
                          + (f", as {person.name}" if person else "") + ".")
        if not piped:
            self.stdout.write(f"Password (shown once): {password}")
