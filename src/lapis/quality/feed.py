"""The quarterly audit figures become the partnership's scorecard observations, so that an
action measured by plan quality (Hull 1.7, 2.7) updates without retyping.

Written after every `lapis import_audits` (and by `lapis qa_report --publish`): for every
calendar quarter with at least one counted audit under the EHC plan framework, the % of
audited plans good or better (`qa_good_or_better`) and each section's
(`qa_section_a_good_or_better`, ..., `qa_section_h1_good_or_better`), with numerator (plans
good or better) and denominator (plans graded), period "2024Q2", for the partnership's own
LA (it needs the partnership's LA code, like the case feed). The partnership's earlier
observations of these indicators are replaced, so a corrected audit corrects the figures.
"""

from __future__ import annotations

from lapis.core.actors import System
from lapis.quality import frameworks, reports, rules
from lapis.quality.models import Framework
from lapis.scorecard import actions, periods

OVERALL_KEY = "qa_good_or_better"
SOURCE = "LAPIS, from the EHC plan audits (lapis import_audits)"
FEED = "lapis quality feed"


def section_key(code: str) -> str:
    return f"qa_section_{code.lower().replace('.', '_')}_good_or_better"


def _indicator(key: str, name: str, definition: str) -> actions.IndicatorSpec:
    return actions.IndicatorSpec(key=key, name=name, definition=definition,
                                 frequency="Quarterly", source=SOURCE)


def ehc_framework() -> Framework | None:
    return (Framework.objects.filter(partnership=None, key=frameworks.EHC_PLAN_KEY)
            .order_by("-version").first())


def publish(partnership, *, framework: Framework | None = None) -> int:
    """Write the figures (through `lapis.scorecard.actions.publish_own_figures`, as LAPIS
    itself); returns how many observations were written (0 without an LA code, or for a
    framework other than the EHC plan one)."""
    framework = framework or ehc_framework()
    if framework is None or framework.key != frameworks.EHC_PLAN_KEY or not partnership.la_code:
        return 0
    codes = list(framework.sections.order_by("position").values_list("code", flat=True))
    titles = dict(framework.sections.values_list("code", "title"))
    indicators = {rules.OVERALL: _indicator(
        OVERALL_KEY, "% of audited EHC plans good or better",
        "Of the EHC plans audited in the quarter (each plan once, at its latest audit; "
        "moderation gradings left out), the share whose overall grade was Good or "
        "Outstanding.")}
    for code in codes:
        indicators[code] = _indicator(
            section_key(code), f"% of audited EHC plans with section {code} good or better",
            f"Of the EHC plans audited in the quarter with a grade for section {code} "
            f"({titles[code]}), the share graded Good or Outstanding.")
    records = reports.audit_records(partnership, framework)
    quarters = sorted({rules.Quarter.of(r.audit_date) for r in records if not r.moderates})
    rows = []
    for quarter in quarters:
        figures = rules.figures(records, quarter, codes)
        period = periods.parse(quarter.label)
        cells = [(rules.OVERALL, figures["good_or_better"], sum(figures["overall"].values()),
                  figures["good_or_better_pct"])]
        cells += [(code, s["good_or_better"], s["audits"], s["good_or_better_pct"])
                  for code, s in figures["sections"].items()]
        for code, numerator, denominator, value in cells:
            if not denominator:
                continue
            rows.append(actions.Figure(
                indicator=indicators[code].key, period=period.label,
                period_start=period.start, value=value, numerator=numerator,
                denominator=denominator))
    return actions.publish_own_figures(
        partnership=partnership, by=System(FEED), source="feed:quality",
        indicators=list(indicators.values()), figures=rows)
