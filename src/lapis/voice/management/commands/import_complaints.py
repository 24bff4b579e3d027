from django.conf import settings

from lapis.partnership.commands import PartnershipImportCommand
from lapis.voice import actions
from lapis.voice.importing import read_complaints


class Command(PartnershipImportCommand):
    help = ("Load a complaints log (.csv or .xlsx; columns Reference, Received, Channel, "
            "Service, Themes, Stage, Outcome, Response date): all or nothing; a complaint "
            "already held (same reference) is updated and the change kept in its history.")

    def refusal(self, partnership):
        return f"change the complaints of {partnership.name}"

    def read(self, path, options):
        return read_complaints(path, max_bytes=settings.LAPIS_MAX_IMPORT_BYTES)

    def apply(self, *, scope, parsed, by, path, dry_run, options):
        return actions.import_complaints(partnership=scope, parsed=parsed, by=by,
                                         dry_run=dry_run)

    def report(self, *, verb, path, scope, parsed, result, options):
        self.stdout.write(
            f"{verb} {path.name} into the complaints of {scope.name}: "
            f"{len(parsed.rows)} complaints read; {len(result.created)} new, "
            f"{len(result.updated)} updated, {len(result.unchanged)} unchanged.")
        self.report_updated(result.updated)
