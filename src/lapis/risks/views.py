"""The risk register pages: the list with its heat map, a risk, and the create and edit forms.

Thin shells: reads go through `Risk.objects.visible_to`, rules through `lapis.risks.rules`,
writes through `lapis.risks.actions`, permissions through `lapis.partnership.permissions`.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render

from lapis.core import history as audit
from lapis.core.concurrency import EditConflict
from lapis.partnership import permissions
from lapis.partnership.models import Person
from lapis.risks import actions, rules
from lapis.risks.forms import RiskForm
from lapis.risks.models import Risk

KINDS = {"residual": "Residual", "inherent": "Inherent"}
FIELD_LABELS = {
    "created": "Created", "code": "Risk ID", "title": "Title", "description": "Description",
    "owner": "Owner", "inherent_likelihood": "Inherent likelihood",
    "inherent_impact": "Inherent impact", "residual_likelihood": "Residual likelihood",
    "residual_impact": "Residual impact", "response": "Response", "trend": "Trend",
    "review_date": "Review date", "measures": "Measures in place", "status": "Status",
    "actions": "Linked actions",
}
FILTERS = ("status", "response", "trend", "owner", "band", "likelihood", "impact", "review",
           "sort")


def _pairs(risk: Risk, kind: str) -> tuple[int, int]:
    return ((risk.residual_likelihood, risk.residual_impact) if kind == "residual"
            else (risk.inherent_likelihood, risk.inherent_impact))


def risk_list(request):
    partnership = permissions.partnership_for(request)
    if partnership is None:
        return render(request, "risks/no_partnership.html")
    kind = request.GET.get("kind", "residual")
    kind = kind if kind in KINDS else "residual"
    chosen = {key: request.GET.get(key, "") for key in FILTERS}
    chosen["status"] = chosen["status"] or "open"
    today = dt.date.today()
    everything = list(Risk.objects.visible_to(request.user).filter(partnership=partnership)
                      .for_register().order_by("code_key"))
    open_risks = [r for r in everything if not r.closed]
    grid = rules.heat_map(_pairs(r, kind) for r in open_risks)

    def keep(risk: Risk) -> bool:
        likelihood, impact = _pairs(risk, kind)
        return all([
            chosen["status"] == "all" or risk.status == chosen["status"],
            not chosen["response"] or risk.response == chosen["response"],
            not chosen["trend"] or risk.trend == chosen["trend"],
            not chosen["owner"] or str(risk.owner_id) == chosen["owner"],
            not chosen["band"] or rules.band(likelihood * impact).key == chosen["band"],
            not chosen["likelihood"] or str(likelihood) == chosen["likelihood"],
            not chosen["impact"] or str(impact) == chosen["impact"],
            not chosen["review"] or risk.review_overdue(today),
        ])

    shown = [r for r in everything if keep(r)]
    sort = chosen["sort"] if chosen["sort"] in rules.SORTS else "code"
    by_code = {r.code: r for r in shown}
    shown = [by_code[f.code] for f in rules.sort_risks([r.facts() for r in shown], by=sort)]
    base = {"partnership": partnership.pk}
    rows = [
        {"impact": row.impact, "label": row.label, "cells": [
            {"cell": cell, "href": "?" + urlencode({**base, "kind": kind,
                                                   "likelihood": cell.likelihood,
                                                   "impact": cell.impact})}
            for cell in row.cells]}
        for row in grid.rows
    ]
    by_band = grid.by_band()
    owners = Person.objects.visible_to(request.user).filter(
        pk__in={r.owner_id for r in everything if r.owner_id})
    return render(request, "risks/list.html", {
        "partnership": partnership,
        "kind": kind,
        "kind_label": KINDS[kind],
        "kind_links": [{"key": k, "label": v, "href": "?" + urlencode({**base, "kind": k}),
                        "current": k == kind} for k, v in KINDS.items()],
        "heat_rows": rows,
        "likelihoods": list(rules.LIKELIHOOD_LABELS.items()),
        "bands": [{"band": b, "count": by_band[b.key]} for b in rules.BANDS],
        "open_total": len(open_risks),
        "rows": [(r, r.review_overdue(today)) for r in shown],
        "total": len(everything),
        "chosen": chosen,
        "filtered": any(chosen[k] for k in FILTERS if k not in ("status", "sort"))
        or chosen["status"] != "open",
        "responses": rules.RESPONSES,
        "trends": rules.TRENDS,
        "statuses": rules.STATUSES,
        "owners": owners,
        "band_choices": rules.BANDS,
        "levels": rules.LEVELS,
        "sorts": {"code": "Risk ID", "residual": "Residual score, highest first",
                  "inherent": "Inherent score, highest first",
                  "review": "Review date, earliest first"},
        "can_edit": permissions.can_edit(request.user, partnership.pk),
        "today": today,
    })


def _visible(request, pk: int) -> Risk:
    return get_object_or_404(
        Risk.objects.visible_to(request.user).select_related("owner", "partnership"), pk=pk)


def risk_detail(request, pk: int):
    risk = _visible(request, pk)
    today = dt.date.today()
    return render(request, "risks/detail.html", {
        "risk": risk,
        "partnership": risk.partnership,
        "linked": risk.actions.select_related("plan", "status").order_by("plan__name",
                                                                          "ref_key"),
        "response_hint": rules.RESPONSE_HINTS.get(risk.response, ""),
        "overdue": risk.review_overdue(today),
        "days_overdue": rules.days_overdue(risk.review_date, today, closed=risk.closed),
        "history": audit.history(risk).order_by("-at", "-id"),
        "field_labels": FIELD_LABELS,
        "can_edit": permissions.can_edit(request.user, risk.partnership_id),
    })


def risk_create(request):
    partnership = permissions.partnership_for(request)
    if partnership is None:
        return render(request, "risks/no_partnership.html")
    permissions.require(permissions.can_edit(request.user, partnership.pk),
                        "Only programme managers and administrators add risks.")
    form = RiskForm(request.POST or None, partnership_id=partnership.pk)
    if request.method == "POST" and form.is_valid():
        try:
            risk = actions.create_risk(partnership=partnership, data=form.risk_input(),
                                       by=request.user, source="web")
        except actions.RiskInvalid as invalid:  # a race with another new risk of the same ID
            for name, message in invalid.errors.items():
                form.add_error(name if name in form.fields else None, message)
        else:
            messages.success(request, f"Risk {risk.code} added")
            return redirect("risks:detail", pk=risk.pk)
    return _form_page(request, form, partnership, None)


def risk_edit(request, pk: int):
    risk = _visible(request, pk)
    permissions.require(permissions.can_edit(request.user, risk.partnership_id),
                        "Only programme managers and administrators edit risks.")
    form = RiskForm(request.POST or None, partnership_id=risk.partnership_id, risk=risk)
    if request.method == "POST" and form.is_valid():
        mine = form.risk_input()
        try:
            changes = actions.update_risk(risk=risk, data=mine,
                                          expected_version=form.cleaned_data["version"],
                                          by=request.user, source="web")
        except EditConflict as conflict:
            return _conflict(request, form, risk, mine, conflict)
        except actions.RiskInvalid as invalid:
            for name, message in invalid.errors.items():
                form.add_error(name if name in form.fields else None, message)
        else:
            messages.success(request, f"Risk {risk.code} saved" if changes
                             else f"Risk {risk.code}: nothing changed")
            return redirect("risks:detail", pk=risk.pk)
    return _form_page(request, form, risk.partnership, risk)


def _form_page(request, form, partnership, risk, *, status=None, conflict=None):
    return render(request, "risks/form.html", {
        "form": form,
        "errors": form.summary() if form.is_bound else [],
        "partnership": partnership,
        "risk": risk,
        "likelihood_labels": rules.LIKELIHOOD_LABELS,
        "impact_labels": rules.IMPACT_LABELS,
        "response_hints": rules.RESPONSE_HINTS,
        "bands": rules.BANDS,
        "conflict": conflict,
    }, status=status or (400 if form.is_bound and form.errors else 200))


def _shown(risk_or_input, name: str) -> str:
    value = getattr(risk_or_input, name)
    if name == "owner":
        return value.name if value else "Not set"
    if name in ("response", "trend", "status"):
        return {**rules.RESPONSES, **rules.TRENDS, **rules.STATUSES}.get(value, value)
    if name == "review_date":
        return f"{value.day} {value:%b %Y}" if value else "Not set"
    return "" if value is None else str(value)


def _conflict(request, form, risk, mine: actions.RiskInput, conflict: EditConflict):
    """Answer 409 with both versions; the form keeps what the user typed and now carries the
    saved version, so sending it again deliberately replaces the other person's edit."""
    current = conflict.current
    rows = [{"label": FIELD_LABELS[name], "mine": _shown(mine, name),
             "saved": _shown(current, name)} for name in actions.FIELDS]
    rows.append({"label": "Linked actions", "mine": actions.refs_text(mine.actions),
                 "saved": actions.refs_text(current.actions.order_by("ref_key"))})
    for row in rows:
        row["differs"] = row["mine"] != row["saved"]
    data = form.data.copy()
    data["version"] = str(current.version)
    fresh = RiskForm(data, partnership_id=risk.partnership_id, risk=current)
    fresh.is_valid()
    return _form_page(request, fresh, risk.partnership, current, status=409,
                      conflict={"message": str(conflict), "rows": rows})

