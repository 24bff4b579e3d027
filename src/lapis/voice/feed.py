"""What families say becomes scorecard figures, so a plan action measured by them (Hull 1.1
"reduced number of complaints citing communication") updates without retyping.

Written as the partnership's own observations for its LA (needs `Partnership.la_code`), in
periods the scorecard reads (`lapis.scorecard.periods`): complaint figures are written per
month ("2024-04"), per calendar quarter ("2024Q2", the quarters the voice pages show) and per
financial year ("2024-25").

- `voice_complaints_<theme>`: complaints received citing the theme (a count; lower is better).
- `voice_complaints_within_standard`: % of complaints answered within the response standard
  (by the period received; open complaints past due count as late, open ones not yet due are
  left out).
- `voice_survey_<slug of the indicator name>`: for each survey question an editor has named
  as an indicator, its "% agree or strongly agree" (or "% yes") in the survey's period.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.utils.text import slugify

from lapis.core.actors import System
from lapis.scorecard import actions, periods
from lapis.scorecard.models import Polarity, Unit
from lapis.voice import queries, rules
from lapis.voice.models import Question

SOURCE = "LAPIS, from the voice records (complaints and surveys)"
WITHIN_KEY = "voice_complaints_within_standard"
FEED = "lapis voice feed"


def theme_key(theme: str) -> str:
    return f"voice_complaints_{theme}"


def survey_key(name: str) -> str:
    return f"voice_survey_{slugify(name)}"[:60].rstrip("-_")


def _financial_year(day: dt.date) -> str:
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def _periods(day: dt.date) -> list[periods.Period]:
    return [periods.parse(f"{day:%Y-%m}"), periods.parse(f"{day.year}Q{(day.month + 2) // 3}"),
            periods.parse(_financial_year(day))]


def publish(partnership, *, as_of: dt.date) -> int:
    """Write the figures (through `lapis.scorecard.actions.publish_own_figures`, as LAPIS
    itself); returns how many observations were written. The partnership's figures of survey
    indicators no question names any more are removed."""
    if not partnership.la_code:
        return 0
    indicators: dict[str, actions.IndicatorSpec] = {}

    def indicator(key, name, unit, polarity, frequency):
        if key not in indicators:
            indicators[key] = actions.IndicatorSpec(
                key=key, name=name[:200], unit=unit, polarity=polarity, frequency=frequency,
                source=SOURCE)
        return indicators[key]

    for theme, label in rules.THEMES.items():
        indicator(theme_key(theme), f"Complaints citing {label.lower()} (our records)",
                  Unit.COUNT, Polarity.LOWER, "Monthly and financial year")
    indicator(WITHIN_KEY, "Complaints answered within the response standard (our records)",
              Unit.PERCENT, Polarity.HIGHER, "Monthly and financial year")
    named = list(Question.objects.filter(survey__partnership=partnership)
                 .exclude(indicator_name="").select_related("survey"))
    for question in named:
        indicator(survey_key(question.indicator_name), question.indicator_name,
                  Unit.PERCENT, Polarity.HIGHER, "Each survey")

    rows = []
    counts: dict[tuple, int] = defaultdict(int)
    timely: dict[str, list] = defaultdict(list)
    starts: dict[str, dt.date] = {}
    complaints = [c for c in queries.complaints(partnership) if c.received <= as_of]
    for complaint, t in queries.with_timeliness(partnership, complaints, as_of):
        for period in _periods(complaint.received):
            starts[period.label] = period.start
            for theme in complaint.themes:
                counts[theme, period.label] += 1
            timely[period.label].append(t)
    labels = sorted(starts, key=lambda p: (starts[p], p))
    for theme in rules.THEMES:
        if not any(counts.get((theme, p)) for p in labels):
            continue
        for p in labels:  # a month with none is a real 0, not a gap
            rows.append(actions.Figure(
                indicator=theme_key(theme), period=p, period_start=starts[p],
                value=counts.get((theme, p), 0)))
    for p in labels:
        summary = rules.summarise_timeliness(timely[p])
        if summary.counted:
            rows.append(actions.Figure(
                indicator=WITHIN_KEY, period=p, period_start=starts[p], value=summary.pct,
                numerator=summary.within, denominator=summary.counted))
    written = set()
    for question in named:
        try:
            period = periods.parse(question.survey.period)
        except ValueError:
            continue
        key = survey_key(question.indicator_name)
        if (key, period.label) in written:
            continue  # two questions naming one indicator in one period: the first counts
        result = next(r for q, r, _ in queries.survey_results(question.survey)
                      if q.pk == question.pk)
        if result.headline is None:
            continue
        agreeing = round(result.headline * result.answered / 100)
        written.add((key, period.label))
        rows.append(actions.Figure(
            indicator=key, period=period.label, period_start=period.start,
            value=result.headline, numerator=agreeing, denominator=result.answered))
    return actions.publish_own_figures(
        partnership=partnership, by=System(FEED), source="feed:voice",
        indicators=list(indicators.values()), figures=rows, retire_prefix="voice_survey_")
