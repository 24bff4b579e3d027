"""EHC timeliness, the live caseload at risk and data quality: counts for everyone in the
partnership, case IDs only for those allowed case-level data."""

from __future__ import annotations

import datetime as dt

from django.shortcuts import render

from lapis.cases import queries
from lapis.cases.management.commands.timeliness import NAMES, RULES
from lapis.cases.models import CaseImport, CaseRequest
from lapis.partnership import permissions


def _year(request, partnership) -> int:
    """The year asked for, else the latest year the case data has a request in."""
    text = request.GET.get("period", "")
    today = dt.date.today()
    if text.isdigit() and 2000 <= int(text) <= today.year + 1:
        return int(text)
    latest = CaseRequest.objects.filter(partnership=partnership).order_by("-received").values_list(
        "received", flat=True).first()
    return latest.year if latest else today.year


def _as_of(request) -> dt.date:
    try:
        return dt.date.fromisoformat(request.GET.get("as_of", ""))
    except ValueError:
        return dt.date.today()


def _context(request):
    partnership = permissions.partnership_for(request)
    return partnership, partnership is not None and permissions.can_see_cases(
        request.user, partnership.pk)


def timeliness_page(request):
    partnership, case_level = _context(request)
    if partnership is None:
        return render(request, "plans/no_plan.html")
    year, as_of = _year(request, partnership), _as_of(request)
    by = request.GET.get("by") if request.GET.get("by") in ("month", "quarter", "need",
                                                             "age") else "month"
    result = queries.timeliness(partnership, start=dt.date(year, 1, 1),
                                end=dt.date(year, 12, 31), as_of=as_of, by=by)
    rows = [(NAMES[rule], result[rule]) for rule in RULES]
    return render(request, "cases/timeliness.html", {
        "partnership": partnership, "year": year, "as_of": as_of, "by": by,
        "result": result, "rows": rows, "rules": RULES, "case_level": case_level,
        "breakdown": [(g["group"], [g[rule] for rule in RULES]) for g in result["breakdown"]],
        "names": [NAMES[rule] for rule in RULES],
        "has_cases": CaseImport.objects.filter(partnership=partnership).exists(),
        "case_ids": list(_flat(result["cases"])) if case_level else [],
    })


def _flat(cases: dict):
    """("Decisions to assess within 6 weeks: late", [ids]) pairs, for the details list."""
    for rule, value in cases.items():
        label = NAMES.get(rule, rule.replace("_", " ").capitalize())
        if isinstance(value, dict):
            for key, ids in value.items():
                yield f"{label}: {key.replace('_', ' ')}", ids
        else:
            yield label, value


def at_risk_page(request):
    partnership, case_level = _context(request)
    if partnership is None:
        return render(request, "plans/no_plan.html")
    as_of = _as_of(request)
    found = queries.at_risk(partnership, as_of=as_of)
    states = {}
    for row in found["open"]:
        states[row["state"]] = states.get(row["state"], 0) + 1
    return render(request, "cases/at_risk.html", {
        "partnership": partnership, "as_of": as_of, "found": found, "states": states,
        "case_level": case_level,
    })


def quality_page(request):
    partnership, case_level = _context(request)
    if partnership is None:
        return render(request, "plans/no_plan.html")
    last = CaseImport.objects.filter(partnership=partnership).first()
    return render(request, "cases/quality.html", {
        "partnership": partnership, "last": last, "case_level": case_level,
        "warnings": (last.warnings[:500] if last and case_level else []),
    })


def forecast_page(request):
    """The year's forecast beside its track record (a backtest of the year before), with the
    method in words; the cases that decide it by ID only for case-level roles."""
    from lapis.cases import forecast

    partnership, case_level = _context(request)
    if partnership is None:
        return render(request, "plans/no_plan.html")
    year, as_of = _year(request, partnership), _as_of(request)
    found = queries.records(partnership)
    result = track = None
    if found["requests"] or found["reviews"]:
        data = (found["requests"], found["assessments"], found["plans"], found["reviews"])
        result = forecast.forecast(*data, year=year, as_of=as_of)
        if any(req.received.year < year for req in found["requests"]):
            track = forecast.backtest(*data, years=[year - 1])
    names = {"twenty_week": "Final plans within 20 weeks",
             "twenty_week_ex": "Final plans within 20 weeks, excluding exceptions",
             "six_week": "Decisions to assess within 6 weeks",
             "review_decisions": "Review decisions within 4 weeks"}
    rows = [(names[rule], result[rule], track[rule] if track else None)
            for rule in forecast.RULES] if result else []
    deciding = []
    if result and case_level:
        from lapis.cases import timeliness

        waiting = {row["case"]: row for row in timeliness.at_risk(
            found["requests"], found["assessments"], found["reviews"], found["plans"],
            as_of=as_of)["open"]}
        deciding = [{**case, **waiting.get(case["case"], {})} for case in sorted(
            result["twenty_week"]["open"], key=lambda c: (-min(c["within"], c["late"]),
                                                          c["case"]))[:20]]
    return render(request, "cases/forecast.html", {
        "partnership": partnership, "year": year, "as_of": as_of, "result": result,
        "rows": rows, "track": track, "case_level": case_level, "deciding": deciding,
        "method": forecast.__doc__.split("\n\n", 1)[1].split("\n- ")[1:] if result else [],
    })
