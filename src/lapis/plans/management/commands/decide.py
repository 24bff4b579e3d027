from django.core.management.base import BaseCommand, CommandError

from lapis.core.commands import iso_date, refusing, user_named
from lapis.plans.actions import decide
from lapis.plans.models import ChangeRequest


class Command(BaseCommand):
    help = "Record a board's decision on a change request: approval applies the change."

    def add_arguments(self, parser):
        parser.add_argument("id", type=int, help="the change request's ID")
        choice = parser.add_mutually_exclusive_group(required=True)
        choice.add_argument("--approve", action="store_true")
        choice.add_argument("--reject", action="store_true")
        parser.add_argument("--date", type=iso_date, help="the meeting date, YYYY-MM-DD "
                            "(default: today)")
        parser.add_argument("--note", default="")
        parser.add_argument("--as", dest="username", required=True)

    def handle(self, *args, **options):
        user = user_named(options["username"])
        request = ChangeRequest.objects.select_related(
            "action__plan", "board").filter(pk=options["id"]).first()
        if request is None:
            raise CommandError(f"no change request {options['id']}")
        with refusing():
            decide(request=request, by=user, approve=options["approve"], on=options["date"],
                   note=options["note"], source="command")
        self.stdout.write(f"{request.code} {request.decision} ({request.get_kind_display()}, "
                          f"action {request.action.ref}).")
