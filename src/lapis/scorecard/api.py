from django.shortcuts import get_object_or_404
from ninja import Router

from lapis.partnership import permissions
from lapis.scorecard import queries
from lapis.scorecard.models import Area, Indicator, Observation, ScorecardSet, Target

router = Router(tags=["scorecard"])


@router.get("", summary="The scorecard, as `lapis scorecard --format json` prints it")
def get_scorecard(request, set: int | None = None, indicator: str | None = None,
                  area: str | None = None, period: str | None = None,
                  breakdown: str = "All"):
    partnership = permissions.partnership_for(request)
    code = area or (partnership.la_code if partnership else "")
    place = get_object_or_404(Area, code=code)
    if set is not None:
        chosen = get_object_or_404(ScorecardSet.objects.visible_to(request.user), pk=set)
        indicators = [item.indicator for item in chosen.items.select_related("indicator")]
    elif indicator:
        indicators = [get_object_or_404(Indicator.objects.visible_to(request.user),
                                        key=indicator)]
    else:
        indicators = list(Indicator.objects.visible_to(request.user)
                          .filter(observations__area=place).distinct())
    lines = queries.scorecard(indicators, place, user=request.user, partnership=partnership,
                              period=period, breakdown=breakdown)
    return [line.as_json() for line in lines]


@router.get("/indicators", summary="The catalogue of indicators")
def list_indicators(request):
    return [{"key": i.key, "name": i.name, "unit": i.unit, "polarity": i.polarity,
             "definition": i.definition, "source": i.source, "frequency": i.frequency}
            for i in Indicator.objects.visible_to(request.user)]


@router.get("/indicators/{key}/observations", summary="Every figure for an indicator and area")
def list_observations(request, key: str, area: str, breakdown: str | None = None):
    indicator = get_object_or_404(Indicator.objects.visible_to(request.user), key=key)
    rows = (Observation.objects.visible_to(request.user)
            .filter(indicator=indicator, area__code=area).order_by("period_start", "breakdown"))
    if breakdown:
        rows = rows.filter(breakdown=breakdown)
    return [{"period": o.period, "breakdown": o.breakdown, "value": o.value,
             "numerator": o.numerator, "denominator": o.denominator,
             "suppressed": o.suppressed or None, "source": o.source} for o in rows]


@router.get("/targets", summary="Your partnership's baselines, milestones and targets")
def list_targets(request):
    return [{"indicator": t.indicator.key, "breakdown": t.breakdown,
             "baseline": {"value": t.baseline_value, "date": t.baseline_date.isoformat()},
             "target": {"value": t.target_value, "date": t.target_date.isoformat()},
             "milestones": t.milestones, "tolerance": t.tolerance}
            for t in Target.objects.visible_to(request.user).select_related("indicator")]
