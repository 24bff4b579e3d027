from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from lapis.scorecard import dfe
from lapis.scorecard.models import Area, Level, Neighbour


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
        names = {code: name for members in groups.values() for code, name in members}
        with transaction.atomic():
            areas = {a.code: a for a in Area.objects.filter(code__in=set(names) | set(groups))}
            for code in set(names) | set(groups):
                if code not in areas:
                    areas[code] = Area.objects.create(code=code, name=names.get(code, code),
                                                      level=Level.LA)
            Neighbour.objects.filter(area__code__in=groups).delete()
            Neighbour.objects.bulk_create(
                Neighbour(area=areas[code], neighbour=areas[other], position=i)
                for code, members in groups.items()
                for i, (other, _) in enumerate(members, start=1))
        self.stdout.write(f"Loaded statistical neighbours for {len(groups)} local authorities.")
