import csv
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lapis.core.actors import System
from lapis.core.errors import ImportFailed
from lapis.scorecard import actions, lait


def read_table(path: Path) -> list[dict]:
    """The rows of a LAIT file: `.parquet` (read with pyarrow) or `.csv` (UTF-8)."""
    if path.suffix.lower() == ".parquet":
        import pyarrow.parquet as pq  # only this command needs it

        return pq.read_table(path).to_pylist()
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


class Command(BaseCommand):
    help = ("Load DfE's LAIT building data set (.parquet or .csv) with its data dictionary: "
            "every measure an indicator keyed by LAIT's code, every figure as published. "
            "All or nothing.")

    def add_arguments(self, parser):
        parser.add_argument("bds", help="LAIT's building data set (bds_long_0.parquet or a "
                            ".csv with the same columns)")
        parser.add_argument("--dictionary", required=True,
                            help="LAIT's data dictionary (lait_data_dictionary.csv)")
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, **options):
        bds, dictionary = Path(options["bds"]), Path(options["dictionary"])
        for path in (bds, dictionary):
            if not path.is_file():
                raise CommandError(f"{path}: no such file")
        try:
            try:
                measures = lait.read_dictionary(read_table(dictionary), file=dictionary.name)
                figures, skipped = lait.read_rows(read_table(bds), measures, file=bds.name)
            except lait.LaitError as error:
                raise ImportFailed(error.problems, str(error)) from None
            except (OSError, UnicodeDecodeError, ValueError) as error:
                raise CommandError(f"{bds.name}: cannot be read ({error})") from None
            result = actions.import_lait(measures=measures, figures=figures, file=bds.name,
                                         by=System("lapis import_lait"), skipped=skipped,
                                         dry_run=options["dry_run"])
        except ImportFailed as failure:
            if options["format"] == "json":
                self.stdout.write(json.dumps({"ok": False, "problems": failure.as_json()},
                                             indent=2))
            else:
                for problem in failure.problems[:200]:
                    self.stderr.write(str(problem))
                if len(failure.problems) > 200:
                    self.stderr.write(f"... and {len(failure.problems) - 200} more")
            raise CommandError(f"{failure}; nothing was imported") from None
        if options["format"] == "json":
            self.stdout.write(json.dumps({"ok": True, **result.as_json()}, indent=2))
            return
        verb = "Would import" if result.dry_run else "Imported"
        self.stdout.write(
            f"{verb} {bds.name}: {result.measures} measures ({result.indicators_created} new, "
            f"{result.indicators_updated} updated); figures {result.created} new, "
            f"{result.updated} changed, {result.removed} removed, {result.unchanged} "
            f"unchanged; {result.skipped} placeholder rows skipped; {result.areas_created} "
            "areas made")
