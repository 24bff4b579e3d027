from django.conf import settings

from lapis.inclusion import actions
from lapis.inclusion.importing import read_figures
from lapis.partnership.commands import PartnershipImportCommand


class Command(PartnershipImportCommand):
    help = ("Load schools' inclusion figures (.csv or .xlsx: URN, School, Phase, Trust, "
            "Locality, Pupils, Measure, Period, Count, Denominator): all or nothing; a figure "
            "already held is updated and the change kept in its history.")

    lists_problems = False

    def refusal(self, partnership):
        return f"load inclusion figures for {partnership.name}"

    def read(self, path, options):
        return read_figures(path, max_bytes=settings.LAPIS_MAX_IMPORT_BYTES)

    def warnings(self, parsed):
        return []

    def apply(self, *, scope, parsed, by, path, dry_run, options):
        return actions.import_figures(partnership=scope, read=parsed, by=by, dry_run=dry_run)

    def report(self, *, verb, path, scope, parsed, result, options):
        self.stdout.write(f"{verb} {path.name} into the inclusion scorecard of "
                          f"{scope.name}: {len(parsed.rows)} rows read; "
                          f"{result.summary()}.")
        for urn, fields in result.schools_updated.items():
            self.stdout.write(f"  URN {urn}: changed {', '.join(fields)}")
