from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from lapis.core.commands import user_named
from lapis.governance import actions
from lapis.governance.meetings_io import read_meetings
from lapis.partnership import permissions
from lapis.partnership.commands import partnership_named


class Command(BaseCommand):
    help = ("Load board meeting dates from .csv or .xlsx (columns Board, Date, Title; Notes and "
            "Minutes optional): all or nothing.")

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--partnership", help="partnership name (default: the only one)")
        parser.add_argument("--as", dest="username", required=True,
                            help="who imports: an administrator or programme manager")
        parser.add_argument("--dry-run", action="store_true", help="check and report; write "
                            "nothing")

    def handle(self, *args, **options):
        path = Path(options["file"])
        user = user_named(options["username"])
        partnership = partnership_named(options["partnership"])
        if not permissions.can_edit(user, partnership.pk):
            raise CommandError(f"{user.username} may not change {partnership.name}'s boards: "
                               "only an administrator or programme manager may")
        rows, problems = read_meetings(path, partnership,
                                       max_bytes=settings.LAPIS_MAX_IMPORT_BYTES)
        if problems:
            for problem in problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{path.name}: {len(problems)} error(s); nothing was imported")
        result = actions.import_meetings(rows=rows, by=user,
                                         source=f"import:{path.name}",
                                         dry_run=options["dry_run"])
        verb = "Would import" if result.dry_run else "Imported"
        self.stdout.write(f"{verb} {path.name} into {partnership.name}: {len(rows)} meetings "
                          f"read; {len(result.created)} new, {len(result.updated)} updated, "
                          f"{len(result.unchanged)} unchanged.")
        for name in result.updated:
            self.stdout.write(f"  updated: {name}")
