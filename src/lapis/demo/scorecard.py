"""Load the scorecard's demo figures into the demo partnership (`lapis demo` calls `load`).

Hull is the demo partnership (LA 810). Its own scorecard shows DfE's four timeliness
measures, which light up when a user imports DfE's files (`lapis import_indicators`); its
target for action 4.6 (28% to 50% within 20 weeks) is loaded and 4.6 is measured by it.
Plymouth's SEF figures (LA 879) are published statistics: a second scorecard shows them, with
their gaps to England. Running `load` again changes nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from lapis.core.actors import System
from lapis.demo import scorecard_files as files
from lapis.partnership import actions as people
from lapis.plans.models import Action
from lapis.scorecard import actions, importing
from lapis.scorecard.models import (
    Area,
    Indicator,
    Level,
    Polarity,
    ScorecardSet,
    Unit,
)

HULL = "810"
SOURCE = "lapis demo"
SETS = {
    "Monthly headline impact measures": (None, [
        "ehcp_issued_20_weeks", "ehcp_issued_20_weeks_ex", "ehc_requests_decided_6_weeks",
        "ehc_review_decisions_4_weeks"]),
    "Plymouth SEF: attainment and inclusion": ("879", [
        "eyfsp_gld", "phonics_y1_expected", "ks2_rwm_expected", "ks4_attainment8",
        "ks4_progress8", "ks4_em_grade4", "ks5_two_a_levels", "need_prevalence_asd",
        "need_prevalence_semh"]),
}


@transaction.atomic
def load(partnership) -> None:
    by = System("demo")
    people.set_la_code(partnership=partnership, la_code=HULL, by=by, source=SOURCE)
    actions.ensure_area(code=HULL, name="Kingston upon Hull, City of", level=Level.LA,
                        new_code="E06000010", by=by, source=SOURCE)
    limit = settings.LAPIS_MAX_IMPORT_BYTES
    for path in (files.INDICATORS_CSV, *files.OBSERVATION_FILES):
        layout, rows = importing.read(path, max_bytes=limit)
        actions.import_figures(layout=layout, rows=rows, file=path.name, by=by,
                               published=True)
    for key, (name, definition) in importing.DFE_INDICATORS.items():
        actions.ensure_indicator(spec=actions.IndicatorSpec(
            key=key, name=name, definition=definition, unit=Unit.PERCENT,
            polarity=Polarity.HIGHER, source="DfE, Education, health and care plans"),
            by=by, source=SOURCE)
    layout, rows = importing.read(files.TARGETS_CSV, max_bytes=limit)
    actions.import_figures(layout=layout, rows=[r for r in rows if r["area_code"] == HULL],
                           file=files.TARGETS_CSV.name, by=by, partnership=partnership)
    for name, (area, keys) in SETS.items():
        if ScorecardSet.objects.filter(partnership=partnership, name=name).exists():
            continue  # made before: the partnership's changes to it stay
        found = {i.key: i for i in Indicator.objects.filter(key__in=keys)}
        actions.save_scorecard(
            partnership=partnership, by=by, name=name,
            indicators=[found[k] for k in keys if k in found],
            area=Area.objects.filter(code=area).first() if area else None, source=SOURCE)
    action = Action.objects.filter(plan__partnership=partnership, ref="4.6").first()
    if action is not None:
        actions.add_measure(action=action, indicator=Indicator.objects.get(
            key="ehcp_issued_20_weeks"), by=by, source=SOURCE)
