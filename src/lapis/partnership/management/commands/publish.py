from django.core.management.base import BaseCommand

from lapis.core.actors import System
from lapis.partnership.actions import publish
from lapis.partnership.commands import partnership_named


class Command(BaseCommand):
    help = "Publish (or withdraw) the friendly public view of the partnership's plan."

    def add_arguments(self, parser):
        parser.add_argument("--partnership")
        parser.add_argument("--off", action="store_true", help="withdraw the public view")
        parser.add_argument("--names", action="store_true",
                            help="show the names of action owners (off unless given)")

    def handle(self, *args, **options):
        partnership = partnership_named(options["partnership"])
        publish(partnership=partnership, public=not options["off"], names=options["names"],
                by=System("publish"), source="command")
        if partnership.public:
            self.stdout.write(f"{partnership.name}'s plan is public at /public/{partnership.pk}/"
                              + (" with owners' names." if partnership.public_names else
                                 ", without names."))
        else:
            self.stdout.write(f"{partnership.name}'s public view is withdrawn.")
