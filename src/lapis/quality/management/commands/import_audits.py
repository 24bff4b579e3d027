import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from lapis.core.actors import System
from lapis.core.commands import import_refused, user_named
from lapis.core.errors import ImportFailed
from lapis.partnership import permissions
from lapis.partnership.commands import partnership_named
from lapis.quality import actions, frameworks, importing, reports


class Command(BaseCommand):
    help = ("Load EHC plan audit grades (.xlsx or .csv), one row per grade, columns audit_id, "
            "plan_id, audit_date, auditor, agency, section, grade (section A..K, H1, H2 or "
            "overall; every audit needs an overall grade), optional phase, need, team, "
            "moderates. All or nothing; an audit already held (same audit_id) is updated and "
            "the change kept in its history. After the import the quarterly figures are "
            "written to the scorecard (needs the partnership's LA code).")

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--partnership", help="partnership name (default: the only one)")
        parser.add_argument("--framework", default=frameworks.EHC_PLAN_KEY,
                            help=f"the framework key (default {frameworks.EHC_PLAN_KEY}; "
                            f"also {frameworks.TEN_WISHES_KEY})")
        parser.add_argument("--dry-run", action="store_true", help="check and report; write "
                            "nothing")
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument("--as", dest="by", help="the user to act as (an administrator, "
                            "programme manager or auditor of the partnership) and record in the "
                            "history; without it, the server operator, recorded as "
                            "import_audits")

    def handle(self, *args, **options):
        path = Path(options["file"])
        partnership = partnership_named(options["partnership"])
        by = System("import_audits")
        if options["by"]:
            user = user_named(options["by"])
            if not permissions.can_audit(user, partnership.pk):
                raise CommandError(f"refused: {user.username} cannot record audits for "
                                   f"{partnership.name}")
            by = user
        framework = reports.framework_named(options["framework"], partnership)
        if framework is None:
            raise CommandError(f"no audit framework {options['framework']!r}")
        rows = importing.read_audits(path, sections=importing.section_codes(framework),
                                     max_bytes=settings.LAPIS_MAX_IMPORT_BYTES)
        try:
            result = actions.import_audits(partnership=partnership, framework=framework,
                                           rows=rows, by=by, dry_run=options["dry_run"])
        except ImportFailed as failure:
            raise import_refused(self, path.name, failure.problems, rows.warnings,
                                 options["format"]) from None
        if options["format"] == "json":
            self.stdout.write(json.dumps({"ok": True, "rows": rows.rows, **result.as_json(),
                                          "problems": [p.as_json() for p in rows.warnings]},
                                         indent=2))
            return
        for problem in rows.warnings:
            self.stderr.write(str(problem))
        verb = "Would import" if result.dry_run else "Imported"
        self.stdout.write(
            f"{verb} {path.name} into the {framework.name} audits of {partnership.name}: "
            f"{rows.rows} grades read, {len(rows.audits)} audits; {len(result.created)} new, "
            f"{len(result.updated)} updated, {len(result.unchanged)} unchanged.")
        for audit_id, fields in result.updated.items():
            self.stdout.write(f"  {audit_id}: changed {', '.join(fields)}")
        if not result.dry_run:
            self.stdout.write(f"Scorecard: {result.published} quarterly figures written"
                              + ("" if partnership.la_code else " (the partnership has no LA "
                                 "code, so none could be)") + ".")
