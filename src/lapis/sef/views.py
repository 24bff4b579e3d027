"""SEF pages: thin views over `queries` (reads) and `actions` (writes)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render

from lapis.core.concurrency import EditConflict
from lapis.core.history import history
from lapis.partnership import permissions
from lapis.plans.models import Action
from lapis.scorecard.models import Indicator
from lapis.sef import actions, checks, queries
from lapis.sef.forms import AreaForm, EvidenceForm, PriorityForm
from lapis.sef.models import SefArea


def _partnership(request):
    return permissions.partnership_for(request)


def _area(request, pk: int) -> SefArea:
    return get_object_or_404(SefArea.objects.visible_to(request.user).select_related(
        "area", "partnership"), pk=pk)


def _require_edit(request, sef_area):
    permissions.require(permissions.can_edit(request.user, sef_area.partnership_id),
                        "Only administrators and programme managers can edit the SEF.")


@login_required
def index(request):
    partnership = _partnership(request)
    if partnership is None:
        return render(request, "sef/no_partnership.html")
    areas = queries.areas(partnership)
    return render(request, "sef/index.html", {
        "partnership": partnership, "areas": areas,
        "can_edit": permissions.can_edit(request.user, partnership.pk),
    })


@login_required
def area_detail(request, pk: int):
    sef_area = _area(request, pk)
    evidence = list(sef_area.evidence.select_related("indicator"))
    return render(request, "sef/area.html", {
        "sef_area": sef_area, "evidence": evidence,
        "priorities": sef_area.priorities.prefetch_related("actions__status", "indicators"),
        "history": history(sef_area), "can_edit": permissions.can_edit(
            request.user, sef_area.partnership_id),
    })


@login_required
def area_edit(request, pk: int):
    sef_area = _area(request, pk)
    _require_edit(request, sef_area)
    form = AreaForm(request.POST or None, initial={
        "big_picture": sef_area.big_picture, "judgement": sef_area.judgement,
        "version": sef_area.version})
    conflict, comparison = None, []
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            actions.edit_area(sef_area=sef_area, by=request.user, version=version, **data)
        except EditConflict as error:
            conflict = error.current
            form.add_error(None, str(error))
            comparison = [(form[name].label, str(data[name] or ""),
                           str(getattr(conflict, name) or "")) for name in actions.AREA_FIELDS]
        else:
            messages.success(request, f"Area {sef_area.area.number} saved.")
            return redirect("sef:area", pk=sef_area.pk)
    status = 409 if conflict else 400 if form.errors else 200
    return render(request, "sef/area_form.html", {
        "sef_area": sef_area, "form": form, "conflict": conflict, "comparison": comparison,
        "version": conflict.version if conflict else sef_area.version,
    }, status=status)


@login_required
def add_evidence(request, pk: int):
    sef_area = _area(request, pk)
    _require_edit(request, sef_area)
    indicators = Indicator.objects.visible_to(request.user).order_by("name")
    form = EvidenceForm(request.POST or None, indicators=indicators)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        chosen = data.pop("indicator")
        actions.add_evidence(sef_area=sef_area, by=request.user,
                             indicator=indicators.filter(pk=chosen).first() if chosen else None,
                             **data)
        messages.success(request, f"Evidence {data['number']} added.")
        return redirect("sef:area", pk=sef_area.pk)
    return render(request, "sef/evidence_form.html", {"sef_area": sef_area, "form": form},
                  status=400 if form.errors else 200)


@login_required
def add_priority(request, pk: int):
    sef_area = _area(request, pk)
    _require_edit(request, sef_area)
    plan_actions = Action.objects.visible_to(request.user).filter(
        plan__partnership=sef_area.partnership_id)
    indicators = Indicator.objects.visible_to(request.user).order_by("name")
    form = PriorityForm(request.POST or None, plan_actions=plan_actions, indicators=indicators)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions.add_priority(sef_area=sef_area, by=request.user,
                             text=data["text"],
                             actions=plan_actions.filter(pk__in=data["actions"]),
                             indicators=indicators.filter(pk__in=data["indicators"]))
        messages.success(request, "Improvement priority added.")
        return redirect("sef:area", pk=sef_area.pk)
    return render(request, "sef/priority_form.html", {"sef_area": sef_area, "form": form},
                  status=400 if form.errors else 200)


@login_required
def check(request):
    partnership = _partnership(request)
    if partnership is None:
        return render(request, "sef/no_partnership.html")
    report = queries.check(partnership)
    return render(request, "sef/check.html", {
        "partnership": partnership, "report": report, "kinds": checks.KINDS})
