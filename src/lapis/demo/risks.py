"""A small example risk register for the Hull demo partnership: eight SEND risks drawn from the
Hull plan (EHC timeliness, EP backlog, health advice, neurodevelopmental and SaLT waits,
specialist places, alternative provision, transition), linked to the plan's own action refs."""

from pathlib import Path

from django.conf import settings

from lapis.core.actors import System
from lapis.risks import actions
from lapis.risks.importing import read_risks

DEMO = System("demo")  # the demo loader acts as the server operator
FILE = Path(__file__).with_name("data") / "hull-risks.csv"


def load(partnership, *, by=DEMO) -> actions.ImportResult:
    """Load (or refresh) the demo risks into a partnership that already has the Hull plan.
    Raises actions.ImportFailed, writing nothing, if an action ref is missing."""
    rows = read_risks(FILE, max_bytes=settings.LAPIS_MAX_IMPORT_BYTES)
    return actions.import_risks(partnership=partnership, sheet_rows=rows, file=FILE.name, by=by)
