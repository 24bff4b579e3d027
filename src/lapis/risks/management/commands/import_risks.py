from django.conf import settings

from lapis.partnership.commands import PartnershipImportCommand
from lapis.risks import actions
from lapis.risks.importing import read_risks


class Command(PartnershipImportCommand):
    help = ("Load a risk register (.xlsx or .csv): all or nothing; a risk already held (same "
            "Risk ID) is updated and the change kept in its history.")

    def refusal(self, partnership):
        return f"change the risk register of {partnership.name}"

    def read(self, path, options):
        return read_risks(path, max_bytes=settings.LAPIS_MAX_IMPORT_BYTES)

    def apply(self, *, scope, parsed, by, path, dry_run, options):
        return actions.import_risks(partnership=scope, sheet_rows=parsed, file=path.name,
                                    by=by, dry_run=dry_run)

    def report(self, *, verb, path, scope, parsed, result, options):
        self.stdout.write(
            f"{verb} {path.name} into the risk register of {scope.name}: "
            f"{len(parsed.rows)} risks read; {len(result.created)} new, "
            f"{len(result.updated)} updated, {len(result.unchanged)} unchanged; "
            f"{len(result.people_created)} people new.")
        self.report_updated(result.updated)
        if result.not_in_file:
            self.stdout.write("Not in this file (kept as they were): "
                              + ", ".join(result.not_in_file))
