"""GET /api/quality/reports/{quarter}: the quarterly QA report as `lapis qa_report --format
json` writes it (?partnership=ID, ?framework=KEY). Any member sees the counts; the plan and
audit IDs of open follow-ups only those who may see case-level data or record audits."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Status

from lapis.core.inputs import Input, plausible_date
from lapis.partnership import permissions
from lapis.partnership.models import Partnership
from lapis.quality import reports, rules
from lapis.quality.report_views import shown_report

router = Router(tags=["quality"])


class ReportQuery(Input):
    partnership: int | None = None
    framework: str | None = None


@router.get("/{quarter}", response={200: dict, 422: dict},
            summary="The quarterly QA report of a quarter such as 2024Q2 (a calendar quarter: "
            "April to June 2024)")
def quarter_report(request, quarter: str, query: Query[ReportQuery]):
    if query.partnership is None:
        partnership = permissions.partnership_for(request)
        if partnership is None:
            raise Http404("You are not a member of a partnership")
    else:
        if not permissions.can_view(request.user, query.partnership):
            raise Http404("No such partnership")
        partnership = get_object_or_404(Partnership, pk=query.partnership)
    try:
        chosen = rules.Quarter.parse(quarter)
        plausible_date(chosen.start, field="quarter")
        plausible_date(chosen.end, field="quarter")
    except ValueError as error:
        return Status(422, {"detail": str(error)})
    framework = reports.framework_named(query.framework, partnership)
    if framework is None:
        raise Http404("No such audit framework")
    return shown_report(request.user, partnership, chosen, framework)
