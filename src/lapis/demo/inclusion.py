"""Demo figures for the inclusion scorecard: ILLUSTRATIVE, MADE UP, NOT REAL SCHOOLS.

`data/hull-inclusion.csv` holds twenty invented schools ("Illustrative Primary A" ...; URNs from
900001, a range DfE has not issued) in three invented trusts and maintained, across three
Hull localities, with plausible figures for the autumn and spring terms of 2024/25. Several
counts are 1 to 4, so the shared view has something to withhold. Every row says in its
Source column that it is illustrative.
"""

from pathlib import Path

from django.conf import settings

from lapis.core.actors import System
from lapis.inclusion import actions
from lapis.inclusion.importing import read_figures

FILE = Path(__file__).with_name("data") / "hull-inclusion.csv"
DEMO = System("demo")


def load(partnership, *, by=DEMO) -> actions.ImportResult:
    """Load (or refresh) the demo schools and figures; running it again changes nothing."""
    read = read_figures(FILE, max_bytes=settings.LAPIS_MAX_IMPORT_BYTES)
    return actions.import_figures(partnership=partnership, read=read, by=by)
