from django.conf import settings
from django.core.management.base import CommandError

from lapis.core.actors import System
from lapis.core.commands import user_named
from lapis.partnership import permissions
from lapis.partnership.commands import PartnershipImportCommand
from lapis.quality import actions, frameworks, importing, reports


class Command(PartnershipImportCommand):
    help = ("Load EHC plan audit grades (.xlsx or .csv), one row per grade, columns audit_id, "
            "plan_id, audit_date, auditor, agency, section, grade (section A..K, H1, H2 or "
            "overall; every audit needs an overall grade), optional phase, need, team, "
            "moderates. All or nothing; an audit already held (same audit_id) is updated and "
            "the change kept in its history. After the import the quarterly figures are "
            "written to the scorecard (needs the partnership's LA code).")

    as_help = "an administrator, programme manager or auditor of the partnership"

    def add_options(self, parser):
        parser.add_argument("--framework", default=frameworks.EHC_PLAN_KEY,
                            help=f"the framework key (default {frameworks.EHC_PLAN_KEY}; "
                            f"also {frameworks.TEN_WISHES_KEY})")

    def acting(self, username, partnership):
        if not username:
            return System(self.name)
        user = user_named(username)
        if not permissions.can_audit(user, partnership.pk):
            raise CommandError(f"refused: {user.username} cannot record audits for "
                               f"{partnership.name}")
        return user

    def read(self, path, options):
        self.framework = reports.framework_named(options["framework"], self.partnership)
        if self.framework is None:
            raise CommandError(f"no audit framework {options['framework']!r}")
        return importing.read_audits(path, sections=importing.section_codes(self.framework),
                                     max_bytes=settings.LAPIS_MAX_IMPORT_BYTES)

    def scope(self, options):
        self.partnership = super().scope(options)
        return self.partnership

    def apply(self, *, scope, parsed, by, path, dry_run, options):
        return actions.import_audits(partnership=scope, framework=self.framework, rows=parsed,
                                     by=by, dry_run=dry_run)

    def as_json(self, result, parsed):
        return {"rows": parsed.rows, **result.as_json()}

    def report(self, *, verb, path, scope, parsed, result, options):
        self.stdout.write(
            f"{verb} {path.name} into the {self.framework.name} audits of {scope.name}: "
            f"{parsed.rows} grades read, {len(parsed.audits)} audits; "
            f"{len(result.created)} new, {len(result.updated)} updated, "
            f"{len(result.unchanged)} unchanged.")
        self.report_updated(result.updated)
        if not result.dry_run:
            self.stdout.write(f"Scorecard: {result.published} quarterly figures written"
                              + ("" if scope.la_code else " (the partnership has no LA "
                                 "code, so none could be)") + ".")
