"""Read a partnership's SEF from the database into the plain shapes `checks` and documents use."""

from __future__ import annotations

from django.db.models import Prefetch

from lapis.plans.models import Action, ChangeKind, ChangeRequest, Decision, Family
from lapis.scorecard.models import Observation
from lapis.sef import actions as sef_actions
from lapis.sef import checks
from lapis.sef.models import Afi, SefArea, SefPriority, SourceKind


def areas(partnership, framework=None):
    """The partnership's SEF areas in framework order, every area present."""
    sef_actions.ensure_areas(partnership=partnership, framework=framework)
    framework = framework or sef_actions.current_framework()
    return list(
        SefArea.objects.filter(partnership=partnership, area__framework=framework)
        .select_related("area")
        .prefetch_related("evidence__indicator",
                          Prefetch("priorities", queryset=SefPriority.objects.prefetch_related(
                              Prefetch("actions", queryset=Action.objects.select_related(
                                  "status")), "indicators")))
        .order_by("area__number"))


def action_facts(partnership) -> dict[str, checks.ActionFact]:
    approved = set(ChangeRequest.objects.filter(
        action__plan__partnership=partnership, decision=Decision.APPROVED,
        kind__in=[ChangeKind.CLOSE, ChangeKind.BAU]).values_list("action_id", flat=True))
    found = {}
    for action in Action.objects.filter(plan__partnership=partnership).select_related("status"):
        closed_status = action.closed or bool(action.status
                                              and action.status.family == Family.CLOSED)
        found[action.ref] = checks.ActionFact(
            ref=action.ref, closed_status=closed_status,
            closure_record=action.closed or action.pk in approved)
    return found


def value_for(indicator, partnership, period: str, breakdown: str = "All"):
    """The partnership's LA's value of the indicator for the period, or None."""
    row = (Observation.objects.filter(indicator=indicator, period=period,
                                      breakdown=breakdown or "All",
                                      area__code=partnership.la_code)
           .exclude(value=None).values_list("value", flat=True).first())
    return row


def sef_facts(partnership) -> checks.SefFacts:
    found_areas = []
    for sef_area in areas(partnership):
        evidence = list(sef_area.evidence.all())
        figures = tuple(
            checks.FigureFact(
                where=f"Evidence {item.number}", indicator=item.indicator.name,
                period=item.period, figure=item.figure,
                value=value_for(item.indicator, partnership, item.period, item.breakdown)
                if item.period else None)
            for item in evidence
            if item.source_kind == SourceKind.INDICATOR and item.indicator_id)
        priorities = tuple(
            checks.PriorityFact(where=f"Area {sef_area.area.number} priority {n}",
                                text=p.text, linked=tuple(a.ref for a in p.actions.all()))
            for n, p in enumerate(sef_area.priorities.all(), start=1))
        found_areas.append(checks.AreaFact(
            number=sef_area.area.number, title=sef_area.area.title,
            has_content=bool(sef_area.big_picture.strip() or sef_area.judgement or evidence
                             or priorities),
            evidence=len(evidence), priorities=priorities, figures=figures,
            cited_in_evidence=tuple((f"Evidence {e.number}", e.text) for e in evidence)))
    afis = tuple(
        checks.AfiFact(code=afi.code, actions=tuple(a.ref for a in afi.actions.all()),
                       indicators=afi.indicators.count())
        for afi in Afi.objects.filter(partnership=partnership).prefetch_related("actions"))
    return checks.SefFacts(partnership=partnership.name, actions=action_facts(partnership),
                           areas=tuple(found_areas), afis=afis)


def check(partnership) -> checks.Report:
    return checks.check(sef_facts(partnership))
