from django.core.management.base import BaseCommand

from lapis.core import history as audit
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
        old = (partnership.public, partnership.public_names)
        partnership.public = not options["off"]
        partnership.public_names = partnership.public and options["names"]
        partnership.save(update_fields=["public", "public_names"])
        audit.record(by="publish", source="command", partnership_id=partnership.pk,
                     obj=partnership, field="public", old=str(old),
                     new=str((partnership.public, partnership.public_names)))
        if partnership.public:
            self.stdout.write(f"{partnership.name}'s plan is public at /public/{partnership.pk}/"
                              + (" with owners' names." if partnership.public_names else
                                 ", without names."))
        else:
            self.stdout.write(f"{partnership.name}'s public view is withdrawn.")
