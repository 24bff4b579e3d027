"""Demo milestones for Hull's plan: termly milestones for action 4.6 (20-week EHCP timeliness,
28% to 50%) and monthly ones in the style of the Hull 2020 plan's Gantt chart.

`load(plan)` imports `data/hull-milestones.csv` through the same all-or-nothing import as
`lapis import_milestones`, so running it twice changes nothing.
"""

from pathlib import Path

from lapis.core.actors import System
from lapis.timeline import actions
from lapis.timeline.importing import read_milestones

DEMO = System("demo")  # the demo loader acts as the server operator
FILE = Path(__file__).with_name("data") / "hull-milestones.csv"


def load(plan, *, by=DEMO) -> actions.ImportResult:
    """Raises actions.ImportFailed (writing nothing) if the plan lacks an action used."""
    return actions.import_milestones(plan=plan, read=read_milestones(FILE), by=by)
