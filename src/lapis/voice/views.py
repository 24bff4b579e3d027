"""The voice pages. Thin shells: reads through `visible_to`, figures through `queries` and
`rules`, writes through `actions`, permissions through `lapis.partnership.permissions`.

Who may do what: everyone in the partnership reads; editors (administrators, programme
managers) record complaints, compliments, engagement, survey indicators and "we did"; forum
members add "you said" items. Another partnership's record is a 404.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from lapis.core import history as audit
from lapis.core import tables
from lapis.core.concurrency import EditConflict
from lapis.partnership import permissions
from lapis.partnership.models import Partnership
from lapis.plans.public import public_count
from lapis.voice import actions, exporting, forms, queries, rules
from lapis.voice.models import (
    Complaint,
    Compliment,
    Engagement,
    Question,
    Survey,
    YouSaid,
    YouSaidStatus,
)


@dataclass(frozen=True)
class Kind:
    key: str  # url name prefix
    model: type
    form: type
    singular: str
    plural: str
    heading: str

    @property
    def list_name(self) -> str:
        return f"voice:{self.key}_list"

    @property
    def edit_name(self) -> str:
        return f"voice:{self.key}_edit"


KINDS = {
    "complaint": Kind("complaint", Complaint, forms.ComplaintForm, "complaint", "complaints",
                      "Complaints"),
    "compliment": Kind("compliment", Compliment, forms.ComplimentForm, "compliment",
                       "compliments", "Compliments"),
    "engagement": Kind("engagement", Engagement, forms.EngagementForm, "engagement record",
                       "engagement records", "Engagement"),
    "you_said": Kind("you_said", YouSaid, forms.YouSaidForm, '"you said" item',
                     '"you said, we did" items', "You said, we did"),
}


def _partnership(request):
    partnership = permissions.partnership_for(request)
    if partnership is None:
        raise Http404("You are not a member of a partnership")
    return partnership


def _can_create(user, kind: str, partnership_id: int) -> bool:
    if kind == "you_said":
        return permissions.can_add_you_said(user, partnership_id)
    return permissions.can_edit(user, partnership_id)


def _quarter_rows(table: rules.ThemeTable):
    return [{"label": rules.THEMES.get(t, t), "counts": table.row(t)} for t in table.themes]


def landing(request):
    partnership = _partnership(request)
    today = dt.date.today()
    complaints = queries.complaints(partnership)
    table = queries.theme_table(complaints)
    timely = queries.timeliness_by_quarter(partnership, complaints, today)
    recent = [q for q in timely if q.counted][-1:] or [None]
    engagement = queries.engagement_by_quarter(queries.engagements(partnership))
    you_said = list(YouSaid.objects.filter(partnership=partnership)
                    .prefetch_related("actions").order_by("-said_on", "pk")[:6])
    return render(request, "voice/landing.html", {
        "partnership": partnership,
        "complaint_count": len(complaints),
        "open_count": sum(c.outcome == "open" for c in complaints),
        "latest_timely": recent[0],
        "theme_table": table,
        "theme_rows": _quarter_rows(table),
        "timely": timely,
        "engagement": engagement[-4:],
        "you_said": you_said,
        "surveys": Survey.objects.filter(partnership=partnership)
        .prefetch_related("responses"),
        "compliment_count": Compliment.objects.filter(partnership=partnership).count(),
        "can_edit": permissions.can_edit(request.user, partnership.pk),
        "can_add_you_said": permissions.can_add_you_said(request.user, partnership.pk),
        "standards": actions.settings_for(partnership),
    })


# ---------------------------------------------------------------------------------------------
# Surveys
# ---------------------------------------------------------------------------------------------

def survey_list(request):
    partnership = _partnership(request)
    surveys = [(s, s.responses.count(), s.questions.count())
               for s in Survey.objects.filter(partnership=partnership)]
    return render(request, "voice/surveys.html", {"partnership": partnership,
                                                  "surveys": surveys})


def survey_detail(request, pk: int):
    survey = get_object_or_404(Survey.objects.visible_to(request.user)
                               .select_related("partnership"), pk=pk)
    can_edit = permissions.can_edit(request.user, survey.partnership_id)
    bound = None
    if request.method == "POST":
        permissions.require(can_edit, "Only programme managers and administrators choose "
                            "survey indicators.")
        question = get_object_or_404(Question, survey=survey, pk=request.POST.get("question"))
        bound = forms.IndicatorForm(request.POST, instance=question,
                                    prefix=f"q{question.pk}")
        if bound.is_valid():
            actions.set_indicator(question=question, name=bound.cleaned_data["indicator_name"],
                                  by=request.user, source="web")
            messages.success(request, f"Question {question.number} saved")
            return redirect("voice:survey_detail", pk=survey.pk)
    results = []
    for question, result, free in queries.survey_results(survey):
        form = None
        if bound is not None and bound.instance.pk == question.pk:
            form = bound
        elif can_edit and question.kind in ("agree", "yes_no"):
            form = forms.IndicatorForm(instance=question, prefix=f"q{question.pk}")
        results.append({"question": question, "result": result,
                        "free": free if can_edit else [], "form": form})
    return render(request, "voice/survey.html", {
        "survey": survey, "partnership": survey.partnership,
        "responses": survey.responses.count(), "results": results, "can_edit": can_edit,
        "history": audit.history(survey).order_by("-at", "-id"),
        "errors": forms.summary(bound) if bound is not None else [],
    }, status=400 if bound is not None else 200)


def survey_export(request, pk: int, fmt: str):
    survey = get_object_or_404(Survey.objects.visible_to(request.user), pk=pk)
    return _download(f"survey-{survey.pk}", fmt, exporting.survey_table(survey))


# ---------------------------------------------------------------------------------------------
# Lists
# ---------------------------------------------------------------------------------------------

def complaint_list(request):
    partnership = _partnership(request)
    today = dt.date.today()
    everything = queries.complaints(partnership)
    chosen = {k: request.GET.get(k, "") for k in ("theme", "quarter", "outcome")}
    shown = [c for c in everything
             if (not chosen["theme"] or chosen["theme"] in c.themes)
             and (not chosen["quarter"] or rules.quarter_of(c.received) == chosen["quarter"])
             and (not chosen["outcome"] or c.outcome == chosen["outcome"])]
    quarters = sorted({rules.quarter_of(c.received) for c in everything}, reverse=True)
    query = urlencode({"partnership": partnership.pk, **{k: v for k, v in chosen.items()
                                                         if v}})
    return render(request, "voice/complaints.html", {
        "partnership": partnership,
        "rows": queries.with_timeliness(partnership, shown, today),
        "total": len(everything), "chosen": chosen, "query": query,
        "themes": rules.THEMES, "outcomes": rules.OUTCOMES, "quarters": quarters,
        "filtered": any(chosen.values()),
        "can_edit": permissions.can_edit(request.user, partnership.pk),
        "standards": actions.settings_for(partnership),
    })


def _list_page(request, kind: str, columns: list[str], row, extra=None):
    partnership = _partnership(request)
    spec = KINDS[kind]
    items = spec.model.objects.filter(partnership=partnership)
    if hasattr(spec.model, "actions"):
        items = items.prefetch_related("actions")
    rows = [{"href": reverse(f"voice:{kind}_detail", args=[i.pk]), "cells": row(i)}
            for i in items]
    return render(request, "voice/list.html", {
        "partnership": partnership, "spec": spec, "columns": columns, "rows": rows,
        "can_create": _can_create(request.user, kind, partnership.pk),
        "new_url": reverse(f"voice:{kind}_new") + f"?partnership={partnership.pk}",
        "export": {"compliment": "", "engagement": "engagement",
                   "you_said": "you-said"}[kind],
        **(extra or {}),
    })


def compliment_list(request):
    return _list_page(request, "compliment", ["Date", "Service", "Theme", "What was said"],
                      lambda c: [f"{c.received:%d %b %Y}", c.service, c.theme,
                                 c.text[:200]])


def engagement_list(request):
    partnership = _partnership(request)
    return _list_page(
        request, "engagement",
        ["Date", "Group", "Kind", "Hours", "Participants", "Topic"],
        lambda e: [f"{e.held:%d %b %Y}", e.group, e.get_kind_display(), e.hours,
                   e.participants, e.topic],
        {"quarters": queries.engagement_by_quarter(queries.engagements(partnership))})


def you_said_list(request):
    return _list_page(
        request, "you_said", ["Date said", "You said", "We did", "Status", "Published"],
        lambda y: [f"{y.said_on:%d %b %Y}", y.said[:200], y.did[:200] or "Not yet",
                   y.get_status_display(), "Yes" if y.publish else "No"])


# ---------------------------------------------------------------------------------------------
# One record: detail, add, edit
# ---------------------------------------------------------------------------------------------

def _record(request, kind: str, pk: int):
    return get_object_or_404(KINDS[kind].model.objects.visible_to(request.user)
                             .select_related("partnership"), pk=pk)


def _summary(obj, partnership, today) -> list[tuple[str, str]]:
    if isinstance(obj, Complaint):
        standard = actions.settings_for(partnership).standard(obj.stage)
        t = obj.timeliness(standard, today)
        return [("Reference", obj.reference), ("Received", f"{obj.received:%d %b %Y}"),
                ("Channel", obj.get_channel_display()), ("Service", obj.service),
                ("Themes", ", ".join(obj.theme_labels)), ("Stage", obj.get_stage_display()),
                ("Outcome", obj.get_outcome_display()),
                ("Response date", f"{obj.responded:%d %b %Y}" if obj.responded else "Open"),
                ("Due by", f"{t.due:%d %b %Y} ({standard} working days)"),
                ("Response time", (f"{t.days_taken} working days: " if t.days_taken
                                   is not None else "") + t.label)]
    if isinstance(obj, Compliment):
        return [("Received", f"{obj.received:%d %b %Y}"), ("Service", obj.service),
                ("Theme", obj.theme), ("What was said", obj.text)]
    if isinstance(obj, Engagement):
        return [("Group", obj.group), ("Date", f"{obj.held:%d %b %Y}"),
                ("Kind", obj.get_kind_display()), ("Hours", str(obj.hours)),
                ("Participants", str(obj.participants)), ("Topic", obj.topic)]
    return [("You said", obj.said), ("Source", obj.get_source_display()),
            ("Date said", f"{obj.said_on:%d %b %Y}"), ("We did", obj.did or "Not yet"),
            ("Date done", f"{obj.did_on:%d %b %Y}" if obj.did_on else ""),
            ("Status", obj.get_status_display()),
            ("Published", "Yes, on the public page" if obj.publish else "No")]


def record_detail(request, kind: str, pk: int):
    obj = _record(request, kind, pk)
    spec = KINDS[kind]
    linked = (obj.actions.select_related("plan", "status").order_by("plan__name", "ref_key")
              if hasattr(obj, "actions") else None)
    return render(request, "voice/detail.html", {
        "obj": obj, "spec": spec, "partnership": obj.partnership,
        "rows": _summary(obj, obj.partnership, dt.date.today()), "linked": linked,
        "history": audit.history(obj).order_by("-at", "-id"),
        "can_edit": permissions.can_edit(request.user, obj.partnership_id),
        "title": obj.ref,
    })


def _form(kind, request, partnership, instance=None):
    spec = KINDS[kind]
    extra = {}
    if kind == "you_said":
        extra["forum_only"] = not permissions.can_edit(request.user, partnership.pk)
    return spec.form(request.POST or None, partnership_id=partnership.pk,
                     instance=instance or spec.model(partnership=partnership), **extra)


def record_create(request, kind: str):
    partnership = _partnership(request)
    spec = KINDS[kind]
    permissions.require(_can_create(request.user, kind, partnership.pk),
                        f"You may not add {spec.plural}.")
    form = _form(kind, request, partnership)
    if request.method == "POST" and form.is_valid():
        obj = form.save(commit=False)
        obj.partnership = partnership
        actions.create(obj=obj, by=request.user, source="web",
                       links=form.linked if form.links_field else None)
        messages.success(request, f"{spec.singular[0].upper()}{spec.singular[1:]} added")
        return redirect(f"voice:{kind}_detail", pk=obj.pk)
    return _form_page(request, form, spec, partnership, None)


def record_edit(request, kind: str, pk: int):
    obj = _record(request, kind, pk)
    spec = KINDS[kind]
    permissions.require(permissions.can_edit(request.user, obj.partnership_id),
                        f"Only programme managers and administrators edit {spec.plural}.")
    form = _form(kind, request, obj.partnership, obj)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            changes = actions.update(obj=form.instance, fields=list(form.Meta.fields),
                                     expected_version=form.cleaned_data["version"],
                                     by=request.user, source="web",
                                     links=form.linked if form.links_field else None)
        except EditConflict as error:
            conflict = str(error)
        else:
            messages.success(request, "Saved" if changes else "Nothing changed")
            return redirect(f"voice:{kind}_detail", pk=obj.pk)
    return _form_page(request, form, spec, obj.partnership, obj, conflict=conflict)


def _form_page(request, form, spec, partnership, obj, *, conflict=None):
    errors = forms.summary(form) if form.is_bound else []
    if conflict:
        errors.insert(0, ("main-content", conflict + " Reload the page to see their version."))
    status = 409 if conflict else (400 if form.is_bound and form.errors else 200)
    return render(request, "voice/form.html", {
        "form": form, "errors": errors, "spec": spec, "partnership": partnership, "obj": obj,
        "heading": (f"Edit {obj.ref}" if obj else f"Add a {spec.singular}"
                    if not spec.singular.startswith(("e", '"')) else
                    f"Add an {spec.singular}" if spec.singular.startswith("e")
                    else 'Add a "you said" item'),
        "cancel": (reverse(f"voice:{spec.key}_detail", args=[obj.pk]) if obj else
                   reverse(f"voice:{spec.key}_list") + f"?partnership={partnership.pk}"),
    }, status=status)


def settings_edit(request):
    partnership = _partnership(request)
    current = actions.settings_for(partnership)
    if request.method == "POST":
        permissions.require(permissions.can_edit(request.user, partnership.pk),
                            "Only programme managers and administrators set the standard.")
    form = forms.SettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        actions.set_standards(partnership=partnership,
                              stage_1=form.cleaned_data["stage_1_working_days"],
                              stage_2=form.cleaned_data["stage_2_working_days"],
                              by=request.user, source="web")
        messages.success(request, "Response standards saved")
        return redirect(reverse("voice:complaint_list") + f"?partnership={partnership.pk}")
    return render(request, "voice/settings.html", {
        "form": form, "partnership": partnership,
        "errors": forms.summary(form) if form.is_bound else [],
        "can_edit": permissions.can_edit(request.user, partnership.pk),
        "history": audit.history(current).order_by("-at", "-id") if current.pk else [],
    }, status=400 if form.is_bound and form.errors else 200)


# ---------------------------------------------------------------------------------------------
# Exports
# ---------------------------------------------------------------------------------------------

def _download(name: str, fmt: str, table) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404("Exports are .csv or .xlsx")
    return tables.download(table, fmt, name)


def export(request, what: str, fmt: str):
    if what not in exporting.WHATS:
        raise Http404("No such export")
    partnership = _partnership(request)
    return _download(what, fmt, exporting.table(what, partnership, dt.date.today()))


# ---------------------------------------------------------------------------------------------
# The public page
# ---------------------------------------------------------------------------------------------

@login_not_required
def public(request, pk: int):
    """Published "you said, we did" items: no login, no names, no count below 5."""
    partnership = get_object_or_404(Partnership, pk=pk, public=True)
    items = list(YouSaid.objects.filter(partnership=partnership, publish=True)
                 .prefetch_related("actions").order_by("-said_on", "pk"))
    by_status = {s.value: public_count(sum(i.status == s.value for i in items))
                 for s in YouSaidStatus}
    return render(request, "voice/public.html", {
        "partnership": partnership, "items": items,
        "total": public_count(len(items)),
        "by_status": [(s.label, by_status[s.value]) for s in YouSaidStatus],
    })
