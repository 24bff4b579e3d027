"""The scorecard and indicator pages, and their CSV and .xlsx downloads."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render

from lapis.core import tables
from lapis.partnership import permissions
from lapis.scorecard import charts, edges, queries
from lapis.scorecard.models import Area, Indicator, Neighbour, Observation, ScorecardSet

COLUMNS = [("indicator", "Indicator"), ("period", "Period"), ("value", "Value"),
           ("england", "England"), ("region", "Region"),
           ("statistical_neighbours", "Statistical neighbours"), ("gap_england", "Gap to England"),
           ("rank", "Rank"), ("quartile", "Quartile"), ("target", "Target"),
           ("status", "Status"), ("reason", "Reason")]


def _area(request, partnership) -> Area | None:
    code = request.GET.get("area") or (partnership.la_code if partnership else "")
    if not code:
        return None
    area = Area.objects.filter(code=code).first()
    if area is None:
        raise Http404("No such area")
    return area


def scorecard_page(request):
    partnership = permissions.partnership_for(request)
    sets = ScorecardSet.objects.visible_to(request.user).filter(partnership=partnership)
    chosen = None
    wanted = request.GET.get("set", "")
    if wanted:
        chosen = get_object_or_404(sets, pk=wanted) if wanted.isdigit() else None
        if chosen is None:
            raise Http404("No such scorecard")
    else:
        chosen = sets.first()
    area = (_area(request, None) if request.GET.get("area") else chosen.area if chosen and
            chosen.area else _area(request, partnership))
    indicators = ([item.indicator for item in chosen.items.select_related("indicator")]
                  if chosen else [])
    lines = queries.scorecard(indicators, area, user=request.user, partnership=partnership,
                              period=request.GET.get("period") or None) if area else []
    fmt = request.GET.get("format", "")
    if fmt in ("csv", "xlsx"):
        return _download([line.as_row() for line in lines], fmt,
                         f"scorecard-{area.code if area else 'none'}")
    return render(request, "scorecard/scorecard.html", {
        "partnership": partnership, "sets": sets, "chosen": chosen, "area": area,
        "lines": lines,
        "may_edit": partnership is not None and permissions.can_edit(request.user,
                                                                     partnership.pk),
    })


def indicator_page(request, key: str):
    indicator = get_object_or_404(Indicator.objects.visible_to(request.user), key=key)
    partnership = permissions.partnership_for(request)
    area = _area(request, partnership)
    if area is None:
        raise Http404("No area chosen")
    line = queries.scorecard([indicator], area, user=request.user, partnership=partnership)[0]
    breakdowns = list(
        Observation.objects.visible_to(request.user)
        .filter(indicator=indicator, area=area, period=line.period)
        .order_by("breakdown").values_list("breakdown", "value", "numerator", "denominator",
                                           "suppressed")) if line.period else []
    neighbours = []
    if line.period:
        values = dict(Observation.objects.visible_to(request.user).filter(
            indicator=indicator, period=line.period, breakdown="All",
            area__in=Neighbour.objects.filter(area=area).values("neighbour"))
            .values_list("area_id", "value"))
        neighbours = [(n.neighbour, values.get(n.neighbour_id)) for n in
                      Neighbour.objects.filter(area=area).select_related("neighbour")]
    fmt = request.GET.get("format", "")
    if fmt in ("csv", "xlsx"):
        rows = [{"period": p, "value": v, "england": e, "gap_england": queries.rules.gap(v, e)}
                for p, v, e in line.series]
        return _download(rows, fmt, f"{indicator.key}-{area.code}",
                         [("period", "Period"), ("value", area.name), ("england", "England"),
                          ("gap_england", "Gap to England")])
    successor, before = _predecessor(request.user, indicator, area, line)
    periods = [p for p, _ in before] + [p for p, _, _ in line.series]
    earlier = dict(before)
    shown = [b for b in edges.breaks_for(indicator.key)
             if b.last_before in periods and b.first in periods]
    breaks = [(b.last_before, b.first, b.why) for b in shown]
    rows = [(p, earlier.get(p), None, None, None, False) for p in earlier] + [
        (p, None, v, e, line.withheld.get(p), any(p == first for _, first, _ in breaks))
        for p, v, e in line.series]
    series = [(area.name, [(p, v) for p, v, _ in line.series]),
              ("England", [(p, e) for p, _, e in line.series])]
    if before:
        series.append((f"{successor.predecessor_name} ({successor.predecessor})", before))
    return render(request, "scorecard/indicator.html", {
        "indicator": indicator, "area": area, "line": line, "breakdowns": breakdowns,
        "neighbours": neighbours, "rows": rows, "successor": successor if before else None,
        "breaks": shown,
        "chart": charts.line_chart(
            title=f"{indicator.name}: {area.name} and England",
            series=series, unit=indicator.unit, breaks=breaks,
            periods=periods) if line.series or before else None,
    })


def _predecessor(user, indicator, area, line):
    """(successor, [(period, value)]): the series of the LA this one replaced, for the
    periods up to the predecessor's last and before this LA's own first, matched by code."""
    successor = edges.SUCCESSORS.get(area.code)
    if successor is None:
        return None, []
    first = line.series[0][0] if line.series else None
    rows = (Observation.objects.visible_to(user)
            .filter(indicator=indicator, area__code=successor.predecessor, breakdown="All")
            .order_by("period_start").values_list("period", "period_start", "value"))
    last = next((start for period, start, _ in rows if period == successor.last), None)
    own = next((start for period, start, _ in rows if period == first), None)
    return successor, [(period, value) for period, start, value in rows
                       if last is not None and start <= last and (own is None or start < own)]


def _download(rows: list[dict], fmt: str, name: str, columns=COLUMNS) -> HttpResponse:
    # Numbers stay numbers; anything else is written as its text.
    cells = [[value if isinstance(value, int | float) or value is None else str(value)
              for value in (row.get(key) for key, _ in columns)] for row in rows]
    return tables.download(tables.Table("Scorecard", [title for _, title in columns], cells),
                           fmt, name)


def benefits_page(request):
    from lapis.plans.views import _actions, _plan
    from lapis.scorecard import benefits

    plan = _plan(request)
    if plan is None:
        return render(request, "plans/no_plan.html")
    actions = _actions(plan, request.user)
    found = benefits.evidence(actions, user=request.user, partnership=plan.partnership)
    rows = [(a, m) for a in actions for m in found.get(a.pk, [])]
    return render(request, "scorecard/benefits.html", {
        "plan": plan, "rows": rows, "realised": sum(1 for _, m in rows if m.realised),
        "disagree": sum(1 for _, m in rows if m.disagrees),
    })


def set_edit(request, pk: int | None = None):
    """Make or change a named scorecard (programme managers and administrators)."""
    from django.contrib import messages
    from django.shortcuts import redirect

    from lapis.scorecard import actions
    from lapis.scorecard.forms import SetForm

    partnership = permissions.partnership_for(request)
    chosen = None
    if pk is not None:
        chosen = get_object_or_404(ScorecardSet.objects.visible_to(request.user), pk=pk)
        partnership = chosen.partnership
    permissions.require(partnership is not None and permissions.can_edit(
        request.user, partnership.pk), "Only programme managers can change scorecards.")
    catalogue = list(Indicator.objects.visible_to(request.user).order_by("name"))
    initial = {}
    if chosen:
        initial = {"name": chosen.name, "area": chosen.area.code if chosen.area else "",
                   "indicators": [i.indicator_id for i in chosen.items.all()]}
    form = SetForm(request.POST or None, indicators=catalogue, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        area = Area.objects.filter(code=data["area"]).first() if data["area"] else None
        clash = ScorecardSet.objects.filter(partnership=partnership, name=data["name"])
        if data["area"] and area is None:
            form.add_error("area", f"There are no figures for an area with code {data['area']}")
        elif clash.exclude(pk=chosen.pk if chosen else None).exists():
            form.add_error("name", "There is already a scorecard with this name")
        else:
            by_pk = {i.pk: i for i in catalogue}
            chosen = actions.save_scorecard(
                partnership=partnership, by=request.user, name=data["name"], area=area,
                indicators=[by_pk[k] for k in data["indicators"]], scorecard=chosen)
            messages.success(request, f"Scorecard {chosen.name!r} saved.")
            return redirect(f"/scorecard/?set={chosen.pk}")
    return render(request, "scorecard/set_form.html", {"form": form, "chosen": chosen},
                  status=400 if form.errors else 200)
