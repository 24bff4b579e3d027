from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lapis.core.actors import System
from lapis.scorecard import actions, dfe


class Command(BaseCommand):
    help = ("Load DfE's statistical neighbour groups (the .xlsx DfE publishes): each LA's ten "
            "nearest neighbours, in DfE's order, matched by LA code.")

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            groups = dfe.read_statistical_neighbours(path)
        except dfe.DfeFileError as error:
            for problem in error.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{path.name}: nothing was imported") from None
        except (OSError, ValueError) as error:
            raise CommandError(f"{path.name}: {error}") from None
        actions.load_neighbours(groups=groups, by=System("import_neighbours"),
                                source=f"import:{path.name}")
        self.stdout.write(f"Loaded statistical neighbours for {len(groups)} local authorities.")
