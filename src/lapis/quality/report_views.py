"""The quarterly QA report page (/quality/reports/?quarter=2024Q2) and its CSV, XLSX and PDF
downloads. Any member of the partnership sees the counts; the plan IDs of open follow-ups
only those who may see case-level data or record audits."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import render

from lapis.core import tables
from lapis.partnership import permissions
from lapis.quality import reports, rules
from lapis.quality.models import Audit, Framework

FORMATS = ("csv", "xlsx", "pdf")


def may_see_plan_ids(user, partnership_id: int) -> bool:
    return (permissions.can_see_cases(user, partnership_id)
            or permissions.can_audit(user, partnership_id))


def shown_report(user, partnership, quarter, framework) -> dict:
    report = reports.build(partnership, quarter, framework=framework)
    return report if may_see_plan_ids(user, partnership.pk) else reports.without_plan_ids(report)


def _framework(request, partnership) -> Framework:
    key = request.GET.get("framework", "") or None
    found = reports.framework_named(key, partnership)
    if found is None:
        raise Http404("No such audit framework")
    return found


def _quarters(partnership, framework, chosen: rules.Quarter | None) -> list[rules.Quarter]:
    """Every quarter from the first audit's to the later of the last audit's and today's,
    newest first (with the chosen one, if outside)."""
    dates = Audit.objects.filter(partnership=partnership, framework=framework).values_list(
        "audit_date", flat=True)
    today = rules.Quarter.of(dt.date.today())
    first = rules.Quarter.of(min(dates)) if dates else today
    last = max(rules.Quarter.of(max(dates)), today) if dates else today
    found, quarter = [], first
    while quarter <= last:
        found.append(quarter)
        quarter = quarter.next()
    if chosen is not None and chosen not in found:
        found.append(chosen)
    return sorted(found, reverse=True)


def _default_quarter(partnership, framework) -> rules.Quarter:
    latest = (Audit.objects.counted().filter(partnership=partnership, framework=framework)
              .order_by("-audit_date").values_list("audit_date", flat=True).first())
    return rules.Quarter.of(latest or dt.date.today())


def report_page(request):
    partnership = permissions.partnership_for(request)
    if partnership is None:
        return render(request, "quality/report_no_partnership.html")
    permissions.require(permissions.can_view(request.user, partnership.pk))
    framework = _framework(request, partnership)
    error, quarter = "", None
    text = request.GET.get("quarter", "").strip()
    if text:
        try:
            quarter = rules.Quarter.parse(text)
        except ValueError:
            error = ("Enter a quarter like 2024Q2 (a calendar quarter: 2024Q2 is April to "
                     "June 2024)")
    else:
        quarter = _default_quarter(partnership, framework)
    frameworks_shown = Framework.objects.visible_to(request.user).filter(active=True)
    context = {"partnership": partnership, "framework": framework, "error": error,
               "quarter_text": text, "quarters": _quarters(partnership, framework, quarter),
               "frameworks": frameworks_shown, "chosen": quarter}
    if quarter is not None:
        report = shown_report(request.user, partnership, quarter, framework)
        context.update(reports.context(report))
        base = {"partnership": partnership.pk, "framework": framework.key}
        context["downloads"] = [
            {"label": label, "href": f"{quarter.label}.{fmt}?{urlencode(base)}"}
            for fmt, label in (("xlsx", "Excel workbook (XLSX)"), ("csv", "CSV"),
                               ("pdf", "PDF"))]
        context["neighbours"] = [
            {"label": f"Previous quarter ({quarter.previous()})",
             "href": "?" + urlencode({**base, "quarter": quarter.previous().label})},
            {"label": f"Next quarter ({quarter.next()})",
             "href": "?" + urlencode({**base, "quarter": quarter.next().label})}]
    return render(request, "quality/report.html", context, status=400 if error else 200)


def report_file(request, quarter: str, fmt: str):
    partnership = permissions.partnership_for(request)
    if partnership is None or fmt not in FORMATS:
        raise Http404("No such report")
    permissions.require(permissions.can_view(request.user, partnership.pk))
    try:
        chosen = rules.Quarter.parse(quarter)
    except ValueError as error:
        raise Http404(str(error)) from None
    report = shown_report(request.user, partnership, chosen, _framework(request, partnership))
    name = f"qa-report-{chosen.label}"
    if fmt == "pdf":
        return tables.attachment(reports.to_pdf(report), "pdf", f"{name}.pdf")
    return tables.download(reports.table(report), fmt, name)
