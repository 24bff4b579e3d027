"""The inclusion scorecard pages: the scorecard (a table and its chart, with CSV and .xlsx
downloads), a school's figures over time, and the upload of figures for editors.

Thin shells: reads through `lapis.inclusion.queries` (scoped by `visible_to`), rules in
`lapis.inclusion.rules`, writes through `lapis.inclusion.actions`, permissions through
`lapis.partnership.permissions`.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe

from lapis.core import tables
from lapis.inclusion import actions, charts, exporting, queries, rules
from lapis.inclusion.importing import read_figures
from lapis.inclusion.models import School
from lapis.partnership import permissions


def _choices(request, partnership):
    measure = request.GET.get("measure") or "suspensions"
    if measure not in rules.MEASURES:
        raise Http404("No such measure")
    by = request.GET.get("by") or "school"
    if by not in rules.BY:
        raise Http404("No such grouping")
    periods = queries.periods(request.user, partnership, measure)
    period = request.GET.get("period") or (periods[-1] if periods else "")
    if period and period not in periods:
        raise Http404("No figures for that period")
    return measure, by, period, periods


def scorecard_page(request):
    partnership = permissions.partnership_for(request)
    if partnership is None:
        return render(request, "inclusion/no_partnership.html")
    measure, by, period, periods = _choices(request, partnership)
    asked = request.GET.get("shared") == "1"
    shared = queries.is_shared(request.user, partnership.pk, asked)
    found = (queries.view(request.user, partnership, measure=measure, period=period, by=by,
                          shared=shared) if period else None)
    fmt = request.GET.get("format", "")
    if fmt in ("csv", "xlsx"):
        if found is None:
            raise Http404("No figures to download")
        header, rows = exporting.view_table(found)
        name = f"inclusion-{measure}-{period.replace('/', '-').replace(' ', '-')}-{by}"
        name += "-shared" if shared else "-council"
        note = exporting.note(shared, exporting.title(found))
        return tables.download(exporting.table(header, rows, note), fmt, name)
    chart = None
    if found and found.lines:
        bars = [charts.Bar(line.name, line.value, _bar_text(line, found.measure))
                for line in found.lines]
        chart = mark_safe(charts.bar_chart(
            chart_id="inclusion-chart",
            title=f"{found.measure.name}: {found.measure.value_label.lower()} by "
                  f"{by}, {period}",
            bars=bars, unit=found.measure.unit, axis=found.measure.value_label,
            average=("LA average", found.la.value) if found.la else None))
    base = {"partnership": partnership.pk, "measure": measure, "period": period, "by": by}
    if shared:
        base["shared"] = "1"
    return render(request, "inclusion/scorecard.html", {
        "partnership": partnership, "found": found, "chart": chart,
        "measures": rules.MEASURES, "measure": rules.MEASURES[measure], "periods": periods,
        "period": period, "by": by, "groupings": rules.BY,
        **_which_view(request, partnership.pk, shared, base),
        "csv_query": urlencode({**base, "format": "csv"}),
        "xlsx_query": urlencode({**base, "format": "xlsx"}),
        "can_edit": permissions.can_edit(request.user, partnership.pk),
    })


def _which_view(request, partnership_id: int, shared: bool, base: dict) -> dict:
    """What the page says about the view it shows, and the link to the other one."""
    forced = queries.always_shared(request.user, partnership_id)
    role = permissions.role(request.user, partnership_id)
    plain = {k: v for k, v in base.items() if k != "shared"}
    return {
        "shared": shared, "words": queries.view_words(shared),
        "forced": (f"As a {role.label.lower()} you always see the shared view."
                   if forced else ""),
        "council_query": urlencode(plain), "shared_query": urlencode({**plain, "shared": 1}),
    }


def _bar_text(line: queries.Line, measure: rules.Measure) -> str:
    if line.withheld == rules.SMALL:
        return "fewer than 5"
    if line.withheld:
        return "withheld"
    if line.value is None:
        return "no rate" if line.count else "no figure"
    return f"{line.value:.1f}" + ("%" if measure.unit == "%" else "")


def school_page(request, pk: int):
    school = get_object_or_404(School.objects.visible_to(request.user), pk=pk)
    asked = request.GET.get("shared") == "1"
    shared = queries.is_shared(request.user, school.partnership_id, asked)
    return render(request, "inclusion/school.html", {
        "school": school, "partnership": school.partnership,
        **_which_view(request, school.partnership_id, shared, {}),
        "history": queries.school_history(request.user, school, shared=shared),
    })


def load_page(request):
    """Editors load a file of figures: the same checks as `lapis import_inclusion`."""
    partnership = permissions.partnership_for(request)
    if partnership is None:
        return render(request, "inclusion/no_partnership.html")
    permissions.require(permissions.can_edit(request.user, partnership.pk),
                        "Only programme managers and administrators load inclusion figures.")
    problems, error, status = [], "", 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        dry_run = request.POST.get("dry_run") == "1"
        if upload is None:
            error, status = "Select a .csv or .xlsx file of figures", 400
        elif upload.size > settings.LAPIS_MAX_IMPORT_BYTES:
            error, status = (f"The file is over the limit of "
                             f"{settings.LAPIS_MAX_IMPORT_BYTES:,} bytes"), 400
        else:
            name = Path(upload.name).name
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / ("upload" + Path(name).suffix.lower())
                with path.open("wb") as handle:
                    for chunk in upload.chunks():
                        handle.write(chunk)
                read = read_figures(path, max_bytes=settings.LAPIS_MAX_IMPORT_BYTES,
                                    name=name)
            try:
                result = actions.import_figures(partnership=partnership, read=read,
                                                by=request.user, dry_run=dry_run)
            except actions.ImportFailed as failure:
                problems, status = failure.problems, 400
                error = (f"{name} was not loaded: {len(problems)} problem"
                         f"{'' if len(problems) == 1 else 's'} found. Nothing was changed.")
            else:
                verb = "Checked" if dry_run else "Loaded"
                messages.success(request, f"{verb} {name}: {result.summary()}."
                                 + (" Nothing was saved." if dry_run else ""))
                target = reverse("inclusion:load" if dry_run else "inclusion:scorecard")
                return redirect(f"{target}?partnership={partnership.pk}")
    return render(request, "inclusion/load.html", {
        "partnership": partnership, "problems": problems[:200], "more": len(problems) - 200,
        "error": error, "columns": ["URN", "School", "Phase", "Trust", "Locality", "Pupils",
                                    "Measure", "Period", "Count", "Denominator"],
        "measures": rules.MEASURES, "phases": rules.PHASES,
    }, status=status)
